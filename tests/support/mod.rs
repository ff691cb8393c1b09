//! Helpers for the integration tests: run the real `tutorial` binary the way a script would
//! (stdin closed, no colour, progress in a fresh temp dir) and stabilise what truly varies.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod exercise;
pub mod learner;
pub mod required;

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The outcome of one run.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `tutorial args…` with its progress in `state_dir`.
pub fn tutorial_in(state_dir: &Path, args: &[&str]) -> Run {
    tutorial_with_env(state_dir, args, &[("NO_COLOR", "1")])
}

/// Runs `tutorial args…` with its progress in a fresh temp dir.
pub fn tutorial(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("a temp dir");
    tutorial_in(dir.path(), args)
}

pub fn tutorial_with_env(state_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tutorial"));
    command
        .args(args)
        .env("TUTORIAL_STATE_DIR", state_dir)
        .env_remove("TUTORIAL_CLIENT_ID")
        .env_remove("TUTORIAL_CLIENT_SECRET")
        .env_remove("TUTORIAL_TENANT")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        // The lessons' language comes from these when --lang is absent: English unless asked.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        // The width a transcript is written to: 80 unless a test asks for another.
        .env("COLUMNS", "80")
        .stdin(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the tutorial binary runs");
    Run {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// `text` with every run of whitespace (a line break of the wrapping included) as one space,
/// to find a sentence however the screen's width broke it.
pub fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The values no deterministic run can fix: ports, timings and the `Date` header.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"127\.0\.0\.1(:|%3A)\d{5}", "127.0.0.1$1[port]"),
        (r"localhost(:|%3A)\d{5}", "localhost$1[port]"),
        (r"\(\d+ ms\)", "([elapsed])"),
        (r"date: .+ GMT", "date: [date]"),
    ]
}

/// Asserts a snapshot of `text` with only [`filters`] applied.
#[macro_export]
macro_rules! assert_transcript {
    ($name:expr, $text:expr) => {
        insta::with_settings!({
            filters => support::filters(),
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

/// The portal's token, as step 1 gets it from a mock at `base`.
pub async fn portal_token(http: &reqwest::Client, base: &str) -> String {
    let portal = graph_mock::fixtures::PORTAL_APP;
    let answer: serde_json::Value = http
        .post(format!(
            "{base}/{}/oauth2/v2.0/token",
            graph_mock::fixtures::TENANT_ID
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", portal.client_id),
            ("client_secret", portal.client_secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .expect("the token endpoint answers")
        .json()
        .await
        .expect("a token answer");
    answer["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// A learner who registers an app named `name`, then sends step 2 with a reply URL the app
/// does not have: stuck on AADSTS50011. Returns the app's client ID.
pub async fn stuck_learner(http: &reqwest::Client, base: &str, name: &str) -> String {
    let token = portal_token(http, base).await;
    let app: serde_json::Value = http
        .post(format!("{base}/v1.0/applications"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "displayName": name,
            "web": {"redirectUris": ["http://127.0.0.1:8000/connect/get_token/"]},
        }))
        .send()
        .await
        .expect("registration answers")
        .json()
        .await
        .expect("an application");
    let client_id = app["appId"].as_str().expect("an appId").to_owned();
    // On the tenant: an app the portal registers is single-tenant.
    let _ = http
        .get(format!(
            "{base}/{}/oauth2/v2.0/authorize",
            graph_mock::fixtures::TENANT_ID
        ))
        .query(&[
            ("client_id", client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", "http://localhost:5000/getAToken"),
            ("scope", "User.Read"),
        ])
        .send()
        .await
        .expect("authorize answers");
    client_id
}

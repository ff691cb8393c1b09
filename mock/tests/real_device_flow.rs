//! MSAL Python's device code flow, unmodified, against the mock over HTTPS. The script
//! (`tests/clients/device_flow.py`) registers a public client, asks for the codes and polls;
//! this test plays the person on the other device, in headless Chromium: it opens the
//! verification page, types the code, picks Megan and accepts, as a person would. Chromium
//! trusts exactly the mock's server key and nothing else.
//!
//! Needs Chromium and chromedriver too; under CI a missing piece is a failure, never a skip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../tests/support/chromium.rs"]
mod chromium;
mod support;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use graph_mock::{Config, MockServer, Tls};
use serde_json::Value;

use chromium::{Chromium, LAPTOP};

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("clients")
        .join("device_flow.py")
}

#[tokio::test]
async fn msal_python_device_flow_gets_tokens_once_a_person_types_the_code() {
    if !support::msal_python_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("graph-mock-device-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let tls = Tls::load_or_create(&dir).expect("certificates are made");
    let pin = support::server_key_pin(&dir);
    let Some(browser) = Chromium::start_trusting(LAPTOP, &pin).await else {
        return;
    };
    let ca = tls.ca_certificate().to_owned();
    let mock = MockServer::start(Config::default().tls(tls))
        .await
        .expect("the mock starts");
    let mut child = Command::new(support::python())
        .args(["-W", "ignore"])
        .arg(script())
        .arg(mock.uri())
        .env("REQUESTS_CA_BUNDLE", &ca)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    let stdout = child.stdout.take().expect("piped stdout");
    let (first, lines) = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        (first, lines)
    })
    .await
    .expect("the flow is printed");
    let flow: Value = match serde_json::from_str(&first) {
        Ok(flow) => flow,
        Err(_) => {
            let output = child.wait_with_output().expect("python ends");
            panic!(
                "no flow printed: {first}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        }
    };

    // The person, on another device: the page, the code, Megan, Accept.
    let page_url = flow["verification_uri"]
        .as_str()
        .expect("a verification URI");
    let user_code = flow["user_code"].as_str().expect("a user code");
    browser.goto(page_url).await;
    browser.wait_for(r#"input[name="otc"]"#).await;
    browser.type_into(r#"input[name="otc"]"#, user_code).await;
    browser.click(r#"button[type="submit"]"#).await;
    browser.wait_for(r#"input[name="user"]"#).await;
    browser.click(r#"input[name="user"][value="0"]"#).await;
    browser.click(r#"button[type="submit"]"#).await;
    browser.wait_for(r#"button[value="accept"]"#).await;
    browser.click(r#"button[value="accept"]"#).await;
    browser.wait_for("h1").await;
    let done = browser.text().await;
    browser.screenshot("device-flow-approved").await;
    browser.close().await;
    assert!(done.contains("You're signed in"), "{done}");

    let (result, child) = tokio::task::spawn_blocking(move || {
        let result = lines.last().and_then(Result::ok).unwrap_or_default();
        (result, child.wait_with_output().expect("python ends"))
    })
    .await
    .expect("MSAL finishes polling");
    assert!(
        child.status.success(),
        "{}",
        String::from_utf8_lossy(&child.stderr)
    );
    let result: Value = serde_json::from_str(&result).expect("one JSON line");
    assert_eq!(result["error"], Value::Null);
    assert_eq!(result["username"], "MeganB@contoso.onmicrosoft.com");
    assert_eq!(result["has_refresh_token"], true);
    assert_eq!(result["me"], 200);
    assert_eq!(flow["interval"], 5);
    let _ = std::fs::remove_dir_all(dir);
}

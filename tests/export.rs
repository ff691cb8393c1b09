//! `tutorial export`: the last run as a `.http` file or curl commands, secrets as variables;
//! the curl script replays against a fresh mock with the same statuses.

mod support;

use std::path::Path;
use std::process::Command;

use graph_mock::{Config, MockServer};
use support::tutorial_in;

/// A full `tutorial --yes` run, saved in `dir`.
fn run_the_tutorial(dir: &Path) {
    let run = tutorial_in(dir, &["--yes", "--port", "0"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

fn export(dir: &Path, args: &[&str]) -> String {
    let run = tutorial_in(dir, &[&["export"], args].concat());
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exported_curl_script_replays_against_a_fresh_mock_with_the_same_statuses() {
    let dir = tempfile::tempdir().expect("a temp dir");
    run_the_tutorial(dir.path());
    let script = dir.path().join("run.sh");
    let script_arg = script.to_string_lossy().into_owned();
    export(
        dir.path(),
        &["--format", "curl", "--show-secrets", "--out", &script_arg],
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&script)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "a file with the app's secret in it");
    }
    let mock = MockServer::start(Config::default().auto_approve())
        .await
        .expect("a fresh mock");

    let uri = mock.uri();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .arg(&script)
            .arg(uri)
            .output()
            .expect("bash runs")
    })
    .await
    .expect("the script ends");

    let stdout = String::from_utf8_lossy(&output.stdout);
    let statuses: Vec<(&str, &str)> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("status "))
        .filter_map(|rest| rest.split_once(' '))
        .collect();
    assert!(
        statuses.len() >= 9,
        "every replayable request ran:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for (got, expected) in &statuses {
        assert_eq!(got, expected, "\n{stdout}");
    }
}

#[test]
fn the_default_export_holds_no_secret_only_variables() {
    let dir = tempfile::tempdir().expect("a temp dir");
    run_the_tutorial(dir.path());

    for format in ["http", "curl"] {
        let text = export(dir.path(), &["--format", format]);

        assert!(
            !text.contains(graph_mock::demo::PORTAL_APP.client_secret),
            "{format}"
        );
        assert!(!text.contains("eyJ"), "{format}: a token is written out");
        assert!(
            !text.contains("code=0.A"),
            "{format}: a code is written out"
        );
        assert!(
            text.contains("CLIENT_SECRET_1"),
            "{format}: the secret is a variable"
        );
    }
}

#[test]
fn the_http_file_has_one_section_per_exchange_in_rest_client_syntax() {
    let dir = tempfile::tempdir().expect("a temp dir");
    run_the_tutorial(dir.path());

    let text = export(dir.path(), &["--format", "http"]);

    assert!(text.contains("@BASE = http://127.0.0.1:"));
    assert!(text.contains("POST {{BASE}}/v1.0/me/sendMail"));
    assert!(text.contains("authorization: Bearer {{ACCESS_TOKEN_"));
    assert!(text.matches("\n### ").count() >= 10);
}

#[test]
fn a_failure_lesson_can_be_exported_too() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = tutorial_in(dir.path(), &["break", "code-redeemed-twice"]);
    assert_eq!(run.status, 0, "{}", run.stderr);

    let text = export(dir.path(), &["--format", "http"]);

    assert!(
        text.contains("(answered 400)"),
        "the broken request is there"
    );
}

#[test]
fn export_before_any_run_says_what_to_do() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let run = tutorial_in(dir.path(), &["export"]);

    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("try: tutorial --yes"), "{}", run.stderr);
}

//! `tutorial explain`, offline: every code the mock can send is explained with the mock's own
//! message, whatever form the learner pastes it in; an unknown code says so plainly.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use graph_oauth_tutorial::explain::mock_table;
use support::tutorial;

/// `tutorial explain` with `input` on stdin.
fn explain_stdin(input: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tutorial"))
        .args(["--lang", "en", "explain"])
        .env("TUTORIAL_STATE_DIR", dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tutorial binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("stdin takes the paste");
    let output = child.wait_with_output().expect("it ends");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_code_the_mock_can_send_is_explained_with_its_message_and_step() {
    for row in mock_table() {
        let run = tutorial(&["explain", &row.key]);

        assert_eq!(run.status, 0, "{}: {}", row.key, run.stderr);
        assert!(run.stdout.contains(&row.key), "{}", row.key);
        assert!(
            support::words(&run.stdout).contains(&support::words(&row.message)),
            "{}: the mock's message",
            row.key
        );
        assert!(run.stdout.contains("Where it bites: step "), "{}", row.key);
        assert!(run.stdout.contains("Fix."), "{}", row.key);
    }
}

#[test]
fn aadsts50011_is_explained_as_pinned() {
    let run = tutorial(&["explain", "AADSTS50011"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_transcript!("explain_aadsts50011", run.stdout);
}

#[test]
fn a_bare_number_and_the_aadsts_form_give_the_same_explanation() {
    let bare = tutorial(&["explain", "54005"]);
    let full = tutorial(&["explain", "AADSTS54005"]);

    assert_eq!(bare.status, 0);
    assert_eq!(bare.stdout, full.stdout);
    assert!(full.stdout.contains("tutorial break code-redeemed-twice"));
}

#[test]
fn a_graph_code_lists_every_message_the_mock_sends_under_it() {
    let run = tutorial(&["explain", "InvalidAuthenticationToken"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("HTTP 401: Access token is empty."));
    assert!(
        run.stdout
            .contains("HTTP 401: Access token has expired or is not yet valid.")
    );
    assert!(run.stdout.contains("tutorial break token-altered"));
}

#[test]
fn a_whole_error_json_pasted_on_stdin_is_explained() {
    let pasted = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'd5349743'. Trace ID: 1 Correlation ID: 2 Timestamp: 2026-11-25 22:10:00Z","error_codes":[7000215]}"#;

    let (status, stdout, stderr) = explain_stdin(pasted);

    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("AADSTS7000215 · invalid_client · HTTP 401"));
    assert!(stdout.contains("tutorial break wrong-secret"));
}

#[test]
fn a_graph_error_body_pasted_on_stdin_is_explained() {
    let pasted = r#"{"error":{"code":"ErrorAccessDenied","message":"Access is denied. Check credentials and try again.","innerError":{"date":"2026-11-25T22:10:00"}}}"#;

    let (status, stdout, stderr) = explain_stdin(pasted);

    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("ErrorAccessDenied"));
    assert!(stdout.contains("tutorial break no-mail-send"));
}

#[test]
fn a_pasted_error_description_alone_is_enough() {
    let (status, stdout, _) = explain_stdin(
        "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\n",
    );

    assert_eq!(status, 0);
    assert!(stdout.contains("AADSTS70008 · invalid_grant · HTTP 400"));
}

#[test]
fn an_unknown_code_says_so_and_points_at_microsofts_lookup_page() {
    let run = tutorial(&["explain", "AADSTS12345"]);

    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("AADSTS12345 is not a code this tutorial knows"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("https://login.microsoftonline.com/error?code=12345"),
        "{}",
        run.stderr
    );
}

#[test]
fn text_without_a_code_is_a_usage_error() {
    let run = tutorial(&["explain", "it does not work"]);

    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("names no error code"), "{}", run.stderr);
}

#[test]
fn explain_needs_no_mock_and_no_network() {
    // Nothing to start: the explainer is a table and some text. A run takes no port.
    let run = tutorial(&["explain", "ErrorAccessDenied"]);

    assert_eq!(run.status, 0);
    assert!(!run.stdout.contains("127.0.0.1"));
}

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
        // Whitespace aside: a word longer than the 80-column page (a long URL) is cut in two.
        let unspaced = |text: &str| text.split_whitespace().collect::<String>();
        assert!(
            unspaced(&run.stdout).contains(&unspaced(&row.message)),
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

#[test]
fn every_oauth_error_value_is_explained_with_the_codes_the_mock_sends_under_it() {
    for value in [
        "invalid_grant",
        "invalid_client",
        "invalid_request",
        "unauthorized_client",
        "invalid_scope",
        "interaction_required",
        "consent_required",
        "login_required",
        "access_denied",
        "temporarily_unavailable",
        "authorization_pending",
        "slow_down",
        "expired_token",
    ] {
        let run = tutorial(&["explain", value]);

        assert_eq!(run.status, 0, "{value}: {}", run.stderr);
        assert!(
            run.stdout.contains(&format!("{value} · OAuth 2.0 error")),
            "{value}"
        );
        assert!(run.stdout.contains("Fix."), "{value}");
        for row in mock_table().iter().filter(|r| r.error == value) {
            assert!(run.stdout.contains(&row.key), "{value} lists {}", row.key);
        }
    }
}

#[test]
fn invalid_grant_is_explained_as_pinned_in_both_languages() {
    let english = tutorial(&["explain", "invalid_grant"]);
    let chinese = tutorial(&["--lang", "zh-CN", "explain", "invalid_grant"]);

    assert_eq!(english.status, 0, "{}", english.stderr);
    assert_transcript!("explain_invalid_grant", english.stdout);
    assert!(chinese.stdout.contains("invalid_grant · OAuth 2.0 错误"));
    assert!(chinese.stdout.contains("怎么改。"));
}

#[test]
fn a_pasted_body_is_read_back_and_its_ids_are_to_be_kept() {
    let pasted = r#"{"error":"invalid_grant","error_description":"AADSTS54005: OAuth2 Authorization code was already redeemed. Trace ID: 0d1e2f Correlation ID: 9a8b7c Timestamp: 2026-11-25 22:10:00Z","error_codes":[54005],"timestamp":"2026-11-25 22:10:00Z","trace_id":"0d1e2f","correlation_id":"9a8b7c"}"#;

    let (status, stdout, stderr) = explain_stdin(pasted);

    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("What you pasted"), "{stdout}");
    for (field, value) in [
        ("error", "invalid_grant"),
        ("AADSTS", "AADSTS54005"),
        ("Trace ID", "0d1e2f"),
        ("Correlation ID", "9a8b7c"),
        ("Timestamp", "2026-11-25 22:10:00Z"),
    ] {
        let line = stdout
            .lines()
            .find(|line| line.trim_start().starts_with(field));
        assert!(
            line.is_some_and(|line| line.trim_end().ends_with(value)),
            "{field}: {stdout}"
        );
    }
    assert!(stdout.contains("Keep the Trace ID, Correlation ID and timestamp"));
    assert!(stdout.contains("sign-in logs"));
    assert!(stdout.contains("AADSTS54005 · invalid_grant · HTTP 400"));
    assert!(stdout.contains("tutorial explain invalid_grant"));
}

#[test]
fn a_pasted_error_without_ids_says_to_keep_the_whole_body() {
    let (status, stdout, _) =
        explain_stdin(r#"{"error":"authorization_pending","error_description":"wait"}"#);

    assert_eq!(status, 0);
    assert!(stdout.contains("authorization_pending · OAuth 2.0 error"));
    assert!(stdout.contains("No Trace ID, Correlation ID or timestamp"));
}

#[test]
fn a_bare_code_shows_no_paste_block() {
    let run = tutorial(&["explain", "invalid_client"]);

    assert!(!run.stdout.contains("What you pasted"));
}

#[test]
fn an_unknown_oauth_error_value_points_at_the_specification() {
    let run = tutorial(&["explain", "invalid_thing"]);

    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("invalid_thing is not a code this tutorial knows"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("rfc6749#section-5.2"), "{}", run.stderr);
}

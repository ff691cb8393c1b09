//! `tutorial call`, `tutorial refresh` and `--scope`: the learner's own requests with the saved
//! tokens, a token renewed on screen when it expired (by its exp, or because Graph said so),
//! and a scope added to step 2 showing up in the access token's scp.

mod support;

use std::path::Path;
use std::time::Duration;

use graph_mock::{Config, MockServer};
use support::{Run, tutorial, tutorial_in};

/// Runs the binary off the async runtime (the mock serves on it meanwhile).
async fn run_in(dir: &Path, args: &[&str]) -> Run {
    let dir = dir.to_owned();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tutorial_in(&dir, &args)
    })
    .await
    .expect("the run ends")
}

/// A mock of the test's own that approves by itself, and a learner with tokens from it.
async fn learner_with_tokens() -> (MockServer, tempfile::TempDir, String) {
    let mock = MockServer::start(Config::default().auto_approve())
        .await
        .expect("a mock starts");
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = mock.uri();
    let args = [
        "--mock-url",
        &url,
        "--play-browser",
        "--yes",
        "--port",
        "0",
        "--step",
        "4",
    ];
    let run = run_in(dir.path(), &args).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    (mock, dir, url)
}

#[test]
fn a_call_against_the_built_in_mock_replays_for_its_token_then_sends_with_it() {
    let run = tutorial(&["--deterministic", "call", "GET", "/me/messages?$top=1"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("replaying steps 1 to 4 quietly"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("GET /v1.0/me/messages?$top=1"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("authorization: Bearer "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("✔ 200 OK"), "{}", run.stdout);
    assert_transcript!(
        "call_get_me",
        tutorial(&["--deterministic", "call", "GET", "me"]).stdout
    );
}

#[test]
fn a_post_with_a_json_body_is_sent_as_json() {
    let body = r#"{"message":{"subject":"Hi","body":{"contentType":"Text","content":"x"},"toRecipients":[{"emailAddress":{"address":"adele@contoso.example"}}]}}"#;

    let run = tutorial(&["call", "POST", "/me/sendMail", "--body", body]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("content-type: application/json"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("202 Accepted"), "{}", run.stdout);
}

#[test]
fn a_refused_call_ends_with_the_graph_code_and_exit_code_1() {
    let run = tutorial(&["call", "GET", "/users/nobody@nowhere.example"]);

    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("Graph refused the request (40"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("tutorial explain"), "{}", run.stderr);
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let cases: [&[&str]; 4] = [
        &["call", "FETCH", "/me"],
        &["call", "POST", "/me/sendMail", "--body", "{not json"],
        &["call", "GET", "/me messages"],
        &[
            "call",
            "POST",
            "/me/sendMail",
            "--body",
            "@/no/such/file.json",
        ],
    ];
    for args in cases {
        let run = tutorial(args);

        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(
            !run.stdout.contains("replaying"),
            "{args:?}: {}",
            run.stdout
        );
        assert!(
            run.stderr.contains("try: tutorial call GET"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn live_without_tokens_says_which_step_makes_them() {
    let run = tutorial(&[
        "--live",
        "--tenant",
        "contoso.onmicrosoft.com",
        "--client-id",
        "6731de76-14a6-49ae-97bc-6eba6914391e",
        "call",
        "GET",
        "/me",
    ]);

    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("step 5 needs tokens"), "{}", run.stderr);
    assert!(run.stderr.contains("--step 1"), "{}", run.stderr);
}

#[tokio::test]
async fn a_token_past_its_exp_is_refreshed_on_screen_before_the_call() {
    let (_mock, dir, url) = learner_with_tokens().await;
    let later = (time_now() + 2 * 3600).to_string();

    let run = run_in(
        dir.path(),
        &["--mock-url", &url, "call", "GET", "/me", "--now", &later],
    )
    .await;

    assert_eq!(run.status, 0, "{}", run.stderr);
    let refresh = run.stdout.find("grant_type").expect("the refresh is shown");
    let call = run.stdout.find("GET /v1.0/me").expect("the call is shown");
    assert!(refresh < call, "the refresh comes first:\n{}", run.stdout);
    assert!(run.stdout.contains("refresh_token"), "{}", run.stdout);
    assert!(
        run.stdout.contains("the saved access token expired"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn graph_saying_the_token_expired_gets_a_refresh_and_one_retry() {
    let (mock, dir, url) = learner_with_tokens().await;
    mock.advance_clock(Duration::from_secs(2 * 3600));

    let run = run_in(dir.path(), &["--mock-url", &url, "call", "GET", "/me"]).await;

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("401 Unauthorized"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("Graph says the access token has expired")
    );
    assert_eq!(
        run.stdout.matches("→ GET http").count(),
        2,
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("✔ 200 OK"));
}

#[tokio::test]
async fn refresh_redeems_the_refresh_token_and_the_new_one_is_saved() {
    let (_mock, dir, url) = learner_with_tokens().await;
    let before = std::fs::read_to_string(dir.path().join("progress.json")).expect("saved");

    let run = run_in(dir.path(), &["--mock-url", &url, "refresh"]).await;

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("grant_type"), "{}", run.stdout);
    assert!(
        run.stdout.contains("a new access token, good for"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("scp (what the new access token allows): ")
    );
    let after = std::fs::read_to_string(dir.path().join("progress.json")).expect("saved");
    assert_ne!(before, after, "the new tokens are saved");

    // The rotated refresh token works again.
    let again = run_in(dir.path(), &["--mock-url", &url, "refresh"]).await;
    assert_eq!(again.status, 0, "{}", again.stderr);
}

#[test]
fn refresh_against_the_built_in_mock_replays_for_a_refresh_token() {
    let run = tutorial(&["refresh"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Redeem the refresh token"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_scope_added_to_step_2_is_asked_for_and_lands_in_scp() {
    let run = tutorial(&["--yes", "--port", "0", "--scope", "Mail.ReadWrite"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("step 2 asks for more: Mail.ReadWrite"));
    let scp = run
        .stdout
        .lines()
        .find(|line| line.trim_start().starts_with("scp "))
        .expect("the access token's scp is shown");
    assert!(scp.contains("Mail.ReadWrite"), "{scp}");

    let plain = tutorial(&["--yes", "--port", "0", "--step", "4"]);
    let scp = plain
        .stdout
        .lines()
        .find(|line| line.trim_start().starts_with("scp "))
        .expect("the access token's scp is shown");
    assert!(!scp.contains("Mail.ReadWrite"), "{scp}");
}

#[test]
fn a_scope_the_platform_does_not_know_is_refused_with_its_code() {
    let run = tutorial(&[
        "--yes",
        "--port",
        "0",
        "--scope",
        "Nope.Nothing",
        "--step",
        "4",
    ]);

    assert_ne!(run.status, 0);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("AADSTS70011"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}

fn time_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
        .unwrap_or(0)
}

/// Every secret the transcript of `call` and `refresh` carries (the client secret, the access
/// and refresh tokens before and after) is masked on screen.
#[tokio::test]
async fn call_and_refresh_show_no_secret_in_full() {
    let (_mock, dir, url) = learner_with_tokens().await;
    let saved = |dir: &Path| -> serde_json::Value {
        let text = std::fs::read_to_string(dir.join("progress.json")).expect("saved");
        serde_json::from_str(&text).expect("JSON")
    };
    let secrets = |saved: &serde_json::Value| -> Vec<String> {
        [
            &saved["app"]["client_secret"],
            &saved["tokens"]["access"],
            &saved["tokens"]["refresh"],
            &saved["tokens"]["id"],
        ]
        .iter()
        .filter_map(|value| value.as_str().map(str::to_owned))
        .collect()
    };
    let before = secrets(&saved(dir.path()));
    assert_eq!(before.len(), 4, "{before:?}");

    let refresh = run_in(dir.path(), &["--mock-url", &url, "refresh"]).await;
    assert_eq!(refresh.status, 0, "{}", refresh.stderr);
    let call = run_in(dir.path(), &["--mock-url", &url, "call", "GET", "/me"]).await;
    assert_eq!(call.status, 0, "{}", call.stderr);

    let after = secrets(&saved(dir.path()));
    assert_ne!(before, after, "the refresh saved new tokens");
    for secret in before.iter().chain(&after) {
        // A piece from the middle: every JWT begins alike, so its start would prove nothing.
        let middle = secret.len() / 2;
        let piece = &secret[middle - 8..middle + 8];
        for run in [&refresh, &call] {
            assert!(
                !run.stdout.contains(piece) && !run.stderr.contains(piece),
                "a piece of a secret, {piece}, is on screen:\n{}",
                run.stdout
            );
        }
    }
    assert!(refresh.stdout.contains("[masked"), "{}", refresh.stdout);
}

//! `tutorial export`: the last run as a `.http` file or curl commands, secrets as variables;
//! the curl script (with bash) and the `.http` file (with httpyac, pinned in `tests/httpyac`)
//! replay against a fresh mock with the same statuses.

mod support;

use std::path::{Path, PathBuf};
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

    for format in ["http", "rest-client", "curl"] {
        let text = export(dir.path(), &["--format", format]);

        assert!(
            !text.contains(graph_mock::fixtures::PORTAL_APP.client_secret),
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

/// httpyac, as `.ci/run` installs it (`npm ci --prefix tests/httpyac`): present, or the test
/// fails under CI and says how to install it elsewhere.
fn httpyac() -> Option<PathBuf> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/httpyac/node_modules/.bin/httpyac");
    let present = path.exists();
    support::required::installed("httpyac", present, "npm ci --prefix tests/httpyac")
        .then_some(path)
}

/// `text` with its `@BASE = …` line pointing at `base`, as a person points the file at a mock.
fn pointed_at(text: &str, base: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with("@BASE = ") {
                format!("@BASE = {base}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `text` with httpyac against a fresh mock that approves by itself, as a person would:
/// the file saved, its `@BASE` pointed at the mock, every request sent in order. Returns
/// httpyac's report.
async fn run_in_httpyac(httpyac: PathBuf, dir: &Path, text: &str) -> serde_json::Value {
    let mock = MockServer::start(Config::default().auto_approve())
        .await
        .expect("a fresh mock");
    std::fs::write(dir.join("run.http"), pointed_at(text, &mock.uri())).expect("written");
    let cwd = dir.to_owned();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(httpyac)
            .args(["send", "run.http", "--all", "--json"])
            .current_dir(cwd)
            .output()
            .expect("httpyac runs")
    })
    .await
    .expect("httpyac ends");
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "httpyac's report ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Every request of `report` ran, and its script found the status the tutorial got.
fn assert_every_request_got_its_status(report: &serde_json::Value, at_least: usize) {
    let summary = &report["summary"];
    let requests = report["requests"].as_array().expect("a list of requests");
    assert!(requests.len() >= at_least, "every request ran: {summary}");
    assert_eq!(summary["erroredRequests"], 0, "{report}");
    assert_eq!(summary["failedTests"], 0, "{report}");
    assert_eq!(summary["erroredTests"], 0, "{report}");
    for request in requests {
        assert_eq!(request["summary"]["successTests"], 1, "{request}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exported_http_file_runs_in_httpyac_against_a_fresh_mock() {
    let Some(httpyac) = httpyac() else { return };
    let dir = tempfile::tempdir().expect("a temp dir");
    run_the_tutorial(dir.path());
    let text = export(dir.path(), &["--format", "http", "--show-secrets"]);

    let report = run_in_httpyac(httpyac, dir.path(), &text).await;

    assert_every_request_got_its_status(&report, 9);
    let requests = report["requests"].as_array().expect("a list of requests");
    let last = requests.last().expect("a last request");
    assert!(
        last["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("messages_")),
        "the last request reads the sent mail from Graph: {last}"
    );
    assert!(text.contains("GET {{BASE}}/v1.0/me/mailFolders/sentitems/messages"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_lessons_http_file_replays_its_refusal_and_its_fix_in_httpyac() {
    let Some(httpyac) = httpyac() else { return };
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = tutorial_in(dir.path(), &["break", "wrong-secret"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = export(dir.path(), &["--format", "http", "--show-secrets"]);

    let report = run_in_httpyac(httpyac, dir.path(), &text).await;

    // The refusal comes back as it did in the lesson (401), then the fix succeeds (200).
    assert_every_request_got_its_status(&report, 4);
    assert!(
        text.contains("client.assert(response.status === 401"),
        "{text}"
    );
    assert!(
        text.contains("client.assert(response.status === 200"),
        "{text}"
    );
}

#[test]
fn the_http_file_names_its_requests_and_reads_what_the_server_gave_from_the_answers() {
    let dir = tempfile::tempdir().expect("a temp dir");
    run_the_tutorial(dir.path());

    let text = export(dir.path(), &["--format", "http"]);

    assert!(text.contains("@BASE = http://127.0.0.1:"));
    assert!(text.contains("# @name token_1\nPOST {{BASE}}/"));
    assert!(text.contains("POST {{BASE}}/v1.0/me/sendMail"));
    assert!(text.contains("authorization: Bearer {{ACCESS_TOKEN_"));
    assert!(text.contains("client.global.set(\"ACCESS_TOKEN_1\", response.body.access_token);"));
    assert!(
        text.contains(
            "# @no-redirect\nGET {{BASE}}/contoso.onmicrosoft.com/oauth2/v2.0/authorize?"
        )
    );
    assert!(text.contains("response.headers.valueOf(\"Location\")"));
    assert!(
        text.contains("@CLIENT_SECRET_1 =\n"),
        "the app's own secret is to fill in"
    );
    // No server value is left as a commented placeholder.
    let placeholder = regex::Regex::new(r"(?m)^# @[A-Z_]+_\d+ =").expect("a valid pattern");
    assert!(!placeholder.is_match(&text), "{text}");
    // The browser's visit to the reply URL is explained, not sent.
    assert!(!text.contains("\nGET http://localhost:"), "{text}");
}

#[test]
fn the_rest_client_file_reads_answers_by_request_name_and_asks_for_the_code() {
    let dir = tempfile::tempdir().expect("a temp dir");
    run_the_tutorial(dir.path());

    let text = export(dir.path(), &["--format", "rest-client"]);

    assert!(text.contains("authorization: Bearer {{token_1.response.body.$.access_token}}"));
    assert!(text.contains("client_secret={{addPassword_3.response.body.$.secretText}}"));
    assert!(text.contains("client_id={{applications_2.response.body.$.appId}}"));
    assert!(text.contains("# @prompt CODE_4 "));
    assert!(text.contains("&code={{CODE_4}}&"));
    assert!(
        !text.contains("> {%"),
        "REST Client would send a script as the body"
    );
}

#[test]
fn a_failure_lesson_can_be_exported_too() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = tutorial_in(dir.path(), &["break", "code-redeemed-twice"]);
    assert_eq!(run.status, 0, "{}", run.stderr);

    let text = export(dir.path(), &["--format", "http"]);

    assert!(
        text.contains(": answered 400\n"),
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

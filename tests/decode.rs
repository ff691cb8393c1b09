//! `tutorial decode`: a token from a real run reads as step 4 reads it, its signature checks
//! out against the built-in mock's keys (or a key set fetched from a URL), and exp, nbf, iss
//! and aud are checked with reasons; garbage gets one line and exit code 2.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use graph_oauth_tutorial::lang::Lang;
use support::{Run, tutorial, tutorial_in};
use unicode_width::UnicodeWidthStr;

/// A deterministic run to step 4 (once for all the tests here): its saved access and id
/// tokens, and the access token's `iat`.
fn tokens() -> (String, String, i64) {
    static TOKENS: OnceLock<(String, String, i64)> = OnceLock::new();
    TOKENS.get_or_init(run_to_step_4).clone()
}

fn run_to_step_4() -> (String, String, i64) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = tutorial_in(
        dir.path(),
        &["--yes", "--deterministic", "--port", "0", "--step", "4"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let saved = saved(dir.path());
    let access = saved["tokens"]["access"]
        .as_str()
        .expect("an access token")
        .to_owned();
    let id = saved["tokens"]["id"]
        .as_str()
        .expect("an id token")
        .to_owned();
    let claims = access.split('.').nth(1).expect("three parts");
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).expect("base64url"))
            .expect("JSON claims");
    let iat = claims["iat"].as_i64().expect("iat");
    (access, id, iat)
}

fn saved(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("progress.json")).expect("progress is saved");
    serde_json::from_str(&text).expect("progress is JSON")
}

fn decode_stdin(args: &[&str], input: &str) -> Run {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tutorial"))
        .args(["--lang", "en", "decode"])
        .args(args)
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
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn an_access_token_from_a_run_decodes_verifies_and_passes_every_check() {
    let (access, _, iat) = tokens();
    let now = (iat + 60).to_string();

    let run = tutorial(&["decode", &access, "--now", &now]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_transcript!("decode_access_token", run.stdout);
    assert!(
        run.stdout.contains("signature: RS256, verified"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("✔ exp: valid for"));
    assert!(run.stdout.contains("✔ aud: Microsoft Graph"));
    assert!(!run.stdout.contains('✘'), "{}", run.stdout);
}

#[test]
fn the_claims_carry_the_same_meanings_as_in_step_4() {
    let (access, _, iat) = tokens();
    let now = (iat + 60).to_string();

    let run = tutorial(&["decode", &access, "--now", &now]);

    let meaning = graph_oauth_tutorial::lessons::claim(Lang::En, "scp").expect("scp has a meaning");
    let first_words: String = meaning.chars().take(20).collect();
    assert!(
        run.stdout.contains(&first_words.replace('`', "")),
        "{}",
        run.stdout
    );
}

#[test]
fn an_expired_token_fails_its_exp_check_with_the_reason_and_exit_code_1() {
    let (access, _, iat) = tokens();
    let later = (iat + 3 * 3600).to_string();

    let run = tutorial(&["decode", &access, "--now", &later]);

    assert_eq!(run.status, 1);
    assert!(run.stdout.contains("✘ exp: expired"), "{}", run.stdout);
    assert!(
        run.stderr.contains("these checks failed: exp"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_token_not_yet_valid_fails_its_nbf_check() {
    let (access, _, iat) = tokens();
    let earlier = (iat - 3600).to_string();

    let run = tutorial(&["decode", &access, "--now", &earlier]);

    assert_eq!(run.status, 1);
    assert!(
        run.stdout.contains("✘ nbf: not valid before"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_altered_token_fails_its_signature() {
    let (access, _, iat) = tokens();
    let mut parts: Vec<String> = access.split('.').map(str::to_owned).collect();
    let claims = URL_SAFE_NO_PAD.decode(&parts[1]).expect("base64url");
    let edited = String::from_utf8(claims)
        .expect("UTF-8")
        .replace("User.Read", "User.ReadWrite");
    parts[1] = URL_SAFE_NO_PAD.encode(edited);
    let now = (iat + 60).to_string();

    let run = tutorial(&["decode", &parts.join("."), "--now", &now]);

    assert_eq!(run.status, 1);
    assert!(run.stdout.contains("does NOT verify"), "{}", run.stdout);
    assert!(
        run.stderr.contains("checks failed: signature"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_id_token_is_for_the_app_and_graph_refuses_it() {
    let (_, id, iat) = tokens();
    let now = (iat + 60).to_string();

    let run = tutorial(&["decode", &id, "--now", &now]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("an id token, for the app to read; Graph refuses it")
    );
}

#[test]
fn a_token_on_stdin_with_its_bearer_prefix_is_read() {
    let (access, _, iat) = tokens();
    let now = (iat + 60).to_string();

    let run = decode_stdin(&["--now", &now], &format!("Bearer {access}\n"));

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("verified"));
}

#[test]
fn garbage_gets_one_line_and_exit_code_2() {
    for garbage in ["hello", "a.b.c", "eyJhbGciOiJub25lIn0.bm90IGpzb24.", ""] {
        let run = decode_stdin(&[], garbage);

        assert_eq!(run.status, 2, "{garbage}: {}", run.stderr);
        assert_eq!(
            run.stderr.trim().lines().count(),
            1,
            "{garbage}: {}",
            run.stderr
        );
        assert!(run.stderr.starts_with("error: not a JWT"), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{garbage}: {}", run.stdout);
    }
}

#[test]
fn a_jwks_flag_that_is_not_a_url_is_a_usage_error() {
    let (access, _, _) = tokens();

    let run = tutorial(&["decode", &access, "--jwks", "ftp://keys"]);

    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("--jwks"), "{}", run.stderr);
}

#[tokio::test]
async fn the_signature_is_checked_against_a_key_set_fetched_from_a_url() {
    let (access, _, iat) = tokio::task::spawn_blocking(tokens).await.expect("a run");
    let mock = graph_mock::MockServer::start(graph_mock::Config::default())
        .await
        .expect("a mock starts");
    let keys = format!("{}/common/discovery/v2.0/keys", mock.uri());
    let now = (iat + 60).to_string();

    let run = tokio::task::spawn_blocking(move || {
        tutorial(&["decode", &access, "--now", &now, "--jwks", &keys])
    })
    .await
    .expect("a run");

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("keys: the key set at http://127.0.0.1:")
    );
    assert!(run.stdout.contains("verified"));
}

#[test]
fn an_unreachable_key_set_says_so() {
    let (access, _, _) = tokens();

    let run = tutorial(&["decode", &access, "--jwks", "http://127.0.0.1:1/keys"]);

    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("could not reach"), "{}", run.stderr);
}

#[test]
fn a_decoded_token_fits_80_columns_in_both_languages() {
    let (access, id, iat) = tokens();
    let now = (iat + 60).to_string();
    let dir = tempfile::tempdir().expect("a temp dir");
    for lang in ["en", "zh-CN"] {
        for token in [&access, &id] {
            let args = ["--lang", lang, "decode", token.as_str(), "--now", &now];
            let run = support::tutorial_with_env(
                dir.path(),
                &args,
                &[("NO_COLOR", "1"), ("COLUMNS", "80")],
            );
            assert_eq!(run.status, 0, "{}", run.stderr);
            for line in run.stdout.lines() {
                assert!(
                    line.width() <= 80,
                    "{lang}: {} columns: {line}",
                    line.width()
                );
            }
        }
    }
}

//! `tutorial --flow device`: the device code flow (RFC 8628) walked in the same printed
//! style. A public client (no secret, no reply URL), the codes, one poll that hears
//! `authorization_pending`, the person's part on the mock's pages, the poll that brings the
//! tokens, then Graph. Checked against the built-in mock as a learner would run it.

mod support;

use support::{tutorial, tutorial_in, words};

const DEVICE: [&str; 6] = [
    "--yes",
    "--deterministic",
    "--port",
    "0",
    "--flow",
    "device",
];

fn run_ok(extra: &[&str]) -> String {
    let run = tutorial(&[&DEVICE[..], extra].concat());
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    run.stdout
}

/// The part of a transcript from step `n`'s title bar to the next one, as words.
fn step(transcript: &str, n: u8) -> String {
    let start = transcript
        .find(&format!("Step {n} of 5"))
        .unwrap_or_else(|| panic!("no step {n}:\n{transcript}"));
    let rest = &transcript[start..];
    let end = rest
        .find(&format!("Step {} of 5", n + 1))
        .unwrap_or(rest.len());
    words(&rest[..end])
}

#[test]
fn the_device_flow_prints_the_same_transcript() {
    assert_transcript!("device_flow", run_ok(&[]));
}

#[test]
fn each_step_does_what_the_device_code_flow_does() {
    let out = run_ok(&[]);
    let (one, two, three, four, five) = (
        step(&out, 1),
        step(&out, 2),
        step(&out, 3),
        step(&out, 4),
        step(&out, 5),
    );

    // 1: a public client, registered without a reply URL, and no secret added.
    assert!(one.contains("\"isFallbackPublicClient\": true"), "{one}");
    assert!(!one.contains("/addPassword"), "{one}");
    assert!(
        one.contains("none: a public client keeps no secret"),
        "{one}"
    );

    // 2: the codes, asked for with the client ID and scopes only; the device code masked.
    assert!(two.contains("/oauth2/v2.0/devicecode"), "{two}");
    assert!(!two.contains("client_secret"), "{two}");
    assert!(two.contains("\"device_code\": \"DAQ… [masked"), "{two}");
    assert!(two.contains("\"user_code\""), "{two}");

    // 3: one poll hears authorization_pending; then the person types the code and signs in.
    assert!(
        three.contains("\"error\": \"authorization_pending\""),
        "{three}"
    );
    assert!(three.contains("the tutorial types"), "{three}");
    assert!(three.contains("the device code is approved"), "{three}");

    // 4: the poll that brings the tokens, checked like the code flow's, without a secret.
    assert!(
        four.contains("grant_type urn:ietf:params:oauth:grant-type:device_code"),
        "{four}"
    );
    assert!(!four.contains("client_secret"), "{four}");
    assert!(four.contains("\"access_token\": \"eyJ… [masked"), "{four}");
    assert!(
        four.contains("signature: RS256, verified with the published key"),
        "{four}"
    );

    // 5: Graph, with the token the device got.
    assert!(five.contains("202 Accepted"), "{five}");
    assert!(out.contains("All five steps done"));
}

#[test]
fn the_steps_are_named_for_the_device_code_flow_in_both_languages() {
    let english = run_ok(&[]);
    assert!(english.contains("Step 2 of 5: ask for a device code and a user code"));
    assert!(english.contains("Step 4 of 5: poll for the tokens"));
    let chinese = run_ok(&["--lang", "zh-CN"]);
    assert!(chinese.contains("申请设备代码和用户代码"), "{chinese}");
    assert!(chinese.contains("轮询令牌"), "{chinese}");
    assert!(words(&chinese).contains("设备代码流"), "{chinese}");
}

#[test]
fn step_4_alone_replays_the_earlier_steps_quietly_and_polls_once() {
    let out = run_ok(&["--step", "4"]);
    let shown = words(&out);
    assert!(shown.contains("replaying steps 1 to 3"), "{shown}");
    assert_eq!(out.matches("Step 4 of 5").count(), 1, "{out}");
    assert!(!out.contains("Step 3 of 5"), "{out}");
    assert!(out.contains("\"access_token\""), "{out}");
}

/// The saved progress after `--step N` (the built-in mock of each run starts afresh, so
/// each run replays what it needs).
fn saved_after(step: &str) -> serde_json::Value {
    let state = tempfile::tempdir().expect("a temp dir");
    let run = tutorial_in(state.path(), &[&DEVICE[..], &["--step", step]].concat());
    assert_eq!(run.status, 0, "{}", run.stderr);
    let saved = std::fs::read_to_string(state.path().join("progress.json")).expect("saved");
    serde_json::from_str(&saved).expect("JSON")
}

#[test]
fn the_saved_progress_holds_no_secret_and_the_device_code_is_dropped_once_spent() {
    let saved = saved_after("3");
    assert_eq!(saved["flow"], "Device");
    assert!(saved["app"]["client_secret"].is_null(), "{saved}");
    assert!(saved["app"]["redirect_uri"].is_null(), "{saved}");
    assert_eq!(saved["device"]["signed_in"], true, "{saved}");
    assert!(saved["device"]["device_code"].is_string(), "{saved}");

    let saved = saved_after("4");
    assert!(saved["device"].is_null(), "{saved}");
    assert!(saved["tokens"]["access"].is_string(), "{saved}");
}

#[test]
fn the_v2_flow_keeps_its_secret_and_reply_url() {
    let state = tempfile::tempdir().expect("a temp dir");
    let args = ["--yes", "--deterministic", "--port", "0", "--step", "1"];
    let run = tutorial_in(state.path(), &args);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let saved = std::fs::read_to_string(state.path().join("progress.json")).expect("saved");
    let saved: serde_json::Value = serde_json::from_str(&saved).expect("JSON");
    assert!(saved["app"]["client_secret"].is_string(), "{saved}");
    assert!(saved["app"]["redirect_uri"].is_string(), "{saved}");
}

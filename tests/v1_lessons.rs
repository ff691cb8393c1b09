//! `--flow v1` teaches what v1 requests carry: its steps 2 to 4 have their own text, with no
//! talk of a `state`, `nonce` or PKCE verifier that the requests beside it do not send.

mod support;

use support::tutorial;

/// `text` without its whitespace, so that a phrase is found wherever the terminal's width
/// wrapped it.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

/// The part of a transcript from step `n`'s title bar to the next one, squeezed.
fn step(transcript: &str, n: u8) -> String {
    let start = transcript
        .find(&format!("Step {n} of 5"))
        .unwrap_or_else(|| panic!("no step {n}:\n{transcript}"));
    let rest = &transcript[start..];
    let end = rest
        .find(&format!("Step {} of 5", n + 1))
        .unwrap_or(rest.len());
    squeezed(&rest[..end])
}

fn has(haystack: &str, phrase: &str) -> bool {
    haystack.contains(&squeezed(phrase))
}

#[test]
fn the_v1_steps_say_what_v1_requests_carry_not_what_v2_adds() {
    let run = tutorial(&["--yes", "--deterministic", "--port", "0", "--flow", "v1"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let (two, three, four) = (
        step(&run.stdout, 2),
        step(&run.stdout, 3),
        step(&run.stdout, 4),
    );

    // The requests themselves carry none of v2.0's protections…
    assert!(
        !has(&two, "state=") && !has(&two, "code_challenge="),
        "{two}"
    );
    // …and the lessons beside them do not claim them.
    assert!(has(&two, "v1 authorize endpoint"), "{two}");
    assert!(!has(&two, "Three values are made fresh"), "{two}");
    assert!(!has(&three, "checks state before anything else"), "{three}");
    assert!(has(&three, "nothing to check"), "{three}");
    assert!(has(&four, "resource=https://graph.microsoft.com"), "{four}");
    assert!(!has(&four, "hashes the verifier"), "{four}");
}

#[test]
fn the_v2_steps_keep_their_own_text() {
    let run = tutorial(&["--yes", "--deterministic", "--port", "0"]);
    assert_eq!(run.status, 0, "{}", run.stderr);

    let two = step(&run.stdout, 2);
    assert!(has(&two, "Three values are made fresh"), "{two}");
    assert!(!has(&two, "v1 authorize endpoint"), "{two}");
}

#[test]
fn the_v1_steps_speak_chinese_too() {
    let run = tutorial(&[
        "--yes",
        "--deterministic",
        "--port",
        "0",
        "--flow",
        "v1",
        "--lang",
        "zh-CN",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let transcript = squeezed(&run.stdout);

    assert!(has(&transcript, "v1 的授权终结点"), "{transcript}");
    assert!(has(&transcript, "监听器没有什么可检查的"), "{transcript}");
    assert!(!has(&transcript, "有三个值是为这"), "{transcript}");
}

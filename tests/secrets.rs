//! No secret value appears unmasked anywhere in a default transcript.

mod support;

use support::tutorial;

/// The value after `label` up to the end of the line, from a `--show-secrets` transcript.
fn values_after<'a>(text: &'a str, label: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|line| line.trim_start().strip_prefix(label))
        .map(|rest| rest.trim().trim_end_matches(',').trim_matches('"'))
        .filter(|value| value.len() > 8)
        .collect()
}

#[test]
fn no_secret_appears_unmasked_in_the_default_transcript() {
    let args = ["--yes", "--deterministic", "--port", "0"];
    let masked = tutorial(&args);
    let mut shown_args = args.to_vec();
    shown_args.push("--show-secrets");
    let shown = tutorial(&shown_args);
    assert_eq!(masked.status, 0, "{}", masked.stderr);
    assert_eq!(shown.status, 0, "{}", shown.stderr);

    // Deterministic mode makes both runs use the same secrets; read them from the open one.
    let mut secrets: Vec<&str> = Vec::new();
    for label in [
        "client_secret ",
        "code ",
        "code_verifier ",
        "\"secretText\":",
        "\"refresh_token\":",
        "app key (client secret) ",
    ] {
        secrets.extend(values_after(&shown.stdout, label));
    }
    secrets.push(graph_mock::fixtures::PORTAL_APP.client_secret);
    assert!(secrets.len() >= 7, "too few secrets found: {secrets:?}");
    for secret in &secrets {
        assert!(shown.stdout.contains(secret));
        assert!(
            !masked.stdout.contains(secret),
            "unmasked secret in the transcript: {secret}"
        );
        assert!(!masked.stderr.contains(secret));
    }

    // Tokens carry the port, so they differ between runs: look for anything JWT-shaped.
    let jwt = regex::Regex::new(r"eyJ[A-Za-z0-9_-]{10,}\.").expect("pattern");
    assert!(jwt.is_match(&shown.stdout));
    assert!(
        !jwt.is_match(&masked.stdout),
        "a token in the default transcript"
    );
}

//! The failure lessons, pinned: each `tutorial break NAME` in deterministic mode prints the
//! same transcript, fails with its own code first and succeeds after the fix.

mod support;

use support::tutorial;

fn run_lesson(name: &str) -> String {
    let run = tutorial(&["--deterministic", "break", name]);
    assert_eq!(run.status, 0, "{name}: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{name}: {}", run.stderr);
    run.stdout
}

/// The broken exchange comes before the fixed one, and each says how it ended.
fn assert_broken_then_fixed(transcript: &str, code: &str) {
    let broken = transcript.find("▸ Get it wrong").expect("a broken request");
    let refused = transcript
        .find(&format!("✘ {code}"))
        .expect("the refusal, with its code");
    let fixed = transcript
        .find("▸ Put it right")
        .expect("a corrected request");
    let succeeded = transcript.rfind("✔ ").expect("a success");
    assert!(broken < refused && refused < fixed && fixed < succeeded);
}

macro_rules! lesson_tests {
    ($($test:ident: $name:literal => $code:literal,)*) => {$(
        #[test]
        fn $test() {
            let transcript = run_lesson($name);

            assert_broken_then_fixed(&transcript, $code);
            assert_transcript!(concat!("break_", $name), transcript);
        }
    )*};
}

lesson_tests! {
    an_unregistered_reply_url_gets_the_aadsts50011_error_page: "reply-url-not-registered" => "AADSTS50011",
    a_single_tenant_app_on_common_gets_the_aadsts50194_error_page: "single-tenant-on-common" => "AADSTS50194",
    a_tampered_state_is_refused_by_the_apps_own_check: "state-tampered" => "state",
    a_reply_url_that_differs_at_the_token_endpoint_gets_aadsts500112: "reply-url-differs" => "AADSTS500112",
    the_secrets_id_sent_as_the_secret_gets_aadsts7000215: "wrong-secret" => "AADSTS7000215",
    a_public_client_sending_a_secret_gets_aadsts700025: "public-client-secret" => "AADSTS700025",
    a_confidential_client_sending_no_secret_gets_aadsts7000218: "missing-secret" => "AADSTS7000218",
    a_code_redeemed_twice_gets_aadsts54005_and_the_refresh_token_works: "code-redeemed-twice" => "AADSTS54005",
    a_code_redeemed_after_eleven_minutes_gets_aadsts70008: "code-expired" => "AADSTS70008",
    a_verifier_that_does_not_match_gets_aadsts501481: "pkce-mismatch" => "AADSTS501481",
    the_seeds_resource_parameter_on_v2_gets_aadsts901002: "resource-on-v2" => "AADSTS901002",
    an_altered_token_gets_invalid_authentication_token: "token-altered" => "InvalidAuthenticationToken",
    an_expired_token_gets_invalid_authentication_token_and_a_refresh_fixes_it: "token-expired" => "InvalidAuthenticationToken",
    send_mail_without_mail_send_gets_403_error_access_denied: "no-mail-send" => "ErrorAccessDenied",
    an_expired_client_secret_gets_aadsts7000222_and_a_new_secret_fixes_it: "client-secret-expired" => "AADSTS7000222",
    the_id_token_sent_to_graph_gets_invalid_authentication_token: "id-token-to-graph" => "InvalidAuthenticationToken",
    the_apps_own_token_without_scope_gets_aadsts90014: "missing-scope" => "AADSTS90014",
    response_type_token_gets_aadsts700051: "response-type-token" => "AADSTS700051",
    response_type_id_token_gets_aadsts700054: "response-type-id-token" => "AADSTS700054",
    a_permission_only_an_admin_may_grant_gets_the_aadsts90094_page: "admin-consent-required" => "AADSTS90094",
    a_user_of_another_tenant_gets_the_aadsts50020_page: "user-from-another-tenant" => "AADSTS50020",
    a_code_redeemed_at_another_tenant_gets_aadsts700005: "code-for-another-tenant" => "AADSTS700005",
    a_silent_refresh_for_a_new_permission_gets_aadsts65001: "not-consented" => "AADSTS65001",
    a_web_apps_code_redeemed_from_a_page_gets_aadsts9002326: "web-code-from-a-page" => "AADSTS9002326",
}

/// The part of a transcript between two headings: the broken exchange, or the fixed one.
fn between<'a>(transcript: &'a str, from: &str, to: &str) -> &'a str {
    let start = transcript.find(from).expect("the first heading");
    let end = transcript[start..]
        .find(to)
        .map_or(transcript.len(), |at| start + at);
    &transcript[start..end]
}

#[test]
fn tokens_asked_for_in_the_redirect_are_refused_in_its_fragment() {
    for (name, code) in [
        ("response-type-token", "AADSTS700051"),
        ("response-type-id-token", "AADSTS700054"),
    ] {
        let transcript = run_lesson(name);
        let broken = between(&transcript, "▸ Get it wrong", "▸ Put it right");

        assert!(broken.contains("← 302 Found"), "{name}");
        assert!(
            broken.contains("/#error=unsupported_response_type"),
            "{name}: the error is in the fragment:\n{broken}"
        );
        assert!(
            broken.contains(&format!("error_description={code}")),
            "{name}"
        );
        let fixed = between(&transcript, "▸ Put it right", "Explain it");
        assert!(fixed.contains("&response_type=code"), "{name}");
        assert!(fixed.contains("?code="), "{name}: the fix gets a code");
    }
}

#[test]
fn the_user_of_another_tenant_is_named_with_his_own_tenant_as_identity_provider() {
    let transcript = run_lesson("user-from-another-tenant");
    let words = support::words(&transcript);

    assert!(words.contains("User account 'DiegoS@fabrikam.onmicrosoft.com' from identity provider 'https://sts.windows.net/0c8e3b7a-5f2d-4e9b-8a61-d4f2c7b9e305/' does not exist in tenant 'Contoso'"));
    let fixed = between(&transcript, "▸ Put it right", "Explain it");
    assert!(
        fixed.contains("login_hint=MeganB%40contoso.onmicrosoft.com"),
        "{fixed}"
    );
}

#[test]
fn the_code_refused_at_another_tenant_is_redeemed_unchanged_at_its_own() {
    let run = tutorial(&[
        "--deterministic",
        "--show-secrets",
        "break",
        "code-for-another-tenant",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let broken = between(&run.stdout, "▸ Get it wrong", "▸ Put it right");
    let fixed = between(&run.stdout, "▸ Put it right", "Explain it");
    let code = |part: &str| -> String {
        let line = part
            .lines()
            .find(|line| line.trim_start().starts_with("code "))
            .expect("the form shows its code");
        line.trim_start()["code".len()..].trim().to_owned()
    };

    assert!(
        broken.contains("/fabrikam.onmicrosoft.com/oauth2/v2.0/token"),
        "{broken}"
    );
    assert!(
        fixed.contains("/contoso.onmicrosoft.com/oauth2/v2.0/token"),
        "{fixed}"
    );
    assert_eq!(
        code(broken),
        code(fixed),
        "the same code, not spent by the refusal"
    );
    assert!(fixed.contains("← 200 OK"));
}

#[test]
fn a_refresh_for_a_permission_never_consented_says_consent_required_and_works_after_consent() {
    let transcript = run_lesson("not-consented");
    let broken = between(&transcript, "▸ Get it wrong", "▸ Put it right");
    let fixed = between(&transcript, "▸ Put it right", "Explain it");

    assert!(
        broken.contains("\"suberror\": \"consent_required\""),
        "{broken}"
    );
    assert!(broken.contains("scope          Mail.ReadWrite"), "{broken}");
    assert!(fixed.contains("\"scope\": \"Mail.ReadWrite"), "{fixed}");
}

#[test]
fn a_web_apps_code_is_refused_with_a_pages_origin_and_redeemed_without_one() {
    let transcript = run_lesson("web-code-from-a-page");
    let broken = between(&transcript, "▸ Get it wrong", "▸ Put it right");
    let fixed = between(&transcript, "▸ Put it right", "Explain it");

    assert!(broken.contains("origin: http://localhost:8000"), "{broken}");
    assert!(broken.contains("Cross-origin token redemption"), "{broken}");
    assert!(!fixed.to_lowercase().contains("origin: "), "{fixed}");
    assert!(fixed.contains("← 200 OK"), "{fixed}");
}

#[test]
fn every_lesson_is_pinned_here() {
    let source = include_str!("breaks.rs");
    for lesson in &graph_oauth_tutorial::breaks::LESSONS {
        assert!(
            source.contains(&format!("\"{}\" => ", lesson.name)),
            "{} has no pinned test",
            lesson.name
        );
    }
}

#[test]
fn the_list_names_every_lesson_with_its_step() {
    let run = tutorial(&["break"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_transcript!("break_list", run.stdout);
}

#[test]
fn an_unknown_lesson_is_a_usage_error_that_points_at_the_list() {
    let run = tutorial(&["break", "no-such-lesson"]);

    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("no-such-lesson"), "{}", run.stderr);
    assert!(run.stderr.contains("try: tutorial break"), "{}", run.stderr);
}

#[test]
fn a_lesson_prints_the_real_error_body_with_the_mocks_message() {
    let transcript = run_lesson("code-redeemed-twice");

    assert!(transcript.contains("\"error\": \"invalid_grant\""));
    // The description wraps to the screen: read it with its line breaks as spaces.
    let words = transcript.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("AADSTS54005: OAuth2 Authorization code was already redeemed"));
}

#[test]
fn no_secret_appears_unmasked_in_a_lesson() {
    let transcript = run_lesson("wrong-secret");

    assert!(!transcript.contains(graph_mock::fixtures::WEB_APP.client_secret));
}

#[test]
fn a_graph_error_code_is_shown_whole_because_it_is_not_a_secret() {
    for (name, code) in [
        ("no-mail-send", "ErrorAccessDenied"),
        ("token-altered", "InvalidAuthenticationToken"),
        ("token-expired", "InvalidAuthenticationToken"),
    ] {
        let transcript = run_lesson(name);

        assert!(
            transcript.contains(&format!("\"code\": \"{code}\"")),
            "{name}: the error body hides its code:\n{transcript}"
        );
        assert!(!transcript.contains("\"code\": \"Err…"), "{name}");
    }
}

#[test]
fn a_misspelt_lesson_name_gets_did_you_mean() {
    let run = tutorial(&["break", "wrong-secert"]);

    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains("try: tutorial break wrong-secret (did you mean it?)"),
        "{}",
        run.stderr
    );
}

#[test]
fn without_a_terminal_or_with_yes_no_prediction_is_asked() {
    for args in [
        &["--deterministic", "break", "wrong-secret"][..],
        &["--deterministic", "break", "wrong-secret", "--yes"],
    ] {
        let run = tutorial(args);

        assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
        assert!(!run.stdout.contains("predict what comes back"), "{args:?}");
        assert!(!run.stdout.contains("You predicted it"), "{args:?}");
    }
}

#[test]
fn yes_after_the_lesson_name_is_taken() {
    let run = tutorial(&["--deterministic", "break", "wrong-secret", "--yes"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("▸ Put it right"));
}

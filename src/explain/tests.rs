//! `explain`: codes, OAuth error values and pasted answers, read and explained.

use super::*;

#[test]
fn a_code_is_read_from_every_form_a_learner_pastes() {
    let cases = [
        ("AADSTS50011", Asked::Aadsts(50011)),
        ("50011", Asked::Aadsts(50011)),
        ("aadsts7000215", Asked::Aadsts(7000215)),
        (
            r#"{"error":"invalid_grant","error_description":"AADSTS54005: OAuth2 Authorization code was already redeemed","error_codes":[54005]}"#,
            Asked::Aadsts(54005),
        ),
        (
            "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\r\nTrace ID: x",
            Asked::Aadsts(70008),
        ),
        (
            "http://127.0.0.1:8000/connect/get_token/?error=invalid_request&error_description=AADSTS901002%3a+The",
            Asked::Aadsts(901002),
        ),
        (
            r#"{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}"#,
            Asked::Graph("ErrorAccessDenied".into()),
        ),
        (
            "ErrorAccessDenied",
            Asked::Graph("ErrorAccessDenied".into()),
        ),
    ];

    for (input, expected) in cases {
        assert_eq!(read_input(input), Some(expected), "{input}");
    }
}

#[test]
fn text_that_names_no_code_is_not_mistaken_for_one() {
    assert_eq!(read_input("it does not work"), None);
    assert_eq!(read_input(""), None);
}

#[test]
fn every_code_the_mock_can_send_is_explained_in_every_language() {
    for lang in Lang::ALL {
        for row in mock_table() {
            let explained = explanation(lang, &row.key);
            assert!(
                explained.is_some(),
                "{} has no explanation in {lang:?}",
                row.key
            );
            let text = explained.map(|e| e.text).unwrap_or_default();
            assert!(
                text.lines().count() >= 3,
                "{} in {lang:?} is too short",
                row.key
            );
        }
    }
}

#[test]
fn every_explanation_is_of_a_code_the_mock_can_send() {
    let table = mock_table();
    for lang in Lang::ALL {
        for explained in explanations(lang) {
            assert!(
                table.iter().any(|row| row.key == explained.key),
                "{} is explained in {lang:?} but the mock never sends it",
                explained.key
            );
            assert!(explained.step.is_some(), "{} names no step", explained.key);
        }
    }
}

#[test]
fn oauth_error_values_are_read_as_such_and_graph_codes_are_not() {
    let oauth = |s: &str| Some(Asked::OAuth(s.to_owned()));
    assert_eq!(read_input("invalid_grant"), oauth("invalid_grant"));
    assert_eq!(
        read_input("\"consent_required\""),
        oauth("consent_required")
    );
    assert_eq!(
        read_input(r#"{"error":"slow_down","error_description":"poll slower"}"#),
        oauth("slow_down")
    );
    assert_eq!(
        read_input("http://127.0.0.1:8000/cb?error=login_required&state=x"),
        oauth("login_required")
    );
    assert_eq!(
        read_input("Request_BadRequest"),
        Some(Asked::Graph("Request_BadRequest".into()))
    );
}

#[test]
fn every_oauth_error_value_is_explained_alike_in_both_languages() {
    let english = oauth_explanations(Lang::En);
    let chinese = oauth_explanations(Lang::ZhCn);
    assert!(english.len() >= 19, "{}", english.len());
    assert_eq!(english.len(), chinese.len());
    for (en, zh) in english.iter().zip(&chinese) {
        assert_eq!((en.key, en.step, en.lesson), (zh.key, zh.step, zh.lesson));
        assert!(en.text.contains("**Fix.**"), "{}", en.key);
        assert!(zh.text.contains("**怎么改。**"), "{}", zh.key);
    }
}

#[test]
fn every_error_value_the_mock_sends_is_explained() {
    for row in mock_table().iter().filter(|r| r.key.starts_with("AADSTS")) {
        assert!(
            oauth_explanation(Lang::En, &row.error).is_some(),
            "{}",
            row.error
        );
    }
}

#[test]
fn a_lesson_named_for_an_oauth_error_shows_a_code_sent_with_that_error() {
    for explained in oauth_explanations(Lang::En) {
        let Some(name) = explained.lesson else {
            continue;
        };
        let code = crate::breaks::find(name).map(|lesson| lesson.code).ok();
        let row = mock_table()
            .into_iter()
            .find(|r| Some(r.key.as_str()) == code);
        assert_eq!(
            row.map(|r| r.error),
            Some(explained.key.to_owned()),
            "{name}"
        );
    }
}

#[test]
fn both_languages_agree_on_each_codes_step_and_lesson() {
    let english = explanations(Lang::En);
    let chinese = explanations(Lang::ZhCn);
    assert_eq!(english.len(), chinese.len());
    for (en, zh) in english.iter().zip(&chinese) {
        assert_eq!(en.key, zh.key);
        assert_eq!(en.step, zh.step, "{}", en.key);
        assert_eq!(en.lesson, zh.lesson, "{}", en.key);
    }
}

//! Graph's limits, held against a learner who pushes on them: names and reply URLs, unsafe
//! reply URLs, admin-only permissions, recipients, mailbox pages, and the pages' security
//! policy.

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

mod support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

async fn register(mock: &graph_mock::MockServer, body: &Value) -> reqwest::Response {
    let portal = portal_token(mock).await;
    graph_post(mock, "/v1.0/applications", &portal, body).await
}

fn named(name: &str) -> Value {
    let mut body = application_body(&[REDIRECT_URI], &[]);
    body["displayName"] = json!(name);
    body
}

#[tokio::test]
async fn a_display_name_of_more_than_256_characters_is_refused() {
    let mock = start().await;

    let megabyte = register(&mock, &named(&"x".repeat(1024 * 1000))).await;
    let just_over = register(&mock, &named(&"é".repeat(257))).await;
    let at_the_limit = register(&mock, &named(&"é".repeat(256))).await;

    let body = assert_graph_error(megabyte, 400, "Request_BadRequest").await;
    assert!(body.to_string().contains("displayName"));
    assert_graph_error(just_over, 400, "Request_BadRequest").await;
    assert_eq!(at_the_limit.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn reply_urls_are_held_to_256_of_256_characters() {
    let mock = start().await;
    let long = |n: usize| format!("https://app.example/{}", "a".repeat(n - 20));
    let many: Vec<String> = (0..256).map(|i| format!("{}{i:03}", long(253))).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let too_many: Vec<String> = (0..257)
        .map(|i| format!("https://app.example/{i}"))
        .collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();

    let full = register(&mock, &application_body(&many, &[])).await;
    let one_more = register(&mock, &application_body(&too_many, &[])).await;
    let too_long = register(&mock, &application_body(&[&long(257)], &[])).await;

    assert_eq!(full.status(), StatusCode::CREATED);
    assert_graph_error(one_more, 400, "Request_BadRequest").await;
    assert_graph_error(too_long, 400, "Request_BadRequest").await;
}

#[tokio::test]
async fn reply_urls_that_would_run_or_hide_something_are_refused() {
    let mock = start().await;
    let web = [
        "javascript:alert(document.domain)",
        "JavaScript://127.0.0.1/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "https://app.example/callback#fragment",
        "https://app.example/call\tback",
        "https://app.example/call\nback",
        "https://user:pass@app.example/callback",
        "https://user@app.example/callback",
    ];
    let native = [
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///tmp/x",
        "vbscript:x",
    ];

    for uri in web {
        let response = register(&mock, &application_body(&[uri], &[])).await;
        assert_graph_error(response, 400, "Request_BadRequest").await;
    }
    for uri in native {
        let response = register(&mock, &application_body(&[], &[uri])).await;
        assert_graph_error(response, 400, "Request_BadRequest").await;
    }
    let own_scheme = register(&mock, &application_body(&[], &["msal1234://auth"])).await;
    assert_eq!(
        own_scheme.status(),
        StatusCode::CREATED,
        "a native app's own scheme is fine"
    );
}

#[tokio::test]
async fn a_demo_user_cannot_consent_to_application_read_write_all() {
    for mock in [start().await, start_interactive().await] {
        let response = authorize(
            &mock,
            "common",
            &[("scope", Some("openid Application.ReadWrite.All"))],
        )
        .await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(
            response.headers().get("location").is_none(),
            "no code is issued"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains("AADSTS90094"), "{page}");
        assert!(page.contains("only an admin can grant"));
    }
}

fn mail_with_recipients(addresses: &[&str]) -> Value {
    let recipients: Vec<Value> = addresses
        .iter()
        .map(|address| json!({"emailAddress": {"address": address}}))
        .collect();
    json!({
        "message": {
            "subject": "Hello",
            "body": {"contentType": "Text", "content": "hello"},
            "toRecipients": recipients,
        },
    })
}

async fn inbox_count(mock: &graph_mock::MockServer, token: &str) -> usize {
    let page: Value = graph_get(mock, "/v1.0/me/mailFolders/inbox/messages?$top=1000", token)
        .await
        .json()
        .await
        .unwrap();
    page["value"].as_array().unwrap().len()
}

#[tokio::test]
async fn five_thousand_copies_of_one_recipient_are_refused_fast_and_500_are_delivered_once() {
    let mock = start().await;
    let token = access_token(&mock, "User.Read Mail.Send Mail.Read").await;
    let megan = MEGAN.user_principal_name;

    let started = Instant::now();
    let flood = graph_post(
        &mock,
        "/v1.0/me/sendMail",
        &token,
        &mail_with_recipients(&[megan; 5000]),
    )
    .await;
    let flood_took = started.elapsed();
    let started = Instant::now();
    let allowed = graph_post(
        &mock,
        "/v1.0/me/sendMail",
        &token,
        &mail_with_recipients(&[megan; 500]),
    )
    .await;
    let allowed_took = started.elapsed();

    let body = assert_graph_error(flood, 400, "ErrorInvalidRecipients").await;
    assert!(body.to_string().contains("500"));
    assert_eq!(allowed.status(), StatusCode::ACCEPTED);
    assert_eq!(inbox_count(&mock, &token).await, 1, "one copy per mailbox");
    // Generous for a loaded test machine; fanning out 5,000 copies took tens of seconds.
    assert!(flood_took < Duration::from_secs(5), "{flood_took:?}");
    assert!(allowed_took < Duration::from_secs(5), "{allowed_took:?}");
}

#[tokio::test]
async fn a_full_mailbox_keeps_its_newest_and_a_page_of_one_is_quick() {
    let mock = start().await;
    let token = access_token(&mock, "User.Read Mail.Send Mail.Read").await;
    let mut body = mail_to(MEGAN.user_principal_name);
    body["message"]["body"]["content"] = json!("x".repeat(16_000));
    for round in 0..10 {
        let sends = (0..10).map(|_| graph_post(&mock, "/v1.0/me/sendMail", &token, &body));
        for response in join_all(sends).await {
            assert_eq!(response.status(), StatusCode::ACCEPTED, "round {round}");
        }
    }

    let started = Instant::now();
    for _ in 0..20 {
        let page: Value = graph_get(&mock, "/v1.0/me/messages?$top=1", &token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["value"].as_array().unwrap().len(), 1);
    }
    let took = started.elapsed();

    // 200 copies of 16 KB were sent: the tenant keeps its newest, within its 2 MiB.
    let all: Value = graph_get(&mock, "/v1.0/me/messages?$top=1000", &token)
        .await
        .json()
        .await
        .unwrap();
    let kept = all["value"].as_array().unwrap().len();
    assert!((100..=130).contains(&kept), "{kept}");
    assert!(
        took < Duration::from_secs(5),
        "20 pages of one took {took:?}"
    );
}

#[tokio::test]
async fn every_page_sends_a_security_policy_that_forbids_framing() {
    let mock = start_interactive().await;
    let sign_in = authorize(&mock, "common", &[]).await;
    let error = authorize(&mock, "common", &[("client_id", Some("nobody"))]).await;
    let index = client()
        .get(format!("{}/", mock.uri()))
        .send()
        .await
        .unwrap();
    let auto = start().await;
    let form_post = authorize(&auto, "common", &[("response_mode", Some("form_post"))]).await;

    for (page, posts_to_app) in [
        (sign_in, true),
        (error, false),
        (index, false),
        (form_post, true),
    ] {
        let policy = page
            .headers()
            .get("content-security-policy")
            .expect("a policy")
            .to_str()
            .unwrap()
            .to_owned();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(policy.contains("default-src 'none'"), "{policy}");
        let form_action = policy
            .split(';')
            .find_map(|part| part.trim().strip_prefix("form-action "))
            .expect("form-action");
        let expected = if posts_to_app {
            "'self' http://127.0.0.1:8000"
        } else {
            "'self'"
        };
        assert_eq!(form_action, expected);
    }
}

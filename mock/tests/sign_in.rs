//! The sign-in and consent pages, when the mock does not approve by itself.

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

mod support;

use graph_mock::MockServer;
use reqwest::{Response, StatusCode};
use support::*;

/// Opens the sign-in page and returns its flow ID.
async fn open_sign_in(mock: &MockServer) -> String {
    let page = authorize(mock, "common", &[]).await.text().await.unwrap();
    hidden_field(&page, "flow").expect("the sign-in page carries its flow")
}

async fn pick_user(mock: &MockServer, flow: &str, user: &str) -> Response {
    post_form(mock, "/common/login", &[("flow", flow), ("user", user)]).await
}

async fn decide(mock: &MockServer, flow: &str, user: &str, decision: &str) -> Response {
    post_form(
        mock,
        "/common/consent",
        &[("flow", flow), ("user", user), ("decision", decision)],
    )
    .await
}

#[tokio::test]
async fn authorize_shows_a_sign_in_page_listing_the_demo_users() {
    let mock = start_interactive().await;

    let response = authorize(&mock, "common", &[]).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"<form method="post" action="/common/login">"#));
    assert!(page.contains(MEGAN.display_name) && page.contains(MEGAN.user_principal_name));
    assert!(page.contains(ALEX.display_name) && page.contains(ALEX.user_principal_name));
    assert!(page.contains(WEB_APP.display_name));
    assert!(hidden_field(&page, "flow").is_some());
    assert!(
        page.contains("not Microsoft"),
        "the page says it is the mock"
    );
}

#[tokio::test]
async fn choosing_a_user_shows_the_permissions_in_plain_words() {
    let mock = start_interactive().await;
    let flow = open_sign_in(&mock).await;

    let response = pick_user(&mock, &flow, "1").await;

    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains(ALEX.user_principal_name));
    assert!(page.contains(r#"action="/common/consent""#));
    assert!(page.contains("Sign you in and read your profile"));
    assert!(page.contains("Send mail as you"));
    assert!(page.contains("Maintain access to data you have given it access to"));
    assert!(page.contains(r#"value="accept""#) && page.contains(r#"value="cancel""#));
    assert_eq!(hidden_field(&page, "flow"), Some(flow));
}

#[tokio::test]
async fn accepting_redirects_with_a_code_for_the_chosen_user() {
    let mock = start_interactive().await;
    let flow = open_sign_in(&mock).await;
    pick_user(&mock, &flow, "1").await;

    let response = decide(&mock, &flow, "1", "accept").await;

    assert_eq!(response.status(), StatusCode::FOUND);
    let params = redirect_params(&response);
    assert_eq!(param(&params, "state"), Some("s-123"));
    let code = param(&params, "code").expect("a code").to_owned();
    let tokens: serde_json::Value = redeem(&mock, &code, &[]).await.json().await.unwrap();
    let me: serde_json::Value =
        graph_get(&mock, "/v1.0/me", tokens["access_token"].as_str().unwrap())
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(me["displayName"], "Alex Wilber");
    assert_eq!(me["id"], ALEX.id);
}

#[tokio::test]
async fn cancelling_redirects_with_access_denied_aadsts65004_and_the_state() {
    let mock = start_interactive().await;
    let flow = open_sign_in(&mock).await;
    pick_user(&mock, &flow, "0").await;

    let response = decide(&mock, &flow, "0", "cancel").await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(location(&response).starts_with(REDIRECT_URI));
    let params = redirect_params(&response);
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert_eq!(param(&params, "error_subcode"), Some("cancel"));
    assert!(
        param(&params, "error_description")
            .unwrap()
            .starts_with("AADSTS65004: ")
    );
    assert_eq!(param(&params, "state"), Some("s-123"));
    assert_eq!(param(&params, "code"), None);
}

#[tokio::test]
async fn a_used_flow_cannot_be_used_again() {
    let mock = start_interactive().await;
    let flow = open_sign_in(&mock).await;
    pick_user(&mock, &flow, "0").await;
    let first = decide(&mock, &flow, "0", "accept").await;

    let again = decide(&mock, &flow, "0", "accept").await;
    let back_to_login = pick_user(&mock, &flow, "0").await;

    assert_eq!(first.status(), StatusCode::FOUND);
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.headers().get("location").is_none());
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("This sign-in has ended")
    );
    assert_eq!(back_to_login.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_unknown_or_missing_flow_shows_the_ended_page() {
    let mock = start_interactive().await;

    let unknown = pick_user(&mock, "no-such-flow", "0").await;
    let missing = post_form(&mock, "/common/consent", &[("decision", "accept")]).await;

    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    assert!(missing.headers().get("location").is_none());
}

#[tokio::test]
async fn a_sign_in_page_left_open_past_ten_minutes_stops_working() {
    let mock = start_interactive().await;
    let flow = open_sign_in(&mock).await;

    mock.advance_clock(std::time::Duration::from_secs(11 * 60));
    let response = decide(&mock, &flow, "0", "accept").await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("location").is_none());
}

#[tokio::test]
async fn an_out_of_range_user_falls_back_to_the_first_demo_user() {
    let mock = start_interactive().await;
    let flow = open_sign_in(&mock).await;

    let page = pick_user(&mock, &flow, "99").await.text().await.unwrap();

    assert!(page.contains(MEGAN.user_principal_name));
}

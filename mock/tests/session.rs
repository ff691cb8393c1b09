//! Logout (`end_session_endpoint`), MSAL's instance discovery and the `error_uri` page.

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

mod support;

use reqwest::StatusCode;
use serde_json::Value;
use support::*;

fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn logout_redirects_to_a_registered_address_with_the_state() {
    let mock = start().await;

    let response = get_with_query(
        &mock,
        "/common/oauth2/v2.0/logout",
        &query(&[
            ("client_id", WEB_APP.client_id),
            ("post_logout_redirect_uri", REDIRECT_URI),
            ("state", "bye-1"),
        ]),
    )
    .await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), format!("{REDIRECT_URI}?state=bye-1"));
}

#[tokio::test]
async fn logout_finds_the_app_from_a_valid_id_token_hint() {
    let mock = start().await;
    let tokens = tokens_with_scope(&mock, SCOPE).await;

    let response = get_with_query(
        &mock,
        "/common/oauth2/v2.0/logout",
        &query(&[
            ("id_token_hint", tokens["id_token"].as_str().unwrap()),
            ("post_logout_redirect_uri", REDIRECT_URI),
        ]),
    )
    .await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), REDIRECT_URI);
}

#[tokio::test]
async fn logout_to_an_unregistered_address_stays_on_the_signed_out_page() {
    let mock = start().await;

    let elsewhere = get_with_query(
        &mock,
        "/common/oauth2/v2.0/logout",
        &query(&[
            ("client_id", WEB_APP.client_id),
            ("post_logout_redirect_uri", "https://attacker.example/"),
        ]),
    )
    .await;
    let no_app = get_with_query(
        &mock,
        "/common/oauth2/v2.0/logout",
        &query(&[("post_logout_redirect_uri", REDIRECT_URI)]),
    )
    .await;

    for response in [elsewhere, no_app] {
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get("location").is_none());
        assert!(response.text().await.unwrap().contains("You signed out"));
    }
}

#[tokio::test]
async fn discovery_names_an_end_session_endpoint_that_answers() {
    let mock = start().await;
    let document: Value = client()
        .get(format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let response = client()
        .get(document["end_session_endpoint"].as_str().unwrap())
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn instance_discovery_answers_for_the_mocks_own_host() {
    let mock = start().await;
    let authorize = format!("{}/organizations/oauth2/v2.0/authorize", mock.uri());

    let response = get_with_query(
        &mock,
        "/common/discovery/instance",
        &query(&[
            ("api-version", "1.1"),
            ("authorization_endpoint", &authorize),
        ]),
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let host = mock.uri().trim_start_matches("http://").to_owned();
    assert_eq!(
        body["tenant_discovery_endpoint"],
        format!(
            "{}/organizations/v2.0/.well-known/openid-configuration",
            mock.uri()
        )
    );
    assert_eq!(body["api-version"], "1.1");
    assert_eq!(body["metadata"][0]["preferred_network"], host);
    assert_eq!(body["metadata"][0]["preferred_cache"], host);
    assert_eq!(body["metadata"][0]["aliases"], serde_json::json!([host]));
}

#[tokio::test]
async fn instance_discovery_refuses_another_host_with_aadsts50049() {
    let mock = start().await;

    let response = get_with_query(
        &mock,
        "/common/discovery/instance",
        &query(&[
            ("api-version", "1.1"),
            (
                "authorization_endpoint",
                "https://login.example.net/common/oauth2/v2.0/authorize",
            ),
        ]),
    )
    .await;

    assert_aadsts(response, 400, "invalid_instance", 50049).await;
}

#[tokio::test]
async fn the_error_uri_of_an_error_is_a_page_that_explains_the_code() {
    let mock = start().await;
    let refused = token(&mock, "common", &[("grant_type", "authorization_code")]).await;
    let body: Value = refused.json().await.unwrap();

    let page = client()
        .get(body["error_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap();

    assert_eq!(page.status(), StatusCode::OK);
    let text = page.text().await.unwrap();
    assert!(text.contains("AADSTS900144"), "{text}");
    assert!(text.contains("tutorial explain 900144"));
}

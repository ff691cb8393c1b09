//! The seed's v1 endpoints where they differ from v2.0: client credentials in the v1 shape,
//! and no token for a request that names no `resource` anywhere.

mod support;

use graph_mock::fixtures::TENANT_ID;
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

fn v1_client_credentials(resource: Option<&'static str>) -> Vec<(&'static str, &'static str)> {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", PORTAL_APP.client_id),
        ("client_secret", PORTAL_APP.client_secret),
    ];
    if let Some(resource) = resource {
        form.push(("resource", resource));
    }
    form
}

#[tokio::test]
async fn v1_client_credentials_answer_in_the_v1_shape() {
    let mock = start().await;
    let form = v1_client_credentials(Some("https://graph.microsoft.com"));

    let response = post_form(&mock, &format!("/{TENANT_ID}/oauth2/token"), &form).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], "3599");
    assert_eq!(body["ext_expires_in"], "3599");
    let now = body["not_before"]
        .as_str()
        .expect("a string")
        .parse::<i64>();
    let on = body["expires_on"]
        .as_str()
        .expect("a string")
        .parse::<i64>();
    assert_eq!(on.expect("digits") - now.expect("digits"), 3599);
    assert_eq!(body["resource"], "https://graph.microsoft.com");
    let (_, claims) = decode_jwt(body["access_token"].as_str().expect("a token"));
    assert_eq!(claims["aud"], "https://graph.microsoft.com");
    assert_eq!(claims["idtyp"], "app");
    assert_eq!(claims["sub"], claims["oid"], "an app's sub is its oid");
}

#[tokio::test]
async fn v1_client_credentials_without_a_resource_are_refused_with_aadsts50001() {
    let mock = start().await;
    let form = v1_client_credentials(None);

    let response = post_form(&mock, &format!("/{TENANT_ID}/oauth2/token"), &form).await;

    let body = assert_aadsts(response, 400, "invalid_resource", 50001).await;
    assert!(
        body["error_description"]
            .as_str()
            .expect("text")
            .starts_with("AADSTS50001: Resource identifier is not provided.")
    );
}

#[tokio::test]
async fn a_v2_app_only_token_has_sub_equal_to_oid() {
    let mock = start().await;

    let token = portal_token(&mock).await;

    let (_, claims) = decode_jwt(&token);
    assert_eq!(claims["sub"], claims["oid"]);
    assert_eq!(claims["oid"], PORTAL_APP.object_id);
}

fn v1_redemption(code: &str, resource: Option<&'static str>) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("client_id", WEB_APP.client_id.to_owned()),
        ("client_secret", WEB_APP.client_secret.to_owned()),
        ("code", code.to_owned()),
        ("redirect_uri", REDIRECT_URI.to_owned()),
    ];
    if let Some(resource) = resource {
        form.push(("resource", resource.to_owned()));
    }
    form
}

async fn post_owned(mock: &graph_mock::MockServer, form: &[(&str, String)]) -> reqwest::Response {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post_form(mock, "/common/oauth2/token", &form).await
}

#[tokio::test]
async fn a_v1_code_flow_naming_no_resource_anywhere_gets_no_token() {
    let mock = start().await;
    let code = v1_code(&mock, "common").await;

    let response = post_owned(&mock, &v1_redemption(&code, None)).await;

    assert_aadsts(response, 400, "invalid_resource", 50001).await;
}

#[tokio::test]
async fn a_v1_resource_named_at_authorize_or_at_token_is_enough() {
    let mock = start().await;
    let at_token = v1_code(&mock, "common").await;
    let authorize = get_with_query(
        &mock,
        "/common/oauth2/authorize",
        &[
            ("client_id", WEB_APP.client_id),
            ("redirect_uri", REDIRECT_URI),
            ("response_type", "code"),
            ("resource", "https://graph.microsoft.com"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    )
    .await;
    let at_authorize = param(&redirect_params(&authorize), "code")
        .expect("a code")
        .to_owned();

    let named_at_token = post_owned(
        &mock,
        &v1_redemption(&at_token, Some("https://graph.microsoft.com")),
    )
    .await;
    let named_at_authorize = post_owned(&mock, &v1_redemption(&at_authorize, None)).await;

    assert_eq!(named_at_token.status(), StatusCode::OK);
    assert_eq!(named_at_authorize.status(), StatusCode::OK);
    let body: Value = named_at_authorize.json().await.expect("JSON");
    assert_eq!(body["resource"], "https://graph.microsoft.com");
}

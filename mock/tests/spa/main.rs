//! Single-page apps: the `spa` platform on the application object, where its codes and refresh
//! tokens may be redeemed from (AADSTS9002325, 9002326, 9002327, 700084), the 24-hour refresh
//! token, and CORS on discovery, keys, instance discovery, token and Graph.
//!
//! `origins.rs`: where an SPA's codes and refresh tokens may be redeemed from, and CORS.

#![allow(clippy::unwrap_used)]

mod origins;
#[path = "../support/mod.rs"]
mod support;

use std::time::Duration;

use graph_mock::MockServer;
use graph_mock::fixtures::TENANT_ID;
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use support::*;

const SPA_PAGE: &str = "http://localhost:3000/";
const SPA_ORIGIN: &str = "http://localhost:3000";
const OTHER_ORIGIN: &str = "http://localhost:4000";
/// RFC 7636 appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const SPA_SCOPE: &str = "openid profile offline_access User.Read";

fn spa_body(spa: &[&str]) -> Value {
    let mut body = application_body(&[], &[]);
    body["spa"] = json!({ "redirectUris": spa });
    body
}

/// An app registered with one `spa` reply URL: its client ID.
async fn spa_app(mock: &MockServer) -> String {
    let app = register_app(mock, &spa_body(&[SPA_PAGE])).await;
    app["appId"].as_str().unwrap().to_owned()
}

/// Auto-approve: a code for `client_id` sent to the SPA page, with or without PKCE.
async fn spa_code(mock: &MockServer, client_id: &str, pkce: bool) -> String {
    let challenge = pkce.then_some(CHALLENGE);
    let method = pkce.then_some("S256");
    code_for(
        mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some(SPA_PAGE)),
            ("scope", Some(SPA_SCOPE)),
            ("code_challenge", challenge),
            ("code_challenge_method", method),
        ],
    )
    .await
}

/// POST a form to the tenant's token endpoint, as a script on `origin` would.
async fn token_from(mock: &MockServer, origin: Option<&str>, form: &[(&str, &str)]) -> Response {
    let mut request = client()
        .post(format!("{}/{TENANT_ID}/oauth2/v2.0/token", mock.uri()))
        .form(form);
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.expect("the mock answers")
}

/// Redeem a SPA code the way MSAL.js does: no secret, the verifier, from `origin`.
async fn redeem_spa(
    mock: &MockServer,
    client_id: &str,
    code: &str,
    origin: Option<&str>,
) -> Response {
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code),
        ("redirect_uri", SPA_PAGE),
        ("scope", SPA_SCOPE),
        ("code_verifier", VERIFIER),
    ];
    token_from(mock, origin, &form).await
}

async fn refresh_spa(
    mock: &MockServer,
    client_id: &str,
    refresh_token: &str,
    origin: Option<&str>,
) -> Response {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
        ("refresh_token", refresh_token),
        ("scope", SPA_SCOPE),
    ];
    token_from(mock, origin, &form).await
}

fn header(response: &Response, name: impl reqwest::header::AsHeaderName) -> Option<&str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn the_spa_platform_is_registered_returned_and_matched_at_authorize() {
    let mock = start().await;

    let app = register_app(&mock, &spa_body(&[SPA_PAGE])).await;
    let client_id = app["appId"].as_str().unwrap();
    let signed_in = authorize(
        &mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some(SPA_PAGE)),
        ],
    )
    .await;
    let elsewhere = authorize(
        &mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some("http://localhost:3000/other")),
        ],
    )
    .await;

    assert_eq!(app["spa"], json!({ "redirectUris": [SPA_PAGE] }));
    assert_eq!(app["web"]["redirectUris"], json!([]));
    assert_eq!(signed_in.status(), StatusCode::FOUND);
    assert!(location(&signed_in).starts_with(SPA_PAGE));
    assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);
    let page = elsewhere.text().await.unwrap();
    assert!(page.contains("AADSTS50011"), "{page}");
}

#[tokio::test]
async fn a_spa_reply_url_follows_the_web_rules_and_counts_in_the_same_limit() {
    let mock = start().await;
    let portal = portal_token(&mock).await;
    let too_many: Vec<String> = (0..200)
        .map(|n| format!("https://app.example/{n}"))
        .collect();
    let mut over_limit = application_body(
        &too_many[..100]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        &[],
    );
    over_limit["spa"] = json!({ "redirectUris": too_many[..157] });

    for (what, body) in [
        (
            "plain http off loopback",
            spa_body(&["http://app.example/"]),
        ),
        ("a native app's own scheme", spa_body(&["myapp://auth"])),
        ("a fragment", spa_body(&["https://app.example/#x"])),
        ("script", spa_body(&["javascript:alert(1)"])),
        ("257 reply URLs in all", over_limit),
    ] {
        let response = graph_post(&mock, "/v1.0/applications", &portal, &body).await;

        let error = assert_graph_error(response, 400, "Request_BadRequest").await;
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Invalid value specified for property"),
            "{what}: {error}"
        );
    }
}

#[tokio::test]
async fn patch_sets_the_spa_reply_urls_of_an_app_the_caller_owns() {
    let mock = start().await;
    let portal = portal_token(&mock).await;
    let app = register_app(&mock, &application_body(&["https://app.example/web"], &[])).await;
    let path = format!("/v1.0/applications/{}", app["id"].as_str().unwrap());
    let client_id = app["appId"].as_str().unwrap();
    let patch = |body: Value| {
        client()
            .patch(format!("{}{path}", mock.uri()))
            .bearer_auth(&portal)
            .json(&body)
            .send()
    };

    let refused = patch(json!({ "spa": { "redirectUris": ["http://app.example/"] } }))
        .await
        .unwrap();
    let before = spa_code_refused(&mock, client_id).await;
    let patched = patch(json!({ "spa": { "redirectUris": [SPA_PAGE] } }))
        .await
        .unwrap();
    let code = spa_code(&mock, client_id, true).await;
    let redeemed = redeem_spa(&mock, client_id, &code, Some(SPA_ORIGIN)).await;
    let web_kept = authorize(
        &mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some("https://app.example/web")),
        ],
    )
    .await;

    assert_graph_error(refused, 400, "Request_BadRequest").await;
    assert_eq!(before, StatusCode::BAD_REQUEST, "not a reply URL yet");
    assert_eq!(patched.status(), StatusCode::NO_CONTENT);
    assert_eq!(redeemed.status(), StatusCode::OK);
    assert_eq!(web_kept.status(), StatusCode::FOUND, "web reply URLs stay");
}

async fn spa_code_refused(mock: &MockServer, client_id: &str) -> StatusCode {
    authorize(
        mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some(SPA_PAGE)),
        ],
    )
    .await
    .status()
}

#[tokio::test]
async fn a_spa_code_redeemed_from_its_page_gets_tokens_a_24_hour_refresh_token_and_cors() {
    let mock = start().await;
    let client_id = spa_app(&mock).await;
    let code = spa_code(&mock, &client_id, true).await;

    let response = redeem_spa(&mock, &client_id, &code, Some(SPA_ORIGIN)).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
    assert_eq!(
        header(&response, ACCESS_CONTROL_ALLOW_METHODS),
        Some("POST, OPTIONS")
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["refresh_token_expires_in"], 86400);
    assert!(body["refresh_token"].is_string());
    let (_, claims) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(claims["appidacr"], "0", "a public client: no secret");
}

#[tokio::test]
async fn a_spa_code_redeemed_without_an_origin_is_refused_with_9002327() {
    let mock = start().await;
    let client_id = spa_app(&mock).await;
    let code = spa_code(&mock, &client_id, true).await;

    let response = redeem_spa(&mock, &client_id, &code, None).await;

    let body = assert_aadsts(response, 400, "invalid_request", 9002327).await;
    assert!(
        body["error_description"].as_str().unwrap().contains(
            "Tokens issued for the 'Single-Page Application' client-type may only be \
             redeemed via cross-origin requests."
        ),
        "{body}"
    );
    let retried = redeem_spa(&mock, &client_id, &code, Some(SPA_ORIGIN)).await;
    assert_eq!(
        retried.status(),
        StatusCode::OK,
        "a refused code is not spent"
    );
}

#[tokio::test]
async fn a_spa_code_without_pkce_is_refused_with_9002325() {
    let mock = start().await;
    let client_id = spa_app(&mock).await;
    let code = spa_code(&mock, &client_id, false).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", client_id.as_str()),
        ("code", code.as_str()),
        ("redirect_uri", SPA_PAGE),
    ];

    let response = token_from(&mock, Some(SPA_ORIGIN), &form).await;

    let shared = header(&response, ACCESS_CONTROL_ALLOW_ORIGIN).map(str::to_owned);
    let body = assert_aadsts(response, 400, "invalid_request", 9002325).await;
    assert!(
        body["error_description"].as_str().unwrap().contains(
            "Proof Key for Code Exchange is required for cross-origin authorization code \
             redemption."
        ),
        "{body}"
    );
    assert_eq!(shared.as_deref(), Some("*"), "the page may read why");
}

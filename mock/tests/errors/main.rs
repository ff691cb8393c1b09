//! Every AADSTS code the token endpoint gives, over HTTP, with Entra's body shape; and the
//! `errors.rs` table itself (`table.rs`). The refusals are grouped: the client and its code
//! (`code.rs`), the request's shape (`request.rs`), refresh tokens and client credentials
//! (`grants.rs`).

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

#[path = "../support/mod.rs"]
mod support;

mod code;
mod grants;
mod request;
mod table;

use graph_mock::MockServer;
use graph_mock::fixtures::TENANT_ID;
use reqwest::{Response, StatusCode};
use serde_json::Value;
use support::*;

/// One refusal: what was sent, and what must come back.
struct Case {
    what: &'static str,
    response: Response,
    status: u16,
    error: &'static str,
    code: u32,
}

fn case(
    what: &'static str,
    response: Response,
    status: u16,
    error: &'static str,
    code: u32,
) -> Case {
    Case {
        what,
        response,
        status,
        error,
        code,
    }
}

const CHALLENGE_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

async fn code_with_challenge(mock: &MockServer) -> String {
    code_for(
        mock,
        "common",
        &[
            ("code_challenge", Some(CHALLENGE)),
            ("code_challenge_method", Some("S256")),
        ],
    )
    .await
}

async fn refresh_token(mock: &MockServer) -> String {
    tokens_with_scope(mock, SCOPE).await["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A public client: registered through Graph with a "Mobile and desktop" reply URL.
async fn public_client_code(mock: &MockServer) -> (String, String) {
    let app = register_app(mock, &application_body(&[], &["http://localhost"])).await;
    let client_id = app["appId"].as_str().unwrap().to_owned();
    let code = code_for(
        mock,
        TENANT_ID,
        &[
            ("client_id", Some(&client_id)),
            ("redirect_uri", Some("http://localhost:5000")),
            ("scope", Some("openid User.Read")),
        ],
    )
    .await;
    (client_id, code)
}

/// Each refusal has its status, its code and error in Entra's body, no challenge, and an
/// `error_uri` to its page.
async fn assert_refusals(mock: &MockServer, cases: Vec<Case>) {
    for case in cases {
        assert_eq!(
            case.response.status().as_u16(),
            case.status,
            "{}",
            case.what
        );
        assert!(
            case.response.headers().get("www-authenticate").is_none(),
            "{}: no challenge from the token endpoint",
            case.what
        );
        let body: Value = case.response.json().await.expect("an error body is JSON");
        assert_aadsts_body(&body, case.error, case.code);
        assert_eq!(
            body["error_uri"],
            format!("{}/error?code={}", mock.uri(), case.code),
            "{}",
            case.what
        );
    }
}

#[tokio::test]
async fn the_error_description_carries_the_trace_and_time_and_the_correlation_id_echoes_the_client()
{
    let mock = start().await;
    let correlation = "6f2c7a0e-0e7e-4f44-8f0a-2f6e1d2b1c3d";

    let response = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("client-request-id", correlation)
        .form(&[("client_id", WEB_APP.client_id)])
        .send()
        .await
        .unwrap();

    assert_eq!(response.headers()["client-request-id"], correlation);
    assert!(response.headers().contains_key("x-ms-request-id"));
    assert_eq!(response.headers()["cache-control"], "no-store, no-cache");
    let body = assert_aadsts(response, 400, "invalid_request", 900144).await;
    assert_eq!(body["correlation_id"], correlation);
    assert_eq!(body["timestamp"], "2026-11-25 22:10:00Z");
    let description = body["error_description"].as_str().unwrap();
    assert_eq!(
        description,
        format!(
            "AADSTS900144: The request body must contain the following parameter: 'grant_type'. Trace ID: {} Correlation ID: {correlation} Timestamp: 2026-11-25 22:10:00Z",
            body["trace_id"].as_str().unwrap()
        )
    );
}

#[tokio::test]
async fn without_a_client_request_id_the_correlation_id_is_a_fresh_guid() {
    let mock = start().await;

    let response = token(&mock, "common", &[]).await;

    let body = assert_aadsts(response, 400, "invalid_request", 900144).await;
    assert!(is_guid(body["correlation_id"].as_str().unwrap()));
    assert_ne!(body["correlation_id"], body["trace_id"]);
}

#[tokio::test]
async fn authorize_pages_show_the_codes_that_cannot_be_redirected() {
    let mock = start().await;
    let cases: [(Overrides<'_>, u32); 4] = [
        (
            &[("client_id", Some("11111111-2222-3333-4444-555555555555"))],
            700016,
        ),
        (&[("redirect_uri", Some("https://evil.example/"))], 50011),
        (&[("client_id", None)], 900144),
        (
            &[
                ("client_id", Some(PORTAL_APP.client_id)),
                ("redirect_uri", None),
            ],
            500113,
        ),
    ];

    for (overrides, code) in cases {
        let response = authorize(&mock, "common", overrides).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "AADSTS{code}");
        assert!(response.headers().get("location").is_none());
        let page = response.text().await.unwrap();
        assert!(page.contains(&format!("Message: AADSTS{code}: ")), "{page}");
        assert!(page.contains("Timestamp: 2026-11-25 22:10:00Z"));
    }
}

#[tokio::test]
async fn authorize_redirects_pkce_refusals_with_their_codes() {
    let mock = start().await;
    let cases: [(Overrides<'_>, &str, u32); 2] = [
        (
            &[("code_challenge", Some("too-short"))],
            "invalid_request",
            501491,
        ),
        (
            &[
                ("code_challenge", Some(CHALLENGE)),
                ("code_challenge_method", Some("S512")),
            ],
            "invalid_request",
            90023,
        ),
    ];

    for (overrides, error, code) in cases {
        let response = authorize(&mock, "common", overrides).await;

        let params = redirect_params(&response);
        assert_eq!(param(&params, "error"), Some(error));
        assert!(
            param(&params, "error_description")
                .unwrap()
                .starts_with(&format!("AADSTS{code}: "))
        );
    }
}

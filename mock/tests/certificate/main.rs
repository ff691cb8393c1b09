//! Certificate credentials: a certificate uploaded through Graph (`PATCH
//! /v1.0/applications/{id}`
//! with `keyCredentials`), then client assertions signed with its key at the token endpoint,
//! for client credentials and code redemption; and every refusal in Entra's exact shape.
//!
//! `refusals.rs`: every refusal of a client assertion, and what PATCH refuses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/certificate.rs"]
mod certificate;
mod refusals;
#[path = "../support/mod.rs"]
mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use certificate::{Signing, TestCertificate, assertion_claims};
use graph_mock::MockServer;
use graph_mock::fixtures::TENANT_ID;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use support::*;

const NEW_REPLY_URL: &str = "http://localhost:5000/callback";
/// The deterministic clock: 2026-11-25 22:10:00Z.
const NOW: i64 = 1_795_644_600;
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const GRAPH_DEFAULT: &str = "https://graph.microsoft.com/.default";

/// A new app in the demo tenant with `certificate` uploaded: its `201` body.
async fn app_with(mock: &MockServer, certificate: &TestCertificate) -> Value {
    let app = register_app(mock, &application_body(&[NEW_REPLY_URL], &[])).await;
    let portal = portal_token(mock).await;
    let path = format!("/v1.0/applications/{}", app["id"].as_str().unwrap());
    let body = json!({"keyCredentials": [certificate.key_credential()]});
    let response = graph_patch(mock, &path, &portal, &body).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.bytes().await.unwrap().is_empty());
    app
}

/// What most tests start from: a mock with one app that has the "daemon" certificate.
struct Daemon {
    mock: MockServer,
    certificate: TestCertificate,
    app: Value,
}

impl Daemon {
    async fn start() -> Daemon {
        let mock = start().await;
        let certificate = TestCertificate::for_deterministic_mock("daemon");
        let app = app_with(&mock, &certificate).await;
        Daemon {
            mock,
            certificate,
            app,
        }
    }

    fn client_id(&self) -> &str {
        self.app["appId"].as_str().unwrap()
    }

    /// An assertion's claims for this app, addressed to the v2.0 token endpoint, issued at
    /// `issued_at`.
    fn claims(&self, issued_at: i64) -> Value {
        assertion_claims(self.client_id(), &token_endpoint(&self.mock), issued_at)
    }

    /// Client credentials proven with `assertion`.
    async fn ask(&self, assertion: &str) -> Response {
        app_token(&self.mock, self.client_id(), assertion).await
    }
}

fn token_endpoint(mock: &MockServer) -> String {
    format!("{}/{TENANT_ID}/oauth2/v2.0/token", mock.uri())
}

/// Client credentials proven with `assertion`.
async fn app_token(mock: &MockServer, client_id: &str, assertion: &str) -> Response {
    token(
        mock,
        TENANT_ID,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("scope", GRAPH_DEFAULT),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", assertion),
        ],
    )
    .await
}

/// The description before ` Trace ID:`, where the per-request values start.
fn message(body: &Value) -> &str {
    let description = body["error_description"].as_str().unwrap();
    description.split(" Trace ID: ").next().unwrap()
}

fn keys_hint(client_id: &str) -> String {
    format!(
        "Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{client_id}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/{client_id}'"
    )
}

#[tokio::test]
async fn an_uploaded_certificate_is_shown_without_its_key_unless_selected() {
    let mock = start().await;
    let certificate = TestCertificate::for_deterministic_mock("daemon");
    let app = app_with(&mock, &certificate).await;
    let portal = portal_token(&mock).await;
    let path = format!("/v1.0/applications/{}", app["id"].as_str().unwrap());

    let shown: Value = graph_get(&mock, &path, &portal).await.json().await.unwrap();
    let selected: Value = graph_get(&mock, &format!("{path}?$select=keyCredentials"), &portal)
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(shown["appId"], app["appId"]);
    let key = &shown["keyCredentials"][0];
    assert_eq!(
        key["customKeyIdentifier"],
        TestCertificate::hex(&certificate.sha1())
    );
    assert_eq!(key["displayName"], "CN=daemon");
    assert_eq!(key["startDateTime"], "2026-01-01T00:00:00Z");
    assert_eq!(key["endDateTime"], "2027-01-01T00:00:00Z");
    assert_eq!(key["type"], "AsymmetricX509Cert");
    assert_eq!(key["usage"], "Verify");
    assert_eq!(key["key"], Value::Null);
    assert!(is_guid(key["keyId"].as_str().unwrap()));
    let only: Vec<&String> = selected.as_object().unwrap().keys().collect();
    assert_eq!(only, ["@odata.context", "keyCredentials"]);
    assert_eq!(
        selected["keyCredentials"][0]["key"],
        STANDARD.encode(&certificate.der)
    );
}

#[tokio::test]
async fn an_rs256_assertion_with_x5t_gets_an_app_token_marked_as_certificate() {
    let daemon = Daemon::start().await;
    let certificate = &daemon.certificate;
    let client_id = daemon.client_id();
    let claims = daemon.claims(NOW);

    let response = daemon
        .ask(&certificate.sign(Signing::Rs256Sha1, &claims))
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let (_, access) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(access["appid"], client_id);
    assert_eq!(access["appidacr"], "2");
    assert_eq!(access["idtyp"], "app");
    assert_eq!(access["tid"], TENANT_ID);
}

#[tokio::test]
async fn a_ps256_assertion_with_x5t_s256_works_and_may_be_sent_again() {
    let daemon = Daemon::start().await;
    let certificate = &daemon.certificate;
    let claims = daemon.claims(NOW);
    let assertion = certificate.sign(Signing::Ps256Sha256, &claims);

    let first = daemon.ask(&assertion).await;
    // MSAL keeps one assertion for its ten minutes; the cloud takes it every time.
    let again = daemon.ask(&assertion).await;

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_code_is_redeemed_with_an_assertion_instead_of_a_secret() {
    let mock = start().await;
    let certificate = TestCertificate::for_deterministic_mock("web");
    let app = app_with(&mock, &certificate).await;
    let client_id = app["appId"].as_str().unwrap();
    let redirect = authorize(
        &mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some(NEW_REPLY_URL)),
        ],
    )
    .await;
    let code = param(&redirect_params(&redirect), "code")
        .unwrap()
        .to_owned();
    let claims = assertion_claims(client_id, &token_endpoint(&mock), NOW);
    let assertion = certificate.sign(Signing::Rs256Sha1, &claims);

    let response = token(
        &mock,
        TENANT_ID,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("code", &code),
            ("redirect_uri", NEW_REPLY_URL),
            ("scope", SCOPE),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &assertion),
        ],
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let (_, access) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(access["appidacr"], "2");
    assert_eq!(access["upn"], MEGAN.user_principal_name);
    assert!(body["refresh_token"].is_string());
}

#[tokio::test]
async fn the_v1_endpoint_takes_an_assertion_addressed_to_it() {
    let daemon = Daemon::start().await;
    let mock = &daemon.mock;
    let certificate = &daemon.certificate;
    let client_id = daemon.client_id();
    let audience = format!("{}/{TENANT_ID}/oauth2/token", mock.uri());
    let assertion = certificate.sign(
        Signing::Rs256Sha1,
        &assertion_claims(client_id, &audience, NOW),
    );

    let response = post_form(
        mock,
        &format!("/{TENANT_ID}/oauth2/token"),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("resource", "https://graph.microsoft.com"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &assertion),
        ],
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["resource"], "https://graph.microsoft.com");
}

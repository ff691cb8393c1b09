//! Helpers shared by the integration tests: start a mock, walk the browser part of a sign-in,
//! redeem codes, call Graph, and read what came back (redirects, error bodies, JWTs).
//!
//! Each test starts its own mock on `127.0.0.1:0` and drops it at the end. The HTTP client
//! never follows redirects, so a test sees every `302` the way the learner does.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use graph_mock::fixtures::{self, DemoApp};
use graph_mock::{Config, MockServer};
use reqwest::header::LOCATION;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod clients;
mod reading;
#[allow(unused_imports)] // only the real-client tests look for the libraries
pub use clients::*;
#[allow(unused_imports)] // not every test reads answers this way
pub use reading::*;

pub const WEB_APP: DemoApp = fixtures::WEB_APP;
pub const PORTAL_APP: DemoApp = fixtures::PORTAL_APP;
pub const REDIRECT_URI: &str = "http://127.0.0.1:8000/connect/get_token/";
/// What the tutorial asks for in step 2.
pub const SCOPE: &str = "openid profile offline_access User.Read Mail.Send";
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
pub const USER_READ_ID: &str = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";
pub const MAIL_SEND_ID: &str = "e383f46e-2787-4529-855e-0e479a3ffac0";
pub const MEGAN: fixtures::DemoUser = fixtures::USERS[0];
pub const ALEX: fixtures::DemoUser = fixtures::USERS[1];

/// A mock that signs the first demo user in by itself, with fixed time and IDs.
pub async fn start() -> MockServer {
    start_with(Config::deterministic().auto_approve()).await
}

/// A mock that shows the sign-in and consent pages.
pub async fn start_interactive() -> MockServer {
    start_with(Config::deterministic()).await
}

pub async fn start_with(config: Config) -> MockServer {
    MockServer::start(config)
        .await
        .expect("the mock binds a loopback port")
}

/// The one HTTP client of the tests: redirects are answers to look at, not to follow.
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("a plain HTTP client builds")
}

/// Changes to the authorize parameters: a name and its new value, or `None` to leave it out.
pub type Overrides<'a> = &'a [(&'a str, Option<&'a str>)];

/// The authorize parameters the tutorial sends, for the web app, minus `overrides`' names,
/// plus `overrides`. A value of `None` in `overrides` removes that parameter.
pub fn authorize_params(overrides: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = [
        ("client_id", WEB_APP.client_id),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT_URI),
        ("scope", SCOPE),
        ("state", "s-123"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (name, value) in overrides {
        params.retain(|(k, _)| k != name);
        if let Some(value) = value {
            params.push((name.to_string(), value.to_string()));
        }
    }
    params
}

/// `GET /{tenant}/oauth2/v2.0/authorize?…`
pub async fn authorize(
    mock: &MockServer,
    tenant: &str,
    overrides: &[(&str, Option<&str>)],
) -> Response {
    get_with_query(
        mock,
        &format!("/{tenant}/oauth2/v2.0/authorize"),
        &authorize_params(overrides),
    )
    .await
}

pub async fn get_with_query(mock: &MockServer, path: &str, query: &[(String, String)]) -> Response {
    client()
        .get(format!("{}{path}", mock.uri()))
        .query(query)
        .send()
        .await
        .expect("the mock answers")
}

/// The seed's v1 authorize request: `client_id`, `redirect_uri` and `response_type`, no more.
pub async fn v1_authorize(mock: &MockServer, tenant: &str) -> Response {
    let query = [
        ("client_id", WEB_APP.client_id),
        ("redirect_uri", REDIRECT_URI),
        ("response_type", "code"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    get_with_query(mock, &format!("/{tenant}/oauth2/authorize"), &query).await
}

/// Auto-approve: the code from the seed's v1 authorize request.
pub async fn v1_code(mock: &MockServer, tenant: &str) -> String {
    let redirect = v1_authorize(mock, tenant).await;
    param(&redirect_params(&redirect), "code")
        .expect("the v1 redirect carries a code")
        .to_owned()
}

/// The `Location` of a redirect.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .expect("a redirect carries a Location")
        .to_str()
        .expect("Location is text")
        .to_owned()
}

/// The query parameters of a redirect's `Location`, decoded, in order.
pub fn redirect_params(response: &Response) -> Vec<(String, String)> {
    let url = url::Url::parse(&location(response)).expect("Location is an absolute URL");
    url.query_pairs().into_owned().collect()
}

/// One decoded parameter of `params`.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Auto-approve: authorize with the tutorial's parameters (changed by `overrides`) and return
/// the code from the `302`.
pub async fn code_for(
    mock: &MockServer,
    tenant: &str,
    overrides: &[(&str, Option<&str>)],
) -> String {
    let response = authorize(mock, tenant, overrides).await;
    assert_eq!(response.status(), StatusCode::FOUND, "authorize redirects");
    let params = redirect_params(&response);
    param(&params, "code")
        .expect("the redirect carries a code")
        .to_owned()
}

/// POST a form to `path` on the mock.
pub async fn post_form(mock: &MockServer, path: &str, form: &[(&str, &str)]) -> Response {
    client()
        .post(format!("{}{path}", mock.uri()))
        .form(form)
        .send()
        .await
        .expect("the mock answers")
}

/// POST a form to `/{tenant}/oauth2/v2.0/token`.
pub async fn token(mock: &MockServer, tenant: &str, form: &[(&str, &str)]) -> Response {
    post_form(mock, &format!("/{tenant}/oauth2/v2.0/token"), form).await
}

/// Redeem `code` as the web app does in step 4, with `extra` fields added.
pub async fn redeem(mock: &MockServer, code: &str, extra: &[(&str, &str)]) -> Response {
    redeem_on(mock, "common", code, extra).await
}

/// The form the web app redeems `code` with in step 4.
pub fn redemption(code: &str) -> Vec<(&str, &str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("client_id", WEB_APP.client_id),
        ("client_secret", WEB_APP.client_secret),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("scope", SCOPE),
    ]
}

/// [`redeem`] on the token endpoint of `tenant`.
pub async fn redeem_on(
    mock: &MockServer,
    tenant: &str,
    code: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut form = redemption(code);
    for (name, value) in extra {
        form.retain(|(k, _)| k != name);
        form.push((name, value));
    }
    token(mock, tenant, &form).await
}

/// The whole auto-approved flow with `scope`: the token answer as JSON.
pub async fn tokens_with_scope(mock: &MockServer, scope: &str) -> Value {
    tokens_as(mock, scope, None).await
}

/// Like [`tokens_with_scope`], signing in the user named by `login_hint`.
pub async fn tokens_as(mock: &MockServer, scope: &str, login_hint: Option<&str>) -> Value {
    let code = code_for(
        mock,
        "common",
        &[("scope", Some(scope)), ("login_hint", login_hint)],
    )
    .await;
    let response = redeem(mock, &code, &[("scope", scope)]).await;
    assert_eq!(response.status(), StatusCode::OK, "the code is redeemed");
    response.json().await.expect("the token answer is JSON")
}

/// A Graph access token for the first demo user with `scope`.
pub async fn access_token(mock: &MockServer, scope: &str) -> String {
    tokens_with_scope(mock, scope).await["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// The form the portal app asks for its app-only token with (client credentials, for Graph).
pub const PORTAL_TOKEN_FORM: [(&str, &str); 4] = [
    ("grant_type", "client_credentials"),
    ("client_id", PORTAL_APP.client_id),
    ("client_secret", PORTAL_APP.client_secret),
    ("scope", "https://graph.microsoft.com/.default"),
];

/// The portal app's app-only token (client credentials on the tenant ID).
pub async fn portal_token(mock: &MockServer) -> String {
    let response = token(mock, fixtures::TENANT_ID, &PORTAL_TOKEN_FORM).await;
    assert_eq!(response.status(), StatusCode::OK, "the portal gets a token");
    let body: Value = response.json().await.expect("JSON");
    body["access_token"].as_str().expect("a token").to_owned()
}

/// A registration body for Graph's `POST /v1.0/applications`.
pub fn application_body(web: &[&str], public: &[&str]) -> Value {
    json!({
        "displayName": "graph-oauth-tutorial",
        "signInAudience": "AzureADMyOrg",
        "web": {"redirectUris": web},
        "publicClient": {"redirectUris": public},
        "requiredResourceAccess": [{
            "resourceAppId": GRAPH_APP_ID,
            "resourceAccess": [
                {"id": USER_READ_ID, "type": "Scope"},
                {"id": MAIL_SEND_ID, "type": "Scope"},
            ],
        }],
    })
}

/// Registers an app through Graph with the portal's token: the `201` body.
pub async fn register_app(mock: &MockServer, body: &Value) -> Value {
    let portal = portal_token(mock).await;
    let response = graph_post(mock, "/v1.0/applications", &portal, body).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the app is registered"
    );
    response.json().await.expect("JSON")
}

pub async fn graph_get(mock: &MockServer, path: &str, token: &str) -> Response {
    client()
        .get(format!("{}{path}", mock.uri()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the mock answers")
}

pub async fn graph_post(mock: &MockServer, path: &str, token: &str, body: &Value) -> Response {
    client()
        .post(format!("{}{path}", mock.uri()))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the mock answers")
}

pub async fn graph_patch(mock: &MockServer, path: &str, token: &str, body: &Value) -> Response {
    client()
        .patch(format!("{}{path}", mock.uri()))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the mock answers")
}

/// A `sendMail` body to `to`.
pub fn mail_to(to: &str) -> Value {
    json!({
        "message": {
            "subject": "Welcome to Microsoft Graph",
            "body": {"contentType": "HTML", "content": "<p>Hello from the tutorial</p>"},
            "toRecipients": [{"emailAddress": {"address": to}}],
        },
        "saveToSentItems": true,
    })
}

/// `base64(sha256(SubjectPublicKeyInfo))` of the server key of a mock whose certificates are
/// in `tls_dir`: what Chromium's `--ignore-certificate-errors-spki-list` pins, so a browser
/// trusts that one key and nothing else.
pub fn server_key_pin(tls_dir: &std::path::Path) -> String {
    use aws_lc_rs::digest;
    use base64::engine::general_purpose::STANDARD;
    use rcgen::PublicKeyData as _;
    let pem = std::fs::read_to_string(tls_dir.join("localhost-key.pem")).unwrap();
    let key = rcgen::KeyPair::from_pem(&pem).unwrap();
    STANDARD.encode(digest::digest(
        &digest::SHA256,
        &key.subject_public_key_info(),
    ))
}

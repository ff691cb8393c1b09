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

/// [`redeem`] on the token endpoint of `tenant`.
pub async fn redeem_on(
    mock: &MockServer,
    tenant: &str,
    code: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("client_id", WEB_APP.client_id),
        ("client_secret", WEB_APP.client_secret),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("scope", SCOPE),
    ];
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

/// The portal app's app-only token (client credentials on the tenant ID).
pub async fn portal_token(mock: &MockServer) -> String {
    let response = token(
        mock,
        fixtures::TENANT_ID,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", PORTAL_APP.client_id),
            ("client_secret", PORTAL_APP.client_secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
    )
    .await;
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

/// The header and claims of a JWT, decoded but not verified.
pub fn decode_jwt(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut part = || {
        let bytes = URL_SAFE_NO_PAD
            .decode(parts.next().expect("a JWT part"))
            .expect("base64url");
        serde_json::from_slice::<Value>(&bytes).expect("JSON")
    };
    let header = part();
    let claims = part();
    (header, claims)
}

/// Checks an Entra error body: `error`, `error_description` starting with the code,
/// `error_codes`, `timestamp`, `trace_id`, `correlation_id`. Returns the body.
pub async fn assert_aadsts(response: Response, status: u16, error: &str, code: u32) -> Value {
    assert_eq!(response.status().as_u16(), status, "status of AADSTS{code}");
    let body: Value = response.json().await.expect("an Entra error body is JSON");
    assert_aadsts_body(&body, error, code);
    body
}

pub fn assert_aadsts_body(body: &Value, error: &str, code: u32) {
    assert_eq!(body["error"], error, "error of AADSTS{code}: {body}");
    let description = body["error_description"].as_str().expect("a description");
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "description starts with the code: {description}"
    );
    assert_eq!(body["error_codes"], json!([code]));
    let timestamp = body["timestamp"].as_str().expect("a timestamp");
    assert!(is_entra_timestamp(timestamp), "timestamp form: {timestamp}");
    assert!(is_guid(body["trace_id"].as_str().expect("a trace id")));
    assert!(body["correlation_id"].is_string());
}

/// `YYYY-MM-DD HH:MM:SSZ`: a space, no `T`, no fraction.
pub fn is_entra_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        })
}

pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks a Graph error body and returns it.
pub async fn assert_graph_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status of {code}");
    let body: Value = response.json().await.expect("a Graph error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string());
    assert!(body["error"]["innerError"]["request-id"].is_string());
    assert!(body["error"]["innerError"]["date"].is_string());
    body
}

/// The value of `name="field" value="…"` in an HTML page.
pub fn hidden_field(page: &str, field: &str) -> Option<String> {
    let marker = format!("name=\"{field}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')?;
    Some(page[start..start + end].to_owned())
}

/// Sends `request` as raw bytes and returns whatever came back before the server closed the
/// connection (or 5 seconds passed).
pub async fn raw_exchange(mock: &MockServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(mock.address())
        .await
        .expect("the mock accepts a connection");
    stream
        .write_all(request)
        .await
        .expect("the request is sent");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code of a raw HTTP/1.1 answer.
pub fn raw_status(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP status line: {answer:?}"))
}

/// Runs `futures` at once and returns their outputs in order: many requests in flight
/// together, borrowing what they like (no spawned tasks).
pub async fn join_all<F: std::future::Future>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output> {
    use std::task::Poll;
    let mut pending: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (future, output) in pending.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => done = false,
                }
            }
        }
        if done { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

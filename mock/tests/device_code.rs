//! The device code flow, as a device and a person on another device drive it: the codes, the
//! verification page, and every answer of the polling (pending, slow down, tokens once,
//! declined, expired), with the public/confidential client rules.

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

mod support;

use std::time::Duration;

use graph_mock::MockServer;
use graph_mock::fixtures::TENANT_ID;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use support::*;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const DEVICE_SCOPE: &str = "openid profile offline_access User.Read";

/// A public client ("Allow public client flows"), registered through Graph: its client ID.
async fn public_client(mock: &MockServer) -> String {
    let mut body = application_body(&[], &[]);
    body["isFallbackPublicClient"] = json!(true);
    let app = register_app(mock, &body).await;
    app["appId"].as_str().unwrap().to_owned()
}

async fn device_codes(mock: &MockServer, client_id: &str) -> Value {
    let response = post_form(
        mock,
        &format!("/{TENANT_ID}/oauth2/v2.0/devicecode"),
        &[("client_id", client_id), ("scope", DEVICE_SCOPE)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn poll(
    mock: &MockServer,
    client_id: &str,
    device_code: &str,
    secret: Option<&str>,
) -> Response {
    let mut form = vec![
        ("grant_type", DEVICE_GRANT),
        ("client_id", client_id),
        ("device_code", device_code),
    ];
    if let Some(secret) = secret {
        form.push(("client_secret", secret));
    }
    token(mock, TENANT_ID, &form).await
}

/// The person: opens the verification page, types the code, picks Megan, and decides.
async fn person_signs_in(mock: &MockServer, codes: &Value, typed: &str, decision: &str) -> String {
    let page_url = codes["verification_uri"].as_str().unwrap();
    let page = client().get(page_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains(r#"name="otc""#));
    let sign_in = client()
        .post(page_url)
        .form(&[("otc", typed)])
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), StatusCode::OK, "the code is accepted");
    let flow = hidden_field(&sign_in.text().await.unwrap(), "flow").unwrap();
    let consent = post_form(
        mock,
        &format!("/{TENANT_ID}/login"),
        &[("flow", &flow), ("user", "0")],
    )
    .await;
    assert_eq!(consent.status(), StatusCode::OK);
    let done = post_form(
        mock,
        &format!("/{TENANT_ID}/consent"),
        &[("flow", &flow), ("user", "0"), ("decision", decision)],
    )
    .await;
    assert_eq!(done.status(), StatusCode::OK);
    done.text().await.unwrap()
}

#[tokio::test]
async fn devicecode_answers_with_entras_fields_in_entras_order() {
    let mock = start_interactive().await;
    let client_id = public_client(&mock).await;

    let codes = device_codes(&mock, &client_id).await;

    let names: Vec<&str> = codes
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        names,
        [
            "user_code",
            "device_code",
            "verification_uri",
            "expires_in",
            "interval",
            "message"
        ]
    );
    let user_code = codes["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 8);
    assert!(
        user_code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    );
    assert_eq!(
        codes["verification_uri"],
        format!("{}/{TENANT_ID}/oauth2/deviceauth", mock.uri())
    );
    assert_eq!(codes["expires_in"], 900);
    assert_eq!(codes["interval"], 5);
    assert_eq!(
        codes["message"],
        format!(
            "To sign in, use a web browser to open the page {} and enter the code {user_code} to authenticate.",
            codes["verification_uri"].as_str().unwrap()
        )
    );
}

#[tokio::test]
async fn discovery_names_the_device_authorization_endpoint_that_answers() {
    let mock = start_interactive().await;
    let client_id = public_client(&mock).await;
    let document: Value = client()
        .get(format!(
            "{}/{TENANT_ID}/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let endpoint = document["device_authorization_endpoint"].as_str().unwrap();
    let response = client()
        .post(endpoint)
        .form(&[("client_id", client_id.as_str()), ("scope", "User.Read")])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_device_polls_pending_until_the_person_accepts_then_gets_tokens_once() {
    let mock = start_interactive().await;
    let client_id = public_client(&mock).await;
    let codes = device_codes(&mock, &client_id).await;
    let device_code = codes["device_code"].as_str().unwrap();

    let pending = poll(&mock, &client_id, device_code, None).await;
    let body = assert_aadsts(pending, 400, "authorization_pending", 70016).await;
    assert!(body["error_uri"].is_string());
    // People type codes in lower case with spaces; the page takes them.
    let typed = codes["user_code"].as_str().unwrap().to_lowercase();
    let typed = format!("{} {}", &typed[..4], &typed[4..]);
    let done = person_signs_in(&mock, &codes, &typed, "accept").await;
    assert!(done.contains("You're signed in"));
    mock.advance_clock(Duration::from_secs(5));
    let tokens = poll(&mock, &client_id, device_code, None).await;
    mock.advance_clock(Duration::from_secs(5));
    let again = poll(&mock, &client_id, device_code, None).await;

    assert_eq!(tokens.status(), StatusCode::OK);
    let tokens: Value = tokens.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["refresh_token"].is_string() && tokens["id_token"].is_string());
    let (_, claims) = decode_jwt(tokens["access_token"].as_str().unwrap());
    assert_eq!(claims["appidacr"], "0", "a public client");
    assert_eq!(claims["oid"], MEGAN.id);
    let me = graph_get(&mock, "/v1.0/me", tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_aadsts(again, 400, "invalid_grant", 9002313).await;
}

#[tokio::test]
async fn polling_sooner_than_the_interval_is_told_to_slow_down() {
    let mock = start_interactive().await;
    let client_id = public_client(&mock).await;
    let codes = device_codes(&mock, &client_id).await;
    let device_code = codes["device_code"].as_str().unwrap();

    poll(&mock, &client_id, device_code, None).await;
    let early = poll(&mock, &client_id, device_code, None).await;

    assert_aadsts(early, 400, "slow_down", 70016).await;
}

#[tokio::test]
async fn cancel_on_the_consent_page_declines_the_device() {
    let mock = start_interactive().await;
    let client_id = public_client(&mock).await;
    let codes = device_codes(&mock, &client_id).await;

    let done = person_signs_in(
        &mock,
        &codes,
        codes["user_code"].as_str().unwrap(),
        "cancel",
    )
    .await;
    let declined = poll(
        &mock,
        &client_id,
        codes["device_code"].as_str().unwrap(),
        None,
    )
    .await;

    assert!(done.contains("cancelled"));
    assert_aadsts(declined, 400, "authorization_declined", 65004).await;
}

#[tokio::test]
async fn after_fifteen_minutes_the_device_code_has_expired() {
    let mock = start_interactive().await;
    let client_id = public_client(&mock).await;
    let codes = device_codes(&mock, &client_id).await;

    mock.advance_clock(Duration::from_secs(900));
    let expired = poll(
        &mock,
        &client_id,
        codes["device_code"].as_str().unwrap(),
        None,
    )
    .await;
    let page = client()
        .post(codes["verification_uri"].as_str().unwrap())
        .form(&[("otc", codes["user_code"].as_str().unwrap())])
        .send()
        .await
        .unwrap();

    assert_aadsts(expired, 400, "expired_token", 70020).await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.text().await.unwrap().contains("AADSTS70018"));
}

#[tokio::test]
async fn a_code_that_was_never_issued_is_refused_on_the_page() {
    let mock = start_interactive().await;

    let page = post_form(&mock, "/common/oauth2/deviceauth", &[("otc", "NOPE2345")]).await;

    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let text = page.text().await.unwrap();
    assert!(text.contains("AADSTS70018") && text.contains(r#"name="otc""#));
}

#[tokio::test]
async fn a_confidential_client_must_send_its_secret_and_a_public_one_must_not() {
    let mock = start_interactive().await;
    let public = public_client(&mock).await;
    let public_codes = device_codes(&mock, &public).await;
    let web_codes = device_codes(&mock, WEB_APP.client_id).await;

    let public_with_secret = poll(
        &mock,
        &public,
        public_codes["device_code"].as_str().unwrap(),
        Some("a-secret"),
    )
    .await;
    let confidential_without = poll(
        &mock,
        WEB_APP.client_id,
        web_codes["device_code"].as_str().unwrap(),
        None,
    )
    .await;
    let confidential_with = poll(
        &mock,
        WEB_APP.client_id,
        web_codes["device_code"].as_str().unwrap(),
        Some(WEB_APP.client_secret),
    )
    .await;

    assert_aadsts(public_with_secret, 401, "invalid_client", 700025).await;
    assert_aadsts(confidential_without, 401, "invalid_client", 7000218).await;
    assert_aadsts(confidential_with, 400, "authorization_pending", 70016).await;
}

#[tokio::test]
async fn a_device_code_for_another_app_or_made_up_is_refused() {
    let mock = start_interactive().await;
    let public = public_client(&mock).await;
    let codes = device_codes(&mock, &public).await;
    let other = public_client(&mock).await;

    let stolen = poll(&mock, &other, codes["device_code"].as_str().unwrap(), None).await;
    let made_up = poll(&mock, &public, "DAQABAAEAAAgarbage", None).await;
    let missing = token(
        &mock,
        TENANT_ID,
        &[("grant_type", DEVICE_GRANT), ("client_id", public.as_str())],
    )
    .await;

    assert_aadsts(stolen, 400, "invalid_grant", 9002313).await;
    assert_aadsts(made_up, 400, "invalid_grant", 9002313).await;
    assert_aadsts(missing, 400, "invalid_request", 900144).await;
}

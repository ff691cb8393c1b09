//! A classroom mock as a hostile second learner sees it. Learner B knows learner A's client ID
//! (it is in A's authorize URL) and every public demo value (the portal's secret, the demo
//! app's secret, the demo signing key), and still cannot manage A's app, sign in to it, read
//! A's mail or mint a token the mock accepts.
//!
//! `forgery.rs`: forged tokens, concurrent secrets and the quotas one learner may fill.

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

mod forgery;
#[path = "../support/mod.rs"]
mod support;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use graph_mock::fixtures::TENANT_ID;
use graph_mock::{Config, MockServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

/// A mock served to others, as `tutorial mock` serves it.
async fn classroom() -> MockServer {
    start_with(Config::default().shared().auto_approve()).await
}

/// What a learner holds after step 1.
struct Learner {
    tenant: String,
    client_id: String,
    object_id: String,
    secret: String,
}

/// Step 1 as the tutorial does it: the portal's token, a registration, a secret.
async fn enrol(mock: &MockServer) -> Learner {
    let portal = portal_token(mock).await;
    let tenant = decode_jwt(&portal).1["tid"].as_str().unwrap().to_owned();
    let response = graph_post(
        mock,
        "/v1.0/applications",
        &portal,
        &application_body(&[REDIRECT_URI], &[]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let app: Value = response.json().await.unwrap();
    let object_id = app["id"].as_str().unwrap().to_owned();
    let path = format!("/v1.0/applications/{object_id}/addPassword");
    let response = graph_post(mock, &path, &portal, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let password: Value = response.json().await.unwrap();
    Learner {
        tenant,
        client_id: app["appId"].as_str().unwrap().to_owned(),
        object_id,
        secret: password["secretText"].as_str().unwrap().to_owned(),
    }
}

/// Steps 2 to 4 for `client_id` on `tenant`'s endpoints, redeeming the code with `secret`:
/// the token endpoint's answer.
async fn sign_in(
    mock: &MockServer,
    tenant: &str,
    client_id: &str,
    secret: &str,
    scope: &str,
) -> reqwest::Response {
    let code = code_for(
        mock,
        tenant,
        &[("client_id", Some(client_id)), ("scope", Some(scope))],
    )
    .await;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("code", &code),
        ("redirect_uri", REDIRECT_URI),
        ("scope", scope),
    ];
    token(mock, tenant, &form).await
}

async fn access_token_of(mock: &MockServer, learner: &Learner, scope: &str) -> String {
    let response = sign_in(
        mock,
        &learner.tenant,
        &learner.client_id,
        &learner.secret,
        scope,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

const READ_AND_SEND: &str = "User.Read Mail.Send Mail.Read";

#[tokio::test]
async fn every_learner_gets_a_tenant_of_their_own_and_tokens_carry_it() {
    let mock = classroom().await;

    let a = enrol(&mock).await;
    let b = enrol(&mock).await;
    let token = access_token_of(&mock, &a, READ_AND_SEND).await;

    assert!(is_guid(&a.tenant) && is_guid(&b.tenant));
    assert_ne!(a.tenant, b.tenant);
    assert_ne!(a.tenant, TENANT_ID, "the demo tenant is nobody's");
    let (_, claims) = decode_jwt(&token);
    assert_eq!(claims["tid"], a.tenant.as_str());
    assert_eq!(claims["iss"], format!("{}/{}/", mock.uri(), a.tenant));
    let discovery = client()
        .get(format!(
            "{}/{}/v2.0/.well-known/openid-configuration",
            mock.uri(),
            a.tenant
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(discovery.status(), StatusCode::OK);
}

#[tokio::test]
async fn b_cannot_add_a_password_to_as_app() {
    let mock = classroom().await;
    let a = enrol(&mock).await;
    let _b = enrol(&mock).await;
    let b_portal = portal_token(&mock).await;

    let by_object_id = graph_post(
        &mock,
        &format!("/v1.0/applications/{}/addPassword", a.object_id),
        &b_portal,
        &json!({}),
    )
    .await;
    let by_app_id = graph_post(
        &mock,
        &format!("/v1.0/applications(appId='{}')/addPassword", a.client_id),
        &b_portal,
        &json!({}),
    )
    .await;

    assert_graph_error(by_object_id, 404, "Request_ResourceNotFound").await;
    assert_graph_error(by_app_id, 404, "Request_ResourceNotFound").await;
}

#[tokio::test]
async fn b_cannot_sign_in_to_as_app_with_any_public_secret() {
    let mock = classroom().await;
    let a = enrol(&mock).await;
    let b = enrol(&mock).await;

    for secret in [
        WEB_APP.client_secret,
        PORTAL_APP.client_secret,
        b.secret.as_str(),
    ] {
        let response = sign_in(&mock, &a.tenant, &a.client_id, secret, READ_AND_SEND).await;
        assert_aadsts(response, 401, "invalid_client", 7000215).await;
    }
    // Naming B's own tenant, A's app is not in the directory at all.
    let in_bs_tenant = authorize(&mock, &b.tenant, &[("client_id", Some(&a.client_id))]).await;
    assert_eq!(in_bs_tenant.status(), StatusCode::BAD_REQUEST);
    assert!(in_bs_tenant.text().await.unwrap().contains("AADSTS700016"));
    let secret_in_bs_tenant = token(
        &mock,
        &b.tenant,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &a.client_id),
            ("client_secret", &a.secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
    )
    .await;
    assert_aadsts(secret_in_bs_tenant, 400, "unauthorized_client", 700016).await;
}

#[tokio::test]
async fn the_public_portal_secret_opens_no_learners_tenant() {
    let mock = classroom().await;
    let a = enrol(&mock).await;

    let response = token(&mock, &a.tenant, &support::PORTAL_TOKEN_FORM).await;

    assert_aadsts(response, 400, "unauthorized_client", 700016).await;
}

#[tokio::test]
async fn b_cannot_read_as_mail_through_any_app() {
    let mock = classroom().await;
    let a = enrol(&mock).await;
    let b = enrol(&mock).await;
    let a_token = access_token_of(&mock, &a, READ_AND_SEND).await;
    let sent = graph_post(
        &mock,
        "/v1.0/me/sendMail",
        &a_token,
        &mail_to(MEGAN.user_principal_name),
    )
    .await;
    assert_eq!(sent.status(), StatusCode::ACCEPTED);

    let b_token = access_token_of(&mock, &b, READ_AND_SEND).await;
    let demo_token = {
        let response = sign_in(
            &mock,
            TENANT_ID,
            WEB_APP.client_id,
            WEB_APP.client_secret,
            READ_AND_SEND,
        )
        .await;
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    };

    let count = |token: String| {
        let mock = &mock;
        async move {
            let page: Value = graph_get(mock, "/v1.0/me/messages?$top=100", &token)
                .await
                .json()
                .await
                .unwrap();
            page["value"].as_array().unwrap().len()
        }
    };
    assert_eq!(
        count(a_token).await,
        2,
        "A sees the sent and the received copy"
    );
    assert_eq!(count(b_token).await, 0);
    assert_eq!(count(demo_token).await, 0);
}

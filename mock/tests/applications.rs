//! App registration through Graph: the portal app registers an app, adds a secret, and the new
//! app signs a user in.

mod support;

use graph_mock::fixtures::TENANT_ID;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

const NEW_REPLY_URL: &str = "http://localhost:5000/callback";

#[tokio::test]
async fn the_portal_registers_a_web_app_and_gets_201_with_an_app_id() {
    let mock = start().await;
    let portal = portal_token(&mock).await;

    let response = graph_post(
        &mock,
        "/v1.0/applications",
        &portal,
        &application_body(&[NEW_REPLY_URL], &[]),
    )
    .await;

    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.headers().contains_key("location"));
    let app: Value = response.json().await.unwrap();
    assert!(is_guid(app["appId"].as_str().unwrap()));
    assert!(is_guid(app["id"].as_str().unwrap()));
    assert_ne!(app["appId"], app["id"]);
    assert_eq!(app["displayName"], "graph-oauth-tutorial");
    assert_eq!(app["web"]["redirectUris"], json!([NEW_REPLY_URL]));
    assert_eq!(app["passwordCredentials"], json!([]));
    assert_eq!(
        app["requiredResourceAccess"][0]["resourceAccess"][0]["id"],
        USER_READ_ID
    );
    assert!(
        app["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/v1.0/$metadata#applications/$entity")
    );
}

#[tokio::test]
async fn add_password_returns_the_secret_once_with_its_hint() {
    let mock = start().await;
    let portal = portal_token(&mock).await;
    let app = register_app(&mock, &application_body(&[NEW_REPLY_URL], &[])).await;

    let response = graph_post(
        &mock,
        &format!(
            "/v1.0/applications/{}/addPassword",
            app["id"].as_str().unwrap()
        ),
        &portal,
        &json!({"passwordCredential": {"displayName": "tutorial secret"}}),
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let credential: Value = response.json().await.unwrap();
    let secret = credential["secretText"].as_str().unwrap();
    assert!((16..=64).contains(&secret.len()), "{secret}");
    assert_eq!(credential["hint"], &secret[..3]);
    assert_eq!(credential["displayName"], "tutorial secret");
    assert!(is_guid(credential["keyId"].as_str().unwrap()));
    assert_eq!(credential["customKeyIdentifier"], Value::Null);
    assert_eq!(credential["startDateTime"], "2026-11-25T22:10:00Z");
    assert_eq!(credential["endDateTime"], "2028-11-24T22:10:00Z");
}

#[tokio::test]
async fn add_password_also_takes_the_app_id_form_and_no_body() {
    let mock = start().await;
    let portal = portal_token(&mock).await;
    let app = register_app(&mock, &application_body(&[NEW_REPLY_URL], &[])).await;

    let response = client()
        .post(format!(
            "{}/v1.0/applications(appId='{}')/addPassword",
            mock.uri(),
            app["appId"].as_str().unwrap()
        ))
        .bearer_auth(&portal)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let credential: Value = response.json().await.unwrap();
    assert!(credential["secretText"].is_string());
}

#[tokio::test]
async fn a_newly_registered_app_completes_a_sign_in_with_its_new_secret() {
    let mock = start().await;
    let portal = portal_token(&mock).await;
    let app = register_app(&mock, &application_body(&[NEW_REPLY_URL], &[])).await;
    let client_id = app["appId"].as_str().unwrap();
    let credential: Value = graph_post(
        &mock,
        &format!(
            "/v1.0/applications/{}/addPassword",
            app["id"].as_str().unwrap()
        ),
        &portal,
        &json!({}),
    )
    .await
    .json()
    .await
    .unwrap();
    let secret = credential["secretText"].as_str().unwrap();

    let code = code_for(
        &mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some(NEW_REPLY_URL)),
        ],
    )
    .await;
    let response = token(
        &mock,
        TENANT_ID,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("code", &code),
            ("redirect_uri", NEW_REPLY_URL),
            ("scope", SCOPE),
        ],
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let tokens: Value = response.json().await.unwrap();
    let (_, id_claims) = decode_jwt(tokens["id_token"].as_str().unwrap());
    assert_eq!(id_claims["aud"], client_id);
    let send = graph_post(
        &mock,
        "/v1.0/me/sendMail",
        tokens["access_token"].as_str().unwrap(),
        &mail_to(ALEX.user_principal_name),
    )
    .await;
    assert_eq!(send.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_new_web_app_without_a_secret_cannot_redeem_its_code() {
    let mock = start().await;
    let app = register_app(&mock, &application_body(&[NEW_REPLY_URL], &[])).await;
    let client_id = app["appId"].as_str().unwrap();
    let code = code_for(
        &mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some(NEW_REPLY_URL)),
        ],
    )
    .await;

    let response = token(
        &mock,
        TENANT_ID,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("client_secret", "a guess"),
            ("code", &code),
            ("redirect_uri", NEW_REPLY_URL),
        ],
    )
    .await;

    assert_aadsts(response, 401, "invalid_client", 7000215).await;
}

#[tokio::test]
async fn a_delegated_user_token_cannot_register_apps() {
    let mock = start().await;
    let user = access_token(&mock, SCOPE).await;

    let response = graph_post(
        &mock,
        "/v1.0/applications",
        &user,
        &application_body(&[NEW_REPLY_URL], &[]),
    )
    .await;

    assert_graph_error(response, 403, "Authorization_RequestDenied").await;
}

#[tokio::test]
async fn the_portal_cannot_add_secrets_to_apps_it_does_not_own() {
    let mock = start().await;
    let portal = portal_token(&mock).await;

    let response = graph_post(
        &mock,
        &format!("/v1.0/applications/{}/addPassword", WEB_APP.object_id),
        &portal,
        &json!({}),
    )
    .await;

    assert_graph_error(response, 403, "Authorization_RequestDenied").await;
}

#[tokio::test]
async fn registration_refuses_bad_bodies_and_unknown_apps() {
    let mock = start().await;
    let portal = portal_token(&mock).await;

    let no_name = graph_post(&mock, "/v1.0/applications", &portal, &json!({"web": {}})).await;
    let http_reply_url = graph_post(
        &mock,
        "/v1.0/applications",
        &portal,
        &application_body(&["http://app.example/callback"], &[]),
    )
    .await;
    let mut body = application_body(&["http://localhost/callback"], &[]);
    body["signInAudience"] = json!("AzureADEveryone");
    let unknown_audience = graph_post(&mock, "/v1.0/applications", &portal, &body).await;
    let unknown = graph_post(
        &mock,
        "/v1.0/applications/00000000-0000-0000-0000-000000000000/addPassword",
        &portal,
        &json!({}),
    )
    .await;

    assert_graph_error(no_name, 400, "Request_BadRequest").await;
    assert_graph_error(http_reply_url, 400, "Request_BadRequest").await;
    assert_graph_error(unknown_audience, 400, "Request_BadRequest").await;
    assert_graph_error(unknown, 404, "Request_ResourceNotFound").await;
}

//! On-behalf-of: an app exposes a scope through Graph (`identifierUris`,
//! `api.oauth2PermissionScopes`), a user signs in to another app for
//! `api://{appId}/access_as_user` and gets a token for the API, and the API trades it for a
//! Graph token (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
//! `requested_token_use=on_behalf_of`); every refusal in Entra's shape.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use graph_mock::MockServer;
use graph_mock::fixtures::TENANT_ID;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use support::*;

const API_REPLY_URL: &str = "http://localhost:5001/signed-in";
const WEB_REPLY_URL: &str = "http://localhost:5000/signed-in";
const OBO: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const SCOPE_ID: &str = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";

/// A registered app with a new secret: (`201` body, secret).
async fn app_with_secret(mock: &MockServer, reply_url: &str) -> (Value, String) {
    let app = register_app(mock, &application_body(&[reply_url], &[])).await;
    let portal = portal_token(mock).await;
    let added = graph_post(
        mock,
        &format!(
            "/v1.0/applications/{}/addPassword",
            app["id"].as_str().unwrap()
        ),
        &portal,
        &json!({}),
    )
    .await;
    let secret: Value = added.json().await.unwrap();
    (app, secret["secretText"].as_str().unwrap().to_owned())
}

fn exposure(app_id: &str) -> Value {
    json!({
        "identifierUris": [format!("api://{app_id}")],
        "api": {"oauth2PermissionScopes": [{
            "id": SCOPE_ID,
            "value": "access_as_user",
            "type": "User",
            "isEnabled": true,
            "adminConsentDisplayName": "Access the API",
            "adminConsentDescription": "Call the API as the signed-in user.",
            "userConsentDisplayName": "Access the API as you",
            "userConsentDescription": "Call the API as you.",
        }]},
    })
}

/// The API (exposing `access_as_user`), its secret, and a web app that calls it.
struct Apps {
    api: Value,
    api_secret: String,
    web: Value,
    web_secret: String,
}

async fn apps(mock: &MockServer) -> Apps {
    let (api, api_secret) = app_with_secret(mock, API_REPLY_URL).await;
    let (web, web_secret) = app_with_secret(mock, WEB_REPLY_URL).await;
    let portal = portal_token(mock).await;
    let path = format!("/v1.0/applications/{}", api["id"].as_str().unwrap());
    let exposed = graph_patch(
        mock,
        &path,
        &portal,
        &exposure(api["appId"].as_str().unwrap()),
    )
    .await;
    assert_eq!(exposed.status(), StatusCode::NO_CONTENT);
    Apps {
        api,
        api_secret,
        web,
        web_secret,
    }
}

/// Auto-approve sign-in of Megan to `client_id` for `scope`, redeemed: the token answer.
async fn sign_in(
    mock: &MockServer,
    client_id: &str,
    secret: &str,
    reply_url: &str,
    scope: &str,
) -> Value {
    let redirect = authorize(
        mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some(reply_url)),
            ("scope", Some(scope)),
        ],
    )
    .await;
    let params = redirect_params(&redirect);
    let code = param(&params, "code")
        .unwrap_or_else(|| panic!("a code: {params:?}"))
        .to_owned();
    let response = token(
        mock,
        TENANT_ID,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("code", &code),
            ("redirect_uri", reply_url),
            ("scope", scope),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Megan's access token for the API, from the web app.
async fn user_token_for_api(mock: &MockServer, apps: &Apps) -> String {
    let scope = format!(
        "openid offline_access api://{}/access_as_user",
        apps.api["appId"].as_str().unwrap()
    );
    let answer = sign_in(
        mock,
        apps.web["appId"].as_str().unwrap(),
        &apps.web_secret,
        WEB_REPLY_URL,
        &scope,
    )
    .await;
    answer["access_token"].as_str().unwrap().to_owned()
}

/// Megan signs in to the API itself and consents to `User.Read` for it: its Graph token.
async fn consent_to_api(mock: &MockServer, apps: &Apps) -> String {
    let answer = sign_in(
        mock,
        apps.api["appId"].as_str().unwrap(),
        &apps.api_secret,
        API_REPLY_URL,
        "openid User.Read",
    )
    .await;
    answer["access_token"].as_str().unwrap().to_owned()
}

async fn on_behalf_of(mock: &MockServer, apps: &Apps, assertion: &str) -> Response {
    token(
        mock,
        TENANT_ID,
        &[
            ("grant_type", OBO),
            ("client_id", apps.api["appId"].as_str().unwrap()),
            ("client_secret", &apps.api_secret),
            ("assertion", assertion),
            ("scope", "https://graph.microsoft.com/User.Read"),
            ("requested_token_use", "on_behalf_of"),
        ],
    )
    .await
}

fn message(body: &Value) -> &str {
    let description = body["error_description"].as_str().unwrap();
    description.split(" Trace ID: ").next().unwrap()
}

#[tokio::test]
async fn an_exposed_api_is_shown_on_the_application() {
    let mock = start().await;
    let apps = apps(&mock).await;
    let portal = portal_token(&mock).await;

    let shown: Value = graph_get(
        &mock,
        &format!("/v1.0/applications/{}", apps.api["id"].as_str().unwrap()),
        &portal,
    )
    .await
    .json()
    .await
    .unwrap();

    let api_id = apps.api["appId"].as_str().unwrap();
    assert_eq!(shown["identifierUris"], json!([format!("api://{api_id}")]));
    let scope = &shown["api"]["oauth2PermissionScopes"][0];
    assert_eq!(scope["id"], SCOPE_ID);
    assert_eq!(scope["value"], "access_as_user");
    assert_eq!(scope["type"], "User");
    assert_eq!(scope["isEnabled"], true);
    assert_eq!(scope["adminConsentDisplayName"], "Access the API");
}

#[tokio::test]
async fn identifier_uris_must_be_the_apps_own() {
    let mock = start().await;
    let apps = apps(&mock).await;
    let portal = portal_token(&mock).await;
    let path = format!("/v1.0/applications/{}", apps.web["id"].as_str().unwrap());

    let elsewhere = graph_patch(
        &mock,
        &path,
        &portal,
        &json!({"identifierUris": ["https://contoso.example/api"]}),
    )
    .await;

    let body = assert_graph_error(elsewhere, 400, "HostNameNotOnVerifiedDomain").await;
    assert_eq!(
        body["error"]["message"],
        "Values of identifierUris property must use a verified domain of the organization or its subdomain: 'https://contoso.example/api'"
    );
}

#[tokio::test]
async fn a_token_for_the_api_is_a_v1_token_with_the_app_id_uri_as_audience() {
    let mock = start().await;
    let apps = apps(&mock).await;

    let token = user_token_for_api(&mock, &apps).await;
    let graph = graph_get(&mock, "/v1.0/me", &token).await;

    let (_, claims) = decode_jwt(&token);
    let api_id = apps.api["appId"].as_str().unwrap();
    assert_eq!(claims["aud"], format!("api://{api_id}"));
    assert_eq!(claims["ver"], "1.0");
    assert_eq!(claims["scp"], "access_as_user");
    assert_eq!(claims["appid"], apps.web["appId"]);
    assert_eq!(claims["upn"], MEGAN.user_principal_name);
    // Not a Graph token.
    assert_graph_error(graph, 401, "InvalidAuthenticationToken").await;
}

#[tokio::test]
async fn api_scopes_are_checked_and_one_resource_is_asked_at_a_time() {
    let mock = start().await;
    let apps = apps(&mock).await;
    let api_id = apps.api["appId"].as_str().unwrap();
    let web_id = apps.web["appId"].as_str().unwrap();
    let ask = |scope: String| {
        let mock = &mock;
        async move {
            let redirect = authorize(
                mock,
                TENANT_ID,
                &[
                    ("client_id", Some(web_id)),
                    ("redirect_uri", Some(WEB_REPLY_URL)),
                    ("scope", Some(&scope)),
                ],
            )
            .await;
            redirect_params(&redirect)
        }
    };

    let mixed = ask(format!("api://{api_id}/access_as_user User.Read")).await;
    let unknown_scope = ask(format!("api://{api_id}/write_everything")).await;
    let unknown_api = ask("api://0b0e4c1a-9f2d-4e57-8a3b-6c5d4e3f2a1b/access_as_user".into()).await;

    assert_eq!(param(&mixed, "error"), Some("invalid_scope"));
    assert!(
        param(&mixed, "error_description")
            .unwrap()
            .starts_with("AADSTS70011: ")
    );
    assert_eq!(param(&unknown_scope, "error"), Some("invalid_scope"));
    assert_eq!(param(&unknown_api, "error"), Some("invalid_resource"));
    assert!(
        param(&unknown_api, "error_description")
            .unwrap()
            .starts_with("AADSTS500011: The resource principal named api://0b0e4c1a-9f2d-4e57-8a3b-6c5d4e3f2a1b was not found")
    );
}

#[tokio::test]
async fn on_behalf_of_needs_the_users_consent_to_the_api_then_gets_graph() {
    let mock = start().await;
    let apps = apps(&mock).await;
    let user_token = user_token_for_api(&mock, &apps).await;
    let api_id = apps.api["appId"].as_str().unwrap();

    let before = on_behalf_of(&mock, &apps, &user_token).await;
    let body = assert_aadsts(before, 400, "invalid_grant", 65001).await;
    assert_eq!(body["suberror"], "consent_required");
    assert_eq!(
        message(&body),
        format!(
            "AADSTS65001: The user or administrator has not consented to use the application with ID '{api_id}' named 'graph-oauth-tutorial'. Send an interactive authorization request for this user and resource."
        )
    );

    consent_to_api(&mock, &apps).await;
    let after = on_behalf_of(&mock, &apps, &user_token).await;

    assert_eq!(after.status(), StatusCode::OK);
    let answer: Value = after.json().await.unwrap();
    assert_eq!(answer["token_type"], "Bearer");
    let graph_token = answer["access_token"].as_str().unwrap();
    let (_, claims) = decode_jwt(graph_token);
    assert_eq!(claims["aud"], GRAPH_APP_ID);
    assert_eq!(claims["appid"], api_id);
    assert_eq!(claims["upn"], MEGAN.user_principal_name);
    assert!(claims["scp"].as_str().unwrap().contains("User.Read"));
    let me = graph_get(&mock, "/v1.0/me", graph_token).await;
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_for_another_audience_is_500131() {
    let mock = start().await;
    let apps = apps(&mock).await;
    let graph_token = consent_to_api(&mock, &apps).await;
    let api_id = apps.api["appId"].as_str().unwrap();

    let response = on_behalf_of(&mock, &apps, &graph_token).await;

    let body = assert_aadsts(response, 400, "invalid_grant", 500131).await;
    assert_eq!(
        message(&body),
        format!(
            "AADSTS500131: Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '{GRAPH_APP_ID}' and the expected audience is '{api_id}' or one of the Application Uris of this application with App ID '{api_id}'(graph-oauth-tutorial). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion."
        )
    );
}

#[tokio::test]
async fn expired_forged_and_incomplete_assertions_are_refused() {
    let mock = start().await;
    let apps = apps(&mock).await;
    let user_token = user_token_for_api(&mock, &apps).await;
    consent_to_api(&mock, &apps).await;
    let (header, _) = user_token.split_once('.').unwrap();
    let forged = format!("{header}.eyJhdWQiOiJ4In0.c2lnbmF0dXJl");
    let api_id = apps.api["appId"].as_str().unwrap().to_owned();

    let forged_response = on_behalf_of(&mock, &apps, &forged).await;
    let no_use = token(
        &mock,
        TENANT_ID,
        &[
            ("grant_type", OBO),
            ("client_id", &api_id),
            ("client_secret", &apps.api_secret),
            ("assertion", &user_token),
            ("scope", "User.Read"),
        ],
    )
    .await;
    mock.advance_clock(Duration::from_secs(2 * 3600));
    let expired = on_behalf_of(&mock, &apps, &user_token).await;

    let body = assert_aadsts(forged_response, 400, "invalid_grant", 50013).await;
    assert!(
        message(&body).starts_with("AADSTS50013: Assertion failed signature validation."),
        "{body}"
    );
    let body = assert_aadsts(no_use, 400, "invalid_request", 900144).await;
    assert_eq!(
        message(&body),
        "AADSTS900144: The request body must contain the following parameter: 'requested_token_use'."
    );
    let body = assert_aadsts(expired, 400, "invalid_grant", 50013).await;
    assert_eq!(
        message(&body),
        "AADSTS50013: Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: 2026-11-26T00:10:00.0000000Z, expiry time of assertion 2026-11-25T23:09:59.0000000Z."
    );
}

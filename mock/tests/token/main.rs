//! The token endpoint's answers when it says yes: v2.0 and v1 shapes, the claims of the access
//! and id tokens, refresh, client credentials and the ways a client may authenticate.
//!
//! `grants.rs`: client credentials, how a client authenticates, the v1 shapes, public and
//!   single-tenant clients, token lifetimes.

mod grants;
#[path = "../support/mod.rs"]
mod support;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use graph_mock::fixtures::{TENANT_DOMAIN, TENANT_ID};
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

#[tokio::test]
async fn the_v2_answer_has_bearer_numbers_the_scope_as_asked_and_every_token() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[("client_info", Some("1"))]).await;

    let response = redeem(&mock, &code, &[("client_info", "1")]).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(response.headers()["cache-control"], "no-store, no-cache");
    assert!(response.headers().get("www-authenticate").is_none());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "openid profile User.Read Mail.Send");
    assert!(body["expires_in"].is_u64());
    assert!(body["ext_expires_in"].is_u64());
    assert!(body["access_token"].is_string());
    assert!(body["refresh_token"].is_string());
    assert!(body["id_token"].is_string());
    let client_info = URL_SAFE_NO_PAD
        .decode(body["client_info"].as_str().unwrap())
        .unwrap();
    let client_info: Value = serde_json::from_slice(&client_info).unwrap();
    assert_eq!(client_info["uid"], MEGAN.id);
    assert_eq!(client_info["utid"], TENANT_ID);
}

#[tokio::test]
async fn the_scope_is_echoed_as_spelled_without_offline_access() {
    let mock = start().await;
    let scope = "openid https://graph.microsoft.com/user.read offline_access Mail.Send";

    let body = tokens_with_scope(&mock, scope).await;

    assert_eq!(
        body["scope"],
        "openid https://graph.microsoft.com/user.read Mail.Send"
    );
}

#[tokio::test]
async fn no_offline_access_means_no_refresh_token_and_no_openid_no_id_token() {
    let mock = start().await;

    let body = tokens_with_scope(&mock, "User.Read").await;

    assert!(body["access_token"].is_string());
    assert!(body.get("refresh_token").is_none());
    assert!(body.get("id_token").is_none());
    assert!(body.get("client_info").is_none(), "not asked for");
}

#[tokio::test]
async fn the_access_token_is_a_v1_graph_token_for_the_signed_in_user() {
    let mock = start().await;

    let body = tokens_with_scope(&mock, SCOPE).await;

    let (header, claims) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["kid"], header["x5t"]);
    assert_eq!(claims["aud"], GRAPH_APP_ID);
    assert_eq!(claims["ver"], "1.0");
    assert_eq!(claims["scp"], "User.Read Mail.Send profile openid");
    assert_eq!(claims["oid"], MEGAN.id);
    assert_eq!(claims["tid"], TENANT_ID);
    assert_eq!(claims["appid"], WEB_APP.client_id);
    assert_eq!(claims["appidacr"], "1");
    assert_eq!(claims["idtyp"], "user");
    assert_eq!(claims["upn"], MEGAN.user_principal_name);
    assert_eq!(claims["name"], MEGAN.display_name);
    assert_eq!(claims["iss"], format!("{}/{TENANT_ID}/", mock.uri()));
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["nbf"].as_i64(), Some(iat));
    assert_eq!(
        claims["exp"].as_i64().unwrap() - iat,
        body["expires_in"].as_i64().unwrap()
    );
}

#[tokio::test]
async fn the_id_token_names_the_app_and_the_issuer_of_the_segment_used() {
    let mock = start().await;
    let base = mock.uri();

    for (segment, issuer) in [
        ("common", format!("{base}/common/v2.0")),
        ("organizations", format!("{base}/organizations/v2.0")),
        (TENANT_ID, format!("{base}/{TENANT_ID}/v2.0")),
        (TENANT_DOMAIN, format!("{base}/{TENANT_ID}/v2.0")),
    ] {
        let code = code_for(&mock, segment, &[]).await;
        let body: Value = client()
            .post(format!("{base}/{segment}/oauth2/v2.0/token"))
            .form(&redemption(&code))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let discovery: Value = client()
            .get(format!(
                "{base}/{segment}/v2.0/.well-known/openid-configuration"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();

        let (header, claims) = decode_jwt(body["id_token"].as_str().unwrap());
        assert_eq!(header["alg"], "RS256");
        assert_eq!(claims["iss"], issuer, "{segment}");
        assert_eq!(claims["iss"], discovery["issuer"], "{segment}");
        assert_eq!(claims["aud"], WEB_APP.client_id);
        assert_eq!(claims["ver"], "2.0");
        assert_eq!(claims["tid"], TENANT_ID);
        assert_eq!(claims["oid"], MEGAN.id);
        assert_eq!(claims["preferred_username"], MEGAN.user_principal_name);
        assert!(claims["sub"].is_string());
        assert!(claims.get("nonce").is_none(), "no nonce was sent");
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            3600
        );
    }
}

#[tokio::test]
async fn the_nonce_is_copied_unchanged_when_one_was_sent() {
    let mock = start().await;
    let nonce = "2f5e3c1a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
    let code = code_for(&mock, "common", &[("nonce", Some(nonce))]).await;

    let body: Value = redeem(&mock, &code, &[]).await.json().await.unwrap();

    let (_, claims) = decode_jwt(body["id_token"].as_str().unwrap());
    assert_eq!(claims["nonce"], nonce);
}

#[tokio::test]
async fn the_email_scope_adds_the_email_claim() {
    let mock = start().await;

    let body = tokens_with_scope(&mock, "openid email User.Read").await;

    let (_, claims) = decode_jwt(body["id_token"].as_str().unwrap());
    assert_eq!(claims["email"], MEGAN.user_principal_name);
}

#[tokio::test]
async fn the_scope_may_be_left_out_of_the_code_redemption() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[]).await;

    let response = token(
        &mock,
        "common",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", WEB_APP.client_id),
            ("client_secret", WEB_APP.client_secret),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["scope"], "openid profile User.Read Mail.Send");
}

#[tokio::test]
async fn a_refresh_token_rotates_and_works_with_and_without_a_scope() {
    let mock = start().await;
    let first = tokens_with_scope(&mock, SCOPE).await;
    let refresh = |token: String, scope: Option<&'static str>| {
        let mock = &mock;
        async move {
            let mut form = vec![
                ("grant_type", "refresh_token".to_string()),
                ("client_id", WEB_APP.client_id.to_string()),
                ("client_secret", WEB_APP.client_secret.to_string()),
                ("refresh_token", token),
            ];
            if let Some(scope) = scope {
                form.push(("scope", scope.to_string()));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = support::token(mock, "common", &form).await;
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<Value>().await.unwrap()
        }
    };

    let with_scope = refresh(
        first["refresh_token"].as_str().unwrap().to_owned(),
        Some("User.Read offline_access"),
    )
    .await;
    let without_scope = refresh(
        with_scope["refresh_token"].as_str().unwrap().to_owned(),
        None,
    )
    .await;

    assert_ne!(
        with_scope["refresh_token"], first["refresh_token"],
        "it rotates"
    );
    assert_ne!(without_scope["refresh_token"], with_scope["refresh_token"]);
    // Asking for less still gets every consented permission, as in the cloud.
    assert_eq!(with_scope["scope"], "User.Read Mail.Send");
    let (_, narrowed) = decode_jwt(with_scope["access_token"].as_str().unwrap());
    assert_eq!(narrowed["scp"], "User.Read Mail.Send");
    let (_, again) = decode_jwt(without_scope["access_token"].as_str().unwrap());
    assert_eq!(again["oid"], MEGAN.id);
    assert!(again["scp"].as_str().unwrap().contains("User.Read"));
    let me = graph_get(
        &mock,
        "/v1.0/me",
        without_scope["access_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_refresh_without_a_scope_grants_the_original_scopes_again() {
    let mock = start().await;
    let first = tokens_with_scope(&mock, SCOPE).await;

    let response = token(
        &mock,
        "common",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", WEB_APP.client_id),
            ("client_secret", WEB_APP.client_secret),
            ("refresh_token", first["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;

    let body: Value = response.json().await.unwrap();
    assert_eq!(body["scope"], first["scope"]);
    let (_, claims) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(claims["scp"], "User.Read Mail.Send profile openid");
    assert!(body["id_token"].is_string());
}

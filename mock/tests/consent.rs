//! Consent as the cloud keeps it: per user and app, accumulating across sign-ins; tokens carry
//! every consented permission; a refresh token may get any consented scope and always rotates.

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

mod support;

use reqwest::StatusCode;
use serde_json::Value;
use support::*;

/// A refresh as MSAL sends it, with `scope` if given.
async fn refresh(
    mock: &graph_mock::MockServer,
    refresh_token: &str,
    scope: Option<&str>,
) -> reqwest::Response {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("client_id", WEB_APP.client_id),
        ("client_secret", WEB_APP.client_secret),
        ("refresh_token", refresh_token),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    token(mock, "common", &form).await
}

fn scp(body: &Value) -> String {
    let (_, claims) = decode_jwt(body["access_token"].as_str().unwrap());
    claims["scp"].as_str().unwrap().to_owned()
}

/// `@azure/identity` for Node: MSAL signs in for both permissions, redeems the code for
/// `User.Read` only, then refreshes for `Mail.Send`. The cloud says yes: Mail.Send was
/// consented at sign-in.
#[tokio::test]
async fn a_code_redeemed_for_one_scope_refreshes_for_another_consented_one() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[]).await;
    let redeemed = redeem(
        &mock,
        &code,
        &[("scope", "User.Read openid profile offline_access")],
    )
    .await;
    assert_eq!(redeemed.status(), StatusCode::OK);
    let redeemed: Value = redeemed.json().await.unwrap();

    let refreshed = refresh(
        &mock,
        redeemed["refresh_token"].as_str().unwrap(),
        Some("Mail.Send openid profile offline_access"),
    )
    .await;

    assert_eq!(refreshed.status(), StatusCode::OK);
    let refreshed: Value = refreshed.json().await.unwrap();
    assert!(scp(&refreshed).contains("Mail.Send"));
    let sent = graph_post(
        &mock,
        "/v1.0/me/sendMail",
        refreshed["access_token"].as_str().unwrap(),
        &mail_to(MEGAN.user_principal_name),
    )
    .await;
    assert_eq!(sent.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn every_token_carries_every_consented_permission_even_when_asked_for_fewer() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[]).await;

    let body: Value = redeem(&mock, &code, &[("scope", "User.Read offline_access")])
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(scp(&body), "User.Read Mail.Send");
    assert_eq!(body["scope"], "User.Read Mail.Send");
}

#[tokio::test]
async fn consent_accumulates_across_sign_ins_for_the_same_user_and_app_only() {
    let mock = start().await;
    let first = tokens_with_scope(&mock, "openid offline_access User.Read").await;
    let refused = refresh(
        &mock,
        first["refresh_token"].as_str().unwrap(),
        Some("Mail.Send offline_access"),
    )
    .await;
    assert_aadsts(refused, 400, "invalid_grant", 65001).await;

    let second = tokens_with_scope(&mock, "openid Mail.Send").await;
    let alex = tokens_as(&mock, "openid User.Read", Some(ALEX.user_principal_name)).await;
    let now_allowed = refresh(
        &mock,
        first["refresh_token"].as_str().unwrap(),
        Some("Mail.Send offline_access"),
    )
    .await;

    assert_eq!(scp(&second), "Mail.Send User.Read openid");
    assert_eq!(
        scp(&alex),
        "User.Read openid",
        "Megan's consent is not Alex's"
    );
    assert_eq!(now_allowed.status(), StatusCode::OK);
    let now_allowed: Value = now_allowed.json().await.unwrap();
    assert_eq!(scp(&now_allowed), "Mail.Send User.Read");
}

#[tokio::test]
async fn a_refresh_without_offline_access_in_its_scope_still_gets_a_new_refresh_token() {
    let mock = start().await;
    let first = tokens_with_scope(&mock, SCOPE).await;

    let response = refresh(
        &mock,
        first["refresh_token"].as_str().unwrap(),
        Some("User.Read Mail.Send"),
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let rotated = body["refresh_token"].as_str().expect("a new refresh token");
    assert_ne!(rotated, first["refresh_token"].as_str().unwrap());
    let again = refresh(&mock, rotated, Some("User.Read")).await;
    assert_eq!(again.status(), StatusCode::OK, "and it works");
}

#[tokio::test]
async fn a_refresh_for_a_permission_never_consented_is_refused() {
    let mock = start().await;
    let first = tokens_with_scope(&mock, SCOPE).await;

    let response = refresh(
        &mock,
        first["refresh_token"].as_str().unwrap(),
        Some("Mail.ReadWrite offline_access"),
    )
    .await;

    let body = assert_aadsts(response, 400, "invalid_grant", 65001).await;
    assert_eq!(body["suberror"], "consent_required");
}

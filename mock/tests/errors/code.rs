//! Refusals of the client and of its code: who it is, its secret, PKCE and scopes.

use std::time::Duration;

use reqwest::StatusCode;

use crate::support::*;
use crate::{CHALLENGE_VERIFIER, assert_refusals, case, code_with_challenge, public_client_code};
use graph_mock::fixtures::TENANT_ID;

#[tokio::test]
async fn refusals_of_the_client_and_its_code_have_their_code_error_and_status() {
    let mock = start().await;
    let web = WEB_APP.client_id;
    let mut cases = Vec::new();
    let unknown_client = token(
        &mock,
        "common",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "11111111-2222-3333-4444-555555555555"),
            ("code", "x"),
        ],
    )
    .await;
    cases.push(case(
        "unknown client",
        unknown_client,
        400,
        "unauthorized_client",
        700016,
    ));

    let code = code_for(&mock, "common", &[]).await;
    let other_reply_url = redeem(
        &mock,
        &code,
        &[("redirect_uri", "http://127.0.0.1:9000/connect/get_token/")],
    )
    .await;
    cases.push(case(
        "another redirect_uri",
        other_reply_url,
        401,
        "invalid_client",
        500112,
    ));

    let wrong_secret = redeem(&mock, &code, &[("client_secret", "not-the-secret")]).await;
    cases.push(case(
        "wrong secret",
        wrong_secret,
        401,
        "invalid_client",
        7000215,
    ));

    let no_secret = token(
        &mock,
        "common",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", web),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;
    cases.push(case("no secret", no_secret, 401, "invalid_client", 7000218));

    let (public_id, public_code) = public_client_code(&mock).await;
    let public_with_secret = token(
        &mock,
        TENANT_ID,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &public_id),
            ("client_secret", "anything"),
            ("code", &public_code),
            ("redirect_uri", "http://localhost:5000"),
        ],
    )
    .await;
    cases.push(case(
        "public client with a secret",
        public_with_secret,
        401,
        "invalid_client",
        700025,
    ));

    let first = redeem(&mock, &code, &[]).await;
    assert_eq!(
        first.status(),
        StatusCode::OK,
        "the code still works after refusals"
    );
    let replay = redeem(&mock, &code, &[]).await;
    cases.push(case("code replayed", replay, 400, "invalid_grant", 54005));

    let stale = code_for(&mock, "common", &[]).await;
    mock.advance_clock(Duration::from_secs(11 * 60));
    let expired = redeem(&mock, &stale, &[]).await;
    cases.push(case("code expired", expired, 400, "invalid_grant", 70008));

    let pkce = code_with_challenge(&mock).await;
    let mismatch = redeem(
        &mock,
        &pkce,
        &[(
            "code_verifier",
            "wrong-verifier-wrong-verifier-wrong-verifier",
        )],
    )
    .await;
    cases.push(case(
        "PKCE mismatch",
        mismatch,
        400,
        "invalid_grant",
        501481,
    ));
    let missing_verifier = redeem(&mock, &pkce, &[]).await;
    cases.push(case(
        "PKCE verifier missing",
        missing_verifier,
        400,
        "invalid_grant",
        501481,
    ));
    let right = redeem(&mock, &pkce, &[("code_verifier", CHALLENGE_VERIFIER)]).await;
    assert_eq!(
        right.status(),
        StatusCode::OK,
        "the right verifier redeems it"
    );

    let fresh = code_for(&mock, "common", &[]).await;
    let bad_scope = redeem(&mock, &fresh, &[("scope", "openid User.Fly")]).await;
    cases.push(case(
        "unknown scope",
        bad_scope,
        400,
        "invalid_scope",
        70011,
    ));
    let other_resource = redeem(
        &mock,
        &fresh,
        &[("scope", "https://vault.azure.net/user_impersonation")],
    )
    .await;
    cases.push(case(
        "scope of another resource",
        other_resource,
        400,
        "invalid_resource",
        500011,
    ));
    let more_than_granted = redeem(&mock, &fresh, &[("scope", "openid User.Read Mail.Read")]).await;
    cases.push(case(
        "more than was granted",
        more_than_granted,
        400,
        "invalid_grant",
        65001,
    ));
    let resource_on_v2 = redeem(
        &mock,
        &fresh,
        &[("resource", "https://graph.microsoft.com")],
    )
    .await;
    cases.push(case(
        "resource on v2.0",
        resource_on_v2,
        400,
        "invalid_request",
        901002,
    ));

    assert_refusals(&mock, cases).await;
}

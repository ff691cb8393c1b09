//! Graph's refusals: no token, bad tokens, missing permissions, bad mail.

use super::*;

#[tokio::test]
async fn no_token_is_401_with_a_bearer_challenge() {
    let mock = start().await;

    let response = client()
        .get(format!("{}/v1.0/me", mock.uri()))
        .send()
        .await
        .unwrap();

    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.starts_with("Bearer realm=\"\", authorization_uri=\""),
        "{challenge}"
    );
    assert!(challenge.contains("client_id=\"00000003-0000-0000-c000-000000000000\""));
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body = assert_graph_error(response, 401, "InvalidAuthenticationToken").await;
    assert_eq!(body["error"]["message"], "Access token is empty.");
    assert_eq!(body["error"]["innerError"]["date"], "2026-11-25T22:10:00");
}

#[tokio::test]
async fn bad_tokens_are_401_invalid_authentication_token() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;
    let (header, rest) = token.split_once('.').unwrap();
    let (claims, signature) = rest.split_once('.').unwrap();
    let mut forged_claims = decode_jwt(&token).1;
    forged_claims["oid"] = json!(ALEX.id);
    let forged = format!(
        "{header}.{}.{signature}",
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            forged_claims.to_string()
        )
    );
    let cut_signature = format!("{header}.{claims}.{}", &signature[..signature.len() - 4]);

    for (what, bad) in [
        ("garbage", "not-a-token".to_string()),
        ("three dots of garbage", "a.b.c".to_string()),
        ("claims changed", forged),
        ("signature cut", cut_signature),
    ] {
        let response = graph_get(&mock, "/v1.0/me", &bad).await;

        assert!(
            response.headers().contains_key("www-authenticate"),
            "{what}"
        );
        assert_graph_error(response, 401, "InvalidAuthenticationToken").await;
    }
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    mock.advance_clock(Duration::from_secs(2 * 3600));
    let response = graph_get(&mock, "/v1.0/me", &token).await;

    let body = assert_graph_error(response, 401, "InvalidAuthenticationToken").await;
    assert_eq!(
        body["error"]["message"],
        "Access token has expired or is not yet valid."
    );
}

#[tokio::test]
async fn a_token_without_mail_send_cannot_send_mail() {
    let mock = start().await;
    let token = access_token(&mock, "openid User.Read").await;

    let response = graph_post(
        &mock,
        "/v1.0/me/sendMail",
        &token,
        &mail_to("a@contoso.com"),
    )
    .await;

    assert_graph_error(response, 403, "ErrorAccessDenied").await;
}

#[tokio::test]
async fn a_bad_recipient_is_400_error_invalid_recipients() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    for to in ["not-an-address", "", "a@b", "two words@contoso.com"] {
        let response = graph_post(&mock, "/v1.0/me/sendMail", &token, &mail_to(to)).await;

        assert_graph_error(response, 400, "ErrorInvalidRecipients").await;
    }
}

#[tokio::test]
async fn a_message_without_recipients_is_refused() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let response = graph_post(
        &mock,
        "/v1.0/me/sendMail",
        &token,
        &json!({"message": {"subject": "to nobody"}}),
    )
    .await;

    assert_graph_error(response, 400, "ErrorInvalidRecipients").await;
}

#[tokio::test]
async fn malformed_json_is_400_bad_request() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let response = client()
        .post(format!("{}/v1.0/me/sendMail", mock.uri()))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"message\": {")
        .send()
        .await
        .unwrap();

    let body = assert_graph_error(response, 400, "BadRequest").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Unable to read JSON request payload.")
    );
}

#[tokio::test]
async fn an_app_only_token_cannot_ask_for_me() {
    let mock = start().await;
    let token = portal_token(&mock).await;

    let response = graph_get(&mock, "/v1.0/me", &token).await;

    assert_graph_error(response, 400, "BadRequest").await;
}

#[tokio::test]
async fn an_id_token_is_not_accepted_by_graph() {
    let mock = start().await;
    let tokens = tokens_with_scope(&mock, SCOPE).await;

    let response = graph_get(&mock, "/v1.0/me", tokens["id_token"].as_str().unwrap()).await;

    assert_graph_error(response, 401, "InvalidAuthenticationToken").await;
}

#[tokio::test]
async fn top_limits_the_message_list() {
    let mock = start().await;
    let token = access_token(&mock, READ_AND_SEND).await;
    for _ in 0..3 {
        graph_post(
            &mock,
            "/v1.0/me/sendMail",
            &token,
            &mail_to("adele@contoso.com"),
        )
        .await;
    }

    let page: Value = graph_get(&mock, "/v1.0/me/messages?$top=2", &token)
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(page["value"].as_array().unwrap().len(), 2);
}

/// PROTOCOL §8.6: a token minted through the TLS front is sent to plain-http Graph.
#[tokio::test]
async fn graph_accepts_a_token_whose_issuer_names_another_host() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[]).await;
    let tokens: Value = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "localhost:8443")
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", WEB_APP.client_id),
            ("client_secret", WEB_APP.client_secret),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap();

    let response = graph_get(&mock, "/v1.0/me", token).await;

    assert_eq!(
        decode_jwt(token).1["iss"],
        format!(
            "https://localhost:8443/{}/",
            graph_mock::fixtures::TENANT_ID
        )
    );
    assert_eq!(response.status(), StatusCode::OK);
}

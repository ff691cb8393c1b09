//! Microsoft Graph: `/me`, `sendMail`, the mailboxes it fills, and Graph's own errors.

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

const READ_AND_SEND: &str = "openid User.Read Mail.Send Mail.Read";

#[tokio::test]
async fn me_returns_the_default_property_set_with_its_context_and_id_last() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let response = graph_get(&mock, "/v1.0/me", &token).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json;odata.metadata=minimal")
    );
    assert_eq!(response.headers()["odata-version"], "4.0");
    assert!(response.headers().get("www-authenticate").is_none());
    let body: Value = response.json().await.unwrap();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "@odata.context",
            "businessPhones",
            "displayName",
            "givenName",
            "jobTitle",
            "mail",
            "mobilePhone",
            "officeLocation",
            "preferredLanguage",
            "surname",
            "userPrincipalName",
            "id",
        ]
    );
    assert_eq!(
        body["@odata.context"],
        format!("{}/v1.0/$metadata#users/$entity", mock.uri())
    );
    assert_eq!(body["displayName"], "Megan Bowen");
    assert_eq!(body["id"], MEGAN.id);
    assert_eq!(body["businessPhones"], json!([MEGAN.business_phone]));
    assert_eq!(body["mobilePhone"], Value::Null);
}

#[tokio::test]
async fn graph_paths_match_case_insensitively() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let response = graph_get(&mock, "/v1.0/ME", &token).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_graph_answer_carries_request_ids_and_echoes_the_clients() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let echoed = client()
        .get(format!("{}/v1.0/me", mock.uri()))
        .bearer_auth(&token)
        .header("client-request-id", "b04ace1e-1111-2222-3333-444455556666")
        .send()
        .await
        .unwrap();
    let own = graph_get(&mock, "/v1.0/me", &token).await;

    assert!(is_guid(echoed.headers()["request-id"].to_str().unwrap()));
    assert_eq!(
        echoed.headers()["client-request-id"],
        "b04ace1e-1111-2222-3333-444455556666"
    );
    assert!(echoed.headers().contains_key("x-ms-ags-diagnostic"));
    assert_eq!(
        own.headers()["client-request-id"],
        own.headers()["request-id"]
    );
}

#[tokio::test]
async fn send_mail_answers_202_with_an_empty_body_and_files_it_in_sent_items() {
    let mock = start().await;
    let token = access_token(&mock, READ_AND_SEND).await;

    let response = graph_post(
        &mock,
        "/v1.0/me/sendMail",
        &token,
        &mail_to("adele@contoso.com"),
    )
    .await;

    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert!(response.bytes().await.unwrap().is_empty());
    let sent: Value = graph_get(&mock, "/v1.0/me/mailFolders/sentitems/messages", &token)
        .await
        .json()
        .await
        .unwrap();
    let message = &sent["value"][0];
    assert_eq!(message["subject"], "Welcome to Microsoft Graph");
    assert_eq!(message["bodyPreview"], "Hello from the tutorial");
    assert_eq!(message["body"]["contentType"], "html");
    assert_eq!(
        message["from"]["emailAddress"]["address"],
        MEGAN.user_principal_name
    );
    assert_eq!(
        message["toRecipients"][0]["emailAddress"]["address"],
        "adele@contoso.com"
    );
    assert_eq!(sent["value"].as_array().unwrap().len(), 1);
    assert!(
        sent["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with(&format!("users('{}')/messages", MEGAN.id))
    );
}

#[tokio::test]
async fn send_mail_takes_the_pascal_case_of_the_python_sdk() {
    let mock = start().await;
    let token = access_token(&mock, READ_AND_SEND).await;
    let body = json!({
        "Message": {
            "Subject": "From the SDK",
            "Body": {"ContentType": "Text", "Content": "plain words"},
            "ToRecipients": [{"EmailAddress": {"Address": ALEX.user_principal_name}}],
        },
        "SaveToSentItems": false,
    });

    let response = graph_post(&mock, "/v1.0/me/sendMail", &token, &body).await;

    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let sent: Value = graph_get(&mock, "/v1.0/me/mailFolders/SentItems/messages", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent["value"], json!([]), "SaveToSentItems: false is obeyed");
    let alex = tokens_as(&mock, READ_AND_SEND, Some(ALEX.user_principal_name)).await;
    let inbox: Value = graph_get(
        &mock,
        "/v1.0/me/mailFolders/inbox/messages",
        alex["access_token"].as_str().unwrap(),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(inbox["value"][0]["subject"], "From the SDK");
    assert_eq!(inbox["value"][0]["body"]["content"], "plain words");
}

#[tokio::test]
async fn mail_to_a_demo_user_lands_in_their_inbox_and_not_the_senders() {
    let mock = start().await;
    let megan = access_token(&mock, READ_AND_SEND).await;
    graph_post(
        &mock,
        "/v1.0/me/sendMail",
        &megan,
        &mail_to(ALEX.user_principal_name),
    )
    .await;
    let alex = tokens_as(&mock, READ_AND_SEND, Some(ALEX.user_principal_name)).await;
    let alex = alex["access_token"].as_str().unwrap();

    let alex_inbox: Value = graph_get(&mock, "/v1.0/me/mailFolders/inbox/messages", alex)
        .await
        .json()
        .await
        .unwrap();
    let megan_inbox: Value = graph_get(&mock, "/v1.0/me/mailFolders/inbox/messages", &megan)
        .await
        .json()
        .await
        .unwrap();
    let alex_all: Value = graph_get(&mock, "/v1.0/me/messages", alex)
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(alex_inbox["value"].as_array().unwrap().len(), 1);
    assert_eq!(
        alex_inbox["value"][0]["sender"]["emailAddress"]["name"],
        MEGAN.display_name
    );
    assert_eq!(alex_inbox["value"][0]["isRead"], false);
    assert_eq!(megan_inbox["value"], json!([]));
    assert_eq!(alex_all["value"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn reading_mail_needs_mail_read_not_just_mail_send() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let response = graph_get(&mock, "/v1.0/me/mailFolders/sentitems/messages", &token).await;

    assert_graph_error(response, 403, "ErrorAccessDenied").await;
}

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

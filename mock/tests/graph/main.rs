//! Microsoft Graph: `/me`, `sendMail`, the mailboxes it fills, and Graph's own errors.
//!
//! `refusals.rs`: Graph's refusals: no token, bad tokens, missing permissions, bad mail.

mod refusals;
#[path = "../support/mod.rs"]
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

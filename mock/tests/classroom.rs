//! A classroom shares one mock: each learner registers an app and signs in as a demo user.
//! Nobody may redeem another app's code, use another app's refresh token, or read the mail
//! another learner sent, even when both signed in as the same demo user.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

const SCOPES: &str = "openid profile offline_access User.Read Mail.Send Mail.Read";

/// A learner's own app: registered through Graph, with a fresh secret.
struct Learner {
    client_id: String,
    secret: String,
}

async fn learner(mock: &graph_mock::MockServer) -> Learner {
    let app = register_app(mock, &application_body(&[REDIRECT_URI], &[])).await;
    let portal = portal_token(mock).await;
    let object_id = app["id"].as_str().expect("an object id");
    let password: Value = graph_post(
        mock,
        &format!("/v1.0/applications/{object_id}/addPassword"),
        &portal,
        &json!({}),
    )
    .await
    .json()
    .await
    .expect("JSON");
    Learner {
        client_id: app["appId"].as_str().expect("an appId").to_owned(),
        secret: password["secretText"]
            .as_str()
            .expect("a secret")
            .to_owned(),
    }
}

async fn code(mock: &graph_mock::MockServer, who: &Learner) -> String {
    code_for(
        mock,
        graph_mock::fixtures::TENANT_ID,
        &[("client_id", Some(&who.client_id)), ("scope", Some(SCOPES))],
    )
    .await
}

async fn redeem_as(mock: &graph_mock::MockServer, who: &Learner, code: &str) -> reqwest::Response {
    redeem_on(
        mock,
        graph_mock::fixtures::TENANT_ID,
        code,
        &[
            ("client_id", &who.client_id),
            ("client_secret", &who.secret),
            ("scope", SCOPES),
        ],
    )
    .await
}

async fn tokens(mock: &graph_mock::MockServer, who: &Learner) -> Value {
    let code = code(mock, who).await;
    let answer = redeem_as(mock, who, &code).await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.expect("JSON")
}

#[tokio::test]
async fn a_learner_cannot_redeem_another_learners_code() {
    let mock = start().await;
    let (alice, bob) = (learner(&mock).await, learner(&mock).await);
    let alices_code = code(&mock, &alice).await;

    let stolen = redeem_as(&mock, &bob, &alices_code).await;
    let own = redeem_as(&mock, &alice, &alices_code).await;

    assert_aadsts(stolen, 400, "invalid_grant", 70000).await;
    assert_eq!(
        own.status(),
        StatusCode::OK,
        "the refused attempt did not spend the code"
    );
}

#[tokio::test]
async fn a_learner_cannot_use_another_learners_refresh_token() {
    let mock = start().await;
    let (alice, bob) = (learner(&mock).await, learner(&mock).await);
    let alices = tokens(&mock, &alice).await;
    let refresh_token = alices["refresh_token"].as_str().expect("a refresh token");

    let stolen = token(
        &mock,
        graph_mock::fixtures::TENANT_ID,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &bob.client_id),
            ("client_secret", &bob.secret),
            ("refresh_token", refresh_token),
        ],
    )
    .await;

    assert_aadsts(stolen, 400, "invalid_grant", 70000).await;
}

#[tokio::test]
async fn learners_signed_in_as_the_same_user_do_not_read_each_others_mail() {
    let mock = start().await;
    let (alice, bob) = (learner(&mock).await, learner(&mock).await);
    let alices = tokens(&mock, &alice).await["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let bobs = tokens(&mock, &bob).await["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let mut from_alice = mail_to(MEGAN.user_principal_name);
    from_alice["message"]["subject"] = json!("from Alice's app");
    let mut from_bob = mail_to(MEGAN.user_principal_name);
    from_bob["message"]["subject"] = json!("from Bob's app");

    let sent_a = graph_post(&mock, "/v1.0/me/sendMail", &alices, &from_alice).await;
    let sent_b = graph_post(&mock, "/v1.0/me/sendMail", &bobs, &from_bob).await;
    let alices_view: Value = graph_get(&mock, "/v1.0/me/mailFolders/sentitems/messages", &alices)
        .await
        .json()
        .await
        .expect("JSON");

    assert_eq!(sent_a.status(), StatusCode::ACCEPTED);
    assert_eq!(sent_b.status(), StatusCode::ACCEPTED);
    let subjects: Vec<&str> = alices_view["value"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|m| m["subject"].as_str())
        .collect();
    assert_eq!(subjects, vec!["from Alice's app"]);
}

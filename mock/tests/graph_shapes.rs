//! Graph's answers to requests a learner gets slightly wrong: `$select` on `/me`, a mail
//! folder ID that is not one, and `sendMail` values outside their types.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

#[tokio::test]
async fn select_on_me_returns_only_those_properties_and_names_them_in_the_context() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let response = graph_get(&mock, "/v1.0/me?$select=displayName,MAIL", &token).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    let names: Vec<&str> = body
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["@odata.context", "displayName", "mail"]);
    assert_eq!(
        body["@odata.context"],
        format!(
            "{}/v1.0/$metadata#users(displayName,mail)/$entity",
            mock.uri()
        )
    );
    assert_eq!(body["displayName"], MEGAN.display_name);
}

#[tokio::test]
async fn select_of_a_property_users_do_not_have_is_a_bad_request() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let response = graph_get(&mock, "/v1.0/me?$select=displayName,shoeSize", &token).await;

    let body = assert_graph_error(response, 400, "BadRequest").await;
    assert_eq!(
        body["error"]["message"],
        "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'."
    );
}

#[tokio::test]
async fn a_mail_folder_id_that_is_not_one_is_malformed() {
    let mock = start().await;
    let token = access_token(&mock, "User.Read Mail.Read").await;

    let response = graph_get(&mock, "/v1.0/me/mailFolders/outbox-2/messages", &token).await;

    let body = assert_graph_error(response, 400, "ErrorInvalidIdMalformed").await;
    assert_eq!(body["error"]["message"], "Id is malformed.");
}

#[tokio::test]
async fn send_mail_refuses_a_content_type_graph_does_not_have() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;
    let mut mail = mail_to(MEGAN.user_principal_name);
    mail["message"]["body"]["contentType"] = json!("Markdown");

    let response = graph_post(&mock, "/v1.0/me/sendMail", &token, &mail).await;

    let body = assert_graph_error(response, 400, "RequestBodyRead").await;
    assert_eq!(
        body["error"]["message"],
        "Requested value 'Markdown' was not found."
    );
}

#[tokio::test]
async fn send_mail_refuses_a_save_to_sent_items_that_is_not_a_boolean() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;
    let mut maybe = mail_to(MEGAN.user_principal_name);
    maybe["saveToSentItems"] = json!("maybe");
    let mut quoted = mail_to(MEGAN.user_principal_name);
    quoted["saveToSentItems"] = json!("false");

    let refused = graph_post(&mock, "/v1.0/me/sendMail", &token, &maybe).await;
    let accepted = graph_post(&mock, "/v1.0/me/sendMail", &token, &quoted).await;

    let body = assert_graph_error(refused, 400, "RequestBodyRead").await;
    assert_eq!(
        body["error"]["message"],
        "Cannot convert the literal 'maybe' to the expected type 'Edm.Boolean'."
    );
    assert_eq!(
        accepted.status(),
        StatusCode::ACCEPTED,
        "the documentation's own \"false\" is taken"
    );
}

#[tokio::test]
async fn a_new_application_comes_back_as_the_whole_object_in_graphs_order() {
    let mock = start().await;
    let mut body = application_body(&["http://localhost:5000/callback"], &[]);
    body["isFallbackPublicClient"] = json!(true);
    body["spa"] = json!({"redirectUris": ["http://localhost:3000"]});

    let app = register_app(&mock, &body).await;

    let names: Vec<&str> = app
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        names,
        [
            "@odata.context",
            "id",
            "deletedDateTime",
            "isFallbackPublicClient",
            "appId",
            "applicationTemplateId",
            "identifierUris",
            "createdDateTime",
            "displayName",
            "isDeviceOnlyAuthSupported",
            "groupMembershipClaims",
            "optionalClaims",
            "addIns",
            "publisherDomain",
            "signInAudience",
            "tags",
            "tokenEncryptionKeyId",
            "api",
            "appRoles",
            "publicClient",
            "info",
            "keyCredentials",
            "parentalControlSettings",
            "passwordCredentials",
            "requiredResourceAccess",
            "web",
            "spa",
        ]
    );
    assert_eq!(app["isFallbackPublicClient"], true);
    assert_eq!(app["spa"]["redirectUris"], json!(["http://localhost:3000"]));
    assert_eq!(app["api"]["oauth2PermissionScopes"], json!([]));
    assert_eq!(app["parentalControlSettings"]["legalAgeGroupRule"], "Allow");
    assert_eq!(
        app["web"]["implicitGrantSettings"]["enableIdTokenIssuance"],
        false
    );
}

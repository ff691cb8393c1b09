//! Microsoft Graph request bodies: registering an app (step 1 against the mock) and sending
//! mail (step 5). Graph's JSON is camelCase; the field names here are the wire's.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::registration::ClientId;

/// Microsoft Graph's own application ID: the `resourceAppId` of every Graph permission.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// The delegated permissions the tutorial's app asks for, with their fixed IDs in Graph.
pub const PERMISSIONS: [(&str, &str); 3] = [
    ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d"),
    ("Mail.Send", "e383f46e-2787-4529-855e-0e479a3ffac0"),
    ("Mail.Read", "570282fd-fa5c-430d-a7fd-fc8dc98a9dca"),
];

/// The portal's default audience: accounts in this organizational directory only.
pub const SINGLE_TENANT: &str = "AzureADMyOrg";

/// `POST /v1.0/applications`: a Web (confidential) app with one reply URL and the permissions,
/// single-tenant as the portal registers it unless told otherwise.
pub fn new_application(display_name: &str, reply_url: &str) -> Value {
    json!({
        "displayName": display_name,
        "signInAudience": SINGLE_TENANT,
        "web": {"redirectUris": [reply_url]},
        "requiredResourceAccess": graph_permissions(),
    })
}

/// `POST /v1.0/applications`: a public client for the device code flow. No reply URL (the
/// user signs in on another device) and no secret (a device cannot keep one): "Allow public
/// client flows" in the portal, `isFallbackPublicClient` in Graph.
pub fn new_public_client(display_name: &str) -> Value {
    json!({
        "displayName": display_name,
        "signInAudience": SINGLE_TENANT,
        "isFallbackPublicClient": true,
        "requiredResourceAccess": graph_permissions(),
    })
}

/// `requiredResourceAccess`: the delegated Graph permissions the app will ask for.
fn graph_permissions() -> Value {
    let access: Vec<Value> = PERMISSIONS
        .iter()
        .map(|(_, id)| json!({"id": id, "type": "Scope"}))
        .collect();
    json!([{"resourceAppId": GRAPH_APP_ID, "resourceAccess": access}])
}

/// `POST /v1.0/applications/{id}/addPassword`.
pub fn new_password() -> Value {
    json!({"passwordCredential": {"displayName": "tutorial"}})
}

/// What step 1 keeps from the new application.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// The object ID: the app's address in Graph (`/applications/{id}`).
    pub id: String,
    /// The client ID: the app's name in OAuth.
    pub app_id: ClientId,
}

/// The new password: `secretText` is shown this once and never again.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCredential {
    pub secret_text: String,
    #[serde(default)]
    pub hint: Option<String>,
}

/// The signed-in user, as `GET /me` describes them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub display_name: Option<String>,
    pub mail: Option<String>,
    pub user_principal_name: Option<String>,
}

impl Me {
    /// Where mail to this user goes: `mail`, or the sign-in name when there is no mailbox
    /// address (Graph leaves `mail` null for some accounts).
    pub fn address(&self) -> Option<&str> {
        self.mail.as_deref().or(self.user_principal_name.as_deref())
    }
}

/// `POST /me/sendMail`: the body the article sends, in its Graph v1.0 shape.
pub fn send_mail(to: &str, subject: &str, content: &str) -> Value {
    json!({
        "message": {
            "subject": subject,
            "body": {"contentType": "Text", "content": content},
            "toRecipients": [{"emailAddress": {"address": to}}],
        },
        "saveToSentItems": true,
    })
}

/// A page of messages: `value` holds them.
#[derive(Debug, Deserialize)]
pub struct Messages {
    #[serde(default)]
    pub value: Vec<Value>,
}

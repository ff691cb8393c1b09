//! Lessons about how the app proves itself at the token endpoint (step 4): a confidential
//! client (a Web reply URL) must send its secret; a public client (Mobile and desktop) must not.
//! And the app's own token (step 1's client credentials) must say what it is for.

use serde_json::json;

use graph_mock::fixtures::{PORTAL_APP, TENANT_ID};

use super::lab::{Lab, with, without};
use crate::error::Error;
use crate::fixtures;
use crate::http::Outgoing;
use crate::protocol::graph::{GRAPH_APP_ID, PERMISSIONS};
use crate::protocol::token::client_credentials;
use crate::registration::{ClientId, RedirectUri};
use crate::secrets::ClientSecret;

/// A desktop app's reply URL: loopback, registered under Mobile and desktop applications.
const DESKTOP_REPLY_URL: &str = "http://localhost";

fn desktop_reply_url() -> RedirectUri {
    RedirectUri::parse(DESKTOP_REPLY_URL).expect("DESKTOP_REPLY_URL is an absolute http URL")
}

/// AADSTS7000215: a client secret that is not the app's.
pub async fn wrong_secret(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: the portal's "Secret ID" column copied instead of its "Value".
    let secret_id = "f0b0b335-1d71-4883-8f98-567911bfdca6";
    let broken = with(form, "client_secret", secret_id);
    lab.broken(Outgoing::post(lab.token_url()).form(broken))
        .await?;

    // The fix: the secret's value.
    lab.redeem_rightly().await?;
    Ok(())
}

/// AADSTS7000218: a confidential client that sends no secret.
pub async fn missing_secret(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: the form of a desktop app, sent by a Web app.
    let broken = without(form, "client_secret");
    lab.broken(Outgoing::post(lab.token_url()).form(broken))
        .await?;

    // The fix: the Web app sends its secret.
    lab.redeem_rightly().await?;
    Ok(())
}

/// AADSTS700025: a public client that sends a secret.
pub async fn public_client_secret(lab: &mut Lab<'_>) -> Result<(), Error> {
    let client_id = register_desktop_app(lab).await?;
    let scope = "openid profile offline_access User.Read";
    let signed_in = lab
        .sign_in_as(&client_id, &desktop_reply_url(), scope)
        .await?;
    let right = vec![
        ("grant_type".to_owned(), "authorization_code".to_owned()),
        ("client_id".to_owned(), client_id.to_string()),
        ("code".to_owned(), signed_in.code.expose().to_owned()),
        ("redirect_uri".to_owned(), DESKTOP_REPLY_URL.to_owned()),
        (
            "code_verifier".to_owned(),
            signed_in.verifier.expose().to_owned(),
        ),
        ("scope".to_owned(), scope.to_owned()),
    ];

    // The mistake: the Web app's secret, sent by a desktop app.
    let broken = with(right, "client_secret", lab.web_app().client_secret);
    lab.broken(Outgoing::post(lab.token_url()).form(broken))
        .await?;

    // The fix: no secret at all; PKCE's verifier ties the code to this app instance.
    let signed_in = lab
        .sign_in_as(&client_id, &desktop_reply_url(), scope)
        .await?;
    let right = vec![
        ("grant_type".to_owned(), "authorization_code".to_owned()),
        ("client_id".to_owned(), client_id.to_string()),
        ("code".to_owned(), signed_in.code.expose().to_owned()),
        ("redirect_uri".to_owned(), DESKTOP_REPLY_URL.to_owned()),
        (
            "code_verifier".to_owned(),
            signed_in.verifier.expose().to_owned(),
        ),
        ("scope".to_owned(), scope.to_owned()),
    ];
    lab.fixed(Outgoing::post(lab.token_url()).form(right))
        .await?;
    Ok(())
}

/// AADSTS90014: the app's own token (client credentials, as step 1's portal asks for) without
/// `scope`.
pub async fn missing_scope(lab: &mut Lab<'_>) -> Result<(), Error> {
    let secret = ClientSecret::new(PORTAL_APP.client_secret);
    let right = client_credentials(&fixtures::client_id(PORTAL_APP), &secret);
    let token_url = lab.url(&format!("{TENANT_ID}/oauth2/v2.0/token"));

    // The mistake: the v1 form's `resource` taken out for v2.0, and nothing put in its place.
    let broken = without(right.clone(), "scope");
    lab.broken(Outgoing::post(token_url.clone()).form(broken))
        .await?;

    // The fix: `scope=https://graph.microsoft.com/.default`, every application permission
    // the app was granted on Graph.
    lab.fixed(Outgoing::post(token_url).form(right)).await?;
    Ok(())
}

/// Registers a desktop (public client) app through Graph, as step 1 registers a Web one.
async fn register_desktop_app(lab: &mut Lab<'_>) -> Result<ClientId, Error> {
    let access: Vec<_> = PERMISSIONS
        .iter()
        .map(|(_, id)| json!({"id": id, "type": "Scope"}))
        .collect();
    let body = json!({
        "displayName": "graph-oauth-tutorial desktop",
        "publicClient": {"redirectUris": [DESKTOP_REPLY_URL]},
        "requiredResourceAccess": [{"resourceAppId": GRAPH_APP_ID, "resourceAccess": access}],
    });
    lab.register(body).await
}

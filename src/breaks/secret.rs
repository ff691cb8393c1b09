//! The lesson of a client secret past its end date (step 4): the app registered through Graph
//! as step 1 does, with a secret good for one hour, and the mock's clock moved on two.

use serde_json::json;

use super::lab::{Lab, REPLY_URL};
use crate::error::Error;
use crate::fixtures::{self, reply_url};
use crate::http::Outgoing;
use crate::protocol::Flow;
use crate::protocol::graph::{self, Application, PasswordCredential};
use crate::protocol::jwt;
use crate::protocol::read_reply;
use crate::protocol::token::{CodeRedemption, TokenResponse, client_credentials};
use crate::registration::ClientId;
use crate::secrets::{AccessToken, ClientSecret};
use crate::steps::redirect::SCOPES;
use graph_mock::fixtures::{PORTAL_APP, TENANT_ID};
use std::time::Duration;

/// How long the lesson's secret lives, and how far the clock moves: past it, by an hour.
const SECRET_LIFETIME_SECS: i64 = 3600;
const LATER_THAN_THE_SECRET_LIVES: Duration = Duration::from_secs(2 * 3600);

/// AADSTS7000222: the app's own secret, sent after its end date.
pub async fn client_secret_expired(lab: &mut Lab<'_>) -> Result<(), Error> {
    let (portal, now) = portal_token(lab).await?;
    let application = register(lab, &portal).await?;
    let end = rfc3339(now + SECRET_LIFETIME_SECS);
    let old = add_secret(lab, &portal, &application.id, Some(&end), false).await?;

    // The mistake: two hours later, the one-hour secret is still the one the app sends.
    lab.advance_clock(LATER_THAN_THE_SECRET_LIVES);
    let form = redemption(lab, &application.app_id, &old).await?;
    lab.broken(Outgoing::post(lab.token_url()).form(form))
        .await?;

    // The fix: a new secret (added as the portal does), then the same request with it.
    let (portal, _) = portal_token(lab).await?;
    let new = add_secret(lab, &portal, &application.id, None, true).await?;
    let form = redemption(lab, &application.app_id, &new).await?;
    lab.fixed(Outgoing::post(lab.token_url()).form(form))
        .await?;
    Ok(())
}

/// The portal's app-only token, and the mock's time (the token's `iat`).
async fn portal_token(lab: &mut Lab<'_>) -> Result<(AccessToken, i64), Error> {
    let secret = ClientSecret::new(PORTAL_APP.client_secret);
    let url = lab.url(&format!("{TENANT_ID}/oauth2/v2.0/token"));
    let portal = fixtures::client_id(PORTAL_APP);
    let request = Outgoing::post(url).form(client_credentials(&portal, &secret));
    let exchange = lab.quietly(request).await?;
    let token: TokenResponse = read_reply(&exchange, "a token response", "tutorial break")?;
    let issued_at = jwt::decode(&token.access_token)?
        .claims
        .get("iat")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| lab.astray("a token with iat", &exchange))?;
    Ok((AccessToken::new(token.access_token), issued_at))
}

async fn register(lab: &mut Lab<'_>, portal: &AccessToken) -> Result<Application, Error> {
    let body = graph::new_application("graph-oauth-tutorial", REPLY_URL);
    let request = Outgoing::post(lab.graph("applications"))
        .bearer(portal)
        .json(body);
    let exchange = lab.quietly(request).await?;
    read_reply(&exchange, "a new application", "tutorial break")
}

/// `addPassword`, with an end date or the default one; shown when it is the fix.
async fn add_secret(
    lab: &mut Lab<'_>,
    portal: &AccessToken,
    object_id: &str,
    end: Option<&str>,
    shown: bool,
) -> Result<ClientSecret, Error> {
    let mut credential = json!({"displayName": "tutorial"});
    if let Some(end) = end {
        credential["endDateTime"] = json!(end);
    }
    let url = lab.graph(&format!("applications/{object_id}/addPassword"));
    let request = Outgoing::post(url)
        .bearer(portal)
        .json(json!({ "passwordCredential": credential }));
    let exchange = if shown {
        lab.fixed(request).await?
    } else {
        lab.quietly(request).await?
    };
    let password: PasswordCredential =
        read_reply(&exchange, "a password credential", "tutorial break")?;
    Ok(ClientSecret::new(password.secret_text))
}

/// A quiet sign-in to the app, and the step 4 form that redeems it with `secret`.
async fn redemption(
    lab: &mut Lab<'_>,
    client_id: &ClientId,
    secret: &ClientSecret,
) -> Result<Vec<(String, String)>, Error> {
    let signed_in = lab.sign_in_as(client_id, &reply_url(), SCOPES).await?;
    Ok(CodeRedemption {
        flow: Flow::V2,
        client_id,
        client_secret: Some(secret),
        code: &signed_in.code,
        redirect_uri: &signed_in.redirect_uri,
        verifier: Some(&signed_in.verifier),
        scope: Some(&signed_in.scope),
    }
    .form())
}

/// Unix seconds as Graph's `2026-11-25T22:10:00Z`.
fn rfc3339(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds).map_or_else(
        |_| "9999-12-31T23:59:59Z".to_owned(),
        |at| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                at.year(),
                u8::from(at.month()),
                at.day(),
                at.hour(),
                at.minute(),
                at.second()
            )
        },
    )
}

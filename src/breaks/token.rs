//! Lessons that break at the token endpoint (step 4): the code and what must come with it.

use std::time::Duration;

use super::lab::{Lab, with, without};
use crate::error::Error;
use crate::http::Outgoing;
use crate::protocol::GRAPH_RESOURCE;
use crate::secrets::CodeVerifier;

/// Microsoft: a code lives about ten minutes; eleven is surely too late.
const LATER_THAN_A_CODE_LIVES: Duration = Duration::from_secs(11 * 60);

/// AADSTS500112: the reply URL at the token endpoint is not the one sent to authorize.
pub async fn reply_url_differs(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: the trailing slash dropped.
    let sent = signed_in.redirect_uri.trim_end_matches('/');
    let broken = with(form, "redirect_uri", sent);
    lab.broken(Outgoing::post(lab.token_url()).form(broken))
        .await?;

    // The fix: the same string as in step 2 (a new code: the first one may be spent).
    lab.redeem_rightly().await?;
    Ok(())
}

/// AADSTS54005: the same code redeemed a second time.
pub async fn code_redeemed_twice(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The first redemption works, and its answer holds a refresh token.
    let first = lab
        .send(Outgoing::post(lab.token_url()).form(form.clone()))
        .await?;
    let refresh: Option<String> = first
        .response
        .json::<serde_json::Value>()
        .ok()
        .and_then(|body| body["refresh_token"].as_str().map(str::to_owned));

    // The mistake: the same form again.
    lab.broken(Outgoing::post(lab.token_url()).form(form))
        .await?;

    // The fix: for a new access token, the refresh token, not the code.
    let app = lab.web_app();
    let refresh = refresh.ok_or_else(|| lab.astray("a refresh token", &first))?;
    let form = vec![
        ("grant_type".to_owned(), "refresh_token".to_owned()),
        ("client_id".to_owned(), app.client_id.to_owned()),
        ("client_secret".to_owned(), app.client_secret.to_owned()),
        ("refresh_token".to_owned(), refresh),
    ];
    lab.fixed(Outgoing::post(lab.token_url()).form(form))
        .await?;
    Ok(())
}

/// AADSTS70008: the code redeemed after it expired (the mock's clock moves on; nobody waits).
pub async fn code_expired(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: eleven minutes between step 3 and step 4.
    lab.advance_clock(LATER_THAN_A_CODE_LIVES);
    lab.broken(Outgoing::post(lab.token_url()).form(form))
        .await?;

    // The fix: a new sign-in, redeemed at once.
    lab.redeem_rightly().await?;
    Ok(())
}

/// AADSTS501481: a `code_verifier` that is not the one behind the `code_challenge`.
pub async fn pkce_mismatch(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: a verifier made afresh in step 4 instead of the one kept from step 2.
    let another = CodeVerifier::new(lab.random.text(43));
    let broken = with(form, "code_verifier", another.expose());
    lab.broken(Outgoing::post(lab.token_url()).form(broken))
        .await?;

    // The fix: keep the verifier of this sign-in and send that one.
    lab.redeem_rightly().await?;
    Ok(())
}

/// AADSTS901002: the article's v1 `resource` parameter sent to the v2.0 token endpoint.
pub async fn resource_on_v2(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: the article's `resource=https://graph.microsoft.com` in place of `scope`.
    let broken = with(without(form, "scope"), "resource", GRAPH_RESOURCE);
    lab.broken(Outgoing::post(lab.token_url()).form(broken))
        .await?;

    // The fix: v2.0 names permissions in `scope`.
    lab.redeem_rightly().await?;
    Ok(())
}

//! Lessons that break at the token endpoint (step 4): the code and what must come with it,
//! where it is redeemed, and what a refresh token may still get.

use std::time::Duration;

use super::lab::{Lab, with, without};
use crate::error::Error;
use crate::fixtures::reply_url;
use crate::http::Outgoing;
use crate::protocol::GRAPH_RESOURCE;
use crate::secrets::CodeVerifier;
use crate::steps::redirect::SCOPES;

/// A permission the tutorial never asks for, so no user has consented to it.
const NEW_PERMISSION: &str = "Mail.ReadWrite";

/// Microsoft: a code lives about ten minutes; eleven is surely too late.
const LATER_THAN_A_CODE_LIVES: Duration = Duration::from_secs(11 * 60);

/// AADSTS500112: the reply URL at the token endpoint is not the one sent to authorize.
pub async fn reply_url_differs(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: the trailing slash dropped.
    let sent = signed_in.redirect_uri.as_str().trim_end_matches('/');
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

/// AADSTS9002326: a Web app's code redeemed by a script in a browser page.
pub async fn web_code_from_a_page(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: the same form, sent as a page's script sends it: with its `Origin`.
    let page = "http://localhost:8000";
    lab.broken(Outgoing::post(lab.token_url()).from_page(page).form(form))
        .await?;

    // The fix: a Web app's code is redeemed by its server, which sends no `Origin`.
    lab.redeem_rightly().await?;
    Ok(())
}

/// AADSTS700005: a code redeemed at the token endpoint of another tenant than the sign-in's.
pub async fn code_for_another_tenant(lab: &mut Lab<'_>) -> Result<(), Error> {
    let signed_in = lab.sign_in().await?;
    let form = lab.redemption(&signed_in);

    // The mistake: the user signed in on Contoso; the token URL names Fabrikam (a tenant
    // setting read in one place for authorize and in another for the token request).
    let other = graph_mock::fixtures::OTHER_TENANT_DOMAIN;
    let elsewhere = lab.url(&format!("{other}/oauth2/v2.0/token"));
    lab.broken(Outgoing::post(elsewhere).form(form.clone()))
        .await?;

    // The fix: the same tenant in both URLs. The code was refused, not spent: it still works.
    lab.fixed(Outgoing::post(lab.token_url()).form(form))
        .await?;
    Ok(())
}

/// AADSTS65001: a refresh token redeemed for a permission the user never consented to.
pub async fn not_consented(lab: &mut Lab<'_>) -> Result<(), Error> {
    let tokens = lab.tokens(SCOPES).await?;
    let refresh = tokens.refresh_token.unwrap_or_default();
    let app = lab.web_app();
    let form = vec![
        ("grant_type".to_owned(), "refresh_token".to_owned()),
        ("client_id".to_owned(), app.client_id.to_owned()),
        ("client_secret".to_owned(), app.client_secret.to_owned()),
        ("refresh_token".to_owned(), refresh),
        ("scope".to_owned(), NEW_PERMISSION.to_owned()),
    ];

    // The mistake: a new permission asked for silently, with the refresh token.
    lab.broken(Outgoing::post(lab.token_url()).form(form.clone()))
        .await?;

    // The fix: the user consents on the sign-in page (step 2 with the new scope, quietly
    // here), then the same refresh gets it.
    lab.sign_in_as(
        &lab.web_client_id(),
        &reply_url(),
        &format!("{SCOPES} {NEW_PERMISSION}"),
    )
    .await?;
    lab.fixed(Outgoing::post(lab.token_url()).form(form))
        .await?;
    Ok(())
}

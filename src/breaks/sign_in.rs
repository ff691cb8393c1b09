//! Lessons refused during the sign-in itself (steps 2 and 3): what the app asks authorize to
//! send back (`response_type`), what it asks the user to grant, and who signs in.

use url::Url;

use super::lab::{Lab, REPLY_URL};
use crate::error::Error;
use crate::fixtures::reply_url;
use crate::http::Outgoing;
use crate::protocol::graph::new_application;
use crate::steps::redirect::SCOPES;

/// A delegated permission only an administrator may consent to.
const ADMIN_ONLY: &str = "Application.ReadWrite.All";

/// AADSTS700051: `response_type=token` (the implicit flow) on an app that never enabled it.
pub async fn response_type_token(lab: &mut Lab<'_>) -> Result<(), Error> {
    response_type(lab, "token").await
}

/// AADSTS700054: `response_type=id_token` on an app whose ID tokens box is not ticked.
pub async fn response_type_id_token(lab: &mut Lab<'_>) -> Result<(), Error> {
    response_type(lab, "id_token").await
}

/// The tutorial's authorize request with `response_type` changed, then as it should be.
async fn response_type(lab: &mut Lab<'_>, asked: &str) -> Result<(), Error> {
    let client_id = lab.web_client_id();

    // The mistake: the access or id token asked for in the redirect itself.
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), SCOPES);
    let broken = with_param(request.url(&lab.authorize_url()), "response_type", asked);
    lab.broken(Outgoing::get(broken).as_browser()).await?;

    // The fix: `response_type=code`; the tokens come from the token endpoint in step 4.
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), SCOPES);
    lab.fixed(Outgoing::get(request.url(&lab.authorize_url())).as_browser())
        .await?;
    Ok(())
}

/// AADSTS90094: a permission only an administrator may grant, asked of a user who is not one.
pub async fn admin_consent_required(lab: &mut Lab<'_>) -> Result<(), Error> {
    let client_id = lab.web_client_id();

    // The mistake: `Application.ReadWrite.All` added to the scopes "to be able to register apps".
    let scope = format!("{SCOPES} {ADMIN_ONLY}");
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), &scope);
    lab.broken(Outgoing::get(request.url(&lab.authorize_url())).as_browser())
        .await?;

    // The fix: only what a user may consent to.
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), SCOPES);
    lab.fixed(Outgoing::get(request.url(&lab.authorize_url())).as_browser())
        .await?;
    Ok(())
}

/// AADSTS50020: a user of another organization signs in to an app registered for this one.
pub async fn user_from_another_tenant(lab: &mut Lab<'_>) -> Result<(), Error> {
    // Before: the app step 1 registers, for this organization only.
    let body = new_application("graph-oauth-tutorial", REPLY_URL);
    let client_id = lab.register(body).await?;

    // The mistake: Diego, of Fabrikam, signs in on Contoso's endpoint (`login_hint` stands
    // for the name he types on the sign-in page).
    let diego = graph_mock::fixtures::OTHER_TENANT_USER.user_principal_name;
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), SCOPES);
    let broken = with_param(request.url(&lab.authorize_url()), "login_hint", diego);
    lab.broken(Outgoing::get(broken).as_browser()).await?;

    // The fix, until Diego is invited as a guest: a person with an account in Contoso.
    let megan = graph_mock::fixtures::USERS[0].user_principal_name;
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), SCOPES);
    let fixed = with_param(request.url(&lab.authorize_url()), "login_hint", megan);
    lab.fixed(Outgoing::get(fixed).as_browser()).await?;
    Ok(())
}

/// `url` with the query parameter `name` set to `value` (added if absent), the rest in order.
fn with_param(mut url: Url, name: &str, value: &str) -> Url {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    match pairs.iter_mut().find(|(n, _)| n == name) {
        Some(pair) => pair.1 = value.to_owned(),
        None => pairs.push((name.to_owned(), value.to_owned())),
    }
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url
}

//! `/{tenant}/oauth2/v2.0/logout` (the discovery document's `end_session_endpoint`), and the
//! original sample's `/{tenant}/oauth2/logout`: OpenID Connect RP-initiated logout.
//!
//! The mock keeps no browser session, so there is nothing to end; what matters to an app is
//! where the browser goes next. Entra sends it to `post_logout_redirect_uri`, with the app's
//! `state`, only when that address is registered for the app (named by `client_id` or by the
//! audience of a valid `id_token_hint`); otherwise it shows "You signed out" and stays.

use hyper::StatusCode;
use url::Url;

use super::{sign_in, tenant_segment};
use crate::reply::{self, Reply};
use crate::request::Incoming;
use crate::state::State;

pub(crate) fn handle(req: &Incoming, state: &State, tenant: &str) -> Reply {
    if let Err(refusal) = tenant_segment(state, tenant) {
        return sign_in::error_page(state, req, &refusal);
    }
    let params = req.query_or_form();
    let app = params
        .non_empty("client_id")
        .map(str::to_owned)
        .or_else(|| {
            let hint = params.non_empty("id_token_hint")?;
            state.signer.verify(hint).ok().map(|claims| claims.aud)
        })
        .and_then(|client_id| state.store.app(&client_id));
    let registered = params.non_empty("post_logout_redirect_uri").filter(|uri| {
        app.as_ref()
            .is_some_and(|app| app.platform_of(uri).is_some())
    });
    match registered.and_then(|uri| Url::parse(uri).ok()) {
        Some(mut to) => {
            if let Some(value) = params.get("state") {
                to.query_pairs_mut().append_pair("state", value);
            }
            reply::redirect(to.as_str())
        }
        None => sign_in::signed_out_page(StatusCode::OK),
    }
}

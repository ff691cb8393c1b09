//! The single-page-application rules of the token endpoint.
//!
//! A browser says which page a script runs on with the `Origin` header, and a script can send
//! no secret: so Entra ties codes and refresh tokens to where they may be redeemed.
//! - A code sent to a reply URL under "Single-page application" (`spa`) must be redeemed
//!   cross-origin, with an `Origin` (AADSTS9002327), and with PKCE (AADSTS9002325).
//! - Any other code, refresh token or client secret must not come from a browser: an `Origin`
//!   gets AADSTS9002326 ("the Microsoft identity platform also prevents the use of client
//!   credentials in all flows in the presence of an Origin header").
//! - A refresh token issued to an SPA lives 24 hours from the sign-in, however often it is
//!   used: each new one carries the first one's end (AADSTS700084 after it), and the answer
//!   says how long is left in `refresh_token_expires_in`.
//!
//! Only pages on one of the app's `spa` reply-URL origins may read the answers
//! (`Access-Control-Allow-Origin`); a script elsewhere sees a network error.

use hyper::header::ORIGIN;

use crate::codes::Grant;
use crate::errors::Aadsts;
use crate::reply::Reply;
use crate::request::Incoming;
use crate::state::State;
use crate::store::Platform;
use crate::tokens::RefreshGrant;

/// Microsoft: "Refresh tokens sent to a redirect URI registered as spa expire after 24 hours."
pub(super) const SPA_REFRESH_TOKEN_LIFETIME_SECS: i64 = 24 * 3600;

/// The `Origin` a browser sent, if any: the sign of a cross-origin request from a script.
pub(super) fn origin(req: &Incoming) -> Option<&str> {
    req.header(ORIGIN.as_str())
        .filter(|origin| !origin.is_empty())
}

/// May this code be redeemed from here? Checked once the code is known to be the app's and
/// its reply URL to match, before PKCE.
pub(super) fn check_code(grant: &Grant, origin: Option<&str>) -> Result<(), Aadsts> {
    match (grant.platform, origin) {
        (Platform::Spa, None) => Err(Aadsts::SpaNeedsCrossOrigin),
        (Platform::Spa, Some(_)) if grant.challenge.is_none() => Err(Aadsts::SpaNeedsPkce),
        (Platform::Spa, Some(_)) | (_, None) => Ok(()),
        (_, Some(origin)) => Err(not_spa(origin)),
    }
}

/// May this refresh token be redeemed from here, and now?
pub(super) fn check_refresh(
    grant: &RefreshGrant,
    origin: Option<&str>,
    now: i64,
) -> Result<(), Aadsts> {
    match (grant.spa_since, origin) {
        (Some(_), None) => Err(Aadsts::SpaNeedsCrossOrigin),
        (Some(since), Some(_)) if now >= since + SPA_REFRESH_TOKEN_LIFETIME_SECS => {
            Err(Aadsts::SpaRefreshTokenExpired {
                issued: crate::clock::graph_date_time(
                    time::OffsetDateTime::from_unix_timestamp(since)
                        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
                ),
            })
        }
        (Some(_), Some(_)) | (None, None) => Ok(()),
        (None, Some(origin)) => Err(not_spa(origin)),
    }
}

/// A client secret from a browser page (the client-credentials grant with an `Origin`).
pub(super) fn check_secret_use(origin: Option<&str>) -> Result<(), Aadsts> {
    origin.map_or(Ok(()), |origin| Err(not_spa(origin)))
}

fn not_spa(origin: &str) -> Aadsts {
    Aadsts::CrossOriginNotSpa {
        origin: origin.to_owned(),
    }
}

/// Lets the page read the answer, if it runs on one of the app's `spa` reply-URL origins.
/// The app is the one the form names; an answer about no known app is shared with no page.
pub(super) fn share_with_spa_page(req: &Incoming, state: &State, answer: &mut Reply) {
    let Some(origin) = origin(req) else {
        return;
    };
    let client_id = req
        .form()
        .non_empty("client_id")
        .map(str::to_owned)
        .or_else(|| req.basic_credentials().map(|(id, _)| id));
    let registered = client_id
        .and_then(|id| state.store.app(&id))
        .is_some_and(|app| app.is_spa_origin(origin));
    if registered {
        crate::cors::allow_any_origin(answer, crate::cors::TOKEN_METHODS);
    }
}

/// The answer's `refresh_token_expires_in`: what is left of the 24 hours.
pub(super) fn refresh_token_expires_in(since: i64, now: i64) -> i64 {
    (since + SPA_REFRESH_TOKEN_LIFETIME_SECS - now).max(0)
}

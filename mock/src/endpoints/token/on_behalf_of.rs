//! On-behalf-of (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
//! `requested_token_use=on_behalf_of`): a web API, called with a user's access token, trades
//! that token for one to Graph for the same user.
//!
//! The API proves itself like any confidential client (a secret or a certificate). The
//! `assertion` must be an access token this service signed, still valid, whose `aud` is this
//! API (its client ID or one of its App ID URIs): a token for Graph or for another API is
//! refused (AADSTS500131). The user must have consented to what the API asks of Graph
//! (AADSTS65001 otherwise, which the API passes back to its client to ask the user).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use time::OffsetDateTime;

use super::answer::{self, Issue, Who};
use super::assertion::dotnet_round_trip;
use super::{Context, authenticate, consent_required, requested_scopes};
use crate::certificates::hex_upper;
use crate::consent::ConsentKey;
use crate::demo;
use crate::errors::{Aadsts, UserAssertionRefusal};

/// RFC 7523 §2.1, the grant Entra uses for on-behalf-of.
pub(super) const GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

pub(super) fn redeem(ctx: &Context<'_>) -> Result<Value, Aadsts> {
    let refuse = |refusal| Aadsts::UserAssertion(refusal);
    let assertion = ctx
        .form
        .non_empty("assertion")
        .ok_or(Aadsts::MissingParameter("assertion"))?;
    match ctx.form.non_empty("requested_token_use") {
        None => return Err(Aadsts::MissingParameter("requested_token_use")),
        Some("on_behalf_of") => {}
        Some(_) => return Err(Aadsts::InvalidStsRequest),
    }
    let appidacr = authenticate(ctx, false)?;
    let asked = requested_scopes(ctx)?.ok_or(Aadsts::MissingParameter("scope"))?;

    let claims = ctx.state.signer.verify(assertion).map_err(|_| {
        refuse(UserAssertionRefusal::BadSignature {
            thumbprint: named_thumbprint(assertion),
        })
    })?;
    let now = ctx.state.clock.unix();
    if now >= claims.exp || now < claims.nbf {
        return Err(refuse(UserAssertionRefusal::OutsideValidTime {
            now: dotnet_round_trip(ctx.state.clock.now()),
            expires: dotnet_round_trip(
                OffsetDateTime::from_unix_timestamp(claims.exp)
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            ),
        }));
    }
    let app = ctx.app;
    let for_this_api = claims.aud.eq_ignore_ascii_case(&app.client_id)
        || app
            .identifier_uris
            .iter()
            .any(|uri| uri.eq_ignore_ascii_case(&claims.aud));
    if !for_this_api {
        return Err(refuse(UserAssertionRefusal::WrongAudience {
            audience: claims.aud.clone(),
            client_id: app.client_id.clone(),
            app_name: app.display_name.clone(),
        }));
    }
    // Only a user's token can be traded for another of the same user.
    let user = (claims.idtyp == "user")
        .then(|| demo::user_with_id(&claims.oid))
        .flatten()
        .ok_or(Aadsts::MalformedGrant)?;

    // What the user let the API have of Graph: the API's own consent, not its client's.
    let consented = ctx
        .state
        .store
        .consent(&ConsentKey::new(&app.client_id, &claims.oid))
        .unwrap_or_default();
    asked
        .within(&consented)
        .map_err(|_| consent_required(app))?;
    let scopes = asked.widened_by(&consented);
    answer::issue(
        ctx,
        &Issue {
            tenant: &claims.tid,
            who: Who::User(user),
            scopes: &scopes,
            nonce: None,
            appidacr,
            public_client: false,
            spa_since: None,
        },
    )
}

/// The `x5t` the assertion's header names, in hex as Entra prints it; empty if none.
fn named_thumbprint(assertion: &str) -> String {
    let header = assertion.split('.').next().unwrap_or_default();
    URL_SAFE_NO_PAD
        .decode(header)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|header| {
            let x5t = header["x5t"].as_str()?;
            URL_SAFE_NO_PAD.decode(x5t).ok()
        })
        .map(|thumbprint| hex_upper(&thumbprint))
        .unwrap_or_default()
}

//! `grant_type=urn:ietf:params:oauth:grant-type:device_code`: the app polls for the tokens of a
//! device sign-in (RFC 8628 §3.4). Until the person finishes on the verification page the
//! answer is `authorization_pending`; polling sooner than the interval gets `slow_down`; then
//! the tokens once, or `authorization_declined`, or `expired_token` after fifteen minutes.

use serde_json::Value;

use super::answer::{self, Issue, Who};
use super::{Context, authenticate};
use crate::device::{DeviceTicket, Poll};
use crate::errors::Aadsts;
use crate::seal::DEVICE_CODE;

pub(super) fn redeem(ctx: &Context<'_>) -> Result<Value, Aadsts> {
    let device_code = ctx
        .form
        .non_empty("device_code")
        .ok_or(Aadsts::MissingParameter("device_code"))?;
    // "Allow public client flows" makes the app public here: no secret, and none accepted.
    // Without it, the app must prove itself like any confidential client (AADSTS7000218).
    let public = ctx.app.fallback_public_client;
    let appidacr = authenticate(ctx, public)?;
    let ticket: DeviceTicket = ctx
        .state
        .sealer
        .open(DEVICE_CODE, device_code)
        .ok_or(Aadsts::MalformedGrant)?;
    let now = ctx.state.clock.unix();
    match ctx
        .state
        .store
        .poll_device_flow(&ticket, &ctx.app.client_id, now)
    {
        Poll::Pending => Err(Aadsts::DevicePending),
        Poll::SlowDown => Err(Aadsts::DeviceSlowDown),
        Poll::Expired => Err(Aadsts::DeviceCodeExpired),
        Poll::Declined => Err(Aadsts::DeviceDeclined),
        Poll::Unknown => Err(Aadsts::MalformedGrant),
        Poll::Approved { user, scopes } => answer::issue(
            ctx,
            &Issue {
                tenant: &ctx.app.tenant,
                who: Who::User(user),
                scopes: &scopes,
                nonce: None,
                appidacr,
                public_client: public,
                spa_since: None,
            },
        ),
    }
}

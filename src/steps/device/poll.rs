//! Step 4 (device code flow): poll the token endpoint until the tokens come.
//!
//! The app asks every `interval` seconds, with the device code and no secret. It hears
//! `authorization_pending` while the person is away and `slow_down` if it asked too soon
//! (it then waits five seconds longer each time), then the tokens, once. A decline
//! (`authorization_declined`) or the end of the code's life (`expired_token`) ends the wait.
//!
//! Needs: the client ID (1), the device code (2), the person done (3). Leaves for step 5: the
//! tokens.

use std::time::Duration;

use super::super::tokens;
use crate::context::Context;
use crate::error::Error;
use crate::http::Outgoing;
use crate::protocol::device::{self, Heard, SLOW_DOWN_STEP};
use crate::protocol::token::TokenResponse;
use crate::protocol::{Flow, read_reply, refusal};
use crate::walk::Step;

const NEW_CODE: &str = "tutorial --flow device --step 2 for a new code (a device code works once)";

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let saved = &ctx.progress.saved;
    if saved.device.is_none() && saved.tokens.is_some() {
        // The person was quick: step 3's poll already brought the tokens.
        return Ok(ctx.show.ok(ctx.lang.ui("d4-already"))?);
    }
    let (Some(app), Some(device)) = (&saved.app, &saved.device) else {
        return Err(ctx.needs_earlier(Step::RequestToken));
    };
    let client_id = app.client_id.clone();
    let form = device::poll(&client_id, &device.device_code);
    let mut interval = device.interval;
    let patience = ctx
        .options
        .timeout
        .min(Duration::from_secs(device.expires_in));
    let deadline = tokio::time::Instant::now() + patience;
    let url = ctx.target.token_url(Flow::Device);

    // Send the first poll in full; any after it is one line, until the answer changes.
    ctx.show.heading(ctx.lang.ui("d4-poll"))?;
    let mut exchange = ctx
        .send(Outgoing::post(url.clone()).form(form.clone()))
        .await?;
    let mut shown = true;
    loop {
        let heard = device::heard(&exchange);
        match heard {
            Heard::Tokens => break,
            Heard::Refused => {
                ctx.progress.saved.device = None;
                if !shown {
                    ctx.show.response(&exchange)?;
                }
                return Err(refusal(&exchange, NEW_CODE));
            }
            Heard::SlowDown => interval += SLOW_DOWN_STEP,
            Heard::Pending => {}
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            return Err(Error::NoDeviceSignIn {
                seconds: patience.as_secs(),
            });
        }
        let error = if heard == Heard::SlowDown {
            "slow_down"
        } else {
            "authorization_pending"
        };
        let seconds = interval.to_string();
        ctx.show.say(
            &ctx.lang
                .ui_with("d4-again", &[("error", error), ("seconds", &seconds)]),
        )?;
        let pause = tokio::time::sleep(Duration::from_secs(interval).min(left));
        ctx.show
            .waiting(ctx.lang.ui("d4-spinner"), left, pause)
            .await?;
        let again = Outgoing::post(url.clone()).form(form.clone()).prepare();
        exchange = ctx.http.send(again).await?;
        shown = false;
    }
    // The device code is spent: the answer comes once.
    ctx.progress.saved.device = None;
    if !shown {
        ctx.show.response(&exchange)?;
    }
    let answer: TokenResponse = read_reply(&exchange, "a token response", NEW_CODE)?;

    // Explain: the same tokens as the code flow's, for the same user; no nonce to check,
    // since no redirect came back that could have been forged.
    if let Some(id) = tokens::explain(ctx, &answer).await?
        && id.claim_str("aud") == Some(client_id.as_str())
    {
        ctx.show.ok(ctx.lang.ui("s4-aud"))?;
    }
    ctx.progress.saved.tokens = Some(tokens::keep(answer));
    Ok(())
}

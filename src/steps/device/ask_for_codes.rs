//! Step 2 (device code flow): ask for a device code and a user code.
//!
//! A device without a browser (a TV, a command line over SSH) cannot send anyone to a sign-in
//! page. It asks the identity platform for two codes instead: a `device_code` it keeps and
//! polls with, and a short `user_code` that a person types on any other device, at the
//! `verification_uri`. Only the client ID and the scopes go: a public client has no secret.
//!
//! Needs from step 1: the client ID. Leaves for steps 3 and 4: both codes and the interval.

use crate::context::Context;
use crate::error::Error;
use crate::http::Outgoing;
use crate::lessons;
use crate::progress::DeviceSignIn;
use crate::protocol::device::{self, DeviceCodeResponse};
use crate::protocol::read_reply;
use crate::secrets::DeviceCode;
use crate::show::ClaimRow;
use crate::steps::redirect::scopes;
use crate::walk::Step;

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let Some(app) = &ctx.progress.saved.app else {
        return Err(ctx.needs_earlier(Step::Redirect));
    };

    // Build, show, send: who asks, and for which scopes.
    let scope = scopes(&ctx.options.scopes);
    let form = device::request(&app.client_id, &scope);
    ctx.show.heading(ctx.lang.ui("d2-request"))?;
    let request = Outgoing::post(ctx.target.device_code_url()).form(form);
    let exchange = ctx.send(request).await?;
    let answer: DeviceCodeResponse = read_reply(
        &exchange,
        "a device code",
        "tutorial --flow device --step 1",
    )?;

    // Explain: what each part of the answer is for.
    ctx.show.heading(ctx.lang.ui("d2-answer"))?;
    let device_code = ctx.show.secret(&answer.device_code);
    let rows: Vec<ClaimRow> = [
        ("user_code", answer.user_code.clone()),
        ("device_code", device_code),
        ("verification_uri", answer.verification_uri.clone()),
        ("expires_in", answer.expires_in.to_string()),
        ("interval", answer.interval.to_string()),
    ]
    .into_iter()
    .map(|(name, value)| ClaimRow {
        name: name.to_owned(),
        value,
        meaning: lessons::parameter(ctx.lang, name).map(str::to_owned),
    })
    .collect();
    ctx.show.explained_rows(&rows)?;

    ctx.progress.saved.device = Some(DeviceSignIn {
        device_code: DeviceCode::new(answer.device_code),
        user_code: answer.user_code,
        verification_uri: answer.verification_uri,
        scope,
        interval: answer.interval,
        expires_in: answer.expires_in,
        signed_in: false,
    });
    ctx.progress.saved.tokens = None;
    Ok(())
}

//! Step 3 (device code flow): the person signs in on another device; the app waits.
//!
//! The device shows the user code and where to type it. On a phone or a laptop the person
//! opens that page, types the code, signs in and consents, and the identity platform marks
//! the device code approved. The app sees none of it: it can only ask the token endpoint. One
//! poll sent here, before the person is done, shows what it hears meanwhile.
//!
//! Who plays the person: against a mock with `--yes` (or `--play-browser`), the tutorial,
//! through the mock's pages; a learner at the keyboard signs in in a browser and presses
//! Enter, or (on a mock) types `p` to let the tutorial do it.
//!
//! Needs from step 2: the codes. Leaves for step 4: the device code, the person done.

use crate::context::Context;
use crate::error::Error;
use crate::http::Outgoing;
use crate::protocol::device::{self, Heard};
use crate::protocol::{Flow, read_reply, refusal};
use crate::steps::{play, tokens};
use crate::walk::Step;

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let (Some(app), Some(device)) = (&ctx.progress.saved.app, &ctx.progress.saved.device) else {
        return Err(ctx.needs_earlier(Step::ReceiveCode));
    };
    let poll = device::poll(&app.client_id, &device.device_code);
    let (uri, user_code) = (device.verification_uri.clone(), device.user_code.clone());

    // Send: one poll while the person is still away.
    ctx.show.heading(ctx.lang.ui("d3-poll"))?;
    let request = Outgoing::post(ctx.target.token_url(Flow::Device)).form(poll);
    let exchange = ctx.send(request).await?;
    match device::heard(&exchange) {
        Heard::Pending | Heard::SlowDown => ctx.show.ok(ctx.lang.ui("d3-pending"))?,
        Heard::Tokens => {
            // The person was quicker than this poll: the tokens came now, and only once.
            let answer = read_reply(&exchange, "a token response", "tutorial --flow device")?;
            ctx.progress.saved.tokens = Some(tokens::keep(answer));
            ctx.progress.saved.device = None;
            return Ok(ctx.show.ok(ctx.lang.ui("d3-already"))?);
        }
        Heard::Refused => return Err(refusal(&exchange, "tutorial --flow device --step 2")),
    }

    // Show: what the device tells the person, then the person's part.
    ctx.show.heading(ctx.lang.ui("d3-tell"))?;
    ctx.show
        .say(&ctx.lang.ui_with("d3-open", &[("code", &user_code)]))?;
    ctx.show.url_to_copy(&uri)?;
    if ctx.options.play_browser {
        play_the_person(ctx, &uri, &user_code).await?;
    } else if !ctx.prompt.auto {
        wait_for_the_person(ctx, &uri, &user_code).await?;
    }
    // Otherwise nobody is at the keyboard to ask: step 4 polls until the sign-in ends.
    if let Some(device) = &mut ctx.progress.saved.device {
        device.signed_in = true;
    }
    Ok(())
}

/// A learner signs in in a browser and presses Enter; on a mock, `p` lets the tutorial play
/// the person instead; `n` stops here.
async fn wait_for_the_person(ctx: &mut Context<'_>, uri: &str, code: &str) -> Result<(), Error> {
    let keys = if ctx.target.is_mock() {
        ctx.lang.ui("d3-keys-mock")
    } else {
        ctx.lang.ui("pause-keys")
    };
    loop {
        ctx.show.question(ctx.lang.ui("d3-done"), keys)?;
        let line = ctx.prompt.line().await.unwrap_or_else(|| "n".to_owned());
        match line.trim().to_ascii_lowercase().as_str() {
            "" | "y" => return Ok(()),
            "p" if ctx.target.is_mock() => return play_the_person(ctx, uri, code).await,
            "n" => {
                return Err(Error::Stopped {
                    resume: ctx.resume(Step::ReceiveCode),
                });
            }
            _ => {}
        }
    }
}

/// The person's part on the mock's pages: open the verification page, type the user code,
/// then sign in and consent as a click on each page's main button would.
async fn play_the_person(ctx: &mut Context<'_>, uri: &str, code: &str) -> Result<(), Error> {
    ctx.show.heading(ctx.lang.ui("d3-play"))?;
    let page_url = url::Url::parse(uri).map_err(|e| Error::BadUrl {
        what: "the verification_uri",
        value: uri.to_owned(),
        reason: e.to_string(),
        hint: "tutorial --flow device --step 2",
    })?;
    // The code page, the sign-in page, the consent page: then "You're signed in".
    let last = play::click_through(ctx, &page_url, Some(("otc", code))).await?;
    match last.response.status {
        200 => Ok(ctx.show.ok(ctx.lang.ui("d3-signed-in"))?),
        status => Err(Error::DevicePageRefused { status }),
    }
}

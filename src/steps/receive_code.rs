//! Step 3: catch the browser's redirect on the reply URL, check `state`, keep the code.
//!
//! After the user signs in and consents, the identity platform answers the browser with a
//! `302` to the reply URL, the code in the query string. The listener from step 2 receives
//! that visit. The `state` must be the one step 2 sent: anything else is refused, because a
//! redirect the app did not start could carry an attacker's code (CSRF).
//!
//! Who plays the browser: against the built-in mock with `--yes` (or no terminal), and with
//! `--play-browser`, the tutorial does: it fetches the authorize URL itself, clicks through
//! the mock's pages if it shows them, and follows the `302` to its own listener, so the same
//! listener code runs. Otherwise (`--mock-url`, `--live`, or a learner at the keyboard) a
//! person signs in in a real browser and this step waits for it, at most `--timeout` seconds;
//! against a mock the learner may type `p` to let the tutorial play the browser instead.
//!
//! Needs from step 2: the authorize URL, the state, the listener. Leaves for step 4: the code.

use crate::context::Context;
use crate::error::Error;
use crate::listener::Listener;
use crate::protocol::authorize::Callback;
use crate::steps::at_the_browser::{play_the_browser, wait_for_the_browser};
use crate::walk::Step;

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let Some(authorization) = ctx.progress.saved.authorization.as_ref() else {
        return Err(ctx.needs_earlier(Step::ReceiveCode));
    };
    let url = authorization.url.clone();
    let state = authorization.state.clone();
    let listener = match ctx.listener.take() {
        Some(listener) => listener,
        None => Listener::bind_exactly(&authorization.redirect_uri).await?,
    };

    let visit = if ctx.options.play_browser {
        play_the_browser(ctx, &url, state.clone(), listener).await?
    } else {
        wait_for_the_browser(ctx, &url, state.clone(), listener).await?
    };

    // Print: the browser's visit as the listener saw it, and the page it answered.
    ctx.show.heading(ctx.lang.ui("s3-redirect"))?;
    ctx.show.visit(&visit.exchange)?;

    // Explain: the verdict, state first.
    ctx.show.heading(ctx.lang.ui("s3-what"))?;
    match visit.callback {
        Callback::Code { code, state: back } => {
            match (&state, back) {
                (Some(_), Some(back)) => ctx
                    .show
                    .ok(&ctx.lang.ui_with("s3-state-ok", &[("state", &back)]))?,
                _ => ctx.show.refused(ctx.lang.ui("s3-no-state"))?,
            }
            let shown = ctx.show.secret(code.expose());
            ctx.show
                .ok(&ctx.lang.ui_with("s3-code", &[("code", &shown)]))?;
            ctx.progress.saved.code = Some(code);
            Ok(())
        }
        Callback::StateMismatch { sent, got } => {
            ctx.show.refused(ctx.lang.ui("s3-mismatch"))?;
            Err(Error::StateMismatch { sent, got })
        }
        Callback::Refused { error, description } => {
            ctx.show.refused(&format!("{error}: {description}"))?;
            Err(Error::SignInRefused {
                error,
                description,
                flags: ctx.options.target_flags.clone(),
            })
        }
        Callback::NoCode(what) => Err(Error::NoCode { what }),
    }
}

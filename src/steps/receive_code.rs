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

use std::future::Future;

use crate::context::Context;
use crate::error::Error;
use crate::http::Outgoing;
use crate::listener::{Listener, Visit};
use crate::protocol::authorize::Callback;
use crate::steps::play;
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
        play_the_browser(ctx, &url, listener).await?
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

/// A person signs in in a browser: show the URL, then wait for the redirect to reach the
/// listener, telling on the terminal any visit that is not it.
async fn wait_for_the_browser(
    ctx: &mut Context<'_>,
    url: &str,
    state: Option<String>,
    listener: Listener,
) -> Result<Visit, Error> {
    ctx.show.heading(
        &ctx.lang
            .ui_with("s3-waiting", &[("uri", listener.redirect_uri.as_str())]),
    )?;
    ctx.show.say(ctx.lang.ui("s3-sign-in"))?;
    ctx.show.say(ctx.lang.ui("s3-url"))?;
    ctx.show.url_to_copy(url)?;
    let timeout = ctx.options.timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let (notices, mut refused) = tokio::sync::mpsc::unbounded_channel();
    // A visit without our state is refused and waited past (see `listener.rs`).
    let wait = listener.wait_for_ours(state, timeout, notices);
    if ctx.target.is_mock() && !ctx.prompt.auto {
        return wait_or_play(ctx, url, wait).await;
    }
    tokio::pin!(wait);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let next = async {
            tokio::select! {
                visit = &mut wait => Ok(visit),
                Some(notice) = refused.recv() => Err(notice),
            }
        };
        match ctx
            .show
            .waiting(ctx.lang.ui("s3-spinner"), left, next)
            .await?
        {
            Ok(visit) => return visit,
            Err(notice) => ctx.show.notice(&notice)?,
        }
    }
}

/// Against a mock, with a learner at the keyboard: the browser's visit, or `p` and Enter,
/// and then the tutorial plays the browser while the listener goes on waiting.
async fn wait_or_play(
    ctx: &mut Context<'_>,
    url: &str,
    wait: impl Future<Output = Result<Visit, Error>>,
) -> Result<Visit, Error> {
    ctx.show.say(ctx.lang.ui("s3-play-key"))?;
    ctx.show.flush()?;
    tokio::pin!(wait);
    loop {
        let line = tokio::select! {
            visit = &mut wait => return visit,
            line = ctx.prompt.line() => line,
        };
        if line.is_some_and(|l| l.trim().eq_ignore_ascii_case("p")) {
            break;
        }
    }
    let next = play::to_the_reply_url(ctx, url).await?;
    let follow = Outgoing::get(next).as_browser().prepare();
    let http = ctx.http.clone();
    let (visit, _page) = tokio::join!(wait, http.send(follow));
    visit
}

/// `--yes`: play the browser, then follow the `302` to the listener.
async fn play_the_browser(
    ctx: &mut Context<'_>,
    url: &str,
    listener: Listener,
) -> Result<Visit, Error> {
    let next = play::to_the_reply_url(ctx, url).await?;
    // Follow it: the listener answers, exactly as it would answer a real browser.
    let state = ctx
        .progress
        .saved
        .authorization
        .as_ref()
        .and_then(|a| a.state.clone());
    let timeout = ctx.options.timeout;
    let http = ctx.http.clone();
    let follow = Outgoing::get(next).as_browser().prepare();
    let (visit, _page) = tokio::join!(listener.wait(state, timeout), http.send(follow));
    visit
}

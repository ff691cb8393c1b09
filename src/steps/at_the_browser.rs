//! The browser between steps 2 and 3: sent to the sign-in page, then waited for at the reply
//! URL, or played by the tutorial. The steps say what happens; this file says how the terminal
//! and the browser take turns.

use std::future::Future;

use crate::browser;
use crate::context::Context;
use crate::error::Error;
use crate::http::Outgoing;
use crate::listener::{Listener, Visit};
use crate::prompt::Answer;
use crate::steps::play;

/// Asks the learner, then the desktop, to open `url`. Only what was attempted is said: a
/// desktop may take the request and open nothing.
pub(super) async fn send_the_browser(ctx: &mut Context<'_>, url: &str) -> Result<(), Error> {
    let open = !ctx.options.no_browser
        && ctx
            .prompt
            .ask(&mut ctx.show, ctx.lang.ui("s2-ask-open"))
            .await?
            == Answer::Go;
    if !open {
        ctx.show.say(ctx.lang.ui("s2-open-yourself"))?;
    } else {
        match browser::open(url) {
            Ok(opener) => ctx
                .show
                .say(&ctx.lang.ui_with("s2-opened", &[("opener", &opener)]))?,
            Err(tried) => ctx
                .show
                .notice(&ctx.lang.ui_with("s2-no-browser", &[("opener", &tried)]))?,
        }
    }
    Ok(())
}

/// A person signs in in a browser: show the URL, then wait for the redirect to reach the
/// listener, telling on the terminal any visit that is not it.
pub(super) async fn wait_for_the_browser(
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
pub(super) async fn play_the_browser(
    ctx: &mut Context<'_>,
    url: &str,
    state: Option<String>,
    listener: Listener,
) -> Result<Visit, Error> {
    let next = play::to_the_reply_url(ctx, url).await?;
    // Follow it: the listener answers, exactly as it would answer a real browser.
    let timeout = ctx.options.timeout;
    let http = ctx.http.clone();
    let follow = Outgoing::get(next).as_browser().prepare();
    let (visit, _page) = tokio::join!(listener.wait(state, timeout), http.send(follow));
    visit
}

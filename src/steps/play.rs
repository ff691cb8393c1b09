//! The person at the browser, played by the tutorial against a mock that shows its pages
//! (`p` at step 3, `--play-browser`, `--yes` against the built-in mock): it opens a page,
//! types what the page asks a person to type, clicks each page's main button, and stops at the
//! first answer that is not another form: the redirect to the reply URL, or "You're signed in".

use url::Url;

use crate::context::Context;
use crate::error::Error;
use crate::exchange::Exchange;
use crate::http::Outgoing;
use crate::protocol::page;

/// The code flow: GET the authorize URL, sign in and consent. Returns where the last answer
/// sends the browser: the reply URL, with the code.
pub async fn to_the_reply_url(ctx: &mut Context<'_>, url: &str) -> Result<Url, Error> {
    ctx.show.heading(ctx.lang.ui("s3-play"))?;
    let authorize = Url::parse(url).map_err(|e| Error::BadUrl {
        what: "the saved authorize URL",
        value: url.to_owned(),
        reason: e.to_string(),
        hint: "tutorial --step 2",
    })?;
    let exchange = click_through(ctx, &authorize, None).await?;
    let location = match (
        exchange.response.status,
        exchange.response.header("location"),
    ) {
        (301..=303 | 307 | 308, Some(location)) => location.to_owned(),
        (status, _) => return Err(Error::NeedsBrowser { status }),
    };
    let next = Url::parse(&location).map_err(|e| Error::UnexpectedReply {
        url: url.to_owned(),
        what: "a redirect to the reply URL",
        reason: format!("the Location `{location}` is not a URL: {e}"),
    })?;
    ctx.show.ok(ctx.lang.ui("s3-found"))?;
    Ok(next)
}

/// GET `start`, then post each page's form as a click on its main button would (a sign-in
/// page, a consent page: a few clicks at most), typing `typed` (a field's name and value)
/// where a page asks for it. Returns the last answer.
pub async fn click_through(
    ctx: &mut Context<'_>,
    start: &Url,
    typed: Option<(&str, &str)>,
) -> Result<Exchange, Error> {
    let mut exchange = ctx.send(Outgoing::get(start.clone()).as_browser()).await?;
    for _ in 0..4 {
        let text = exchange.response.text();
        let Some(mut form) = (exchange.response.status == 200)
            .then(|| page::post_form(&text))
            .flatten()
        else {
            break;
        };
        let Ok(action) = start.join(&form.action) else {
            break;
        };
        match typed {
            Some((name, value)) if text.contains(&format!("name=\"{name}\"")) => {
                form.fields.push((name.to_owned(), value.to_owned()));
                ctx.show
                    .ok(&ctx.lang.ui_with("d3-typed", &[("code", value)]))?;
            }
            _ => ctx.show.ok(ctx.lang.ui("s3-click"))?,
        }
        exchange = ctx
            .send(Outgoing::post(action).as_browser().form(form.fields))
            .await?;
    }
    Ok(exchange)
}

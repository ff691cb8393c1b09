//! `tutorial call METHOD PATH` and `tutorial refresh`: the learner's own requests, with the
//! tokens the steps left behind.
//!
//! `call` sends any Graph request (`GET /me/messages`, `POST /me/sendMail --body '{…}'`) with
//! the saved access token. A token past its `exp` is renewed first, on screen, with the refresh
//! token; a `401` that says the token expired is answered the same way, once, then the call is
//! sent again. `refresh` redeems the refresh token on demand (RFC 6749 §6) and shows what
//! changed. Against a mock, missing tokens are made by replaying steps 1 to 4 quietly, as
//! `--step 5` does.

use serde_json::Value;
use url::Url;

use crate::context::Context;
use crate::error::Error;
use crate::exchange::Exchange;
use crate::http::Outgoing;
use crate::progress::Tokens;
use crate::protocol::jwt;
use crate::protocol::token::TokenResponse;
use crate::protocol::{read_reply, refusal};
use crate::secrets::{AccessToken, IdToken, RefreshToken};
use crate::tutorial;
use crate::walk::Step;

/// The methods Graph's REST API uses.
const METHODS: [&str; 5] = ["GET", "POST", "PATCH", "PUT", "DELETE"];

/// A token this close to its `exp` is renewed before use: it could expire on the way.
const MARGIN_SECONDS: i64 = 60;

/// What the learner asked `tutorial call` to send.
pub struct Call<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub body: Option<&'a str>,
}

/// `tutorial call`: the request, with a fresh enough token.
/// `now` is the clock to check the token's `exp` against; without it, only Graph's answer
/// says the token expired.
pub async fn call(ctx: &mut Context<'_>, asked: &Call<'_>, now: Option<i64>) -> Result<(), Error> {
    // Build (and refuse a mistyped request before anything is sent).
    let method = asked.method.to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return Err(Error::BadCall {
            what: format!("`{}` is not an HTTP method Graph uses", asked.method),
        });
    }
    let url = graph_url(ctx, asked.path)?;
    let body = match asked.body {
        Some(text) => Some(
            serde_json::from_str::<Value>(text).map_err(|e| Error::BadCall {
                what: format!("the body is not JSON: {e}"),
            })?,
        ),
        None => None,
    };

    // The token: replayed if missing, renewed if expired.
    ctx.step = Step::CallGraph;
    tutorial::catch_up(ctx, Step::CallGraph).await?;
    let access = saved_access(ctx)?;
    if let (Some(now), Some(exp)) = (now, expiry(&access))
        && exp <= now + MARGIN_SECONDS
    {
        let minutes = ((now - exp).max(0) / 60).to_string();
        ctx.show
            .notice(&ctx.lang.ui_with("c-expired", &[("minutes", &minutes)]))?;
        refresh(ctx).await?;
    }

    // Send, print; a 401 for an expired token gets one refresh and one retry.
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    ctx.show
        .heading(&format!("{method} {}{query}", url.path()))?;
    let mut exchange = send(ctx, &method, &url, body.as_ref()).await?;
    if says_expired(&exchange) && has_refresh_token(ctx) {
        ctx.show.notice(ctx.lang.ui("c-refused-expired"))?;
        refresh(ctx).await?;
        exchange = send(ctx, &method, &url, body.as_ref()).await?;
    }
    let status = exchange.response.status;
    if !exchange.response.is_success() {
        return Err(refusal(
            &exchange,
            "tutorial explain CODE (the code printed above)",
        ));
    }
    ctx.show
        .ok(&format!("{status} {}", exchange.response.reason))?;
    ctx.save()?;
    Ok(())
}

/// `tutorial refresh`: the refresh token redeemed on demand, and what came back.
pub async fn refresh_on_demand(ctx: &mut Context<'_>) -> Result<(), Error> {
    ctx.step = Step::RequestToken;
    tutorial::catch_up(ctx, Step::CallGraph).await?;
    refresh(ctx).await?;
    ctx.save()?;
    Ok(())
}

/// The refresh-token grant, shown, sent and saved. The answer brings a new access token and
/// (the identity platform rotates them) a new refresh token; the old one should be dropped.
pub async fn refresh(ctx: &mut Context<'_>) -> Result<(), Error> {
    let hint = "tutorial --step 2 for a new sign-in (the refresh token was refused)";
    let (Some(app), Some(tokens)) = (&ctx.progress.saved.app, &ctx.progress.saved.tokens) else {
        return Err(needs_tokens(ctx));
    };
    let Some(refresh) = &tokens.refresh else {
        return Err(Error::NoRefreshToken);
    };
    let mut form = vec![
        pair("grant_type", "refresh_token"),
        pair("client_id", app.client_id.as_str()),
    ];
    // A public client (the device code flow's) has no secret to send.
    if let Some(secret) = &app.client_secret {
        form.push(pair("client_secret", secret.expose()));
    }
    form.push(pair("refresh_token", refresh.expose()));
    let scope = ctx
        .progress
        .saved
        .authorization
        .as_ref()
        .and_then(|a| a.scope.clone())
        .or_else(|| ctx.progress.saved.device.as_ref().map(|d| d.scope.clone()));
    if let Some(scope) = scope {
        form.push(pair("scope", &scope));
    }
    let before = scp(&tokens.access);

    ctx.show.heading(ctx.lang.ui("c-refresh"))?;
    let request = Outgoing::post(ctx.target.token_url(ctx.options.flow)).form(form);
    let exchange = ctx.send(request).await?;
    let answer: TokenResponse = read_reply(&exchange, "a token response", hint)?;
    let minutes = (answer.expires_in_seconds().unwrap_or(0) / 60).to_string();
    let old = ctx.progress.saved.tokens.take();
    let tokens = Tokens {
        access: AccessToken::new(answer.access_token),
        // No new refresh token in the answer: the old one still stands.
        refresh: answer
            .refresh_token
            .map(RefreshToken::new)
            .or_else(|| old.as_ref().and_then(|t| t.refresh.clone())),
        id: answer
            .id_token
            .map(IdToken::new)
            .or_else(|| old.and_then(|t| t.id)),
    };
    let after = scp(&tokens.access);
    ctx.show
        .ok(&ctx.lang.ui_with("c-refreshed", &[("minutes", &minutes)]))?;
    ctx.show.say(
        &ctx.lang
            .ui_with("c-scp", &[("scp", after.as_deref().unwrap_or("-"))]),
    )?;
    if before != after {
        let was = before.unwrap_or_else(|| "-".into());
        ctx.show
            .say(&ctx.lang.ui_with("c-scp-was", &[("scp", &was)]))?;
    }
    ctx.progress.saved.tokens = Some(tokens);
    ctx.save()?;
    Ok(())
}

async fn send(
    ctx: &mut Context<'_>,
    method: &str,
    url: &Url,
    body: Option<&Value>,
) -> Result<Exchange, Error> {
    let access = saved_access(ctx)?;
    let mut request = Outgoing::with_method(method, url.clone()).bearer(&access);
    if let Some(body) = body {
        request = request.json(body.clone());
    }
    ctx.send(request).await
}

/// `/me/messages?$top=2`, `me`, `/v1.0/me` or a whole Graph URL → the URL on this target.
fn graph_url(ctx: &Context<'_>, path: &str) -> Result<Url, Error> {
    let path = path.trim();
    let relative = match Url::parse(path) {
        Ok(url) => {
            let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
            format!("{}{query}", url.path())
        }
        Err(_) => path.to_owned(),
    };
    let relative = relative.trim_start_matches('/');
    let relative = relative.strip_prefix("v1.0/").unwrap_or(relative);
    if relative.is_empty() || relative.contains(char::is_whitespace) {
        return Err(Error::BadCall {
            what: format!("`{path}` is not a Graph path such as /me/messages"),
        });
    }
    let (path_part, query) = match relative.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (relative, None),
    };
    let mut url = ctx.target.graph(path_part);
    url.set_query(query);
    Ok(url)
}

fn saved_access(ctx: &Context<'_>) -> Result<AccessToken, Error> {
    ctx.progress
        .saved
        .tokens
        .as_ref()
        .map(|tokens| tokens.access.clone())
        .ok_or_else(|| needs_tokens(ctx))
}

fn needs_tokens(ctx: &Context<'_>) -> Error {
    ctx.needs_earlier(Step::CallGraph)
}

fn has_refresh_token(ctx: &Context<'_>) -> bool {
    ctx.progress
        .saved
        .tokens
        .as_ref()
        .is_some_and(|tokens| tokens.refresh.is_some())
}

/// The access token's `exp`, when it is a JWT the app can read (Microsoft says apps should
/// not rely on reading Graph's tokens; the mock's and today's cloud's can be read).
fn expiry(access: &AccessToken) -> Option<i64> {
    jwt::decode(access.expose())
        .ok()
        .and_then(|token| token.claims.get("exp").and_then(Value::as_i64))
}

fn scp(access: &AccessToken) -> Option<String> {
    jwt::decode(access.expose())
        .ok()
        .and_then(|token| token.claim_str("scp").map(str::to_owned))
}

/// Graph's 401 for a token past its lifetime.
fn says_expired(exchange: &Exchange) -> bool {
    exchange.response.status == 401
        && exchange
            .response
            .text()
            .contains("Access token has expired")
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

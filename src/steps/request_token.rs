//! Step 4: redeem the authorization code for tokens.
//!
//! The app POSTs a form to the token endpoint: the code from step 3, the same `redirect_uri`
//! it sent in step 2, the PKCE `code_verifier`, and its own credentials. The reply holds an
//! access token (for Graph), a refresh token (because it asked for `offline_access`) and an id
//! token (because it asked for `openid`). Both JWTs are decoded here and their signatures
//! checked against the keys the identity platform publishes.
//!
//! Needs: the app (1), the verifier and redirect URI (2), the code (3). Leaves for step 5: the
//! tokens.

use serde_json::Value;

use super::tokens;
use crate::context::Context;
use crate::error::Error;
use crate::exchange::Exchange;
use crate::http::Outgoing;
use crate::protocol::read_reply;
use crate::protocol::token::{CodeRedemption, TokenResponse};
use crate::walk::Step;

/// A code is single use and lives about ten minutes: a new one comes from step 2.
const NEW_CODE: &str =
    "tutorial --step 2, then --step 3, for a new code (a code works once, for about ten minutes)";

/// A secret the token endpoint refused (wrong, expired, or its ID sent for its value): a new
/// code would not help.
const CHECK_SECRET: &str =
    "tutorial --step 1 with the secret's Value, not its ID (or a new secret)";

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let saved = &ctx.progress.saved;
    let (Some(app), Some(authorization), Some(code)) =
        (&saved.app, &saved.authorization, &saved.code)
    else {
        return Err(ctx.needs_earlier(Step::RequestToken));
    };

    // Build: exactly the fields the token endpoint asks for.
    let form = CodeRedemption {
        flow: ctx.options.flow,
        client_id: &app.client_id,
        client_secret: app.client_secret.as_ref(),
        code,
        redirect_uri: &authorization.redirect_uri,
        verifier: authorization.verifier.as_ref(),
        scope: authorization.scope.as_deref(),
    }
    .form();
    let client_id = app.client_id.clone();
    let nonce = authorization.nonce.clone();

    // Show, send, print.
    ctx.show.heading(ctx.lang.ui("s4-redeem"))?;
    let request = Outgoing::post(ctx.target.token_url(ctx.options.flow)).form(form);
    let exchange = ctx.send(request).await?;
    // Sent is spent: the code cannot be redeemed again, whatever the answer was.
    ctx.progress.saved.code = None;
    let answer: TokenResponse = read_reply(&exchange, "a token response", hint_for(&exchange))?;

    // Explain: decode both tokens and check their signatures; the nonce must be ours.
    let id = tokens::explain(ctx, &answer).await?;
    if let Some(id) = id {
        match (&nonce, id.claim_str("nonce")) {
            (Some(sent), Some(back)) if sent == back => ctx.show.ok(ctx.lang.ui("s4-nonce-ok"))?,
            (Some(_), _) => ctx.show.refused(ctx.lang.ui("s4-nonce-differs"))?,
            (None, _) => ctx.show.refused(ctx.lang.ui("s4-no-nonce"))?,
        }
        if id.claim_str("aud") == Some(client_id.as_str()) {
            ctx.show.ok(ctx.lang.ui("s4-aud"))?;
        }
    }
    ctx.progress.saved.tokens = Some(tokens::keep(answer));
    Ok(())
}

/// What to do after a refusal: AADSTS7000215 (not the app's secret) and 7000222 (expired)
/// are fixed in step 1; anything else needs a new code.
fn hint_for(exchange: &Exchange) -> &'static str {
    let body = exchange.response.json::<Value>().unwrap_or_default();
    let codes = body["error_codes"].as_array().cloned().unwrap_or_default();
    let secret_refused = codes
        .iter()
        .any(|code| matches!(code.as_u64(), Some(7_000_215 | 7_000_222)));
    if secret_refused {
        CHECK_SECRET
    } else {
        NEW_CODE
    }
}

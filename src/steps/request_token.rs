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

use crate::error::Error;
use crate::http::Outgoing;
use crate::lang::{ui, ui_with};
use crate::lessons;
use crate::progress::Tokens;
use crate::protocol::jwt::{self, Decoded, Signature};
use crate::protocol::read_reply;
use crate::protocol::token::{CodeRedemption, TokenResponse};
use crate::secrets::{AccessToken, IdToken, RefreshToken};
use crate::show::{ClaimRow, Printer};
use crate::tutorial::Context;

/// A code is single use and lives about ten minutes: a new one comes from step 2.
const NEW_CODE: &str =
    "tutorial --step 2, then --step 3, for a new code (a code works once, for about ten minutes)";

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let saved = &ctx.progress.saved;
    let (Some(app), Some(authorization), Some(code)) =
        (&saved.app, &saved.authorization, &saved.code)
    else {
        return Err(Error::NeedsEarlierStep {
            step: 4,
            what: "an app, an authorize request and a code",
            from: 3,
            flags: ctx.options.target_flags.clone(),
        });
    };

    // Build: exactly the fields the token endpoint asks for.
    let form = CodeRedemption {
        flow: ctx.options.flow,
        client_id: &app.client_id,
        client_secret: &app.client_secret,
        code,
        redirect_uri: &authorization.redirect_uri,
        verifier: authorization.verifier.as_ref(),
        scope: authorization.scope.as_deref(),
    }
    .form();
    let client_id = app.client_id.clone();
    let nonce = authorization.nonce.clone();

    // Show, send, print.
    ctx.show.heading(ui("s4-redeem"))?;
    let request = Outgoing::post(ctx.target.token_url(ctx.options.flow)).form(form);
    let exchange = ctx.send(request).await?;
    // Sent is spent: the code cannot be redeemed again, whatever the answer was.
    ctx.progress.saved.code = None;
    let tokens: TokenResponse = read_reply(&exchange, "a token response", NEW_CODE)?;
    if let Some(seconds) = tokens.expires_in_seconds() {
        ctx.show.ok(&ui_with(
            "s4-token",
            &[
                ("type", &tokens.token_type),
                ("minutes", &(seconds / 60).to_string()),
                (
                    "scope",
                    tokens.scope.as_deref().unwrap_or(ui("s4-as-registered")),
                ),
            ],
        ))?;
    }

    // Explain: decode both tokens and check their signatures.
    ctx.show.heading(ui("s4-jwks"))?;
    let exchange = ctx.send(Outgoing::get(ctx.target.jwks_url())).await?;
    let jwks: Value = read_reply(&exchange, "a JSON Web Key Set", "tutorial --step 4")?;

    ctx.show.heading(ui("s4-access"))?;
    let access = jwt::decode(&tokens.access_token)?;
    show_token(&mut ctx.show, &access, &jwks)?;

    if let Some(id_token) = &tokens.id_token {
        ctx.show.heading(ui("s4-id"))?;
        let id = jwt::decode(id_token)?;
        show_token(&mut ctx.show, &id, &jwks)?;
        match (&nonce, id.claim_str("nonce")) {
            (Some(sent), Some(back)) if sent == back => ctx.show.ok(ui("s4-nonce-ok"))?,
            (Some(_), _) => ctx.show.refused(ui("s4-nonce-differs"))?,
            (None, _) => ctx.show.refused(ui("s4-no-nonce"))?,
        }
        if id.claim_str("aud") == Some(client_id.as_str()) {
            ctx.show.ok(ui("s4-aud"))?;
        }
    }

    ctx.progress.saved.tokens = Some(Tokens {
        access: AccessToken::new(tokens.access_token),
        refresh: tokens.refresh_token.map(RefreshToken::new),
        id: tokens.id_token.map(IdToken::new),
    });
    Ok(())
}

/// Header, claims with their meanings, and the signature check (`tutorial decode` shows a
/// pasted token the same way).
pub fn show_token(show: &mut Printer<'_>, token: &Decoded, jwks: &Value) -> Result<(), Error> {
    let rows: Vec<ClaimRow> = token
        .claims
        .iter()
        .map(|(name, value)| ClaimRow {
            name: name.clone(),
            value: claim_value(name, value),
            meaning: lessons::claim(name).map(str::to_owned),
        })
        .collect();
    show.claims(&token.header, &rows)?;
    match token.check_signature(jwks) {
        Signature::Valid { kid } => show.ok(&ui_with("s4-sig-valid", &[("kid", &kid)]))?,
        Signature::Invalid { kid } => show.refused(&ui_with("s4-sig-invalid", &[("kid", &kid)]))?,
        Signature::Unsigned => show.refused(ui("s4-sig-none"))?,
        Signature::UnknownKey { kid } => {
            show.refused(&ui_with("s4-sig-unknown", &[("kid", &kid)]))?
        }
        Signature::Unsupported { alg } => {
            show.refused(&ui_with("s4-sig-unsupported", &[("alg", &alg)]))?
        }
    }
    Ok(())
}

/// A claim's value on one line; Unix times also as a date.
fn claim_value(name: &str, value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match (name, value.as_i64()) {
        ("iat" | "nbf" | "exp" | "auth_time", Some(seconds)) => match jwt::utc(seconds) {
            Some(date) => format!("{text} ({date})"),
            None => text,
        },
        _ => text,
    }
}

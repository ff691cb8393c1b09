//! What step 4 shows of a token answer, in every flow: the token's type, lifetime and scope,
//! then both JWTs decoded, each claim with its meaning, each signature checked against the
//! keys the identity platform publishes. `tutorial decode` shows a pasted token the same way.

use serde_json::Value;

use crate::context::Context;
use crate::error::Error;
use crate::http::Outgoing;
use crate::lessons;
use crate::progress::Tokens;
use crate::protocol::jwt::{self, Decoded, Signature};
use crate::protocol::read_reply;
use crate::protocol::token::TokenResponse;
use crate::secrets::{AccessToken, IdToken, RefreshToken};
use crate::show::{ClaimRow, Printer};

/// Prints what came back and fetches the keys to check it. Returns the decoded id token, if
/// any, for the checks that depend on the flow (the nonce).
pub async fn explain(
    ctx: &mut Context<'_>,
    answer: &TokenResponse,
) -> Result<Option<Decoded>, Error> {
    if let Some(seconds) = answer.expires_in_seconds() {
        ctx.show.ok(&ctx.lang.ui_with(
            "s4-token",
            &[
                ("type", &answer.token_type),
                ("minutes", &(seconds / 60).to_string()),
                (
                    "scope",
                    answer
                        .scope
                        .as_deref()
                        .unwrap_or(ctx.lang.ui("s4-as-registered")),
                ),
            ],
        ))?;
    }

    ctx.show.heading(ctx.lang.ui("s4-jwks"))?;
    let exchange = ctx.send(Outgoing::get(ctx.target.jwks_url())).await?;
    let jwks: Value = read_reply(&exchange, "a JSON Web Key Set", "tutorial --step 4")?;

    ctx.show.heading(ctx.lang.ui("s4-access"))?;
    let access = jwt::decode(&answer.access_token)?;
    show_token(&mut ctx.show, &access, &jwks)?;

    let Some(id_token) = &answer.id_token else {
        return Ok(None);
    };
    ctx.show.heading(ctx.lang.ui("s4-id"))?;
    let id = jwt::decode(id_token)?;
    show_token(&mut ctx.show, &id, &jwks)?;
    Ok(Some(id))
}

/// The tokens to save for step 5, the answer's secrets kept in their masking types.
pub fn keep(answer: TokenResponse) -> Tokens {
    Tokens {
        access: AccessToken::new(answer.access_token),
        refresh: answer.refresh_token.map(RefreshToken::new),
        id: answer.id_token.map(IdToken::new),
    }
}

/// Header, claims with their meanings, and the signature check.
pub fn show_token(show: &mut Printer<'_>, token: &Decoded, jwks: &Value) -> Result<(), Error> {
    let lang = show.lang();
    let rows: Vec<ClaimRow> = token
        .claims
        .iter()
        .map(|(name, value)| ClaimRow {
            name: name.clone(),
            value: claim_value(name, value),
            meaning: lessons::claim(lang, name).map(str::to_owned),
        })
        .collect();
    show.claims(&token.header, &rows)?;
    match token.check_signature(jwks) {
        Signature::Valid { kid } => show.ok(&lang.ui_with("s4-sig-valid", &[("kid", &kid)]))?,
        Signature::Invalid { kid } => {
            show.refused(&lang.ui_with("s4-sig-invalid", &[("kid", &kid)]))?
        }
        Signature::Unsigned => show.refused(lang.ui("s4-sig-none"))?,
        Signature::UnknownKey { kid } => {
            show.refused(&lang.ui_with("s4-sig-unknown", &[("kid", &kid)]))?
        }
        Signature::Unsupported { alg } => {
            show.refused(&lang.ui_with("s4-sig-unsupported", &[("alg", &alg)]))?
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

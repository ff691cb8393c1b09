//! How the client proves itself at the token endpoint: a secret in the form
//! (`client_secret_post`) or in `Authorization: Basic` (`client_secret_basic`), a signed
//! certificate assertion (`private_key_jwt`, `assertion.rs`), or nothing for a public client.

use super::Context;
use super::assertion::{self, ClientAssertion};
use crate::errors::Aadsts;
use crate::request::{Incoming, Params};

/// The client's ID and secret, from the form (`client_secret_post`, what MSAL sends) or from
/// `Authorization: Basic` (`client_secret_basic`); or its certificate's signed assertion
/// (`private_key_jwt`).
pub(super) struct ClientCredentials {
    pub(super) id: Option<String>,
    pub(super) secret: Option<String>,
    pub(super) assertion: Option<ClientAssertion>,
}

impl ClientCredentials {
    pub(super) fn from(req: &Incoming, form: &Params) -> Result<Self, Aadsts> {
        let basic = req.basic_credentials();
        // RFC 6749 §2.3: one authentication method per request, so a secret in the body and
        // another in `Authorization: Basic` is refused (PROTOCOL.md §4.2).
        let assertion = form
            .non_empty("client_assertion")
            .map(|jwt| ClientAssertion {
                kind: form.non_empty("client_assertion_type").map(str::to_owned),
                jwt: jwt.to_owned(),
            });
        let methods = [
            basic.is_some(),
            form.non_empty("client_secret").is_some(),
            assertion.is_some(),
        ];
        if methods.into_iter().filter(|used| *used).count() > 1 {
            return Err(Aadsts::InvalidStsRequest);
        }
        Ok(ClientCredentials {
            id: form
                .non_empty("client_id")
                .map(str::to_owned)
                .or_else(|| basic.as_ref().map(|(id, _)| id.clone())),
            secret: form
                .non_empty("client_secret")
                .map(str::to_owned)
                .or_else(|| basic.map(|(_, secret)| secret)),
            assertion,
        })
    }
}

/// Does the client prove itself as it must? A public client (a reply URL under "Mobile and
/// desktop") must send no secret; a confidential one must send a right one, or an assertion
/// signed with one of its certificates. Returns `appidacr`: "0" public, "1" secret,
/// "2" certificate.
pub(super) fn authenticate(ctx: &Context<'_>, public: bool) -> Result<&'static str, Aadsts> {
    if let (false, Some(assertion)) = (public, ctx.assertion) {
        assertion::check(ctx, assertion)?;
        return Ok("2");
    }
    match (public, ctx.secret) {
        (true, _) if ctx.assertion.is_some() => Err(Aadsts::PublicClientSentSecret),
        (true, Some(_)) => Err(Aadsts::PublicClientSentSecret),
        (true, None) => Ok("0"),
        (false, None) => Err(Aadsts::MissingSecret),
        (false, Some(secret)) if ctx.app.secret_matches(secret, ctx.state.clock.unix()) => Ok("1"),
        (false, Some(secret)) if ctx.app.secret_expired(secret, ctx.state.clock.unix()) => {
            Err(Aadsts::ExpiredSecret {
                client_id: ctx.app.client_id.clone(),
            })
        }
        (false, Some(_)) => Err(Aadsts::WrongSecret {
            client_id: ctx.app.client_id.clone(),
        }),
    }
}

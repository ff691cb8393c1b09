//! OAuth, OpenID Connect and Graph values and builders: no I/O, no printing.
//!
//! - `authorize`: the authorize URL from its parameters, and what the redirect back means.
//! - `page`: the form on a sign-in page, as a browser reads it (to play the browser on a mock).
//! - `token`: the token request forms, the token response, and Microsoft's error body.
//! - `device`: the device code flow's forms and its answer (RFC 8628).
//! - `jwt`: decode a token's header and claims; check its signature against the JWKS.
//! - `graph`: the Graph request bodies (app registration, sendMail) and its error body.

pub mod authorize;
pub mod device;
pub mod graph;
pub mod jwt;
pub mod page;
pub mod token;

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::exchange::Exchange;

/// Which generation of the identity platform's endpoints the tutorial speaks.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
pub enum Flow {
    /// `/oauth2/v2.0/…`: scopes, PKCE, state and nonce (today's form).
    V2,
    /// `/oauth2/…`: the article's form, with `resource=https://graph.microsoft.com`.
    V1,
    /// `/oauth2/v2.0/devicecode`, then `/token` polled (RFC 8628): a public client on a device
    /// without a browser, while the user signs in on another.
    Device,
}

impl Flow {
    /// The flag that picks this flow, for a `try:` line (`--flow v1 `); empty for the default.
    pub fn flag(self) -> &'static str {
        match self {
            Flow::V2 => "",
            Flow::V1 => "--flow v1 ",
            Flow::Device => "--flow device ",
        }
    }
}

/// Graph's resource URI (v1) and the base of its scopes (v2).
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";

/// The body of a successful answer as `T`, or the server's refusal as an [`Error::Server`].
pub fn read_reply<T: DeserializeOwned>(
    exchange: &Exchange,
    what: &'static str,
    hint: &'static str,
) -> Result<T, Error> {
    let response = &exchange.response;
    if !response.is_success() {
        return Err(refusal(exchange, hint));
    }
    response.json().map_err(|e| Error::UnexpectedReply {
        url: exchange.request.url.clone(),
        what,
        reason: e.to_string(),
    })
}

/// The server's "no", read from either error shape: the identity platform's
/// `{error, error_description}` or Graph's `{error: {code, message}}`.
pub fn refusal(exchange: &Exchange, hint: &'static str) -> Error {
    let response = &exchange.response;
    let service = if exchange.request.url.contains("/oauth2/") {
        "the identity platform"
    } else {
        "Graph"
    };
    let (code, description) = match response.json::<serde_json::Value>() {
        Ok(body) => match &body["error"] {
            serde_json::Value::String(error) => (
                error.clone(),
                body["error_description"]
                    .as_str()
                    .and_then(|d| d.lines().next())
                    .unwrap_or("")
                    .to_owned(),
            ),
            serde_json::Value::Object(inner) => (
                inner
                    .get("code")
                    .and_then(|c| c.as_str())
                    .unwrap_or("")
                    .to_owned(),
                inner
                    .get("message")
                    .and_then(|m| m.as_str())
                    .unwrap_or("")
                    .to_owned(),
            ),
            _ => (response.reason.clone(), response.text()),
        },
        Err(_) => (response.reason.clone(), first_line(&response.text())),
    };
    Error::Server {
        service,
        status: response.status,
        code,
        description,
        hint,
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}

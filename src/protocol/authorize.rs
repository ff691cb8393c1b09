//! The authorize request (step 2) and the redirect that answers it (step 3).
//!
//! The app does not call the authorize endpoint itself: it sends the *browser* there with the
//! request in the query string, and the browser comes back to the reply URL with the answer in
//! the query string. Everything here is pure: parameters in, URL out; query in, verdict out.

use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use url::Url;

use super::Flow;
use crate::registration::{ClientId, RedirectUri};
use crate::secrets::{AuthCode, CodeVerifier};

/// What the app asks the authorize endpoint for.
pub struct AuthorizeRequest {
    pub flow: Flow,
    pub client_id: ClientId,
    pub redirect_uri: RedirectUri,
    /// v2 only: what the app wants to do (v1 takes its permissions from the registration).
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
}

impl AuthorizeRequest {
    /// The query parameters, in the order they are sent.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("client_id", self.client_id.to_string()),
            ("response_type", "code".to_owned()),
            ("redirect_uri", self.redirect_uri.to_string()),
        ];
        let optional = [
            ("scope", &self.scope),
            ("state", &self.state),
            ("nonce", &self.nonce),
            ("code_challenge", &self.code_challenge),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                params.push((name, value.clone()));
            }
        }
        if self.code_challenge.is_some() {
            params.push(("code_challenge_method", "S256".to_owned()));
        }
        params
    }

    /// The whole URL the browser is sent to.
    pub fn url(&self, endpoint: &Url) -> Url {
        let mut url = endpoint.clone();
        url.query_pairs_mut().extend_pairs(self.params());
        url
    }
}

/// PKCE S256 (RFC 7636 §4.2): `BASE64URL-NOPAD(SHA256(ASCII(code_verifier)))`.
pub fn code_challenge(verifier: &CodeVerifier) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.expose().as_bytes()))
}

/// What a redirect to the reply URL means.
#[derive(Debug)]
pub enum Callback {
    /// A code, with the state that came back (if one was sent).
    Code {
        code: AuthCode,
        state: Option<String>,
    },
    /// The sign-in ended without a code (`error=access_denied` when consent was declined).
    Refused { error: String, description: String },
    /// The state is not ours: refused, as RFC 6749 §10.12 asks (a CSRF guard).
    StateMismatch { sent: String, got: String },
    /// Neither a code nor an error.
    NoCode(String),
}

/// Judges the query string the browser brought back. The state is checked first: an answer
/// we did not ask for is refused whatever it says.
pub fn judge_callback(query: &str, expected_state: Option<&str>) -> Callback {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let state = get("state");
    if let Some(sent) = expected_state {
        let got = state.clone().unwrap_or_default();
        if got != sent {
            return Callback::StateMismatch {
                sent: sent.to_owned(),
                got: if got.is_empty() {
                    "nothing".into()
                } else {
                    got
                },
            };
        }
    }
    if let Some(error) = get("error") {
        let description = get("error_description").unwrap_or_default();
        let description = description.lines().next().unwrap_or("").trim().to_owned();
        return Callback::Refused { error, description };
    }
    match get("code") {
        Some(code) if !code.is_empty() => Callback::Code {
            code: AuthCode::new(code),
            state,
        },
        _ => Callback::NoCode(format!("the query was `{query}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s256_challenge_matches_rfc_7636_appendix_b() {
        let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            code_challenge(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn a_state_that_is_not_ours_is_refused_even_with_a_code() {
        let verdict = judge_callback("code=abc&state=evil", Some("ours"));
        assert!(matches!(verdict, Callback::StateMismatch { got, .. } if got == "evil"));
    }

    #[test]
    fn access_denied_is_read_with_its_first_description_line() {
        let verdict = judge_callback(
            "error=access_denied&error_description=AADSTS65004%3a+User+declined.%0d%0aTrace+ID%3a+x&state=s",
            Some("s"),
        );
        assert!(
            matches!(verdict, Callback::Refused { error, description } if error == "access_denied" && description == "AADSTS65004: User declined.")
        );
    }
}

//! The token endpoint: the forms the app POSTs, and the answer it reads.
//!
//! All parameters go in the form body (`application/x-www-form-urlencoded`), the client secret
//! included (`client_secret_post`, what MSAL does). See PROTOCOL.md §4.

use serde::Deserialize;

use super::{Flow, GRAPH_RESOURCE};
use crate::registration::{ClientId, RedirectUri};
use crate::secrets::{AuthCode, ClientSecret, CodeVerifier};

/// The form that redeems an authorization code (RFC 6749 §4.1.3).
pub struct CodeRedemption<'a> {
    pub flow: Flow,
    pub client_id: &'a ClientId,
    /// None for a public client, which has no secret to send.
    pub client_secret: Option<&'a ClientSecret>,
    pub code: &'a AuthCode,
    pub redirect_uri: &'a RedirectUri,
    pub verifier: Option<&'a CodeVerifier>,
    pub scope: Option<&'a str>,
}

impl CodeRedemption<'_> {
    pub fn form(&self) -> Vec<(String, String)> {
        let mut form = vec![
            pair("grant_type", "authorization_code"),
            pair("client_id", self.client_id.as_str()),
        ];
        if let Some(secret) = self.client_secret {
            form.push(pair("client_secret", secret.expose()));
        }
        form.push(pair("code", self.code.expose()));
        form.push(pair("redirect_uri", self.redirect_uri.as_str()));
        match self.flow {
            Flow::V2 | Flow::Device => {
                if let Some(verifier) = self.verifier {
                    form.push(pair("code_verifier", verifier.expose()));
                }
                if let Some(scope) = self.scope {
                    form.push(pair("scope", scope));
                }
            }
            // The article: "the request must also name the resource", Graph's URI.
            Flow::V1 => form.push(pair("resource", GRAPH_RESOURCE)),
        }
        form
    }
}

/// The client-credentials form (RFC 6749 §4.4): the app signs in as itself, no user.
pub fn client_credentials(client_id: &ClientId, secret: &ClientSecret) -> Vec<(String, String)> {
    vec![
        pair("grant_type", "client_credentials"),
        pair("client_id", client_id.as_str()),
        pair("client_secret", secret.expose()),
        pair("scope", &format!("{GRAPH_RESOURCE}/.default")),
    ]
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// A successful token response. v1 sends numbers as strings, so `expires_in` is kept as JSON.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    pub token_type: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub expires_in: Option<serde_json::Value>,
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub id_token: Option<String>,
}

impl TokenResponse {
    /// `expires_in` in seconds, whether it came as a number (v2) or a string (v1).
    pub fn expires_in_seconds(&self) -> Option<u64> {
        match &self.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.parse().ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_names_the_resource_and_v2_sends_verifier_and_scope() {
        let secret = ClientSecret::new("s");
        let code = AuthCode::new("c");
        let verifier = CodeVerifier::new("v");
        let client_id = ClientId::parse("6731de76-14a6-49ae-97bc-6eba6914391e").expect("a GUID");
        let redirect_uri =
            RedirectUri::parse("http://127.0.0.1:8000/connect/get_token/").expect("a URL");
        let mut redemption = CodeRedemption {
            flow: Flow::V2,
            client_id: &client_id,
            client_secret: Some(&secret),
            code: &code,
            redirect_uri: &redirect_uri,
            verifier: Some(&verifier),
            scope: Some("User.Read"),
        };
        let names =
            |form: Vec<(String, String)>| form.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert!(names(redemption.form()).contains(&"code_verifier".to_owned()));
        redemption.flow = Flow::V1;
        let v1 = names(redemption.form());
        assert!(v1.contains(&"resource".to_owned()) && !v1.contains(&"scope".to_owned()));
    }

    #[test]
    fn expires_in_is_read_from_a_number_or_a_string() {
        let v1: TokenResponse = serde_json::from_str(
            r#"{"token_type":"Bearer","expires_in":"3599","access_token":"a"}"#,
        )
        .expect("v1 shape parses");
        assert_eq!(v1.expires_in_seconds(), Some(3599));
    }
}

//! The device code flow (RFC 8628, "device authorization grant") as the identity platform
//! speaks it: the form that asks for a device code, the answer, and the form that polls the
//! token endpoint with it. A public client: no secret goes in either form.

use serde::Deserialize;

use crate::exchange::Exchange;
use crate::registration::ClientId;
use crate::secrets::DeviceCode;

/// The `grant_type` of a poll.
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// What RFC 8628 §3.5 says to add to the interval after a `slow_down`, in seconds.
pub const SLOW_DOWN_STEP: u64 = 5;

/// `POST /{tenant}/oauth2/v2.0/devicecode`: who asks, and for what.
pub fn request(client_id: &ClientId, scope: &str) -> Vec<(String, String)> {
    vec![pair("client_id", client_id.as_str()), pair("scope", scope)]
}

/// `POST /{tenant}/oauth2/v2.0/token`: "has the user finished yet?"
pub fn poll(client_id: &ClientId, device_code: &DeviceCode) -> Vec<(String, String)> {
    vec![
        pair("grant_type", GRANT_TYPE),
        pair("client_id", client_id.as_str()),
        pair("device_code", device_code.expose()),
    ]
}

/// The answer to the device code request (RFC 8628 §3.2).
#[derive(Debug, Deserialize)]
pub struct DeviceCodeResponse {
    /// What the app polls with: a secret, kept on the device.
    pub device_code: String,
    /// What the person types on the verification page: short, for human eyes.
    pub user_code: String,
    /// Where the person goes, on any device with a browser.
    pub verification_uri: String,
    /// Seconds until both codes stop working.
    pub expires_in: u64,
    /// Seconds to wait between polls.
    #[serde(default = "default_interval")]
    pub interval: u64,
    /// A sentence to show the person, in their language.
    #[serde(default)]
    pub message: Option<String>,
}

/// RFC 8628 §3.2: five seconds when the server names no interval.
fn default_interval() -> u64 {
    5
}

/// What a poll heard back.
#[derive(Debug, PartialEq, Eq)]
pub enum Heard {
    /// `200`: the tokens, once.
    Tokens,
    /// `authorization_pending`: the person has not finished; ask again after the interval.
    Pending,
    /// `slow_down`: asked too soon; wait five seconds more from now on.
    SlowDown,
    /// Anything else ends the wait: `authorization_declined`, `expired_token`, `bad_verification_code`…
    Refused,
}

/// Reads a poll's answer (RFC 8628 §3.5).
pub fn heard(exchange: &Exchange) -> Heard {
    let response = &exchange.response;
    if response.is_success() {
        return Heard::Tokens;
    }
    let body = response.json::<serde_json::Value>().unwrap_or_default();
    match body["error"].as_str() {
        Some("authorization_pending") => Heard::Pending,
        Some("slow_down") => Heard::SlowDown,
        _ => Heard::Refused,
    }
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poll_carries_the_grant_type_and_no_secret() {
        let client_id = ClientId::parse("6731de76-14a6-49ae-97bc-6eba6914391e").expect("a GUID");

        let form = poll(&client_id, &DeviceCode::new("dc"));
        let names: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["grant_type", "client_id", "device_code"]);
        assert_eq!(form[0].1, GRANT_TYPE);
    }

    #[test]
    fn the_interval_defaults_to_five_seconds() {
        let answer: DeviceCodeResponse = serde_json::from_str(
            r#"{"device_code":"d","user_code":"U","verification_uri":"https://x","expires_in":900}"#,
        )
        .expect("the RFC's minimal answer parses");
        assert_eq!(answer.interval, 5);
        assert_eq!(answer.message, None);
    }
}

//! JSON Web Tokens (RFC 7519): decode the header and claims, and check the signature against
//! the keys the identity platform publishes (its JWKS, RFC 7517).
//!
//! A JWT is three base64url parts, `header.claims.signature`. Anyone can read the first two:
//! a token is signed, not encrypted. The signature is RS256 (RSA PKCS#1 v1.5 with SHA-256)
//! over the bytes `header.claims`, made with the private key whose public half has the `kid`
//! named in the header. The article's v1 id token is unsigned (`"alg":"none"`).

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::error::Error;

/// A decoded token.
pub struct Decoded {
    pub header: Value,
    pub claims: Map<String, Value>,
    signed_part: String,
    signature: Vec<u8>,
}

/// Splits and decodes a token. Nothing is trusted yet: see [`check_signature`].
pub fn decode(token: &str) -> Result<Decoded, Error> {
    let bad = |reason: &str| Error::BadToken {
        reason: reason.to_owned(),
    };
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("it is not three parts separated by dots"));
    };
    let json = |part: &str, what: &str| -> Result<Value, Error> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|e| bad(&format!("the {what} is not base64url: {e}")))?;
        serde_json::from_slice(&bytes).map_err(|e| bad(&format!("the {what} is not JSON: {e}")))
    };
    let header_value = json(header, "header")?;
    let Value::Object(claims_map) = json(claims, "claims")? else {
        return Err(bad("the claims are not a JSON object"));
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|e| bad(&format!("the signature is not base64url: {e}")))?;
    Ok(Decoded {
        header: header_value,
        claims: claims_map,
        signed_part: format!("{header}.{claims}"),
        signature,
    })
}

/// The outcome of checking a token's signature.
#[derive(Debug, PartialEq, Eq)]
pub enum Signature {
    /// RS256, and the key with this `kid` in the JWKS verifies it.
    Valid { kid: String },
    /// The key was found, and the signature does not match: the token was altered.
    Invalid { kid: String },
    /// `alg: none`: there is nothing to check.
    Unsigned,
    /// No key in the JWKS has the token's `kid`.
    UnknownKey { kid: String },
    /// Signed with something other than RS256.
    Unsupported { alg: String },
}

impl Decoded {
    pub fn alg(&self) -> &str {
        self.header["alg"].as_str().unwrap_or("")
    }

    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// Checks the signature against `jwks` (`{"keys": [{"kid", "n", "e", …}]}`).
    pub fn check_signature(&self, jwks: &Value) -> Signature {
        match self.alg() {
            "none" => return Signature::Unsigned,
            "RS256" => {}
            other => {
                return Signature::Unsupported {
                    alg: other.to_owned(),
                };
            }
        }
        let kid = self.header["kid"].as_str().unwrap_or("").to_owned();
        let key = jwks["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|key| key["kid"].as_str() == Some(kid.as_str()));
        let Some(key) = key else {
            return Signature::UnknownKey { kid };
        };
        let component = |name: &str| {
            key[name]
                .as_str()
                .and_then(|text| URL_SAFE_NO_PAD.decode(text).ok())
        };
        let (Some(n), Some(e)) = (component("n"), component("e")) else {
            return Signature::UnknownKey { kid };
        };
        let public = RsaPublicKeyComponents { n, e };
        match public.verify(
            &RSA_PKCS1_2048_8192_SHA256,
            self.signed_part.as_bytes(),
            &self.signature,
        ) {
            Ok(()) => Signature::Valid { kid },
            Err(_) => Signature::Invalid { kid },
        }
    }
}

/// A Unix time as `2026-11-25 22:10:00 UTC`.
pub fn utc(seconds: i64) -> Option<String> {
    let at = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsigned_v1_token_decodes_and_says_so() {
        let token = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(r#"{"aud":"x"}"#)
        );
        let decoded = decode(&token).expect("an unsigned token decodes");
        assert_eq!(decoded.check_signature(&Value::Null), Signature::Unsigned);
        assert_eq!(decoded.claim_str("aud"), Some("x"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode("not-a-token").is_err());
        assert!(decode("a.b.c").is_err());
    }

    #[test]
    fn unix_times_read_as_utc() {
        assert_eq!(utc(0).as_deref(), Some("1970-01-01 00:00:00 UTC"));
    }
}

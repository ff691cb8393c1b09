//! Minting and checking tokens: what a token contains, and the key that signs it.
//!
//! A JWS compact token is three base64url parts: `header.claims.signature`. The header and
//! claims are serialised here with serde; the signature is RSA PKCS#1 v1.5 over SHA-256
//! (`RS256`) computed by aws-lc-rs with a key pair parsed once at start-up. Parsing the key
//! once is what lets the mock sign thousands of tokens a second.
//!
//! Refresh tokens, authorization codes and sign-in pages are not JWTs: they are sealed
//! (`seal.rs`).

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    self, KeyPair, ParsedPublicKey, RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey,
};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The demo signing key, published on purpose (see `keys/README.md`).
const DEMO_KEY_PKCS8: &[u8] = include_bytes!("../keys/demo-signing-key.pk8");
/// Its self-signed certificate, published in the JWKS as `x5c`.
const DEMO_CERT_DER: &[u8] = include_bytes!("../keys/demo-signing-cert.der");

/// Signs tokens with one key and checks tokens signed with it: the published demo key on a
/// mock only its own user reaches, a key made at start on one others can reach (so the demo
/// key, being public, opens nothing there).
pub(crate) struct Signer {
    key_pair: RsaKeyPair,
    public_key: ParsedPublicKey,
    rng: SystemRandom,
    /// Entra's key ID is the certificate's SHA-1 thumbprint, so `kid` equals `x5t`. A key
    /// made at start has no certificate: its thumbprint is that of its public key.
    kid: String,
    /// The certificate published as `x5c`, for the demo key.
    certificate: Option<&'static [u8]>,
    /// The JWT header of access tokens, already base64url-encoded.
    access_header: String,
    /// The JWT header of id tokens, already base64url-encoded.
    id_header: String,
    modulus: String,
    exponent: String,
}

/// Why no signing key could be had.
#[derive(Debug)]
pub(crate) struct NoKey;

impl Signer {
    /// The published demo key: for a mock nobody else can reach.
    pub(crate) fn demo() -> Result<Signer, NoKey> {
        let key_pair = RsaKeyPair::from_pkcs8(DEMO_KEY_PKCS8).map_err(|_| NoKey)?;
        let thumbprint = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, DEMO_CERT_DER);
        Signer::from_key(key_pair, thumbprint.as_ref(), Some(DEMO_CERT_DER))
    }

    /// A fresh RSA-2048 key, known to nobody: for a mock others can reach.
    pub(crate) fn generate() -> Result<Signer, NoKey> {
        let key_pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| NoKey)?;
        let thumbprint = digest::digest(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            key_pair.public_key().as_ref(),
        );
        Signer::from_key(key_pair, thumbprint.as_ref(), None)
    }

    fn from_key(
        key_pair: RsaKeyPair,
        thumbprint: &[u8],
        certificate: Option<&'static [u8]>,
    ) -> Result<Signer, NoKey> {
        let public_key = UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            key_pair.public_key().as_ref().to_vec(),
        )
        .parse()
        .map_err(|_| NoKey)?;
        let kid = URL_SAFE_NO_PAD.encode(thumbprint);
        let encode_header = |header: Value| URL_SAFE_NO_PAD.encode(header.to_string());
        let public = key_pair.public_key();
        Ok(Signer {
            access_header: encode_header(
                json!({"typ": "JWT", "alg": "RS256", "x5t": kid, "kid": kid}),
            ),
            id_header: encode_header(json!({"typ": "JWT", "alg": "RS256", "kid": kid})),
            modulus: URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            exponent: URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
            public_key,
            rng: SystemRandom::new(),
            key_pair,
            kid,
            certificate,
        })
    }

    /// An access token for Graph.
    pub(crate) fn sign_access_token(&self, claims: &AccessClaims<'_>) -> String {
        self.sign(&self.access_header, claims)
    }

    /// An OpenID Connect id token.
    pub(crate) fn sign_id_token(&self, claims: &IdClaims<'_>) -> String {
        self.sign(&self.id_header, claims)
    }

    fn sign(&self, encoded_header: &str, claims: &impl Serialize) -> String {
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let mut token = String::with_capacity(encoded_header.len() + payload.len() * 4 / 3 + 360);
        token.push_str(encoded_header);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut token);
        let mut signature = vec![0u8; self.key_pair.public_modulus_len()];
        // Signing with a valid key into a buffer of the modulus' length does not fail; if it
        // ever did, the zero signature makes the token fail every check, which is the safe side.
        let _ = self.key_pair.sign(
            &RSA_PKCS1_SHA256,
            &self.rng,
            token.as_bytes(),
            &mut signature,
        );
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut token);
        token
    }

    /// Checks the signature of a token and returns its claims. Expiry and audience are the
    /// caller's business: they need the clock and the resource.
    pub(crate) fn verify(&self, token: &str) -> Result<CheckedClaims, BadToken> {
        let mut parts = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(if token.contains('.') {
                BadToken::Invalid
            } else {
                BadToken::NoDots
            });
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| BadToken::Invalid)?;
        let signed = &token[..header.len() + 1 + claims.len()];
        self.public_key
            .verify_sig(signed.as_bytes(), &signature)
            .map_err(|_| BadToken::Invalid)?;
        let claims = URL_SAFE_NO_PAD
            .decode(claims)
            .map_err(|_| BadToken::Invalid)?;
        serde_json::from_slice(&claims).map_err(|_| BadToken::Invalid)
    }

    /// This key as a JSON Web Key (RFC 7517), as Entra publishes it.
    pub(crate) fn jwk(&self, issuer: Option<&str>) -> Value {
        let mut key = json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": self.modulus,
            "e": self.exponent,
        });
        if let Some(fields) = key.as_object_mut() {
            if let Some(certificate) = self.certificate {
                fields.insert("x5c".into(), json!([STANDARD.encode(certificate)]));
            }
            if let Some(issuer) = issuer {
                fields.insert("issuer".into(), issuer.into());
            }
        }
        key
    }
}

/// Why a bearer token was refused before its claims were read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BadToken {
    /// Not a JWT at all.
    NoDots,
    /// A JWT, but not one this mock signed, or not decodable.
    Invalid,
}

/// The claims of a Graph access token (a v1.0 token, as Graph's always are).
#[derive(Serialize)]
pub(crate) struct AccessClaims<'a> {
    pub aud: &'a str,
    pub iss: &'a str,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amr: Option<[&'a str; 1]>,
    pub app_displayname: &'a str,
    pub appid: &'a str,
    /// How the client proved itself: "0" public client, "1" secret.
    pub appidacr: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<&'a str>,
    pub idtyp: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub oid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scp: Option<&'a str>,
    pub sub: &'a str,
    pub tid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<&'a str>,
    pub uti: &'a str,
    pub ver: &'a str,
}

/// The claims of an id token: v2.0 (signed) or v1.0 (unsigned, from the seed's endpoint).
#[derive(Serialize)]
pub(crate) struct IdClaims<'a> {
    pub aud: &'a str,
    pub iss: &'a str,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<&'a str>,
    pub name: &'a str,
    /// Present only when the authorize request sent one, and then copied unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<&'a str>,
    pub oid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<&'a str>,
    pub sub: &'a str,
    pub tid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<&'a str>,
    pub uti: &'a str,
    pub ver: &'a str,
}

/// The claims Graph reads back from an access token.
#[derive(Debug, Deserialize)]
pub(crate) struct CheckedClaims {
    #[serde(default)]
    pub aud: String,
    #[serde(default)]
    pub nbf: i64,
    #[serde(default)]
    pub exp: i64,
    #[serde(default)]
    pub idtyp: String,
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub oid: String,
    /// The tenant the token was issued in: whose directory and mailboxes it opens.
    #[serde(default)]
    pub tid: String,
    #[serde(default)]
    pub sub: String,
    #[serde(default)]
    pub scp: Option<String>,
    #[serde(default)]
    pub roles: Option<Vec<String>>,
}

impl CheckedClaims {
    pub(crate) fn has_scope(&self, any_of: &[&str]) -> bool {
        self.scp.as_deref().is_some_and(|scp| {
            scp.split(' ')
                .any(|granted| any_of.iter().any(|want| granted.eq_ignore_ascii_case(want)))
        })
    }

    pub(crate) fn has_role(&self, any_of: &[&str]) -> bool {
        self.roles.as_deref().is_some_and(|roles| {
            roles
                .iter()
                .any(|granted| any_of.iter().any(|want| granted.eq_ignore_ascii_case(want)))
        })
    }
}

/// The `appid` a token claims, read without checking the signature: for display in the
/// request log only, never for a decision.
pub(crate) fn unverified_appid(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: serde_json::Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
    claims.get("appid")?.as_str().map(str::to_owned)
}

/// An id token with `"alg":"none"` and an empty signature: what the v1 endpoint returned to
/// the seed. Nothing should trust it, and the tutorial says so.
pub(crate) fn unsigned_id_token(claims: &IdClaims<'_>) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"none"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    format!("{header}.{payload}.")
}

/// `client_info`: unpadded base64url of `{"uid":…,"utid":…}`; MSAL builds its account key
/// (`uid.utid`) from it.
pub(crate) fn client_info(uid: &str, utid: &str) -> String {
    URL_SAFE_NO_PAD.encode(json!({"uid": uid, "utid": utid}).to_string())
}

/// The pairwise `sub`: stable for one user and one app, different for every other app, so two
/// apps cannot correlate a user by `sub`.
pub(crate) fn pairwise_subject(user_id: &str, client_id: &str) -> String {
    let hash = digest::digest(&digest::SHA256, format!("{user_id}:{client_id}").as_bytes());
    URL_SAFE_NO_PAD.encode(hash.as_ref())
}

/// What a refresh token stands for. Sealed inside the token itself.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct RefreshGrant {
    pub client_id: String,
    pub user_id: String,
    /// The scopes as first requested, in request order.
    pub scope: String,
    pub tenant_segment: String,
    pub public_client: bool,
    /// 1 for the v1 endpoint, 2 for v2.0.
    pub version: u8,
    pub issued_at: i64,
    /// Issued to a single-page app: when its sign-in was. The token and every one that
    /// replaces it end 24 hours after that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spa_since: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims<'a>(aud: &'a str) -> AccessClaims<'a> {
        AccessClaims {
            aud,
            iss: "http://127.0.0.1/t/",
            iat: 1,
            nbf: 1,
            exp: 2,
            amr: Some(["pwd"]),
            app_displayname: "app",
            appid: "client",
            appidacr: "1",
            family_name: None,
            given_name: None,
            idtyp: "user",
            name: None,
            oid: "user",
            roles: None,
            scp: Some("User.Read Mail.Send"),
            sub: "sub",
            tid: "tenant",
            unique_name: None,
            upn: None,
            uti: "uti",
            ver: "1.0",
        }
    }

    #[test]
    fn a_signed_token_verifies_and_a_tampered_one_does_not() {
        let signer = Signer::demo().expect("the demo key parses");
        let token = signer.sign_access_token(&claims("graph"));

        let checked = signer.verify(&token).expect("our own token verifies");
        let mut tampered = token.clone();
        tampered.insert(token.find('.').unwrap_or(0) + 2, 'x');

        assert_eq!(checked.aud, "graph");
        assert!(checked.has_scope(&["mail.send"]));
        assert_eq!(signer.verify(&tampered).err(), Some(BadToken::Invalid));
        assert_eq!(signer.verify("garbage").err(), Some(BadToken::NoDots));
    }

    #[test]
    fn a_key_made_at_start_refuses_tokens_signed_with_the_demo_key() {
        let demo = Signer::demo().expect("the demo key parses");
        let fresh = Signer::generate().expect("a key is made");
        let forged = demo.sign_access_token(&claims("graph"));

        let own = fresh.sign_access_token(&claims("graph"));

        assert_eq!(fresh.verify(&forged).err(), Some(BadToken::Invalid));
        assert!(fresh.verify(&own).is_ok());
        assert_ne!(fresh.jwk(None)["kid"], demo.jwk(None)["kid"]);
        assert!(fresh.jwk(None).get("x5c").is_none());
    }
}

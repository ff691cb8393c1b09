//! The key that signs tokens and checks them.
//!
//! The signature is RSA PKCS#1 v1.5 over SHA-256 (`RS256`) computed by aws-lc-rs with a
//! 2048-bit key pair parsed once: the published demo key, or a key made when a mock others
//! can reach starts. Making a key takes 50 to 200 ms, so it is made on a side thread while the
//! mock already answers (`SigningKey`); the first token waits for it if it must.

use std::sync::{Arc, OnceLock};

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    self, KeyPair, ParsedPublicKey, RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey,
};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::tokens::{AccessClaims, CheckedClaims, IdClaims};

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
#[derive(Clone, Copy, Debug)]
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

/// The signing key: at hand from the start, or being made on a side thread.
pub(crate) struct SigningKey {
    key: Arc<OnceLock<Result<Signer, NoKey>>>,
    /// Turns true once `key` is set: a request waits for that without holding a worker.
    made: watch::Receiver<bool>,
}

impl SigningKey {
    pub(crate) fn ready(signer: Signer) -> SigningKey {
        let (_, made) = watch::channel(true);
        SigningKey {
            key: Arc::new(OnceLock::from(Ok(signer))),
            made,
        }
    }

    /// A fresh RSA-2048 key, made on a side thread so that start-up does not wait for it.
    pub(crate) fn generate() -> SigningKey {
        let key = Arc::new(OnceLock::new());
        let (tell, made) = watch::channel(false);
        let making = Arc::clone(&key);
        let spawned = std::thread::Builder::new()
            .name("make-signing-key".into())
            .spawn(move || {
                let _ = making.set(Signer::generate());
                let _ = tell.send(true);
            });
        if spawned.is_err() {
            let _ = key.set(Signer::generate());
        }
        SigningKey { key, made }
    }

    /// Waits, without blocking the thread, until [`SigningKey::get`] answers at once.
    pub(crate) async fn made(&self) {
        if self.key.get().is_some() {
            return;
        }
        let mut made = self.made.clone();
        if made.wait_for(|made| *made).await.is_err() {
            // The side thread ended without a key: say so rather than wait forever.
            let _ = self.key.set(Err(NoKey));
        }
    }

    /// The key; in the first moments after start, once it is made.
    pub(crate) fn get(&self) -> Result<&Signer, NoKey> {
        self.key.wait().as_ref().map_err(|&no_key| no_key)
    }

    /// [`Signer::verify`] with this key. Without a key no token was ever signed here, so
    /// nothing is ours.
    pub(crate) fn verify(&self, token: &str) -> Result<CheckedClaims, BadToken> {
        self.get().map_err(|_| BadToken::Invalid)?.verify(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::AccessClaims;

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
    fn a_key_made_on_a_side_thread_signs_once_it_is_ready() {
        let key = SigningKey::generate();

        let signer = key.get().expect("a key is made");
        let token = signer.sign_access_token(&claims("graph"));

        assert_eq!(
            key.get().map(|s| s.kid.clone()).ok(),
            Some(signer.kid.clone())
        );
        assert!(signer.verify(&token).is_ok());
        assert!(
            Signer::demo()
                .expect("the demo key parses")
                .verify(&token)
                .is_err()
        );
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

//! Certificates and client assertions as a developer makes them: an RSA key and a self-signed
//! certificate (rcgen), and JWTs signed with the key, `RS256` + `x5t` or `PS256` + `x5t#S256`.
//! Included with `#[path]` by the tests that need it.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RSA_PSS_SHA256, RsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_RSA_SHA256, RsaKeySize};
use serde_json::{Value, json};
use time::OffsetDateTime;

pub struct TestCertificate {
    pub der: Vec<u8>,
    /// The certificate, PEM.
    pub pem: String,
    /// The private key, PKCS#8 PEM.
    pub key_pem: String,
    key: RsaKeyPair,
}

/// Which header and signature a client assertion uses.
#[derive(Clone, Copy)]
pub enum Signing {
    /// `RS256` with the SHA-1 thumbprint in `x5t` (MSAL's `thumbprint`).
    Rs256Sha1,
    /// `PS256` with the SHA-256 thumbprint in `x5t#S256` (MSAL's `thumbprintSha256`).
    Ps256Sha256,
}

impl TestCertificate {
    /// A self-signed RSA-2048 certificate for `CN={common_name}`, valid between the two dates.
    pub fn new(common_name: &str, not_before: OffsetDateTime, not_after: OffsetDateTime) -> Self {
        let key_pair = KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048)
            .expect("an RSA key is made");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("parameters");
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, common_name);
        params.distinguished_name = name;
        params.not_before = not_before;
        params.not_after = not_after;
        let certificate = params.self_signed(&key_pair).expect("self-signed");
        TestCertificate {
            der: certificate.der().to_vec(),
            pem: certificate.pem(),
            key_pem: key_pair.serialize_pem(),
            key: RsaKeyPair::from_pkcs8(&key_pair.serialize_der()).expect("PKCS#8"),
        }
    }

    /// Valid from 2026-01-01 to 2027-01-01: around the deterministic clock (2026-11-25).
    pub fn for_deterministic_mock(common_name: &str) -> Self {
        TestCertificate::new(
            common_name,
            time::macros::datetime!(2026-01-01 0:00 UTC),
            time::macros::datetime!(2027-01-01 0:00 UTC),
        )
    }

    pub fn sha1(&self) -> Vec<u8> {
        digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, &self.der)
            .as_ref()
            .to_vec()
    }

    pub fn sha256(&self) -> Vec<u8> {
        digest::digest(&digest::SHA256, &self.der).as_ref().to_vec()
    }

    /// Upper-case hex, as Windows and Entra print thumbprints.
    pub fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    /// The `keyCredential` a developer PATCHes onto the application.
    pub fn key_credential(&self) -> Value {
        json!({
            "type": "AsymmetricX509Cert",
            "usage": "Verify",
            "key": STANDARD.encode(&self.der),
            "displayName": "CN=daemon",
        })
    }

    /// A JWT with these claims, signed with this certificate's key.
    pub fn sign(&self, signing: Signing, claims: &Value) -> String {
        let header = match signing {
            Signing::Rs256Sha1 => {
                json!({"alg": "RS256", "typ": "JWT", "x5t": URL_SAFE_NO_PAD.encode(self.sha1())})
            }
            Signing::Ps256Sha256 => json!({
                "alg": "PS256", "typ": "JWT", "x5t#S256": URL_SAFE_NO_PAD.encode(self.sha256())
            }),
        };
        self.sign_with_header(signing, &header, claims)
    }

    /// A JWT with this header and these claims, signed with this key.
    pub fn sign_with_header(&self, signing: Signing, header: &Value, claims: &Value) -> String {
        let signed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0u8; self.key.public_modulus_len()];
        let padding = match signing {
            Signing::Rs256Sha1 => &RSA_PKCS1_SHA256,
            Signing::Ps256Sha256 => &RSA_PSS_SHA256,
        };
        self.key
            .sign(
                padding,
                &SystemRandom::new(),
                signed.as_bytes(),
                &mut signature,
            )
            .expect("signed");
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

/// The claims MSAL puts in a client assertion, valid ten minutes from `now`.
pub fn assertion_claims(client_id: &str, audience: &str, now: i64) -> Value {
    json!({
        "aud": audience,
        "exp": now + 600,
        "iss": client_id,
        "sub": client_id,
        "nbf": now,
        "jti": "3f0c6b2e-7f55-4a47-9d7e-1c2b5e6a9d10",
    })
}

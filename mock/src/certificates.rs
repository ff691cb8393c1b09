//! Certificates an app proves itself with (Graph's `keyCredentials`): read from the DER a
//! developer uploads, found again by the thumbprint a client assertion names, and used to
//! check that assertion's signature.
//!
//! Only the public half is ever here. The mock keeps the thumbprints, the validity and the RSA
//! public key; Graph keeps the whole certificate, which the mock does not need.

use aws_lc_rs::digest;
use aws_lc_rs::signature::{self, UnparsedPublicKey};
use x509_parser::oid_registry::OID_PKCS1_RSAENCRYPTION;

/// A certificate registered on an app (`keyCredential` of `type` `AsymmetricX509Cert`).
#[derive(Clone, Debug)]
pub(crate) struct KeyCredential {
    pub key_id: String,
    pub display_name: String,
    /// As the request gave it, or else the certificate's SHA-1 thumbprint in hex.
    pub custom_key_identifier: String,
    /// `startDateTime` and `endDateTime`, Unix seconds.
    pub start: i64,
    pub end: i64,
    pub certificate: Certificate,
}

/// What the mock keeps of an X.509 certificate.
#[derive(Clone, Debug)]
pub(crate) struct Certificate {
    /// SHA-1 of the DER (`x5t`), as Entra names keys in its errors.
    pub sha1: Vec<u8>,
    /// SHA-256 of the DER (`x5t#S256`).
    pub sha256: Vec<u8>,
    /// The subject, as `CN=…`: Graph's example `displayName`.
    pub subject: String,
    pub not_before: i64,
    pub not_after: i64,
    /// The certificate itself, as uploaded: Graph gives it back to a `$select`.
    pub der: Vec<u8>,
    /// PKCS#1 `RSAPublicKey` DER.
    rsa_public_key: Vec<u8>,
}

/// Why an uploaded `key` was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NotACertificate;

/// The signature algorithms a client assertion may use: MSAL signs `RS256` with a SHA-1
/// thumbprint and `PS256` with a SHA-256 one, as the certificate-credentials page describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Rs256,
    Ps256,
}

impl Algorithm {
    pub(crate) fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "RS256" => Some(Algorithm::Rs256),
            "PS256" => Some(Algorithm::Ps256),
            _ => None,
        }
    }
}

impl Certificate {
    /// Reads a DER certificate with an RSA key (the only kind Entra accepts for apps).
    pub(crate) fn from_der(der: &[u8]) -> Result<Certificate, NotACertificate> {
        let (rest, parsed) =
            x509_parser::parse_x509_certificate(der).map_err(|_| NotACertificate)?;
        if !rest.is_empty() {
            return Err(NotACertificate);
        }
        let key = parsed.public_key();
        if key.algorithm.algorithm != OID_PKCS1_RSAENCRYPTION {
            return Err(NotACertificate);
        }
        let validity = parsed.validity();
        Ok(Certificate {
            sha1: digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, der)
                .as_ref()
                .to_vec(),
            sha256: digest::digest(&digest::SHA256, der).as_ref().to_vec(),
            subject: parsed.subject().to_string(),
            not_before: validity.not_before.timestamp(),
            not_after: validity.not_after.timestamp(),
            rsa_public_key: key.subject_public_key.data.to_vec(),
            der: der.to_vec(),
        })
    }

    /// Whether `signature` over `message` was made with this certificate's private key.
    pub(crate) fn verifies(&self, algorithm: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let parameters = match algorithm {
            Algorithm::Rs256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::Ps256 => &signature::RSA_PSS_2048_8192_SHA256,
        };
        UnparsedPublicKey::new(parameters, &self.rsa_public_key)
            .verify(message, signature)
            .is_ok()
    }

    /// The SHA-1 thumbprint as Windows and Entra's errors print it: upper-case hex.
    pub(crate) fn thumbprint(&self) -> String {
        hex_upper(&self.sha1)
    }

    /// What it costs the directory to keep.
    pub(crate) fn size(&self) -> usize {
        self.sha1.len()
            + self.sha256.len()
            + self.subject.len()
            + self.rsa_public_key.len()
            + self.der.len()
    }
}

impl KeyCredential {
    pub(crate) fn size(&self) -> usize {
        self.key_id.len()
            + self.display_name.len()
            + self.custom_key_identifier.len()
            + self.certificate.size()
            + 64
    }
}

pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(
            Certificate::from_der(b"not a certificate").err(),
            Some(NotACertificate)
        );
    }

    #[test]
    fn thumbprints_are_upper_case_hex() {
        assert_eq!(hex_upper(&[0x0a, 0xff, 0x10]), "0AFF10");
    }
}

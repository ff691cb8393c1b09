//! Sealing: values turned into opaque strings that only this mock can open.
//!
//! Refresh tokens, authorization codes and the sign-in pages' pending requests carry what they
//! stand for inside themselves, encrypted and authenticated with AES-256-GCM (aws-lc-rs). A
//! client can neither read nor change them, and the mock needs to remember nothing to honour
//! them, so memory stays bounded however many are issued.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ids::Ids;

/// What a sealed value is for: each has its own prefix and its own associated data, so a
/// value sealed as one kind never opens as another (a code is not a refresh token).
#[derive(Clone, Copy)]
pub(crate) struct Purpose {
    prefix: &'static str,
    label: &'static [u8],
}

/// Refresh tokens look like Entra's: `1.A…`.
pub(crate) const REFRESH_TOKEN: Purpose = Purpose {
    prefix: "1.A",
    label: b"refresh_token",
};
/// Authorization codes look like Entra's: `0.A…`.
pub(crate) const AUTHORIZATION_CODE: Purpose = Purpose {
    prefix: "0.A",
    label: b"code",
};
/// Device codes carry which device sign-in they poll for.
pub(crate) const DEVICE_CODE: Purpose = Purpose {
    prefix: "DAQABAAEAAA",
    label: b"device_code",
};
/// The sign-in pages carry their request in a hidden field, sealed.
pub(crate) const SIGN_IN: Purpose = Purpose {
    prefix: "",
    label: b"sign_in",
};

/// Seals values into opaque strings with AES-256-GCM, and opens them again. Whoever holds one
/// can neither read nor change it; the mock needs to remember nothing to honour it.
pub(crate) struct Sealer {
    key: LessSafeKey,
}

impl Sealer {
    /// A fresh key (normal mode) or a fixed one (deterministic mode). Sealed values do not
    /// outlive the process that sealed them unless the key is fixed.
    pub(crate) fn new(ids: &Ids) -> Sealer {
        let mut key = [0u8; 32];
        ids.fill(&mut key);
        let unbound = UnboundKey::new(&AES_256_GCM, &key);
        // A 32-byte key is always the right length for AES-256.
        let key = LessSafeKey::new(unbound.unwrap_or_else(|_| unreachable_key()));
        Sealer { key }
    }

    pub(crate) fn seal(&self, purpose: Purpose, value: &impl Serialize, ids: &Ids) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        ids.fill(&mut nonce);
        let mut sealed = serde_json::to_vec(value).unwrap_or_default();
        if self
            .key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(purpose.label),
                &mut sealed,
            )
            .is_err()
        {
            sealed.clear();
        }
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{}{}", purpose.prefix, URL_SAFE_NO_PAD.encode(bytes))
    }

    /// `None` for anything this mock did not seal for this purpose.
    pub(crate) fn open<T: DeserializeOwned>(&self, purpose: Purpose, text: &str) -> Option<T> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.strip_prefix(purpose.prefix)?)
            .ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(purpose.label), &mut sealed)
            .ok()?;
        serde_json::from_slice(plain).ok()
    }
}

fn unreachable_key() -> UnboundKey {
    // Only reached if aws-lc-rs refused a 32-byte AES-256 key, which it does not.
    #[allow(clippy::expect_used)]
    UnboundKey::new(&AES_256_GCM, &[7u8; 32]).expect("a 32-byte key is valid for AES-256")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::RefreshGrant;

    #[test]
    fn a_sealed_refresh_token_opens_only_with_its_key() {
        let ids = Ids::random();
        let sealer = Sealer::new(&ids);
        let other = Sealer::new(&ids);
        let grant = RefreshGrant {
            client_id: "c".into(),
            user_id: "u".into(),
            scope: "User.Read offline_access".into(),
            tenant_segment: "common".into(),
            public_client: false,
            version: 2,
            issued_at: 5,
            spa_since: None,
        };

        let token = sealer.seal(REFRESH_TOKEN, &grant, &ids);

        assert_eq!(sealer.open(REFRESH_TOKEN, &token), Some(grant));
        assert_eq!(other.open::<RefreshGrant>(REFRESH_TOKEN, &token), None);
        assert_eq!(
            sealer.open::<RefreshGrant>(REFRESH_TOKEN, "1.Agarbage"),
            None
        );
        let as_code = token.replacen("1.A", "0.A", 1);
        assert_eq!(
            sealer.open::<RefreshGrant>(AUTHORIZATION_CODE, &as_code),
            None,
            "a refresh token never opens as a code"
        );
    }
}

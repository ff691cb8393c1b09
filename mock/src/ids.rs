//! The mock's one source of randomness: GUIDs, codes, secrets, trace IDs, sealing keys.
//!
//! Normal mode draws a 256-bit key from the operating system once, at start, and derives each
//! value from a counter with HMAC-SHA256 under that key: unpredictable without the key, and it
//! cannot fail later (a `getrandom` call per value could, and then there would be no honest
//! value to give). If the operating system's generator fails at start, the mock refuses to
//! start (see `lib.rs`): never a weaker, clock-seeded source. Deterministic mode derives each
//! value from a counter through SHA-256, so values look random but repeat exactly from run to
//! run as long as the same requests arrive in the same order.

use std::sync::atomic::{AtomicU64, Ordering};

use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub(crate) enum Ids {
    Random {
        key: Box<hmac::Key>,
        counter: AtomicU64,
    },
    Seeded {
        counter: AtomicU64,
    },
    /// The operating system's generator failed at start: the mock does not start with it.
    Unavailable,
}

impl Ids {
    pub(crate) fn random() -> Self {
        let mut key = [0u8; 32];
        match getrandom::fill(&mut key) {
            Ok(()) => Ids::Random {
                key: Box::new(hmac::Key::new(hmac::HMAC_SHA256, &key)),
                counter: AtomicU64::new(0),
            },
            Err(_) => Ids::Unavailable,
        }
    }

    pub(crate) fn seeded() -> Self {
        Ids::Seeded {
            counter: AtomicU64::new(0),
        }
    }

    /// Whether values can be drawn: false only when the system generator failed at start.
    pub(crate) fn is_available(&self) -> bool {
        !matches!(self, Ids::Unavailable)
    }

    /// Fills `out` with fresh bytes.
    pub(crate) fn fill(&self, out: &mut [u8]) {
        match self {
            Ids::Random { key, counter } => {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let mut input = [0u8; 16];
                input[..8].copy_from_slice(&n.to_be_bytes());
                for (block, chunk) in (0u64..).zip(out.chunks_mut(32)) {
                    input[8..].copy_from_slice(&block.to_be_bytes());
                    let tag = hmac::sign(key, &input);
                    chunk.copy_from_slice(&tag.as_ref()[..chunk.len()]);
                }
            }
            Ids::Seeded { counter } => seeded_fill(out, counter.fetch_add(1, Ordering::Relaxed)),
            // Never served: `lib.rs` refuses to start a mock whose ids are unavailable.
            Ids::Unavailable => out.fill(0),
        }
    }

    /// A random 64-bit number: the ID that makes a code single-use.
    pub(crate) fn id64(&self) -> u64 {
        let mut bytes = [0u8; 8];
        self.fill(&mut bytes);
        u64::from_be_bytes(bytes)
    }

    /// A version-4 GUID in Microsoft's lower-case form.
    pub(crate) fn guid(&self) -> String {
        let mut b = [0u8; 16];
        self.fill(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        // Hex digits written straight into place: this runs for every request (its ID).
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut guid = String::with_capacity(36);
        for (index, byte) in b.iter().enumerate() {
            if matches!(index, 4 | 6 | 8 | 10) {
                guid.push('-');
            }
            guid.push(char::from(HEX[usize::from(byte >> 4)]));
            guid.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        guid
    }

    /// `bytes` random bytes as unpadded base64url: codes, token IDs, nonces.
    pub(crate) fn token(&self, bytes: usize) -> String {
        let mut b = vec![0u8; bytes];
        self.fill(&mut b);
        URL_SAFE_NO_PAD.encode(b)
    }
}

fn seeded_fill(out: &mut [u8], n: u64) {
    for (block, chunk) in (0u64..).zip(out.chunks_mut(32)) {
        let mut input = b"graph-mock".to_vec();
        input.extend_from_slice(&n.to_be_bytes());
        input.extend_from_slice(&block.to_be_bytes());
        let hash = digest::digest(&digest::SHA256, &input);
        chunk.copy_from_slice(&hash.as_ref()[..chunk.len()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_repeat_from_run_to_run() {
        let first = Ids::seeded();
        let second = Ids::seeded();

        let a = (first.guid(), first.token(32));
        let b = (second.guid(), second.token(32));

        assert_eq!(a, b);
        assert_eq!(a.0.len(), 36);
        assert_eq!(&a.0[14..15], "4");
        assert_ne!(first.guid(), a.0);
    }

    #[test]
    fn a_guid_is_its_bytes_in_hex_with_the_version_and_variant_set() {
        let mut bytes = [0u8; 16];
        Ids::seeded().fill(&mut bytes);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        let expected = [
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32],
        ];

        assert_eq!(Ids::seeded().guid(), expected.join("-"));
    }

    #[test]
    fn random_ids_differ_within_and_across_mocks() {
        let ids = Ids::random();
        assert!(ids.is_available());
        assert_ne!(ids.guid(), ids.guid());
        let mut long = [0u8; 80];
        ids.fill(&mut long);
        assert_ne!(
            long[..32],
            long[32..64],
            "each block of a long value differs"
        );
        assert_ne!(Ids::random().token(32), Ids::random().token(32));
        assert_ne!(
            Ids::random().token(32),
            Ids::seeded().token(32),
            "normal mode never gives the deterministic values"
        );
    }
}

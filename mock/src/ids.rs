//! The mock's one source of randomness: GUIDs, codes, secrets, trace IDs.
//!
//! Normal mode draws from the operating system (`getrandom`, which costs microseconds; a
//! crypto library's generator may first spend tens of milliseconds seeding itself). Deterministic mode derives each value from a
//! counter through SHA-256, so values look random but repeat exactly from run to run as long as
//! the same requests arrive in the same order.

use std::sync::atomic::{AtomicU64, Ordering};

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub(crate) enum Ids {
    Random,
    Seeded { counter: AtomicU64 },
}

impl Ids {
    pub(crate) fn random() -> Self {
        Ids::Random
    }

    pub(crate) fn seeded() -> Self {
        Ids::Seeded {
            counter: AtomicU64::new(0),
        }
    }

    /// Fills `out` with fresh bytes.
    pub(crate) fn fill(&self, out: &mut [u8]) {
        match self {
            Ids::Random => {
                if getrandom::fill(out).is_err() {
                    // The OS generator failing is not something a mock can recover from, but
                    // a value is still needed: fall back to the seeded derivation.
                    seeded_fill(out, nanos_now());
                }
            }
            Ids::Seeded { counter } => seeded_fill(out, counter.fetch_add(1, Ordering::Relaxed)),
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
        let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
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

fn nanos_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
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
    fn random_ids_differ() {
        let ids = Ids::random();
        assert_ne!(ids.guid(), ids.guid());
    }
}

//! The tutorial's own random values: `state`, `nonce` and the PKCE code verifier.
//!
//! Normally they come from a 256-bit key drawn from the operating system's generator (through
//! aws-lc-rs) when the run starts, each value derived from a counter with HMAC-SHA256 under
//! it. If the system generator fails, the run stops with an error: a clock-seeded value would
//! be guessable, and `state`, `nonce` and the verifier exist to be unguessable. In
//! deterministic mode they come from a fixed seed, so that, with the mock's clock and IDs also
//! fixed, a whole run prints the same bytes every time (the snapshot tests rely on it).

/// The characters RFC 7636 §4.1 allows in a code verifier ("unreserved" URL characters).
const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

use aws_lc_rs::hmac;

use crate::error::Error;

/// Where random bytes come from.
pub enum Random {
    /// A key from the operating system's generator, and a counter.
    System { key: Box<hmac::Key>, counter: u64 },
    /// SplitMix64 from a fixed seed: predictable on purpose, for tests and handouts only.
    Seeded(u64),
}

impl Random {
    /// Draws the key from the operating system; its failure is an error, never a weaker source.
    pub fn system() -> Result<Random, Error> {
        let mut key = [0u8; 32];
        aws_lc_rs::rand::fill(&mut key).map_err(|_| Error::Setup {
            what: "the system's random generator",
            reason: "it gave no random bytes".into(),
        })?;
        Ok(Random::System {
            key: Box::new(hmac::Key::new(hmac::HMAC_SHA256, &key)),
            counter: 0,
        })
    }

    pub fn seeded() -> Random {
        Random::Seeded(0x5EED_0F70_7574_3100)
    }

    fn fill(&mut self, bytes: &mut [u8]) {
        match self {
            Random::System { key, counter } => {
                for chunk in bytes.chunks_mut(32) {
                    *counter += 1;
                    let tag = hmac::sign(key, &counter.to_be_bytes());
                    chunk.copy_from_slice(&tag.as_ref()[..chunk.len()]);
                }
            }
            Random::Seeded(state) => {
                for byte in bytes.iter_mut() {
                    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    let mut z = *state;
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    *byte = (z ^ (z >> 31)) as u8;
                }
            }
        }
    }

    /// `len` characters from the unreserved set, each equally likely.
    pub fn text(&mut self, len: usize) -> String {
        // 66 characters: bytes from 198 up are thrown away so that `% 66` has no bias.
        let limit = (256 / UNRESERVED.len() * UNRESERVED.len()) as u8;
        let mut text = String::with_capacity(len);
        let mut byte = [0u8; 1];
        while text.len() < len {
            self.fill(&mut byte);
            if byte[0] < limit {
                text.push(UNRESERVED[usize::from(byte[0]) % UNRESERVED.len()] as char);
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeded_source_repeats_and_the_system_source_does_not() {
        assert_eq!(Random::seeded().text(43), Random::seeded().text(43));
        let system = || Random::system().expect("the system generator works here");
        assert_ne!(system().text(43), system().text(43));
        let mut one = system();
        assert_ne!(one.text(43), one.text(43));
        assert!(system().text(43).bytes().all(|b| UNRESERVED.contains(&b)));
        assert_ne!(system().text(43), Random::seeded().text(43));
    }
}

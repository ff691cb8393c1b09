//! Connections a room shares: no client may hold the server.
//!
//! Three bounds, each against one way of holding it:
//! - a deadline for a request's headers (and then its body), which also closes an idle
//!   kept-alive connection (set on hyper in `server.rs`), so half-open and slowloris
//!   connections are let go;
//! - a cap on the connections one client address holds at once, so one learner cannot take
//!   every file descriptor; beyond it a connection gets `503` and is closed;
//! - the open-file limit raised to the hard limit at start, and accept errors (out of file
//!   descriptors) waited out with a growing pause instead of a busy loop.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a connection over its address's cap is told before it is closed.
pub(crate) const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\n\
connection: close\r\ncontent-length: 0\r\n\r\n";

/// How many connections each client address holds.
pub(crate) struct PerAddress {
    limit: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One admitted connection: its address's count goes down when it is dropped.
pub(crate) struct Admitted {
    owner: Arc<PerAddress>,
    address: IpAddr,
}

impl PerAddress {
    pub(crate) fn new(limit: usize) -> Arc<PerAddress> {
        Arc::new(PerAddress {
            limit,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// `None` when `address` already holds its share.
    pub(crate) fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Admitted> {
        let mut open = self.open.lock().ok()?;
        let count = open.entry(address).or_insert(0);
        if *count >= self.limit {
            return None;
        }
        *count += 1;
        Some(Admitted {
            owner: Arc::clone(self),
            address,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Ok(mut open) = self.owner.open.lock()
            && let Some(count) = open.get_mut(&self.address)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                // Addresses with nothing open are forgotten: the map stays bounded.
                open.remove(&self.address);
            }
        }
    }
}

/// The pause after a failed `accept`: 5 ms, doubling to 1 s while failures go on, back to
/// 5 ms after a success.
pub(crate) struct Backoff {
    next: Duration,
}

const FIRST_PAUSE: Duration = Duration::from_millis(5);
const LONGEST_PAUSE: Duration = Duration::from_secs(1);

impl Backoff {
    pub(crate) fn new() -> Backoff {
        Backoff { next: FIRST_PAUSE }
    }

    pub(crate) fn failed(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(LONGEST_PAUSE);
        pause
    }

    pub(crate) fn succeeded(&mut self) {
        self.next = FIRST_PAUSE;
    }
}

/// Raises the soft open-file limit to the hard one (a classroom needs more than the usual
/// 1,024). Where it cannot be raised, the accept backoff and the per-address cap still hold.
pub(crate) fn raise_file_limit() -> Option<u64> {
    rlimit::increase_nofile_limit(u64::MAX).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_share_and_back_when_connections_close() {
        let cap = PerAddress::new(2);
        let one: IpAddr = [127, 0, 0, 1].into();
        let two: IpAddr = [127, 0, 0, 2].into();

        let first = cap.admit(one);
        let second = cap.admit(one);
        assert!(first.is_some() && second.is_some());
        assert!(cap.admit(one).is_none(), "a third from the same address");
        assert!(cap.admit(two).is_some(), "another address is not held up");

        drop(first);
        assert!(cap.admit(one).is_some());
    }

    #[test]
    fn the_accept_pause_grows_to_a_second_and_resets() {
        let mut backoff = Backoff::new();
        let pauses: Vec<Duration> = (0..12).map(|_| backoff.failed()).collect();
        assert_eq!(pauses[0], FIRST_PAUSE);
        assert!(pauses.windows(2).all(|w| w[1] >= w[0]));
        assert_eq!(pauses[11], LONGEST_PAUSE);
        backoff.succeeded();
        assert_eq!(backoff.failed(), FIRST_PAUSE);
    }

    #[test]
    fn the_file_limit_is_raised_to_the_hard_limit() {
        let raised = raise_file_limit();
        let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap_or((0, 0));
        assert_eq!(raised, Some(soft));
        #[cfg(target_os = "linux")]
        assert_eq!(soft, hard);
        let _ = hard;
    }
}

//! How a mock is started: where it listens, whether it signs users in by itself, and whether
//! its time and randomness are fixed.
//!
//! The defaults suit a test: a free loopback port, fresh randomness, the sign-in page shown.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use crate::classroom::ClassroomPage;
use crate::tls::Tls;

/// The mock's settings. Build one with [`Config::default`] or [`Config::deterministic`] and
/// adjust it with the builder methods.
///
/// ```
/// use graph_mock::Config;
/// let config = Config::deterministic().auto_approve();
/// assert!(config.is_auto_approve());
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) address: SocketAddr,
    pub(crate) auto_approve: bool,
    pub(crate) deterministic: bool,
    pub(crate) log_requests: bool,
    pub(crate) shared: bool,
    pub(crate) tls: Option<Tls>,
    pub(crate) header_timeout: Duration,
    pub(crate) connections_per_address: usize,
    pub(crate) classroom: Option<ClassroomPage>,
}

impl Default for Config {
    /// `127.0.0.1:0` (a free port), the sign-in page shown, fresh randomness, no request log.
    fn default() -> Self {
        Config {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            auto_approve: false,
            deterministic: false,
            log_requests: false,
            shared: false,
            tls: None,
            header_timeout: Duration::from_secs(10),
            connections_per_address: 256,
            classroom: None,
        }
    }
}

impl Config {
    /// Fixed clock (2026-11-25 22:10:00 UTC, moved only by
    /// [`MockServer::advance_clock`](crate::MockServer::advance_clock)) and IDs, codes and
    /// secrets from a seeded generator: two runs that send the same requests get
    /// byte-identical answers. For snapshot tests and handouts.
    pub fn deterministic() -> Self {
        Config {
            deterministic: true,
            ..Config::default()
        }
    }

    /// Skip the sign-in and consent pages: `authorize` answers `302` straight to the reply URL
    /// with a code for the default demo user (or for the user named by `login_hint`).
    pub fn auto_approve(mut self) -> Self {
        self.auto_approve = true;
        self
    }

    /// [`auto_approve`](Self::auto_approve) when `on` is true.
    pub fn auto_approve_if(self, on: bool) -> Self {
        if on { self.auto_approve() } else { self }
    }

    /// Listen on this address instead of a free loopback port.
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// Serve HTTPS with these certificates (see [`Tls::load_or_create`]).
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Print one line per request on stderr (the classroom view).
    pub fn log_requests(mut self) -> Self {
        self.log_requests = true;
        self
    }

    /// Serve other people, as `tutorial mock` does: the portal app's token for the demo tenant
    /// opens a tenant of the caller's own (apps, users and mail no other learner can reach),
    /// and tokens are signed with a key made at start, so the published demo key opens
    /// nothing. Implied by listening on any address but loopback.
    pub fn shared(mut self) -> Self {
        self.shared = true;
        self
    }

    /// Whether others may reach this mock: [`shared`](Self::shared), or a non-loopback address.
    pub fn is_shared(&self) -> bool {
        self.shared || !self.address.ip().is_loopback()
    }

    /// How long a client gets to send a request's headers, and then its body; also how long
    /// an idle kept-alive connection stays open (default 10 s). A client that trickles bytes
    /// (slowloris) is cut off at this deadline however steadily it sends.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// How many connections one client address may hold open at once (default 256: a room of
    /// browsers and tutorials behind one address still fits). Beyond it a connection gets
    /// `503` and is closed.
    pub fn connections_per_address(mut self, limit: usize) -> Self {
        self.connections_per_address = limit.max(1);
        self
    }

    /// Serve the instructor's live classroom page at `/classroom/{key}`: each learner's app,
    /// step and last error. `explanations` maps an error code (`AADSTS50011`,
    /// `ErrorAccessDenied`) to what it means; the mock's own message stands in for the rest.
    /// Keep `key` unguessable: the page lists every learner's app.
    pub fn classroom_page(mut self, key: &str, explanations: HashMap<String, String>) -> Self {
        self.classroom = Some(ClassroomPage {
            key: key.to_owned(),
            explanations: Arc::new(explanations),
        });
        self
    }

    /// Whether others can reach this mock: it listens beyond loopback.
    pub fn is_reachable_by_others(&self) -> bool {
        !self.address.ip().is_loopback()
    }

    /// Whether `authorize` skips the sign-in page.
    pub fn is_auto_approve(&self) -> bool {
        self.auto_approve
    }

    /// Whether time and randomness are fixed.
    pub fn is_deterministic(&self) -> bool {
        self.deterministic
    }

    /// The address the mock binds.
    pub fn bind_address(&self) -> SocketAddr {
        self.address
    }
}

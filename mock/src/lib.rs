//! # graph-mock
//!
//! An offline stand-in for the Microsoft identity platform (`login.microsoftonline.com`) and
//! Microsoft Graph (`graph.microsoft.com`) on one loopback port. Real, unmodified OAuth and
//! OpenID Connect clients sign in against it; its errors are Microsoft's (AADSTS codes, Graph
//! error bodies). It is what `tutorial` runs against by default, and what an instructor runs
//! for a classroom (`tutorial mock`).
//!
//! ## In a test
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use graph_mock::{Config, MockServer};
//!
//! let mock = MockServer::start(Config::deterministic().auto_approve()).await?;
//! let discovery = format!("{}/common/v2.0/.well-known/openid-configuration", mock.uri());
//! // …drive it over HTTP; dropping `mock` shuts it down.
//! # Ok(()) }
//! ```
//!
//! Each server binds its own free port, so tests run in parallel and never share state.
//!
//! ## What a client of the mock may use
//!
//! The tutorial, and any test or program, talks to the mock over HTTP; from this crate it
//! uses only:
//!
//! - [`MockServer`] (`start`, `uri`, `address`, and `advance_clock` to let time pass
//!   without waiting) with its [`Config`] and [`Tls`]; [`bind`] and [`serve`] to run it on
//!   a listener of your own, as `tutorial mock` does, and [`banner`] for what it prints then;
//!   [`runtime`] for the Tokio runtime it answers best on;
//! - [`fixtures`]: the demo tenant, its users and its apps, secrets included;
//! - [`errors`]: the table of refusals as data ([`errors::Aadsts::catalogue`],
//!   [`errors::GraphError::catalogue`]), for tools that explain them;
//! - [`files`]: a file written whole and private from the start, as the mock keeps its TLS
//!   key and the tutorial its progress.
//!
//! Everything else is the mock's own.
//!
//! ## Layout
//!
//! - `server`: the accept loop, graceful shutdown and the one routing `match`.
//! - `request`, `reply`: an incoming request read once; answers and their standard headers.
//! - `endpoints/`: one room per endpoint family: `discovery`, `authorize`, `sign_in`,
//!   `token`, `graph`, `applications`.
//! - `errors`: the one table of AADSTS and Graph errors.
//! - `scopes`: what an app may ask for; `api_scopes`: the scopes of an app's own API.
//! - `tokens`: what a token contains, and the key that signs it.
//! - `certificates`: the certificates apps prove themselves with (`keyCredentials`).
//! - `seal`: opaque values only the mock can open (refresh tokens, codes, sign-in pages).
//! - `codes`: authorization codes and sign-in pages, sealed and good for one use.
//! - `tls`: HTTPS with a local certificate authority, for clients that refuse plain HTTP.
//! - `files`: files written whole, with their final mode from the moment they exist.
//! - `cors`: which answers a script on another page may read (discovery, keys, token, Graph).
//! - `log`: the classroom's one line per request, with what came from the network escaped.
//! - `connections`: timeouts, a cap per client address, and the file limit, so no client can
//!   hold the server.
//! - `classroom`: the instructor's live page: each learner's step and last error.
//! - `store/`: tenants and their apps, spent code IDs, consent and mailboxes, one lock per
//!   concern.
//! - `consent`: what each user has let each app do, accumulating across sign-ins.
//! - `device`: device code sign-ins waiting for their user on another device.
//! - `clock`, `ids`: the only sources of time and randomness (fixed in deterministic mode).
//! - `demo`: the demo tenant, its users and its pre-registered apps; `fixtures`: the part of
//!   it clients need, public.
//! - `banner`: what `tutorial mock` prints at start-up.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

mod api_scopes;
mod banner;
mod certificates;
mod classroom;
mod clock;
mod codes;
mod config;
mod connections;
mod consent;
mod cors;
mod demo;
mod device;
mod endpoints;
pub mod errors;
pub mod files;
pub mod fixtures;
mod ids;
mod log;
mod reply;
mod request;
mod routes;
mod scopes;
mod seal;
mod server;
mod signer;
mod state;
mod store;
mod tls;
mod tokens;

pub use banner::banner;
pub use config::Config;
pub use tls::Tls;

use state::State;

/// A running mock, bound to its own port. Dropping it shuts the server down.
pub struct MockServer {
    address: SocketAddr,
    scheme: &'static str,
    state: Arc<State>,
    _shutdown: oneshot::Sender<()>,
}

/// The runtime a mock answers best on: one worker per core that looks for new requests every
/// few tasks rather than Tokio's default 61, so that a light request arriving during a burst
/// of token answers (each about a millisecond of RSA) is read within a few of them.
pub fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .event_interval(EVENT_INTERVAL)
        .build()
}

/// Tasks between two looks for I/O, under load.
const EVENT_INTERVAL: u32 = 8;

impl MockServer {
    /// Binds `config`'s address (a free loopback port by default) and starts serving on the
    /// current Tokio runtime.
    pub async fn start(config: Config) -> io::Result<MockServer> {
        let listener = bind(config.address)?;
        let address = listener.local_addr()?;
        let tls = config.tls.clone();
        let state = Arc::new(new_state(config)?);
        let (shutdown, stopped) = oneshot::channel::<()>();
        let scheme = if tls.is_some() { "https" } else { "http" };
        tokio::spawn(server::run(
            listener,
            Arc::clone(&state),
            tls.map(|tls| tls.acceptor),
            async {
                let _ = stopped.await;
            },
        ));
        Ok(MockServer {
            address,
            scheme,
            state,
            _shutdown: shutdown,
        })
    }

    /// `http://127.0.0.1:PORT` (or `https://localhost:PORT` with TLS): the base of every
    /// endpoint, login and Graph alike.
    pub fn uri(&self) -> String {
        match self.scheme {
            "https" => format!("https://localhost:{}", self.address.port()),
            _ => format!("http://{}", self.address),
        }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Moves the mock's clock forward: codes, sign-ins and tokens expire as if that much
    /// time had passed. Tests use this instead of sleeping.
    pub fn advance_clock(&self, by: Duration) {
        self.state.clock.advance(by);
    }
}

/// Binds `address` with a listen backlog fit for a classroom (1024).
pub fn bind(address: SocketAddr) -> io::Result<TcpListener> {
    server::bind(address)
}

/// Serves on `listener` until `shutdown` completes: what `tutorial mock` runs.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let tls = config.tls.clone().map(|tls| tls.acceptor);
    let state = Arc::new(new_state(config)?);
    // A room's connections each hold a file descriptor: use all the system allows.
    connections::raise_file_limit();
    server::run(listener, state, tls, shutdown).await;
    Ok(())
}

/// The state a mock serves from, once its settings are known to be safe.
fn new_state(config: Config) -> io::Result<State> {
    if config.deterministic && config.is_reachable_by_others() {
        // Deterministic mode's sealing key and IDs are the same in every run: on an address
        // others can reach, anyone could forge refresh tokens and codes.
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "deterministic mode is for loopback only, not {}: its keys are constant",
                config.address.ip()
            ),
        ));
    }
    let state = State::new(config)
        .map_err(|_| io::Error::other("no signing key: it did not parse or could not be made"))?;
    if !state.ids.is_available() {
        return Err(io::Error::other(
            "the operating system's random generator failed: no safe codes or secrets to give",
        ));
    }
    Ok(state)
}

//! The HTTP plumbing: the accept loop, graceful shutdown, reading a request once, handing it
//! to the routes (`routes.rs`), and the headers and log line every answer gets.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body as _, Incoming as Body};
use hyper::header::HeaderValue;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio_rustls::TlsAcceptor;

use crate::classroom::Classroom;
use crate::connections::{self, Backoff, PerAddress};
use crate::cors;
use crate::endpoints;
use crate::errors::{Aadsts, GraphError};
use crate::log::{self, Seen};
use crate::reply::{self, ErrorCode, Reply};
use crate::request::Incoming;
use crate::routes::{self, graph_route, is_graph_path, login_route};
use crate::state::State;

/// Request bodies above this are refused with 413: no endpoint needs more.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A classroom connects all at once: keep the accept queue well above 200.
const LISTEN_BACKLOG: u32 = 1024;
/// How long open connections get to finish after shutdown is asked for.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Binds a listening socket with a backlog large enough for a classroom.
pub(crate) fn bind(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = if address.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(LISTEN_BACKLOG)
}

/// How long a client gets to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What every connection shares: the state, the classroom page's tally, and the cap per
/// client address.
struct Served {
    state: Arc<State>,
    classroom: Option<Classroom>,
    per_address: Arc<PerAddress>,
    signing: SigningLane,
}

/// Serves until `shutdown` completes, then lets open connections finish. With `tls`, every
/// connection is HTTPS.
pub(crate) async fn run(
    listener: TcpListener,
    state: Arc<State>,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) {
    let served = Arc::new(Served {
        classroom: state.config.classroom.clone().map(Classroom::new),
        per_address: PerAddress::new(state.config.connections_per_address),
        signing: SigningLane::new(),
        state,
    });
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut backoff = Backoff::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    backoff.succeeded();
                    let Some(admitted) = served.per_address.admit(peer.ip()) else {
                        // Over this address's share: say so if the socket takes it at once,
                        // and close. TLS has no handshake yet to say it in.
                        if tls.is_none() {
                            let _ = stream.try_write(connections::BUSY);
                        }
                        continue;
                    };
                    // Small request/response pairs: do not wait to fill a packet.
                    let _ = stream.set_nodelay(true);
                    let watcher = graceful.watcher();
                    let served = Arc::clone(&served);
                    let tls = tls.clone();
                    tokio::spawn(async move {
                        let _admitted = admitted;
                        match tls {
                            None => serve_connection(stream, served, "http", peer.ip(), watcher).await,
                            Some(acceptor) => {
                                let handshake = tokio::time::timeout(
                                    HANDSHAKE_TIMEOUT,
                                    acceptor.accept(stream),
                                );
                                // A client that does not trust our CA ends the handshake:
                                // that is its answer, not our error.
                                if let Ok(Ok(stream)) = handshake.await {
                                    serve_connection(stream, served, "https", peer.ip(), watcher).await;
                                }
                            }
                        }
                    });
                }
                // Out of file descriptors or similar: wait, longer while it lasts, rather
                // than spin (the timeouts free descriptors meanwhile).
                Err(_) => tokio::time::sleep(backoff.failed()).await,
            },
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// A token answer carries RSA signatures, about a millisecond of CPU each. Were a classroom's
/// burst of them all queued on the async workers, every light request (discovery, keys, the
/// sign-in page) would wait behind the whole burst. So a token answer first takes a turn, one
/// per core: the answers without one wait on the semaphore, off the run queue, and a light
/// request waits behind a few signatures at most.
struct SigningLane {
    turns: Semaphore,
}

impl SigningLane {
    fn new() -> SigningLane {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        SigningLane {
            turns: Semaphore::new(cores),
        }
    }

    /// Waits for a turn, then goes once to the back of the run queue holding it, so that the
    /// other token answers there find no turn free and step aside.
    async fn turn(&self) -> Option<SemaphorePermit<'_>> {
        // The semaphore is never closed, so this is always a permit.
        let turn = self.turns.acquire().await.ok();
        to_the_back().await;
        turn
    }
}

/// Lets the tasks queued now run first. A task that wakes itself while running is put at the
/// back of the run queue; `tokio::task::yield_now` would instead wait for the worker to run
/// out of work or poll for I/O, which under load is dozens of tasks later.
async fn to_the_back() {
    let mut queued = false;
    std::future::poll_fn(|cx| {
        if queued {
            return std::task::Poll::Ready(());
        }
        queued = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    })
    .await;
}

/// A request body that did not arrive within the deadline: the connection is closed.
#[derive(Debug)]
struct BodyTooSlow;

impl std::fmt::Display for BodyTooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for BodyTooSlow {}

/// HTTP/1.1 on one connection, plain or TLS, until the client hangs up, goes quiet, or
/// shutdown.
async fn serve_connection<S>(
    stream: S,
    served: Arc<Served>,
    scheme: &'static str,
    peer: IpAddr,
    watcher: Watcher,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let deadline = served.state.config.header_timeout;
    let service = service_fn(move |request| {
        let served = Arc::clone(&served);
        async move { answer(request, &served, scheme, peer).await }
    });
    // The header deadline runs from the moment hyper waits for a request, so it also closes
    // a kept-alive connection that stays idle that long.
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(deadline)
        .serve_connection(TokioIo::new(stream), service);
    // A client that hangs up mid-request is not our error to report.
    let _ = watcher.watch(connection).await;
}

/// Reads the whole request (at most 1 MiB), routes it, and stamps the answer.
/// A body that trickles in past the header deadline closes the connection.
async fn answer(
    request: Request<Body>,
    served: &Served,
    scheme: &'static str,
    peer: IpAddr,
) -> Result<Reply, BodyTooSlow> {
    let state = &*served.state;
    // The instructor's page is not a request of the flow: neither logged nor counted.
    let page = served
        .classroom
        .as_ref()
        .and_then(|classroom| classroom.answer(request.method(), request.uri().path()));
    if let Some(page) = page {
        return Ok(page);
    }
    let (parts, body) = request.into_parts();
    // A request without a body (a GET, mostly) needs no deadline to read it.
    let body = if body.is_end_stream() {
        Some(Bytes::new())
    } else {
        let read = Limited::new(body, MAX_BODY_BYTES).collect();
        match tokio::time::timeout(state.config.header_timeout, read).await {
            Ok(Ok(collected)) => Some(collected.to_bytes()),
            Ok(Err(_)) => None,
            Err(_) => return Err(BodyTooSlow),
        }
    };
    let too_large = body.is_none();
    let req = Incoming::new(
        parts.method,
        parts.uri.path().to_owned(),
        parts.uri.query().map(str::to_owned),
        parts.headers,
        body.unwrap_or_default(),
        scheme,
    )
    .sent_by(peer);
    let is_graph = is_graph_path(&req.path);
    // In the first moments of a mock others can reach, its key is still being made.
    if routes::needs_signing_key(&req) {
        state.signer.made().await;
    }
    let request_id = state.ids.guid();
    let mut answer = if too_large {
        if is_graph {
            GraphError::TooLarge.reply(state.clock.now(), &req, &request_id)
        } else {
            Aadsts::InvalidStsRequest.reply_with_status(
                StatusCode::PAYLOAD_TOO_LARGE,
                &state.trace(&req),
                &req,
            )
        }
    } else if is_graph {
        graph_route(&req, state, &request_id)
    } else {
        // A token answer signs, so it waits for a turn (see `SigningLane`).
        let _turn = if routes::signs_tokens(&req) {
            served.signing.turn().await
        } else {
            None
        };
        login_route(&req, state)
    };
    stamp(&mut answer, &req, &request_id, is_graph);
    if is_graph {
        cors::share_graph_answer(&req, &mut answer);
    }
    if state.log.is_some() || served.classroom.is_some() {
        let seen = seen(state, &req, &answer);
        if let Some(classroom) = &served.classroom {
            classroom.record(&seen);
        }
        if let Some(log) = &state.log {
            log.line(seen.line());
        }
    }
    Ok(answer)
}

/// Graph's `x-ms-ags-diagnostic`: which of its servers answered.
const GRAPH_DIAGNOSTIC: &str = r#"{"ServerInfo":{"DataCenter":"Offline Mock","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"GRAPH-MOCK"}}"#;

/// The headers each service sends on every answer.
fn stamp(answer: &mut Reply, req: &Incoming, request_id: &str, is_graph: bool) {
    let client_request_id = req.client_request_id().unwrap_or(request_id).to_owned();
    if is_graph {
        reply::set_header(answer, "request-id", request_id);
        reply::set_header(answer, "client-request-id", &client_request_id);
        let headers = answer.headers_mut();
        headers.insert(
            "x-ms-ags-diagnostic",
            HeaderValue::from_static(GRAPH_DIAGNOSTIC),
        );
        headers.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000"),
        );
    } else {
        reply::set_header(answer, "x-ms-request-id", request_id);
        if let Some(id) = req.client_request_id() {
            reply::set_header(answer, "client-request-id", id);
        }
    }
}

/// What the log and the classroom page keep of one request (see `log.rs`).
fn seen(state: &State, req: &Incoming, answer: &Reply) -> Seen {
    let now = state.clock.now();
    let client_id = endpoints::client_of(req);
    // Only a registered app's name is shown: an unknown client ID names nothing.
    let app_name = client_id
        .as_deref()
        .and_then(|id| state.store.app(id))
        .map(|app| app.display_name.clone());
    let form = req.form();
    Seen {
        time: format!("{:02}:{:02}:{:02}", now.hour(), now.minute(), now.second()),
        client_id,
        app_name,
        step: log::step_of(req.method.as_str(), &req.path, form.get("grant_type")),
        status: answer.status().as_u16(),
        method: req.method.to_string(),
        path: req.path.clone(),
        code: answer
            .extensions()
            .get::<ErrorCode>()
            .map(|ErrorCode(code)| code.to_string()),
    }
}

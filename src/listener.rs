//! The reply URL: a small loopback web server (hyper) that waits for the browser's redirect.
//!
//! The reply URL is `http://localhost:8000/connect/get_token/`: the 2016 article's path and
//! port, on `localhost` rather than its `127.0.0.1`, because the portal's Web box refuses an
//! `http://127.0.0.1…` reply URL and because only a `localhost` reply URL is matched whatever
//! its port (Microsoft's redirect-URI rules). The listener binds that port (or `--port`) on
//! 127.0.0.1, where browsers reach `localhost`; when it is taken it binds a free one instead and
//! says so. It answers every visit to
//! the reply path with a small page, judges the query (state first, then error, then code),
//! and hands the visit to step 3. Other paths (a browser's `/favicon.ico`) get a 404.
//! Nothing the browser sends can make it panic.
//!
//! Any web page the learner has open can send the browser to this URL. So step 3 waits for
//! *its* redirect ([`Listener::wait_for_ours`]): a visit without the state this sign-in sent
//! gets a page saying so and a notice on the terminal, and the listener keeps waiting. And
//! what came from the network is escaped before it reaches the terminal: no control
//! character (an ANSI escape, a CR) in a query or a header is printed as it is.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::error::Error;
use crate::exchange::{Body, Exchange, Received, SentRequest};
use crate::protocol::authorize::{Callback, judge_callback};
use crate::registration::RedirectUri;
use crate::secrets::AuthCode;

/// The reply URL the tutorial registers in step 1.
pub const REPLY_URL: &str = "http://localhost:8000/connect/get_token/";
/// The reply URL's path: the 2016 article's.
pub const REPLY_PATH: &str = "/connect/get_token/";

/// A bound, not yet answering, reply-URL server.
pub struct Listener {
    listener: TcpListener,
    path: String,
    pub redirect_uri: RedirectUri,
    /// The port asked for, when it was taken and another was used.
    pub fell_back_from: Option<u16>,
}

/// The browser's visit: what it sent and what the listener answered, and what it means.
pub struct Visit {
    pub exchange: Exchange,
    pub callback: Callback,
}

impl Listener {
    /// Binds `127.0.0.1:port` (any free port for 0), falling back to a free port when taken.
    pub async fn bind(port: u16) -> Result<Listener, Error> {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => Listener::new(listener, REPLY_PATH, None),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => {
                let listener = TcpListener::bind(("127.0.0.1", 0))
                    .await
                    .map_err(|e| cannot_listen(0, &e))?;
                Listener::new(listener, REPLY_PATH, Some(port))
            }
            Err(e) => Err(cannot_listen(port, &e)),
        }
    }

    /// Binds exactly the port and path of `redirect_uri` (one saved by an earlier run, which
    /// the browser will use).
    pub async fn bind_exactly(redirect_uri: &RedirectUri) -> Result<Listener, Error> {
        let url = url::Url::parse(redirect_uri.as_str()).map_err(|e| Error::BadUrl {
            what: "the saved reply URL",
            value: redirect_uri.to_string(),
            reason: e.to_string(),
            hint: "tutorial reset",
        })?;
        let port = url.port_or_known_default().unwrap_or(80);
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| cannot_listen(port, &e))?;
        Listener::new(listener, url.path(), None)
    }

    fn new(
        listener: TcpListener,
        path: &str,
        fell_back_from: Option<u16>,
    ) -> Result<Listener, Error> {
        let port = listener
            .local_addr()
            .map_err(|e| cannot_listen(0, &e))?
            .port();
        let redirect_uri = RedirectUri::parse(&format!("http://localhost:{port}{path}"))?;
        Ok(Listener {
            listener,
            path: path.to_owned(),
            redirect_uri,
            fell_back_from,
        })
    }

    /// Serves until the browser visits the reply path, or `timeout` passes: the first visit,
    /// whatever its state (the failure lesson on state shows that visit refused).
    pub async fn wait(
        self,
        expected_state: Option<String>,
        timeout: Duration,
    ) -> Result<Visit, Error> {
        self.serve(expected_state, timeout, None).await
    }

    /// Serves until the redirect of this sign-in arrives (one with `expected_state`), or
    /// `timeout` passes. A visit with a missing or wrong state is refused with a page, told
    /// to `notices` (one line, escaped, for the terminal), and waited past.
    pub async fn wait_for_ours(
        self,
        expected_state: Option<String>,
        timeout: Duration,
        notices: mpsc::UnboundedSender<String>,
    ) -> Result<Visit, Error> {
        self.serve(expected_state, timeout, Some(notices)).await
    }

    async fn serve(
        self,
        expected_state: Option<String>,
        timeout: Duration,
        notices: Option<mpsc::UnboundedSender<String>>,
    ) -> Result<Visit, Error> {
        let (visits, mut first) = mpsc::channel::<Visit>(1);
        let Listener {
            listener,
            path,
            redirect_uri,
            ..
        } = self;
        let judge = Judge {
            path,
            expected_state,
            notices,
        };
        let judge = std::sync::Arc::new(judge);
        let accept = async {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of file descriptors: pause rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let visits = visits.clone();
                let judge = std::sync::Arc::clone(&judge);
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                        let answer = judge.answer(&request, &visits);
                        async move { Ok::<_, Infallible>(answer) }
                    });
                    let connection = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    // A browser that goes away mid-request is not an error for the lesson.
                    let _ = connection.await;
                });
            }
        };
        tokio::select! {
            Some(visit) = first.recv() => Ok(visit),
            () = accept => Err(Error::Timeout { redirect_uri, seconds: 0 }),
            () = tokio::time::sleep(timeout) => Err(Error::Timeout {
                redirect_uri,
                seconds: timeout.as_secs(),
            }),
        }
    }
}

fn cannot_listen(port: u16, error: &std::io::Error) -> Error {
    Error::CannotListen {
        port,
        suggestion: port.wrapping_add(1).max(1024),
        reason: error.to_string(),
    }
}

/// What the listener judges each visit by.
struct Judge {
    path: String,
    expected_state: Option<String>,
    /// Where refused visits are told, when step 3 waits past them.
    notices: Option<mpsc::UnboundedSender<String>>,
}

impl Judge {
    /// Answers one request; a visit to the reply path is also sent to step 3 (or, with the
    /// wrong state while waiting for ours, told and waited past).
    fn answer<B>(
        &self,
        request: &Request<B>,
        visits: &mpsc::Sender<Visit>,
    ) -> Response<Full<Bytes>> {
        if request.uri().path() != self.path {
            return page(StatusCode::NOT_FOUND, "Not the reply URL", "Nothing here.").0;
        }
        let query = request.uri().query().unwrap_or("");
        let callback = escaped(judge_callback(query, self.expected_state.as_deref()));
        if let (Callback::StateMismatch { got, .. }, Some(notices)) = (&callback, &self.notices) {
            let got: String = got.chars().take(60).collect();
            let _ = notices.send(format!(
                "a visit to the reply URL brought state `{got}`, not the one this sign-in \
                 sent: refused (it did not come from our sign-in); still waiting"
            ));
            return page(
                StatusCode::BAD_REQUEST,
                "Not this sign-in",
                "This visit does not carry the state the tutorial sent, so it was refused (a \
                 CSRF guard). The tutorial is still waiting for the sign-in it started.",
            )
            .0;
        }
        let (response, exchange) = answer(request, &callback);
        // Only the first visit counts; later ones (a reload) are answered but not judged again.
        let _ = visits.try_send(Visit { exchange, callback });
        response
    }
}

/// The page for a judged visit, and the exchange as step 3 prints it.
fn answer<B>(request: &Request<B>, callback: &Callback) -> (Response<Full<Bytes>>, Exchange) {
    let (status, title, text) = match callback {
        Callback::Code { .. } => (
            StatusCode::OK,
            "Signed in",
            "The tutorial has the authorization code. You can close this tab and go back to the terminal.",
        ),
        Callback::Refused { .. } => (
            StatusCode::OK,
            "Sign-in refused",
            "The sign-in ended without a code. The terminal explains why; you can close this tab.",
        ),
        Callback::StateMismatch { .. } => (
            StatusCode::BAD_REQUEST,
            "Refused",
            "The state in this redirect is not the one the tutorial sent, so it was refused (a CSRF guard).",
        ),
        Callback::NoCode(_) => (
            StatusCode::BAD_REQUEST,
            "No code",
            "This redirect carried neither a code nor an error.",
        ),
    };
    let (response, body) = page(status, title, text);
    let host = request
        .headers()
        .get(hyper::header::HOST)
        .map(|h| printable(&String::from_utf8_lossy(h.as_bytes())))
        .unwrap_or_else(|| "127.0.0.1".into());
    let exchange = Exchange {
        request: SentRequest {
            method: request.method().to_string(),
            url: printable(&format!("http://{host}{}", request.uri())),
            headers: request
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.to_string(),
                        printable(&String::from_utf8_lossy(v.as_bytes())),
                    )
                })
                .collect(),
            body: Body::Empty,
        },
        response: Received {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_owned(),
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body,
        },
        elapsed: Duration::ZERO,
    };
    (response, exchange)
}

/// The callback with every value that came from the network made safe to print.
fn escaped(callback: Callback) -> Callback {
    match callback {
        Callback::Code { code, state } => Callback::Code {
            code: AuthCode::new(printable(code.expose())),
            state: state.as_deref().map(printable),
        },
        Callback::Refused { error, description } => Callback::Refused {
            error: printable(&error),
            description: printable(&description),
        },
        Callback::StateMismatch { sent, got } => Callback::StateMismatch {
            sent,
            got: printable(&got),
        },
        Callback::NoCode(what) => Callback::NoCode(printable(&what)),
    }
}

/// `text` with control characters (C0, DEL, C1: ANSI escapes, CR, LF) and bidirectional
/// overrides shown as `\u{1b}` and the like: what a page sent can neither move the cursor
/// nor write a line of its own on the learner's terminal.
pub fn printable(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let hidden = c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c);
        if hidden {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

fn page(status: StatusCode, title: &str, text: &str) -> (Response<Full<Bytes>>, Bytes) {
    // One line of style, so the page reads well on a projector and stays short in the transcript.
    let html = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\n\
         <style>body {{ font: 20px/1.5 system-ui, sans-serif; max-width: 34em; margin: 3em auto; padding: 0 1em }}</style></head>\n\
         <body><h1>{title}</h1><p>{text}</p></body></html>\n"
    );
    let body = Bytes::from(html);
    let mut response = Response::new(Full::new(body.clone()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    (response, body)
}

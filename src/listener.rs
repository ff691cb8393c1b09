//! The reply URL: a small loopback web server (hyper) that waits for the browser's redirect.
//!
//! The reply URL is `http://localhost:8000/connect/get_token/`: the 2016 article's path and
//! port, on `localhost` rather than its `127.0.0.1`, because the portal's Web box refuses an
//! `http://127.0.0.1…` reply URL and because only a `localhost` reply URL is matched whatever
//! its port (Microsoft's redirect-URI rules). The listener binds that port (or `--port`) on
//! 127.0.0.1, where browsers reach `localhost`; when it is taken it binds a free one instead and
//! says so. It answers every visit to
//! the reply path with a small page, judges the query (state first, then error, then code),
//! and hands the first visit to step 3. Other paths (a browser's `/favicon.ico`) get a 404.
//! Nothing the browser sends can make it panic.

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

/// The reply URL the tutorial registers in step 1.
pub const REPLY_URL: &str = "http://localhost:8000/connect/get_token/";
const REPLY_PATH: &str = "/connect/get_token/";

/// A bound, not yet answering, reply-URL server.
pub struct Listener {
    listener: TcpListener,
    path: String,
    pub redirect_uri: String,
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
    pub async fn bind_exactly(redirect_uri: &str) -> Result<Listener, Error> {
        let url = url::Url::parse(redirect_uri).map_err(|e| Error::BadUrl {
            what: "the saved reply URL",
            value: redirect_uri.to_owned(),
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
        Ok(Listener {
            listener,
            path: path.to_owned(),
            redirect_uri: format!("http://localhost:{port}{path}"),
            fell_back_from,
        })
    }

    /// Serves until the browser visits the reply path, or `timeout` passes.
    pub async fn wait(
        self,
        expected_state: Option<String>,
        timeout: Duration,
    ) -> Result<Visit, Error> {
        let (visits, mut first) = mpsc::channel::<Visit>(1);
        let Listener {
            listener,
            path,
            redirect_uri,
            ..
        } = self;
        let accept = async {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let visits = visits.clone();
                let path = path.clone();
                let expected = expected_state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                        let answer = answer(&request, &path, expected.as_deref(), &visits);
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

/// Answers one request; a visit to the reply path is also sent to step 3.
fn answer<B>(
    request: &Request<B>,
    path: &str,
    expected_state: Option<&str>,
    visits: &mpsc::Sender<Visit>,
) -> Response<Full<Bytes>> {
    if request.uri().path() != path {
        return page(StatusCode::NOT_FOUND, "Not the reply URL", "Nothing here.").0;
    }
    let query = request.uri().query().unwrap_or("");
    let callback = judge_callback(query, expected_state);
    let (status, title, text) = match &callback {
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
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let exchange = Exchange {
        request: SentRequest {
            method: request.method().to_string(),
            url: format!("http://{host}{}", request.uri()),
            headers: request
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
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
    // Only the first visit counts; later ones (a reload) are answered but not judged again.
    let _ = visits.try_send(Visit { exchange, callback });
    response
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

//! The one HTTP client: build a request, send it, get back the [`Exchange`].
//!
//! Redirects are never followed: the learner must *see* the `302` from the authorize endpoint
//! (and following redirects would open the client up to SSRF, as the oauth2-rs Graph example
//! warns). Proxies are ignored too: every URL here is either loopback or Microsoft's.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use url::Url;

use crate::error::Error;
use crate::exchange::{Body, Exchange, Received, SentRequest};
use crate::secrets::AccessToken;

/// Identifies the tutorial to the server, as the article's `User-Agent: python_tutorial/1.0` did.
const USER_AGENT: &str = concat!("graph-oauth-tutorial/", env!("CARGO_PKG_VERSION"));

/// A request being built. Headers keep the order they were added in.
pub struct Outgoing {
    method: reqwest::Method,
    url: Url,
    headers: Vec<(String, String)>,
    body: Body,
}

impl Outgoing {
    pub fn get(url: Url) -> Outgoing {
        Outgoing::new(reqwest::Method::GET, url)
    }

    pub fn post(url: Url) -> Outgoing {
        Outgoing::new(reqwest::Method::POST, url)
    }

    /// Any method by name (`tutorial call`); an unknown name is sent as GET.
    pub fn with_method(method: &str, url: Url) -> Outgoing {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        Outgoing::new(method, url)
    }

    fn new(method: reqwest::Method, url: Url) -> Outgoing {
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => String::new(),
        };
        Outgoing {
            method,
            url,
            headers: vec![
                ("host".into(), host),
                ("user-agent".into(), USER_AGENT.into()),
                ("accept".into(), "application/json".into()),
            ],
            body: Body::Empty,
        }
    }

    /// `Authorization: Bearer {token}`: how Graph learns who is calling (RFC 6750 §2.1).
    pub fn bearer(mut self, token: &AccessToken) -> Outgoing {
        self.headers
            .push(("authorization".into(), format!("Bearer {}", token.expose())));
        self
    }

    /// `Origin: {origin}`: what a browser adds to a script's request to another origin.
    pub fn from_page(mut self, origin: &str) -> Outgoing {
        self.headers.push(("origin".into(), origin.to_owned()));
        self
    }

    /// Accept anything: what a browser sends when it follows a link.
    pub fn as_browser(mut self) -> Outgoing {
        self.headers.retain(|(name, _)| name != "accept");
        self.headers.push(("accept".into(), "text/html".into()));
        self
    }

    pub fn form(mut self, pairs: Vec<(String, String)>) -> Outgoing {
        self.body = Body::Form(pairs);
        self
    }

    pub fn json(mut self, value: serde_json::Value) -> Outgoing {
        self.body = Body::Json(value);
        self
    }

    /// A header as written, in place of one of the same name (`tutorial exercise`).
    pub fn header(mut self, name: &str, value: &str) -> Outgoing {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_owned()));
        self
    }

    /// A body as written, sent byte for byte with no `Content-Type` of its own: the learner's
    /// headers say what it is, or nothing does (`tutorial exercise`).
    pub fn text(mut self, body: String) -> Outgoing {
        self.body = Body::Text(body);
        self
    }
}

/// A request ready to go: what will be printed, and the bytes that will be sent.
pub struct Prepared {
    pub sent: SentRequest,
    bytes: Vec<u8>,
}

impl Outgoing {
    /// Fixes the body's bytes and the headers that depend on them.
    pub fn prepare(self) -> Prepared {
        let Outgoing {
            method,
            url,
            mut headers,
            body,
        } = self;
        let (content_type, bytes) = match &body {
            Body::Empty => (None, Vec::new()),
            Body::Form(pairs) => (
                Some("application/x-www-form-urlencoded"),
                serde_urlencoded::to_string(pairs)
                    .unwrap_or_default()
                    .into_bytes(),
            ),
            Body::Json(value) => (
                Some("application/json"),
                serde_json::to_vec(value).unwrap_or_default(),
            ),
            Body::Text(text) => (None, text.clone().into_bytes()),
        };
        if let Some(content_type) = content_type {
            headers.push(("content-type".into(), content_type.into()));
        }
        if !bytes.is_empty() || method == reqwest::Method::POST {
            headers.push(("content-length".into(), bytes.len().to_string()));
        }
        Prepared {
            sent: SentRequest {
                method: method.to_string(),
                url: url.to_string(),
                headers,
                body,
            },
            bytes,
        }
    }
}

/// The client. Cheap to clone; clones share one record of the run.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    /// Every exchange of this run, in order: what `tutorial export` writes out. A
    /// `std::sync::Mutex`, held only to push or copy, never across an `.await`.
    recorded: Arc<Mutex<Vec<Exchange>>>,
}

impl Http {
    /// Building fails only if the TLS backend cannot start: an error, never a client with
    /// other settings (one that follows redirects or goes through a proxy would change what
    /// the lesson shows). `tls`: whether any server is reached over HTTPS. Without it, no
    /// certificate is trusted and the system's store is never read: reading it (hundreds of
    /// files) was most of the start-up time of a run against a mock on this machine.
    pub fn new(tls: bool) -> Result<Http, Error> {
        let builder = reqwest::Client::builder();
        let builder = if tls {
            builder
        } else {
            builder.tls_certs_only(std::iter::empty())
        };
        let client = builder
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| Error::Setup {
                what: "the HTTP client",
                reason: plain_reason(&e),
            })?;
        Ok(Http {
            client,
            recorded: Arc::default(),
        })
    }

    /// Every exchange sent so far through this client or its clones.
    pub fn recorded(&self) -> Vec<Exchange> {
        self.recorded
            .lock()
            .map(|recorded| recorded.clone())
            .unwrap_or_default()
    }

    /// Sends the request and records both sides.
    pub async fn send(&self, prepared: Prepared) -> Result<Exchange, Error> {
        let Prepared { sent, bytes } = prepared;
        let failed = |e: reqwest::Error| Error::Request {
            url: sent.url.clone(),
            reason: plain_reason(&e),
        };
        let method =
            reqwest::Method::from_bytes(sent.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut builder = self.client.request(method, sent.url.as_str());
        for (name, value) in &sent.headers {
            // reqwest writes host and content-length itself, with the same values.
            if name != "host" && name != "content-length" {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        if !bytes.is_empty() {
            builder = builder.body(bytes);
        }

        let started = Instant::now();
        let response = builder.send().await.map_err(failed)?;
        let status = response.status();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut response = response;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Error::Request {
                    url: sent.url.clone(),
                    reason: format!(
                        "the answer is longer than {} MiB, more than any answer of the flow; \
                         the rest was not read",
                        MAX_BODY >> 20
                    ),
                });
            }
            body.extend_from_slice(&chunk);
        }
        let body = bytes::Bytes::from(body);
        let elapsed = started.elapsed();

        let exchange = Exchange {
            request: sent,
            response: Received {
                status: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_owned(),
                headers,
                body,
            },
            elapsed,
        };
        if let Ok(mut recorded) = self.recorded.lock()
            && recorded.len() < MAX_RECORDED
        {
            recorded.push(exchange.clone());
        }
        Ok(exchange)
    }
}

/// The most of an answer read: a JWKS, a page or a mailbox is far smaller; a server sending
/// more is not one this tutorial should trust with its memory.
const MAX_BODY: usize = 8 << 20;

/// The most exchanges kept for `export` (a whole run sends a few dozen; a long device-code
/// wait polls every few seconds).
const MAX_RECORDED: usize = 1_000;

/// reqwest's error with its causes, on one line.
fn plain_reason(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// A server that answers any request with `length` bytes.
    async fn answering(length: usize) -> Url {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        tokio::spawn(async move {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request).await;
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&vec![b'x'; length]).await;
        });
        Url::parse(&format!("http://{address}/")).expect("a URL")
    }

    #[tokio::test]
    async fn an_answer_longer_than_the_cap_is_refused_not_read_whole() {
        let http = Http::new(false).expect("a client");
        let url = answering(MAX_BODY + 1).await;
        let refused = http.send(Outgoing::get(url).prepare()).await;
        let Err(Error::Request { reason, .. }) = refused else {
            panic!("a too-long answer was accepted: {refused:?}");
        };
        assert!(reason.contains("longer than 8 MiB"), "{reason}");

        let url = answering(1000).await;
        let exchange = http
            .send(Outgoing::get(url).prepare())
            .await
            .expect("a short answer is read");
        assert_eq!(exchange.response.body.len(), 1000);
    }
}

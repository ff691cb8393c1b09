//! An incoming request, read once: its query, its form or JSON body, its bearer token and the
//! base URL the client used to reach us.
//!
//! Endpoints ask this type for what they need and never touch hyper themselves. Nothing here
//! panics on what a client sends: a missing or malformed piece is `None` or an `Err`, and the
//! endpoint turns that into the protocol's own error.

use std::cell::OnceCell;
use std::net::IpAddr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{HeaderMap, Method};

pub(crate) struct Incoming {
    pub(crate) method: Method,
    pub(crate) path: String,
    query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    scheme: &'static str,
    /// The client's address, when the request came over a connection (not in unit tests).
    pub(crate) peer: Option<IpAddr>,
    /// The query and the form, decoded on first use: the endpoint and the request log both
    /// read them, and decoding them once spares every request a second pass.
    parsed_query: OnceCell<Params>,
    parsed_form: OnceCell<Params>,
}

/// Decoded `name=value` pairs in the order they came; the first of a repeated name wins.
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(encoded: &[u8]) -> Params {
        Params(form_urlencoded::parse(encoded).into_owned().collect())
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Like [`get`](Self::get), but an empty value counts as absent, as Entra counts it.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|value| !value.is_empty())
    }
}

impl Incoming {
    pub(crate) fn new(
        method: Method,
        path: String,
        query: Option<String>,
        headers: HeaderMap,
        body: Bytes,
        scheme: &'static str,
    ) -> Self {
        Incoming {
            method,
            path,
            query: query.unwrap_or_default(),
            headers,
            body,
            scheme,
            peer: None,
            parsed_query: OnceCell::new(),
            parsed_form: OnceCell::new(),
        }
    }

    /// The same request, as sent from `peer`.
    pub(crate) fn sent_by(self, peer: IpAddr) -> Self {
        Incoming {
            peer: Some(peer),
            ..self
        }
    }

    pub(crate) fn query(&self) -> &Params {
        self.parsed_query
            .get_or_init(|| Params::parse(self.query.as_bytes()))
    }

    /// The body as an HTML form. Entra reads the body only when it is declared as a form, so
    /// any other content type yields no parameters at all (and then "missing grant_type").
    pub(crate) fn form(&self) -> &Params {
        self.parsed_form.get_or_init(|| self.parse_form())
    }

    fn parse_form(&self) -> Params {
        const FORM: &[u8] = b"application/x-www-form-urlencoded";
        let is_form = self
            .header(CONTENT_TYPE.as_str())
            .and_then(|value| value.as_bytes().get(..FORM.len()))
            .is_some_and(|start| start.eq_ignore_ascii_case(FORM));
        if is_form {
            Params::parse(&self.body)
        } else {
            Params::default()
        }
    }

    /// The authorize endpoint takes its parameters from the query (GET) or the form (POST).
    pub(crate) fn query_or_form(&self) -> &Params {
        if self.method == Method::POST {
            self.form()
        } else {
            self.query()
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The token after `Bearer ` in `Authorization` (scheme matched case-insensitively).
    pub(crate) fn bearer(&self) -> Option<&str> {
        let value = self.header(AUTHORIZATION.as_str())?;
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }

    /// `client_secret_basic`: `Authorization: Basic base64(urlencode(id):urlencode(secret))`
    /// (RFC 6749 §2.3.1). A header that does not decode is treated as absent.
    pub(crate) fn basic_credentials(&self) -> Option<(String, String)> {
        let value = self.header(AUTHORIZATION.as_str())?;
        let (scheme, encoded) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = STANDARD.decode(encoded.trim()).ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (id, secret) = decoded.split_once(':')?;
        let unescape = |s: &str| {
            form_urlencoded::parse(format!("v={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        Some((unescape(id)?, unescape(secret)?))
    }

    /// The `client-request-id` the client sent, if it looks like one.
    pub(crate) fn client_request_id(&self) -> Option<&str> {
        self.header("client-request-id")
            .filter(|id| !id.is_empty() && id.len() <= 100)
    }

    /// `scheme://host[:port]` as the client saw us: from `X-Forwarded-Proto` and
    /// `X-Forwarded-Host` when a TLS front set them, else from `Host`. Every absolute URL the
    /// mock writes (discovery, issuers, `Location`) starts with this, so the mock works on any
    /// port and behind any proxy.
    pub(crate) fn base_url(&self) -> String {
        let first = |name: &str| {
            self.header(name)
                .and_then(|value| value.split(',').next())
                .map(str::trim)
                .filter(|value| !value.is_empty())
        };
        let scheme = match first("x-forwarded-proto") {
            Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
            Some(proto) if proto.eq_ignore_ascii_case("http") => "http",
            _ => self.scheme,
        };
        let host = first("x-forwarded-host")
            .or_else(|| first(HOST.as_str()))
            .filter(|host| is_plausible_host(host))
            .unwrap_or("localhost");
        format!("{scheme}://{host}")
    }
}

/// A `Host` value we are willing to echo into URLs: no spaces, slashes or quotes.
fn is_plausible_host(host: &str) -> bool {
    host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn incoming(headers: &[(&'static str, &'static str)]) -> Incoming {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        Incoming::new(Method::GET, "/".into(), None, map, Bytes::new(), "http")
    }

    #[test]
    fn base_url_follows_the_tls_front() {
        let req = incoming(&[
            ("host", "127.0.0.1:8400"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "localhost:8443"),
        ]);

        assert_eq!(req.base_url(), "https://localhost:8443");
    }

    #[test]
    fn a_hostile_host_header_is_not_echoed() {
        let req = incoming(&[("host", "evil.example/\"><script>")]);

        assert_eq!(req.base_url(), "http://localhost");
    }

    #[test]
    fn basic_credentials_are_url_decoded() {
        // base64("my%20id:s%3Dcret")
        let req = incoming(&[("authorization", "Basic bXklMjBpZDpzJTNEY3JldA==")]);

        assert_eq!(
            req.basic_credentials(),
            Some(("my id".to_string(), "s=cret".to_string()))
        );
    }
}

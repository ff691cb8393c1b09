//! Cross-origin resource sharing: which answers a script on another page may read.
//!
//! A single-page app talks to the identity platform and Graph from the browser, so the
//! browser asks each service, in its answer's headers, whether the page may read it. The
//! mock answers as each service does, and allows no more:
//! - discovery, the keys and instance discovery are public documents: every answer carries
//!   `Access-Control-Allow-Origin: *` and `Access-Control-Allow-Methods: GET, OPTIONS`, as
//!   Entra's do (captured answers);
//! - the token endpoint shares its answers only with pages on one of the app's `spa`
//!   reply-URL origins (decided in `endpoints/token/spa.rs`); its preflight names no page,
//!   so it is answered for any origin, which lets a script read nothing by itself;
//! - Graph takes a bearer token from any page: `*`, and Graph's list of exposed headers.
//!
//! The authorize, sign-in and logout pages are navigated to, never fetched: no CORS at all.
//! A preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered `200` with no
//! body, allowing only the request headers the service takes.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{ACCESS_CONTROL_REQUEST_HEADERS, ORIGIN};
use hyper::{Response, StatusCode};

use crate::reply::{Reply, set_header};
use crate::request::Incoming;

/// What a public document allows.
pub(crate) const DOCUMENT_METHODS: &str = "GET, OPTIONS";
/// What the token endpoint allows ("The endpoint only accepts POST, OPTIONS requests").
pub(crate) const TOKEN_METHODS: &str = "POST, OPTIONS";
/// What the mock's Graph serves.
pub(crate) const GRAPH_METHODS: &str = "GET, POST, PATCH, OPTIONS";

/// Headers a token request may carry beyond the CORS-safelisted ones: those MSAL.js sent
/// before it moved them into the body, which Entra's preflight allowed.
pub(crate) const TOKEN_REQUEST_HEADERS: &[&str] = &[
    "client-request-id",
    "return-client-request-id",
    "x-client-sku",
    "x-client-ver",
    "x-client-os",
    "x-client-cpu",
    "x-client-current-telemetry",
    "x-client-last-telemetry",
    "x-ms-lib-capability",
    "x-app-name",
    "x-app-ver",
];

/// Headers a Graph request may carry beyond the CORS-safelisted ones: the bearer token, the
/// JSON body, and the headers Graph's own SDKs send.
pub(crate) const GRAPH_REQUEST_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "client-request-id",
    "return-client-request-id",
    "sdkversion",
    "prefer",
    "consistencylevel",
    "if-match",
    "if-none-match",
];

/// The response headers Graph lets a page's script read.
const GRAPH_EXPOSED_HEADERS: &str = "ETag, Location, Preference-Applied, Content-Range, \
     request-id, client-request-id, ReadWriteConsistencyToken, SdkVersion, WWW-Authenticate, \
     x-ms-client-gcc-tenant, Retry-After";

/// Lets any page read this answer.
pub(crate) fn allow_any_origin(answer: &mut Reply, methods: &'static str) {
    set_header(answer, "access-control-allow-origin", "*");
    set_header(answer, "access-control-allow-methods", methods);
}

/// A public document (discovery, keys, instance discovery): readable from any page.
pub(crate) fn public_document(mut answer: Reply) -> Reply {
    allow_any_origin(&mut answer, DOCUMENT_METHODS);
    answer
}

/// A Graph answer to a request from a page: readable there, with Graph's exposed headers.
pub(crate) fn share_graph_answer(req: &Incoming, answer: &mut Reply) {
    if req.header(ORIGIN.as_str()).is_some() {
        set_header(answer, "access-control-allow-origin", "*");
        set_header(
            answer,
            "access-control-expose-headers",
            GRAPH_EXPOSED_HEADERS,
        );
    }
}

/// The answer to a preflight: the methods, and those of the asked-for headers the service
/// takes (a header left out makes the browser refuse the request, as it should).
pub(crate) fn preflight(req: &Incoming, methods: &'static str, takes: &[&str]) -> Reply {
    let mut answer = Response::new(Full::new(Bytes::new()));
    *answer.status_mut() = StatusCode::OK;
    allow_any_origin(&mut answer, methods);
    let allowed: Vec<String> = req
        .header(ACCESS_CONTROL_REQUEST_HEADERS.as_str())
        .unwrap_or_default()
        .split(',')
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| takes.contains(&name.as_str()))
        .collect();
    if !allowed.is_empty() {
        set_header(
            &mut answer,
            "access-control-allow-headers",
            &allowed.join(", "),
        );
    }
    answer
}

//! Building answers: JSON, HTML pages, redirects, and the headers each service always sends.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION, PRAGMA};
use hyper::{Response, StatusCode};
use serde::Serialize;

pub(crate) type Reply = Response<Full<Bytes>>;

fn with_body(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Reply {
    let mut answer = Response::new(Full::new(body.into()));
    *answer.status_mut() = status;
    answer
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    answer
}

/// JSON with a plain `application/json` type (Graph errors, app registration).
pub(crate) fn json(status: StatusCode, body: &impl Serialize) -> Reply {
    // Serialising our own values cannot fail; an empty object is the safe fallback.
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    with_body(status, "application/json; charset=utf-8", bytes)
}

/// JSON from the identity platform: never cached (RFC 6749 §5.1 asks this of token answers).
pub(crate) fn login_json(status: StatusCode, body: &impl Serialize) -> Reply {
    let mut answer = json(status, body);
    no_store(&mut answer);
    answer
}

/// A Graph entity or collection, with Graph's OData content type.
pub(crate) fn odata(status: StatusCode, body: &impl Serialize) -> Reply {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut answer = with_body(
        status,
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
        bytes,
    );
    set_header(&mut answer, "odata-version", "4.0");
    answer
}

pub(crate) fn html(status: StatusCode, page: String) -> Reply {
    let mut answer = with_body(status, "text/html; charset=utf-8", page);
    no_store(&mut answer);
    answer
}

/// `302 Found` to `location`. Entra answers authorize with 302, and clients expect exactly that.
pub(crate) fn redirect(location: &str) -> Reply {
    let mut answer = with_body(StatusCode::FOUND, "text/html; charset=utf-8", Bytes::new());
    set_header(&mut answer, LOCATION.as_str(), location);
    no_store(&mut answer);
    answer
}

/// `202 Accepted` with no body: what `sendMail` answers.
pub(crate) fn accepted() -> Reply {
    let mut answer = Response::new(Full::new(Bytes::new()));
    *answer.status_mut() = StatusCode::ACCEPTED;
    answer
}

fn no_store(answer: &mut Reply) {
    let headers = answer.headers_mut();
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
}

/// The error code an answer carries (`AADSTS54005`, `ErrorAccessDenied`), kept beside it
/// for the request log.
#[derive(Clone, Debug)]
pub(crate) struct ErrorCode(pub(crate) String);

pub(crate) fn tag_error(answer: &mut Reply, code: String) {
    answer.extensions_mut().insert(ErrorCode(code));
}

/// Sets a header whose value we built; a value that is not a valid header is left out rather
/// than allowed to fail the whole answer.
pub(crate) fn set_header(answer: &mut Reply, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        answer.headers_mut().insert(name, value);
    }
}

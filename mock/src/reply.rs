//! Building answers: JSON, HTML pages, redirects, and the headers each service always sends.

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION, PRAGMA};
use hyper::{Response, StatusCode};
use serde::Serialize;
use url::{Origin, Url};

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

const ODATA_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// A Graph entity or collection, with Graph's OData content type.
pub(crate) fn odata(status: StatusCode, body: &impl Serialize) -> Reply {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut answer = with_body(status, ODATA_JSON, bytes);
    set_header(&mut answer, "odata-version", "4.0");
    answer
}

/// A Graph collection already serialised.
pub(crate) fn odata_text(status: StatusCode, body: String) -> Reply {
    let mut answer = with_body(status, ODATA_JSON, body);
    set_header(&mut answer, "odata-version", "4.0");
    answer
}

/// The one line of script any page runs: `form_post` submits its form by itself.
pub(crate) const FORM_POST_SCRIPT: &str = r#"document.getElementById("answer").submit()"#;

/// A page whose forms post only to the mock itself.
pub(crate) fn html(status: StatusCode, page: String) -> Reply {
    html_posting_to(status, page, None)
}

/// A page, with the security policy every page of the mock sends: nothing loads from
/// elsewhere, the only script is `form_post`'s own line, no site may frame it (so no page can
/// trick a learner into clicking Accept), and forms go only to the mock and, when the page
/// ends a sign-in, to the app's reply URL: a form, or the redirect after it, can reach no
/// third place.
pub(crate) fn html_posting_to(status: StatusCode, page: String, reply_url: Option<&str>) -> Reply {
    let mut answer = with_body(status, "text/html; charset=utf-8", page);
    no_store(&mut answer);
    let script = digest::digest(&digest::SHA256, FORM_POST_SCRIPT.as_bytes());
    let reply_origin = reply_url.and_then(origin_of).unwrap_or_default();
    let policy = format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{}'; \
         form-action 'self'{reply_origin}; frame-ancestors 'none'; base-uri 'none'",
        STANDARD.encode(script.as_ref()),
    );
    set_header(&mut answer, "content-security-policy", &policy);
    set_header(&mut answer, "x-frame-options", "DENY");
    answer
}

/// ` https://app.example:8443` for a reply URL; ` myapp:` for a native app's own scheme.
fn origin_of(reply_url: &str) -> Option<String> {
    let url = Url::parse(reply_url).ok()?;
    match url.origin() {
        Origin::Tuple(..) => Some(format!(" {}", url.origin().ascii_serialization())),
        Origin::Opaque(_) => Some(format!(" {}:", url.scheme())),
    }
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

//! Reading what came back: a JWT's parts, Entra's and Graph's error bodies, raw exchanges.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use super::*;

/// The header and claims of a JWT, decoded but not verified.
pub fn decode_jwt(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut part = || {
        let bytes = URL_SAFE_NO_PAD
            .decode(parts.next().expect("a JWT part"))
            .expect("base64url");
        serde_json::from_slice::<Value>(&bytes).expect("JSON")
    };
    let header = part();
    let claims = part();
    (header, claims)
}

/// Checks an Entra error body: `error`, `error_description` starting with the code,
/// `error_codes`, `timestamp`, `trace_id`, `correlation_id`. Returns the body.
pub async fn assert_aadsts(response: Response, status: u16, error: &str, code: u32) -> Value {
    assert_eq!(response.status().as_u16(), status, "status of AADSTS{code}");
    let body: Value = response.json().await.expect("an Entra error body is JSON");
    assert_aadsts_body(&body, error, code);
    body
}

pub fn assert_aadsts_body(body: &Value, error: &str, code: u32) {
    assert_eq!(body["error"], error, "error of AADSTS{code}: {body}");
    let description = body["error_description"].as_str().expect("a description");
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "description starts with the code: {description}"
    );
    assert_eq!(body["error_codes"], json!([code]));
    let timestamp = body["timestamp"].as_str().expect("a timestamp");
    assert!(is_entra_timestamp(timestamp), "timestamp form: {timestamp}");
    assert!(is_guid(body["trace_id"].as_str().expect("a trace id")));
    assert!(body["correlation_id"].is_string());
}

/// `YYYY-MM-DD HH:MM:SSZ`: a space, no `T`, no fraction.
pub fn is_entra_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        })
}

pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks a Graph error body and returns it.
pub async fn assert_graph_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status of {code}");
    let body: Value = response.json().await.expect("a Graph error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string());
    assert!(body["error"]["innerError"]["request-id"].is_string());
    assert!(body["error"]["innerError"]["date"].is_string());
    body
}

/// The value of `name="field" value="…"` in an HTML page.
pub fn hidden_field(page: &str, field: &str) -> Option<String> {
    let marker = format!("name=\"{field}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')?;
    Some(page[start..start + end].to_owned())
}

/// Sends `request` as raw bytes and returns whatever came back before the server closed the
/// connection (or 5 seconds passed).
pub async fn raw_exchange(mock: &MockServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(mock.address())
        .await
        .expect("the mock accepts a connection");
    stream
        .write_all(request)
        .await
        .expect("the request is sent");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code of a raw HTTP/1.1 answer.
pub fn raw_status(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP status line: {answer:?}"))
}

/// Runs `futures` at once and returns their outputs in order: many requests in flight
/// together, borrowing what they like (no spawned tasks).
pub async fn join_all<F: std::future::Future>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output> {
    use std::task::Poll;
    let mut pending: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (future, output) in pending.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => done = false,
                }
            }
        }
        if done { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

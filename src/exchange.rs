//! An exchange: one request and its response, as they crossed the wire, with the time taken.
//!
//! Every request the tutorial sends goes through `http.rs`, which returns one of these; the
//! reply-URL listener builds one for the browser's visit. The printer (`show/`) and the tests
//! read the same record, so what is printed is what was sent.

use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

/// A request body, kept in the shape it was built from so it can be printed that way.
#[derive(Clone, Debug)]
pub enum Body {
    Empty,
    /// `application/x-www-form-urlencoded` pairs, in the order they were sent.
    Form(Vec<(String, String)>),
    /// `application/json`.
    Json(serde_json::Value),
    /// Text as a learner wrote it, whatever its headers say it is.
    Text(String),
}

/// The request as sent: method, full URL, headers in the order they went out, body.
#[derive(Clone, Debug)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

/// The response as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Received {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body read as JSON of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Clone, Debug)]
pub struct Exchange {
    pub request: SentRequest,
    pub response: Received,
    pub elapsed: Duration,
}

/// One line of an HTML page as a person reads it: tags dropped, and the few entities the
/// mock's pages write decoded.
pub fn html_line_text(line: &str) -> String {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
        .trim()
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::html_line_text;

    #[test]
    fn an_html_line_reads_as_its_text() {
        let line = "  <p class=\"error\">AADSTS50011: The redirect URI &#39;x&#39; &amp; &quot;y&quot;</p>";
        assert_eq!(
            html_line_text(line),
            "AADSTS50011: The redirect URI 'x' & \"y\""
        );
    }
}

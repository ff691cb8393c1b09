//! Printing an exchange: the request line and headers in the order they were sent, the body
//! (forms as aligned rows, JSON pretty-printed), then the status, the time taken, the response
//! headers and body. Secret values are masked by name unless `--show-secrets` was given.
//! Every line fits the screen: a header value or URL breaks at its seams (`;`, `,`, `&`), a
//! JSON string with spaces wraps, and one without (a key, a certificate) is shortened.

use colored::Colorize;
use unicode_width::UnicodeWidthStr;

use super::{Printer, View, fit, masked};
use crate::exchange::{Body, Exchange, Received, SentRequest};

/// Form fields and query parameters whose values are secrets.
const SECRET_NAMES: &[&str] = &[
    "client_secret",
    "code",
    "code_verifier",
    "access_token",
    "refresh_token",
    "id_token",
    "secretText",
    "client_assertion",
    "device_code",
];

/// JSON keys whose values are secrets: the same, but `code`. In a query or a form `code` is
/// the authorization code; in a JSON body it is an error code (Graph's
/// `{"error": {"code": "ErrorAccessDenied"}}`), which is what a lesson is about. No JSON body
/// of the flow carries an authorization code.
fn is_secret_json_key(name: &str) -> bool {
    name != "code" && is_secret(name)
}

/// HTML pages are shortened to this many lines; the page is not the lesson.
const HTML_LINES: usize = 12;

fn is_secret(name: &str) -> bool {
    SECRET_NAMES.contains(&name)
}

fn mask_if(value: &str, view: View) -> String {
    if view.show_secrets {
        value.to_owned()
    } else {
        masked(value, view.lang)
    }
}

/// The URL with the values of secret query parameters masked, the rest byte for byte.
pub(super) fn mask_url(url: &str, view: View) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if is_secret(name) && !view.show_secrets => {
                let decoded: String = form_decode(value);
                format!("{name}={}", masked(&decoded, view.lang))
            }
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

fn form_decode(value: &str) -> String {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={value}"))
        .ok()
        .and_then(|mut v| v.pop())
        .map(|(_, v)| v)
        .unwrap_or_else(|| value.to_owned())
}

fn mask_header(name: &str, value: &str, view: View) -> String {
    if view.show_secrets {
        return value.to_owned();
    }
    match name.to_ascii_lowercase().as_str() {
        "authorization" => match value.split_once(' ') {
            Some((scheme, credential)) => format!("{scheme} {}", masked(credential, view.lang)),
            None => masked(value, view.lang),
        },
        "location" => mask_url(value, view),
        _ => value.to_owned(),
    }
}

fn mask_json(value: &mut serde_json::Value, view: View) {
    if view.show_secrets {
        return;
    }
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    serde_json::Value::String(text) if is_secret_json_key(key) => {
                        *text = masked(text, view.lang);
                    }
                    _ => mask_json(item, view),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| mask_json(i, view)),
        _ => {}
    }
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

impl Printer<'_> {
    /// The request, before it is sent.
    pub fn request(&mut self, request: &SentRequest) -> std::io::Result<()> {
        let view = self.view;
        let url = mask_url(&request.url, view);
        writeln!(self.w())?;
        let width = self.view.width;
        let first = width.saturating_sub(request.method.width() + 5);
        let lines = self.fit_value(&url, first, width.saturating_sub(6));
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                let line = format!("{} {line}", request.method);
                writeln!(self.w(), "  {} {}", "→".bold(), line.bold())?;
            } else {
                writeln!(self.w(), "      {}", line.bold())?;
            }
        }
        self.headers(&request.headers)?;
        self.body(&request.body)
    }

    /// A request's body, its secrets masked.
    fn body(&mut self, body: &Body) -> std::io::Result<()> {
        let view = self.view;
        match body {
            Body::Empty => Ok(()),
            Body::Form(pairs) => {
                writeln!(self.w())?;
                let rows: Vec<(String, String)> = pairs
                    .iter()
                    .map(|(k, v)| {
                        let v = if is_secret(k) {
                            mask_if(v, view)
                        } else {
                            v.clone()
                        };
                        (k.clone(), v)
                    })
                    .collect();
                self.rows(&rows)
            }
            Body::Json(value) => {
                let mut value = value.clone();
                mask_json(&mut value, view);
                writeln!(self.w())?;
                self.indented(&pretty(&value))
            }
            // A learner's body: shown as JSON or as a form when it reads as one, so that its
            // secrets are masked as anywhere else; otherwise as it is.
            Body::Text(text) => {
                let body = match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(value) => Body::Json(value),
                    Err(_) if text.contains('=') && !text.contains(char::is_whitespace) => {
                        Body::Form(
                            url::form_urlencoded::parse(text.as_bytes())
                                .into_owned()
                                .collect(),
                        )
                    }
                    Err(_) => {
                        writeln!(self.w())?;
                        return self.indented(text);
                    }
                };
                self.body(&body)
            }
        }
    }

    /// The response, after it came back.
    pub fn response(&mut self, exchange: &Exchange) -> std::io::Result<()> {
        let millis = exchange.elapsed.as_millis();
        self.received(&exchange.response, &format!("{millis} ms"))
    }

    /// A request and its response, both printed after the fact.
    pub fn exchange(&mut self, exchange: &Exchange) -> std::io::Result<()> {
        self.request(&exchange.request)?;
        self.response(exchange)
    }

    /// A visit to the reply URL: the request as the listener saw it, and the page it sent.
    pub fn visit(&mut self, exchange: &Exchange) -> std::io::Result<()> {
        self.request(&exchange.request)?;
        self.received(&exchange.response, "the listener's answer")
    }

    fn received(&mut self, response: &Received, took: &str) -> std::io::Result<()> {
        let view = self.view;
        let status = format!("{} {}", response.status, response.reason);
        let status = match response.status {
            200..=299 => status.green().bold(),
            300..=399 => status.cyan().bold(),
            _ => status.red().bold(),
        };
        writeln!(self.w())?;
        writeln!(
            self.w(),
            "  {} {status}  {}",
            "←".bold(),
            format!("({took})").dimmed()
        )?;
        self.headers(&response.headers)?;
        if response.body.is_empty() {
            return writeln!(self.w(), "    {}", "(no body)".dimmed());
        }
        writeln!(self.w())?;
        match response.json::<serde_json::Value>() {
            Ok(mut value) => {
                mask_json(&mut value, view);
                self.indented(&pretty(&value))
            }
            Err(_) => {
                let text = response.text();
                let lines: Vec<&str> = text.lines().collect();
                let shown = lines.len().min(HTML_LINES);
                let room = self.view.width.saturating_sub(4);
                for line in &lines[..shown] {
                    for (i, part) in self
                        .fit_value(line, room, room.saturating_sub(2))
                        .iter()
                        .enumerate()
                    {
                        let indent = if i == 0 { "    " } else { "      " };
                        writeln!(self.w(), "{indent}{part}")?;
                    }
                }
                if lines.len() > shown {
                    let more = format!("… ({} more lines)", lines.len() - shown);
                    writeln!(self.w(), "    {}", more.dimmed())?;
                }
                Ok(())
            }
        }
    }

    /// Headers in the order they went, each value masked when secret and broken to fit.
    fn headers(&mut self, headers: &[(String, String)]) -> std::io::Result<()> {
        let view = self.view;
        let width = self.view.width;
        for (name, value) in headers {
            let value = mask_header(name, value, view);
            let first = width.saturating_sub(name.width() + 6);
            let lines = self.fit_value(&value, first, width.saturating_sub(8));
            for (i, line) in lines.iter().enumerate() {
                if i == 0 {
                    writeln!(self.w(), "    {}: {line}", name.dimmed())?;
                } else {
                    writeln!(self.w(), "        {line}")?;
                }
            }
        }
        Ok(())
    }

    /// Pretty JSON, indented four columns; each line made to fit (see [`json_line`]).
    fn indented(&mut self, text: &str) -> std::io::Result<()> {
        let room = self.view.width.saturating_sub(4);
        for line in text.lines() {
            for part in self.json_line(line, room) {
                writeln!(self.w(), "    {part}")?;
            }
        }
        Ok(())
    }

    /// One line of pretty JSON in at most `room` columns. A string value with spaces (a
    /// message, a description) wraps under its opening quote; one without (a key, a
    /// certificate, a token) is shortened, unless `--full`.
    fn json_line(&self, line: &str, room: usize) -> Vec<String> {
        if line.width() <= room {
            return vec![line.to_owned()];
        }
        // Where the string value starts: after `"key": ` or, in an array, at the first quote.
        let start = match line.find("\": \"") {
            Some(at) => at + 3,
            None if line.trim_start().starts_with('"') => line.len() - line.trim_start().len(),
            None => return vec![line.to_owned()],
        };
        let (head, value) = line.split_at(start);
        let lead = head.width() + 1;
        if value.trim_end_matches(',').trim_matches('"').contains(' ') {
            let indent = " ".repeat(lead);
            return fit::wrap(value, room, head, &indent)
                .lines()
                .map(str::to_owned)
                .collect();
        }
        let full = self.view.full || self.view.show_secrets;
        if full {
            return vec![line.to_owned()];
        }
        let tail = if value.ends_with(',') { "\"," } else { "\"" };
        let inner = value.trim_end_matches(',').trim_matches('"');
        let count = fit::thousands(inner.chars().count());
        let suffix = self.view.lang.ui_with("shortened", &[("n", &count)]);
        let short = fit::shorten(inner, room.saturating_sub(lead + tail.len()), &suffix);
        vec![format!("{head}\"{short}{tail}")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    /// Secrets masked, in English.
    const MASKED: View = View {
        show_secrets: false,
        full: false,
        width: 100,
        lang: Lang::En,
    };
    const SHOWN: View = View {
        show_secrets: true,
        ..MASKED
    };

    #[test]
    fn secret_query_values_are_masked_and_the_rest_is_left_byte_for_byte() {
        let url = "http://127.0.0.1:8000/cb/?code=0.AbCdEf&state=x%20y";
        assert_eq!(
            mask_url(url, MASKED),
            "http://127.0.0.1:8000/cb/?code=0.A… [masked, 8 chars]&state=x%20y"
        );
        assert_eq!(mask_url(url, SHOWN), url);
    }

    #[test]
    fn a_graph_error_code_is_not_masked_but_the_secrets_beside_it_are() {
        let mut value = serde_json::json!({
            "error": {"code": "ErrorAccessDenied", "message": "Access is denied."},
            "access_token": "eyJ0eXAi"
        });
        mask_json(&mut value, MASKED);
        assert_eq!(value["error"]["code"], "ErrorAccessDenied");
        assert_eq!(value["access_token"], "eyJ… [masked, 8 chars]");
        assert_eq!(
            mask_url("http://h/cb?code=abcdefgh&state=s", MASKED),
            "http://h/cb?code=abc… [masked, 8 chars]&state=s"
        );
    }

    #[test]
    fn nested_json_secrets_are_masked() {
        let mut value =
            serde_json::json!({"a": {"access_token": "eyJ0eXAi"}, "secretText": "Q~abc"});
        mask_json(&mut value, MASKED);
        assert_eq!(value["a"]["access_token"], "eyJ… [masked, 8 chars]");
        assert_eq!(value["secretText"], "Q~a… [masked, 5 chars]");
    }
}

//! What a pasted error says besides its code: the OAuth `error`, the AADSTS number, and the
//! IDs that let Microsoft find this one request again (Trace ID, Correlation ID, timestamp).
//!
//! The identity platform puts them in the JSON body (`trace_id`, `correlation_id`,
//! `timestamp`) and again at the end of `error_description` ("Trace ID: … Correlation ID: …
//! Timestamp: …"); its error page says "Request Id" for the trace. Graph puts `request-id`,
//! `client-request-id` and `date` in `innerError`.

use serde_json::Value;

/// The fields read from a paste, in the order they are shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pasted {
    pub error: Option<String>,
    pub suberror: Option<String>,
    pub aadsts: Option<u32>,
    pub graph_code: Option<String>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    pub timestamp: Option<String>,
}

impl Pasted {
    /// Whether the paste carries anything that finds the request in Microsoft's logs.
    pub fn has_ids(&self) -> bool {
        self.trace_id.is_some() || self.correlation_id.is_some() || self.timestamp.is_some()
    }

    /// Whether there is more here than a bare code (worth a "what you pasted" block).
    pub fn is_more_than_a_code(&self) -> bool {
        self.has_ids() || self.error.is_some() || self.suberror.is_some()
    }

    /// `(label, value)` for every field found.
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        [
            ("error", self.error.clone()),
            ("suberror", self.suberror.clone()),
            ("AADSTS", self.aadsts.map(|n| format!("AADSTS{n}"))),
            ("code", self.graph_code.clone()),
            ("Trace ID", self.trace_id.clone()),
            ("Correlation ID", self.correlation_id.clone()),
            ("Timestamp", self.timestamp.clone()),
        ]
        .into_iter()
        .filter_map(|(label, value)| value.map(|value| (label, value)))
        .collect()
    }
}

/// Reads every field it can from `text`: an identity-platform or Graph JSON body, a reply URL
/// with `error=…&error_description=…`, or the description text alone.
pub fn read(text: &str) -> Pasted {
    let text = text.trim();
    let mut pasted = Pasted::default();
    let string = |value: &Value| value.as_str().map(str::to_owned).filter(|s| !s.is_empty());
    let mut description = String::new();
    if let Ok(json) = serde_json::from_str::<Value>(text) {
        if let Some(code) = string(&json["error"]["code"]) {
            let inner = &json["error"]["innerError"];
            pasted.graph_code = Some(code);
            pasted.trace_id = string(&inner["request-id"]);
            pasted.correlation_id = string(&inner["client-request-id"]);
            pasted.timestamp = string(&inner["date"]);
            return pasted;
        }
        pasted.error = string(&json["error"]);
        pasted.suberror = string(&json["suberror"]);
        pasted.aadsts = json["error_codes"][0]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok());
        pasted.trace_id = string(&json["trace_id"]);
        pasted.correlation_id = string(&json["correlation_id"]);
        pasted.timestamp = string(&json["timestamp"]);
        description = string(&json["error_description"]).unwrap_or_default();
    } else if let Some(query) = query_of(text) {
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "error" => pasted.error = Some(value.into_owned()),
                "error_description" => description = value.into_owned(),
                "error_subcode" | "suberror" => pasted.suberror = Some(value.into_owned()),
                _ => {}
            }
        }
    } else {
        description = text.to_owned();
    }
    pasted.aadsts = pasted.aadsts.or_else(|| super::aadsts_in(&description));
    pasted.trace_id = pasted
        .trace_id
        .or_else(|| after(&description, &["Trace ID:", "Request Id:"]));
    pasted.correlation_id = pasted
        .correlation_id
        .or_else(|| after(&description, &["Correlation ID:", "Correlation Id:"]));
    pasted.timestamp = pasted.timestamp.or_else(|| timestamp_in(&description));
    pasted
}

/// The query of a URL (or of `?a=b&…` alone), when `text` is one.
fn query_of(text: &str) -> Option<String> {
    if let Ok(url) = url::Url::parse(text) {
        return url.query().map(str::to_owned);
    }
    text.strip_prefix('?').map(str::to_owned)
}

/// The word after the first of `labels` found in `text`.
fn after(text: &str, labels: &[&str]) -> Option<String> {
    labels.iter().find_map(|label| {
        let at = text.find(label)? + label.len();
        text[at..]
            .split_whitespace()
            .next()
            .map(|word| word.trim_end_matches([',', '.', ';']).to_owned())
    })
}

/// "Timestamp: 2026-11-25 22:10:00Z" → "2026-11-25 22:10:00Z" (a date and a time).
fn timestamp_in(text: &str) -> Option<String> {
    let at = text.find("Timestamp:")? + "Timestamp:".len();
    let words: Vec<&str> = text[at..].split_whitespace().take(2).collect();
    match words.as_slice() {
        [date, time] if time.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
            Some(format!("{date} {time}"))
        }
        [date, ..] => Some((*date).to_owned()),
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_platform_body_gives_every_field() {
        let body = r#"{"error":"invalid_grant","error_description":"AADSTS54005: OAuth2 Authorization code was already redeemed.\r\nTrace ID: t-1\r\nCorrelation ID: c-2\r\nTimestamp: 2026-11-25 22:10:00Z","error_codes":[54005],"timestamp":"2026-11-25 22:10:00Z","trace_id":"t-1","correlation_id":"c-2"}"#;
        let pasted = read(body);
        assert_eq!(pasted.error.as_deref(), Some("invalid_grant"));
        assert_eq!(pasted.aadsts, Some(54005));
        assert_eq!(pasted.trace_id.as_deref(), Some("t-1"));
        assert_eq!(pasted.correlation_id.as_deref(), Some("c-2"));
        assert_eq!(pasted.timestamp.as_deref(), Some("2026-11-25 22:10:00Z"));
    }

    #[test]
    fn the_ids_are_read_from_the_description_alone() {
        let pasted = read(
            "AADSTS70008: The code has expired. Trace ID: abc Correlation ID: def Timestamp: 2026-11-25 22:10:00Z",
        );
        assert_eq!(pasted.aadsts, Some(70008));
        assert_eq!(pasted.trace_id.as_deref(), Some("abc"));
        assert_eq!(pasted.correlation_id.as_deref(), Some("def"));
        assert_eq!(pasted.timestamp.as_deref(), Some("2026-11-25 22:10:00Z"));
    }

    #[test]
    fn a_reply_url_gives_the_error_and_the_code() {
        let pasted = read(
            "http://127.0.0.1:8000/cb?error=access_denied&error_description=AADSTS65004%3a+User+declined.+Trace+ID%3a+x1&state=s",
        );
        assert_eq!(pasted.error.as_deref(), Some("access_denied"));
        assert_eq!(pasted.aadsts, Some(65004));
        assert_eq!(pasted.trace_id.as_deref(), Some("x1"));
    }

    #[test]
    fn a_graph_body_gives_its_request_ids() {
        let pasted = read(
            r#"{"error":{"code":"ErrorAccessDenied","message":"Access is denied.","innerError":{"date":"2026-11-25T22:10:00","request-id":"r-1","client-request-id":"c-1"}}}"#,
        );
        assert_eq!(pasted.graph_code.as_deref(), Some("ErrorAccessDenied"));
        assert_eq!(pasted.trace_id.as_deref(), Some("r-1"));
        assert!(pasted.has_ids());
    }

    #[test]
    fn a_bare_code_is_no_more_than_a_code() {
        assert!(!read("AADSTS50011").is_more_than_a_code());
        assert!(!read("invalid_grant").is_more_than_a_code());
    }
}

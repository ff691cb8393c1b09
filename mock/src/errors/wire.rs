//! How a refusal goes out: the identity platform's JSON error body (with the trace IDs and
//! time Entra stamps on it) and Graph's, with their status and headers.

use hyper::StatusCode;
use serde_json::json;

use super::{Aadsts, GraphError};
use time::OffsetDateTime;

use crate::clock::{self, Clock};
use crate::ids::Ids;
use crate::reply::{self, Reply};
use crate::request::Incoming;

impl Aadsts {
    /// The whole `error_description`: the code, the text, then the IDs and time, separated by
    /// single spaces as Entra has written them since about 2024.
    pub(crate) fn description(&self, trace: &Trace) -> String {
        let entry = self.entry();
        format!(
            "AADSTS{}: {} Trace ID: {} Correlation ID: {} Timestamp: {}",
            entry.code, entry.message, trace.trace_id, trace.correlation_id, trace.timestamp
        )
    }

    /// The JSON error answer of the token and discovery endpoints, stamped with `trace`.
    pub(crate) fn reply(&self, trace: &Trace, req: &Incoming) -> Reply {
        self.reply_with_status(self.entry().status, trace, req)
    }

    pub(crate) fn reply_with_status(
        &self,
        status: StatusCode,
        trace: &Trace,
        req: &Incoming,
    ) -> Reply {
        let entry = self.entry();
        let mut body = json!({
            "error": entry.error,
            "error_description": self.description(trace),
            "error_codes": [entry.code],
            "timestamp": trace.timestamp,
            "trace_id": trace.trace_id,
            "correlation_id": trace.correlation_id,
            "error_uri": error_uri(&req.base_url(), entry.code),
        });
        if let (Some(suberror), Some(fields)) = (entry.suberror, body.as_object_mut()) {
            fields.insert("suberror".into(), suberror.into());
        }
        let mut answer = reply::login_json(status, &body);
        reply::tag_error(&mut answer, format!("AADSTS{}", entry.code));
        answer
    }
}

/// `{base}/error?code=54005`: Microsoft's error-lookup page for a code.
pub(crate) fn error_uri(base: &str, code: u32) -> String {
    format!("{base}/error?code={code}")
}

/// The IDs and time that Entra stamps on every error, so support can find the request.
pub(crate) struct Trace {
    pub(crate) trace_id: String,
    /// Echoes the client's `client-request-id` when it sent one (MSAL does).
    pub(crate) correlation_id: String,
    pub(crate) timestamp: String,
}

impl Trace {
    pub(crate) fn new(ids: &Ids, clock: &Clock, req: &Incoming) -> Trace {
        Trace {
            trace_id: ids.guid(),
            correlation_id: req
                .client_request_id()
                .map(str::to_owned)
                .unwrap_or_else(|| ids.guid()),
            timestamp: clock::entra_timestamp(clock.now()),
        }
    }
}

impl GraphError {
    /// Graph's JSON error answer, dated `now`.
    pub(crate) fn reply(&self, now: OffsetDateTime, req: &Incoming, request_id: &str) -> Reply {
        let (status, code, message) = self.entry();
        let client_request_id = req.client_request_id().unwrap_or(request_id);
        let body = json!({
            "error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": clock::graph_date(now),
                    "request-id": request_id,
                    "client-request-id": client_request_id,
                }
            }
        });
        let mut answer = reply::json(status, &body);
        reply::tag_error(&mut answer, code.to_owned());
        if status == StatusCode::UNAUTHORIZED {
            reply::set_header(
                &mut answer,
                "www-authenticate",
                &format!(
                    "Bearer realm=\"\", authorization_uri=\"{}/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
                    req.base_url()
                ),
            );
        }
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_starts_with_the_code_and_ends_with_the_timestamp() {
        let trace = Trace {
            trace_id: "t".into(),
            correlation_id: "c".into(),
            timestamp: "2026-11-25 22:10:00Z".into(),
        };

        let text = Aadsts::CodeRedeemed.description(&trace);

        assert!(text.starts_with("AADSTS54005: OAuth2 Authorization code was already redeemed"));
        assert!(text.ends_with("Trace ID: t Correlation ID: c Timestamp: 2026-11-25 22:10:00Z"));
    }
}

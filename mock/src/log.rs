//! The classroom view: one line per request on stderr, for the instructor's terminal.
//!
//! `12:03:41  Python Connect Sample d5349743  4 token  400  POST /common/oauth2/v2.0/token  AADSTS54005`
//!
//! Lines go through a bounded queue to a writer thread, so a slow terminal never slows an
//! answer: when the queue is full, lines are dropped and the next line written says how many.

use std::io::{BufWriter, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

/// Lines waiting for the terminal before new ones are dropped.
const QUEUE: usize = 10_000;

pub(crate) struct RequestLog {
    lines: SyncSender<String>,
    dropped: AtomicU64,
}

impl RequestLog {
    /// Starts the writer thread; `None` if the thread cannot be started (then nothing is logged).
    pub(crate) fn to_stderr() -> Option<RequestLog> {
        let (lines, receiver) = sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("request-log".into())
            .spawn(move || write_lines(&receiver))
            .ok()?;
        Some(RequestLog {
            lines,
            dropped: AtomicU64::new(0),
        })
    }

    pub(crate) fn line(&self, mut line: String) {
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            line.push_str(&format!(
                "  ({dropped} lines skipped: the terminal was slower)"
            ));
        }
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) =
            self.lines.try_send(line)
        {
            self.dropped.fetch_add(dropped + 1, Ordering::Relaxed);
        }
    }
}

fn write_lines(receiver: &Receiver<String>) {
    let mut out = BufWriter::new(std::io::stderr());
    while let Ok(first) = receiver.recv() {
        let _ = writeln!(out, "{first}");
        // Write whatever else is already waiting in one go.
        while let Ok(next) = receiver.try_recv() {
            let _ = writeln!(out, "{next}");
        }
        let _ = out.flush();
    }
}

/// Which step of the tutorial (the seed's five) a request belongs to.
pub(crate) fn step_of(method: &str, path: &str, grant_type: Option<&str>) -> &'static str {
    let path = path.to_ascii_lowercase();
    if path.starts_with("/v1.0/applications") {
        "1 register"
    } else if path.ends_with("/token") {
        match grant_type {
            Some("client_credentials") => "1 register",
            Some("refresh_token") => "4 refresh",
            _ => "4 token",
        }
    } else if path.ends_with("/authorize") || path.ends_with("/login") || path.ends_with("/consent")
    {
        "2 sign in"
    } else if path.contains("/.well-known/") || path.contains("/discovery/") {
        "discovery"
    } else if path.starts_with("/v1.0/") || path == "/oidc/userinfo" {
        if method == "POST" {
            "5 send mail"
        } else {
            "5 graph"
        }
    } else {
        "-"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_placed_in_their_step() {
        assert_eq!(step_of("POST", "/v1.0/applications", None), "1 register");
        assert_eq!(
            step_of("POST", "/x/oauth2/v2.0/token", Some("client_credentials")),
            "1 register"
        );
        assert_eq!(
            step_of("GET", "/common/oauth2/v2.0/authorize", None),
            "2 sign in"
        );
        assert_eq!(
            step_of("POST", "/common/oauth2/token", Some("authorization_code")),
            "4 token"
        );
        assert_eq!(step_of("POST", "/v1.0/me/sendMail", None), "5 send mail");
        assert_eq!(step_of("GET", "/v1.0/me", None), "5 graph");
    }
}

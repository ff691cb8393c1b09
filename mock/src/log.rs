//! The classroom view: one line per request on stderr, for the instructor's terminal.
//!
//! `12:03:41  Python Connect Sample d5349743  4 token  400  POST /common/oauth2/v2.0/token  AADSTS54005`
//!
//! Every field that came from the network (app names, client IDs, paths, codes) is escaped, so
//! no escape sequence clears the instructor's screen and no CR/LF writes a line of its own, and
//! cut to a length, so no field fills the screen. Lines go through a queue bounded in lines and
//! in bytes to a writer thread, so a slow terminal never slows an answer and never grows the
//! mock: when the queue is full, lines are dropped and the next line written says how many.

use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Lines waiting for the terminal before new ones are dropped.
const QUEUE: usize = 10_000;
/// Bytes waiting for the terminal before new lines are dropped.
const QUEUE_BYTES: usize = 4 * 1024 * 1024;
/// The longest a path may be on a line; longer ones end in `…`.
const PATH_CHARS: usize = 120;
/// The longest an app name or a client ID may be on a line.
const NAME_CHARS: usize = 34;

/// What the log (and the classroom page) keep of one request.
pub(crate) struct Seen {
    pub(crate) time: String,
    pub(crate) client_id: Option<String>,
    /// The registered app's name, when the client ID names one.
    pub(crate) app_name: Option<String>,
    pub(crate) step: &'static str,
    pub(crate) status: u16,
    pub(crate) method: String,
    pub(crate) path: String,
    /// The AADSTS or Graph error code, when the answer is a refusal.
    pub(crate) code: Option<String>,
}

impl Seen {
    /// The app as the instructor sees it: its name and its client ID's first block (learners
    /// often give their apps the same name), or the client ID alone, or `-`.
    pub(crate) fn app(&self) -> String {
        match (&self.app_name, &self.client_id) {
            (Some(name), Some(id)) => format!(
                "{} {}",
                printable(name, NAME_CHARS - 9),
                printable(id.get(..8).unwrap_or(id), 8)
            ),
            (None, Some(id)) => printable(id, NAME_CHARS),
            _ => "-".to_owned(),
        }
    }

    /// The line the instructor reads.
    pub(crate) fn line(&self) -> String {
        let code = self
            .code
            .as_deref()
            .map(|code| format!("  {}", printable(code, NAME_CHARS)))
            .unwrap_or_default();
        format!(
            "{}  {:<34} {:<12} {}  {} {}{code}",
            printable(&self.time, 8),
            self.app(),
            self.step,
            self.status,
            printable(&self.method, 10),
            printable(&self.path, PATH_CHARS),
        )
    }
}

/// `text` safe to print on a terminal: control characters (C0, DEL, C1, which carry ANSI
/// escapes and line breaks) shown as `\x1b`, `\r`, `\n` or `\u{…}`, and at most `chars`
/// characters, the rest replaced by `…`.
pub(crate) fn printable(text: &str, chars: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == chars {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            // C1 controls (a lone 0x9b is CSI on some terminals) and the bidirectional
            // overrides that reorder what is shown.
            c if (0x80..0xa0).contains(&(c as u32))
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c) =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

pub(crate) struct RequestLog {
    lines: SyncSender<String>,
    queued_bytes: Arc<AtomicUsize>,
    dropped: AtomicU64,
}

impl RequestLog {
    /// Starts the writer thread; `None` if the thread cannot be started (then nothing is logged).
    pub(crate) fn to_stderr() -> Option<RequestLog> {
        RequestLog::to_writer(std::io::stderr())
    }

    /// Lines go to `out`, on a thread of their own.
    pub(crate) fn to_writer(out: impl Write + Send + 'static) -> Option<RequestLog> {
        let (lines, receiver) = sync_channel(QUEUE);
        let queued_bytes = Arc::new(AtomicUsize::new(0));
        let written = Arc::clone(&queued_bytes);
        std::thread::Builder::new()
            .name("request-log".into())
            .spawn(move || write_lines(&receiver, out, &written))
            .ok()?;
        Some(RequestLog {
            lines,
            queued_bytes,
            dropped: AtomicU64::new(0),
        })
    }

    /// Bytes waiting for the terminal.
    #[cfg(test)]
    pub(crate) fn queued_bytes(&self) -> usize {
        self.queued_bytes.load(Ordering::Relaxed)
    }

    pub(crate) fn line(&self, mut line: String) {
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            line.push_str(&format!(
                "  ({dropped} lines skipped: the terminal was slower)"
            ));
        }
        let size = line.len();
        let before = self.queued_bytes.fetch_add(size, Ordering::Relaxed);
        let sent = before + size <= QUEUE_BYTES && self.lines.try_send(line).is_ok();
        if !sent {
            self.queued_bytes.fetch_sub(size, Ordering::Relaxed);
            self.dropped.fetch_add(dropped + 1, Ordering::Relaxed);
        }
    }
}

fn write_lines(receiver: &Receiver<String>, out: impl Write, queued_bytes: &AtomicUsize) {
    let mut out = BufWriter::new(out);
    while let Ok(first) = receiver.recv() {
        let mut write = |line: String| {
            let _ = writeln!(out, "{line}");
            queued_bytes.fetch_sub(line.len(), Ordering::Relaxed);
        };
        write(first);
        // Write whatever else is already waiting in one go.
        while let Ok(next) = receiver.try_recv() {
            write(next);
        }
        let _ = out.flush();
    }
}

/// Which step of the tutorial (the 2016 article's five) a request belongs to.
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

    fn hostile() -> Seen {
        Seen {
            time: "12:03:41".into(),
            client_id: Some("34a56678-\x1b[2J\r\n12:00:00  fake".into()),
            app_name: Some("app\x1b[2J\r\n12:00:00  admin 200 OK\u{9b}31m\u{202e}".into()),
            step: "1 register",
            status: 200,
            method: "GET".into(),
            path: format!("/v1.0/\x1b]0;title\x07{}", "a".repeat(60 * 1024)),
            code: Some("AADSTS\r\n".into()),
        }
    }

    #[test]
    fn nothing_from_the_network_reaches_the_terminal_as_a_control_character() {
        let line = hostile().line();

        assert!(
            !line
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{line:?}"
        );
        assert!(line.contains("app\\x1b[2J\\r\\n12:00"), "{line:?}");
        assert!(line.contains("\\x1b]0;title\\x07"), "{line:?}");
        assert!(
            line.len() < 400,
            "a 60 KB path is cut: {} bytes",
            line.len()
        );
        assert!(line.contains('…'));
    }

    #[test]
    fn a_client_id_that_names_no_app_is_escaped_and_cut_too() {
        let mut seen = hostile();
        seen.app_name = None;
        let app = seen.app();
        assert!(!app.chars().any(char::is_control), "{app:?}");
        assert!(app.chars().count() <= NAME_CHARS + 1);
    }

    /// A terminal that does not read: its writes block until the test ends.
    struct Stuck(std::sync::mpsc::Receiver<()>);

    impl Write for Stuck {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            let _ = self.0.recv();
            Err(std::io::Error::other("closed"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stuck_terminal_holds_a_bounded_number_of_bytes() {
        let (release, stuck) = std::sync::mpsc::channel();
        let log = RequestLog::to_writer(Stuck(stuck)).expect("a writer thread");
        let long = "x".repeat(60 * 1024);

        for _ in 0..2_000 {
            log.line(long.clone());
        }

        assert!(
            log.queued_bytes() <= QUEUE_BYTES,
            "{} bytes queued",
            log.queued_bytes()
        );
        assert!(log.queued_bytes() >= QUEUE_BYTES - 2 * long.len());
        drop(release);
    }
}

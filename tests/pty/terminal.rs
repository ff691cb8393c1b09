//! The tutorial on a pseudo-terminal, and what a learner sees on it.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

/// The tutorial on a terminal of its own.
pub(crate) struct Terminal {
    child: Child,
    keys: ChildStdin,
    output: mpsc::Receiver<Vec<u8>>,
    /// Everything received so far, as it came.
    raw: String,
    /// `raw` with escape codes and carriage returns removed: made from the whole of `raw` each
    /// time, since an escape code can be split between two reads.
    pub(crate) screen: String,
    /// The start of a UTF-8 character whose end has not come yet.
    pending: Vec<u8>,
    _state: tempfile::TempDir,
}

impl Terminal {
    pub(crate) fn start(args: &str) -> Terminal {
        Terminal::start_in(args, "")
    }

    /// The tutorial started by `prefix` (`PATH=…`, say) on a terminal of its own.
    pub(crate) fn start_in(args: &str, prefix: &str) -> Terminal {
        let state = tempfile::tempdir().expect("a temp dir");
        let command = format!(
            "stty cols 80 rows 50; {prefix} exec {} {args}",
            env!("CARGO_BIN_EXE_tutorial")
        );
        let mut child = Command::new("script")
            .args([
                "--quiet",
                "--flush",
                "--return",
                "--command",
                &command,
                "/dev/null",
            ])
            .env("TUTORIAL_STATE_DIR", state.path())
            .env_remove("COLUMNS")
            .env_remove("NO_COLOR")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .env_remove("TUTORIAL_CLIENT_ID")
            .env_remove("TUTORIAL_CLIENT_SECRET")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("util-linux `script` runs (apt-get install bsdutils)");
        let keys = child.stdin.take().expect("stdin is piped");
        let mut out = child.stdout.take().expect("stdout is piped");
        let (send, output) = mpsc::channel();
        thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = out.read(&mut buffer) {
                if n == 0 || send.send(buffer[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Terminal {
            child,
            keys,
            output,
            raw: String::new(),
            screen: String::new(),
            pending: Vec::new(),
            _state: state,
        }
    }

    /// Where this terminal's tutorial keeps its progress, kept for the caller after the end.
    pub(crate) fn keep_state(&mut self) -> tempfile::TempDir {
        std::mem::replace(&mut self._state, tempfile::tempdir().expect("a temp dir"))
    }

    /// Waits until the screen shows `text` after position `from`; returns where it starts.
    pub(crate) fn wait_for(&mut self, text: &str, from: usize) -> usize {
        self.wait_for_any(&[text], from).0
    }

    /// Waits until the screen shows one of `texts` after `from`: where, and which.
    pub(crate) fn wait_for_any(&mut self, texts: &[&str], from: usize) -> (usize, usize) {
        let text = texts.join("` or `");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let found = texts.iter().enumerate().find_map(|(which, text)| {
                let at = self.screen.get(from..).and_then(|s| s.find(text))?;
                Some((from + at, which))
            });
            if let Some(found) = found {
                return found;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(bytes) => {
                    self.pending.extend(bytes);
                    // Keep a partial UTF-8 character for the next read.
                    let valid = match std::str::from_utf8(&self.pending) {
                        Ok(_) => self.pending.len(),
                        Err(error) if error.error_len().is_some() => self.pending.len(),
                        Err(error) => error.valid_up_to(),
                    };
                    let text = String::from_utf8_lossy(&self.pending[..valid]).into_owned();
                    self.pending.drain(..valid);
                    self.raw.push_str(&text);
                    self.screen = plain(&self.raw);
                }
                Err(_) => panic!(
                    "`{text}` never came ({:?}); the screen:\n{}",
                    self.child.try_wait(),
                    self.screen
                ),
            }
        }
    }

    /// Types `keys` as a person would, Enter included when they end with `\n`.
    pub(crate) fn types(&mut self, keys: &str) {
        self.keys
            .write_all(keys.as_bytes())
            .expect("the terminal takes keys");
        self.keys.flush().expect("the keys go through");
    }

    /// Waits for the end and returns the exit code the tutorial gave.
    pub(crate) fn exit_code(mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited on") {
                while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(200)) {
                    self.raw.push_str(&String::from_utf8_lossy(&bytes));
                }
                self.screen = plain(&self.raw);
                assert_fits(&self.screen);
                return status.code().unwrap_or(-1);
            }
            assert!(
                Instant::now() < deadline,
                "the tutorial did not end; the screen:\n{}",
                self.screen
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The screen's text without escape codes, each line as a terminal leaves it: a carriage
/// return goes back to the start of the line, so a spinner's frames overwrite each other.
fn plain(text: &str) -> String {
    let text = regex::Regex::new("\u{1b}\\[[0-9;?]*[A-Za-z]")
        .expect("a valid pattern")
        .replace_all(text, "");
    text.split('\n')
        .map(|line| {
            let line = line.trim_end_matches('\r');
            line.rsplit('\r').next().unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every line fits 80 columns, but a URL the learner must copy into a browser (step 3's,
/// alone on its line): broken over lines, it would no longer open.
fn assert_fits(screen: &str) {
    let to_copy = |line: &str| line.starts_with("http") && !line.contains(' ');
    let wide: Vec<&str> = screen
        .lines()
        .filter(|line| line.width() > 80 && !to_copy(line))
        .collect();
    assert!(
        wide.is_empty(),
        "lines wider than the terminal:\n{}",
        wide.join("\n")
    );
}

/// Enter at every pause and at every "Send it?" until `marker` shows; returns where it is.
pub(crate) fn enter_until(terminal: &mut Terminal, marker: &str) -> usize {
    let mut from = 0;
    loop {
        let (at, which) = terminal.wait_for_any(&["[Enter: go on", marker], from);
        if which == 1 {
            return at;
        }
        terminal.types("\n");
        from = at + 1;
    }
}

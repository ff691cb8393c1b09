//! A learner at a terminal, seen from outside: the real `tutorial` binary as a child process,
//! stdin closed (so every prompt answers itself), no colour, progress in its own temp dir. Its
//! stdout is read line by line while it runs, so a test can pick the authorize URL out of
//! step 2 and play the browser while step 3 waits. The instructor's `tutorial mock` runs the
//! same way, and is stopped with [`Learner::stop`].

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::Run;

/// A running `tutorial`.
pub struct Learner {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    stdout: Option<thread::JoinHandle<()>>,
    stderr: Option<thread::JoinHandle<String>>,
    _state: tempfile::TempDir,
}

impl Learner {
    /// Starts `tutorial args…`.
    pub fn start(args: &[&str]) -> Learner {
        Learner::start_with_env(args, &[])
    }

    /// Starts `tutorial args…` with these environment variables set.
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Learner {
        let state = tempfile::tempdir().expect("a temp dir for the progress file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_tutorial"))
            .args(args)
            .envs(env.iter().copied())
            .env("TUTORIAL_STATE_DIR", state.path())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("TUTORIAL_CLIENT_ID")
            .env_remove("TUTORIAL_CLIENT_SECRET")
            .env_remove("TUTORIAL_TENANT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the tutorial binary starts");
        let out = child.stdout.take().expect("stdout is piped");
        let mut err = child.stderr.take().expect("stderr is piped");
        let (send, lines) = mpsc::channel();
        let stdout = thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        Learner {
            child,
            lines,
            seen: Vec::new(),
            stdout: Some(stdout),
            stderr: Some(stderr),
            _state: state,
        }
    }

    /// Reads stdout until a line contains `needle`, and returns that line. Panics with the
    /// transcript so far when it does not come within `within`.
    pub fn wait_for_line(&mut self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with `{needle}` within {within:?}; the transcript so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// The authorize URL step 2 prints, whole (it holds no secret, so it is never masked).
    pub fn authorize_url(&mut self) -> String {
        let line = self.wait_for_line("/oauth2/v2.0/authorize?", Duration::from_secs(30));
        line.trim().to_owned()
    }

    /// Stops a process that runs until told to (`tutorial mock`) and returns what it printed.
    pub fn stop(mut self) -> Run {
        let _ = self.child.kill();
        self.finish(Duration::from_secs(10))
    }

    /// Waits for the tutorial to end (killing it after `within`) and returns what it printed.
    pub fn finish(mut self, within: Duration) -> Run {
        let deadline = Instant::now() + within;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited on") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "the tutorial did not end within {within:?}; the transcript so far:\n{}",
                    self.seen.join("\n")
                );
            }
            thread::sleep(Duration::from_millis(20));
        };
        if let Some(reader) = self.stdout.take() {
            let _ = reader.join();
        }
        self.seen.extend(self.lines.try_iter());
        let stderr = self
            .stderr
            .take()
            .map(|reader| reader.join().unwrap_or_default())
            .unwrap_or_default();
        Run {
            status: status.code().unwrap_or(-1),
            stdout: self.seen.join("\n") + "\n",
            stderr,
        }
    }
}

impl Drop for Learner {
    /// A test that fails half-way leaves no tutorial behind.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

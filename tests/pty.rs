//! A learner at a real terminal, 80 columns wide: the tutorial runs in a pseudo-terminal
//! (util-linux `script`), so it pauses as it would for a person, reads the width from the
//! terminal itself (no `COLUMNS`), and hears the keys a person would type.
//!
//! Checked: the welcome stays on screen until Enter; each step ends with a pause before the
//! next; the browser is not opened without asking; an answer that is neither Enter nor `n` is
//! asked again from a fresh line ("maybe" then "n" is `n`, never "mayben"); `n` ends the run
//! with exit code 0 and the command that picks up; a failure lesson pauses after the refusal;
//! Enter at the browser question hands the desktop's launcher the whole URL and says which.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

/// The tutorial on a terminal of its own.
struct Terminal {
    child: Child,
    keys: ChildStdin,
    output: mpsc::Receiver<Vec<u8>>,
    /// Everything received so far, as it came.
    raw: String,
    /// `raw` with escape codes and carriage returns removed: made from the whole of `raw` each
    /// time, since an escape code can be split between two reads.
    screen: String,
    /// The start of a UTF-8 character whose end has not come yet.
    pending: Vec<u8>,
    _state: tempfile::TempDir,
}

impl Terminal {
    fn start(args: &str) -> Terminal {
        Terminal::start_in(args, "")
    }

    /// The tutorial started by `prefix` (`PATH=…`, say) on a terminal of its own.
    fn start_in(args: &str, prefix: &str) -> Terminal {
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
    fn keep_state(&mut self) -> tempfile::TempDir {
        std::mem::replace(&mut self._state, tempfile::tempdir().expect("a temp dir"))
    }

    /// Waits until the screen shows `text` after position `from`; returns where it starts.
    fn wait_for(&mut self, text: &str, from: usize) -> usize {
        self.wait_for_any(&[text], from).0
    }

    /// Waits until the screen shows one of `texts` after `from`: where, and which.
    fn wait_for_any(&mut self, texts: &[&str], from: usize) -> (usize, usize) {
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
    fn types(&mut self, keys: &str) {
        self.keys
            .write_all(keys.as_bytes())
            .expect("the terminal takes keys");
        self.keys.flush().expect("the keys go through");
    }

    /// Waits for the end and returns the exit code the tutorial gave.
    fn exit_code(mut self) -> i32 {
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

#[test]
fn the_tutorial_pauses_after_the_welcome_and_each_step_asks_before_the_browser_and_n_ends_well() {
    let mut terminal = Terminal::start("--deterministic --port 0");

    // The welcome stays until Enter: nothing of step 1 before it.
    let pause = terminal.wait_for("On to step 1? [Enter: go on · n: stop here]", 0);
    assert!(terminal.screen[..pause].contains("Signing in with OAuth 2.0"));
    thread::sleep(Duration::from_millis(300));
    assert!(
        !terminal.screen.contains("Step 1 of 5"),
        "step 1 did not wait"
    );
    terminal.types("\n");

    // Step 1 pauses before each of its three requests, then at its end.
    let mut from = pause;
    for _ in 0..3 {
        from = terminal.wait_for("Send it? [Enter: go on", from) + 1;
        terminal.types("\n");
    }
    let end_of_step_1 = terminal.wait_for("On to step 2?", from);
    assert!(terminal.screen[from..end_of_step_1].contains("What to notice"));
    thread::sleep(Duration::from_millis(300));
    assert!(
        !terminal.screen.contains("Step 2 of 5"),
        "step 2 did not wait"
    );
    terminal.types("\n");

    // Step 2 asks before it opens a browser; "maybe" is asked again, then n means no.
    let ask = terminal.wait_for("Open the sign-in page in your browser?", end_of_step_1);
    terminal.types("maybe\n");
    let again = terminal.wait_for("Please answer with Enter, or n to stop.", ask);
    terminal.types("n\n");
    let not_opened = terminal.wait_for("Step 3 prints the URL to open in a browser", again);
    assert!(!terminal.screen.contains("mayben"));
    assert!(!terminal.screen.contains("asked the desktop to open"));

    // The end of step 2 pauses too; n stops there, well, with the way back.
    terminal.wait_for("On to step 3?", not_opened);
    terminal.types("n\n");
    terminal.wait_for("To pick up here: tutorial --step 3", not_opened);
    let screen = terminal.screen.clone();
    assert_eq!(terminal.exit_code(), 0, "{screen}");
    assert!(!screen.contains("error:"), "{screen}");
}

#[test]
fn against_the_mock_p_lets_the_tutorial_play_the_browser_through_the_sign_in_pages() {
    let mut terminal = Terminal::start("--deterministic --port 0 --no-browser");

    // Enter at every pause until step 3 waits for the browser; then p.
    let mut from = 0;
    let waiting = loop {
        let prompt = terminal.wait_for("[Enter: go on", from);
        terminal.types("\n");
        from = prompt + 1;
        if terminal.screen[..prompt].contains("On to step 3?") {
            break terminal.wait_for("Or type p and Enter", from);
        }
    };
    terminal.types("p\n");
    // The mock shows its pages: the tutorial clicks through them, pausing before each post,
    // then steps 4 and 5 pause as usual.
    from = waiting;
    loop {
        let (at, which) = terminal.wait_for_any(&["[Enter: go on", "All five steps done"], from);
        if which == 1 {
            break;
        }
        terminal.types("\n");
        from = at + 1;
    }
    let clicks = terminal.screen.matches("clicks its main button").count();
    assert!(
        clicks >= 2,
        "the sign-in and consent pages: {clicks} clicks"
    );
    assert!(terminal.screen.contains("is the one step 2 sent"));
    assert_eq!(terminal.exit_code(), 0);
}

#[test]
fn a_failure_lesson_pauses_after_the_refusal_before_it_explains() {
    let mut terminal = Terminal::start("--deterministic break no-mail-send");

    // Enter skips the prediction asked before the request is sent.
    let asked = terminal.wait_for("Your answer?", 0);
    terminal.types("\n");
    let refused = terminal.wait_for("✘ ErrorAccessDenied (403)", asked);
    assert!(!terminal.screen.contains("You predicted it"));
    assert!(!terminal.screen.contains("You picked"));
    let pause = terminal.wait_for("The refusal is above.", refused);
    assert!(terminal.screen[..pause].contains("\"code\": \"ErrorAccessDenied\""));
    thread::sleep(Duration::from_millis(300));
    assert!(
        !terminal.screen.contains("What went wrong"),
        "it did not wait"
    );
    terminal.types("\n");

    terminal.wait_for("What went wrong", pause);
    terminal.wait_for("Explain it: tutorial explain ErrorAccessDenied", pause);
    assert_eq!(terminal.exit_code(), 0);
}

#[test]
fn enter_at_the_browser_question_hands_the_launcher_the_whole_url_and_says_which() {
    // A stand-in `xdg-open` first on the PATH records how many arguments it got, and each.
    let launcher = tempfile::tempdir().expect("a temp dir");
    let record = launcher.path().join("arguments");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > '{}'\n",
        record.display()
    );
    let xdg_open = launcher.path().join("xdg-open");
    std::fs::write(&xdg_open, script).expect("the stand-in is written");
    std::fs::set_permissions(
        &xdg_open,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("the stand-in runs");
    let path = format!("PATH='{}':\"$PATH\"", launcher.path().display());
    let mut terminal = Terminal::start_in("--deterministic --port 0", &path);

    let mut from = 0;
    let ask = loop {
        let prompt = terminal.wait_for("[Enter: go on", from);
        terminal.types("\n");
        from = prompt + 1;
        if terminal.screen[..prompt].contains("Open the sign-in page in your browser?") {
            break prompt;
        }
    };
    terminal.wait_for("asked the desktop to open the sign-in page (xdg-open)", ask);
    let deadline = Instant::now() + Duration::from_secs(10);
    let recorded = loop {
        match std::fs::read_to_string(&record) {
            Ok(text) if text.ends_with('\n') => break text,
            _ if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
            _ => panic!("the launcher was not run; the screen:\n{}", terminal.screen),
        }
    };
    let lines: Vec<&str> = recorded.lines().collect();
    assert_eq!(lines.len(), 2, "{recorded}");
    assert_eq!(lines[0], "1", "one argument: {recorded}");
    assert!(lines[1].contains("/oauth2/v2.0/authorize?"), "{recorded}");
    for parameter in ["&redirect_uri=", "&state=", "&code_challenge_method=S256"] {
        assert!(lines[1].contains(parameter), "{parameter}: {recorded}");
    }

    terminal.wait_for("On to step 3?", ask);
    terminal.types("n\n");
    assert_eq!(terminal.exit_code(), 0);
}

/// Enter at every pause and at every "Send it?" until `marker` shows; returns where it is.
fn enter_until(terminal: &mut Terminal, marker: &str) -> usize {
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

#[test]
fn the_device_flow_waits_for_the_person_and_p_lets_the_tutorial_sign_in() {
    let mut terminal = Terminal::start("--deterministic --flow device");

    // Step 3 shows the code, and asks whether the person has signed in.
    let asked = enter_until(&mut terminal, "[Enter: done · p: the tutorial does it");
    assert!(terminal.screen[..asked].contains("\"error\": \"authorization_pending\""));
    assert!(terminal.screen[..asked].contains("open this page and type the code"));
    terminal.types("p\n");

    // The person's part is played through the mock's pages; then steps 4 and 5 as usual.
    let mut from = asked + 1;
    loop {
        let (at, which) = terminal.wait_for_any(&["[Enter: go on", "All five steps done"], from);
        if which == 1 {
            break;
        }
        terminal.types("\n");
        from = at + 1;
    }
    assert!(terminal.screen.contains("the tutorial types"));
    assert!(terminal.screen.contains("the device code is approved"));
    assert!(terminal.screen.contains("Step 4 of 5: poll for the tokens"));
    assert_eq!(terminal.exit_code(), 0);
}

#[test]
fn the_device_flow_polls_while_nobody_signs_in_then_gives_up_with_what_to_do() {
    let mut terminal = Terminal::start("--flow device --timeout 2");

    // Enter at step 3 without signing in anywhere: step 4 polls and waits.
    let asked = enter_until(&mut terminal, "[Enter: done · p: the tutorial does it");
    terminal.types("\n");
    let polling = enter_until(&mut terminal, "asking again in");
    let gave_up = terminal.wait_for("no sign-in finished with the user code within 2 s", polling);
    terminal.wait_for("try: tutorial --flow device --step 2", gave_up);
    assert!(asked < polling);
    assert_ne!(terminal.exit_code(), 0);
}

/// The number the screen gives the answer `answer` in a lesson's list of predictions.
fn number_of(screen: &str, answer: &str) -> String {
    screen
        .lines()
        .map(str::trim)
        .find_map(|line| {
            let (number, text) = line.split_once(". ")?;
            (text == answer && number.chars().all(|c| c.is_ascii_digit()))
                .then(|| number.to_owned())
        })
        .unwrap_or_else(|| panic!("`{answer}` is not among the choices:\n{screen}"))
}

#[test]
fn a_failure_lesson_asks_for_a_prediction_before_sending_and_says_it_was_right() {
    let mut terminal = Terminal::start("--deterministic break wrong-secret");

    let intro = terminal.wait_for("Before it is sent, predict what comes back:", 0);
    let asked = terminal.wait_for("Your answer? [1 to 4 · Enter: skip · n: stop here]", intro);
    let choices = terminal.screen[intro..asked].to_owned();
    assert!(
        terminal.screen[..intro].contains("→ POST"),
        "the request is shown first"
    );
    thread::sleep(Duration::from_millis(300));
    assert!(
        !terminal.screen.contains("← 401"),
        "nothing is sent before the guess"
    );
    let right = number_of(&choices, "401 · AADSTS7000215 (invalid_client)");
    assert_eq!(
        choices.lines().filter(|l| l.trim().contains(". ")).count(),
        4
    );

    terminal.types("7\n");
    let again = terminal.wait_for("Please type a number from 1 to 4.", asked);
    terminal.types(&format!("{right}\n"));
    let refused = terminal.wait_for("✘ AADSTS7000215 (401)", again);
    terminal.wait_for(
        "You predicted it: 401 · AADSTS7000215 (invalid_client)",
        refused,
    );
    terminal.wait_for("The refusal is above.", refused);
    terminal.types("\n");
    terminal.wait_for("▸ Put it right", refused);
    let dir = terminal.keep_state();
    assert_eq!(terminal.exit_code(), 0);

    let progress = std::process::Command::new(env!("CARGO_BIN_EXE_tutorial"))
        .args(["--lang", "en", "progress"])
        .env("TUTORIAL_STATE_DIR", dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("progress runs");
    let progress = String::from_utf8_lossy(&progress.stdout);
    assert!(
        progress.contains("Refusals predicted before they came: 1 right of 1"),
        "{progress}"
    );
}

#[test]
fn a_wrong_prediction_is_told_with_what_came_back_and_n_stops_before_sending() {
    let mut terminal = Terminal::start("--deterministic break code-for-another-tenant");

    let intro = terminal.wait_for("Before it is sent, predict what comes back:", 0);
    let asked = terminal.wait_for("Your answer?", intro);
    let choices = terminal.screen[intro..asked].to_owned();
    let wrong = choices
        .lines()
        .map(str::trim)
        .find_map(|line| {
            let (number, text) = line.split_once(". ")?;
            (number.len() == 1 && !text.contains("AADSTS700005")).then(|| number.to_owned())
        })
        .expect("a wrong answer among the choices");
    terminal.types(&format!("{wrong}\n"));
    let told = terminal.wait_for("You picked ", asked);
    let pause = terminal.wait_for("The refusal is above.", told);
    let verdict = terminal.screen[told..pause]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        verdict.contains("what came back is 400 · AADSTS700005 (invalid_grant)."),
        "{verdict}"
    );
    terminal.types("\n");
    terminal.wait_for("▸ Put it right", told);
    assert_eq!(terminal.exit_code(), 0);

    let mut stopped = Terminal::start("--deterministic break wrong-secret");
    let asked = stopped.wait_for("Your answer?", 0);
    stopped.types("n\n");
    stopped.wait_for("To pick up here: tutorial break wrong-secret", asked);
    let screen = stopped.screen.clone();
    assert_eq!(stopped.exit_code(), 0);
    assert!(
        !screen.contains("← 401"),
        "n stops before the request is sent"
    );
}

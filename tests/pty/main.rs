//! A learner at a real terminal, 80 columns wide: the tutorial runs in a pseudo-terminal
//! (util-linux `script`), so it pauses as it would for a person, reads the width from the
//! terminal itself (no `COLUMNS`), and hears the keys a person would type.
//!
//! Checked: the welcome stays on screen until Enter; each step ends with a pause before the
//! next; the browser is not opened without asking; an answer that is neither Enter nor `n` is
//! asked again from a fresh line ("maybe" then "n" is `n`, never "mayben"); `n` ends the run
//! with exit code 0 and the command that picks up; a failure lesson pauses after the refusal;
//! Enter at the browser question hands the desktop's launcher the whole URL and says which.

//!
//! `terminal.rs` is the terminal; `device.rs` the device code flow at a terminal;
//! `predict.rs` a failure lesson's prediction.

mod device;
mod predict;
mod terminal;

use std::thread;
use std::time::{Duration, Instant};

use terminal::Terminal;

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

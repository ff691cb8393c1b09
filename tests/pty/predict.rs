//! A failure lesson asks what will come back before it sends the wrong request.

use std::thread;
use std::time::Duration;

use crate::terminal::Terminal;

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

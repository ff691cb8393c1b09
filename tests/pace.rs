//! A presenter's run: `--yes --pace SECONDS` waits before each request, so a room can follow,
//! and prints the same plain transcript; quiet replays are not paced.

mod support;

use std::time::{Duration, Instant};

use support::{Run, tutorial};

fn timed(args: &[&str]) -> (Run, Duration) {
    let started = Instant::now();
    let run = tutorial(args);
    (run, started.elapsed())
}

/// Requests the tutorial sent itself: every `→` but the browser's visit to the reply URL,
/// which the listener receives and is not paced.
fn paced_requests(transcript: &str) -> u32 {
    let arrows = transcript.lines().filter(|l| l.starts_with("  → ")).count();
    let visits = transcript
        .lines()
        .filter(|l| l.starts_with("  → GET http://localhost:") && l.contains("/connect/get_token/"))
        .count();
    u32::try_from(arrows - visits).expect("a handful of requests")
}

#[test]
fn pace_waits_before_each_request_and_changes_nothing_on_screen() {
    let (plain, _) = timed(&["--yes", "--deterministic", "--port", "0"]);

    let (paced, elapsed) = timed(&["--yes", "--deterministic", "--port", "0", "--pace", "0.2"]);

    assert_eq!(paced.status, 0, "{}", paced.stderr);
    let requests = paced_requests(&paced.stdout);
    assert!(requests >= 8, "{requests} requests:\n{}", paced.stdout);
    assert!(
        elapsed >= Duration::from_millis(200) * requests,
        "{requests} requests at 0.2 s took only {elapsed:?}"
    );
    let redact = |text: &str| {
        regex::Regex::new(r"(127\.0\.0\.1|localhost)(:|%3A)\d+|\(\d+ ms\)|date: .+ GMT")
            .expect("a valid pattern")
            .replace_all(text, "[varies]")
            .into_owned()
    };
    assert_eq!(redact(&paced.stdout), redact(&plain.stdout));
    assert!(!paced.stdout.contains('\u{1b}'), "colour in a plain run");
}

#[test]
fn a_quiet_replay_of_earlier_steps_is_not_paced() {
    let (run, elapsed) = timed(&[
        "--yes",
        "--deterministic",
        "--port",
        "0",
        "--step",
        "5",
        "--pace",
        "0.5",
    ]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    let requests = paced_requests(&run.stdout);
    assert_eq!(requests, 3, "step 5 sends three requests:\n{}", run.stdout);
    // Paced replays would add at least 7 × 0.5 s more (steps 1 to 4 send 7 requests).
    assert!(elapsed >= Duration::from_millis(1500), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(4500), "{elapsed:?}");
}

#[test]
fn a_pace_that_is_not_seconds_from_0_to_60_is_a_usage_error() {
    for bad in ["-1", "abc", "61", "NaN"] {
        let run = tutorial(&["--yes", "--pace", bad]);

        assert_eq!(run.status, 2, "--pace {bad}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("`{bad}` is not a number of seconds from 0 to 60")),
            "{}",
            run.stderr
        );
    }
}

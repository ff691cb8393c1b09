//! The transcript a learner sees, pinned: the whole `tutorial --yes` run against the
//! in-process mock in deterministic mode, and each `--step N` alone.

mod support;

use support::tutorial;

const DETERMINISTIC: [&str; 4] = ["--yes", "--deterministic", "--port", "0"];

fn run_ok(extra: &[&str]) -> String {
    let mut args = DETERMINISTIC.to_vec();
    args.extend_from_slice(extra);
    let run = tutorial(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    run.stdout
}

#[test]
fn the_full_offline_walkthrough_prints_the_same_transcript() {
    assert_transcript!("all_five_steps", run_ok(&[]));
}

#[test]
fn the_seeds_v1_flow_prints_the_same_transcript() {
    assert_transcript!("v1_flow", run_ok(&["--flow", "v1"]));
}

#[test]
fn step_1_alone() {
    assert_transcript!("step_1", run_ok(&["--step", "1"]));
}

#[test]
fn step_2_alone_replays_step_1_quietly() {
    assert_transcript!("step_2", run_ok(&["--step", "2"]));
}

#[test]
fn step_3_alone_replays_steps_1_and_2_quietly() {
    assert_transcript!("step_3", run_ok(&["--step", "3"]));
}

#[test]
fn step_4_alone_replays_steps_1_to_3_quietly() {
    assert_transcript!("step_4", run_ok(&["--step", "4"]));
}

#[test]
fn step_5_alone_replays_steps_1_to_4_quietly() {
    assert_transcript!("step_5", run_ok(&["--step", "5"]));
}

#[test]
fn two_deterministic_runs_print_the_same_bytes_once_ports_and_timings_are_filtered() {
    let redact = |text: String| {
        support::filters()
            .iter()
            .fold(text, |text, (pattern, with)| {
                regex_replace(&text, pattern, with)
            })
    };
    assert_eq!(redact(run_ok(&[])), redact(run_ok(&[])));
}

fn regex_replace(text: &str, pattern: &str, with: &str) -> String {
    // insta re-exports no regex; a tiny equivalent of its filters for this one comparison.
    let re = regex_lite(pattern);
    re.replace_all(text, with).into_owned()
}

fn regex_lite(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("a valid pattern")
}

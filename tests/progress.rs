//! `tutorial progress` and `tutorial hint`: what is done survives a restart, `reset` forgets
//! it, and the hint names the command to run next.

mod support;

use graph_oauth_tutorial::breaks::LESSONS;

use support::tutorial_in;

fn progress(dir: &std::path::Path) -> String {
    let run = tutorial_in(dir, &["progress"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn a_finished_step_shows_as_done_in_a_new_process() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let step = tutorial_in(dir.path(), &["--yes", "--step", "1", "--port", "0"]);
    let shown = progress(dir.path());

    assert_eq!(step.status, 0, "{}", step.stderr);
    assert!(shown.contains("✔ step 1  register the app"), "{shown}");
    assert!(shown.contains("✘ step 2"), "{shown}");
    assert!(
        shown.contains(&format!("Steps 1/5 · failure lessons 0/{}", LESSONS.len())),
        "{shown}"
    );
    assert!(shown.contains("Run: tutorial --step 2"), "{shown}");
}

#[test]
fn steps_replayed_quietly_do_not_count_as_done() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let step = tutorial_in(dir.path(), &["--yes", "--step", "3", "--port", "0"]);
    let shown = progress(dir.path());

    assert_eq!(step.status, 0, "{}", step.stderr);
    assert!(shown.contains("✘ step 1"), "{shown}");
    assert!(shown.contains("✔ step 3"), "{shown}");
    assert!(shown.contains("Steps 1/5"), "{shown}");
}

#[test]
fn a_failure_lesson_counts_once_its_corrected_request_succeeded() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let lesson = tutorial_in(dir.path(), &["--deterministic", "break", "wrong-secret"]);
    let shown = progress(dir.path());
    let list = tutorial_in(dir.path(), &["break"]);

    assert_eq!(lesson.status, 0, "{}", lesson.stderr);
    assert!(shown.contains("✔ wrong-secret"), "{shown}");
    assert!(shown.contains("✘ missing-secret"), "{shown}");
    assert!(
        shown.contains(&format!("failure lessons 1/{}", LESSONS.len())),
        "{shown}"
    );
    assert!(list.stdout.contains("✔ wrong-secret"), "{}", list.stdout);
    assert!(!list.stdout.contains("✔ missing-secret"), "{}", list.stdout);
}

#[test]
fn reset_forgets_what_is_done() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let step = tutorial_in(dir.path(), &["--yes", "--step", "1", "--port", "0"]);
    assert_eq!(step.status, 0, "{}", step.stderr);

    let reset = tutorial_in(dir.path(), &["reset"]);
    let shown = progress(dir.path());

    assert!(
        reset.stdout.starts_with("progress forgotten"),
        "{}",
        reset.stdout
    );
    assert!(!dir.path().join("done.json").exists());
    assert!(shown.contains("✘ step 1"), "{shown}");
    assert!(shown.contains("Steps 0/5"), "{shown}");
}

#[test]
fn the_hint_names_the_next_command_from_the_first_step_to_the_failure_lessons() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let fresh = tutorial_in(dir.path(), &["hint"]);
    let walk = tutorial_in(dir.path(), &["--yes", "--deterministic", "--port", "0"]);
    let after = tutorial_in(dir.path(), &["hint"]);

    assert_eq!(walk.status, 0, "{}", walk.stderr);
    assert!(fresh.stdout.contains("Hint for step 1"), "{}", fresh.stdout);
    assert!(
        fresh.stdout.trim_end().ends_with("Run: tutorial"),
        "{}",
        fresh.stdout
    );
    assert!(
        after
            .stdout
            .contains("Hint for the failure lesson missing-scope"),
        "{}",
        after.stdout
    );
    assert!(
        after.stdout.contains("Run: tutorial break missing-scope"),
        "{}",
        after.stdout
    );
}

#[test]
fn a_corrupt_record_of_what_is_done_is_set_aside_with_a_message() {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(dir.path().join("done.json"), "{ not json").expect("write");

    let run = tutorial_in(dir.path(), &["progress"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("was set aside"), "{}", run.stdout);
    assert!(run.stdout.contains("Steps 0/5"), "{}", run.stdout);
    assert!(dir.path().join("done.json.old").exists());
}

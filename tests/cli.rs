//! The command line as a script meets it: help, bad input, no terminal, no colour.

mod support;

use support::{tutorial, tutorial_in, tutorial_with_env};

/// Step 1 against the real cloud with every value given as a flag: it needs no network.
const LIVE_STEP_1: &[&str] = &[
    "--live",
    "--tenant",
    "contoso.onmicrosoft.com",
    "--step",
    "1",
    "--client-id",
    "6731de76-14a6-49ae-97bc-6eba6914391e",
    "--client-secret",
    "secret-value",
];

#[test]
fn help_reads_like_a_man_page_with_examples_environment_and_files() {
    let run = tutorial(&["--help"]);
    assert_eq!(run.status, 0);
    for section in [
        "EXAMPLES:",
        "ENVIRONMENT:",
        "FILES:",
        "TUTORIAL_STATE_DIR",
        "NO_COLOR",
        "--step",
        "--live",
        "--mock-url",
    ] {
        assert!(run.stdout.contains(section), "help lacks {section}");
    }
}

#[test]
fn an_unknown_flag_is_a_usage_error_with_exit_code_2() {
    let run = tutorial(&["--frobnicate"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("--frobnicate"), "{}", run.stderr);
}

#[test]
fn a_step_out_of_range_is_a_one_line_error_and_a_hint_never_a_panic() {
    for step in ["0", "6", "-1", "300"] {
        let run = tutorial(&["--step", step, "--port", "0"]);
        assert_eq!(run.status, 2, "--step {step}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "error: there is no step {step}: the steps are 1 to 5\n  try: tutorial --step 1\n"
            )
        );
        assert!(!run.stderr.contains("panicked"));
    }
}

#[test]
fn a_step_that_is_not_a_number_is_a_usage_error() {
    let run = tutorial(&["--step", "two"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("invalid value 'two'"), "{}", run.stderr);
}

#[test]
fn without_a_terminal_every_prompt_answers_itself() {
    // No --yes: stdin is closed, so the run must not wait for Enter.
    let run = tutorial(&["--deterministic", "--port", "0"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("All five steps done."));
}

#[test]
fn no_color_and_a_pipe_give_plain_text_and_clicolor_force_gives_colour() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let plain = tutorial_in(dir.path(), &["--yes", "--step", "1", "--port", "0"]);
    assert_eq!(plain.status, 0, "{}", plain.stderr);
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "escape codes with NO_COLOR"
    );
    let piped = tutorial_with_env(dir.path(), &["--yes", "--step", "1", "--port", "0"], &[]);
    assert!(!piped.stdout.contains('\u{1b}'), "escape codes in a pipe");
    let forced = tutorial_with_env(
        dir.path(),
        &["--yes", "--step", "1", "--port", "0"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(
        forced.stdout.contains('\u{1b}'),
        "no colour with CLICOLOR_FORCE"
    );
}

#[test]
fn the_screen_says_offline_mock_in_every_step_title() {
    let run = tutorial(&["--yes", "--port", "0"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let titles: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("━━ Step"))
        .collect();
    assert_eq!(titles.len(), 5);
    assert!(titles.iter().all(|t| t.contains("offline mock")));
}

#[test]
fn progress_is_saved_owner_only_and_reset_forgets_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = tutorial_in(dir.path(), &["--yes", "--step", "1", "--port", "0"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let file = dir.path().join("progress.json");
    assert!(file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let reset = tutorial_in(dir.path(), &["reset"]);
    assert_eq!(reset.status, 0);
    assert!(reset.stdout.starts_with("progress forgotten"));
    assert!(!file.exists());
    let again = tutorial_in(dir.path(), &["reset"]);
    assert!(again.stdout.starts_with("there was no saved progress"));
}

#[test]
fn a_corrupt_progress_file_is_set_aside_and_reported_not_a_crash() {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(dir.path().join("progress.json"), "{ not json").expect("write");
    // The live path reads saved progress; step 1 with flags needs no network.
    let run = tutorial_in(dir.path(), LIVE_STEP_1);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("was set aside"), "{}", run.stdout);
    assert!(dir.path().join("progress.json.old").exists());
}

#[test]
fn live_without_a_client_id_says_which_flag_to_pass() {
    let run = tutorial(&[
        "--live",
        "--tenant",
        "contoso.onmicrosoft.com",
        "--yes",
        "--step",
        "1",
    ]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("--client-id"), "{}", run.stderr);
}

#[test]
fn live_step_4_without_saved_progress_says_which_step_to_run_first() {
    let run = tutorial(&[
        "--live",
        "--tenant",
        "contoso.onmicrosoft.com",
        "--yes",
        "--step",
        "4",
    ]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("try: tutorial --live --tenant contoso.onmicrosoft.com --step 1"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_mock_url_is_named_in_the_error() {
    let run = tutorial(&["--mock-url", "not a url", "--yes"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("`not a url`"), "{}", run.stderr);
}

#[test]
fn a_refused_recipient_is_blamed_on_the_address_not_on_the_token() {
    let run = tutorial(&[
        "--yes",
        "--deterministic",
        "--port",
        "0",
        "--step",
        "5",
        "--to",
        "not-an-address",
    ]);

    assert_eq!(run.status, 1, "{}", run.stderr);
    let said = support::words(&run.stderr);
    assert!(said.contains("ErrorInvalidRecipients"), "{said}");
    assert!(said.contains("try: check the address"), "{said}");
    assert!(!said.contains("fresh token"), "{said}");
}

#[test]
fn a_client_id_that_is_not_a_guid_is_refused_in_one_line_before_anything_runs() {
    let run = tutorial(&[
        "--live",
        "--tenant",
        "contoso.onmicrosoft.com",
        "--client-id",
        "my-app",
        "--step",
        "1",
    ]);

    assert_eq!(run.status, 2, "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(first.contains("--client-id"), "{}", run.stderr);
    assert!(
        first.contains("the client ID \"my-app\" is not a GUID"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_tenant_that_is_no_audience_domain_or_guid_is_refused_and_common_is_taken() {
    let refused = tutorial(&["--live", "--tenant", "contoso", "--step", "1"]);
    let taken = tutorial(&["--live", "--tenant", "common", "--yes", "--step", "1"]);

    assert_eq!(refused.status, 2, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("the tenant \"contoso\" is not common"),
        "{}",
        refused.stderr
    );
    // Accepted: it gets as far as asking for the client ID.
    assert!(taken.stderr.contains("--client-id"), "{}", taken.stderr);
    assert!(!taken.stderr.contains("the tenant"), "{}", taken.stderr);
}

#[test]
fn a_saved_client_id_that_is_not_a_guid_sets_the_progress_aside_and_says_why() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let saved = r#"{"format_version": 1, "target": "t", "flow": "V2",
        "app": {"client_id": "my-app"}, "authorization": null, "code": null, "tokens": null}"#;
    std::fs::write(dir.path().join("progress.json"), saved).expect("write");

    let run = tutorial_in(dir.path(), LIVE_STEP_1);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("was set aside"), "{}", run.stdout);
    assert!(
        support::words(&run.stdout).contains("the client ID \"my-app\" is not a GUID"),
        "{}",
        run.stdout
    );
}

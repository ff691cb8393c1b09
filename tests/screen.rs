//! What a learner reads fits the terminal and speaks their words: at 80 and at 120 columns,
//! no line of the walkthrough (both flows, both languages), of a failure lesson, of `explain`,
//! `progress`, `hint` or any `--help` is wider than the terminal (display width: a Chinese
//! character takes two columns), and none says "seed": learners know "the 2016 article" or
//! "the original sample".

mod support;

use support::{Run, tutorial_with_env};
use unicode_width::UnicodeWidthStr;

const WIDTHS: [&str; 2] = ["80", "120"];

/// Runs `tutorial args…` as if on a terminal `columns` wide (stdout is a pipe, so the width
/// comes from `COLUMNS`, as it does from a shell that exports it).
fn at_width(columns: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("a temp dir");
    tutorial_with_env(dir.path(), args, &[("NO_COLOR", "1"), ("COLUMNS", columns)])
}

/// `text` without ANSI escape sequences.
fn strip_ansi(text: &str) -> String {
    regex::Regex::new("\u{1b}\\[[0-9;]*[A-Za-z]")
        .expect("a valid pattern")
        .replace_all(text, "")
        .into_owned()
}

/// Panics with every line wider than `columns`, and with any "seed".
fn assert_fits(what: &str, columns: &str, run: &Run) {
    let limit: usize = columns.parse().expect("a number");
    let seed = regex::Regex::new(r"(?i)\bseeds?\b").expect("a valid pattern");
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        let text = strip_ansi(text);
        let wide: Vec<String> = text
            .lines()
            .filter(|line| line.width() > limit)
            .map(|line| format!("{:>4} {line}", line.width()))
            .collect();
        assert!(
            wide.is_empty(),
            "{what} at {columns} columns, {stream}: {} lines too wide:\n{}",
            wide.len(),
            wide.join("\n")
        );
        let seeds: Vec<&str> = text.lines().filter(|l| seed.is_match(l)).collect();
        assert!(
            seeds.is_empty(),
            "{what}, {stream} says \"seed\":\n{}",
            seeds.join("\n")
        );
    }
}

fn check(args: &[&str]) {
    for columns in WIDTHS {
        let run = at_width(columns, args);
        assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
        assert_fits(&args.join(" "), columns, &run);
    }
}

#[test]
fn the_walkthrough_fits_in_english() {
    check(&["--yes", "--deterministic", "--port", "0"]);
}

#[test]
fn the_walkthrough_fits_in_chinese() {
    check(&["--yes", "--deterministic", "--port", "0", "--lang", "zh-CN"]);
}

#[test]
fn the_v1_flow_fits_in_both_languages() {
    check(&["--yes", "--deterministic", "--port", "0", "--flow", "v1"]);
    check(&[
        "--yes",
        "--deterministic",
        "--port",
        "0",
        "--flow",
        "v1",
        "--lang",
        "zh-CN",
    ]);
}

#[test]
fn the_device_flow_fits_in_both_languages() {
    let device = [
        "--yes",
        "--deterministic",
        "--port",
        "0",
        "--flow",
        "device",
    ];
    check(&device);
    check(&[&device[..], &["--lang", "zh-CN"]].concat());
}

#[test]
fn every_failure_lesson_and_the_list_fit_in_both_languages() {
    for lang in ["en", "zh-CN"] {
        check(&["--lang", lang, "break"]);
        for lesson in &graph_oauth_tutorial::breaks::LESSONS {
            check(&[
                "--lang",
                lang,
                "--deterministic",
                "break",
                lesson.name,
                "--yes",
            ]);
        }
    }
}

#[test]
fn explain_progress_and_hint_fit_in_both_languages() {
    for lang in ["en", "zh-CN"] {
        for code in
            graph_oauth_tutorial::explain::explanations(graph_oauth_tutorial::lang::Lang::En)
                .iter()
                .map(|e| e.key)
        {
            check(&["--lang", lang, "explain", code]);
        }
        for value in
            graph_oauth_tutorial::explain::oauth_explanations(graph_oauth_tutorial::lang::Lang::En)
                .iter()
                .map(|e| e.key)
        {
            check(&["--lang", lang, "explain", value]);
        }
        check(&["--lang", lang, "progress"]);
        check(&["--lang", lang, "hint"]);
    }
}

#[test]
fn call_and_refresh_fit_in_both_languages() {
    for lang in ["en", "zh-CN"] {
        check(&[
            "--lang",
            lang,
            "--deterministic",
            "call",
            "GET",
            "/me/messages",
        ]);
        check(&["--lang", lang, "--deterministic", "refresh"]);
    }
}

#[test]
fn every_help_text_fits() {
    let subcommands = [
        "", "mock", "reset", "progress", "hint", "break", "explain", "export", "decode", "call",
        "refresh", "exercise",
    ];
    for subcommand in subcommands {
        for flag in ["--help", "-h"] {
            let mut args: Vec<&str> = subcommand.split_whitespace().collect();
            args.push(flag);
            check(&args);
        }
    }
}

#[test]
fn errors_fit_too() {
    for columns in WIDTHS {
        for args in [
            &["--step", "9"][..],
            &["break", "no-such-lesson"],
            &["explain", "AADSTS1"],
            &["--mock-url", "http://127.0.0.1:9", "--yes", "--step", "1"],
        ] {
            let run = at_width(columns, args);
            assert_ne!(run.status, 0, "{args:?}");
            assert_fits(&args.join(" "), columns, &run);
        }
    }
}

#[test]
fn a_long_value_is_shortened_by_default_and_whole_with_full() {
    let args = ["--yes", "--deterministic", "--port", "0", "--step", "4"];
    let short = at_width("80", &args);
    let full = at_width("80", &[&args[..], &["--full"]].concat());
    assert_eq!(short.status, 0, "{}", short.stderr);
    assert_eq!(full.status, 0, "{}", full.stderr);

    // The signing key's modulus, `n`: 342 characters, in the JWKS of step 4.
    let modulus = |text: &str| -> String {
        let line = text
            .lines()
            .find(|line| line.trim_start().starts_with("\"n\": "))
            .expect("the JWKS shows its n");
        line.trim().trim_end_matches(',').to_owned()
    };
    let shortened = modulus(&short.stdout);
    assert!(shortened.ends_with("… [342 chars]\""), "{shortened}");
    let whole = modulus(&full.stdout);
    assert_eq!(whole.len(), "\"n\": \"\"".len() + 342, "{whole}");
    assert!(whole.starts_with(shortened.trim_end_matches("… [342 chars]\"")));
    // Secrets stay masked with --full.
    assert!(full.stdout.contains("[masked, "));
}

#[test]
fn exercises_fit_in_both_languages_listed_started_and_checked() {
    for lang in ["en", "zh-CN"] {
        check(&["--lang", lang, "exercise"]);
        for columns in WIDTHS {
            let dir = tempfile::tempdir().expect("a temp dir");
            let env = [("NO_COLOR", "1"), ("COLUMNS", columns)];
            for exercise in &graph_oauth_tutorial::exercises::EXERCISES {
                let started = tutorial_with_env(
                    dir.path(),
                    &["--lang", lang, "exercise", exercise.name],
                    &env,
                );
                assert_eq!(started.status, 0, "{}", started.stderr);
                assert_fits(exercise.name, columns, &started);
                let args = [
                    "--lang",
                    lang,
                    "--deterministic",
                    "exercise",
                    exercise.name,
                    "--check",
                ];
                let checked = tutorial_with_env(dir.path(), &args, &env);
                assert_eq!(checked.status, 1, "{}: fails as written", exercise.name);
                assert_fits(&args.join(" "), columns, &checked);
            }
        }
    }
}

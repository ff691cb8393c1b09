//! Runs in both languages: the same exchanges, only the prose differs.

use std::path::Path;

use graph_oauth_tutorial::breaks::LESSONS as FAILURE_LESSONS;

use crate::support::{self, tutorial};
use crate::{assert_transcript, exchanges, read};

#[test]
fn the_chinese_walkthrough_sends_the_same_exchanges_as_the_english_one() {
    let args = ["--yes", "--deterministic", "--port", "0", "--lang"];
    let english = tutorial(&[&args[..], &["en"]].concat());
    let chinese = tutorial(&[&args[..], &["zh-CN"]].concat());

    assert_eq!(english.status, 0, "{}", english.stderr);
    assert_eq!(chinese.status, 0, "{}", chinese.stderr);
    let sent = exchanges(&english.stdout);
    assert!(sent.len() >= 10, "the English run shows its exchanges");
    assert_eq!(sent, exchanges(&chinese.stdout));
    assert_ne!(english.stdout, chinese.stdout, "the prose differs");
}

#[test]
fn the_chinese_walkthrough_prints_the_same_transcript() {
    let run = tutorial(&["--yes", "--deterministic", "--port", "0", "--lang", "zh-CN"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_transcript!("all_five_steps_zh-CN", run.stdout);
}

#[test]
fn every_failure_lesson_sends_the_same_exchanges_in_both_languages() {
    let run = |lang: &str, name: &str| {
        let run = tutorial(&["--deterministic", "--lang", lang, "break", name]);
        assert_eq!(run.status, 0, "{lang} {name}: {}", run.stderr);
        run.stdout
    };
    for name in [
        "reply-url-not-registered",
        "state-tampered",
        "code-redeemed-twice",
        "no-mail-send",
    ] {
        let english = run("en", name);
        let chinese = run("zh-CN", name);

        assert_eq!(exchanges(&english), exchanges(&chinese), "{name}");
        assert!(
            chinese.contains("## ") || chinese.contains("怎么改"),
            "{name} is in Chinese"
        );
    }
}

#[test]
fn the_explainer_speaks_chinese_when_asked_and_english_by_default() {
    let chinese = tutorial(&["--lang", "zh-CN", "explain", "AADSTS54005"]);
    let english = tutorial(&["explain", "AADSTS54005"]);

    assert!(
        chinese.stdout.contains("授权码只能用一次"),
        "{}",
        chinese.stdout
    );
    assert!(
        chinese
            .stdout
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("OAuth2 Authorization code was already redeemed")
    );
    assert!(support::words(&english.stdout).contains("A code works exactly once"));
}

#[test]
fn the_language_comes_from_lang_when_no_flag_says_otherwise() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = support::tutorial_with_env(
        dir.path(),
        &["explain", "AADSTS54005"],
        &[("LANG", "zh_CN.UTF-8"), ("NO_COLOR", "1")],
    );
    let flagged = support::tutorial_with_env(
        dir.path(),
        &["--lang", "en", "explain", "AADSTS54005"],
        &[("LANG", "zh_CN.UTF-8"), ("NO_COLOR", "1")],
    );

    assert!(run.stdout.contains("授权码只能用一次"), "{}", run.stdout);
    assert!(support::words(&flagged.stdout).contains("A code works exactly once"));
}

/// The English sentence pieces of the screen's own words (`labels.md`): each text cut at its
/// `{placeholders}`, keeping the pieces long enough to be a phrase.
fn english_ui_pieces() -> Vec<String> {
    read("en", "labels.md")
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .filter_map(|line| line.split_once(": ").map(|(_, text)| text.to_owned()))
        .flat_map(|text| {
            regex::Regex::new(r"\{[a-z_]+\}")
                .expect("a valid pattern")
                .split(&text)
                .map(str::trim)
                .filter(|piece| piece.len() >= 12 && piece.contains(' '))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_chinese_walkthrough_has_no_english_sentence_of_the_screens_own() {
    let run = tutorial(&["--yes", "--deterministic", "--port", "0", "--lang", "zh-CN"]);
    let pieces = english_ui_pieces();

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(pieces.len() > 50, "the English labels are read");
    for piece in &pieces {
        assert!(
            !run.stdout.contains(piece.as_str()),
            "English on the Chinese screen: {piece}"
        );
    }
    let titles: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("━━ "))
        .collect();
    assert_eq!(titles.len(), 5);
    assert!(
        titles[0].starts_with("━━ 第 1 步（共 5 步）：注册应用"),
        "{}",
        titles[0]
    );
    assert!(titles.iter().all(|t| t.contains("离线模拟服务器")));
}

#[test]
fn step_title_bars_are_the_same_width_in_both_languages() {
    use unicode_width::UnicodeWidthStr;
    let args = ["--yes", "--deterministic", "--port", "0", "--lang"];
    for lang in ["en", "zh-CN"] {
        let run = tutorial(&[&args[..], &[lang]].concat());

        assert_eq!(run.status, 0, "{}", run.stderr);
        for title in run.stdout.lines().filter(|l| l.starts_with("━━ ")) {
            // As wide as the screen: 80 columns in these tests.
            assert_eq!(title.width(), 80, "{lang}: {title}");
        }
    }
}

#[test]
fn progress_and_hint_speak_chinese_when_asked() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let progress = support::tutorial_in(dir.path(), &["--lang", "zh-CN", "progress"]);
    let hint = support::tutorial_in(dir.path(), &["--lang", "zh-CN", "hint"]);

    assert!(
        progress
            .stdout
            .contains(&format!("步骤 0/5 · 失败课 0/{}", FAILURE_LESSONS.len())),
        "{}",
        progress.stdout
    );
    assert!(
        progress.stdout.contains("运行：tutorial"),
        "{}",
        progress.stdout
    );
    assert!(
        hint.stdout.contains("提示：第 1 步，注册应用"),
        "{}",
        hint.stdout
    );
    assert!(hint.stdout.contains("第 1 步注册应用"), "{}", hint.stdout);
    for piece in english_ui_pieces() {
        assert!(!progress.stdout.contains(piece.as_str()), "{piece}");
        assert!(!hint.stdout.contains(piece.as_str()), "{piece}");
    }
}

/// One tutorial run in process, its transcript in memory: `--yes`, deterministic, in `lang`.
async fn run_in_memory(lang: &str, state_dir: &Path) -> String {
    use clap::Parser;

    let state_dir = state_dir.to_str().expect("a UTF-8 temp path");
    let args = ["tutorial", "--yes", "--deterministic", "--port", "0"];
    let cli = graph_oauth_tutorial::cli::Cli::try_parse_from(
        [&args[..], &["--lang", lang, "--state-dir", state_dir]].concat(),
    )
    .expect("the flags parse");
    let mut out = Vec::new();
    graph_oauth_tutorial::run(cli, &mut out, false)
        .await
        .expect("the run succeeds");
    String::from_utf8(out).expect("the transcript is UTF-8")
}

fn han(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

#[tokio::test]
async fn two_runs_at_once_in_one_process_each_speak_their_own_language() {
    let english_dir = tempfile::tempdir().expect("a temp dir");
    let chinese_dir = tempfile::tempdir().expect("a temp dir");

    // Interleaved on one thread: each waits on its own mock while the other goes on.
    let (english, chinese) = tokio::join!(
        run_in_memory("en", english_dir.path()),
        run_in_memory("zh-CN", chinese_dir.path()),
    );

    assert_eq!(han(&english), 0, "Chinese in the English run:\n{english}");
    let titles = |text: &str| -> Vec<String> {
        let lines = text.lines().filter(|line| line.starts_with("━━ "));
        lines.map(str::to_owned).collect()
    };
    assert_eq!(titles(&english).len(), 5, "{english}");
    let chinese_titles = titles(&chinese);
    assert_eq!(chinese_titles.len(), 5, "{chinese}");
    for title in chinese_titles {
        assert!(
            han(&title) > 0,
            "an English title in the Chinese run: {title}"
        );
    }
    assert!(han(&chinese) > 1000, "the Chinese run's prose:\n{chinese}");
}

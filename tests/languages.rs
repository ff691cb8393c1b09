//! English and 简体中文: the same lessons in both, and a run in either language sends the same
//! requests and gets the same answers; only the prose differs.

mod support;

use graph_oauth_tutorial::breaks::LESSONS as FAILURE_LESSONS;

use std::collections::BTreeSet;
use std::path::Path;

use support::tutorial;

const LESSONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");

/// Every file under `lessons/{lang}`, as paths relative to it.
fn lesson_files(lang: &str) -> BTreeSet<String> {
    fn walk(dir: &Path, root: &Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("a lessons folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, root, found);
            } else {
                let relative = path.strip_prefix(root).expect("under the root");
                found.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = Path::new(LESSONS).join(lang);
    let mut found = BTreeSet::new();
    walk(&root, &root, &mut found);
    found
}

fn read(lang: &str, file: &str) -> String {
    std::fs::read_to_string(Path::new(LESSONS).join(lang).join(file)).expect("a lesson file")
}

/// The `code spans` of a Markdown text.
fn code_spans(text: &str) -> BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The lines that went over the wire: each request line and each response status.
fn exchanges(transcript: &str) -> Vec<String> {
    transcript
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("→ ") || line.starts_with("← "))
        .map(|line| {
            // A response line ends with its time, which varies; a request line is compared
            // up to its query, whose masked values are noted in the learner's language.
            let line = line.split("  (").next().unwrap_or(line);
            line.split('?').next().unwrap_or(line).to_owned()
        })
        .map(|line| {
            regex::Regex::new(r"(127\.0\.0\.1|localhost)(:|%3A)\d{5}")
                .expect("a valid pattern")
                .replace_all(&line, "$1$2[port]")
                .into_owned()
        })
        .collect()
}

#[test]
fn both_languages_have_the_same_set_of_lesson_files() {
    assert_eq!(lesson_files("en"), lesson_files("zh-CN"));
}

#[test]
fn every_chinese_lesson_is_written_in_chinese() {
    for file in lesson_files("zh-CN") {
        let text = read("zh-CN", &file);
        let han = text
            .chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .count();
        assert!(
            han >= 20,
            "lessons/zh-CN/{file} has only {han} Chinese characters"
        );
    }
}

#[test]
fn chinese_lessons_translate_no_code_url_or_parameter_name() {
    // Every `code span` in a Chinese lesson is one the English lessons also use, so no
    // parameter, path or header was translated (the seed translated its reply URL's path).
    let english: BTreeSet<String> = lesson_files("en")
        .iter()
        .flat_map(|file| code_spans(&read("en", file)))
        .collect();
    for file in lesson_files("zh-CN") {
        for span in code_spans(&read("zh-CN", &file)) {
            assert!(
                english.contains(&span),
                "lessons/zh-CN/{file}: `{span}` is in no English lesson"
            );
        }
    }
}

#[test]
fn both_languages_list_the_same_keys_in_their_line_lists() {
    for file in ["labels.md", "parameters.md", "claims.md"] {
        let keys = |lang: &str| -> Vec<String> {
            read(lang, file)
                .lines()
                .filter_map(|line| line.strip_prefix("- "))
                .filter_map(|line| line.split_once(": ").map(|(key, _)| key.to_owned()))
                .collect()
        };
        assert_eq!(keys("en"), keys("zh-CN"), "{file}");
    }
}

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

/// The prose of a Markdown line: code spans and URLs blanked out, since those are never
/// translated and keep their ASCII.
fn prose(line: &str) -> String {
    let without_code: String = line
        .split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { part } else { " " })
        .collect::<Vec<_>>()
        .join(" ");
    regex::Regex::new(r"https?://\S+")
        .expect("a valid pattern")
        .replace_all(&without_code, " ")
        .into_owned()
}

/// Each concept has one name in 简体中文, the one Microsoft's own zh-CN documentation uses;
/// the other spellings a translator reaches for are refused.
const BANNED_CHINESE_TERMS: [(&str, &str); 6] = [
    ("客户端密钥", "客户端密码"),
    ("端点", "终结点"),
    ("回环", "环回"),
    ("账户", "帐户"),
    ("原文", "2016 年的文章"),
    ("种子", "2016 年的文章"),
];

#[test]
fn chinese_lessons_use_one_term_per_concept() {
    let mut found = Vec::new();
    for file in lesson_files("zh-CN") {
        for (number, line) in read("zh-CN", &file).lines().enumerate() {
            let prose = prose(line).replace("终结点", "");
            for (banned, wanted) in BANNED_CHINESE_TERMS {
                if prose.contains(banned) {
                    found.push(format!(
                        "lessons/zh-CN/{file}:{}: {banned} (write {wanted})",
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn chinese_prose_uses_full_width_punctuation() {
    let han = r"[\p{Han}，。：；？！（）“”、]";
    // ASCII punctuation touching Chinese text, or an ASCII double quote anywhere in prose.
    let ascii = regex::Regex::new(&format!(r#"{han}[,.:;?!()]|[,:;?!()]{han}|""#))
        .expect("a valid pattern");
    let mut found = Vec::new();
    for file in lesson_files("zh-CN") {
        for (number, line) in read("zh-CN", &file).lines().enumerate() {
            // Comments are for translators, and `step:`/`lesson:` lines are read by code.
            if line.starts_with("<!--") || line.starts_with("step:") || line.starts_with("lesson:")
            {
                continue;
            }
            if let Some(hit) = ascii.find(&prose(line)) {
                found.push(format!(
                    "lessons/zh-CN/{file}:{}: {:?}",
                    number + 1,
                    hit.as_str()
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn chinese_emphasis_never_spans_two_lines() {
    // The terminal's Markdown reads emphasis within a line; one split across lines shows its `*`.
    let mut found = Vec::new();
    for file in lesson_files("zh-CN") {
        for (number, line) in read("zh-CN", &file).lines().enumerate() {
            let stars = prose(line).replace("**", "").matches('*').count();
            let bold = prose(line).matches("**").count();
            if stars % 2 == 1 || bold % 2 == 1 {
                found.push(format!("lessons/zh-CN/{file}:{}", number + 1));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn no_lesson_calls_the_2016_article_the_seed() {
    for lang in ["en", "zh-CN"] {
        for file in lesson_files(lang) {
            let text = read(lang, &file).to_lowercase();
            assert!(
                !text.contains("seed"),
                "lessons/{lang}/{file} says \"seed\": say \"the 2016 article\" or \"the original sample\""
            );
        }
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

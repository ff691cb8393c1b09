//! English and 简体中文: the same lessons in both, and a run in either language sends the same
//! requests and gets the same answers; only the prose differs.
//!
//! This file checks the lesson files themselves; `runs.rs` runs the tutorial in both.

mod runs;
#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::Path;

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

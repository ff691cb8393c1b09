//! The language lessons are shown in: English or Simplified Chinese (`--lang en|zh-CN`).
//!
//! Only the prose changes with the language. Code, URLs, parameter names, header names and
//! every request and response stay exactly as they went over the wire, so a learner can
//! compare the two transcripts line by line. Without `--lang`, the language comes from the
//! environment the way `gettext` reads it: `LC_ALL`, then `LC_MESSAGES`, then `LANG`.

/// A language the lessons are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    #[value(name = "en")]
    En,
    /// Simplified Chinese (简体中文).
    #[value(name = "zh-CN", alias = "zh")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The language the environment asks for; English unless it names Chinese.
    pub fn from_env() -> Lang {
        let first_set = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty());
        first_set.map_or(Lang::En, |value| Lang::from_locale(&value))
    }

    /// `zh_CN.UTF-8`, `zh-CN`, `zh_SG` → Simplified Chinese; anything else → English.
    pub fn from_locale(locale: &str) -> Lang {
        let lower = locale.to_ascii_lowercase();
        let simplified = lower.starts_with("zh")
            && !(lower.contains("tw") || lower.contains("hk") || lower.contains("hant"));
        if simplified { Lang::ZhCn } else { Lang::En }
    }

    /// The folder under `lessons/`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// Picks this language's text from an `[en, zh-CN]` pair (see [`both!`](crate::both)).
    pub fn pick(self, texts: [&'static str; 2]) -> &'static str {
        match self {
            Lang::En => texts[0],
            Lang::ZhCn => texts[1],
        }
    }
}

/// Embeds `lessons/en/PATH` and `lessons/zh-CN/PATH` as an `[en, zh-CN]` pair.
#[macro_export]
macro_rules! both {
    ($path:literal) => {
        [
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/en/", $path)),
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/lessons/zh-CN/",
                $path
            )),
        ]
    };
}

impl Lang {
    /// The short label or sentence `key` names, in this language (`labels.md`): the one table
    /// of the screen's own words, so that a language is added in one file. A key missing from
    /// a language falls back to English; a key in neither shows nothing, so a test checks
    /// that every key the code asks for is in both.
    pub fn ui(self, key: &str) -> &'static str {
        const LABELS: [&str; 2] = both!("labels.md");
        lookup(LABELS, self, key).unwrap_or("")
    }

    /// A label with its `{name}` placeholders filled: `lang.ui_with("step", &[("n", "3")])`.
    pub fn ui_with(self, key: &str, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.ui(key).to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }
}

/// `key`'s text in `lang`'s table of an `[en, zh-CN]` pair, else in the English one.
fn lookup(tables: [&'static str; 2], lang: Lang, key: &str) -> Option<&'static str> {
    let wanted = format!("- {key}: ");
    let find = |lang: Lang| {
        lang.pick(tables)
            .lines()
            .find_map(|line| line.strip_prefix(wanted.as_str()))
    };
    find(lang).or_else(|| find(Lang::En))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    #[test]
    fn every_chinese_label_is_written_in_chinese_and_the_prompt_too() {
        const LABELS: [&str; 2] = both!("labels.md");
        let keys = LABELS[0]
            .lines()
            .filter_map(|line| line.strip_prefix("- "))
            .filter_map(|line| line.split_once(": ").map(|(key, _)| key));
        for key in keys {
            let text = Lang::ZhCn.ui(key);
            assert!(
                text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key}: {text}"
            );
        }
        assert_eq!(Lang::ZhCn.ui("send-it"), "发送吗？");
        assert_eq!(Lang::En.ui("send-it"), "Send it?");
    }

    #[test]
    fn placeholders_are_filled_and_an_unknown_key_shows_nothing() {
        assert_eq!(Lang::En.ui_with("step", &[("n", "3")]), "step 3");
        assert_eq!(Lang::ZhCn.ui_with("step", &[("n", "3")]), "第 3 步");
        assert_eq!(Lang::ZhCn.ui("no-such-key"), "");
    }

    #[test]
    fn a_key_missing_from_chinese_falls_back_to_english() {
        let tables = [
            "- only-english: in English\n- both: in English\n",
            "- both: 中文\n",
        ];
        assert_eq!(
            lookup(tables, Lang::ZhCn, "only-english"),
            Some("in English")
        );
        assert_eq!(lookup(tables, Lang::ZhCn, "both"), Some("中文"));
        assert_eq!(lookup(tables, Lang::En, "both"), Some("in English"));
    }

    /// The keys each table of `labels.md` defines.
    fn keys(table: &str) -> BTreeSet<&str> {
        table
            .lines()
            .filter_map(|line| line.strip_prefix("- "))
            .filter_map(|line| line.split_once(": ").map(|(key, _)| key))
            .collect()
    }

    /// Every key the code under `src/` asks [`Lang::ui`] or [`Lang::ui_with`] for, with the
    /// file it is asked in. A key that is not a string literal must be one of `dynamic`.
    fn keys_asked_for(dynamic: &[&str]) -> Vec<(String, String)> {
        fn walk(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("a source folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    found.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        // `lang.ui("k")`, `ctx.lang.ui_with("k", …)`, `show.lang().ui("k")`.
        let call = regex::Regex::new(r"\.ui(?:_with)?\(\s*([^,)]+)").expect("a regex");
        let mut asked = Vec::new();
        for file in files.iter().filter(|file| !file.ends_with("lang.rs")) {
            let source = std::fs::read_to_string(file).expect("a source file");
            for found in call.captures_iter(&source) {
                let argument = found.get(1).expect("a key").as_str().trim();
                let name = file.display().to_string();
                match argument.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
                    Some(key) => asked.push((key.to_owned(), name)),
                    None => assert!(
                        dynamic.iter().any(|known| argument.starts_with(known)),
                        "{name}: a label key that is not a literal: {argument}"
                    ),
                }
            }
        }
        asked
    }

    #[test]
    fn every_key_the_code_asks_for_is_in_both_languages() {
        const LABELS: [&str; 2] = both!("labels.md");
        let [english, chinese] = LABELS.map(keys);
        assert_eq!(
            english, chinese,
            "labels.md: the two languages' keys differ"
        );
        // The step titles are asked for as `step-{n}`, and the device code flow's own as
        // `device-step-{n}`.
        let asked = keys_asked_for(&["&format!(\"step-{}\"", "&format!(\"device-step-{}\""]);
        assert!(asked.len() > 50, "the scan found too few calls: {asked:?}");
        for n in 1..=5 {
            assert!(english.contains(format!("step-{n}").as_str()), "step-{n}");
        }
        for n in 2..=4 {
            let key = format!("device-step-{n}");
            assert!(english.contains(key.as_str()), "{key}");
        }
        for (key, file) in &asked {
            assert!(english.contains(key.as_str()), "{file}: no label {key:?}");
        }
    }

    #[test]
    fn chinese_locales_choose_simplified_chinese_and_the_rest_english() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_locale("zh-CN"), Lang::ZhCn);
        assert_eq!(Lang::from_locale("zh_TW.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
    }
}

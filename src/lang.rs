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

/// The short labels and sentences the code puts on screen (`labels.md`), looked up by key:
/// the one table of the screen's own words, so that a language is added in one file. A key
/// missing from a language falls back to English.
pub fn label(lang: Lang, key: &str) -> &'static str {
    const LABELS: [&str; 2] = both!("labels.md");
    let wanted = format!("- {key}: ");
    let find = |lang: Lang| {
        lang.pick(LABELS)
            .lines()
            .find_map(|line| line.strip_prefix(wanted.as_str()))
    };
    find(lang).or_else(|| find(Lang::En)).unwrap_or("")
}

/// A label with its `{name}` placeholders filled: `label_with(lang, "step", &[("n", "3")])`.
pub fn label_with(lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(label(lang, key).to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// A label in the language of this run (see [`crate::lessons::lang`]).
pub fn ui(key: &str) -> &'static str {
    label(crate::lessons::lang(), key)
}

/// A label in the language of this run, placeholders filled (see [`label_with`]).
pub fn ui_with(key: &str, values: &[(&str, &str)]) -> String {
    label_with(crate::lessons::lang(), key, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chinese_label_is_written_in_chinese_and_the_prompt_too() {
        const LABELS: [&str; 2] = both!("labels.md");
        let keys = LABELS[0]
            .lines()
            .filter_map(|line| line.strip_prefix("- "))
            .filter_map(|line| line.split_once(": ").map(|(key, _)| key));
        for key in keys {
            let text = label(Lang::ZhCn, key);
            assert!(
                text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key}: {text}"
            );
        }
        assert_eq!(label(Lang::ZhCn, "send-it"), "发送吗？");
        assert_eq!(label(Lang::En, "send-it"), "Send it?");
    }

    #[test]
    fn placeholders_are_filled_and_a_missing_chinese_label_falls_back_to_english() {
        assert_eq!(label_with(Lang::En, "step", &[("n", "3")]), "step 3");
        assert_eq!(label_with(Lang::ZhCn, "step", &[("n", "3")]), "第 3 步");
        assert_eq!(label(Lang::ZhCn, "no-such-key"), "");
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

//! `tutorial explain CODE`: what an error means, why it usually happens, how to fix it, where
//! in the flow it bites, and which failure lesson reproduces it. Offline; no mock is started.
//!
//! Two sources, side by side. The code's number, OAuth `error`, HTTP status and Microsoft's
//! message come from the mock's own table (`graph_mock::errors`), the very rows the mock
//! answers with, so the explainer and the mock cannot drift apart. The prose comes from
//! `lessons/<lang>/errors.md`, one `## CODE` section per code.
//!
//! The learner may paste what they saw: `AADSTS50011`, `50011`, a Graph code such as
//! `ErrorAccessDenied`, a whole error JSON, an `error_description`, or a reply URL with
//! `error_description=AADSTS…` in it (on stdin, or as the argument). The OAuth 2.0 `error`
//! values (`invalid_grant`, `consent_required`, …) have their own texts in
//! `lessons/<lang>/oauth-errors.md`; a paste with a Trace ID, Correlation ID or timestamp is
//! read field by field (`pasted`), and the learner is told to keep those.

mod pasted;

use graph_mock::errors::{Aadsts, GraphError};

use crate::both;
use crate::error::Error;
use crate::lang::Lang;
use crate::show::Printer;
use crate::walk::Step;

/// Microsoft's page that looks up any AADSTS code.
pub const LOOKUP_PAGE: &str = "https://login.microsoftonline.com/error?code=";

const ERRORS: [&str; 2] = both!("errors.md");
const OAUTH_ERRORS: [&str; 2] = both!("oauth-errors.md");

/// Where the OAuth 2.0 `error` values are defined.
const OAUTH_SPEC: &str = "https://www.rfc-editor.org/rfc/rfc6749#section-5.2";

/// What the learner asked about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Asked {
    /// An identity-platform code, by number.
    Aadsts(u32),
    /// A Graph `error.code`.
    Graph(String),
    /// An OAuth 2.0 `error` value: `invalid_grant`.
    OAuth(String),
}

impl Asked {
    /// The name the explanations are filed under: `AADSTS50011`, `ErrorAccessDenied`.
    pub fn key(&self) -> String {
        match self {
            Asked::Aadsts(number) => format!("AADSTS{number}"),
            Asked::Graph(code) | Asked::OAuth(code) => code.clone(),
        }
    }
}

/// Reads a code out of whatever the learner pasted. `None` when nothing looks like one.
pub fn read_input(text: &str) -> Option<Asked> {
    let text = text.trim();
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        // Graph: {"error": {"code": …}}; identity platform: {"error_codes": [n], …}.
        if let Some(code) = json["error"]["code"].as_str() {
            return Some(Asked::Graph(code.to_owned()));
        }
        if let Some(number) = json["error_codes"][0].as_u64() {
            return u32::try_from(number).ok().map(Asked::Aadsts);
        }
    }
    if let Some(number) = aadsts_in(text) {
        return Some(Asked::Aadsts(number));
    }
    if let Some(error) = pasted::read(text).error {
        // A body or reply URL with an `error` and no AADSTS code in it.
        return Some(Asked::OAuth(error));
    }
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok().map(Asked::Aadsts);
    }
    let word = text.trim_matches(|c: char| c == '"' || c == '\'');
    let is_word = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    // OAuth's values are snake_case (`invalid_grant`); Graph's codes are not.
    let is_oauth = word.contains('_') && word.chars().all(|c| !c.is_ascii_uppercase())
        || oauth_explanations(Lang::En).iter().any(|e| e.key == word);
    match (is_word, is_oauth) {
        (false, _) => None,
        (true, true) => Some(Asked::OAuth(word.to_owned())),
        (true, false) => Some(Asked::Graph(word.to_owned())),
    }
}

/// The first `AADSTSnnnn` in `text`, in any case.
pub(crate) fn aadsts_in(text: &str) -> Option<u32> {
    let upper = text.to_ascii_uppercase();
    let at = upper.find("AADSTS")?;
    let digits: String = upper[at + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// One row of the mock's table, flattened: the code as a learner sees it, and what goes with it.
#[derive(Clone, Debug)]
pub struct Row {
    pub key: String,
    pub error: String,
    pub status: u16,
    pub message: String,
}

/// Every refusal the mock can send, from its own table.
pub fn mock_table() -> Vec<Row> {
    let login = Aadsts::catalogue().into_iter().map(|refusal| {
        let entry = refusal.entry();
        Row {
            key: format!("AADSTS{}", entry.code),
            error: entry.error.to_owned(),
            status: entry.status.as_u16(),
            message: entry.message,
        }
    });
    let graph = GraphError::catalogue().into_iter().map(|refusal| {
        let (status, code, message) = refusal.entry();
        Row {
            key: code.to_owned(),
            error: code.to_owned(),
            status: status.as_u16(),
            message,
        }
    });
    login.chain(graph).collect()
}

/// One `## CODE` section of `errors.md`.
#[derive(Clone, Debug)]
pub struct Explanation {
    pub key: &'static str,
    pub step: Option<Step>,
    /// The `tutorial break` lesson that reproduces it.
    pub lesson: Option<&'static str>,
    /// Meaning, causes and fix (Markdown).
    pub text: &'static str,
}

/// Every explanation of an AADSTS or Graph code written in `lang`.
pub fn explanations(lang: Lang) -> Vec<Explanation> {
    sections(lang.pick(ERRORS))
}

/// Every explanation of an OAuth 2.0 `error` value written in `lang`.
pub fn oauth_explanations(lang: Lang) -> Vec<Explanation> {
    sections(lang.pick(OAUTH_ERRORS))
}

/// The `## KEY` sections of an explanations file.
fn sections(file: &'static str) -> Vec<Explanation> {
    let mut sections = Vec::new();
    let mut rest = file;
    while let Some(start) = rest.find("\n## ") {
        let body = &rest[start + 4..];
        let end = body.find("\n## ").unwrap_or(body.len());
        let section = &body[..end];
        rest = &body[end..];
        let (key, after_key) = section.split_once('\n').unwrap_or((section, ""));
        let mut step = None;
        let mut lesson = None;
        let mut text = after_key;
        for _ in 0..2 {
            let (line, next) = text.split_once('\n').unwrap_or((text, ""));
            if let Some(number) = line.strip_prefix("step: ") {
                step = number.trim().parse().ok().and_then(Step::from_number);
            } else if let Some(name) = line.strip_prefix("lesson: ") {
                lesson = Some(name.trim()).filter(|name| *name != "-");
            }
            text = next;
        }
        sections.push(Explanation {
            key: key.trim(),
            step,
            lesson,
            text: text.trim_matches('\n'),
        });
    }
    sections
}

/// The first paragraph of an explanation (its **Meaning.**), as plain text on one line.
pub fn meaning(text: &str) -> String {
    let first = text.split("\n\n").next().unwrap_or(text);
    let plain = first.replace("**", "").replace('`', "");
    let plain = plain.trim();
    let plain = plain
        .strip_prefix("Meaning.")
        .or_else(|| plain.strip_prefix("含义。"))
        .unwrap_or(plain);
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The explanation of `key` in `lang`.
pub fn explanation(lang: Lang, key: &str) -> Option<Explanation> {
    explanations(lang)
        .into_iter()
        .find(|e| e.key.eq_ignore_ascii_case(key))
}

/// The explanation of the OAuth `error` value `key` in `lang`.
pub fn oauth_explanation(lang: Lang, key: &str) -> Option<Explanation> {
    oauth_explanations(lang).into_iter().find(|e| e.key == key)
}

/// Prints what `input` means, or says plainly that the code is unknown. A paste with more
/// than a code (an error body, a reply URL) is first read back field by field.
pub fn run(input: &str, lang: Lang, show: &mut Printer<'_>) -> Result<(), Error> {
    let asked = read_input(input).ok_or_else(|| Error::NothingToExplain {
        input: input.trim().chars().take(80).collect(),
    })?;
    let key = asked.key();
    let explained = match &asked {
        Asked::OAuth(error) => oauth_explanation(lang, error),
        _ => explanation(lang, &key),
    };
    let Some(explained) = explained else {
        return Err(unknown(&asked, lang));
    };
    let pasted = pasted::read(input);
    if pasted.is_more_than_a_code() {
        show_pasted(&pasted, lang, show)?;
    }
    match asked {
        Asked::OAuth(_) => show_oauth(&explained, lang, show)?,
        _ => show_code(&explained, lang, show)?,
    }
    show.blank()?;
    show.lesson(explained.text)?;
    show.blank()?;
    if let Some(step) = explained.step {
        show.say(&format!(
            "{}: {} ({})",
            lang.ui("bites"),
            step_name(lang, step),
            step_title(lang, step)
        ))?;
    }
    let reproduce = match explained.lesson {
        Some(name) => format!("tutorial break {name}"),
        None => lang.ui("no-lesson").to_owned(),
    };
    show.say(&format!("{}: {reproduce}", lang.ui("reproduce")))?;
    let error = mock_table()
        .into_iter()
        .find(|row| row.key == key && row.key.starts_with("AADSTS"))
        .map(|row| row.error);
    if let Some(error) = error.filter(|e| oauth_explanation(lang, e).is_some()) {
        show.say(&format!(
            "{}: tutorial explain {error}",
            lang.ui("oauth-see")
        ))?;
    }
    Ok(())
}

/// What was read out of the paste, and why the IDs in it are worth keeping.
fn show_pasted(pasted: &pasted::Pasted, lang: Lang, show: &mut Printer<'_>) -> Result<(), Error> {
    show.heading(lang.ui("pasted"))?;
    let rows: Vec<(String, String)> = pasted
        .rows()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    show.rows(&rows)?;
    let advice = if pasted.has_ids() {
        lang.ui("keep-ids")
    } else {
        lang.ui("no-ids")
    };
    show.say(advice)?;
    Ok(())
}

/// The heading of an AADSTS or Graph code, and what the mock says with it.
fn show_code(explained: &Explanation, lang: Lang, show: &mut Printer<'_>) -> Result<(), Error> {
    let rows: Vec<Row> = mock_table()
        .into_iter()
        .filter(|row| row.key.eq_ignore_ascii_case(explained.key))
        .collect();
    let title = match rows.first() {
        Some(row) if row.key.starts_with("AADSTS") => {
            format!("{} · {} · HTTP {}", explained.key, row.error, row.status)
        }
        _ => explained.key.to_owned(),
    };
    show.heading(&title)?;
    show.say(lang.ui("said"))?;
    for row in &rows {
        let status = if row.key.starts_with("AADSTS") {
            String::new()
        } else {
            format!("HTTP {}: ", row.status)
        };
        show.say(&format!("  {status}{}", row.message))?;
    }
    Ok(())
}

/// The heading of an OAuth `error` value, and the AADSTS codes the mock sends with it.
fn show_oauth(explained: &Explanation, lang: Lang, show: &mut Printer<'_>) -> Result<(), Error> {
    show.heading(&format!("{} · {}", explained.key, lang.ui("oauth-error")))?;
    let mut codes: Vec<String> = mock_table()
        .into_iter()
        .filter(|row| row.key.starts_with("AADSTS") && row.error == explained.key)
        .map(|row| row.key)
        .collect();
    // Rows that share a code (one per message) sit together in the table: list it once.
    codes.dedup();
    show.say(&format!("{}:", lang.ui("oauth-codes")))?;
    if codes.is_empty() {
        show.say(&format!("  {}", lang.ui("oauth-none")))?;
    }
    // A few to a line, so that the list fits the screen.
    for line in codes.chunks(5) {
        show.say(&format!("  {}", line.join(", ")))?;
    }
    Ok(())
}

/// "step 2" / "第 2 步".
pub fn step_name(lang: Lang, step: Step) -> String {
    lang.ui("step").replace("{n}", &step.number().to_string())
}

/// The step's title in `lang`.
pub fn step_title(lang: Lang, step: Step) -> &'static str {
    lang.ui(&format!("step-{}", step.number()))
}

fn unknown(asked: &Asked, lang: Lang) -> Error {
    let lookup = match asked {
        Asked::Aadsts(number) => format!("{LOOKUP_PAGE}{number}"),
        Asked::Graph(_) => "https://learn.microsoft.com/graph/errors".to_owned(),
        Asked::OAuth(_) => OAUTH_SPEC.to_owned(),
    };
    Error::UnknownErrorCode {
        code: asked.key(),
        said: lang.ui("unknown"),
        lookup,
    }
}

#[cfg(test)]
mod tests;

//! The only room that writes to the terminal.
//!
//! A [`Printer`] writes to any `io::Write` (stdout in the binary, a buffer in tests). Colour
//! comes from `colored`, whose on/off switch `main.rs` sets once (off under `NO_COLOR` or when
//! stdout is not a terminal); the text reads the same without it. Secret values are masked
//! here unless the learner passed `--show-secrets`: the decision is made in this room only.
//!
//! - `exchange`: requests and responses, headers in order, forms as rows, JSON pretty.
//! - `claims`: a decoded token as a table, one line of meaning per claim.
//! - `markdown`: the lessons, rendered for the terminal.
//! - `spinner`: step 3's wait for the browser, with the time left (on a terminal only).
//! - `fit`: the terminal's width, prose wrapped to it, long values broken or shortened.
//!
//! Everything is written to fit the terminal's width (at most 100 columns, for reading).
//! A value too long for its line and with no place to break it (a key, a certificate, a
//! token) is shortened to `MIIDWz… [1,600 chars]` unless the learner passed `--full` or
//! `--show-secrets`. A URL the learner must copy is the one thing printed whole on a line.

mod claims;
mod exchange;
pub mod fit;
mod markdown;
mod spinner;

use std::future::Future;
use std::io::{self, Write};
use std::time::Duration;

use colored::Colorize;
use unicode_width::UnicodeWidthStr;

use crate::lang::Lang;

pub use claims::ClaimRow;

/// How the transcript is shown: secrets in full or masked, long values whole or shortened,
/// and how wide the lines may be.
#[derive(Clone, Copy, Debug)]
pub struct View {
    pub show_secrets: bool,
    /// `--full`: long values whole (secrets stay masked).
    pub full: bool,
    /// The width lines are wrapped to, in columns.
    pub width: usize,
    /// The language of the screen's own words (`[masked, 42 chars]`, step titles).
    pub lang: Lang,
}

impl View {
    /// The view for this terminal: its width (see [`fit::terminal_width`]), at most 100.
    pub fn for_terminal(show_secrets: bool, full: bool, lang: Lang) -> View {
        View {
            show_secrets,
            full,
            width: fit::reading_width(fit::terminal_width()),
            lang,
        }
    }
}

/// How a secret looks on screen, in `lang`: `Sq8… [masked, 42 chars]`.
pub fn masked(value: &str, lang: Lang) -> String {
    let hint: String = value.chars().take(3).collect();
    let count = fit::thousands(value.chars().count());
    format!("{hint}… {}", lang.ui_with("masked", &[("n", &count)]))
}

/// Writes the transcript.
pub struct Printer<'a> {
    out: &'a mut dyn Write,
    /// Where output goes while earlier steps are replayed quietly.
    sink: io::Sink,
    muted: bool,
    view: View,
}

type Result = io::Result<()>;

impl<'a> Printer<'a> {
    pub fn new(out: &'a mut dyn Write, view: View) -> Printer<'a> {
        Printer {
            out,
            sink: io::sink(),
            muted: false,
            view,
        }
    }

    /// The width lines are wrapped to.
    pub fn width(&self) -> usize {
        self.view.width
    }

    /// The language the screen's own words are in.
    pub fn lang(&self) -> Lang {
        self.view.lang
    }

    /// While muted, everything printed is dropped (a quiet replay of earlier steps).
    pub fn set_muted(&mut self, muted: bool) {
        self.muted = muted;
    }

    /// Whether a quiet replay is under way.
    pub fn is_muted(&self) -> bool {
        self.muted
    }

    fn w(&mut self) -> &mut dyn Write {
        if self.muted {
            &mut self.sink
        } else {
            &mut *self.out
        }
    }

    /// A secret's value as it may appear on screen.
    pub fn secret(&self, value: &str) -> String {
        if self.view.show_secrets {
            value.to_owned()
        } else {
            masked(value, self.view.lang)
        }
    }

    /// The title line of a step, with where it runs, as wide as the screen. When both do not
    /// fit on one line, where it runs gets a line of its own.
    pub fn step_title(&mut self, number: u8, title: &str, target: &str) -> Result {
        let n = number.to_string();
        let left = self
            .view
            .lang
            .ui_with("step-title", &[("n", &n), ("title", title)]);
        let width = self.view.width;
        // Display width, not chars: a Chinese character takes two columns.
        let lines = if left.width() + target.width() + 10 <= width {
            let fill = width.saturating_sub(left.width() + target.width() + 8);
            vec![format!("━━ {left} {} {target} ━━", "━".repeat(fill))]
        } else {
            let fill = |text: &str| "━".repeat(width.saturating_sub(text.width() + 6).max(2));
            vec![
                format!("━━ {left} {}", fill(&left)),
                format!("{} {target} ━━", fill(target)),
            ]
        };
        writeln!(self.w())?;
        for line in lines {
            writeln!(self.w(), "{}", line.bold().blue())?;
        }
        Ok(())
    }

    /// A heading inside a step.
    pub fn heading(&mut self, text: &str) -> Result {
        let text = fit::wrap(text, self.view.width, "▸ ", "  ");
        writeln!(self.w())?;
        writeln!(self.w(), "{}", text.bold())
    }

    /// Text wrapped to the screen after `first` on its first line; the lines after it are
    /// indented to where the text began.
    fn wrapped(&mut self, first: &str, text: &str) -> Result {
        let lead = text.len() - text.trim_start().len();
        let indent = " ".repeat(first.width() + lead);
        let first = format!("{first}{}", &text[..lead]);
        let text = fit::wrap(text.trim_start(), self.view.width, &first, &indent);
        writeln!(self.w(), "{text}")
    }

    /// A line of explanation from the code (short; long prose lives in the lessons).
    pub fn say(&mut self, text: &str) -> Result {
        self.wrapped("  ", text)
    }

    /// A one-line notice about how the run goes (a replay, a fallback port).
    pub fn notice(&mut self, text: &str) -> Result {
        let label = self.view.lang.ui_with("note", &[]);
        // `note: ` in English; no space after a full-width colon (`注意：`).
        let space = if label.ends_with('：') { "" } else { " " };
        let prefix = format!("{label}{space}");
        let text = fit::wrap(text, self.view.width, &prefix, "  ");
        let rest = text.get(prefix.len()..).unwrap_or_default();
        writeln!(self.w(), "{}{rest}", prefix.yellow().bold())
    }

    /// A result that matters: a check passed.
    pub fn ok(&mut self, text: &str) -> Result {
        let text = fit::wrap(text, self.view.width, "  ✔ ", "    ");
        writeln!(
            self.w(),
            "{}",
            text.replacen('✔', &"✔".green().bold().to_string(), 1)
        )
    }

    /// A result that matters: a check failed.
    pub fn refused(&mut self, text: &str) -> Result {
        let text = fit::wrap(text, self.view.width, "  ✘ ", "    ");
        writeln!(
            self.w(),
            "{}",
            text.replacen('✘', &"✘".red().bold().to_string(), 1)
        )
    }

    /// `prefix` then `text` (Markdown), the text wrapped under itself (a list with a hanging
    /// indent). When the prefix leaves too little room, the text goes on the next line.
    pub fn item(&mut self, prefix: &str, text: &str) -> Result {
        let width = self.view.width;
        let spans = markdown::spans(text);
        let (first, indent) = if prefix.width() + 2 + 45 <= width {
            (format!("  {prefix}"), " ".repeat(prefix.width() + 2))
        } else {
            writeln!(self.w(), "  {}", prefix.trim_end())?;
            ("      ".to_owned(), "      ".to_owned())
        };
        let room = width.saturating_sub(indent.width());
        for (i, line) in fit::wrap_spans(&spans, room, room).iter().enumerate() {
            let lead = if i == 0 { &first } else { &indent };
            writeln!(self.w(), "{lead}{}", markdown::styled(line))?;
        }
        Ok(())
    }

    /// A value that may be too long for its line: broken at its seams, and a piece with no
    /// seam shortened (unless `--full`). `first` and `rest` are the columns each line has.
    pub(crate) fn fit_value(&self, value: &str, first: usize, rest: usize) -> Vec<String> {
        let full = self.view.full || self.view.show_secrets;
        let shorten = |piece: &str, room: usize| {
            let count = fit::thousands(piece.chars().count());
            let suffix = self.view.lang.ui_with("shortened", &[("n", &count)]);
            (!full).then(|| fit::shorten(piece, room, &suffix))
        };
        fit::break_value(value, first.max(20), rest.max(20), &shorten)
    }

    /// Rows of `key  value`, keys aligned; a long value goes on under itself.
    pub fn rows(&mut self, rows: &[(String, String)]) -> Result {
        let width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
        let room = self.view.width.saturating_sub(width + 6);
        for (key, value) in rows {
            let pad = " ".repeat(width.saturating_sub(key.width()));
            let key = format!("{key}{pad}");
            let lines = self.fit_value(value, room, room);
            for (i, line) in lines.iter().enumerate() {
                if i == 0 {
                    writeln!(self.w(), "    {}  {line}", key.cyan())?;
                } else {
                    writeln!(self.w(), "    {}  {line}", " ".repeat(width))?;
                }
            }
        }
        Ok(())
    }

    /// A URL to read: broken before its query and each parameter.
    pub fn url(&mut self, url: &str) -> Result {
        let shown = exchange::mask_url(url, self.view);
        let room = self.view.width.saturating_sub(4);
        for line in self.fit_value(&shown, room, room.saturating_sub(2)) {
            let indent = if line.starts_with(['?', '&']) {
                "      "
            } else {
                "    "
            };
            writeln!(self.w(), "{indent}{}", line.underline())?;
        }
        Ok(())
    }

    /// A URL the learner must copy into a browser: whole, on a line of its own, however wide,
    /// because a URL broken over lines no longer opens.
    pub fn url_to_copy(&mut self, url: &str) -> Result {
        let shown = exchange::mask_url(url, self.view);
        writeln!(self.w(), "{}", shown.underline())
    }

    /// Lesson text (Markdown), wrapped to the screen.
    pub fn lesson(&mut self, text: &str) -> Result {
        let rendered = markdown::render(text, self.view.width);
        self.w().write_all(rendered.as_bytes())
    }

    /// A question at a pause and what the keys do, the answer typed on the same line.
    pub fn question(&mut self, question: &str, keys: &str) -> Result {
        let text = format!("{question} [{keys}] ");
        write!(self.w(), "{}", text.bold())?;
        self.flush()
    }

    pub fn blank(&mut self) -> Result {
        writeln!(self.w())
    }
}

impl Printer<'_> {
    /// Pushes the transcript out before a prompt.
    pub fn flush(&mut self) -> Result {
        self.w().flush()
    }

    /// Runs `work` (a wait of at most `timeout`) after pushing the transcript out. On a
    /// terminal a spinner shows `what` and the time left meanwhile; anywhere else (a pipe, a
    /// test, a quiet replay) nothing more is written.
    pub async fn waiting<F: Future>(
        &mut self,
        what: &str,
        timeout: Duration,
        work: F,
    ) -> io::Result<F::Output> {
        self.flush()?;
        if self.muted || !spinner::wanted() {
            return Ok(work.await);
        }
        Ok(spinner::spin(what, timeout, self.view.lang, work).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_bar(title: &str, target: &str) -> String {
        colored::control::set_override(false);
        let mut out = Vec::new();
        let view = View {
            show_secrets: false,
            full: false,
            width: 88,
            lang: Lang::En,
        };
        Printer::new(&mut out, view)
            .step_title(1, title, target)
            .expect("writes to a buffer");
        String::from_utf8(out).expect("UTF-8").trim().to_owned()
    }

    #[test]
    fn a_chinese_title_bar_fills_to_the_same_display_width_as_an_english_one() {
        let english = title_bar("register the app", "offline mock");
        let chinese = title_bar("注册应用", "离线模拟服务器");

        assert_eq!(english.width(), 88, "{english}");
        assert_eq!(chinese.width(), 88, "{chinese}");
        assert!(
            chinese.chars().count() < 88,
            "Chinese characters count twice"
        );
    }
}

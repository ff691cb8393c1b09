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

mod claims;
mod exchange;
mod markdown;
mod spinner;

use std::future::Future;
use std::io::{self, Write};
use std::time::Duration;

use colored::Colorize;
use unicode_width::UnicodeWidthStr;

use crate::lang::ui_with;
use crate::secrets::masked;

pub use claims::ClaimRow;

/// Writes the transcript.
pub struct Printer<'a> {
    out: &'a mut dyn Write,
    /// Where output goes while earlier steps are replayed quietly.
    sink: io::Sink,
    muted: bool,
    show_secrets: bool,
}

type Result = io::Result<()>;

impl<'a> Printer<'a> {
    pub fn new(out: &'a mut dyn Write, show_secrets: bool) -> Printer<'a> {
        Printer {
            out,
            sink: io::sink(),
            muted: false,
            show_secrets,
        }
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
        if self.show_secrets {
            value.to_owned()
        } else {
            masked(value)
        }
    }

    /// The title line of a step, with where it runs.
    pub fn step_title(&mut self, number: u8, title: &str, target: &str) -> Result {
        let n = number.to_string();
        let left = ui_with("step-title", &[("n", &n), ("title", title)]);
        // Display width, not chars: a Chinese character takes two columns.
        let fill = 88usize.saturating_sub(left.width() + target.width() + 8);
        let line = format!("━━ {left} {} {target} ━━", "━".repeat(fill));
        writeln!(self.w())?;
        writeln!(self.w(), "{}", line.bold().blue())
    }

    /// A heading inside a step.
    pub fn heading(&mut self, text: &str) -> Result {
        writeln!(self.w())?;
        writeln!(self.w(), "{}", format!("▸ {text}").bold())
    }

    /// A line of explanation from the code (short; long prose lives in the lessons).
    pub fn say(&mut self, text: &str) -> Result {
        writeln!(self.w(), "  {text}")
    }

    /// A one-line notice about how the run goes (a replay, a fallback port).
    pub fn notice(&mut self, text: &str) -> Result {
        writeln!(self.w(), "{} {}", "note:".yellow().bold(), text)
    }

    /// A result that matters: a check passed.
    pub fn ok(&mut self, text: &str) -> Result {
        writeln!(self.w(), "  {} {text}", "✔".green().bold())
    }

    /// A result that matters: a check failed.
    pub fn refused(&mut self, text: &str) -> Result {
        writeln!(self.w(), "  {} {text}", "✘".red().bold())
    }

    /// Rows of `key  value`, keys aligned.
    pub fn rows(&mut self, rows: &[(String, String)]) -> Result {
        let width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
        for (key, value) in rows {
            let pad = " ".repeat(width.saturating_sub(key.width()));
            let key = format!("{key}{pad}");
            writeln!(self.w(), "    {}  {value}", key.cyan())?;
        }
        Ok(())
    }

    /// A URL on a line of its own, for copying.
    pub fn url(&mut self, url: &str) -> Result {
        let shown = exchange::mask_url(url, self.show_secrets);
        writeln!(self.w(), "    {}", shown.underline())
    }

    /// Lesson text (Markdown).
    pub fn lesson(&mut self, text: &str) -> Result {
        let rendered = markdown::render(text);
        self.w().write_all(rendered.as_bytes())
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
        Ok(spinner::spin(what, timeout, work).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_bar(title: &str, target: &str) -> String {
        colored::control::set_override(false);
        let mut out = Vec::new();
        Printer::new(&mut out, false)
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

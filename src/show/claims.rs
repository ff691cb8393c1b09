//! Printing a decoded token: its header on one line, then each claim with its value and, for
//! the claims that matter, one line on what it means.

use colored::Colorize;
use unicode_width::UnicodeWidthStr;

use super::{Printer, fit};

/// One claim, ready to print.
pub struct ClaimRow {
    pub name: String,
    pub value: String,
    /// One line from the claims lesson, when there is one.
    pub meaning: Option<String>,
}

impl Printer<'_> {
    /// A token's header and claims.
    pub fn claims(&mut self, header: &serde_json::Value, rows: &[ClaimRow]) -> std::io::Result<()> {
        let room = self.view.width.saturating_sub(11);
        for (i, line) in self
            .fit_value(&header.to_string(), room, room)
            .iter()
            .enumerate()
        {
            let label = if i == 0 { "header" } else { "      " };
            writeln!(self.w(), "    {} {line}", label.cyan())?;
        }
        self.explained_rows(rows)
    }

    /// Rows of name, value and (when known) one line of meaning.
    pub fn explained_rows(&mut self, rows: &[ClaimRow]) -> std::io::Result<()> {
        let width = rows
            .iter()
            .map(|row| row.name.width())
            .max()
            .unwrap_or(0)
            .max(6);
        let pad = " ".repeat(width);
        let room = self.view.width.saturating_sub(width + 6);
        for row in rows {
            let name = format!("{:<width$}", row.name);
            for (i, line) in self.fit_value(&row.value, room, room).iter().enumerate() {
                let name = if i == 0 { name.cyan() } else { pad.normal() };
                writeln!(self.w(), "    {name}  {line}")?;
            }
            if let Some(meaning) = &row.meaning {
                let spans = super::markdown::spans(meaning);
                let lines = fit::wrap_spans(&spans, room.saturating_sub(2), room.saturating_sub(2));
                for (i, line) in lines.iter().enumerate() {
                    let mark = if i == 0 { "↳ " } else { "  " };
                    let text = format!("{mark}{}", super::markdown::styled(line));
                    writeln!(self.w(), "    {pad}  {}", text.dimmed())?;
                }
            }
        }
        Ok(())
    }
}

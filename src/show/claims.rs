//! Printing a decoded token: its header on one line, then each claim with its value and, for
//! the claims that matter, one line on what it means.

use colored::Colorize;

use super::Printer;

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
        writeln!(self.w(), "    {} {header}", "header".cyan())?;
        self.explained_rows(rows)
    }

    /// Rows of name, value and (when known) one line of meaning.
    pub fn explained_rows(&mut self, rows: &[ClaimRow]) -> std::io::Result<()> {
        let width = rows
            .iter()
            .map(|row| row.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(6);
        for row in rows {
            let name = format!("{:<width$}", row.name);
            writeln!(self.w(), "    {}  {}", name.cyan(), row.value)?;
            if let Some(meaning) = &row.meaning {
                let pad = " ".repeat(width);
                writeln!(
                    self.w(),
                    "    {pad}  {}",
                    format!("↳ {}", super::markdown::inline(meaning)).dimmed()
                )?;
            }
        }
        Ok(())
    }
}

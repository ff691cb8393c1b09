//! The lessons' Markdown, rendered for a terminal: headings bold, `code` coloured, block
//! quotes and code blocks set off, everything indented two spaces. Only the few constructs
//! the lessons use are handled; anything else prints as written.

use colored::Colorize;

pub(super) fn render(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let rendered = if in_code {
            format!("      {}", line.dimmed())
        } else if let Some(title) = line.strip_prefix("# ") {
            format!("{}", title.bold().underline())
        } else if let Some(title) = line.strip_prefix("## ") {
            format!("  {}", title.bold())
        } else if let Some(quote) = line.strip_prefix("> ") {
            format!("  {} {}", "│".dimmed(), inline(quote))
        } else if line.is_empty() {
            String::new()
        } else {
            format!("  {}", inline(line))
        };
        out.push_str(&rendered);
        out.push('\n');
    }
    out
}

/// `code` and **bold** inside a line.
pub(super) fn inline(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(['`', '*']) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let (marker, styled): (&str, fn(&str) -> String) = if from.starts_with("**") {
            ("**", |s| s.bold().to_string())
        } else if from.starts_with('`') {
            ("`", |s| s.cyan().to_string())
        } else if from[1..].starts_with(|c: char| c.is_alphanumeric()) && from[1..].contains('*') {
            ("*", |s| s.italic().to_string())
        } else {
            out.push('*');
            rest = &from[1..];
            continue;
        };
        let body = &from[marker.len()..];
        match body.find(marker) {
            Some(end) => {
                out.push_str(&styled(&body[..end]));
                rest = &body[end + marker.len()..];
            }
            None => {
                out.push_str(from);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_dropped_and_text_is_kept_when_colour_is_off() {
        colored::control::set_override(false);
        assert_eq!(inline("a `b` **c** d *e* f * g"), "a b c d e f * g");
        assert_eq!(
            render("# T\n\ntext\n```\ncode\n```\n"),
            "T\n\n  text\n      code\n"
        );
    }
}

//! The lessons' Markdown, rendered for a terminal: headings bold, `code` coloured, lists with a
//! hanging indent, everything indented two spaces. The files are wrapped by hand near 96
//! columns; here each paragraph and list item is joined again and re-flowed to the width of
//! the screen. Only the few constructs the lessons use are handled; code blocks print as
//! written, and anything else as a paragraph.

use colored::Colorize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::fit::{Span, Style, wrap_spans};

/// One block of a lesson.
enum Block {
    Title(String),
    Heading(String),
    /// A paragraph, a list item or a quote: its marker (`- `, `1. `, `│ `) and its text.
    Prose {
        marker: String,
        text: String,
    },
    Code(String),
    Blank,
}

/// Joins two hand-wrapped lines of one paragraph: with a space, except between two Chinese
/// characters and beside full-width punctuation (Chinese has no spaces between words).
fn join(text: &mut String, line: &str) {
    let line = line.trim();
    let wide = |c: Option<char>| c.and_then(|c| c.width()).unwrap_or(0) >= 2;
    let punctuation =
        |c: Option<char>| c.is_some_and(|c| "，。、；：？！（）「」“”《》—".contains(c));
    let (last, next) = (text.chars().last(), line.chars().next());
    let no_space = (wide(last) && wide(next)) || punctuation(last) || punctuation(next);
    if !text.is_empty() && !no_space {
        text.push(' ');
    }
    text.push_str(line);
}

/// `- ` or `12. ` at the start of a line.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            blocks.push(Block::Code(line.to_owned()));
            continue;
        }
        let continues = matches!(blocks.last(), Some(Block::Prose { .. }));
        if let Some(title) = line.strip_prefix("# ") {
            blocks.push(Block::Title(title.to_owned()));
        } else if let Some(title) = line.strip_prefix("## ") {
            blocks.push(Block::Heading(title.to_owned()));
        } else if line.trim().is_empty() {
            blocks.push(Block::Blank);
        } else if let Some(at) = list_marker(line) {
            blocks.push(Block::Prose {
                marker: line[..at].to_owned(),
                text: line[at..].trim().to_owned(),
            });
        } else if let Some(quote) = line.strip_prefix("> ") {
            match blocks.last_mut() {
                Some(Block::Prose { marker, text }) if marker == "│ " => join(text, quote),
                _ => blocks.push(Block::Prose {
                    marker: "│ ".to_owned(),
                    text: quote.trim().to_owned(),
                }),
            }
        } else if continues {
            if let Some(Block::Prose { text, .. }) = blocks.last_mut() {
                join(text, line);
            }
        } else {
            blocks.push(Block::Prose {
                marker: String::new(),
                text: line.trim().to_owned(),
            });
        }
    }
    blocks
}

/// The lesson, wrapped to `width` columns.
pub(super) fn render(text: &str, width: usize) -> String {
    let mut out = String::new();
    for block in blocks(text) {
        match block {
            Block::Title(title) => {
                let spans = [(Style::Bold, title)];
                for line in wrap_spans(&spans, width, width) {
                    let line: String = line.into_iter().map(|(_, t)| t).collect();
                    out.push_str(&format!("{}\n", line.bold().underline()));
                }
            }
            Block::Heading(title) => {
                let spans = [(Style::Bold, title)];
                push_lines(&mut out, &spans, "  ", "  ", width);
            }
            Block::Prose { marker, text } => {
                let first = format!("  {marker}");
                let rest = " ".repeat(first.width());
                let marker = if marker == "│ " {
                    format!("  {}", "│".dimmed()) + " "
                } else {
                    first
                };
                push_lines(&mut out, &spans(&text), &marker, &rest, width);
            }
            Block::Code(line) => out.push_str(&format!("      {}\n", line.dimmed())),
            Block::Blank => out.push('\n'),
        }
    }
    out
}

/// Wraps `spans` after `first` (the first line) and `rest` (the others), each line styled.
fn push_lines(out: &mut String, spans: &[Span], first: &str, rest: &str, width: usize) {
    let first_width = width.saturating_sub(UnicodeWidthStr::width(strip(first).as_str()));
    let rest_width = width.saturating_sub(rest.width());
    for (i, line) in wrap_spans(spans, first_width, rest_width)
        .into_iter()
        .enumerate()
    {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(&styled(&line));
        out.push('\n');
    }
}

/// `text` without ANSI colour codes.
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

pub(super) fn styled(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|(style, text)| match style {
            Style::Plain => text.clone(),
            Style::Code => text.cyan().to_string(),
            Style::Bold => text.bold().to_string(),
            Style::Italic => text.italic().to_string(),
        })
        .collect()
}

/// `code`, **bold** and *italic* inside a paragraph, as spans; the markers are dropped.
pub(super) fn spans(line: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut plain = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(['`', '*']) {
        let (before, from) = rest.split_at(start);
        plain.push_str(before);
        let (marker, style) = if from.starts_with("**") {
            ("**", Style::Bold)
        } else if from.starts_with('`') {
            ("`", Style::Code)
        } else if from[1..].starts_with(|c: char| c.is_alphanumeric()) && from[1..].contains('*') {
            ("*", Style::Italic)
        } else {
            plain.push('*');
            rest = &from[1..];
            continue;
        };
        let body = &from[marker.len()..];
        match body.find(marker) {
            Some(end) => {
                out.push((Style::Plain, std::mem::take(&mut plain)));
                out.push((style, body[..end].to_owned()));
                rest = &body[end + marker.len()..];
            }
            None => {
                plain.push_str(from);
                rest = "";
            }
        }
    }
    plain.push_str(rest);
    out.push((Style::Plain, plain));
    out.retain(|(_, text)| !text.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_dropped_and_text_is_kept_when_colour_is_off() {
        colored::control::set_override(false);
        assert_eq!(styled(&spans("a `b` **c** d *e* f * g")), "a b c d e f * g");
        assert_eq!(
            render("# T\n\ntext\n```\ncode\n```\n", 80),
            "T\n\n  text\n      code\n"
        );
    }

    #[test]
    fn hand_wrapped_paragraphs_and_list_items_are_reflowed_to_the_width() {
        colored::control::set_override(false);
        let text = "One two three\nfour five six seven.\n\n- an item that\n  goes on\n- another\n";
        assert_eq!(
            render(text, 20),
            "  One two three four\n  five six seven.\n\n  - an item that\n    goes on\n  - another\n"
        );
    }

    #[test]
    fn chinese_lines_join_without_a_space_and_emphasis_split_by_the_file_is_closed() {
        colored::control::set_override(false);
        let text = "密码叫作*应用\n密钥*。今天（state、\nnonce）";
        assert_eq!(
            render(text, 80),
            "  密码叫作应用密钥。今天（state、nonce）\n"
        );
    }
}

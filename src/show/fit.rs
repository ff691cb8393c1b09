//! Fitting text to the terminal: how wide it is, prose wrapped by display width, and values
//! too long for a line broken at their natural seams or shortened.
//!
//! Widths are display columns (`unicode-width`): a Chinese character takes two. Chinese has no
//! spaces, so a line may break between two wide characters, except before closing punctuation
//! (`，。）`) or after opening punctuation (`（“`). Prose wraps as styled spans, so an emphasis
//! is closed on one line and opened again on the next, never left as a stray `*`.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The width when there is no terminal to ask and `COLUMNS` is not set.
pub const FALLBACK_WIDTH: usize = 80;
/// Wider lines are hard to read, however wide the terminal.
pub const READING_WIDTH: usize = 100;
/// Narrower than this, nothing reads well; wrapping to it still beats overflowing.
const NARROWEST: usize = 40;

/// The terminal's width in columns: `COLUMNS` when set (an explicit ask wins), else the
/// terminal stdout is on, else 80.
pub fn terminal_width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|value| value.trim().parse::<usize>().ok())
        .filter(|columns| *columns > 0);
    let from_terminal =
        || terminal_size::terminal_size().map(|(terminal_size::Width(w), _)| usize::from(w));
    from_env
        .or_else(from_terminal)
        .unwrap_or(FALLBACK_WIDTH)
        .max(NARROWEST)
}

/// How wide the transcript is written: the terminal's width, at most [`READING_WIDTH`].
pub fn reading_width(terminal: usize) -> usize {
    terminal.clamp(NARROWEST, READING_WIDTH)
}

/// How a piece of prose looks; the printer turns it into colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Code,
    Bold,
    Italic,
}

/// A run of text in one style.
pub type Span = (Style, String);

/// Closing punctuation a line may not start with.
fn no_line_start(c: char) -> bool {
    "，。、；：？！）」』”’》〉…,.;:?!)]}%".contains(c)
}

/// Opening punctuation a line may not end with.
fn no_line_end(c: char) -> bool {
    "（「『“‘《〈([{".contains(c)
}

fn is_wide(c: char) -> bool {
    c.width().unwrap_or(0) >= 2
}

/// Whether a line may break between `before` and `after`.
fn may_break(before: char, after: char) -> bool {
    if after == ' ' {
        return false;
    }
    if before == ' ' {
        return true;
    }
    (is_wide(before) || is_wide(after)) && !no_line_start(after) && !no_line_end(before)
}

/// Wraps styled spans into lines: the first at most `first` columns wide, the rest `rest`.
/// A word wider than a line is cut where it reaches the edge.
pub fn wrap_spans(spans: &[Span], first: usize, rest: usize) -> Vec<Vec<Span>> {
    let chars: Vec<(char, Style)> = spans
        .iter()
        .flat_map(|(style, text)| text.chars().map(move |c| (c, *style)))
        .collect();
    let mut lines: Vec<Vec<(char, Style)>> = Vec::new();
    let mut line: Vec<(char, Style)> = Vec::new();
    let mut used = 0;
    let mut last_break: Option<usize> = None;
    let mut previous: Option<char> = None;
    for (c, style) in chars {
        if c == '\n' {
            lines.push(std::mem::take(&mut line));
            (used, last_break, previous) = (0, None, None);
            continue;
        }
        if line.is_empty() && c == ' ' && !lines.is_empty() {
            continue;
        }
        if previous.is_some_and(|p| may_break(p, c)) {
            last_break = Some(line.len());
        }
        let cw = c.width().unwrap_or(0);
        let limit = if lines.is_empty() { first } else { rest }.max(1);
        if c == ' ' && used + cw > limit && !line.is_empty() {
            // A space at the edge ends the line where it is.
            lines.push(std::mem::take(&mut line));
            (used, last_break, previous) = (0, None, Some(c));
            continue;
        }
        if used + cw > limit && !line.is_empty() {
            let carried = match last_break.filter(|at| *at > 0) {
                Some(at) => line.split_off(at),
                None => Vec::new(),
            };
            while line.last().is_some_and(|(c, _)| *c == ' ') {
                line.pop();
            }
            lines.push(std::mem::replace(&mut line, carried));
            while line.first().is_some_and(|(c, _)| *c == ' ') {
                line.remove(0);
            }
            used = line.iter().map(|(c, _)| c.width().unwrap_or(0)).sum();
            last_break = None;
            if line.is_empty() && c == ' ' {
                previous = Some(c);
                continue;
            }
        }
        line.push((c, style));
        used += cw;
        previous = Some(c);
    }
    while line.last().is_some_and(|(c, _)| *c == ' ') {
        line.pop();
    }
    lines.push(line);
    lines.into_iter().map(|chars| regroup(&chars)).collect()
}

/// Characters back into spans of one style each.
fn regroup(chars: &[(char, Style)]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    for (c, style) in chars {
        match spans.last_mut() {
            Some((last, text)) if last == style => text.push(*c),
            _ => spans.push((*style, c.to_string())),
        }
    }
    spans
}

/// Plain text wrapped to `width`: the first line after `first_indent`, the others after
/// `rest_indent` (both included in the width). Lines joined with `\n`, no trailing newline.
pub fn wrap(text: &str, width: usize, first_indent: &str, rest_indent: &str) -> String {
    let spans = [(Style::Plain, text.to_owned())];
    let first = width.saturating_sub(first_indent.width());
    let rest = width.saturating_sub(rest_indent.width());
    wrap_spans(&spans, first, rest)
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let indent = if i == 0 { first_indent } else { rest_indent };
            let text: String = line.iter().map(|(_, t)| t.as_str()).collect();
            format!("{indent}{text}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `1600` → `1,600`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The first characters of `value` that fit in `columns`, then `…` and `suffix`
/// (`[1,600 chars]`): a value too long for the line, shortened in the default view.
pub fn shorten(value: &str, columns: usize, suffix: &str) -> String {
    let tail = format!("… {suffix}");
    let room = columns.saturating_sub(tail.width()).max(8);
    let mut kept = String::new();
    let mut used = 0;
    for c in value.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > room {
            break;
        }
        kept.push(c);
        used += cw;
    }
    format!("{kept}{tail}")
}

/// Where a value may be broken: after `;`, `,` and spaces, before `?` and `&` (a URL's
/// query, a form's pairs) and before a single `/` (a path). Never inside `[…]`, which holds a
/// masked or shortened value's note. Returns the pieces; joined, they are the value.
pub fn seams(value: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut previous = None;
    let mut chars = value.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|(_, c)| *c);
        let cut = match c {
            '[' => {
                depth += 1;
                None
            }
            ']' => {
                depth = depth.saturating_sub(1);
                None
            }
            _ if depth > 0 => None,
            '?' | '&' => Some(at),
            '/' if previous != Some('/') && next != Some('/') => Some(at),
            ' ' if next == Some('[') => None,
            ';' | ',' | ' ' => Some(at + c.len_utf8()),
            _ => None,
        };
        if let Some(cut) = cut.filter(|cut| *cut > start && *cut < value.len()) {
            pieces.push(&value[start..cut]);
            start = cut;
        }
        previous = Some(c);
    }
    pieces.push(&value[start..]);
    pieces
}

/// A value laid out in lines: the first at most `first` columns, the rest `rest`, broken at
/// its [`seams`]. A piece still too long is shortened by `shorten_as` (given the piece and
/// the columns it may take), or left whole when that returns `None` (`--full`).
pub fn break_value(
    value: &str,
    first: usize,
    rest: usize,
    shorten_as: &dyn Fn(&str, usize) -> Option<String>,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for piece in seams(value) {
        let limit = if lines.is_empty() { first } else { rest };
        if !line.is_empty() && line.width() + piece.width() > limit {
            lines.push(line.trim_end().to_owned());
            line = String::new();
        }
        let limit = if lines.is_empty() { first } else { rest };
        let piece = if line.is_empty() {
            piece.trim_start()
        } else {
            piece
        };
        if line.width() + piece.width() > limit {
            let room = limit.saturating_sub(line.width());
            match shorten_as(piece, room) {
                Some(short) => line.push_str(&short),
                None => line.push_str(piece),
            }
        } else {
            line.push_str(piece);
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: Vec<Vec<Span>>) -> Vec<String> {
        lines
            .iter()
            .map(|line| line.iter().map(|(_, t)| t.as_str()).collect())
            .collect()
    }

    #[test]
    fn english_wraps_between_words_and_no_line_is_wider_than_asked() {
        let text = "the quick brown fox jumps over the lazy dog again and again";
        let lines = plain(wrap_spans(&[(Style::Plain, text.into())], 20, 16));
        assert_eq!(lines[0], "the quick brown fox");
        assert!(lines.iter().skip(1).all(|l| l.width() <= 16), "{lines:?}");
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn chinese_wraps_between_characters_counting_two_columns_each_and_keeps_punctuation() {
        let text = "应用在请任何人登录之前，必须先让标识平台认识它。";
        let lines = plain(wrap_spans(&[(Style::Plain, text.into())], 22, 22));
        assert!(lines.iter().all(|l| l.width() <= 22), "{lines:?}");
        assert_eq!(lines.concat(), text);
        assert!(
            lines.iter().all(|l| !l.starts_with(['，', '。'])),
            "{lines:?}"
        );
        assert_eq!(lines[0].chars().count(), 10);
    }

    #[test]
    fn an_emphasis_split_across_lines_keeps_its_style_on_both() {
        let spans = [
            (Style::Plain, "aaaa ".to_owned()),
            (Style::Italic, "bb cc".to_owned()),
        ];
        let lines = wrap_spans(&spans, 7, 7);
        assert_eq!(
            lines,
            [
                vec![(Style::Plain, "aaaa ".into()), (Style::Italic, "bb".into())],
                vec![(Style::Italic, "cc".into())],
            ]
        );
    }

    #[test]
    fn a_long_value_breaks_at_its_seams_and_an_unbreakable_piece_is_shortened() {
        let url = "http://h/authorize?client_id=abc&response_type=code&scope=openid";
        let lines = break_value(url, 32, 30, &|piece, room| {
            Some(shorten(piece, room, "[x]"))
        });
        assert_eq!(
            lines,
            [
                "http://h/authorize?client_id=abc",
                "&response_type=code",
                "&scope=openid"
            ]
        );
        assert_eq!(
            seams("http://h/a/b?code=0.A… [masked, 6 chars]&s=1"),
            [
                "http://h",
                "/a",
                "/b",
                "?code=0.A… [masked, 6 chars]",
                "&s=1"
            ]
        );
        let long = "A".repeat(1600);
        let short = shorten(&long, 40, "[1,600 chars]");
        assert_eq!(short.width(), 40);
        assert!(short.ends_with("AAA… [1,600 chars]"));
        assert_eq!(thousands(1600), "1,600");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}

//! The wait in step 3, on a terminal: a spinner and the time left, redrawn in place.
//!
//! It is drawn on stderr and only when both stdout and stderr are terminals, so it never
//! reaches a transcript, a pipe, a file or a snapshot: those get the plain lines printed
//! before the wait, and nothing else. One line, no colour, so it reads the same on a
//! projector; it is wiped when the wait ends.

use std::future::Future;
use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::lang::Lang;

/// Braille frames: one cell wide in every terminal font that has them.
const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/// Fast enough to look alive, slow enough to cost nothing.
const TICK: Duration = Duration::from_millis(120);

/// Whether a spinner can be drawn without reaching anything but a person's screen.
pub(super) fn wanted() -> bool {
    io::stdout().is_terminal() && io::stderr().is_terminal()
}

/// Runs `work` to its end, redrawing `⠋ {what}: 4:59 left` (in `lang`) until it finishes.
pub(super) async fn spin<F: Future>(
    what: &str,
    timeout: Duration,
    lang: Lang,
    work: F,
) -> F::Output {
    let started = Instant::now();
    let mut tick = tokio::time::interval(TICK);
    tokio::pin!(work);
    let mut frame = 0usize;
    let output = loop {
        tokio::select! {
            output = &mut work => break output,
            _ = tick.tick() => {
                let left = timeout.saturating_sub(started.elapsed());
                draw(&line(frame, what, left, lang));
                frame = frame.wrapping_add(1);
            }
        }
    };
    draw("");
    output
}

/// One frame of the spinner line.
fn line(frame: usize, what: &str, left: Duration, lang: Lang) -> String {
    let glyph = FRAMES.get(frame % FRAMES.len()).copied().unwrap_or('*');
    let seconds = left.as_secs();
    let time = format!("{}:{:02}", seconds / 60, seconds % 60);
    let left = lang.ui_with("s3-left", &[("time", &time)]);
    // A full-width colon needs no space after it.
    let colon = if what.chars().any(|c| c > '\u{2e7f}') {
        "："
    } else {
        ": "
    };
    format!("{glyph} {what}{colon}{left}")
}

/// Replaces the current line: carriage return, the text, then clear to the end of the line.
/// A spinner that cannot be drawn is not worth an error; the wait goes on.
fn draw(text: &str) {
    let mut err = io::stderr().lock();
    let _ = write!(err, "\r{text}\x1b[K");
    let _ = err.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_down_in_minutes_and_seconds() {
        let text = line(
            0,
            "waiting for the browser",
            Duration::from_secs(299),
            Lang::En,
        );

        assert_eq!(text, "⠋ waiting for the browser: 4:59 left (Ctrl-C stops)");
    }

    #[test]
    fn the_frames_turn_and_the_last_second_reads_zero() {
        let text = line(11, "waiting", Duration::from_millis(400), Lang::En);

        assert_eq!(text, "⠙ waiting: 0:00 left (Ctrl-C stops)");
    }
}

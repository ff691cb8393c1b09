//! The pauses, and the questions of the live path.
//!
//! On a terminal the tutorial pauses where a learner needs time to read: after the welcome
//! and at the end of each step ("Enter: step 2"), before each request is sent, before it opens
//! a browser, and in a failure lesson after the refusal. A pause reads one line: Enter goes
//! on; `n` stops, which is a choice, not a failure (the run ends with exit code 0 and says how
//! to pick up). Any other answer is asked again on a fresh line, so what was typed before is
//! never kept.
//!
//! With `--yes`, or when stdin is not a terminal (a script, CI, a pipe), nothing pauses and
//! every question answers itself; `--pace` then waits before each request instead.

use std::time::Duration;

use crate::error::Error;
use crate::show::Printer;

pub struct Prompt {
    /// Answer every prompt without asking.
    pub auto: bool,
    /// `--pace`: how long to wait before each request when prompts answer themselves.
    pub pace: Option<Duration>,
    keyboard: Option<Keyboard>,
}

/// What a learner answered at a pause.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    Go,
    Stop,
}

impl Prompt {
    pub fn new(auto: bool, pace: Option<Duration>) -> Prompt {
        Prompt {
            auto,
            pace,
            keyboard: None,
        }
    }

    /// The pause before a request: Enter on a terminal, `--pace` when answering by itself.
    /// `n` stops before anything is sent; `resume` is the command that picks up here.
    pub async fn before_sending(
        &mut self,
        show: &mut Printer<'_>,
        resume: &str,
    ) -> Result<(), Error> {
        match self.pace {
            Some(pace) if self.auto => {
                tokio::time::sleep(pace).await;
                Ok(())
            }
            _ => {
                let question = show.lang().ui("send-it");
                self.pause(show, question, resume).await
            }
        }
    }

    /// A pause: `question` and what the keys do, then Enter goes on and `n` stops the run
    /// with [`Error::Stopped`], which says `resume`.
    pub async fn pause(
        &mut self,
        show: &mut Printer<'_>,
        question: &str,
        resume: &str,
    ) -> Result<(), Error> {
        match self.ask(show, question).await? {
            Answer::Go => Ok(()),
            Answer::Stop => Err(Error::Stopped {
                resume: resume.to_owned(),
            }),
        }
    }

    /// Asks `question` until the answer is Enter (or y) or n. Answers itself with Go.
    pub async fn ask(&mut self, show: &mut Printer<'_>, question: &str) -> Result<Answer, Error> {
        if self.auto || show.is_muted() {
            return Ok(Answer::Go);
        }
        let lang = show.lang();
        show.question(question, lang.ui("pause-keys"))?;
        loop {
            let Some(line) = self.line().await else {
                // Ctrl-D: the learner is leaving.
                return Ok(Answer::Stop);
            };
            match read_answer(&line) {
                Some(answer) => return Ok(answer),
                None => show.question(lang.ui("answer-again"), lang.ui("pause-keys"))?,
            }
        }
    }

    /// Asks for a choice among `count` numbered answers (already shown): `Some(index)` from
    /// 0, `None` when skipped with Enter or when prompts answer themselves. `n` (or Ctrl-D)
    /// stops with [`Error::Stopped`], which says `resume`.
    pub async fn choose(
        &mut self,
        show: &mut Printer<'_>,
        question: &str,
        count: usize,
        resume: &str,
    ) -> Result<Option<usize>, Error> {
        if self.auto || show.is_muted() {
            return Ok(None);
        }
        let n = count.to_string();
        let lang = show.lang();
        let keys = lang.ui_with("predict-keys", &[("n", &n)]);
        show.question(question, &keys)?;
        loop {
            let line = self.line().await.unwrap_or_else(|| "n".to_owned());
            match read_choice(&line, count) {
                Some(Choice::Picked(index)) => return Ok(Some(index)),
                Some(Choice::Skipped) => return Ok(None),
                Some(Choice::Stop) => {
                    return Err(Error::Stopped {
                        resume: resume.to_owned(),
                    });
                }
                None => show.question(&lang.ui_with("predict-again", &[("n", &n)]), &keys)?,
            }
        }
    }

    /// One line from the keyboard; `None` at the end of input.
    pub async fn line(&mut self) -> Option<String> {
        self.keyboard
            .get_or_insert_with(Keyboard::start)
            .line()
            .await
    }

    /// Asks for a value typed in the open, such as a client ID.
    pub fn text(&self, question: &str) -> Result<Option<String>, Error> {
        if self.auto {
            return Ok(None);
        }
        inquire::Text::new(question)
            .prompt()
            .map(|answer| Some(answer.trim().to_owned()).filter(|a| !a.is_empty()))
            .map_err(|e| Error::Prompt(e.to_string()))
    }

    /// Asks for a secret: nothing is echoed while it is typed.
    pub fn hidden(&self, question: &str) -> Result<Option<String>, Error> {
        if self.auto {
            return Ok(None);
        }
        inquire::Password::new(question)
            .without_confirmation()
            .with_display_mode(inquire::PasswordDisplayMode::Hidden)
            .prompt()
            .map(|answer| Some(answer.trim().to_owned()).filter(|a| !a.is_empty()))
            .map_err(|e| Error::Prompt(e.to_string()))
    }
}

/// Enter, `y` or `yes` (or 是) go on; `n` or `no` (or 否) stop; anything else is no answer.
fn read_answer(line: &str) -> Option<Answer> {
    match line.trim().to_lowercase().as_str() {
        "" | "y" | "yes" | "是" => Some(Answer::Go),
        "n" | "no" | "否" | "q" => Some(Answer::Stop),
        _ => None,
    }
}

/// What a learner answered to a numbered question.
#[derive(Debug, PartialEq, Eq)]
enum Choice {
    Picked(usize),
    Skipped,
    Stop,
}

/// A number from 1 to `count`; Enter skips; `n` stops; anything else is no answer.
fn read_choice(line: &str, count: usize) -> Option<Choice> {
    let answer = line.trim().to_lowercase();
    match answer.as_str() {
        "" => Some(Choice::Skipped),
        "n" | "no" | "否" | "q" => Some(Choice::Stop),
        number => number
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=count).contains(n))
            .map(|n| Choice::Picked(n - 1)),
    }
}

/// Lines from stdin, read by a thread of its own one at a time and only when asked for, so a
/// wait that is given up (step 3's, when the browser came back first) leaves no read behind
/// that would take the next answer: the line it was waiting for goes to the next question.
struct Keyboard {
    ask: std::sync::mpsc::Sender<()>,
    lines: tokio::sync::mpsc::Receiver<Option<String>>,
    asked: bool,
}

impl Keyboard {
    fn start() -> Keyboard {
        let (ask, asks) = std::sync::mpsc::channel::<()>();
        let (send, lines) = tokio::sync::mpsc::channel(1);
        std::thread::spawn(move || {
            for () in asks {
                let mut line = String::new();
                let read = match std::io::stdin().read_line(&mut line) {
                    Ok(0) | Err(_) => None,
                    Ok(_) => Some(line),
                };
                if send.blocking_send(read).is_err() {
                    break;
                }
            }
        });
        Keyboard {
            ask,
            lines,
            asked: false,
        }
    }

    async fn line(&mut self) -> Option<String> {
        if !self.asked {
            self.ask.send(()).ok()?;
            self.asked = true;
        }
        let line = self.lines.recv().await.flatten();
        self.asked = false;
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enter_and_yes_go_on_n_stops_and_anything_else_asks_again() {
        for go in ["", "\n", "y", "YES", " yes "] {
            assert_eq!(read_answer(go), Some(Answer::Go), "{go:?}");
        }
        for stop in ["n", "N\n", "no"] {
            assert_eq!(read_answer(stop), Some(Answer::Stop), "{stop:?}");
        }
        for other in ["maybe", "mayben", "yn"] {
            assert_eq!(read_answer(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_choice_is_a_number_in_range_enter_skips_and_n_stops() {
        assert_eq!(read_choice("1\n", 4), Some(Choice::Picked(0)));
        assert_eq!(read_choice(" 4 ", 4), Some(Choice::Picked(3)));
        assert_eq!(read_choice("\n", 4), Some(Choice::Skipped));
        assert_eq!(read_choice("n", 4), Some(Choice::Stop));
        for other in ["0", "5", "-1", "two", "1 2", "99999999999999999999999"] {
            assert_eq!(read_choice(other, 4), None, "{other:?}");
        }
    }
}

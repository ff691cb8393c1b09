//! The subcommands beyond the five steps: `break` (the failure lessons), `explain` (the
//! offline error explainer), `export` (the last run, to take away), and `progress` and `hint`
//! (what is done and what next). Each reads its flags here and hands over to its own room.

use std::io::{Read, Write};
use std::path::Path;

use crate::breaks;
use crate::checklist;
use crate::cli::{Cli, Command};
use crate::decode;
use crate::done::Done;
use crate::error::Error;
use crate::exercises;
use crate::explain;
use crate::export;
use crate::lang::Lang;
use crate::prompt::Prompt;
use crate::show::{Printer, View};

/// Whether `command` is one of these (the rest is the tutorial itself, `mock` and `reset`).
pub fn handles(command: Option<&Command>) -> bool {
    matches!(
        command,
        Some(
            Command::Break { .. }
                | Command::Explain { .. }
                | Command::Decode { .. }
                | Command::Export { .. }
                | Command::Exercise { .. }
                | Command::Progress
                | Command::Hint
        )
    )
}

pub async fn run(
    cli: &Cli,
    out: &mut dyn Write,
    interactive: bool,
    state_dir: &Path,
) -> Result<(), Error> {
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let (mut done, notice) = Done::load(state_dir);
    let view = View::for_terminal(cli.show_secrets, cli.full, lang);
    let mut show = Printer::new(out, view);
    if let Some(notice) = notice {
        show.notice(&notice)?;
    }
    match &cli.command {
        Some(Command::Break { name: None }) => breaks::list(&mut show, lang, done.lessons())?,
        Some(Command::Break { name: Some(name) }) => {
            let lesson = breaks::find(name)?;
            let prompt = Prompt::new(cli.yes || !interactive, None);
            let ran = match breaks::run(lesson, show, lang, cli.deterministic, prompt).await {
                Ok(ran) => ran,
                // Stopping at the pause is a choice: say how to run it again, and end well.
                Err(Error::Stopped { resume }) => {
                    let mut show = Printer::new(out, view);
                    show.blank()?;
                    show.say(&lang.ui_with("stopped", &[("command", &resume)]))?;
                    return Ok(());
                }
                Err(error) => return Err(error),
            };
            // The corrected request succeeded (`run` checks it), so the lesson is done.
            if let Some(prediction) = ran.prediction {
                done.predicted(
                    lesson.name,
                    prediction == breaks::predict::Prediction::Right,
                );
            }
            let recorded = done.finish_lesson(lesson.name);
            export::save(state_dir, &ran.exchanges)?;
            if let Err(error) = recorded {
                let mut show = Printer::new(out, view);
                show.notice(&format!("not recorded as done: {error}"))?;
            }
        }
        Some(Command::Exercise {
            name,
            check,
            fresh,
            dir,
        }) => {
            let dir = dir
                .clone()
                .unwrap_or_else(|| exercises::default_dir(state_dir));
            match name.as_deref() {
                None => exercises::list(&mut show, lang, &done)?,
                Some(name) => {
                    let exercise = exercises::find(name)?;
                    if *check {
                        exercises::check(
                            exercise,
                            &dir,
                            lang,
                            cli.deterministic,
                            &mut show,
                            &mut done,
                        )
                        .await?;
                    } else {
                        exercises::start(exercise, &dir, *fresh, lang, &mut show)?;
                    }
                }
            }
        }
        Some(Command::Progress) => checklist::progress(&mut show, lang, &done)?,
        Some(Command::Hint) => checklist::hint(&mut show, lang, &done)?,
        Some(Command::Explain { code }) => {
            let input = match code.as_deref() {
                Some("-") | None => read_stdin(interactive)?,
                Some(code) => code.to_owned(),
            };
            explain::run(&input, lang, &mut show)?;
        }
        Some(Command::Decode {
            token,
            jwks,
            audience,
            now,
        }) => {
            let input = match token.as_deref() {
                Some("-") | None => read_stdin(interactive)?,
                Some(token) => token.to_owned(),
            };
            let asked = decode::Asked {
                token: &input,
                jwks: jwks.as_deref(),
                audience: audience.as_deref(),
                now: now.unwrap_or_else(unix_now),
            };
            decode::run(asked, lang, &mut show).await?;
        }
        Some(Command::Export { format, out: file }) => {
            export::run(state_dir, *format, file.as_ref(), cli.show_secrets, out)?;
        }
        _ => {}
    }
    Ok(())
}

/// The clock, in Unix seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// What the learner pasted on stdin; nothing when stdin is a terminal (no waiting for input
/// the learner did not know was wanted).
fn read_stdin(interactive: bool) -> Result<String, Error> {
    if interactive {
        return Ok(String::new());
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    Ok(text)
}

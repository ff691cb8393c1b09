//! `tutorial progress` and `tutorial hint`: the checklist of the five steps, the failure
//! lessons and the fix-it exercises, rustlings-style, and what to do next.
//!
//! What counts as done is read from `done.json` (see [`crate::done`]). The next thing is the
//! first step not done, else the first failure lesson not done, else the first fix-it exercise
//! not done, in the order of the flow (an exercise's hint is its own, in its text). The
//! hint's prose comes from `lessons/<lang>/hints.md`; the screen adds the exact command.

use crate::breaks::LESSONS;
use crate::done::Done;
use crate::error::Error;
use crate::exercises::{self, EXERCISES};
use crate::explain;
use crate::lang::Lang;
use crate::lessons;
use crate::show::Printer;
use crate::walk::Step;

/// What to do next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    Step(Step),
    Lesson(&'static str),
    Exercise(&'static str),
    Nothing,
}

impl Next {
    pub fn after(done: &Done) -> Next {
        if let Some(step) = Step::ALL.into_iter().find(|s| !done.step(*s)) {
            return Next::Step(step);
        }
        if let Some(lesson) = LESSONS.iter().find(|lesson| !done.lesson(lesson.name)) {
            return Next::Lesson(lesson.name);
        }
        EXERCISES
            .iter()
            .find(|exercise| !done.exercise(exercise.name))
            .map_or(Next::Nothing, |exercise| Next::Exercise(exercise.name))
    }

    /// The exact command that does it: the whole walkthrough when no step is done yet.
    pub fn command(&self, done: &Done) -> String {
        match self {
            Next::Step(Step::Register) if !Step::ALL.iter().any(|s| done.step(*s)) => {
                "tutorial".to_owned()
            }
            Next::Step(step) => format!("tutorial --step {}", step.number()),
            Next::Lesson(name) => format!("tutorial break {name}"),
            Next::Exercise(name) => format!("tutorial exercise {name}"),
            Next::Nothing => "tutorial reset".to_owned(),
        }
    }

    /// What it is, in the learner's words.
    fn what(&self, lang: Lang) -> String {
        match self {
            Next::Step(step) => lang.ui_with(
                "next-step",
                &[
                    ("n", &step.number().to_string()),
                    ("title", explain::step_title(lang, *step)),
                ],
            ),
            Next::Lesson(name) => lang.ui_with("next-lesson", &[("name", name)]),
            Next::Exercise(name) => lang.ui_with("next-exercise", &[("name", name)]),
            Next::Nothing => String::new(),
        }
    }

    /// The key of its section in `hints.md`.
    fn hint_key(&self) -> String {
        match self {
            Next::Step(step) => format!("step-{}", step.number()),
            Next::Lesson(name) => (*name).to_owned(),
            Next::Exercise(_) | Next::Nothing => String::new(),
        }
    }
}

fn all_done(show: &mut Printer<'_>, lang: Lang) -> Result<(), Error> {
    let total = LESSONS.len().to_string();
    show.ok(&lang.ui_with("all-done", &[("total", &total)]))?;
    Ok(())
}

/// `tutorial progress`: ✔ or ✘ for each step and failure lesson, the counts, and what next.
pub fn progress(show: &mut Printer<'_>, lang: Lang, done: &Done) -> Result<(), Error> {
    show.heading(lang.ui("progress-title"))?;
    for step in Step::ALL {
        let line = format!(
            "{}  {}",
            explain::step_name(lang, step),
            explain::step_title(lang, step)
        );
        if done.step(step) {
            show.ok(&line)?;
        } else {
            show.refused(&line)?;
        }
    }
    show.heading(lang.ui("lessons-title"))?;
    let width = LESSONS.iter().map(|l| l.name.len()).max().unwrap_or(0);
    for lesson in &LESSONS {
        let line = format!(
            "{:<width$}  {}",
            lesson.name,
            explain::step_name(lang, lesson.step)
        );
        if done.lesson(lesson.name) {
            show.ok(&line)?;
        } else {
            show.refused(&line)?;
        }
    }
    show.heading(lang.ui("exercises-title"))?;
    let width = EXERCISES.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for exercise in &EXERCISES {
        let line = format!(
            "{:<width$}  {}",
            exercise.name,
            explain::step_name(lang, exercise.step)
        );
        if done.exercise(exercise.name) {
            show.ok(&line)?;
        } else {
            show.refused(&line)?;
        }
    }
    show.blank()?;
    let steps = Step::ALL.iter().filter(|s| done.step(**s)).count();
    let lessons_done = LESSONS.iter().filter(|l| done.lesson(l.name)).count();
    show.say(&lang.ui_with(
        "progress-count",
        &[
            ("steps", &steps.to_string()),
            ("lessons", &lessons_done.to_string()),
            ("total", &LESSONS.len().to_string()),
        ],
    ))?;
    let (right, made) = done.predictions();
    if made > 0 {
        show.say(&lang.ui_with(
            "progress-predictions",
            &[("right", &right.to_string()), ("made", &made.to_string())],
        ))?;
    }
    let exercises_done = EXERCISES.iter().filter(|e| done.exercise(e.name)).count();
    show.say(&lang.ui_with(
        "exercises-count",
        &[
            ("done", &exercises_done.to_string()),
            ("total", &EXERCISES.len().to_string()),
        ],
    ))?;
    let next = Next::after(done);
    if next == Next::Nothing {
        return all_done(show, lang);
    }
    show.say(&lang.ui_with("next", &[("what", &next.what(lang))]))?;
    show.say(&lang.ui_with("run", &[("command", &next.command(done))]))?;
    show.say(lang.ui("more-hint"))?;
    Ok(())
}

/// `tutorial hint`: the hint for the next thing to do, and the command that does it.
pub fn hint(show: &mut Printer<'_>, lang: Lang, done: &Done) -> Result<(), Error> {
    let next = Next::after(done);
    if next == Next::Nothing {
        show.blank()?;
        return all_done(show, lang);
    }
    show.heading(&lang.ui_with("hint-title", &[("what", &next.what(lang))]))?;
    let text = match &next {
        Next::Exercise(name) => exercises::find(name).ok().map(|e| e.hint(lang)),
        _ => lessons::hint(lang, &next.hint_key()),
    };
    if let Some(text) = text {
        show.lesson(text)?;
    }
    show.blank()?;
    show.say(&lang.ui_with("run", &[("command", &next.command(done))]))?;
    Ok(())
}

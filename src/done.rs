//! What the learner has done: the steps that finished and the failure lessons whose corrected
//! request succeeded, for `tutorial progress`, `tutorial hint` and the ✔ column of
//! `tutorial break`.
//!
//! It lives beside `progress.json`, in `done.json`, because the two answer different
//! questions: `progress.json` holds what one target issued (an app, a code, tokens), and is
//! started afresh with each offline mock; `done.json` holds what the learner has seen work,
//! whatever the target. A step counts when it ran on screen and finished (a quiet replay of
//! earlier steps does not count: the learner did not see it); a failure lesson counts when its
//! corrected request succeeded. `tutorial reset` forgets both files.
//!
//! Format (JSON, written by [`Done::save`], mode 0600 like `progress.json`):
//! `{"format_version": 1, "steps": [1, 2], "lessons": ["wrong-secret"], "exercises":
//! ["missing-content-type"]}`: step numbers, lesson names and the fix-it exercises whose
//! check passed, each once, sorted (`exercises` may be absent: none yet). A file that does not
//! parse, or has another `format_version`, is renamed to `done.json.old` and reported; nothing
//! is counted done.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::state_file::{self, Loaded};
use crate::walk::Step;

const FORMAT_VERSION: u32 = 1;
pub const FILE_NAME: &str = "done.json";

#[derive(Debug, Default, Deserialize, Serialize)]
struct Saved {
    format_version: u32,
    steps: Vec<u8>,
    lessons: Vec<String>,
    /// Failure lessons whose refusal the learner tried to predict: was the last guess right?
    /// (Absent from records written before predictions were asked.)
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    predictions: BTreeMap<String, bool>,
    /// The fix-it exercises whose check passed (absent from older records).
    #[serde(default)]
    exercises: Vec<String>,
}

/// The steps and failure lessons done so far, and where that is kept.
#[derive(Debug)]
pub struct Done {
    dir: PathBuf,
    saved: Saved,
}

impl Done {
    /// Reads what is done from `dir`; nothing when there is no file. The second value is a
    /// notice for the learner when a file had to be set aside.
    pub fn load(dir: &Path) -> (Done, Option<String>) {
        let fresh = Done {
            dir: dir.to_owned(),
            saved: Saved {
                format_version: FORMAT_VERSION,
                ..Saved::default()
            },
        };
        let path = dir.join(FILE_NAME);
        let version = |saved: &Saved| match saved.format_version {
            FORMAT_VERSION => Ok(()),
            other => Err(format!("it has format version {other}")),
        };
        let notice = match state_file::read(&path, version) {
            Loaded::Missing => return (fresh, None),
            Loaded::Read(saved) => {
                return (
                    Done {
                        dir: dir.to_owned(),
                        saved,
                    },
                    None,
                );
            }
            Loaded::SetAside {
                why,
                aside: Ok(aside),
            } => format!(
                "the record of what is done, {}, was set aside as {}: {why}; counting from nothing",
                path.display(),
                aside.display()
            ),
            Loaded::SetAside { why, aside: Err(e) } => format!(
                "the record of what is done, {}, is unusable ({why}) and could not be moved ({e}); counting from nothing",
                path.display()
            ),
        };
        (fresh, Some(notice))
    }

    pub fn step(&self, step: Step) -> bool {
        self.saved.steps.contains(&step.number())
    }

    pub fn lesson(&self, name: &str) -> bool {
        self.saved.lessons.iter().any(|done| done == name)
    }

    pub fn exercise(&self, name: &str) -> bool {
        self.saved.exercises.iter().any(|done| done == name)
    }

    /// Marks the fix-it exercise `name` done (its check passed) and saves.
    pub fn finish_exercise(&mut self, name: &str) -> Result<(), Error> {
        if !self.exercise(name) {
            self.saved.exercises.push(name.to_owned());
            self.saved.exercises.sort_unstable();
        }
        self.save()
    }

    /// The names of the failure lessons done.
    pub fn lessons(&self) -> &[String] {
        &self.saved.lessons
    }

    /// Notes the learner's guess at lesson `name`'s refusal (saved with the lesson).
    pub fn predicted(&mut self, name: &str, right: bool) {
        self.saved.predictions.insert(name.to_owned(), right);
    }

    /// How many lessons' refusals were predicted right, and of how many guessed.
    pub fn predictions(&self) -> (usize, usize) {
        let right = self.saved.predictions.values().filter(|r| **r).count();
        (right, self.saved.predictions.len())
    }

    /// Marks `step` done and saves.
    pub fn finish_step(&mut self, step: Step) -> Result<(), Error> {
        if !self.step(step) {
            self.saved.steps.push(step.number());
            self.saved.steps.sort_unstable();
        }
        self.save()
    }

    /// Marks the failure lesson `name` done and saves.
    pub fn finish_lesson(&mut self, name: &str) -> Result<(), Error> {
        if !self.lesson(name) {
            self.saved.lessons.push(name.to_owned());
            self.saved.lessons.sort_unstable();
        }
        self.save()
    }

    /// Writes the record, readable by its owner only (written aside, then renamed, so a
    /// crash mid-write leaves the old record whole).
    pub fn save(&self) -> Result<(), Error> {
        let path = self.dir.join(FILE_NAME);
        let failed = |reason: String| Error::Progress {
            path: path.clone(),
            reason,
        };
        let text = serde_json::to_string_pretty(&self.saved).map_err(|e| failed(e.to_string()))?;
        state_file::write(&path, text.as_bytes()).map_err(|e| failed(e.to_string()))
    }

    /// Forgets what is done. Returns whether there was a record.
    pub fn reset(dir: &Path) -> Result<bool, Error> {
        let path = dir.join(FILE_NAME);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::Progress {
                path,
                reason: e.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_done_round_trips_with_owner_only_permissions() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let (mut done, _) = Done::load(dir.path());

        done.finish_step(Step::Redirect).expect("saves");
        done.finish_step(Step::Register).expect("saves");
        done.finish_lesson("wrong-secret").expect("saves");
        let (again, notice) = Done::load(dir.path());

        assert!(notice.is_none());
        assert!(again.step(Step::Register) && again.step(Step::Redirect));
        assert!(!again.step(Step::ReceiveCode));
        assert!(again.lesson("wrong-secret"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(FILE_NAME))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn predictions_are_kept_per_lesson_and_a_record_without_them_still_reads() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let old = r#"{"format_version": 1, "steps": [1], "lessons": ["wrong-secret"]}"#;
        fs::write(dir.path().join(FILE_NAME), old).expect("write");
        let (mut done, notice) = Done::load(dir.path());
        assert!(notice.is_none());
        assert_eq!(done.predictions(), (0, 0));

        done.predicted("wrong-secret", false);
        done.predicted("code-expired", true);
        done.predicted("wrong-secret", true);
        done.save().expect("saves");
        let (again, _) = Done::load(dir.path());

        assert_eq!(again.predictions(), (2, 2), "the last guess counts");
        assert!(again.lesson("wrong-secret"));
    }

    #[test]
    fn a_corrupt_record_is_set_aside_and_nothing_counts_as_done() {
        let dir = tempfile::tempdir().expect("a temp dir");
        fs::write(dir.path().join(FILE_NAME), "[1, 2").expect("write");

        let (done, notice) = Done::load(dir.path());

        assert!(!done.step(Step::Register));
        assert!(notice.expect("a notice").contains("set aside"));
        assert!(dir.path().join("done.json.old").exists());
    }
}

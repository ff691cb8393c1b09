//! A learner at a fix-it exercise: start it, edit its file, check it.

use std::path::{Path, PathBuf};

use super::{Run, tutorial_in};

/// Where `tutorial exercise NAME` writes the exercise's request.
pub fn file(dir: &Path, name: &str) -> PathBuf {
    dir.join("exercises").join(format!("{name}.http"))
}

/// `tutorial exercise NAME`: the file it wrote.
pub fn start(dir: &Path, name: &str) -> String {
    let run = tutorial_in(dir, &["exercise", name]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    std::fs::read_to_string(file(dir, name)).expect("the exercise file is written")
}

/// `tutorial exercise NAME --check`, against a deterministic mock.
pub fn check(dir: &Path, name: &str) -> Run {
    tutorial_in(dir, &["--deterministic", "exercise", name, "--check"])
}

/// Edits the file as a learner would: one piece of text replaced by another.
pub fn edit(dir: &Path, name: &str, from: &str, to: &str) {
    let path = file(dir, name);
    let text = std::fs::read_to_string(&path).expect("the file");
    assert!(text.contains(from), "{name}: no {from:?} in\n{text}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("edited");
}

//! `tutorial exercise`: the list, a broken request written to a private file, a check that
//! fails with the mock's own answer and a hint, the learner's edit that makes it pass, and what
//! `progress` and `hint` then say. Bad input is in `exercise_input.rs`.

mod support;

use std::path::Path;

use graph_oauth_tutorial::exercises::EXERCISES;
use support::exercise::{check, edit, file, start};
use support::tutorial_in;

/// `text` with the temp folder's path as `[dir]`.
fn stable(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[dir]")
}

#[test]
fn the_list_has_at_least_six_exercises_with_their_step_and_one_line() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let run = tutorial_in(dir.path(), &["exercise"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(EXERCISES.len() >= 6);
    for exercise in &EXERCISES {
        assert!(run.stdout.contains(exercise.name), "{}", exercise.name);
    }
    insta::assert_snapshot!("exercise_list", run.stdout);
}

#[test]
fn starting_one_writes_the_broken_request_to_a_private_file_and_says_what_to_fix() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let run = tutorial_in(dir.path(), &["exercise", "missing-content-type"]);

    assert_eq!(run.status, 0, "{}", run.stderr);
    insta::assert_snapshot!("exercise_start", stable(&run.stdout, dir.path()));
    let path = file(dir.path(), "missing-content-type");
    let text = std::fs::read_to_string(&path).expect("written");
    insta::assert_snapshot!("exercise_file", text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().expect("a folder")), 0o700);
    }
}

#[test]
fn starting_again_keeps_the_learners_edits_unless_asked_for_a_fresh_copy() {
    let dir = tempfile::tempdir().expect("a temp dir");
    start(dir.path(), "id-token-as-bearer");
    edit(
        dir.path(),
        "id-token-as-bearer",
        "Bearer {{ID_TOKEN}}",
        "Bearer {{ACCESS_TOKEN}}",
    );

    let again = tutorial_in(dir.path(), &["exercise", "id-token-as-bearer"]);
    let kept = std::fs::read_to_string(file(dir.path(), "id-token-as-bearer")).expect("file");
    assert!(again.stdout.contains("left as it is"), "{}", again.stdout);
    assert!(kept.contains("Bearer {{ACCESS_TOKEN}}"));

    let fresh = tutorial_in(dir.path(), &["exercise", "id-token-as-bearer", "--fresh"]);
    assert_eq!(fresh.status, 0, "{}", fresh.stderr);
    let anew = std::fs::read_to_string(file(dir.path(), "id-token-as-bearer")).expect("file");
    assert!(anew.contains("Bearer {{ID_TOKEN}}"));
}

#[test]
fn the_unedited_request_fails_with_the_mocks_answer_and_a_hint() {
    let dir = tempfile::tempdir().expect("a temp dir");
    start(dir.path(), "wrong-redirect-uri");

    let run = check(dir.path(), "wrong-redirect-uri");

    assert_eq!(run.status, 1, "{}", run.stdout);
    let words = support::words(&run.stdout);
    assert!(
        words.contains("Not yet: the mock answered 400 AADSTS50011"),
        "{}",
        run.stdout
    );
    assert!(
        words.contains("The redirect URI 'http://localhost:8000/callback'"),
        "{}",
        run.stdout
    );
    assert!(words.contains("Compare the two URLs"), "{}", run.stdout);
    assert!(
        words.contains("tutorial explain AADSTS50011"),
        "{}",
        run.stdout
    );
    assert!(
        support::words(&run.stderr).contains("does not pass yet"),
        "{}",
        run.stderr
    );
    assert_transcript!("exercise_check_fails", stable(&run.stdout, dir.path()));
}

#[test]
fn a_learner_who_edits_the_file_as_the_hint_says_gets_a_pass_and_progress_counts_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    start(dir.path(), "missing-content-type");
    let before = check(dir.path(), "missing-content-type");
    assert_eq!(before.status, 1);
    assert!(
        support::words(&before.stdout).contains("AADSTS900144"),
        "{}",
        before.stdout
    );

    // The header goes right under the request line.
    edit(
        dir.path(),
        "missing-content-type",
        "oauth2/v2.0/token\n",
        "oauth2/v2.0/token\nContent-Type: application/x-www-form-urlencoded\n",
    );
    let after = check(dir.path(), "missing-content-type");

    assert_eq!(after.status, 0, "{}\n{}", after.stdout, after.stderr);
    assert!(
        after.stdout.contains("Pass: 200 OK. Fixed."),
        "{}",
        after.stdout
    );
    assert_transcript!("exercise_check_passes", stable(&after.stdout, dir.path()));
    let progress = tutorial_in(dir.path(), &["progress"]);
    assert!(
        progress.stdout.contains("✔ missing-content-type"),
        "{}",
        progress.stdout
    );
    assert!(
        progress
            .stdout
            .contains(&format!("Fix-it exercises 1/{}", EXERCISES.len()))
    );
    let list = tutorial_in(dir.path(), &["exercise"]);
    assert!(
        list.stdout.contains("✔ missing-content-type"),
        "{}",
        list.stdout
    );
}

#[test]
fn every_exercise_fails_as_written_and_passes_once_fixed() {
    let fixes: [(&str, &str, &str); 6] = [
        (
            "wrong-redirect-uri",
            "localhost%3A8000%2Fcallback",
            "localhost%3A8000%2Fconnect%2Fget_token%2F",
        ),
        (
            "missing-code-verifier",
            "&redirect_uri=",
            "&code_verifier={{CODE_VERIFIER}}&redirect_uri=",
        ),
        (
            "resource-on-v2",
            "resource=https%3A%2F%2Fgraph.microsoft.com",
            "scope=openid%20profile%20offline_access%20User.Read%20Mail.Send%20Mail.Read",
        ),
        (
            "missing-content-type",
            "oauth2/v2.0/token\n",
            "oauth2/v2.0/token\nContent-Type: application/x-www-form-urlencoded\n",
        ),
        (
            "id-token-as-bearer",
            "Bearer {{ID_TOKEN}}",
            "Bearer {{ACCESS_TOKEN}}",
        ),
        (
            "malformed-recipient",
            "[{\"address\": \"MeganB@contoso.onmicrosoft.com\"}]",
            "[{\"emailAddress\": {\"address\": \"MeganB@contoso.onmicrosoft.com\"}}]",
        ),
    ];
    assert_eq!(fixes.len(), EXERCISES.len(), "a fix for every exercise");
    let dir = tempfile::tempdir().expect("a temp dir");
    for (name, from, to) in fixes {
        start(dir.path(), name);
        let broken = check(dir.path(), name);
        assert_eq!(
            broken.status, 1,
            "{name} fails as written:\n{}",
            broken.stdout
        );
        assert!(broken.stdout.contains("Not yet"), "{name}");

        edit(dir.path(), name, from, to);
        let fixed = check(dir.path(), name);
        assert_eq!(
            fixed.status, 0,
            "{name} passes once fixed:\n{}\n{}",
            fixed.stdout, fixed.stderr
        );
    }
    let hint = tutorial_in(dir.path(), &["progress"]);
    assert!(
        hint.stdout
            .contains(&format!("Fix-it exercises {0}/{0}", EXERCISES.len())),
        "{}",
        hint.stdout
    );
}

#[test]
fn hint_points_at_the_first_exercise_once_steps_and_lessons_are_done() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let steps: Vec<u8> = (1..=5).collect();
    let lessons: Vec<&str> = graph_oauth_tutorial::breaks::LESSONS
        .iter()
        .map(|l| l.name)
        .collect();
    let record = serde_json::json!({"format_version": 1, "steps": steps, "lessons": lessons});
    std::fs::write(dir.path().join("done.json"), record.to_string()).expect("a record");

    let hint = tutorial_in(dir.path(), &["hint"]);
    let progress = tutorial_in(dir.path(), &["progress"]);

    assert!(
        hint.stdout
            .contains("Hint for the exercise wrong-redirect-uri"),
        "{}",
        hint.stdout
    );
    assert!(
        support::words(&hint.stdout).contains("Compare the two URLs"),
        "{}",
        hint.stdout
    );
    assert!(
        hint.stdout
            .contains("Run: tutorial exercise wrong-redirect-uri"),
        "{}",
        hint.stdout
    );
    assert!(
        progress
            .stdout
            .contains("Next: the exercise wrong-redirect-uri"),
        "{}",
        progress.stdout
    );
}

#[test]
fn the_exercise_speaks_chinese_when_asked_and_writes_its_file_so() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let run = tutorial_in(
        dir.path(),
        &["--lang", "zh-CN", "exercise", "resource-on-v2"],
    );
    let check = tutorial_in(
        dir.path(),
        &[
            "--lang",
            "zh-CN",
            "--deterministic",
            "exercise",
            "resource-on-v2",
            "--check",
        ],
    );

    assert!(run.stdout.contains("出错的请求已写入"), "{}", run.stdout);
    let text = std::fs::read_to_string(file(dir.path(), "resource-on-v2")).expect("file");
    assert!(text.contains("检查时会填入"), "{text}");
    assert_eq!(check.status, 1);
    assert!(
        check
            .stdout
            .contains("还没有通过：模拟服务器回答 400 AADSTS901002"),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("提示"), "{}", check.stdout);
}

//! `tutorial exercise` given bad input: a missing file, one that does not parse, a request
//! aimed away from the mock or naming a value the check does not know, an unknown name. Each
//! is refused with exit code 2 and what to do, before anything is sent.

mod support;

use support::exercise::{check, edit, start};
use support::tutorial_in;

#[test]
fn checking_a_file_that_is_not_there_says_how_to_get_it() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let run = check(dir.path(), "malformed-recipient");

    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("malformed-recipient.http to check"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("try: tutorial exercise malformed-recipient"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_does_not_parse_is_refused_with_its_line_and_nothing_is_sent() {
    let dir = tempfile::tempdir().expect("a temp dir");
    start(dir.path(), "malformed-recipient");
    // A learner deletes the blank line between the headers and the body.
    edit(
        dir.path(),
        "malformed-recipient",
        "application/json\n\n{",
        "application/json\n{",
    );

    let run = check(dir.path(), "malformed-recipient");

    assert_eq!(run.status, 2, "{}", run.stdout);
    let words = support::words(&run.stderr);
    assert!(
        words.contains("does not read as a request: line"),
        "{}",
        run.stderr
    );
    assert!(words.contains("is not a header"), "{}", run.stderr);
    assert!(
        !run.stdout.contains("→"),
        "nothing was sent:\n{}",
        run.stdout
    );
}

#[test]
fn a_request_aimed_away_from_the_mock_or_naming_an_unknown_value_is_refused() {
    let dir = tempfile::tempdir().expect("a temp dir");
    start(dir.path(), "id-token-as-bearer");
    edit(
        dir.path(),
        "id-token-as-bearer",
        "GET {{BASE}}",
        "GET https://graph.microsoft.com",
    );
    let elsewhere = check(dir.path(), "id-token-as-bearer");
    assert_eq!(elsewhere.status, 2);
    assert!(
        support::words(&elsewhere.stderr).contains("sends only to its mock"),
        "{}",
        elsewhere.stderr
    );

    tutorial_in(dir.path(), &["exercise", "id-token-as-bearer", "--fresh"]);
    edit(
        dir.path(),
        "id-token-as-bearer",
        "Bearer {{ID_TOKEN}}",
        "Bearer {{TOKEN}}",
    );
    let unknown = check(dir.path(), "id-token-as-bearer");
    assert_eq!(unknown.status, 2);
    assert!(
        support::words(&unknown.stderr).contains("{{TOKEN}} is not a value the check knows"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn an_unknown_exercise_says_how_to_list_them() {
    let dir = tempfile::tempdir().expect("a temp dir");

    let run = tutorial_in(dir.path(), &["exercise", "no-such-thing"]);

    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("try: tutorial exercise (lists them)"),
        "{}",
        run.stderr
    );
}

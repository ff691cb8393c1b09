//! The instructor's side of a classroom: the request log and the live classroom page.

use std::time::Duration;

use crate::instructor;
use crate::support::{self, learner::Learner};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_app_name_or_path_fakes_nothing_in_the_instructors_log() {
    let (mock, base) = instructor(&[]);
    let http = reqwest::Client::new();
    let client_id = support::stuck_learner(
        &http,
        &base,
        "evil\u{1b}[2J\r\n12:00:00  teacher-app 00000000  4 token  200  POST /forged",
    )
    .await;
    // A raw escape in the path and a 60 KB path.
    let hostile_path = format!("{base}/common/%1b[31m/{}", "a".repeat(60 * 1024));
    let _ = http.get(&hostile_path).send().await;
    let _ = http
        .get(format!("{base}/common/oauth2/v2.0/authorize"))
        .query(&[("client_id", "x\u{1b}]0;owned\u{7}\r\nfake line")])
        .send()
        .await;

    let log = tokio::task::spawn_blocking(move || mock.stop())
        .await
        .expect("the mock stops")
        .stderr;

    assert!(!log.contains('\u{1b}'), "an escape reached the terminal");
    assert!(
        !log.contains('\r'),
        "a carriage return reached the terminal"
    );
    assert!(!log.contains('\u{7}'));
    assert!(
        !log.lines()
            .any(|line| line.starts_with("12:00:00  teacher-app")),
        "a forged line:\n{log}"
    );
    let evil = log
        .lines()
        .find(|line| line.contains(&client_id[..8]))
        .unwrap_or_else(|| panic!("no line for the app:\n{log}"));
    assert!(evil.contains(r"evil\x1b[2J\r\n12:00"), "{evil}");
    assert!(
        log.lines().all(|line| line.len() < 600),
        "a long field is cut:\n{log}"
    );
}

/// `http://127.0.0.1:PORT/classroom/KEY`, from the banner line that says "Classroom page".
fn classroom_page_of(mock: &mut Learner) -> String {
    let line = mock.wait_for_line("Classroom page", Duration::from_secs(10));
    line.split_whitespace()
        .find(|word| word.starts_with("http://"))
        .expect("the line names the page's URL")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_classroom_page_counts_each_learners_step_and_error_and_hides_behind_its_key() {
    let (mut mock, base) = instructor(&[]);
    let page = classroom_page_of(&mut mock);
    let key = page.rsplit('/').next().expect("a key").to_owned();
    assert!(key.len() >= 32, "an unguessable key: {key}");
    let http = reqwest::Client::new();
    let client_id = support::stuck_learner(&http, &base, "Ada's app").await;

    let state: serde_json::Value = http
        .get(format!("{page}/state.json"))
        .send()
        .await
        .expect("the page's data")
        .json()
        .await
        .expect("JSON");
    let html = http
        .get(&page)
        .send()
        .await
        .expect("the page")
        .text()
        .await
        .expect("HTML");
    let mut wrong = key.clone();
    wrong.replace_range(..1, if key.starts_with('0') { "1" } else { "0" });
    let refused = [
        format!("{base}/classroom/{wrong}"),
        format!("{base}/classroom/{wrong}/state.json"),
        format!("{base}/classroom/"),
        format!("{base}/classroom"),
    ];
    for url in &refused {
        let answer = http.get(url).send().await.expect("an answer");
        assert_eq!(answer.status(), 404, "{url}");
    }
    drop(mock);

    let learner = &state["learners"][0];
    assert_eq!(learner["app"], "Ada's app", "{state}");
    assert_eq!(learner["client"], &client_id[..8]);
    assert_eq!(learner["step"], 2);
    assert_eq!(learner["error"]["code"], "AADSTS50011", "{state}");
    let explain = learner["error"]["explain"]
        .as_str()
        .expect("an explanation");
    assert!(
        explain.contains("reply URL") || explain.contains("redirect"),
        "{explain}"
    );
    assert_eq!(state["errors"][0]["code"], "AADSTS50011");
    assert_eq!(state["steps"][1]["learners"], 1);
    assert!(html.contains(&format!("/classroom/{key}/page.js")));
    let text = state.to_string();
    for secret in [graph_mock::fixtures::PORTAL_APP.client_secret, "secretText"] {
        assert!(!text.contains(secret), "no secret on the page");
    }
}

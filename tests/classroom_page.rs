//! The instructor's live classroom page in a real browser: `tutorial mock` prints its URL,
//! headless Chromium (with JavaScript, as the page polls) opens it before anyone has started,
//! and it fills in by itself as learners go: one finishes all five steps, one is stuck on a
//! wrong reply URL, with what that error means. A screenshot on a projector is saved in
//! `target/screenshots/classroom-projector.png`.
//!
//! Needs `chromium` and `chromium-driver`; see `support/chromium.rs` for when a missing
//! browser is a skip (never under CI).

#[path = "support/chromium.rs"]
mod chromium;
mod support;

use std::time::{Duration, Instant};

use chromium::{Chromium, PROJECTOR};
use support::learner::Learner;

/// The page's URL, from the banner line that says "Classroom page"; and the mock's base.
fn instructor() -> (Learner, String, String) {
    let mut mock = Learner::start(&["mock", "--port", "0", "--auto-approve"]);
    let banner = mock.wait_for_line("mock on http://", Duration::from_secs(10));
    let url_in = |line: &str| {
        line.split_whitespace()
            .find(|word| word.starts_with("http://"))
            .expect("a URL on the line")
            .to_owned()
    };
    let base = url_in(&banner);
    let page = url_in(&mock.wait_for_line("Classroom page", Duration::from_secs(10)));
    (mock, base, page)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_classroom_page_shows_each_learner_live_on_a_projector() {
    let Some(browser) = Chromium::start_with_javascript(PROJECTOR).await else {
        return;
    };
    let (mock, base, page) = instructor();
    browser.goto(&page).await;
    browser.wait_for("#steps tr").await;
    assert!(browser.text().await.contains("Classroom: 0 learners"));

    let ada = Learner::start(&[
        "--mock-url",
        &base,
        "--yes",
        "--play-browser",
        "--port",
        "0",
    ]);
    support::stuck_learner(&reqwest::Client::new(), &base, "Grace's app").await;
    let ada = tokio::task::spawn_blocking(move || ada.finish(Duration::from_secs(60)))
        .await
        .expect("the learner ends");
    assert_eq!(ada.status, 0, "{}\n{}", ada.stdout, ada.stderr);

    // No reload: the page polls.
    let started = Instant::now();
    let text = loop {
        let text = browser.text().await;
        if text.contains("Classroom: 2 learners") && text.contains("Step 5") {
            break text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the page did not update by itself:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let shot = browser.screenshot("classroom").await;
    browser.close().await;
    drop(mock);

    assert!(text.contains("Grace's app"), "{text}");
    assert!(text.contains("Step 2"), "{text}");
    assert!(text.contains("AADSTS50011"), "{text}");
    assert!(
        text.contains("is not one of the reply URLs registered"),
        "the error's explanation from the lessons:\n{text}"
    );
    assert!(
        text.contains("graph-oauth-tutorial"),
        "Ada's app, by its name:\n{text}"
    );
    assert!(!text.contains(graph_mock::fixtures::PORTAL_APP.client_secret));
    assert!(shot.exists());
}

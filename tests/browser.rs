//! The sign-in pages in a real browser, end to end: a standalone mock that shows its pages
//! (no auto-approve), the real `tutorial --mock-url … --no-browser` waiting in step 3, and
//! headless Chromium clicking through sign-in and consent as a learner would. Screenshots of
//! both pages are saved in `target/screenshots/` (on a laptop and on a projector).
//!
//! Needs `chromium` and `chromium-driver`; see `support/chromium.rs` for when a missing
//! browser is a skip (never under CI).

#[path = "support/chromium.rs"]
mod chromium;
mod support;

use std::time::Duration;

use graph_mock::{Config, MockServer, fixtures};

use chromium::{Chromium, LAPTOP, PROJECTOR};
use support::Run;
use support::learner::Learner;

/// The learner's tutorial against `mock`: waits for a browser, on any free port.
fn learner_against(mock: &MockServer) -> Learner {
    Learner::start(&[
        "--mock-url",
        &mock.uri(),
        "--no-browser",
        "--port",
        "0",
        "--timeout",
        "60",
    ])
}

/// The `state` parameter of an authorize URL.
fn state_of(authorize_url: &str) -> String {
    url::Url::parse(authorize_url)
        .expect("the printed authorize URL parses")
        .query_pairs()
        .find(|(name, _)| name == "state")
        .map(|(_, value)| value.into_owned())
        .expect("the authorize URL carries a state")
}

async fn finish(learner: Learner) -> Run {
    tokio::task::spawn_blocking(move || learner.finish(Duration::from_secs(60)))
        .await
        .expect("the wait for the tutorial ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_signs_in_in_chromium_and_the_tutorial_finishes_steps_4_and_5() {
    let Some(browser) = Chromium::start(LAPTOP).await else {
        return;
    };
    let mock = MockServer::start(Config::default())
        .await
        .expect("the mock binds a loopback port");
    let mut learner = learner_against(&mock);
    let url = learner.authorize_url();
    let state = state_of(&url);
    let alex = fixtures::USERS[1];

    browser.goto(&url).await;
    browser.wait_for(r#"input[name="user"]"#).await;
    let sign_in = browser.text().await;
    browser.screenshot("sign-in").await;
    browser.click(r#"input[name="user"][value="1"]"#).await;
    browser.click(r#"button[type="submit"]"#).await;
    browser.wait_for(r#"button[value="accept"]"#).await;
    let consent = browser.text().await;
    browser.screenshot("consent").await;
    browser.click(r#"button[value="accept"]"#).await;
    browser.wait_for_url("/connect/get_token/").await;
    let landing = browser.text().await;
    browser.screenshot("reply-url-signed-in").await;
    browser.close().await;
    let run = finish(learner).await;

    assert!(sign_in.contains("not Microsoft"), "{sign_in}");
    assert!(
        sign_in.contains("graph-oauth-tutorial wants you to sign in"),
        "{sign_in}"
    );
    assert!(sign_in.contains(alex.display_name), "{sign_in}");
    assert!(consent.contains(alex.user_principal_name), "{consent}");
    assert!(
        consent.contains("graph-oauth-tutorial would like to"),
        "{consent}"
    );
    assert!(consent.contains("not Microsoft"), "{consent}");
    assert!(landing.contains("Signed in"), "{landing}");
    assert_eq!(
        run.status, 0,
        "stderr: {}\nstdout: {}",
        run.stderr, run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("state {state} is the one step 2 sent")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("the authorization code: "));
    assert!(
        run.stdout
            .contains("Step 4 of 5: redeem the code for tokens")
    );
    assert!(
        run.stdout.contains(alex.user_principal_name),
        "step 5 should show the user picked in the browser:\n{}",
        run.stdout
    );
    assert!(run.stdout.contains("All five steps done."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_on_the_consent_page_is_reported_as_access_denied_and_the_tutorial_exits_cleanly() {
    let Some(browser) = Chromium::start(PROJECTOR).await else {
        return;
    };
    let mock = MockServer::start(Config::default())
        .await
        .expect("the mock binds a loopback port");
    let mut learner = learner_against(&mock);
    let url = learner.authorize_url();

    browser.goto(&url).await;
    browser.wait_for(r#"input[name="user"]"#).await;
    browser.screenshot("sign-in").await;
    browser.click(r#"button[type="submit"]"#).await;
    browser.wait_for(r#"button[value="cancel"]"#).await;
    browser.screenshot("consent").await;
    browser.click(r#"button[value="cancel"]"#).await;
    browser.wait_for_url("/connect/get_token/").await;
    let landing = browser.text().await;
    browser.screenshot("reply-url-refused").await;
    browser.close().await;
    let run = finish(learner).await;

    assert!(landing.contains("Sign-in refused"), "{landing}");
    assert_eq!(
        run.status, 1,
        "stderr: {}\nstdout: {}",
        run.stderr, run.stdout
    );
    assert!(
        run.stderr
            .starts_with("error: the sign-in ended with access_denied: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("try: tutorial --mock-url {} --step 3", mock.uri())),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stdout.contains("✘ access_denied: "), "{}", run.stdout);
    assert!(!run.stdout.contains("Step 4 of 5"), "{}", run.stdout);
}

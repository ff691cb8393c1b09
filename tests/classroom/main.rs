//! The classroom from the learners' side: one instructor's `tutorial mock`, run as its own
//! process, and learners' `tutorial --mock-url URL` against it at the same time, each with the
//! app they register in step 1, each signing in on the mock's pages.

//!
//! `instructor.rs`: what the instructor sees, the log and the classroom page, when learners
//! (one of them hostile) use the mock.

mod instructor;
#[path = "../support/mod.rs"]
mod support;

use std::time::Duration;

use regex::Regex;
use url::Url;

use support::Run;
use support::learner::Learner;

/// `tutorial mock --port 0 [extra…]`, and the base URL its banner names.
fn instructor(extra: &[&str]) -> (Learner, String) {
    let mut args = vec!["mock", "--port", "0"];
    args.extend_from_slice(extra);
    let mut mock = Learner::start(&args);
    let banner = mock.wait_for_line("mock on http", Duration::from_secs(10));
    let base = banner
        .split_whitespace()
        .find(|word| word.starts_with("http"))
        .expect("the banner names the mock's URL")
        .to_owned();
    (mock, base)
}

fn learner(base: &str, extra: &[&str]) -> Learner {
    let mut args = vec!["--mock-url", base, "--port", "0", "--timeout", "60"];
    args.extend_from_slice(extra);
    Learner::start(&args)
}

async fn finish(learner: Learner) -> Run {
    tokio::task::spawn_blocking(move || learner.finish(Duration::from_secs(60)))
        .await
        .expect("the wait for the tutorial ends")
}

fn first_capture(html: &str, pattern: &str) -> String {
    Regex::new(pattern)
        .expect("a valid pattern")
        .captures(html)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().replace("&amp;", "&"))
        .unwrap_or_else(|| panic!("no `{pattern}` in the page:\n{html}"))
}

/// What a learner's browser does: open the authorize URL, pick demo user `user`, Accept, and
/// follow the 302 to the reply URL. Plain form posts, as the pages need no JavaScript.
async fn sign_in_on_the_pages(authorize_url: &str, user: usize) {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let base = Url::parse(authorize_url).expect("the authorize URL parses");
    let form_of = |html: &str| {
        let action = first_capture(html, r#"<form method="post" action="([^"]+)""#);
        let flow = first_capture(html, r#"name="flow" value="([^"]+)""#);
        (
            base.join(&action).expect("the form posts to the mock"),
            flow,
        )
    };

    let sign_in = browser
        .get(authorize_url)
        .send()
        .await
        .expect("sign-in page");
    assert_eq!(sign_in.status(), 200);
    let (login, flow) = form_of(&sign_in.text().await.expect("a page"));
    let user = user.to_string();
    let consent = browser
        .post(login)
        .form(&[("flow", flow.as_str()), ("user", user.as_str())])
        .send()
        .await
        .expect("consent page");
    assert_eq!(consent.status(), 200);
    let (decide, flow) = form_of(&consent.text().await.expect("a page"));
    let answer = browser
        .post(decide)
        .form(&[
            ("flow", flow.as_str()),
            ("user", user.as_str()),
            ("decision", "accept"),
        ])
        .send()
        .await
        .expect("the consent is answered");
    assert_eq!(answer.status(), 302);
    let reply_url = answer
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("a Location to the reply URL")
        .to_owned();
    let landing = browser.get(&reply_url).send().await.expect("reply URL");
    assert_eq!(landing.status(), 200);
}

fn client_id_of(authorize_url: &str) -> String {
    Url::parse(authorize_url)
        .expect("the authorize URL parses")
        .query_pairs()
        .find(|(name, _)| name == "client_id")
        .map(|(_, value)| value.into_owned())
        .expect("a client_id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_learners_at_once_each_register_their_own_app_sign_in_and_finish() {
    let (mock, base) = instructor(&[]);
    let mut ada = learner(&base, &["--no-browser"]);
    let mut grace = learner(&base, &["--no-browser"]);
    let ada_url = ada.authorize_url();
    let grace_url = grace.authorize_url();

    // Both learners sign in as the same demo user, at the same moment.
    tokio::join!(
        sign_in_on_the_pages(&ada_url, 0),
        sign_in_on_the_pages(&grace_url, 0)
    );
    let (ada, grace) = tokio::join!(finish(ada), finish(grace));
    let log = tokio::task::spawn_blocking(move || mock.stop())
        .await
        .expect("the mock stops")
        .stderr;

    assert_ne!(client_id_of(&ada_url), client_id_of(&grace_url));
    for run in [&ada, &grace] {
        assert_eq!(
            run.status, 0,
            "stderr: {}\nstdout: {}",
            run.stderr, run.stdout
        );
        assert!(
            run.stdout.contains("All five steps done."),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("classroom mock http://127.0.0.1:"));
        // Sent once, read back once: each learner sees only the mail of their own app.
        let mails = run
            .stdout
            .matches(r#""subject": "Welcome to Microsoft Graph""#)
            .count();
        assert_eq!(mails, 2, "{}", run.stdout);
    }
    let redeemed = log
        .lines()
        .filter(|l| {
            l.contains("POST /contoso.onmicrosoft.com/oauth2/v2.0/token") && l.contains(" 200 ")
        })
        .count();
    assert_eq!(redeemed, 2, "the instructor's log:\n{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn play_browser_lets_a_learner_run_unattended_against_an_auto_approving_mock() {
    let (mock, base) = instructor(&["--auto-approve", "--quiet"]);

    let run = finish(learner(&base, &["--yes", "--play-browser"])).await;
    drop(mock);

    assert_eq!(
        run.status, 0,
        "stderr: {}\nstdout: {}",
        run.stderr, run.stdout
    );
    assert!(
        run.stdout
            .contains("The browser's part, played by the tutorial")
    );
    assert!(run.stdout.contains("All five steps done."));
}

/// Over HTTPS, the certificate is checked: a learner who trusts the mock's own CA for this
/// process (`SSL_CERT_FILE`, as the banner says) finishes; one who does not is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_a_tls_mock_the_certificate_is_checked_and_its_ca_trusted_per_process() {
    let tls = tempfile::tempdir().expect("a temp dir for the CA");
    let tls_dir = tls.path().to_str().expect("a UTF-8 path");
    let (mock, base) = instructor(&["--tls", "--tls-dir", tls_dir, "--auto-approve", "--quiet"]);
    assert!(base.starts_with("https://"), "{base}");
    let ca = tls.path().join("ca.pem");
    let ca = ca.to_str().expect("a UTF-8 path");

    let args = [
        "--mock-url",
        &base,
        "--port",
        "0",
        "--yes",
        "--play-browser",
    ];
    let trusting = Learner::start_with_env(&args, &[("SSL_CERT_FILE", ca)]);
    let run = finish(trusting).await;
    assert_eq!(run.status, 0, "{}\n{}", run.stderr, run.stdout);
    assert!(run.stdout.contains("All five steps done."));

    let run = finish(Learner::start(&args)).await;
    drop(mock);
    assert_ne!(run.status, 0, "{}", run.stdout);
    assert!(run.stderr.contains("certificate"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn play_browser_against_a_mock_that_shows_its_pages_clicks_through_them() {
    let (mock, base) = instructor(&["--quiet"]);

    let run = finish(learner(&base, &["--yes", "--play-browser"])).await;
    drop(mock);

    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    // The sign-in page and the consent page, each posted as its main button would.
    let clicks = run.stdout.matches("clicks its main button").count();
    assert_eq!(clicks, 2, "{}", run.stdout);
    assert!(run.stdout.contains("decision"), "{}", run.stdout);
    assert!(run.stdout.contains("All five steps done."));
}

#[test]
fn deterministic_mode_is_refused_where_others_can_reach_the_mock() {
    for args in [
        &["mock", "--port", "0", "--deterministic", "--allow-remote"][..],
        &[
            "mock",
            "--port",
            "0",
            "--deterministic",
            "--host",
            "0.0.0.0",
            "--allow-remote",
        ],
    ] {
        let run = Learner::start(args).finish(Duration::from_secs(10));

        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("--deterministic is for loopback only"),
            "{}",
            run.stderr
        );
        assert!(!run.stdout.contains("mock on http"), "it never listened");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bogus_visit_to_the_reply_url_is_told_and_the_real_redirect_still_finishes_step_3() {
    let (mock, base) = instructor(&["--auto-approve"]);
    let mut ada = learner(&base, &["--no-browser"]);
    let authorize_url = ada.authorize_url();
    let reply_url = Url::parse(&authorize_url)
        .expect("the authorize URL parses")
        .query_pairs()
        .find(|(name, _)| name == "redirect_uri")
        .map(|(_, value)| value.into_owned())
        .expect("a redirect_uri");
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("an HTTP client");

    // Another page sends the browser to the reply URL first, with a state of its own.
    let bogus = browser
        .get(format!(
            "{reply_url}?code=planted&state=%1b%5b2J%0d%0a%E2%9C%94+Step+3+done"
        ))
        .send()
        .await
        .expect("the listener answers");
    assert_eq!(bogus.status(), 400);
    // Then the learner's own sign-in comes back.
    let approved = browser
        .get(&authorize_url)
        .send()
        .await
        .expect("authorize answers");
    let location = approved
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("a redirect to the reply URL")
        .to_owned();
    let page = browser.get(&location).send().await.expect("the listener");
    assert_eq!(page.status(), 200);

    let ada = finish(ada).await;
    drop(mock);

    assert_eq!(ada.status, 0, "{}\n{}", ada.stdout, ada.stderr);
    assert!(ada.stdout.contains("still waiting"), "{}", ada.stdout);
    assert!(
        ada.stdout.contains("All five steps done."),
        "{}",
        ada.stdout
    );
    assert!(
        !ada.stdout.contains('\u{1b}') && !ada.stdout.contains('\r'),
        "nothing from the page reaches the terminal raw"
    );
}

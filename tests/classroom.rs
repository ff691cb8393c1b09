//! The classroom from the learners' side: one instructor's `tutorial mock`, run as its own
//! process, and learners' `tutorial --mock-url URL` against it at the same time, each with the
//! app they register in step 1, each signing in on the mock's pages.

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

/// The portal's token, as step 1 gets it.
async fn portal_token(http: &reqwest::Client, base: &str) -> String {
    let portal = graph_mock::fixtures::PORTAL_APP;
    let answer: serde_json::Value = http
        .post(format!(
            "{base}/{}/oauth2/v2.0/token",
            graph_mock::fixtures::TENANT_ID
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", portal.client_id),
            ("client_secret", portal.client_secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .expect("the token endpoint answers")
        .json()
        .await
        .expect("a token answer");
    answer["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// Registers an app named `name` and makes one request with its client ID; returns that ID.
async fn app_named(http: &reqwest::Client, base: &str, name: &str) -> String {
    let token = portal_token(http, base).await;
    let app: serde_json::Value = http
        .post(format!("{base}/v1.0/applications"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "displayName": name,
            "web": {"redirectUris": ["http://127.0.0.1:8000/connect/get_token/"]},
        }))
        .send()
        .await
        .expect("registration answers")
        .json()
        .await
        .expect("an application");
    let client_id = app["appId"].as_str().expect("an appId").to_owned();
    // On the tenant: an app the portal registers is single-tenant.
    let _ = http
        .get(format!(
            "{base}/{}/oauth2/v2.0/authorize",
            graph_mock::fixtures::TENANT_ID
        ))
        .query(&[
            ("client_id", client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1:8000/connect/wrong/"),
            ("scope", "User.Read"),
        ])
        .send()
        .await
        .expect("authorize answers");
    client_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_app_name_or_path_fakes_nothing_in_the_instructors_log() {
    let (mock, base) = instructor(&[]);
    let http = reqwest::Client::new();
    let client_id = app_named(
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
    let client_id = app_named(&http, &base, "Ada's app").await;

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

//! Step 3's reply-URL listener against what a browser may bring back.

use std::time::Duration;

use graph_oauth_tutorial::error::Error;
use graph_oauth_tutorial::listener::Listener;
use graph_oauth_tutorial::protocol::authorize::Callback;

/// A GET that ignores any proxy set in the environment.
async fn get(url: &str) -> reqwest::Result<reqwest::Response> {
    let client = reqwest::Client::builder().no_proxy().build()?;
    client.get(url).send().await
}

async fn visit(query: &str, expected_state: &str) -> (Callback, u16) {
    let listener = Listener::bind(0).await.expect("binds a free port");
    let url = format!("{}?{query}", listener.redirect_uri);
    let waiting = listener.wait(Some(expected_state.to_owned()), Duration::from_secs(5));
    let browser = async {
        get(&url)
            .await
            .expect("the listener answers")
            .status()
            .as_u16()
    };
    let (visit, status) = tokio::join!(waiting, browser);
    (visit.expect("a visit").callback, status)
}

#[tokio::test]
async fn a_state_mismatch_is_refused_and_the_browser_gets_a_400() {
    let (callback, status) = visit("code=stolen&state=attacker", "ours").await;
    assert!(matches!(callback, Callback::StateMismatch { got, .. } if got == "attacker"));
    assert_eq!(status, 400);
}

#[tokio::test]
async fn access_denied_is_reported_with_its_aadsts_description() {
    let (callback, status) = visit(
        "error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.&state=s",
        "s",
    )
    .await;
    assert!(matches!(callback, Callback::Refused { error, description }
        if error == "access_denied" && description.starts_with("AADSTS65004")));
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_code_with_our_state_is_accepted() {
    let (callback, status) = visit("code=0.AAA&state=s&session_state=x", "s").await;
    assert!(matches!(callback, Callback::Code { .. }));
    assert_eq!(status, 200);
}

#[tokio::test]
async fn other_paths_get_a_404_and_do_not_count_as_the_redirect() {
    let listener = Listener::bind(0).await.expect("binds");
    let favicon = listener
        .redirect_uri
        .as_str()
        .replace("/connect/get_token/", "/favicon.ico");
    let waiting = listener.wait(Some("s".into()), Duration::from_millis(300));
    let status = async { get(&favicon).await.expect("answers").status().as_u16() };
    let (outcome, status) = tokio::join!(waiting, status);
    assert_eq!(status, 404);
    assert!(matches!(outcome, Err(Error::Timeout { .. })));
}

#[tokio::test]
async fn waiting_times_out_with_a_message_naming_the_reply_url() {
    let listener = Listener::bind(0).await.expect("binds");
    let uri = listener.redirect_uri.to_string();
    let error = listener
        .wait(None, Duration::from_millis(50))
        .await
        .err()
        .expect("a timeout");
    assert!(error.to_string().contains(&uri), "{error}");
}

#[tokio::test]
async fn a_taken_port_falls_back_to_a_free_one_and_says_which() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let port = taken.local_addr().expect("addr").port();
    let listener = Listener::bind(port).await.expect("falls back");
    assert_eq!(listener.fell_back_from, Some(port));
    assert!(
        !listener
            .redirect_uri
            .as_str()
            .contains(&format!(":{port}/"))
    );
}

#[tokio::test]
async fn waiting_for_ours_refuses_a_visit_with_another_state_and_keeps_waiting() {
    let listener = Listener::bind(0).await.expect("binds a free port");
    let base = listener.redirect_uri.clone();
    let (notices, mut told) = tokio::sync::mpsc::unbounded_channel();
    let waiting = listener.wait_for_ours(Some("ours".into()), Duration::from_secs(10), notices);
    let browser = async {
        let bogus = get(&format!("{base}?code=planted&state=%1b%5b2J%0d%0afake"))
            .await
            .expect("the listener answers")
            .status()
            .as_u16();
        let missing = get(&format!("{base}?code=planted"))
            .await
            .expect("the listener answers")
            .status()
            .as_u16();
        let ours = get(&format!("{base}?code=real&state=ours"))
            .await
            .expect("the listener answers")
            .status()
            .as_u16();
        (bogus, missing, ours)
    };

    let (visit, statuses) = tokio::join!(waiting, browser);

    assert_eq!(statuses, (400, 400, 200));
    let visit = visit.expect("our redirect ends the wait");
    assert!(
        matches!(&visit.callback, Callback::Code { code, .. } if code.expose() == "real"),
        "{:?}",
        visit.callback
    );
    let first = told.recv().await.expect("a notice for the bogus visit");
    assert!(first.contains("still waiting"), "{first}");
    assert!(!first.chars().any(char::is_control), "{first:?}");
    assert!(first.contains(r"\u{1b}[2J"), "{first}");
    assert!(
        told.recv().await.is_some(),
        "a notice for the visit without state"
    );
}

#[tokio::test]
async fn what_the_network_sent_reaches_the_terminal_escaped() {
    let listener = Listener::bind(0).await.expect("binds a free port");
    let url = format!(
        "{}?error=access_denied%1b%5d0%3bowned%07&error_description=AADSTS65004%0d%0aforged&state=s",
        listener.redirect_uri
    );
    let waiting = listener.wait_for_ours(
        Some("s".into()),
        Duration::from_secs(5),
        tokio::sync::mpsc::unbounded_channel().0,
    );
    let (visit, _) = tokio::join!(waiting, get(&url));

    let visit = visit.expect("a visit");
    let Callback::Refused { error, description } = &visit.callback else {
        panic!("{:?}", visit.callback);
    };
    for text in [error, description, &visit.exchange.request.url] {
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
    assert!(error.contains(r"\u{1b}]0;owned\u{7}"), "{error}");
}

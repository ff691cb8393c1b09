//! A client that holds connections instead of finishing requests: half-open requests, a
//! slowloris trickling its headers or its body, idle kept-alive connections, one address
//! opening thousands. Each is let go at the deadline, and no one else is locked out meanwhile.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use graph_mock::{Config, MockServer, fixtures};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const DEADLINE: Duration = Duration::from_secs(1);
const DISCOVERY: &str = "/common/v2.0/.well-known/openid-configuration";

async fn strict_mock(per_address: usize) -> MockServer {
    support::start_with(
        Config::deterministic()
            .auto_approve()
            .header_timeout(DEADLINE)
            .connections_per_address(per_address),
    )
    .await
}

/// A connection from `from` (another loopback address stands for another machine).
async fn connect_from(from: [u8; 4], to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(SocketAddr::from((from, 0)))
        .expect("any 127.x address is loopback");
    socket.connect(to).await.expect("the mock accepts")
}

/// Reads until the server closes the connection; what it said, or `None` if it is still
/// open after `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut said = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => said.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&said).into_owned())
}

async fn discovery_answers(mock: &MockServer, within: Duration) {
    let started = Instant::now();
    let answer = tokio::time::timeout(
        within,
        support::client()
            .get(format!("{}{DISCOVERY}", mock.uri()))
            .send(),
    )
    .await
    .expect("discovery answers while the flood is held")
    .expect("an answer");
    assert_eq!(answer.status(), 200);
    assert!(started.elapsed() < within);
}

#[tokio::test]
async fn five_thousand_half_open_requests_are_let_go_and_lock_no_one_out() {
    // Both ends of every connection live in this process.
    let _ = rlimit::increase_nofile_limit(20_000);
    let mock = strict_mock(1_000).await;
    let half_open = format!("GET {DISCOVERY} HTTP/1.1\r\nhost: localhost\r\n");

    let mut flood = Vec::new();
    for _ in 0..5_000 {
        let mut stream = connect_from([127, 0, 0, 2], mock.address()).await;
        // The socket may already be closed by the cap: that is the point.
        let _ = stream.write_all(half_open.as_bytes()).await;
        flood.push(stream);
    }

    // Another machine is served at once, while the flood is still held.
    discovery_answers(&mock, Duration::from_millis(500)).await;

    // Within the deadline (and some slack for a busy machine) every one of them is closed.
    let waited = Instant::now();
    for stream in &mut flood {
        let left = (DEADLINE * 4).saturating_sub(waited.elapsed());
        closed_within(stream, left.max(Duration::from_millis(50)))
            .await
            .expect("a half-open request is closed after the header deadline");
    }
    // And the flooding address itself is welcome again once its connections are gone.
    let mut again = connect_from([127, 0, 0, 2], mock.address()).await;
    again
        .write_all(format!("GET {DISCOVERY} HTTP/1.1\r\nhost: localhost\r\n\r\n").as_bytes())
        .await
        .expect("the request is sent");
    let mut head = [0u8; 12];
    again.read_exact(&mut head).await.expect("an answer");
    assert_eq!(&head, b"HTTP/1.1 200");
}

#[tokio::test]
async fn a_slowloris_trickling_its_headers_is_cut_off_at_the_deadline() {
    let mock = strict_mock(16).await;
    let mut stream = connect_from([127, 0, 0, 3], mock.address()).await;
    let started = Instant::now();
    stream
        .write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\n")
        .await
        .expect("the start is sent");

    // One header byte every 100 ms: steady progress, never an end.
    let mut cut_off = false;
    for byte in b"x-slow: ".iter().cycle().take(100) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if stream.write_all(&[*byte]).await.is_err() {
            cut_off = true;
            break;
        }
        if let Some(said) = closed_within(&mut stream, Duration::from_millis(1)).await {
            assert!(!said.contains("200"), "no answer to half a request: {said}");
            cut_off = true;
            break;
        }
    }

    assert!(cut_off, "the server still held the connection after 10 s");
    assert!(started.elapsed() < DEADLINE * 4, "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_body_that_trickles_in_is_cut_off_and_others_are_served() {
    let mock = strict_mock(16).await;
    let mut stream = connect_from([127, 0, 0, 4], mock.address()).await;
    stream
        .write_all(
            b"POST /common/oauth2/v2.0/token HTTP/1.1\r\nhost: localhost\r\n\
              content-type: application/x-www-form-urlencoded\r\ncontent-length: 1000\r\n\r\n\
              grant_type=",
        )
        .await
        .expect("the headers are sent");
    let started = Instant::now();

    let mut cut_off = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if stream.write_all(b"a").await.is_err()
            || closed_within(&mut stream, Duration::from_millis(1))
                .await
                .is_some()
        {
            cut_off = true;
            break;
        }
    }

    assert!(cut_off, "the server still waited for the body after 10 s");
    assert!(started.elapsed() < DEADLINE * 4, "{:?}", started.elapsed());
    discovery_answers(&mock, Duration::from_millis(500)).await;
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let mock = strict_mock(16).await;
    let mut stream = connect_from([127, 0, 0, 5], mock.address()).await;
    stream
        .write_all(format!("GET {DISCOVERY} HTTP/1.1\r\nhost: localhost\r\n\r\n").as_bytes())
        .await
        .expect("the request is sent");
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.expect("an answer");
    assert_eq!(&head, b"HTTP/1.1 200");

    let said = closed_within(&mut stream, DEADLINE * 4).await;

    assert!(
        said.is_some(),
        "an idle connection was still open after the deadline"
    );
}

#[tokio::test]
async fn connections_beyond_an_address_share_get_503_and_others_are_served() {
    let mock = strict_mock(2).await;
    let _first = connect_from([127, 0, 0, 6], mock.address()).await;
    let _second = connect_from([127, 0, 0, 6], mock.address()).await;

    let mut third = connect_from([127, 0, 0, 6], mock.address()).await;
    let said = closed_within(&mut third, Duration::from_secs(2))
        .await
        .expect("the third is closed at once");

    assert!(said.starts_with("HTTP/1.1 503"), "{said:?}");
    assert!(said.contains("retry-after: 1"));
    discovery_answers(&mock, Duration::from_millis(500)).await;
}

/// A classroom's burst of token requests, two RSA signatures each, does not hold up a light
/// request: discovery is answered while most of the burst still waits its turn to sign.
#[test]
fn discovery_is_answered_ahead_of_a_burst_of_token_requests() {
    // The runtime `tutorial mock` serves on.
    let runtime = graph_mock::runtime().expect("a runtime");
    runtime.block_on(discovery_ahead_of_a_burst());
}

async fn discovery_ahead_of_a_burst() {
    const BURST: usize = 80;
    let mock = support::start().await;
    let mut codes = Vec::with_capacity(BURST);
    for _ in 0..BURST {
        codes.push(support::code_for(&mock, "common", &[]).await);
    }
    let client = support::client();
    let token_url = format!("{}/common/oauth2/v2.0/token", mock.uri());
    let answered = Arc::new(AtomicUsize::new(0));
    let burst: Vec<_> = codes
        .into_iter()
        .map(|code| {
            // One client for the whole burst, so that making clients does not spread it out.
            let request = client.post(&token_url).form(&support::redemption(&code));
            let answered = Arc::clone(&answered);
            tokio::spawn(async move {
                let status = request.send().await.map(|answer| answer.status());
                answered.fetch_add(1, Ordering::SeqCst);
                status
            })
        })
        .collect();
    // Once the first token is out, the rest of the burst is at the mock.
    while answered.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let discovery = client
        .get(format!("{}{DISCOVERY}", mock.uri()))
        .send()
        .await
        .expect("the mock answers");
    let ahead = answered.load(Ordering::SeqCst);
    assert_eq!(discovery.status(), 200);
    for redemption in burst {
        let status = redemption.await.expect("the task ends");
        assert_eq!(status.expect("the mock answers"), 200);
    }
    assert!(
        ahead <= BURST / 5,
        "discovery waited for {ahead} of {BURST} token answers"
    );
}

/// A mock others can reach makes its signing key at start, which takes a moment. Token
/// requests in that moment wait for it without holding the threads that answer everyone
/// else: discovery is answered long before the first of them.
#[test]
fn token_requests_waiting_for_the_key_do_not_hold_up_discovery() {
    // A key is usually made in 50 to 200 ms, but now and then in a few: only a mock whose
    // tokens waited for their key can tell, so a few mocks are tried until one does.
    const WAITED: Duration = Duration::from_millis(40);
    for _ in 0..8 {
        let (discovery, first_token) = discovery_while_the_key_is_made();
        if first_token >= WAITED {
            assert!(
                discovery * 4 < first_token,
                "discovery took {discovery:?}, the first token {first_token:?}"
            );
            return;
        }
    }
    panic!("eight mocks made their key within {WAITED:?}: too fast to tell");
}

/// Eight token requests to a freshly started shared mock, then discovery: how long discovery
/// took, and how long the first token took.
fn discovery_while_the_key_is_made() -> (Duration, Duration) {
    let runtime = graph_mock::runtime().expect("a runtime");
    let mock = runtime.block_on(support::start_with(
        Config::default().shared().auto_approve(),
    ));
    let uri = mock.uri();
    // The client runs apart from the mock, so that a stalled mock cannot stall it too.
    let (discovery, tokens) = std::thread::spawn(move || {
        let client = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the client");
        client.block_on(async move {
            // One client, so that all eight requests are out before discovery is asked.
            let http = support::client();
            let started = Instant::now();
            let tokens: Vec<_> = (0..8)
                .map(|_| {
                    let request = http
                        .post(format!("{uri}/{}/oauth2/v2.0/token", fixtures::TENANT_ID))
                        .form(&support::PORTAL_TOKEN_FORM);
                    tokio::spawn(async move {
                        let status = request.send().await.map(|r| r.status().as_u16()).ok();
                        (status, started.elapsed())
                    })
                })
                .collect();
            // Long enough for the mock to read them, short of making a key.
            tokio::time::sleep(Duration::from_millis(10)).await;
            let asked = Instant::now();
            let discovery = http.get(format!("{uri}{DISCOVERY}")).send().await;
            let discovery = (discovery.map(|d| d.status().as_u16()).ok(), asked.elapsed());
            let mut answered = Vec::new();
            for token in tokens {
                answered.push(token.await.expect("the task ends"));
            }
            (discovery, answered)
        })
    })
    .join()
    .expect("the client thread ends");
    drop(mock);

    assert_eq!(discovery.0, Some(200));
    assert!(tokens.iter().all(|(status, _)| *status == Some(200)));
    let first_token = tokens.iter().map(|(_, took)| *took).min();
    (discovery.1, first_token.unwrap_or_default())
}

//! A client that holds connections instead of finishing requests: half-open requests, a
//! slowloris trickling its headers or its body, idle kept-alive connections, one address
//! opening thousands. Each is let go at the deadline, and no one else is locked out meanwhile.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use graph_mock::{Config, MockServer};
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

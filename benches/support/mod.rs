//! What the benchmarks share: the mock as a child process, a lean HTTP client, /proc readings.

#![allow(dead_code)]

pub mod flood;
pub mod learner;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

pub const TUTORIAL: &str = env!("CARGO_BIN_EXE_tutorial");
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Keep-alive connections, no Nagle delay, one pool for every virtual client.
pub fn http_client() -> HttpClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(1024)
        .build(connector)
}

/// `tutorial mock` on a free port with auto-approve and no request log; its base URL.
pub fn spawn_mock() -> (Child, String) {
    let mut child = Command::new(TUTORIAL)
        .args(["mock", "--port", "0", "--auto-approve", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the tutorial binary starts");
    let base = first_url(&mut child).expect("the mock's banner names its URL");
    (child, base)
}

/// The first `http://` word of a child's first line of output (its banner), within 10 s.
/// Its standard output is read to the end on a side thread: closing the pipe early would
/// make the child's later writes fail.
pub fn first_url(child: &mut Child) -> Option<String> {
    let stdout = child.stdout.take()?;
    let (first_line, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(first)) = lines.next() {
            let _ = first_line.send(first);
        }
        for _ in lines {}
    });
    let first = receive.recv_timeout(Duration::from_secs(10)).ok()?;
    first
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .map(str::to_owned)
}

/// The machine's load average over the last minute, from /proc (Linux): numbers taken while
/// other work shares the CPU are disturbed.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// A GET with no body.
pub fn get(url: &str) -> Request<Full<Bytes>> {
    Request::builder()
        .uri(url)
        .body(Full::new(Bytes::new()))
        .unwrap()
}

pub async fn send(
    client: &HttpClient,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Option<String>, Bytes), &'static str> {
    let answer = tokio::time::timeout(REQUEST_TIMEOUT, async {
        let response = client
            .request(request)
            .await
            .map_err(|_| "connection error")?;
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|_| "body error")?
            .to_bytes();
        Ok((status, location, body))
    })
    .await;
    answer.unwrap_or(Err("timeout"))
}

pub struct Memory {
    pub rss_kb: u64,
    pub peak_kb: u64,
}

/// VmRSS and VmHWM of a process, from /proc (Linux).
pub fn memory(pid: u32) -> Memory {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kb| kb.parse().ok())
            .unwrap_or(0)
    };
    Memory {
        rss_kb: field("VmRSS:"),
        peak_kb: field("VmHWM:"),
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

//! The mock under load: `cargo bench --bench mock [-- OPTIONS]`.
//!
//! Starts `tutorial mock` as its own process (so its memory is measured alone), then:
//! 1. start-up: from spawn to the first answered request, and the idle memory;
//! 2. one client alone: complete flows back to back (authorize → token → `/me`);
//! 3. many clients at once (64 by default): flows per second, latency percentiles, errors,
//!    and the server's memory before, after and at its peak;
//! 4. `tutorial --yes` end to end, offline: the median wall time of several runs.
//!
//! Options: `-c N` clients (64), `-d SECONDS` measured (8, up to an hour for a soak test),
//! `--warmup SECONDS` (2), `--runs N` tutorial runs (15). Everything stays on 127.0.0.1, and
//! every loop is bounded.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

#[path = "support/options.rs"]
mod options;
mod support;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, StatusCode};
use options::Options;
use support::{HttpClient, TUTORIAL, get, mb, memory, ms, send, spawn_mock};

const SCOPE: &str = "openid%20profile%20offline_access%20User.Read%20Mail.Send";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = options::parse(&args);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(options));
}

async fn run(options: Options) {
    let client = support::http_client();

    // 1. Start-up and idle memory.
    let started = Instant::now();
    let (mut server, base) = spawn_mock();
    let discovery = format!("{base}/common/v2.0/.well-known/openid-configuration");
    loop {
        if let Ok((StatusCode::OK, _, _)) = send(&client, get(&discovery)).await {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the mock did not answer"
        );
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    let first_answer = started.elapsed();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle = memory(server.id());
    println!(
        "start-up: first answer after {:.1} ms; idle RSS {:.1} MB",
        ms(first_answer),
        mb(idle.rss_kb)
    );

    // 2. One client alone.
    let flow = Flow::new(&base, 0);
    for _ in 0..50 {
        let _ = flow.run(&client).await;
    }
    let n = 500;
    let alone = Instant::now();
    let mut failures = 0;
    for _ in 0..n {
        failures += usize::from(flow.run(&client).await.is_err());
    }
    println!(
        "one client: {:.3} ms per flow over {n} flows, {failures} failed",
        ms(alone.elapsed()) / n as f64
    );

    // 3. Many clients.
    let report = load(&client, &base, &options, server.id()).await;
    println!("{report}");

    let _ = server.kill();
    let _ = server.wait();

    // 4. The tutorial, end to end.
    tutorial_runs(options.runs);
}

/// One virtual client's flow: the same PKCE pair each time, a new code and tokens each time.
struct Flow {
    authorize: String,
    token_url: String,
    me: String,
    form: String,
    state: String,
}

impl Flow {
    fn new(base: &str, index: usize) -> Flow {
        let app = graph_mock::fixtures::WEB_APP;
        let verifier = format!("bench-verifier-{index:08}-abcdefghijklmnopqrstuvwxyz0123456789");
        let challenge =
            URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
        let redirect = app.redirect_uris[0];
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let state = format!("s{index}");
        Flow {
            authorize: format!(
                "{base}/common/oauth2/v2.0/authorize?response_type=code&client_id={}&redirect_uri={}&scope={SCOPE}&state={state}&nonce=n{index}&code_challenge={challenge}&code_challenge_method=S256",
                app.client_id,
                enc(redirect)
            ),
            token_url: format!("{base}/common/oauth2/v2.0/token"),
            me: format!("{base}/v1.0/me"),
            form: format!(
                "grant_type=authorization_code&client_id={}&client_secret={}&redirect_uri={}&code_verifier={}&scope={SCOPE}&code=",
                app.client_id,
                enc(app.client_secret),
                enc(redirect),
                verifier
            ),
            state,
        }
    }

    async fn run(&self, client: &HttpClient) -> Result<(), &'static str> {
        let (status, location, _) = send(client, get(&self.authorize)).await?;
        if status != StatusCode::FOUND {
            return Err("authorize: not 302");
        }
        let location = location.ok_or("authorize: no Location")?;
        let query = location.split_once('?').map(|(_, q)| q).unwrap_or("");
        let mut code = None;
        let mut state_ok = false;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*key {
                "code" => code = Some(value.into_owned()),
                "state" => state_ok = value == self.state,
                _ => {}
            }
        }
        let code = code.ok_or("authorize: no code")?;
        if !state_ok {
            return Err("authorize: state not echoed");
        }
        let body = format!("{}{}", self.form, code);
        let request = Request::builder()
            .method(Method::POST)
            .uri(&self.token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from(body)))
            .unwrap();
        let (status, _, body) = send(client, request).await?;
        if status != StatusCode::OK {
            return Err("token: not 200");
        }
        let json: serde_json::Value =
            serde_json::from_slice(&body).map_err(|_| "token: not JSON")?;
        let token = json["access_token"]
            .as_str()
            .ok_or("token: no access_token")?;
        let request = Request::builder()
            .uri(&self.me)
            .header("authorization", format!("Bearer {token}"))
            .body(Full::new(Bytes::new()))
            .unwrap();
        let (status, _, _) = send(client, request).await?;
        if status != StatusCode::OK {
            return Err("me: not 200");
        }
        Ok(())
    }
}

async fn load(client: &HttpClient, base: &str, options: &Options, pid: u32) -> String {
    let warmup_ends = Instant::now() + Duration::from_secs(options.warmup);
    let ends = warmup_ends + Duration::from_secs(options.seconds);
    let before = memory(pid);
    let mut tasks = Vec::new();
    for index in 0..options.clients {
        let client = client.clone();
        let flow = Arc::new(Flow::new(base, index));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors: Vec<&'static str> = Vec::new();
            loop {
                let start = Instant::now();
                if start >= ends {
                    break;
                }
                let outcome = flow.run(&client).await;
                let done = Instant::now();
                if start >= warmup_ends && done <= ends {
                    match outcome {
                        Ok(()) => latencies.push(done - start),
                        Err(kind) => errors.push(kind),
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for task in tasks {
        let (l, e) = task.await.unwrap();
        latencies.extend(l);
        errors.extend(e);
    }
    let after = memory(pid);
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    errors.sort();
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for e in errors.iter() {
        match kinds.last_mut() {
            Some((k, n)) if k == e => *n += 1,
            _ => kinds.push((e, 1)),
        }
    }
    format!(
        "{} clients, {} s measured after {} s warm-up:\n  flows:   {} ok, {} failed {:?}, {:.0} flows/s\n  latency: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n  memory:  RSS {:.1} MB before, {:.1} MB after, peak {:.1} MB",
        options.clients,
        options.seconds,
        options.warmup,
        latencies.len(),
        errors.len(),
        kinds,
        latencies.len() as f64 / options.seconds as f64,
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        mb(before.rss_kb),
        mb(after.rss_kb),
        mb(after.peak_kb),
    )
}

/// Runs `tutorial --yes` offline several times and prints the median wall time.
fn tutorial_runs(runs: usize) {
    let state = std::env::temp_dir().join(format!("tutorial-bench-{}", std::process::id()));
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let output = Command::new(TUTORIAL)
            .arg("--yes")
            .env("TUTORIAL_STATE_DIR", &state)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output();
        let elapsed = start.elapsed();
        match output {
            Ok(output) if output.status.success() => times.push(elapsed),
            Ok(output) => {
                println!(
                    "tutorial --yes: failed ({}): {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                        .lines()
                        .next()
                        .unwrap_or("")
                );
                return;
            }
            Err(error) => {
                println!("tutorial --yes: could not start: {error}");
                return;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&state);
    times.sort();
    println!(
        "tutorial --yes: median {:.1} ms over {runs} runs (min {:.1}, max {:.1})",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

//! The mock under load: `cargo bench --bench mock [-- OPTIONS]`.
//!
//! Starts `tutorial mock` as its own process (so its memory is measured alone), then:
//! 1. start-up: from spawn to the first answered request, and the idle memory;
//! 2. one client alone: complete flows back to back (authorize → token → `/me`);
//! 3. many clients at once (64 by default): flows per second, latency percentiles, errors,
//!    and the server's memory before, after and at its peak;
//! 4. `tutorial --yes` end to end, offline: the median wall time of several runs.
//!
//! With `--peer`, step 3 is run in turns against the mock and against npm
//! `oauth2-mock-server` (`benches/peer/`) in the same run, and step 4 is left out: both
//! servers' flows/s and p99, and the ratio of their medians.
//!
//! Options: `-c N` clients (64), `-d SECONDS` measured (8, up to an hour for a soak test),
//! `--warmup SECONDS` (2), `--runs N` tutorial runs (15), `--peer`, `--rounds N` turns
//! with the peer (3). Everything stays on 127.0.0.1, and every loop is bounded.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

#[path = "support/flow.rs"]
mod flow;
#[path = "support/options.rs"]
mod options;
#[path = "support/peer.rs"]
mod peer;
mod support;

use std::fmt;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use flow::Flow;
use hyper::StatusCode;
use options::Options;
use support::{HttpClient, TUTORIAL, get, load_average, mb, memory, ms, send, spawn_mock};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = options::parse(&args);
    // Checked before anything runs: a comparison without its peer is no comparison.
    let peer = if options.peer {
        match peer::spawn() {
            Ok(peer) => Some(peer),
            Err(why) => {
                eprintln!("--peer: {why}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(options, peer))
}

async fn run(options: Options, peer: Option<(std::process::Child, String)>) -> ExitCode {
    let client = support::http_client();
    if let Some(load) = load_average() {
        println!(
            "machine: load average {load:.2} over the last minute, {} cores",
            std::thread::available_parallelism().map_or(0, usize::from)
        );
    }

    // 1. Start-up and idle memory.
    let started = Instant::now();
    let (mut server, base) = spawn_mock();
    let discovery = format!("{base}/common/v2.0/.well-known/openid-configuration");
    let first_answer = first_answer(&client, &discovery, started).await;
    // The first token may wait for the signing key, which is made while the mock answers.
    let flow = Flow::new(&base, 0);
    let first_flow = flow.run(&client).await.map(|()| started.elapsed());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle = memory(server.id());
    println!(
        "start-up: first answer after {:.1} ms, first complete flow after {}; idle RSS {:.1} MB",
        ms(first_answer),
        first_flow.map_or_else(|e| e.to_owned(), |t| format!("{:.1} ms", ms(t))),
        mb(idle.rss_kb)
    );

    // 2. One client alone.
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

    // 3. Many clients: alone, or in turns with the peer.
    let outcome = match peer {
        None => {
            let report = load(&client, &base, &options, server.id()).await;
            println!("{report}");
            ExitCode::SUCCESS
        }
        Some((mut peer, peer_base)) => {
            let outcome = compare(
                &client,
                (&base, server.id()),
                (&peer_base, peer.id()),
                &options,
            )
            .await;
            let _ = peer.kill();
            let _ = peer.wait();
            outcome
        }
    };

    let _ = server.kill();
    let _ = server.wait();

    // 4. The tutorial, end to end.
    if !options.peer {
        tutorial_runs(options.runs);
    }
    outcome
}

/// Polls `url` until it answers 200; how long that took from `started`.
async fn first_answer(client: &HttpClient, url: &str, started: Instant) -> Duration {
    loop {
        if let Ok((StatusCode::OK, _, _)) = send(client, get(url)).await {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{url} did not answer"
        );
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

/// The same load on the mock and on the peer, in turns, so that both see the same machine;
/// fails when either server failed a flow.
async fn compare(
    client: &HttpClient,
    (mock, mock_pid): (&str, u32),
    (peer, peer_pid): (&str, u32),
    options: &Options,
) -> ExitCode {
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!(
        "peer (oauth2-mock-server): idle RSS {:.1} MB",
        mb(memory(peer_pid).rss_kb)
    );
    let mut mocks = Vec::new();
    let mut peers = Vec::new();
    for round in 1..=options.rounds {
        let report = load(client, mock, options, mock_pid).await;
        println!("round {round}, mock: {report}");
        mocks.push(report);
        let report = load(client, peer, options, peer_pid).await;
        println!("round {round}, peer: {report}");
        peers.push(report);
    }
    let (mock, peer) = (Summary::of(&mocks), Summary::of(&peers));
    println!(
        "median of {} rounds, {} clients, {} s each:\n  mock: {:.0} flows/s, p99 {:.2} ms\n  \
         peer: {:.0} flows/s, p99 {:.2} ms\n  ratio: {:.2}x the peer's flows/s",
        options.rounds,
        options.clients,
        options.seconds,
        mock.flows_per_s,
        mock.p99_ms,
        peer.flows_per_s,
        peer.p99_ms,
        mock.flows_per_s / peer.flows_per_s.max(f64::MIN_POSITIVE),
    );
    if mock.failed + peer.failed > 0 {
        println!(
            "failed flows: {} on the mock, {} on the peer",
            mock.failed, peer.failed
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The medians of several loads, and every failure.
struct Summary {
    flows_per_s: f64,
    p99_ms: f64,
    failed: usize,
}

impl Summary {
    fn of(reports: &[Report]) -> Summary {
        let median = |value: fn(&Report) -> f64| {
            let mut values: Vec<f64> = reports.iter().map(value).collect();
            values.sort_by(f64::total_cmp);
            values.get(values.len() / 2).copied().unwrap_or_default()
        };
        Summary {
            flows_per_s: median(|r| r.flows_per_s),
            p99_ms: median(|r| r.p99_ms),
            failed: reports.iter().map(|r| r.failed).sum(),
        }
    }
}

/// One load: the text printed, and the figures compared.
struct Report {
    text: String,
    flows_per_s: f64,
    p99_ms: f64,
    failed: usize,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

async fn load(client: &HttpClient, base: &str, options: &Options, pid: u32) -> Report {
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
    let flows_per_s = latencies.len() as f64 / options.seconds as f64;
    let text = format!(
        "{} clients, {} s measured after {} s warm-up:\n  flows:   {} ok, {} failed {:?}, {:.0} flows/s\n  latency: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n  memory:  RSS {:.1} MB before, {:.1} MB after, peak {:.1} MB",
        options.clients,
        options.seconds,
        options.warmup,
        latencies.len(),
        errors.len(),
        kinds,
        flows_per_s,
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        mb(before.rss_kb),
        mb(after.rss_kb),
        mb(after.peak_kb),
    );
    Report {
        text,
        flows_per_s,
        p99_ms: ms(pct(0.99)),
        failed: errors.len(),
    }
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

//! A classroom at once: `cargo bench --bench classroom [-- -n 200]`.
//!
//! Two runs, each against a fresh `tutorial mock` process. The quiet run sends N simulated
//! learners (200 by default) through all five steps at the same moment; the hostile run does
//! the same while one more learner, from another address, floods the mock (500 slow
//! connections, registrations as fast as it answers, mail fanned out to 500 recipients; see
//! `support/flood.rs`). Discovery is timed every 50 ms throughout both. The hostile run must
//! keep the room at 0 errors, its p99 per learner within 2x of the quiet run's, the mock under
//! 256 MB and discovery under 100 ms; the exit code says whether it did.
//!
//! Each learner has its own app (`support/learner.rs`):
//! 1. register: the portal's token, `POST /v1.0/applications`, `addPassword`;
//! 2. and 3. sign in: `authorize` (auto-approve) answers 302 with a code and the learner's state;
//! 4. token: redeem the code with the learner's own secret and PKCE verifier;
//! 5. Graph: `/me`, `sendMail` to themselves, then read the sent mail back.
//!
//! Every learner must end with their own token and exactly their own sent mail: no errors and
//! no cross-talk. Prints learners per second, p50/p99 per step and the server's peak memory.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod support;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hyper::StatusCode;
use support::{flood, learner, mb, memory, ms, send};

const STEPS: [&str; 5] = [
    "1 register",
    "2+3 sign in",
    "4 token",
    "5 graph",
    "5 read back",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let learners = args
        .iter()
        .position(|a| a == "-n")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(200)
        .clamp(1, 2000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let quiet = run(learners, false).await;
        let hostile = run(learners, true).await;
        judge(&quiet, &hostile)
    })
}

/// What one run measured.
struct Room {
    failures: Vec<String>,
    per_learner_p99: Duration,
    peak_kb: u64,
    discovery_max: Duration,
}

/// The hostile run's targets against the quiet run.
fn judge(quiet: &Room, hostile: &Room) -> ExitCode {
    let checks = [
        (
            "0 errors for the learners",
            hostile.failures.is_empty() && quiet.failures.is_empty(),
        ),
        (
            "p99 per learner within 2x of the quiet run",
            hostile.per_learner_p99 <= quiet.per_learner_p99 * 2,
        ),
        ("the mock under 256 MB", hostile.peak_kb < 256 * 1024),
        (
            "discovery within 100 ms throughout",
            hostile.discovery_max < Duration::from_millis(100),
        ),
    ];
    println!("hostile run against its targets:");
    for (what, met) in &checks {
        println!("  {} {what}", if *met { "met   " } else { "MISSED" });
    }
    if checks.iter().all(|(_, met)| *met) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run(learners: usize, hostile: bool) -> Room {
    let client = support::http_client();
    let (mut server, base) = support::spawn_mock();
    let discovery = format!("{base}/common/v2.0/.well-known/openid-configuration");
    let started = Instant::now();
    while !matches!(
        send(&client, support::get(&discovery)).await,
        Ok((StatusCode::OK, _, _))
    ) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the mock did not answer"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let before = memory(server.id());

    let stop = Arc::new(AtomicBool::new(false));
    let flooded = Arc::new(flood::Flooded::default());
    let probe = flood::probe_discovery(base.clone(), Arc::clone(&stop));
    if hostile {
        flood::start(&base, &stop, &flooded);
        // Let the flood take hold before the room starts.
        tokio::time::sleep(Duration::from_secs(2)).await;
    }

    let start = Instant::now();
    let tasks: Vec<_> = (0..learners)
        .map(|index| {
            let client = client.clone();
            let base = base.clone();
            tokio::spawn(async move { learner::run(&client, &base, index).await })
        })
        .collect();
    let mut timings: Vec<Vec<Duration>> = vec![Vec::new(); STEPS.len()];
    let mut totals: Vec<Duration> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(steps) => {
                totals.push(steps.iter().sum());
                for (all, one) in timings.iter_mut().zip(steps) {
                    all.push(one);
                }
            }
            Err(error) => failures.push(error),
        }
    }
    let wall = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    // The probe stops within 50 ms of `stop`.
    let mut discovery_times = probe.join().unwrap_or_default();
    let after = memory(server.id());
    let _ = server.kill();
    let _ = server.wait();

    let percentile = |times: &mut Vec<Duration>, p: f64| {
        times.sort();
        times
            .get((times.len() as f64 * p) as usize)
            .or(times.last())
            .copied()
            .unwrap_or_default()
    };
    let per_learner_p99 = percentile(&mut totals, 0.99);
    let discovery_max = discovery_times.iter().max().copied().unwrap_or_default();
    println!(
        "{} run: {learners} learners at once: {} finished, {} failed, {:.0} ms wall, {:.0} learners/s",
        if hostile { "hostile" } else { "quiet" },
        learners - failures.len(),
        failures.len(),
        ms(wall),
        (learners - failures.len()) as f64 / wall.as_secs_f64()
    );
    if hostile {
        println!(
            "  meanwhile one learner from {}: {} slow connections opened, {} apps registered, \
             {} mails to 500 recipients",
            flood::FLOODER,
            flooded.slow_connections_opened.load(Ordering::Relaxed),
            flooded.registrations.load(Ordering::Relaxed),
            flooded.mails.load(Ordering::Relaxed),
        );
    }
    println!(
        "  per learner  p50 {:>7.2} ms   p99 {:>7.2} ms",
        ms(percentile(&mut totals, 0.50)),
        ms(per_learner_p99)
    );
    for (name, mut times) in STEPS.iter().zip(timings) {
        println!(
            "  {name:<12} p50 {:>7.2} ms   p99 {:>7.2} ms",
            ms(percentile(&mut times, 0.50)),
            ms(percentile(&mut times, 0.99))
        );
    }
    println!(
        "  discovery ({} probes, every 50 ms)  p50 {:.2} ms   max {:.2} ms",
        discovery_times.len(),
        ms(percentile(&mut discovery_times, 0.50)),
        ms(discovery_max)
    );
    println!(
        "  server memory: RSS {:.1} MB before, {:.1} MB after, peak {:.1} MB",
        mb(before.rss_kb),
        mb(after.rss_kb),
        mb(after.peak_kb)
    );
    for failure in failures.iter().take(5) {
        println!("  failed: {failure}");
    }
    Room {
        failures,
        per_learner_p99,
        peak_kb: after.peak_kb,
        discovery_max,
    }
}

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
//! Each learner has its own app:
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

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, StatusCode};
use serde_json::{Value, json};
use support::{HttpClient, flood, mb, memory, ms, send};

const STEPS: [&str; 5] = [
    "1 register",
    "2+3 sign in",
    "4 token",
    "5 graph",
    "5 read back",
];
const SCOPE: &str = "openid profile offline_access User.Read Mail.Send Mail.Read";

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
    let probe = tokio::spawn(flood::probe_discovery(base.clone(), Arc::clone(&stop)));
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
            tokio::spawn(async move { learner(&client, &base, index).await })
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
    let mut discovery_times = probe.await.unwrap_or_default();
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

/// One learner through the five steps; the time each step took.
async fn learner(client: &HttpClient, base: &str, index: usize) -> Result<Vec<Duration>, String> {
    let portal = graph_mock::demo::PORTAL_APP;
    let tenant = graph_mock::demo::TENANT_ID;
    let reply_url = graph_mock::demo::WEB_APP.redirect_uris[0];
    let mut steps = Vec::new();

    // 1. Register an app of one's own.
    let clock = Instant::now();
    let portal_token = json_of(
        send_form(
            client,
            &format!("{base}/{tenant}/oauth2/v2.0/token"),
            &[
                ("grant_type", "client_credentials"),
                ("client_id", portal.client_id),
                ("client_secret", portal.client_secret),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await?,
    )?["access_token"]
        .as_str()
        .ok_or("register: no portal token")?
        .to_owned();
    let app = json_of(
        send_json(
            client,
            &format!("{base}/v1.0/applications"),
            &portal_token,
            &json!({
                "displayName": format!("learner {index}"),
                "web": {"redirectUris": [reply_url]},
            }),
        )
        .await?,
    )?;
    let client_id = app["appId"]
        .as_str()
        .ok_or("register: no appId")?
        .to_owned();
    let object_id = app["id"].as_str().ok_or("register: no id")?;
    let password = json_of(
        send_json(
            client,
            &format!("{base}/v1.0/applications/{object_id}/addPassword"),
            &portal_token,
            &json!({}),
        )
        .await?,
    )?;
    let secret = password["secretText"]
        .as_str()
        .ok_or("register: no secret")?
        .to_owned();
    steps.push(clock.elapsed());

    // 2 and 3. Sign in: the code comes back with this learner's state.
    let clock = Instant::now();
    let verifier = format!("learner-{index:05}-verifier-abcdefghijklmnopqrstuvwxyz0123456789");
    let challenge = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
    let state = format!("learner-{index}");
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", reply_url),
            ("scope", SCOPE),
            ("state", &state),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    let (status, location, _) = send(
        client,
        support::get(&format!(
            "{base}/{}/oauth2/v2.0/authorize?{query}",
            graph_mock::demo::TENANT_DOMAIN
        )),
    )
    .await?;
    let location = location
        .filter(|_| status == StatusCode::FOUND)
        .ok_or("sign in: no 302")?;
    let answer: Vec<(String, String)> = url_query(&location);
    let code = find(&answer, "code").ok_or("sign in: no code")?;
    if find(&answer, "state") != Some(state.as_str()) {
        return Err("sign in: state not echoed".into());
    }
    steps.push(clock.elapsed());

    // 4. Redeem the code with this learner's own credentials.
    let clock = Instant::now();
    let tokens = json_of(
        send_form(
            client,
            &format!(
                "{base}/{}/oauth2/v2.0/token",
                graph_mock::demo::TENANT_DOMAIN
            ),
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &client_id),
                ("client_secret", &secret),
                ("code", code),
                ("redirect_uri", reply_url),
                ("code_verifier", &verifier),
            ],
        )
        .await?,
    )?;
    let token = tokens["access_token"]
        .as_str()
        .ok_or("token: no access token")?
        .to_owned();
    steps.push(clock.elapsed());

    // 5. Graph: who am I, then mail myself.
    let clock = Instant::now();
    let me = json_of(
        send_bearer(
            client,
            Method::GET,
            &format!("{base}/v1.0/me"),
            &token,
            None,
        )
        .await?,
    )?;
    let address = me["userPrincipalName"]
        .as_str()
        .ok_or("graph: no user")?
        .to_owned();
    let subject = format!("hello from learner {index}");
    let mail = json!({"message": {
        "subject": subject,
        "body": {"contentType": "Text", "content": "sent by the classroom benchmark"},
        "toRecipients": [{"emailAddress": {"address": address}}],
    }});
    let (status, _, _) = send_bearer(
        client,
        Method::POST,
        &format!("{base}/v1.0/me/sendMail"),
        &token,
        Some(&mail),
    )
    .await?;
    if status != StatusCode::ACCEPTED {
        return Err(format!("graph: sendMail answered {status}"));
    }
    steps.push(clock.elapsed());

    // 5. Read it back: exactly this learner's mail, nobody else's.
    let clock = Instant::now();
    let sent = json_of(
        send_bearer(
            client,
            Method::GET,
            &format!("{base}/v1.0/me/mailFolders/sentitems/messages"),
            &token,
            None,
        )
        .await?,
    )?;
    let subjects: Vec<&str> = sent["value"]
        .as_array()
        .map(|list| list.iter().filter_map(|m| m["subject"].as_str()).collect())
        .unwrap_or_default();
    if subjects != [subject.as_str()] {
        return Err(format!("read back: cross-talk, saw {subjects:?}"));
    }
    steps.push(clock.elapsed());
    Ok(steps)
}

type Answer = (StatusCode, Option<String>, Bytes);

fn json_of(answer: Answer) -> Result<Value, String> {
    let (status, _, body) = answer;
    if !status.is_success() {
        return Err(format!("{status}: {}", String::from_utf8_lossy(&body)));
    }
    serde_json::from_slice(&body).map_err(|e| format!("not JSON: {e}"))
}

async fn send_form(
    client: &HttpClient,
    url: &str,
    form: &[(&str, &str)],
) -> Result<Answer, String> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let request = Request::builder()
        .method(Method::POST)
        .uri(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    Ok(send(client, request).await?)
}

async fn send_json(
    client: &HttpClient,
    url: &str,
    token: &str,
    body: &Value,
) -> Result<Answer, String> {
    send_bearer(client, Method::POST, url, token, Some(body)).await
}

async fn send_bearer(
    client: &HttpClient,
    method: Method,
    url: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<Answer, String> {
    let bytes = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
    let request = Request::builder()
        .method(method)
        .uri(url)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Full::new(bytes))
        .unwrap();
    Ok(send(client, request).await?)
}

fn url_query(location: &str) -> Vec<(String, String)> {
    let query = location.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

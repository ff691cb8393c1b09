//! One hostile learner, for the classroom benchmark's hostile run: from its own address
//! (127.0.0.2, as another machine would be; its slow connections from 127.0.0.4), it holds 500 slow connections, registers apps
//! as fast as it can, and sends mail fanned out to 500 recipients, until told to stop. And a
//! probe from a third address that times discovery every 50 ms throughout.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpSocket;

use super::{HttpClient, send};

pub const FLOODER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
pub const PROBE: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
/// The same learner's second machine holds the slow connections: from one address, the
/// mock's cap per address would refuse its registrations and mail too, and the quotas would
/// go untested.
pub const SLOW_FLOODER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 4);

/// What the flood managed, to print beside the learners' numbers.
#[derive(Default)]
pub struct Flooded {
    pub registrations: AtomicU64,
    pub mails: AtomicU64,
    pub slow_connections_opened: AtomicU64,
}

/// An HTTP client whose connections come from `from`.
pub fn client_from(from: Ipv4Addr) -> HttpClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_local_address(Some(IpAddr::V4(from)));
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(64)
        .build(connector)
}

/// Times discovery every 50 ms until `stop`; every latency seen (a failure counts as 10 s).
/// The probe runs on a thread and a runtime of its own, so that what it times is the mock's
/// answer, not its turn among the 200 learners' tasks in this process.
pub fn probe_discovery(
    base: String,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<Duration>> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the probe");
        runtime.block_on(async move {
            let client = client_from(PROBE);
            let url = format!("{base}/common/v2.0/.well-known/openid-configuration");
            let mut seen = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let answer = send(&client, super::get(&url)).await;
                seen.push(match answer {
                    Ok((StatusCode::OK, _, _)) => started.elapsed(),
                    _ => Duration::from_secs(10),
                });
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            seen
        })
    })
}

/// Starts the three floods; they run until `stop`.
pub fn start(base: &str, stop: &Arc<AtomicBool>, flooded: &Arc<Flooded>) {
    let address: SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .expect("the mock's address");
    for _ in 0..500 {
        tokio::spawn(slow_connection(
            address,
            Arc::clone(stop),
            Arc::clone(flooded),
        ));
    }
    tokio::spawn(register(
        base.to_owned(),
        Arc::clone(stop),
        Arc::clone(flooded),
    ));
    tokio::spawn(fan_out_mail(
        base.to_owned(),
        Arc::clone(stop),
        Arc::clone(flooded),
    ));
}

/// Holds a connection with a request that never ends: a header byte a second, again when
/// the mock closes it.
async fn slow_connection(to: SocketAddr, stop: Arc<AtomicBool>, flooded: Arc<Flooded>) {
    while !stop.load(Ordering::Relaxed) {
        let Ok(socket) = TcpSocket::new_v4() else {
            return;
        };
        if socket.bind(SocketAddr::from((SLOW_FLOODER, 0))).is_err() {
            return;
        }
        let Ok(mut stream) = socket.connect(to).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        flooded
            .slow_connections_opened
            .fetch_add(1, Ordering::Relaxed);
        if stream
            .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n")
            .await
            .is_err()
        {
            continue;
        }
        while !stop.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if stream.write_all(b"x").await.is_err() {
                break;
            }
        }
        // Closed by the mock (its deadline, or the cap): open another in a moment.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn portal_token(client: &HttpClient, base: &str) -> Option<String> {
    let portal = graph_mock::fixtures::PORTAL_APP;
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "client_credentials"),
            ("client_id", portal.client_id),
            ("client_secret", portal.client_secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .finish();
    let url = format!(
        "{base}/{}/oauth2/v2.0/token",
        graph_mock::fixtures::TENANT_ID
    );
    let request = Request::builder()
        .method(Method::POST)
        .uri(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(form)))
        .ok()?;
    let (_, _, body) = send(client, request).await.ok()?;
    let token: Value = serde_json::from_slice(&body).ok()?;
    token["access_token"].as_str().map(str::to_owned)
}

fn bearer(method: Method, url: &str, token: &str, body: &Value) -> Option<Request<Full<Bytes>>> {
    Request::builder()
        .method(method)
        .uri(url)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .ok()
}

/// Registers apps one after another, as fast as the mock answers.
async fn register(base: String, stop: Arc<AtomicBool>, flooded: Arc<Flooded>) {
    let client = client_from(FLOODER);
    let Some(token) = portal_token(&client, &base).await else {
        return;
    };
    let url = format!("{base}/v1.0/applications");
    let app = json!({
        "displayName": "flood",
        "web": {"redirectUris": ["http://127.0.0.1:8000/connect/get_token/"]},
    });
    while !stop.load(Ordering::Relaxed) {
        let Some(request) = bearer(Method::POST, &url, &token, &app) else {
            return;
        };
        match send(&client, request).await {
            Ok((StatusCode::CREATED, _, _)) => {
                flooded.registrations.fetch_add(1, Ordering::Relaxed);
            }
            // Refused (a quota): keep trying, as a hostile learner would.
            _ => tokio::task::yield_now().await,
        }
    }
}

/// Signs in to the demo app and sends mail to 500 recipients (the demo users, over and
/// over), again and again.
async fn fan_out_mail(base: String, stop: Arc<AtomicBool>, flooded: Arc<Flooded>) {
    let client = client_from(FLOODER);
    let Some(token) = user_token(&client, &base).await else {
        eprintln!("the flood could not sign in: no fan-out mail");
        return;
    };
    let recipients: Vec<Value> = graph_mock::fixtures::USERS
        .iter()
        .cycle()
        .take(500)
        .map(|u| json!({"emailAddress": {"address": u.user_principal_name}}))
        .collect();
    let mail = json!({"message": {
        "subject": "flood",
        "body": {"contentType": "Text", "content": "x".repeat(4096)},
        "toRecipients": recipients,
    }});
    let url = format!("{base}/v1.0/me/sendMail");
    while !stop.load(Ordering::Relaxed) {
        let Some(request) = bearer(Method::POST, &url, &token, &mail) else {
            return;
        };
        if let Ok((StatusCode::ACCEPTED, _, _)) = send(&client, request).await {
            flooded.mails.fetch_add(1, Ordering::Relaxed);
        } else {
            tokio::task::yield_now().await;
        }
    }
}

/// A delegated token for the demo app (the mock approves by itself in the benchmark).
async fn user_token(client: &HttpClient, base: &str) -> Option<String> {
    let app = graph_mock::fixtures::WEB_APP;
    let reply = app.redirect_uris.first()?;
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", app.client_id),
            ("response_type", "code"),
            ("redirect_uri", reply),
            ("scope", "openid User.Read Mail.Send"),
        ])
        .finish();
    let authorize = format!(
        "{base}/{}/oauth2/v2.0/authorize?{query}",
        graph_mock::fixtures::TENANT_DOMAIN
    );
    let (_, location, _) = send(client, super::get(&authorize)).await.ok()?;
    let location = location?;
    let code = form_urlencoded::parse(location.split_once('?')?.1.as_bytes())
        .find(|(k, _)| k == "code")?
        .1
        .into_owned();
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "authorization_code"),
            ("client_id", app.client_id),
            ("client_secret", app.client_secret),
            ("code", code.as_str()),
            ("redirect_uri", reply),
        ])
        .finish();
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!(
            "{base}/{}/oauth2/v2.0/token",
            graph_mock::fixtures::TENANT_DOMAIN
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(form)))
        .ok()?;
    let (_, _, body) = send(client, request).await.ok()?;
    let tokens: Value = serde_json::from_slice(&body).ok()?;
    tokens["access_token"].as_str().map(str::to_owned)
}

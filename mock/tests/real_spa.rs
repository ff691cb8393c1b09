//! `@azure/msal-browser`, unmodified, in headless Chromium against the mock over HTTPS: a
//! single-page app on a loopback origin signs in with a redirect through the mock's own
//! sign-in and consent pages (the test clicks them as a person would), then asks
//! `acquireTokenSilent` for a forced refresh and calls Graph's `/v1.0/me` with `fetch`. Every
//! request the page makes to the mock is cross-origin, so this is CORS, the `spa` platform
//! and the 24-hour refresh token as a real browser and MSAL.js see them.
//!
//! Chromium trusts exactly the mock's server key (`--ignore-certificate-errors-spki-list`),
//! nothing else, and reaches no host but loopback. The page reports what it got as JSON in
//! `<pre id="result">`.
//!
//! Needs Chromium, chromedriver and `tests/clients/node_modules` (`npm ci --prefix
//! mock/tests/clients`); under CI a missing piece is a failure, never a skip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../tests/support/chromium.rs"]
mod chromium;
mod support;

use std::path::{Path, PathBuf};

use graph_mock::fixtures::TENANT_ID;
use graph_mock::{Config, MockServer, Tls};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

use chromium::{Chromium, LAPTOP};

fn msal_browser() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients/node_modules/@azure/msal-browser/lib/msal-browser.js")
}

/// The single-page app: MSAL.js configured for the mock, signing in with a redirect, then a
/// forced silent refresh, then Graph.
fn page(mock: &str, client_id: &str, page_url: &str) -> String {
    let host = mock.trim_start_matches("https://");
    let config = json!({
        "auth": {
            "clientId": client_id,
            "authority": format!("{mock}/{TENANT_ID}"),
            "knownAuthorities": [host],
            "redirectUri": page_url,
        },
        "cache": { "cacheLocation": "sessionStorage" },
    });
    format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>SPA</title>
<script src="/msal-browser.js"></script></head>
<body><h1>A single-page app</h1>
<script>
const config = {config};
const scopes = ["User.Read", "Mail.Send"];
function report(result) {{
  const pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
}}
(async () => {{
  try {{
    const app = new msal.PublicClientApplication(config);
    await app.initialize();
    const signedIn = await app.handleRedirectPromise();
    if (!signedIn) {{
      await app.loginRedirect({{ scopes }});
      return;
    }}
    const silent = await app.acquireTokenSilent({{
      scopes, account: signedIn.account, forceRefresh: true,
    }});
    const me = await fetch("{mock}/v1.0/me", {{
      headers: {{ Authorization: "Bearer " + silent.accessToken }},
    }});
    report({{
      username: signedIn.account.username,
      signInScopes: signedIn.scopes,
      refreshed: silent.accessToken !== signedIn.accessToken,
      fromCache: silent.fromCache,
      meStatus: me.status,
      me: await me.json(),
      requestId: me.headers.get("request-id"),
    }});
  }} catch (e) {{
    report({{ error: String(e && (e.errorCode || e.name)), message: String(e && e.message) }});
  }}
}})();
</script></body></html>"#
    )
}

/// A tiny static server for the page and the library, on a loopback port of its own (so the
/// page's origin is not the mock's). One request per connection.
async fn serve_page(listener: TcpListener, html: String, library: Vec<u8>) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        let mut head = Vec::new();
        let mut buffer = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buffer[..n]),
            }
        }
        let request = String::from_utf8_lossy(&head);
        let path = request.split_whitespace().nth(1).unwrap_or("/");
        let (status, content_type, body) = if path.starts_with("/msal-browser.js") {
            ("200 OK", "text/javascript", library.clone())
        } else if path == "/" || path.starts_with("/?") {
            (
                "200 OK",
                "text/html; charset=utf-8",
                html.clone().into_bytes(),
            )
        } else {
            ("404 Not Found", "text/plain", b"not here".to_vec())
        };
        let answer = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.write_all(&body).await;
        let _ = stream.shutdown().await;
    }
}

/// A client for the mock's own CA: registers the app as the portal does.
fn https_client(ca: &Path) -> reqwest::Client {
    let pem = std::fs::read(ca).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn register_spa(mock: &MockServer, ca: &Path, page_url: &str) -> String {
    let client = https_client(ca);
    let portal: Value = client
        .post(format!("{}/{TENANT_ID}/oauth2/v2.0/token", mock.uri()))
        .form(&support::PORTAL_TOKEN_FORM)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut body = support::application_body(&[], &[]);
    body["displayName"] = json!("A single-page app");
    body["spa"] = json!({ "redirectUris": [page_url] });
    let app: Value = client
        .post(format!("{}/v1.0/applications", mock.uri()))
        .bearer_auth(portal["access_token"].as_str().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    app["appId"]
        .as_str()
        .expect("the app is registered")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn msal_browser_signs_in_refreshes_silently_and_calls_graph_from_the_page() {
    if !support::available(
        "@azure/msal-browser",
        msal_browser().exists(),
        "npm ci --prefix mock/tests/clients",
    ) {
        return;
    }
    let tls_dir = tempfile::tempdir().unwrap();
    let tls = Tls::load_or_create(tls_dir.path()).expect("certificates are made");
    let ca = tls.ca_certificate().to_owned();
    let mock = MockServer::start(Config::default().tls(tls))
        .await
        .expect("the mock starts");
    let pin = support::server_key_pin(tls_dir.path());
    let Some(browser) = Chromium::start_trusting(LAPTOP, &pin).await else {
        return;
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let page_url = format!(
        "http://localhost:{}/",
        listener.local_addr().unwrap().port()
    );
    let client_id = register_spa(&mock, &ca, &page_url).await;
    let library = std::fs::read(msal_browser()).unwrap();
    let server = tokio::spawn(serve_page(
        listener,
        page(&mock.uri(), &client_id, &page_url),
        library,
    ));

    // The page sends the browser to the mock's sign-in; a person picks Alex and accepts.
    browser.goto(&page_url).await;
    browser.wait_for(r#"input[name="user"]"#).await;
    browser.click(r#"input[name="user"][value="1"]"#).await;
    browser.click(r#"button[type="submit"]"#).await;
    browser.wait_for(r#"button[value="accept"]"#).await;
    let consent = browser.text().await;
    browser.click(r#"button[value="accept"]"#).await;
    browser.wait_for("#result").await;
    let shown = browser.text().await;
    browser.screenshot("spa-signed-in").await;
    browser.close().await;
    server.abort();

    let json = shown
        .lines()
        .find(|line| line.starts_with('{'))
        .unwrap_or_else(|| panic!("the page reported nothing: {shown}"));
    let result: Value = serde_json::from_str(json).unwrap();
    assert_eq!(result["error"], Value::Null, "{result}");
    assert!(consent.contains("A single-page app"), "{consent}");
    assert_eq!(result["username"], "AlexW@contoso.onmicrosoft.com");
    assert_eq!(result["refreshed"], true, "a new access token: {result}");
    assert_eq!(
        result["fromCache"], false,
        "from the refresh token: {result}"
    );
    assert_eq!(result["meStatus"], 200);
    assert_eq!(result["me"]["displayName"], "Alex Wilber");
    assert!(
        result["requestId"]
            .as_str()
            .is_some_and(|id| id.len() == 36),
        "Graph's exposed request-id: {result}"
    );
}

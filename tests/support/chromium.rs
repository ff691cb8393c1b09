//! Headless Chromium, driven over WebDriver (chromedriver + fantoccini), for the tests that
//! sign in the way a person does: click a demo user, click Accept.
//!
//! Each test starts its own chromedriver on a free loopback port and its own browser with a
//! fresh, empty profile. The flags keep Chromium on loopback: without them it reaches for
//! outside hosts (updates, sync, safe browsing) at start-up. JavaScript is turned off, so a
//! test that passes shows the pages work without it.
//!
//! When Chromium is not installed the test says how to install it and returns early, except
//! under CI (`CI=true`), where a missing or broken browser is a failure, never a skip.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::support::required;

/// Where Debian's `chromium` and `chromium-driver` packages put them.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const INSTALL: &str = "apt-get install -y chromium chromium-driver";

/// A screen to look at the pages on: the browser window in CSS pixels, and the zoom.
#[derive(Clone, Copy, Debug)]
pub struct Screen {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    pub scale: f32,
}

/// A laptop at 100 %.
pub const LAPTOP: Screen = Screen {
    name: "laptop",
    width: 1366,
    height: 768,
    scale: 1.0,
};

/// A 1080p projector with the page zoomed to 150 %, as a presenter would: the room sees
/// 1280 × 720 CSS pixels, every one of them half as large again.
pub const PROJECTOR: Screen = Screen {
    name: "projector",
    width: 1280,
    height: 720,
    scale: 1.5,
};

/// A headless browser and the chromedriver that drives it.
pub struct Chromium {
    client: Option<Client>,
    session: String,
    driver: Child,
    driver_port: u16,
    screen: Screen,
    profile: tempfile::TempDir,
}

/// What chromedriver is asked for: Chromium kept on loopback, with a fresh empty profile, the
/// screen's size and zoom, and no JavaScript unless `javascript`.
fn capabilities(
    screen: Screen,
    user_data: &Path,
    javascript: bool,
    extra_args: &[String],
) -> fantoccini::wd::Capabilities {
    let mut capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                format!("--user-data-dir={}", user_data.display()),
                format!("--window-size={},{}", screen.width, screen.height),
                format!("--force-device-scale-factor={}", screen.scale),
            ],
            // The pages must work without JavaScript: the browser runs none.
            "prefs": { "profile.managed_default_content_settings.javascript": 2 },
        },
    });
    if javascript {
        capabilities["goog:chromeOptions"]["prefs"] = json!({});
    }
    if let Some(args) = capabilities["goog:chromeOptions"]["args"].as_array_mut() {
        args.extend(extra_args.iter().map(|arg| json!(arg)));
    }
    match capabilities {
        serde_json::Value::Object(capabilities) => capabilities,
        _ => unreachable!("the capabilities are a JSON object"),
    }
}

/// Reads chromedriver's "…started successfully on port N." and keeps draining its stdout.
fn port_announced(stdout: std::process::ChildStdout) -> u16 {
    let (send, port) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.split("started successfully on port ").nth(1) {
                let _ = send.send(rest.trim_end_matches('.').trim().parse::<u16>());
            }
        }
    });
    match port.recv_timeout(Duration::from_secs(15)) {
        Ok(Ok(port)) => port,
        other => panic!("chromedriver did not say which port it listens on: {other:?}"),
    }
}

/// Where the screenshots go: `target/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}

impl Chromium {
    /// Starts chromedriver and a browser showing `screen`. `None` (after a loud note) only when
    /// Chromium is not installed and this is not CI.
    pub async fn start(screen: Screen) -> Option<Chromium> {
        Chromium::start_with(screen, false, &[]).await
    }

    /// Like [`start`](Self::start), with JavaScript on: for the instructor's live page.
    pub async fn start_with_javascript(screen: Screen) -> Option<Chromium> {
        Chromium::start_with(screen, true, &[]).await
    }

    /// With JavaScript on, trusting the one HTTPS key pinned by `spki_pin` (base64 of the
    /// SHA-256 of its SubjectPublicKeyInfo): for a single-page app served by a mock with TLS.
    pub async fn start_trusting(screen: Screen, spki_pin: &str) -> Option<Chromium> {
        let pin = format!("--ignore-certificate-errors-spki-list={spki_pin}");
        Chromium::start_with(screen, true, &[pin]).await
    }

    async fn start_with(
        screen: Screen,
        javascript: bool,
        extra_args: &[String],
    ) -> Option<Chromium> {
        let installed = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
        let what = format!("{CHROMIUM} or {CHROMEDRIVER}");
        if !required::installed(&what, installed, INSTALL) {
            return None;
        }

        let profile = tempfile::tempdir().expect("a temp dir for the browser profile");
        let log = profile.path().join("chromedriver.log");
        // Port 0: chromedriver picks a free port itself and says which, so no other test can
        // take it in between.
        let mut driver = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{CHROMEDRIVER} does not start: {e}\n  try: {INSTALL}"));
        let stdout = driver.stdout.take().expect("stdout is piped");
        let mut chromium = Chromium {
            client: None,
            session: String::new(),
            driver,
            driver_port: 0,
            screen,
            profile,
        };
        chromium.driver_port = port_announced(stdout);

        // A browser that fails to start under load gets one more try, with a fresh profile.
        let driver = format!("http://127.0.0.1:{}", chromium.driver_port);
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            let user_data = chromium.profile.path().join(format!("profile-{attempt}"));
            let started = ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities(screen, &user_data, javascript, extra_args))
                .connect(&driver)
                .await;
            match started {
                Ok(client) => break client,
                Err(e) if attempt < 2 => {
                    let _ = writeln!(std::io::stderr(), "Chromium did not start ({e}); again");
                }
                Err(e) => panic!(
                    "Chromium did not start: {e}\n{}\n  try: {INSTALL}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                ),
            }
        };
        chromium.session = client
            .session_id()
            .await
            .expect("the session has an ID")
            .unwrap_or_default();
        chromium.client = Some(client);
        Some(chromium)
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("the browser is running")
    }

    pub async fn goto(&self, url: &str) {
        self.client()
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("the browser cannot open {url}: {e}"));
    }

    /// Clicks the element `css` selects, and waits for the page it leads to.
    pub async fn click(&self, css: &str) {
        let element = match self.client().find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no `{css}` on the page: {e}\n{}", self.text().await),
        };
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("`{css}` cannot be clicked: {e}"));
    }

    /// Types `text` into the field `css` selects, key by key, as a person would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = match self.client().find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no `{css}` on the page: {e}\n{}", self.text().await),
        };
        element
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("`{css}` takes no keys: {e}"));
    }

    /// Waits (at most 10 s) until the page shows something `css` selects: the sign that a
    /// click's navigation has finished.
    pub async fn wait_for(&self, css: &str) {
        if let Err(e) = self
            .client()
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
        {
            panic!("the page never showed `{css}`: {e}\n{}", self.text().await);
        }
    }

    /// Waits (at most 10 s) until the browser is on a URL containing `part`.
    pub async fn wait_for_url(&self, part: &str) {
        let started = Instant::now();
        loop {
            let url = self.client().current_url().await.map(String::from);
            if url.as_deref().is_ok_and(|url| url.contains(part)) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the browser never reached a URL with `{part}`: it is on {url:?}\n{}",
                self.text().await
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The text of the page, as a person reads it.
    pub async fn text(&self) -> String {
        match self.client().find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(no page: {e})"),
        }
    }

    pub async fn title(&self) -> String {
        self.client().title().await.unwrap_or_default()
    }

    /// Saves what the screen shows as `target/screenshots/{page}-{screen}.png`.
    pub async fn screenshot(&self, page: &str) -> PathBuf {
        let png = self
            .client()
            .screenshot()
            .await
            .expect("the browser takes a screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("target/screenshots can be made");
        let path = dir.join(format!("{page}-{}.png", self.screen.name));
        std::fs::write(&path, png).expect("the screenshot is saved");
        path
    }

    /// Closes the browser and stops chromedriver.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for Chromium {
    /// Even when a test fails half-way: end the session (which quits the browser), then stop
    /// the driver this test started.
    fn drop(&mut self) {
        if self.client.take().is_some() && !self.session.is_empty() {
            delete_session(self.driver_port, &self.session);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// `DELETE /session/{id}` without an async runtime (a panicking test may have none left).
fn delete_session(port: u16, session: &str) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
}

//! MSAL Python's device code flow, unmodified, against the mock over HTTPS. The script
//! (`tests/clients/device_flow.py`) registers a public client, asks for the codes and polls;
//! this test plays the person on the other device. It completes the verification page with
//! plain HTTP form posts, exactly the requests a browser sends for these script-free pages
//! (the headless-Chromium harness lives in the tutorial's crate, out of this crate's reach).

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use graph_mock::{Config, MockServer, Tls};
use serde_json::Value;

fn python() -> String {
    std::env::var("GRAPH_MOCK_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn msal_available() -> bool {
    let loads = Command::new(python())
        .args(["-c", "import msal, requests"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !loads {
        assert!(
            std::env::var_os("CI").is_none(),
            "MSAL Python is missing under CI; .ci/run installs it"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: MSAL Python is not installed here. To run this test: \
             pip install -r mock/tests/clients/requirements.txt"
        );
    }
    loads
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("clients")
        .join("device_flow.py")
}

/// A client for the mock's own CA, not following redirects: the person's browser.
fn browser(ca: &Path) -> reqwest::Client {
    let pem = std::fs::read(ca).expect("the CA file is readable");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("a PEM certificate"))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client builds")
}

fn hidden_field(page: &str, field: &str) -> Option<String> {
    let marker = format!("name=\"{field}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')?;
    Some(page[start..start + end].to_owned())
}

#[tokio::test]
async fn msal_python_device_flow_gets_tokens_once_a_person_types_the_code() {
    if !msal_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("graph-mock-device-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let tls = Tls::load_or_create(&dir).expect("certificates are made");
    let ca = tls.ca_certificate().to_owned();
    let mock = MockServer::start(Config::default().tls(tls))
        .await
        .expect("the mock starts");
    let mut child = Command::new(python())
        .args(["-W", "ignore"])
        .arg(script())
        .arg(mock.uri())
        .env("REQUESTS_CA_BUNDLE", &ca)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    let stdout = child.stdout.take().expect("piped stdout");
    let (first, lines) = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        (first, lines)
    })
    .await
    .expect("the flow is printed");
    let flow: Value = match serde_json::from_str(&first) {
        Ok(flow) => flow,
        Err(_) => {
            let output = child.wait_with_output().expect("python ends");
            panic!(
                "no flow printed: {first}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        }
    };

    // The person, on another device: the page, the code, Megan, Accept.
    let browser = browser(&ca);
    let page_url = flow["verification_uri"]
        .as_str()
        .expect("a verification URI");
    let sign_in = browser
        .post(page_url)
        .form(&[("otc", flow["user_code"].as_str().expect("a user code"))])
        .send()
        .await
        .expect("the page answers")
        .text()
        .await
        .expect("a page");
    let pending = hidden_field(&sign_in, "flow").expect("the sign-in page carries its flow");
    let tenant_path = page_url.trim_end_matches("/oauth2/deviceauth").to_owned();
    for (path, form) in [
        ("login", vec![("flow", pending.as_str()), ("user", "0")]),
        (
            "consent",
            vec![
                ("flow", pending.as_str()),
                ("user", "0"),
                ("decision", "accept"),
            ],
        ),
    ] {
        let response = browser
            .post(format!("{tenant_path}/{path}"))
            .form(&form)
            .send()
            .await
            .expect("the page answers");
        assert_eq!(response.status(), 200, "{path}");
    }

    let (result, child) = tokio::task::spawn_blocking(move || {
        let result = lines.last().and_then(Result::ok).unwrap_or_default();
        (result, child.wait_with_output().expect("python ends"))
    })
    .await
    .expect("MSAL finishes polling");
    assert!(
        child.status.success(),
        "{}",
        String::from_utf8_lossy(&child.stderr)
    );
    let result: Value = serde_json::from_str(&result).expect("one JSON line");
    assert_eq!(result["error"], Value::Null);
    assert_eq!(result["username"], "MeganB@contoso.onmicrosoft.com");
    assert_eq!(result["has_refresh_token"], true);
    assert_eq!(result["me"], 200);
    assert_eq!(flow["interval"], 5);
    let _ = std::fs::remove_dir_all(dir);
}

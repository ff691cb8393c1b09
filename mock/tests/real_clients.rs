//! Real, unmodified client libraries against the mock: MSAL Python and MSAL Node run the
//! snippets printed in `mock/README.md` (so the README stays true) over HTTPS, and
//! openid-client runs the code flow with PKCE, refresh and userinfo over plain HTTP.
//!
//! `.ci/run` installs the libraries (`tests/clients/requirements.txt` into a virtualenv named
//! by `GRAPH_MOCK_PYTHON`, `tests/clients/package.json` with `npm ci`). Under CI a missing
//! library fails the test; elsewhere the test says loudly what to install and returns.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

use graph_mock::{Config, MockServer, Tls};
use support::{clients_dir, msal_python_available, node_package_available, python};

const README: &str = include_str!("../README.md");

/// The first fenced block of `language` in the README.
fn snippet(language: &str) -> String {
    let fence = format!("```{language}\n");
    let start = README.find(&fence).expect("the README has the snippet") + fence.len();
    let end = README[start..].find("```").expect("the snippet ends") + start;
    README[start..end].to_owned()
}

async fn tls_mock(name: &str) -> (MockServer, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("graph-mock-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let tls = Tls::load_or_create(&dir).expect("certificates are made");
    let ca = tls.ca_certificate().to_owned();
    let mock = MockServer::start(Config::default().auto_approve().tls(tls))
        .await
        .expect("the mock starts");
    (mock, ca, dir)
}

fn stdout_of(output: Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test]
async fn the_readme_msal_python_snippet_signs_in_and_calls_graph() {
    if !msal_python_available() {
        return;
    }
    let (mock, ca, dir) = tls_mock("msal-python").await;
    let port = mock.address().port();
    let script = snippet("python").replace("localhost:8400", &format!("localhost:{port}"));

    let output = tokio::task::spawn_blocking(move || {
        Command::new(python())
            .args(["-W", "ignore", "-c", &script])
            .env("REQUESTS_CA_BUNDLE", &ca)
            .output()
            .expect("python runs")
    })
    .await
    .expect("the script finishes");

    let printed = stdout_of(output, "the MSAL Python snippet");
    assert_eq!(
        printed.lines().collect::<Vec<_>>(),
        ["MeganB@contoso.onmicrosoft.com", "Megan Bowen"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_readme_msal_node_snippet_signs_in() {
    if !node_package_available("@azure/msal-node") {
        return;
    }
    let (mock, ca, dir) = tls_mock("msal-node").await;
    let port = mock.address().port();
    let script = snippet("js").replace("localhost:8400", &format!("localhost:{port}"));
    // ES modules resolve packages from where the file is, so the script sits beside them.
    let file = clients_dir().join(format!("run-msal-{}.mjs", std::process::id()));
    std::fs::write(&file, script).expect("the script is written");

    let run = file.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(&run)
            .env("NODE_EXTRA_CA_CERTS", &ca)
            .output()
            .expect("node runs")
    })
    .await
    .expect("the script finishes");

    let _ = std::fs::remove_file(&file);
    let printed = stdout_of(output, "the MSAL Node snippet");
    assert_eq!(printed.trim(), "MeganB@contoso.onmicrosoft.com");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn openid_client_discovers_signs_in_refreshes_and_reads_userinfo_over_http() {
    if !node_package_available("@azure/msal-node") {
        return;
    }
    let mock = MockServer::start(Config::default().auto_approve())
        .await
        .expect("the mock starts");
    let base = mock.uri();

    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(clients_dir().join("openid-client.mjs"))
            .arg(&base)
            .output()
            .expect("node runs")
    })
    .await
    .expect("the script finishes");

    let printed = stdout_of(output, "openid-client");
    let result: serde_json::Value = serde_json::from_str(printed.trim()).expect("one JSON line");
    assert_eq!(result["issuer"], format!("{}/common/v2.0", mock.uri()));
    assert_eq!(result["user"], "MeganB@contoso.onmicrosoft.com");
    assert_eq!(result["refreshed"], true);
    assert_eq!(result["rotated"], true);
    assert_eq!(result["userinfo"], "Megan Bowen");
    assert_eq!(result["me"], 200);
}

//! MSAL Python's on-behalf-of flow, unmodified, against the mock over HTTPS (auto-approve).
//! The script (`tests/clients/on_behalf_of.py`) registers a web API exposing
//! `access_as_user` and a web app calling it, signs Megan in to the web app for the API's
//! scope, and lets the API call `acquire_token_on_behalf_of` before and after she consents to
//! what it asks of Graph; then with a Graph token, which is not for the API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;

use graph_mock::{Config, MockServer, Tls};
use serde_json::{Value, json};

#[tokio::test]
async fn msal_python_trades_a_users_api_token_for_a_graph_token() {
    if !support::msal_python_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("graph-mock-obo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let tls = Tls::load_or_create(&dir).expect("certificates are made");
    let ca = tls.ca_certificate().to_owned();
    let mock = MockServer::start(Config::default().auto_approve().tls(tls))
        .await
        .expect("the mock starts");
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("clients")
        .join("on_behalf_of.py");
    let base = mock.uri();

    let output = tokio::task::spawn_blocking(move || {
        Command::new(support::python())
            .args(["-W", "ignore"])
            .arg(script)
            .arg(base)
            .env("REQUESTS_CA_BUNDLE", &ca)
            .output()
            .expect("python runs")
    })
    .await
    .expect("the script finishes");

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the MSAL Python script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    let api = result["api_app_id"].as_str().unwrap();
    assert_eq!(result["exposed"], 204);
    assert_eq!(result["user_token"]["aud"], format!("api://{api}"));
    assert_eq!(result["user_token"]["ver"], "1.0");
    assert_eq!(result["user_token"]["scp"], "access_as_user");
    assert_eq!(
        result["before_consent"],
        json!({"error": "invalid_grant", "suberror": "consent_required", "error_codes": [65001]})
    );
    assert_eq!(result["on_behalf_error"], Value::Null, "{result}");
    assert_eq!(
        result["graph_token"]["aud"],
        "00000003-0000-0000-c000-000000000000"
    );
    assert_eq!(result["graph_token"]["appid"], api);
    assert_eq!(
        result["graph_token"]["upn"],
        "MeganB@contoso.onmicrosoft.com"
    );
    assert_eq!(result["me"], "Megan Bowen");
    assert_eq!(
        result["wrong_token"],
        json!({"error": "invalid_grant", "error_codes": [500131]})
    );
    let _ = std::fs::remove_dir_all(dir);
}

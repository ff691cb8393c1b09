//! `@azure/identity` for Node, unmodified, against the mock over HTTPS: one sign-in for two
//! permissions, then two `getToken` calls of different scopes. MSAL redeems the code for the
//! first scope only and must get the second from the same sign-in's consent, as in the cloud.

mod support;

use std::process::Command;

use graph_mock::fixtures::{TENANT_ID, WEB_APP};
use graph_mock::{Config, MockServer, Tls};
use support::{clients_dir, node_package_available};

#[tokio::test]
async fn azure_identity_gets_two_scopes_from_one_sign_in() {
    if !node_package_available("@azure/identity") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("graph-mock-identity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let tls = Tls::load_or_create(&dir).expect("certificates are made");
    let ca = tls.ca_certificate().to_owned();
    let mock = MockServer::start(Config::default().auto_approve().tls(tls))
        .await
        .expect("the mock starts");
    let base = mock.uri();

    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(clients_dir().join("azure-identity.mjs"))
            .args([
                base.as_str(),
                TENANT_ID,
                WEB_APP.client_id,
                WEB_APP.client_secret,
                "http://127.0.0.1:8000/connect/get_token/",
            ])
            .env("NODE_EXTRA_CA_CERTS", &ca)
            .output()
            .expect("node runs")
    })
    .await
    .expect("the script finishes");

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "@azure/identity failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(result["me"], 200);
    assert_eq!(result["sendMail"], 202);
    let _ = std::fs::remove_dir_all(dir);
}

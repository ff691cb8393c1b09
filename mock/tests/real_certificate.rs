//! MSAL Node's confidential client with a certificate, unmodified, against the mock over HTTPS.
//! The test makes the certificates (rcgen) as a developer would with openssl; the script
//! (`tests/clients/msal-certificate.mjs`) registers an app through Graph, uploads the
//! certificate with `PATCH keyCredentials`, and runs `acquireTokenByClientCredential` with
//! `thumbprintSha256` (PS256) and `thumbprint` (RS256), then with a certificate never uploaded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/certificate.rs"]
mod certificate;
mod support;

use std::process::Command;

use certificate::TestCertificate;
use graph_mock::fixtures::{PORTAL_APP, TENANT_ID};
use graph_mock::{Config, MockServer, Tls};
use serde_json::Value;
use support::{clients_dir, node_package_available};
use time::{Duration, OffsetDateTime};

#[tokio::test]
async fn msal_node_gets_an_app_token_with_an_uploaded_certificate() {
    if !node_package_available("@azure/msal-node") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("graph-mock-certificate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let tls = Tls::load_or_create(&dir).expect("certificates are made");
    let ca = tls.ca_certificate().to_owned();
    let mock = MockServer::start(Config::default().tls(tls))
        .await
        .expect("the mock starts");
    let now = OffsetDateTime::now_utc();
    let daemon = TestCertificate::new("daemon", now - Duration::days(1), now + Duration::days(365));
    let stranger = TestCertificate::new(
        "stranger",
        now - Duration::days(1),
        now + Duration::days(365),
    );
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("written");
        path
    };
    let certificate_file = write("daemon.pem", &daemon.pem);
    let key_file = write("daemon.key", &daemon.key_pem);
    let stranger_key_file = write("stranger.key", &stranger.key_pem);
    let hex = |bytes: Vec<u8>| TestCertificate::hex(&bytes);

    let base = mock.uri();
    let args: Vec<String> = vec![
        clients_dir()
            .join("msal-certificate.mjs")
            .display()
            .to_string(),
        base,
        TENANT_ID.to_owned(),
        PORTAL_APP.client_id.to_owned(),
        PORTAL_APP.client_secret.to_owned(),
        certificate_file.display().to_string(),
        key_file.display().to_string(),
        hex(daemon.sha1()),
        hex(daemon.sha256()),
        stranger_key_file.display().to_string(),
        hex(stranger.sha256()),
    ];
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .args(&args)
            .env("NODE_EXTRA_CA_CERTS", &ca)
            .output()
            .expect("node runs")
    })
    .await
    .expect("the script finishes");

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the MSAL Node script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(result["uploaded"], 204);
    assert_eq!(result["shownKey"], Value::Null);
    assert_eq!(result["shownIdentifier"], hex(daemon.sha1()));
    assert_eq!(result["appid"], result["appId"]);
    assert_eq!(result["appidacr"], "2");
    assert_eq!(result["sha1Appidacr"], "2");
    assert_eq!(result["idtyp"], "app");
    // Graph took the token (it is signed and for Graph), then refused `/me` for an app.
    assert_eq!(result["me"], 400);
    assert_eq!(
        result["meError"],
        "/me request is only valid with delegated authentication flow."
    );
    let refused = result["refused"].as_str().unwrap();
    assert!(
        refused.starts_with("invalid_client: ") && refused.contains("AADSTS700027"),
        "{refused}"
    );
    assert!(refused.contains(&hex(stranger.sha256())), "{refused}");
    let _ = std::fs::remove_dir_all(dir);
}

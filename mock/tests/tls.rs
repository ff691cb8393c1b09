//! HTTPS: a client that trusts the mock's local CA completes a whole flow; one that does not
//! is refused at the handshake.

use graph_mock::{Config, MockServer, Tls, fixtures};

fn temporary_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("graph-mock-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn client_trusting(ca_pem: Option<&[u8]>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .tls_certs_only([]);
    if let Some(pem) = ca_pem {
        let ca = reqwest::Certificate::from_pem(pem).expect("the CA file is PEM");
        builder = builder.tls_certs_only([ca]);
    }
    builder.build().expect("a client builds")
}

#[tokio::test]
async fn a_client_trusting_the_local_ca_completes_a_flow_over_https() {
    let dir = temporary_dir("tls-flow");
    let tls = Tls::load_or_create(&dir).expect("certificates are made");
    let ca = std::fs::read(tls.ca_certificate()).expect("the CA certificate is written");
    let mock = MockServer::start(Config::default().auto_approve().tls(tls))
        .await
        .expect("the mock starts");
    let http = client_trusting(Some(&ca));
    let app = fixtures::WEB_APP;

    let discovery: serde_json::Value = http
        .get(format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .send()
        .await
        .expect("HTTPS works")
        .json()
        .await
        .expect("discovery is JSON");
    let authorize = http
        .get(
            discovery["authorization_endpoint"]
                .as_str()
                .expect("an endpoint"),
        )
        .query(&[
            ("client_id", app.client_id),
            ("response_type", "code"),
            ("redirect_uri", app.redirect_uris[0]),
            ("scope", "openid User.Read"),
            ("state", "s"),
        ])
        .send()
        .await
        .expect("authorize answers");
    let location = authorize.headers()["location"].to_str().expect("ASCII");
    let code = url::Url::parse(location)
        .expect("a URL")
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("a code");
    let token: serde_json::Value = http
        .post(discovery["token_endpoint"].as_str().expect("an endpoint"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", app.client_id),
            ("client_secret", app.client_secret),
            ("redirect_uri", app.redirect_uris[0]),
            ("code", &code),
        ])
        .send()
        .await
        .expect("token answers")
        .json()
        .await
        .expect("token JSON");
    let me = http
        .get(format!("{}/v1.0/me", mock.uri()))
        .bearer_auth(token["access_token"].as_str().expect("an access token"))
        .send()
        .await
        .expect("Graph answers");

    assert!(mock.uri().starts_with("https://localhost:"));
    assert_eq!(
        discovery["issuer"].as_str(),
        Some(format!("{}/common/v2.0", mock.uri()).as_str()),
        "URLs carry the https scheme the client used"
    );
    assert_eq!(me.status(), 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_local_ca_is_refused() {
    let dir = temporary_dir("tls-refused");
    let tls = Tls::load_or_create(&dir).expect("certificates are made");
    let mock = MockServer::start(Config::default().tls(tls))
        .await
        .expect("the mock starts");

    let outcome = client_trusting(None)
        .get(format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .send()
        .await;

    assert!(outcome.is_err(), "the handshake must fail: {outcome:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn certificates_are_made_once_and_reused() {
    let dir = temporary_dir("tls-reuse");

    let first = Tls::load_or_create(&dir).expect("made");
    let ca = std::fs::read(first.ca_certificate()).expect("written");
    let second = Tls::load_or_create(&dir).expect("reused");

    assert_eq!(
        std::fs::read(second.ca_certificate()).expect("still there"),
        ca
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("localhost-key.pem"))
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "private keys are private");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[tokio::test]
async fn the_ca_key_is_never_kept_and_the_server_key_is_private_in_a_private_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temporary_dir("tls-modes");
    // A folder made readable by all, holding a CA key from an older version.
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("0755");
    std::fs::write(dir.join("ca-key.pem"), "an old CA key").expect("an old key");

    Tls::load_or_create(&dir).expect("made");

    let mode = |name: &str| {
        std::fs::metadata(dir.join(name))
            .expect("there")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(""), 0o700, "the folder");
    assert_eq!(mode("localhost-key.pem"), 0o600);
    assert!(!dir.join("ca-key.pem").exists(), "no CA key on disk");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("listed")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("key") || n == "localhost-key.pem"),
        "{names:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn expired_certificates_are_made_anew_and_a_client_trusts_the_new_ones() {
    let dir = temporary_dir("tls-renew");
    let first = Tls::load_or_create(&dir).expect("made");
    let old_ca = std::fs::read(first.ca_certificate()).expect("written");
    // As if a year had passed.
    std::fs::write(dir.join("expires"), "1000000000").expect("an old date");

    let renewed = Tls::load_or_create(&dir).expect("made anew");
    let new_ca = std::fs::read(renewed.ca_certificate()).expect("written");
    assert_ne!(new_ca, old_ca, "a new CA");
    let mock = MockServer::start(Config::default().tls(renewed))
        .await
        .expect("the mock starts");
    let answer = client_trusting(Some(&new_ca))
        .get(format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .send()
        .await
        .expect("the new CA is trusted");
    assert_eq!(answer.status(), 200);
    let _ = std::fs::remove_dir_all(&dir);
}

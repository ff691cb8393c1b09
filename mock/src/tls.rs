//! HTTPS, because MSAL (Python and Node) refuses an `http://` authority.
//!
//! A local certificate authority and a certificate for `localhost`, `127.0.0.1` and `::1`,
//! made with rcgen and kept in a directory so later starts reuse them. The CA certificate is
//! the one file a client needs, trusted per process: `REQUESTS_CA_BUNDLE` for Python's
//! requests (MSAL), `SSL_CERT_FILE` for httpx and OpenSSL, `NODE_EXTRA_CA_CERTS` for Node;
//! never the system's trust store.
//!
//! Trusting a CA is trusting whoever holds its key, so this one can vouch for little and for
//! not long: its name constraints permit only `localhost`, `127.0.0.1` and `::1` (a certificate
//! it signed for `login.microsoftonline.com` is refused by any client that checks them, as
//! rustls and OpenSSL do); it is valid for a year and made anew when it expires; and its key
//! is never written down: it signs the server's certificate and is dropped. The server's key
//! is created 0600 (never readable first and narrowed later) in a 0700 folder.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DnType, GeneralSubtree, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, NameConstraints,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use time::{Duration, OffsetDateTime};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

use crate::files::{PRIVATE, PUBLIC, make_private_dir, write_whole};

const CA_CERT: &str = "ca.pem";
/// Where older versions kept the CA's key; removed when found.
const OLD_CA_KEY: &str = "ca-key.pem";
/// When the certificates expire, in Unix seconds: read to know when to make new ones.
const EXPIRES: &str = "expires";
/// How long the certificates are valid.
const VALIDITY: Duration = Duration::days(365);
/// Made anew this long before they expire, so a run never starts on a certificate that ends
/// mid-lesson.
const RENEW_BEFORE: Duration = Duration::days(1);
const SERVER_CERT: &str = "localhost.pem";
const SERVER_KEY: &str = "localhost-key.pem";

/// The certificates in use, ready to terminate TLS.
#[derive(Clone)]
pub struct Tls {
    ca_certificate: PathBuf,
    pub(crate) acceptor: TlsAcceptor,
}

impl Tls {
    /// Reuses the CA and server certificate in `dir`, or makes them there.
    pub fn load_or_create(dir: &Path) -> io::Result<Tls> {
        let now = OffsetDateTime::now_utc();
        if !dir.join(SERVER_CERT).exists()
            || !dir.join(SERVER_KEY).exists()
            || expires(dir).is_none_or(|expires| expires - RENEW_BEFORE <= now)
        {
            create(dir, now)?;
        }
        // Older versions kept the CA's key: whoever read it could sign for any name.
        match fs::remove_file(dir.join(OLD_CA_KEY)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let chain: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(dir.join(SERVER_CERT))
                .and_then(|certs| certs.collect())
                .map_err(invalid)?;
        let key = PrivateKeyDer::from_pem_file(dir.join(SERVER_KEY)).map_err(invalid)?;
        let mut config = ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(invalid)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            ca_certificate: dir.join(CA_CERT),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }

    /// The CA certificate (PEM) a client must trust.
    pub fn ca_certificate(&self) -> &Path {
        &self.ca_certificate
    }
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("ca_certificate", &self.ca_certificate)
            .finish_non_exhaustive()
    }
}

/// When the certificates in `dir` expire; `None` when unknown (then they are made anew).
fn expires(dir: &Path) -> Option<OffsetDateTime> {
    let text = fs::read_to_string(dir.join(EXPIRES)).ok()?;
    OffsetDateTime::from_unix_timestamp(text.trim().parse().ok()?).ok()
}

/// The local CA: a year from `now`, allowed to vouch for loopback names only.
pub(crate) fn ca_params(now: OffsetDateTime) -> io::Result<CertificateParams> {
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(invalid)?;
    ca.distinguished_name.push(
        DnType::CommonName,
        "graph-mock local CA (offline mock, not Microsoft)",
    );
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![
            GeneralSubtree::DnsName("localhost".into()),
            GeneralSubtree::IpAddress(CidrSubnet::V4([127, 0, 0, 1], [255; 4])),
            GeneralSubtree::IpAddress(CidrSubnet::V6(
                std::net::Ipv6Addr::LOCALHOST.octets(),
                [255; 16],
            )),
        ],
        excluded_subtrees: Vec::new(),
    });
    ca.not_before = now - Duration::hours(1);
    ca.not_after = now + VALIDITY;
    Ok(ca)
}

fn create(dir: &Path, now: OffsetDateTime) -> io::Result<()> {
    private_dir(dir)?;
    let ca = ca_params(now)?;
    let ca_key = KeyPair::generate().map_err(invalid)?;
    let ca_cert = ca.self_signed(&ca_key).map_err(invalid)?;

    let names = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    let mut server = CertificateParams::new(names).map_err(invalid)?;
    server
        .distinguished_name
        .push(DnType::CommonName, "localhost (graph-mock)");
    server.not_before = ca.not_before;
    server.not_after = ca.not_after;
    let server_key = KeyPair::generate().map_err(invalid)?;
    let issuer = Issuer::new(ca, ca_key);
    let server_cert = server.signed_by(&server_key, &issuer).map_err(invalid)?;
    // The CA's key goes no further than this function.
    drop(issuer);

    write_whole(
        &dir.join(SERVER_KEY),
        server_key.serialize_pem().as_bytes(),
        PRIVATE,
    )?;
    write_whole(&dir.join(SERVER_CERT), server_cert.pem().as_bytes(), PUBLIC)?;
    write_whole(&dir.join(CA_CERT), ca_cert.pem().as_bytes(), PUBLIC)?;
    let expires = (now + VALIDITY).unix_timestamp().to_string();
    write_whole(&dir.join(EXPIRES), expires.as_bytes(), PUBLIC)
}

/// `dir`, made 0700 if missing, narrowed to 0700 if not: it holds the server's key.
fn private_dir(dir: &Path) -> io::Result<()> {
    make_private_dir(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn invalid(error: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the mock's TLS certificates: {error}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls_pki_types::{ServerName, UnixTime};
    use tokio_rustls::rustls::RootCertStore;
    use tokio_rustls::rustls::client::WebPkiServerVerifier;
    use tokio_rustls::rustls::client::danger::ServerCertVerifier;
    use tokio_rustls::rustls::crypto::aws_lc_rs;

    /// Whether a client that trusts only the CA accepts `leaf` for `name`.
    fn verifies(ca: &CertificateDer<'static>, leaf: &CertificateDer<'_>, name: &str) -> bool {
        let mut roots = RootCertStore::empty();
        assert!(roots.add(ca.clone()).is_ok());
        let verifier = WebPkiServerVerifier::builder_with_provider(
            Arc::new(roots),
            Arc::new(aws_lc_rs::default_provider()),
        )
        .build()
        .map_err(|e| e.to_string());
        let Ok(verifier) = verifier else {
            panic!("a verifier: {verifier:?}");
        };
        let Ok(name) = ServerName::try_from(name.to_owned()) else {
            panic!("a server name");
        };
        verifier
            .verify_server_cert(leaf, &[], &name, &[], UnixTime::now())
            .is_ok()
    }

    #[test]
    fn the_ca_key_cannot_vouch_for_microsoft_or_any_name_but_loopback() {
        let now = OffsetDateTime::now_utc();
        let ca = ca_params(now).expect("CA parameters");
        let ca_key = KeyPair::generate().expect("a key");
        let ca_cert = ca.self_signed(&ca_key).expect("a CA");
        let issuer = Issuer::new(ca, ca_key);
        let leaf = |names: &[&str]| {
            let names = names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
            let params = CertificateParams::new(names).expect("leaf parameters");
            let key = KeyPair::generate().expect("a key");
            params.signed_by(&key, &issuer).expect("signed")
        };
        let root = ca_cert.der().clone();

        let forged = leaf(&["login.microsoftonline.com"]);
        let forged_ip = leaf(&["10.0.0.1"]);
        let ours = leaf(&["localhost", "127.0.0.1", "::1"]);

        assert!(!verifies(&root, forged.der(), "login.microsoftonline.com"));
        assert!(!verifies(&root, forged_ip.der(), "10.0.0.1"));
        assert!(verifies(&root, ours.der(), "localhost"));
        assert!(verifies(&root, ours.der(), "127.0.0.1"));
    }

    #[test]
    fn the_ca_is_valid_for_a_year_at_most() {
        let now = OffsetDateTime::now_utc();
        let ca = ca_params(now).expect("CA parameters");
        assert!(ca.not_after - ca.not_before <= VALIDITY + Duration::hours(1));
        assert!(ca.not_before <= now && now < ca.not_after);
    }
}

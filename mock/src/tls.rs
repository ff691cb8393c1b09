//! HTTPS, because MSAL (Python and Node) refuses an `http://` authority.
//!
//! A local certificate authority and a certificate for `localhost`, `127.0.0.1` and `::1`,
//! made once with rcgen and kept in a directory so every later start reuses them (and the
//! learner trusts the CA once). The CA certificate is the one file a client needs:
//! `REQUESTS_CA_BUNDLE` for Python's requests (MSAL), `SSL_CERT_FILE` for httpx and OpenSSL,
//! `NODE_EXTRA_CA_CERTS` for Node.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

const CA_CERT: &str = "ca.pem";
const CA_KEY: &str = "ca-key.pem";
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
        if !dir.join(SERVER_CERT).exists() || !dir.join(SERVER_KEY).exists() {
            create(dir)?;
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

fn create(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
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
    let ca_key = KeyPair::generate().map_err(invalid)?;
    let ca_cert = ca.self_signed(&ca_key).map_err(invalid)?;

    let names = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    let mut server = CertificateParams::new(names).map_err(invalid)?;
    server
        .distinguished_name
        .push(DnType::CommonName, "localhost (graph-mock)");
    let server_key = KeyPair::generate().map_err(invalid)?;
    let issuer = Issuer::new(ca, ca_key);
    let server_cert = server.signed_by(&server_key, &issuer).map_err(invalid)?;

    write(&dir.join(CA_CERT), &ca_cert.pem(), false)?;
    write(&dir.join(CA_KEY), &issuer_key_pem(&issuer), true)?;
    write(&dir.join(SERVER_KEY), &server_key.serialize_pem(), true)?;
    write(&dir.join(SERVER_CERT), &server_cert.pem(), false)
}

fn issuer_key_pem(issuer: &Issuer<'_, KeyPair>) -> String {
    issuer.key().serialize_pem()
}

/// Private keys are readable by their owner only.
fn write(path: &Path, contents: &str, private: bool) -> io::Result<()> {
    fs::write(path, contents)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    Ok(())
}

fn invalid(error: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the mock's TLS certificates: {error}"),
    )
}

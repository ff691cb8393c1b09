//! `tutorial mock`: the mock on its own, for a classroom or for your own app.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::ExitCode;

use graph_mock::{Config, Tls, demo};

use crate::cli::MockOptions;
use crate::explain;
use crate::lang::Lang;

pub async fn serve(options: MockOptions) -> ExitCode {
    if options.deterministic && (options.allow_remote || !options.host.is_loopback()) {
        report(
            "--deterministic is for loopback only: its sealing key and IDs are the same in \
             every run, so anyone who can reach the mock could forge its refresh tokens\n  \
             try: tutorial mock --deterministic (on 127.0.0.1), or drop --deterministic",
        );
        return ExitCode::from(2);
    }
    if !options.host.is_loopback() && !options.allow_remote {
        report(&format!(
            "refusing to listen on {}: it is not a loopback address, and the mock's keys and \
             secrets are public\n  try: tutorial mock --host {} --allow-remote",
            options.host, options.host
        ));
        return ExitCode::from(2);
    }
    let address = SocketAddr::new(options.host, options.port);
    let listener = match graph_mock::bind(address) {
        Ok(listener) => listener,
        Err(error) => {
            report(&format!(
                "cannot listen on {address}: {error}\n  try: tutorial mock --port {}",
                options.port.wrapping_add(1)
            ));
            return ExitCode::FAILURE;
        }
    };
    let bound = listener.local_addr().unwrap_or(address);
    let tls = match options.tls.then(|| load_tls(&options)).transpose() {
        Ok(tls) => tls,
        Err(error) => {
            report(&error);
            return ExitCode::FAILURE;
        }
    };
    let mut config = Config::default().address(bound);
    if options.auto_approve {
        config = config.auto_approve();
    }
    if options.deterministic {
        config = Config::deterministic()
            .address(bound)
            .auto_approve_if(options.auto_approve);
    }
    if !options.quiet {
        config = config.log_requests();
    }
    // Served to others: a tenant per learner, and a signing key nobody else knows.
    config = config.shared();
    let Some(key) = page_key() else {
        report("the operating system's random generator failed: no key for the classroom page");
        return ExitCode::FAILURE;
    };
    config = config.classroom_page(&key, explanations());
    let mut text = banner(bound, &options, tls.as_ref());
    let base = base_url(bound, tls.is_some());
    text.push_str(&format!(
        "\nClassroom page  {base}/classroom/{key}\n\
         \x20   each learner's app, step and last error, live (for the instructor only)\n\n"
    ));
    if let Some(tls) = tls {
        config = config.tls(tls);
    }
    text.push_str("Press Ctrl-C to stop.\n");
    say(&text);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match graph_mock::serve(listener, config, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&format!("the mock stopped: {error}"));
            ExitCode::FAILURE
        }
    }
}

/// The CA and server certificate: from `--tls-dir`, or the user's data directory.
fn load_tls(options: &MockOptions) -> Result<Tls, String> {
    let dir = match &options.tls_dir {
        Some(dir) => dir.clone(),
        None => directories::ProjectDirs::from("", "", "graph-oauth-tutorial")
            .map(|dirs| dirs.data_dir().join("tls"))
            .ok_or("no home directory to keep the certificates in\n  try: tutorial mock --tls --tls-dir DIR")?,
    };
    Tls::load_or_create(&dir).map_err(|error| format!("{error} (in {})", dir.display()))
}

/// A random key for the classroom page's URL: 128 bits, hex.
fn page_key() -> Option<String> {
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// What each error code means, from the lessons' explanations: the page shows it beside
/// a learner's last error.
fn explanations() -> HashMap<String, String> {
    explain::explanations(Lang::En)
        .into_iter()
        .map(|e| (e.key.to_owned(), explain::meaning(e.text)))
        .collect()
}

fn base_url(address: SocketAddr, tls: bool) -> String {
    if tls {
        // The certificate names localhost, so that is the name clients must use.
        format!("https://localhost:{}", address.port())
    } else {
        format!("http://{address}")
    }
}

fn banner(address: SocketAddr, options: &MockOptions, tls: Option<&Tls>) -> String {
    let base = base_url(address, tls.is_some());
    let app = demo::WEB_APP;
    let portal = demo::PORTAL_APP;
    let users: String = demo::USERS
        .iter()
        .map(|u| format!("    {:<28} {}\n", u.user_principal_name, u.display_name))
        .collect();
    let mut text = format!(
        "Offline Microsoft identity platform + Graph mock on {base}\n\n\
         Discovery   {base}/common/v2.0/.well-known/openid-configuration\n\
         Authorize   {base}/common/oauth2/v2.0/authorize\n\
         Token       {base}/common/oauth2/v2.0/token\n\
         Graph       {base}/v1.0/me\n\n\
         Tenant      {tenant} ({domain})\n\
         Users\n{users}\
         Demo app    {app_name}\n\
         \x20   client ID      {client_id}\n\
         \x20   client secret  {secret}\n\
         \x20   reply URL      {reply}\n\
         Portal app  {portal_name} (registers apps through Graph)\n\
         \x20   client ID      {portal_id}\n\
         \x20   client secret  {portal_secret}\n\n\
         These secrets are public demo values: they open nothing but this mock.\n",
        tenant = demo::TENANT_ID,
        domain = demo::TENANT_DOMAIN,
        app_name = app.display_name,
        client_id = app.client_id,
        secret = app.client_secret,
        reply = app.redirect_uris.first().copied().unwrap_or_default(),
        portal_name = portal.display_name,
        portal_id = portal.client_id,
        portal_secret = portal.client_secret,
    );
    if options.auto_approve {
        text.push_str("Auto-approve is on: authorize answers 302 with a code, no sign-in page.\n");
    }
    if !options.host.is_loopback() {
        text.push_str(
            "WARNING: listening beyond this machine. Anyone who can reach this port can sign in \
             as the demo users and mint tokens.\n",
        );
    }
    if let Some(tls) = tls {
        let ca = tls.ca_certificate().display();
        text.push_str(&format!(
            "\nHTTPS: trust the mock's local CA, {ca}\n\
             \x20   Python requests / MSAL Python   REQUESTS_CA_BUNDLE={ca}\n\
             \x20   httpx (Graph SDK) and OpenSSL    SSL_CERT_FILE={ca}\n\
             \x20   Node (MSAL Node, openid-client)  NODE_EXTRA_CA_CERTS={ca}\n\
             Keep MSAL from calling the real cloud:\n\
             \x20   MSAL Python  ConfidentialClientApplication(..., authority=\"{base}/{tenant}\", instance_discovery=False)\n\
             \x20   MSAL Node    auth: {{ authority: \"{base}/{tenant}\", knownAuthorities: [\"localhost:{port}\"] }}\n",
            tenant = demo::TENANT_ID,
            port = address.port(),
        ));
    }
    text
}

#[allow(clippy::print_stdout)]
fn say(text: &str) {
    println!("{text}");
}

#[allow(clippy::print_stderr)]
fn report(text: &str) {
    eprintln!("error: {text}");
}

//! `tutorial mock`: the mock on its own, for a classroom or for your own app.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::ExitCode;

use graph_mock::{Config, Tls};

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
    let base = base_url(bound, tls.is_some());
    if let Some(tls) = tls {
        config = config.tls(tls);
    }
    let mut text = graph_mock::banner(&config);
    text.push_str(&format!(
        "\nClassroom page  {base}/classroom/{key}\n\
         \x20   each learner's app, step and last error, live (for the instructor only)\n\n"
    ));
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

/// A random key for the classroom page's URL: 128 bits, hex, straight from the operating
/// system.
fn page_key() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
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

#[allow(clippy::print_stdout)]
fn say(text: &str) {
    println!("{text}");
}

#[allow(clippy::print_stderr)]
fn report(text: &str) {
    eprintln!("error: {text}");
}

//! The peer the mock is measured against: npm `oauth2-mock-server` under Node, answering the
//! benchmark's flow on the mock's paths (`benches/peer/server.mjs`).

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::support::first_url;

const PEER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/peer");
const INSTALL: &str = "install Node.js 20.19 or later, then: npm ci --prefix benches/peer";

/// Starts the peer on a free port: its process and base URL, or what is missing and how to
/// install it.
pub fn spawn() -> Result<(Child, String), String> {
    let package = Path::new(PEER_DIR).join("node_modules/oauth2-mock-server/package.json");
    if !package.is_file() {
        return Err(format!("the peer is not installed\n  {INSTALL}"));
    }
    let mut child = Command::new("node")
        .args(["server.mjs", "0"])
        .current_dir(PEER_DIR)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("node does not start ({error})\n  {INSTALL}"))?;
    match first_url(&mut child) {
        Some(base) => Ok((child, base)),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            Err(format!("the peer did not start listening\n  {INSTALL}"))
        }
    }
}

//! The real client libraries some tests run: where they are, and whether they are installed.
//! Under CI a missing library fails the test (`.ci/run` installs them all); elsewhere the test
//! says loudly what to install and returns.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../../tests/support/required.rs"]
pub mod required;

/// `mock/tests/clients`: the Node packages (`npm ci`) and the Python requirements.
pub fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("clients")
}

/// `loads`, after failing under CI if it is false, or saying what to install otherwise.
pub fn available(what: &str, loads: bool, install: &str) -> bool {
    required::installed(what, loads, install)
}

/// Whether `command` runs and succeeds.
pub fn succeeds(command: &mut Command) -> bool {
    command
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Whether Node finds `package` among the test clients' packages.
pub fn node_package_available(package: &str) -> bool {
    let resolves = succeeds(
        Command::new("node")
            .args(["-e", &format!("require.resolve('{package}')")])
            .current_dir(clients_dir()),
    );
    available(package, resolves, "npm ci --prefix mock/tests/clients")
}

/// The Python the real-client tests run (`GRAPH_MOCK_PYTHON`, as `.ci/run` sets it, else
/// `python3`).
pub fn python() -> String {
    std::env::var("GRAPH_MOCK_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Whether MSAL Python (and requests) can be imported.
pub fn msal_python_available() -> bool {
    let imports = succeeds(Command::new(python()).args(["-c", "import msal, requests"]));
    available(
        "MSAL Python",
        imports,
        "pip install -r mock/tests/clients/requirements.txt",
    )
}

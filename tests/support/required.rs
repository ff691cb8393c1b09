//! What a test needs installed beside Rust (Chromium, a client library, httpyac). Under CI a
//! missing one fails the test, because `.ci/run` installs them all; elsewhere the test says
//! loudly what to install, past the harness's capture, and returns.

use std::io::Write as _;

/// Whether this run is CI's: `CI` set to anything but empty, `0` or `false`.
pub fn under_ci() -> bool {
    std::env::var("CI")
        .is_ok_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "" | "0" | "false"))
}

/// `present`, after failing under CI if it is false, or saying what to install otherwise.
pub fn installed(what: &str, present: bool, install: &str) -> bool {
    if !present {
        assert!(
            !under_ci(),
            "{what} is missing under CI; .ci/run installs it ({install})"
        );
        // Straight to the process's stderr, past the test harness's capture: a skip is loud.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {what} is not installed here. To run this test: {install}"
        );
    }
    present
}

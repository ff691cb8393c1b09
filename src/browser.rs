//! Asking the desktop to open a URL in the learner's browser (step 2), with the launchers of
//! the `open` crate, each handed the URL whole.

/// Asks the desktop to open `url` with the first launcher of this platform that starts (the
/// `open` crate's list: `xdg-open` first on Linux, `open` on macOS, PowerShell on Windows,
/// which takes the URL whole where `cmd /C start` would cut it at each `&`). Ok: the launcher
/// that took the request; Err: the first one it tried, when none started.
pub fn open(url: &str) -> Result<String, String> {
    use std::process::Stdio;
    let mut launchers = open::commands(url);
    let first = launchers.first().map_or_else(String::new, program);
    for launcher in &mut launchers {
        let started = launcher
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if started.is_ok() {
            return Ok(program(launcher));
        }
    }
    Err(first)
}

/// A launcher's program name, as the learner would type it.
fn program(launcher: &std::process::Command) -> String {
    launcher.get_program().to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    /// Every launcher gets the whole URL, `&`s and all, as one argument or (PowerShell on
    /// Windows) as one environment value, never through a shell that splits it.
    #[test]
    fn each_launcher_is_handed_the_whole_url() {
        let url = "https://login.example/authorize?client_id=a&state=b&scope=openid%20profile";
        let launchers = open::commands(url);
        assert!(!launchers.is_empty());
        for launcher in &launchers {
            let whole_argument = launcher.get_args().any(|arg| arg == url);
            let whole_value = launcher
                .get_envs()
                .any(|(_, value)| value == Some(url.as_ref()));
            assert!(
                whole_argument || whole_value,
                "{launcher:?} does not get the URL whole"
            );
            assert_ne!(launcher.get_program(), "cmd", "{launcher:?}");
        }
        if cfg!(target_os = "linux") {
            assert_eq!(super::program(&launchers[0]), "xdg-open");
        }
    }
}

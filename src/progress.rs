//! Saved progress: what each step leaves for the next, so `tutorial --step N` can run alone.
//!
//! The file is `progress.json` in the user's state directory (`$XDG_STATE_HOME/graph-oauth-tutorial`
//! on Linux, or `$TUTORIAL_STATE_DIR` when set). It holds secrets (the client secret, tokens),
//! so it is written with mode 0600. A file that does not parse, or has another
//! `format_version`, is renamed to `progress.json.old` and reported; the run starts fresh.
//!
//! Format (JSON, written by [`Progress::save`]):
//! `{"format_version": 1, "target": "…", "flow": "V2", "app": {…}, "authorization": {…},
//!   "code": "…", "device": {…}, "tokens": {…}}`, each part absent until the step that makes it has run.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::protocol::Flow;
use crate::registration::{ClientId, RedirectUri};
use crate::secrets::{
    AccessToken, AuthCode, ClientSecret, CodeVerifier, DeviceCode, IdToken, RefreshToken,
};
use crate::state_file::{self, Loaded};

const FORMAT_VERSION: u32 = 1;
const FILE_NAME: &str = "progress.json";

/// Step 1's result: the three values the article tells you to note. A public client (the
/// device code flow's) has neither a secret nor a reply URL.
#[derive(Debug, Deserialize, Serialize)]
pub struct App {
    pub client_id: ClientId,
    #[serde(default)]
    pub client_secret: Option<ClientSecret>,
    #[serde(default)]
    pub redirect_uri: Option<RedirectUri>,
}

/// Step 2's result: what the app must remember while the browser is away.
#[derive(Debug, Deserialize, Serialize)]
pub struct Authorization {
    pub url: String,
    pub redirect_uri: RedirectUri,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub verifier: Option<CodeVerifier>,
    pub scope: Option<String>,
}

/// Step 2's result in the device code flow: what the app polls with, and what the user was
/// told to type. `signed_in` is step 3's: the user said they finished (or the tutorial played
/// them).
#[derive(Debug, Deserialize, Serialize)]
pub struct DeviceSignIn {
    pub device_code: DeviceCode,
    pub user_code: String,
    pub verification_uri: String,
    pub scope: String,
    pub interval: u64,
    pub expires_in: u64,
    pub signed_in: bool,
}

/// Step 4's result.
#[derive(Debug, Deserialize, Serialize)]
pub struct Tokens {
    pub access: AccessToken,
    pub refresh: Option<RefreshToken>,
    pub id: Option<IdToken>,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Saved {
    pub format_version: u32,
    /// The target the values belong to (see `Target::identity`).
    pub target: String,
    pub flow: Flow,
    pub app: Option<App>,
    pub authorization: Option<Authorization>,
    pub code: Option<AuthCode>,
    #[serde(default)]
    pub device: Option<DeviceSignIn>,
    pub tokens: Option<Tokens>,
}

pub struct Progress {
    dir: PathBuf,
    pub saved: Saved,
}

impl Progress {
    /// Empty progress for `target`, to be saved in `dir`.
    pub fn fresh(dir: &Path, target: &str, flow: Flow) -> Progress {
        Progress {
            dir: dir.to_owned(),
            saved: Saved {
                format_version: FORMAT_VERSION,
                target: target.to_owned(),
                flow,
                app: None,
                authorization: None,
                code: None,
                device: None,
                tokens: None,
            },
        }
    }

    /// Reads the saved progress for `target` and `flow`; anything else starts fresh. The
    /// second value is a notice for the learner when a file had to be set aside.
    pub fn load(dir: &Path, target: &str, flow: Flow) -> (Progress, Option<String>) {
        let path = dir.join(FILE_NAME);
        let version = |saved: &Saved| match saved.format_version {
            FORMAT_VERSION => Ok(()),
            other => Err(format!("it has format version {other}")),
        };
        let notice = match state_file::read(&path, version) {
            Loaded::Missing => None,
            Loaded::Read(saved) if saved.target == target && saved.flow == flow => {
                let progress = Progress {
                    dir: dir.to_owned(),
                    saved,
                };
                return (progress, None);
            }
            // Progress against another target or flow is not this run's.
            Loaded::Read(_) => None,
            Loaded::SetAside {
                why,
                aside: Ok(aside),
            } => Some(format!(
                "the progress file {} was set aside as {}: {why}; starting fresh",
                path.display(),
                aside.display()
            )),
            Loaded::SetAside { why, aside: Err(e) } => Some(format!(
                "the progress file {} is unusable ({why}) and could not be moved ({e}); starting fresh",
                path.display()
            )),
        };
        (Progress::fresh(dir, target, flow), notice)
    }

    /// Writes the progress, readable by its owner only.
    pub fn save(&self) -> Result<(), Error> {
        let path = self.dir.join(FILE_NAME);
        let failed = |e: std::io::Error| Error::Progress {
            path: path.clone(),
            reason: e.to_string(),
        };
        let text = serde_json::to_string_pretty(&self.saved).map_err(|e| Error::Progress {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        state_file::write(&path, text.as_bytes()).map_err(failed)
    }

    /// Forgets the progress. Returns whether there was any.
    pub fn reset(dir: &Path) -> Result<bool, Error> {
        let path = dir.join(FILE_NAME);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::Progress {
                path,
                reason: e.to_string(),
            }),
        }
    }
}

/// Where progress lives: `$TUTORIAL_STATE_DIR`, else the platform's state directory.
pub fn default_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "graph-oauth-tutorial")
        .map(|dirs| {
            dirs.state_dir()
                .unwrap_or_else(|| dirs.data_local_dir())
                .to_owned()
        })
        .unwrap_or_else(|| std::env::temp_dir().join("graph-oauth-tutorial"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_file_is_set_aside_and_the_run_starts_fresh() {
        let dir = tempfile::tempdir().expect("a temp dir");
        fs::write(dir.path().join(FILE_NAME), "{not json").expect("write");
        let (progress, notice) = Progress::load(dir.path(), "offline", Flow::V2);
        assert!(progress.saved.app.is_none());
        assert!(notice.expect("a notice").contains("set aside"));
        assert!(dir.path().join("progress.json.old").exists());
    }

    #[test]
    fn saved_progress_round_trips_with_owner_only_permissions() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut progress = Progress::fresh(dir.path(), "mock x", Flow::V2);
        progress.saved.code = Some(AuthCode::new("abc"));
        progress.save().expect("saves");
        let (again, notice) = Progress::load(dir.path(), "mock x", Flow::V2);
        assert!(notice.is_none());
        assert_eq!(again.saved.code, Some(AuthCode::new("abc")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(FILE_NAME))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}

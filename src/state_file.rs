//! The one way the tutorial keeps a file of its own (progress, what is done, the last run for
//! export, an exported script): written whole or not at all, readable by its owner only from
//! the moment it exists, and a file that no longer reads set aside rather than lost.
//!
//! The writing itself is the mock's (`graph_mock::files`, which keeps its TLS key the same way):
//! a new temporary file created 0600, flushed, then renamed over the target. A folder the
//! tutorial makes for its state is 0700.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use graph_mock::files;
use serde::de::DeserializeOwned;

/// What [`read`] found.
#[derive(Debug)]
pub enum Loaded<T> {
    /// No file: start from nothing.
    Missing,
    Read(T),
    /// The file did not parse, or `usable` refused it: it was moved to `aside` (or could not
    /// be, and `aside` says why), and `why` says what was wrong with it.
    SetAside {
        why: String,
        aside: Result<PathBuf, io::Error>,
    },
}

/// Reads `path` as JSON. `usable` may refuse what parsed (an old format version) with a
/// reason; a refused or unreadable file is renamed to `NAME.old`.
pub fn read<T: DeserializeOwned>(
    path: &Path,
    usable: impl FnOnce(&T) -> Result<(), String>,
) -> Loaded<T> {
    let Ok(text) = fs::read_to_string(path) else {
        return Loaded::Missing;
    };
    let why = match serde_json::from_str::<T>(&text) {
        Ok(value) => match usable(&value) {
            Ok(()) => return Loaded::Read(value),
            Err(why) => why,
        },
        Err(e) => format!("it does not parse ({e})"),
    };
    let mut aside = path.as_os_str().to_owned();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    Loaded::SetAside {
        why,
        aside: fs::rename(path, &aside).map(|()| aside),
    }
}

/// Writes `contents` to `path` atomically, readable by its owner only. The folder is made
/// (0700) if it is missing.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    files::make_private_dir(dir)?;
    files::write_whole(path, contents, files::PRIVATE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    }

    #[test]
    fn a_written_file_is_whole_private_and_leaves_nothing_beside_it() {
        let root = tempfile::tempdir().expect("a temp dir");
        let path = root.path().join("state").join("progress.json");

        write(&path, b"{\"a\":1}").expect("written");
        write(&path, b"{\"a\":2}").expect("written over");

        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("{\"a\":2}"));
        let names: Vec<_> = fs::read_dir(path.parent().expect("a folder"))
            .expect("listed")
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        #[cfg(unix)]
        {
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().expect("a folder")), 0o700);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_readable_file_written_over_becomes_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().expect("a temp dir");
        let path = root.path().join("out.http");
        fs::write(&path, "old").expect("an old file");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("0644");

        write(&path, b"secret").expect("written");

        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_file_that_does_not_parse_or_is_refused_is_set_aside() {
        let root = tempfile::tempdir().expect("a temp dir");
        let path = root.path().join("done.json");
        assert!(matches!(
            read::<Vec<u8>>(&path, |_| Ok(())),
            Loaded::Missing
        ));

        fs::write(&path, "not json").expect("a broken file");
        let broken = read::<Vec<u8>>(&path, |_| Ok(()));
        assert!(
            matches!(&broken, Loaded::SetAside { why, aside: Ok(aside) }
                if why.contains("does not parse") && aside.ends_with("done.json.old")),
            "{broken:?}"
        );
        assert!(!path.exists());

        fs::write(&path, "[9]").expect("an old format");
        let refused = read::<Vec<u8>>(&path, |v| match v.first() {
            Some(1) => Ok(()),
            _ => Err("it has format version 9".into()),
        });
        assert!(matches!(refused, Loaded::SetAside { why, .. } if why.contains("version 9")));
    }
}

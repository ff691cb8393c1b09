//! Files kept on disk, by the mock (its TLS key and certificates) and by the tutorial (its
//! progress and exports): written whole or not at all, with their final mode from the moment
//! they exist.
//!
//! A write goes to a new temporary file beside the target, created with the target's mode
//! (never created readable and narrowed afterwards), flushed to disk, then renamed over the
//! target: a crash mid-write leaves the old file whole, and no one can read a secret in
//! between.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Readable and writable by its owner only: keys, secrets, progress.
pub const PRIVATE: u32 = 0o600;
/// Readable by all: certificates.
pub const PUBLIC: u32 = 0o644;

/// Writes `contents` to `path` whole or not at all, the new file created with `mode` (Unix).
/// The folder must exist.
pub fn write_whole(path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_else(|| "file".to_owned());
    let (temporary, mut file) = create_temporary(dir, &name, mode)?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temporary, path));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// Makes `dir` (and its parents) when missing; the folders made are 0700 (Unix).
pub fn make_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// A new file `.NAME.PID.N.tmp` in `dir`, created with `mode` and never one that existed
/// before.
fn create_temporary(dir: &Path, name: &str, mode: u32) -> io::Result<(PathBuf, fs::File)> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let pid = std::process::id();
    let mut last = io::Error::other("no temporary file name was free");
    for attempt in 0..100 {
        let temporary = dir.join(format!(".{name}.{pid}.{attempt}.tmp"));
        match options.open(&temporary) {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

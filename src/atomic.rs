//! Writing a file so that a reader, or a crash, sees the old bytes or the new, never half.
//!
//! The bytes go to a temporary file in the same folder (`.NAME.PID-RANDOM.lrw-tmp`), which is
//! flushed and synced and then renamed over the target; the folder is synced after the rename.
//! Reviews and exported summaries are both written this way.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The end of every temporary file name, so a crashed write's leftovers can be recognised.
pub const TEMP_SUFFIX: &str = ".lrw-tmp";

/// The start of the temporary file names for `path` (`.NAME.`).
pub fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.")
}

/// The folder holding `path` (`.` for a bare file name).
pub fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Why a write did not happen. The target is untouched in every case.
#[derive(Debug)]
pub enum WriteError {
    /// `must_be_new` was asked and the target exists.
    Exists,
    /// A step failed: `action` says which, in words for the user.
    Io { action: &'static str, source: io::Error },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Exists => f.write_str("already exists"),
            WriteError::Io { action, source } => write!(f, "{action}: {source}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// Replace (or, with `must_be_new`, create) `path` with `bytes` atomically. The temporary file
/// is removed whatever happens; an existing target keeps its permissions.
pub fn write(path: &Path, bytes: &[u8], must_be_new: bool) -> Result<(), WriteError> {
    let dir = folder(path);
    let tmp = dir.join(format!(
        "{}{}-{:08x}{TEMP_SUFFIX}",
        temp_prefix(path),
        std::process::id(),
        fastrand::u32(..)
    ));
    let err = |action: &'static str| move |source: io::Error| WriteError::Io { action, source };
    let result = (|| {
        let mut f = File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(err("cannot create a temporary file in its folder"))?;
        f.write_all(bytes).map_err(err("cannot write"))?;
        f.flush().map_err(err("cannot write"))?;
        f.sync_all().map_err(err("cannot sync to disk"))?;
        drop(f);
        if let Ok(meta) = fs::metadata(path) {
            // Keep the permissions the file had (a private review stays private).
            let _ = fs::set_permissions(&tmp, meta.permissions());
        }
        if must_be_new {
            // A hard link fails if the name exists, so two creators cannot both succeed.
            match fs::hard_link(&tmp, path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(WriteError::Exists);
                }
                Err(_) if !path.exists() => {
                    fs::rename(&tmp, path).map_err(err("cannot rename into place"))?
                }
                Err(_) => return Err(WriteError::Exists),
            }
        } else {
            fs::rename(&tmp, path).map_err(err("cannot rename into place"))?;
        }
        sync_dir(&dir);
        Ok(())
    })();
    let _ = fs::remove_file(&tmp);
    result
}

/// Make the rename durable. Folders cannot be opened for syncing everywhere (Windows), and a
/// failure here cannot undo the rename, so it is best effort.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut v: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.txt");
        fs::write(&path, "old").unwrap();
        write(&path, b"new contents\n", false).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new contents\n");
        assert_eq!(names(dir.path()), ["summary.txt"]);
    }

    #[test]
    fn must_be_new_refuses_an_existing_file_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        write(&path, b"first", true).unwrap();
        assert!(matches!(write(&path, b"second", true), Err(WriteError::Exists)));
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
        assert_eq!(names(dir.path()), ["r.toml"]);
    }

    #[test]
    fn a_missing_folder_fails_cleanly_and_says_what_failed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/folder/out.md");
        let e = write(&path, b"x", false).unwrap_err();
        assert!(e.to_string().starts_with("cannot create a temporary file in its folder: "), "{e}");
        assert!(!dir.path().join("no").exists());
    }
}

//! Writing a file so that a reader, or a crash, sees the old bytes or the new, never half.
//!
//! The bytes go to a temporary file in the same folder (`.NAME.PID-RANDOM.lrw-tmp`), which is
//! flushed and synced and then renamed over the target; the folder is synced after the rename.
//! Reviews and exported summaries are both written this way; files lrw keeps for the user
//! alone (the workbench's draft recovery files) with [`write_private`], which never follows a
//! symbolic link and leaves nothing behind when the write fails.

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
    write_with(path, bytes, must_be_new, false)
}

/// Replace `path` with `bytes` atomically, as a file only its owner can read and write: for
/// what lrw keeps for the user alone (a draft being typed).
///
/// Nothing is written through a symbolic link: the temporary file is created new (`O_CREAT |
/// O_EXCL`, with `O_NOFOLLOW` on Unix), so a link planted at its name makes the write fail
/// instead of writing the link's target, and a link at `path` itself is replaced by the
/// rename, its target untouched. The temporary file is removed whatever happens, so a full
/// disk leaves no empty file behind.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_with(path, bytes, false, true)
}

/// Open options that create a new file and never follow a symbolic link; `private`: readable
/// and writable by its owner only.
fn create_new_options(private: bool) -> fs::OpenOptions {
    let mut open = File::options();
    open.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
        if private {
            open.mode(0o600);
        }
    }
    #[cfg(not(unix))]
    let _ = private;
    open
}

/// Create `path` as a new file, never through a symbolic link (see [`write_private`]);
/// `private`: readable and writable by its owner only. Fails if anything has that name.
pub fn create_new(path: &Path, private: bool) -> io::Result<File> {
    create_new_options(private).open(path)
}

/// The bytes of the regular file at `path`, read without following a symbolic link and
/// without waiting on a FIFO or device; at most `limit` bytes (more is an error). A link, a
/// folder or anything else that is not a regular file is refused with `InvalidInput`.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut open = File::options();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
        open.custom_flags(flags.bits() as i32);
    }
    #[cfg(not(unix))]
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "a symbolic link"));
    }
    let f = open.open(path).map_err(|e| {
        // O_NOFOLLOW on a link: ELOOP, which says nothing to a reader.
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            io::Error::new(io::ErrorKind::InvalidInput, "a symbolic link, not followed")
        } else {
            e
        }
    })?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    if meta.len() > limit {
        let what = format!("{} bytes, over the limit of {limit}", meta.len());
        return Err(io::Error::new(io::ErrorKind::InvalidData, what));
    }
    let mut out = Vec::with_capacity(meta.len() as usize);
    f.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "grew over the size limit"));
    }
    Ok(out)
}

fn write_with(
    path: &Path,
    bytes: &[u8],
    must_be_new: bool,
    private: bool,
) -> Result<(), WriteError> {
    let dir = folder(path);
    let tmp = dir.join(format!(
        "{}{}-{:08x}{TEMP_SUFFIX}",
        temp_prefix(path),
        std::process::id(),
        fastrand::u32(..)
    ));
    let err = |action: &'static str| move |source: io::Error| WriteError::Io { action, source };
    let result = (|| {
        let mut f = create_new_options(private)
            .open(&tmp)
            .map_err(err("cannot create a temporary file in its folder"))?;
        f.write_all(bytes).map_err(err("cannot write"))?;
        f.flush().map_err(err("cannot write"))?;
        f.sync_all().map_err(err("cannot sync to disk"))?;
        drop(f);
        // A private file is created readable by its owner only (a link at `path` says nothing
        // about it); any other keeps the permissions the file had (a private review stays
        // private).
        if !private && let Ok(meta) = fs::metadata(path) {
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

    /// A link at the target is replaced, never written through; a link planted at a
    /// temporary name cannot be written through either (the name is random and created new).
    #[cfg(unix)]
    #[test]
    fn private_writes_never_follow_a_link() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let path = dir.path().join(".r.toml.draft");
        symlink(&victim, &path).unwrap();
        write_private(&path, b"draft").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&path).unwrap(), "draft");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "only its owner reads a draft");
        // create_new refuses a name a link holds (the link's target is not created).
        let planted = dir.path().join("planted");
        symlink(dir.path().join("nowhere"), &planted).unwrap();
        assert!(create_new(&planted, true).is_err());
        assert!(!dir.path().join("nowhere").exists());
        assert_eq!(names(dir.path()), [".r.toml.draft", "planted", "victim"]);
    }

    #[cfg(unix)]
    #[test]
    fn reading_takes_regular_files_only() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "text").unwrap();
        assert_eq!(read_regular(&file, 10).unwrap(), b"text");
        let e = read_regular(&file, 3).unwrap_err();
        assert!(e.to_string().contains("over the limit"), "{e}");
        let link = dir.path().join("l");
        symlink(&file, &link).unwrap();
        let e = read_regular(&link, 10).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        let e = read_regular(dir.path(), 10).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert_eq!(
            read_regular(&dir.path().join("none"), 10).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    /// A write that fails leaves nothing behind (the workbench's tmux tests fill a small
    /// tmpfs for the full disk).
    #[test]
    fn a_failed_private_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/folder/.d");
        assert!(write_private(&path, b"x").is_err());
        assert!(names(dir.path()).is_empty());
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

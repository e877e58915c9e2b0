//! Saving a review without ever losing data.
//!
//! - The new text goes to a temporary file in the same folder, which is flushed and synced and
//!   then renamed over the review; the folder is synced after the rename. A crash leaves either
//!   the old file or the new one, never half of one.
//! - Writers of the same folder take an exclusive lock (the folder itself on Unix, a lock file
//!   elsewhere), so two saves cannot interleave between "check" and "rename".
//! - Before writing, the file on disk is compared (by SHA-256 of its bytes, not size or mtime)
//!   with what was loaded. If someone else changed it, the two are merged three ways with the
//!   loaded text as the common ancestor; if that is impossible the save stops with a message.
//! - A temporary file left by a crash is never read as the review (its name differs) and is
//!   removed by the next save under the lock.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::error::ReviewError;
use super::keep;
use super::model::{Origin, Review};
use crate::atomic::{TEMP_SUFFIX, folder, temp_prefix};

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// The file was written (or created).
    Written,
    /// Nothing changed: the file already held exactly this text.
    Unchanged,
    /// Someone changed the file since it was loaded; their changes and ours were merged, and
    /// the review in memory now holds the merged result.
    Merged { notes: Vec<String> },
    /// The file had been deleted since it was loaded; it was written again.
    Recreated,
    /// The file was written, but `count` comment lines that a person had written in it could
    /// not stay where they were (see [`super::keep`]): they were moved to the end of the file.
    CommentsMoved { count: usize },
}

/// Save a review to its `path`, merging with changes made on disk since it was loaded.
///
/// A review without an [`Origin`] (a new one) is only written if no file exists at its path.
/// After a successful save the review's origin is the text now on disk.
pub fn save(review: &mut Review) -> Result<SaveOutcome, ReviewError> {
    let (path, _lock) = lock_for_writing(review)?;
    clean_stale_temps(&folder(&path), &path);

    // A read-only review is not replaced by a rename, however the folder allows it.
    if fs::metadata(&path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(ReviewError::ReadOnly { path });
    }
    let on_disk = match fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(ReviewError::Io { path, action: "cannot read", source }),
    };
    let (outcome, new) = match (&review.origin, on_disk) {
        (None, Some(_)) => return Err(ReviewError::Exists { path }),
        (None, None) => (SaveOutcome::Written, keep::Rewrite::ours(super::to_toml(review))),
        (Some(origin), None) => {
            let new = keep::rewrite_origin(origin, review, &path);
            (moved_or(new.moved_comments, SaveOutcome::Recreated), new)
        }
        (Some(origin), Some(bytes)) => {
            if crate::text::load::sha256_hex(&bytes) == origin.sha256 {
                let new = keep::rewrite_origin(origin, review, &path);
                if new.text.as_bytes() == bytes.as_slice() {
                    return Ok(SaveOutcome::Unchanged);
                }
                (moved_or(new.moved_comments, SaveOutcome::Written), new)
            } else {
                let theirs_text = String::from_utf8(bytes).map_err(|_| ReviewError::Conflict {
                    path: path.clone(),
                    reason: "the file was changed on disk since it was loaded and is no longer \
                             UTF-8 text; fix it by hand, then save again"
                        .into(),
                })?;
                let theirs =
                    super::parse(&theirs_text, &path).map_err(|e| ReviewError::Conflict {
                        path: path.clone(),
                        reason: format!(
                            "the file was changed on disk since it was loaded and cannot be read \
                         any more, so the changes cannot be merged: {e}"
                        ),
                    })?;
                let base =
                    super::parse(&origin.text, &path).map_err(|e| ReviewError::Conflict {
                        path: path.clone(),
                        reason: format!("the text loaded earlier no longer parses: {e}"),
                    })?;
                let mut merged = super::merge::merge(&base, review, &theirs);
                let mut result = merged.review;
                result.path = review.path.clone();
                let new = keep::rewrite_loaded(&theirs_text, &theirs, &result, &path);
                if new.moved_comments > 0 {
                    merged.notes.push(moved_note(new.moved_comments));
                }
                result.origin = None;
                *review = result;
                (SaveOutcome::Merged { notes: merged.notes }, new)
            }
        }
    };
    let sha = write_atomic(&path, new.text.as_bytes(), false)?;
    review.origin = Some(Origin { sha256: sha, text: new.text, ours: new.ours });
    Ok(outcome)
}

/// `CommentsMoved` when comments were moved, else `outcome`.
fn moved_or(moved: usize, outcome: SaveOutcome) -> SaveOutcome {
    if moved > 0 { SaveOutcome::CommentsMoved { count: moved } } else { outcome }
}

/// What to tell a person whose comments were moved to the end of the file.
pub fn moved_note(count: usize) -> String {
    let (lines, were) = if count == 1 { ("line", "was") } else { ("lines", "were") };
    format!(
        "{count} comment {lines} of the hand-edited file could not stay in place and {were} \
         moved to its end"
    )
}

/// Write a new review file; refuses (without touching anything) if the path exists.
pub fn save_new(review: &mut Review) -> Result<(), ReviewError> {
    let (path, _lock) = lock_for_writing(review)?;
    let text = super::to_toml(review);
    let sha = write_atomic(&path, text.as_bytes(), true)?;
    review.origin = Some(Origin { sha256: sha, text, ours: true });
    Ok(())
}

/// The first step of every save: a review that cannot be written as it is stops here, else
/// its folder is locked against other writers (until the lock is dropped).
fn lock_for_writing(review: &Review) -> Result<(PathBuf, DirLock), ReviewError> {
    let problems = super::validate(review);
    if !problems.is_empty() {
        return Err(ReviewError::NotSaveable { path: review.path.clone(), problems });
    }
    let path = through_link(&review.path);
    let lock = DirLock::acquire(&folder(&path), &path)?;
    Ok((path, lock))
}

/// The file a review path names: a symbolic link is followed, so that saving updates the file
/// it points to instead of replacing the link with a copy (the rename would). Text paths in
/// the review stay relative to where the review was opened.
fn through_link(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match is_link.then(|| fs::canonicalize(path)) {
        Some(Ok(target)) => target,
        _ => path.to_path_buf(),
    }
}

/// Replace the file at `path` with `bytes` atomically, without a lock or any check: for
/// callers (like the git merge driver) that own the file. Returns the SHA-256 written.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<String, ReviewError> {
    write_atomic(&through_link(path), bytes, false)
}

/// Remove temporary files of this review left by a crashed save. Called under the lock, so no
/// other lrw save of this folder is running and every such file is stale.
fn clean_stale_temps(dir: &Path, path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// [`crate::atomic::write`], with the review's errors; returns the SHA-256 written.
fn write_atomic(path: &Path, bytes: &[u8], must_be_new: bool) -> Result<String, ReviewError> {
    use crate::atomic::WriteError;
    crate::atomic::write(path, bytes, must_be_new).map_err(|e| match e {
        WriteError::Exists => ReviewError::Exists { path: path.to_path_buf() },
        WriteError::Io { action, source } => {
            ReviewError::Io { path: path.to_path_buf(), action, source }
        }
    })?;
    Ok(crate::text::load::sha256_hex(bytes))
}

/// An exclusive lock held while one save checks and replaces a review.
struct DirLock {
    file: File,
}

impl DirLock {
    fn acquire(dir: &Path, path: &Path) -> Result<DirLock, ReviewError> {
        let io = |source| ReviewError::Io {
            path: path.to_path_buf(),
            action: "cannot lock its folder for writing",
            source,
        };
        // On Unix the folder itself is locked: no lock file is left next to the reviews.
        #[cfg(unix)]
        let file = File::open(dir).map_err(io)?;
        #[cfg(not(unix))]
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".lrw-lock"))
            .map_err(io)?;
        file.lock().map_err(io)?;
        Ok(DirLock { file })
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

//! Recovery files: what is typed in the workbench is kept on disk while it is typed, so that
//! nothing is lost to a crash, a signal, a lost terminal or a failed save, and offered back on
//! the next start.
//!
//! - **One file per session**: `reviews/.NAME.toml.draft.HOST.PID`, next to the review. Two
//!   sessions on one review (two terminals, two people on a shared folder) write their own
//!   files and never overwrite or delete each other's.
//! - **Somewhere else when the folder cannot take it** (read-only, full): the user's state
//!   folder, `$XDG_STATE_HOME/lrw/drafts` (else `~/.local/state/lrw/drafts`), as
//!   `NAME.toml-KEY.draft.HOST.PID`, KEY naming the review's folder. If neither can take it,
//!   the caller is told, and says so.
//! - **Written safely**: with [`crate::atomic::write_private`]: readable by its owner only,
//!   replaced atomically, never written through a symbolic link (a link committed under the
//!   draft's name is replaced, its target untouched), no empty temporary file left behind by a
//!   full disk. Read back only from regular files, never through a link.
//! - **What it holds**: the draft (what it answers and its text), who wrote it, when, and the
//!   host and process of the session.
//! - **Found again**: at the next start, every recovery file of the review in both places is
//!   offered back with its author and time, oldest first, except those of another session
//!   still running on this host (an lrw process with that pid). A file left by a session that
//!   ended, however long ago, is offered; so is one of the older single-file name
//!   `.NAME.toml.draft`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::action::{Draft, Recovered};

/// Largest recovery file read back (a draft is what one person typed or pasted).
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// A recovery file as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileContent {
    /// Who was writing (the workbench's author).
    author: String,
    /// When it was written, RFC 3339 UTC.
    at: String,
    host: String,
    pid: u32,
    draft: Draft,
}

/// Where a draft was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// There was nothing to keep: the session's recovery file is gone.
    Removed,
    /// In the recovery file next to the review.
    Here(PathBuf),
    /// In the user's state folder, as the review's folder could not take it (`why`).
    Elsewhere { path: PathBuf, why: String },
}

/// The name of this machine, as recovery files record it (letters, digits, `-` and `.`).
pub fn host() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| {
                let out = std::process::Command::new("uname").arg("-n").output().ok()?;
                out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
            })
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_default();
        let clean: String = raw
            .trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' })
            .take(64)
            .collect();
        if clean.is_empty() { "host".to_string() } else { clean }
    })
}

/// The file name of the review at `review`.
fn review_name(review: &Path) -> String {
    review.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// What every recovery file name of `review` starts with, next to it.
fn here_prefix(review: &Path) -> String {
    format!(".{}.draft", review_name(review))
}

/// The user's state folder for drafts, if a home is known.
fn state_dir() -> Option<PathBuf> {
    let set = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = set("XDG_STATE_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| set("HOME").map(|h| h.join(".local/state")))?;
    Some(base.join("lrw/drafts"))
}

/// What every recovery file name of `review` starts with in the state folder: the review's
/// name and a key of the folder it is in (two reviews of one name in two projects differ).
fn elsewhere_prefix(review: &Path) -> String {
    let folder = crate::atomic::folder(review);
    let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
    let key = crate::text::load::sha256_hex(folder.to_string_lossy().as_bytes());
    format!("{}-{}.draft", review_name(review), &key[..16])
}

/// This session's recovery file next to `review`, and in the state folder (if any).
pub fn own_paths(review: &Path) -> (PathBuf, Option<PathBuf>) {
    let session = format!(".{}.{}", host(), std::process::id());
    let here = crate::atomic::folder(review).join(format!("{}{session}", here_prefix(review)));
    let elsewhere = state_dir().map(|d| d.join(format!("{}{session}", elsewhere_prefix(review))));
    (here, elsewhere)
}

/// This session's recovery file next to `review` (where it goes when the folder takes it).
pub fn own_path(review: &Path) -> PathBuf {
    own_paths(review).0
}

/// Keep `draft`, written by `author`, in this session's recovery file of `review` (with
/// `None`, remove it). Next to the review when its folder takes it, else in the state
/// folder; `Err` says why neither did.
pub fn keep(review: &Path, draft: Option<&Draft>, author: &str) -> Result<Kept, String> {
    let (here, elsewhere) = own_paths(review);
    let Some(draft) = draft else {
        let failed: Vec<String> = std::iter::once(&here)
            .chain(elsewhere.as_ref())
            .filter_map(|p| discard(p).err())
            .collect();
        return if failed.is_empty() { Ok(Kept::Removed) } else { Err(failed.join("; ")) };
    };
    let content = FileContent {
        author: author.to_string(),
        at: crate::review::now_rfc3339(),
        host: host().to_string(),
        pid: std::process::id(),
        draft: draft.clone(),
    };
    let text = toml::to_string(&content).map_err(|e| format!("draft: {e}"))?;
    let why = match crate::atomic::write_private(&here, text.as_bytes()) {
        Ok(()) => {
            if let Some(e) = &elsewhere {
                // An older copy kept elsewhere while the folder was full is stale now.
                let _ = std::fs::remove_file(e);
            }
            return Ok(Kept::Here(here));
        }
        Err(e) => format!("{}: {e}", here.display()),
    };
    let Some(path) = elsewhere else {
        return Err(format!("{why}; no home folder to keep it in instead"));
    };
    let dir = crate::atomic::folder(&path);
    let made = std::fs::create_dir_all(&dir);
    #[cfg(unix)]
    if made.is_ok() {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    match made.map_err(|e| e.to_string()).and_then(|()| {
        crate::atomic::write_private(&path, text.as_bytes()).map_err(|e| e.to_string())
    }) {
        Ok(()) => {
            // The copy next to the review, if an earlier write made one, is older.
            let _ = std::fs::remove_file(&here);
            Ok(Kept::Elsewhere { path, why })
        }
        Err(e) => Err(format!("{why}; {}: {e}", path.display())),
    }
}

/// Every recovery file of `review` left by a session that is not running now, oldest first,
/// each with its author and time; and a note for each file that could not be read. A file
/// this session would write to (left by an ended session whose pid this one has) is first
/// moved aside, so this session does not overwrite it.
pub fn find(review: &Path) -> (Vec<Recovered>, Vec<String>) {
    let mut places = vec![(crate::atomic::folder(review), here_prefix(review))];
    if let Some(d) = state_dir() {
        places.push((d, elsewhere_prefix(review)));
    }
    let (own_here, own_elsewhere) = own_paths(review);
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for (dir, prefix) in places {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut names: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                (n == &prefix || n.starts_with(&format!("{prefix}.")))
                    && !n.ends_with(".tmp")
                    && !n.ends_with(crate::atomic::TEMP_SUFFIX)
            })
            .collect();
        names.sort();
        for name in names {
            let mut path = dir.join(&name);
            let bytes = match crate::atomic::read_regular(&path, MAX_BYTES) {
                Ok(b) => b,
                Err(e) => {
                    notes.push(format!("{}: not read as a draft: {e}", path.display()));
                    continue;
                }
            };
            let text = String::from_utf8_lossy(&bytes);
            let (draft, author, at, host, pid) = match toml::from_str::<FileContent>(&text) {
                Ok(f) => (f.draft, Some(f.author), Some(f.at), Some(f.host), Some(f.pid)),
                // A recovery file of the older single-file kind holds the draft alone.
                Err(e) => match toml::from_str::<Draft>(&text) {
                    Ok(d) => (d, None, None, None, None),
                    Err(_) => {
                        notes.push(format!("{}: not a draft file: {e}", path.display()));
                        continue;
                    }
                },
            };
            if let (Some(h), Some(p)) = (&host, pid)
                && h == self::host()
                && p != std::process::id()
                && lrw_runs(p)
            {
                // Another session, running now: its draft is its own.
                continue;
            }
            if path == own_here || Some(&path) == own_elsewhere.as_ref() {
                let aside = path.with_file_name(format!("{name}.{:08x}", fastrand::u32(..)));
                if std::fs::rename(&path, &aside).is_err() {
                    notes.push(format!("{}: could not be moved aside", path.display()));
                    continue;
                }
                path = aside;
            }
            found.push(Recovered { draft, author, at, host, path: Some(path) });
        }
    }
    found.sort_by(|a, b| a.at.cmp(&b.at));
    (found, notes)
}

/// Remove the recovery file `path` (one found at start, now taken over or discarded). A
/// link there is removed itself, never what it points to.
pub fn discard(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {e}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Whether an lrw process with id `pid` runs on this machine now. Where the system cannot
/// tell (no `/proc`), `kill -0` says whether any process has that id.
fn lrw_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if proc.is_dir() {
        // "pid (comm) state …"; an lrw that has ended but not yet been reaped (a zombie) is
        // not running.
        let stat = std::fs::read_to_string(proc.join(pid.to_string()).join("stat"));
        return stat.is_ok_and(|s| match (s.find('('), s.rfind(')')) {
            (Some(open), Some(close)) if open < close => {
                let state = s[close + 1..].split_whitespace().next().unwrap_or("");
                &s[open + 1..close] == "lrw" && !matches!(state, "Z" | "X" | "x")
            }
            _ => false,
        });
    }
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::DraftTarget;

    fn draft(body: &str) -> Draft {
        Draft { target: DraftTarget::Reply { thread: "t-1".into() }, body: body.into() }
    }

    #[test]
    fn a_draft_round_trips_with_its_author_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let review = dir.path().join("r.toml");
        let kept = keep(&review, Some(&draft("line one\nline two \u{202e}")), "ana").unwrap();
        assert_eq!(kept, Kept::Here(own_path(&review)));
        let name = own_path(&review).file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name, format!(".r.toml.draft.{}.{}", host(), std::process::id()));
        // At start, a file under this session's own name was left by an ended session that
        // had this pid: it is offered, and moved aside so that this session's writes keep
        // off it.
        let (found, notes) = find(&review);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.draft.body, "line one\nline two \u{202e}");
        assert_eq!(f.author.as_deref(), Some("ana"));
        assert!(f.at.as_deref().is_some_and(|a| a.ends_with('Z')));
        assert_ne!(f.path.as_deref(), Some(own_path(&review).as_path()), "moved aside");
        assert!(!own_path(&review).exists());
        discard(f.path.as_ref().unwrap()).unwrap();
        assert_eq!(keep(&review, None, "ana").unwrap(), Kept::Removed);
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing left");
    }

    /// Another session running now on this host (a live lrw process: the test poses as one
    /// only if its own binary is named lrw, so a process that is surely not lrw stands in for
    /// the negative case), an old single-file draft, a broken file and a link.
    #[cfg(unix)]
    #[test]
    fn drafts_of_ended_sessions_are_found_and_others_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let review = dir.path().join("r.toml");
        let write = |name: &str, text: String| std::fs::write(dir.path().join(name), text).unwrap();
        let content = |pid: u32, at: &str, body: &str| {
            toml::to_string(&FileContent {
                author: "bo".into(),
                at: at.into(),
                host: host().into(),
                pid,
                draft: draft(body),
            })
            .unwrap()
        };
        // pid 1 runs (init), but is not lrw: its session ended.
        write(&format!(".r.toml.draft.{}.1", host()), content(1, "2025-01-02T00:00:00Z", "b"));
        write(".r.toml.draft", toml::to_string(&draft("legacy")).unwrap());
        write(".r.toml.draft.x.2", "not = [toml".into());
        write(".r.toml.draft.tmp", "leftover".into());
        write(".other.toml.draft.x.3", content(3, "2025-01-01T00:00:00Z", "other review"));
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join(".r.toml.draft.link.4")).unwrap();
        let (found, notes) = find(&review);
        let bodies: Vec<&str> = found.iter().map(|f| f.draft.body.as_str()).collect();
        assert_eq!(bodies, ["legacy", "b"], "undated first, then by time");
        assert_eq!(found[0].author, None);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("not a draft file")), "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("symbolic link")), "{notes:?}");
        assert!(!notes.concat().contains("root:"), "a link's target is never read");
    }
}

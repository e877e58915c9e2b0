//! What a review may make lrw read. Reviews come from other people (a pull request, a mail),
//! so a version's `path` is untrusted: like git, which never reads outside its work tree
//! through a tracked path, lrw reads only
//!
//! - files inside the project that holds the review, after resolving symbolic links (the
//!   project is the git work tree that contains the review; outside git, the folder that
//!   contains the review's folder, so `reviews/x.toml` may name `../texts/…`);
//! - `spdx:ID`, a text of the SPDX License List built into lrw;
//! - stored copies of fetched pages, which live in the project (`texts/fetched/`).
//!
//! Anything else (an absolute path elsewhere, `../../…` out of the project, a symbolic link
//! pointing out, `/proc/self/environ`, a FIFO or a device) is refused with a message naming
//! the version and the path, and never opened. A user who wants an outside file reviewed adds
//! it with `lrw new` or `lrw version add`, which copy it into the project's `texts/`.

use std::fmt;
use std::path::{Path, PathBuf};

use super::model::Version;
use crate::text::load::SPDX_PREFIX;
use crate::text::{Text, TextError};

/// Why a version's text was not read.
#[derive(Debug)]
pub enum TrustError {
    /// The path leads outside the project.
    Outside { version: String, path: String, project: PathBuf },
    /// The text could not be read (missing, not a regular file, not text, ...).
    Text { version: String, path: String, source: TextError },
}

impl fmt::Display for TrustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustError::Outside { version, path, project } => write!(
                f,
                "version {version}: {path} is outside the review's project ({}); a review \
                 reads only files inside its project, spdx:ID texts and stored copies of \
                 fetched pages, so it was not read (to review an outside file, add it with \
                 `lrw version add`, which copies it into texts/)",
                project.display()
            ),
            TrustError::Text { version, path, source } => {
                write!(f, "version {version} ({path}): {source}")
            }
        }
    }
}

impl std::error::Error for TrustError {}

/// The project a review belongs to: the git work tree that holds it, else the folder that
/// holds the review's folder. Resolved (no symbolic links), so paths can be compared.
pub fn project_root(review: &Path) -> PathBuf {
    let dir = folder_of(review);
    let dir = dir.canonicalize().unwrap_or(dir);
    for d in dir.ancestors() {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
    }
    dir.parent().map_or(dir.clone(), Path::to_path_buf)
}

/// The folder a review file is in (`.` for a bare file name).
fn folder_of(review: &Path) -> PathBuf {
    match review.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where a version's text is, if a review may name it: `Ok(None)` for `spdx:ID`, else the
/// resolved path of a file inside the project.
pub fn resolve(review: &Path, version: &Version) -> Result<Option<PathBuf>, TrustError> {
    if version.path.starts_with(SPDX_PREFIX) {
        return Ok(None);
    }
    let project = project_root(review);
    let named = folder_of(review).join(&version.path);
    let text_err = |source| TrustError::Text {
        version: version.id.clone(),
        path: version.path.clone(),
        source,
    };
    let resolved = match named.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A missing file is reported as missing, unless its name alone leads outside.
            if !lexically_inside(&named, &project) {
                return Err(outside(version, project));
            }
            return Err(text_err(TextError::NotFound { path: named }));
        }
        Err(source) => return Err(text_err(TextError::Io { path: named, source })),
    };
    if !resolved.starts_with(&project) {
        return Err(outside(version, project));
    }
    Ok(Some(resolved))
}

fn outside(version: &Version, project: PathBuf) -> TrustError {
    TrustError::Outside { version: version.id.clone(), path: version.path.clone(), project }
}

/// Whether `path` (joined, not resolved) stays inside `root` by its components alone.
fn lexically_inside(path: &Path, root: &Path) -> bool {
    use std::path::Component;
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let mut parts: Vec<Component> = Vec::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                parts.pop();
            }
            Component::CurDir => {}
            c => parts.push(c),
        }
    }
    let clean: PathBuf = parts.iter().collect();
    clean.starts_with(root)
}

/// The text of a version, read only if the review may name it (see the module
/// documentation).
pub fn load(review: &Path, version: &Version) -> Result<Text, TrustError> {
    let text_err = |source| TrustError::Text {
        version: version.id.clone(),
        path: version.path.clone(),
        source,
    };
    match resolve(review, version)? {
        None => crate::text::load(&version.path).map_err(text_err),
        Some(path) => {
            let mut text =
                crate::text::load::load_file(&path, version.source.content_type.as_deref())
                    .map_err(text_err)?;
            // Named as the review names it, not by where the link led.
            text.name = folder_of(review).join(&version.path).display().to_string();
            text.text_only().map_err(text_err)
        }
    }
}

/// How a review at `review` names a text the user named (a path from the current folder, or
/// `spdx:ID`): relative to the review's folder, with `/`. A file outside the review's project
/// is first copied into the project's `texts/` (under a name of its own, never over another
/// file); the second value is then where it came from, for the version's `origin`.
pub fn bring_in(review: &Path, spec: &str) -> Result<(String, Option<String>), String> {
    if spec.starts_with(SPDX_PREFIX) {
        return Ok((spec.to_string(), None));
    }
    let source = Path::new(spec);
    let canon = source.canonicalize().map_err(|e| format!("{spec}: {e}"))?;
    let project = project_root(review);
    if canon.starts_with(&project) {
        return Ok((relative_to(&folder_of(review), &canon)?, None));
    }
    // Read as a text first: a FIFO, a device or a binary file is refused, not copied.
    let bytes = crate::text::load::load_file(&canon, None)
        .map_err(|e| e.to_string())
        .and_then(|_| std::fs::read(&canon).map_err(|e| format!("{spec}: {e}")))?;
    let texts = project.join("texts");
    std::fs::create_dir_all(&texts).map_err(|e| format!("{}: {e}", texts.display()))?;
    let name = canon.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    for n in 1.. {
        let candidate =
            if n == 1 { texts.join(&name) } else { texts.join(format!("{stem}-{n}{ext}")) };
        match std::fs::read(&candidate) {
            // The same text is there already (copied before): use it.
            Ok(existing) if existing == bytes => {}
            Ok(_) => continue,
            Err(_) => match crate::atomic::write(&candidate, &bytes, true) {
                Ok(()) => {}
                Err(crate::atomic::WriteError::Exists) => continue,
                Err(e) => {
                    return Err(format!(
                        "{}: cannot copy into the project: {e}",
                        candidate.display()
                    ));
                }
            },
        }
        let canon_copy = candidate.canonicalize().map_err(|e| e.to_string())?;
        let rel = relative_to(&folder_of(review), &canon_copy)?;
        return Ok((rel, Some(canon.display().to_string())));
    }
    unreachable!("an unused name is always found")
}

/// `target` relative to `dir` (both resolved), with `/`.
fn relative_to(dir: &Path, target: &Path) -> Result<String, String> {
    use std::path::Component;
    let base = dir.canonicalize().map_err(|e| format!("{}: {e}", dir.display()))?;
    let t: Vec<Component> = target.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return Ok(target.display().to_string());
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    Ok(parts.join("/"))
}

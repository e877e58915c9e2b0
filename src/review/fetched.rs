//! Versions that live on the web: a fetched page is stored in the review's project (under
//! `texts/fetched/`), so that the review reads the same text offline and anyone can check it,
//! and the version records where and when it was fetched ([`Source`]). Nothing is ever
//! fetched when a review is only opened; only `lrw new URL`, `lrw version add URL` and
//! `lrw refresh` fetch.

use std::path::Path;

use super::model::{Source, Version};
use crate::text::Text;
use crate::text::fetch::{self, Fetched, Options, Outcome};

/// A fetched page stored as a version's text.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The stored copy, as the review names it (relative to the review's folder).
    pub path: String,
    pub source: Source,
    /// The text the copy reads as.
    pub text: Text,
}

/// The provenance of a fetch, as a version records it.
pub fn source_of(f: &Fetched, text: &Text) -> Source {
    Source {
        url: Some(f.url.clone()),
        fetched_at: Some(f.fetched_at.clone()),
        etag: f.etag.clone(),
        last_modified: f.last_modified.clone(),
        content_type: f.content_type.clone(),
        reader: Some(text.reading.as_ref().map_or("text", |r| r.format.as_str()).to_string()),
        origin: None,
    }
}

/// Fetch `url` for version `id` of the review at `review` and store the bytes in its project
/// as `texts/fetched/ID.EXT` (a free name: an existing file is never replaced, and the same
/// bytes stored before are used again).
pub fn fetch_and_store(review: &Path, id: &str, url: &str) -> Result<Stored, String> {
    let f = match fetch::fetch(url, &Options::default()).map_err(|e| e.to_string())? {
        Outcome::Fetched(f) => f,
        Outcome::NotModified { url, .. } => {
            return Err(format!("{url}: the server answered 304 Not Modified to a plain request"));
        }
    };
    store(review, id, &f)
}

/// Store fetched bytes for version `id` (see [`fetch_and_store`]).
pub fn store(review: &Path, id: &str, f: &Fetched) -> Result<Stored, String> {
    let text = f.text().map_err(|e| e.to_string())?;
    let project = super::trust::project_root(review);
    let dir = project.join("texts/fetched");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let ext = f.format().extension();
    for n in 1.. {
        let name = if n == 1 { format!("{id}.{ext}") } else { format!("{id}-{n}.{ext}") };
        let path = dir.join(&name);
        match std::fs::read(&path) {
            Ok(existing) if existing == f.bytes => {}
            Ok(_) => continue,
            Err(_) => match crate::atomic::write(&path, &f.bytes, true) {
                Ok(()) => {}
                Err(crate::atomic::WriteError::Exists) => continue,
                Err(e) => return Err(format!("{}: cannot store the page: {e}", path.display())),
            },
        }
        let (rel, _) = super::trust::bring_in(review, &path.display().to_string())?;
        return Ok(Stored { path: rel, source: source_of(f, &text), text });
    }
    unreachable!("a free name is always found")
}

/// What a refresh found for one URL version.
#[derive(Debug, Clone)]
pub enum Refreshed {
    /// The server says nothing changed (304), or the bytes are the ones recorded.
    Unchanged,
    /// The page changed: its new bytes, not stored yet.
    Changed(Box<Fetched>),
}

/// Fetch version `v`'s URL again, with the conditions of its last fetch.
pub fn refetch(v: &Version) -> Result<Refreshed, String> {
    let Some(url) = &v.source.url else {
        return Err(format!("version {} was not fetched from a URL", v.id));
    };
    let opts = Options {
        if_none_match: v.source.etag.clone(),
        if_modified_since: v.source.last_modified.clone(),
        ..Options::default()
    };
    match fetch::fetch(url, &opts).map_err(|e| e.to_string())? {
        Outcome::NotModified { .. } => Ok(Refreshed::Unchanged),
        Outcome::Fetched(f) if v.sha256.as_deref() == Some(f.sha256.as_str()) => {
            Ok(Refreshed::Unchanged)
        }
        Outcome::Fetched(f) => Ok(Refreshed::Changed(Box::new(f))),
    }
}

/// The id of a new version made from `base` on `date` (`website-2025-12-05`): any date
/// already at the end of `base` is replaced.
pub fn dated_id(base: &str, date: &str) -> String {
    let stem = match base.len().checked_sub(11) {
        Some(cut)
            if base.is_char_boundary(cut)
                && base[cut..].starts_with('-')
                && base[cut + 1..].parse::<jiff::civil::Date>().is_ok() =>
        {
            &base[..cut]
        }
        _ => base,
    };
    format!("{stem}-{date}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_ids_replace_an_old_date() {
        assert_eq!(dated_id("website", "2025-12-05"), "website-2025-12-05");
        assert_eq!(dated_id("website-2025-06-01", "2025-12-05"), "website-2025-12-05");
        assert_eq!(dated_id("v-1", "2025-12-05"), "v-1-2025-12-05");
    }
}

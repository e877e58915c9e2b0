//! Build script: the SPDX similarity index, and the version string with the git commit.
//!
//! The index is built once here instead of on every run of `lrw similar` (decoding the `spdx`
//! crate's matching cache took 0.13-0.3 s per run).
//!
//! The license texts come from the `spdx` crate (feature `text`), the standard headers
//! ("Licensed under the Apache License, Version 2.0 ...") from its matching cache, the only
//! place that ships them. Both go through the normalisation lrw uses at run time
//! (`src/similarity/normalize.rs`, compiled in here), and the index is written to
//! `$OUT_DIR/spdx-index.bin`, which `src/similarity/mod.rs` embeds.
//!
//! `LRW_VERSION` (what `lrw --version` prints) is the package version followed by the commit,
//! `0.1.0 (git 1a2b3c4)`, when the crate is built from its own git checkout, and the package
//! version alone otherwise (a tarball, or `git` missing). The script then reruns when HEAD
//! moves, so the commit stays true; the price is that a commit rebuilds the crate once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "src/similarity/index.rs"]
#[allow(dead_code)]
mod index;
#[path = "src/similarity/normalize.rs"]
#[allow(dead_code)]
mod normalize;

use index::{EntrySource, Kind};

fn main() {
    for path in ["build.rs", "src/similarity/index.rs", "src/similarity/normalize.rs"] {
        println!("cargo::rerun-if-changed={path}");
    }
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let version = match git_commit() {
        Some(commit) => format!("{version} (git {commit})"),
        None => version,
    };
    println!("cargo::rustc-env=LRW_VERSION={version}");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let index = out.join("spdx-index.bin");
    // The index depends only on what is compiled into this script (the normalisation and
    // the spdx crate): when the script ran again for a new commit, the index it wrote after
    // it was last compiled still holds.
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let exe = std::env::current_exe().ok().and_then(|e| modified(&e));
    let fresh = matches!((modified(&index), exe), (Some(i), Some(e)) if i >= e);
    if !fresh {
        std::fs::write(&index, index::encode(&spdx_entries()))
            .expect("the index can be written to OUT_DIR");
    }
}

/// The short hash of HEAD when the crate sits at the top of a git work tree (not when it was
/// unpacked somewhere inside another repository), with rerun-if-changed lines for the files
/// that move when HEAD does; `None` without git or outside a checkout.
fn git_commit() -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git").args(args).output().ok()?;
        let s = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !s.trim().is_empty()).then(|| s.trim().to_string())
    };
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest_dir.canonicalize().ok()? {
        return None;
    }
    let commit = git(&["rev-parse", "--short", "HEAD"])?;
    // HEAD itself (per worktree), the branch it names and packed-refs (shared): watching
    // only files that exist, since a missing one would rerun the script on every build.
    let git_dir = PathBuf::from(git(&["rev-parse", "--absolute-git-dir"])?);
    let common = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"])
        .map_or_else(|| git_dir.clone(), PathBuf::from);
    let mut watch = vec![git_dir.join("HEAD"), common.join("packed-refs")];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.push(common.join(branch));
    }
    for path in watch.iter().filter(|p| p.is_file()) {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    Some(commit)
}

fn grams_of_lines(lines: &[String]) -> Vec<(u64, u32)> {
    normalize::bigrams(&normalize::reduce(lines))
}

/// One entry per distinct license text (ids whose texts normalise to the same bigrams are
/// aliases of one entry), then the standard headers, in id order so the index is the same on
/// every build.
fn spdx_entries() -> Vec<EntrySource> {
    let mut groups: BTreeMap<Vec<(u64, u32)>, Vec<&str>> = BTreeMap::new();
    for &(id, text) in spdx::text::LICENSE_TEXTS {
        let grams = grams_of_lines(&normalize::normalize_lines(text));
        // A text left with fewer than two words (NOASSERTION's is empty) can match nothing.
        if !grams.is_empty() {
            groups.entry(grams).or_default().push(id);
        }
    }
    let mut entries: Vec<EntrySource> = groups
        .into_iter()
        .map(|(grams, mut ids)| {
            ids.sort_by_key(|id| preference(id));
            // The crate's list names some ids twice (GFDL-1.1-invariants-only, 0.13.6).
            ids.dedup();
            let aliases = ids[1..].iter().map(|s| s.to_string()).collect();
            EntrySource { id: ids[0].to_string(), kind: Kind::Text, aliases, grams }
        })
        .collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let owner = |id: &str| {
        entries
            .iter()
            .find(|e| e.id == id || e.aliases.iter().any(|a| a == id))
            .map_or_else(|| id.to_string(), |e| e.id.clone())
    };
    let cache = spdx::detection::Store::load_inline().expect("the spdx crate's cache decodes");
    let mut headers: Vec<EntrySource> = cache
        .iter()
        .flat_map(|(id, entry)| entry.headers.iter().map(move |h| (id, h)))
        .map(|(id, header)| {
            let grams = grams_of_lines(header.lines());
            EntrySource { id: owner(id), kind: Kind::Header, aliases: Vec::new(), grams }
        })
        .filter(|h| !h.grams.is_empty())
        .collect();
    headers.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.grams.cmp(&b.grams)));
    entries.extend(headers);
    entries
}

/// Which of several ids with the same text names the entry: a current id before a deprecated
/// one, `-or-later` before the rest (`GPL-3.0-or-later`, as the SPDX matching cache had it),
/// then the shortest, then the first in byte order.
fn preference(id: &str) -> (bool, bool, usize, String) {
    let deprecated = spdx::license_id(id).is_none_or(|l| l.is_deprecated());
    (deprecated, !id.ends_with("-or-later"), id.len(), id.to_string())
}

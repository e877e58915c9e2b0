//! Build script: the SPDX similarity index, built once here instead of on every run of
//! `lrw similar` (decoding the `spdx` crate's matching cache took 0.15-0.5 s per run).
//!
//! The license texts come from the `spdx` crate (feature `text`), the standard headers
//! ("Licensed under the Apache License, Version 2.0 ...") from its matching cache, the only
//! place that ships them. Both go through the normalisation lrw uses at run time
//! (`src/similarity/normalize.rs`, compiled in here), and the index is written to
//! `$OUT_DIR/spdx-index.bin`, which `src/similarity/mod.rs` embeds.

use std::collections::BTreeMap;
use std::path::PathBuf;

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
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("spdx-index.bin"), index::encode(&spdx_entries()))
        .expect("the index can be written to OUT_DIR");
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

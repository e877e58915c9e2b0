//! Which known licenses a text resembles, and which known licenses it contains.
//!
//! A reviewer handed a new license first wants to know what it was drafted from: a text that
//! is Apache-2.0 with a few words changed should be read as a diff against Apache-2.0, not
//! from scratch. [`rank`] scores a text against every license of the SPDX License List and
//! returns the closest; [`scan`] finds whole licenses inside a longer text (a file holding
//! MIT followed by Apache-2.0 reports both, with their lines).
//!
//! The matching is the `spdx` crate's inlined askalono: both texts are normalised (case,
//! punctuation, white space, copyright lines and the title line dropped), cut into word
//! bigrams, and compared with the Sørensen-Dice coefficient, a score in 0..1 where 1 means the
//! same bigrams. The SPDX data ships inside the binary, so nothing is fetched.
//!
//! Pure: no printing, no terminal. The SPDX store is decoded once per process, on first use.

use std::sync::OnceLock;

use serde::Serialize;
use spdx::detection::{LicenseType, Store, TextData};

use crate::text::Text;

/// How many matches to return and which licenses may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankOptions {
    /// At most this many matches, best first.
    pub top: usize,
    /// Only licenses approved by the OSI.
    pub osi_only: bool,
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions { top: 5, osi_only: false }
    }
}

/// One known license and how close the text is to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// SPDX id (or, for a local store, the name the text was added under).
    pub id: String,
    /// Full name from the SPDX License List; the id when the list does not know it.
    pub name: String,
    /// Similarity in 0..1, rounded to 4 decimals so output is stable across platforms.
    pub score: f64,
    /// Approved by the Open Source Initiative (SPDX metadata).
    pub osi: bool,
    /// Free/libre according to the FSF (SPDX metadata).
    pub fsf: bool,
    /// Other current SPDX ids with the same text (`GPL-3.0-only` for `GPL-3.0-or-later`):
    /// the score applies to them as well.
    pub aliases: Vec<String>,
}

/// A known license found inside a text, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Containment {
    pub id: String,
    pub name: String,
    /// Similarity of the located lines to the license, 0..1 (4 decimals).
    pub score: f64,
    /// `text` for the license itself, `header` for its standard notice
    /// ("Licensed under the Apache License...").
    pub kind: &'static str,
    /// First line of the license in the text, 1-based.
    pub line_start: usize,
    /// Last line, 1-based, inclusive.
    pub line_end: usize,
}

/// Minimum score for [`scan`] to report a contained license. A license with a tenth of its
/// words replaced scores about 0.8 and is still reported (MIT: 0.79); in the test corpus no
/// text that holds no listed license (ModelGo, Llama, OpenRAIL, OSAID) reaches it.
pub const SCAN_THRESHOLD: f32 = 0.7;

/// The SPDX License List as a matching store, decoded once per process.
///
/// The crate's precomputed cache is used; should it ever fail to decode, the store is built
/// from the license texts the crate also ships, which is slower but gives the same answers.
pub fn spdx_store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        Store::load_inline()
            .unwrap_or_else(|_| store_from_texts(spdx::text::LICENSE_TEXTS.iter().copied()))
    })
}

/// A matching store built from `(id, text)` pairs, for ranking against texts that are not on
/// the SPDX list (a project's own license family, earlier drafts).
pub fn store_from_texts<'a>(texts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Store {
    let mut store = Store::new();
    for (id, text) in texts {
        store.add_license(id.to_string(), TextData::new(text).without_text());
    }
    store
}

/// The SPDX licenses closest to `text`, best first.
pub fn rank(text: &Text, opts: &RankOptions) -> Vec<Match> {
    rank_in(spdx_store(), text, opts)
}

/// The licenses of `store` closest to `text`, best first; ties in score are ordered by id so
/// the output does not depend on hash order. Deprecated SPDX ids are left out: most are old
/// names of texts listed under current ids (`GPL-3.0+` is `GPL-3.0-or-later`), and none is
/// an id to recommend.
pub fn rank_in(store: &Store, text: &Text, opts: &RankOptions) -> Vec<Match> {
    if opts.top == 0 {
        return Vec::new();
    }
    let data = TextData::new(&text.content);
    let mut scored: Vec<(f32, &str)> = store
        .iter()
        .filter(|(id, _)| !is_deprecated(id))
        .filter(|(id, _)| {
            !opts.osi_only || spdx::license_id(id).is_some_and(|l| l.is_osi_approved())
        })
        .map(|(id, entry)| {
            // Headers are short notices, not license texts: a notice-sized file would score
            // high against them and be reported as "similar" to the whole license.
            let best = entry
                .alternates
                .iter()
                .map(|alt| alt.match_score(&data))
                .fold(entry.original.match_score(&data), f32::max);
            (best, id.as_str())
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(opts.top)
        .map(|(score, id)| {
            let (name, osi, fsf) = metadata(id);
            let aliases = store
                .aliases(id)
                .map(|a| a.iter().filter(|a| !is_deprecated(a) && *a != id).cloned().collect())
                .unwrap_or_default();
            Match { id: id.to_string(), name, score: round4(score), osi, fsf, aliases }
        })
        .collect()
}

/// SPDX licenses found inside `text` (several when licenses are concatenated), in the order
/// they appear.
pub fn scan(text: &Text) -> Vec<Containment> {
    scan_in(spdx_store(), text)
}

/// Licenses of `store` found inside `text`, in the order they appear.
///
/// Elimination, as the crate's `Scanner` does it: find the best match, locate its lines
/// (`TextData::optimize_bounds`), set them aside, search the rest again. Unlike the
/// `Scanner`, the rest is searched as the separate stretches of lines left between earlier
/// finds rather than as the whole text with those lines blanked: the bounds search assumes
/// the score rises and falls once, and a long blanked stretch is a flat run on which it
/// stalls. With the `Scanner`, MIT followed by Apache-2.0 reports Apache-2.0 alone.
pub fn scan_in(store: &Store, text: &Text) -> Vec<Containment> {
    if store.is_empty() {
        return Vec::new();
    }
    let data = TextData::new(&text.content);
    let normalized = data.lines();
    // The crate's line ranges are 0-based, end exclusive, over the same '\n'-split lines.
    let lines: Vec<&str> = text.content.split('\n').collect();
    let blank = |i: usize| normalized.get(i).is_none_or(|l| l.is_empty());
    let mut found: Vec<Containment> = Vec::new();
    // Stretches already searched in vain: the same lines give the same answer next pass.
    let mut barren: Vec<(usize, usize)> = Vec::new();
    for _ in 0..MAX_SCAN_PASSES {
        let mut taken: Vec<(usize, usize)> =
            found.iter().map(|c| (c.line_start - 1, c.line_end)).collect();
        taken.sort_unstable();
        let mut new = Vec::new();
        for (start, end) in free_stretches(normalized.len(), &taken) {
            if barren.contains(&(start, end)) || (start..end).all(blank) {
                continue;
            }
            let view = data.with_view(start, end);
            let best = store.analyze(&view);
            let (located, score) = view.optimize_bounds(best.data);
            if score < SCAN_THRESHOLD {
                barren.push((start, end));
                continue;
            }
            let (mut a, mut b) = located.lines_view();
            while a < b && (blank(a) || lines.get(a).is_none_or(|l| l.trim().is_empty())) {
                a += 1;
            }
            while b > a && (blank(b - 1) || lines.get(b - 1).is_none_or(|l| l.trim().is_empty())) {
                b -= 1;
            }
            if a == b {
                continue;
            }
            let (name, _, _) = metadata(best.name);
            new.push(Containment {
                id: best.name.to_string(),
                name,
                score: round4(score),
                kind: match best.license_type {
                    LicenseType::Header => "header",
                    LicenseType::Original | LicenseType::Alternate => "text",
                },
                line_start: a + 1,
                line_end: b,
            });
        }
        if new.is_empty() {
            break;
        }
        found.extend(new);
    }
    found.sort_by_key(|c| c.line_start);
    found
}

/// Passes of [`scan_in`]; each finds at least one license, so this bounds the work on a
/// file of many licenses (an attribution list) while covering any real license file.
const MAX_SCAN_PASSES: usize = 10;

/// The stretches of `0..len` not covered by the sorted, disjoint `taken` ranges.
fn free_stretches(len: usize, taken: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(s, e) in taken {
        if s > at {
            out.push((at, s));
        }
        at = at.max(e);
    }
    if at < len {
        out.push((at, len));
    }
    out
}

/// Full name, OSI approval and FSF libre flag of an SPDX id; unknown ids get their own id
/// as name and no approvals.
fn metadata(id: &str) -> (String, bool, bool) {
    match spdx::license_id(id) {
        Some(l) => (l.full_name.to_string(), l.is_osi_approved(), l.is_fsf_free_libre()),
        None => (id.to_string(), false, false),
    }
}

fn is_deprecated(id: &str) -> bool {
    spdx::license_id(id).is_some_and(|l| l.is_deprecated())
}

fn round4(score: f32) -> f64 {
    (f64::from(score) * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spdx_text(id: &str) -> Text {
        crate::text::load(&format!("spdx:{id}")).expect("SPDX text ships with the crate")
    }

    #[test]
    fn an_spdx_text_finds_itself_first_with_full_score() {
        for id in ["MIT", "Apache-2.0", "BSD-3-Clause", "MPL-2.0"] {
            let m = rank(&spdx_text(id), &RankOptions::default());
            assert_eq!(m.len(), 5, "{id}");
            assert_eq!(m[0].id, id, "{id}: {m:?}");
            assert!(m[0].score > 0.99, "{id}: {m:?}");
            assert!(m.windows(2).all(|w| w[0].score >= w[1].score), "{id}: not sorted {m:?}");
        }
    }

    #[test]
    fn metadata_comes_from_the_spdx_list() {
        let m = rank(&spdx_text("Apache-2.0"), &RankOptions { top: 1, osi_only: false });
        assert_eq!(m[0].name, "Apache License 2.0");
        assert!(m[0].osi && m[0].fsf);
    }

    #[test]
    fn same_text_ids_are_reported_as_aliases_without_deprecated_ones() {
        let m = rank(&spdx_text("GPL-3.0-only"), &RankOptions { top: 3, osi_only: false });
        let first = &m[0];
        let ids: Vec<&str> = std::iter::once(first.id.as_str())
            .chain(first.aliases.iter().map(String::as_str))
            .collect();
        assert!(ids.contains(&"GPL-3.0-only") && ids.contains(&"GPL-3.0-or-later"), "{m:?}");
        assert!(m.iter().all(|m| !is_deprecated(&m.id)), "{m:?}");
        assert!(!ids.contains(&"GPL-3.0"), "deprecated alias listed: {m:?}");
    }

    #[test]
    fn osi_only_leaves_out_licenses_without_approval() {
        // JSON (the MIT text plus a clause) is the runner-up for MIT and is not OSI approved.
        let all = rank(&spdx_text("MIT"), &RankOptions { top: 10, osi_only: false });
        assert!(all.iter().any(|m| !m.osi), "{all:?}");
        let osi = rank(&spdx_text("MIT"), &RankOptions { top: 10, osi_only: true });
        assert_eq!(osi.len(), 10);
        assert!(osi.iter().all(|m| m.osi), "{osi:?}");
        assert_eq!(osi[0].id, "MIT");
    }

    #[test]
    fn top_limits_the_count() {
        assert_eq!(rank(&spdx_text("MIT"), &RankOptions { top: 2, osi_only: false }).len(), 2);
        assert!(rank(&spdx_text("MIT"), &RankOptions { top: 0, osi_only: false }).is_empty());
    }

    #[test]
    fn empty_and_odd_texts_rank_without_panicking() {
        for s in ["", "\n\n\n", "\u{202e}\u{0}\u{1b}[2J", "word"] {
            let m = rank(&Text::from_string("odd", s), &RankOptions::default());
            assert!(m.iter().all(|m| (0.0..=1.0).contains(&m.score)), "{s:?}: {m:?}");
            assert!(scan(&Text::from_string("odd", s)).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn a_local_store_ranks_its_own_texts() {
        let store = store_from_texts([
            ("cats", "The cat sat on the mat and purred at the dog all day long."),
            ("dogs", "A dog ran through the park and barked at every passing bird."),
        ]);
        let probe = Text::from_string("p", "The cat sat on a mat and purred at the dog all day.");
        let m = rank_in(&store, &probe, &RankOptions::default());
        assert_eq!(m.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["cats", "dogs"]);
        assert_eq!(m[0].name, "cats");
        assert!(!m[0].osi && !m[0].fsf);
    }

    #[test]
    fn one_license_is_found_over_its_lines() {
        let mit = spdx_text("MIT");
        let text = Text::from_string("x", &format!("\n\n{}\n\n", mit.content));
        let found = scan(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].id, "MIT");
        // Title and copyright lines normalise to nothing, so the located lines may start at
        // the grant ("Permission is hereby granted", line 7) rather than the title (line 3).
        assert!((3..=7).contains(&found[0].line_start), "{found:?}");
        assert_eq!(found[0].line_end, 2 + mit.content.trim_end().lines().count(), "{found:?}");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Lines of real licenses mixed with arbitrary ones: enough structure for matches to
        /// be found, enough noise to hit the edges.
        fn texts() -> impl Strategy<Value = String> {
            let mit: Vec<String> =
                crate::text::load("spdx:MIT").unwrap().content.lines().map(String::from).collect();
            let bsd: Vec<String> = crate::text::load("spdx:BSD-2-Clause")
                .unwrap()
                .content
                .lines()
                .map(String::from)
                .collect();
            let line = prop_oneof![
                proptest::sample::select(mit),
                proptest::sample::select(bsd),
                any::<String>(),
                Just(String::new()),
            ];
            proptest::collection::vec(line, 0..60).prop_map(|l| l.join("\n"))
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
            #[test]
            fn rank_and_scan_stay_in_bounds(s in texts()) {
                let text = Text::from_string("p", &s);
                let m = rank(&text, &RankOptions { top: 3, osi_only: false });
                prop_assert_eq!(m.len(), 3);
                prop_assert!(m.iter().all(|m| (0.0..=1.0).contains(&m.score)));
                prop_assert!(m.windows(2).all(|w| w[0].score >= w[1].score));
                let lines = text.content.split('\n').count();
                let found = scan(&text);
                for c in &found {
                    prop_assert!(1 <= c.line_start && c.line_start <= c.line_end, "{:?}", c);
                    prop_assert!(c.line_end <= lines, "{:?} past {} lines", c, lines);
                    prop_assert!(c.score >= f64::from(SCAN_THRESHOLD) - 1e-4, "{:?}", c);
                }
                prop_assert!(found.windows(2).all(|w| w[0].line_end < w[1].line_start), "{:?}", found);
            }
        }
    }
}

//! Which known licenses a text resembles, and which known licenses it contains.
//!
//! A reviewer handed a new license first wants to know what it was drafted from: a text that
//! is Apache-2.0 with a few words changed should be read as a diff against Apache-2.0, not
//! from scratch. [`rank`] scores a text against every license of the SPDX License List and
//! returns the closest; [`scan`] finds whole licenses inside a longer text (a file holding
//! MIT followed by Apache-2.0 reports both, with their lines).
//!
//! The matching is askalono's, as the `spdx` crate inlines it: both texts are normalised
//! (case, punctuation, white space, copyright lines and the title line dropped; see
//! [`normalize`]), cut into word bigrams, and compared with the Sørensen-Dice coefficient, a
//! score in 0..1 where 1 means the same bigrams.
//!
//! The SPDX side is a bigram index built at compile time (`build.rs`, `similarity/index.rs`)
//! and embedded in the binary: a run copies its arrays out in about 2 ms, where decoding the
//! `spdx` crate's own matching cache took 130-300 ms on every run. Nothing is fetched.
//!
//! Pure: no printing, no terminal.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::text::Text;

mod index;
pub mod normalize;

use index::{EntrySource, Index, Kind};

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

/// Licenses to rank texts against, with their bigrams: the SPDX License List ([`spdx_store`])
/// or a set of local texts ([`store_from_texts`]).
#[derive(Debug, Clone)]
pub struct Store {
    index: Index,
}

impl Store {
    /// Number of entries (license texts and standard headers).
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when the store holds nothing to match.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// The index `build.rs` made of the SPDX License List, embedded in the binary.
static SPDX_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/spdx-index.bin"));

/// The SPDX License List as a matching store: texts and standard headers, from the index
/// embedded at compile time, decoded on first use.
pub fn spdx_store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| Store {
        index: Index::from_bytes(SPDX_INDEX)
            .expect("build.rs wrote the SPDX index in the layout index.rs reads"),
    })
}

/// A matching store built from `(id, text)` pairs, for ranking against texts that are not on
/// the SPDX list (a project's own license family, earlier drafts).
pub fn store_from_texts<'a>(texts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Store {
    let entries: Vec<EntrySource> = texts
        .into_iter()
        .map(|(id, text)| EntrySource {
            id: id.to_string(),
            kind: Kind::Text,
            aliases: Vec::new(),
            grams: normalize::bigrams(&normalize::reduce(&normalize::normalize_lines(text))),
        })
        .collect();
    Store { index: Index::from_entries(&entries) }
}

/// A text normalised line by line once, so that stretches of it (for [`scan`]) can be cut
/// into bigrams without normalising again.
struct Prepared {
    lines: Vec<String>,
}

/// The bigrams of a stretch of text as positions in a store's vocabulary, with counts, and
/// the total count (bigrams no entry holds included: they lower every score alike).
struct Query {
    grams: Vec<(usize, u32)>,
    size: u32,
}

impl Prepared {
    fn new(content: &str) -> Prepared {
        Prepared { lines: normalize::normalize_lines(content) }
    }

    fn query(&self, store: &Store, start: usize, end: usize) -> Query {
        let grams = normalize::bigrams(&normalize::reduce(&self.lines[start..end]));
        let size = grams.iter().map(|g| g.1).sum();
        let grams = grams.iter().filter_map(|&(h, n)| Some((store.index.find(h)?, n))).collect();
        Query { grams, size }
    }

    /// Score of lines `start..end` against one entry, whose bigrams are `target` (by hash)
    /// and number `size` in all.
    fn score_one(&self, start: usize, end: usize, target: &HashMap<u64, u32>, size: u32) -> f32 {
        let grams = normalize::bigrams(&normalize::reduce(&self.lines[start..end]));
        let (mut total, mut common) = (0, 0);
        for (hash, count) in grams {
            total += count;
            common += target.get(&hash).map_or(0, |&c| c.min(count));
        }
        dice(common, total, size)
    }

    /// askalono's `TextData::optimize_bounds`: the stretch of `start..end` that scores best
    /// against entry `n`, found by a ternary search for the end and then for the start (the
    /// score is assumed to rise and fall once along each). Returns the lines and the score.
    fn optimize_bounds(
        &self,
        store: &Store,
        start: usize,
        end: usize,
        n: usize,
    ) -> ((usize, usize), f32) {
        let target = store.index.entry_grams(n);
        let size = store.index.size(n);
        let (new_end, _) = search_optimize(start, end, |e| self.score_one(start, e, &target, size));
        let (new_start, score) =
            search_optimize(start, new_end, |s| self.score_one(s, new_end, &target, size));
        ((new_start, new_end), score)
    }
}

/// askalono's ternary search for the index in `left..=right` with the highest score, scores
/// memoised; among the last three or four candidates the later one wins a tie.
fn search_optimize(left: usize, right: usize, score: impl Fn(usize) -> f32) -> (usize, f32) {
    let mut memo: HashMap<usize, f32> = HashMap::new();
    let mut check = |i: usize| *memo.entry(i).or_insert_with(|| score(i));
    let (mut left, mut right) = (left, right);
    loop {
        if right - left <= 3 {
            return (left..=right)
                .map(|x| (x, check(x)))
                .fold((0, 0.0), |acc, x| if x.1 >= acc.1 { x } else { acc });
        }
        let low = (left * 2 + right) / 3;
        let high = (left + right * 2) / 3;
        if check(low) > check(high) {
            right = high - 1;
        } else {
            left = low + 1;
        }
    }
}

/// Sørensen-Dice coefficient of two bigram multisets of `a` and `b` bigrams with `common` in
/// common, computed as askalono computes it (so scores match to the last bit); 0 when either
/// is empty.
fn dice(common: u32, a: u32, b: u32) -> f32 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    (2.0 * common as f32) / ((a + b) as f32)
}

/// Bigrams in common between `q` and every entry of `store`, by entry.
fn common_counts(store: &Store, q: &Query) -> Vec<u32> {
    let mut common = vec![0u32; store.index.len()];
    for &(v, c) in &q.grams {
        for &(n, count) in store.index.postings(v) {
            common[usize::from(n)] += c.min(u32::from(count));
        }
    }
    common
}

/// The SPDX licenses closest to `text`, best first.
pub fn rank(text: &Text, opts: &RankOptions) -> Vec<Match> {
    rank_in(spdx_store(), text, opts)
}

/// The licenses of `store` closest to `text`, best first; ties in score are ordered by id so
/// the output does not depend on the index's order. Deprecated SPDX ids are left out: most
/// are old names of texts listed under current ids (`GPL-3.0+` is `GPL-3.0-or-later`), and
/// none is an id to recommend. Standard headers are left out too: they are short notices,
/// not license texts, and a notice-sized file would score high against them and be reported
/// as "similar" to the whole license.
pub fn rank_in(store: &Store, text: &Text, opts: &RankOptions) -> Vec<Match> {
    if opts.top == 0 || store.is_empty() {
        return Vec::new();
    }
    let prepared = Prepared::new(&text.content);
    let q = prepared.query(store, 0, prepared.lines.len());
    let common = common_counts(store, &q);
    let meta = store.index.meta();
    let mut scored: Vec<(f32, usize)> = (0..meta.len())
        .filter(|&n| meta[n].kind == Kind::Text && !is_deprecated(&meta[n].id))
        .filter(|&n| {
            !opts.osi_only || spdx::license_id(&meta[n].id).is_some_and(|l| l.is_osi_approved())
        })
        .map(|n| (dice(common[n], q.size, store.index.size(n)), n))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| meta[a.1].id.cmp(&meta[b.1].id)));
    scored
        .into_iter()
        .take(opts.top)
        .map(|(score, n)| {
            let m = &meta[n];
            let (name, osi, fsf) = metadata(&m.id);
            let aliases = m.aliases.iter().filter(|a| !is_deprecated(a)).cloned().collect();
            Match { id: m.id.clone(), name, score: round4(score), osi, fsf, aliases }
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
/// Elimination, as the `spdx` crate's `Scanner` does it: find the best match (text or
/// standard header), locate its lines (askalono's `optimize_bounds`), set them aside, search
/// the rest again. Unlike the `Scanner`, the rest is searched as the separate stretches of
/// lines left between earlier finds rather than as the whole text with those lines blanked:
/// the bounds search assumes the score rises and falls once, and a long blanked stretch is a
/// flat run on which it stalls. With the `Scanner`, MIT followed by Apache-2.0 reports
/// Apache-2.0 alone.
pub fn scan_in(store: &Store, text: &Text) -> Vec<Containment> {
    if store.is_empty() {
        return Vec::new();
    }
    let prepared = Prepared::new(&text.content);
    let normalized = &prepared.lines;
    // Normalised lines are the text's '\n'-split lines, one for one.
    let lines: Vec<&str> = text.content.split('\n').collect();
    let blank = |i: usize| normalized.get(i).is_none_or(|l| l.is_empty());
    let meta = store.index.meta();
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
            let q = prepared.query(store, start, end);
            let common = common_counts(store, &q);
            // The best entry; on a tie the first in the index (ids in order, texts first).
            let best = (0..meta.len())
                .map(|n| (dice(common[n], q.size, store.index.size(n)), n))
                .fold((f32::MIN, 0), |acc, x| if x.0 > acc.0 { x } else { acc })
                .1;
            let ((mut a, mut b), score) = prepared.optimize_bounds(store, start, end, best);
            if score < SCAN_THRESHOLD {
                barren.push((start, end));
                continue;
            }
            while a < b && (blank(a) || lines.get(a).is_none_or(|l| l.trim().is_empty())) {
                a += 1;
            }
            while b > a && (blank(b - 1) || lines.get(b - 1).is_none_or(|l| l.trim().is_empty())) {
                b -= 1;
            }
            if a == b {
                continue;
            }
            let (name, _, _) = metadata(&meta[best].id);
            new.push(Containment {
                id: meta[best].id.clone(),
                name,
                score: round4(score),
                kind: match meta[best].kind {
                    Kind::Header => "header",
                    Kind::Text => "text",
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

    #[test]
    fn scores_are_askalonos() {
        // The index must rank as the `spdx` crate's askalono did: the same score, to the last
        // bit, for a text edited a little against each license it ranks.
        use spdx::detection::TextData;
        for (seed, id) in ["MIT", "Apache-2.0", "GPL-3.0-only", "BSD-3-Clause", "ISC", "Zlib"]
            .into_iter()
            .enumerate()
        {
            let text = spdx_text(id).content;
            let edited = text.replacen("the", "a", 3).replacen("and", "or", 2) + &seed.to_string();
            let probe = TextData::new(&edited);
            for m in rank(&Text::from_string("p", &edited), &RankOptions::default()) {
                // By name: `LicenseId::text` gives GPL-3.0-or-later the text of GPL-3.0+
                // (spdx 0.13.6 numbers its texts and its ids in different orders).
                let (_, reference) =
                    spdx::text::LICENSE_TEXTS.iter().find(|(i, _)| *i == m.id).unwrap();
                let reference = TextData::new(reference);
                assert_eq!(m.score, round4(probe.match_score(&reference)), "{id} against {m:?}");
            }
        }
    }

    #[test]
    fn the_embedded_index_holds_texts_with_aliases_and_headers() {
        let meta = spdx_store().index.meta();
        let texts = meta.iter().filter(|m| m.kind == Kind::Text).count();
        assert!(texts > 600, "{texts} texts");
        let gpl = meta.iter().find(|m| m.id == "GPL-3.0-or-later").expect("GPL-3.0-or-later");
        assert!(gpl.aliases.iter().any(|a| a == "GPL-3.0-only"), "{gpl:?}");
        assert!(meta.iter().any(|m| m.kind == Kind::Header && m.id == "Apache-2.0"));
        // Ids are unique across texts and aliases.
        let mut ids: Vec<&str> = meta
            .iter()
            .filter(|m| m.kind == Kind::Text)
            .flat_map(|m| std::iter::once(&m.id).chain(&m.aliases).map(String::as_str))
            .collect();
        let all = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all);
    }

    #[test]
    fn an_index_reads_back_what_was_encoded_and_refuses_other_bytes() {
        let entries = [
            EntrySource {
                id: "a".into(),
                kind: Kind::Text,
                aliases: vec!["a2".into()],
                grams: vec![(1, 2), (5, 1)],
            },
            EntrySource {
                id: "b".into(),
                kind: Kind::Header,
                aliases: vec![],
                grams: vec![(5, 3)],
            },
        ];
        let bytes = index::encode(&entries);
        let index = Index::from_bytes(&bytes).expect("reads");
        assert_eq!(index.len(), 2);
        assert_eq!((index.size(0), index.size(1)), (3, 3));
        let five = index.find(5).expect("5 is in the vocabulary");
        assert_eq!(index.postings(five), [(0, 1), (1, 3)]);
        assert_eq!((index.count(five, 0), index.count(five, 1)), (1, 3));
        assert_eq!(index.find(4), None);
        assert_eq!(index.meta()[0].aliases, ["a2"]);
        assert_eq!(index.meta()[1].kind, Kind::Header);
        for cut in [0, 8, 20, bytes.len() - 1] {
            assert!(Index::from_bytes(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Index::from_bytes(&longer).is_none());
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

//! Placing threads: finding a thread's clause (and passage) in the text of its own version,
//! which may have been edited since, or in another version of the license.
//!
//! A thread keeps what it was written against: the clause id (a hint), the hash of the
//! clause's normalised text, its first words (`clause_start`), and optionally a passage as a
//! quote with a little context on either side (the W3C Web Annotation TextQuoteSelector).
//! Placement goes by that evidence, not by the id: when the text under a version id was edited
//! in place (a clause inserted before it), the id may now name another clause, and a thread
//! must never stay there. The states:
//!
//! - `exact`: the clause is found under the same id, its text unchanged (and the quote in it);
//! - `moved`: found under another id (renumbered, moved, or displaced by an insertion);
//! - `changed`: found under the same id, but its text changed since the thread was anchored;
//! - `orphaned`: not found. The thread is kept and shown with its old id; it is never dropped;
//! - `unanchored`: a thread about the review as a whole, with no clause.
//!
//! Between versions, clauses are paired by the clause alignment of `lrw diff`
//! ([`crate::diff::align()`]); a clause it leaves without a similar partner (merged into
//! another, or a section whose text moved into its heading's paragraph) is matched by the
//! three-word runs it shares with another clause (see [`Resolver`]). A quote is searched for
//! word by word, ignoring case, punctuation and line breaks, tolerating small edits.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use super::model::Anchor;
use crate::diff::{ClauseStatus, align_units};
use crate::text::ClauseTree;
use crate::text::normalize::{NormalizeOptions, normalize};

/// How well an anchor was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorState {
    Exact,
    Moved,
    Changed,
    Orphaned,
    /// A review-level thread: it has no clause to be found.
    Unanchored,
}

impl AnchorState {
    /// The word used in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AnchorState::Exact => "exact",
            AnchorState::Moved => "moved",
            AnchorState::Changed => "changed",
            AnchorState::Orphaned => "orphaned",
            AnchorState::Unanchored => "unanchored",
        }
    }

    /// Found somewhere in the text (not orphaned, not review-level).
    pub fn is_placed(self) -> bool {
        matches!(self, AnchorState::Exact | AnchorState::Moved | AnchorState::Changed)
    }
}

impl std::fmt::Display for AnchorState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an anchor points in a version.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub state: AnchorState,
    /// The clause id found (`None` when orphaned).
    pub clause: Option<String>,
    /// Its index in the version's [`ClauseTree`].
    pub index: Option<usize>,
    /// How closely the place found matches, 0..1: the text similarity of the paired clauses,
    /// or of the quote found; 1.0 for an unchanged clause under its own id.
    pub score: f64,
    /// Byte range of the quoted passage in the version's content, when there is a quote and
    /// it was found.
    pub quote: Option<Range<usize>>,
}

impl Resolution {
    /// Not found.
    pub fn orphaned() -> Resolution {
        Resolution::nowhere(AnchorState::Orphaned)
    }

    /// A review-level thread.
    pub fn unanchored() -> Resolution {
        Resolution::nowhere(AnchorState::Unanchored)
    }

    fn nowhere(state: AnchorState) -> Resolution {
        Resolution { state, clause: None, index: None, score: 0.0, quote: None }
    }
}

/// A version's text with its clause tree: what anchors are resolved against.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    pub content: &'a str,
    pub tree: &'a ClauseTree,
}

/// Lowest score for a quote found by approximate search.
pub const QUOTE_MIN: f64 = 0.7;
/// Characters of context kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;
/// Words of a clause kept as its `clause_start`.
pub const START_WORDS: usize = 14;

/// The text of clause `i` (with its subtree) without its own number or heading marks, so
/// that renumbering does not change it.
pub fn clause_body<'a>(doc: &Doc<'a>, i: usize) -> &'a str {
    strip_label(doc.tree.text(i, doc.content), &doc.tree.clauses[i].label)
}

/// Hex SHA-256 of clause `i`'s normalised text: `clause_sha256` of an anchor.
pub fn clause_hash(doc: &Doc<'_>, i: usize) -> String {
    let norm = normalize(clause_body(doc, i), NormalizeOptions::default());
    crate::text::load::sha256_hex(norm.as_bytes())
}

/// The first [`START_WORDS`] words of clause `i` (after its label), as written but on one
/// line: `clause_start` of an anchor.
pub fn clause_start(doc: &Doc<'_>, i: usize) -> Option<String> {
    let body = clause_body(doc, i);
    let w = words(body);
    let last = w.get(START_WORDS.min(w.len()).checked_sub(1)?)?;
    let first = &w[0];
    Some(body[first.span.start..last.span.end].split_whitespace().collect::<Vec<_>>().join(" "))
}

fn strip_label<'a>(text: &'a str, label: &str) -> &'a str {
    let t = text.trim_start();
    let t = t.trim_start_matches('#').trim_start();
    t.strip_prefix(label).unwrap_or(t).trim_start()
}

/// Index of the clause an anchor names: exactly its id, else any usual spelling of it.
fn find_clause(tree: &ClauseTree, id: &str) -> Option<usize> {
    tree.clauses.iter().position(|c| c.id == id).or_else(|| tree.find(id))
}

/// How deep a clause id cites: `2` is 1, `2.2` is 2, `2.2(b)` is 3, `¶4` is 1. Used to pick,
/// among the nested clauses holding a passage, the one at the level the thread was on.
fn id_depth(id: &str) -> usize {
    let dots = id.split('(').next().unwrap_or("").split('.').filter(|p| !p.is_empty()).count();
    dots.max(1) + id.matches('(').count()
}

/// Places anchors in one version's current text by their evidence (see the module
/// documentation). Indexes of the text (clause hashes, words) are built once, when first
/// needed, so placing many threads costs little more than placing one.
pub struct Placer<'a> {
    doc: Doc<'a>,
    /// The version's file is not the one the review recorded (its sha256 differs): an id
    /// whose clause text changed is then no evidence of anything.
    text_changed: bool,
    hashes: OnceCell<Vec<OnceCell<String>>>,
    by_hash: OnceCell<HashMap<String, Vec<usize>>>,
    words: OnceCell<Vec<Word>>,
    index: OnceCell<HashMap<String, Vec<usize>>>,
    line_starts: OnceCell<Vec<usize>>,
}

impl<'a> Placer<'a> {
    pub fn new(doc: Doc<'a>, text_changed: bool) -> Placer<'a> {
        Placer {
            doc,
            text_changed,
            hashes: OnceCell::new(),
            by_hash: OnceCell::new(),
            words: OnceCell::new(),
            index: OnceCell::new(),
            line_starts: OnceCell::new(),
        }
    }

    /// The text placed in.
    pub fn doc(&self) -> &Doc<'a> {
        &self.doc
    }

    /// The hash of clause `i`, computed once.
    fn hash(&self, i: usize) -> &str {
        let cells = self
            .hashes
            .get_or_init(|| (0..self.doc.tree.clauses.len()).map(|_| OnceCell::new()).collect());
        cells[i].get_or_init(|| clause_hash(&self.doc, i))
    }

    /// The clauses whose hash is `h`.
    fn with_hash(&self, h: &str) -> Vec<usize> {
        let by_hash = self.by_hash.get_or_init(|| {
            let mut m: HashMap<String, Vec<usize>> = HashMap::new();
            for i in 0..self.doc.tree.clauses.len() {
                m.entry(self.hash(i).to_string()).or_default().push(i);
            }
            m
        });
        by_hash.get(h).cloned().unwrap_or_default()
    }

    fn words(&self) -> &[Word] {
        self.words.get_or_init(|| words(self.doc.content))
    }

    /// Where each word occurs (by its position in [`Placer::words`]).
    fn index(&self) -> &HashMap<String, Vec<usize>> {
        self.index.get_or_init(|| {
            let mut m: HashMap<String, Vec<usize>> = HashMap::new();
            for (k, w) in self.words().iter().enumerate() {
                m.entry(w.text.clone()).or_default().push(k);
            }
            m
        })
    }

    /// Where `anchor`, written on this version, is in its current text.
    pub fn place(&self, anchor: &Anchor) -> Resolution {
        let doc = &self.doc;
        let hint = find_clause(doc.tree, &anchor.clause);
        // The clause the anchor's id names (in any spelling of it).
        let same_id = |j: usize| hint == Some(j);
        // 1. The clause is unchanged under its id.
        if let (Some(i), Some(h)) = (hint, &anchor.clause_sha256)
            && self.hash(i) == h
        {
            let state = if same_id(i) { AnchorState::Exact } else { AnchorState::Moved };
            return self.in_clause(i, anchor, state);
        }
        // 2. The same text under another id (renumbered, or displaced by an insertion).
        if let Some(h) = &anchor.clause_sha256 {
            let same = self.with_hash(h);
            if let Some(&j) = self.choose(&same, anchor) {
                let state = if same_id(j) { AnchorState::Exact } else { AnchorState::Moved };
                return self.in_clause(j, anchor, state);
            }
        }
        // 2b. No hash was recorded (an anchor written by hand): the clause its id names is
        // taken as the one it was written on, if its passage is there.
        if anchor.clause_sha256.is_none()
            && let Some(i) = hint
            && anchor
                .quote
                .as_deref()
                .is_none_or(|q| find_quote_in_clause(doc, i, q, anchor).is_some())
        {
            return self.in_clause(i, anchor, AnchorState::Exact);
        }
        // 3. The clause changed: its words say where it went. The passage (with its context)
        // for a thread on a passage, else the clause's first words.
        let hint_range = hint.map(|i| self.clause_range(i));
        if let Some(q) = anchor.quote.as_deref() {
            let Some((range, score)) = self.search(
                q,
                anchor.prefix.as_deref(),
                anchor.suffix.as_deref(),
                hint_range.clone(),
            ) else {
                return Resolution::orphaned();
            };
            let Some(j) = self.holding(&range, &anchor.clause) else {
                return Resolution::orphaned();
            };
            let state = if same_id(j) { AnchorState::Changed } else { AnchorState::Moved };
            return found(doc, j, state, score, Some(range));
        }
        if let Some(start) = anchor.clause_start.as_deref() {
            let Some((range, score)) = self.search(start, None, None, hint_range) else {
                return Resolution::orphaned();
            };
            let Some(j) = self.starting(&range, &anchor.clause) else {
                return Resolution::orphaned();
            };
            let state = if same_id(j) { AnchorState::Changed } else { AnchorState::Moved };
            return found(doc, j, state, score.min(1.0), None);
        }
        // 4. Nothing but the id (an anchor written by hand, or by an older lrw). It counts
        // only while the file is the one the review recorded.
        match hint {
            Some(i) if anchor.clause_sha256.is_none() => {
                let state = if same_id(i) { AnchorState::Exact } else { AnchorState::Moved };
                found(doc, i, state, 1.0, None)
            }
            Some(i) if !self.text_changed => found(doc, i, AnchorState::Changed, 1.0, None),
            _ => Resolution::orphaned(),
        }
    }

    /// A place found for the whole clause `i`: the quote is looked for inside it.
    fn in_clause(&self, i: usize, anchor: &Anchor, mut state: AnchorState) -> Resolution {
        let Some(q) = anchor.quote.as_deref() else { return found(&self.doc, i, state, 1.0, None) };
        match find_quote_in_clause(&self.doc, i, q, anchor) {
            Some((range, score)) => {
                if score < 1.0 && state == AnchorState::Exact {
                    state = AnchorState::Changed;
                }
                found(&self.doc, i, state, score, Some(range))
            }
            None => {
                if state == AnchorState::Exact {
                    state = AnchorState::Changed;
                }
                found(&self.doc, i, state, 1.0, None)
            }
        }
    }

    /// Among clauses with the same text, the one holding the quote with its context, else
    /// the one whose id the anchor names, else the first.
    fn choose<'c>(&self, same: &'c [usize], anchor: &Anchor) -> Option<&'c usize> {
        if same.len() > 1
            && let Some(q) = anchor.quote.as_deref()
            && let Some((r, _)) =
                self.search(q, anchor.prefix.as_deref(), anchor.suffix.as_deref(), None)
            && let Some(j) = same.iter().find(|&&j| self.clause_range(j).contains(&r.start))
        {
            return Some(j);
        }
        same.iter().find(|&&j| self.doc.tree.clauses[j].id == anchor.clause).or(same.first())
    }

    /// Byte range of clause `i` (with its subtree) in the content.
    fn clause_range(&self, i: usize) -> Range<usize> {
        let text = self.doc.tree.text(i, self.doc.content);
        let start = text.as_ptr() as usize - self.doc.content.as_ptr() as usize;
        start..start + text.len()
    }

    /// 1-based line holding byte `pos`.
    fn line_of(&self, pos: usize) -> usize {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.doc.content.as_bytes()).map(|i| i + 1))
                .collect()
        });
        starts.partition_point(|&s| s <= pos)
    }

    /// The clause holding `range`, at the level of the id the thread was written on.
    fn holding(&self, range: &Range<usize>, id: &str) -> Option<usize> {
        let tree = self.doc.tree;
        let deepest = tree.at_line(self.line_of(range.start))?;
        let want = id_depth(id);
        let mut j = deepest;
        loop {
            let c = &tree.clauses[j];
            if c.depth <= want {
                return Some(j);
            }
            match c.parent {
                Some(p) => j = p,
                None => return Some(deepest),
            }
        }
    }

    /// The clause that begins with the words at `range` (its first words were found there),
    /// at the level of the id the thread was written on.
    fn starting(&self, range: &Range<usize>, id: &str) -> Option<usize> {
        let tree = self.doc.tree;
        let line = self.line_of(range.start);
        let starts: Vec<usize> =
            (0..tree.clauses.len()).filter(|&j| tree.clauses[j].line_start == line).collect();
        let want = id_depth(id);
        starts
            .iter()
            .copied()
            .min_by_key(|&j| tree.clauses[j].depth.abs_diff(want))
            .or_else(|| self.holding(range, id))
    }

    /// `quote` in the whole text (see [`find_quote`]); among equally good places, one inside
    /// `prefer` (the clause the id names) wins.
    fn search(
        &self,
        quote: &str,
        prefix: Option<&str>,
        suffix: Option<&str>,
        prefer: Option<Range<usize>>,
    ) -> Option<(Range<usize>, f64)> {
        let q = words(quote);
        let t = self.words();
        let k = q.len();
        if k == 0 || t.len() < k {
            return None;
        }
        let starts = self.index().get(&q[0].text).map(Vec::as_slice).unwrap_or_default();
        let exact: Vec<usize> = starts
            .iter()
            .copied()
            .filter(|&s| s + k <= t.len() && (0..k).all(|n| t[s + n].text == q[n].text))
            .collect();
        if !exact.is_empty() {
            let inside = |s: usize| prefer.as_ref().is_some_and(|p| p.contains(&t[s].span.start));
            let best = best_in_context(t, &exact, k, prefix, suffix, inside)?;
            return Some((t[best].span.start..t[best + k - 1].span.end, 1.0));
        }
        approximate(t, &q)
    }
}

/// Resolve an anchor in the version it was written on, its text assumed to be the one the
/// review recorded. See [`Placer::place`].
pub fn resolve_in_place(anchor: &Anchor, doc: &Doc<'_>) -> Resolution {
    Placer::new(*doc, false).place(anchor)
}

/// Resolve an anchor written on `from` (the text of `anchor.version`) in another version `to`.
/// To resolve many anchors between the same two versions, build a [`Resolver`] once.
pub fn resolve_anchor(anchor: &Anchor, from: &Doc<'_>, to: &Doc<'_>) -> Resolution {
    let (from, to) = (Placer::new(*from, false), Placer::new(*to, false));
    let pairs = align(from.doc(), to.doc());
    Resolver::new(&from, &to, &pairs).resolve(anchor)
}

/// Lowest share of shared three-word runs for the fallback match (see [`Resolver`]).
pub const SHINGLE_MIN: f64 = 0.35;
/// A clause needs this many three-word runs to be matched by the fallback.
pub const SHINGLE_MIN_COUNT: usize = 8;

/// Resolves anchors from one version into another, computing the clause alignment once.
///
/// A clause's place in the other version is, first, its partner in the clause alignment of
/// `lrw diff` ([`crate::diff::align()`]), if they are similar enough
/// (similarity ≥ [`crate::diff::align::PAIR_MIN`], or ≥ [`crate::diff::align::SAME_ID_MIN`]
/// under the same id). The alignment pairs clauses one to one, so a clause merged into
/// another, or a section whose content moved into its heading's paragraph, is left over;
/// for those, the clause whose whole text shares most three-word runs with this clause's whole
/// text is taken, if at least [`SHINGLE_MIN`] of the runs of either one are shared and both
/// have [`SHINGLE_MIN_COUNT`] runs (so `3.1` and `3.2` merged into `3` both go to `3`). Runs of three words, rather than
/// single words, keep common words (`the Licensed Materials`) from making unrelated clauses
/// look alike.
pub struct Resolver<'p, 'a> {
    from: &'p Placer<'a>,
    to: &'p Placer<'a>,
    pairs: &'p [crate::diff::ClausePair],
    /// The pairs (indices into `pairs`) of each clause of `from`, made when first needed.
    by_left: OnceCell<HashMap<usize, Vec<usize>>>,
    /// Three-word runs of every clause of `to`, computed the first time they are needed.
    to_runs: OnceCell<Vec<HashSet<u64>>>,
}

impl<'p, 'a> Resolver<'p, 'a> {
    /// A resolver from the version placed by `from` into the one placed by `to`, whose
    /// clauses `pairs` pairs (the clause alignment: the same pairs every view shows).
    pub fn new(
        from: &'p Placer<'a>,
        to: &'p Placer<'a>,
        pairs: &'p [crate::diff::ClausePair],
    ) -> Resolver<'p, 'a> {
        Resolver { from, to, pairs, by_left: OnceCell::new(), to_runs: OnceCell::new() }
    }

    /// Where `anchor` (written on the `from` version) is in the `to` version.
    pub fn resolve(&self, anchor: &Anchor) -> Resolution {
        let to = self.to;
        let here = self.from.place(anchor);
        let elsewhere = |q: &str| {
            let (range, score) =
                to.search(q, anchor.prefix.as_deref(), anchor.suffix.as_deref(), None)?;
            let j = to.holding(&range, &anchor.clause)?;
            Some((j, range, score))
        };
        let Some(i) = here.index else {
            // Not even in its own text; a quote may still be found in the other one.
            return match anchor.quote.as_deref().and_then(elsewhere) {
                Some((j, range, score)) => {
                    let same = to.doc.tree.clauses[j].id == anchor.clause;
                    let state = if same { AnchorState::Changed } else { AnchorState::Moved };
                    found(&to.doc, j, state, score, Some(range))
                }
                None => Resolution::orphaned(),
            };
        };
        let from_id = &self.from.doc.tree.clauses[i].id;
        let relative = |j: usize| {
            if to.doc.tree.clauses[j].id == *from_id {
                AnchorState::Changed
            } else {
                AnchorState::Moved
            }
        };
        let target = self.partner(i).or_else(|| self.by_runs(i));

        if let Some((j, similarity, unchanged)) = target {
            let same_id = to.doc.tree.clauses[j].id == *from_id;
            let mut state = if !same_id {
                AnchorState::Moved
            } else if unchanged && here.state == AnchorState::Exact {
                AnchorState::Exact
            } else {
                AnchorState::Changed
            };
            let mut quote = None;
            if let Some(q) = anchor.quote.as_deref() {
                match find_quote_in_clause(&to.doc, j, q, anchor) {
                    Some((range, score)) => {
                        if score < 1.0 && state == AnchorState::Exact {
                            state = AnchorState::Changed;
                        }
                        quote = Some(range);
                    }
                    None => {
                        if let Some((k, range, score)) = elsewhere(q)
                            && score >= similarity
                        {
                            return found(&to.doc, k, relative(k), score, Some(range));
                        }
                        if state == AnchorState::Exact {
                            state = AnchorState::Changed;
                        }
                    }
                }
            }
            return found(&to.doc, j, state, similarity, quote);
        }
        if let Some((k, range, score)) = anchor.quote.as_deref().and_then(elsewhere) {
            return found(&to.doc, k, relative(k), score, Some(range));
        }
        Resolution::orphaned()
    }

    /// The alignment's partner of clause `i`: (index, similarity, unchanged).
    fn partner(&self, i: usize) -> Option<(usize, f64, bool)> {
        use crate::diff::align::{PAIR_MIN, SAME_ID_MIN};
        let (from, to) = (&self.from.doc, &self.to.doc);
        let by_left = self.by_left.get_or_init(|| {
            let mut m: HashMap<usize, Vec<usize>> = HashMap::new();
            for (k, p) in self.pairs.iter().enumerate() {
                if let Some(l) = p.left {
                    m.entry(l).or_default().push(k);
                }
            }
            m
        });
        by_left
            .get(&i)
            .into_iter()
            .flatten()
            .map(|&k| &self.pairs[k])
            .filter_map(|p| Some((p.left?, p.right?, p)))
            .filter(|(l, r, p)| {
                let same_id = from.tree.clauses[*l].id == to.tree.clauses[*r].id;
                p.similarity >= PAIR_MIN || (same_id && p.similarity >= SAME_ID_MIN)
            })
            .max_by(|a, b| a.2.similarity.total_cmp(&b.2.similarity))
            .map(|(_, r, p)| {
                let unchanged =
                    p.status == ClauseStatus::Unchanged && self.from.hash(i) == self.to.hash(r);
                (r, p.similarity, unchanged)
            })
    }

    /// The fallback: the clause sharing most three-word runs with clause `i`'s whole text.
    fn by_runs(&self, i: usize) -> Option<(usize, f64, bool)> {
        let mine = runs(clause_body(&self.from.doc, i));
        let mut best: Option<(f64, usize)> = None;
        let to = &self.to.doc;
        let to_runs = self
            .to_runs
            .get_or_init(|| (0..to.tree.clauses.len()).map(|j| runs(clause_body(to, j))).collect());
        for (j, theirs) in to_runs.iter().enumerate() {
            if mine.len().min(theirs.len()) < SHINGLE_MIN_COUNT {
                continue;
            }
            let shared = mine.intersection(theirs).count() as f64;
            let score = (shared / mine.len() as f64).max(shared / theirs.len() as f64);
            // Ties go to the later clause in document order: the deeper, smaller one.
            if score >= SHINGLE_MIN && best.is_none_or(|(b, _)| score >= b) {
                best = Some((score, j));
            }
        }
        best.map(|(score, j)| (j, score, false))
    }
}

fn found(
    doc: &Doc<'_>,
    i: usize,
    state: AnchorState,
    score: f64,
    quote: Option<Range<usize>>,
) -> Resolution {
    Resolution {
        state,
        clause: Some(doc.tree.clauses[i].id.clone()),
        index: Some(i),
        score: (score * 100.0).round() / 100.0,
        quote,
    }
}

/// The clause alignment of `lrw diff` ([`crate::diff::align()`], on a text's content).
pub fn align(from: &Doc<'_>, to: &Doc<'_>) -> Vec<crate::diff::ClausePair> {
    let units = |d: &Doc<'_>| {
        crate::diff::units(&crate::diff::Lines::new(d.content), &crate::diff::spans(d.tree))
    };
    align_units(&units(from), &units(to))
}

/// The set of three-word runs of a text (lower-cased words, punctuation ignored).
/// (Hashed, to keep the sets of long texts small.)
fn runs(s: &str) -> HashSet<u64> {
    use std::hash::{Hash, Hasher};
    let w = words(s);
    w.windows(3)
        .map(|x| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&x[0].text, &x[1].text, &x[2].text).hash(&mut h);
            h.finish()
        })
        .collect()
}

/// The quote inside clause `i` (its whole subtree), with its byte range in the content.
fn find_quote_in_clause(
    doc: &Doc<'_>,
    i: usize,
    quote: &str,
    anchor: &Anchor,
) -> Option<(Range<usize>, f64)> {
    let text = doc.tree.text(i, doc.content);
    let offset = text.as_ptr() as usize - doc.content.as_ptr() as usize;
    let (r, score) = find_quote(text, quote, anchor.prefix.as_deref(), anchor.suffix.as_deref())?;
    Some((r.start + offset..r.end + offset, score))
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    span: Range<usize>,
}

/// Words: runs of letters and digits, lower-cased, with their byte spans. Punctuation, quote
/// styles, line breaks and case do not matter when finding a passage again.
fn words(s: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(st) = start.take() {
            out.push(Word { text: s[st..i].to_lowercase(), span: st..i });
        }
    }
    if let Some(st) = start {
        out.push(Word { text: s[st..].to_lowercase(), span: st..s.len() });
    }
    out
}

/// Find `quote` in `text`: every exact occurrence (by words) is scored by how well its
/// surroundings match `prefix` and `suffix`; without one, the window of the quote's length
/// sharing most words with it, if it shares at least [`QUOTE_MIN`] of them. Returns the byte
/// range in `text` and a score (1.0 for an exact match).
pub fn find_quote(
    text: &str,
    quote: &str,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Option<(Range<usize>, f64)> {
    let q = words(quote);
    let t = words(text);
    let k = q.len();
    if k == 0 || t.len() < k {
        return None;
    }
    let exact: Vec<usize> =
        (0..=t.len() - k).filter(|&s| (0..k).all(|n| t[s + n].text == q[n].text)).collect();
    if !exact.is_empty() {
        let best = best_in_context(&t, &exact, k, prefix, suffix, |_| false)?;
        return Some((t[best].span.start..t[best + k - 1].span.end, 1.0));
    }
    approximate(&t, &q)
}

/// Among exact occurrences (word positions) of a `k`-word quote, the one whose surroundings
/// best match `prefix` and `suffix`; among equals, one that is `preferred`, then the first.
fn best_in_context(
    t: &[Word],
    exact: &[usize],
    k: usize,
    prefix: Option<&str>,
    suffix: Option<&str>,
    preferred: impl Fn(usize) -> bool,
) -> Option<usize> {
    let pre = prefix.map(words).unwrap_or_default();
    let suf = suffix.map(words).unwrap_or_default();
    let context = |s: usize| {
        let before =
            pre.iter().rev().zip(t[..s].iter().rev()).take_while(|(a, b)| a.text == b.text).count();
        let after = suf.iter().zip(t[s + k..].iter()).take_while(|(a, b)| a.text == b.text).count();
        before + after
    };
    exact.iter().copied().max_by_key(|&s| (context(s), preferred(s), std::cmp::Reverse(s)))
}

/// The window of the quote's length sharing most words with it, if it shares at least
/// [`QUOTE_MIN`] of them, trimmed to words of the quote.
fn approximate(t: &[Word], q: &[Word]) -> Option<(Range<usize>, f64)> {
    let k = q.len();
    let mut want: HashMap<&str, i64> = HashMap::new();
    for w in q {
        *want.entry(w.text.as_str()).or_default() += 1;
    }
    let mut have: HashMap<&str, i64> = HashMap::new();
    let mut common: i64 = 0;
    let mut best: Option<(i64, usize)> = None;
    for (n, w) in t.iter().enumerate() {
        let c = have.entry(w.text.as_str()).or_default();
        if *c < *want.get(w.text.as_str()).unwrap_or(&0) {
            common += 1;
        }
        *c += 1;
        if n >= k {
            let old = t[n - k].text.as_str();
            let c = have.entry(old).or_default();
            *c -= 1;
            if *c < *want.get(old).unwrap_or(&0) {
                common -= 1;
            }
        }
        if n + 1 >= k && best.is_none_or(|(b, _)| common > b) {
            best = Some((common, n + 1 - k));
        }
    }
    let (common, start) = best?;
    let score = common as f64 / k as f64;
    if score < QUOTE_MIN {
        return None;
    }
    // Trim window ends that are not words of the quote.
    let mut s = start;
    let mut e = start + k - 1;
    while s < e && !want.contains_key(t[s].text.as_str()) {
        s += 1;
    }
    while e > s && !want.contains_key(t[e].text.as_str()) {
        e -= 1;
    }
    Some((t[s].span.start..t[e].span.end, (score * 100.0).round() / 100.0))
}

/// A new anchor on clause `i` of `version`, optionally on the passage `passage` (a byte
/// range in the content) with context on both sides; records the clause's hash.
pub fn make_anchor(
    version: &str,
    doc: &Doc<'_>,
    i: usize,
    passage: Option<Range<usize>>,
) -> Anchor {
    let mut a = Anchor::clause(version, &doc.tree.clauses[i].id);
    a.clause_sha256 = Some(clause_hash(doc, i));
    a.clause_start = clause_start(doc, i);
    if let Some(r) = passage
        && r.start < r.end
        && r.end <= doc.content.len()
        && doc.content.is_char_boundary(r.start)
        && doc.content.is_char_boundary(r.end)
    {
        set_quote(&mut a, doc.content, r);
    }
    a
}

/// The anchor moved to where `res` found it in `to` (version id `to_version`). An orphaned
/// resolution leaves the anchor as it was: the thread keeps pointing at its old place.
pub fn moved_anchor(anchor: &Anchor, res: &Resolution, to_version: &str, to: &Doc<'_>) -> Anchor {
    let Some(j) = res.index else { return anchor.clone() };
    let mut a = anchor.clone();
    a.version = to_version.to_string();
    a.clause = to.tree.clauses[j].id.clone();
    a.clause_sha256 = Some(clause_hash(to, j));
    a.clause_start = clause_start(to, j);
    if let Some(r) = &res.quote {
        set_quote(&mut a, to.content, r.clone());
    }
    a
}

fn set_quote(a: &mut Anchor, content: &str, r: Range<usize>) {
    a.quote = Some(content[r.clone()].to_string());
    let before = &content[..r.start];
    let cut = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
    a.prefix = Some(before[cut..].to_string()).filter(|s| !s.is_empty());
    let after = &content[r.end..];
    let cut = after.char_indices().nth(CONTEXT_CHARS).map_or(after.len(), |(i, _)| i);
    a.suffix = Some(after[..cut].to_string()).filter(|s| !s.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_across_line_breaks_case_and_punctuation() {
        let text = "(b) If you distribute a collection of\nOutput as a dataset, you shall";
        let (r, score) =
            find_quote(text, "a collection of Output as a dataset", None, None).unwrap();
        assert_eq!(&text[r], "a collection of\nOutput as a dataset");
        assert_eq!(score, 1.0);
        let (r, _) = find_quote(text, "DISTRIBUTE a “collection”", None, None).unwrap();
        assert_eq!(&text[r], "distribute a collection");
    }

    #[test]
    fn prefix_and_suffix_choose_between_occurrences() {
        let text =
            "the Model may be used. Output of the Model may be shared. the Model may be sold.";
        let (r, _) =
            find_quote(text, "the Model may be", Some("Output of "), Some(" shared")).unwrap();
        assert_eq!(r.start, text.find("the Model may be shared").unwrap());
        let (r, _) = find_quote(text, "the Model may be", None, Some(" sold")).unwrap();
        assert_eq!(r.start, text.rfind("the Model").unwrap());
    }

    #[test]
    fn approximate_quotes_need_most_of_their_words() {
        let text = "you must attach to it a notice that it was generated with the Model";
        let (r, score) =
            find_quote(text, "you shall attach to it a notice that it was made", None, None)
                .unwrap();
        assert_eq!(&text[r], "you must attach to it a notice that it was");
        assert_eq!(score, 0.82); // 9 of the 11 words
        assert!(
            find_quote(text, "an entirely different sentence about patents here", None, None)
                .is_none()
        );
        assert!(find_quote("", "x", None, None).is_none());
        assert!(find_quote("text", "", None, None).is_none());
    }

    #[test]
    fn context_is_cut_at_character_boundaries() {
        let content = "é".repeat(40) + "QUOTE" + &"ü".repeat(40);
        let mut a = Anchor::clause("v", "1");
        let start = content.find("QUOTE").unwrap();
        set_quote(&mut a, &content, start..start + 5);
        assert_eq!(a.quote.as_deref(), Some("QUOTE"));
        assert_eq!(a.prefix.as_deref(), Some("é".repeat(32).as_str()));
        assert_eq!(a.suffix.as_deref(), Some("ü".repeat(32).as_str()));
    }
}

//! Aligning the clauses of two texts, reading as little as the edits allow.
//!
//! Between two versions of a long license most clauses are untouched. A clause whose id and
//! whole text (its own text and its sub-clauses', without labels) are the same on both sides,
//! in the same order, is paired as unchanged straight away: a sequence diff of exact
//! fingerprints finds those. Texts small enough to compare every clause with every other
//! (which also finds splits and merges) then read every clause word by word. Larger texts read
//! word by word only the unanchored clauses' own text; the anchored sub-clauses inside them
//! are only counted and hashed, once for both sides (see [`Side`]). A text against a copy with
//! a few edits thus costs little more than hashing it once.

use std::hash::{DefaultHasher, Hasher};
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::ClauseSpan;
use super::align::{self, ClausePair, Entry};
use super::bag::WordBag;
use super::lines::Lines;
use crate::text::is_paragraph_id;

/// How long the search for anchors may take.
const ANCHOR_DEADLINE: Duration = Duration::from_secs(1);

/// Where each clause's own text lies (byte range after its label, up to its first
/// sub-clause) and which clauses are its children.
struct Layout {
    own: Vec<Range<usize>>,
    children: Vec<Vec<usize>>,
}

fn layout(lines: &Lines, spans: &[ClauseSpan]) -> Layout {
    let n = lines.len();
    let own = spans
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let a = s.line_start.saturating_sub(1).min(n);
            let end = s.line_end.min(n).max(a);
            let own_end = match spans.get(k + 1) {
                Some(c) if c.parent == Some(k) => c.line_start.saturating_sub(1).clamp(a, end),
                _ => end,
            };
            let span = lines.span(a..own_end);
            let text = &lines.text[span.clone()];
            let lead = text.len() - text.trim_start().len();
            let label = if text[lead..].starts_with(s.label.as_str()) { s.label.len() } else { 0 };
            (span.start + lead + label).min(span.end)..span.end
        })
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); spans.len()];
    for (k, s) in spans.iter().enumerate() {
        if let Some(p) = s.parent.filter(|&p| p < k) {
            children[p].push(k);
        }
    }
    Layout { own, children }
}

/// Exact fingerprint of each clause: its id, its own text and its children's fingerprints.
/// Equal fingerprints mean the same clause with the same text, down to the last sub-clause
/// (but for a 64-bit hash collision, which [`anchors`] rules out for the clause itself).
fn fingerprints(text: &str, spans: &[ClauseSpan], lay: &Layout) -> Vec<u64> {
    let mut fp = vec![0u64; spans.len()];
    for k in (0..spans.len()).rev() {
        let mut h = DefaultHasher::new();
        if !is_paragraph_id(&spans[k].id) {
            h.write(spans[k].id.as_bytes());
        }
        h.write_u8(0xff);
        // Reading a text depends on whether it opens a line (a bullet there is dropped), so
        // equal fingerprints mean equal words too.
        h.write_u8(u8::from(opens_line(text, &lay.own[k])));
        h.write(&text.as_bytes()[lay.own[k].clone()]);
        for &c in &lay.children[k] {
            h.write_u64(fp[c]);
        }
        fp[k] = h.finish();
    }
    fp
}

/// Whether `span` of `text` starts a line.
fn opens_line(text: &str, span: &Range<usize>) -> bool {
    span.start == 0 || text.as_bytes()[span.start - 1] == b'\n'
}

/// Pairs of clauses that are the same on both sides and in the same order. The sequence diff
/// has a deadline (texts crafted to make it slow get fewer anchors, and so a slower but
/// equally right alignment).
fn anchors(
    l: (&str, &[ClauseSpan], &Layout),
    r: (&str, &[ClauseSpan], &Layout),
) -> Vec<(usize, usize)> {
    let (lf, rf) = (fingerprints(l.0, l.1, l.2), fingerprints(r.0, r.1, r.2));
    let mut out = Vec::new();
    let deadline = Instant::now() + ANCHOR_DEADLINE;
    for op in capture_diff_slices_deadline(
        Algorithm::Myers,
        &lf,
        &rf,
        super::options::deadline_for(lf.len(), rf.len(), deadline),
    ) {
        if let DiffOp::Equal { old_index, new_index, len } = op {
            for k in 0..len {
                let (i, j) = (old_index + k, new_index + k);
                let (lo, ro) = (&l.2.own[i], &r.2.own[j]);
                let (li, ri) = (&l.1[i].id, &r.1[j].id);
                let same = (li == ri || is_paragraph_id(li) && is_paragraph_id(ri))
                    && l.0.as_bytes()[lo.clone()] == r.0.as_bytes()[ro.clone()]
                    && opens_line(l.0, lo) == opens_line(r.0, ro);
                if same {
                    out.push((i, j));
                }
            }
        }
    }
    out
}

/// Word bags and normalised-text hashes of every clause's whole subtree, each line read once
/// (a clause's from its own text and its children's).
fn read_subtrees(text: &str, lay: &Layout) -> Vec<Option<(WordBag, u64)>> {
    let mut out: Vec<Option<(WordBag, u64)>> = vec![None; lay.own.len()];
    for k in (0..lay.own.len()).rev() {
        let (own_bag, own_hash) = align::bag_and_hash(text, lay.own[k].clone());
        let children: Vec<&(WordBag, u64)> =
            lay.children[k].iter().filter_map(|&c| out[c].as_ref()).collect();
        if children.is_empty() {
            out[k] = Some((own_bag, own_hash));
            continue;
        }
        let bags: Vec<&WordBag> =
            std::iter::once(&own_bag).chain(children.iter().map(|w| &w.0)).collect();
        let hash =
            align::combine_hashes(std::iter::once(own_hash).chain(children.iter().map(|w| w.1)));
        out[k] = Some((WordBag::union(&bags), hash));
    }
    out
}

/// Pair the clauses of two texts (indices into `ls` / `rs`), by the rules of
/// [`super::align`].
pub(crate) fn align_spans(
    l: &Lines,
    ls: &[ClauseSpan],
    r: &Lines,
    rs: &[ClauseSpan],
) -> Vec<ClausePair> {
    let bytes = l.text.len() + r.text.len();
    let (llay, rlay) = super::both_for(bytes, || layout(l, ls), || layout(r, rs));
    let anchors = anchors((l.text, ls, &llay), (r.text, rs, &rlay));
    // Texts small enough to compare each clause with each (see [`align::MAX_COMPARISONS`])
    // also look for splits and merges, where any clause may hold an unpaired one: read them
    // all. Larger texts read only what is not anchored.
    let small = ls.len().saturating_mul(rs.len()) <= align::MAX_COMPARISONS;
    if !small {
        return align_large(l, (ls, &llay), r, (rs, &rlay), &anchors);
    }
    let (lw, rw) =
        super::both_for(bytes, || read_subtrees(l.text, &llay), || read_subtrees(r.text, &rlay));
    align::align_anchored(&entries(ls, &lw), &entries(rs, &rw), &anchors)
}

/// One side of a large text, read as the comparisons need it.
///
/// Only the unanchored clauses are compared, and only with clauses of the same id or the same
/// text, mostly their own counterparts. An unanchored clause is its own text, its unanchored
/// sub-clauses and its anchored ones; an anchored sub-clause has the very words of its
/// partner, so when that partner lies inside the clause compared with, the words count as
/// shared without being read: `common(S+X, S+Y) = |S| + common(X, Y)`. Anchored sub-clauses
/// are only counted and hashed (from one side, as both are the same), and read word by word
/// only when a comparison needs them.
struct Side<'a> {
    text: &'a str,
    spans: &'a [ClauseSpan],
    lay: &'a Layout,
    /// The partner of each anchored clause on the other side.
    partner: Vec<Option<usize>>,
    /// Word count and normalised-text hash of each outermost anchored clause's subtree.
    counted: Vec<Option<(usize, u64)>>,
    /// Word bags of anchored subtrees, read on demand.
    read: Vec<std::sync::OnceLock<WordBag>>,
}

impl<'a> Side<'a> {
    fn new(text: &'a str, spans: &'a [ClauseSpan], lay: &'a Layout) -> Self {
        Side {
            text,
            spans,
            lay,
            partner: vec![None; spans.len()],
            counted: vec![None; spans.len()],
            read: (0..spans.len()).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    /// The words of clause `k`'s whole subtree.
    fn subtree_bag(&self, k: usize) -> &WordBag {
        self.read[k].get_or_init(|| {
            let mut bags = vec![align::bag_and_hash(self.text, self.lay.own[k].clone()).0];
            bags.extend(self.lay.children[k].iter().map(|&c| self.subtree_bag(c).clone()));
            WordBag::union(&bags.iter().collect::<Vec<_>>())
        })
    }

    /// Word count and hash of clause `k`'s whole subtree, reading it.
    fn count_subtree(&self, k: usize) -> (usize, u64) {
        let (mut n, own) = align::count_and_hash(self.text, self.lay.own[k].clone());
        let mut hashes = vec![own];
        for &c in &self.lay.children[k] {
            let (cn, ch) = self.count_subtree(c);
            n += cn;
            hashes.push(ch);
        }
        if hashes.len() == 1 { (n, own) } else { (n, align::combine_hashes(hashes)) }
    }
}

/// An unanchored clause of a large text, as [`Side`] reads it.
struct Lazy<'a> {
    /// The words of the unanchored clauses of its subtree (itself included).
    own: WordBag,
    /// The outermost anchored clauses inside it, in order.
    anchored: Vec<usize>,
    total: usize,
    side: &'a Side<'a>,
}

impl align::Bag for Lazy<'_> {
    fn total(&self) -> usize {
        self.total
    }

    fn common(&self, other: &Self) -> u32 {
        // Anchored sub-clauses whose partners are inside `other` (partners are in order).
        let (a, b) = (&self.anchored, &other.anchored);
        let (mut x, mut y, mut shared) = (0, 0, 0usize);
        let (mut a_rest, mut b_rest) = (Vec::new(), Vec::new());
        while x < a.len() || y < b.len() {
            let pa = a.get(x).map(|&k| self.side.partner[k].unwrap_or(usize::MAX));
            match (pa, b.get(y)) {
                (Some(p), Some(&q)) if p == q => {
                    shared += self.side.counted[a[x]].map_or(0, |c| c.0);
                    x += 1;
                    y += 1;
                }
                (Some(p), Some(&q)) if p < q => {
                    a_rest.push(a[x]);
                    x += 1;
                }
                (Some(_), None) => {
                    a_rest.push(a[x]);
                    x += 1;
                }
                _ => {
                    b_rest.push(b[y]);
                    y += 1;
                }
            }
        }
        let shared = u32::try_from(shared).unwrap_or(u32::MAX);
        if a_rest.is_empty() && b_rest.is_empty() {
            return shared + self.own.common(&other.own);
        }
        let whole = |bag: &WordBag, side: &Side, rest: &[usize]| {
            let mut parts = vec![bag];
            parts.extend(rest.iter().map(|&k| side.subtree_bag(k)));
            WordBag::union(&parts)
        };
        shared
            + whole(&self.own, self.side, &a_rest).common(&whole(&other.own, other.side, &b_rest))
    }
}

/// [`align_spans`] for texts too large to compare every clause with every other: reads only
/// the unanchored clauses' own text (see [`Side`]).
fn align_large<'a>(
    l: &Lines<'a>,
    (ls, llay): (&'a [ClauseSpan], &'a Layout),
    r: &Lines<'a>,
    (rs, rlay): (&'a [ClauseSpan], &'a Layout),
    anchors: &[(usize, usize)],
) -> Vec<ClausePair> {
    let (mut left, mut right) = (Side::new(l.text, ls, llay), Side::new(r.text, rs, rlay));
    for &(i, j) in anchors {
        left.partner[i] = Some(j);
        right.partner[j] = Some(i);
    }
    // The outermost anchored clauses inside unanchored ones, counted on the left and given
    // to their partners when those are outermost too.
    let outermost = |s: &Side, k: usize| {
        s.partner[k].is_some() && s.spans[k].parent.is_some_and(|p| s.partner[p].is_none())
    };
    for i in 0..ls.len() {
        if outermost(&left, i) {
            left.counted[i] = Some(left.count_subtree(i));
        }
    }
    for j in 0..rs.len() {
        if outermost(&right, j) {
            let from_left = right.partner[j].and_then(|i| left.counted[i]);
            right.counted[j] = Some(from_left.unwrap_or_else(|| right.count_subtree(j)));
        }
    }
    let bytes = l.text.len() + r.text.len();
    let (lw, rw) = super::both_for(bytes, || lazy_words(&left), || lazy_words(&right));
    align::align_anchored(&entries(ls, &lw), &entries(rs, &rw), anchors)
}

/// The words of each unanchored clause of a side, bottom up (a clause from its children).
fn lazy_words<'a>(side: &'a Side<'a>) -> Vec<Option<(Lazy<'a>, u64)>> {
    let n = side.spans.len();
    let mut out: Vec<Option<(Lazy, u64)>> = (0..n).map(|_| None).collect();
    for k in (0..n).rev() {
        if side.partner[k].is_some() {
            continue;
        }
        let (own_bag, own_hash) = align::bag_and_hash(side.text, side.lay.own[k].clone());
        let mut total = own_bag.total();
        let mut hashes = vec![own_hash];
        let mut anchored = Vec::new();
        let mut bags = vec![&own_bag];
        for &c in &side.lay.children[k] {
            if let Some((child, hash)) = &out[c] {
                total += child.total;
                hashes.push(*hash);
                anchored.extend_from_slice(&child.anchored);
                bags.push(&child.own);
            } else if let Some((count, hash)) = side.counted[c] {
                total += count;
                hashes.push(hash);
                anchored.push(c);
            }
        }
        let hash = if hashes.len() == 1 { own_hash } else { align::combine_hashes(hashes) };
        let own = if bags.len() == 1 { own_bag } else { WordBag::union(&bags) };
        out[k] = Some((Lazy { own, anchored, total, side }, hash));
    }
    out
}

/// What [`align::align_anchored`] needs of each clause: its id and, if read, its words.
fn entries<'a, B>(spans: &'a [ClauseSpan], w: &'a [Option<(B, u64)>]) -> Vec<Entry<'a, B>> {
    spans
        .iter()
        .zip(w)
        .map(|(s, w)| Entry { id: s.id.as_str(), words: w.as_ref().map(|(b, h)| (b, *h)) })
        .collect()
}

/// Every clause read word by word, no anchors: the plain rules on whole texts. Kept to check
/// that [`align_spans`] pairs as they do.
#[cfg(test)]
fn align_spans_fully(
    l: &Lines,
    ls: &[ClauseSpan],
    r: &Lines,
    rs: &[ClauseSpan],
) -> Vec<ClausePair> {
    let prepared = |lines: &Lines, spans: &[ClauseSpan]| -> Vec<align::Prepared> {
        let lay = layout(lines, spans);
        read_subtrees(lines.text, &lay)
            .into_iter()
            .zip(spans)
            .map(|(w, s)| {
                let (bag, hash) = w.unwrap_or_default();
                align::Prepared { id: s.id.clone(), bag, hash }
            })
            .collect()
    };
    align::align_prepared(&prepared(l, ls), &prepared(r, rs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::spans;
    use crate::text::ClauseTree;

    fn both(a: &str, b: &str) -> (Vec<ClausePair>, Vec<ClausePair>) {
        let (l, r) = (Lines::new(a), Lines::new(b));
        let ls = spans(&ClauseTree::parse(a));
        let rs = spans(&ClauseTree::parse(b));
        (align_spans(&l, &ls, &r, &rs), align_spans_fully(&l, &ls, &r, &rs))
    }

    const TEXT: &str = "1. Definitions\n\n1.1 \"Work\" means the model and its weights.\n\n\
        1.2 \"You\" means the person using the Work.\n\n2. Grant\n\n\
        2.1 The Licensor grants You a worldwide license to use the Work.\n\n\
        2.2 You may distribute the Work:\n\n(a) with this License;\n\n\
        (b) crediting the Licensor in any dataset made of its output.\n\n\
        3. Warranty\n\nThe Work is provided as is, without warranties of any kind.\n\n\
        4. Termination\n\nThis License ends if You break it.\n";

    #[test]
    fn an_untouched_text_is_all_anchors() {
        let (fast, full) = both(TEXT, TEXT);
        assert_eq!(fast, full);
        assert!(fast.iter().all(|p| p.status == align::ClauseStatus::Unchanged), "{fast:?}");
        let (l, ls) = (Lines::new(TEXT), spans(&ClauseTree::parse(TEXT)));
        let lay = layout(&l, &ls);
        assert_eq!(anchors((TEXT, &ls, &lay), (TEXT, &ls, &lay)).len(), ls.len());
    }

    #[test]
    fn edits_moves_and_renumbering_pair_as_the_full_rules_do() {
        let variants = [
            TEXT.replace("worldwide", "non-exclusive"),
            TEXT.replace("(b) crediting", "(b) naming"),
            // 3 and 4 swapped, keeping their numbers.
            TEXT.replace(
                "3. Warranty\n\nThe Work is provided as is, without warranties of any kind.\n\n\
                 4. Termination\n\nThis License ends if You break it.\n",
                "3. Termination\n\nThis License ends if You break it.\n\n\
                 4. Warranty\n\nThe Work is provided as is, without warranties of any kind.\n",
            ),
            // A clause inserted: everything after it renumbered.
            TEXT.replace("2. Grant", "2. Scope\n\nThis License covers the Work only.\n\n3. Grant")
                .replace("3. Warranty", "4. Warranty")
                .replace("4. Termination", "5. Termination"),
            TEXT.replace("1.2 \"You\" means the person using the Work.\n\n", ""),
            String::new(),
        ];
        for v in &variants {
            for (a, b) in [(TEXT, v.as_str()), (v.as_str(), TEXT)] {
                let (fast, full) = both(a, b);
                assert_eq!(fast, full, "left:\n{a}\nright:\n{b}");
            }
        }
        // The edit of 2.2(b) leaves its ancestors changed and everything else unchanged.
        let (fast, _) = both(TEXT, &variants[1]);
        let changed: Vec<usize> = fast
            .iter()
            .filter(|p| p.status != align::ClauseStatus::Unchanged)
            .filter_map(|p| p.left)
            .collect();
        let ls = spans(&ClauseTree::parse(TEXT));
        let ids: Vec<&str> = changed.iter().map(|&i| ls[i].id.as_str()).collect();
        assert_eq!(ids, ["2", "2.2", "2.2(b)"]);
    }

    /// The corpus folder, when present (`LRW_CORPUS` or `../shared/corpus`).
    fn corpus() -> Option<std::path::PathBuf> {
        let dir =
            std::env::var_os("LRW_CORPUS").map(std::path::PathBuf::from).unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
            });
        dir.is_dir().then_some(dir)
    }

    /// Real revisions and relatives: every pair within a family (same first two letters of
    /// the file name) pairs clauses exactly as the full rules do.
    #[test]
    fn corpus_families_pair_as_the_full_rules_do() {
        let Some(dir) = corpus() else {
            eprintln!("note: ../shared/corpus is absent; skipping the corpus alignment check");
            return;
        };
        let mut texts: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let p = e.ok()?.path();
                let name = p.file_name()?.to_str()?.to_string();
                let ok = name.ends_with(".txt") || name.ends_with(".md");
                ok.then(|| Some((name, std::fs::read_to_string(&p).ok()?))).flatten()
            })
            .collect();
        texts.sort();
        let mut pairs = 0;
        for (an, a) in &texts {
            for (bn, b) in &texts {
                if an[..2] != bn[..2] {
                    continue;
                }
                let (fast, full) = both(a, b);
                assert_eq!(fast, full, "{an} -> {bn}");
                pairs += 1;
            }
        }
        assert!(pairs > texts.len(), "families found: {pairs} pairs");
    }

    /// A text of `sections` numbered sections, each with a few sub-clauses and their own
    /// items, worded from `seed` (sections repeat their wording every seven, as the texts of
    /// one family do).
    fn large_text(sections: usize) -> String {
        let words = [
            "licensor",
            "grants",
            "you",
            "a",
            "license",
            "to",
            "use",
            "the",
            "work",
            "model",
            "output",
            "dataset",
            "credit",
            "notice",
            "copyright",
            "terms",
        ];
        let phrase = |k: usize, n: usize| -> String {
            (0..n)
                .map(|i| words[(k * 7 + i * 3 + i * i) % words.len()])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut out = String::new();
        for s in 1..=sections {
            out.push_str(&format!("{s}. {}\n\n", phrase(s % 7, 6)));
            for c in 1..=3 {
                out.push_str(&format!("{s}.{c} {}\n\n", phrase(s % 7 + c, 12)));
                if c == 2 {
                    out.push_str(&format!("(a) {}\n\n(b) {}\n\n", phrase(c, 9), phrase(s % 5, 9)));
                }
            }
        }
        out
    }

    /// Texts too large to compare every clause with every other take the path that reads
    /// only unanchored clauses; it pairs as reading everything does, whatever the edits.
    #[test]
    fn large_texts_pair_as_the_full_rules_do() {
        // Two texts in one, as in a bundle of licenses: every id occurs twice.
        let base = large_text(100) + &large_text(100);
        let ls = spans(&ClauseTree::parse(&base));
        assert!(ls.len() * ls.len() > align::MAX_COMPARISONS, "{} clauses", ls.len());
        let mut rng = fastrand::Rng::with_seed(7);
        for round in 0..12 {
            // Scattered word edits, a deleted and a duplicated paragraph, a renumbering.
            let mut paras: Vec<String> = base.split("\n\n").map(str::to_string).collect();
            for _ in 0..(1 + round * 3) {
                let k = rng.usize(..paras.len());
                let p = &mut paras[k];
                let at = p.find(' ').map_or(0, |i| i + 1);
                p.insert_str(at, ["revised ", "no ", "credit ", "(c) "][rng.usize(..4)]);
            }
            if round % 3 == 1 {
                let k = rng.usize(..paras.len());
                paras.remove(k);
            }
            if round % 3 == 2 {
                let k = rng.usize(..paras.len());
                let p = paras[k].clone();
                paras.insert(rng.usize(..paras.len()), p);
            }
            // A sub-clause moved into the next section, keeping its number, both sections
            // edited (each section is six paragraphs: the section, .1, .2, (a), (b), .3).
            if round % 2 == 0 {
                let k = 6 * rng.usize(..190);
                let p = paras.remove(k + 1);
                paras.insert(k + 5, p);
                paras[k].push_str(" revised");
                paras[k + 4].push_str(" revised");
            }
            let mut edited = paras.join("\n\n");
            if round % 4 == 3 {
                edited = edited.replacen("\n40. ", "\n140. ", 1);
            }
            for (a, b) in [(base.as_str(), edited.as_str()), (edited.as_str(), base.as_str())] {
                let (fast, full) = both(a, b);
                let first = fast.iter().zip(&full).position(|(x, y)| x != y);
                assert!(
                    fast == full,
                    "round {round}: {} and {} pairs, first difference: {:?}",
                    fast.len(),
                    full.len(),
                    first.map(|k| (&fast[k], &full[k]))
                );
            }
        }
    }

    /// A long text without numbering (paragraphs `¶n`, whose ids shift with every paragraph
    /// removed above them): past the size where every pair is compared, edited paragraphs are
    /// still found between the anchors around them, so only the removed ones are unpaired.
    #[test]
    fn paragraphs_of_a_long_unnumbered_text_pair_across_shifts() {
        let mut rng = fastrand::Rng::with_seed(11);
        let words = ["model", "output", "dataset", "credit", "notice", "terms", "use", "weights"];
        let base: Vec<String> = (0..700)
            .map(|k| {
                let n = 8 + k % 9;
                let mut p = format!("paragraph {k}");
                for _ in 0..n {
                    p.push(' ');
                    p.push_str(words[rng.usize(..words.len())]);
                }
                p
            })
            .collect();
        let mut edited = base.clone();
        for k in [650, 400, 120] {
            edited.remove(k); // from the end, so the indices stay the base's
        }
        let changed = [10, 200, 300, 500, 690];
        for k in changed {
            let at = edited.iter().position(|p| p.starts_with(&format!("paragraph {k} "))).unwrap();
            edited[at].push_str(" revised");
        }
        let (a, b) = (base.join("\n\n") + "\n", edited.join("\n\n") + "\n");
        let (l, r) = (Lines::new(&a), Lines::new(&b));
        let (lt, rt) = (ClauseTree::parse(&a), ClauseTree::parse(&b));
        assert!(lt.paragraphs && rt.paragraphs);
        let (ls, rs) = (spans(&lt), spans(&rt));
        assert!(ls.len() * rs.len() > align::MAX_COMPARISONS);
        let pairs = align_spans(&l, &ls, &r, &rs);
        let count = |st: align::ClauseStatus| pairs.iter().filter(|p| p.status == st).count();
        use align::ClauseStatus::*;
        assert_eq!((count(Removed), count(Added), count(Moved)), (3, 0, 0));
        let removed: Vec<usize> =
            pairs.iter().filter(|p| p.status == Removed).filter_map(|p| p.left).collect();
        assert_eq!(removed, [120, 400, 650]);
        let edited_pairs: Vec<(usize, usize)> = pairs
            .iter()
            .filter(|p| p.similarity < 1.0 && p.status != Removed)
            .map(|p| (p.left.unwrap(), p.right.unwrap()))
            .collect();
        assert_eq!(edited_pairs, [(10, 10), (200, 199), (300, 299), (500, 498), (690, 687)]);
    }

    /// The shortcut for anchored sub-clauses counts shared words exactly as whole bags do,
    /// including an anchored sub-clause whose partner lies outside the clause compared with.
    #[test]
    fn lazy_words_count_as_whole_bags() {
        let a = "1. Alpha beta\n\n1.1 Same words here\n\n1.2 Left only text\n\n2. Gamma\n";
        let b = "1. Alpha delta\n\n1.1 Right only words\n\n2. Gamma beta\n\n2.1 Same words here\n";
        let (l, r) = (Lines::new(a), Lines::new(b));
        let (ls, rs) = (spans(&ClauseTree::parse(a)), spans(&ClauseTree::parse(b)));
        let ids = |s: &[ClauseSpan]| s.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&ls), ["1", "1.1", "1.2", "2"]);
        assert_eq!(ids(&rs), ["1", "1.1", "2", "2.1"]);
        let (llay, rlay) = (layout(&l, &ls), layout(&r, &rs));
        let full = |lines: &Lines, lay: &Layout| read_subtrees(lines.text, lay);
        let (lf, rf) = (full(&l, &llay), full(&r, &rlay));
        // Left 1.1 and right 2.1 have the same text: anchored across different parents.
        let (mut left, mut right) = (Side::new(a, &ls, &llay), Side::new(b, &rs, &rlay));
        left.partner[1] = Some(3);
        right.partner[3] = Some(1);
        left.counted[1] = Some(left.count_subtree(1));
        right.counted[3] = Some(right.count_subtree(3));
        let (lw, rw) = (lazy_words(&left), lazy_words(&right));
        let mut compared = 0;
        for (i, lw) in lw.iter().enumerate() {
            for (j, rw) in rw.iter().enumerate() {
                let (Some((x, xh)), Some((y, yh))) = (lw, rw) else { continue };
                let (fx, fy) = (lf[i].as_ref().unwrap(), rf[j].as_ref().unwrap());
                assert_eq!(align::Bag::common(x, y), fx.0.common(&fy.0), "{i} {j}");
                assert_eq!(align::Bag::common(y, x), fy.0.common(&fx.0), "{j} {i}");
                assert_eq!(align::Bag::total(x), fx.0.total());
                assert_eq!((*xh, *yh), (fx.1, fy.1));
                compared += 1;
            }
        }
        assert_eq!(compared, 3 * 3);
    }
}

//! Aligning the clauses of two texts, reading as little as the edits allow.
//!
//! Between two versions of a long license most clauses are untouched. A clause whose id and
//! whole text (its own text and its sub-clauses', without labels) are the same on both sides,
//! in the same order, is paired as unchanged straight away: a sequence diff of exact
//! fingerprints finds those. Only the other clauses (and the sub-clauses inside them, since a
//! clause is compared by its whole subtree) are read word by word and paired by the
//! similarity rules of [`super::align`]. A text against a copy with a few edits thus costs
//! little more than hashing it once.

use std::hash::{DefaultHasher, Hasher};
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::ClauseSpan;
use super::align::{self, ClausePair, Entry};
use super::words::{Lines, WordBag};

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
        h.write(spans[k].id.as_bytes());
        h.write_u8(0xff);
        h.write(&text.as_bytes()[lay.own[k].clone()]);
        for &c in &lay.children[k] {
            h.write_u64(fp[c]);
        }
        fp[k] = h.finish();
    }
    fp
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
        super::words::deadline_for(lf.len(), rf.len(), deadline),
    ) {
        if let DiffOp::Equal { old_index, new_index, len } = op {
            for k in 0..len {
                let (i, j) = (old_index + k, new_index + k);
                let same = l.1[i].id == r.1[j].id
                    && l.0.as_bytes()[l.2.own[i].clone()] == r.0.as_bytes()[r.2.own[j].clone()];
                if same {
                    out.push((i, j));
                }
            }
        }
    }
    out
}

/// Word bags and normalised-text hashes of each clause's own text, for the clauses that need
/// them (`need[k]`).
fn read_own(text: &str, lay: &Layout, need: &[bool]) -> Vec<Option<(WordBag, u64)>> {
    (0..need.len())
        .map(|k| need[k].then(|| align::bag_and_hash(text, lay.own[k].clone())))
        .collect()
}

/// Word bags and hashes over whole subtrees, from the own ones: a needed clause's children
/// are needed too (see [`needed`]), so each line is read once.
fn subtrees(lay: &Layout, mut own: Vec<Option<(WordBag, u64)>>) -> Vec<Option<(WordBag, u64)>> {
    let mut out: Vec<Option<(WordBag, u64)>> = vec![None; own.len()];
    for k in (0..own.len()).rev() {
        let Some((own_bag, own_hash)) = own[k].take() else { continue };
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

/// Which clauses must be read: those not anchored, and everything inside them.
fn needed(spans: &[ClauseSpan], anchored: &[bool]) -> Vec<bool> {
    let mut need = vec![false; spans.len()];
    for k in 0..spans.len() {
        let parent_needs = spans[k].parent.is_some_and(|p| p < k && need[p]);
        need[k] = !anchored[k] || parent_needs;
    }
    need
}

/// Pair the clauses of two texts (indices into `ls` / `rs`), by the rules of
/// [`super::align`].
pub(crate) fn align_spans(
    l: &Lines,
    ls: &[ClauseSpan],
    r: &Lines,
    rs: &[ClauseSpan],
) -> Vec<ClausePair> {
    let (llay, rlay) = super::both(|| layout(l, ls), || layout(r, rs));
    let anchors = anchors((l.text, ls, &llay), (r.text, rs, &rlay));
    let (mut la, mut ra) = (vec![false; ls.len()], vec![false; rs.len()]);
    for &(i, j) in &anchors {
        la[i] = true;
        ra[j] = true;
    }
    // Texts small enough to compare each clause with each (see [`align::MAX_COMPARISONS`])
    // also look for splits and merges, where any clause may hold an unpaired one: read them
    // all. Larger texts read only what is not anchored.
    let small = ls.len().saturating_mul(rs.len()) <= align::MAX_COMPARISONS;
    let need = |spans: &[ClauseSpan], anchored: &[bool]| {
        if small { vec![true; spans.len()] } else { needed(spans, anchored) }
    };
    let (lneed, rneed) = (need(ls, &la), need(rs, &ra));
    let side = |text: &str, lay: &Layout, need: &[bool]| subtrees(lay, read_own(text, lay, need));
    let (lw, rw) = super::both(|| side(l.text, &llay, &lneed), || side(r.text, &rlay, &rneed));
    align::align_anchored(&entries(ls, &lw), &entries(rs, &rw), &anchors)
}

/// What [`align::align_anchored`] needs of each clause: its id and, if read, its words.
fn entries<'a>(spans: &'a [ClauseSpan], w: &'a [Option<(WordBag, u64)>]) -> Vec<Entry<'a>> {
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
        subtrees(&lay, read_own(lines.text, &lay, &vec![true; spans.len()]))
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
}

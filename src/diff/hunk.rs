//! Word hunks: the word-level diff of one changed stretch (which words were removed, added
//! or changed, and how many), with its display rows.

use std::ops::Range;
use std::time::Instant;

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::lines::Lines;
use super::options::{DiffOptions, deadline_for};
use super::rows::{Row, hunk_rows};
use crate::text::normalize::{self, Item, exact_items, is_word_char, items};

/// A changed stretch sharing less than this share of its words (Dice) is shown as replaced
/// as a whole rather than word by word.
pub const REWRITE_MAX_SHARED: f64 = 0.35;

/// ... when it holds at least this many words (short edits are always shown word by word).
const REWRITE_MIN_WORDS: usize = 16;

/// What a hunk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HunkKind {
    /// Lines on both sides, with word changes.
    Changed,
    /// Lines only on the right.
    Added,
    /// Lines only on the left.
    Removed,
    /// Lines removed in one place and inserted in another with mostly the same words.
    Moved,
}

/// Which side of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
}

/// One changed stretch.
///
/// A moved block appears twice in [`WordDiff::blocks`](super::WordDiff::blocks): once where it was (`at` = `Left`,
/// rows of left lines only) and once where it went (`at` = `Right`). Both halves hold the same
/// line ranges and word changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Hunk {
    pub kind: HunkKind,
    /// 0-based, half-open line ranges (empty on the side without lines).
    pub left: Range<usize>,
    pub right: Range<usize>,
    /// Byte ranges of removed or changed words in the left text, each within one line, in order.
    pub removed: Vec<Range<usize>>,
    /// Byte ranges of added or changed words in the right text, each within one line, in order.
    pub added: Vec<Range<usize>>,
    pub words_removed: usize,
    pub words_added: usize,
    /// Share of words in common, 0..1 (moved blocks; 0 for pure additions and removals).
    pub similarity: f64,
    /// Past the deadline: the lines are marked changed as a whole, without word detail.
    pub coarse: bool,
    /// For a moved block, which half this is; `None` otherwise.
    pub at: Option<Side>,
    /// Display rows of this stretch.
    pub rows: Vec<Row>,
}

/// Word-level diff of one stretch, with its display rows. `set_aside`: compare only what
/// lies between the stretch's equal ends (always, but in tests comparing the two).
#[allow(clippy::too_many_arguments)]
pub(crate) fn word_hunk(
    l: &Lines,
    left: Range<usize>,
    r: &Lines,
    right: Range<usize>,
    opts: &DiffOptions,
    deadline: Instant,
    timed_out: &mut bool,
    set_aside: bool,
) -> (Hunk, bool) {
    let exact_spaces = !opts.normalizing();
    let coarse = Instant::now() > deadline;
    // Compared exactly, the equal beginning and end of the stretch (see [`equal_ends`]) are
    // equal words with equal spacing, so only what lies between is compared word by word: a
    // scattered edit reads little more than itself, not its paragraph. (Under normalisation
    // an item depends on its neighbours, as `Copyright` + `(c)` make one.)
    let (lfull, rfull) = (l.span(left.clone()), r.span(right.clone()));
    let (p, s) = if exact_spaces && !coarse && set_aside {
        equal_ends(l.text, lfull.clone(), r.text, rfull.clone())
    } else {
        (0, 0)
    };
    let lspan = lfull.start + p..lfull.end - s;
    let rspan = rfull.start + p..rfull.end - s;
    let (li, ri) = if opts.normalizing() {
        (items(l.text, lspan.clone(), opts.norm()), items(r.text, rspan.clone(), opts.norm()))
    } else {
        (exact_items(l.text, lspan.clone()), exact_items(r.text, rspan.clone()))
    };
    let kind = match (left.is_empty(), right.is_empty()) {
        (false, true) => HunkKind::Removed,
        (true, false) => HunkKind::Added,
        _ => HunkKind::Changed,
    };
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let (mut words_removed, mut words_added) = (0, 0);
    let mut any_change = false;
    if coarse {
        *timed_out = true;
        any_change = true;
        removed.extend(li.first().map(|a| a.span.start..li[li.len() - 1].span.end));
        added.extend(ri.first().map(|a| a.span.start..ri[ri.len() - 1].span.end));
        words_removed = li.iter().filter(|i| i.is_word).count();
        words_added = ri.iter().filter(|i| i.is_word).count();
    } else {
        let lk: Vec<&str> = li.iter().map(|i| i.key.as_ref()).collect();
        let rk: Vec<&str> = ri.iter().map(|i| i.key.as_ref()).collect();
        let within = deadline_for(lk.len(), rk.len(), deadline);
        let ops = capture_diff_slices_deadline(Algorithm::Histogram, &lk, &rk, within);
        if Instant::now() > deadline {
            *timed_out = true;
        }
        for op in ops {
            if let DiffOp::Equal { old_index, new_index, len } = op {
                if exact_spaces {
                    // White space between equal words must be equal too.
                    for k in 0..=len {
                        let (a, b) = (old_index + k, new_index + k);
                        let gap = |it: &[Item], at: usize, span: &Range<usize>| {
                            let start = if at == 0 { span.start } else { it[at - 1].span.end };
                            let end = it.get(at).map_or(span.end, |x| x.span.start);
                            start..end
                        };
                        // Only gaps with an equal word on both ends (or the stretch's edge).
                        if (k == 0 && (a != 0 || b != 0))
                            || (k == len && (a != li.len() || b != ri.len()))
                        {
                            continue;
                        }
                        let (ga, gb) = (gap(&li, a, &lspan), gap(&ri, b, &rspan));
                        if l.text[ga.clone()] != r.text[gb.clone()] {
                            any_change = true;
                            if !ga.is_empty() {
                                removed.push(ga);
                            }
                            if !gb.is_empty() {
                                added.push(gb);
                            }
                        }
                    }
                }
                continue;
            }
            any_change = true;
            let (o, n) = (op.old_range(), op.new_range());
            if !o.is_empty() {
                removed.push(li[o.start].span.start..li[o.end - 1].span.end);
                words_removed += li[o].iter().filter(|i| i.is_word).count();
            }
            if !n.is_empty() {
                added.push(ri[n.start].span.start..ri[n.end - 1].span.end);
                words_added += ri[n].iter().filter(|i| i.is_word).count();
            }
        }
        // A rewrite keeps only scattered small words ("the", "of"): emphasising those few
        // as unchanged is noise, so the whole stretch is shown as replaced.
        // The set-aside ends' words count as kept; they are counted only when the stretch
        // could be a rewrite without them (with them it keeps more, so it only can be less).
        let (lw, rw) =
            (li.iter().filter(|i| i.is_word).count(), ri.iter().filter(|i| i.is_word).count());
        let rewrite = |lw: usize, rw: usize| {
            let kept = 2 * (lw - words_removed.min(lw));
            lw > 0
                && rw > 0
                && lw + rw >= REWRITE_MIN_WORDS
                && (kept as f64) < REWRITE_MAX_SHARED * (lw + rw) as f64
        };
        let kept = 2 * (lw - words_removed.min(lw));
        let maybe = (kept as f64) < REWRITE_MAX_SHARED * (lw + rw) as f64;
        let shared = if maybe && p + s > 0 {
            word_items(&l.text[lfull.start..lfull.start + p])
                + word_items(&l.text[lfull.end - s..lfull.end])
        } else {
            0
        };
        if maybe && rewrite(lw + shared, rw + shared) {
            removed.clear();
            added.clear();
            if p + s == 0 {
                removed.push(li[0].span.start..li[li.len() - 1].span.end);
                added.push(ri[0].span.start..ri[ri.len() - 1].span.end);
            } else {
                removed.extend(items_extent(l.text, lfull.clone()));
                added.extend(items_extent(r.text, rfull.clone()));
            }
            (words_removed, words_added) = (lw + shared, rw + shared);
        }
    }
    let trim = opts.normalizing();
    let removed = split_lines(l.text, removed, trim);
    let added = split_lines(r.text, added, trim);
    let rows = if any_change || !opts.normalizing() {
        hunk_rows(l, left.clone(), r, right.clone(), &removed, &added, opts, deadline)
    } else {
        Vec::new()
    };
    let hunk = Hunk {
        kind,
        left,
        right,
        removed,
        added,
        words_removed,
        words_added,
        similarity: 0.0,
        coarse,
        at: None,
        rows,
    };
    // Exactly compared, a stretch from the line diff always differs (if only in white space
    // or blank lines). Under normalisation only a difference in the items counts: a stretch
    // whose words are all equal (rewrapped, blank lines added) is reported as equal.
    (hunk, any_change || !opts.normalizing())
}

/// Split byte ranges at line breaks; with `trim`, drop the white space at their edges.
fn split_lines(text: &str, spans: Vec<Range<usize>>, trim: bool) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(spans.len());
    for s in spans {
        let mut start = s.start;
        for piece in text[s.clone()].split('\n') {
            let mut a = start;
            let mut b = start + piece.len();
            start = b + 1;
            if trim {
                let t = &text[a..b];
                a += t.len() - t.trim_start_matches(normalize::is_fold_space).len();
                b -= t.len() - t.trim_end_matches(normalize::is_fold_space).len();
            }
            if a < b {
                out.push(a..b);
            }
        }
    }
    out
}

/// The number of word items ([`exact_items`] with `is_word`) in `s`: runs of word characters.
fn word_items(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        let w = if c.is_ascii() { c.is_ascii_alphanumeric() || c == '_' } else { is_word_char(c) };
        n += usize::from(w && !in_word);
        in_word = w;
    }
    n
}

/// From the first item of `text[span]` to the end of its last ([`exact_items`] drop only
/// ASCII white space), or `None` when it holds none.
fn items_extent(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    let t = &text[span.clone()];
    let start = t.len() - t.trim_start_matches(normalize::is_fold_space).len();
    let end = t.trim_end_matches(normalize::is_fold_space).len();
    (start < end).then(|| span.start + start..span.start + end)
}

/// How many bytes at the start, and then at the end, of `lt[a]` and `rt[b]` are the same and
/// can be set aside as equal words with equal spacing: each cut falls where white space meets
/// a word or other item on both sides, so no token straddles it and the tokens on either side
/// are those of the whole. Together at most the shorter stretch.
pub(crate) fn equal_ends(lt: &str, a: Range<usize>, rt: &str, b: Range<usize>) -> (usize, usize) {
    let (x, y) = (&lt.as_bytes()[a], &rt.as_bytes()[b]);
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let most = x.len().min(y.len());
    let mut pre = x.iter().zip(y).take_while(|(p, q)| p == q).count().min(most);
    // Back to a cut after white space and before something else, on both sides.
    let opens = |k: usize| ws(x[k - 1]) && k < most && !ws(x[k]) && !ws(y[k]);
    while pre > 0 && !opens(pre) {
        pre -= 1;
    }
    let room = most - pre;
    let mut suf = x.iter().rev().zip(y.iter().rev()).take_while(|(p, q)| p == q).count().min(room);
    // Back to a cut at white space that follows something else, on both sides (the cut is
    // the start of the equal end).
    let (n, m) = (x.len(), y.len());
    let closes = |k: usize| ws(x[n - k]) && k < room && !ws(x[n - k - 1]) && !ws(y[m - k - 1]);
    while suf > 0 && !closes(suf) {
        suf -= 1;
    }
    (pre, suf)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::time::Duration;

    /// A paragraph of words from a small vocabulary (so words repeat), with spaces, tabs,
    /// line breaks and punctuation, and a copy with a few edits.
    pub(crate) fn edited_pair() -> impl proptest::strategy::Strategy<Value = (String, String)> {
        use proptest::prelude::*;
        let token = prop_oneof![
            4 => proptest::sample::select(vec!["the", "Licensor", "work", "of", "Über", "x_1"]),
            4 => Just(" "),
            1 => proptest::sample::select(vec!["  ", "\t", "\n", "\n  ", ",", ".", "(c)", "\u{a0}"]),
        ];
        let text = proptest::collection::vec(token, 1..60);
        let edit = (any::<proptest::sample::Index>(), 0..4usize, 0..3usize);
        (text, proptest::collection::vec(edit, 0..4)).prop_map(|(tokens, edits)| {
            let left: String = tokens.concat();
            let mut right: Vec<&str> = tokens.clone();
            for (at, what, n) in edits {
                let k = at.index(right.len().max(1)).min(right.len());
                match what {
                    0 => right.insert(k, ["the ", " ", "\n", "new"][n]),
                    1 if k < right.len() => {
                        right.remove(k);
                    }
                    2 if k < right.len() => right[k] = ["work", "  ", "of"][n],
                    _ => right.insert(k, " (c) "),
                }
            }
            (left, right.concat())
        })
    }

    proptest::proptest! {
        /// Setting the equal ends aside still gives a true account of the change (what is not
        /// marked is the same on both sides) and changes as many words as reading everything.
        /// (Which of two equal words is marked may differ where words repeat.)
        #[test]
        fn equal_ends_are_set_aside_truthfully((left, right) in edited_pair()) {
            let (l, r) = (Lines::new(&left), Lines::new(&right));
            let far = Instant::now() + Duration::from_secs(60);
            let run = |set_aside: bool| {
                let mut t = false;
                word_hunk(&l, 0..l.len(), &r, 0..r.len(), &DiffOptions::default(), far, &mut t, set_aside).0
            };
            let (fast, full) = (run(true), run(false));
            // Items outside the marked spans.
            let kept = |text: &str, marked: &[Range<usize>]| -> Vec<String> {
                exact_items(text, 0..text.len())
                    .into_iter()
                    .filter(|i| !marked.iter().any(|m| m.start <= i.span.start && i.span.end <= m.end))
                    .map(|i| i.key.to_string())
                    .collect()
            };
            proptest::prop_assert_eq!(kept(&left, &fast.removed), kept(&right, &fast.added));
            proptest::prop_assert_eq!(
                (fast.words_removed, fast.words_added),
                (full.words_removed, full.words_added)
            );
        }
    }
}

//! Comparing two versions of a license: word-level differences ([`words`]), the pairing of
//! clauses between versions ([`align`](mod@align)), the defined terms whose definitions
//! changed ([`terms`]) and text renderings ([`render`]).
//!
//! Everything here is plain data (no terminal types), so the command line, the TUI and the
//! review anchors share one diff: [`side_by_side`] gives display rows with byte ranges,
//! [`diff`] the hunks, [`align_units`] the clause pairs.
//!
//! # JSON shape of `lrw diff --format json`
//!
//! ```json
//! {
//!   "left":  {"path": "a.txt", "sha256": "…", "encoding": "utf-8", "line_endings": "lf", "lines": 120},
//!   "right": {"path": "b.txt", "sha256": "…", "encoding": "utf-8", "line_endings": "lf", "lines": 124},
//!   "by": "line",                      // or "clause"
//!   "normalize": false, "ignore_case": false,
//!   "identical": false,                // nothing differs under the chosen comparison
//!   "final_newline": {"left": true, "right": false},  // only when that differs (exactly)
//!   "timed_out": false,                // the deadline was reached; some hunks are coarse
//!   "clauses": [                       // clause pairs (empty when no clauses were found)
//!     {"left": "2.2", "right": "2.3", "status": "renumbered", "similarity": 0.97},
//!     {"left": null, "right": "2.4", "status": "added", "similarity": 0.0}
//!   ],
//!   "hunks": [
//!     {"kind": "changed",              // changed | added | removed | moved
//!      "clause": {"left": "2.2", "right": "2.3"},   // only with --by clause; a split or
//!                                                   // merged clause joins ids: "3 + 3.1"
//!      "left":  {"start": 32, "end": 33},           // 1-based inclusive lines; null if none
//!      "right": {"start": 32, "end": 34},
//!      "removed": [{"line": 32, "column": 34, "text": "For the avoidance of doubt,"}],
//!      "added":   [{"line": 32, "column": 34, "text": "The"}],
//!      "words_removed": 5, "words_added": 1,
//!      "similarity": 1.0,              // moved hunks only: share of words in common
//!      "coarse": false}                // past the deadline: whole lines, no word detail
//!   ],
//!   "odd_characters": [                // invisible or look-alike characters inside changes
//!     {"side": "right", "line": 3, "column": 4, "code_point": "U+00A0", "name": "no-break space"}
//!   ],
//!   "summary": {"changes": 3, "moved_blocks": 1, "words_added": 12, "words_removed": 9,
//!               "clauses": {"added": 0, "changed": 2, "moved": 1, "removed": 0,
//!                           "renumbered": 1, "unchanged": 20}},
//!   "terms": [                         // defined terms of either text (see [`terms`])
//!     {"term": "Output", "status": "changed",   // unchanged | changed | added | removed
//!      "left_clause": "1.4", "right_clause": "1.4",  // null: absent, or before the first clause
//!      "used_in": ["2.1(a)", "2.2(b)"]}             // right-hand clauses using it (for a
//!   ]                                               // removed term: still using its name)
//! }
//! ```
//!
//! A clause pair whose clauses use a changed, added or removed definition (on either side)
//! also has `"uses_changed_terms": ["Output"]`; the key is absent otherwise.
//!
//! A moved block is one hunk with both `left` (where it was) and `right` (where it is);
//! `removed` and `added` then list only the edits made to it on the way. Each `removed` or
//! `added` entry lies within one line; `column` counts characters from 1. Text is as written
//! (hidden characters escaped as `\uXXXX`).

pub mod align;
mod bag;
mod blocks;
mod clauses;
mod hunk;
mod lines;
mod odd;
mod options;
pub mod render;
mod rows;
pub mod terms;
pub mod words;

pub use align::{ClausePair, ClauseStatus, Unit, align_units};
pub use hunk::{Hunk, HunkKind, Side};
pub use lines::Lines;
pub use odd::OddChar;
pub use options::DiffOptions;
pub use rows::{Row, RowSide, RowTag};
pub use words::{Block, SideBySide, WordDiff, diff, diff_ranges, rows_of, side_by_side};

use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

use crate::text::{ClauseTree, Text};

/// A clause as the comparison needs it: id, label and lines (1-based, inclusive, the whole
/// subtree), in document order. Built from a clause tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseSpan {
    pub id: String,
    pub label: String,
    pub line_start: usize,
    pub line_end: usize,
    /// Index of the parent clause (which comes before it).
    pub parent: Option<usize>,
}

/// One part of a comparison: the whole text (`--by line`), the text before the first clause,
/// or one clause pair.
#[derive(Debug, Clone)]
pub struct CmpSection {
    /// Heading for views, e.g. `2.2 -> 2.3  renumbered (97%)`.
    pub title: Option<String>,
    /// Clause ids (left, right) for clause sections.
    pub ids: Option<(Option<String>, Option<String>)>,
    pub diff: WordDiff,
}

/// Everything `lrw diff` shows: the diff sections and the clause pairs.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    pub sections: Vec<CmpSection>,
    pub pairs: Vec<ClausePair>,
    /// Clause ids per side, indexed like [`ClausePair::left`] / [`ClausePair::right`].
    pub left_units: Vec<String>,
    pub right_units: Vec<String>,
    /// The innermost clause holding each 0-based line, as an index into `left_units` /
    /// `right_units` ([`NO_UNIT`] before the first clause): an index, not the id, since a
    /// text has tens of thousands of lines (see [`Comparison::line_ids`]).
    pub left_line_units: Vec<u32>,
    pub right_line_units: Vec<u32>,
    /// Exact comparison of texts whose only other difference may be the final line break:
    /// whether each ends with one, when they differ in that.
    pub final_newline: Option<(bool, bool)>,
}

/// In [`Comparison::left_line_units`]: a line outside every clause.
pub const NO_UNIT: u32 = u32::MAX;

impl Comparison {
    /// The clause id of each line of one side (`right`: the right side), for a view.
    pub fn line_ids(&self, right: bool) -> render::LineIds<'_> {
        if right {
            render::LineIds { units: &self.right_units, of_line: &self.right_line_units }
        } else {
            render::LineIds { units: &self.left_units, of_line: &self.left_line_units }
        }
    }

    /// True when the clauses are paragraphs (`¶n`): see [`crate::text::only_paragraph_ids`].
    pub fn paragraphs(&self) -> bool {
        crate::text::only_paragraph_ids(
            self.left_units.iter().chain(&self.right_units).map(String::as_str),
        )
    }

    /// Every display row of the comparison, section after section (clause pair after
    /// clause pair: a moved clause sits beside its partner), each with the index of its
    /// section. Every line of both texts is in exactly one row.
    pub fn rows(&self, l: &Lines, r: &Lines) -> Vec<(Row, usize)> {
        let mut out = Vec::new();
        for (k, s) in self.sections.iter().enumerate() {
            out.extend(words::rows_of(l, r, &s.diff).into_iter().map(|row| (row, k)));
        }
        out
    }

    /// Some section's diff reached the deadline: part of it is shown by line only.
    pub fn timed_out(&self) -> bool {
        self.sections.iter().any(|s| s.diff.timed_out)
    }

    /// True when the texts differ under the chosen comparison.
    pub fn differs(&self) -> bool {
        self.final_newline.is_some() || self.sections.iter().any(|s| !s.diff.is_empty())
    }
}

/// Innermost clause id per line.
fn line_units(lines: &Lines, spans: &[ClauseSpan]) -> Vec<u32> {
    let mut units = vec![NO_UNIT; lines.len()];
    for (k, s) in spans.iter().enumerate() {
        let a = s.line_start.saturating_sub(1).min(units.len());
        let b = s.line_end.min(units.len());
        units[a..b.max(a)].fill(k as u32);
    }
    units
}

/// Own lines of each clause (0-based, half-open): from its first line to the next clause's
/// first line (the last clause: to the end of the last subtree), so that every line from the
/// first clause to [`clauses_end`] belongs to exactly one clause.
fn own_ranges(lines: &Lines, spans: &[ClauseSpan]) -> Vec<Range<usize>> {
    let n = lines.len();
    let end = clauses_end(lines, spans);
    (0..spans.len())
        .map(|k| {
            let a = spans[k].line_start.saturating_sub(1).min(n);
            let b = spans.get(k + 1).map_or(end, |s| s.line_start.saturating_sub(1).min(n));
            a..b.max(a)
        })
        .collect()
}

/// 0-based line after the last clause's subtree (text after it, such as the GPL's "How to
/// apply" appendix, belongs to no clause).
fn clauses_end(lines: &Lines, spans: &[ClauseSpan]) -> usize {
    spans.iter().map(|s| s.line_end).max().unwrap_or(0).min(lines.len())
}

/// Clause spans of a parsed tree.
pub fn spans(tree: &ClauseTree) -> Vec<ClauseSpan> {
    tree.clauses
        .iter()
        .map(|c| ClauseSpan {
            id: c.id.clone(),
            label: c.label.clone(),
            line_start: c.line_start,
            line_end: c.line_end,
            parent: c.parent,
        })
        .collect()
}

/// Pair the clauses of two versions (indices into the trees' `clauses`); see [`align`](mod@align)
/// for the rules.
pub fn align(left: &Text, lt: &ClauseTree, right: &Text, rt: &ClauseTree) -> Vec<ClausePair> {
    align_content(&left.content, lt, &right.content, rt)
}

/// [`align()`] on texts' contents (for callers holding a `&str` rather than a [`Text`]).
pub fn align_content(left: &str, lt: &ClauseTree, right: &str, rt: &ClauseTree) -> Vec<ClausePair> {
    let (l, r) = (Lines::new(left), Lines::new(right));
    clauses::align_spans(&l, &spans(lt), &r, &spans(rt))
}

/// Units for [`align_units`] from clause spans: each clause's whole subtree text without its
/// label. [`align()`] / [`align_content`] give the same pairing faster (each line read once);
/// prefer them for clause trees.
pub fn units(lines: &Lines, spans: &[ClauseSpan]) -> Vec<Unit> {
    let n = lines.len();
    spans
        .iter()
        .map(|s| {
            let a = s.line_start.saturating_sub(1).min(n);
            let b = s.line_end.min(n).max(a);
            let t = lines.text[lines.span(a..b)].trim_start();
            let text = t.strip_prefix(s.label.as_str()).unwrap_or(t).to_string();
            Unit { id: s.id.clone(), text }
        })
        .collect()
}

/// Compare two loaded texts, parsing their clause trees: line by line, or clause by clause.
pub fn compare(left: &Text, right: &Text, opts: &DiffOptions, by_clause: bool) -> Comparison {
    let (l, r) = (Lines::new(&left.content), Lines::new(&right.content));
    compare_then(&l, &r, opts, by_clause, |_| ()).0
}

/// [`compare`] on the texts' lines (for callers that index them too), calling `then` with the
/// comparison as soon as its sections are ready. In line mode that is before the clause pairs
/// are (`then` sees `pairs` empty), so work that needs only the diff, such as rendering it,
/// overlaps with the clause alignment.
pub fn compare_then<R>(
    l: &Lines,
    r: &Lines,
    opts: &DiffOptions,
    by_clause: bool,
    then: impl FnOnce(&Comparison) -> R,
) -> (Comparison, R) {
    let parse = |text: &str| spans(&ClauseTree::parse_structure(text));
    let (ls, rs) = both_for(l.text.len() + r.text.len(), || parse(l.text), || parse(r.text));
    compare_spans_then(l, &ls, r, &rs, opts, by_clause, None, then)
}

/// [`compare_then`] with the clause trees already parsed (with [`ClauseTree::parse_structure`]
/// or [`ClauseTree::parse`]), for callers that need them too, such as the comparison of
/// defined terms ([`terms`]).
pub fn compare_trees_then<R>(
    l: &Lines,
    lt: &ClauseTree,
    r: &Lines,
    rt: &ClauseTree,
    opts: &DiffOptions,
    by_clause: bool,
    then: impl FnOnce(&Comparison) -> R,
) -> (Comparison, R) {
    compare_spans_then(l, &spans(lt), r, &spans(rt), opts, by_clause, None, then)
}

/// Below this many bytes of text (both sides together), paired work runs on one thread:
/// starting a thread costs more than it saves. Measured with `lrw diff` on a busy two-core
/// machine: GPL-2.0 -> GPL-3.0 and a 100 KB pair ran as fast or faster on one thread, a 1 MB
/// pair about 25% slower.
pub const PARALLEL_MIN_BYTES: usize = 512 * 1024;

/// [`both`] when `bytes` of text make a second thread worth starting, else one after the
/// other.
pub fn both_for<A: Send, B>(
    bytes: usize,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if bytes < PARALLEL_MIN_BYTES { (a(), b()) } else { both(a, b) }
}

/// Run two independent pieces of work at once (the left and right texts, or the alignment
/// and the line diff): comparing is CPU-bound, and most machines have a core to spare.
pub fn both<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let first = scope.spawn(a);
        let second = b();
        // A panic on the other thread is re-raised here, as if it had happened on this one.
        let first = first.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (first, second)
    })
}

/// A comparison with its clause pairs and ids, and no sections yet.
fn comparison(
    l: &Lines,
    ls: &[ClauseSpan],
    r: &Lines,
    rs: &[ClauseSpan],
    opts: &DiffOptions,
    pairs: Vec<ClausePair>,
) -> Comparison {
    let mut cmp = Comparison {
        sections: Vec::new(),
        left_units: ls.iter().map(|s| s.id.clone()).collect(),
        right_units: rs.iter().map(|s| s.id.clone()).collect(),
        left_line_units: line_units(l, ls),
        right_line_units: line_units(r, rs),
        pairs: settle(pairs, l, ls, r, rs, opts),
        final_newline: None,
    };
    let ends = (l.text.ends_with('\n'), r.text.ends_with('\n'));
    if !opts.normalize && !opts.ignore_case && ends.0 != ends.1 && !l.is_empty() && !r.is_empty() {
        cmp.final_newline = Some(ends);
    }
    cmp
}

/// The alignment's statuses, settled under the comparison's options: the alignment always
/// folds case and normalises, so a pair it calls `unchanged` whose texts differ under `opts`
/// (a change of case, or of quotes in an exact comparison) is `changed`. One rule for every
/// view: a pair is `unchanged` only when its diff shows nothing.
fn settle(
    mut pairs: Vec<ClausePair>,
    l: &Lines,
    ls: &[ClauseSpan],
    r: &Lines,
    rs: &[ClauseSpan],
    opts: &DiffOptions,
) -> Vec<ClausePair> {
    fn body<'t>(lines: &Lines<'t>, s: &ClauseSpan) -> &'t str {
        let n = lines.len();
        let a = s.line_start.saturating_sub(1).min(n);
        let b = s.line_end.min(n).max(a);
        let t = lines.text[lines.span(a..b)].trim_start();
        t.strip_prefix(s.label.as_str()).unwrap_or(t).trim()
    }
    for p in &mut pairs {
        let (Some(i), Some(j), ClauseStatus::Unchanged) = (p.left, p.right, p.status) else {
            continue;
        };
        let (a, b) = (body(l, &ls[i]), body(r, &rs[j]));
        if a == b {
            continue;
        }
        let same = opts.normalizing()
            && options::normalized_key(a, opts) == options::normalized_key(b, opts);
        if !same {
            p.status = ClauseStatus::Changed;
        }
    }
    pairs
}

/// Compare two texts, line by line or clause by clause. With no clauses on either side,
/// clause mode is line mode.
pub fn compare_spans(
    l: &Lines,
    ls: &[ClauseSpan],
    r: &Lines,
    rs: &[ClauseSpan],
    opts: &DiffOptions,
    by_clause: bool,
) -> Comparison {
    compare_spans_then(l, ls, r, rs, opts, by_clause, None, |_| ()).0
}

/// [`compare_spans`] clause by clause with clause pairs already made (by
/// [`align_content`] on the same texts): for callers that keep the alignment of two versions
/// and compare them again under other options.
pub fn compare_aligned(
    l: &Lines,
    ls: &[ClauseSpan],
    r: &Lines,
    rs: &[ClauseSpan],
    opts: &DiffOptions,
    pairs: Vec<ClausePair>,
) -> Comparison {
    compare_spans_then(l, ls, r, rs, opts, true, Some(pairs), |_| ()).0
}

/// [`compare_spans`] with a `then` as in [`compare_then`].
#[allow(clippy::too_many_arguments)]
fn compare_spans_then<R>(
    l: &Lines,
    ls: &[ClauseSpan],
    r: &Lines,
    rs: &[ClauseSpan],
    opts: &DiffOptions,
    by_clause: bool,
    given: Option<Vec<ClausePair>>,
    then: impl FnOnce(&Comparison) -> R,
) -> (Comparison, R) {
    let deadline = Instant::now() + opts.deadline;
    let align = || match given {
        Some(pairs) => pairs,
        None if ls.is_empty() && rs.is_empty() => Vec::new(),
        None => clauses::align_spans(l, ls, r, rs),
    };
    if !by_clause || (ls.is_empty() && rs.is_empty()) {
        // The line diff (and what `then` does with it) does not wait for the clause pairs.
        let (pairs, (mut cmp, out)) = both_for(l.text.len() + r.text.len(), align, || {
            let diff = diff_ranges(l, 0..l.len(), r, 0..r.len(), opts, deadline);
            let mut cmp = comparison(l, ls, r, rs, opts, Vec::new());
            cmp.sections.push(CmpSection { title: None, ids: None, diff });
            let out = then(&cmp);
            (cmp, out)
        });
        cmp.pairs = settle(pairs, l, ls, r, rs, opts);
        return (cmp, out);
    }
    let pairs = align();
    let mut cmp = comparison(l, ls, r, rs, opts, pairs);
    if cmp.pairs.is_empty() {
        cmp.sections.push(CmpSection {
            title: None,
            ids: None,
            diff: diff_ranges(l, 0..l.len(), r, 0..r.len(), opts, deadline),
        });
        let out = then(&cmp);
        return (cmp, out);
    }
    let (lo, ro) = (own_ranges(l, ls), own_ranges(r, rs));
    let pre = |lines: &Lines, spans: &[ClauseSpan]| {
        0..spans.first().map_or(lines.len(), |s| s.line_start.saturating_sub(1).min(lines.len()))
    };
    let (lp, rp) = (pre(l, ls), pre(r, rs));
    if !lp.is_empty() || !rp.is_empty() {
        cmp.sections.push(CmpSection {
            title: Some(if cmp.paragraphs() {
                "(before the first paragraph)".to_string()
            } else {
                "(before the first clause)".to_string()
            }),
            ids: Some((None, None)),
            diff: diff_ranges(l, lp.clone(), r, rp.clone(), opts, deadline),
        });
    }
    let tail = (clauses_end(l, ls)..l.len(), clauses_end(r, rs)..r.len());
    // A clause split in two, or two merged into one, appears in several pairs; when the
    // clauses on each side are consecutive, the pairs are shown as one section.
    let mut used = vec![false; cmp.pairs.len()];
    // Pairs (with both sides) by left and by right clause.
    let mut by_left: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut by_right: HashMap<usize, Vec<usize>> = HashMap::new();
    for (qi, q) in cmp.pairs.iter().enumerate() {
        if let (Some(i), Some(j)) = (q.left, q.right) {
            by_left.entry(i).or_default().push(qi);
            by_right.entry(j).or_default().push(qi);
        }
    }
    // Where the last section ended on each side, for the empty side of an added or removed
    // clause.
    let (mut l_end, mut r_end) = (lp.end, rp.end);
    for (pi, p) in cmp.pairs.iter().enumerate() {
        if used[pi] {
            continue;
        }
        used[pi] = true;
        let mut members = vec![pi];
        if let (Some(i), Some(j)) = (p.left, p.right) {
            let mut others: Vec<usize> = by_left[&i].iter().chain(&by_right[&j]).copied().collect();
            others.sort_unstable();
            others.dedup();
            members.extend(others.into_iter().filter(|&qi| qi > pi && !used[qi]));
        }
        let side = |get: &dyn Fn(&ClausePair) -> Option<usize>, own: &[Range<usize>]| {
            let mut idx: Vec<usize> = members.iter().filter_map(|&m| get(&cmp.pairs[m])).collect();
            idx.sort_unstable();
            idx.dedup();
            let contiguous = idx.windows(2).all(|w| own[w[0]].end == own[w[1]].start);
            (idx, contiguous)
        };
        let (lidx, lcont) = side(&|q| q.left, &lo);
        let (ridx, rcont) = side(&|q| q.right, &ro);
        if members.len() > 1 && lcont && rcont {
            for &m in &members {
                used[m] = true;
            }
            let ids = |idx: &[usize], spans: &[ClauseSpan]| {
                idx.iter().map(|&k| spans[k].id.as_str()).collect::<Vec<_>>().join(" + ")
            };
            let (la, ra) = (ids(&lidx, ls), ids(&ridx, rs));
            let lrange = lo[lidx[0]].start..lo[lidx[lidx.len() - 1]].end;
            let rrange = ro[ridx[0]].start..ro[ridx[ridx.len() - 1]].end;
            (l_end, r_end) = (lrange.end, rrange.end);
            let what = if lidx.len() > 1 { "merged" } else { "split" };
            cmp.sections.push(CmpSection {
                title: Some(format!("{la} -> {ra}  {what}")),
                ids: Some((Some(la), Some(ra))),
                diff: diff_ranges(l, lrange, r, rrange, opts, deadline),
            });
            continue;
        }
        for &m in &members {
            used[m] = false;
        }
        used[pi] = true;
        let lid = p.left.map(|i| ls[i].id.clone());
        let rid = p.right.map(|j| rs[j].id.clone());
        let lrange = p.left.map_or(l_end..l_end, |i| lo[i].clone());
        let rrange = p.right.map_or(r_end..r_end, |j| ro[j].clone());
        (l_end, r_end) = (lrange.end, rrange.end);
        let title = match (&lid, &rid) {
            (Some(a), Some(b)) if a == b => format!("{a}  {}", status_note(p)),
            (Some(a), Some(b)) => format!("{a} -> {b}  {}", status_note(p)),
            (Some(a), None) => format!("{a}  removed"),
            (None, Some(b)) => format!("{b}  added"),
            (None, None) => String::new(),
        };
        cmp.sections.push(CmpSection {
            title: Some(title),
            ids: Some((lid, rid)),
            diff: diff_ranges(l, lrange, r, rrange, opts, deadline),
        });
    }
    if !tail.0.is_empty() || !tail.1.is_empty() {
        cmp.sections.push(CmpSection {
            title: Some("(after the last clause)".to_string()),
            ids: Some((None, None)),
            diff: diff_ranges(l, tail.0, r, tail.1, opts, deadline),
        });
    }
    let out = then(&cmp);
    (cmp, out)
}

fn status_note(p: &ClausePair) -> String {
    match p.status {
        ClauseStatus::Unchanged => "unchanged".to_string(),
        s => format!("{} ({:.0}% same words)", s.as_str(), p.similarity * 100.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn align_on_clause_trees() {
        let a = Text::from_string(
            "a.txt",
            "1. Grant\n\nYou may use the Work freely.\n\n2. Credit\n\nYou must keep the notice intact.\n",
        );
        let b = Text::from_string(
            "b.txt",
            "1. Credit\n\nYou must keep the notice intact.\n\n2. Grant\n\nYou may use the Work freely.\n\n3. Law\n\nThe law of Mars applies to this License.\n",
        );
        let (lt, rt) = (ClauseTree::parse(&a.content), ClauseTree::parse(&b.content));
        let pairs = align(&a, &lt, &b, &rt);
        let show: Vec<_> = pairs
            .iter()
            .map(|p| {
                let id = |t: &ClauseTree, i: Option<usize>| {
                    i.map_or("-".to_string(), |i| t.clauses[i].id.clone())
                };
                (id(&lt, p.left), id(&rt, p.right), p.status)
            })
            .collect();
        assert_eq!(
            show,
            [
                ("2".to_string(), "1".to_string(), ClauseStatus::Renumbered),
                ("1".to_string(), "2".to_string(), ClauseStatus::Moved),
                ("-".to_string(), "3".to_string(), ClauseStatus::Added),
            ]
        );
    }

    /// Text made of a few words, punctuation, odd spaces and line breaks.
    fn texty() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("the "),
                Just("Licensor "),
                Just("grants\n"),
                Just("\n\n"),
                Just("1. "),
                Just("(a) "),
                Just("\u{00A0}"),
                Just("\u{201C}x\u{201D} "),
                Just("Licens\u{043E}r "),
                Just("\t"),
                Just("é "),
                Just("\u{200B}"),
                Just("- "),
                Just("  \n"),
                Just("©"),
            ],
            0..60,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Every line of both texts appears exactly once, in order, whatever the options; a
        /// text never differs from itself; segments stay on char boundaries.
        #[test]
        fn rows_cover_both_texts(a in texty(), b in texty(), normalize in any::<bool>(), case in any::<bool>()) {
            let opts = DiffOptions { normalize, ignore_case: case, ..DiffOptions::default() };
            let sbs = side_by_side(&a, &b, &opts);
            let (la, lb) = (Lines::new(&a), Lines::new(&b));
            let left: Vec<usize> = sbs.rows.iter().filter_map(|r| r.left.as_ref().map(|s| s.line)).collect();
            let right: Vec<usize> = sbs.rows.iter().filter_map(|r| r.right.as_ref().map(|s| s.line)).collect();
            prop_assert_eq!(left, (1..=la.len()).collect::<Vec<_>>());
            prop_assert_eq!(right, (1..=lb.len()).collect::<Vec<_>>());
            for row in &sbs.rows {
                for (side, lines) in [(&row.left, &la), (&row.right, &lb)] {
                    if let Some(s) = side {
                        let line = lines.line(s.line - 1);
                        let mut pos = 0;
                        for (r, _) in &s.segments {
                            prop_assert_eq!(r.start, pos);
                            prop_assert!(line.is_char_boundary(r.start) && line.is_char_boundary(r.end));
                            pos = r.end;
                        }
                        prop_assert_eq!(pos, line.len());
                    }
                }
            }
            prop_assert!(diff(&a, &a, &opts).is_empty());
            if !opts.normalize && !opts.ignore_case {
                // Lines compare equal exactly when the texts do, but for a final line break,
                // which the comparison reports on its own.
                let strip = |s: &str| s.strip_suffix('\n').unwrap_or(s).to_string();
                prop_assert_eq!(diff(&a, &b, &opts).is_empty(), strip(&a) == strip(&b));
                let cmp = compare_spans(&la, &[], &lb, &[], &opts, false);
                prop_assert_eq!(cmp.differs(), a != b);
            }
        }
    }
}

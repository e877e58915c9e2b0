//! Filling the view-model from the core: texts, clause trees, alignment, side-by-side rows and
//! thread anchors become one [`Document`].

use std::time::Duration;

use super::doc::{ClauseRow, DiffRow, Document};
use crate::diff::{self, ClauseStatus, Comparison, DiffOptions};
use crate::text::{ClauseTree, Text};

/// Time the word diff may take before it settles for coarser, line-level detail.
const DIFF_DEADLINE: Duration = crate::review::session::DIFF_DEADLINE;

/// A one-line warning when `text` holds characters that change how it reads without being
/// seen (bidi controls, zero-width and other invisible characters, controls): they are shown
/// as markers, and the reader should know they are there.
pub fn hidden_warning(label: &str, text: &Text) -> Option<String> {
    use crate::text::inspect::{FindingKind, inspect};
    let hidden: Vec<_> = inspect(text)
        .into_iter()
        .filter(|f| {
            matches!(f.kind, FindingKind::Control | FindingKind::Bidi | FindingKind::Invisible)
        })
        .collect();
    let first = hidden.first()?;
    let bidi = hidden.iter().any(|f| f.kind == FindingKind::Bidi);
    let what = if bidi { "bidi or invisible" } else { "invisible or control" };
    let count = hidden.len();
    let s = if count == 1 { "" } else { "s" };
    Some(format!(
        "{label}: {count} {what} character{s}, first at {}:{}, shown as ⟨U+…⟩ / ␛ markers",
        first.line, first.column
    ))
}

/// Add the hidden-character warnings of both texts to `doc`.
pub fn add_hidden_warnings(doc: &mut Document, left: &Text, right: &Text) {
    let (l, r) = (doc.left_version.clone(), doc.right_version.clone());
    doc.warnings.extend(hidden_warning(&l, left));
    doc.warnings.extend(hidden_warning(&r, right));
}

/// The deepest clause holding each 1-based line (index 0 unused).
fn line_clauses(tree: &ClauseTree, lines: usize) -> Vec<Option<usize>> {
    let mut map = vec![None; lines + 2];
    for (i, c) in tree.clauses.iter().enumerate() {
        let end = c.line_end.min(lines);
        for slot in map.iter_mut().take(end + 1).skip(c.line_start) {
            *slot = Some(i);
        }
    }
    map
}

/// Texts larger than this (both together) first open with clauses paired by id, and the
/// full alignment follows right after the first frame.
pub const QUICK_OPEN_BYTES: usize = 256 * 1024;

/// The document of a session's comparison of two texts: its rows (clause pair after clause
/// pair, so a renumbered or moved clause sits beside its partner), each tagged with its
/// clause pair, and the outline in the order the pairs first appear.
pub fn build_document(
    cmp: &Comparison,
    left: &Text,
    lt: &ClauseTree,
    right: &Text,
    rt: &ClauseTree,
    normalized: bool,
) -> Document {
    let (l, r) = (diff::Lines::new(&left.content), diff::Lines::new(&right.content));
    let rows: Vec<diff::Row> = cmp.rows(&l, &r).into_iter().map(|(row, _)| row).collect();
    build(left, lt, right, rt, normalized, rows, cmp.pairs.clone(), cmp.timed_out(), true)
}

/// A document whose clauses are paired by id only (no renumbered or moved detection) and
/// whose rows come from one diff of the whole texts: linear time, for the first frame of
/// large texts. The document is marked `provisional`; the session's comparison replaces it.
pub fn quick_document(
    left: &Text,
    lt: &ClauseTree,
    right: &Text,
    rt: &ClauseTree,
    normalized: bool,
) -> Document {
    let opts = DiffOptions { normalize: normalized, ignore_case: false, deadline: DIFF_DEADLINE };
    let sbs = diff::side_by_side(&left.content, &right.content, &opts);
    let pairs = pairs_by_id(lt, rt);
    build(left, lt, right, rt, normalized, sbs.rows, pairs, sbs.timed_out, false)
}

/// Pairs of clauses with the same id; the others added or removed. Statuses are settled
/// from the rows later.
fn pairs_by_id(lt: &ClauseTree, rt: &ClauseTree) -> Vec<diff::ClausePair> {
    let mut by_id: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, c) in lt.clauses.iter().enumerate().rev() {
        by_id.insert(c.id.as_str(), i);
    }
    let mut used = vec![false; lt.clauses.len()];
    let mut pairs = Vec::with_capacity(rt.clauses.len() + 8);
    for (j, c) in rt.clauses.iter().enumerate() {
        let left = by_id.get(c.id.as_str()).copied().filter(|&i| !used[i]);
        if let Some(i) = left {
            used[i] = true;
        }
        let status = if left.is_some() { ClauseStatus::Unchanged } else { ClauseStatus::Added };
        pairs.push(diff::ClausePair { left, right: Some(j), status, similarity: 0.0 });
    }
    for (i, _) in used.iter().enumerate().filter(|(_, u)| !**u) {
        pairs.push(diff::ClausePair {
            left: Some(i),
            right: None,
            status: ClauseStatus::Removed,
            similarity: 0.0,
        });
    }
    pairs
}

#[allow(clippy::too_many_arguments)]
fn build(
    left: &Text,
    lt: &ClauseTree,
    right: &Text,
    rt: &ClauseTree,
    normalized: bool,
    rows: Vec<diff::Row>,
    mut pairs: Vec<diff::ClausePair>,
    timed_out: bool,
    align: bool,
) -> Document {
    let sbs = diff::SideBySide { rows, timed_out };
    let left_lines: Vec<String> = left.content.split('\n').map(str::to_string).collect();
    let right_lines: Vec<String> = right.content.split('\n').map(str::to_string).collect();
    let lmap = line_clauses(lt, left_lines.len());
    let rmap = line_clauses(rt, right_lines.len());
    let mut lpair = vec![None; lt.clauses.len()];
    let mut rpair = vec![None; rt.clauses.len()];
    for (pi, p) in pairs.iter().enumerate() {
        if let Some(l) = p.left {
            lpair[l] = Some(pi);
        }
        if let Some(r) = p.right {
            rpair[r] = Some(pi);
        }
    }
    let pair_of = |row: &diff::Row| {
        let r = row.right.as_ref().and_then(|s| rmap.get(s.line).copied().flatten());
        let l = row.left.as_ref().and_then(|s| lmap.get(s.line).copied().flatten());
        r.and_then(|c| rpair[c]).or_else(|| l.and_then(|c| lpair[c]))
    };
    let row_pairs: Vec<Option<usize>> = sbs.rows.iter().map(pair_of).collect();
    if !align {
        for (row, p) in sbs.rows.iter().zip(&row_pairs) {
            if let Some(p) = *p
                && row.tag != diff::RowTag::Equal
                && pairs[p].status == ClauseStatus::Unchanged
            {
                pairs[p].status = ClauseStatus::Changed;
            }
        }
    }
    // A pair starts at the first row showing a line of either of its clauses (a removed
    // clause may only ever share rows with the clause that replaced it).
    let mut first_row = vec![usize::MAX; pairs.len()];
    for (i, row) in sbs.rows.iter().enumerate() {
        let r = row.right.as_ref().and_then(|s| rmap.get(s.line).copied().flatten());
        let l = row.left.as_ref().and_then(|s| lmap.get(s.line).copied().flatten());
        for p in [r.and_then(|c| rpair[c]), l.and_then(|c| lpair[c])].into_iter().flatten() {
            first_row[p] = first_row[p].min(i);
        }
    }
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by_key(|&p| (first_row[p], p));
    let mut outline_of = vec![0; pairs.len()];
    for (k, &p) in order.iter().enumerate() {
        outline_of[p] = k;
    }
    let clauses = order
        .iter()
        .map(|&pi| {
            let p = &pairs[pi];
            let lc = p.left.map(|i| &lt.clauses[i]);
            let rc = p.right.map(|i| &rt.clauses[i]);
            let main = rc.or(lc).expect("a clause pair has a side");
            ClauseRow {
                id: main.id.clone(),
                left_id: lc.map(|c| c.id.clone()),
                right_id: rc.map(|c| c.id.clone()),
                heading: main.heading.clone(),
                depth: main.depth,
                status: p.status,
                row: if first_row[pi] == usize::MAX { 0 } else { first_row[pi] },
                threads: 0,
                open: 0,
            }
        })
        .collect();
    let rows = sbs
        .rows
        .into_iter()
        .zip(row_pairs)
        .map(|(r, p)| DiffRow {
            left: r.left,
            right: r.right,
            tag: r.tag,
            clause: p.map(|p| outline_of[p]),
        })
        .collect();
    let mut warnings = Vec::new();
    if !align {
        warnings
            .push("large texts: clauses paired by number until the full alignment is done".into());
    }
    if sbs.timed_out {
        warnings.push("the diff took too long: some changes are shown by line only".to_string());
    }
    let mut doc = Document {
        normalized,
        left_lines,
        right_lines,
        rows,
        clauses,
        warnings,
        provisional: !align,
        paragraphs: crate::text::only_paragraph_ids(
            lt.clauses.iter().chain(&rt.clauses).map(|c| c.id.as_str()),
        ),
        ..Document::default()
    };
    doc.finish();
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_summarised() {
        let t = Text::from_string("x", "plain\ttext\nabc \u{202e}evil\u{202c} \u{1b}]0;t\u{7}\n");
        let w = hidden_warning("submitted", &t).unwrap();
        assert_eq!(
            w,
            "submitted: 4 bidi or invisible characters, first at 2:5, shown as ⟨U+…⟩ / ␛ markers"
        );
        assert_eq!(hidden_warning("x", &Text::from_string("x", "clean\ttext")), None);
    }

    /// The document of the clause-by-clause comparison of two texts.
    fn full(l: &Text, lt: &ClauseTree, r: &Text, rt: &ClauseTree, normalized: bool) -> Document {
        let (ll, rl) = (diff::Lines::new(&l.content), diff::Lines::new(&r.content));
        let opts = DiffOptions { normalize: normalized, ..DiffOptions::default() };
        let cmp = diff::compare_spans(&ll, &diff::spans(lt), &rl, &diff::spans(rt), &opts, true);
        build_document(&cmp, l, lt, r, rt, normalized)
    }

    fn doc(left: &str, right: &str) -> Document {
        let (l, r) = (Text::from_string("l", left), Text::from_string("r", right));
        let (lt, rt) = (ClauseTree::parse(&l.content), ClauseTree::parse(&r.content));
        full(&l, &lt, &r, &rt, true)
    }

    #[test]
    fn rows_carry_their_clause_and_the_outline_its_status() {
        let left = "Preamble.\n\n1. Grant\n\nYou may use the Work.\n\n2. Limits\n\nDo not \
                    sell the Work.\n\n3. Old\n\nThis clause goes away entirely now.\n";
        let right = "Preamble.\n\n1. Grant\n\nYou may use the Work.\n\n2. Limits\n\nDo not \
                     lease the Work.\n\n3. Brand new\n\nA fresh duty about attribution \
                     notices.\n";
        let d = doc(left, right);
        let ids: Vec<(&str, ClauseStatus)> =
            d.clauses.iter().map(|c| (c.id.as_str(), c.status)).collect();
        assert_eq!(ids[0], ("1", ClauseStatus::Unchanged));
        assert_eq!(ids[1], ("2", ClauseStatus::Changed));
        assert!(ids.len() >= 3, "{ids:?}");
        assert_eq!(d.rows[0].clause, None, "preamble");
        for (i, c) in d.clauses.iter().enumerate() {
            assert!(c.row > 0, "{} starts after the preamble", c.id);
            assert!(d.rows[..c.row].iter().all(|r| r.clause != Some(i)), "{}", c.id);
        }
        let rows: Vec<usize> = d.clauses.iter().map(|c| c.row).collect();
        assert!(rows.is_sorted(), "outline in reading order: {rows:?}");
        let removed = d.clauses.iter().find(|c| c.status == ClauseStatus::Removed);
        let removed = removed.expect("clause 3 removed");
        assert_eq!(removed.left_id.as_deref(), Some("3"));
        assert!(d.rows[removed.row].left.is_some());
        let change = d.change_starts[0];
        assert_eq!(d.rows[change].clause, Some(1));
        let lease = d.rows[change].right.as_ref().unwrap();
        let line = &d.right_lines[lease.line - 1];
        let emphasised: Vec<&str> =
            lease.segments.iter().filter(|(_, e)| *e).map(|(r, _)| &line[r.clone()]).collect();
        assert_eq!(emphasised, ["lease"]);
        assert_eq!(d.left_line_row[1], 0);
        assert_eq!(d.find_clause("§ 2"), Some(1));
    }

    #[test]
    fn quick_documents_pair_by_id_and_say_so() {
        let left =
            "1. Grant\n\nYou may use it.\n\n2. Limits\n\nDo not sell it.\n\n3. Old\n\nGone.\n";
        let right = "1. Grant\n\nYou may use it.\n\n2. Limits\n\nDo not lease it.\n";
        let (l, r) = (Text::from_string("l", left), Text::from_string("r", right));
        let (lt, rt) = (ClauseTree::parse(&l.content), ClauseTree::parse(&r.content));
        let d = quick_document(&l, &lt, &r, &rt, true);
        assert!(d.provisional);
        assert!(d.warnings[0].contains("paired by number"));
        let st: Vec<_> = d.clauses.iter().map(|c| (c.id.as_str(), c.status)).collect();
        assert_eq!(
            st,
            [
                ("1", ClauseStatus::Unchanged),
                ("2", ClauseStatus::Changed),
                ("3", ClauseStatus::Removed)
            ]
        );
        assert!(!full(&l, &lt, &r, &rt, true).provisional);
    }

    #[test]
    fn exact_mode_shows_what_normalising_hides() {
        let left = "1. Grant\n\nYou may \"use\" it.\n";
        let right = "1. Grant\n\nYou  may \u{201c}use\u{201d} it.\n";
        let (l, r) = (Text::from_string("l", left), Text::from_string("r", right));
        let (lt, rt) = (ClauseTree::parse(&l.content), ClauseTree::parse(&r.content));
        assert!(full(&l, &lt, &r, &rt, true).change_starts.is_empty());
        assert_eq!(full(&l, &lt, &r, &rt, false).change_starts.len(), 1);
    }
}

//! Display rows: the lines of both texts paired for a side-by-side view, with the changed
//! words of each line marked. A changed stretch gets its rows from a line diff of its own
//! ([`hunk_rows`]), so that lines that match sit side by side.

use std::ops::Range;
use std::time::Instant;

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::lines::Lines;
use super::options::{DiffOptions, deadline_for};
use crate::text::normalize;

/// Kind of a display row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowTag {
    Equal,
    Delete,
    Insert,
    Replace,
}

/// One side of a display row: a line and its pieces, emphasised or not.
#[derive(Debug, Clone, PartialEq)]
pub struct RowSide {
    /// 1-based line number.
    pub line: usize,
    /// Byte ranges into the line's text (without line break) covering it in order; `true`
    /// marks changed words.
    pub segments: Vec<(Range<usize>, bool)>,
}

/// One display row: a left line, a right line, or both side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub left: Option<RowSide>,
    pub right: Option<RowSide>,
    pub tag: RowTag,
    /// The row belongs to a moved block.
    pub moved: bool,
}

/// Rows for an equal stretch: lines paired in order.
pub fn equal_rows(l: &Lines, left: Range<usize>, r: &Lines, right: Range<usize>) -> Vec<Row> {
    let n = left.len().max(right.len());
    (0..n)
        .map(|k| {
            let li = left.start + k;
            let ri = right.start + k;
            Row {
                left: (li < left.end).then(|| plain_side(l, li)),
                right: (ri < right.end).then(|| plain_side(r, ri)),
                tag: RowTag::Equal,
                moved: false,
            }
        })
        .collect()
}

fn plain_side(lines: &Lines, i: usize) -> RowSide {
    RowSide { line: i + 1, segments: vec![(0..lines.range(i).len(), false)] }
}

/// Pieces of line `i`, emphasised where sorted absolute `spans` (each within one line) fall;
/// `cursor` moves past the spans used, so lines must be visited in order.
fn line_side(
    lines: &Lines,
    i: usize,
    spans: &[Range<usize>],
    cursor: &mut usize,
) -> (RowSide, bool) {
    let lr = lines.range(i);
    while *cursor < spans.len() && spans[*cursor].start < lr.start {
        *cursor += 1;
    }
    let mut segs = Vec::new();
    let mut pos = lr.start;
    let mut any = false;
    while let Some(s) = spans.get(*cursor).filter(|s| s.end <= lr.end) {
        if s.start > pos {
            segs.push((pos - lr.start..s.start - lr.start, false));
        }
        segs.push((s.start - lr.start..s.end - lr.start, true));
        any = true;
        pos = s.end;
        *cursor += 1;
    }
    if pos < lr.end || segs.is_empty() {
        segs.push((pos - lr.start..lr.end - lr.start, false));
    }
    (RowSide { line: i + 1, segments: segs }, any)
}

/// Rows of a changed stretch: a line diff pairs lines that match, the rest side by side.
#[allow(clippy::too_many_arguments)]
pub(crate) fn hunk_rows(
    l: &Lines,
    left: Range<usize>,
    r: &Lines,
    right: Range<usize>,
    removed: &[Range<usize>],
    added: &[Range<usize>],
    opts: &DiffOptions,
    deadline: Instant,
) -> Vec<Row> {
    let key = |lines: &Lines<'_>, i: usize| -> String {
        if opts.normalizing() {
            normalize::normalize(lines.line(i), opts.norm())
        } else {
            lines.line(i).to_string()
        }
    };
    let lk: Vec<String> = left.clone().map(|i| key(l, i)).collect();
    let rk: Vec<String> = right.clone().map(|i| key(r, i)).collect();
    let ops = capture_diff_slices_deadline(
        Algorithm::Myers,
        &lk,
        &rk,
        deadline_for(lk.len(), rk.len(), deadline),
    );
    let (mut lc, mut rc) = (0, 0);
    let mut rows = Vec::new();
    for op in ops {
        let (o, n) = (op.old_range(), op.new_range());
        let equal_op = matches!(op, DiffOp::Equal { .. });
        for k in 0..o.len().max(n.len()) {
            let ls =
                (k < o.len()).then(|| line_side(l, left.start + o.start + k, removed, &mut lc));
            let rs = (k < n.len()).then(|| line_side(r, right.start + n.start + k, added, &mut rc));
            let le = ls.as_ref().is_some_and(|x| x.1);
            let re = rs.as_ref().is_some_and(|x| x.1);
            let tag = match (&ls, &rs) {
                _ if !le && !re && (equal_op || opts.normalizing()) => RowTag::Equal,
                (Some(_), Some(_)) => RowTag::Replace,
                (Some(_), None) => RowTag::Delete,
                _ => RowTag::Insert,
            };
            rows.push(Row { left: ls.map(|x| x.0), right: rs.map(|x| x.0), tag, moved: false });
        }
    }
    rows
}

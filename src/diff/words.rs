//! The word-level diff: which lines changed, and which words inside them.
//!
//! It works in two stages so that its cost follows the size of the edits, not of the texts:
//!
//! 1. **Blocks.** The texts are cut into paragraphs and blank lines, and these blocks are
//!    diffed with `similar`'s Myers diff on their keys (the text as written, or normalised, so
//!    that a rewrapped paragraph compares equal under normalisation).
//! 2. **Words.** Each stretch of changed blocks is tokenised and diffed again, word by word,
//!    so only the changed words are emphasised. A stretch that is only deleted on one side and
//!    only inserted on the other with mostly the same words is a **move**.
//!
//! Every stage shares one deadline. Past it, `similar` returns a coarser script and the
//! remaining stretches get no word detail (their lines are marked changed as a whole); the
//! result says so in [`WordDiff::timed_out`], so no input can make a diff hang.
//!
//! Each stage has a module of its own, and this one runs them in order ([`diff_ranges`]):
//! `lines` (the line index), `blocks` (paragraph blocks and moves), `hunk` (word hunks), `rows`
//! (display rows), `odd` (odd characters), with `bag` (word bags, shared with the clause
//! pairing) and `options` (what to compare, and the deadline).

use std::ops::Range;
use std::time::Instant;

use super::blocks::{self, Emit, Piece, Region};
use super::hunk::word_hunk;
pub use super::hunk::{Hunk, HunkKind, Side};
pub use super::lines::Lines;
use super::odd::collect_odd;
pub use super::odd::{OddChar, odd_char_name};
pub use super::options::{DEFAULT_DEADLINE, DiffOptions};
pub use super::rows::{Row, RowSide, RowTag, equal_rows};

/// An equal stretch or a change.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Lines that compare equal (under normalisation the two sides may be wrapped differently
    /// and so hold different numbers of lines).
    Equal {
        left: Range<usize>,
        right: Range<usize>,
    },
    Change(Hunk),
}

/// The diff of two texts (or of two line ranges of them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordDiff {
    pub blocks: Vec<Block>,
    /// The deadline was reached: part of the result is coarser than it could be.
    pub timed_out: bool,
    pub odd_chars: Vec<OddChar>,
}

impl WordDiff {
    /// The changes, in order (a moved block appears as two halves).
    pub fn hunks(&self) -> impl Iterator<Item = &Hunk> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Change(h) => Some(h),
            Block::Equal { .. } => None,
        })
    }
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.hunks().next().is_none()
    }
    /// Words added and removed, counting each moved block once.
    pub fn word_counts(&self) -> (usize, usize) {
        self.hunks()
            .filter(|h| h.at != Some(Side::Left))
            .fold((0, 0), |(a, r), h| (a + h.words_added, r + h.words_removed))
    }
}

/// Rows of the whole pair of texts, for side-by-side views.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SideBySide {
    pub rows: Vec<Row>,
    pub timed_out: bool,
}

/// Diff two whole texts.
pub fn diff(left: &str, right: &str, opts: &DiffOptions) -> WordDiff {
    let l = Lines::new(left);
    let r = Lines::new(right);
    let deadline = Instant::now() + opts.deadline;
    diff_ranges(&l, 0..l.len(), &r, 0..r.len(), opts, deadline)
}

/// Rows for a side-by-side view of two whole texts: equal lines and changes, in order.
pub fn side_by_side(left: &str, right: &str, opts: &DiffOptions) -> SideBySide {
    let l = Lines::new(left);
    let r = Lines::new(right);
    let d = diff_ranges(&l, 0..l.len(), &r, 0..r.len(), opts, Instant::now() + opts.deadline);
    SideBySide { rows: rows_of(&l, &r, &d), timed_out: d.timed_out }
}

/// The display rows of a diff of `l` against `r` (or of line ranges of them): equal lines
/// and changes, in order.
pub fn rows_of(l: &Lines, r: &Lines, d: &WordDiff) -> Vec<Row> {
    let mut rows = Vec::new();
    for b in &d.blocks {
        match b {
            Block::Equal { left, right } => {
                rows.extend(equal_rows(l, left.clone(), r, right.clone()))
            }
            Block::Change(h) => rows.extend(h.rows.iter().cloned()),
        }
    }
    rows
}

/// Diff lines `lr` of `l` against lines `rr` of `r`.
pub fn diff_ranges(
    l: &Lines,
    lr: Range<usize>,
    r: &Lines,
    rr: Range<usize>,
    opts: &DiffOptions,
    deadline: Instant,
) -> WordDiff {
    // Paragraph blocks: equal stretches and changed regions, in order.
    let (pieces, mut timed_out) = blocks::pieces(l, lr, r, rr, opts, deadline);

    // Moved paragraphs, and what remains changed in place.
    let regions: Vec<&Region> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Region(g) => Some(g),
            Piece::Equal(..) => None,
        })
        .collect();
    let plans = blocks::plan_regions(&regions, l, r);

    let mut out = WordDiff::default();
    let mut plans = plans.into_iter();
    for piece in &pieces {
        if let Piece::Equal(a, b) = piece {
            push_equal(&mut out.blocks, a.clone(), b.clone());
            continue;
        }
        for emit in plans.next().unwrap_or_default() {
            let (left, right, at) = match emit {
                Emit::Chunk(a, b) => (a, b, None),
                Emit::MovedOut(a, b, sim) => (a, b, Some((Side::Left, sim))),
                Emit::MovedIn(a, b, sim) => (a, b, Some((Side::Right, sim))),
            };
            let (mut h, changed) =
                word_hunk(l, left, r, right, opts, deadline, &mut timed_out, true);
            match at {
                Some((side, sim)) => {
                    h.kind = HunkKind::Moved;
                    h.at = Some(side);
                    h.similarity = sim;
                    h.rows.retain_mut(|row| {
                        row.moved = true;
                        match side {
                            Side::Left => row.right = None,
                            Side::Right => row.left = None,
                        }
                        row.tag = if side == Side::Left { RowTag::Delete } else { RowTag::Insert };
                        row.left.is_some() || row.right.is_some()
                    });
                }
                None if !changed => {
                    push_equal(&mut out.blocks, h.left.clone(), h.right.clone());
                    continue;
                }
                None => {}
            }
            if h.at != Some(Side::Left) {
                collect_odd(&mut out.odd_chars, l, &h.removed, Side::Left);
                collect_odd(&mut out.odd_chars, r, &h.added, Side::Right);
            }
            out.blocks.push(Block::Change(h));
        }
    }
    out.timed_out = timed_out;
    out
}

fn push_equal(blocks: &mut Vec<Block>, a: Range<usize>, b: Range<usize>) {
    if a.is_empty() && b.is_empty() {
        return;
    }
    if let Some(Block::Equal { left, right }) = blocks.last_mut()
        && left.end == a.start
        && right.end == b.start
        && left.len() == right.len()
        && a.len() == b.len()
    {
        left.end = a.end;
        right.end = b.end;
        return;
    }
    blocks.push(Block::Equal { left: a, right: b });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn exact() -> DiffOptions {
        DiffOptions::default()
    }

    fn norm() -> DiffOptions {
        DiffOptions { normalize: true, ..DiffOptions::default() }
    }

    /// Rows as `left | right` with changed words in brackets.
    fn show(left: &str, right: &str, opts: &DiffOptions) -> Vec<String> {
        let (l, r) = (Lines::new(left), Lines::new(right));
        let side = |lines: &Lines, s: &Option<RowSide>| match s {
            None => "~".to_string(),
            Some(s) => {
                let line = lines.line(s.line - 1);
                s.segments
                    .iter()
                    .map(|(r, e)| {
                        if *e {
                            format!("[{}]", &line[r.clone()])
                        } else {
                            line[r.clone()].to_string()
                        }
                    })
                    .collect()
            }
        };
        side_by_side(left, right, opts)
            .rows
            .iter()
            .map(|row| format!("{:?} {} | {}", row.tag, side(&l, &row.left), side(&r, &row.right)))
            .collect()
    }

    #[test]
    fn changed_words_are_emphasised() {
        let rows = show("one\nthe quick fox\nend\n", "one\nthe slow fox\nend\n", &exact());
        assert_eq!(
            rows,
            ["Equal one | one", "Replace the [quick] fox | the [slow] fox", "Equal end | end"]
        );
        let d = diff("a b c\n", "a c d\n", &exact());
        assert_eq!(d.word_counts(), (1, 1));
    }

    #[test]
    fn same_text_has_no_hunks() {
        let t = "1. Grant\n\nYou may use it.\n";
        assert!(diff(t, t, &exact()).is_empty());
        assert!(diff(t, t, &norm()).is_empty());
        assert!(diff("", "", &exact()).is_empty());
    }

    #[test]
    fn rewrapping_is_equal_only_under_normalisation() {
        let a = "You may copy and\ndistribute the Work.\n\nNext.\n";
        let b = "You may copy\nand distribute the Work.\n\nNext.\n";
        assert!(diff(a, b, &norm()).is_empty());
        let d = diff(a, b, &exact());
        assert_eq!(d.hunks().count(), 1);
        assert_eq!(d.word_counts(), (0, 0));
    }

    #[test]
    fn additions_removals_and_moves() {
        let a =
            "Intro.\n\nAlpha beta gamma delta epsilon.\n\nMiddle text stays here now.\n\nEnd.\n";
        let b =
            "Intro.\n\nMiddle text stays here now.\n\nAlpha beta gamma delta epsilon.\n\nEnd.\n";
        let d = diff(a, b, &exact());
        let kinds: Vec<_> = d.hunks().map(|h| (h.kind, h.at)).collect();
        assert!(kinds.iter().all(|k| k.0 == HunkKind::Moved), "{kinds:?}");
        assert_eq!(kinds.len(), 2);
        let h = d.hunks().next().unwrap();
        assert_eq!(h.similarity, 1.0);
        assert!(h.removed.is_empty() && h.added.is_empty());

        let d = diff("a\n\nb\n", "a\n\nb\n\nnew line here\n", &exact());
        let h: Vec<_> = d.hunks().collect();
        // The last paragraph gains a blank line; a new paragraph follows it.
        let got: Vec<_> = h.iter().map(|h| (h.kind, h.right.clone(), h.words_added)).collect();
        assert_eq!(got, [(HunkKind::Changed, 2..4, 0), (HunkKind::Added, 4..5, 3)]);
        // A line added to a paragraph changes the paragraph.
        let d = diff("a\n", "a\nnew line here\n", &exact());
        let h: Vec<_> = d.hunks().collect();
        assert_eq!((h.len(), h[0].kind, h[0].words_added), (1, HunkKind::Changed, 3));
    }

    #[test]
    fn normalisation_folds_quotes_but_not_commas() {
        assert!(diff("the \u{201C}Work\u{201D}\n", "the \"Work\"\n", &norm()).is_empty());
        assert!(!diff("the \u{201C}Work\u{201D}\n", "the \"Work\"\n", &exact()).is_empty());
        let rows = show("a, b\n", "a b\n", &norm());
        assert_eq!(rows, ["Replace a[,] b | a b"]);
    }

    #[test]
    fn invisible_differences_are_named() {
        for opts in [exact(), norm()] {
            let d = diff("the Licensor\n", "the\u{00A0}Licensor\n", &opts);
            assert!(!d.is_empty());
            assert_eq!(d.odd_chars.len(), 1, "{:?}", d.odd_chars);
            assert_eq!(d.odd_chars[0].name, "no-break space");
            assert_eq!((d.odd_chars[0].line, d.odd_chars[0].column), (1, 4));

            let d = diff("the Licensor\n", "the Licens\u{043E}r\n", &opts);
            assert_eq!(d.odd_chars.len(), 1);
            assert_eq!(d.odd_chars[0].code_point, "U+043E");
            assert_eq!(d.odd_chars[0].name, "Cyrillic letter in a Latin word");
        }
    }

    #[test]
    fn past_the_deadline_is_coarse_and_reported() {
        let opts = DiffOptions { deadline: Duration::ZERO, ..exact() };
        let d = diff("a b c\nd\n", "a x c\nd\n", &opts);
        assert!(d.timed_out);
        assert!(!d.is_empty());
        assert!(d.hunks().all(|h| h.coarse));
    }
}

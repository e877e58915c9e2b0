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

use std::borrow::Cow;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use crate::text::normalize::{self, Item, NormalizeOptions, exact_items, is_word_char, items};

/// A changed stretch sharing less than this share of its words (Dice) is shown as replaced
/// as a whole rather than word by word.
pub const REWRITE_MAX_SHARED: f64 = 0.35;
/// ... when it holds at least this many words (short edits are always shown word by word).
const REWRITE_MIN_WORDS: usize = 16;

/// How long a diff may spend on detail before falling back to a coarser result.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(5);

/// Diffs of at most this many items in all run without a deadline: even the worst case is a
/// few milliseconds, while similar reads the clock at every step of its search (an eighth of
/// the time of a heavily rewritten text went to reading it). Callers still check the deadline
/// between such diffs.
const UNTIMED_ITEMS: usize = 4096;

/// The deadline to give similar for a diff of `a` against `b` items (see [`UNTIMED_ITEMS`]).
pub(crate) fn deadline_for(a: usize, b: usize, deadline: Instant) -> Option<Instant> {
    (a + b > UNTIMED_ITEMS).then_some(deadline)
}

/// Paragraphs longer than this are compared line by line in the block stage, so one huge
/// paragraph (a text without blank lines) cannot turn into one huge word diff.
const MAX_PARAGRAPH_LINES: usize = 64;

/// A deleted and an inserted stretch with at least this share of words in common (Dice
/// coefficient over normalised words) are one moved block.
pub const MOVE_MIN_SIMILARITY: f64 = 0.7;
/// A stretch needs at least this many words to count as moved (a lone "and" is not a move).
pub const MOVE_MIN_WORDS: usize = 4;
/// Move detection compares every deleted stretch with every inserted one; past this many
/// comparisons it is skipped (the deletions and insertions are still shown).
const MOVE_MAX_COMPARISONS: usize = 200_000;

/// How to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffOptions {
    /// Compare normalised text (see [`crate::text::normalize`](mod@crate::text::normalize)); otherwise every character
    /// counts, white space included.
    pub normalize: bool,
    /// Fold case (with or without `normalize`).
    pub ignore_case: bool,
    /// Time allowed for detail; see the module documentation.
    pub deadline: Duration,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions { normalize: false, ignore_case: false, deadline: DEFAULT_DEADLINE }
    }
}

impl DiffOptions {
    fn norm(&self) -> NormalizeOptions {
        NormalizeOptions { ignore_case: self.ignore_case }
    }
    /// Whether items are compared through normalisation (case folding alone needs it too).
    pub(crate) fn normalizing(&self) -> bool {
        self.normalize || self.ignore_case
    }
}

/// Line index of a text: where each line starts, so byte positions map to lines and back.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    pub text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        // A final line break ends the last line; it does not open an empty one.
        if starts.len() > 1 && *starts.last().unwrap_or(&0) == text.len() {
            starts.pop();
        }
        if text.is_empty() {
            starts.clear();
        }
        Lines { text, starts }
    }
    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
    /// Byte range of line `i` (0-based), without its line break.
    pub fn range(&self, i: usize) -> Range<usize> {
        let start = self.starts[i];
        let end = match self.starts.get(i + 1) {
            Some(&n) => n - 1,
            None => self.text.len() - usize::from(self.text.ends_with('\n')),
        };
        start..end.max(start)
    }
    /// Text of line `i` (0-based), without its line break.
    pub fn line(&self, i: usize) -> &'a str {
        &self.text[self.range(i)]
    }
    /// Byte range covering lines `lines` (from the start of the first to the end of the last,
    /// without the final line break).
    pub fn span(&self, lines: Range<usize>) -> Range<usize> {
        if lines.is_empty() {
            let at = self.starts.get(lines.start).copied().unwrap_or(self.text.len());
            return at..at;
        }
        self.starts[lines.start]..self.range(lines.end - 1).end
    }
    /// 0-based line holding byte `pos`.
    pub fn line_of(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }
}

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
/// A moved block appears twice in [`WordDiff::blocks`]: once where it was (`at` = `Left`,
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

/// An invisible or look-alike character inside a change: shown and named because in a
/// license it may be the whole point of the change.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OddChar {
    pub side: Side,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    /// `U+00A0`
    pub code_point: String,
    /// `no-break space`, `Cyrillic letter in a Latin word`, ...
    pub name: String,
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
    let d = diff(left, right, opts);
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

/// Block-stage units, as line ranges: each paragraph (a run of non-blank lines) with the blank
/// lines after it, and any blank lines before the first paragraph. Keeping the blank lines
/// with their paragraph means a diff can never pair paragraphs across the wrong blank line.
fn units(lines: &Lines, range: Range<usize>) -> Vec<Range<usize>> {
    let blank = |i: usize| lines.line(i).trim().is_empty();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end && blank(i) {
        i += 1;
    }
    if i > range.start {
        out.push(range.start..i);
    }
    while i < range.end {
        let start = i;
        while i < range.end && !blank(i) {
            i += 1;
        }
        let text_end = i;
        while i < range.end && blank(i) {
            i += 1;
        }
        if text_end - start > MAX_PARAGRAPH_LINES {
            out.extend((start..text_end - 1).map(|k| k..k + 1));
            out.push(text_end - 1..i);
        } else {
            out.push(start..i);
        }
    }
    out
}

/// `text` as the diff compares it under `opts` (normalised and case-folded as asked).
pub(crate) fn normalized_key(text: &str, opts: &DiffOptions) -> String {
    normalize::normalize(text, opts.norm())
}

fn unit_key<'a>(lines: &Lines<'a>, unit: &Range<usize>, opts: &DiffOptions) -> Cow<'a, str> {
    let s = &lines.text[lines.span(unit.clone())];
    if opts.normalizing() {
        Cow::Owned(normalize::normalize(s, opts.norm()))
    } else {
        Cow::Borrowed(s)
    }
}

/// A stretch of changed blocks before word detail.
struct Region {
    left: Range<usize>,
    right: Range<usize>,
}

/// Equal stretches and changed regions, in order.
enum Piece {
    Equal(Range<usize>, Range<usize>),
    Region(Region),
}

/// Join runs of regions separated only by blank lines when their items are equal once joined.
fn join_blank_separated(
    pieces: Vec<Piece>,
    l: &Lines,
    r: &Lines,
    opts: &DiffOptions,
) -> Vec<Piece> {
    let blank =
        |lines: &Lines, x: &Range<usize>| x.clone().all(|i| lines.line(i).trim().is_empty());
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut k = 0;
    while k < pieces.len() {
        // Find the run region (blank-equal region)*.
        let mut end = k + 1;
        if matches!(pieces[k], Piece::Region(_)) {
            while end + 1 < pieces.len()
                && matches!(&pieces[end], Piece::Equal(a, b) if blank(l, a) && blank(r, b))
                && matches!(pieces[end + 1], Piece::Region(_))
            {
                end += 2;
            }
        }
        if end - k >= 3 {
            let (Piece::Region(first), Piece::Region(last)) = (&pieces[k], &pieces[end - 1]) else {
                k += 1;
                continue;
            };
            let lr = first.left.start..last.left.end.max(first.left.start);
            let rr = first.right.start..last.right.end.max(first.right.start);
            let li = items(l.text, l.span(lr.clone()), opts.norm());
            let ri = items(r.text, r.span(rr.clone()), opts.norm());
            if li.len() == ri.len() && li.iter().zip(&ri).all(|(a, b)| a.key == b.key) {
                out.push(Piece::Equal(lr, rr));
                k = end;
                continue;
            }
        }
        for p in pieces[k..end].iter() {
            out.push(match p {
                Piece::Equal(a, b) => Piece::Equal(a.clone(), b.clone()),
                Piece::Region(g) => {
                    Piece::Region(Region { left: g.left.clone(), right: g.right.clone() })
                }
            });
        }
        k = end;
    }
    out
}

/// What to emit for a changed region, in order.
#[derive(Debug, Clone, PartialEq)]
enum Emit {
    /// Changed in place: these left lines became these right lines.
    Chunk(Range<usize>, Range<usize>),
    /// Left lines that moved to `right` (elsewhere), with the similarity.
    MovedOut(Range<usize>, Range<usize>, f64),
    /// Right lines that came from `left` (elsewhere), with the similarity.
    MovedIn(Range<usize>, Range<usize>, f64),
}

/// Bonus for pairing paragraphs within one region rather than across regions: a move must be
/// clearly more similar than a change in place.
const IN_PLACE_BONUS: f64 = 0.3;

/// Find the moved paragraphs among the changed regions and plan each region's output.
///
/// Every changed paragraph on the left is compared with every changed paragraph on the right
/// (by the share of words in common). Pairs are taken best first; a pair within one region
/// scores [`IN_PLACE_BONUS`] more. A paragraph paired across regions is a move; so is one
/// paired within its region but out of order with the region's other pairs. Everything else
/// of a region is changed in place, in runs between the moved paragraphs.
fn plan_regions(regions: &[&Region], l: &Lines, r: &Lines) -> Vec<Vec<Emit>> {
    let lu: Vec<(usize, Range<usize>)> = regions
        .iter()
        .enumerate()
        .flat_map(|(k, g)| units(l, g.left.clone()).into_iter().map(move |u| (k, u)))
        .collect();
    let ru: Vec<(usize, Range<usize>)> = regions
        .iter()
        .enumerate()
        .flat_map(|(k, g)| units(r, g.right.clone()).into_iter().map(move |u| (k, u)))
        .collect();
    let mut out_to: Vec<Option<(usize, f64)>> = vec![None; lu.len()];
    let mut in_from: Vec<Option<(usize, f64)>> = vec![None; ru.len()];
    // Left paragraph -> right paragraph of the same region it pairs with in place.
    let mut in_place: Vec<Option<usize>> = vec![None; lu.len()];
    // Paragraph indices of each region, per side (units are in region order).
    let ranges = |units: &[(usize, Range<usize>)]| {
        let mut out = vec![0..0; regions.len()];
        for (i, (k, _)) in units.iter().enumerate() {
            if out[*k].is_empty() {
                out[*k] = i..i;
            }
            out[*k].end = i + 1;
        }
        out
    };
    let (lr_of, rr_of) = (ranges(&lu), ranges(&ru));
    let worth = !lu.is_empty() && !ru.is_empty();
    // Word bags, read only where needed: a region of one paragraph on each side (a scattered
    // edit, the usual case) gets its similarity from what lies between the paragraphs' equal
    // ends (see [`single_similarity`]), and its paragraphs are read whole only if they may
    // have moved.
    let (mut lb, mut rb): (Vec<WordBag>, Vec<WordBag>) = (Vec::new(), Vec::new());
    let (mut lread, mut rread) = (vec![false; lu.len()], vec![false; ru.len()]);
    let (mut lt, mut rt) = (vec![0usize; lu.len()], vec![0usize; ru.len()]);
    if worth {
        let single = |k: usize| lr_of[k].len() == 1 && rr_of[k].len() == 1;
        lb = vec![WordBag::default(); lu.len()];
        rb = vec![WordBag::default(); ru.len()];
        let read = |lines: &Lines, u: &Range<usize>| word_bag(lines.text, lines.span(u.clone()));
        for (a, (k, u)) in lu.iter().enumerate() {
            if !single(*k) {
                lb[a] = read(l, u);
                (lread[a], lt[a]) = (true, lb[a].total);
            }
        }
        for (b, (k, u)) in ru.iter().enumerate() {
            if !single(*k) {
                rb[b] = read(r, u);
                (rread[b], rt[b]) = (true, rb[b].total);
            }
        }
        let mut cands = Vec::new();
        // In place: within each region (skipped for a region too big to compare fully).
        let mut best_l = vec![0.0f64; lu.len()];
        let mut best_r = vec![0.0f64; ru.len()];
        let mut budget = 4 * MOVE_MAX_COMPARISONS;
        for k in 0..regions.len() {
            let (la, rb_) = (lr_of[k].clone(), rr_of[k].clone());
            let cost = la.len().saturating_mul(rb_.len());
            // Past the budget, regions are changed in place as a whole (no pairing inside).
            if cost > MOVE_MAX_COMPARISONS || cost > budget {
                if single(k) {
                    let (a, b) = (la.start, rb_.start);
                    (lb[a], rb[b]) = (read(l, &lu[a].1), read(r, &ru[b].1));
                    (lread[a], rread[b]) = (true, true);
                    (lt[a], rt[b]) = (lb[a].total, rb[b].total);
                }
                continue;
            }
            budget -= cost;
            if single(k) {
                let (a, b) = (la.start, rb_.start);
                let sim;
                (sim, lt[a], rt[b]) = single_similarity(l, lu[a].1.clone(), r, ru[b].1.clone());
                best_l[a] = best_l[a].max(sim);
                best_r[b] = best_r[b].max(sim);
                cands.push((sim + IN_PLACE_BONUS, sim, a, b));
                continue;
            }
            let common = WordBag::common_all(&lb[la.clone()], &rb[rb_.clone()]);
            for (a, row) in la.zip(common.chunks(rb_.len().max(1))) {
                for (b, &n) in rb_.clone().zip(row) {
                    let sim = WordBag::dice_of(n, lt[a], rt[b]);
                    best_l[a] = best_l[a].max(sim);
                    best_r[b] = best_r[b].max(sim);
                    cands.push((sim + IN_PLACE_BONUS, sim, a, b));
                }
            }
        }
        // Across regions: only paragraphs whose change in place is poor enough that a move
        // could beat it (a move scores at most 1, in place scores sim + the bonus).
        let open = |best: f64, total: usize| best + IN_PLACE_BONUS < 1.0 && total >= MOVE_MIN_WORDS;
        let ls: Vec<usize> = (0..lu.len()).filter(|&a| open(best_l[a], lt[a])).collect();
        let rs: Vec<usize> = (0..ru.len()).filter(|&b| open(best_r[b], rt[b])).collect();
        for &a in &ls {
            if !lread[a] {
                (lb[a], lread[a]) = (read(l, &lu[a].1), true);
            }
        }
        for &b in &rs {
            if !rread[b] {
                (rb[b], rread[b]) = (read(r, &ru[b].1), true);
            }
        }
        if ls.len().saturating_mul(rs.len()) <= MOVE_MAX_COMPARISONS {
            for &a in &ls {
                for &b in &rs {
                    if lu[a].0 != ru[b].0 && lb[a].dice_bound(&rb[b]) >= MOVE_MIN_SIMILARITY {
                        let sim = lb[a].dice(&rb[b]);
                        if sim >= MOVE_MIN_SIMILARITY {
                            cands.push((sim, sim, a, b));
                        }
                    }
                }
            }
        }
        // Each pair is a candidate once, so the order is total and need not be stable.
        cands.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.2.cmp(&y.2)).then(x.3.cmp(&y.3)));
        let mut lp: Vec<Option<(usize, f64)>> = vec![None; lu.len()];
        let mut rp: Vec<Option<(usize, f64)>> = vec![None; ru.len()];
        for (_, sim, a, b) in cands {
            if lp[a].is_none() && rp[b].is_none() {
                lp[a] = Some((b, sim));
                rp[b] = Some((a, sim));
            }
        }
        // Pairs within a region that cross the region's other pairs are moves too.
        for (k, own) in lr_of.iter().enumerate() {
            let inner: Vec<(usize, usize)> = own
                .clone()
                .filter_map(|a| lp[a].filter(|&(b, _)| ru[b].0 == k).map(|(b, _)| (a, b)))
                .collect();
            let keep =
                super::align::longest_increasing(&inner.iter().map(|p| p.1).collect::<Vec<_>>());
            for (&(a, b), kept) in inner.iter().zip(keep) {
                if !kept && lt[a] >= MOVE_MIN_WORDS && rt[b] >= MOVE_MIN_WORDS {
                    let sim = lp[a].map_or(0.0, |p| p.1);
                    out_to[a] = Some((b, sim));
                    in_from[b] = Some((a, sim));
                }
            }
        }
        for a in 0..lu.len() {
            if let Some((b, sim)) = lp[a] {
                if ru[b].0 != lu[a].0 {
                    out_to[a] = Some((b, sim));
                    in_from[b] = Some((a, sim));
                } else if out_to[a].is_none() {
                    in_place[a] = Some(b);
                }
            }
        }
    }
    let mut paired_r = vec![false; ru.len()];
    for b in in_place.iter().flatten() {
        paired_r[*b] = true;
    }
    // Walk each region's paragraphs on both sides together: moved ones are emitted on their
    // own; the others gather into chunks changed in place, kept in step by the in-place pairs.
    let mut plans = Vec::with_capacity(regions.len());
    let (mut x, mut y) = (0, 0);
    for (k, g) in regions.iter().enumerate() {
        let mut plan = Vec::new();
        let mut chunk = (g.left.start..g.left.start, g.right.start..g.right.start);
        let flush = |plan: &mut Vec<Emit>, chunk: &mut (Range<usize>, Range<usize>)| {
            if !chunk.0.is_empty() || !chunk.1.is_empty() {
                plan.push(Emit::Chunk(chunk.0.clone(), chunk.1.clone()));
            }
            *chunk = (chunk.0.end..chunk.0.end, chunk.1.end..chunk.1.end);
        };
        loop {
            let lx = (x < lu.len() && lu[x].0 == k).then_some(x);
            let ry = (y < ru.len() && ru[y].0 == k).then_some(y);
            match (lx, ry) {
                (None, None) => break,
                (Some(a), _) if out_to[a].is_some() => {
                    flush(&mut plan, &mut chunk);
                    let (to, sim) = out_to[a].unwrap_or((0, 0.0));
                    plan.push(Emit::MovedOut(lu[a].1.clone(), ru[to].1.clone(), sim));
                    chunk.0 = lu[a].1.end..lu[a].1.end;
                    x += 1;
                }
                (_, Some(b)) if in_from[b].is_some() => {
                    flush(&mut plan, &mut chunk);
                    let (from, sim) = in_from[b].unwrap_or((0, 0.0));
                    plan.push(Emit::MovedIn(lu[from].1.clone(), ru[b].1.clone(), sim));
                    chunk.1 = ru[b].1.end..ru[b].1.end;
                    y += 1;
                }
                (Some(a), Some(b)) => match in_place[a] {
                    // Paired with this right paragraph: both join the chunk.
                    Some(p) if p == b => {
                        chunk.0.end = lu[a].1.end;
                        chunk.1.end = ru[b].1.end;
                        x += 1;
                        y += 1;
                        // A pair ends its chunk, so each paragraph is diffed with its own
                        // counterpart, unless the next unpaired paragraph is part of it (a
                        // paragraph split in two, or two merged).
                        // (Only regions of several paragraphs have a next one; their bags
                        // are all read.)
                        let part_of = |bag: Option<&WordBag>, whole: &WordBag| {
                            bag.is_some_and(|b| b.containment_in(whole) >= 0.5)
                        };
                        let next_l = (x < lu.len()
                            && lu[x].0 == k
                            && in_place[x].is_none()
                            && out_to[x].is_none())
                        .then(|| lb.get(x))
                        .flatten();
                        let next_r =
                            (y < ru.len() && ru[y].0 == k && in_from[y].is_none() && !paired_r[y])
                                .then(|| rb.get(y))
                                .flatten();
                        if !part_of(next_l, &rb[b]) && !part_of(next_r, &lb[a]) {
                            flush(&mut plan, &mut chunk);
                        }
                    }
                    // Paired further on: the right paragraphs before its partner come first.
                    Some(_) => {
                        chunk.1.end = ru[b].1.end;
                        y += 1;
                    }
                    None => {
                        chunk.0.end = lu[a].1.end;
                        x += 1;
                    }
                },
                (Some(a), None) => {
                    chunk.0.end = lu[a].1.end;
                    x += 1;
                }
                (None, Some(b)) => {
                    chunk.1.end = ru[b].1.end;
                    y += 1;
                }
            }
        }
        flush(&mut plan, &mut chunk);
        plans.push(plan);
    }
    plans
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
    let lu = units(l, lr.clone());
    let ru = units(r, rr.clone());
    let lk: Vec<Cow<str>> = lu.iter().map(|u| unit_key(l, u, opts)).collect();
    let rk: Vec<Cow<str>> = ru.iter().map(|u| unit_key(r, u, opts)).collect();
    let ops = capture_diff_slices_deadline(
        Algorithm::Myers,
        &lk,
        &rk,
        deadline_for(lk.len(), rk.len(), deadline),
    );
    let mut timed_out = Instant::now() > deadline;

    // Equal stretches and regions, in order.
    let line_range = |units: &[Range<usize>], idx: Range<usize>, fallback: usize| {
        if idx.is_empty() {
            let at = units.get(idx.start).map_or(fallback, |u| u.start);
            at..at
        } else {
            units[idx.start].start..units[idx.end - 1].end
        }
    };
    let mut pieces: Vec<Piece> = Vec::new();
    for op in &ops {
        let (lo, ro) = (op.old_range(), op.new_range());
        let lines_l = line_range(&lu, lo.clone(), lr.end);
        let lines_r = line_range(&ru, ro.clone(), rr.end);
        if let DiffOp::Equal { old_index, new_index, len } = *op {
            // Paragraphs rewrapped differently: one equal piece per unit, so lines pair up
            // within each paragraph.
            let mut k = 0;
            while k < len {
                let start = k;
                while k < len && lu[old_index + k].len() == ru[new_index + k].len() {
                    k += 1;
                }
                if k == start {
                    k += 1;
                }
                let a = line_range(&lu, old_index + start..old_index + k, lr.end);
                let b = line_range(&ru, new_index + start..new_index + k, rr.end);
                pieces.push(Piece::Equal(a, b));
            }
            continue;
        }
        match pieces.last_mut() {
            Some(Piece::Region(reg)) => {
                reg.left.end = lines_l.end.max(reg.left.end);
                reg.right.end = lines_r.end.max(reg.right.end);
            }
            _ => pieces.push(Piece::Region(Region { left: lines_l, right: lines_r })),
        }
    }

    // Under normalisation, changes separated only by blank lines whose items are equal once
    // joined (a paragraph split, or joined, by a blank line) are equal.
    let pieces = if opts.normalizing() { join_blank_separated(pieces, l, r, opts) } else { pieces };

    // Moved paragraphs, and what remains changed in place.
    let regions: Vec<&Region> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Region(g) => Some(g),
            Piece::Equal(..) => None,
        })
        .collect();
    let plans = plan_regions(&regions, l, r);

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

/// The similarity (Dice, as [`WordBag::dice`]) of two paragraphs and their word counts,
/// reading words only between their equal beginnings and ends (see [`equal_ends`]): those
/// words are in common (`common(S+X, S+Y) = |S| + common(X, Y)`). A scattered edit thus
/// reads little more than itself, not its paragraph.
fn single_similarity(
    l: &Lines,
    a: Range<usize>,
    r: &Lines,
    b: Range<usize>,
) -> (f64, usize, usize) {
    let (a, b) = (l.span(a), r.span(b));
    let (p, s) = equal_ends(l.text, a.clone(), r.text, b.clone());
    let shared = word_count(l.text, a.start..a.start + p) + word_count(l.text, a.end - s..a.end);
    let x = word_bag(l.text, a.start + p..a.end - s);
    let y = word_bag(r.text, b.start + p..b.end - s);
    let common = u32::try_from(shared).unwrap_or(u32::MAX).saturating_add(x.common(&y));
    let (lt, rt) = (shared + x.total, shared + y.total);
    (WordBag::dice_of(common, lt, rt), lt, rt)
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
fn equal_ends(lt: &str, a: Range<usize>, rt: &str, b: Range<usize>) -> (usize, usize) {
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

/// Normalised words of a stretch, counted, for similarity: (word hash, count) sorted by
/// hash, so two bags compare in one merge pass without hashing (move detection compares many
/// pairs). A hash collision can only nudge a similarity score.
#[derive(Debug, Default, Clone)]
pub(crate) struct WordBag {
    counts: Vec<(u64, u32)>,
    total: usize,
}

impl WordBag {
    /// All the words of `parts`, merged pairwise as in a merge sort, so that a clause with
    /// many sub-clauses costs its words times the log of their number, not times the number.
    pub(crate) fn union(parts: &[&WordBag]) -> WordBag {
        match parts {
            [] => WordBag::default(),
            [one] => (*one).clone(),
            _ => {
                let (a, b) = parts.split_at(parts.len() / 2);
                let mut bag = WordBag::union(a);
                bag.merge(&WordBag::union(b));
                bag
            }
        }
    }

    /// Add another bag's words to this one.
    pub(crate) fn merge(&mut self, other: &WordBag) {
        let mut out = Vec::with_capacity(self.counts.len() + other.counts.len());
        let (a, b) = (&self.counts, &other.counts);
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    out.push((x.0, x.1 + y.1));
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    out.push(*x);
                    i += 1;
                }
                (Some(x), None) => {
                    out.push(*x);
                    i += 1;
                }
                (_, Some(y)) => {
                    out.push(*y);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        self.counts = out;
        self.total += other.total;
    }
    /// Words in common, counted with multiplicity.
    pub(crate) fn common(&self, other: &WordBag) -> u32 {
        let (a, b) = (&self.counts, &other.counts);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += a[i].1.min(b[j].1);
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }
    /// Dice coefficient: twice the shared words over all words, 0..1.
    pub(crate) fn dice(&self, other: &WordBag) -> f64 {
        WordBag::dice_of(self.common(other), self.total, other.total)
    }
    /// The Dice coefficient of two bags of `a` and `b` words with `common` words in common.
    pub(crate) fn dice_of(common: u32, a: usize, b: usize) -> f64 {
        if a + b == 0 {
            return 1.0;
        }
        2.0 * f64::from(common) / (a + b) as f64
    }
    /// Words in common of each of `left` with each of `right`, row by row (`left.len()` rows
    /// of `right.len()`). Through an index of the right bags' words, so each left word costs
    /// a lookup and the bags sharing it, rather than a merge with every right bag: most pairs
    /// share few words.
    pub(crate) fn common_all<B: std::borrow::Borrow<WordBag>>(left: &[B], right: &[B]) -> Vec<u32> {
        // (word, right bag, count), sorted by word.
        let mut index: Vec<(u64, u32, u32)> = Vec::new();
        for (b, bag) in right.iter().map(B::borrow).enumerate() {
            let b = u32::try_from(b).unwrap_or(u32::MAX);
            index.extend(bag.counts.iter().map(|&(w, n)| (w, b, n)));
        }
        index.sort_unstable_by_key(|e| e.0);
        let mut out = vec![0u32; left.len() * right.len()];
        for (row, bag) in out.chunks_mut(right.len().max(1)).zip(left.iter().map(B::borrow)) {
            // The left words are sorted too: each search starts where the last ended.
            let mut from = 0;
            for &(w, n) in &bag.counts {
                from += index[from..].partition_point(|e| e.0 < w);
                for &(_, b, m) in index[from..].iter().take_while(|e| e.0 == w) {
                    row[b as usize] += n.min(m);
                }
            }
        }
        out
    }
    /// The best Dice coefficient the sizes allow (to skip hopeless pairs cheaply).
    pub(crate) fn dice_bound(&self, other: &WordBag) -> f64 {
        if self.total + other.total == 0 {
            return 1.0;
        }
        2.0 * self.total.min(other.total) as f64 / (self.total + other.total) as f64
    }
    /// Share of this bag's words found in `other`, 0..1.
    pub(crate) fn containment_in(&self, other: &WordBag) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        self.common(other) as f64 / self.total as f64
    }
    pub(crate) fn total(&self) -> usize {
        self.total
    }
}

impl WordBag {
    /// A bag from word hashes in any order.
    pub(crate) fn from_hashes(mut hashes: Vec<u64>) -> WordBag {
        hashes.sort_unstable();
        let total = hashes.len();
        let mut counts: Vec<(u64, u32)> = Vec::with_capacity(total);
        for h in hashes {
            match counts.last_mut() {
                Some(last) if last.0 == h => last.1 += 1,
                _ => counts.push((h, 1)),
            }
        }
        WordBag { counts, total }
    }
}

/// FNV-1a step over bytes.
pub(crate) fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The words of `text[span]` as a bag: letters and digits, case folded (what similarity
/// needs of normalisation: quotes, dashes and spacing are not words anyway).
pub(crate) fn word_bag(text: &str, span: Range<usize>) -> WordBag {
    let mut hashes: Vec<u64> = Vec::with_capacity(span.len() / 5);
    each_word(text, span, |h| hashes.push(h));
    WordBag::from_hashes(hashes)
}

/// The number of words [`word_bag`] finds in `text[span]`.
fn word_count(text: &str, span: Range<usize>) -> usize {
    let mut n = 0;
    each_word(text, span, |_| n += 1);
    n
}

/// The reading behind [`word_bag`]: each word's hash, in order.
fn each_word(text: &str, span: Range<usize>, mut word: impl FnMut(u64)) {
    const SEED: u64 = 0xcbf2_9ce4_8422_2325;
    let mut h = SEED;
    let mut in_word = false;
    let mut push = |h: &mut u64, in_word: &mut bool| {
        if *in_word {
            word(*h);
            *h = SEED;
            *in_word = false;
        }
    };
    let piece = &text[span];
    if piece.is_ascii() {
        for &b in piece.as_bytes() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
                in_word = true;
            } else {
                push(&mut h, &mut in_word);
            }
        }
    } else {
        for c in piece.chars() {
            if c.is_alphanumeric() || c == '_' {
                for l in c.to_lowercase() {
                    let mut buf = [0u8; 4];
                    for &b in l.encode_utf8(&mut buf).as_bytes() {
                        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                    }
                }
                in_word = true;
            } else {
                push(&mut h, &mut in_word);
            }
        }
    }
    push(&mut h, &mut in_word);
}

/// Word-level diff of one stretch, with its display rows. `set_aside`: compare only what
/// lies between the stretch's equal ends (always, but in tests comparing the two).
#[allow(clippy::too_many_arguments)]
fn word_hunk(
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
fn hunk_rows(
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

/// Name an invisible or look-alike character, or `None` for an ordinary one.
pub fn odd_char_name(c: char, word_is_latin: bool) -> Option<String> {
    use unicode_script::{Script, UnicodeScript};
    let name = match c {
        '\u{00A0}' => "no-break space",
        '\u{2007}' => "figure space",
        '\u{202F}' => "narrow no-break space",
        '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' | '\u{1680}' => "unusual space",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "zero-width no-break space (BOM)",
        '\u{00AD}' => "soft hyphen",
        '\u{2011}' => "non-breaking hyphen",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "direction mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "bidi control",
        _ if crate::text::sanitize::is_hidden(c) => "invisible or control character",
        _ if c.is_alphabetic() && !c.is_ascii() && word_is_latin => {
            let script = c.script();
            if matches!(script, Script::Latin | Script::Common | Script::Inherited) {
                return None;
            }
            return Some(format!("{} letter in a Latin word", script.full_name()));
        }
        _ => return None,
    };
    Some(name.to_string())
}

fn collect_odd(out: &mut Vec<OddChar>, lines: &Lines, spans: &[Range<usize>], side: Side) {
    for s in spans {
        let piece = &lines.text[s.clone()];
        if piece.is_ascii() {
            continue;
        }
        // The word around a character decides whether a foreign letter is a look-alike.
        let line_no = lines.line_of(s.start);
        let lr = lines.range(line_no);
        for (off, c) in piece.char_indices() {
            // An ASCII character is odd only as a control; only a foreign letter needs the
            // word around it.
            if c.is_ascii() && !crate::text::sanitize::is_hidden(c) {
                continue;
            }
            let pos = s.start + off;
            let word_is_latin = c.is_alphabetic() && !c.is_ascii() && {
                let text = lines.text;
                let mut a = pos;
                while a > lr.start {
                    let p = text[..a].chars().next_back().unwrap_or(' ');
                    if !p.is_alphanumeric() {
                        break;
                    }
                    a -= p.len_utf8();
                }
                let mut b = pos;
                while b < lr.end {
                    let n = text[b..].chars().next().unwrap_or(' ');
                    if !n.is_alphanumeric() {
                        break;
                    }
                    b += n.len_utf8();
                }
                text[a..b].chars().any(|x| x.is_ascii_alphabetic())
            };
            if let Some(name) = odd_char_name(c, word_is_latin) {
                out.push(OddChar {
                    side,
                    line: line_no + 1,
                    column: lines.text[lr.start..pos].chars().count() + 1,
                    code_point: format!("U+{:04X}", c as u32),
                    name,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact() -> DiffOptions {
        DiffOptions::default()
    }

    /// A paragraph of words from a small vocabulary (so words repeat), with spaces, tabs,
    /// line breaks and punctuation, and a copy with a few edits.
    fn edited_pair() -> impl proptest::strategy::Strategy<Value = (String, String)> {
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
                word_hunk(&l, 0..l.len(), &r, 0..r.len(), &exact(), far, &mut t, set_aside).0
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

        /// The similarity of two paragraphs read between their equal ends is that of their
        /// whole bags.
        #[test]
        fn single_similarity_is_the_whole_bags((left, right) in edited_pair()) {
            let (l, r) = (Lines::new(&left), Lines::new(&right));
            let (sim, lt, rt) = single_similarity(&l, 0..l.len(), &r, 0..r.len());
            let (x, y) = (word_bag(&left, 0..left.len()), word_bag(&right, 0..right.len()));
            proptest::prop_assert_eq!((sim, lt, rt), (x.dice(&y), x.total, y.total));
        }

        /// The indexed count of shared words is the pairwise merge's, for every pair.
        #[test]
        fn common_all_is_common_pair_by_pair(
            left in proptest::collection::vec("(a|b|c|the|of) ?(a|b|c|the|of)? ?(x|y)?", 0..6),
            right in proptest::collection::vec("(a|b|c|the|of) ?(a|b|the)? ?(y|z)?", 0..6),
        ) {
            let bags = |texts: &[String]| -> Vec<WordBag> {
                texts.iter().map(|t| word_bag(t, 0..t.len())).collect()
            };
            let (lb, rb) = (bags(&left), bags(&right));
            let all = WordBag::common_all(&lb, &rb);
            proptest::prop_assert_eq!(all.len(), lb.len() * rb.len());
            for (a, x) in lb.iter().enumerate() {
                for (b, y) in rb.iter().enumerate() {
                    proptest::prop_assert_eq!(all[a * rb.len() + b], x.common(y));
                }
            }
        }
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
    fn lines_index() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!(l.len(), 4);
        assert_eq!(l.line(1), "bc");
        assert_eq!(l.line(2), "");
        assert_eq!(l.line_of(3), 1);
        assert_eq!(l.span(1..3), 2..5);
        assert_eq!(Lines::new("a\n").len(), 1);
        assert_eq!(Lines::new("").len(), 0);
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

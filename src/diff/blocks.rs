//! The block stage: the texts cut into paragraphs and diffed paragraph by paragraph, giving
//! equal stretches and changed regions ([`pieces`]); then the paragraphs that moved between
//! regions are found and each region's output planned ([`plan_regions`]).

use std::borrow::Cow;
use std::ops::Range;
use std::time::Instant;

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::bag::{WordBag, word_bag, word_count};
use super::hunk::equal_ends;
use super::lines::Lines;
use super::options::{DiffOptions, deadline_for};
use crate::text::normalize::{self, items};

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

fn unit_key<'a>(lines: &Lines<'a>, unit: &Range<usize>, opts: &DiffOptions) -> Cow<'a, str> {
    let s = &lines.text[lines.span(unit.clone())];
    if opts.normalizing() {
        Cow::Owned(normalize::normalize(s, opts.norm()))
    } else {
        Cow::Borrowed(s)
    }
}

/// A stretch of changed blocks before word detail.
pub(crate) struct Region {
    pub(crate) left: Range<usize>,
    pub(crate) right: Range<usize>,
}

/// Equal stretches and changed regions, in order.
pub(crate) enum Piece {
    Equal(Range<usize>, Range<usize>),
    Region(Region),
}

/// The block stage of [`super::diff_ranges`] on lines `lr` of `l` and `rr` of `r`: equal
/// stretches and changed regions, in order, and whether the deadline had passed by the end of
/// the paragraph diff.
pub(crate) fn pieces(
    l: &Lines,
    lr: Range<usize>,
    r: &Lines,
    rr: Range<usize>,
    opts: &DiffOptions,
    deadline: Instant,
) -> (Vec<Piece>, bool) {
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
    let timed_out = Instant::now() > deadline;

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
    (pieces, timed_out)
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
pub(crate) enum Emit {
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
pub(crate) fn plan_regions(regions: &[&Region], l: &Lines, r: &Lines) -> Vec<Vec<Emit>> {
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
                (lread[a], lt[a]) = (true, lb[a].total());
            }
        }
        for (b, (k, u)) in ru.iter().enumerate() {
            if !single(*k) {
                rb[b] = read(r, u);
                (rread[b], rt[b]) = (true, rb[b].total());
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
                    (lt[a], rt[b]) = (lb[a].total(), rb[b].total());
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
    let (lt, rt) = (shared + x.total(), shared + y.total());
    (WordBag::dice_of(common, lt, rt), lt, rt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::hunk::tests::edited_pair;

    proptest::proptest! {
        /// The similarity of two paragraphs read between their equal ends is that of their
        /// whole bags.
        #[test]
        fn single_similarity_is_the_whole_bags((left, right) in edited_pair()) {
            let (l, r) = (Lines::new(&left), Lines::new(&right));
            let (sim, lt, rt) = single_similarity(&l, 0..l.len(), &r, 0..r.len());
            let (x, y) = (word_bag(&left, 0..left.len()), word_bag(&right, 0..right.len()));
            proptest::prop_assert_eq!((sim, lt, rt), (x.dice(&y), x.total(), y.total()));
        }
    }
}

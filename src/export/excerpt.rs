//! What an export quotes under a thread: the passage it discusses in its paragraph, or its
//! clause (the opening lines of a long one), with the word changes of the session's
//! comparison (the same rows the workbench shows), so the words a reader sees marked are the
//! words every other view marks.

use std::ops::RangeInclusive;

use super::report::{DiffSpan, DiffTag};
use crate::diff::{Lines, Row, RowSide, RowTag};
use crate::review::{Placement, Session};

/// A clause of at most this many lines is quoted whole.
pub const WHOLE_CLAUSE_LINES: usize = 12;
/// Of a longer clause, this many opening lines are quoted, then an ellipsis.
pub const OPENING_LINES: usize = 8;
/// Lines of a long paragraph quoted on either side of a passage.
const AROUND_PASSAGE: usize = 2;

/// The quoted lines of the shown version and their changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    /// The lines as written, joined by `\n`; `…` on a line of its own when cut.
    pub text: String,
    /// Lines of the clause were left out.
    pub cut: bool,
    /// Word changes of those lines from `from` to `to` (empty when none).
    pub diff: Vec<DiffSpan>,
}

/// The excerpt of a placed thread on version `shown`, with changes between `from` and `to`
/// (one of which is `shown`).
pub fn excerpt(session: &Session, placement: &Placement, from: &str, to: &str) -> Option<Excerpt> {
    let shown = placement.on.as_str();
    let text = session.text(shown).ok()?;
    let i = placement.resolution.index.filter(|_| placement.state().is_placed())?;
    let lines = Lines::new(&text.text.content);
    let clause = &text.tree.clauses[i];
    let (first, last) = (clause.line_start, clause.line_end.max(clause.line_start));
    let (range, cut) = match &placement.resolution.quote {
        Some(q) => passage_lines(&lines, q.start, q.end, first, last),
        None if last - first < WHOLE_CLAUSE_LINES => (first..=last, false),
        None => (first..=first + OPENING_LINES - 1, true),
    };
    let mut quoted: Vec<&str> = range.clone().map(|n| lines.line(n - 1)).collect();
    while quoted.last().is_some_and(|l| l.trim().is_empty()) {
        quoted.pop();
    }
    let mut out = quoted.join("\n");
    if cut {
        out.push_str("\n…");
    }
    let diff = if shown == from || shown == to {
        changes(session, from, to, shown == to, &range).unwrap_or_default()
    } else {
        Vec::new()
    };
    Some(Excerpt { text: out, cut, diff })
}

/// The paragraph (lines between blank lines, within the clause) holding bytes
/// `start..end`; of a long paragraph, the lines of the passage and a few around it.
fn passage_lines(
    lines: &Lines,
    start: usize,
    end: usize,
    first: usize,
    last: usize,
) -> (RangeInclusive<usize>, bool) {
    let (a, b) = (lines.line_of(start) + 1, lines.line_of(end.saturating_sub(1).max(start)) + 1);
    let blank = |n: usize| lines.line(n - 1).trim().is_empty();
    let mut top = a.max(first);
    while top > first && !blank(top - 1) {
        top -= 1;
    }
    let mut bottom = b.min(last);
    while bottom < last && !blank(bottom + 1) {
        bottom += 1;
    }
    if bottom - top < WHOLE_CLAUSE_LINES {
        return (top..=bottom, false);
    }
    let top2 = a.saturating_sub(AROUND_PASSAGE).max(top);
    let bottom2 = (b + AROUND_PASSAGE).min(bottom);
    (top2..=bottom2, top2 > top || bottom2 < bottom)
}

/// The word changes of the shown lines `range` (1-based, on the right side when
/// `shown_right`), from the session's comparison of `from` with `to`.
fn changes(
    session: &Session,
    from: &str,
    to: &str,
    shown_right: bool,
    range: &RangeInclusive<usize>,
) -> Option<Vec<DiffSpan>> {
    let cmp = session.compare(from, to).ok()?;
    let (lt, rt) = (session.text(from).ok()?, session.text(to).ok()?);
    let (ll, rl) = (Lines::new(&lt.text.content), Lines::new(&rt.text.content));
    let rows = cmp.rows(&ll, &rl);
    let shown_line = |row: &Row| side(row, shown_right).map(|s| s.line);
    let inside: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, (row, _))| shown_line(row).is_some_and(|n| range.contains(&n)))
        .map(|(k, _)| k)
        .collect();
    let (&a, &b) = (inside.first()?, inside.last()?);
    let picked: Vec<&Row> = rows[a..=b]
        .iter()
        .map(|(row, _)| row)
        .filter(|row| shown_line(row).is_none_or(|n| range.contains(&n)))
        .collect();
    if picked.iter().all(|row| row.tag == RowTag::Equal) {
        return Some(Vec::new());
    }
    let mut spans: Vec<DiffSpan> = Vec::new();
    // Equal rows as they are; each run of changed rows as one stretch, since the two sides
    // of a change may be wrapped differently and their rows do not correspond word by word.
    let mut k = 0;
    while k < picked.len() {
        if k > 0 {
            push(&mut spans, DiffTag::Equal, "\n");
        }
        if picked[k].tag == RowTag::Equal {
            if let Some(side) = side(picked[k], shown_right) {
                let lines = if shown_right { &rl } else { &ll };
                push(&mut spans, DiffTag::Equal, lines.line(side.line - 1));
            }
            k += 1;
            continue;
        }
        let end =
            picked[k..].iter().position(|r| r.tag == RowTag::Equal).map_or(picked.len(), |n| k + n);
        let (left, right) =
            (stretch(&picked[k..end], &ll, false), stretch(&picked[k..end], &rl, true));
        let (shown, other) = if shown_right { (right, left) } else { (left, right) };
        interleave(&mut spans, &shown, &other, shown_right);
        k = end;
    }
    Some(spans)
}

/// One side of a run of rows as one text (lines joined by `\n`) with its marked ranges.
struct Stretch {
    text: String,
    segments: Vec<(std::ops::Range<usize>, bool)>,
}

fn stretch(rows: &[&Row], lines: &Lines, right: bool) -> Stretch {
    let mut out = Stretch { text: String::new(), segments: Vec::new() };
    for row in rows {
        let Some(side) = (if right { &row.right } else { &row.left }) else { continue };
        if !out.text.is_empty() {
            let at = out.text.len();
            out.text.push('\n');
            out.segments.push((at..at + 1, false));
        }
        let base = out.text.len();
        let line = lines.line(side.line - 1);
        out.text.push_str(line);
        // A row of one side only is wholly changed.
        let whole = if right { row.left.is_none() } else { row.right.is_none() };
        if whole {
            out.segments.push((base..base + line.len(), true));
        } else {
            out.segments
                .extend(side.segments.iter().map(|(r, m)| (r.start + base..r.end + base, *m)));
        }
    }
    out
}

/// The shown side's text, with the other side's changed words put where they belong. Words
/// that compare equal are not marked, so both sides' unmarked words correspond; a change of
/// the other side goes before the shown side's letter that follows as many letters and
/// digits of unmarked text as preceded it on its own side.
fn interleave(out: &mut Vec<DiffSpan>, shown: &Stretch, other: &Stretch, shown_right: bool) {
    let (shown_tag, other_tag) = if shown_right {
        (DiffTag::Insert, DiffTag::Delete)
    } else {
        (DiffTag::Delete, DiffTag::Insert)
    };
    // The other side's changed words, each with the count of unmarked letters before it.
    let mut pending: Vec<(usize, String)> = Vec::new();
    let mut count = 0;
    let mut gap = false;
    for (range, marked) in &other.segments {
        let piece = &other.text[range.clone()];
        if *marked {
            match pending.last_mut() {
                // Two changes with only white space (a line break) between them: one change.
                Some((at, text)) if *at == count && gap => {
                    text.push(' ');
                    text.push_str(piece);
                }
                _ => pending.push((count, piece.to_string())),
            }
            gap = false;
        } else {
            count += piece.chars().filter(|c| c.is_alphanumeric()).count();
            gap = piece.chars().all(char::is_whitespace);
        }
    }
    let mut pending = pending.into_iter().peekable();
    let mut seen = 0;
    for (range, marked) in &shown.segments {
        let piece = &shown.text[range.clone()];
        if *marked {
            // Deletions before insertions, whichever side is shown.
            if !shown_right {
                push(out, shown_tag, piece);
            }
            while let Some((_, p)) = pending.next_if(|(at, _)| *at <= seen) {
                push(out, other_tag, &p);
            }
            if shown_right {
                push(out, shown_tag, piece);
            }
            continue;
        }
        let mut from = 0;
        for (k, c) in piece.char_indices() {
            if c.is_alphanumeric() {
                if pending.peek().is_some_and(|(at, _)| *at <= seen) {
                    push(out, DiffTag::Equal, &piece[from..k]);
                    from = k;
                    while let Some((_, p)) = pending.next_if(|(at, _)| *at <= seen) {
                        push(out, other_tag, &p);
                    }
                }
                seen += 1;
            }
        }
        push(out, DiffTag::Equal, &piece[from..]);
    }
    for (_, p) in pending {
        push(out, other_tag, &p);
    }
}

/// The side of a row shown on the right (`right`) or on the left.
fn side(row: &Row, right: bool) -> Option<&RowSide> {
    if right { row.right.as_ref() } else { row.left.as_ref() }
}

/// Append a span, joining it to the last one of the same kind.
fn push(out: &mut Vec<DiffSpan>, tag: DiffTag, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.tag == tag => last.text.push_str(text),
        _ => out.push(DiffSpan { tag, text: text.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stretch_of(text: &str, segs: &[(std::ops::Range<usize>, bool)]) -> Stretch {
        Stretch { text: text.to_string(), segments: segs.to_vec() }
    }

    fn marked(spans: &[DiffSpan]) -> String {
        spans
            .iter()
            .map(|s| match s.tag {
                DiffTag::Equal => s.text.clone(),
                DiffTag::Delete => format!("[-{}-]", s.text),
                DiffTag::Insert => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn a_replaced_word_reads_as_deletion_then_insertion() {
        let left = stretch_of("you must attach it", &[(0..4, false), (4..8, true), (8..18, false)]);
        let right =
            stretch_of("you shall attach it", &[(0..4, false), (4..9, true), (9..19, false)]);
        let mut out = Vec::new();
        interleave(&mut out, &right, &left, true);
        assert_eq!(marked(&out), "you [-must-]{+shall+} attach it");
        let mut out = Vec::new();
        interleave(&mut out, &left, &right, false);
        assert_eq!(marked(&out), "you [-must-]{+shall+} attach it");
    }

    #[test]
    fn a_deletion_without_insertion_lands_between_the_right_words() {
        let left = stretch_of("a b c d", &[(0..4, false), (4..6, true), (6..7, false)]);
        let right = stretch_of("a b d", &[(0..5, false)]);
        let mut out = Vec::new();
        interleave(&mut out, &right, &left, true);
        assert_eq!(marked(&out), "a b [-c -]d");
    }

    #[test]
    fn sides_wrapped_differently_still_line_up() {
        let left = stretch_of(
            "the Model. Old words\nhere.",
            &[(0..11, false), (11..20, true), (20..21, false), (21..25, true), (25..26, false)],
        );
        let right =
            stretch_of("the Model. New text.", &[(0..11, false), (11..19, true), (19..20, false)]);
        let mut out = Vec::new();
        interleave(&mut out, &right, &left, true);
        assert_eq!(marked(&out), "the Model. [-Old words here-]{+New text+}.");
    }
}

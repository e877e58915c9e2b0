//! Text renderings of a diff: side by side (columns wrapped at word boundaries) and unified.
//!
//! Pure functions to a `String`; the caller decides where it goes. Every piece of license
//! text goes through the display sanitiser. With `color`, changes are ANSI-coloured (removed
//! red, added green, changed words reversed, moved blocks magenta); without it, changed words
//! are marked in the text as `[-old-]` and `{+new+}`, so the output stays readable in a file
//! or a pipe.

use std::borrow::Cow;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use super::rows::equal_rows;
use super::{Block, Hunk, Lines, Row, RowSide, RowTag, Side, WordDiff};
use crate::text::sanitize::push_sanitized;
use crate::text::sanitize_line;

/// Unchanged lines shown around each change.
pub const CONTEXT: usize = 3;
/// Most clause ids listed after a changed definition; the rest are counted.
const MAX_USES_LISTED: usize = 12;

/// What a rendering needs besides the diff.
pub struct View<'a> {
    pub left: &'a Lines<'a>,
    pub right: &'a Lines<'a>,
    /// Clause id of each line of each side; shown in the gutter of the side-by-side view
    /// where it changes.
    pub left_ids: LineIds<'a>,
    pub right_ids: LineIds<'a>,
    pub color: bool,
    /// Total width of the side-by-side view, in columns.
    pub width: usize,
    pub context: usize,
}

/// The clause id of each 0-based line of a text: an index per line into the clause ids.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineIds<'a> {
    pub units: &'a [String],
    /// Index into `units` per line, [`super::NO_UNIT`] for a line outside every clause.
    pub of_line: &'a [u32],
}

impl<'a> LineIds<'a> {
    /// The id of line `line` (0-based); "" when the line is outside every clause.
    pub fn get(&self, line: usize) -> &'a str {
        let unit = self.of_line.get(line).and_then(|&k| self.units.get(k as usize));
        unit.map_or("", String::as_str)
    }

    /// The ids of all lines, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.of_line.len()).map(|i| self.get(i))
    }
}

/// A diff with an optional heading (a clause pair in `--by clause`).
pub struct Section<'a> {
    pub title: Option<String>,
    pub diff: &'a WordDiff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Dim,
    Del,
    DelEm,
    Ins,
    InsEm,
    Moved,
    MovedEm,
    Title,
}

impl Style {
    fn ansi(self) -> &'static str {
        match self {
            Style::Plain => "",
            Style::Dim => "\x1b[2m",
            Style::Del => "\x1b[31m",
            Style::DelEm => "\x1b[1;7;31m",
            Style::Ins => "\x1b[32m",
            Style::InsEm => "\x1b[1;7;32m",
            Style::Moved => "\x1b[35m",
            Style::MovedEm => "\x1b[1;7;35m",
            Style::Title => "\x1b[1;36m",
        }
    }
    fn emphasised(self) -> bool {
        matches!(self, Style::DelEm | Style::InsEm | Style::MovedEm)
    }
}

fn styled(out: &mut String, text: &str, style: Style, color: bool) {
    if color && style != Style::Plain && !text.is_empty() {
        out.push_str(style.ansi());
        out.push_str(text);
        out.push_str("\x1b[0m");
    } else {
        out.push_str(text);
    }
}

/// Plain-text markers around emphasised words when not coloured.
fn markers(style: Style, side: Side) -> (&'static str, &'static str) {
    match (style.emphasised(), side) {
        (false, _) => ("", ""),
        (true, Side::Left) => ("[-", "-]"),
        (true, Side::Right) => ("{+", "+}"),
    }
}

/// Styles for the plain and emphasised parts of a row side.
fn row_styles(row: &Row, side: Side) -> (Style, Style) {
    match (row.tag, row.moved, side) {
        (RowTag::Equal, ..) => (Style::Plain, Style::Plain),
        (_, true, _) => (Style::Moved, Style::MovedEm),
        (_, false, Side::Left) => (Style::Del, Style::DelEm),
        (_, false, Side::Right) => (Style::Ins, Style::InsEm),
    }
}

/// A row side as sanitised, styled pieces (markers included when not coloured).
fn pieces(lines: &Lines, rs: &RowSide, row: &Row, side: Side, color: bool) -> Vec<(String, Style)> {
    let text = lines.line(rs.line - 1);
    let (plain, em) = row_styles(row, side);
    let mut col = 0;
    let mut out = Vec::new();
    for (range, emph) in &rs.segments {
        let style = if *emph { em } else { plain };
        let (open, close) = if color { ("", "") } else { markers(style, side) };
        let piece = &text[range.clone()];
        let mut s = String::with_capacity(open.len() + piece.len() + close.len());
        s.push_str(open);
        if piece.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            // Printable ASCII is shown as itself (the common case, kept fast).
            s.push_str(piece);
            col += piece.len();
        } else {
            push_sanitized(&mut s, piece, &mut col);
        }
        if *emph && s[open.len()..].trim().is_empty() {
            // A change in white space only: make it visible.
            let shown = s[open.len()..].replace(' ', "\u{00B7}");
            s.truncate(open.len());
            s.push_str(if shown.is_empty() { "\u{00B7}" } else { &shown });
        }
        s.push_str(close);
        out.push((s, style));
    }
    out
}

/// Display width of a string (markers and all).
fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Wrap styled pieces into lines of at most `w` columns, breaking after spaces where possible.
fn wrap(pieces: &[(String, Style)], w: usize) -> Vec<Vec<(String, Style)>> {
    let w = w.max(1);
    // Chunks: a word with the spaces after it, keeping its style.
    let mut chunks: Vec<(String, Style)> = Vec::new();
    for (s, st) in pieces {
        let mut cur = String::new();
        let mut in_space = false;
        for c in s.chars() {
            if c == ' ' {
                in_space = true;
            } else if in_space {
                chunks.push((std::mem::take(&mut cur), *st));
                in_space = false;
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            chunks.push((cur, *st));
        }
    }
    let mut lines: Vec<Vec<(String, Style)>> = vec![Vec::new()];
    let mut used = 0;
    for (chunk, st) in chunks {
        let cw = width(chunk.trim_end());
        // A chunk glued to the previous one (no space between) may not fit either; break
        // anywhere when a single chunk is wider than the column.
        if used > 0 && used + cw > w {
            lines.push(Vec::new());
            used = 0;
        }
        let mut rest = chunk.as_str();
        while width(rest.trim_end()) > w - used {
            // Hard break inside the chunk.
            let mut take = 0;
            let mut tw = 0;
            for (i, c) in rest.char_indices() {
                let cw = UnicodeWidthStr::width(&rest[i..i + c.len_utf8()]);
                if tw + cw > w - used {
                    break;
                }
                tw += cw;
                take = i + c.len_utf8();
            }
            if take == 0 {
                if used == 0 {
                    // Wider than the whole column (a wide char in a 1-col column).
                    take = rest.chars().next().map_or(rest.len(), char::len_utf8);
                } else {
                    lines.push(Vec::new());
                    used = 0;
                    continue;
                }
            }
            if let Some(line) = lines.last_mut() {
                line.push((rest[..take].to_string(), st));
            }
            rest = &rest[take..];
            lines.push(Vec::new());
            used = 0;
        }
        if !rest.is_empty() {
            used += width(rest);
            if let Some(line) = lines.last_mut() {
                line.push((rest.to_string(), st));
            }
        }
    }
    // Neighbouring pieces of one style become one (fewer colour codes).
    for line in &mut lines {
        let mut merged: Vec<(String, Style)> = Vec::with_capacity(line.len());
        for (text, st) in line.drain(..) {
            match merged.last_mut() {
                Some(last) if last.1 == st => last.0.push_str(&text),
                _ => merged.push((text, st)),
            }
        }
        *line = merged;
    }
    // Trailing spaces do not count against the column.
    for line in &mut lines {
        if let Some(last) = line.last_mut() {
            let t = last.0.trim_end().len();
            last.0.truncate(t);
        }
    }
    while lines.len() > 1 && lines.last().is_some_and(|l| l.iter().all(|p| p.0.is_empty())) {
        lines.pop();
    }
    lines
}

/// Rows of part `k` (row indices) of an equal stretch.
fn equal_part(view: &View, left: &Range<usize>, right: &Range<usize>, k: Range<usize>) -> Vec<Row> {
    let l = left.start + k.start.min(left.len())..left.start + k.end.min(left.len());
    let r = right.start + k.start.min(right.len())..right.start + k.end.min(right.len());
    equal_rows(view.left, l, view.right, r)
}

/// Rows to show, grouped: each group is a run of changes with its context, and the notes
/// about moved blocks in it.
fn groups<'d>(view: &View, diff: &'d WordDiff) -> Vec<(Vec<Cow<'d, Row>>, Vec<String>)> {
    let c = view.context;
    let mut out = Vec::new();
    let mut open: Option<(Vec<Cow<Row>>, Vec<String>)> = None;
    let n = diff.blocks.len();
    for (k, b) in diff.blocks.iter().enumerate() {
        match b {
            Block::Change(h) => {
                let g = open.get_or_insert_with(|| {
                    // Leading context from the previous equal block.
                    let rows = match k.checked_sub(1).map(|p| &diff.blocks[p]) {
                        Some(Block::Equal { left, right }) => {
                            let len = left.len().max(right.len());
                            owned(equal_part(view, left, right, len.saturating_sub(c)..len))
                        }
                        _ => Vec::new(),
                    };
                    (rows, Vec::new())
                });
                // The hunk's rows are shown as they are (a large diff has many).
                g.0.extend(h.rows.iter().map(Cow::Borrowed));
                g.1.extend(move_note(h));
            }
            Block::Equal { left, right } => {
                let Some(mut g) = open.take() else { continue };
                let len = left.len().max(right.len());
                let next_is_change = k + 1 < n;
                if next_is_change && len <= 2 * c {
                    g.0.extend(owned(equal_part(view, left, right, 0..len)));
                    open = Some(g);
                } else {
                    g.0.extend(owned(equal_part(view, left, right, 0..c)));
                    out.push(g);
                }
            }
        }
    }
    out.extend(open);
    out
}

fn owned<'d>(rows: Vec<Row>) -> Vec<Cow<'d, Row>> {
    rows.into_iter().map(Cow::Owned).collect()
}

fn range_text(rows: &[Cow<Row>], side: Side) -> String {
    let nums: Vec<usize> = rows
        .iter()
        .filter_map(|r| match side {
            Side::Left => r.left.as_ref(),
            Side::Right => r.right.as_ref(),
        })
        .map(|s| s.line)
        .collect();
    match (nums.first(), nums.last()) {
        (Some(a), Some(b)) => format!("{a},{}", b - a + 1),
        _ => "0,0".to_string(),
    }
}

/// Write each section's title, and for each group of rows its `@@` header and notes, then
/// hand the rows to `rows` (the two views differ only there).
fn each_group(
    out: &mut String,
    view: &View,
    sections: &[Section],
    mut rows: impl FnMut(&mut String, &[Cow<Row>]),
) {
    for sec in sections {
        if let Some(t) = &sec.title {
            title_line(out, t, view.color);
        }
        for (g, notes) in groups(view, sec.diff) {
            styled(out, &group_header(&g), Style::Dim, view.color);
            out.push('\n');
            for note in notes {
                styled(out, &format!("   {note}"), Style::Moved, view.color);
                out.push('\n');
            }
            rows(out, &g);
        }
    }
}

fn group_header(rows: &[Cow<Row>]) -> String {
    format!("@@ -{} +{} @@", range_text(rows, Side::Left), range_text(rows, Side::Right))
}

/// The note for one half of a moved block: "lines +40..42 moved from -46..48".
fn move_note(h: &Hunk) -> Option<String> {
    let sim = (h.similarity * 100.0).round();
    let (l, r) = ((h.left.start + 1, h.left.end), (h.right.start + 1, h.right.end));
    match h.at? {
        Side::Left => {
            Some(format!("lines -{}..{} moved to +{}..{} ({sim}% same words)", l.0, l.1, r.0, r.1))
        }
        Side::Right => Some(format!(
            "lines +{}..{} moved from -{}..{} ({sim}% same words)",
            r.0, r.1, l.0, l.1
        )),
    }
}

fn title_line(out: &mut String, title: &str, color: bool) {
    let mut s = String::new();
    let mut col = 0;
    push_sanitized(&mut s, title, &mut col);
    styled(out, &format!("== {s}"), Style::Title, color);
    out.push('\n');
}

/// Side-by-side rendering: `id line mark text │ id line mark text`, text wrapped in columns.
pub fn side_by_side(view: &View, sections: &[Section]) -> String {
    let mut out = String::new();
    let num_w = view.left.len().max(view.right.len()).max(1).to_string().len();
    let id_w =
        view.left_ids.iter().chain(view.right_ids.iter()).map(width).max().unwrap_or(0).min(12);
    let gutter = if id_w > 0 { id_w + 1 } else { 0 } + num_w + 3;
    let half = view.width.saturating_sub(3) / 2;
    let text_w = half.saturating_sub(gutter).max(12);
    each_group(&mut out, view, sections, |out, g| {
        let (mut last_l, mut last_r) = (None::<String>, None::<String>);
        for row in g {
            let side = |lines: &Lines,
                        rs: &Option<RowSide>,
                        s: Side,
                        ids: LineIds,
                        last: &mut Option<String>| {
                let Some(rs) = rs else { return (String::new(), String::new(), vec![vec![]]) };
                let id = ids.get(rs.line - 1).to_string();
                let shown =
                    if last.as_deref() == Some(id.as_str()) { String::new() } else { id.clone() };
                *last = Some(id);
                let mark = match (row.tag, row.moved, s) {
                    (RowTag::Equal, ..) => " ",
                    (_, true, _) => ">",
                    (_, false, Side::Left) => "-",
                    (_, false, Side::Right) => "+",
                };
                let p = pieces(lines, rs, row, s, view.color);
                (shown, format!("{:>num_w$} {mark}", rs.line), wrap(&p, text_w))
            };
            let (lid, lnum, lwrap) =
                side(view.left, &row.left, Side::Left, view.left_ids, &mut last_l);
            let (rid, rnum, rwrap) =
                side(view.right, &row.right, Side::Right, view.right_ids, &mut last_r);
            let height = lwrap.len().max(rwrap.len());
            for k in 0..height {
                let mut line = String::new();
                for (id, num, wrapped, is_left) in
                    [(&lid, &lnum, &lwrap, true), (&rid, &rnum, &rwrap, false)]
                {
                    if !is_left {
                        styled(&mut line, " \u{2502} ", Style::Dim, view.color);
                    }
                    let id_cell = if k == 0 { id.as_str() } else { "" };
                    let num_cell = if k == 0 { num.clone() } else { " ".repeat(width(num)) };
                    if id_w > 0 {
                        let mut c = String::new();
                        let mut col = 0;
                        push_sanitized(&mut c, id_cell, &mut col);
                        let c: String = c.chars().take(id_w).collect();
                        let pad = id_w.saturating_sub(width(&c));
                        styled(&mut line, &c, Style::Dim, view.color);
                        line.push_str(&" ".repeat(pad + 1));
                    }
                    let num_cell =
                        if num_cell.is_empty() { " ".repeat(num_w + 2) } else { num_cell };
                    styled(&mut line, &num_cell, Style::Dim, view.color);
                    line.push(' ');
                    let mut used = 0;
                    if let Some(parts) = wrapped.get(k) {
                        for (s, st) in parts {
                            styled(&mut line, s, *st, view.color);
                            used += width(s);
                        }
                    }
                    if is_left {
                        line.push_str(&" ".repeat(text_w.saturating_sub(used)));
                    }
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    });
    out
}

/// Unified rendering: `-` and `+` lines with changed words marked, ` ` for context.
pub fn unified(view: &View, sections: &[Section]) -> String {
    let mut out = String::new();
    each_group(&mut out, view, sections, |out, g| {
        let mut k = 0;
        while k < g.len() {
            if g[k].tag == RowTag::Equal {
                // Context: the left line (under normalisation the right may differ in
                // wrapping only).
                let (lines, rs, s) = match (&g[k].left, &g[k].right) {
                    (Some(l), _) => (view.left, l, Side::Left),
                    (None, Some(r)) => (view.right, r, Side::Right),
                    (None, None) => {
                        k += 1;
                        continue;
                    }
                };
                out.push(' ');
                for (p, st) in pieces(lines, rs, &g[k], s, view.color) {
                    styled(out, &p, st, view.color);
                }
                out.push('\n');
                k += 1;
                continue;
            }
            let start = k;
            while k < g.len() && g[k].tag != RowTag::Equal {
                k += 1;
            }
            for (side, lines) in [(Side::Left, view.left), (Side::Right, view.right)] {
                for row in &g[start..k] {
                    let rs = match side {
                        Side::Left => row.left.as_ref(),
                        Side::Right => row.right.as_ref(),
                    };
                    let Some(rs) = rs else { continue };
                    let (plain, _) = row_styles(row, side);
                    let sign = if side == Side::Left { "-" } else { "+" };
                    styled(out, sign, plain, view.color);
                    for (p, st) in pieces(lines, rs, row, side, view.color) {
                        styled(out, &p, st, view.color);
                    }
                    out.push('\n');
                }
            }
        }
    });
    out
}

/// A hunk's changed words as (1-based line, 1-based column, text) per side.
pub fn word_changes(lines: &Lines, spans: &[Range<usize>]) -> Vec<(usize, usize, String)> {
    spans
        .iter()
        .map(|s| {
            let line = lines.line_of(s.start);
            let start = lines.range(line).start;
            let column = lines.text[start..s.start].chars().count() + 1;
            (line + 1, column, lines.text[s.clone()].to_string())
        })
        .collect()
}

/// The closing "Definitions" section: one line per changed, added or removed defined term with
/// its clause and the clauses using it (`Output (1.4) changed; used in 2.1(a), 2.2(b)`). Empty
/// when no definition changed. Names and ids are sanitised.
pub fn definitions(terms: &super::terms::TermComparison, color: bool) -> String {
    use super::terms::TermStatus;
    let mut out = String::new();
    for c in terms.changed() {
        if out.is_empty() {
            styled(&mut out, "Definitions:", Style::Title, color);
            out.push('\n');
        }
        let clause = match (c.left_clause.as_deref(), c.right_clause.as_deref()) {
            (Some(a), Some(b)) if a != b => {
                format!(" ({} -> {})", sanitize_line(a), sanitize_line(b))
            }
            (Some(a), _) | (None, Some(a)) => format!(" ({})", sanitize_line(a)),
            (None, None) => String::new(),
        };
        let style = match c.status {
            TermStatus::Added => Style::Ins,
            TermStatus::Removed => Style::Del,
            _ => Style::Plain,
        };
        out.push_str("  ");
        styled(
            &mut out,
            &format!("{}{clause} {}", sanitize_line(&c.term), c.status.as_str()),
            style,
            color,
        );
        if !c.used_in.is_empty() {
            let ids: Vec<String> =
                c.used_in.iter().take(MAX_USES_LISTED).map(|id| sanitize_line(id)).collect();
            let verb = if c.status == TermStatus::Removed { "still used in" } else { "used in" };
            out.push_str(&format!("; {verb} {}", ids.join(", ")));
            if c.used_in.len() > MAX_USES_LISTED {
                out.push_str(&format!(" and {} more", c.used_in.len() - MAX_USES_LISTED));
            }
        }
        out.push('\n');
    }
    out
}

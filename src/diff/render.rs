//! Text renderings of a diff: side by side (columns wrapped at word boundaries) and unified.
//!
//! Pure functions to a `String`; the caller decides where it goes. Every piece of license
//! text goes through the display sanitiser. With `color`, changes are ANSI-coloured (removed
//! red, added green, changed words reversed, moved blocks magenta); without it, changed words
//! are marked in the text as `[-old-]` and `{+new+}`, so the output stays readable in a file
//! or a pipe.

use std::borrow::Cow;
use std::io::Write;
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

/// A row side's text as sanitised, styled pieces (markers included when not coloured),
/// written one after another into `text`; `ends` gets each piece's end in `text` and its
/// style. Into buffers the caller reuses, as every row of a long diff comes through here.
fn pieces_into(
    lines: &Lines,
    rs: &RowSide,
    row: &Row,
    side: Side,
    color: bool,
    text: &mut String,
    ends: &mut Vec<(usize, Style)>,
) {
    text.clear();
    ends.clear();
    let line = lines.line(rs.line - 1);
    let (plain, em) = row_styles(row, side);
    let mut col = 0;
    for (range, emph) in &rs.segments {
        let style = if *emph { em } else { plain };
        let (open, close) = if color { ("", "") } else { markers(style, side) };
        let piece = &line[range.clone()];
        text.push_str(open);
        let body = text.len();
        if piece.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            // Printable ASCII is shown as itself (the common case, kept fast).
            text.push_str(piece);
            col += piece.len();
        } else {
            push_sanitized(text, piece, &mut col);
        }
        if *emph && text[body..].trim().is_empty() {
            // A change in white space only: make it visible.
            let shown = text[body..].replace(' ', "\u{00B7}");
            text.truncate(body);
            text.push_str(if shown.is_empty() { "\u{00B7}" } else { &shown });
        }
        text.push_str(close);
        ends.push((text.len(), style));
    }
}

/// Display width of a string (markers and all).
fn width(s: &str) -> usize {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        // Printable ASCII: one column a byte (most of any license).
        s.len()
    } else {
        UnicodeWidthStr::width(s)
    }
}

/// A row side's text wrapped into lines: `parts` are (range of the text, style), `line_ends`
/// the end of each line's parts.
#[derive(Debug, Default, PartialEq)]
struct Wrapped {
    parts: Vec<(Range<usize>, Style)>,
    line_ends: Vec<usize>,
}

impl Wrapped {
    fn lines(&self) -> usize {
        self.line_ends.len()
    }
    /// The parts of line `k` (none past the last line).
    fn line(&self, k: usize) -> &[(Range<usize>, Style)] {
        let Some(&end) = self.line_ends.get(k) else { return &[] };
        let start = if k == 0 { 0 } else { self.line_ends[k - 1] };
        &self.parts[start..end]
    }
    fn new_line(&mut self) {
        self.line_ends.push(self.parts.len());
    }
}

/// Wrap the pieces of `text` (ending at `ends`, as [`pieces_into`] gives them) into lines of
/// at most `w` columns, breaking after spaces where possible. The parts of a line are
/// consecutive in `text`, so they are ranges of it and nothing is copied.
fn wrap_into(text: &str, ends: &[(usize, Style)], w: usize, out: &mut Wrapped) {
    let w = w.max(1);
    out.parts.clear();
    out.line_ends.clear();
    // Printable ASCII throughout (most rows): every width is a length.
    let ascii = text.bytes().all(|b| (0x20..0x7f).contains(&b));
    let width = |s: &str| if ascii { s.len() } else { width(s) };
    let mut used = 0;
    // The open line's parts start at `out.parts.len()` after the last line end; a line is
    // closed by pushing its end.
    let chunk = |out: &mut Wrapped, chunk: Range<usize>, st: Style, used: &mut usize| {
        let cw = width(text[chunk.clone()].trim_end());
        // A chunk glued to the previous one (no space between) may not fit either; break
        // anywhere when a single chunk is wider than the column.
        if *used > 0 && *used + cw > w {
            out.new_line();
            *used = 0;
        }
        let mut rest = chunk;
        while width(text[rest.clone()].trim_end()) > w - *used {
            // Hard break inside the chunk.
            let r = &text[rest.clone()];
            let mut take = 0;
            let mut tw = 0;
            for (i, c) in r.char_indices() {
                let cw = width(&r[i..i + c.len_utf8()]);
                if tw + cw > w - *used {
                    break;
                }
                tw += cw;
                take = i + c.len_utf8();
            }
            if take == 0 {
                if *used == 0 {
                    // Wider than the whole column (a wide char in a 1-col column).
                    take = r.chars().next().map_or(r.len(), char::len_utf8);
                } else {
                    out.new_line();
                    *used = 0;
                    continue;
                }
            }
            out.parts.push((rest.start..rest.start + take, st));
            rest.start += take;
            out.new_line();
            *used = 0;
        }
        if !rest.is_empty() {
            *used += width(&text[rest.clone()]);
            out.parts.push((rest, st));
        }
    };
    let mut start = 0;
    for &(end, st) in ends {
        // Chunks: a word with the spaces after it, keeping its piece's style.
        let piece = &text[start..end];
        let mut from = start;
        let mut in_space = false;
        for (i, c) in piece.char_indices() {
            if c == ' ' {
                in_space = true;
            } else if in_space {
                chunk(out, from..start + i, st, &mut used);
                from = start + i;
                in_space = false;
            }
        }
        if from < end {
            chunk(out, from..end, st, &mut used);
        }
        start = end;
    }
    out.new_line();
    // Neighbouring parts of one style become one (fewer colour codes); trailing spaces do not
    // count against the column.
    let mut parts = Vec::with_capacity(out.parts.len());
    let mut line_ends = Vec::with_capacity(out.line_ends.len());
    let mut k = 0;
    for &end in &out.line_ends {
        let first = parts.len();
        for (r, st) in &out.parts[k..end] {
            let open = parts.len() > first;
            match parts.last_mut() {
                Some((last, lst)) if open && *lst == *st => {
                    let last: &mut Range<usize> = last;
                    last.end = r.end;
                }
                _ => parts.push((r.clone(), *st)),
            }
        }
        if parts.len() > first
            && let Some((last, _)) = parts.last_mut()
        {
            last.end = last.start + text[last.clone()].trim_end().len();
        }
        line_ends.push(parts.len());
        k = end;
    }
    out.parts = parts;
    out.line_ends = line_ends;
    while out.line_ends.len() > 1
        && out.line(out.line_ends.len() - 1).iter().all(|p| p.0.is_empty())
    {
        out.line_ends.pop();
        let end = out.line_ends.last().copied().unwrap_or(0);
        out.parts.truncate(end);
    }
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

/// Where a rendering goes: a string, handed on to a writer after each group of rows once it
/// holds [`FLUSH_AT`] bytes, so that a long diff is written as it is made (the first screen
/// shows at once, and the whole never sits in memory) and stops being made when the reader
/// goes away (`lrw diff ... | head`).
struct Sink<'w> {
    out: String,
    to: &'w mut dyn Write,
    failed: Option<std::io::Error>,
}

/// Bytes gathered before [`Sink`] writes them.
const FLUSH_AT: usize = 64 * 1024;

impl<'w> Sink<'w> {
    fn writer(to: &'w mut dyn Write) -> Self {
        Sink { out: String::with_capacity(2 * FLUSH_AT), to, failed: None }
    }
    /// Write what has gathered when it is enough (or `all`). False once a write failed: the
    /// rendering stops there.
    fn flush(&mut self, all: bool) -> bool {
        if self.failed.is_some() {
            return false;
        }
        if all || self.out.len() >= FLUSH_AT {
            if let Err(e) = self.to.write_all(self.out.as_bytes()) {
                self.failed = Some(e);
                return false;
            }
            self.out.clear();
        }
        true
    }
    fn finish(mut self) -> std::io::Result<()> {
        self.flush(true);
        self.failed.map_or(Ok(()), Err)
    }
}

/// Write each section's title, and for each group of rows its `@@` header and notes, then
/// hand the rows to `rows` (the two views differ only there).
fn each_group(
    sink: &mut Sink,
    view: &View,
    sections: &[Section],
    mut rows: impl FnMut(&mut String, &[Cow<Row>]),
) {
    for sec in sections {
        let out = &mut sink.out;
        if let Some(t) = &sec.title {
            title_line(out, t, view.color);
        }
        for (g, notes) in groups(view, sec.diff) {
            let out = &mut sink.out;
            styled(out, &group_header(&g), Style::Dim, view.color);
            out.push('\n');
            for note in notes {
                styled(out, &format!("   {note}"), Style::Moved, view.color);
                out.push('\n');
            }
            rows(out, &g);
            if !sink.flush(false) {
                return;
            }
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

/// Spaces for padding, without allocating for the usual widths.
fn spaces(n: usize) -> Cow<'static, str> {
    const SPACES: &str = "                                                                ";
    match SPACES.get(..n) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(" ".repeat(n)),
    }
}

/// One side of a side-by-side row, ready to draw; reused from row to row.
#[derive(Default)]
struct Cell {
    present: bool,
    /// The clause id cell: sanitised and cut to the id column ("" under the same id).
    id: String,
    /// Line number and mark (`  12 -`).
    num: String,
    text: String,
    ends: Vec<(usize, Style)>,
    wrapped: Wrapped,
}

impl Cell {
    #[allow(clippy::too_many_arguments)]
    fn fill<'a>(
        &mut self,
        lines: &Lines,
        rs: Option<&RowSide>,
        row: &Row,
        side: Side,
        ids: LineIds<'a>,
        last: &mut Option<&'a str>,
        (id_w, num_w, text_w): (usize, usize, usize),
        color: bool,
    ) {
        use std::fmt::Write as _;
        self.id.clear();
        self.num.clear();
        let Some(rs) = rs else {
            self.present = false;
            self.wrapped.parts.clear();
            self.wrapped.line_ends.clear();
            self.wrapped.new_line();
            return;
        };
        self.present = true;
        let id = ids.get(rs.line - 1);
        let shown = if *last == Some(id) { "" } else { id };
        *last = Some(id);
        if id_w > 0 && !shown.is_empty() {
            let mut col = 0;
            push_sanitized(&mut self.id, shown, &mut col);
            if let Some((cut, _)) = self.id.char_indices().nth(id_w) {
                self.id.truncate(cut);
            }
        }
        let mark = match (row.tag, row.moved, side) {
            (RowTag::Equal, ..) => " ",
            (_, true, _) => ">",
            (_, false, Side::Left) => "-",
            (_, false, Side::Right) => "+",
        };
        let _ = write!(self.num, "{:>num_w$} {mark}", rs.line);
        pieces_into(lines, rs, row, side, color, &mut self.text, &mut self.ends);
        wrap_into(&self.text, &self.ends, text_w, &mut self.wrapped);
    }

    /// Line `k` of this cell (gutter and text) onto `line`; returns the text's width.
    fn draw(
        &self,
        line: &mut String,
        k: usize,
        (id_w, num_w): (usize, usize),
        color: bool,
    ) -> usize {
        if id_w > 0 {
            let c = if k == 0 { self.id.as_str() } else { "" };
            styled(line, c, Style::Dim, color);
            line.push_str(&spaces(id_w.saturating_sub(width(c)) + 1));
        }
        if k == 0 && self.present {
            styled(line, &self.num, Style::Dim, color);
        } else {
            let n = if self.present { width(&self.num) } else { 0 };
            styled(line, &spaces(if n == 0 { num_w + 2 } else { n }), Style::Dim, color);
        }
        line.push(' ');
        let mut used = 0;
        for (r, st) in self.wrapped.line(k) {
            let s = &self.text[r.clone()];
            styled(line, s, *st, color);
            used += width(s);
        }
        used
    }
}

/// Side-by-side rendering, `id line mark text │ id line mark text` with text wrapped in
/// columns, written to `to` as it is made.
pub fn write_side_by_side(
    to: &mut dyn Write,
    view: &View,
    sections: &[Section],
) -> std::io::Result<()> {
    let mut sink = Sink::writer(to);
    draw_side_by_side(&mut sink, view, sections);
    sink.finish()
}

fn draw_side_by_side(sink: &mut Sink, view: &View, sections: &[Section]) {
    let num_w = view.left.len().max(view.right.len()).max(1).to_string().len();
    let id_w =
        view.left_ids.iter().chain(view.right_ids.iter()).map(width).max().unwrap_or(0).min(12);
    let gutter = if id_w > 0 { id_w + 1 } else { 0 } + num_w + 3;
    let half = view.width.saturating_sub(3) / 2;
    let text_w = half.saturating_sub(gutter).max(12);
    let (mut left, mut right) = (Cell::default(), Cell::default());
    let mut line = String::new();
    each_group(sink, view, sections, |out, g| {
        let (mut last_l, mut last_r) = (None, None);
        for row in g {
            let widths = (id_w, num_w, text_w);
            let (l, r) = (row.left.as_ref(), row.right.as_ref());
            left.fill(
                view.left,
                l,
                row,
                Side::Left,
                view.left_ids,
                &mut last_l,
                widths,
                view.color,
            );
            right.fill(
                view.right,
                r,
                row,
                Side::Right,
                view.right_ids,
                &mut last_r,
                widths,
                view.color,
            );
            let height = left.wrapped.lines().max(right.wrapped.lines());
            for k in 0..height {
                line.clear();
                let used = left.draw(&mut line, k, (id_w, num_w), view.color);
                line.push_str(&spaces(text_w.saturating_sub(used)));
                styled(&mut line, " \u{2502} ", Style::Dim, view.color);
                right.draw(&mut line, k, (id_w, num_w), view.color);
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    });
}

/// Unified rendering, `-` and `+` lines with changed words marked and ` ` for context,
/// written to `to` as it is made.
pub fn write_unified(to: &mut dyn Write, view: &View, sections: &[Section]) -> std::io::Result<()> {
    let mut sink = Sink::writer(to);
    draw_unified(&mut sink, view, sections);
    sink.finish()
}

fn draw_unified(sink: &mut Sink, view: &View, sections: &[Section]) {
    let (mut text, mut ends) = (String::new(), Vec::new());
    let mut pieces = |out: &mut String, lines: &Lines, rs: &RowSide, row: &Row, side: Side| {
        pieces_into(lines, rs, row, side, view.color, &mut text, &mut ends);
        let mut start = 0;
        for &(end, st) in &ends {
            styled(out, &text[start..end], st, view.color);
            start = end;
        }
    };
    each_group(sink, view, sections, |out, g| {
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
                pieces(out, lines, rs, &g[k], s);
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
                    pieces(out, lines, rs, row, side);
                    out.push('\n');
                }
            }
        }
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Display width of a string (markers and all), as measured before the ASCII shortcut.
    fn plain_width(s: &str) -> usize {
        UnicodeWidthStr::width(s)
    }

    /// [`wrap_into`] as first written, one string per chunk and part: the rules the fast
    /// version must keep.
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
            let cw = plain_width(chunk.trim_end());
            // A chunk glued to the previous one (no space between) may not fit either; break
            // anywhere when a single chunk is wider than the column.
            if used > 0 && used + cw > w {
                lines.push(Vec::new());
                used = 0;
            }
            let mut rest = chunk.as_str();
            while plain_width(rest.trim_end()) > w - used {
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
                used += plain_width(rest);
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

    /// Pieces of text with spaces, wide and zero-width characters, and white space that is
    /// not a space (which `trim_end` trims too), in a few styles.
    fn styled_pieces() -> impl Strategy<Value = Vec<(String, Style)>> {
        let text = proptest::collection::vec(
            prop_oneof![
                4 => proptest::sample::select(vec!["word", "a", "License", "x_1", "[-", "-]"]),
                4 => Just(" "),
                1 => proptest::sample::select(vec![
                    "  ", "\u{6F22}", "e\u{301}", "\u{00B7}", "\u{3000}", "\u{00A0}", "\u{27E8}U+200B\u{27E9}",
                    "averyveryverylongwordwithoutspaces",
                ]),
            ],
            0..12,
        )
        .prop_map(|v| v.concat());
        let style =
            proptest::sample::select(vec![Style::Plain, Style::Del, Style::DelEm, Style::Moved]);
        proptest::collection::vec((text, style), 0..6)
    }

    proptest! {
        /// Wrapping in place (ranges of one buffer, the ASCII width shortcut) gives the lines
        /// the string-per-chunk rules give.
        #[test]
        fn wrap_into_is_wrap(pieces in styled_pieces(), w in 0usize..30) {
            let mut text = String::new();
            let mut ends = Vec::new();
            for (p, st) in &pieces {
                text.push_str(p);
                ends.push((text.len(), *st));
            }
            let mut got = Wrapped::default();
            wrap_into(&text, &ends, w, &mut got);
            let got: Vec<Vec<(String, Style)>> = (0..got.lines())
                .map(|k| got.line(k).iter().map(|(r, st)| (text[r.clone()].to_string(), *st)).collect())
                .collect();
            prop_assert_eq!(got, wrap(&pieces, w));
        }
    }
}

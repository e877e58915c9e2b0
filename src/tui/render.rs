//! Pure helpers shared by `update` and `view`: the screen layout, and the styled, wrapped
//! lines of one side-by-side row. Both work on what is visible only.

use std::ops::Range;

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use super::components::{MainView, PaneId};
use super::doc::{Document, RowTag};
use crate::text::sanitize::{TAB_WIDTH, marker};

/// Smallest terminal the workbench draws in; below it a message is shown instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// Longest stretch of one line that is drawn; the rest is summarised.
pub const MAX_ROW_BYTES: usize = 4096;
/// Line-number gutter of each text column: 5 digits, a change marker and a space.
pub const GUTTER: u16 = 7;

/// Where each part of the screen goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    pub warning: Rect,
    pub outline: Rect,
    pub left: Rect,
    pub right: Rect,
    pub threads: Rect,
    pub status: Rect,
    /// The comment editor, when open (below the texts).
    pub editor: Rect,
    /// Where the texts are, or the threads list or the matrix in their place.
    pub main: Rect,
    pub too_small: bool,
    /// The panes shown, in focus order (`Tab`), each with its rectangle.
    pub panes: Vec<(PaneId, Rect)>,
}

impl Areas {
    /// Rows of text a text column shows (inside its border).
    pub fn text_height(&self) -> usize {
        self.left.height.saturating_sub(2) as usize
    }
    /// Columns of text a text column shows (inside its border, after the gutter).
    pub fn text_width(&self) -> usize {
        self.left.width.saturating_sub(2 + GUTTER).max(1) as usize
    }
    pub fn outline_height(&self) -> usize {
        self.outline.height.saturating_sub(2) as usize
    }
    pub fn threads_height(&self) -> usize {
        self.threads.height.saturating_sub(2) as usize
    }
    /// The rectangle of pane `id`, if shown.
    pub fn pane(&self, id: PaneId) -> Option<Rect> {
        self.panes.iter().find(|(p, _)| *p == id).map(|(_, r)| *r)
    }
}

/// What the layout depends on besides the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// Lines of the status line (1 to 3: a long message takes more).
    pub status: u16,
    /// A warning line shows under the header.
    pub warning: bool,
    /// The threads pane has the focus: below the texts, it takes more of the height (the
    /// texts keep a few rows), so a long thread is read in screenfuls, not a few lines.
    pub threads_tall: bool,
    /// The comment editor is open.
    pub editor: bool,
    /// What the main area shows.
    pub main: MainView,
}

/// Lay out a `width` x `height` screen. Wide screens put the thread panel in a column on the
/// right, narrower ones below the texts.
pub fn areas(width: u16, height: u16, shape: Shape) -> Areas {
    let warning = shape.warning;
    let mut a = Areas::default();
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        a.too_small = true;
        return a;
    }
    a.header = Rect::new(0, 0, width, 1);
    let mut top = 1;
    if warning {
        a.warning = Rect::new(0, 1, width, 1);
        top = 2;
    }
    let status = shape.status.clamp(1, 3);
    a.status = Rect::new(0, height - status, width, status);
    let body_h = height - status - top;
    let outline_w = (width / 5).clamp(18, 34);
    a.outline = Rect::new(0, top, outline_w, body_h);
    let rest_x = outline_w;
    let rest_w = width - outline_w;
    // The comment editor goes below the texts, so the clause stays in view.
    let editor_h = (body_h * 2 / 5).clamp(8, body_h.saturating_sub(6).max(8));
    let (texts_w, mut texts_h);
    let mut threads_shown = true;
    if width >= 160 {
        let threads_w = (width / 4).clamp(40, 60);
        texts_w = rest_w - threads_w;
        texts_h = body_h;
        a.threads = Rect::new(rest_x + texts_w, top, threads_w, body_h);
        if shape.editor {
            texts_h = body_h - editor_h;
            a.editor = Rect::new(rest_x, top + texts_h, texts_w, editor_h);
        }
    } else if shape.editor {
        // The editor takes the threads' place.
        texts_w = rest_w;
        texts_h = body_h - editor_h;
        a.editor = Rect::new(rest_x, top + texts_h, rest_w, editor_h);
        threads_shown = false;
    } else {
        let threads_h = if shape.threads_tall {
            (body_h * 3 / 5).max(6).min(body_h.saturating_sub(6))
        } else {
            (body_h / 3).clamp(6, 14)
        };
        texts_w = rest_w;
        texts_h = body_h - threads_h;
        a.threads = Rect::new(rest_x, top + texts_h, rest_w, threads_h);
    }
    let left_w = texts_w / 2;
    a.left = Rect::new(rest_x, top, left_w, texts_h);
    a.right = Rect::new(rest_x + left_w, top, texts_w - left_w, texts_h);
    a.main = a.left.union(a.right);
    a.panes = vec![(PaneId::Outline, a.outline), (shape.main.pane(), a.main)];
    if threads_shown {
        a.panes.push((PaneId::Threads, a.threads));
    }
    a
}

/// Styles of the texts, in one place so tests can assert them.
pub mod styles {
    use super::*;
    pub const DELETED: Style = Style::new().fg(Color::Red);
    pub const INSERTED: Style = Style::new().fg(Color::Green);
    pub const DELETED_WORD: Style =
        Style::new().fg(Color::Black).bg(Color::LightRed).add_modifier(Modifier::BOLD);
    pub const INSERTED_WORD: Style =
        Style::new().fg(Color::Black).bg(Color::LightGreen).add_modifier(Modifier::BOLD);
    pub const HIT: Style = Style::new().fg(Color::Black).bg(Color::Yellow);
    pub const CURRENT_HIT: Style =
        Style::new().fg(Color::Black).bg(Color::LightYellow).add_modifier(Modifier::BOLD);
    pub const MARKER: Style = Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD);
    pub const GUTTER: Style = Style::new().fg(Color::DarkGray);
    pub const CURSOR: Style = Style::new().bg(Color::Rgb(40, 44, 52));
    pub const SELECTED: Style = Style::new().bg(Color::Rgb(30, 50, 80));
    pub const ABSENT: Style = Style::new().fg(Color::DarkGray);
    /// Added to a use of a defined term: modifiers only, so the changed-word and search
    /// colours stay.
    pub const TERM: Modifier = Modifier::UNDERLINED;
    /// Added to a term's name where it is defined: bold too, to be told from its uses.
    pub const TERM_DEFINED: Modifier = Modifier::UNDERLINED.union(Modifier::BOLD);
    /// A message on the status line, and a failure.
    pub const MESSAGE: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
    pub const ERROR: Style = Style::new().fg(Color::White).bg(Color::Red);
}

/// How the terminal can show things: colours, and characters beyond ASCII. Taken from the
/// environment at start ([`Looks::from_env`]); the frame is drawn as always, then made plain
/// ([`Looks::apply`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Looks {
    /// Colours are drawn (`TERM=dumb` and `NO_COLOR` say no).
    pub colour: bool,
    /// Only ASCII is drawn: the locale's character set is not UTF-8 (`LANG=C`,
    /// `LC_ALL=POSIX`, ...).
    pub ascii: bool,
}

impl Default for Looks {
    fn default() -> Looks {
        Looks { colour: true, ascii: false }
    }
}

impl Looks {
    /// From the environment, read through `var`: no colour when `TERM` is `dumb` or
    /// `NO_COLOR` is set (to anything); ASCII when the first of `LC_ALL`, `LC_CTYPE`, `LANG`
    /// that is set names no UTF-8 character set. With none set, UTF-8 is assumed (as today's
    /// terminals use).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Looks {
        let set = |k: &str| var(k).filter(|v| !v.is_empty());
        let colour = set("NO_COLOR").is_none() && set("TERM").is_none_or(|t| t != "dumb");
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].into_iter().find_map(set);
        let utf8 = locale.is_none_or(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        });
        Looks { colour, ascii: !utf8 }
    }

    /// Make a drawn frame plain as the terminal needs: without colours, what colour set
    /// apart (a highlight, a bar, the cursor row) is reversed instead; in ASCII, box drawing,
    /// arrows, markers and every other character beyond ASCII become ASCII, one cell each
    /// (the layout stays).
    pub fn apply(self, buf: &mut ratatui::buffer::Buffer) {
        if self.colour && !self.ascii {
            return;
        }
        for cell in buf.content.iter_mut() {
            if !self.colour {
                if cell.bg != Color::Reset {
                    cell.modifier.insert(Modifier::REVERSED);
                }
                cell.fg = Color::Reset;
                cell.bg = Color::Reset;
            }
            if self.ascii && !cell.symbol().is_ascii() {
                let c = ascii_for(cell.symbol());
                cell.set_char(c);
            }
        }
    }
}

/// The ASCII character shown for a symbol beyond ASCII.
fn ascii_for(symbol: &str) -> char {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else { return '?' };
    match c {
        '─' | '━' | '═' | '╌' | '┄' | '┈' | '–' | '—' | '‐' | '‑' | '−' => {
            '-'
        }
        '│' | '┃' | '║' | '╎' | '┆' | '┊' => '|',
        '┌' | '┐' | '└' | '┘' | '┏' | '┓' | '┗' | '┛' | '╭' | '╮' | '╰' | '╯' | '├' | '┤' | '┬'
        | '┴' | '┼' | '╔' | '╗' | '╚' | '╝' => '+',
        '·' | '•' | '…' => '.',
        '↔' => '=',
        '→' | '▶' | '›' | '»' | '⟩' => '>',
        '←' | '◀' | '‹' | '«' | '⟨' => '<',
        '↑' => '^',
        '↓' => 'v',
        '●' | '✎' | '★' => '*',
        '✓' | '✔' => '+',
        '✗' | '✘' | '×' => 'x',
        '⚠' => '!',
        '█' | '▌' | '▐' => '#',
        '“' | '”' | '„' | '″' => '"',
        '‘' | '’' | '‚' | '′' => '\'',
        '¶' => 'P',
        '§' => 'S',
        // Control pictures (a control character in a text, as ␛ shows ESC).
        '\u{2400}'..='\u{2426}' => '^',
        _ => '?',
    }
}

/// Search hits that fall on one side of one row: byte range and whether it is the current one.
pub type RowHits = Vec<(Range<usize>, bool)>;

/// How one side's line is fitted to its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Wrapped at word boundaries.
    Wrap,
    /// On one screen line, shown from display column `from` (0: the start of the line): the
    /// texts scrolled sideways.
    Cut { from: usize },
}

/// The styled lines of one side of row `row`, fitted to `width` columns: wrapped at word
/// boundaries, or one line cut to the columns `from..from + width`. Every character goes
/// through the display sanitiser: controls and invisible characters become visible markers.
pub fn side_lines(
    doc: &Document,
    row: usize,
    right: bool,
    hits: &RowHits,
    width: usize,
    fit: Fit,
) -> Vec<Line<'static>> {
    let width = width.max(1);
    let Some(cells) = side_cells(doc, row, right, hits) else { return vec![Line::default()] };
    let lines = match fit {
        Fit::Wrap => wrap_cells(cells, width),
        Fit::Cut { from } => vec![cut_cells(cells, from, width)],
    };
    lines.into_iter().map(cells_to_line).collect()
}

/// Display columns one side of row `row` takes on one line (0 when the side is absent).
pub fn line_width(doc: &Document, row: usize, right: bool) -> usize {
    side_cells(doc, row, right, &Vec::new())
        .map_or(0, |cells| cells.iter().map(|(c, _)| c.width().unwrap_or(0)).sum())
}

/// The display column where byte `at` of one side of row `row` is shown on its line.
pub fn column_of(doc: &Document, row: usize, right: bool, at: usize) -> usize {
    let Some(r) = doc.rows.get(row) else { return 0 };
    let Some(side) = (if right { r.right.as_ref() } else { r.left.as_ref() }) else { return 0 };
    let full = doc.side_text(right, side);
    let mut cut = at.min(full.len()).min(MAX_ROW_BYTES);
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut cells = Vec::new();
    push_cells(&mut cells, &full[..cut], Style::new(), &mut 0);
    cells.iter().map(|(c, _)| c.width().unwrap_or(0)).sum()
}

/// One side of row `row` as styled cells, sanitised, tabs expanded; `None` when the row has
/// no line on that side.
fn side_cells(doc: &Document, row: usize, right: bool, hits: &RowHits) -> Option<Vec<Cell>> {
    let r = doc.rows.get(row)?;
    let side = if right { r.right.as_ref() } else { r.left.as_ref() }?;
    let full = doc.side_text(right, side);
    // A frame must not cost more for a pathological one-line megabyte: show its start only.
    let mut cut = full.len().min(MAX_ROW_BYTES);
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &full[..cut];
    let (plain, word) = match (r.tag, right) {
        (RowTag::Equal, _) => (Style::new(), Style::new()),
        (_, false) => (styles::DELETED, styles::DELETED_WORD),
        (_, true) => (styles::INSERTED, styles::INSERTED_WORD),
    };
    // Cut points: segment boundaries and hit boundaries.
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (range, _) in &side.segments {
        cuts.push(range.start.min(text.len()));
        cuts.push(range.end.min(text.len()));
    }
    for (range, _) in hits {
        cuts.push(range.start.min(text.len()));
        cuts.push(range.end.min(text.len()));
    }
    let terms = doc.glossary.marks(right, side.line);
    for m in terms {
        cuts.push(m.range.start.min(text.len()));
        cuts.push(m.range.end.min(text.len()));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut cells: Vec<Cell> = Vec::with_capacity(text.len());
    let mut column = 0usize;
    for w in cuts.windows(2) {
        let (start, end) = (w[0], w[1]);
        let Some(piece) = text.get(start..end) else { continue };
        let emphasised =
            side.segments.iter().any(|(rg, e)| *e && rg.start <= start && end <= rg.end);
        let mut style = if emphasised { word } else { plain };
        if let Some((_, current)) = hits.iter().find(|(rg, _)| rg.start <= start && end <= rg.end) {
            style = if *current { styles::CURRENT_HIT } else { styles::HIT };
        }
        // A defined term keeps whatever colours the diff or a search gave it.
        if let Some(m) = terms.iter().find(|m| m.range.start <= start && end <= m.range.end) {
            style = style.add_modifier(if m.defines { styles::TERM_DEFINED } else { styles::TERM });
        }
        push_cells(&mut cells, piece, style, &mut column);
    }
    if cut < full.len() {
        let more = format!(" …[{} more bytes on this line]", full.len() - cut);
        cells.extend(more.chars().map(|c| (c, styles::MARKER)));
    }
    Some(cells)
}

/// A character to draw and its style. A wide character is one cell two columns wide; a
/// marker for a hidden character is one cell per character of the marker.
type Cell = (char, Style);

/// Sanitise `s` into styled cells: markers for hidden characters, spaces for tabs.
fn push_cells(cells: &mut Vec<Cell>, s: &str, style: Style, column: &mut usize) {
    for c in s.chars() {
        if c == '\t' {
            let n = TAB_WIDTH - (*column % TAB_WIDTH);
            cells.extend(std::iter::repeat_n((' ', style), n));
            *column += n;
        } else if let Some(m) = marker(c) {
            let st = style.patch(styles::MARKER);
            for mc in m.chars() {
                cells.push((mc, st));
            }
            *column += m.chars().count();
        } else {
            cells.push((c, style));
            *column += c.width().unwrap_or(0);
        }
    }
}

/// Greedy wrapping at spaces; a word longer than the width is cut.
fn wrap_cells(cells: Vec<Cell>, width: usize) -> Vec<Vec<Cell>> {
    let mut lines = Vec::new();
    let mut cur: Vec<Cell> = Vec::new();
    let mut cur_w = 0usize;
    let mut last_space: Option<usize> = None;
    for (c, st) in cells {
        let w = c.width().unwrap_or(0);
        if cur_w + w > width && !cur.is_empty() {
            if c == ' ' {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
                last_space = None;
                continue;
            }
            match last_space {
                Some(sp) if sp + 1 < cur.len() => {
                    let rest = cur.split_off(sp + 1);
                    lines.push(std::mem::replace(&mut cur, rest));
                }
                _ => lines.push(std::mem::take(&mut cur)),
            }
            cur_w = cur.iter().map(|(c, _)| c.width().unwrap_or(0)).sum();
            last_space = cur.iter().rposition(|(c, _)| *c == ' ');
        }
        if c == ' ' {
            last_space = Some(cur.len());
        }
        cur.push((c, st));
        cur_w += w;
    }
    lines.push(cur);
    lines
}

/// The cells that show in display columns `from..from + width` of a line.
///
/// Columns are display columns: a wide character counts two, each character of a marker one
/// (a marker cut by an edge shows in part, so a hidden character stays noticeable). A
/// character is never split: a wide character cut by the left edge leaves its visible
/// column blank, so what follows stays in its column, and one that does not fit at the right
/// edge is left out. Zero-width characters (combining marks) go with the character before
/// them.
fn cut_cells(cells: Vec<Cell>, from: usize, width: usize) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut column = 0; // where the next cell starts in the line
    let mut used = 0; // columns of `out`
    // Whether the last character with a width was drawn (at the start: whether the line's
    // start is on screen), which decides for a zero-width character after it.
    let mut drawn = from == 0;
    for (c, st) in cells {
        let w = c.width().unwrap_or(0);
        if w == 0 {
            if drawn {
                out.push((c, st));
            }
            continue;
        }
        let start = column;
        column += w;
        if column <= from {
            drawn = false;
            continue;
        }
        let (cell, cw) = if start < from {
            // Cut by the left edge: blank for the columns that show.
            ((' ', st), column - from)
        } else {
            ((c, st), w)
        };
        if used + cw > width {
            break;
        }
        if cw == w {
            out.push(cell);
        } else {
            out.extend(std::iter::repeat_n(cell, cw));
        }
        used += cw;
        drawn = cw == w;
    }
    out
}

fn cells_to_line(cells: Vec<Cell>) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut buf = String::new();
    let mut style = None;
    for (c, st) in cells {
        if style != Some(st) {
            if let Some(s) = style
                && !buf.is_empty()
            {
                spans.push(Span::styled(std::mem::take(&mut buf), s));
            }
            style = Some(st);
        }
        buf.push(c);
    }
    if let Some(s) = style
        && !buf.is_empty()
    {
        spans.push(Span::styled(buf, s));
    }
    Line::from(spans)
}

/// Screen lines row `row` takes: the taller of its two sides.
pub fn row_height(doc: &Document, row: usize, width: usize, wrap: bool) -> usize {
    if !wrap {
        return 1;
    }
    let none = Vec::new();
    side_lines(doc, row, false, &none, width, Fit::Wrap)
        .len()
        .max(side_lines(doc, row, true, &none, width, Fit::Wrap).len())
        .max(1)
}

/// A string from a text or review, made safe and cut to `width` columns with an ellipsis.
pub fn clip(s: &str, width: usize) -> String {
    let safe = crate::text::sanitize_line(s);
    let total: usize = safe.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return safe;
    }
    let mut out = String::new();
    let mut w = 0;
    for c in safe.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn the_environment_says_how_plain_to_draw() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Looks::from_env(env(&[])), Looks::default());
        let l = Looks::from_env(env(&[("TERM", "dumb"), ("LANG", "en_US.UTF-8")]));
        assert_eq!(l, Looks { colour: false, ascii: false });
        let l = Looks::from_env(env(&[("NO_COLOR", "1"), ("LANG", "C.utf8")]));
        assert_eq!(l, Looks { colour: false, ascii: false });
        assert!(Looks::from_env(env(&[("LANG", "C")])).ascii);
        assert!(Looks::from_env(env(&[("LC_ALL", "POSIX"), ("LANG", "en_US.UTF-8")])).ascii);
        assert!(!Looks::from_env(env(&[("LC_ALL", ""), ("LC_CTYPE", "de_DE.UTF-8")])).ascii);
        assert!(Looks::from_env(env(&[("LC_CTYPE", "de_DE.ISO-8859-1")])).ascii);
    }

    #[test]
    fn a_plain_frame_keeps_its_layout() {
        use ratatui::buffer::Buffer;
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        buf.set_string(0, 0, "┃·↔ 漢x ␛⟨U", styles::INSERTED_WORD);
        Looks { colour: false, ascii: true }.apply(&mut buf);
        let text: String = buf.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(text, "|.= ? x ^<U ");
        let c = &buf.content[0];
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset));
        assert!(c.modifier.contains(Modifier::REVERSED | Modifier::BOLD), "set apart still");
    }

    #[test]
    fn wraps_at_word_boundaries() {
        let cells: Vec<_> = "the quick brown fox".chars().map(|c| (c, Style::new())).collect();
        let lines: Vec<Line> = wrap_cells(cells, 10).into_iter().map(cells_to_line).collect();
        assert_eq!(texts(&lines), ["the quick ", "brown fox"]);
        let long: Vec<_> = "abcdefghijkl".chars().map(|c| (c, Style::new())).collect();
        let lines: Vec<Line> = wrap_cells(long, 5).into_iter().map(cells_to_line).collect();
        assert_eq!(texts(&lines), ["abcde", "fghij", "kl"]);
    }

    /// The text `cut_cells` shows of `s` (sanitised like a text line) in columns
    /// `from..from + width`.
    fn cut(s: &str, from: usize, width: usize) -> String {
        let mut cells = Vec::new();
        push_cells(&mut cells, s, Style::new(), &mut 0);
        cut_cells(cells, from, width).into_iter().map(|(c, _)| c).collect()
    }

    fn columns(s: &str) -> usize {
        unicode_width::UnicodeWidthStr::width(s)
    }

    #[test]
    fn cutting_counts_display_columns() {
        assert_eq!(cut("abcdefghij", 0, 4), "abcd");
        assert_eq!(cut("abcdefghij", 3, 4), "defg");
        assert_eq!(cut("abcdefghij", 8, 4), "ij");
        assert_eq!(cut("abcdefghij", 10, 4), "");
        assert_eq!(cut("abcdefghij", 99, 4), "");
        // Tabs expand to the tab stops of the whole line, before cutting.
        assert_eq!(cut("a\tb", 0, 8), "a   b");
        assert_eq!(cut("a\tb", 2, 8), "  b");
    }

    #[test]
    fn cutting_never_splits_a_wide_character() {
        // 漢 and 字 take two columns each: "a漢字b" is columns a|漢漢|字字|b.
        let s = "a漢字b";
        assert_eq!(cut(s, 0, 6), "a漢字b");
        assert_eq!(cut(s, 1, 2), "漢");
        // The left edge cuts 漢: its visible column is blank, 字 stays in its column.
        assert_eq!(cut(s, 2, 4), " 字b");
        assert_eq!(columns(&cut(s, 2, 4)), 4);
        assert_eq!(cut(s, 3, 3), "字b");
        // The right edge cuts 字: left out, never half drawn.
        assert_eq!(cut(s, 0, 4), "a漢");
        assert_eq!(cut(s, 2, 2), " ");
        for from in 0..7 {
            for width in 1..7 {
                let shown = cut(s, from, width);
                assert!(columns(&shown) <= width, "{from} {width}: {shown:?}");
            }
        }
    }

    #[test]
    fn cutting_counts_markers_by_their_width_and_keeps_combining_marks_with_their_letter() {
        // ESC shows as ␛ (one column), U+202E as ⟨U+202E⟩ (eight).
        let s = "a\u{1b}b\u{202e}cd";
        assert_eq!(cut(s, 0, 20), "a␛b⟨U+202E⟩cd");
        assert_eq!(cut(s, 2, 3), "b⟨U");
        assert_eq!(cut(s, 8, 4), "2E⟩c", "a marker cut by the edge shows in part");
        assert_eq!(cut(s, 11, 4), "cd", "after the marker: columns count its width");
        // e + U+0301 (combining acute, zero width): one column, never separated.
        let s = "xe\u{301}y";
        assert_eq!(cut(s, 0, 2), "xe\u{301}");
        assert_eq!(cut(s, 1, 1), "e\u{301}");
        assert_eq!(cut(s, 2, 1), "y", "the mark goes with its e, off screen");
        assert_eq!(cut("\u{301}x", 0, 1), "\u{301}x", "a line may start with a mark");
        // A wide character cut by the left edge takes its marks with it.
        assert_eq!(cut("漢\u{301}z", 1, 2), " z");
    }

    #[test]
    fn a_cut_line_keeps_its_styles() {
        let doc = Document {
            left_lines: vec!["keep this word".into()],
            right_lines: vec![],
            rows: vec![crate::tui::doc::DiffRow {
                left: Some(crate::tui::doc::RowSide {
                    line: 1,
                    segments: vec![(0..5, false), (5..9, true), (9..14, false)],
                }),
                right: None,
                tag: RowTag::Delete,
                clause: None,
            }],
            ..Document::default()
        };
        let lines = side_lines(&doc, 0, false, &vec![], 6, Fit::Cut { from: 3 });
        let spans: Vec<(&str, Style)> =
            lines[0].spans.iter().map(|s| (s.content.as_ref(), s.style)).collect();
        assert_eq!(spans, [("p ", styles::DELETED), ("this", styles::DELETED_WORD)]);
        assert_eq!(line_width(&doc, 0, false), 14);
        assert_eq!(line_width(&doc, 0, true), 0, "no line on that side");
    }

    #[test]
    fn a_huge_line_is_cut_with_a_note() {
        let long = "é".repeat(5000);
        let doc = Document {
            left_lines: vec![long.clone()],
            right_lines: vec![long.clone()],
            rows: vec![crate::tui::doc::DiffRow {
                left: Some(crate::tui::doc::RowSide { line: 1, segments: vec![(0..10000, false)] }),
                right: None,
                tag: RowTag::Delete,
                clause: None,
            }],
            ..Document::default()
        };
        let lines = side_lines(&doc, 0, false, &vec![], 80, Fit::Cut { from: 0 });
        assert_eq!(lines.len(), 1);
        let wrapped = side_lines(&doc, 0, false, &vec![], 80, Fit::Wrap);
        let all: String = texts(&wrapped).concat().replace(' ', "");
        assert!(all.ends_with("…[5904morebytesonthisline]"), "{all}");
        assert_eq!(all.chars().filter(|&c| c == 'é').count(), 2048);
        assert!(side_lines(&doc, 0, true, &vec![], 80, Fit::Wrap)[0].spans.is_empty());
    }

    #[test]
    fn clip_adds_ellipsis_only_when_needed() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("exactly10!", 10), "exactly10!");
        assert_eq!(clip("a longer heading", 8), "a longe…");
        assert_eq!(clip("a\u{1b}]0;x", 20), "a\u{241b}]0;x");
    }

    #[test]
    fn small_screens_are_flagged() {
        let plain = Shape::default();
        assert!(areas(59, 30, plain).too_small);
        assert!(areas(100, 15, plain).too_small);
        let a = areas(100, 30, Shape { warning: true, ..plain });
        assert!(!a.too_small);
        assert_eq!(a.warning.y, 1);
        assert_eq!(a.left.width + a.right.width + a.outline.width, 100);
        let wide = areas(200, 50, plain);
        assert!(wide.threads.x > wide.right.x);
        // Below the texts, the focused threads pane grows; the texts keep some rows.
        let small = areas(80, 24, plain);
        let tall = areas(80, 24, Shape { threads_tall: true, ..plain });
        assert!(tall.threads.height > small.threads.height + 4);
        assert!(tall.left.height >= 6);
        assert_eq!(tall.threads.y + tall.threads.height, tall.status.y);
        let wide_tall = areas(200, 50, Shape { threads_tall: true, ..plain });
        assert_eq!(wide_tall, wide, "a column of its own is tall already");
        // The editor goes below the texts, which keep most of their rows.
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let e = areas(w, h, Shape { editor: true, ..plain });
            assert_eq!(e.editor.y, e.left.y + e.left.height, "{w}x{h}");
            assert!(e.left.height >= 10 && e.editor.height >= 8, "{w}x{h}: {e:?}");
            assert_eq!(e.editor.x, e.left.x);
            assert_eq!(e.pane(PaneId::Threads).is_some(), w >= 160, "threads beside when wide");
        }
    }
}

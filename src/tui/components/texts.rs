//! The texts pane: the two versions side by side, row by row, with the cursor, the line
//! selection (`V`), the search hits and the sideways scroll.

use std::collections::HashMap;
use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget};

use super::{Cx, DIM, Msg, Pane, pane_block};
use crate::tui::action::{Action, DraftTarget, Quote};
use crate::tui::doc::{Document, RowTag};
use crate::tui::render::{self, Areas, Fit, GUTTER, RowHits, clip, styles};

/// A search hit: row, side and byte range in that side's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub row: usize,
    pub right: bool,
    pub range: Range<usize>,
}

/// An active search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    pub query: String,
    /// Sorted by row, left before right.
    pub hits: Vec<Hit>,
    pub current: usize,
}

/// Most hits a search collects, so a one-letter search in a huge text stays quick.
pub const MAX_HITS: usize = 100_000;

/// Columns `<` and `>` scroll the texts sideways by, and the horizontal wheel.
pub const PAN_STEP: usize = 8;
pub const WHEEL_PAN_STEP: usize = 4;

/// The texts pane's state.
#[derive(Debug, Clone)]
pub struct Texts {
    /// Row of the text cursor, index into `doc.rows`.
    pub cursor: usize,
    /// First row shown.
    pub top: usize,
    /// First row of a line selection (`V`), the cursor being the other end.
    pub selection: Option<usize>,
    pub search: Option<Search>,
    pub wrap: bool,
    /// First display column shown of the lines when not wrapping (both texts scroll
    /// sideways together; the line numbers stay).
    pub hscroll: usize,
    /// Screen lines of rows measured so far, for the text width they were measured at:
    /// scrolling then costs a lookup instead of wrapping the same rows again.
    heights: HashMap<usize, usize>,
    heights_width: usize,
}

impl Default for Texts {
    fn default() -> Texts {
        Texts {
            cursor: 0,
            top: 0,
            selection: None,
            search: None,
            wrap: true,
            hscroll: 0,
            heights: HashMap::new(),
            heights_width: 0,
        }
    }
}

impl Texts {
    /// At the start of a text, wrapping lines or not.
    pub fn with_wrap(wrap: bool) -> Texts {
        Texts { wrap, ..Texts::default() }
    }

    /// Forget measured row heights (the document changed).
    pub fn clear_heights(&mut self) {
        self.heights.clear();
    }

    /// Screen lines row `r` takes at text width `w` (cached).
    fn row_h(&mut self, doc: &Document, r: usize, w: usize) -> usize {
        if !self.wrap {
            return 1;
        }
        if self.heights_width != w {
            self.heights.clear();
            self.heights_width = w;
        }
        if let Some(&h) = self.heights.get(&r) {
            return h;
        }
        let h = render::row_height(doc, r, w, true);
        if self.heights.len() >= 50_000 {
            self.heights.clear();
        }
        self.heights.insert(r, h);
        h
    }

    /// Move the cursor to `row` and scroll so it is visible.
    pub fn set_cursor(&mut self, doc: &Document, a: &Areas, row: usize) {
        let last = doc.rows.len().saturating_sub(1);
        self.cursor = row.min(last);
        self.keep_cursor_visible(doc, a);
    }

    /// Move the cursor to `row` and show it near the top, with `context` rows above.
    pub fn jump_to_row(&mut self, doc: &Document, a: &Areas, row: usize, context: usize) {
        let last = doc.rows.len().saturating_sub(1);
        self.cursor = row.min(last);
        self.top = self.cursor.saturating_sub(context);
        self.keep_cursor_visible(doc, a);
    }

    /// Scroll the least so the cursor row is on screen. Walks at most one screen of rows.
    pub fn keep_cursor_visible(&mut self, doc: &Document, a: &Areas) {
        let (h, w) = (a.text_height().max(1), a.text_width());
        if self.cursor < self.top {
            self.top = self.cursor;
            return;
        }
        if self.cursor - self.top >= h {
            self.top = self.cursor + 1 - h;
        }
        let mut used = 0;
        for r in self.top..=self.cursor {
            used += self.row_h(doc, r, w);
        }
        while used > h && self.top < self.cursor {
            used -= self.row_h(doc, self.top, w);
            self.top += 1;
        }
    }

    /// Scroll by `delta` rows, keeping the cursor on screen.
    pub fn scroll(&mut self, doc: &Document, a: &Areas, delta: isize) {
        let last = doc.rows.len().saturating_sub(1);
        self.top = ((self.top as isize + delta).max(0) as usize).min(last);
        self.cursor_into_view(doc, a);
    }

    /// Scroll by a screenful of lines (not rows: a wrapped row counts its lines).
    pub fn page(&mut self, doc: &Document, a: &Areas, down: bool) {
        let (h, w) = (a.text_height().max(2), a.text_width());
        let mut r = self.top;
        let mut used = 0;
        if down {
            let last = doc.rows.len().saturating_sub(1);
            while r < last && used + self.row_h(doc, r, w) < h {
                used += self.row_h(doc, r, w);
                r += 1;
            }
            if r == self.top && r < last {
                r += 1; // one row taller than the screen
            }
        } else {
            while r > 0 && used + self.row_h(doc, r - 1, w) < h {
                used += self.row_h(doc, r - 1, w);
                r -= 1;
            }
            if r == self.top && r > 0 {
                r -= 1;
            }
        }
        self.top = r;
        self.cursor_into_view(doc, a);
    }

    /// Move the cursor onto the screen after a scroll.
    fn cursor_into_view(&mut self, doc: &Document, a: &Areas) {
        let (h, w) = (a.text_height().max(1), a.text_width());
        if self.cursor < self.top {
            self.cursor = self.top;
        } else {
            // The last row that starts on screen.
            let mut used = 0;
            let mut last_visible = self.top;
            let mut r = self.top;
            while r < doc.rows.len() && used < h {
                last_visible = r;
                used += self.row_h(doc, r, w);
                r += 1;
            }
            if self.cursor > last_visible {
                self.cursor = last_visible;
            }
        }
    }

    /// Toggle wrapping; wrapped lines show whole, unwrapping again starts at column 0.
    pub fn toggle_wrap(&mut self, doc: &Document, a: &Areas) {
        self.wrap = !self.wrap;
        self.hscroll = 0;
        self.keep_cursor_visible(doc, a);
    }

    /// Scroll sideways by `delta` columns. Not past the point where the widest line on
    /// screen ends (but an offset already beyond, after moving to shorter lines, is kept
    /// until scrolling left, which starts from that end).
    pub fn pan(&mut self, doc: &Document, a: &Areas, delta: isize) {
        let max = self.widest_overflow(doc, a);
        self.hscroll = if delta < 0 {
            self.hscroll.min(max).saturating_sub(delta.unsigned_abs())
        } else {
            (self.hscroll + delta as usize).min(max.max(self.hscroll))
        };
    }

    /// How far the widest line on screen runs past its text column, in display columns.
    fn widest_overflow(&self, doc: &Document, a: &Areas) -> usize {
        let widths = [
            a.left.width.saturating_sub(2 + GUTTER) as usize,
            a.right.width.saturating_sub(2 + GUTTER) as usize,
        ];
        let rows = self.top..(self.top + a.text_height()).min(doc.rows.len());
        rows.flat_map(|r| {
            [false, true].map(|right| {
                render::line_width(doc, r, right).saturating_sub(widths[right as usize])
            })
        })
        .max()
        .unwrap_or(0)
    }

    // ---- search -----------------------------------------------------------------------

    /// Every hit of `query` in both texts (at most [`MAX_HITS`]).
    pub fn run_search(doc: &Document, query: &str) -> Search {
        let mut hits = Vec::new();
        if !query.is_empty() {
            'rows: for (i, row) in doc.rows.iter().enumerate() {
                for (right, side) in [(false, &row.left), (true, &row.right)] {
                    let Some(side) = side else { continue };
                    let line = doc.side_text(right, side);
                    for range in find_all(line, query) {
                        hits.push(Hit { row: i, right, range });
                        if hits.len() >= MAX_HITS {
                            break 'rows;
                        }
                    }
                }
            }
        }
        Search { query: query.to_string(), hits, current: 0 }
    }

    /// While typing `/`: show the hits of `query`, the current one the first at or after
    /// the cursor.
    pub fn search_as_typed(&mut self, doc: &Document, query: &str) {
        let s = Texts::run_search(doc, query);
        self.search = if s.query.is_empty() { None } else { Some(s) };
        self.first_hit_from_cursor(doc, None);
    }

    /// `/` confirmed: keep the hits and go to the first from the cursor. Returns the message.
    pub fn search_submitted(&mut self, doc: &Document, a: &Areas, query: &str) -> Option<Msg> {
        let s = Texts::run_search(doc, query);
        let n = s.hits.len();
        if query.is_empty() {
            self.search = None;
            None
        } else if n == 0 {
            self.search = None;
            Some(Msg::Warn(format!("Not found: {}", crate::text::sanitize_line(query))))
        } else {
            self.search = Some(s);
            self.first_hit_from_cursor(doc, Some(a));
            let more = if n >= MAX_HITS { "+" } else { "" };
            Some(Msg::Say(format!("{n}{more} hits: n / N move between them, Esc clears")))
        }
    }

    /// Make the first hit at or after the cursor the current one; with `jump` (the layout),
    /// move there.
    fn first_hit_from_cursor(&mut self, doc: &Document, jump: Option<&Areas>) {
        let Some(s) = &mut self.search else { return };
        if s.hits.is_empty() {
            return;
        }
        let cursor = self.cursor;
        s.current = s.hits.iter().position(|h| h.row >= cursor).unwrap_or(0);
        let row = s.hits[s.current].row;
        if let Some(a) = jump {
            self.move_cursor_to(doc, a, row);
            self.show_hit_columns(doc, a);
        }
    }

    /// `n`/`N`: next / previous hit while searching, else next / previous change.
    pub fn next(&mut self, doc: &Document, a: &Areas, forward: bool) -> Option<Msg> {
        if self.search.as_ref().is_some_and(|s| !s.hits.is_empty()) {
            self.goto_hit(doc, a, forward);
            None
        } else {
            self.goto_change(doc, a, forward)
        }
    }

    fn goto_hit(&mut self, doc: &Document, a: &Areas, forward: bool) {
        let Some(s) = &mut self.search else { return };
        if s.hits.is_empty() {
            return;
        }
        let n = s.hits.len();
        s.current = if forward { (s.current + 1) % n } else { (s.current + n - 1) % n };
        let row = s.hits[s.current].row;
        self.move_cursor_to(doc, a, row);
        self.show_hit_columns(doc, a);
    }

    /// Without wrapping: scroll sideways, if need be, so the current search hit shows whole,
    /// with some of the line before it.
    fn show_hit_columns(&mut self, doc: &Document, a: &Areas) {
        let hit = self.search.as_ref().and_then(|s| s.hits.get(s.current));
        let Some(Hit { row, right, range }) = hit.cloned() else { return };
        if self.wrap {
            return;
        }
        let pane = if right { a.right } else { a.left };
        let w = pane.width.saturating_sub(2 + GUTTER) as usize;
        let start = render::column_of(doc, row, right, range.start);
        let end = render::column_of(doc, row, right, range.end);
        if start >= self.hscroll && end <= self.hscroll + w {
            return;
        }
        let line_w = render::line_width(doc, row, right);
        self.hscroll = if end <= w { 0 } else { start.saturating_sub(w / 4).min(line_w - w) };
    }

    /// Move the cursor to `row`: keep the scroll if it is on screen, else show it near the top.
    pub fn move_cursor_to(&mut self, doc: &Document, a: &Areas, row: usize) {
        let h = a.text_height();
        if row >= self.top && row < self.top + h / 2 {
            self.set_cursor(doc, a, row);
        } else {
            self.jump_to_row(doc, a, row, 2);
        }
    }

    fn goto_change(&mut self, doc: &Document, a: &Areas, forward: bool) -> Option<Msg> {
        let starts = &doc.change_starts;
        let target = if forward {
            starts.iter().copied().find(|&r| r > self.cursor)
        } else {
            starts.iter().rev().copied().find(|&r| r < self.cursor)
        };
        match target {
            Some(r) => {
                self.move_cursor_to(doc, a, r);
                None
            }
            None if starts.is_empty() => Some(Msg::Say("No changes between these versions".into())),
            None => {
                Some(Msg::Say(if forward { "No change below" } else { "No change above" }.into()))
            }
        }
    }

    // ---- annotating -------------------------------------------------------------------

    /// The target of a new thread: the selected lines, else the current search hit, else the
    /// selected clause `clause`.
    pub fn new_thread_target(&self, doc: &Document, clause: usize) -> Option<DraftTarget> {
        if let Some(anchor) = self.selection {
            let (a, b) = (anchor.min(self.cursor), anchor.max(self.cursor));
            let right_has = (a..=b).any(|r| doc.rows.get(r).is_some_and(|r| r.right.is_some()));
            let side_lines: Vec<usize> = (a..=b)
                .filter_map(|r| {
                    let row = doc.rows.get(r)?;
                    let side = if right_has { &row.right } else { &row.left };
                    side.as_ref().map(|s| s.line)
                })
                .collect();
            let clause = (a..=b).find_map(|r| doc.clause_at_row(r))?;
            let quote = match (side_lines.first(), side_lines.last()) {
                (Some(&first), Some(&last)) => lines_quote(doc, right_has, first, last),
                _ => None,
            };
            return target_on(doc, clause, right_has, quote);
        }
        if let Some(s) = &self.search
            && let Some(hit) = s.hits.get(s.current)
        {
            let row = doc.rows.get(hit.row)?;
            let side = if hit.right { row.right.as_ref() } else { row.left.as_ref() }?;
            let text = doc.side_text(hit.right, side).get(hit.range.clone())?.to_string();
            let quote = Quote { text, line: side.line, start: hit.range.start };
            let clause = doc.clause_at_row(hit.row)?;
            return target_on(doc, clause, hit.right, Some(quote));
        }
        let c = doc.clauses.get(clause)?;
        target_on(doc, clause, c.right_id.is_some(), None)
    }

    // ---- drawing ----------------------------------------------------------------------

    /// The search hits on one side of one row.
    fn hits_on(&self, row: usize, right: bool) -> RowHits {
        let Some(s) = &self.search else { return vec![] };
        let start = s.hits.partition_point(|h| h.row < row);
        s.hits[start..]
            .iter()
            .enumerate()
            .take_while(|(_, h)| h.row == row)
            .filter(|(_, h)| h.right == right)
            .map(|(k, h)| (h.range.clone(), start + k == s.current))
            .collect()
    }

    /// Draw both texts into `left` and `right`.
    pub fn render(&self, doc: &Document, focused: bool, left: Rect, right: Rect, buf: &mut Buffer) {
        let d = doc;
        let lb = pane_block(pane_title(d, &d.left_version), focused);
        let rb = pane_block(pane_title(d, &d.right_version), focused);
        let (li, ri) = (lb.inner(left), rb.inner(right));
        lb.render(left, buf);
        rb.render(right, buf);
        let width = li.width.saturating_sub(GUTTER).max(1) as usize;
        let rwidth = ri.width.saturating_sub(GUTTER).max(1) as usize;
        let sel = self.selection.map(|s| (s.min(self.cursor), s.max(self.cursor)));
        // Both texts scroll sideways together, as they scroll down together; the gutter stays.
        let fit = if self.wrap { Fit::Wrap } else { Fit::Cut { from: self.hscroll } };
        let mut y = 0u16;
        let mut row = self.top;
        while y < li.height && row < d.rows.len() {
            let r = &d.rows[row];
            let ll = render::side_lines(d, row, false, &self.hits_on(row, false), width, fit);
            let rl = render::side_lines(d, row, true, &self.hits_on(row, true), rwidth, fit);
            let h = ll.len().max(rl.len()).max(1) as u16;
            let (lmark, rmark) = match r.tag {
                RowTag::Equal => (' ', ' '),
                RowTag::Delete => ('-', ' '),
                RowTag::Insert => (' ', '+'),
                RowTag::Replace => ('-', '+'),
            };
            let line_style = if sel.is_some_and(|(a, b)| (a..=b).contains(&row)) {
                Some(styles::SELECTED)
            } else if row == self.cursor && focused {
                Some(styles::CURSOR)
            } else {
                None
            };
            for (area, lines, side, mark) in
                [(li, &ll, r.left.as_ref(), lmark), (ri, &rl, r.right.as_ref(), rmark)]
            {
                for k in 0..h {
                    if y + k >= area.height {
                        break;
                    }
                    let yy = area.y + y + k;
                    if let Some(st) = line_style {
                        buf.set_style(Rect::new(area.x, yy, area.width, 1), st);
                    }
                    let gutter = match (k, side) {
                        (0, Some(s)) => format!("{:>5}{mark} ", s.line),
                        (_, Some(_)) => format!("{:>5}  ", "·"),
                        (_, None) => String::new(),
                    };
                    let gst = match mark {
                        '-' => styles::DELETED,
                        '+' => styles::INSERTED,
                        _ => styles::GUTTER,
                    };
                    buf.set_stringn(area.x, yy, &gutter, GUTTER as usize, gst);
                    if side.is_none() && k == 0 {
                        let fill = "╌".repeat(area.width.saturating_sub(GUTTER) as usize);
                        buf.set_stringn(area.x + GUTTER, yy, &fill, fill.len(), styles::ABSENT);
                    }
                    if let Some(line) = lines.get(k as usize) {
                        buf.set_line(area.x + GUTTER, yy, line, area.width.saturating_sub(GUTTER));
                    }
                }
            }
            y += h;
            row += 1;
        }
        if d.rows.is_empty() {
            Paragraph::new("Both texts are empty.").style(DIM).render(li, buf);
        }
    }

    /// The row drawn at screen row `row` (inside the pane's border), if any.
    fn row_at(&mut self, doc: &Document, a: &Areas, row: u16) -> Option<usize> {
        if row <= a.left.y {
            return None;
        }
        let mut y = (row - a.left.y - 1) as usize;
        let w = a.text_width();
        let mut r = self.top;
        while r < doc.rows.len() {
            let h = self.row_h(doc, r, w);
            if y < h {
                return Some(r);
            }
            y -= h;
            r += 1;
        }
        None
    }
}

impl Pane for Texts {
    fn handle(&mut self, action: &Action, cx: &Cx) -> Option<Vec<Msg>> {
        let (doc, a) = (cx.doc, cx.areas);
        match action {
            Action::Up => self.set_cursor(doc, a, self.cursor.saturating_sub(1)),
            Action::Down => self.set_cursor(doc, a, self.cursor + 1),
            Action::PageUp => self.page(doc, a, false),
            Action::PageDown => self.page(doc, a, true),
            Action::Top => self.set_cursor(doc, a, 0),
            Action::Bottom => self.set_cursor(doc, a, usize::MAX / 2),
            _ => return None,
        }
        Some(vec![])
    }

    fn wheel(&mut self, delta: isize, cx: &Cx) -> Vec<Msg> {
        self.scroll(cx.doc, cx.areas, delta);
        vec![]
    }

    fn click(&mut self, row: u16, _area: Rect, cx: &Cx) -> Vec<Msg> {
        if let Some(r) = self.row_at(cx.doc, cx.areas, row) {
            self.set_cursor(cx.doc, cx.areas, r);
        }
        vec![]
    }
}

fn target_on(
    doc: &Document,
    clause: usize,
    right: bool,
    quote: Option<Quote>,
) -> Option<DraftTarget> {
    let c = doc.clauses.get(clause)?;
    let (version, id) = match (right, &c.right_id, &c.left_id) {
        (true, Some(id), _) | (false, Some(id), None) => (&doc.right_version, id),
        (_, _, Some(id)) => (&doc.left_version, id),
        (_, None, None) => return None,
    };
    let quote = quote.filter(|q| !q.text.trim().is_empty());
    Some(DraftTarget::NewThread { version: version.clone(), clause: id.clone(), quote })
}

/// Lines `first..=last` of one side as a quote, without the white space at either end.
fn lines_quote(doc: &Document, right: bool, first: usize, last: usize) -> Option<Quote> {
    let lines = if right { &doc.right_lines } else { &doc.left_lines };
    let text = lines.get(first.checked_sub(1)?..last.min(lines.len()))?.join("\n");
    let start = text.len() - text.trim_start().len();
    let text = text.trim().to_string();
    Some(Quote { text, line: first, start })
}

/// All non-overlapping matches of `query` in `line`, ignoring case when that keeps byte
/// offsets valid (it does unless lower-casing changes a character's length).
pub fn find_all(line: &str, query: &str) -> Vec<Range<usize>> {
    if query.is_empty() {
        return vec![];
    }
    let lower = line.to_lowercase();
    let (hay, needle) = if lower.len() == line.len() {
        (lower, query.to_lowercase())
    } else {
        (line.to_string(), query.to_string())
    };
    if needle.len() != query.len() {
        // The query itself changed length when lower-cased: search it exactly.
        return line.match_indices(query).map(|(i, m)| i..i + m.len()).collect();
    }
    hay.match_indices(&needle).map(|(i, m)| i..i + m.len()).collect()
}

/// A text pane's title: the version, and when it was fetched for one from the web
/// (`website · fetched 2026-12-01`).
fn pane_title(doc: &Document, version: &str) -> String {
    let fetched = doc.version_info.iter().find(|v| v.id == version).and_then(|v| v.fetched_short());
    match fetched {
        Some(f) => format!(" {} · {} ", clip(version, 30), clip(&f, 20)),
        None => format!(" {} ", clip(version, 30)),
    }
}

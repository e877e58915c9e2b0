//! The threads pane: the threads of the selected clause, then the orphaned and general ones,
//! each with its comments (their own line breaks, quotes and lists kept) and the record of
//! who changed its status, verdict or criteria. It scrolls line by line: a thread of any
//! length can be read to its end, and the border says where the view is (`12–20/45`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Cx, DIM, KEY, Msg, Pane, pane_block, verdict_style};
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::doc::{AnchorView, CommentView, Document, EventView, ThreadView};
use crate::tui::render::clip;

/// The threads pane's state.
#[derive(Debug, Clone, Default)]
pub struct Threads {
    /// Selected entry of [`items`].
    pub sel: usize,
    /// Lines scrolled off the top.
    pub scroll: usize,
}

/// Threads listed for clause `clause`: those on it, then the orphaned and general ones
/// (indices into `doc.threads`).
pub fn items(doc: &Document, clause: usize) -> Vec<usize> {
    let here = doc.threads.iter().enumerate().filter(|(_, t)| t.clause == Some(clause));
    let orphaned = doc.threads.iter().enumerate().filter(|(_, t)| t.clause.is_none());
    here.chain(orphaned).map(|(i, _)| i).collect()
}

/// The pane's lines at a width, and where each listed thread starts and ends.
pub struct Laid {
    pub lines: Vec<Line<'static>>,
    /// Line range of each entry of [`items`].
    pub spans: Vec<std::ops::Range<usize>>,
}

const QUOTE: Style = Style::new().fg(Color::Gray).add_modifier(Modifier::ITALIC);
const EVENT: Style = Style::new().fg(Color::Yellow);

impl Threads {
    /// The selected thread (index into `doc.threads`).
    pub fn selected(&self, doc: &Document, clause: usize) -> Option<usize> {
        items(doc, clause).get(self.sel).copied()
    }

    /// Another clause is shown: its first thread is selected, from its top.
    pub fn reset(&mut self) {
        self.sel = 0;
        self.scroll = 0;
    }

    /// Select thread `i` of [`items`] and show it.
    pub fn select(&mut self, i: usize, cx: &Cx) {
        self.sel = i;
        let laid = self.lay(cx, cx.areas.threads.width, false);
        self.show_selected(&laid, cx.areas.threads_height());
    }

    /// Keep the selection within the list and on screen (after the threads changed).
    pub fn clamp(&mut self, cx: &Cx) {
        self.sel = self.sel.min(items(cx.doc, cx.clause).len().saturating_sub(1));
        let laid = self.lay(cx, cx.areas.threads.width, false);
        self.show_selected(&laid, cx.areas.threads_height());
    }

    /// The most the view can scroll.
    fn max_scroll(laid: &Laid, h: usize) -> usize {
        laid.lines.len().saturating_sub(h)
    }

    /// Scroll the least so the selected thread shows: from its start when it is above the
    /// view, its start at the top when it is below.
    fn show_selected(&mut self, laid: &Laid, h: usize) {
        let max = Threads::max_scroll(laid, h);
        if let Some(r) = laid.spans.get(self.sel) {
            if r.end <= self.scroll {
                self.scroll = r.end.saturating_sub(h).max(r.start);
            } else if r.start >= self.scroll + h {
                self.scroll = r.start;
            }
        }
        self.scroll = self.scroll.min(max);
    }

    /// After a scroll: a selected thread that left the view gives way to the one at the top.
    fn follow_scroll(&mut self, laid: &Laid, h: usize) {
        self.scroll = self.scroll.min(Threads::max_scroll(laid, h));
        let Some(r) = laid.spans.get(self.sel) else { return };
        if r.end <= self.scroll || r.start >= self.scroll + h {
            let top = self.scroll;
            if let Some(i) = laid.spans.iter().position(|r| r.end > top) {
                self.sel = i;
            }
        }
    }

    /// `j`: read on: scroll while the selected thread goes on below the view, then select
    /// the next one. `k` the same upwards.
    fn step(&mut self, laid: &Laid, h: usize, down: bool) {
        let n = laid.spans.len();
        let max = Threads::max_scroll(laid, h);
        let Some(r) = laid.spans.get(self.sel).cloned() else {
            self.scroll =
                if down { (self.scroll + 1).min(max) } else { self.scroll.saturating_sub(1) };
            return;
        };
        if down {
            if r.end > self.scroll + h && self.scroll < max {
                self.scroll += 1;
            } else if self.sel + 1 < n {
                self.sel += 1;
                self.show_selected(laid, h);
            }
        } else if r.start < self.scroll {
            self.scroll -= 1;
        } else if self.sel > 0 {
            self.sel -= 1;
            self.show_selected(laid, h);
        }
    }

    /// Scroll by `delta` lines; the selection follows.
    fn scroll_by(&mut self, laid: &Laid, h: usize, delta: isize) {
        let max = Threads::max_scroll(laid, h);
        self.scroll = (self.scroll as isize + delta).clamp(0, max as isize) as usize;
        self.follow_scroll(laid, h);
    }

    /// Lay the pane out for a pane `width` columns wide (border included).
    pub fn lay(&self, cx: &Cx, width: u16, focused: bool) -> Laid {
        let w = width.saturating_sub(2) as usize;
        let d = cx.doc;
        let mut lines: Vec<Line<'static>> = Vec::new();
        let mut spans = Vec::new();
        if let Some(draft) = cx.draft {
            lines.push(Line::styled(
                clip(&format!("✎ unsent draft: {} (a/r reopens, d deletes)", draft.describe()), w),
                Style::new().fg(Color::Magenta),
            ));
        }
        let items = items(d, cx.clause);
        let here = items.iter().filter(|&&i| d.threads[i].clause.is_some()).count();
        if here == 0 {
            lines.push(Line::styled("No threads on this clause. a starts one.", DIM));
        }
        for (k, &i) in items.iter().enumerate() {
            if k == here && k < items.len() {
                let general = items[here..]
                    .iter()
                    .filter(|&&i| d.threads[i].anchor == AnchorView::General)
                    .count();
                let orphaned = items.len() - here - general;
                let title = match (orphaned, general) {
                    (_, 0) => format!("── Orphaned ({orphaned}) ── not found in this version"),
                    (0, _) => format!("── General ({general}) ── about the whole review"),
                    _ => format!("── Orphaned ({orphaned}) and general ({general})"),
                };
                lines.push(Line::styled(title, Style::new().fg(Color::Red).bold()));
            }
            let start = lines.len();
            thread_lines(&d.threads[i], k == self.sel, focused, w, &mut lines);
            spans.push(start..lines.len());
        }
        Laid { lines, spans }
    }

    pub fn render(&self, cx: &Cx, area: Rect, focused: bool, buf: &mut Buffer) {
        let d = cx.doc;
        let clause = d.clauses.get(cx.clause).map(|c| sanitize_line(&c.id)).unwrap_or_default();
        let laid = self.lay(cx, area.width, focused);
        let n = laid.spans.len();
        let which = if n > 1 { format!(" · {}/{n}", self.sel + 1) } else { String::new() };
        let title = format!(" Threads · {}{which} ", clip(&clause, 20));
        let mut block = pane_block(title, focused);
        let h = area.height.saturating_sub(2) as usize;
        let total = laid.lines.len();
        let skip = self.scroll.min(total.saturating_sub(h));
        if total > h {
            // Where the view is: its first and last line of all.
            let last = (skip + h).min(total);
            let more = if last < total { " ↓" } else { "" };
            let pos = format!(" {}–{last}/{total}{more} ", skip + 1);
            block = block.title_bottom(Line::styled(pos, KEY).right_aligned());
        }
        let inner = block.inner(area);
        block.render(area, buf);
        for (y, line) in laid.lines.iter().skip(skip).take(h).enumerate() {
            buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
        }
    }
}

/// A thread's lines: its head, its quote, then its comments and events in time order.
fn thread_lines(
    t: &ThreadView,
    selected: bool,
    focused: bool,
    w: usize,
    out: &mut Vec<Line<'static>>,
) {
    let mut head = vec![
        Span::styled(if selected { "▶ " } else { "  " }, KEY),
        Span::styled(
            if t.open { "open " } else { "resolved " },
            if t.open { Style::new().fg(Color::Magenta) } else { DIM },
        ),
        Span::styled(format!("{} ", sanitize_line(&t.verdict)), verdict_style(&t.verdict)),
    ];
    if !t.criteria.is_empty() {
        head.push(Span::styled(
            format!("[{}] ", sanitize_line(&t.criteria.join(" "))),
            Style::new().fg(Color::Blue),
        ));
    }
    let state = t.anchor.label();
    head.push(Span::styled(format!("{} ", sanitize_line(&t.id)), DIM));
    if !state.is_empty() {
        let where_ = if t.anchor == AnchorView::Orphaned || t.anchor == AnchorView::Moved {
            format!(" (was {} in {})", t.anchored_clause, t.version)
        } else {
            String::new()
        };
        head.push(Span::styled(
            format!("⚑ {state}{}", sanitize_line(&where_)),
            Style::new().fg(Color::Yellow),
        ));
    }
    let mut head = Line::from(head);
    if selected && focused {
        head = head.patch_style(Style::new().add_modifier(Modifier::BOLD));
    }
    out.push(head);
    if let Some(q) = &t.quote {
        let q = sanitize_line(&q.replace('\n', " "));
        let opts = wrap_opts(w.max(12), "    “", "     ");
        let mut quoted: Vec<String> =
            textwrap::wrap(&q, opts).into_iter().map(|l| l.into_owned()).collect();
        if let Some(last) = quoted.last_mut() {
            last.push('”');
        }
        out.extend(quoted.into_iter().map(|l| Line::styled(l, Style::new().italic())));
    }
    let mut events = t.events.iter().peekable();
    for c in &t.comments {
        while let Some(e) = events.next_if(|e| e.at < c.at) {
            event_lines(e, w, out);
        }
        comment_lines(c, w, out);
    }
    for e in events {
        event_lines(e, w, out);
    }
}

/// `2025-05-14T07:09:00Z` as `2025-05-14 07:09`.
fn short_time(at: &str) -> String {
    let at = at.replace('T', " ");
    sanitize_line(at.trim_end_matches('Z').get(..16).unwrap_or(&at))
}

fn comment_lines(c: &CommentView, w: usize, out: &mut Vec<Line<'static>>) {
    let mut head = vec![
        Span::raw("    "),
        Span::styled(clip(&c.author, 24), Style::new().fg(Color::Green).bold()),
        Span::styled(format!(" {}", short_time(&c.at)), DIM),
    ];
    if let Some(e) = &c.edited_at {
        head.push(Span::styled(format!(" · edited {}", short_time(e)), DIM));
    }
    out.push(Line::from(head));
    out.extend(body_lines(&c.body, w.saturating_sub(6).max(10)).into_iter().map(|mut l| {
        l.spans.insert(0, Span::raw("      "));
        l
    }));
}

/// A change of status, verdict or criteria: who, what, when.
fn event_lines(e: &EventView, w: usize, out: &mut Vec<Line<'static>>) {
    let show = |v: &str| if v.is_empty() { "none".to_string() } else { sanitize_line(v) };
    let text = format!(
        "{} set {} {} → {} · {}",
        clip(&e.author, 24),
        sanitize_line(&e.field),
        show(&e.from),
        show(&e.to),
        short_time(&e.at)
    );
    let opts = wrap_opts(w.max(12), "    · ", "      ");
    out.extend(
        textwrap::wrap(&text, opts).into_iter().map(|l| Line::styled(l.into_owned(), EVENT)),
    );
}

/// Wrapping at spaces only: a hyphenated word or a date is not split.
fn wrap_opts<'a>(width: usize, first: &'a str, next: &'a str) -> textwrap::Options<'a> {
    textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(next)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// A comment body in `width` columns with its own line breaks: each of its lines is a line
/// here, wrapped when longer than the width. A wrapped `> ` quote line goes on with its
/// `> `, a wrapped list item under its text. Blank lines at the end are left out.
pub fn body_lines(body: &str, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for raw in body.trim_end().split('\n') {
        let line = sanitize_line(raw.trim_end());
        if line.is_empty() {
            out.push(Line::default());
            continue;
        }
        let (lead, rest) = split_lead(&line);
        let quote = lead.trim_start().starts_with('>');
        let next = if quote {
            lead.clone()
        } else {
            " ".repeat(unicode_width::UnicodeWidthStr::width(lead.as_str()))
        };
        let opts = wrap_opts(width, &lead, &next);
        let style = if quote { QUOTE } else { Style::new() };
        for piece in textwrap::wrap(rest, opts) {
            out.push(Line::styled(piece.into_owned(), style));
        }
    }
    out
}

/// A line's lead: its indent, `>` quote marks, and a list marker (`- `, `* `, `1. `, `a) `);
/// and the rest.
fn split_lead(line: &str) -> (String, &str) {
    let mut i = 0;
    let b = line.as_bytes();
    // Indent and quote marks.
    while i < b.len() && (b[i] == b' ' || b[i] == b'>') {
        i += 1;
    }
    let rest = &line[i..];
    let marker = if rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("• ") {
        rest.find(' ').map_or(0, |k| k + 1)
    } else {
        let n = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).count();
        let after = &rest[n..];
        if n > 0 && n <= 3 && (after.starts_with(". ") || after.starts_with(") ")) {
            n + 2
        } else {
            0
        }
    };
    let cut = i + marker;
    (line[..cut].to_string(), &line[cut..])
}

impl Pane for Threads {
    fn handle(&mut self, action: &Action, cx: &Cx) -> Option<Vec<Msg>> {
        let laid = self.lay(cx, cx.areas.threads.width, false);
        let h = cx.areas.threads_height().max(1);
        let page = h.saturating_sub(1).max(1) as isize;
        match action {
            Action::Up => self.step(&laid, h, false),
            Action::Down => self.step(&laid, h, true),
            Action::PageUp => self.scroll_by(&laid, h, -page),
            Action::PageDown => self.scroll_by(&laid, h, page),
            Action::Top => {
                self.sel = 0;
                self.scroll = 0;
            }
            Action::Bottom => {
                self.sel = laid.spans.len().saturating_sub(1);
                self.scroll = Threads::max_scroll(&laid, h);
            }
            _ => return None,
        }
        Some(vec![])
    }

    fn wheel(&mut self, delta: isize, cx: &Cx) -> Vec<Msg> {
        let laid = self.lay(cx, cx.areas.threads.width, false);
        self.scroll_by(&laid, cx.areas.threads_height().max(1), delta);
        vec![]
    }

    fn click(&mut self, row: u16, area: Rect, cx: &Cx) -> Vec<Msg> {
        let laid = self.lay(cx, area.width, true);
        let line = row.saturating_sub(area.y + 1) as usize + self.scroll;
        if let Some(i) = laid.spans.iter().position(|r| r.contains(&line)) {
            self.sel = i;
        }
        vec![]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn comments_keep_their_line_breaks_quotes_and_lists() {
        let body = "You wrote:\n> a collection of Output as a dataset, you shall attach\n> to it\n\n\
                    Two points:\n- first, the duty travels with the data\n1. second\n";
        assert_eq!(
            texts(&body_lines(body, 30)),
            [
                "You wrote:",
                "> a collection of Output as a",
                "> dataset, you shall attach",
                "> to it",
                "",
                "Two points:",
                "- first, the duty travels with",
                "  the data",
                "1. second",
            ]
        );
        let lines = body_lines("> quoted", 30);
        assert_eq!(lines[0].style, QUOTE, "quotes are set apart");
    }

    #[test]
    fn hidden_characters_in_comments_show_as_markers() {
        let lines = texts(&body_lines("evil\u{202e}txet\u{1b}]0;x\u{7}", 40));
        assert_eq!(lines, ["evil⟨U+202E⟩txet␛]0;x␇"]);
    }
}

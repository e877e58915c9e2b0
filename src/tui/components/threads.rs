//! The threads pane: the threads of the selected clause, then the orphaned and general ones,
//! each with its comments.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Cx, DIM, KEY, Msg, Pane, pane_block, verdict_style};
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::doc::{AnchorView, Document};
use crate::tui::render::clip;

/// The threads pane's state.
#[derive(Debug, Clone, Default)]
pub struct Threads {
    /// Selected entry of [`items`].
    pub sel: usize,
}

/// Threads listed for clause `clause`: those on it, then the orphaned and general ones
/// (indices into `doc.threads`).
pub fn items(doc: &Document, clause: usize) -> Vec<usize> {
    let here = doc.threads.iter().enumerate().filter(|(_, t)| t.clause == Some(clause));
    let orphaned = doc.threads.iter().enumerate().filter(|(_, t)| t.clause.is_none());
    here.chain(orphaned).map(|(i, _)| i).collect()
}

impl Threads {
    /// The selected thread (index into `doc.threads`).
    pub fn selected(&self, doc: &Document, clause: usize) -> Option<usize> {
        items(doc, clause).get(self.sel).copied()
    }

    /// Another clause is shown: its first thread is selected.
    pub fn reset(&mut self) {
        self.sel = 0;
    }

    /// Keep the selection within the list (after the threads changed).
    pub fn clamp(&mut self, doc: &Document, clause: usize) {
        self.sel = self.sel.min(items(doc, clause).len().saturating_sub(1));
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        let n = items(cx.doc, cx.clause).len();
        if n > 0 {
            self.sel = (self.sel as isize).saturating_add(delta).clamp(0, n as isize - 1) as usize;
        }
    }

    /// The pane's lines at `width`, and the line where each item of [`items`] starts.
    pub fn lines(&self, cx: &Cx, width: u16, focused: bool) -> (Vec<Line<'static>>, Vec<usize>) {
        let w = width.saturating_sub(2) as usize;
        let d = cx.doc;
        let mut lines: Vec<Line<'static>> = Vec::new();
        let mut starts = Vec::new();
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
            let t = &d.threads[i];
            starts.push(lines.len());
            let selected = k == self.sel;
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
            lines.push(head);
            if let Some(q) = &t.quote {
                lines.push(Line::styled(clip(&format!("    “{q}”"), w), Style::new().italic()));
            }
            for c in &t.comments {
                let at = c.at.replace('T', " ");
                let at = at.trim_end_matches('Z').get(..16).unwrap_or(&at).to_string();
                lines.push(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(clip(&c.author, 24), Style::new().fg(Color::Green).bold()),
                    Span::styled(format!(" {}", sanitize_line(&at)), DIM),
                ]));
                for para in reflow(&c.body) {
                    let safe = sanitize_line(&para);
                    for piece in textwrap::wrap(&safe, w.saturating_sub(6).max(10)) {
                        lines.push(Line::raw(format!("      {piece}")));
                    }
                }
            }
        }
        (lines, starts)
    }

    /// Lines scrolled off the top, so the selected thread shows whole when it fits, and from
    /// its first line when it does not.
    pub fn scroll(&self, starts: &[usize], height: usize, total: usize) -> usize {
        let start = starts.get(self.sel).copied().unwrap_or(0);
        let end = starts.get(self.sel + 1).copied().unwrap_or(total);
        end.saturating_sub(height).min(start)
    }

    pub fn render(&self, cx: &Cx, area: Rect, focused: bool, buf: &mut Buffer) {
        let d = cx.doc;
        let clause = d.clauses.get(cx.clause).map(|c| sanitize_line(&c.id)).unwrap_or_default();
        let title = format!(" Threads · {} ", clip(&clause, 20));
        let block = pane_block(title, focused);
        let inner = block.inner(area);
        block.render(area, buf);
        let (lines, starts) = self.lines(cx, area.width, focused);
        let h = inner.height as usize;
        let skip = self.scroll(&starts, h, lines.len());
        for (y, line) in lines.iter().skip(skip).take(h).enumerate() {
            buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
        }
    }
}

impl Pane for Threads {
    fn handle(&mut self, action: &Action, cx: &Cx) -> Option<Vec<Msg>> {
        match action {
            Action::Up => self.move_by(cx, -1),
            Action::Down => self.move_by(cx, 1),
            Action::PageUp => self.move_by(cx, -5),
            Action::PageDown => self.move_by(cx, 5),
            Action::Top => self.move_by(cx, isize::MIN / 2),
            Action::Bottom => self.move_by(cx, isize::MAX / 2),
            _ => return None,
        }
        Some(vec![])
    }

    fn wheel(&mut self, delta: isize, cx: &Cx) -> Vec<Msg> {
        self.move_by(cx, delta.signum());
        vec![]
    }

    fn click(&mut self, row: u16, area: Rect, cx: &Cx) -> Vec<Msg> {
        let (lines, starts) = self.lines(cx, area.width, true);
        let skip = self.scroll(&starts, area.height.saturating_sub(2) as usize, lines.len());
        let line = row.saturating_sub(area.y + 1) as usize + skip;
        if let Some(i) = starts.iter().rposition(|&s| s <= line) {
            self.sel = i;
        }
        vec![]
    }
}

/// A comment body as paragraphs: lines hard-wrapped in the file are joined again, so they
/// wrap to the panel's width; blank lines and list items start new paragraphs.
pub fn reflow(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    for line in body.trim_end().split('\n') {
        let t = line.trim_end();
        let item = ["- ", "* ", "> "].iter().any(|m| t.trim_start().starts_with(m))
            || t.trim_start()
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if t.trim().is_empty() {
            if joining {
                out.push(String::new());
            }
            joining = false;
        } else if joining && !item {
            let last = out.last_mut().expect("joining implies a paragraph");
            last.push(' ');
            last.push_str(t.trim_start());
        } else {
            out.push(t.to_string());
            joining = true;
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn comment_bodies_reflow() {
        let body = "One line\nwrapped here.\n\nSecond para.\n- item one\n- item two\n1. first\n";
        assert_eq!(
            super::reflow(body),
            ["One line wrapped here.", "", "Second para.", "- item one", "- item two", "1. first"]
        );
    }
}

//! `T`: every thread of the review in one list, in clause order (orphaned and general ones
//! last), filtered by status, verdict, criterion and author (`f`). `Enter` goes to the
//! thread: its clause in the texts, it selected in the threads pane.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Cx, DIM, KEY, Msg, Pane, pane_block, verdict_style};
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::doc::{AnchorView, Document, ThreadView};
use crate::tui::render::clip;

/// Which threads the list shows; `None` lets any through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Open (`true`) or resolved only.
    pub open: Option<bool>,
    pub verdict: Option<String>,
    pub criterion: Option<String>,
    /// Threads this person wrote in.
    pub author: Option<String>,
}

impl Filter {
    pub fn admits(&self, t: &ThreadView) -> bool {
        self.open.is_none_or(|o| t.open == o)
            && self.verdict.as_ref().is_none_or(|v| &t.verdict == v)
            && self.criterion.as_ref().is_none_or(|c| t.criteria.contains(c))
            && self.author.as_ref().is_none_or(|a| t.comments.iter().any(|c| &c.author == a))
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// `open, conflict, osd-6, by reviewer-a`, or `none`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(o) = self.open {
            parts.push(if o { "open" } else { "resolved" }.into());
        }
        parts.extend(self.verdict.iter().cloned());
        parts.extend(self.criterion.iter().cloned());
        parts.extend(self.author.iter().map(|a| format!("by {a}")));
        if parts.is_empty() { "none".into() } else { sanitize_line(&parts.join(", ")) }
    }
}

/// Every thread of `doc` in reading order: by the row of its clause, orphaned and general
/// ones last (indices into `doc.threads`).
pub fn in_order(doc: &Document) -> Vec<usize> {
    let mut order: Vec<usize> = (0..doc.threads.len()).collect();
    let key = |i: &usize| {
        let t = &doc.threads[*i];
        match t.clause.and_then(|c| doc.clauses.get(c)) {
            Some(c) => (0, c.row, *i),
            None => (1 + usize::from(t.anchor == AnchorView::General), 0, *i),
        }
    };
    order.sort_by_key(key);
    order
}

/// The threads list's state.
#[derive(Debug, Clone, Default)]
pub struct ThreadList {
    /// Selected row of [`ThreadList::rows`].
    pub sel: usize,
    pub top: usize,
    pub filter: Filter,
}

impl ThreadList {
    /// The threads shown (indices into `doc.threads`).
    pub fn rows(&self, doc: &Document) -> Vec<usize> {
        in_order(doc).into_iter().filter(|&i| self.filter.admits(&doc.threads[i])).collect()
    }

    /// A new filter: the selection goes to the first thread it shows.
    pub fn set_filter(&mut self, filter: Filter) {
        self.filter = filter;
        self.sel = 0;
        self.top = 0;
    }

    fn height(cx: &Cx) -> usize {
        cx.areas.main.height.saturating_sub(4) as usize
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        let n = self.rows(cx.doc).len();
        if n == 0 {
            return;
        }
        self.sel = (self.sel as isize).saturating_add(delta).clamp(0, n as isize - 1) as usize;
        let h = ThreadList::height(cx).max(1);
        if self.sel < self.top {
            self.top = self.sel;
        } else if self.sel >= self.top + h {
            self.top = self.sel + 1 - h;
        }
    }

    pub fn render(&self, cx: &Cx, area: Rect, focused: bool, buf: &mut Buffer) {
        let d = cx.doc;
        let rows = self.rows(d);
        let open = rows.iter().filter(|&&i| d.threads[i].open).count();
        let title = format!(" Threads of the review · {} of {} ", rows.len(), d.threads.len());
        let block = pane_block(title, focused).title_bottom(
            Line::styled(" Enter go to it · f filter · Esc back ", DIM).right_aligned(),
        );
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        let head = Line::from(vec![
            Span::raw(format!("{open} open · {} resolved · filter: ", rows.len() - open)),
            Span::styled(self.filter.describe(), KEY),
        ]);
        buf.set_line(inner.x, inner.y, &head, inner.width);
        if rows.is_empty() {
            let msg = if d.threads.is_empty() {
                "No threads yet: a starts one on the selected clause."
            } else {
                "No thread matches the filter: f changes it."
            };
            buf.set_stringn(inner.x, inner.y + 2, msg, w, DIM);
            return;
        }
        let clause_w = rows.iter().map(|&i| clause_label(d, &d.threads[i]).chars().count()).max();
        let clause_w = clause_w.unwrap_or(6).clamp(6, 16);
        let h = inner.height.saturating_sub(1) as usize;
        for (y, (k, &i)) in rows.iter().enumerate().skip(self.top).take(h).enumerate() {
            let t = &d.threads[i];
            let who = t.comments.last().map(|c| c.author.as_str()).unwrap_or("");
            let first =
                t.comments.first().map(|c| c.body.lines().next().unwrap_or("")).unwrap_or("");
            let spans = vec![
                Span::styled(
                    if t.open { "open     " } else { "resolved " },
                    if t.open { Style::new().fg(Color::Magenta) } else { DIM },
                ),
                Span::styled(
                    format!("{:<9}", sanitize_line(&t.verdict)),
                    verdict_style(&t.verdict),
                ),
                Span::styled(format!("{:<clause_w$} ", clip(&clause_label(d, t), clause_w)), KEY),
                Span::styled(
                    format!("{:<12} ", clip(&t.criteria.join(" "), 12)),
                    Style::new().fg(Color::Blue),
                ),
                Span::styled(format!("{:<12} ", clip(who, 12)), Style::new().fg(Color::Green)),
                Span::raw(format!("{} ", t.comments.len())),
                Span::raw(clip(first, w.saturating_sub(9 + 9 + clause_w + 1 + 13 + 13 + 3))),
            ];
            let mut line = Line::from(spans);
            if k == self.sel {
                line = line.patch_style(if focused {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new().add_modifier(Modifier::BOLD)
                });
            }
            buf.set_line(inner.x, inner.y + 1 + y as u16, &line, inner.width);
        }
    }
}

/// Where a thread is, as the list says it: its clause in this comparison, `was 2.2(b)` when
/// orphaned, `general`.
fn clause_label(d: &Document, t: &ThreadView) -> String {
    match (t.clause.and_then(|c| d.clauses.get(c)), &t.anchor) {
        (Some(c), _) => sanitize_line(&c.id),
        (None, AnchorView::General) => "general".into(),
        (None, _) => format!("was {}", sanitize_line(&t.anchored_clause)),
    }
}

impl Pane for ThreadList {
    fn handle(&mut self, action: &Action, cx: &Cx) -> Option<Vec<Msg>> {
        let page = ThreadList::height(cx).max(2) as isize - 1;
        match action {
            Action::Up => self.move_by(cx, -1),
            Action::Down => self.move_by(cx, 1),
            Action::PageUp => self.move_by(cx, -page),
            Action::PageDown => self.move_by(cx, page),
            Action::Top => self.move_by(cx, isize::MIN / 2),
            Action::Bottom => self.move_by(cx, isize::MAX / 2),
            Action::Submit => {
                return Some(match self.rows(cx.doc).get(self.sel) {
                    Some(&i) => vec![Msg::GoToThread(i)],
                    None => vec![],
                });
            }
            _ => return None,
        }
        Some(vec![])
    }

    fn wheel(&mut self, delta: isize, cx: &Cx) -> Vec<Msg> {
        self.move_by(cx, delta.signum());
        vec![]
    }

    fn click(&mut self, row: u16, area: Rect, cx: &Cx) -> Vec<Msg> {
        let k = self.top + row.saturating_sub(area.y + 2) as usize;
        if row >= area.y + 2 && k < self.rows(cx.doc).len() {
            self.sel = k;
        }
        vec![]
    }
}

//! The outline pane: every clause pair of the comparison, with how it changed and how many
//! threads it holds.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Cx, DIM, Msg, Pane, pane_block};
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::doc::ClauseStatus;
use crate::tui::render::clip;

/// The mark of a clause whose words are unchanged but which uses a changed definition.
pub const USES_CHANGED: &str = "*";

/// The outline's state: its first visible entry (the selection is the workbench's clause).
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub top: usize,
}

/// The colour of a clause's status.
pub fn status_color(s: ClauseStatus) -> Style {
    match s {
        ClauseStatus::Unchanged => Style::new(),
        ClauseStatus::Changed => Style::new().fg(Color::Yellow),
        ClauseStatus::Renumbered => Style::new().fg(Color::Blue),
        ClauseStatus::Moved => Style::new().fg(Color::Cyan),
        ClauseStatus::Added => Style::new().fg(Color::Green),
        ClauseStatus::Removed => Style::new().fg(Color::Red),
    }
}

impl Outline {
    /// Scroll the least so `clause` is visible in `height` rows.
    pub fn keep_visible(&mut self, clause: usize, height: usize) {
        let h = height.max(1);
        if clause < self.top {
            self.top = clause;
        } else if clause >= self.top + h {
            self.top = clause + 1 - h;
        }
    }

    fn select_by(&self, cx: &Cx, delta: isize) -> Vec<Msg> {
        let n = cx.doc.clauses.len();
        if n == 0 {
            return vec![];
        }
        let i = (cx.clause as isize).saturating_add(delta).clamp(0, n as isize - 1) as usize;
        vec![Msg::SelectClause(i)]
    }

    pub fn render(&self, cx: &Cx, area: Rect, focused: bool, buf: &mut Buffer) {
        let d = cx.doc;
        let what = if d.paragraphs { "Paragraphs" } else { "Clauses" };
        let mut block = pane_block(format!(" {what} {} ", d.clauses.len()), focused);
        if d.glossary.uses_changed.iter().any(|u| !u.is_empty()) {
            // The legend of the mark, as long as the pane has room for.
            let room = area.width.saturating_sub(2) as usize;
            let legend =
                [" * uses a changed definition: t ", " * uses changed def ", " * changed def "]
                    .into_iter()
                    .find(|l| l.chars().count() <= room)
                    .unwrap_or("");
            block = block.title_bottom(Line::styled(legend, Style::new().fg(Color::Magenta)));
        }
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        for (y, i) in (self.top..d.clauses.len()).take(inner.height as usize).enumerate() {
            let c = &d.clauses[i];
            let mut badge = match (c.threads, c.open) {
                (0, _) => String::new(),
                (n, 0) => format!(" ✓{n}"),
                (_, open) => format!(" ●{open}"),
            };
            let label = label(&c.id, &c.heading, c.depth, w.saturating_sub(2), &mut badge);
            let mut spans = vec![
                Span::styled(c.status.marker().to_string(), status_color(c.status).bold()),
                Span::raw(" "),
                Span::styled(label, status_color(c.status)),
            ];
            if !d.glossary.uses_changed(i).is_empty() {
                // Its words are the same, its meaning may not be: in the status column when
                // that is free (a renumbered or moved clause keeps its mark there).
                let k = if c.status.marker() == ' ' { 0 } else { 1 };
                spans[k] = Span::styled(USES_CHANGED, Style::new().fg(Color::Magenta).bold());
            }
            let used: usize = spans.iter().map(|s| s.width()).sum();
            if !badge.is_empty() {
                spans.push(Span::raw(" ".repeat(w.saturating_sub(used + badge.chars().count()))));
                let st = if c.open > 0 { Style::new().fg(Color::Magenta) } else { DIM };
                spans.push(Span::styled(badge, st));
            }
            let mut line = Line::from(spans);
            if i == cx.clause {
                line = line.patch_style(if focused {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new().add_modifier(Modifier::BOLD).bg(Color::Rgb(40, 44, 52))
                });
            }
            buf.set_line(inner.x, inner.y + y as u16, &line, inner.width);
        }
    }
}

/// An outline entry's text in `width` columns: the clause id whole, indented by its depth
/// when there is room, then as much of the heading as fits. The id is never cut: the heading
/// goes first, then the indent, then the thread badge (emptied when it does not fit).
pub fn label(id: &str, heading: &str, depth: usize, width: usize, badge: &mut String) -> String {
    use unicode_width::UnicodeWidthStr;
    let id = sanitize_line(id);
    let id_w = id.width();
    if id_w + badge.width() > width {
        badge.clear();
    }
    let room = width - badge.width().min(width);
    let indent = (depth.saturating_sub(1).min(4) * 2).min(room.saturating_sub(id_w));
    let heading_room = room.saturating_sub(indent + id_w + 1);
    let heading = if heading_room >= 2 && !heading.is_empty() {
        format!(" {}", clip(heading, heading_room))
    } else {
        String::new()
    };
    format!("{}{id}{heading}", " ".repeat(indent))
}

impl Pane for Outline {
    fn handle(&mut self, action: &Action, cx: &Cx) -> Option<Vec<Msg>> {
        let page = cx.areas.outline_height().max(2) as isize - 1;
        Some(match action {
            Action::Up => self.select_by(cx, -1),
            Action::Down => self.select_by(cx, 1),
            Action::PageUp => self.select_by(cx, -page),
            Action::PageDown => self.select_by(cx, page),
            Action::Top => self.select_by(cx, isize::MIN / 2),
            Action::Bottom => self.select_by(cx, isize::MAX / 2),
            _ => return None,
        })
    }

    fn wheel(&mut self, delta: isize, cx: &Cx) -> Vec<Msg> {
        let n = cx.doc.clauses.len();
        let h = cx.areas.outline_height();
        self.top = ((self.top as isize + delta).max(0) as usize).min(n.saturating_sub(h));
        vec![]
    }

    fn click(&mut self, row: u16, area: Rect, cx: &Cx) -> Vec<Msg> {
        let i = self.top + row.saturating_sub(area.y + 1) as usize;
        if i < cx.doc.clauses.len() && row > area.y { vec![Msg::SelectClause(i)] } else { vec![] }
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn ids_are_never_cut_the_heading_goes_first() {
        let mut badge = " ●2".to_string();
        assert_eq!(label("2.2(b)", "Output datasets", 3, 16, &mut badge), "    2.2(b) O…");
        assert_eq!(badge, " ●2");
        let mut badge = " ●2".to_string();
        let l = label("2.1(a)(iii)", "Attribution", 4, 16, &mut badge);
        assert_eq!(
            (l.as_str(), badge.as_str()),
            ("  2.1(a)(iii)", " ●2"),
            "no room for the heading"
        );
        let mut badge = " ●2".to_string();
        let l = label("2.1(a)(iii)(B)", "Attribution", 5, 16, &mut badge);
        assert_eq!((l.as_str(), badge.as_str()), ("  2.1(a)(iii)(B)", ""), "the badge gives way");
        let mut badge = String::new();
        assert_eq!(label("1", "Definitions", 1, 16, &mut badge), "1 Definitions");
    }
}

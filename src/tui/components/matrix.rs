//! `M`: the clause-by-criterion matrix, the same as every export has it (the worst verdict
//! of the threads on a clause that raise a criterion), with the open and resolved threads of
//! each clause and of the review. `Enter` goes to the clause.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Cx, DIM, KEY, Msg, Pane, pane_block, verdict_style};
use crate::review::Verdict;
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::doc::MatrixView;
use crate::tui::render::clip;

/// The matrix pane's state: the matrix (it comes from the runtime) and the selected row.
#[derive(Debug, Clone, Default)]
pub struct Matrix {
    pub data: Option<MatrixView>,
    pub sel: usize,
    pub top: usize,
}

/// A verdict in one cell: a sign, so that many criteria fit.
pub fn sign(v: Verdict) -> &'static str {
    match v {
        Verdict::Conflict => "✗",
        Verdict::Concern => "!",
        Verdict::Question => "?",
        Verdict::Conforms => "✓",
        Verdict::Note => "·",
    }
}

impl Matrix {
    fn len(&self) -> usize {
        self.data.as_ref().map_or(0, |m| m.rows.len())
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        let n = self.len();
        if n == 0 {
            return;
        }
        self.sel = (self.sel as isize).saturating_add(delta).clamp(0, n as isize - 1) as usize;
        let h = cx.areas.main.height.saturating_sub(6).max(1) as usize;
        if self.sel < self.top {
            self.top = self.sel;
        } else if self.sel >= self.top + h {
            self.top = self.sel + 1 - h;
        }
    }

    pub fn render(&self, _cx: &Cx, area: Rect, focused: bool, buf: &mut Buffer) {
        let title = match &self.data {
            Some(m) => format!(" Clauses × criteria · threads placed on {} ", clip(&m.version, 24)),
            None => " Clauses × criteria ".to_string(),
        };
        let block = pane_block(title, focused)
            .title_bottom(Line::styled(" Enter go to the clause · Esc back ", DIM).right_aligned());
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(m) = &self.data else {
            buf.set_stringn(inner.x, inner.y, "Counting…", inner.width as usize, DIM);
            return;
        };
        let totals = format!("{} threads · {} open · {} resolved", m.threads, m.open, m.resolved);
        buf.set_stringn(inner.x, inner.y, &totals, inner.width as usize, Style::new().bold());
        if m.rows.is_empty() {
            let msg = "No clause has threads yet.";
            buf.set_stringn(inner.x, inner.y + 2, msg, inner.width as usize, DIM);
            return;
        }
        let label = |r: &crate::tui::doc::MatrixRowView| {
            let id = sanitize_line(&r.clause);
            match (r.orphaned, id.is_empty()) {
                (_, true) => "(general)".to_string(),
                (true, _) => format!("{id} (orphaned)"),
                _ => id,
            }
        };
        let first =
            m.rows.iter().map(|r| label(r).chars().count()).max().unwrap_or(6).clamp(6, 24) + 1;
        let cols: Vec<usize> =
            m.criteria.iter().map(|c| sanitize_line(c).chars().count().max(3) + 1).collect();
        // The head: the criteria ids.
        let mut head = vec![Span::styled(format!("{:<first$}", "Clause"), DIM)];
        for (c, w) in m.criteria.iter().zip(&cols) {
            head.push(Span::styled(format!("{:<w$}", clip(c, w - 1)), KEY));
        }
        head.push(Span::styled("worst    open resolved", DIM));
        buf.set_line(inner.x, inner.y + 2, &Line::from(head), inner.width);
        let h = inner.height.saturating_sub(5) as usize;
        for (y, (i, r)) in m.rows.iter().enumerate().skip(self.top).take(h).enumerate() {
            let st = if r.orphaned { Style::new().fg(Color::Red) } else { KEY };
            let mut spans =
                vec![Span::styled(format!("{:<first$}", clip(&label(r), first - 1)), st)];
            for (cell, w) in r.cells.iter().zip(&cols) {
                spans.push(match cell {
                    Some(v) => Span::styled(format!("{:<w$}", sign(*v)), verdict_style(v.as_str())),
                    None => Span::styled(format!("{:<w$}", "-"), DIM),
                });
            }
            let worst = r.worst.as_str();
            spans.push(Span::styled(format!("{worst:<9}"), verdict_style(worst)));
            spans.push(Span::styled(
                format!("{:<5}", r.open),
                if r.open > 0 { Style::new().fg(Color::Magenta) } else { DIM },
            ));
            spans.push(Span::raw(r.resolved.to_string()));
            let mut line = Line::from(spans);
            if i == self.sel {
                line = line.patch_style(if focused {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new().add_modifier(Modifier::BOLD)
                });
            }
            buf.set_line(inner.x, inner.y + 3 + y as u16, &line, inner.width);
        }
        let legend: Vec<Span> = Verdict::WORST_FIRST
            .iter()
            .flat_map(|v| {
                [
                    Span::styled(sign(*v), verdict_style(v.as_str())),
                    Span::styled(format!(" {}  ", v.as_str()), DIM),
                ]
            })
            .collect();
        let y = inner.y + inner.height.saturating_sub(1);
        buf.set_line(inner.x, y, &Line::from(legend), inner.width);
    }
}

impl Pane for Matrix {
    fn handle(&mut self, action: &Action, cx: &Cx) -> Option<Vec<Msg>> {
        match action {
            Action::Up => self.move_by(cx, -1),
            Action::Down => self.move_by(cx, 1),
            Action::PageUp => self.move_by(cx, -10),
            Action::PageDown => self.move_by(cx, 10),
            Action::Top => self.move_by(cx, isize::MIN / 2),
            Action::Bottom => self.move_by(cx, isize::MAX / 2),
            Action::Submit => {
                let row = self.data.as_ref().and_then(|m| m.rows.get(self.sel));
                return Some(match row {
                    Some(r) if !r.orphaned && !r.clause.is_empty() => match cx
                        .doc
                        .clauses
                        .iter()
                        .position(|c| c.right_id.as_deref() == Some(r.clause.as_str()))
                    {
                        Some(i) => vec![Msg::GoToClause(i)],
                        None => {
                            vec![Msg::Warn(format!("No clause {} here", sanitize_line(&r.clause)))]
                        }
                    },
                    Some(r) => vec![Msg::Warn(format!(
                        "These threads are on no clause here ({}): T lists them",
                        if r.clause.is_empty() {
                            "general".into()
                        } else {
                            sanitize_line(&r.clause)
                        }
                    ))],
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

    fn click(&mut self, row: u16, area: Rect, _cx: &Cx) -> Vec<Msg> {
        let k = self.top + row.saturating_sub(area.y + 4) as usize;
        if row >= area.y + 4 && k < self.len() {
            self.sel = k;
        }
        vec![]
    }
}

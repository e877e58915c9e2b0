//! `f` in the threads list: which threads it shows, by status, verdict, criterion and
//! author. `←` `→` (or `h` `l`, `Space`) change the value of the row under the cursor, the
//! verdict's letter sets it at once; the list follows as it changes. `Enter` keeps the
//! filter, `Esc` puts the one from before back, `x` clears all.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::thread_list::Filter;
use super::{Cx, DIM, FOCUS, KEY, Msg, popup_area, verdict_style};
use crate::review::Verdict;
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::doc::Document;

/// The filter dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPopup {
    pub filter: Filter,
    /// The filter when the dialog opened, for `Esc`.
    before: Filter,
    /// The row under the cursor: status, verdict, criterion, author.
    pub row: usize,
    criteria: Vec<String>,
    authors: Vec<String>,
}

const ROWS: [&str; 4] = ["status", "verdict", "criterion", "author"];

impl FilterPopup {
    /// The dialog on `filter`, offering the criteria and authors of `doc`'s threads.
    pub fn new(doc: &Document, filter: Filter) -> FilterPopup {
        let mut criteria: Vec<String> =
            doc.threads.iter().flat_map(|t| t.criteria.iter().cloned()).collect();
        criteria.sort();
        criteria.dedup();
        let mut authors: Vec<String> =
            doc.threads.iter().flat_map(|t| t.comments.iter().map(|c| c.author.clone())).collect();
        authors.sort();
        authors.dedup();
        FilterPopup { before: filter.clone(), filter, row: 0, criteria, authors }
    }

    /// Step the value of row `row` by `delta` through "any" and its values.
    fn step(&mut self, delta: isize) {
        let cycle = |values: Vec<String>, now: &Option<String>| -> Option<String> {
            let n = values.len() as isize + 1; // "any" is 0
            let at = now.as_ref().and_then(|v| values.iter().position(|x| x == v));
            let i = at.map_or(0, |k| k as isize + 1);
            let next = (i + delta).rem_euclid(n);
            (next > 0).then(|| values[next as usize - 1].clone())
        };
        let f = &mut self.filter;
        match self.row {
            0 => {
                let values = ["open", "resolved"].map(String::from).to_vec();
                let now = f.open.map(|o| if o { "open" } else { "resolved" }.to_string());
                f.open = cycle(values, &now).map(|v| v == "open");
            }
            1 => {
                let values = Verdict::ALL.iter().map(|v| v.as_str().to_string()).collect();
                f.verdict = cycle(values, &f.verdict);
            }
            2 => f.criterion = cycle(self.criteria.clone(), &f.criterion),
            _ => f.author = cycle(self.authors.clone(), &f.author),
        }
    }

    /// Returns whether the dialog closes, and what to do.
    pub fn handle(&mut self, action: &Action, _cx: &Cx) -> (bool, Vec<Msg>) {
        let before = self.filter.clone();
        match action {
            Action::Down => self.row = (self.row + 1).min(ROWS.len() - 1),
            Action::Up => self.row = self.row.saturating_sub(1),
            Action::Top => self.row = 0,
            Action::Bottom => self.row = ROWS.len() - 1,
            Action::FocusNext | Action::Toggle | Action::Pick('l') => self.step(1),
            Action::FocusPrev | Action::Pick('h') => self.step(-1),
            Action::Pick('x') => self.filter = Filter::default(),
            Action::Pick(c) if self.row == 1 => {
                if let Some(v) = Verdict::ALL.iter().find(|v| v.key() == *c) {
                    self.filter.verdict = Some(v.as_str().to_string());
                }
            }
            Action::Pick('q') | Action::Escape => {
                return (true, vec![Msg::SetFilter(self.before.clone())]);
            }
            Action::Submit => return (true, vec![]),
            _ => {}
        }
        let changed = self.filter != before;
        (false, if changed { vec![Msg::SetFilter(self.filter.clone())] } else { vec![] })
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let r = popup_area(area, 60, ROWS.len() as u16 + 4);
        Clear.render(r, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(" Filter the threads · ← → change ")
            .title_bottom(
                Line::styled(" Enter keeps · Esc undoes · x clears ", DIM).right_aligned(),
            )
            .border_style(FOCUS);
        let inner = block.inner(r);
        block.render(r, buf);
        let f = &self.filter;
        let any = || "any".to_string();
        let values = [
            f.open.map(|o| if o { "open" } else { "resolved" }.to_string()).unwrap_or_else(any),
            f.verdict.clone().unwrap_or_else(any),
            f.criterion.clone().unwrap_or_else(any),
            f.author.clone().unwrap_or_else(any),
        ];
        for (i, (name, value)) in ROWS.iter().zip(values).enumerate() {
            let st = if i == 1 { verdict_style(&value) } else { KEY };
            let mut spans = vec![
                Span::raw(format!(" {name:<10}")),
                Span::styled(format!("‹ {} ›", sanitize_line(&value)), st),
            ];
            if i == 1 {
                spans.push(Span::styled("   c o f q n", DIM));
            }
            let mut line = Line::from(spans);
            if i == self.row {
                line = line.patch_style(Style::new().add_modifier(Modifier::REVERSED));
            }
            buf.set_line(inner.x, inner.y + 1 + i as u16, &line, inner.width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::render::Areas;

    #[test]
    fn values_cycle_through_any_and_esc_undoes() {
        let doc = crate::tui::app::tests::sample();
        let mut p = FilterPopup::new(&doc, Filter::default());
        let a = Areas::default();
        let cx = crate::tui::components::Cx {
            doc: &doc,
            clause: 0,
            areas: &a,
            criteria: &[],
            draft: None,
            author: "",
        };
        let (_, m) = p.handle(&Action::FocusNext, &cx);
        assert_eq!(m, vec![Msg::SetFilter(Filter { open: Some(true), ..Filter::default() })]);
        p.handle(&Action::FocusNext, &cx);
        assert_eq!(p.filter.open, Some(false));
        p.handle(&Action::FocusNext, &cx);
        assert_eq!(p.filter.open, None, "back to any");
        p.handle(&Action::FocusPrev, &cx);
        assert_eq!(p.filter.open, Some(false));
        p.handle(&Action::Down, &cx);
        p.handle(&Action::Pick('f'), &cx);
        assert_eq!(p.filter.verdict.as_deref(), Some("conflict"), "the verdict's letter");
        p.handle(&Action::Down, &cx);
        p.handle(&Action::Pick('l'), &cx);
        assert_eq!(p.filter.criterion.as_deref(), Some("osd-6"));
        let (close, m) = p.handle(&Action::Escape, &cx);
        assert!(close);
        assert_eq!(m, vec![Msg::SetFilter(Filter::default())], "Esc: the filter from before");
    }
}

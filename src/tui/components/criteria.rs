//! `c`: the criteria a thread raises, several at once.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::picker::{Item, Picked, Picker};
use super::{Cx, KEY, Msg};
use crate::text::sanitize_line;
use crate::tui::action::{Action, ReviewChange};
use crate::tui::doc::CriterionView;

/// One criterion as listed: its id in a column `width` wide, and its title.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionItem {
    pub criterion: CriterionView,
    pub width: usize,
}

impl Item for CriterionItem {
    fn line(&self) -> Line<'static> {
        let w = self.width;
        Line::from(vec![
            Span::styled(format!("{:<w$}", sanitize_line(&self.criterion.id)), KEY),
            Span::raw(sanitize_line(&self.criterion.title)),
        ])
    }
}

/// The criteria picker of one thread.
#[derive(Debug, Clone, PartialEq)]
pub struct CriteriaPopup {
    pub thread: String,
    pub picker: Picker<CriterionItem>,
}

impl CriteriaPopup {
    /// The picker for thread `thread`, which raises `raised` now.
    pub fn new(criteria: &[CriterionView], thread: String, raised: &[String]) -> CriteriaPopup {
        let width = criteria.iter().map(|c| c.id.chars().count()).max().unwrap_or(0) + 2;
        let chosen = criteria.iter().map(|c| raised.contains(&c.id)).collect();
        let items =
            criteria.iter().map(|c| CriterionItem { criterion: c.clone(), width }).collect();
        CriteriaPopup { thread, picker: Picker::ticks(items, chosen) }
    }

    /// Returns whether it closes, and what to do.
    pub fn handle(&mut self, action: &Action, cx: &Cx) -> (bool, Vec<Msg>) {
        match self.picker.handle(action) {
            Picked::Stay => (false, vec![]),
            Picked::Cancelled => (true, vec![]),
            Picked::Chosen(_) => {
                if !cx.doc.threads.iter().any(|t| t.id == self.thread) {
                    return (true, vec![]);
                }
                let criteria = (self.picker.items.iter().zip(&self.picker.chosen))
                    .filter(|(_, on)| **on)
                    .map(|(c, _)| c.criterion.id.clone())
                    .collect();
                let thread = self.thread.clone();
                (true, vec![Msg::Apply(ReviewChange::SetCriteria { thread, criteria })])
            }
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        self.picker.render(" Criteria · Space ticks · Enter saves ".into(), None, area, buf);
    }
}

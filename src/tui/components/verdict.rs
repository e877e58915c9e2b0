//! `v`: the verdict of a thread.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::picker::{Item, Picked, Picker};
use super::{Cx, DIM, Msg, verdict_style};
use crate::tui::action::{Action, ReviewChange};

/// The verdicts a thread can carry.
pub const VERDICTS: &[(&str, &str)] = &[
    ("conforms", "the clause meets the criteria"),
    ("concern", "a possible problem, worth discussing"),
    ("conflict", "the clause conflicts with a criterion"),
    ("question", "a question to the license author"),
    ("note", "a remark, no judgement"),
];

/// A verdict as listed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerdictItem(pub &'static str, pub &'static str);

impl Item for VerdictItem {
    fn line(&self) -> Line<'static> {
        Line::from(vec![
            Span::styled(format!("{:<10}", self.0), verdict_style(self.0)),
            Span::styled(self.1, DIM),
        ])
    }
}

/// The verdict picker of one thread.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictPopup {
    pub thread: String,
    pub picker: Picker<VerdictItem>,
}

impl VerdictPopup {
    /// The picker for thread `thread`, whose verdict is `current`.
    pub fn new(thread: String, current: &str) -> VerdictPopup {
        let mut picker = Picker::new(VERDICTS.iter().map(|(v, w)| VerdictItem(v, w)).collect());
        picker.cursor = VERDICTS.iter().position(|(v, _)| *v == current).unwrap_or(0);
        VerdictPopup { thread, picker }
    }

    pub fn handle(&mut self, action: &Action, cx: &Cx) -> (bool, Vec<Msg>) {
        match self.picker.handle(action) {
            Picked::Stay => (false, vec![]),
            Picked::Cancelled => (true, vec![]),
            Picked::Chosen(i) => {
                if !cx.doc.threads.iter().any(|t| t.id == self.thread) {
                    return (true, vec![]);
                }
                let verdict = self.picker.items[i].0.to_string();
                let thread = self.thread.clone();
                (true, vec![Msg::Apply(ReviewChange::SetVerdict { thread, verdict })])
            }
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        self.picker.render(" Verdict · Enter chooses ".into(), None, area, buf);
    }
}

//! `v`: the verdict of a thread. Each verdict has its letter (`c`onforms, c`o`ncern,
//! con`f`lict, `q`uestion, `n`ote): one key chooses and saves. The list starts on its first
//! entry, whatever the thread's verdict, which is marked: `v j j Enter` always means the
//! same verdict.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::picker::{Item, Picked, Picker};
use super::{Cx, DIM, Msg, verdict_style};
use crate::review::Verdict;
use crate::tui::action::{Action, ReviewChange};

/// What a verdict says, as the picker explains it.
pub fn meaning(v: Verdict) -> &'static str {
    match v {
        Verdict::Conforms => "the clause meets the criteria",
        Verdict::Concern => "a possible problem, worth discussing",
        Verdict::Conflict => "the clause conflicts with a criterion",
        Verdict::Question => "a question to the license author",
        Verdict::Note => "a remark, no judgement",
    }
}

/// A verdict as listed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerdictItem(pub Verdict);

impl Item for VerdictItem {
    fn line(&self) -> Line<'static> {
        let v = self.0.as_str();
        Line::from(vec![
            Span::styled(format!("{v:<10}"), verdict_style(v)),
            Span::styled(meaning(self.0), DIM),
        ])
    }

    fn key(&self) -> Option<char> {
        Some(self.0.key())
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
        let mut picker = Picker::new(Verdict::ALL.iter().map(|v| VerdictItem(*v)).collect());
        picker.current = Verdict::ALL.iter().position(|v| v.as_str() == current);
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
                let verdict = self.picker.items[i].0.as_str().to_string();
                let thread = self.thread.clone();
                (true, vec![Msg::Apply(ReviewChange::SetVerdict { thread, verdict })])
            }
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let title = " Verdict · a letter or Enter chooses and saves ";
        self.picker.render(title.into(), None, area, buf);
    }
}

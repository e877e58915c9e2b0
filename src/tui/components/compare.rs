//! `s`: which two versions to compare.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::picker::{Item, Picked, Picker};
use super::{Cx, Msg};
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::doc::Document;

/// A pair of versions: left, right.
#[derive(Debug, Clone, PartialEq)]
pub struct PairItem(pub String, pub String);

impl Item for PairItem {
    fn line(&self) -> Line<'static> {
        Line::raw(sanitize_line(&format!("{}  ↔  {}", self.0, self.1)))
    }
}

/// Every ordered pair of distinct versions of the review.
pub fn version_pairs(doc: &Document) -> Vec<(String, String)> {
    let v = &doc.versions;
    let mut out = Vec::new();
    for l in v {
        for r in v {
            if l != r {
                out.push((l.clone(), r.clone()));
            }
        }
    }
    out
}

/// The picker of version pairs, on the pair shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparePopup {
    pub picker: Picker<PairItem>,
}

impl ComparePopup {
    pub fn new(doc: &Document) -> ComparePopup {
        let pairs = version_pairs(doc);
        let cursor = pairs
            .iter()
            .position(|(l, r)| *l == doc.left_version && *r == doc.right_version)
            .unwrap_or(0);
        let mut picker = Picker::new(pairs.into_iter().map(|(l, r)| PairItem(l, r)).collect());
        picker.cursor = cursor;
        ComparePopup { picker }
    }

    pub fn handle(&mut self, action: &Action, _cx: &Cx) -> (bool, Vec<Msg>) {
        match self.picker.handle(action) {
            Picked::Stay => (false, vec![]),
            Picked::Cancelled => (true, vec![]),
            Picked::Chosen(i) => {
                let PairItem(left, right) = self.picker.items[i].clone();
                let say = Msg::Say(format!("Comparing {left} with {right}…"));
                (true, vec![say, Msg::Compare { left, right }])
            }
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        self.picker.render(" Compare · Enter chooses ".into(), None, area, buf);
    }
}

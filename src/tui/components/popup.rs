//! The pickers that open over the panes, one at a time; each lives in its own file.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::closest::ClosestPopup;
use super::compare::ComparePopup;
use super::criteria::CriteriaPopup;
use super::export::ExportPopup;
use super::filter::FilterPopup;
use super::import::ImportPopup;
use super::log::LogPopup;
use super::terms::TermsPopup;
use super::verdict::VerdictPopup;
use super::versions::VersionsPopup;
use super::{Cx, Msg};
use crate::tui::action::Action;

/// The open picker.
#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Criteria(CriteriaPopup),
    Verdict(VerdictPopup),
    Compare(ComparePopup),
    Export(ExportPopup),
    Closest(ClosestPopup),
    Filter(FilterPopup),
    Versions(VersionsPopup),
    Log(LogPopup),
    Terms(TermsPopup),
    Import(ImportPopup),
}

impl Popup {
    /// Whether keys are text now (a field of the versions dialog is typed).
    pub fn typing(&self) -> bool {
        matches!(self, Popup::Versions(p) if p.typing())
            || matches!(self, Popup::Terms(p) if p.typing())
    }

    /// Handle an action; returns whether the popup closes, and what to do.
    pub fn handle(&mut self, action: &Action, cx: &Cx) -> (bool, Vec<Msg>) {
        match self {
            Popup::Criteria(p) => p.handle(action, cx),
            Popup::Verdict(p) => p.handle(action, cx),
            Popup::Compare(p) => p.handle(action, cx),
            Popup::Export(p) => p.handle(action, cx),
            Popup::Closest(p) => p.handle(action, cx),
            Popup::Filter(p) => p.handle(action, cx),
            Popup::Versions(p) => p.handle(action, cx),
            Popup::Terms(p) => p.handle(action, cx),
            Popup::Log(p) => {
                let a = cx.areas;
                let screen = Rect::new(0, 0, a.header.width, a.status.y + a.status.height);
                (p.handle(action, screen), vec![])
            }
            Popup::Import(p) => {
                let a = cx.areas;
                let screen = Rect::new(0, 0, a.header.width, a.status.y + a.status.height);
                (p.handle(action, screen), vec![])
            }
        }
    }

    pub fn render(&self, cx: &Cx, area: Rect, buf: &mut Buffer) {
        match self {
            Popup::Criteria(p) => p.render(area, buf),
            Popup::Verdict(p) => p.render(area, buf),
            Popup::Compare(p) => p.render(area, buf),
            Popup::Export(p) => p.render(area, buf),
            Popup::Closest(p) => p.render(area, buf),
            Popup::Filter(p) => p.render(area, buf),
            Popup::Versions(p) => p.render(cx.doc, area, buf),
            Popup::Log(p) => p.render(area, buf),
            Popup::Terms(p) => p.render(cx.doc, area, buf),
            Popup::Import(p) => p.render(area, buf),
        }
    }

    /// The keys that apply, for the status line.
    pub fn status_keys(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Popup::Criteria(_) => {
                vec![("j/k", "move"), ("Space", "tick"), ("Enter", "save"), ("Esc", "cancel")]
            }
            Popup::Verdict(_) => vec![
                ("c o f q n", "choose and save"),
                ("j/k", "move"),
                ("Enter", "choose"),
                ("Esc", "cancel"),
            ],
            Popup::Versions(p) if p.typing() => vec![("Enter", "next"), ("Esc", "cancel")],
            Popup::Versions(_) => vec![
                ("h", "left"),
                ("l Enter", "right"),
                ("a", "add"),
                ("n", "name"),
                ("t", "date"),
                ("d", "remove"),
                ("A", "accept new text"),
                ("Esc", "close"),
            ],
            Popup::Filter(_) => vec![
                ("j/k", "row"),
                ("← →", "value"),
                ("x", "clear"),
                ("Enter", "keep"),
                ("Esc", "undo"),
            ],
            Popup::Log(_) => {
                vec![("j/k PgUp PgDn", "scroll"), ("g G", "oldest / newest"), ("Esc m", "close")]
            }
            Popup::Import(_) => {
                vec![("j/k PgUp PgDn", "scroll"), ("g G", "top / end"), ("Esc", "close")]
            }
            Popup::Closest(_) => {
                vec![("j/k", "move"), ("Enter", "compare on the left"), ("Esc", "cancel")]
            }
            Popup::Terms(p) => p.status_keys(),
            _ => vec![("j/k", "move"), ("Enter", "choose"), ("Esc", "cancel")],
        }
    }
}

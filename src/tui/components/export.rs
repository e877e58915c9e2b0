//! `e`: write a summary of the review next to it, in one of the export formats.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::picker::{Item, Picked, Picker};
use super::{Cx, DIM, KEY, Msg};
use crate::export::Format;
use crate::tui::action::{Action, Effect};

/// A format as listed: one of [`Format::ALL`], the list `lrw export` offers too.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormatItem(pub Format, pub &'static str);

impl Item for FormatItem {
    fn line(&self) -> Line<'static> {
        let ext = self.0.extension();
        Line::from(vec![Span::styled(format!("{ext:<6}"), KEY), Span::styled(self.1, DIM)])
    }
}

/// The export picker.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportPopup {
    pub picker: Picker<FormatItem>,
}

impl Default for ExportPopup {
    fn default() -> ExportPopup {
        ExportPopup {
            picker: Picker::new(Format::ALL.iter().map(|&(f, w)| FormatItem(f, w)).collect()),
        }
    }
}

impl ExportPopup {
    pub fn handle(&mut self, action: &Action, cx: &Cx) -> (bool, Vec<Msg>) {
        match self.picker.handle(action) {
            Picked::Stay => (false, vec![]),
            Picked::Cancelled => (true, vec![]),
            Picked::Chosen(i) => {
                let format = self.picker.items[i].0.extension();
                let version = cx.doc.right_version.clone();
                (
                    true,
                    vec![
                        Msg::Say(format!("Writing the {format} summary…")),
                        Msg::Effect(Effect::Export { format: format.to_string(), version }),
                    ],
                )
            }
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let title = " Export a summary · Enter writes it next to the review ";
        self.picker.render(title.into(), None, area, buf);
    }
}

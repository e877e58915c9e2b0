//! `e`: write a summary of the review next to it, in one of the export formats.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::picker::{Item, Picked, Picker};
use super::{Cx, DIM, KEY, Msg};
use crate::tui::action::{Action, Effect};

/// The summary formats `e` offers: the `lrw export` format name and what it is for.
pub const EXPORT_FORMATS: &[(&str, &str)] = &[
    ("md", "Markdown: a repository, an issue, a pull request"),
    ("html", "HTML: one self-contained page, printable"),
    ("txt", "plain text for a mailing list (72 columns)"),
    ("json", "JSON for scripts"),
];

/// A format as listed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormatItem(pub &'static str, pub &'static str);

impl Item for FormatItem {
    fn line(&self) -> Line<'static> {
        Line::from(vec![Span::styled(format!("{:<6}", self.0), KEY), Span::styled(self.1, DIM)])
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
            picker: Picker::new(EXPORT_FORMATS.iter().map(|(f, w)| FormatItem(f, w)).collect()),
        }
    }
}

impl ExportPopup {
    pub fn handle(&mut self, action: &Action, cx: &Cx) -> (bool, Vec<Msg>) {
        match self.picker.handle(action) {
            Picked::Stay => (false, vec![]),
            Picked::Cancelled => (true, vec![]),
            Picked::Chosen(i) => {
                let format = self.picker.items[i].0;
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

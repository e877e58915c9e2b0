//! Questions asked before something that cannot be undone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

use super::popup_area;
use crate::text::sanitize_line;
use crate::tui::action::Draft;

/// A question waiting for y / n (/ k).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Quit while an unsent draft exists.
    Quit,
    /// Esc in the editor after text was typed.
    DiscardEdit,
    /// `d` on the unsent draft.
    DeleteDraft,
    /// A draft from an earlier session was found in the recovery file.
    Recover,
    /// `D`: delete one's own comment (a thread of one comment goes with it).
    DeleteComment { thread: String, comment: String },
    /// Remove a version no thread uses.
    RemoveVersion { id: String },
    /// Record the text now in the file of version `id` as that version.
    AcceptText { id: String },
}

impl Question {
    /// The answers, for the status line.
    pub fn status_keys(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Question::Recover | Question::DiscardEdit => {
                vec![("y", "yes"), ("n", "no"), ("k", "keep for later")]
            }
            _ => vec![("y", "yes"), ("n", "no")],
        }
    }

    /// Draw the question over `area`; `draft` is the unsent draft, `recovered` the one found
    /// at start.
    pub fn render(
        &self,
        draft: Option<&Draft>,
        recovered: Option<&Draft>,
        area: Rect,
        buf: &mut Buffer,
    ) {
        let (title, text) = match self {
            Question::Quit => (
                " Quit? ",
                "You have an unsent draft. It stays in the recovery file and is offered next \
                 time.\ny quit · n stay"
                    .to_string(),
            ),
            Question::DiscardEdit => (
                " Discard? ",
                "Discard what you typed?\ny discard · n keep editing · k keep as unsent draft"
                    .to_string(),
            ),
            Question::DeleteDraft => (
                " Delete draft? ",
                format!(
                    "Delete your unsent draft ({})?\ny delete · n keep",
                    draft.map(|d| d.describe()).unwrap_or_default()
                ),
            ),
            Question::DeleteComment { thread, .. } => (
                " Delete comment? ",
                format!(
                    "Delete your last comment in {}? A thread of one comment goes with it.\ny \
                     delete · n keep",
                    sanitize_line(thread)
                ),
            ),
            Question::RemoveVersion { id } => (
                " Remove version? ",
                format!(
                    "Remove version {} from the review? Its file stays where it is.\ny remove · \
                     n keep",
                    sanitize_line(id)
                ),
            ),
            Question::AcceptText { id } => (
                " Record the new text? ",
                format!(
                    "The file of version {0} changed since the review recorded it. Record the \
                     text now in it as {0}? Threads anchored there move to where their words \
                     are.\ny record · n not now",
                    sanitize_line(id)
                ),
            ),
            Question::Recover => (
                " Recovered draft ",
                format!(
                    "A draft from an earlier session was found ({}).\ny open it · n discard it \
                     · k keep it for later",
                    recovered.map(|d| sanitize_line(&d.describe())).unwrap_or_default()
                ),
            ),
        };
        let r = popup_area(area, 64, 7);
        Clear.render(r, buf);
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(
                Block::new()
                    .borders(Borders::ALL)
                    .border_type(BorderType::Rounded)
                    .title(title)
                    .border_style(Style::new().fg(Color::Yellow)),
            )
            .render(r, buf);
    }
}

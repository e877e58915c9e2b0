//! Questions asked before something that cannot be undone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget};

use super::popup_area;
use crate::text::sanitize_line;
use crate::tui::action::{Draft, Recovered};
use crate::tui::recovery::Kept;

/// What a question tells besides itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The unsent draft.
    pub draft: Option<&'a Draft>,
    /// The recovered drafts still to be asked about, the first being asked about now.
    pub recovered: &'a [Recovered],
    /// Where the session's draft is on disk, as its last write said.
    pub kept: Option<&'a Result<Kept, String>>,
}

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

    /// Draw the question over `area`, with what it needs to tell from `cx`.
    pub fn render(&self, cx: Context, area: Rect, buf: &mut Buffer) {
        let draft = cx.draft;
        let (title, text) = match self {
            Question::Quit => (" Quit? ", quit_text(cx.kept)),
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
            Question::Recover => (" Recovered draft ", recover_text(cx.recovered)),
        };
        // As tall as its text needs (a reason may be long), on the screen: wrapped here, so
        // the height is the lines drawn.
        let width = 64.min(area.width.saturating_sub(2));
        let opts = textwrap::Options::new(width.saturating_sub(2).max(8) as usize);
        let lines: Vec<ratatui::text::Line> = text
            .split('\n')
            .flat_map(|l| textwrap::wrap(l, &opts))
            .map(|l| ratatui::text::Line::raw(l.into_owned()))
            .collect();
        let r = popup_area(area, width, (lines.len() as u16 + 2).max(7));
        Clear.render(r, buf);
        Paragraph::new(lines)
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

/// What quitting does with the unsent draft, as the last write of the recovery file said.
fn quit_text(kept: Option<&Result<Kept, String>>) -> String {
    let kept = match kept {
        Some(Ok(Kept::Here(p) | Kept::Elsewhere { path: p, .. })) => {
            format!(
                "It is kept in {} and offered next time.",
                sanitize_line(&p.display().to_string())
            )
        }
        Some(Err(e)) => format!(
            "It could not be written to disk: if you quit, it is printed on the terminal after \
             the workbench closes, to copy. ({})",
            sanitize_line(e)
        ),
        _ => "It is written to a recovery file as you quit and offered next time (if that \
              fails, it is printed on the terminal, to copy)."
            .to_string(),
    };
    format!("You have an unsent draft. {kept}\ny quit · n stay")
}

/// The question about the first of the recovered drafts: what it is, who wrote it and when.
fn recover_text(recovered: &[Recovered]) -> String {
    let Some(r) = recovered.first() else { return String::new() };
    let mut from = Vec::new();
    if let Some(a) = &r.author {
        from.push(format!("by {}", sanitize_line(a)));
    }
    if let Some(at) = &r.at {
        let shown = at.get(..16).unwrap_or(at).replace('T', " ");
        from.push(format!("written {} UTC", sanitize_line(&shown)));
    }
    if let Some(h) = r.host.as_ref().filter(|h| h.as_str() != crate::tui::recovery::host()) {
        from.push(format!("on {}", sanitize_line(h)));
    }
    let from = if from.is_empty() { String::new() } else { format!(", {}", from.join(", ")) };
    let more = match recovered.len() {
        1 => String::new(),
        n => format!(" (1 of {n})"),
    };
    format!(
        "A draft from an earlier session was found{more}: {}{from}.\ny open it · n discard it · \
         k keep it for later",
        sanitize_line(&r.draft.describe())
    )
}

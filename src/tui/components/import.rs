//! `:import FILE…`: the report of a mail import, as `lrw import` prints it: messages read,
//! each thread with the clause it is anchored on (or none: about the review as a whole), its
//! messages and what they cite that the version lacks, the notes, and what was saved. It
//! scrolls (`j` `k`, pages, `g` `G`) and closes with Esc.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::{DIM, FOCUS, KEY, popup_area};
use crate::review::import::{ImportReport, LineKind};
use crate::text::sanitize_line;
use crate::tui::action::Action;

/// The import report dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPopup {
    pub report: ImportReport,
    /// Lines scrolled down from the top.
    pub top: usize,
}

impl ImportPopup {
    pub fn new(report: ImportReport) -> ImportPopup {
        ImportPopup { report, top: 0 }
    }

    /// The rectangle on a screen of `area`.
    fn rect(area: Rect) -> Rect {
        popup_area(area, 110, area.height.saturating_sub(2))
    }

    /// Every line, wrapped to `width` columns (never cut); continuations are indented.
    fn lines(&self, width: usize) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        for (kind, text) in self.report.lines() {
            let style = match kind {
                LineKind::Summary | LineKind::Outcome => Style::new().add_modifier(Modifier::BOLD),
                LineKind::Thread => KEY,
                LineKind::Unplaced => Style::new().fg(Color::Yellow),
                LineKind::Comment if text.contains("; cites ") => Style::new().fg(Color::Yellow),
                LineKind::Comment => Style::new(),
                LineKind::Note => DIM,
            };
            let safe = sanitize_line(&text);
            let indent = if kind == LineKind::Comment { "      " } else { "    " };
            let opts = textwrap::Options::new(width.max(8))
                .subsequent_indent(indent)
                .word_separator(textwrap::WordSeparator::AsciiSpace);
            for piece in textwrap::wrap(&safe, &opts) {
                out.push(Line::from(Span::styled(piece.into_owned(), style)));
            }
        }
        out
    }

    /// Returns whether the dialog closes.
    pub fn handle(&mut self, action: &Action, area: Rect) -> bool {
        let r = ImportPopup::rect(area);
        let h = r.height.saturating_sub(2) as usize;
        let max = self.lines(r.width.saturating_sub(2) as usize).len().saturating_sub(h);
        let page = h.saturating_sub(1).max(1);
        match action {
            Action::Down => self.top += 1,
            Action::Up => self.top = self.top.saturating_sub(1),
            Action::PageDown => self.top += page,
            Action::PageUp => self.top = self.top.saturating_sub(page),
            Action::Top => self.top = 0,
            Action::Bottom => self.top = max,
            Action::Escape | Action::Submit | Action::Pick('q') => return true,
            _ => {}
        }
        self.top = self.top.min(max);
        false
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let r = ImportPopup::rect(area);
        let lines = self.lines(r.width.saturating_sub(2) as usize);
        let h = r.height.saturating_sub(2) as usize;
        let r = popup_area(area, 110, (lines.len().min(h) as u16 + 2).max(3));
        let h = r.height.saturating_sub(2) as usize;
        let top = self.top.min(lines.len().saturating_sub(h));
        Clear.render(r, buf);
        let mut block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(" Mail imported · Esc closes ")
            .border_style(FOCUS);
        if top + h < lines.len() {
            block = block.title_bottom(Line::styled(" more below: j ↓ PgDn ", DIM).right_aligned());
        }
        let inner = block.inner(r);
        block.render(r, buf);
        for (y, line) in lines.iter().skip(top).take(h).enumerate() {
            buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
        }
    }
}

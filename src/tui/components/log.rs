//! `m`: every message of the session, whole: what the status line said (and may have cut, or
//! replaced before it could be read), oldest first, failures in red. It opens on the newest
//! and scrolls (`j` `k`, pages, `g` `G`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::{DIM, FOCUS, popup_area};
use crate::text::sanitize_line;
use crate::tui::action::Action;

/// Messages the log keeps, at most (the oldest go first).
pub const LOG_SIZE: usize = 500;

/// The message log, as it was when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPopup {
    /// Each message and whether it reports a failure, oldest first.
    pub entries: Vec<(String, bool)>,
    /// Lines scrolled up from the end.
    pub back: usize,
}

impl LogPopup {
    pub fn new(entries: Vec<(String, bool)>) -> LogPopup {
        LogPopup { entries, back: 0 }
    }

    /// The rectangle on a screen of `area`.
    fn rect(area: Rect) -> Rect {
        popup_area(area, 110, area.height.saturating_sub(2))
    }

    /// Every line, messages wrapped to `width` columns (never cut).
    fn lines(&self, width: usize) -> Vec<Line<'static>> {
        let opts = textwrap::Options::new(width.saturating_sub(5).max(8))
            .word_separator(textwrap::WordSeparator::AsciiSpace);
        let mut out = Vec::new();
        for (k, (m, failed)) in self.entries.iter().enumerate() {
            let style = if *failed { Style::new().fg(Color::Red) } else { Style::new() };
            for (i, piece) in textwrap::wrap(&sanitize_line(m), &opts).into_iter().enumerate() {
                let head = if i == 0 { format!("{:>3}  ", k + 1) } else { "     ".into() };
                out.push(Line::from(vec![
                    Span::styled(head, DIM),
                    Span::styled(piece.into_owned(), style),
                ]));
            }
        }
        if out.is_empty() {
            out.push(Line::styled("No messages yet.", DIM));
        }
        out
    }

    /// Returns whether the log closes.
    pub fn handle(&mut self, action: &Action, area: Rect) -> bool {
        let r = LogPopup::rect(area);
        let h = r.height.saturating_sub(2) as usize;
        let max = self.lines(r.width.saturating_sub(2) as usize).len().saturating_sub(h);
        let page = h.saturating_sub(1).max(1);
        match action {
            Action::Up => self.back += 1,
            Action::Down => self.back = self.back.saturating_sub(1),
            Action::PageUp => self.back += page,
            Action::PageDown => self.back = self.back.saturating_sub(page),
            Action::Top => self.back = max,
            Action::Bottom => self.back = 0,
            Action::Escape | Action::Submit | Action::Pick('m' | 'q') => return true,
            _ => {}
        }
        self.back = self.back.min(max);
        false
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let r = LogPopup::rect(area);
        let lines = self.lines(r.width.saturating_sub(2) as usize);
        let h = r.height.saturating_sub(2) as usize;
        let r = popup_area(area, 110, (lines.len().min(h) as u16 + 2).max(3));
        let h = r.height.saturating_sub(2) as usize;
        let back = self.back.min(lines.len().saturating_sub(h));
        let first = lines.len().saturating_sub(h + back);
        Clear.render(r, buf);
        let mut block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(format!(" Messages · {} · Esc closes ", self.entries.len()))
            .border_style(FOCUS);
        if first > 0 {
            block =
                block.title_bottom(Line::styled(" older above: k ↑ PgUp ", DIM).right_aligned());
        }
        let inner = block.inner(r);
        block.render(r, buf);
        for (y, line) in lines.iter().skip(first).take(h).enumerate() {
            buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
        }
    }
}

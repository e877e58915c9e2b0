//! `?`: every key, grouped by where it applies.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::{FOCUS, KEY, popup_area};
use crate::tui::action::Action;
use crate::tui::keymap::HELP;

/// The help overlay's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    pub scroll: usize,
}

impl Help {
    /// Handle an action; returns whether help closes.
    pub fn handle(&mut self, action: &Action) -> bool {
        match action {
            Action::Down => self.scroll += 1,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll += 10,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::Help | Action::Escape => return true,
            _ => {}
        }
        self.scroll = self.scroll.min(HELP.len());
        false
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let mut lines = Vec::new();
        let mut last = "";
        for k in HELP {
            if k.mode != last {
                lines.push(Line::styled(k.mode.to_string(), Style::new().bold().underlined()));
                last = k.mode;
            }
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<26}", k.keys), KEY),
                Span::raw(k.what),
            ]));
        }
        let r = popup_area(area, 96, lines.len() as u16 + 2);
        Clear.render(r, buf);
        let mut block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(" Keys · Esc closes ")
            .border_style(FOCUS);
        let h = r.height.saturating_sub(2) as usize;
        if self.scroll + h < lines.len() {
            block = block.title_bottom(Line::from(" more below: j ↓ ").right_aligned());
        }
        let inner = block.inner(r);
        block.render(r, buf);
        for (y, line) in lines.iter().skip(self.scroll).take(inner.height as usize).enumerate() {
            buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
        }
    }
}

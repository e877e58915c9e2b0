//! `?`: every key, grouped by where it applies. Descriptions wrap to the width; the list
//! scrolls (`j` `k`, pages) and stops at its last screenful.

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

/// Columns of the keys.
const KEYS: usize = 28;

/// The popup's rectangle on a screen of `area`.
fn rect(area: Rect) -> Rect {
    popup_area(area, 96, area.height)
}

/// The help's lines for a popup `width` columns wide (border included).
fn lines(width: u16) -> Vec<Line<'static>> {
    let room = (width.saturating_sub(2) as usize).saturating_sub(KEYS).max(12);
    let opts = textwrap::Options::new(room)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = Vec::new();
    let mut last = "";
    for k in HELP {
        if k.mode != last {
            out.push(Line::styled(k.mode.to_string(), Style::new().bold().underlined()));
            last = k.mode;
        }
        for (i, piece) in textwrap::wrap(k.what, &opts).into_iter().enumerate() {
            let keys = if i == 0 { k.keys } else { "" };
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<w$}", w = KEYS - 2), KEY),
                Span::raw(piece.into_owned()),
            ]));
        }
    }
    out
}

impl Help {
    /// Handle an action on a screen of `area`; returns whether help closes.
    pub fn handle(&mut self, action: &Action, area: Rect) -> bool {
        let r = rect(area);
        let h = r.height.saturating_sub(2) as usize;
        let max = lines(r.width).len().saturating_sub(h);
        match action {
            Action::Down => self.scroll += 1,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll += h.saturating_sub(1).max(1),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(h.saturating_sub(1).max(1)),
            Action::Help | Action::Escape => return true,
            _ => {}
        }
        self.scroll = self.scroll.min(max);
        false
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let r = rect(area);
        let lines = lines(r.width);
        let r = popup_area(area, 96, lines.len() as u16 + 2);
        Clear.render(r, buf);
        let h = r.height.saturating_sub(2) as usize;
        let skip = self.scroll.min(lines.len().saturating_sub(h));
        let mut block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(" Keys · Esc closes ")
            .border_style(FOCUS);
        if skip + h < lines.len() {
            block = block.title_bottom(Line::from(" more below: j ↓ PgDn ").right_aligned());
        }
        let inner = block.inner(r);
        block.render(r, buf);
        for (y, line) in lines.iter().skip(skip).take(h).enumerate() {
            buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
        }
    }
}

//! One list to pick from, for every picker (as helix's `Picker<T>`): a cursor, optionally
//! ticks (several at once), optionally the current value marked, optionally a letter per
//! item that picks it at once.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::{DIM, FOCUS, KEY, popup_area};
use crate::tui::action::Action;

/// An item of a picker.
pub trait Item {
    /// How it is listed.
    fn line(&self) -> Line<'static>;
    /// The letter that picks it at once, if any.
    fn key(&self) -> Option<char> {
        None
    }
}

/// A list to pick from.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker<T> {
    pub items: Vec<T>,
    pub cursor: usize,
    /// Ticks, when several items can be chosen at once (empty otherwise).
    pub chosen: Vec<bool>,
    /// The item that is the current value, marked as such.
    pub current: Option<usize>,
}

/// What an action in a picker came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picked {
    /// Moved or ticked, or nothing.
    Stay,
    /// Enter on this item, or its letter.
    Chosen(usize),
    /// Esc (or `q` when no item has that letter).
    Cancelled,
}

impl<T: Item> Picker<T> {
    pub fn new(items: Vec<T>) -> Picker<T> {
        Picker { items, cursor: 0, chosen: Vec::new(), current: None }
    }

    /// A picker of several items at once, `chosen` ticked to begin with.
    pub fn ticks(items: Vec<T>, chosen: Vec<bool>) -> Picker<T> {
        Picker { items, cursor: 0, chosen, current: None }
    }

    pub fn handle(&mut self, action: &Action) -> Picked {
        let last = self.items.len().saturating_sub(1);
        match action {
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = last,
            Action::Toggle => {
                if let Some(c) = self.chosen.get_mut(self.cursor) {
                    *c = !*c;
                }
            }
            Action::Pick(c) => {
                if let Some(i) = self.items.iter().position(|it| it.key() == Some(*c)) {
                    self.cursor = i;
                    return Picked::Chosen(i);
                }
                if *c == 'q' {
                    return Picked::Cancelled;
                }
            }
            Action::Submit if !self.items.is_empty() => {
                return Picked::Chosen(self.cursor.min(last));
            }
            Action::Escape => return Picked::Cancelled,
            _ => {}
        }
        Picked::Stay
    }

    /// Draw as a popup of up to 80 columns over `area`, with `title` and an optional note at
    /// the bottom.
    pub fn render(&self, title: String, bottom: Option<String>, area: Rect, buf: &mut Buffer) {
        let r = popup_area(area, 80, self.items.len() as u16 + 2);
        Clear.render(r, buf);
        let mut block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(title)
            .border_style(FOCUS);
        if let Some(b) = bottom {
            block = block.title_bottom(Line::styled(b, DIM).right_aligned());
        }
        let inner = block.inner(r);
        block.render(r, buf);
        let h = inner.height as usize;
        let skip = (self.cursor + 1).saturating_sub(h);
        for (y, (i, item)) in self.items.iter().enumerate().skip(skip).take(h).enumerate() {
            let mut spans = Vec::new();
            if let Some(on) = self.chosen.get(i) {
                spans.push(Span::raw(if *on { "[x] " } else { "[ ] " }));
            }
            if let Some(k) = item.key() {
                spans.push(Span::styled(format!("{k} "), KEY));
            }
            spans.extend(item.line().spans);
            if self.current == Some(i) {
                spans.push(Span::styled("  ← current", DIM));
            }
            let mut line = Line::from(spans);
            if i == self.cursor {
                line = line.patch_style(Style::new().add_modifier(Modifier::REVERSED));
            }
            buf.set_line(inner.x, inner.y + y as u16, &line, inner.width);
        }
    }
}

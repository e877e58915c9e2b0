//! Driving the workbench with key strings, as a user would type them, through the real keymap
//! and `update`: for tests and benchmarks. Everything between key and state is synchronous,
//! so no test needs to sleep.

use ratatui::crossterm::event::Event;

use super::action::Effect;
use super::app::App;
use super::keymap::{map_event, parse_keys};

/// Type `keys` (see [`parse_keys`]) into `app`; returns every effect `update` asked for.
pub fn type_keys(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for key in parse_keys(keys) {
        if let Some(action) = map_event(&app.mode(), &Event::Key(key)) {
            effects.extend(app.update(action));
        }
    }
    effects
}

/// Resize `app` to `width` x `height` and draw it into a test buffer.
pub fn draw(app: &mut App, width: u16, height: u16) -> ratatui::buffer::Buffer {
    app.update(super::action::Action::Resize { width, height });
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    ratatui::widgets::Widget::render(&*app, area, &mut buf);
    buf
}

/// The buffer as plain text, one line per row (trailing spaces kept), for snapshots.
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            out.push_str(sym);
        }
        out.push('\n');
    }
    out
}

/// Colours and modifiers of a cell, as the style that drew it.
pub fn cell_style(buf: &ratatui::buffer::Buffer, x: u16, y: u16) -> ratatui::style::Style {
    let c = &buf[(x, y)];
    ratatui::style::Style::new().fg(c.fg).bg(c.bg).add_modifier(c.modifier)
}

/// `s` as a cell drawn with it reads back through [`cell_style`] (unset colours are `Reset`).
pub fn as_drawn(s: ratatui::style::Style) -> ratatui::style::Style {
    use ratatui::style::Color::Reset;
    ratatui::style::Style::new()
        .fg(s.fg.unwrap_or(Reset))
        .bg(s.bg.unwrap_or(Reset))
        .add_modifier(s.add_modifier)
}

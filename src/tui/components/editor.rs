//! The comment editor: a new thread, a reply. `Ctrl+S` posts, `Esc` cancels.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};
use ratatui_textarea::{Input, Key, TextArea, WrapMode};

use super::{DIM, FOCUS, popup_area};
use crate::text::sanitize_line;
use crate::tui::action::{Action, Draft, DraftTarget, KeyIn, KeyName, ReviewChange};
use crate::tui::render::clip;

/// The comment editor's state.
#[derive(Debug, Clone)]
pub struct Editor {
    pub textarea: TextArea<'static>,
    pub target: DraftTarget,
    /// The body last written to the recovery file, to write only when it changed.
    pub written: String,
}

/// What an action in the editor came to.
#[derive(Debug, Clone, PartialEq)]
pub enum EditorEvent {
    /// Typed into (or nothing).
    Edited,
    /// `Ctrl+S` with text: post this.
    Post(Box<(Draft, ReviewChange)>),
    /// `Ctrl+S` with nothing typed.
    Empty,
    /// `Esc`.
    Cancel,
    /// Quit asked.
    Quit,
}

impl Editor {
    /// An editor for `target`, holding `body`, the cursor at its end.
    pub fn new(target: DraftTarget, body: &str) -> Editor {
        let mut textarea = TextArea::new(body.split('\n').map(str::to_string).collect());
        textarea.set_wrap_mode(WrapMode::Word);
        textarea.move_cursor(ratatui_textarea::CursorMove::Bottom);
        textarea.move_cursor(ratatui_textarea::CursorMove::End);
        Editor { textarea, target, written: body.to_string() }
    }

    pub fn body(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// What is being written, as the recovery file keeps it.
    pub fn draft(&self) -> Draft {
        Draft { target: self.target.clone(), body: self.body() }
    }

    pub fn handle(&mut self, action: Action) -> EditorEvent {
        match action {
            Action::Input(k) => {
                self.textarea.input(to_input(&k));
            }
            Action::Paste(text) => {
                let clean: String = text
                    .replace("\r\n", "\n")
                    .chars()
                    .map(|c| if c == '\t' { ' ' } else { c })
                    .filter(|&c| c == '\n' || !c.is_control())
                    .collect();
                self.textarea.insert_str(clean);
            }
            Action::Submit => {
                let body = self.body().trim_end().to_string();
                if body.trim().is_empty() {
                    return EditorEvent::Empty;
                }
                let draft = Draft { target: self.target.clone(), body: body.clone() };
                let change = match &draft.target {
                    DraftTarget::NewThread { version, clause, quote } => ReviewChange::NewThread {
                        version: version.clone(),
                        clause: clause.clone(),
                        quote: quote.clone(),
                        body,
                    },
                    DraftTarget::Reply { thread } => {
                        ReviewChange::Reply { thread: thread.clone(), body }
                    }
                };
                return EditorEvent::Post(Box::new((draft, change)));
            }
            Action::Escape => return EditorEvent::Cancel,
            Action::Quit => return EditorEvent::Quit,
            _ => {}
        }
        EditorEvent::Edited
    }

    /// Draw the editor as a popup over `area`, as `author`.
    pub fn render(&self, author: &str, area: Rect, buf: &mut Buffer) {
        let r = popup_area(area, (area.width * 3 / 4).max(50), (area.height * 3 / 5).max(10));
        Clear.render(r, buf);
        let title = match &self.target {
            DraftTarget::NewThread { clause, version, .. } => {
                format!(" New thread on {} ({}) ", sanitize_line(clause), sanitize_line(version))
            }
            DraftTarget::Reply { thread } => format!(" Reply to {} ", sanitize_line(thread)),
        };
        let block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(title)
            .title_bottom(Line::from(" Ctrl+S post and save · Esc cancel ").right_aligned())
            .border_style(FOCUS);
        let mut inner = block.inner(r);
        block.render(r, buf);
        if let DraftTarget::NewThread { quote: Some(q), .. } = &self.target {
            let line = clip(&format!("“{}”", q.text.replace('\n', " ")), inner.width as usize);
            buf.set_stringn(inner.x, inner.y, &line, inner.width as usize, Style::new().italic());
            inner.y += 1;
            inner.height = inner.height.saturating_sub(1);
        }
        let who = format!("as {}", sanitize_line(author));
        buf.set_stringn(inner.x, inner.y, &who, inner.width as usize, DIM);
        inner.y += 1;
        inner.height = inner.height.saturating_sub(1);
        (&self.textarea).render(inner, buf);
    }
}

fn to_input(k: &KeyIn) -> Input {
    let key = match k.key {
        KeyName::Char(c) => Key::Char(c),
        KeyName::Enter => Key::Enter,
        KeyName::Backspace => Key::Backspace,
        KeyName::Delete => Key::Delete,
        KeyName::Tab => Key::Tab,
        KeyName::Left => Key::Left,
        KeyName::Right => Key::Right,
        KeyName::Up => Key::Up,
        KeyName::Down => Key::Down,
        KeyName::Home => Key::Home,
        KeyName::End => Key::End,
        KeyName::PageUp => Key::PageUp,
        KeyName::PageDown => Key::PageDown,
        KeyName::Esc => Key::Esc,
    };
    Input { key, ctrl: k.ctrl, alt: k.alt, shift: k.shift }
}

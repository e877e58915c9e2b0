//! The comment editor: a new thread, a reply, or a change to one's own comment. It sits
//! below the texts, so the clause stays in view. `Ctrl+S` posts, `Ctrl+E` hands the text to
//! `$VISUAL`/`$EDITOR`, `Esc` cancels.
//!
//! The text is kept by a `TextArea` (its keys: arrows, words, undo, ...), but drawn here:
//! every character goes through the display sanitiser, so a bidi control, a zero-width
//! character or a control pasted in shows as a marker while typing, not after posting.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};
use ratatui_textarea::{Input, Key, TextArea};
use unicode_width::UnicodeWidthChar;

use super::{DIM, FOCUS};
use crate::text::sanitize::marker;
use crate::text::sanitize_line;
use crate::tui::action::{Action, Draft, DraftTarget, KeyIn, KeyName, ReviewChange};
use crate::tui::render::{clip, styles};

/// The comment editor's state.
#[derive(Debug, Clone)]
pub struct Editor {
    pub textarea: TextArea<'static>,
    pub target: DraftTarget,
    /// The body last written to the recovery file, to write only when it changed.
    pub written: String,
    /// Screen lines of the text scrolled off the top.
    pub scroll: usize,
    /// The text it opened with.
    pub original: String,
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
    /// `Ctrl+E`: edit the text in the user's editor.
    External,
    /// `Esc`.
    Cancel,
    /// Quit asked.
    Quit,
}

/// Columns a tab pasted into a comment becomes.
const PASTED_TAB: &str = "    ";

impl Editor {
    /// An editor for `target`, holding `body`, the cursor at its end.
    pub fn new(target: DraftTarget, body: &str) -> Editor {
        let mut e = Editor {
            textarea: TextArea::default(),
            target,
            written: body.to_string(),
            scroll: 0,
            original: body.to_string(),
        };
        e.set_body(body);
        e
    }

    /// Replace the text (from `$EDITOR`, say), the cursor at its end.
    pub fn set_body(&mut self, body: &str) {
        self.textarea = TextArea::new(clean(body).split('\n').map(str::to_string).collect());
        self.textarea.move_cursor(ratatui_textarea::CursorMove::Bottom);
        self.textarea.move_cursor(ratatui_textarea::CursorMove::End);
    }

    /// Whether closing it would lose something: text typed, or a change to a comment.
    pub fn has_changes(&self) -> bool {
        let body = self.body();
        match self.target {
            DraftTarget::Edit { .. } => body.trim_end() != self.original.trim_end(),
            _ => !body.trim().is_empty(),
        }
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
                self.textarea.insert_str(clean(&text));
            }
            Action::ExternalEditor => return EditorEvent::External,
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
                    DraftTarget::Edit { thread, comment } => ReviewChange::EditComment {
                        thread: thread.clone(),
                        comment: comment.clone(),
                        body,
                    },
                };
                return EditorEvent::Post(Box::new((draft, change)));
            }
            Action::Escape => return EditorEvent::Cancel,
            Action::Quit => return EditorEvent::Quit,
            _ => {}
        }
        EditorEvent::Edited
    }

    /// The rectangle the text takes inside the editor's `area`.
    fn text_rect(&self, area: Rect) -> Rect {
        let inner = Rect::new(
            area.x + 1,
            area.y + 1,
            area.width.saturating_sub(2),
            area.height.saturating_sub(2),
        );
        let head = 1 + u16::from(self.quote().is_some());
        Rect::new(inner.x, inner.y + head, inner.width, inner.height.saturating_sub(head))
    }

    /// The cursor: line and character in it.
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.textarea.cursor();
        (c.0, c.1)
    }

    fn quote(&self) -> Option<&str> {
        match &self.target {
            DraftTarget::NewThread { quote: Some(q), .. } => Some(&q.text),
            _ => None,
        }
    }

    /// Scroll the least so the cursor shows in the editor drawn in `area`.
    pub fn keep_cursor_visible(&mut self, area: Rect) {
        let r = self.text_rect(area);
        let (h, w) = (r.height.max(1) as usize, r.width.max(1) as usize);
        let (row, _) = cursor_at(&layout(self.textarea.lines(), w), self.cursor());
        if row < self.scroll {
            self.scroll = row;
        } else if row >= self.scroll + h {
            self.scroll = row + 1 - h;
        }
    }

    /// Draw the editor into `area` (below the texts), as `author`.
    pub fn render(&self, author: &str, area: Rect, buf: &mut Buffer) {
        Clear.render(area, buf);
        let title = match &self.target {
            DraftTarget::NewThread { clause, version, .. } => {
                format!(" New thread on {} ({}) ", sanitize_line(clause), sanitize_line(version))
            }
            DraftTarget::Reply { thread } => format!(" Reply to {} ", sanitize_line(thread)),
            DraftTarget::Edit { thread, .. } => {
                format!(" Your comment in {} · new text ", sanitize_line(thread))
            }
        };
        let keys = " Ctrl+S post and save · Ctrl+E $EDITOR · Esc cancel ";
        let block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Thick)
            .title(title)
            .title_bottom(Line::from(keys).right_aligned())
            .border_style(FOCUS);
        let inner = block.inner(area);
        block.render(area, buf);
        let mut y = inner.y;
        if let Some(q) = self.quote() {
            let line = clip(&format!("“{}”", q.replace('\n', " ")), inner.width as usize);
            buf.set_stringn(inner.x, y, &line, inner.width as usize, Style::new().italic());
            y += 1;
        }
        let body = self.body();
        let hidden = body.chars().filter(|&c| c != '\n' && marker(c).is_some()).count();
        let mut who = vec![Span::styled(format!("as {}", sanitize_line(author)), DIM)];
        if hidden > 0 {
            let s = if hidden == 1 { "" } else { "s" };
            who.push(Span::styled(
                format!(" · {hidden} hidden or control character{s} (markers)"),
                styles::MARKER,
            ));
        }
        buf.set_line(inner.x, y, &Line::from(who), inner.width);
        let r = self.text_rect(area);
        let w = r.width.max(1) as usize;
        let lines = layout(self.textarea.lines(), w);
        let (crow, ccol) = cursor_at(&lines, self.cursor());
        for (k, vl) in lines.iter().skip(self.scroll).take(r.height as usize).enumerate() {
            let yy = r.y + k as u16;
            let mut x = r.x;
            for (text, style) in &vl.glyphs {
                buf.set_stringn(x, yy, text, (r.x + r.width - x) as usize, *style);
                x += text_width(text) as u16;
            }
        }
        if crow >= self.scroll && crow < self.scroll + r.height as usize {
            let x = r.x + (ccol as u16).min(r.width.saturating_sub(1));
            let yy = r.y + (crow - self.scroll) as u16;
            let cell = &mut buf[(x, yy)];
            cell.set_style(Style::new().add_modifier(Modifier::REVERSED));
        }
        if body.is_empty() {
            buf.set_stringn(
                r.x + 1,
                r.y,
                "type your comment; a paste keeps its lines",
                r.width.saturating_sub(1) as usize,
                DIM,
            );
        }
    }
}

/// One screen line of the text: what it draws, and which characters of its text line.
struct VLine {
    row: usize,
    /// Char indices `start..end` of line `row`.
    start: usize,
    end: usize,
    /// What is drawn for each character: itself, or its marker.
    glyphs: Vec<(String, Style)>,
}

fn text_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// The text's lines wrapped at `width` columns (at spaces when a word fits), with markers for
/// hidden characters.
fn layout(lines: &[String], width: usize) -> Vec<VLine> {
    let mut out = Vec::new();
    for (row, line) in lines.iter().enumerate() {
        let glyphs: Vec<(String, Style)> = line
            .chars()
            .map(|c| match marker(c) {
                Some(m) => (m, styles::MARKER),
                None => (c.to_string(), Style::new()),
            })
            .collect();
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        loop {
            let mut used = 0;
            let mut end = start;
            let mut last_space = None;
            while end < glyphs.len() {
                let gw = text_width(&glyphs[end].0).max(if chars[end].width() == Some(0) {
                    0
                } else {
                    1
                });
                if used + gw > width && end > start {
                    break;
                }
                if chars[end] == ' ' {
                    last_space = Some(end);
                }
                used += gw;
                end += 1;
            }
            if end < glyphs.len()
                && let Some(sp) = last_space
                && sp + 1 > start
                && chars[end] != ' '
            {
                end = sp + 1;
            }
            out.push(VLine { row, start, end, glyphs: glyphs[start..end].to_vec() });
            if end >= glyphs.len() {
                break;
            }
            start = end;
        }
    }
    out
}

/// The screen line and column of the cursor `(row, col)` (col in characters).
fn cursor_at(lines: &[VLine], (row, col): (usize, usize)) -> (usize, usize) {
    let mut found = None;
    for (i, vl) in lines.iter().enumerate() {
        if vl.row != row {
            continue;
        }
        let last_of_row = lines.get(i + 1).is_none_or(|n| n.row != row);
        if (vl.start..vl.end).contains(&col) || (last_of_row && col >= vl.start) {
            let x = vl.glyphs.iter().take(col - vl.start).map(|(g, _)| text_width(g)).sum();
            found = Some((i, x));
            break;
        }
    }
    found.unwrap_or((0, 0))
}

/// Pasted or loaded text as the editor keeps it: line breaks as `\n` whatever the terminal
/// sent (CR, CRLF or LF), tabs as spaces. Other characters are kept (and shown as markers
/// when hidden), so what is posted is what was seen.
pub fn clean(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', PASTED_TAB)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(lines: &[VLine]) -> Vec<String> {
        lines.iter().map(|l| l.glyphs.iter().map(|(g, _)| g.as_str()).collect()).collect()
    }

    #[test]
    fn line_breaks_from_any_terminal_are_kept() {
        assert_eq!(clean("a\rb\r\nc\nd\te"), "a\nb\nc\nd    e");
        let mut e = Editor::new(DraftTarget::Reply { thread: "t".into() }, "");
        e.handle(Action::Paste("> one\r> two\r> three".into()));
        assert_eq!(e.textarea.lines(), ["> one", "> two", "> three"]);
    }

    #[test]
    fn hidden_characters_show_as_markers_and_wrapping_keeps_words() {
        let l = layout(&["ab\u{202e}cd \u{200b}x".to_string()], 40);
        assert_eq!(shown(&l), ["ab⟨U+202E⟩cd ⟨U+200B⟩x"]);
        let l = layout(&["the quick brown fox".to_string(), String::new()], 10);
        assert_eq!(shown(&l), ["the quick ", "brown fox", ""]);
        assert_eq!(cursor_at(&l, (0, 12)), (1, 2));
        assert_eq!(cursor_at(&l, (0, 19)), (1, 9), "at the end of the line");
        assert_eq!(cursor_at(&l, (1, 0)), (2, 0));
        let l = layout(&["abcdefghijkl".to_string()], 5);
        assert_eq!(shown(&l), ["abcde", "fghij", "kl"]);
        // A marker counts its own width.
        let l = layout(&["a\u{202e}b".to_string()], 40);
        assert_eq!(cursor_at(&l, (0, 2)), (0, 9));
    }
}

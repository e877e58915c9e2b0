//! `S`: the versions of the review. Add one from a file or `spdx:ID` (`a`: its text, then an
//! id, a label and a date), name (`n`) or date (`t`) one, remove one no thread uses (`d`),
//! record the new text of one whose file changed (`A`), and choose what is compared: `h`
//! puts the version under the cursor on the left, `l` or `Enter` on the right.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::confirm::Question;
use super::{Cx, DIM, FOCUS, KEY, Msg, popup_area};
use crate::text::sanitize_line;
use crate::tui::action::{Action, KeyName, ReviewChange};
use crate::tui::doc::{Document, VersionView};
use crate::tui::render::clip;

/// What is being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A new version's text: a path from the current folder, or `spdx:ID`.
    Path,
    /// Its id.
    Id { spec: String },
    /// A new version's label.
    NewLabel { spec: String, id: String },
    /// A new version's date.
    NewDate { spec: String, id: String, label: Option<String> },
    /// The label of version `id`.
    Label { id: String },
    /// The date of version `id`.
    Date { id: String },
}

impl Field {
    fn prompt(&self) -> String {
        match self {
            Field::Path => "Text of the new version (a file path or spdx:ID): ".into(),
            Field::Id { .. } => "Its id: ".into(),
            Field::NewLabel { .. } => "Its label (Enter: none): ".into(),
            Field::NewDate { .. } => "Its date, YYYY-MM-DD (Enter: none): ".into(),
            Field::Label { id } => format!("Label of {} (empty: none): ", sanitize_line(id)),
            Field::Date { id } => format!("Date of {}, YYYY-MM-DD: ", sanitize_line(id)),
        }
    }
}

/// The versions dialog.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VersionsPopup {
    pub cursor: usize,
    /// A field being typed, and its text.
    pub entry: Option<(Field, String)>,
}

impl VersionsPopup {
    /// The dialog, on the version shown on the right.
    pub fn new(doc: &Document) -> VersionsPopup {
        let cursor = doc.versions.iter().position(|v| *v == doc.right_version).unwrap_or(0);
        VersionsPopup { cursor, entry: None }
    }

    /// Whether a field is being typed (keys are text then).
    pub fn typing(&self) -> bool {
        self.entry.is_some()
    }

    /// Returns whether the dialog closes, and what to do.
    pub fn handle(&mut self, action: &Action, cx: &Cx) -> (bool, Vec<Msg>) {
        if self.entry.is_some() {
            return (false, self.type_into(action, cx.doc));
        }
        let doc = cx.doc;
        let n = doc.version_info.len();
        let v = doc.version_info.get(self.cursor).cloned();
        match action {
            Action::Down => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = n.saturating_sub(1),
            Action::Escape | Action::Pick('q') => return (true, vec![]),
            Action::Pick('a') => self.entry = Some((Field::Path, String::new())),
            Action::Pick('n') => {
                if let Some(v) = v {
                    self.entry = Some((Field::Label { id: v.id }, v.label.unwrap_or_default()));
                }
            }
            Action::Pick('t') => {
                if let Some(v) = v {
                    self.entry = Some((Field::Date { id: v.id }, v.date.unwrap_or_default()));
                }
            }
            Action::Pick('d') => {
                let Some(v) = v else { return (false, vec![]) };
                let id = sanitize_line(&v.id);
                let why = if v.threads > 0 {
                    let s = if v.threads == 1 { " is" } else { "s are" };
                    Some(format!("{} thread{s} anchored on {id}: it stays", v.threads))
                } else if v.id == doc.left_version || v.id == doc.right_version {
                    Some(format!("{id} is compared now: compare others first (h, l)"))
                } else {
                    None
                };
                return match why {
                    Some(w) => (false, vec![Msg::Warn(w)]),
                    None => (false, vec![Msg::Ask(Question::RemoveVersion { id: v.id })]),
                };
            }
            Action::Pick('A') => {
                return match v {
                    Some(v) if v.changed => {
                        (false, vec![Msg::Ask(Question::AcceptText { id: v.id })])
                    }
                    Some(v) => (
                        false,
                        vec![Msg::Say(format!(
                            "The file of {} is the text the review recorded",
                            sanitize_line(&v.id)
                        ))],
                    ),
                    None => (false, vec![]),
                };
            }
            Action::Pick('h') | Action::FocusPrev => {
                if let Some(v) = v {
                    return self.show(v.id, doc.right_version.clone(), true, doc);
                }
            }
            Action::Pick('l') | Action::FocusNext | Action::Submit => {
                if let Some(v) = v {
                    return self.show(doc.left_version.clone(), v.id, false, doc);
                }
            }
            _ => {}
        }
        (false, vec![])
    }

    /// Compare `left` with `right`; `on_left` says which was chosen.
    fn show(&self, left: String, right: String, on_left: bool, doc: &Document) -> (bool, Vec<Msg>) {
        if left == right {
            let side = if on_left { "right" } else { "left" };
            let w = format!("{} is on the {side} already", sanitize_line(&left));
            return (false, vec![Msg::Warn(w)]);
        }
        if left == doc.left_version && right == doc.right_version {
            return (true, vec![]);
        }
        let say = format!("Comparing {} with {}…", sanitize_line(&left), sanitize_line(&right));
        (true, vec![Msg::Say(say), Msg::Compare { left, right }])
    }

    /// A key while a field is typed.
    fn type_into(&mut self, action: &Action, doc: &Document) -> Vec<Msg> {
        let Some((field, text)) = &mut self.entry else { return vec![] };
        match action {
            Action::Input(k) => match k.key {
                KeyName::Char('u') if k.ctrl => text.clear(),
                KeyName::Char(c) if !k.ctrl && !k.alt => text.push(c),
                KeyName::Backspace => {
                    text.pop();
                }
                _ => {}
            },
            Action::Paste(p) => text.extend(p.chars().filter(|c| !c.is_control())),
            Action::Escape => self.entry = None,
            Action::Submit => {
                let (field, text) = (field.clone(), text.trim().to_string());
                return self.submit(field, text, doc);
            }
            _ => {}
        }
        vec![]
    }

    /// A field typed and confirmed: on to the next, or the change.
    fn submit(&mut self, field: Field, text: String, doc: &Document) -> Vec<Msg> {
        let none_if_empty = |t: String| (!t.is_empty()).then_some(t);
        let refresh = Msg::CompareAfterSave {
            left: doc.left_version.clone(),
            right: doc.right_version.clone(),
        };
        self.entry = None;
        match field {
            Field::Path => {
                if text.is_empty() {
                    return vec![];
                }
                let id = free_id(doc, &text);
                self.entry = Some((Field::Id { spec: text }, id));
                vec![]
            }
            Field::Id { spec } => {
                if text.is_empty() || doc.versions.contains(&text) {
                    let w = format!("{} is taken: another id", sanitize_line(&text));
                    self.entry = Some((Field::Id { spec }, free_id(doc, &text)));
                    return vec![Msg::Warn(w)];
                }
                self.entry = Some((Field::NewLabel { spec, id: text }, String::new()));
                vec![]
            }
            Field::NewLabel { spec, id } => {
                self.entry =
                    Some((Field::NewDate { spec, id, label: none_if_empty(text) }, String::new()));
                vec![]
            }
            Field::NewDate { spec, id, label } => {
                let change =
                    ReviewChange::NewVersion { id, spec, label, date: none_if_empty(text) };
                vec![refresh, Msg::Apply(change)]
            }
            Field::Label { id } => {
                let change = ReviewChange::SetVersionInfo { id, label: Some(text), date: None };
                vec![refresh, Msg::Apply(change)]
            }
            Field::Date { id } if text.is_empty() => {
                vec![Msg::Warn(format!("No date given: {} keeps its date", sanitize_line(&id)))]
            }
            Field::Date { id } => {
                let change = ReviewChange::SetVersionInfo { id, label: None, date: Some(text) };
                vec![refresh, Msg::Apply(change)]
            }
        }
    }

    pub fn render(&self, doc: &Document, area: Rect, buf: &mut Buffer) {
        let rows = &doc.version_info;
        // A version from the web takes a second line: when and where it was fetched.
        let fetched = rows.iter().filter(|v| v.fetched().is_some()).count();
        let r = popup_area(area, 96, (rows.len() + fetched) as u16 + 4);
        Clear.render(r, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(" Versions · h on the left · l Enter on the right ")
            .title_bottom(
                Line::styled(" a add · n name · t date · d remove · A accept new text · Esc ", DIM)
                    .right_aligned(),
            )
            .border_style(FOCUS);
        let inner = block.inner(r);
        block.render(r, buf);
        let idw = rows.iter().map(|v| sanitize_line(&v.id).chars().count()).max().unwrap_or(2) + 2;
        let head = format!("   {:<idw$}{:<24}{:<12}{:<8}text", "id", "label", "date", "threads");
        buf.set_stringn(inner.x, inner.y, &head, inner.width as usize, DIM);
        let last = inner.y + inner.height.saturating_sub(1);
        let mut y = inner.y + 1;
        for (i, v) in rows.iter().enumerate() {
            if y >= last {
                break;
            }
            let mut line = Line::from(row_spans(v, doc, idw, inner.width as usize));
            if i == self.cursor && self.entry.is_none() {
                line = line.patch_style(Style::new().add_modifier(Modifier::REVERSED));
            }
            buf.set_line(inner.x, y, &line, inner.width);
            y += 1;
            if let Some(f) = v.fetched()
                && y < last
            {
                let room = (inner.width as usize).saturating_sub(idw + 4);
                let line = Line::from(vec![
                    Span::raw(" ".repeat(idw + 4)),
                    Span::styled(clip(&f, room), DIM),
                ]);
                buf.set_line(inner.x, y, &line, inner.width);
                y += 1;
            }
        }
        if let Some((field, text)) = &self.entry {
            let y = inner.y + inner.height.saturating_sub(1);
            let line = Line::from(vec![
                Span::styled(field.prompt(), KEY),
                Span::raw(sanitize_line(text)),
                Span::styled("█", DIM),
            ]);
            buf.set_line(inner.x, y, &line, inner.width);
        }
    }
}

fn row_spans(v: &VersionView, doc: &Document, idw: usize, width: usize) -> Vec<Span<'static>> {
    let side = if v.id == doc.left_version {
        "L "
    } else if v.id == doc.right_version {
        "R "
    } else {
        "  "
    };
    let mut spans = vec![
        Span::styled(side, KEY),
        Span::styled(format!(" {:<idw$}", sanitize_line(&v.id)), KEY),
        Span::raw(format!("{:<24}", clip(v.label.as_deref().unwrap_or("-"), 22))),
        Span::raw(format!("{:<12}", clip(v.date.as_deref().unwrap_or("-"), 11))),
        Span::raw(format!("{:<8}", v.threads)),
    ];
    let used = 3 + idw + 24 + 12 + 8;
    let flag = if v.unreadable.is_some() {
        Some(("✗ unreadable  ", Color::Red))
    } else if v.changed {
        Some(("⚠ file changed  ", Color::Yellow))
    } else {
        None
    };
    let mut room = width.saturating_sub(used);
    if let Some((f, c)) = flag {
        spans.push(Span::styled(f, Style::new().fg(c)));
        room = room.saturating_sub(f.chars().count());
    }
    spans.push(Span::styled(clip(&v.path, room), DIM));
    spans
}

/// An id for a new version from the text's name, that no version has: `2.1-website`,
/// `2.1-website-2`, ...
pub fn free_id(doc: &Document, spec: &str) -> String {
    let base = crate::review::session::version_id_of(spec);
    let base = if base.is_empty() { "version".to_string() } else { base };
    let mut id = base.clone();
    let mut n = 2;
    while doc.versions.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

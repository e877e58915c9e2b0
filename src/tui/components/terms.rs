//! `t` and `Y`: the defined terms. `t` shows the definition of the term on the selected
//! lines (or, with none there, in the selected clause), or lets the reader choose when there
//! are several; `Y` lists every term of both versions with how it changed (`/` filters).
//! A definition shows both versions' wording, the changed words marked, and the clauses that
//! read the same but use it. Scrolls at any size (80x24 included).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use super::{Cx, DIM, FOCUS, Msg, popup_area};
use crate::diff::terms::TermStatus;
use crate::text::sanitize_line;
use crate::tui::action::{Action, KeyName};
use crate::tui::doc::Document;
use crate::tui::glossary::{Glossary, TermView};
use crate::tui::render::{clip, styles};

/// The terms dialog: a list of terms, or one term's definition.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TermsPopup {
    /// The terms listed (indices in [`Glossary::terms`]): every term, or those at the
    /// selection.
    pub items: Vec<usize>,
    /// What the list holds, for its title (`terms on this line`).
    pub what: String,
    /// Every term is listed (else `a` lists them all).
    pub all: bool,
    /// Only terms whose name holds this (any case) are listed.
    pub filter: String,
    /// The filter is being typed.
    pub typing: bool,
    /// Position in the filtered list.
    pub cursor: usize,
    /// The definition shown (an index in [`Glossary::terms`]) and its scroll.
    pub shown: Option<usize>,
    pub scroll: usize,
    /// Opened on one definition: Esc closes it (there is no list to go back to).
    pub direct: bool,
}

impl TermsPopup {
    /// What `t` (`all`: `Y`) opens on `doc`: the definition of the one term on `rows` (rows
    /// of the texts; `None`: the outline has the keys), else the choice of those there, else
    /// of those in clause pair `clause`, else every term. `Err` says why nothing opens.
    pub fn open(
        doc: &Document,
        all: bool,
        rows: Option<std::ops::Range<usize>>,
        clause: usize,
    ) -> Result<(TermsPopup, Option<String>), String> {
        let g = &doc.glossary;
        if g.terms.is_empty() {
            return Err(if doc.provisional {
                "The defined terms come with the full comparison: a moment".into()
            } else {
                "No defined terms found in either version".into()
            });
        }
        let every = || TermsPopup {
            items: (0..g.terms.len()).collect(),
            what: "every term".into(),
            all: true,
            ..TermsPopup::default()
        };
        if all {
            return Ok((every(), None));
        }
        let id = doc.clauses.get(clause).map(|c| sanitize_line(&c.id)).unwrap_or_default();
        let mut found = rows.map(|r| {
            let what = if r.len() > 1 { "on the selected lines" } else { "on this line" };
            (g.on_rows(doc, r), what.to_string())
        });
        if found.as_ref().is_none_or(|(t, _)| t.is_empty()) {
            // The clause's rows come one after the other (pair after pair).
            let first = doc.clauses.get(clause).map_or(0, |c| c.row);
            let n = doc.rows[first.min(doc.rows.len())..]
                .iter()
                .take_while(|r| r.clause == Some(clause))
                .count();
            let mut terms = g.uses_changed(clause).to_vec();
            for t in g.on_rows(doc, first..first + n) {
                if !terms.contains(&t) {
                    terms.push(t);
                }
            }
            found = Some((terms, format!("in {id}")));
        }
        let (items, what) = found.unwrap_or_default();
        match items.len() {
            0 => Ok((every(), Some(format!("No defined term in {id}: every term is listed")))),
            1 => {
                let p = TermsPopup { items: items.clone(), what, ..TermsPopup::default() };
                Ok((TermsPopup { shown: Some(items[0]), direct: true, ..p }, None))
            }
            _ => Ok((TermsPopup { items, what, ..TermsPopup::default() }, None)),
        }
    }

    /// Whether keys are text (the filter is typed).
    pub fn typing(&self) -> bool {
        self.typing
    }

    /// The terms listed now: the items that pass the filter.
    fn visible(&self, g: &Glossary) -> Vec<usize> {
        let f = self.filter.to_lowercase();
        self.items
            .iter()
            .copied()
            .filter(|&i| {
                f.is_empty()
                    || g.terms.get(i).is_some_and(|t| {
                        std::iter::once(&t.term)
                            .chain(&t.aliases)
                            .any(|n| n.to_lowercase().contains(&f))
                    })
            })
            .collect()
    }

    /// The rectangle on a screen of `area`, for `lines` lines of content.
    fn rect(area: Rect, lines: usize) -> Rect {
        let h = lines.min(u16::MAX as usize) as u16;
        popup_area(area, 76, h.saturating_add(2).max(5))
    }

    /// Returns whether the dialog closes, and what to do.
    pub fn handle(&mut self, action: &Action, cx: &Cx) -> (bool, Vec<Msg>) {
        let g = &cx.doc.glossary;
        let a = cx.areas;
        let screen = Rect::new(0, 0, a.header.width, a.status.y + a.status.height);
        if self.typing {
            match action {
                Action::Input(k) => match k.key {
                    KeyName::Char('u') if k.ctrl => self.filter.clear(),
                    KeyName::Char(c) if !k.ctrl && !k.alt => self.filter.push(c),
                    KeyName::Backspace => {
                        self.filter.pop();
                    }
                    KeyName::Down => self.cursor += 1,
                    KeyName::Up => self.cursor = self.cursor.saturating_sub(1),
                    _ => {}
                },
                Action::Paste(p) => self.filter.extend(p.chars().filter(|c| !c.is_control())),
                Action::Escape => {
                    self.filter.clear();
                    self.typing = false;
                }
                Action::Submit => self.typing = false,
                _ => {}
            }
            self.cursor = self.cursor.min(self.visible(g).len().saturating_sub(1));
            return (false, vec![]);
        }
        if let Some(t) = self.shown {
            let r = TermsPopup::rect(screen, usize::MAX);
            let h = r.height.saturating_sub(2) as usize;
            let total = definition_lines(cx.doc, t, r.width.saturating_sub(2) as usize).len();
            let max = total.saturating_sub(h);
            let page = h.saturating_sub(1).max(1);
            match action {
                Action::Down => self.scroll += 1,
                Action::Up => self.scroll = self.scroll.saturating_sub(1),
                Action::PageDown => self.scroll += page,
                Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
                Action::Top => self.scroll = 0,
                Action::Bottom => self.scroll = max,
                Action::Escape if !self.direct => {
                    self.shown = None;
                    self.scroll = 0;
                }
                Action::Escape | Action::Pick('q' | 't') => return (true, vec![]),
                Action::Submit => return (true, go_to_definition(cx.doc, t)),
                Action::Pick('a') => {
                    // From one definition to the list of every term, on this one.
                    *self = TermsPopup {
                        items: (0..g.terms.len()).collect(),
                        what: "every term".into(),
                        all: true,
                        cursor: t,
                        ..TermsPopup::default()
                    };
                }
                _ => {}
            }
            self.scroll = self.scroll.min(max);
            return (false, vec![]);
        }
        let visible = self.visible(g);
        let last = visible.len().saturating_sub(1);
        let page = TermsPopup::rect(screen, usize::MAX).height.saturating_sub(3).max(1) as usize;
        match action {
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::PageDown => self.cursor = (self.cursor + page).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(page),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = last,
            Action::Submit => {
                if let Some(&t) = visible.get(self.cursor) {
                    self.shown = Some(t);
                    self.scroll = 0;
                }
            }
            Action::Pick('/') => self.typing = true,
            Action::Pick('a') if !self.all => {
                let keep = visible.get(self.cursor).copied();
                self.items = (0..g.terms.len()).collect();
                self.all = true;
                self.what = "every term".into();
                self.filter.clear();
                self.cursor = keep.unwrap_or(0);
            }
            Action::Escape if !self.filter.is_empty() => self.filter.clear(),
            Action::Escape | Action::Pick('q' | 't' | 'Y') => return (true, vec![]),
            _ => {}
        }
        (false, vec![])
    }

    pub fn render(&self, doc: &Document, area: Rect, buf: &mut Buffer) {
        let g = &doc.glossary;
        let full = TermsPopup::rect(area, usize::MAX);
        let width = full.width.saturating_sub(2) as usize;
        let (title, lines, first, bottom) = match self.shown {
            Some(t) => {
                let lines = definition_lines(doc, t, width);
                let h = full.height.saturating_sub(2) as usize;
                let first = self.scroll.min(lines.len().saturating_sub(h));
                let more = first + h < lines.len();
                let back = if self.direct { "Esc close" } else { "Esc list" };
                let keys =
                    if more { format!("j/k more ↓ · {back} ") } else { format!("{back} ") };
                let title = match g.terms.get(t) {
                    Some(v) => format!(" {} · {} ", clip(&v.term, 40), v.status.as_str()),
                    None => " Term ".into(),
                };
                (title, lines, first, format!(" Enter go to it · a all terms · {keys}"))
            }
            None => {
                let visible = self.visible(g);
                // Names in a column as wide as the longest listed (within reason).
                let names = visible.iter().map(|&i| sanitize_line(&g.terms[i].term).width());
                let name_w = names.max().unwrap_or(0).min(width.saturating_sub(30)).max(8);
                let mut lines: Vec<Line<'static>> =
                    visible.iter().map(|&i| list_line(&g.terms[i], name_w)).collect();
                if lines.is_empty() {
                    lines.push(Line::styled("  No term matches the filter.", DIM));
                }
                let h = full.height.saturating_sub(2) as usize;
                let first = (self.cursor + 1).saturating_sub(h);
                if let Some(l) = lines.get_mut(self.cursor.min(visible.len().saturating_sub(1)))
                    && !visible.is_empty()
                {
                    *l = l.clone().patch_style(Style::new().add_modifier(Modifier::REVERSED));
                }
                let changed =
                    self.items.iter().filter(|&&i| g.terms[i].status != TermStatus::Unchanged);
                let title = format!(
                    " Terms {} · {} · {} changed ",
                    clip(&self.what, 30),
                    self.items.len(),
                    changed.count()
                );
                let filter = if self.typing || !self.filter.is_empty() {
                    format!(
                        " /{}{} ",
                        sanitize_line(&self.filter),
                        if self.typing { "█" } else { "" }
                    )
                } else {
                    " / filter ·".into()
                };
                let all = if self.all { "" } else { " a all ·" };
                (title, lines, first, format!("{filter}{all} Enter definition · Esc close "))
            }
        };
        let r = TermsPopup::rect(area, lines.len());
        Clear.render(r, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .title(title)
            .title_bottom(Line::styled(bottom, DIM).right_aligned())
            .border_style(FOCUS);
        let inner = block.inner(r);
        block.render(r, buf);
        for (y, line) in lines.iter().skip(first).take(inner.height as usize).enumerate() {
            buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
        }
    }

    /// The keys that apply, for the status line.
    pub fn status_keys(&self) -> Vec<(&'static str, &'static str)> {
        if self.typing {
            vec![("Enter", "keep filter"), ("Esc", "clear")]
        } else if self.shown.is_some() {
            let back = if self.direct { "close" } else { "back to the list" };
            vec![("j/k", "scroll"), ("Enter", "go to it"), ("a", "all terms"), ("Esc", back)]
        } else {
            vec![("j/k", "move"), ("Enter", "definition"), ("/", "filter"), ("Esc", "close")]
        }
    }
}

/// The clause holding term `t`'s definition (the right-hand one first), to select.
fn go_to_definition(doc: &Document, t: usize) -> Vec<Msg> {
    let Some(v) = doc.glossary.terms.get(t) else { return vec![] };
    let on = |right: bool, id: &Option<String>| {
        let id = id.as_deref()?;
        doc.clauses.iter().position(|c| {
            let cid = if right { &c.right_id } else { &c.left_id };
            cid.as_deref() == Some(id)
        })
    };
    match on(true, &v.right_clause).or_else(|| on(false, &v.left_clause)) {
        Some(i) => vec![Msg::SelectClause(i)],
        None => {
            let name = sanitize_line(&v.term);
            vec![Msg::Say(format!("{name} is defined before the first clause"))]
        }
    }
}

/// How a status looks in the list.
fn status_style(s: TermStatus) -> Style {
    match s {
        TermStatus::Unchanged => DIM,
        TermStatus::Changed => Style::new().fg(Color::Yellow),
        TermStatus::Added => Style::new().fg(Color::Green),
        TermStatus::Removed => Style::new().fg(Color::Red),
    }
}

/// Where a term is defined: `1.3 → 1.4`, `1.4`, or nothing before the first clause.
fn clauses(v: &TermView) -> String {
    match (v.left_clause.as_deref(), v.right_clause.as_deref()) {
        (Some(a), Some(b)) if a != b => format!("{} → {}", sanitize_line(a), sanitize_line(b)),
        (Some(a), _) | (None, Some(a)) => sanitize_line(a),
        (None, None) => String::new(),
    }
}

/// One line of the list: the name (in `room` columns), how it changed, where it is defined.
fn list_line(v: &TermView, room: usize) -> Line<'static> {
    let status = format!("{:<9}", v.status.as_str());
    let place = clauses(v);
    let name = clip(&v.term, room);
    let pad = room.saturating_sub(name.width()) + 1;
    Line::from(vec![
        Span::raw("  "),
        Span::styled(name, Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(" ".repeat(pad)),
        Span::styled(status, status_style(v.status)),
        Span::raw(" "),
        Span::styled(place, DIM),
    ])
}

/// The definition of term `t` in lines of `width` columns: each version's wording under its
/// label (once when both read the same), the changed words marked; where it is used.
fn definition_lines(doc: &Document, t: usize, width: usize) -> Vec<Line<'static>> {
    let g = &doc.glossary;
    let Some(v) = g.terms.get(t) else { return vec![] };
    let mut out = Vec::new();
    let label = |s: String| Line::styled(s, Style::new().add_modifier(Modifier::BOLD));
    let at = |c: &Option<String>| c.as_deref().map(|c| format!(" · {}", sanitize_line(c)));
    let (lv, rv) = (sanitize_line(&doc.left_version), sanitize_line(&doc.right_version));
    match (&v.left, &v.right) {
        (Some(_), Some(r)) if v.status == TermStatus::Unchanged => {
            let both = format!("{lv} and {rv}{}", at(&v.right_clause).unwrap_or_default());
            out.push(label(both));
            out.extend(wrapped(r, &[], Style::new(), width));
        }
        _ => {
            for (text, changed, name, clause, st) in [
                (&v.left, &v.left_changed, &lv, &v.left_clause, styles::DELETED_WORD),
                (&v.right, &v.right_changed, &rv, &v.right_clause, styles::INSERTED_WORD),
            ] {
                let place = at(clause).unwrap_or_default();
                match text {
                    Some(d) => {
                        out.push(label(format!("{name}{place}")));
                        out.extend(wrapped(d, changed, st, width));
                    }
                    None => {
                        out.push(label(name.clone()));
                        out.push(Line::styled("  (not defined here)", DIM));
                    }
                }
            }
        }
    }
    if !v.aliases.is_empty() {
        let names: Vec<String> = v.aliases.iter().map(|a| sanitize_line(a)).collect();
        out.push(Line::from(""));
        out.extend(wrapped_plain(&format!("Also: {}", names.join(", ")), width));
    }
    out.push(Line::from(""));
    let verb = if v.status == TermStatus::Removed { "Still used in" } else { "Used in" };
    let used = if v.used_in.is_empty() {
        format!("{verb} ({rv}): no clause")
    } else {
        let ids: Vec<String> = v.used_in.iter().map(|i| sanitize_line(i)).collect();
        format!("{verb} ({rv}): {}", ids.join(", "))
    };
    out.extend(wrapped_plain(&used, width));
    let same: Vec<String> = (g.uses_changed.iter().enumerate())
        .filter(|(_, list)| list.contains(&t))
        .filter_map(|(c, _)| doc.clauses.get(c).map(|c| sanitize_line(&c.id)))
        .collect();
    if !same.is_empty() {
        let s = format!("Read the same but use this changed definition: {}", same.join(", "));
        for l in wrapped_plain(&s, width) {
            out.push(l.patch_style(Style::new().fg(Color::Yellow)));
        }
    }
    out
}

/// Plain text wrapped to `width` columns.
fn wrapped_plain(s: &str, width: usize) -> Vec<Line<'static>> {
    let opts = textwrap::Options::new(width.max(8))
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(s, &opts).into_iter().map(|l| Line::raw(l.into_owned())).collect()
}

/// `text` (one line, single spaces) wrapped at spaces to `width` columns, indented by two,
/// the byte ranges `changed` drawn in `style`; sanitised for display.
fn wrapped(
    text: &str,
    changed: &[std::ops::Range<usize>],
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    let room = width.saturating_sub(2).max(8);
    // Words as byte ranges, then greedy lines of words.
    let mut words = Vec::new();
    let mut at = 0;
    for w in text.split(' ') {
        if !w.is_empty() {
            words.push(at..at + w.len());
        }
        at += w.len() + 1;
    }
    let mut lines: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new()];
    let mut used = 0;
    for w in words {
        let ww = sanitize_line(&text[w.clone()]).width();
        let cur = lines.last_mut().expect("one line at least");
        if !cur.is_empty() && used + 1 + ww > room {
            lines.push(vec![w]);
            used = ww;
        } else {
            used += ww + usize::from(!cur.is_empty());
            cur.push(w);
        }
    }
    let is_changed = |a: usize, b: usize| changed.iter().any(|r| r.start <= a && b <= r.end);
    lines
        .into_iter()
        .map(|ws| {
            let mut spans = vec![Span::raw("  ")];
            for (k, w) in ws.iter().enumerate() {
                if k > 0 {
                    // The space between two changed words is part of the change.
                    let gap = w.start - 1;
                    let st = if is_changed(gap, w.start) { style } else { Style::new() };
                    spans.push(Span::styled(" ", st));
                }
                // Cut the word where the changed ranges start and end.
                let mut cuts = vec![w.start, w.end];
                for r in changed {
                    cuts.extend([r.start, r.end].into_iter().filter(|&c| w.start < c && c < w.end));
                }
                cuts.sort_unstable();
                cuts.dedup();
                for p in cuts.windows(2) {
                    let Some(piece) = text.get(p[0]..p[1]) else { continue };
                    let st = if is_changed(p[0], p[1]) { style } else { Style::new() };
                    spans.push(Span::styled(sanitize_line(piece), st));
                }
            }
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_terms_nothing_opens_and_the_reason_is_told() {
        let doc = Document::default();
        let e = TermsPopup::open(&doc, true, None, 0).unwrap_err();
        assert_eq!(e, "No defined terms found in either version");
        let quick = Document { provisional: true, ..Document::default() };
        let e = TermsPopup::open(&quick, false, Some(0..1), 0).unwrap_err();
        assert!(e.contains("full comparison"), "{e}");
    }

    #[test]
    fn definitions_wrap_and_mark_the_changed_words() {
        let text = "\"Output\" means anything the Model makes, or a copy of it.";
        let copy = text.find("copy").unwrap();
        let changed = copy..copy + 4;
        let lines = wrapped(text, std::slice::from_ref(&changed), styles::DELETED_WORD, 24);
        let plain: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(
            plain,
            ["  \"Output\" means", "  anything the Model", "  makes, or a copy of", "  it."]
        );
        let marked: Vec<&str> = (lines.iter().flat_map(|l| &l.spans))
            .filter(|s| s.style == styles::DELETED_WORD)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(marked, ["copy"]);
    }
}

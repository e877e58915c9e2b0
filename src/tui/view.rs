//! Drawing the frame: `impl Widget for &App`. Pure: reads the state, writes cells, nothing
//! else. The header, the warning line and the status line are drawn here; each pane, picker
//! and the editor draws itself (see [`super::components`]). Only the visible rows are styled
//! and wrapped, so a frame costs the same for any text length.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, Mode, PaneId};
use super::components::MainView;
use super::components::{DIM, KEY};
use super::render::{MIN_HEIGHT, MIN_WIDTH, clip, styles};
use crate::text::sanitize_line;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let a = self.areas_for(area.width, area.height);
        if a.too_small {
            too_small(area, buf);
            return;
        }
        header(self, a.header, buf);
        if a.warning.height > 0 {
            let text = format!(" ⚠ {}", self.doc.warnings.join(" · "));
            Paragraph::new(clip(&text, a.warning.width as usize))
                .style(Style::new().fg(Color::Black).bg(Color::Yellow))
                .render(a.warning, buf);
        }
        let cx = self.cx(&a);
        for (pane, rect) in &a.panes {
            // While a comment is written, the keys are the editor's.
            let focused = self.focus == *pane && self.editor.is_none();
            match pane {
                PaneId::Outline => self.outline.render(&cx, *rect, focused, buf),
                PaneId::Texts => self.texts.render(&self.doc, focused, a.left, a.right, buf),
                PaneId::Threads => self.threads.render(&cx, *rect, focused, buf),
                PaneId::ThreadList => self.list.render(&cx, *rect, focused, buf),
                PaneId::Matrix => self.matrix.render(&cx, *rect, focused, buf),
            }
        }
        status(self, a.status, buf);
        if let Some(e) = &self.editor {
            e.render(&self.author, a.editor, buf);
        }
        if let Some(p) = &self.popup {
            p.render(&cx, area, buf);
        }
        if let Some(h) = &self.help {
            h.render(area, buf);
        }
        if let Some(q) = &self.question {
            let cx = super::components::confirm::Context {
                draft: self.draft.as_ref(),
                recovered: &self.recovered,
                kept: self.kept.as_ref(),
            };
            q.render(cx, area, buf);
        }
        // A terminal without colours, or without UTF-8, gets the same frame made plain.
        self.looks.apply(buf);
    }
}

fn too_small(area: Rect, buf: &mut Buffer) {
    let msg = vec![
        Line::from("Terminal too small").bold(),
        Line::from(format!(
            "{}x{}: lrw needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        )),
        Line::from("Enlarge the window, or press q to quit."),
    ];
    let h = (msg.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    Paragraph::new(msg)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(Rect::new(area.x, y, area.width, area.height - (y - area.y)), buf);
}

fn header(app: &App, area: Rect, buf: &mut Buffer) {
    let d = &app.doc;
    let mode = match (d.normalized, d.ignore_case) {
        (true, false) => "normalised",
        (true, true) => "normalised, any case",
        (false, false) => "exact",
        (false, true) => "exact, any case",
    };
    let wrap = match (app.texts.wrap, app.texts.hscroll) {
        (true, _) => "wrap".to_string(),
        (false, 0) => "no wrap".to_string(),
        (false, from) => format!("no wrap →{from}"),
    };
    // A save runs off the UI thread: said here until it is done, whatever the status line
    // says meanwhile.
    let saving = if app.saving { " · saving…" } else { "" };
    let state = format!(
        " · {} ↔ {} · {mode} · {wrap}{saving} ",
        sanitize_line(&d.left_version),
        sanitize_line(&d.right_version)
    );
    let style = Style::new().fg(Color::Black).bg(Color::Cyan);
    buf.set_style(area, style);
    let w = area.width as usize;
    // Messages go to the status line: the title stays. When room is short the title is cut
    // first (but keeps a few words); the versions and how they are shown (the sideways
    // offset too) are what the reader needs to see.
    const LRW: &str = " lrw · ";
    let fixed = unicode_width::UnicodeWidthStr::width(format!("{LRW}{state}").as_str());
    let title_w = unicode_width::UnicodeWidthStr::width(sanitize_line(&d.title).as_str());
    let room = w.saturating_sub(fixed).max(title_w.min(MIN_TITLE));
    let line = clip(&format!("{LRW}{}{state}", clip(&d.title, room)), w);
    buf.set_stringn(area.x, area.y, &line, w, style.add_modifier(Modifier::BOLD));
}

/// Columns the title keeps in the header however narrow the screen.
const MIN_TITLE: usize = 16;

/// The keys that apply now, for the status line.
pub fn status_keys(app: &App) -> Vec<(&'static str, &'static str)> {
    match app.mode() {
        Mode::Normal => {
            let mut k = vec![("?", "help"), ("q", "quit"), ("Tab", "pane")];
            // The focused pane's own keys first.
            match app.focus {
                PaneId::Outline => k.push(("j/k", "clause")),
                PaneId::Texts => k.push(("j/k", "move")),
                PaneId::Threads => k.extend([("j/k", "read"), ("Space", "page")]),
                PaneId::ThreadList => k.extend([
                    ("j/k", "move"),
                    ("Enter", "go to"),
                    ("f", "filter"),
                    ("Esc", "back"),
                ]),
                PaneId::Matrix => k.extend([("j/k", "move"), ("Enter", "go to"), ("Esc", "back")]),
            }
            if !app.texts.wrap && app.main == MainView::Texts {
                k.push(("</>", "sideways"));
            }
            if app.texts.search.is_some() {
                k.extend([("n/N", "hit"), ("Esc", "end search")]);
            } else {
                k.extend([("n/N", "change"), ("/", "search")]);
            }
            k.extend([(":", "clause"), ("a", "comment")]);
            if let Some(i) = app.selected_thread() {
                k.extend([("r", "reply"), ("x", "resolve"), ("c", "criteria"), ("v", "verdict")]);
                let t = &app.doc.threads[i];
                if t.comments.iter().any(|c| c.author == app.author) {
                    k.push(("E", "edit yours"));
                }
                if t.comments.last().is_some_and(|c| c.author == app.author) {
                    k.push(("D", "delete yours"));
                }
            }
            if app.draft.is_some() {
                k.push(("d", "delete draft"));
            }
            let shown = [&app.doc.left_version, &app.doc.right_version];
            if app.doc.version_info.iter().any(|v| v.changed && shown.contains(&&v.id)) {
                k.insert(3, ("A", "record new text"));
            }
            k.extend([("]/[", "thread"), ("T", "all threads"), ("M", "matrix")]);
            k.extend([("t", "term"), ("Y", "glossary")]);
            k.extend([("V", "select"), ("=", "normalised/exact"), ("w", "wrap"), ("e", "export")]);
            if app.doc.versions.len() > 2 {
                k.push(("s", "versions"));
            }
            k.extend([("S", "versions"), ("i", "case"), ("L", "closest licenses")]);
            k
        }
        Mode::Prompt(super::components::prompt::PromptKind::Search) => {
            vec![("Enter", "keep hits"), ("Esc", "cancel")]
        }
        Mode::Prompt(_) => vec![("Enter", "jump"), ("Esc", "cancel")],
        Mode::Editor => vec![
            ("Ctrl+S", "post and save"),
            ("Ctrl+E", "$EDITOR"),
            ("Esc", "cancel"),
            ("wheel", "scroll the texts"),
        ],
        Mode::Confirm(q) => q.status_keys(),
        Mode::Picker | Mode::Typing => {
            app.popup.as_ref().map(|p| p.status_keys()).unwrap_or_default()
        }
        Mode::Help => vec![("j/k", "scroll"), ("Esc ? q", "close help")],
    }
}

fn status(app: &App, area: Rect, buf: &mut Buffer) {
    let line = match (&app.prompt, app.mode()) {
        (Some(p), Mode::Prompt(kind)) => {
            let hits = match (&app.texts.search, kind) {
                (Some(s), super::components::prompt::PromptKind::Search) => {
                    format!("   {} hits", s.hits.len())
                }
                _ => String::new(),
            };
            p.line(hits)
        }
        _ if area.height > 1 => {
            // A message too long for one line takes up to three, whole if it fits there; the
            // rest (and every message) is in the log.
            let (m, err) = app.status_message().unwrap_or_default();
            let st = if err { styles::ERROR } else { styles::MESSAGE };
            let width = area.width as usize;
            let opts = textwrap::Options::new(width.max(8))
                .word_separator(textwrap::WordSeparator::AsciiSpace);
            let safe = sanitize_line(&m);
            let lines = textwrap::wrap(&safe, &opts);
            let shown = area.height as usize;
            for (y, line) in lines.iter().take(shown).enumerate() {
                let mut text = line.to_string();
                if y + 1 == shown && lines.len() > shown {
                    const MORE: &str = " … m shows it all";
                    let room = width.saturating_sub(MORE.chars().count());
                    text = format!("{}{MORE}", clip(&text, room));
                }
                buf.set_stringn(area.x, area.y + y as u16, &text, width, st);
            }
            return;
        }
        _ => {
            let mut spans = Vec::new();
            let width = area.width as usize;
            // What just happened comes first; while a ranking runs, its note shows whenever
            // no other message does. The keys that apply fill the rest.
            let msg = app.status_message();
            let mut used = 0;
            if let Some((m, err)) = msg {
                let m = clip(&m, width.saturating_sub(1));
                used = unicode_width::UnicodeWidthStr::width(m.as_str()) + 2;
                let st = if err { styles::ERROR } else { styles::MESSAGE };
                spans.push(Span::styled(m, st));
                spans.push(Span::raw("  "));
            }
            for (k, what) in status_keys(app) {
                let piece = format!(" {what}  ");
                let w = unicode_width::UnicodeWidthStr::width(k) + piece.chars().count();
                if used + w > width {
                    break;
                }
                used += w;
                spans.push(Span::styled(k, KEY));
                spans.push(Span::styled(piece, DIM));
            }
            Line::from(spans)
        }
    };
    buf.set_line(area.x, area.y, &line, area.width);
}

#[cfg(test)]
mod tests {
    use crate::tui::app::App;
    use crate::tui::render::styles;
    use crate::tui::testing::{as_drawn, buffer_text, cell_style, draw, type_keys};

    fn app() -> App {
        App::new(crate::tui::app::tests::sample(), vec![], None)
    }

    /// The cell showing the first character of `needle` on screen.
    fn find(buf: &ratatui::buffer::Buffer, needle: &str) -> (u16, u16) {
        let text = buffer_text(buf);
        for (y, line) in text.lines().enumerate() {
            if let Some(i) = line.find(needle) {
                let x = unicode_width::UnicodeWidthStr::width(&line[..i]);
                return (x as u16, y as u16);
            }
        }
        panic!("{needle:?} not on screen:\n{text}");
    }

    #[test]
    fn sample_main_screen() {
        let mut app = app();
        type_keys(&mut app, "n");
        let buf = draw(&mut app, 100, 30);
        insta::assert_snapshot!(buffer_text(&buf));
        let (x, y) = find(&buf, "lease");
        assert_eq!(
            cell_style(&buf, x, y),
            as_drawn(styles::INSERTED_WORD),
            "changed word is emphasised"
        );
        let (x, y) = find(&buf, "sell");
        assert_eq!(cell_style(&buf, x, y), as_drawn(styles::DELETED_WORD));
        let (x, y) = find(&buf, "Do not lease");
        assert_eq!(buf[(x, y)].fg, styles::INSERTED.fg.unwrap(), "changed line is coloured");
    }

    #[test]
    fn search_hits_are_highlighted() {
        let mut app = app();
        type_keys(&mut app, "/limit<ret>");
        let buf = draw(&mut app, 100, 30);
        let (x, y) = find(&buf, "2. Limits");
        assert_eq!(cell_style(&buf, x + 3, y), as_drawn(styles::CURRENT_HIT), "current hit");
        assert_eq!(buf[(x + 2, y)].bg, buf[(x, y)].bg, "before the hit: unchanged");
        let line = buffer_text(&buf).lines().nth(y as usize).unwrap().to_string();
        let second = line.rfind("2. Limits").unwrap();
        let rx = unicode_width::UnicodeWidthStr::width(&line[..second]) as u16;
        assert!(rx > x);
        assert_eq!(cell_style(&buf, rx + 3, y), as_drawn(styles::HIT), "other hit");
    }

    #[test]
    fn closest_licenses_picker_shows_no_control_from_its_data() {
        use crate::tui::components::closest::{Closest, ClosestPopup};
        use crate::tui::components::popup::Popup;
        use crate::tui::doc::LicenseMatch;
        let mut app = app();
        let evil = |s: &str| format!("{s}\u{1b}]0;PWNED\u{7}\u{202e}");
        let c = Closest {
            version: evil("right"),
            matches: vec![LicenseMatch {
                id: evil("MIT"),
                name: evil("MIT License"),
                score: 0.987,
                osi: true,
                version: Some(evil("v")),
            }],
        };
        app.popup = Some(Popup::Closest(ClosestPopup::new(&c)));
        let text = buffer_text(&draw(&mut app, 100, 30));
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' || crate::text::sanitize::is_hidden(c)),
            "a control or hidden character reached a cell:\n{text}"
        );
        assert!(text.contains("0.99  MIT␛]0;PWNED␇"), "{text}");
        assert!(!text.contains("none is close"), "a close match gets no note:\n{text}");
    }

    /// One row: wide characters, a marker and a tab on the left; a combining accent and wide
    /// characters on the right.
    fn wide_doc() -> crate::tui::doc::Document {
        use crate::tui::doc::{DiffRow, Document, RowSide, RowTag};
        let left = "条項一 Use\u{1b} it\tfreely \u{202e}here\u{202c} and there, as long as it runs";
        let right = "Cafe\u{301} crème: 漢字 and more text that runs long enough to be cut";
        let side = |s: &str| Some(RowSide { line: 1, segments: vec![(0..s.len(), false)] });
        let mut doc = Document {
            title: "Wide".into(),
            left_version: "l".into(),
            right_version: "r".into(),
            left_lines: vec![left.into()],
            right_lines: vec![right.into()],
            rows: vec![DiffRow {
                left: side(left),
                right: side(right),
                tag: RowTag::Equal,
                clause: None,
            }],
            ..Document::default()
        };
        doc.finish();
        doc
    }

    /// What the left and right text panes show on screen row 2 (the first text line): gutter
    /// and text.
    fn first_text_row(app: &mut App, hscroll: usize) -> (String, String) {
        app.texts.hscroll = hscroll;
        let text = buffer_text(&draw(app, 100, 30));
        let row: Vec<&str> = text.lines().nth(2).unwrap().split('┃').collect();
        (row[1].to_string(), row[3].to_string())
    }

    #[test]
    fn scrolled_sideways_wide_characters_and_markers_keep_their_columns() {
        let mut app = App::new(wide_doc(), vec![], None);
        type_keys(&mut app, "w");
        app.texts.hscroll = 3;
        let text = buffer_text(&draw(&mut app, 100, 30));
        insta::assert_snapshot!(text);
        // 条 項 一 take two columns each: at 3 the left edge cuts 項, whose second column is
        // blank; ␛ takes one column, ⟨U+202E⟩ eight; the tab fills to column 16.
        assert_eq!(
            first_text_row(&mut app, 3),
            (
                "    1   一 Use␛ it  freely ⟨U+202E⟩her".to_string(),
                "    1  e\u{301} crème: 漢字 and more text tha".to_string()
            )
        );
        assert_eq!(
            first_text_row(&mut app, 4),
            (
                "    1  一 Use␛ it  freely ⟨U+202E⟩here".to_string(),
                "    1   crème: 漢字 and more text that".to_string()
            ),
            "the accent goes with its e"
        );
        let (left, right) = first_text_row(&mut app, 13);
        assert_eq!(right, "    1   字 and more text that runs lon", "漢 cut: blank");
        assert_eq!(left, "    1  t  freely ⟨U+202E⟩here⟨U+202C⟩ ");
        let (left, _) = first_text_row(&mut app, 26);
        assert_eq!(left, "    1  202E⟩here⟨U+202C⟩ and there, as", "a marker shows in part");
        for from in 0..60 {
            let (left, right) = first_text_row(&mut app, from);
            for side in [left, right] {
                assert_eq!(unicode_width::UnicodeWidthStr::width(side.as_str()), 38, "{from}");
            }
        }
    }

    #[test]
    fn too_small_terminal_shows_a_message() {
        let mut app = app();
        let buf = draw(&mut app, 40, 10);
        insta::assert_snapshot!(buffer_text(&buf));
    }

    #[test]
    fn hostile_text_reaches_no_cell_as_a_control() {
        use crate::tui::doc::{ClauseRow, CommentView, Document, RowSide, RowTag, ThreadView};
        let evil = "Use\u{1b}]0;PWNED\u{7} it \u{1b}[2J\u{9b}31m \u{202e}txet\u{202c}\tend";
        let side = |line| Some(RowSide { line, segments: vec![(0..evil.len(), false)] });
        let mut doc = Document {
            title: "T\u{1b}]2;x\u{7}".into(),
            versions: vec!["a".into(), "b\u{202e}".into()],
            left_version: "a".into(),
            right_version: "b\u{202e}".into(),
            left_lines: vec![evil.into()],
            right_lines: vec![evil.into()],
            rows: vec![crate::tui::doc::DiffRow {
                left: side(1),
                right: side(1),
                tag: RowTag::Equal,
                clause: Some(0),
            }],
            clauses: vec![ClauseRow {
                id: "1\u{1b}[31m".into(),
                left_id: Some("1".into()),
                right_id: Some("1".into()),
                heading: "Head\u{200b}ing".into(),
                depth: 1,
                status: crate::tui::doc::ClauseStatus::Unchanged,
                row: 0,
                threads: 0,
                open: 0,
            }],
            threads: vec![ThreadView {
                id: "t-\u{1b}".into(),
                clause: Some(0),
                version: "a".into(),
                anchored_clause: "1".into(),
                anchor: crate::tui::doc::AnchorView::Exact,
                open: true,
                verdict: "note".into(),
                criteria: vec!["osd-\u{1b}]0;c\u{7}".into()],
                quote: Some("q\u{1b}]0;x\u{7}".into()),
                comments: vec![CommentView {
                    id: "c-1".into(),
                    author: "mal\u{1b}[2Jlory".into(),
                    at: "2025-01-01T00:00:00Z".into(),
                    edited_at: Some("2025\u{1b}[2J".into()),
                    body: "body \u{9b}6n\n> quote \u{202e}x".into(),
                    message_id: None,
                    extra: Default::default(),
                }],
                events: vec![crate::tui::doc::EventView {
                    author: "ev\u{1b}]0;il\u{7}".into(),
                    at: "2025-01-02T00:00:00Z".into(),
                    field: "status\u{200b}".into(),
                    from: "open\u{1b}".into(),
                    to: "resolved\u{9b}".into(),
                    extra: Default::default(),
                }],
            }],
            version_info: ["a", "b\u{202e}"]
                .iter()
                .map(|id| crate::tui::doc::VersionView {
                    id: id.to_string(),
                    label: Some("lab\u{1b}]0;el\u{7}".into()),
                    date: Some("d\u{200b}".into()),
                    path: "p\u{1b}[2J".into(),
                    threads: 0,
                    changed: true,
                    unreadable: None,
                    url: Some("https://e.example/\u{1b}]0;x\u{7}\u{202e}".into()),
                    fetched_at: Some("2026-12-01T10:42:00Z\u{1b}[2J".into()),
                })
                .collect(),
            warnings: vec!["w\u{1b}]0;t\u{7}".into()],
            ..Document::default()
        };
        doc.finish();
        let mut app = App::new(doc, vec![], None);
        let buf = draw(&mut app, 100, 30);
        let text = buffer_text(&buf);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' || crate::text::sanitize::is_hidden(c)),
            "a control or hidden character reached a cell:\n{text}"
        );
        for shown in ["Use␛]0;PWNED␇ it", "␛[2J⟨U+009B⟩31m", "⟨U+202E⟩txet⟨U+202C⟩   end"]
        {
            assert!(text.contains(shown), "{shown} not shown:\n{text}");
        }
        insta::assert_snapshot!(text);
        // Every other view of the same data: the threads pane (comments, events), the
        // threads list and its filter, the matrix, the versions dialog, the editor.
        let clean = |text: &str| {
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' || crate::text::sanitize::is_hidden(c))
        };
        app.author = "mal\u{1b}[2Jlory".into();
        let mut screens = vec![];
        for keys in ["<tab><tab>", "T", "f<right><down><down><right><down><right>", "<esc>M"] {
            type_keys(&mut app, keys);
            screens.push(buffer_text(&draw(&mut app, 100, 30)));
        }
        app.update(crate::tui::action::Action::MatrixReady(Box::new(Ok(
            crate::tui::doc::MatrixView {
                version: "b\u{202e}".into(),
                criteria: vec!["osd-\u{1b}]0;c\u{7}".into()],
                rows: vec![crate::tui::doc::MatrixRowView {
                    clause: "1\u{1b}[31m".into(),
                    orphaned: false,
                    cells: vec![Some(crate::review::Verdict::Note)],
                    worst: crate::review::Verdict::Note,
                    open: 1,
                    resolved: 0,
                }],
                threads: 1,
                open: 1,
                resolved: 0,
            },
        ))));
        screens.push(buffer_text(&draw(&mut app, 100, 30)));
        type_keys(&mut app, "<esc>S");
        screens.push(buffer_text(&draw(&mut app, 100, 30)));
        type_keys(&mut app, "<esc>:1<ret>E");
        app.update(crate::tui::action::Action::Paste("\u{1b}]0;t\u{7}\u{202e}".into()));
        screens.push(buffer_text(&draw(&mut app, 100, 30)));
        for (k, text) in screens.iter().enumerate() {
            assert!(
                clean(text),
                "screen {k}: a control or hidden character reached a cell:\n{text}"
            );
        }
        let all = screens.concat();
        for shown in [
            "ev␛]0;il␇ set status⟨U+200B⟩ open␛ → resolved⟨U+009B⟩",
            "> quote ⟨U+202E⟩x",
            "edited 2025␛[2J",
            "lab␛]0;el␇",
            "osd-␛]0;c␇",
            "␛]0;t␇⟨U+202E⟩",
        ] {
            assert!(all.contains(shown), "{shown} not shown:\n{all}");
        }
    }
}

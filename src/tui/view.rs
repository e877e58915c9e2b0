//! Drawing: `impl Widget for &App`. Pure: reads the state, writes cells, nothing else. Only
//! the visible rows are styled and wrapped, so a frame costs the same for any text length.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

use super::app::{App, Mode, Pane, Question, VERDICTS};
use super::doc::{AnchorView, ClauseStatus, RowTag};
use super::keymap::HELP;
use super::render::{self, Fit, GUTTER, MIN_HEIGHT, MIN_WIDTH, RowHits, clip, styles};
use crate::text::sanitize_line;

const FOCUS: Style = Style::new().fg(Color::Cyan);
const DIM: Style = Style::new().fg(Color::DarkGray);
const KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let a = render::areas(area.width, area.height, !self.doc.warnings.is_empty());
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
        outline(self, a.outline, buf);
        texts(self, a.left, a.right, buf);
        threads(self, a.threads, buf);
        status(self, a.status, buf);
        match &self.mode {
            Mode::Help => help(self, area, buf),
            Mode::Editor => editor(self, area, buf),
            Mode::Criteria | Mode::Verdict | Mode::Versions | Mode::Export | Mode::Closest => {
                picker(self, area, buf)
            }
            Mode::Confirm(q) => {
                if matches!(q, Question::DiscardEdit | Question::Quit) && self.editor.is_some() {
                    editor(self, area, buf);
                }
                confirm(self, q, area, buf);
            }
            _ => {}
        }
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

fn pane_block(title: String, focused: bool) -> Block<'static> {
    let b = Block::new().borders(Borders::ALL).title(title);
    if focused { b.border_style(FOCUS).border_type(BorderType::Thick) } else { b.border_style(DIM) }
}

fn header(app: &App, area: Rect, buf: &mut Buffer) {
    let d = &app.doc;
    let mode = if d.normalized { "normalised" } else { "exact" };
    let wrap = match (app.wrap, app.hscroll) {
        (true, _) => "wrap".to_string(),
        (false, 0) => "no wrap".to_string(),
        (false, from) => format!("no wrap →{from}"),
    };
    let state = format!(
        " · {} ↔ {} · {mode} · {wrap} ",
        sanitize_line(&d.left_version),
        sanitize_line(&d.right_version)
    );
    let style = Style::new().fg(Color::Black).bg(Color::Cyan);
    buf.set_style(area, style);
    let w = area.width as usize;
    // The message wins room over the title: it is what just happened.
    // While a ranking runs, its note shows whenever no other message does.
    let msg = match (&app.message, &app.ranking) {
        (Some((m, err)), _) => Some((clip(m, w * 3 / 5), *err)),
        (None, Some(v)) => Some((clip(&super::app::ranking_note(v), w * 3 / 5), false)),
        (None, None) => None,
    };
    let msg_w = msg.as_ref().map_or(0, |(m, _)| unicode_width::UnicodeWidthStr::width(m.as_str()));
    let room = w.saturating_sub(if msg_w > 0 { msg_w + 2 } else { 0 });
    // The title gives way first: the versions and how they are shown (the sideways offset
    // too) are what the reader needs to see.
    const LRW: &str = " lrw · ";
    let fixed = unicode_width::UnicodeWidthStr::width(format!("{LRW}{state}").as_str());
    let line = clip(&format!("{LRW}{}{state}", clip(&d.title, room.saturating_sub(fixed))), room);
    buf.set_stringn(area.x, area.y, &line, w, style.add_modifier(Modifier::BOLD));
    if let Some((m, err)) = msg
        && msg_w > 0
    {
        let st = if err { Style::new().fg(Color::White).bg(Color::Red) } else { style };
        buf.set_stringn(area.x + (w - msg_w - 1) as u16, area.y, &m, msg_w, st);
    }
}

fn status_color(s: ClauseStatus) -> Style {
    match s {
        ClauseStatus::Unchanged => Style::new(),
        ClauseStatus::Changed => Style::new().fg(Color::Yellow),
        ClauseStatus::Renumbered => Style::new().fg(Color::Blue),
        ClauseStatus::Moved => Style::new().fg(Color::Cyan),
        ClauseStatus::Added => Style::new().fg(Color::Green),
        ClauseStatus::Removed => Style::new().fg(Color::Red),
    }
}

fn outline(app: &App, area: Rect, buf: &mut Buffer) {
    let d = &app.doc;
    let what = if d.paragraphs { "Paragraphs" } else { "Clauses" };
    let block = pane_block(format!(" {what} {} ", d.clauses.len()), app.focus == Pane::Outline);
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    for (y, i) in (app.outline_top..d.clauses.len()).take(inner.height as usize).enumerate() {
        let c = &d.clauses[i];
        let badge = match (c.threads, c.open) {
            (0, _) => String::new(),
            (n, 0) => format!(" ✓{n}"),
            (_, open) => format!(" ●{open}"),
        };
        let indent = "  ".repeat(c.depth.saturating_sub(1).min(4));
        let id = sanitize_line(&c.id);
        let text_w = w.saturating_sub(2 + unicode_width::UnicodeWidthStr::width(badge.as_str()));
        let label = clip(&format!("{indent}{id} {}", c.heading), text_w);
        let mut spans = vec![
            Span::styled(format!("{} ", c.status.marker()), status_color(c.status).bold()),
            Span::styled(label, status_color(c.status)),
        ];
        let used: usize = spans.iter().map(|s| s.width()).sum();
        if !badge.is_empty() {
            spans.push(Span::raw(" ".repeat(w.saturating_sub(used + badge.chars().count()))));
            let st = if c.open > 0 { Style::new().fg(Color::Magenta) } else { DIM };
            spans.push(Span::styled(badge, st));
        }
        let mut line = Line::from(spans);
        if i == app.clause {
            line = line.patch_style(if app.focus == Pane::Outline {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new().add_modifier(Modifier::BOLD).bg(Color::Rgb(40, 44, 52))
            });
        }
        buf.set_line(inner.x, inner.y + y as u16, &line, inner.width);
    }
}

/// The search hits on one side of one row.
fn hits_on(app: &App, row: usize, right: bool) -> RowHits {
    let Some(s) = &app.search else { return vec![] };
    let start = s.hits.partition_point(|h| h.row < row);
    s.hits[start..]
        .iter()
        .enumerate()
        .take_while(|(_, h)| h.row == row)
        .filter(|(_, h)| h.right == right)
        .map(|(k, h)| (h.range.clone(), start + k == s.current))
        .collect()
}

fn texts(app: &App, left: Rect, right: Rect, buf: &mut Buffer) {
    let d = &app.doc;
    let focused = app.focus == Pane::Texts;
    let lb = pane_block(format!(" {} ", clip(&d.left_version, 30)), focused);
    let rb = pane_block(format!(" {} ", clip(&d.right_version, 30)), focused);
    let (li, ri) = (lb.inner(left), rb.inner(right));
    lb.render(left, buf);
    rb.render(right, buf);
    let width = li.width.saturating_sub(GUTTER).max(1) as usize;
    let rwidth = ri.width.saturating_sub(GUTTER).max(1) as usize;
    let sel = app.selection.map(|s| (s.min(app.cursor), s.max(app.cursor)));
    // Both texts scroll sideways together, as they scroll down together; the gutter stays.
    let fit = if app.wrap { Fit::Wrap } else { Fit::Cut { from: app.hscroll } };
    let mut y = 0u16;
    let mut row = app.top;
    while y < li.height && row < d.rows.len() {
        let r = &d.rows[row];
        let ll = render::side_lines(d, row, false, &hits_on(app, row, false), width, fit);
        let rl = render::side_lines(d, row, true, &hits_on(app, row, true), rwidth, fit);
        let h = ll.len().max(rl.len()).max(1) as u16;
        let (lmark, rmark) = match r.tag {
            RowTag::Equal => (' ', ' '),
            RowTag::Delete => ('-', ' '),
            RowTag::Insert => (' ', '+'),
            RowTag::Replace => ('-', '+'),
        };
        let line_style = if sel.is_some_and(|(a, b)| (a..=b).contains(&row)) {
            Some(styles::SELECTED)
        } else if row == app.cursor && focused {
            Some(styles::CURSOR)
        } else {
            None
        };
        for (area, lines, side, mark) in
            [(li, &ll, r.left.as_ref(), lmark), (ri, &rl, r.right.as_ref(), rmark)]
        {
            for k in 0..h {
                if y + k >= area.height {
                    break;
                }
                let yy = area.y + y + k;
                if let Some(st) = line_style {
                    buf.set_style(Rect::new(area.x, yy, area.width, 1), st);
                }
                let gutter = match (k, side) {
                    (0, Some(s)) => format!("{:>5}{mark} ", s.line),
                    (_, Some(_)) => format!("{:>5}  ", "·"),
                    (_, None) => String::new(),
                };
                let gst = match mark {
                    '-' => styles::DELETED,
                    '+' => styles::INSERTED,
                    _ => styles::GUTTER,
                };
                buf.set_stringn(area.x, yy, &gutter, GUTTER as usize, gst);
                if side.is_none() && k == 0 {
                    let fill = "╌".repeat(area.width.saturating_sub(GUTTER) as usize);
                    buf.set_stringn(area.x + GUTTER, yy, &fill, fill.len(), styles::ABSENT);
                }
                if let Some(line) = lines.get(k as usize) {
                    buf.set_line(area.x + GUTTER, yy, line, area.width.saturating_sub(GUTTER));
                }
            }
        }
        y += h;
        row += 1;
    }
    if d.rows.is_empty() {
        Paragraph::new("Both texts are empty.").style(DIM).render(li, buf);
    }
}

/// The thread panel's lines, and the line where each item of [`App::thread_items`] starts.
pub fn thread_panel(app: &App, width: u16) -> (Vec<Line<'static>>, Vec<usize>) {
    let w = width.saturating_sub(2) as usize;
    let d = &app.doc;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut starts = Vec::new();
    if let Some(draft) = &app.draft {
        lines.push(Line::styled(
            clip(&format!("✎ unsent draft: {} (a/r reopens, d deletes)", draft.describe()), w),
            Style::new().fg(Color::Magenta),
        ));
    }
    let items = app.thread_items();
    let here = items.iter().filter(|&&i| d.threads[i].clause.is_some()).count();
    if here == 0 {
        lines.push(Line::styled("No threads on this clause. a starts one.", DIM));
    }
    for (k, &i) in items.iter().enumerate() {
        if k == here && k < items.len() {
            let general = items[here..]
                .iter()
                .filter(|&&i| d.threads[i].anchor == AnchorView::General)
                .count();
            let orphaned = items.len() - here - general;
            let title = match (orphaned, general) {
                (_, 0) => format!("── Orphaned ({orphaned}) ── not found in this version"),
                (0, _) => format!("── General ({general}) ── about the whole review"),
                _ => format!("── Orphaned ({orphaned}) and general ({general})"),
            };
            lines.push(Line::styled(title, Style::new().fg(Color::Red).bold()));
        }
        let t = &d.threads[i];
        starts.push(lines.len());
        let selected = k == app.thread_sel;
        let mut head = vec![
            Span::styled(if selected { "▶ " } else { "  " }, KEY),
            Span::styled(
                if t.open { "open " } else { "resolved " },
                if t.open { Style::new().fg(Color::Magenta) } else { DIM },
            ),
            Span::styled(format!("{} ", sanitize_line(&t.verdict)), verdict_style(&t.verdict)),
        ];
        if !t.criteria.is_empty() {
            head.push(Span::styled(
                format!("[{}] ", sanitize_line(&t.criteria.join(" "))),
                Style::new().fg(Color::Blue),
            ));
        }
        let state = t.anchor.label();
        head.push(Span::styled(format!("{} ", sanitize_line(&t.id)), DIM));
        if !state.is_empty() {
            let where_ = if t.anchor == AnchorView::Orphaned || t.anchor == AnchorView::Moved {
                format!(" (was {} in {})", t.anchored_clause, t.version)
            } else {
                String::new()
            };
            head.push(Span::styled(
                format!("⚑ {state}{}", sanitize_line(&where_)),
                Style::new().fg(Color::Yellow),
            ));
        }
        let mut head = Line::from(head);
        if selected && app.focus == Pane::Threads {
            head = head.patch_style(Style::new().add_modifier(Modifier::BOLD));
        }
        lines.push(head);
        if let Some(q) = &t.quote {
            lines.push(Line::styled(clip(&format!("    “{q}”"), w), Style::new().italic()));
        }
        for c in &t.comments {
            let at = c.at.replace('T', " ");
            let at = at.trim_end_matches('Z').get(..16).unwrap_or(&at).to_string();
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(clip(&c.author, 24), Style::new().fg(Color::Green).bold()),
                Span::styled(format!(" {}", sanitize_line(&at)), DIM),
            ]));
            for para in reflow(&c.body) {
                let safe = sanitize_line(&para);
                for piece in textwrap::wrap(&safe, w.saturating_sub(6).max(10)) {
                    lines.push(Line::raw(format!("      {piece}")));
                }
            }
        }
    }
    (lines, starts)
}

/// Lines of the thread panel scrolled off the top, so the selected thread shows whole when
/// it fits, and from its first line when it does not.
pub fn thread_scroll(app: &App, starts: &[usize], height: usize, total: usize) -> usize {
    let start = starts.get(app.thread_sel).copied().unwrap_or(0);
    let end = starts.get(app.thread_sel + 1).copied().unwrap_or(total);
    end.saturating_sub(height).min(start)
}

/// A comment body as paragraphs: lines hard-wrapped in the file are joined again, so they
/// wrap to the panel's width; blank lines and list items start new paragraphs.
pub fn reflow(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    for line in body.trim_end().split('\n') {
        let t = line.trim_end();
        let item = ["- ", "* ", "> "].iter().any(|m| t.trim_start().starts_with(m))
            || t.trim_start()
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if t.trim().is_empty() {
            if joining {
                out.push(String::new());
            }
            joining = false;
        } else if joining && !item {
            let last = out.last_mut().expect("joining implies a paragraph");
            last.push(' ');
            last.push_str(t.trim_start());
        } else {
            out.push(t.to_string());
            joining = true;
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn verdict_style(v: &str) -> Style {
    match v {
        "conforms" => Style::new().fg(Color::Green),
        "concern" => Style::new().fg(Color::Yellow),
        "conflict" => Style::new().fg(Color::Red).bold(),
        "question" => Style::new().fg(Color::Cyan),
        _ => Style::new(),
    }
}

fn threads(app: &App, area: Rect, buf: &mut Buffer) {
    let d = &app.doc;
    let clause = d.clauses.get(app.clause).map(|c| sanitize_line(&c.id)).unwrap_or_default();
    let title = format!(" Threads · {} ", clip(&clause, 20));
    let block = pane_block(title, app.focus == Pane::Threads);
    let inner = block.inner(area);
    block.render(area, buf);
    let (lines, starts) = thread_panel(app, area.width);
    let h = inner.height as usize;
    let skip = thread_scroll(app, &starts, h, lines.len());
    for (y, line) in lines.iter().skip(skip).take(h).enumerate() {
        buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
    }
}

/// The keys that apply now, for the status line.
pub fn status_keys(app: &App) -> Vec<(&'static str, &'static str)> {
    match &app.mode {
        Mode::Normal => {
            let mut k = vec![("?", "help"), ("q", "quit"), ("Tab", "pane"), ("j/k", "move")];
            if !app.wrap {
                k.push(("</>", "sideways"));
            }
            if app.search.is_some() {
                k.extend([("n/N", "hit"), ("Esc", "end search")]);
            } else {
                k.extend([("n/N", "change"), ("/", "search")]);
            }
            k.extend([(":", "clause"), ("a", "comment")]);
            if app.selected_thread().is_some() {
                k.extend([("r", "reply"), ("x", "resolve"), ("c", "criteria"), ("v", "verdict")]);
            }
            if app.draft.is_some() {
                k.push(("d", "delete draft"));
            }
            k.extend([("V", "select"), ("=", "normalised/exact"), ("w", "wrap"), ("e", "export")]);
            if app.doc.versions.len() > 2 {
                k.push(("s", "versions"));
            }
            k.push(("L", "closest licenses"));
            k
        }
        Mode::Search => vec![("Enter", "keep hits"), ("Esc", "cancel")],
        Mode::Jump => vec![("Enter", "jump"), ("Esc", "cancel")],
        Mode::Editor => vec![("Ctrl+S", "post and save"), ("Esc", "cancel")],
        Mode::Confirm(Question::Recover) | Mode::Confirm(Question::DiscardEdit) => {
            vec![("y", "yes"), ("n", "no"), ("k", "keep for later")]
        }
        Mode::Confirm(_) => vec![("y", "yes"), ("n", "no")],
        Mode::Criteria => {
            vec![("j/k", "move"), ("Space", "tick"), ("Enter", "save"), ("Esc", "cancel")]
        }
        Mode::Verdict | Mode::Versions | Mode::Export => {
            vec![("j/k", "move"), ("Enter", "choose"), ("Esc", "cancel")]
        }
        Mode::Closest => {
            vec![("j/k", "move"), ("Enter", "compare on the left"), ("Esc", "cancel")]
        }
        Mode::Help => vec![("j/k", "scroll"), ("Esc ? q", "close help")],
    }
}

fn status(app: &App, area: Rect, buf: &mut Buffer) {
    let line = match app.mode {
        Mode::Search | Mode::Jump => {
            let p = if app.mode == Mode::Search { "/" } else { ":" };
            let hits = match (&app.search, app.mode == Mode::Search) {
                (Some(s), true) => format!("   {} hits", s.hits.len()),
                _ => String::new(),
            };
            Line::from(vec![
                Span::styled(p, KEY),
                Span::raw(sanitize_line(&app.prompt)),
                Span::styled("█", DIM),
                Span::styled(hits, DIM),
            ])
        }
        _ => {
            let mut spans = Vec::new();
            let mut used = 0;
            for (k, what) in status_keys(app) {
                let piece = format!(" {what}  ");
                let w = unicode_width::UnicodeWidthStr::width(k) + piece.chars().count();
                if used + w > area.width as usize {
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

fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

fn help(app: &App, area: Rect, buf: &mut Buffer) {
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
    let r = popup(area, 96, lines.len() as u16 + 2);
    Clear.render(r, buf);
    let mut block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .title(" Keys · Esc closes ")
        .border_style(FOCUS);
    let h = r.height.saturating_sub(2) as usize;
    if app.help_scroll + h < lines.len() {
        block = block.title_bottom(Line::from(" more below: j ↓ ").right_aligned());
    }
    let inner = block.inner(r);
    block.render(r, buf);
    for (y, line) in lines.iter().skip(app.help_scroll).take(inner.height as usize).enumerate() {
        buf.set_line(inner.x, inner.y + y as u16, line, inner.width);
    }
}

fn editor(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(e) = &app.editor else { return };
    let r = popup(area, (area.width * 3 / 4).max(50), (area.height * 3 / 5).max(10));
    Clear.render(r, buf);
    let title = match &e.target {
        super::action::DraftTarget::NewThread { clause, version, .. } => {
            format!(" New thread on {} ({}) ", sanitize_line(clause), sanitize_line(version))
        }
        super::action::DraftTarget::Reply { thread } => {
            format!(" Reply to {} ", sanitize_line(thread))
        }
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .title(title)
        .title_bottom(Line::from(" Ctrl+S post and save · Esc cancel ").right_aligned())
        .border_style(FOCUS);
    let mut inner = block.inner(r);
    block.render(r, buf);
    if let super::action::DraftTarget::NewThread { quote: Some(q), .. } = &e.target {
        let line = clip(&format!("“{}”", q.text.replace('\n', " ")), inner.width as usize);
        buf.set_stringn(inner.x, inner.y, &line, inner.width as usize, Style::new().italic());
        inner.y += 1;
        inner.height = inner.height.saturating_sub(1);
    }
    let author = format!("as {}", sanitize_line(&app.author));
    buf.set_stringn(inner.x, inner.y, &author, inner.width as usize, DIM);
    inner.y += 1;
    inner.height = inner.height.saturating_sub(1);
    (&e.textarea).render(inner, buf);
}

fn confirm(app: &App, q: &Question, area: Rect, buf: &mut Buffer) {
    let (title, text) = match q {
        Question::Quit => (
            " Quit? ",
            "You have an unsent draft. It stays in the recovery file and is offered next time.\n\
             y quit · n stay"
                .to_string(),
        ),
        Question::DiscardEdit => (
            " Discard? ",
            "Discard what you typed?\ny discard · n keep editing · k keep as unsent draft"
                .to_string(),
        ),
        Question::DeleteDraft => (
            " Delete draft? ",
            format!(
                "Delete your unsent draft ({})?\ny delete · n keep",
                app.draft.as_ref().map(|d| d.describe()).unwrap_or_default()
            ),
        ),
        Question::Recover => (
            " Recovered draft ",
            format!(
                "A draft from an earlier session was found ({}).\ny open it · n discard it · \
                 k keep it for later",
                app.recovered.as_ref().map(|d| sanitize_line(&d.describe())).unwrap_or_default()
            ),
        ),
    };
    let r = popup(area, 64, 6);
    Clear.render(r, buf);
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_type(BorderType::Rounded)
                .title(title)
                .border_style(Style::new().fg(Color::Yellow)),
        )
        .render(r, buf);
}

fn picker(app: &App, area: Rect, buf: &mut Buffer) {
    let mut bottom = None;
    let (title, items): (String, Vec<Line>) = match app.mode {
        Mode::Closest => {
            let (version, matches) = match &app.closest {
                Some(c) => (c.version.as_str(), c.matches.as_slice()),
                None => ("", &[][..]),
            };
            if let Some(best) = matches.first()
                && best.score < f64::from(crate::similarity::SCAN_THRESHOLD)
            {
                bottom = Some(" none is close: not a light edit of a listed license ".to_string());
            }
            let ids: Vec<String> = matches.iter().map(|m| sanitize_line(&m.id)).collect();
            let idw = ids.iter().map(|id| id.chars().count()).max().unwrap_or(0) + 2;
            (
                format!(
                    " SPDX licenses closest to {} · Enter compares one on the left ",
                    clip(version, 24)
                ),
                matches
                    .iter()
                    .zip(ids)
                    .map(|(m, id)| {
                        let mut spans = vec![
                            Span::raw(format!("{:.2}  ", m.score)),
                            Span::styled(format!("{id:<idw$}"), KEY),
                            Span::styled(
                                if m.osi { "OSI  " } else { "     " },
                                Style::new().fg(Color::Green),
                            ),
                            Span::raw(sanitize_line(&m.name)),
                        ];
                        if let Some(v) = &m.version {
                            spans.push(Span::styled(
                                format!("  (version {})", sanitize_line(v)),
                                DIM,
                            ));
                        }
                        Line::from(spans)
                    })
                    .collect(),
            )
        }
        Mode::Criteria => {
            let idw = app.criteria.iter().map(|c| c.id.chars().count()).max().unwrap_or(0) + 2;
            (
                " Criteria · Space ticks · Enter saves ".into(),
                app.criteria
                    .iter()
                    .zip(&app.picker.chosen)
                    .map(|(c, on)| {
                        Line::from(vec![
                            Span::raw(if *on { "[x] " } else { "[ ] " }),
                            Span::styled(format!("{:<idw$}", sanitize_line(&c.id)), KEY),
                            Span::raw(sanitize_line(&c.title)),
                        ])
                    })
                    .collect(),
            )
        }
        Mode::Export => (
            " Export a summary · Enter writes it next to the review ".into(),
            super::app::EXPORT_FORMATS
                .iter()
                .map(|(f, what)| {
                    Line::from(vec![Span::styled(format!("{f:<6}"), KEY), Span::styled(*what, DIM)])
                })
                .collect(),
        ),
        Mode::Verdict => (
            " Verdict · Enter chooses ".into(),
            VERDICTS
                .iter()
                .map(|(v, what)| {
                    Line::from(vec![
                        Span::styled(format!("{v:<10}"), verdict_style(v)),
                        Span::styled(*what, DIM),
                    ])
                })
                .collect(),
        ),
        _ => (
            " Compare · Enter chooses ".into(),
            app.version_pairs()
                .iter()
                .map(|(l, r)| Line::raw(sanitize_line(&format!("{l}  ↔  {r}"))))
                .collect(),
        ),
    };
    let r = popup(area, 80, items.len() as u16 + 2);
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
    let skip = (app.picker.cursor + 1).saturating_sub(h);
    for (y, (i, line)) in items.into_iter().enumerate().skip(skip).take(h).enumerate() {
        let line = if i == app.picker.cursor {
            line.patch_style(Style::new().add_modifier(Modifier::REVERSED))
        } else {
            line
        };
        buf.set_line(inner.x, inner.y + y as u16, &line, inner.width);
    }
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
        use crate::tui::app::{Closest, Mode};
        use crate::tui::doc::LicenseMatch;
        let mut app = app();
        let evil = |s: &str| format!("{s}\u{1b}]0;PWNED\u{7}\u{202e}");
        app.closest = Some(Closest {
            version: evil("right"),
            matches: vec![LicenseMatch {
                id: evil("MIT"),
                name: evil("MIT License"),
                score: 0.987,
                osi: true,
                version: Some(evil("v")),
            }],
        });
        app.mode = Mode::Closest;
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
        app.hscroll = hscroll;
        let text = buffer_text(&draw(app, 100, 30));
        let row: Vec<&str> = text.lines().nth(2).unwrap().split('┃').collect();
        (row[1].to_string(), row[3].to_string())
    }

    #[test]
    fn scrolled_sideways_wide_characters_and_markers_keep_their_columns() {
        let mut app = App::new(wide_doc(), vec![], None);
        type_keys(&mut app, "w");
        app.hscroll = 3;
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
    fn comment_bodies_reflow() {
        let body = "One line\nwrapped here.\n\nSecond para.\n- item one\n- item two\n1. first\n";
        assert_eq!(
            super::reflow(body),
            ["One line wrapped here.", "", "Second para.", "- item one", "- item two", "1. first"]
        );
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
                criteria: vec![],
                quote: Some("q\u{1b}]0;x\u{7}".into()),
                comments: vec![CommentView {
                    id: "c-1".into(),
                    author: "mal\u{1b}[2Jlory".into(),
                    at: "2025-01-01T00:00:00Z".into(),
                    edited_at: None,
                    body: "body \u{9b}6n".into(),
                }],
                events: vec![],
            }],
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
    }
}

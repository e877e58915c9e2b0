//! The workbench state and `update`: the one place where actions change state. No I/O here:
//! whatever touches files or the clock is returned as an [`Effect`].

use std::ops::Range;

use ratatui_textarea::{Input, Key, TextArea, WrapMode};

use super::action::{Action, Draft, DraftTarget, Effect, KeyIn, KeyName, Quote, ReviewChange};
use super::doc::{CriterionView, Document, LicenseMatch};
use super::render::{self, Areas};

/// The pane that has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Outline,
    Texts,
    Threads,
}

/// Questions asked before something that cannot be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Quit while an unsent draft exists.
    Quit,
    /// Esc in the editor after text was typed.
    DiscardEdit,
    /// `d` on the unsent draft.
    DeleteDraft,
    /// A draft from an earlier session was found in the recovery file.
    Recover,
}

/// What the keys currently do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Search,
    Jump,
    Editor,
    Confirm(Question),
    Criteria,
    Verdict,
    Versions,
    Export,
    /// The SPDX licenses closest to the right-hand version (`L`).
    Closest,
    Help,
}

/// A search hit: row, side and byte range in that side's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub row: usize,
    pub right: bool,
    pub range: Range<usize>,
}

/// An active search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    pub query: String,
    /// Sorted by row, left before right.
    pub hits: Vec<Hit>,
    pub current: usize,
}

/// Most hits a search collects, so a one-letter search in a huge text stays quick.
pub const MAX_HITS: usize = 100_000;

/// The comment editor.
#[derive(Debug, Clone)]
pub struct Editor {
    pub textarea: TextArea<'static>,
    pub target: DraftTarget,
    /// The body last written to the recovery file, to write only when it changed.
    pub written: String,
}

impl Editor {
    pub fn body(&self) -> String {
        self.textarea.lines().join("\n")
    }
    fn draft(&self) -> Draft {
        Draft { target: self.target.clone(), body: self.body() }
    }
}

/// A list to pick from (criteria, verdict, versions).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Picker {
    pub cursor: usize,
    /// For the criteria picker: which items are ticked.
    pub chosen: Vec<bool>,
    /// The thread it applies to (criteria, verdict).
    pub thread: String,
}

/// The summary formats `e` offers: the `lrw export` format name and what it is for.
pub const EXPORT_FORMATS: &[(&str, &str)] = &[
    ("md", "Markdown: a repository, an issue, a pull request"),
    ("html", "HTML: one self-contained page, printable"),
    ("txt", "plain text for a mailing list (72 columns)"),
    ("json", "JSON for scripts"),
];

/// The verdicts a thread can carry.
pub const VERDICTS: &[(&str, &str)] = &[
    ("conforms", "the clause meets the criteria"),
    ("concern", "a possible problem, worth discussing"),
    ("conflict", "the clause conflicts with a criterion"),
    ("question", "a question to the license author"),
    ("note", "a remark, no judgement"),
];

/// Columns `<` and `>` scroll the texts sideways by, and the horizontal wheel.
pub const PAN_STEP: usize = 8;
pub const WHEEL_PAN_STEP: usize = 4;

/// How many of the closest SPDX licenses `L` lists.
pub const CLOSEST_TOP: usize = 10;

/// The SPDX licenses closest to a version, as the `L` picker shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    /// The version they were ranked against (the right-hand one).
    pub version: String,
    /// Best first.
    pub matches: Vec<LicenseMatch>,
}

/// The workbench.
#[derive(Debug, Clone)]
pub struct App {
    pub doc: Document,
    pub criteria: Vec<CriterionView>,
    pub mode: Mode,
    pub focus: Pane,
    /// Row of the text cursor, index into `doc.rows`.
    pub cursor: usize,
    /// First row shown in the texts.
    pub top: usize,
    /// Selected clause pair (index into `doc.clauses`) and the outline's first visible entry.
    pub clause: usize,
    pub outline_top: usize,
    /// Selected entry of the thread panel's list (see [`App::thread_items`]).
    pub thread_sel: usize,
    /// First row of a line selection (`V`), the cursor being the other end.
    pub selection: Option<usize>,
    pub search: Option<Search>,
    /// Text of the `/` or `:` prompt being typed.
    pub prompt: String,
    pub editor: Option<Editor>,
    /// An unsent draft kept for later (not being edited).
    pub draft: Option<Draft>,
    /// A draft found in the recovery file at start, offered back.
    pub recovered: Option<Draft>,
    /// A posted comment waiting for the save result, kept so a failed save loses nothing.
    pub posting: Option<Draft>,
    pub picker: Picker,
    /// The last ranking of the closest SPDX licenses (`L`).
    pub closest: Option<Closest>,
    /// The version a ranking (`L`) is running for, in the background: its result is taken
    /// only while this names it (see [`Action::Ranked`]).
    pub ranking: Option<String>,
    /// A ranking that arrived while something else had the keys (the editor, a prompt, a
    /// picker, help): `L` shows it.
    pub ranked: Option<Closest>,
    /// A comparison to ask for once the change being saved is saved (a license picked with
    /// `L` is compared after it was added to the review as a version).
    pub after_save: Option<Effect>,
    /// What the status line says when the next comparison arrives, instead of "Comparing…".
    pub compare_note: Option<String>,
    pub wrap: bool,
    /// First display column shown of the texts' lines when not wrapping (both texts scroll
    /// sideways together; the line numbers stay).
    pub hscroll: usize,
    pub width: u16,
    pub height: u16,
    pub help_scroll: usize,
    /// The last message for the status line, and whether it reports a failure.
    pub message: Option<(String, bool)>,
    pub author: String,
    /// Screen lines of rows measured so far, for the text width they were measured at:
    /// scrolling then costs a lookup instead of wrapping the same rows again.
    heights: std::collections::HashMap<usize, usize>,
    heights_width: usize,
}

impl App {
    /// A workbench on `doc`; `recovered` is a draft found in the recovery file.
    pub fn new(doc: Document, criteria: Vec<CriterionView>, recovered: Option<Draft>) -> App {
        let mode =
            if recovered.is_some() { Mode::Confirm(Question::Recover) } else { Mode::Normal };
        let mut app = App {
            doc,
            criteria,
            mode,
            focus: Pane::Texts,
            cursor: 0,
            top: 0,
            clause: 0,
            outline_top: 0,
            thread_sel: 0,
            selection: None,
            search: None,
            prompt: String::new(),
            editor: None,
            draft: None,
            recovered,
            posting: None,
            picker: Picker::default(),
            closest: None,
            ranking: None,
            ranked: None,
            after_save: None,
            compare_note: None,
            wrap: true,
            hscroll: 0,
            width: 100,
            height: 30,
            help_scroll: 0,
            message: None,
            author: String::new(),
            heights: std::collections::HashMap::new(),
            heights_width: 0,
        };
        app.sync_clause_from_cursor();
        app
    }

    /// The screen layout for the current size.
    pub fn areas(&self) -> Areas {
        render::areas(self.width, self.height, !self.doc.warnings.is_empty())
    }

    /// Threads listed in the thread panel: those of the selected clause, then the orphaned
    /// ones (indices into `doc.threads`).
    pub fn thread_items(&self) -> Vec<usize> {
        let here =
            self.doc.threads.iter().enumerate().filter(|(_, t)| t.clause == Some(self.clause));
        let orphaned = self.doc.threads.iter().enumerate().filter(|(_, t)| t.clause.is_none());
        here.chain(orphaned).map(|(i, _)| i).collect()
    }

    /// The selected thread (index into `doc.threads`).
    pub fn selected_thread(&self) -> Option<usize> {
        self.thread_items().get(self.thread_sel).copied()
    }

    /// Whether quitting now would leave an unsent draft behind.
    pub fn has_draft(&self) -> bool {
        self.draft.is_some() || self.editor.as_ref().is_some_and(|e| !e.body().trim().is_empty())
    }

    fn say(&mut self, msg: impl Into<String>) {
        self.message = Some((msg.into(), false));
    }

    fn warn(&mut self, msg: impl Into<String>) {
        self.message = Some((msg.into(), true));
    }

    /// Screen lines row `r` takes at text width `w` (cached).
    fn row_h(&mut self, r: usize, w: usize) -> usize {
        if !self.wrap {
            return 1;
        }
        if self.heights_width != w {
            self.heights.clear();
            self.heights_width = w;
        }
        if let Some(&h) = self.heights.get(&r) {
            return h;
        }
        let h = render::row_height(&self.doc, r, w, true);
        if self.heights.len() >= 50_000 {
            self.heights.clear();
        }
        self.heights.insert(r, h);
        h
    }

    // ---- movement ---------------------------------------------------------------------

    fn sync_clause_from_cursor(&mut self) {
        if let Some(c) = self.doc.clause_at_row(self.cursor)
            && c != self.clause
        {
            self.clause = c;
            self.thread_sel = 0;
        }
        self.keep_outline_visible();
    }

    fn keep_outline_visible(&mut self) {
        let h = self.areas().outline_height().max(1);
        if self.clause < self.outline_top {
            self.outline_top = self.clause;
        } else if self.clause >= self.outline_top + h {
            self.outline_top = self.clause + 1 - h;
        }
    }

    /// Move the text cursor to `row` and scroll so it is visible.
    fn set_cursor(&mut self, row: usize) {
        let last = self.doc.rows.len().saturating_sub(1);
        self.cursor = row.min(last);
        self.keep_cursor_visible();
        self.sync_clause_from_cursor();
    }

    /// Move the cursor to `row` and show it near the top of the texts, with a line of context.
    fn jump_to_row(&mut self, row: usize, context: usize) {
        let last = self.doc.rows.len().saturating_sub(1);
        self.cursor = row.min(last);
        self.top = self.cursor.saturating_sub(context);
        self.keep_cursor_visible();
        self.sync_clause_from_cursor();
    }

    /// Scroll the least so the cursor row is on screen. Walks at most one screen of rows.
    fn keep_cursor_visible(&mut self) {
        let a = self.areas();
        let (h, w) = (a.text_height().max(1), a.text_width());
        if self.cursor < self.top {
            self.top = self.cursor;
            return;
        }
        if self.cursor - self.top >= h {
            self.top = self.cursor + 1 - h;
        }
        let mut used = 0;
        for r in self.top..=self.cursor {
            used += self.row_h(r, w);
        }
        while used > h && self.top < self.cursor {
            used -= self.row_h(self.top, w);
            self.top += 1;
        }
    }

    fn select_clause(&mut self, i: usize) {
        let Some(c) = self.doc.clauses.get(i) else { return };
        let row = c.row;
        self.clause = i;
        self.thread_sel = 0;
        self.jump_to_row(row, 0);
        self.clause = i;
        self.keep_outline_visible();
    }

    fn move_by(&mut self, delta: isize) {
        match self.focus {
            Pane::Outline => {
                let n = self.doc.clauses.len();
                if n > 0 {
                    let i = (self.clause as isize + delta).clamp(0, n as isize - 1) as usize;
                    self.select_clause(i);
                }
            }
            Pane::Texts => {
                let row = (self.cursor as isize + delta).max(0) as usize;
                self.set_cursor(row);
            }
            Pane::Threads => {
                let n = self.thread_items().len();
                if n > 0 {
                    self.thread_sel =
                        (self.thread_sel as isize + delta).clamp(0, n as isize - 1) as usize;
                }
            }
        }
    }

    fn page(&self) -> isize {
        let a = self.areas();
        match self.focus {
            Pane::Outline => a.outline_height().max(2) as isize - 1,
            _ => 5,
        }
    }

    /// Scroll the texts by `delta` rows, keeping the cursor on screen.
    fn scroll_texts(&mut self, delta: isize) {
        let last = self.doc.rows.len().saturating_sub(1);
        self.top = ((self.top as isize + delta).max(0) as usize).min(last);
        self.cursor_into_view();
    }

    /// Scroll the texts by a screenful of lines (not rows: a wrapped row counts its lines).
    fn page_texts(&mut self, down: bool) {
        let a = self.areas();
        let (h, w) = (a.text_height().max(2), a.text_width());
        let mut r = self.top;
        let mut used = 0;
        if down {
            let last = self.doc.rows.len().saturating_sub(1);
            while r < last && used + self.row_h(r, w) < h {
                used += self.row_h(r, w);
                r += 1;
            }
            if r == self.top && r < last {
                r += 1; // one row taller than the screen
            }
        } else {
            while r > 0 && used + self.row_h(r - 1, w) < h {
                used += self.row_h(r - 1, w);
                r -= 1;
            }
            if r == self.top && r > 0 {
                r -= 1;
            }
        }
        self.top = r;
        self.cursor_into_view();
    }

    /// Move the cursor onto the screen after a scroll.
    fn cursor_into_view(&mut self) {
        let a = self.areas();
        let (h, w) = (a.text_height().max(1), a.text_width());
        if self.cursor < self.top {
            self.cursor = self.top;
        } else {
            // The last row that starts on screen.
            let mut used = 0;
            let mut last_visible = self.top;
            let mut r = self.top;
            while r < self.doc.rows.len() && used < h {
                last_visible = r;
                used += self.row_h(r, w);
                r += 1;
            }
            if self.cursor > last_visible {
                self.cursor = last_visible;
            }
        }
        self.sync_clause_from_cursor();
    }

    /// Scroll the texts sideways by `delta` columns. Not past the point where the widest
    /// line on screen ends (but an offset already beyond, after moving to shorter lines, is
    /// kept until scrolling left, which starts from that end).
    fn pan(&mut self, delta: isize) {
        let max = self.widest_overflow();
        self.hscroll = if delta < 0 {
            self.hscroll.min(max).saturating_sub(delta.unsigned_abs())
        } else {
            (self.hscroll + delta as usize).min(max.max(self.hscroll))
        };
    }

    /// How far the widest line on screen runs past its text column, in display columns.
    fn widest_overflow(&self) -> usize {
        let a = self.areas();
        let widths = [
            a.left.width.saturating_sub(2 + render::GUTTER) as usize,
            a.right.width.saturating_sub(2 + render::GUTTER) as usize,
        ];
        let rows = self.top..(self.top + a.text_height()).min(self.doc.rows.len());
        rows.flat_map(|r| {
            [false, true].map(|right| {
                render::line_width(&self.doc, r, right).saturating_sub(widths[right as usize])
            })
        })
        .max()
        .unwrap_or(0)
    }

    // ---- search -----------------------------------------------------------------------

    fn run_search(&mut self, query: &str) -> Search {
        let mut hits = Vec::new();
        if !query.is_empty() {
            'rows: for (i, row) in self.doc.rows.iter().enumerate() {
                for (right, side) in [(false, &row.left), (true, &row.right)] {
                    let Some(side) = side else { continue };
                    let line = self.doc.side_text(right, side);
                    for range in find_all(line, query) {
                        hits.push(Hit { row: i, right, range });
                        if hits.len() >= MAX_HITS {
                            break 'rows;
                        }
                    }
                }
            }
        }
        Search { query: query.to_string(), hits, current: 0 }
    }

    fn goto_hit(&mut self, forward: bool) {
        let Some(s) = &mut self.search else { return };
        if s.hits.is_empty() {
            return;
        }
        let n = s.hits.len();
        s.current = if forward { (s.current + 1) % n } else { (s.current + n - 1) % n };
        let row = s.hits[s.current].row;
        self.move_cursor_to(row);
        self.show_hit_columns();
    }

    /// Without wrapping: scroll sideways, if need be, so the current search hit shows whole,
    /// with some of the line before it.
    fn show_hit_columns(&mut self) {
        let hit = self.search.as_ref().and_then(|s| s.hits.get(s.current));
        let Some(Hit { row, right, range }) = hit.cloned() else { return };
        if self.wrap {
            return;
        }
        let a = self.areas();
        let pane = if right { a.right } else { a.left };
        let w = pane.width.saturating_sub(2 + render::GUTTER) as usize;
        let start = render::column_of(&self.doc, row, right, range.start);
        let end = render::column_of(&self.doc, row, right, range.end);
        if start >= self.hscroll && end <= self.hscroll + w {
            return;
        }
        let line_w = render::line_width(&self.doc, row, right);
        self.hscroll = if end <= w { 0 } else { start.saturating_sub(w / 4).min(line_w - w) };
    }

    /// Move the cursor to `row`: keep the scroll if it is on screen, else show it near the top.
    fn move_cursor_to(&mut self, row: usize) {
        let h = self.areas().text_height();
        if row >= self.top && row < self.top + h / 2 {
            self.set_cursor(row);
        } else {
            self.jump_to_row(row, 2);
        }
    }

    fn goto_change(&mut self, forward: bool) {
        let starts = &self.doc.change_starts;
        let target = if forward {
            starts.iter().copied().find(|&r| r > self.cursor)
        } else {
            starts.iter().rev().copied().find(|&r| r < self.cursor)
        };
        match target {
            Some(r) => self.move_cursor_to(r),
            None if starts.is_empty() => self.say("No changes between these versions"),
            None => self.say(if forward { "No change below" } else { "No change above" }),
        }
    }

    // ---- annotating -------------------------------------------------------------------

    /// The target of a new thread: the selected lines, else the current search hit, else the
    /// selected clause.
    fn new_thread_target(&self) -> Option<DraftTarget> {
        let doc = &self.doc;
        if let Some(anchor) = self.selection {
            let (a, b) = (anchor.min(self.cursor), anchor.max(self.cursor));
            let right_has = (a..=b).any(|r| doc.rows.get(r).is_some_and(|r| r.right.is_some()));
            let side_lines: Vec<usize> = (a..=b)
                .filter_map(|r| {
                    let row = doc.rows.get(r)?;
                    let side = if right_has { &row.right } else { &row.left };
                    side.as_ref().map(|s| s.line)
                })
                .collect();
            let clause = (a..=b).find_map(|r| doc.clause_at_row(r))?;
            let quote = match (side_lines.first(), side_lines.last()) {
                (Some(&first), Some(&last)) => lines_quote(doc, right_has, first, last),
                _ => None,
            };
            return self.target_on(clause, right_has, quote);
        }
        if let Some(s) = &self.search
            && let Some(hit) = s.hits.get(s.current)
        {
            let row = doc.rows.get(hit.row)?;
            let side = if hit.right { row.right.as_ref() } else { row.left.as_ref() }?;
            let text = doc.side_text(hit.right, side).get(hit.range.clone())?.to_string();
            let quote = Quote { text, line: side.line, start: hit.range.start };
            let clause = doc.clause_at_row(hit.row)?;
            return self.target_on(clause, hit.right, Some(quote));
        }
        let c = doc.clauses.get(self.clause)?;
        self.target_on(self.clause, c.right_id.is_some(), None)
    }

    fn target_on(&self, clause: usize, right: bool, quote: Option<Quote>) -> Option<DraftTarget> {
        let c = self.doc.clauses.get(clause)?;
        let (version, id) = match (right, &c.right_id, &c.left_id) {
            (true, Some(id), _) | (false, Some(id), None) => (&self.doc.right_version, id),
            (_, _, Some(id)) => (&self.doc.left_version, id),
            (_, None, None) => return None,
        };
        let quote = quote.filter(|q| !q.text.trim().is_empty());
        Some(DraftTarget::NewThread { version: version.clone(), clause: id.clone(), quote })
    }

    fn open_editor(&mut self, target: DraftTarget, body: &str) {
        let mut textarea = TextArea::new(body.split('\n').map(str::to_string).collect());
        textarea.set_wrap_mode(WrapMode::Word);
        textarea.move_cursor(ratatui_textarea::CursorMove::Bottom);
        textarea.move_cursor(ratatui_textarea::CursorMove::End);
        self.editor = Some(Editor { textarea, target, written: body.to_string() });
        self.mode = Mode::Editor;
    }

    /// Reopen the unsent draft, if there is one. Returns whether it did.
    fn reopen_draft(&mut self) -> bool {
        let Some(d) = self.draft.take() else { return false };
        self.say(format!("Your unsent draft ({}) reopened", d.describe()));
        self.open_editor(d.target, &d.body);
        true
    }

    fn apply_change(&mut self, change: ReviewChange) -> Vec<Effect> {
        self.say("Saving…");
        vec![Effect::Apply(change)]
    }

    // ---- update -----------------------------------------------------------------------

    /// Apply one action. Pure: the returned effects are for the runtime to perform.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // Results and size changes apply in every mode.
        match action {
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                self.keep_cursor_visible();
                self.keep_outline_visible();
                return vec![];
            }
            Action::Tick => return self.tick(),
            Action::Saved { message, threads } => {
                let new_thread = matches!(
                    self.posting,
                    Some(Draft { target: DraftTarget::NewThread { .. }, .. })
                );
                self.doc.threads = threads;
                self.doc.count_threads();
                self.say(message);
                if new_thread {
                    let here = self
                        .thread_items()
                        .iter()
                        .filter(|&&i| self.doc.threads[i].clause == Some(self.clause))
                        .count();
                    self.thread_sel = here.saturating_sub(1);
                }
                self.thread_sel = self.thread_sel.min(self.thread_items().len().saturating_sub(1));
                let mut fx = if self.posting.take().is_some() {
                    vec![Effect::WriteDraft(None)]
                } else {
                    vec![]
                };
                if let Some(next) = self.after_save.take() {
                    self.compare_note = self.message.as_ref().map(|m| m.0.clone());
                    fx.push(next);
                }
                return fx;
            }
            Action::Failed { message } => {
                self.after_save = None;
                self.compare_note = None;
                if let Some(d) = self.posting.take() {
                    self.warn(format!(
                        "{message}. Your text is kept as an unsent draft: a or r reopens it"
                    ));
                    self.draft = Some(d.clone());
                    return vec![Effect::WriteDraft(Some(d))];
                }
                self.warn(message);
                return vec![];
            }
            Action::Compared(doc) => {
                self.replace_doc(*doc);
                if let Some(note) = self.compare_note.take() {
                    self.say(note);
                }
                return vec![];
            }
            Action::Exported { message } => {
                self.say(message);
                return vec![];
            }
            Action::Ranked { version, matches } => {
                self.ranked_arrived(Closest { version, matches });
                return vec![];
            }
            Action::RankFailed { version, message } => {
                if self.ranking.as_ref() == Some(&version) {
                    self.ranking = None;
                    self.warn(message);
                }
                return vec![];
            }
            _ => {}
        }
        match self.mode.clone() {
            Mode::Normal => self.normal(action),
            Mode::Search | Mode::Jump => self.prompt_mode(action),
            Mode::Editor => self.editor_mode(action),
            Mode::Confirm(q) => self.confirm(q, action),
            Mode::Criteria | Mode::Verdict | Mode::Versions | Mode::Export | Mode::Closest => {
                self.picker_mode(action)
            }
            Mode::Help => {
                match action {
                    Action::Down => self.help_scroll += 1,
                    Action::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
                    Action::PageDown => self.help_scroll += 10,
                    Action::PageUp => self.help_scroll = self.help_scroll.saturating_sub(10),
                    Action::Help | Action::Escape => self.mode = Mode::Normal,
                    Action::Quit => return self.quit(),
                    _ => {}
                }
                self.help_scroll = self.help_scroll.min(super::keymap::HELP.len());
                vec![]
            }
        }
    }

    fn tick(&mut self) -> Vec<Effect> {
        if let Some(e) = &mut self.editor {
            let body = e.body();
            if body != e.written {
                e.written = body;
                return vec![Effect::WriteDraft(Some(e.draft()))];
            }
        }
        vec![]
    }

    fn quit(&mut self) -> Vec<Effect> {
        if self.has_draft() {
            self.mode = Mode::Confirm(Question::Quit);
            vec![]
        } else {
            vec![Effect::Quit]
        }
    }

    fn normal(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => return self.quit(),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => {
                if self.focus == Pane::Texts {
                    self.page_texts(false);
                } else {
                    self.move_by(-self.page());
                }
            }
            Action::PageDown => {
                if self.focus == Pane::Texts {
                    self.page_texts(true);
                } else {
                    self.move_by(self.page());
                }
            }
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::FocusNext | Action::FocusPrev => {
                let order = [Pane::Outline, Pane::Texts, Pane::Threads];
                let i = order.iter().position(|p| *p == self.focus).unwrap_or(1);
                let step = if action == Action::FocusNext { 1 } else { 2 };
                self.focus = order[(i + step) % 3];
            }
            Action::Next | Action::Prev => {
                let forward = action == Action::Next;
                if self.search.as_ref().is_some_and(|s| !s.hits.is_empty()) {
                    self.goto_hit(forward);
                } else {
                    self.goto_change(forward);
                }
            }
            Action::Search => {
                self.prompt.clear();
                self.mode = Mode::Search;
            }
            Action::Jump => {
                self.prompt.clear();
                self.mode = Mode::Jump;
            }
            Action::Escape => {
                if self.selection.take().is_some() {
                    self.say("Selection cleared");
                } else if self.search.take().is_some() {
                    self.say("Search cleared");
                } else {
                    self.message = None;
                }
            }
            Action::ToggleNormalized => {
                let normalized = !self.doc.normalized;
                self.say(if normalized {
                    "Comparing normalised…"
                } else {
                    "Comparing exactly…"
                });
                return vec![Effect::Compare {
                    left: self.doc.left_version.clone(),
                    right: self.doc.right_version.clone(),
                    normalized,
                }];
            }
            Action::ToggleWrap => {
                self.wrap = !self.wrap;
                // Wrapped lines show whole; unwrapping again starts at the first column.
                self.hscroll = 0;
                self.keep_cursor_visible();
            }
            Action::PanLeft | Action::PanRight | Action::PanStart if self.wrap => {
                self.say("Lines are wrapped, nothing to scroll sideways: w turns wrapping off");
            }
            Action::PanLeft => self.pan(-(PAN_STEP as isize)),
            Action::PanRight => self.pan(PAN_STEP as isize),
            Action::PanStart => self.hscroll = 0,
            // Quietly nothing when wrapping: a touchpad sends these by the way.
            Action::ScrollLeft { column, row } | Action::ScrollRight { column, row }
                if !self.wrap && self.pane_at(column, row) == Some(Pane::Texts) =>
            {
                let step = WHEEL_PAN_STEP as isize;
                let left = matches!(action, Action::ScrollLeft { .. });
                self.pan(if left { -step } else { step });
            }
            Action::Help => {
                self.help_scroll = 0;
                self.mode = Mode::Help;
            }
            Action::SelectLines => {
                let was_selecting = self.selection.take().is_some();
                if !was_selecting {
                    self.selection = Some(self.cursor);
                    self.focus = Pane::Texts;
                    self.say("Selecting lines: j/k extend, a comments on them, V or Esc ends");
                }
            }
            Action::NewThread => {
                if self.reopen_draft() {
                    return vec![];
                }
                match self.new_thread_target() {
                    Some(t) => {
                        self.selection = None;
                        self.open_editor(t, "");
                    }
                    None => self.warn("No clause here to comment on"),
                }
            }
            Action::Reply => {
                if self.reopen_draft() {
                    return vec![];
                }
                match self.selected_thread() {
                    Some(i) => {
                        let thread = self.doc.threads[i].id.clone();
                        self.open_editor(DraftTarget::Reply { thread }, "");
                    }
                    None => self.warn("No thread selected: a starts a new thread"),
                }
            }
            Action::ToggleResolved => {
                let Some(i) = self.selected_thread() else {
                    self.warn("No thread selected");
                    return vec![];
                };
                // The thread changes on screen when the save succeeds (the threads come back
                // with `Saved`): a failed save leaves it as the file says.
                let t = &self.doc.threads[i];
                let change = ReviewChange::SetStatus { thread: t.id.clone(), open: !t.open };
                return self.apply_change(change);
            }
            Action::Criteria => {
                let Some(i) = self.selected_thread() else {
                    self.warn("No thread selected");
                    return vec![];
                };
                if self.criteria.is_empty() {
                    self.warn("No criteria sets are available");
                    return vec![];
                }
                let t = &self.doc.threads[i];
                let chosen = self.criteria.iter().map(|c| t.criteria.contains(&c.id)).collect();
                self.picker = Picker { cursor: 0, chosen, thread: t.id.clone() };
                self.mode = Mode::Criteria;
            }
            Action::Verdict => {
                let Some(i) = self.selected_thread() else {
                    self.warn("No thread selected");
                    return vec![];
                };
                let t = &self.doc.threads[i];
                let cursor = VERDICTS.iter().position(|(v, _)| *v == t.verdict).unwrap_or(0);
                self.picker = Picker { cursor, chosen: vec![], thread: t.id.clone() };
                self.mode = Mode::Verdict;
            }
            Action::DeleteDraft => {
                if self.draft.is_some() {
                    self.mode = Mode::Confirm(Question::DeleteDraft);
                } else {
                    self.say("No unsent draft to delete");
                }
            }
            Action::Export => {
                self.picker = Picker { cursor: 0, chosen: vec![], thread: String::new() };
                self.mode = Mode::Export;
            }
            Action::Closest => {
                let version = self.doc.right_version.clone();
                if let Some(c) = self.ranked.take() {
                    // Arrived while the user was busy; kept for this version only.
                    self.show_closest(c.version, c.matches);
                    return vec![];
                }
                self.say(ranking_note(&version));
                if self.ranking.as_ref() == Some(&version) {
                    return vec![]; // still running: its result will do
                }
                self.ranking = Some(version.clone());
                return vec![Effect::Rank { version, top: CLOSEST_TOP }];
            }
            Action::Versions => {
                if self.doc.versions.len() < 2 {
                    self.say("This review has only one version");
                } else {
                    let pairs = self.version_pairs();
                    let cursor = pairs
                        .iter()
                        .position(|(l, r)| {
                            *l == self.doc.left_version && *r == self.doc.right_version
                        })
                        .unwrap_or(0);
                    self.picker = Picker { cursor, chosen: vec![], thread: String::new() };
                    self.mode = Mode::Versions;
                }
            }
            Action::ScrollUp { column, row } | Action::ScrollDown { column, row } => {
                let d = if matches!(action, Action::ScrollUp { .. }) { -3 } else { 3 };
                match self.pane_at(column, row) {
                    Some(Pane::Texts) => self.scroll_texts(d),
                    Some(Pane::Outline) => {
                        let n = self.doc.clauses.len();
                        let h = self.areas().outline_height();
                        self.outline_top = ((self.outline_top as isize + d).max(0) as usize)
                            .min(n.saturating_sub(h));
                    }
                    Some(Pane::Threads) => {
                        let saved = self.focus;
                        self.focus = Pane::Threads;
                        self.move_by(d.signum());
                        self.focus = saved;
                    }
                    None => {}
                }
            }
            Action::Click { column, row } => self.click(column, row),
            _ => {}
        }
        vec![]
    }

    /// Every ordered pair of distinct versions, for the versions picker.
    pub fn version_pairs(&self) -> Vec<(String, String)> {
        let v = &self.doc.versions;
        let mut out = Vec::new();
        for l in v {
            for r in v {
                if l != r {
                    out.push((l.clone(), r.clone()));
                }
            }
        }
        out
    }

    fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let a = self.areas();
        let pos = ratatui::layout::Position { x: column, y: row };
        if a.outline.contains(pos) {
            Some(Pane::Outline)
        } else if a.left.contains(pos) || a.right.contains(pos) {
            Some(Pane::Texts)
        } else if a.threads.contains(pos) {
            Some(Pane::Threads)
        } else {
            None
        }
    }

    fn click(&mut self, column: u16, row: u16) {
        let a = self.areas();
        let Some(pane) = self.pane_at(column, row) else { return };
        self.focus = pane;
        match pane {
            Pane::Outline => {
                let line = row.saturating_sub(a.outline.y + 1) as usize;
                let i = self.outline_top + line;
                if i < self.doc.clauses.len() && row > a.outline.y {
                    self.select_clause(i);
                }
            }
            Pane::Texts => {
                if row <= a.left.y {
                    return;
                }
                let mut y = (row - a.left.y - 1) as usize;
                let w = a.text_width();
                let mut r = self.top;
                while r < self.doc.rows.len() {
                    let h = self.row_h(r, w);
                    if y < h {
                        self.set_cursor(r);
                        return;
                    }
                    y -= h;
                    r += 1;
                }
            }
            Pane::Threads => {
                let (lines, starts) = super::view::thread_panel(self, a.threads.width);
                let skip =
                    super::view::thread_scroll(self, &starts, a.threads_height(), lines.len());
                let line = row.saturating_sub(a.threads.y + 1) as usize + skip;
                if let Some(i) = starts.iter().rposition(|&s| s <= line) {
                    self.thread_sel = i;
                }
            }
        }
    }

    fn prompt_mode(&mut self, action: Action) -> Vec<Effect> {
        let searching = self.mode == Mode::Search;
        match action {
            Action::Input(k) => {
                match k.key {
                    KeyName::Char('u') if k.ctrl => self.prompt.clear(),
                    KeyName::Char(c) if !k.ctrl && !k.alt => self.prompt.push(c),
                    KeyName::Backspace => {
                        let popped = self.prompt.pop();
                        if popped.is_none() {
                            self.mode = Mode::Normal;
                        }
                    }
                    _ => {}
                }
                if searching {
                    // Incremental: show hits while typing.
                    let s = self.run_search(&self.prompt.clone());
                    self.search = if s.query.is_empty() { None } else { Some(s) };
                    self.first_hit_from_cursor(false);
                }
            }
            Action::Paste(text) => {
                self.prompt.extend(text.chars().filter(|c| !c.is_control()));
            }
            Action::Submit => {
                self.mode = Mode::Normal;
                let query = std::mem::take(&mut self.prompt);
                if searching {
                    let s = self.run_search(&query);
                    let n = s.hits.len();
                    if query.is_empty() {
                        self.search = None;
                    } else if n == 0 {
                        self.search = None;
                        self.warn(format!("Not found: {}", crate::text::sanitize_line(&query)));
                    } else {
                        self.search = Some(s);
                        self.first_hit_from_cursor(true);
                        let more = if n >= MAX_HITS { "+" } else { "" };
                        self.say(format!("{n}{more} hits: n / N move between them, Esc clears"));
                    }
                } else {
                    match self.doc.find_clause(&query) {
                        Some(i) => {
                            self.select_clause(i);
                            let id = self.doc.clauses[i].id.clone();
                            self.say(format!("Clause {}", crate::text::sanitize_line(&id)));
                        }
                        None => self.warn(format!(
                            "No clause {} in either version",
                            crate::text::sanitize_line(&query)
                        )),
                    }
                }
            }
            Action::Escape => {
                self.prompt.clear();
                self.mode = Mode::Normal;
                if searching {
                    self.search = None;
                }
            }
            _ => {}
        }
        vec![]
    }

    fn first_hit_from_cursor(&mut self, jump: bool) {
        let Some(s) = &mut self.search else { return };
        if s.hits.is_empty() {
            return;
        }
        let cursor = self.cursor;
        s.current = s.hits.iter().position(|h| h.row >= cursor).unwrap_or(0);
        let row = s.hits[s.current].row;
        if jump {
            self.move_cursor_to(row);
            self.show_hit_columns();
        }
    }

    fn editor_mode(&mut self, action: Action) -> Vec<Effect> {
        let Some(editor) = &mut self.editor else {
            self.mode = Mode::Normal;
            return vec![];
        };
        match action {
            Action::Input(k) => {
                editor.textarea.input(to_input(&k));
            }
            Action::Paste(text) => {
                let clean: String = text
                    .replace("\r\n", "\n")
                    .chars()
                    .map(|c| if c == '\t' { ' ' } else { c })
                    .filter(|&c| c == '\n' || !c.is_control())
                    .collect();
                editor.textarea.insert_str(clean);
            }
            Action::Submit => {
                let body = editor.body().trim_end().to_string();
                if body.trim().is_empty() {
                    self.warn("Nothing to post: type a comment, or Esc to cancel");
                    return vec![];
                }
                let draft = Draft { target: editor.target.clone(), body: body.clone() };
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
                self.editor = None;
                self.posting = Some(draft);
                self.mode = Mode::Normal;
                return self.apply_change(change);
            }
            Action::Escape => {
                if editor.body().trim().is_empty() {
                    self.editor = None;
                    self.mode = Mode::Normal;
                    self.say("Cancelled");
                    return vec![Effect::WriteDraft(None)];
                }
                self.mode = Mode::Confirm(Question::DiscardEdit);
            }
            Action::Quit => return self.quit(),
            _ => {}
        }
        vec![]
    }

    fn confirm(&mut self, q: Question, action: Action) -> Vec<Effect> {
        let (yes, no, keep) = (action == Action::Yes, action == Action::No, action == Action::Keep);
        if !(yes || no || keep) {
            return vec![];
        }
        match q {
            Question::Quit => {
                if yes {
                    let draft = self.editor.as_ref().map(Editor::draft).or(self.draft.clone());
                    return vec![Effect::WriteDraft(draft), Effect::Quit];
                }
                self.mode = if self.editor.is_some() { Mode::Editor } else { Mode::Normal };
            }
            Question::DiscardEdit => {
                if yes {
                    self.editor = None;
                    self.mode = Mode::Normal;
                    self.say("Draft discarded");
                    return vec![Effect::WriteDraft(None)];
                } else if keep {
                    let d = self.editor.take().map(|e| e.draft());
                    self.draft = d.clone();
                    self.mode = Mode::Normal;
                    self.say("Draft kept, unsent: a or r reopens it, d deletes it");
                    return vec![Effect::WriteDraft(d)];
                }
                self.mode = Mode::Editor;
            }
            Question::DeleteDraft => {
                self.mode = Mode::Normal;
                if yes {
                    self.draft = None;
                    self.say("Draft deleted");
                    return vec![Effect::WriteDraft(None)];
                }
            }
            Question::Recover => {
                let d = self.recovered.take();
                self.mode = Mode::Normal;
                if let Some(d) = d {
                    if yes {
                        self.open_editor(d.target, &d.body);
                    } else if keep {
                        self.draft = Some(d);
                        self.say("Draft kept, unsent: a or r reopens it, d deletes it");
                    } else {
                        self.say("Recovered draft discarded");
                        return vec![Effect::WriteDraft(None)];
                    }
                }
            }
        }
        vec![]
    }

    fn picker_len(&self) -> usize {
        match self.mode {
            Mode::Criteria => self.criteria.len(),
            Mode::Verdict => VERDICTS.len(),
            Mode::Versions => self.version_pairs().len(),
            Mode::Export => EXPORT_FORMATS.len(),
            Mode::Closest => self.closest.as_ref().map_or(0, |c| c.matches.len()),
            _ => 0,
        }
    }

    fn picker_mode(&mut self, action: Action) -> Vec<Effect> {
        let n = self.picker_len();
        let last = n.saturating_sub(1);
        let p = &mut self.picker;
        match action {
            Action::Down => p.cursor = (p.cursor + 1).min(last),
            Action::Up => p.cursor = p.cursor.saturating_sub(1),
            Action::Top => p.cursor = 0,
            Action::Bottom => p.cursor = last,
            Action::Toggle => {
                if let Some(c) = p.chosen.get_mut(p.cursor) {
                    *c = !*c;
                }
            }
            Action::Escape => self.mode = Mode::Normal,
            Action::Submit => {
                let mode = std::mem::replace(&mut self.mode, Mode::Normal);
                let thread = p.thread.clone();
                let t = self.doc.threads.iter().find(|t| t.id == thread);
                match (mode, t) {
                    (Mode::Criteria, Some(_)) => {
                        let criteria: Vec<String> = self
                            .criteria
                            .iter()
                            .zip(&self.picker.chosen)
                            .filter(|(_, on)| **on)
                            .map(|(c, _)| c.id.clone())
                            .collect();
                        return self.apply_change(ReviewChange::SetCriteria { thread, criteria });
                    }
                    (Mode::Verdict, Some(_)) => {
                        let verdict = VERDICTS[self.picker.cursor.min(VERDICTS.len() - 1)].0;
                        return self.apply_change(ReviewChange::SetVerdict {
                            thread,
                            verdict: verdict.to_string(),
                        });
                    }
                    (Mode::Export, _) => {
                        let format =
                            EXPORT_FORMATS[self.picker.cursor.min(EXPORT_FORMATS.len() - 1)].0;
                        self.say(format!("Writing the {format} summary…"));
                        return vec![Effect::Export {
                            format: format.to_string(),
                            version: self.doc.right_version.clone(),
                        }];
                    }
                    (Mode::Closest, _) => return self.open_closest(),
                    (Mode::Versions, _) => {
                        if let Some((left, right)) =
                            self.version_pairs().get(self.picker.cursor).cloned()
                        {
                            self.say(format!("Comparing {left} with {right}…"));
                            return vec![Effect::Compare {
                                left,
                                right,
                                normalized: self.doc.normalized,
                            }];
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        vec![]
    }

    /// A ranking came back from the background. Taken only if it is the one running for the
    /// right-hand version shown: one for a version no longer on the right (the comparison
    /// changed meanwhile) or superseded is dropped. The picker opens at once when the keys
    /// are free (reading); while the editor, a prompt, another picker or help has them, it
    /// waits for `L`, so nothing typed is taken from the user.
    fn ranked_arrived(&mut self, c: Closest) {
        if self.ranking.as_ref() != Some(&c.version) {
            return;
        }
        self.ranking = None;
        if self.mode == Mode::Normal || c.matches.is_empty() {
            self.show_closest(c.version, c.matches);
        } else {
            let name = crate::text::sanitize_line(&c.version);
            self.say(format!("The SPDX licenses closest to {name} are ranked: L shows them"));
            self.ranked = Some(c);
        }
    }

    /// Open the picker of the closest licenses just ranked against `version`.
    fn show_closest(&mut self, version: String, matches: Vec<LicenseMatch>) {
        let name = crate::text::sanitize_line(&version);
        if matches.is_empty() {
            self.warn(format!("No SPDX license to compare {name} with"));
            return;
        }
        self.say(format!("The {} SPDX licenses closest to {name}", matches.len()));
        self.closest = Some(Closest { version, matches });
        self.picker = Picker::default();
        self.mode = Mode::Closest;
    }

    /// Compare the license under the `L` picker's cursor (left) with the version it was
    /// ranked against (right), adding it to the review as a version first when it is not
    /// one yet.
    fn open_closest(&mut self) -> Vec<Effect> {
        let Some(c) = &self.closest else { return vec![] };
        let Some(m) = c.matches.get(self.picker.cursor) else { return vec![] };
        let right = c.version.clone();
        let path = format!("{}{}", crate::text::load::SPDX_PREFIX, m.id);
        let normalized = self.doc.normalized;
        let (safe_path, safe_right) =
            (crate::text::sanitize_line(&path), crate::text::sanitize_line(&right));
        match m.version.clone() {
            Some(v) if v == right => {
                self.warn(format!("{safe_path} is the right-hand version itself"));
                vec![]
            }
            Some(left) => {
                let safe_left = crate::text::sanitize_line(&left);
                self.say(format!("Comparing {safe_left} with {safe_right}…"));
                self.compare_note = Some(format!(
                    "{safe_path} is already version {safe_left}: compared with {safe_right}"
                ));
                vec![Effect::Compare { left, right, normalized }]
            }
            None => {
                let id = self.new_version_id(&m.id);
                self.after_save = Some(Effect::Compare { left: id.clone(), right, normalized });
                self.apply_change(ReviewChange::AddVersion { id, path })
            }
        }
    }

    /// A version id for the SPDX license `spdx_id` that no version of the review has:
    /// `spdx-Apache-2.0`, else `spdx-Apache-2.0-2`, ...
    pub fn new_version_id(&self, spdx_id: &str) -> String {
        let plain: String = spdx_id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') { c } else { '-' })
            .collect();
        let base = format!("spdx-{plain}");
        let taken = |id: &str| self.doc.versions.iter().any(|v| v == id);
        let mut id = base.clone();
        let mut n = 2;
        while taken(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// Put a freshly compared document in place, keeping the selected clause when it still
    /// exists and re-running the search.
    fn replace_doc(&mut self, doc: Document) {
        let refinement = doc.left_version == self.doc.left_version
            && doc.right_version == self.doc.right_version
            && doc.normalized == self.doc.normalized
            && doc.rows.len() == self.doc.rows.len();
        if refinement {
            // Same rows, better clause pairing: stay where the reader is.
            self.doc = doc;
            self.heights.clear();
            self.clause = self.doc.clause_at_row(self.cursor).unwrap_or(0);
            self.thread_sel = 0;
            self.keep_outline_visible();
            return;
        }
        if doc.right_version != self.doc.right_version {
            // A ranking is of the right-hand text: one for another text is of no use now.
            self.ranking = None;
            self.ranked = None;
        }
        let clause_id = self.doc.clauses.get(self.clause).map(|c| c.id.clone());
        let mode = if doc.normalized { "normalised" } else { "exact" };
        self.say(format!(
            "Comparing {} with {} ({mode})",
            crate::text::sanitize_line(&doc.left_version),
            crate::text::sanitize_line(&doc.right_version)
        ));
        self.doc = doc;
        self.heights.clear();
        self.selection = None;
        self.thread_sel = 0;
        self.hscroll = 0;
        self.top = 0;
        self.cursor = 0;
        self.clause = 0;
        self.outline_top = 0;
        if let Some(query) = self.search.as_ref().map(|s| s.query.clone()) {
            let s = self.run_search(&query);
            self.search = if s.hits.is_empty() { None } else { Some(s) };
        }
        match clause_id.and_then(|id| self.doc.find_clause(&id)) {
            Some(i) => self.select_clause(i),
            None => self.sync_clause_from_cursor(),
        }
    }
}

/// What the status says while `version` is being ranked.
pub fn ranking_note(version: &str) -> String {
    format!("Ranking {} against the SPDX licenses…", crate::text::sanitize_line(version))
}

/// Lines `first..=last` of one side as a quote, without the white space at either end.
fn lines_quote(doc: &Document, right: bool, first: usize, last: usize) -> Option<Quote> {
    let lines = if right { &doc.right_lines } else { &doc.left_lines };
    let text = lines.get(first.checked_sub(1)?..last.min(lines.len()))?.join("\n");
    let start = text.len() - text.trim_start().len();
    let text = text.trim().to_string();
    Some(Quote { text, line: first, start })
}

/// All non-overlapping matches of `query` in `line`, ignoring case when that keeps byte
/// offsets valid (it does unless lower-casing changes a character's length).
pub fn find_all(line: &str, query: &str) -> Vec<Range<usize>> {
    if query.is_empty() {
        return vec![];
    }
    let lower = line.to_lowercase();
    let (hay, needle) = if lower.len() == line.len() {
        (lower, query.to_lowercase())
    } else {
        (line.to_string(), query.to_string())
    };
    if needle.len() != query.len() {
        // The query itself changed length when lower-cased: search it exactly.
        return line.match_indices(query).map(|(i, m)| i..i + m.len()).collect();
    }
    hay.match_indices(&needle).map(|(i, m)| i..i + m.len()).collect()
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
pub(crate) mod tests {
    use super::*;
    use crate::tui::doc::{
        AnchorView, ClauseRow, ClauseStatus, CommentView, DiffRow, RowSide, RowTag, ThreadView,
    };
    use crate::tui::testing::type_keys;

    fn side(line: usize, text: &str, emph: Option<std::ops::Range<usize>>) -> Option<RowSide> {
        let mut segments = vec![(0..text.len(), false)];
        if let Some(e) = emph {
            segments = vec![(0..e.start, false), (e.clone(), true), (e.end..text.len(), false)];
        }
        Some(RowSide { line, segments })
    }

    /// Three clauses; clause 2 changed, clause 3 added; one thread on clause 2, one orphaned.
    pub(crate) fn sample() -> Document {
        let left = ["Preamble", "1. Grant", "You may use it.", "2. Limits", "Do not sell it."];
        let right =
            ["Preamble", "1. Grant", "You may use it.", "2. Limits", "Do not lease it.", "3. New"];
        let l = |i: usize| side(i, left[i - 1], None);
        let r = |i: usize| side(i, right[i - 1], None);
        let rows = vec![
            DiffRow { left: l(1), right: r(1), tag: RowTag::Equal, clause: None },
            DiffRow { left: l(2), right: r(2), tag: RowTag::Equal, clause: Some(0) },
            DiffRow { left: l(3), right: r(3), tag: RowTag::Equal, clause: Some(0) },
            DiffRow { left: l(4), right: r(4), tag: RowTag::Equal, clause: Some(1) },
            DiffRow {
                left: side(5, left[4], Some(7..11)),
                right: side(5, right[4], Some(7..12)),
                tag: RowTag::Replace,
                clause: Some(1),
            },
            DiffRow { left: None, right: r(6), tag: RowTag::Insert, clause: Some(2) },
        ];
        let clause = |id: &str, heading: &str, status, row, left: bool| ClauseRow {
            id: id.into(),
            left_id: left.then(|| id.to_string()),
            right_id: Some(id.into()),
            heading: heading.into(),
            depth: 1,
            status,
            row,
            threads: 0,
            open: 0,
        };
        let thread = |id: &str, clause: Option<usize>, anchor| ThreadView {
            id: id.into(),
            clause,
            version: "right".into(),
            anchored_clause: "2".into(),
            anchor,
            open: true,
            verdict: "concern".into(),
            criteria: vec!["osd-6".into()],
            quote: None,
            comments: vec![CommentView {
                id: "c-1".into(),
                author: "reviewer-a".into(),
                at: "2025-05-14T07:09:00Z".into(),
                edited_at: None,
                body: "Why lease?".into(),
            }],
            events: vec![],
        };
        let mut doc = Document {
            title: "Sample".into(),
            versions: vec!["left".into(), "right".into(), "third".into()],
            left_version: "left".into(),
            right_version: "right".into(),
            normalized: true,
            left_lines: left.iter().map(|s| s.to_string()).collect(),
            right_lines: right.iter().map(|s| s.to_string()).collect(),
            rows,
            clauses: vec![
                clause("1", "Grant", ClauseStatus::Unchanged, 1, true),
                clause("2", "Limits", ClauseStatus::Changed, 3, true),
                clause("3", "New", ClauseStatus::Added, 5, false),
            ],
            threads: vec![
                thread("t-1", Some(1), AnchorView::Exact),
                thread("t-2", None, AnchorView::Orphaned),
            ],
            ..Document::default()
        };
        doc.finish();
        doc
    }

    fn new_app() -> App {
        let mut app = App::new(sample(), criteria(), None);
        app.update(Action::Resize { width: 100, height: 30 });
        app
    }

    fn criteria() -> Vec<CriterionView> {
        ["osd-5", "osd-6"]
            .iter()
            .map(|id| CriterionView {
                id: id.to_string(),
                set: "OSD".into(),
                number: id[4..].into(),
                title: "x".into(),
            })
            .collect()
    }

    #[test]
    fn changes_and_clause_jumps_move_the_cursor() {
        let mut app = new_app();
        assert_eq!(app.doc.change_starts, vec![4]);
        type_keys(&mut app, "n");
        assert_eq!((app.cursor, app.clause), (4, 1));
        type_keys(&mut app, "N");
        assert_eq!(app.cursor, 4, "no change above: stays");
        type_keys(&mut app, "<esc>:§ 3<ret>");
        assert_eq!((app.cursor, app.clause), (5, 2));
        type_keys(&mut app, ":9.9<ret>");
        assert!(app.message.as_ref().unwrap().1, "unknown clause is reported");
        type_keys(&mut app, "gG");
        assert_eq!(app.cursor, 5);
        type_keys(&mut app, "<tab><tab><tab>k");
        assert_eq!(app.focus, Pane::Texts);
    }

    #[test]
    fn outline_moves_keep_texts_in_step() {
        let mut app = new_app();
        type_keys(&mut app, "<s-tab>j");
        assert_eq!(app.focus, Pane::Outline);
        assert_eq!((app.clause, app.cursor, app.top), (1, 3, 3));
        type_keys(&mut app, "j");
        assert_eq!((app.clause, app.cursor), (2, 5));
    }

    #[test]
    fn search_highlights_and_n_moves_between_hits() {
        let mut app = new_app();
        type_keys(&mut app, "/IT");
        assert_eq!(app.mode, Mode::Search);
        assert_eq!(app.search.as_ref().unwrap().hits.len(), 6, "incremental, case-insensitive");
        type_keys(&mut app, "<ret>");
        assert_eq!(app.mode, Mode::Normal);
        assert_eq!(app.cursor, 2);
        type_keys(&mut app, "n");
        assert_eq!(app.search.as_ref().unwrap().current, 1);
        type_keys(&mut app, "n");
        assert_eq!((app.cursor, app.search.as_ref().unwrap().current), (3, 2));
        type_keys(&mut app, "<esc>n");
        assert!(app.search.is_none());
        type_keys(&mut app, "/zzz<ret>");
        assert!(app.search.is_none());
        assert!(app.message.as_ref().unwrap().0.contains("Not found"));
    }

    #[test]
    fn new_thread_posts_with_ctrl_s() {
        let mut app = new_app();
        type_keys(&mut app, ":2<ret>a");
        assert_eq!(app.mode, Mode::Editor);
        type_keys(&mut app, "Too strict.<ret>Second line");
        assert_eq!(
            app.tick(),
            vec![Effect::WriteDraft(Some(app.editor.as_ref().unwrap().draft()))]
        );
        assert_eq!(app.tick(), vec![], "unchanged draft is not rewritten");
        let fx = type_keys(&mut app, "<C-s>");
        assert_eq!(
            fx,
            vec![Effect::Apply(ReviewChange::NewThread {
                version: "right".into(),
                clause: "2".into(),
                quote: None,
                body: "Too strict.\nSecond line".into(),
            })]
        );
        assert_eq!(app.mode, Mode::Normal);
        let fx = app.update(Action::Saved { message: "Saved".into(), threads: vec![] });
        assert_eq!(fx, vec![Effect::WriteDraft(None)], "recovery file removed after saving");
    }

    #[test]
    fn failed_save_keeps_the_text_as_a_draft() {
        let mut app = new_app();
        type_keys(&mut app, ":2<ret>aKeep me<C-s>");
        let fx = app.update(Action::Failed { message: "disk full".into() });
        assert!(matches!(&fx[..], [Effect::WriteDraft(Some(d))] if d.body == "Keep me"));
        type_keys(&mut app, "a");
        assert_eq!(app.editor.as_ref().unwrap().body(), "Keep me");
    }

    #[test]
    fn selected_lines_and_search_hits_become_quotes() {
        let mut app = new_app();
        type_keys(&mut app, ":2<ret>Vja");
        match &app.editor.as_ref().unwrap().target {
            DraftTarget::NewThread { quote, clause, .. } => {
                assert_eq!(clause, "2");
                let q = quote.as_ref().unwrap();
                assert_eq!(
                    (q.text.as_str(), q.line, q.start),
                    ("2. Limits\nDo not lease it.", 4, 0)
                );
            }
            t => panic!("{t:?}"),
        }
        let mut app2 = new_app();
        type_keys(&mut app2, "/lease<ret>a");
        let app = app2;
        match &app.editor.as_ref().unwrap().target {
            DraftTarget::NewThread { quote, .. } => {
                assert_eq!(quote, &Some(Quote { text: "lease".into(), line: 5, start: 7 }))
            }
            t => panic!("{t:?}"),
        }
    }

    #[test]
    fn escape_asks_before_discarding_typed_text() {
        let mut app = new_app();
        let fx = type_keys(&mut app, "a<esc>");
        assert_eq!(fx, vec![Effect::WriteDraft(None)], "empty editor closes at once");
        type_keys(&mut app, "ahello<esc>");
        assert_eq!(app.mode, Mode::Confirm(Question::DiscardEdit));
        type_keys(&mut app, "n");
        assert_eq!(app.mode, Mode::Editor);
        let fx = type_keys(&mut app, "<esc>k");
        assert!(matches!(&fx[..], [Effect::WriteDraft(Some(d))] if d.body == "hello"));
        assert!(app.draft.is_some());
        type_keys(&mut app, "q");
        assert_eq!(app.mode, Mode::Confirm(Question::Quit), "quit asks while a draft exists");
        type_keys(&mut app, "n");
        let fx = type_keys(&mut app, "dy");
        assert_eq!(fx, vec![Effect::WriteDraft(None)]);
        assert_eq!(type_keys(&mut app, "q"), vec![Effect::Quit]);
    }

    #[test]
    fn recovered_draft_is_offered() {
        let d = Draft { target: DraftTarget::Reply { thread: "t-1".into() }, body: "old".into() };
        let mut app = App::new(sample(), criteria(), Some(d));
        assert_eq!(app.mode, Mode::Confirm(Question::Recover));
        type_keys(&mut app, "y");
        assert_eq!(app.mode, Mode::Editor);
        assert_eq!(app.editor.as_ref().unwrap().body(), "old");
        let fx = type_keys(&mut app, "<C-s>");
        assert_eq!(
            fx,
            vec![Effect::Apply(ReviewChange::Reply { thread: "t-1".into(), body: "old".into() })]
        );
    }

    #[test]
    fn e_picks_a_summary_format_and_asks_the_runtime_to_write_it() {
        let mut app = new_app();
        assert!(type_keys(&mut app, "e").is_empty());
        assert_eq!(app.mode, Mode::Export);
        let right = app.doc.right_version.clone();
        let fx = type_keys(&mut app, "j<ret>");
        assert_eq!(fx, vec![Effect::Export { format: "html".into(), version: right }]);
        assert_eq!(app.mode, Mode::Normal);
        app.update(Action::Exported { message: "Summary written to r-summary.html".into() });
        assert_eq!(
            app.message.as_ref().map(|m| m.0.as_str()),
            Some("Summary written to r-summary.html")
        );
        type_keys(&mut app, "e<esc>");
        assert_eq!(app.mode, Mode::Normal, "Esc leaves the picker without writing");
    }

    fn license(id: &str, score: f64, version: Option<&str>) -> LicenseMatch {
        LicenseMatch {
            id: id.into(),
            name: format!("The {id} License"),
            score,
            osi: id != "X",
            version: version.map(str::to_string),
        }
    }

    #[test]
    fn capital_l_ranks_the_right_version_and_adds_the_pick_before_comparing() {
        let mut app = new_app();
        let fx = type_keys(&mut app, "L");
        assert_eq!(fx, vec![Effect::Rank { version: "right".into(), top: CLOSEST_TOP }]);
        assert!(app.message.as_ref().unwrap().0.starts_with("Ranking right against"));
        assert_eq!(app.mode, Mode::Normal, "the picker waits for the ranking");
        let matches = vec![
            license("MIT", 0.91, None),
            license("ISC", 0.8, Some("third")),
            license("X", 0.1, None),
        ];
        app.update(Action::Ranked { version: "right".into(), matches });
        assert_eq!(app.mode, Mode::Closest);
        assert_eq!(app.picker.cursor, 0);
        // Not yet a version: added (and saved) first, compared once saved.
        let fx = type_keys(&mut app, "<ret>");
        assert_eq!(
            fx,
            vec![Effect::Apply(ReviewChange::AddVersion {
                id: "spdx-MIT".into(),
                path: "spdx:MIT".into(),
            })]
        );
        assert_eq!(app.mode, Mode::Normal);
        let fx = app.update(Action::Saved {
            message: "spdx:MIT added as version spdx-MIT and saved".into(),
            threads: app.doc.threads.clone(),
        });
        let compare =
            Effect::Compare { left: "spdx-MIT".into(), right: "right".into(), normalized: true };
        assert_eq!(fx, vec![compare]);
        let mut doc = sample();
        doc.left_version = "spdx-MIT".into();
        app.update(Action::Compared(Box::new(doc)));
        assert_eq!(
            app.message,
            Some(("spdx:MIT added as version spdx-MIT and saved".into(), false)),
            "the status line says what happened, not just \"Comparing\""
        );
        assert_eq!(app.update(Action::Compared(Box::new(sample()))), vec![]);
        assert!(app.message.as_ref().unwrap().0.starts_with("Comparing left with right"));

        // Already a version: compared at once, nothing saved.
        type_keys(&mut app, "L");
        let matches = vec![license("MIT", 0.91, None), license("ISC", 0.8, Some("third"))];
        app.update(Action::Ranked { version: "right".into(), matches });
        let fx = type_keys(&mut app, "j<ret>");
        assert_eq!(
            fx,
            vec![Effect::Compare { left: "third".into(), right: "right".into(), normalized: true }]
        );
        app.update(Action::Compared(Box::new(sample())));
        assert_eq!(
            app.message.as_ref().unwrap().0,
            "spdx:ISC is already version third: compared with right"
        );

        // Esc closes the picker without asking for anything.
        type_keys(&mut app, "L");
        app.update(Action::Ranked {
            version: "right".into(),
            matches: vec![license("MIT", 1.0, None)],
        });
        assert_eq!(type_keys(&mut app, "G<esc>"), vec![]);
        assert_eq!(app.mode, Mode::Normal);
    }

    #[test]
    fn a_failed_add_compares_nothing_and_failures_reach_the_status_line() {
        let mut app = new_app();
        type_keys(&mut app, "L");
        app.update(Action::Ranked {
            version: "right".into(),
            matches: vec![license("MIT", 0.9, None)],
        });
        let fx = type_keys(&mut app, "<ret>");
        assert!(matches!(&fx[..], [Effect::Apply(ReviewChange::AddVersion { .. })]));
        assert_eq!(app.update(Action::Failed { message: "Not saved: read-only".into() }), vec![]);
        assert_eq!(app.message, Some(("Not saved: read-only".into(), true)));
        let fx = app.update(Action::Saved { message: "Saved".into(), threads: vec![] });
        assert_eq!(fx, vec![], "no comparison left over from the failed add");
        // An empty ranking opens no picker.
        type_keys(&mut app, "L");
        app.update(Action::Ranked { version: "right".into(), matches: vec![] });
        assert_eq!(app.mode, Mode::Normal);
        assert!(app.message.as_ref().unwrap().1);
        // The right-hand version itself is not compared with itself.
        type_keys(&mut app, "L");
        let m = vec![license("MIT", 1.0, Some("right"))];
        app.update(Action::Ranked { version: "right".into(), matches: m });
        assert_eq!(type_keys(&mut app, "<ret>"), vec![]);
        assert!(app.message.as_ref().unwrap().1);
    }

    /// Ranking runs in the background: keys go on being handled, and the result, when it
    /// comes, is taken only if it still applies.
    #[test]
    fn keys_work_while_ranking_and_a_late_ranking_is_handled_right() {
        let ranked = |version: &str, id: &str| Action::Ranked {
            version: version.into(),
            matches: vec![license(id, 0.9, None), license("ISC", 0.8, None)],
        };
        let note = "Ranking right against the SPDX licenses…";
        let mut app = new_app();
        assert_eq!(
            type_keys(&mut app, "L"),
            vec![Effect::Rank { version: "right".into(), top: 10 }]
        );
        assert_eq!(app.ranking.as_deref(), Some("right"));
        assert_eq!(type_keys(&mut app, "L"), vec![], "a second L waits for the running one");
        // Keys meanwhile: move, search, toggle wrapping.
        type_keys(&mut app, "jj/lease<ret>w");
        assert_eq!((app.cursor, app.wrap, app.mode.clone()), (4, false, Mode::Normal));
        assert!(app.search.is_some());
        // The note shows until the result comes, whenever no other message does.
        type_keys(&mut app, "<esc><esc>");
        assert_eq!(app.message, None);
        let header =
            crate::tui::testing::buffer_text(&crate::tui::testing::draw(&mut app, 100, 30));
        assert!(header.lines().next().unwrap().contains(note), "{header}");
        // The result: the picker opens, the reader's place is kept.
        app.update(ranked("right", "MIT"));
        assert_eq!((app.mode.clone(), app.ranking.clone(), app.cursor), (Mode::Closest, None, 4));
        let header =
            crate::tui::testing::buffer_text(&crate::tui::testing::draw(&mut app, 100, 30));
        assert!(!header.contains(note), "{header}");
        // A second result for the same version (nothing runs now) changes nothing.
        app.update(ranked("right", "X"));
        assert_eq!(app.closest.as_ref().unwrap().matches[0].id, "MIT");
        type_keys(&mut app, "<esc>");

        // It comes while a comment is being typed: nothing is taken from the editor; L
        // shows the ranking afterwards, without ranking again.
        type_keys(&mut app, "La");
        type_keys(&mut app, "half a thought");
        app.update(ranked("right", "MIT"));
        assert_eq!(app.mode, Mode::Editor);
        assert_eq!(app.editor.as_ref().unwrap().body(), "half a thought");
        assert!(app.message.as_ref().unwrap().0.contains("L shows them"));
        type_keys(&mut app, "<esc>k");
        assert_eq!(type_keys(&mut app, "L"), vec![]);
        assert_eq!(app.mode, Mode::Closest);
        assert_eq!(app.closest.as_ref().unwrap().matches[0].id, "MIT");
        type_keys(&mut app, "<esc>");
        assert!(app.draft.is_some(), "the draft is kept");

        // The comparison changes to another right-hand version: the result is of no use.
        type_keys(&mut app, "L");
        type_keys(&mut app, "sj<ret>");
        let mut doc = sample();
        doc.right_version = "third".into();
        app.update(Action::Compared(Box::new(doc)));
        assert_eq!(app.ranking, None);
        app.update(ranked("right", "MIT"));
        assert_eq!(app.mode, Mode::Normal, "a ranking of another text opens nothing");
        app.update(Action::RankFailed { version: "right".into(), message: "late".into() });
        assert!(!app.message.as_ref().unwrap().1, "nor does its failure");
        // Another left-hand version only: the ranking (of the right) still applies.
        assert_eq!(
            type_keys(&mut app, "L"),
            vec![Effect::Rank { version: "third".into(), top: 10 }]
        );
        let mut doc = sample();
        (doc.left_version, doc.right_version) = ("right".into(), "third".into());
        app.update(Action::Compared(Box::new(doc)));
        assert_eq!(app.ranking.as_deref(), Some("third"));
        app.update(Action::RankFailed {
            version: "third".into(),
            message: "Ranking failed: x".into(),
        });
        assert_eq!(
            (app.ranking.clone(), app.message.clone()),
            (None, Some(("Ranking failed: x".into(), true)))
        );
        // After a failure, L ranks again.
        assert_eq!(type_keys(&mut app, "L").len(), 1);
    }

    #[test]
    fn version_ids_for_licenses_are_plain_and_unique() {
        let mut app = new_app();
        assert_eq!(app.new_version_id("Apache-2.0"), "spdx-Apache-2.0");
        assert_eq!(app.new_version_id("GPL-2.0+"), "spdx-GPL-2.0-");
        app.doc.versions.push("spdx-MIT".into());
        app.doc.versions.push("spdx-MIT-2".into());
        assert_eq!(app.new_version_id("MIT"), "spdx-MIT-3");
    }

    #[test]
    fn reply_resolve_criteria_and_verdict_act_on_the_selected_thread() {
        let mut app = new_app();
        type_keys(&mut app, ":2<ret>");
        assert_eq!(app.thread_items(), vec![0, 1], "clause thread, then the orphaned one");
        let fx = type_keys(&mut app, "x");
        assert_eq!(
            fx,
            vec![Effect::Apply(ReviewChange::SetStatus { thread: "t-1".into(), open: false })]
        );
        // Nothing changes on screen until the save says it is done.
        assert_eq!(app.doc.clauses[1].open, 1);
        assert!(app.doc.threads[0].open);
        let fx = type_keys(&mut app, "c<space>j<space><ret>");
        assert_eq!(
            fx,
            vec![Effect::Apply(ReviewChange::SetCriteria {
                thread: "t-1".into(),
                criteria: vec!["osd-5".into()],
            })]
        );
        let fx = type_keys(&mut app, "vjj<ret>");
        assert_eq!(
            fx,
            vec![Effect::Apply(ReviewChange::SetVerdict {
                thread: "t-1".into(),
                verdict: "question".into(),
            })]
        );
        type_keys(&mut app, "<tab>j");
        assert_eq!(app.selected_thread(), Some(1));
        type_keys(&mut app, "rsure<C-s>");
        assert!(
            matches!(app.posting, Some(Draft { target: DraftTarget::Reply { ref thread }, .. }) if thread == "t-2")
        );
    }

    #[test]
    fn toggles_and_versions_ask_the_runtime_to_compare() {
        let mut app = new_app();
        let fx = type_keys(&mut app, "=");
        assert_eq!(
            fx,
            vec![Effect::Compare { left: "left".into(), right: "right".into(), normalized: false }]
        );
        let fx = type_keys(&mut app, "sj<ret>");
        assert_eq!(
            fx,
            vec![Effect::Compare { left: "left".into(), right: "third".into(), normalized: true }]
        );
        type_keys(&mut app, "w");
        assert!(!app.wrap);
        type_keys(&mut app, "?");
        assert_eq!(app.mode, Mode::Help);
        type_keys(&mut app, "<esc>");
        assert_eq!(app.mode, Mode::Normal);
    }

    #[test]
    fn mouse_wheel_and_click() {
        let mut app = new_app();
        let a = app.areas();
        app.update(Action::Click { column: a.left.x + 10, row: a.left.y + 3 });
        assert_eq!((app.focus, app.cursor, app.clause), (Pane::Texts, 2, 0));
        app.update(Action::ScrollDown { column: a.left.x + 3, row: a.left.y + 3 });
        assert_eq!((app.top, app.cursor), (3, 3), "the cursor stays on screen");
        app.update(Action::Click { column: a.outline.x + 2, row: a.outline.y + 3 });
        assert_eq!((app.focus, app.clause, app.cursor), (Pane::Outline, 2, 5));
    }

    #[test]
    fn texts_scroll_sideways_only_when_not_wrapping() {
        // Lines of 5 * 9 + 2 = 47 or 48 columns ("word … 7"), 31 of which show (100 x 30: 40-column
        // text panes less the border and the gutter).
        let mut app = App::new(long_doc(200, &"word ".repeat(9)), vec![], None);
        app.update(Action::Resize { width: 100, height: 30 });
        assert_eq!(app.areas().text_width(), 31);
        type_keys(&mut app, ">");
        assert_eq!(app.hscroll, 0, "wrapped lines do not scroll sideways");
        assert!(app.message.as_ref().unwrap().0.contains("w turns wrapping off"));
        type_keys(&mut app, "w>");
        assert_eq!(app.hscroll, PAN_STEP);
        type_keys(&mut app, "<s-right>");
        assert_eq!(app.hscroll, 16);
        // The widest line on screen (rows 10.. have a two-digit number: 48 columns) ends at
        // 17 columns past the pane: no further.
        type_keys(&mut app, ">>");
        assert_eq!(app.hscroll, 48 - 31);
        type_keys(&mut app, "<lt>");
        assert_eq!(app.hscroll, 48 - 31 - PAN_STEP);
        type_keys(&mut app, "<s-left><s-left>");
        assert_eq!(app.hscroll, 0);
        type_keys(&mut app, "<lt>");
        assert_eq!(app.hscroll, 0);
        type_keys(&mut app, ">>0");
        assert_eq!(app.hscroll, 0, "0: back to the first column");
        // Moving down does not change the column; w resets it.
        type_keys(&mut app, ">>jjj");
        assert_eq!(app.hscroll, 16);
        assert_eq!(app.focus, Pane::Texts, "< > move no focus, unlike h l ← →");
        type_keys(&mut app, "w");
        assert_eq!((app.wrap, app.hscroll), (true, 0));
        type_keys(&mut app, "w");
        assert_eq!(app.hscroll, 0);

        // The horizontal wheel, over the texts only.
        let a = app.areas();
        app.update(Action::ScrollRight { column: a.right.x + 5, row: a.right.y + 2 });
        assert_eq!(app.hscroll, WHEEL_PAN_STEP);
        app.update(Action::ScrollRight { column: a.outline.x + 2, row: a.outline.y + 2 });
        assert_eq!(app.hscroll, WHEEL_PAN_STEP, "not over the outline");
        app.update(Action::ScrollLeft { column: a.left.x + 5, row: a.left.y + 2 });
        assert_eq!(app.hscroll, 0);
        type_keys(&mut app, "w");
        app.update(Action::ScrollRight { column: a.right.x + 5, row: a.right.y + 2 });
        assert_eq!(app.hscroll, 0, "nor when wrapping");
    }

    #[test]
    fn without_wrapping_search_hits_are_scrolled_into_view() {
        // "word word … word 3": the number is at column 45, past the 31 that show.
        let mut app = App::new(long_doc(5, &"word ".repeat(9)), vec![], None);
        app.update(Action::Resize { width: 100, height: 30 });
        type_keys(&mut app, "w/ 3<ret>");
        assert_eq!(app.cursor, 3);
        assert_eq!(app.hscroll, 47 - 31, "the line's end fills the pane, the hit in it");
        type_keys(&mut app, "<esc>0/word<ret>");
        assert_eq!(app.hscroll, 0, "a hit on screen: no scroll");
        type_keys(&mut app, ">>>n");
        assert_eq!(app.hscroll, 0, "the next hit was left of the screen: back to where it shows");
        // Wrapped, nothing scrolls sideways.
        type_keys(&mut app, "<esc>w/ 4<ret>");
        assert_eq!((app.cursor, app.hscroll), (4, 0));
    }

    #[test]
    fn an_offset_past_shorter_lines_is_kept_until_scrolling_back() {
        let mut app = App::new(long_doc(3, &"long ".repeat(20)), vec![], None);
        app.update(Action::Resize { width: 100, height: 30 });
        type_keys(&mut app, "w>>>>>>>>>>>>>>>");
        let far = app.hscroll;
        assert_eq!(far, 5 * 20 + 2 - 31, "the end of the widest line (\"long … 0\")");
        // Another comparison (other texts) starts at the first column.
        let mut doc = long_doc(3, "short");
        doc.left_version = "other".into();
        app.update(Action::Compared(Box::new(doc)));
        assert_eq!(app.hscroll, 0);
        // Shorter lines below (a document of short lines under long ones): the offset stays
        // while moving, > adds nothing, < starts from where the widest line on screen ends.
        app.update(Action::Compared(Box::new(sample())));
        type_keys(&mut app, ">");
        assert_eq!(app.hscroll, 0, "sample lines fit");
        app.hscroll = 40;
        type_keys(&mut app, ">");
        assert_eq!(app.hscroll, 40, "nothing more to see: stays");
        type_keys(&mut app, "<lt>");
        assert_eq!(app.hscroll, 0, "back from the end of the widest line (it fits)");
    }

    /// `n` equal one-line rows, no clauses.
    fn long_doc(n: usize, line: &str) -> Document {
        let lines: Vec<String> = (0..n).map(|i| format!("{line} {i}")).collect();
        let rows = (1..=n)
            .map(|i| {
                let len = lines[i - 1].len();
                DiffRow {
                    left: Some(RowSide { line: i, segments: vec![(0..len, false)] }),
                    right: Some(RowSide { line: i, segments: vec![(0..len, false)] }),
                    tag: RowTag::Equal,
                    clause: None,
                }
            })
            .collect();
        let mut doc =
            Document { left_lines: lines.clone(), right_lines: lines, rows, ..Document::default() };
        doc.finish();
        doc
    }

    #[test]
    fn paging_counts_wrapped_lines() {
        let mut app = App::new(long_doc(200, "short"), vec![], None);
        app.update(Action::Resize { width: 100, height: 30 });
        let h = app.areas().text_height();
        type_keys(&mut app, "<pgdn>");
        assert_eq!(app.top, h - 1, "one line of overlap");
        assert_eq!(app.cursor, app.top);
        type_keys(&mut app, "<pgup>");
        assert_eq!(app.top, 0);
        // Rows that wrap to two lines: a page holds half as many.
        let long = "word ".repeat(9);
        let mut app = App::new(long_doc(200, &long), vec![], None);
        app.update(Action::Resize { width: 100, height: 30 });
        assert_eq!(render::row_height(&app.doc, 0, app.areas().text_width(), true), 2);
        type_keys(&mut app, "<pgdn>");
        assert_eq!(app.top, (h - 1) / 2);
        type_keys(&mut app, "w<pgdn>");
        assert_eq!(app.top, (h - 1) / 2 + h - 1, "no wrap: one line a row");
        type_keys(&mut app, "G");
        assert_eq!(app.cursor, 199);
        assert!(app.top > 199 - h, "the end is on screen");
    }
}

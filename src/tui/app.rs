//! The workbench state and `update`: the one place where actions change state. No I/O here:
//! whatever touches files or the clock is returned as an [`Effect`].
//!
//! The state is the components' ([`super::components`]): each pane, picker, prompt and the
//! editor keeps its own. `update` gives an action to whichever has the keys (a question,
//! help, a picker, a prompt, the editor, else the focused pane) and carries out the
//! [`Msg`]s they return; what concerns several components (the selected clause, drafts,
//! saving, comparing) lives here.

use super::action::{Action, Draft, DraftTarget, Effect, Recovered, ReviewChange};
use super::components::closest::{CLOSEST_TOP, Closest, ClosestPopup};
use super::components::compare::ComparePopup;
use super::components::criteria::CriteriaPopup;
use super::components::editor::{Editor, EditorEvent};
use super::components::export::ExportPopup;
use super::components::filter::FilterPopup;
use super::components::help::Help;
use super::components::import::ImportPopup;
use super::components::log::{LOG_SIZE, LogPopup};
use super::components::matrix::Matrix;
use super::components::outline::Outline;
use super::components::popup::Popup;
use super::components::prompt::{Prompt, PromptEvent, PromptKind, import_paths};
use super::components::terms::TermsPopup;
use super::components::texts::{PAN_STEP, Texts, WHEEL_PAN_STEP};
use super::components::thread_list::{self, ThreadList};
use super::components::threads::{self, Threads};
use super::components::verdict::VerdictPopup;
use super::components::versions::VersionsPopup;
use super::components::{Cx, MainView, Msg, Pane};
use super::doc::{CriterionView, Document, LicenseMatch};
use super::recovery::Kept;
use super::render::{self, Areas};

pub use super::components::PaneId;
pub use super::components::confirm::Question;

/// Which component has the keys (see [`App::mode`]); the keymap reads keys by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The focused pane, and the keys that work anywhere.
    Normal,
    /// A one-line prompt.
    Prompt(PromptKind),
    /// The comment editor.
    Editor,
    /// A question waiting for y / n.
    Confirm(Question),
    /// A picker (see [`App::popup`]).
    Picker,
    /// A field of a dialog (the versions dialog) being typed.
    Typing,
    Help,
}

/// The workbench.
#[derive(Debug, Clone)]
pub struct App {
    pub doc: Document,
    pub criteria: Vec<CriterionView>,
    /// The pane that has the keyboard.
    pub focus: PaneId,
    /// The selected clause pair (index into `doc.clauses`): the outline shows it, the texts
    /// are on it, the threads pane lists its threads.
    pub clause: usize,
    pub outline: Outline,
    pub texts: Texts,
    pub threads: Threads,
    /// What the main area shows: the texts, or the threads list or the matrix.
    pub main: MainView,
    pub list: ThreadList,
    pub matrix: Matrix,
    /// The thread last gone to (`]`, `[`, the threads list): where `]` goes on from.
    pub went_to: Option<usize>,
    pub prompt: Option<Prompt>,
    pub editor: Option<Editor>,
    pub popup: Option<Popup>,
    pub question: Option<Question>,
    pub help: Option<Help>,
    /// An unsent draft kept for later (not being edited).
    pub draft: Option<Draft>,
    /// Drafts found in recovery files at start, offered back one at a time (the first is
    /// the one asked about).
    pub recovered: Vec<Recovered>,
    /// Where the session's draft is on disk, as its last write said (`None`: nothing
    /// written, or removed); `Err`: it could not be written anywhere, and why.
    pub kept: Option<Result<Kept, String>>,
    /// A posted comment waiting for the save result, kept so a failed save loses nothing.
    pub posting: Option<Draft>,
    /// A change is being saved, off the UI thread (see [`Effect::Apply`]): the header says
    /// "saving…"; other changes wait in `queued`, in order, each with what to do once it is
    /// saved.
    pub saving: bool,
    pub queued: std::collections::VecDeque<(ReviewChange, Option<Effect>)>,
    /// Quit asked while saving: the workbench closes once the save is done.
    pub quit_after_save: bool,
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
    pub width: u16,
    pub height: u16,
    /// The last message for the status line, and whether it reports a failure.
    pub message: Option<(String, bool)>,
    /// Every message of the session, oldest first (at most [`LOG_SIZE`]): `m` shows them.
    pub log: std::collections::VecDeque<(String, bool)>,
    /// Whether the terminal shows colours and characters beyond ASCII.
    pub looks: render::Looks,
    pub author: String,
}

/// What components may read, built from the fields (so a component, another field, can be
/// borrowed mutably meanwhile).
macro_rules! cx {
    ($app:ident, $areas:expr) => {
        Cx {
            doc: &$app.doc,
            clause: $app.clause,
            areas: $areas,
            criteria: &$app.criteria,
            draft: $app.draft.as_ref(),
            author: &$app.author,
        }
    };
}

impl App {
    /// A workbench on `doc`; `recovered` is a draft found in a recovery file (see
    /// [`App::offer`] for several, with where they came from).
    pub fn new(doc: Document, criteria: Vec<CriterionView>, recovered: Option<Draft>) -> App {
        let recovered: Vec<Recovered> = recovered.into_iter().map(Recovered::bare).collect();
        let question = (!recovered.is_empty()).then_some(Question::Recover);
        let mut app = App {
            doc,
            criteria,
            focus: PaneId::Texts,
            clause: 0,
            outline: Outline::default(),
            texts: Texts::default(),
            threads: Threads::default(),
            main: MainView::Texts,
            list: ThreadList::default(),
            matrix: Matrix::default(),
            went_to: None,
            prompt: None,
            editor: None,
            popup: None,
            question,
            help: None,
            draft: None,
            recovered,
            kept: None,
            posting: None,
            saving: false,
            queued: Default::default(),
            quit_after_save: false,
            closest: None,
            ranking: None,
            ranked: None,
            after_save: None,
            compare_note: None,
            width: 100,
            height: 30,
            message: None,
            log: Default::default(),
            looks: render::Looks::default(),
            author: String::new(),
        };
        app.sync_clause();
        app
    }

    /// Which component has the keys.
    pub fn mode(&self) -> Mode {
        if let Some(q) = &self.question {
            Mode::Confirm(q.clone())
        } else if self.help.is_some() {
            Mode::Help
        } else if let Some(p) = &self.popup {
            if p.typing() { Mode::Typing } else { Mode::Picker }
        } else if let Some(p) = &self.prompt {
            Mode::Prompt(p.kind)
        } else if self.editor.is_some() {
            Mode::Editor
        } else {
            Mode::Normal
        }
    }

    /// The screen layout for the current size.
    pub fn areas(&self) -> Areas {
        self.areas_for(self.width, self.height)
    }

    /// The screen layout for a `width` x `height` screen.
    pub fn areas_for(&self, width: u16, height: u16) -> Areas {
        let shape = render::Shape {
            status: self.status_lines(width),
            warning: !self.doc.warnings.is_empty(),
            threads_tall: self.focus == PaneId::Threads,
            editor: self.editor.is_some(),
            main: self.main,
        };
        render::areas(width, height, shape)
    }

    /// What components may read, for layout `areas`.
    pub fn cx<'a>(&'a self, areas: &'a Areas) -> Cx<'a> {
        cx!(self, areas)
    }

    /// Threads listed in the thread panel: those of the selected clause, then the orphaned
    /// ones (indices into `doc.threads`).
    pub fn thread_items(&self) -> Vec<usize> {
        threads::items(&self.doc, self.clause)
    }

    /// The selected thread (index into `doc.threads`).
    pub fn selected_thread(&self) -> Option<usize> {
        self.threads.selected(&self.doc, self.clause)
    }

    /// Whether quitting now would leave an unsent draft behind.
    pub fn has_draft(&self) -> bool {
        self.draft.is_some() || self.editor.as_ref().is_some_and(|e| !e.body().trim().is_empty())
    }

    /// Offer the drafts `found` in recovery files at start, one question each.
    pub fn offer(&mut self, found: Vec<Recovered>) {
        self.recovered.extend(found);
        if !self.recovered.is_empty() && self.question.is_none() {
            self.question = Some(Question::Recover);
        }
    }

    /// The text that would be lost if the workbench ended now: what the editor holds, else a
    /// comment being saved, else the unsent draft.
    pub fn unsent(&self) -> Option<Draft> {
        let editing = self.editor.as_ref().map(Editor::draft).filter(|d| !d.body.trim().is_empty());
        editing.or_else(|| self.posting.clone()).or_else(|| self.draft.clone())
    }

    fn say(&mut self, msg: impl Into<String>) {
        self.tell(msg.into(), false);
    }

    fn warn(&mut self, msg: impl Into<String>) {
        self.tell(msg.into(), true);
    }

    /// Show a message on the status line, and keep it in the log.
    fn tell(&mut self, msg: String, failed: bool) {
        if self.log.len() >= LOG_SIZE {
            self.log.pop_front();
        }
        self.log.push_back((msg.clone(), failed));
        let lines = self.status_lines(self.width);
        self.message = Some((msg, failed));
        if self.status_lines(self.width) != lines {
            // The status line grew or shrank: the panes' room changed.
            self.relayout();
        }
    }

    /// Lines the status line takes at `width` columns: one, or up to three for a message
    /// that does not fit on one (so a failure is read whole; `m` has every message).
    pub fn status_lines(&self, width: u16) -> u16 {
        if self.prompt.is_some() || width == 0 {
            return 1;
        }
        let Some(m) = self.status_message() else { return 1 };
        let safe = crate::text::sanitize_line(&m.0);
        if unicode_width::UnicodeWidthStr::width(safe.as_str()) <= width as usize {
            return 1;
        }
        // As the status line wraps it.
        let opts = textwrap::Options::new((width as usize).max(8))
            .word_separator(textwrap::WordSeparator::AsciiSpace);
        textwrap::wrap(&safe, &opts).len().clamp(1, 3) as u16
    }

    /// What the status line says before its keys: the last message, else the ranking
    /// running; and whether it reports a failure.
    pub fn status_message(&self) -> Option<(String, bool)> {
        match (&self.message, &self.ranking) {
            (Some((m, err)), _) if !m.is_empty() => Some((m.clone(), *err)),
            (_, Some(v)) => Some((ranking_note(v), false)),
            _ => None,
        }
    }

    // ---- the selected clause ------------------------------------------------------------

    /// The clause follows the texts' cursor.
    fn sync_clause(&mut self) {
        if let Some(c) = self.doc.clause_at_row(self.texts.cursor)
            && c != self.clause
        {
            self.clause = c;
            self.threads.reset();
        }
        self.keep_outline_visible();
    }

    fn keep_outline_visible(&mut self) {
        let h = self.areas().outline_height();
        self.outline.keep_visible(self.clause, h);
    }

    /// Select clause pair `i`: the texts jump to its first row.
    fn select_clause(&mut self, i: usize) {
        let Some(c) = self.doc.clauses.get(i) else { return };
        let row = c.row;
        let a = self.areas();
        self.texts.jump_to_row(&self.doc, &a, row, 0);
        self.sync_clause();
        self.clause = i;
        self.threads.reset();
        self.keep_outline_visible();
    }

    /// Show `view` in the main area; a pane that is no longer shown gives the focus to it.
    fn show(&mut self, view: MainView) {
        self.main = view;
        if !self.panes().contains(&self.focus) {
            self.focus = view.pane();
        }
        self.relayout();
    }

    /// Show thread `doc.threads[i]`: its clause in the texts (an orphaned or general thread
    /// is listed under every clause), it selected and in view in the threads pane; with
    /// `focus`, the threads pane gets the keys.
    fn go_to_thread(&mut self, i: usize, focus: bool) {
        let Some(t) = self.doc.threads.get(i) else { return };
        let (id, clause) = (t.id.clone(), t.clause);
        self.went_to = Some(i);
        self.show(MainView::Texts);
        if let Some(c) = clause {
            self.select_clause(c);
        }
        if focus {
            self.set_focus(PaneId::Threads);
        }
        let a = self.areas();
        if let Some(k) = self.thread_items().iter().position(|&x| x == i) {
            self.threads.select(k, &cx!(self, &a));
        }
        let place = match clause.and_then(|c| self.doc.clauses.get(c)) {
            Some(c) => format!("on {}", c.id),
            None => "(not on a clause here)".into(),
        };
        let n = thread_list::in_order(&self.doc).iter().position(|&x| x == i).unwrap_or(0);
        let total = self.doc.threads.len();
        self.say(crate::text::sanitize_line(&format!("Thread {}/{total}: {id} {place}", n + 1)));
    }

    /// `]` / `[`: the next / previous thread of the review in reading order, from the
    /// selected one (or from the selected clause).
    fn step_thread(&mut self, forward: bool) {
        let order = thread_list::in_order(&self.doc);
        if order.is_empty() {
            self.say("No threads yet: a starts one");
            return;
        }
        // From the selected thread when it is on this clause, or was gone to (an orphaned
        // or general thread is listed under every clause, so it is where it is only then).
        let current = self.selected_thread().filter(|&i| {
            self.doc.threads[i].clause == Some(self.clause) || self.went_to == Some(i)
        });
        let from = match current.and_then(|i| order.iter().position(|&x| x == i)) {
            Some(p) => p as isize,
            None => {
                // No thread here: between the threads before and after this clause.
                let row = self.doc.clauses.get(self.clause).map_or(0, |c| c.row);
                let before = order.iter().filter(|&&i| {
                    let t = &self.doc.threads[i];
                    t.clause.and_then(|c| self.doc.clauses.get(c)).is_some_and(|c| c.row < row)
                });
                before.count() as isize - if forward { 1 } else { 0 }
            }
        };
        let to = from + if forward { 1 } else { -1 };
        match usize::try_from(to).ok().and_then(|k| order.get(k)) {
            Some(&i) => self.go_to_thread(i, false),
            None => self.say(if forward { "No thread below" } else { "No thread above" }),
        }
    }

    /// Carry out what components asked for.
    fn run(&mut self, msgs: Vec<Msg>) -> Vec<Effect> {
        let mut fx = Vec::new();
        for m in msgs {
            match m {
                Msg::Effect(e) => fx.push(e),
                Msg::Apply(change) => fx.extend(self.apply_change(change)),
                Msg::Compare { left, right } => fx.push(self.compare(left, right)),
                Msg::CompareAfterSave { left, right } => {
                    self.after_save = Some(self.compare(left, right));
                }
                Msg::CompareNote(n) => self.compare_note = Some(n),
                Msg::Say(s) => self.say(s),
                Msg::Warn(s) => self.warn(s),
                Msg::SelectClause(i) => self.select_clause(i),
                Msg::GoToThread(i) => self.go_to_thread(i, true),
                Msg::GoToClause(i) => {
                    self.show(MainView::Texts);
                    self.select_clause(i);
                    self.set_focus(PaneId::Threads);
                    let id = self.doc.clauses[i].id.clone();
                    self.say(format!("Clause {}", crate::text::sanitize_line(&id)));
                }
                Msg::SetFilter(f) => self.list.set_filter(f),
                Msg::Ask(q) => self.question = Some(q),
            }
        }
        fx
    }

    /// Compare `left` with `right` as now (normalised or exact, case folded or not), the
    /// selection following its clause.
    pub fn compare(&self, left: String, right: String) -> Effect {
        self.compare_as(left, right, self.doc.normalized, self.doc.ignore_case)
    }

    fn compare_as(
        &self,
        left: String,
        right: String,
        normalized: bool,
        ignore_case: bool,
    ) -> Effect {
        let mut follow = Vec::new();
        if let Some(c) = self.doc.clauses.get(self.clause) {
            follow.extend(c.right_id.clone().map(|id| (self.doc.right_version.clone(), id)));
            follow.extend(c.left_id.clone().map(|id| (self.doc.left_version.clone(), id)));
        }
        Effect::Compare { left, right, normalized, ignore_case, follow }
    }

    /// Apply a change to the versions; once saved, the comparison is made again (the
    /// document lists the versions, and a recorded text changes the warnings).
    fn apply_and_refresh(&mut self, change: ReviewChange) -> Vec<Effect> {
        let (l, r) = (self.doc.left_version.clone(), self.doc.right_version.clone());
        self.after_save = Some(self.compare(l, r));
        self.apply_change(change)
    }

    /// Save `change` (with [`App::after_save`] to do once it is saved); while another
    /// change is being saved, it waits for it.
    fn apply_change(&mut self, change: ReviewChange) -> Vec<Effect> {
        let after = self.after_save.take();
        if self.saving {
            self.queued.push_back((change, after));
            self.say("Saving… (this change is saved next)");
            return vec![];
        }
        self.saving = true;
        self.after_save = after;
        self.say("Saving…");
        vec![Effect::Apply(change)]
    }

    /// A save ended: start the next change waiting, if any; else quit if asked meanwhile.
    fn save_ended(&mut self) -> Vec<Effect> {
        if let Some((change, after)) = self.queued.pop_front() {
            self.after_save = after;
            return vec![Effect::Apply(change)];
        }
        self.saving = false;
        if std::mem::take(&mut self.quit_after_save) {
            return self.quit();
        }
        vec![]
    }

    // ---- update -----------------------------------------------------------------------

    /// Apply one action. Pure: the returned effects are for the runtime to perform.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // Results and size changes apply in every mode.
        match action {
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                let a = self.areas();
                self.texts.keep_cursor_visible(&self.doc, &a);
                self.keep_outline_visible();
                return vec![];
            }
            Action::Tick => return self.tick(),
            Action::Suspend => {
                // What is being typed goes to the recovery file first: a stopped program may
                // never be resumed.
                let mut fx = self.tick();
                fx.push(Effect::Suspend);
                return fx;
            }
            Action::DraftWritten(result) => {
                self.draft_written(result);
                return vec![];
            }
            Action::Problem(message) => {
                self.compare_note = None;
                self.warn(message);
                return vec![];
            }
            Action::SaveDone => return vec![Effect::FinishSave],
            Action::Saved { message, threads } => {
                let mut fx = self.saved(message, threads);
                fx.extend(self.save_ended());
                return fx;
            }
            Action::Failed { message } => {
                self.after_save = None;
                self.compare_note = None;
                let mut fx = Vec::new();
                if let Some(d) = self.posting.take() {
                    self.warn(format!(
                        "Your text is kept as an unsent draft (a or r reopens it), as it could \
                         not be saved: {message}"
                    ));
                    self.draft = Some(d.clone());
                    fx.push(Effect::WriteDraft(Some(d)));
                } else {
                    self.warn(message);
                }
                fx.extend(self.save_ended());
                return fx;
            }
            Action::Compared(doc) => {
                self.replace_doc(*doc);
                if let Some(note) = self.compare_note.take() {
                    self.say(note);
                }
                return self.refresh_matrix().into_iter().collect();
            }
            Action::Exported { message } => {
                self.say(message);
                return vec![];
            }
            Action::MatrixReady(result) => {
                match *result {
                    Ok(m) => {
                        let n = m.rows.len();
                        self.matrix.data = Some(m);
                        self.matrix.sel = self.matrix.sel.min(n.saturating_sub(1));
                    }
                    Err(e) => self.warn(format!("The matrix could not be made: {e}")),
                }
                return vec![];
            }
            Action::ExternallyEdited(result) => {
                match (result, &mut self.editor) {
                    (Ok(text), Some(e)) => {
                        e.set_body(&text);
                        self.say("Your text is back from $EDITOR: Ctrl+S posts it");
                        self.relayout();
                    }
                    (Ok(_), None) => {}
                    (Err(e), _) => self.warn(format!("$EDITOR: {e}; your text is as it was")),
                }
                return vec![];
            }
            Action::Ranked { version, matches } => {
                self.ranked_arrived(Closest { version, matches });
                return vec![];
            }
            Action::Imported(report) => {
                self.show_import(*report);
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
        match self.mode() {
            Mode::Confirm(q) => self.confirm(q, action),
            Mode::Help => {
                if action == Action::Quit {
                    return self.quit();
                }
                let area = ratatui::layout::Rect::new(0, 0, self.width, self.height);
                if self.help.as_mut().is_some_and(|h| h.handle(&action, area)) {
                    self.help = None;
                }
                vec![]
            }
            Mode::Picker | Mode::Typing => self.popup_action(action),
            Mode::Prompt(_) => self.prompt_action(action),
            Mode::Editor => self.editor_action(action),
            Mode::Normal => self.normal(action),
        }
    }

    fn saved(&mut self, message: String, threads: Vec<super::doc::ThreadView>) -> Vec<Effect> {
        let new_thread =
            matches!(self.posting, Some(Draft { target: DraftTarget::NewThread { .. }, .. }));
        if threads.len() != self.doc.threads.len() {
            // A thread came or went: an index may no longer name the thread gone to.
            self.went_to = None;
        }
        self.doc.threads = threads;
        self.doc.count_threads();
        self.say(message);
        if new_thread {
            let here = self
                .thread_items()
                .iter()
                .filter(|&&i| self.doc.threads[i].clause == Some(self.clause))
                .count();
            self.threads.sel = here.saturating_sub(1);
        }
        let a = self.areas();
        self.threads.clamp(&cx!(self, &a));
        let mut fx =
            if self.posting.take().is_some() { vec![Effect::WriteDraft(None)] } else { vec![] };
        if let Some(next) = self.after_save.take() {
            self.compare_note = self.message.as_ref().map(|m| m.0.clone());
            fx.push(next);
        }
        fx.extend(self.refresh_matrix());
        fx
    }

    /// Ask for the matrix again when it is shown (threads or the comparison changed).
    fn refresh_matrix(&mut self) -> Option<Effect> {
        let n = self.list.rows(&self.doc).len();
        self.list.sel = self.list.sel.min(n.saturating_sub(1));
        (self.main == MainView::Matrix)
            .then(|| Effect::Matrix { version: self.doc.right_version.clone() })
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
        if self.saving {
            self.quit_after_save = true;
            self.say("Saving… the workbench closes once it is saved");
            return vec![];
        }
        if self.has_draft() {
            self.question = Some(Question::Quit);
            vec![]
        } else {
            vec![Effect::Quit]
        }
    }

    /// The panes the layout shows, in focus order.
    pub fn panes(&self) -> Vec<PaneId> {
        self.areas().panes.iter().map(|(p, _)| *p).collect()
    }

    /// Give an action to pane `id`; the selected clause follows the texts' cursor.
    fn give_pane(
        &mut self,
        id: PaneId,
        f: impl FnOnce(&mut dyn Pane, &Cx) -> Vec<Msg>,
    ) -> Vec<Effect> {
        let a = self.areas();
        let cursor = self.texts.cursor;
        // The pane is borrowed apart from what it reads.
        let cx = cx!(self, &a);
        let pane: &mut dyn Pane = match id {
            PaneId::Outline => &mut self.outline,
            PaneId::Texts => &mut self.texts,
            PaneId::Threads => &mut self.threads,
            PaneId::ThreadList => &mut self.list,
            PaneId::Matrix => &mut self.matrix,
        };
        let msgs = f(pane, &cx);
        if self.texts.cursor != cursor {
            self.sync_clause();
        }
        self.run(msgs)
    }

    fn normal(&mut self, action: Action) -> Vec<Effect> {
        let a = self.areas();
        match action {
            Action::Quit => return self.quit(),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Submit => {
                return self
                    .give_pane(self.focus, |p, cx| p.handle(&action, cx).unwrap_or_default());
            }
            Action::FocusNext | Action::FocusPrev => {
                let order = self.panes();
                let n = order.len().max(1);
                let i = order.iter().position(|p| *p == self.focus).unwrap_or(0);
                let step = if action == Action::FocusNext { 1 } else { n - 1 };
                self.set_focus(order.get((i + step) % n).copied().unwrap_or(PaneId::Texts));
            }
            Action::Next | Action::Prev => {
                let msg = self.texts.next(&self.doc, &a, action == Action::Next);
                self.sync_clause();
                return self.run(msg.into_iter().collect());
            }
            Action::Search => self.prompt = Some(Prompt::new(PromptKind::Search)),
            Action::Jump => self.prompt = Some(Prompt::new(PromptKind::Jump)),
            Action::Escape if self.main != MainView::Texts => self.show(MainView::Texts),
            Action::ShowThreads | Action::ShowMatrix => {
                let view = if action == Action::ShowThreads {
                    MainView::ThreadList
                } else {
                    MainView::Matrix
                };
                if self.main == view {
                    self.show(MainView::Texts);
                    self.set_focus(PaneId::Texts);
                    return vec![];
                }
                self.show(view);
                self.set_focus(view.pane());
                if view == MainView::Matrix {
                    return vec![Effect::Matrix { version: self.doc.right_version.clone() }];
                }
            }
            Action::Filter => {
                if self.main != MainView::ThreadList {
                    self.show(MainView::ThreadList);
                    self.set_focus(PaneId::ThreadList);
                }
                let p = FilterPopup::new(&self.doc, self.list.filter.clone());
                self.popup = Some(Popup::Filter(p));
            }
            Action::NextThread | Action::PrevThread => {
                self.step_thread(action == Action::NextThread);
            }
            Action::Escape => {
                if self.texts.selection.take().is_some() {
                    self.say("Selection cleared");
                } else if self.texts.search.take().is_some() {
                    self.say("Search cleared");
                } else {
                    self.message = None;
                }
            }
            Action::ToggleNormalized | Action::ToggleCase => {
                let (mut normalized, mut ignore_case) = (self.doc.normalized, self.doc.ignore_case);
                if action == Action::ToggleNormalized {
                    normalized = !normalized;
                    self.say(if normalized {
                        "Comparing normalised…"
                    } else {
                        "Comparing exactly…"
                    });
                } else {
                    ignore_case = !ignore_case;
                    self.say(if ignore_case {
                        "Comparing without case…"
                    } else {
                        "Comparing with case…"
                    });
                }
                let (l, r) = (self.doc.left_version.clone(), self.doc.right_version.clone());
                return vec![self.compare_as(l, r, normalized, ignore_case)];
            }
            Action::ToggleWrap => self.texts.toggle_wrap(&self.doc, &a),
            Action::PanLeft | Action::PanRight | Action::PanStart if self.texts.wrap => {
                self.say("Lines are wrapped, nothing to scroll sideways: w turns wrapping off");
            }
            Action::PanLeft => self.texts.pan(&self.doc, &a, -(PAN_STEP as isize)),
            Action::PanRight => self.texts.pan(&self.doc, &a, PAN_STEP as isize),
            Action::PanStart => self.texts.hscroll = 0,
            // Quietly nothing when wrapping: a touchpad sends these by the way.
            Action::ScrollLeft { column, row } | Action::ScrollRight { column, row }
                if !self.texts.wrap && self.pane_at(column, row) == Some(PaneId::Texts) =>
            {
                let step = WHEEL_PAN_STEP as isize;
                let left = matches!(action, Action::ScrollLeft { .. });
                self.texts.pan(&self.doc, &a, if left { -step } else { step });
            }
            Action::Help => self.help = Some(Help::default()),
            Action::MessageLog => {
                self.popup = Some(Popup::Log(LogPopup::new(self.log.iter().cloned().collect())));
            }
            Action::SelectLines => {
                let was_selecting = self.texts.selection.take().is_some();
                if !was_selecting {
                    self.texts.selection = Some(self.texts.cursor);
                    self.set_focus(PaneId::Texts);
                    self.say("Selecting lines: j/k extend, a comments on them, V or Esc ends");
                }
            }
            // One comment at a time: the one being saved comes back as the unsent draft if
            // its save fails, and the editor must be free for it then.
            Action::NewThread | Action::Reply | Action::EditComment if self.posting.is_some() => {
                self.say("Your comment is being saved: a moment");
            }
            Action::NewThread => {
                if self.reopen_draft() {
                    return vec![];
                }
                match self.texts.new_thread_target(&self.doc, self.clause) {
                    Some(t) => {
                        self.texts.selection = None;
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
            Action::EditComment | Action::DeleteComment => {
                return self.own_comment(action == Action::DeleteComment);
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
                let p = CriteriaPopup::new(&self.criteria, t.id.clone(), &t.criteria);
                self.popup = Some(Popup::Criteria(p));
            }
            Action::Verdict => {
                let Some(i) = self.selected_thread() else {
                    self.warn("No thread selected");
                    return vec![];
                };
                let t = &self.doc.threads[i];
                self.popup = Some(Popup::Verdict(VerdictPopup::new(t.id.clone(), &t.verdict)));
            }
            Action::DeleteDraft => {
                if self.draft.is_some() {
                    self.question = Some(Question::DeleteDraft);
                } else {
                    self.say("No unsent draft to delete");
                }
            }
            Action::Export => self.popup = Some(Popup::Export(ExportPopup::default())),
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
            Action::ManageVersions => {
                self.popup = Some(Popup::Versions(VersionsPopup::new(&self.doc)));
            }
            Action::Terms | Action::Glossary => self.open_terms(action == Action::Glossary),
            Action::AcceptText => {
                let changed: Vec<String> = (self.doc.version_info.iter())
                    .filter(|v| v.changed)
                    .map(|v| v.id.clone())
                    .collect();
                let shown = [self.doc.right_version.clone(), self.doc.left_version.clone()];
                match shown.into_iter().find(|v| changed.contains(v)) {
                    Some(id) => self.question = Some(Question::AcceptText { id }),
                    None if changed.is_empty() => {
                        self.say("Every version's file is the text the review recorded");
                    }
                    None => self.say("A version not shown changed: S lists it, A there records it"),
                }
            }
            Action::Versions => {
                if self.doc.versions.len() < 2 {
                    self.say("This review has only one version");
                } else {
                    self.popup = Some(Popup::Compare(ComparePopup::new(&self.doc)));
                }
            }
            Action::ScrollUp { column, row } | Action::ScrollDown { column, row } => {
                let d = if matches!(action, Action::ScrollUp { .. }) { -3 } else { 3 };
                if let Some(p) = self.pane_at(column, row) {
                    return self.give_pane(p, |pane, cx| pane.wheel(d, cx));
                }
            }
            Action::Click { column, row } => {
                if let Some(p) = self.pane_at(column, row) {
                    let area = a.pane(p).unwrap_or_default();
                    self.set_focus(p);
                    return self.give_pane(p, |pane, cx| pane.click(row, area, cx));
                }
            }
            _ => {}
        }
        vec![]
    }

    /// `t` / `Y`: the terms at the selection (the selected lines, else the cursor's row, or
    /// the clause when the outline has the keys), or every term.
    fn open_terms(&mut self, all: bool) {
        let rows = (self.focus == PaneId::Texts).then(|| {
            let c = self.texts.cursor;
            let s = self.texts.selection.unwrap_or(c);
            s.min(c)..s.max(c) + 1
        });
        match TermsPopup::open(&self.doc, all, rows, self.clause) {
            Ok((p, note)) => {
                if let Some(n) = note {
                    self.say(n);
                }
                self.popup = Some(Popup::Terms(p));
            }
            Err(e) => self.say(e),
        }
    }

    /// Give pane `p` the keys; the layout may change with it (a focused threads pane grows),
    /// so the texts' cursor and the selected thread are kept in view.
    fn set_focus(&mut self, p: PaneId) {
        self.focus = p;
        let a = self.areas();
        self.texts.keep_cursor_visible(&self.doc, &a);
        self.threads.clamp(&cx!(self, &a));
    }

    /// The pane at a screen position.
    fn pane_at(&self, column: u16, row: u16) -> Option<PaneId> {
        let a = self.areas();
        let pos = ratatui::layout::Position { x: column, y: row };
        a.panes.iter().find(|(_, r)| r.contains(pos)).map(|(p, _)| *p)
    }

    fn prompt_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(p) = &mut self.prompt else { return vec![] };
        let kind = p.kind;
        let event = p.handle(action);
        let text = p.text.clone();
        let a = self.areas();
        match event {
            PromptEvent::Edited => {
                if kind == PromptKind::Search {
                    // Incremental: show hits while typing.
                    self.texts.search_as_typed(&self.doc, &text);
                }
                vec![]
            }
            PromptEvent::Cancelled => {
                self.prompt = None;
                if kind == PromptKind::Search {
                    self.texts.search = None;
                }
                vec![]
            }
            PromptEvent::Submitted(query) => {
                self.prompt = None;
                match kind {
                    PromptKind::Search => {
                        let msg = self.texts.search_submitted(&self.doc, &a, &query);
                        self.sync_clause();
                        self.run(msg.into_iter().collect())
                    }
                    PromptKind::Jump if import_paths(&query).is_some() => {
                        self.import(import_paths(&query).unwrap_or_default())
                    }
                    PromptKind::Jump => match self.doc.find_clause(&query) {
                        Some(i) => {
                            self.select_clause(i);
                            let id = self.doc.clauses[i].id.clone();
                            self.say(format!("Clause {}", crate::text::sanitize_line(&id)));
                            vec![]
                        }
                        None => {
                            self.warn(format!(
                                "No clause {} in either version",
                                crate::text::sanitize_line(&query)
                            ));
                            vec![]
                        }
                    },
                }
            }
        }
    }

    /// Reopen the unsent draft, if there is one. Returns whether it did.
    fn reopen_draft(&mut self) -> bool {
        let Some(d) = self.draft.take() else { return false };
        self.say(format!("Your unsent draft ({}) reopened", d.describe()));
        self.open_editor(d.target, &d.body);
        true
    }

    /// Open the editor below the texts (which keep their cursor in view).
    fn open_editor(&mut self, target: DraftTarget, body: &str) {
        self.editor = Some(Editor::new(target, body));
        self.relayout();
    }

    /// Close the editor; the texts and threads get its room back.
    fn close_editor(&mut self) -> Option<Editor> {
        let e = self.editor.take();
        self.relayout();
        e
    }

    /// The layout changed (the editor opened or closed, the focus moved): keep the texts'
    /// cursor, the selected thread and the editor's cursor in view.
    fn relayout(&mut self) {
        let a = self.areas();
        self.texts.keep_cursor_visible(&self.doc, &a);
        self.threads.clamp(&cx!(self, &a));
        if let Some(e) = &mut self.editor {
            e.keep_cursor_visible(a.editor);
        }
    }

    /// `E` / `D`: your last comment in the selected thread, to edit or delete.
    fn own_comment(&mut self, delete: bool) -> Vec<Effect> {
        let Some(i) = self.selected_thread() else {
            self.warn("No thread selected");
            return vec![];
        };
        let t = &self.doc.threads[i];
        let Some(c) = t.comments.iter().rev().find(|c| c.author == self.author) else {
            let who = crate::text::sanitize_line(&self.author);
            self.warn(format!("No comment by {who} in this thread: only its author changes one"));
            return vec![];
        };
        let (thread, comment) = (t.id.clone(), c.id.clone());
        if !delete {
            let body = c.body.clone();
            self.say("Editing your comment: Ctrl+S saves the new text");
            self.open_editor(DraftTarget::Edit { thread, comment }, &body);
        } else if t.comments.last().is_some_and(|last| last.id != comment) {
            self.warn("A reply follows your comment: it can be edited (E), not deleted");
        } else {
            self.question = Some(Question::DeleteComment { thread, comment });
        }
        vec![]
    }

    fn editor_action(&mut self, action: Action) -> Vec<Effect> {
        // The wheel scrolls the texts (or the threads) under it: read while writing.
        if let Action::ScrollUp { column, row } | Action::ScrollDown { column, row } = action {
            let d = if matches!(action, Action::ScrollUp { .. }) { -3 } else { 3 };
            return match self.pane_at(column, row) {
                Some(p) => self.give_pane(p, |pane, cx| pane.wheel(d, cx)),
                None => vec![],
            };
        }
        let area = self.areas().editor;
        let Some(editor) = &mut self.editor else { return vec![] };
        let event = editor.handle(action);
        editor.keep_cursor_visible(area);
        match event {
            EditorEvent::Edited => vec![],
            EditorEvent::External => {
                let body = editor.body();
                self.say("Editing in $EDITOR…");
                vec![Effect::EditExternally { body }]
            }
            EditorEvent::Empty => {
                self.warn("Nothing to post: type a comment, or Esc to cancel");
                vec![]
            }
            EditorEvent::Post(_) if self.saving => {
                self.warn(
                    "Still saving the last change: Ctrl+S again in a moment (your text stays)",
                );
                vec![]
            }
            EditorEvent::Post(post) => {
                let (draft, change) = *post;
                // The recovery file holds the text while it is saved (a crash or a signal
                // meanwhile loses nothing); it goes when the save succeeds.
                let unwritten = editor.written != draft.body;
                self.close_editor();
                self.posting = Some(draft.clone());
                let mut fx = if unwritten { vec![Effect::WriteDraft(Some(draft))] } else { vec![] };
                fx.extend(self.apply_change(change));
                fx
            }
            EditorEvent::Cancel => {
                if !editor.has_changes() {
                    self.close_editor();
                    self.say("Cancelled");
                    return vec![Effect::WriteDraft(None)];
                }
                self.question = Some(Question::DiscardEdit);
                vec![]
            }
            EditorEvent::Quit => self.quit(),
        }
    }

    fn confirm(&mut self, q: Question, action: Action) -> Vec<Effect> {
        let (yes, no, keep) = (action == Action::Yes, action == Action::No, action == Action::Keep);
        if !(yes || no || keep) {
            return vec![];
        }
        self.question = None;
        match q {
            Question::Quit => {
                if yes {
                    return vec![Effect::WriteDraft(self.unsent()), Effect::Quit];
                }
            }
            Question::DiscardEdit => {
                if yes {
                    self.close_editor();
                    self.say("Draft discarded");
                    return vec![Effect::WriteDraft(None)];
                } else if keep {
                    let d = self.close_editor().map(|e| e.draft());
                    self.draft = d.clone();
                    self.say("Draft kept, unsent: a or r reopens it, d deletes it");
                    return vec![Effect::WriteDraft(d)];
                }
            }
            Question::DeleteComment { thread, comment } => {
                if yes {
                    return self.apply_change(ReviewChange::DeleteComment { thread, comment });
                }
            }
            Question::RemoveVersion { id } if yes => {
                return self.apply_and_refresh(ReviewChange::RemoveVersion { id });
            }
            Question::AcceptText { id } if yes => {
                return self.apply_and_refresh(ReviewChange::AcceptText { id });
            }
            Question::RemoveVersion { .. } | Question::AcceptText { .. } => {}
            Question::DeleteDraft => {
                if yes {
                    self.draft = None;
                    self.say("Draft deleted");
                    return vec![Effect::WriteDraft(None)];
                }
            }
            Question::Recover => return self.recover(yes, keep),
        }
        vec![]
    }

    /// The answer to the question about the first recovered draft: `yes` opens it in the
    /// editor, `keep` keeps it as the unsent draft (`a` or `r` reopens it), else it is
    /// discarded. Taken over, it is in this session's recovery file before the file it came
    /// from is removed; when the editor or the unsent draft is taken already, it stays in
    /// its file, offered again on the next start. The next one is asked about after.
    fn recover(&mut self, yes: bool, keep: bool) -> Vec<Effect> {
        if self.recovered.is_empty() {
            return vec![];
        }
        let r = self.recovered.remove(0);
        let mut fx = Vec::new();
        let d = r.draft.clone();
        let taken = if yes && self.editor.is_none() {
            self.say(format!("Recovered draft ({}) reopened", d.describe()));
            self.open_editor(d.target.clone(), &d.body);
            true
        } else if (yes || keep) && self.draft.is_none() && self.editor.is_none() {
            self.draft = Some(d.clone());
            self.say("Draft kept, unsent: a or r reopens it, d deletes it");
            true
        } else if yes || keep {
            self.say("You are on another draft: this one stays in its file, offered next time");
            false
        } else {
            self.say("Recovered draft discarded");
            if let Some(p) = r.path.clone() {
                fx.push(Effect::DiscardRecovered(p));
            }
            false
        };
        if taken {
            fx.push(Effect::WriteDraft(Some(d)));
            if let Some(p) = r.path {
                fx.push(Effect::DiscardRecovered(p));
            }
        }
        if !self.recovered.is_empty() {
            self.question = Some(Question::Recover);
        }
        fx
    }

    /// What the last write of the recovery file came to.
    fn draft_written(&mut self, result: Result<Kept, String>) {
        let was = self.kept.take();
        match &result {
            Ok(Kept::Elsewhere { path, why })
                if !matches!(was, Some(Ok(Kept::Elsewhere { .. }))) =>
            {
                self.warn(format!(
                    "Draft kept in {}: it cannot be kept next to the review ({why})",
                    path.display()
                ));
            }
            Ok(Kept::Here(path)) if matches!(was, Some(Err(_) | Ok(Kept::Elsewhere { .. }))) => {
                self.say(format!("The draft is kept in {} again", path.display()));
            }
            Err(e) if !matches!(was, Some(Err(_))) => self.warn(format!(
                "Your draft could not be written to disk: it stays here, and if you quit, it is \
                 printed on the terminal after the workbench closes ({e})"
            )),
            _ => {}
        }
        self.kept = match result {
            Ok(Kept::Removed) => None,
            other => Some(other),
        };
    }

    fn popup_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(mut p) = self.popup.take() else { return vec![] };
        let a = self.areas();
        let (close, msgs) = p.handle(&action, &self.cx(&a));
        if !close {
            self.popup = Some(p);
        }
        self.run(msgs)
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
        if self.mode() == Mode::Normal || c.matches.is_empty() {
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
        let c = Closest { version, matches };
        self.popup = Some(Popup::Closest(ClosestPopup::new(&c)));
        self.closest = Some(c);
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
            self.texts.clear_heights();
            self.clause = self.doc.clause_at_row(self.texts.cursor).unwrap_or(0);
            self.threads.reset();
            self.keep_outline_visible();
            return;
        }
        if doc.right_version != self.doc.right_version {
            // A ranking is of the right-hand text: one for another text is of no use now.
            self.ranking = None;
            self.ranked = None;
        }
        let mode = match (doc.normalized, doc.ignore_case) {
            (true, false) => "normalised",
            (true, true) => "normalised, case folded",
            (false, false) => "exact",
            (false, true) => "exact but for case",
        };
        self.say(format!(
            "Comparing {} with {} ({mode})",
            crate::text::sanitize_line(&doc.left_version),
            crate::text::sanitize_line(&doc.right_version)
        ));
        self.doc = doc;
        let search = self.texts.search.take().map(|s| s.query);
        self.texts = Texts::with_wrap(self.texts.wrap);
        self.threads.reset();
        self.clause = 0;
        self.outline.top = 0;
        if let Some(query) = search {
            let s = Texts::run_search(&self.doc, &query);
            self.texts.search = if s.hits.is_empty() { None } else { Some(s) };
        }
        // The clause followed through the clause pairs (the workspace found it), not an id
        // that may name another clause in the other versions.
        match self.doc.follow {
            Some(i) => self.select_clause(i),
            None => self.sync_clause(),
        }
    }
}

impl App {
    /// `:import FILE…`: import the mail in these files through the session, saved at once.
    fn import(&mut self, paths: Vec<String>) -> Vec<Effect> {
        if paths.is_empty() {
            self.warn(":import FILE…: name mail files (mbox, .eml) or Maildir folders");
            return vec![];
        }
        self.apply_change(ReviewChange::Import { paths })
    }

    /// An import was saved: its report opens when the keys are free; while something else
    /// has them, it goes to the message log (`m`), so nothing typed is taken.
    fn show_import(&mut self, report: crate::review::import::ImportReport) {
        if self.mode() == Mode::Normal {
            self.popup = Some(Popup::Import(ImportPopup::new(report)));
            return;
        }
        for (_, line) in report.lines() {
            if self.log.len() >= LOG_SIZE {
                self.log.pop_front();
            }
            self.log.push_back((line, false));
        }
        self.say(format!("{}: m shows the report", report.outcome()));
    }
}

/// What the status says while `version` is being ranked.
pub fn ranking_note(version: &str) -> String {
    format!("Ranking {} against the SPDX licenses…", crate::text::sanitize_line(version))
}

#[cfg(test)]
pub(crate) mod tests;

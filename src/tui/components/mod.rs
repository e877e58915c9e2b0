//! The workbench's components: each pane, each picker, the prompts and the comment editor
//! keep their own state, handle their own keys and draw their own view (as gitui keeps one
//! file per popup and helix serves every picker with one `Picker<T>`).
//!
//! A component never reaches into another: what it wants done elsewhere (select a clause,
//! apply a change, say something) it returns as [`Msg`]s, which [`super::app::App`] carries
//! out. Panes are listed by the layout ([`super::render::Areas::panes`]), so the focus cycle
//! is whatever the layout shows: a new pane is a new file and a place in the layout.
//!
//! Like `update` and `view`, components do no I/O.

pub mod closest;
pub mod compare;
pub mod confirm;
pub mod criteria;
pub mod editor;
pub mod export;
pub mod filter;
pub mod help;
pub mod import;
pub mod log;
pub mod matrix;
pub mod outline;
pub mod picker;
pub mod popup;
pub mod prompt;
pub mod terms;
pub mod texts;
pub mod thread_list;
pub mod threads;
pub mod verdict;
pub mod versions;

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders};

use super::action::{Draft, Effect, ReviewChange};
use super::doc::{CriterionView, Document};
use super::render::Areas;

/// The panes that can have the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneId {
    /// The clause outline.
    Outline,
    /// The two texts side by side.
    Texts,
    /// The threads of the selected clause.
    Threads,
    /// Every thread of the review (`T`), in the texts' place.
    ThreadList,
    /// The clause-by-criterion matrix (`M`), in the texts' place.
    Matrix,
}

/// What the main area (right of the outline) shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MainView {
    /// The two texts side by side.
    #[default]
    Texts,
    /// Every thread of the review.
    ThreadList,
    /// The clause-by-criterion matrix.
    Matrix,
}

impl MainView {
    /// The pane that shows it.
    pub fn pane(self) -> PaneId {
        match self {
            MainView::Texts => PaneId::Texts,
            MainView::ThreadList => PaneId::ThreadList,
            MainView::Matrix => PaneId::Matrix,
        }
    }
}

/// What a component may read of the workbench while it handles an action or draws.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    pub doc: &'a Document,
    /// The selected clause pair (index into `doc.clauses`).
    pub clause: usize,
    pub areas: &'a Areas,
    pub criteria: &'a [CriterionView],
    /// The unsent draft kept for later, if any.
    pub draft: Option<&'a Draft>,
    /// Who writes comments.
    pub author: &'a str,
}

/// What a component asks the workbench to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// Something for the runtime.
    Effect(Effect),
    /// Apply and save a change to the review (the status line says "Saving…").
    Apply(ReviewChange),
    /// Compare versions `left` and `right` (as now: normalised or exact, case folded or
    /// not; the selection follows its clause).
    Compare { left: String, right: String },
    /// The same, once the change being saved is saved (a license picked with `L` is
    /// compared after it was added to the review as a version).
    CompareAfterSave { left: String, right: String },
    /// What the status line says when the next comparison arrives.
    CompareNote(String),
    /// A note for the status line.
    Say(String),
    /// A failure for the status line.
    Warn(String),
    /// Select clause pair `i`: the texts jump to it and the outline shows it.
    SelectClause(usize),
    /// Show thread `doc.threads[i]`: its clause in the texts, it selected in the threads pane.
    GoToThread(usize),
    /// Show clause pair `i` in the texts, its threads in the threads pane.
    GoToClause(usize),
    /// The threads list shows these threads.
    SetFilter(thread_list::Filter),
    /// Ask this before doing it.
    Ask(confirm::Question),
}

/// A pane: a part of the main screen that can have the focus.
pub trait Pane {
    /// Handle an action meant for the focused pane (moves, pages). `None`: not one of its
    /// actions.
    fn handle(&mut self, action: &super::action::Action, cx: &Cx) -> Option<Vec<Msg>>;
    /// The mouse wheel over the pane: `delta` lines (negative: up).
    fn wheel(&mut self, delta: isize, cx: &Cx) -> Vec<Msg>;
    /// A click at `row` (a screen row inside `area`, the pane's rectangle).
    fn click(&mut self, row: u16, area: ratatui::layout::Rect, cx: &Cx) -> Vec<Msg>;
}

/// Border colour of the focused pane.
pub const FOCUS: Style = Style::new().fg(Color::Cyan);
/// Secondary text.
pub const DIM: Style = Style::new().fg(Color::DarkGray);
/// Keys, ids.
pub const KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);

/// The block around a pane: thick and coloured when focused.
pub fn pane_block(title: String, focused: bool) -> Block<'static> {
    let b = Block::new().borders(Borders::ALL).title(title);
    if focused { b.border_style(FOCUS).border_type(BorderType::Thick) } else { b.border_style(DIM) }
}

/// The rectangle of a `w` x `h` popup centred in `area`.
pub fn popup_area(area: ratatui::layout::Rect, w: u16, h: u16) -> ratatui::layout::Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    ratatui::layout::Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// How a verdict looks wherever it is shown.
pub fn verdict_style(v: &str) -> Style {
    match v {
        "conforms" => Style::new().fg(Color::Green),
        "concern" => Style::new().fg(Color::Yellow),
        "conflict" => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        "question" => Style::new().fg(Color::Cyan),
        _ => Style::new(),
    }
}

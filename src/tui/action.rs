//! What the workbench can be asked to do ([`Action`]) and what it asks the runtime to do in
//! turn ([`Effect`]).
//!
//! Keys and mouse events become actions through the keymap; actions are data (serde,
//! `snake_case`) so that a keymap can later come from a file, and so tests can replay them.
//! `update` never performs I/O: saving, writing the draft file and re-comparing are effects,
//! and their results come back as actions.

use serde::{Deserialize, Serialize};

use super::doc::{Document, LicenseMatch, ThreadView};

/// A key as text-entry modes (prompts, the comment editor) receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyIn {
    pub key: KeyName,
    #[serde(default)]
    pub ctrl: bool,
    #[serde(default)]
    pub alt: bool,
    #[serde(default)]
    pub shift: bool,
}

/// Key names for text entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyName {
    Char(char),
    Enter,
    Backspace,
    Delete,
    Tab,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Esc,
}

/// Every request the workbench understands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Quit; asks first when an unsent draft exists.
    Quit,
    /// Move the selection in the focused pane.
    Up,
    Down,
    PageUp,
    PageDown,
    /// First / last row, clause or thread of the focused pane.
    Top,
    Bottom,
    /// Focus the next / previous pane (outline, texts, threads).
    FocusNext,
    FocusPrev,
    /// Next / previous change; while a search is active, next / previous hit.
    Next,
    Prev,
    /// Open the `/` search prompt.
    Search,
    /// Open the `:` clause prompt.
    Jump,
    /// Leave search, selection or an overlay.
    Escape,
    /// Toggle the normalised / exact comparison.
    ToggleNormalized,
    /// Toggle case folding (pairing and word diff alike).
    ToggleCase,
    /// Open the versions dialog: add, name, date, remove versions; choose what is compared.
    ManageVersions,
    /// Record the text now in a changed version's file as that version (asks first).
    AcceptText,
    /// Toggle line wrapping at word boundaries.
    ToggleWrap,
    /// Scroll both texts sideways (when not wrapping) by a step of columns, or back to the
    /// first column.
    PanLeft,
    PanRight,
    PanStart,
    /// Show or hide the help overlay.
    Help,
    /// Show every message of the session, whole.
    MessageLog,
    /// Suspend to the shell (`Ctrl+Z`); `fg` comes back.
    Suspend,
    /// Start or end a selection of lines in the texts (the quote of a new thread).
    SelectLines,
    /// New thread on the selected clause (or the selected lines, or the current search hit).
    NewThread,
    /// Reply to the selected thread.
    Reply,
    /// Edit your last comment in the selected thread.
    EditComment,
    /// Delete your last comment in the selected thread, when no reply follows it (asks).
    DeleteComment,
    /// In the editor: hand the text to `$VISUAL`/`$EDITOR` and take it back.
    ExternalEditor,
    /// Resolve or reopen the selected thread.
    ToggleResolved,
    /// Open the criteria picker for the selected thread.
    Criteria,
    /// Open the verdict picker for the selected thread.
    Verdict,
    /// Delete the unsent draft (asks first).
    DeleteDraft,
    /// Open the picker of which versions to compare.
    Versions,
    /// Show (or hide) every thread of the review in the texts' place.
    ShowThreads,
    /// Show (or hide) the clause-by-criterion matrix in the texts' place.
    ShowMatrix,
    /// Filter the threads list by status, verdict, criterion, author.
    Filter,
    /// Go to the next / previous thread of the review, in reading order.
    NextThread,
    PrevThread,
    /// Open the export picker (Markdown, HTML, plain text, JSON summary of the review).
    Export,
    /// Rank the SPDX licenses closest to the right-hand version, then pick one to compare
    /// on the left.
    Closest,
    /// Show the definition of the defined term at the selection (choose when several).
    Terms,
    /// List every defined term of both versions, with how it changed.
    Glossary,
    /// Answer yes / no to a question, or confirm / cancel a picker or prompt.
    Yes,
    No,
    /// Keep the draft for later (answer to "discard this draft?").
    Keep,
    /// Toggle the highlighted item of a picker.
    Toggle,
    /// A letter typed in a picker: picks the item it stands for, if any.
    Pick(char),
    /// Confirm a prompt or picker (`Enter`), post from the editor (`Ctrl+S`).
    Submit,
    /// A key typed into a prompt or the editor.
    Input(KeyIn),
    /// Text pasted into a prompt or the editor.
    Paste(String),
    /// Mouse wheel and click, in terminal cells.
    ScrollUp {
        column: u16,
        row: u16,
    },
    ScrollDown {
        column: u16,
        row: u16,
    },
    /// Horizontal wheel (or Shift + wheel): the texts scroll sideways when not wrapping.
    ScrollLeft {
        column: u16,
        row: u16,
    },
    ScrollRight {
        column: u16,
        row: u16,
    },
    Click {
        column: u16,
        row: u16,
    },
    /// The terminal size.
    Resize {
        width: u16,
        height: u16,
    },
    /// Idle tick: time to write the draft recovery file if it changed.
    Tick,
    /// Results the runtime feeds back.
    ///
    /// A change's save ran (off the UI thread); [`Effect::FinishSave`] takes it in.
    #[serde(skip)]
    SaveDone,
    /// A change was saved: what to tell, and the threads as they now are.
    #[serde(skip)]
    Saved {
        message: String,
        threads: Vec<ThreadView>,
    },
    /// A change could not be saved (the file is as it was).
    #[serde(skip)]
    Failed {
        message: String,
    },
    /// Something else went wrong (a comparison, an export, a recovery file): told, nothing
    /// more.
    #[serde(skip)]
    Problem(String),
    /// The draft recovery file was written (or removed), or why not.
    #[serde(skip)]
    DraftWritten(Result<super::recovery::Kept, String>),
    #[serde(skip)]
    Compared(Box<Document>),
    /// The clause-by-criterion matrix (or why not).
    #[serde(skip)]
    MatrixReady(Box<Result<super::doc::MatrixView, String>>),
    /// The text came back from `$EDITOR` (or why not).
    #[serde(skip)]
    ExternallyEdited(Result<String, String>),
    /// A summary was written: where.
    #[serde(skip)]
    Exported {
        message: String,
    },
    /// The SPDX licenses closest to `version`, best first. Ranking runs in the background:
    /// this comes later, when the user may have moved on (see [`App::update`]).
    ///
    /// [`App::update`]: super::app::App::update
    #[serde(skip)]
    Ranked {
        version: String,
        matches: Vec<LicenseMatch>,
    },
    /// A mail import was saved (after its [`Action::Saved`]): what it read and placed.
    #[serde(skip)]
    Imported(Box<crate::review::import::ImportReport>),
    /// Ranking `version` failed.
    #[serde(skip)]
    RankFailed {
        version: String,
        message: String,
    },
}

/// A change to the review, performed and saved at once by the runtime. `AddVersion` adds a
/// version `id` whose text is at `path` (`spdx:ID` for a license of the SPDX list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewChange {
    NewThread {
        version: String,
        clause: String,
        quote: Option<Quote>,
        body: String,
    },
    Reply {
        thread: String,
        body: String,
    },
    SetStatus {
        thread: String,
        open: bool,
    },
    SetVerdict {
        thread: String,
        verdict: String,
    },
    SetCriteria {
        thread: String,
        criteria: Vec<String>,
    },
    AddVersion {
        id: String,
        path: String,
    },
    /// A version from what the user typed: a path from the current folder, or `spdx:ID`.
    NewVersion {
        id: String,
        spec: String,
        label: Option<String>,
        date: Option<String>,
    },
    SetVersionInfo {
        id: String,
        label: Option<String>,
        date: Option<String>,
    },
    RemoveVersion {
        id: String,
    },
    AcceptText {
        id: String,
    },
    EditComment {
        thread: String,
        comment: String,
        body: String,
    },
    DeleteComment {
        thread: String,
        comment: String,
    },
    /// Import the mail in these files or folders (paths from the folder lrw was started in),
    /// as `lrw import` does; the report comes back as [`Action::Imported`].
    Import {
        paths: Vec<String>,
    },
}

/// What a draft will become when posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DraftTarget {
    NewThread {
        version: String,
        clause: String,
        quote: Option<Quote>,
    },
    Reply {
        thread: String,
    },
    /// New text for one's own comment `comment` of `thread`.
    Edit {
        thread: String,
        comment: String,
    },
}

/// A passage quoted by a new thread: its exact text, which starts at byte `start` of the
/// 1-based `line` of the version's text (it may run over several lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub line: usize,
    pub start: usize,
}

/// A comment being written: kept in a recovery file so nothing typed is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub target: DraftTarget,
    pub body: String,
}

/// A draft found in a recovery file at start (see [`super::recovery`]), offered back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub draft: Draft,
    /// Who wrote it and when (RFC 3339), and on which machine, when the file says.
    pub author: Option<String>,
    pub at: Option<String>,
    pub host: Option<String>,
    /// Its file, removed once the draft is taken over or discarded.
    pub path: Option<std::path::PathBuf>,
}

impl Recovered {
    /// A draft with nothing known of where it came from.
    pub fn bare(draft: Draft) -> Recovered {
        Recovered { draft, author: None, at: None, host: None, path: None }
    }
}

impl Draft {
    /// A short description for prompts: "new thread on 2.2(b)" / "reply to t-7f3a9c".
    pub fn describe(&self) -> String {
        match &self.target {
            DraftTarget::NewThread { clause, .. } => format!("new thread on {clause}"),
            DraftTarget::Reply { thread } => format!("reply to {thread}"),
            DraftTarget::Edit { thread, .. } => format!("your comment in {thread}"),
        }
    }
}

/// Requests from `update` to the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Apply a change to the review and save it at once: made and checked on the UI thread,
    /// saved off it (a large review takes a while to write), the result coming back as
    /// [`Action::SaveDone`], then [`Action::Saved`] or [`Action::Failed`]. One at a time.
    Apply(ReviewChange),
    /// Take in the save that has just run: [`Action::Saved`] or [`Action::Failed`].
    FinishSave,
    /// Write the session's draft recovery file (`None`: remove it); the result comes back
    /// as [`Action::DraftWritten`].
    WriteDraft(Option<Draft>),
    /// Remove a recovery file found at start (its draft was taken over or discarded).
    DiscardRecovered(std::path::PathBuf),
    /// Rebuild the document for these versions and this comparison mode (formatting folded
    /// or not, case folded or not). `follow` names the selected clause pair by its clause on
    /// each version shown, as (version, clause id): the new document selects the same
    /// clause, found through the clause pairs, not by id.
    Compare {
        left: String,
        right: String,
        normalized: bool,
        ignore_case: bool,
        follow: Vec<(String, String)>,
    },
    /// Write a summary of the review in `format` (`md`, `html`, `txt`, `json`), anchors shown
    /// against `version`.
    Export { format: String, version: String },
    /// Rank the SPDX licenses by how close they are to the text of `version`; the best
    /// `top` come back as [`Action::Ranked`] (or [`Action::RankFailed`]). Performed in the
    /// background: the result arrives while keys go on being handled.
    Rank { version: String, top: usize },
    /// Build the clause-by-criterion matrix with the threads placed on `version`; it comes
    /// back as [`Action::MatrixReady`].
    Matrix { version: String },
    /// Let the user edit `body` in their own editor (`$VISUAL`, `$EDITOR`); the text comes
    /// back as [`Action::ExternallyEdited`]. The terminal is handed over meanwhile.
    EditExternally { body: String },
    /// Hand the terminal back to the shell and stop (as `Ctrl+Z` does to other programs);
    /// on `fg`, take it again and draw the screen anew.
    Suspend,
    /// Leave the workbench.
    Quit,
}

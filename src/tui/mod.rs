//! The workbench: a terminal UI over the core.
//!
//! Events flow one way: a crossterm event goes through the mode-dependent [`keymap`] to an
//! [`action::Action`]; [`app::App::update`] applies it and returns [`action::Effect`]s
//! (save the review, write the draft recovery file, compare other versions); the runtime
//! performs them through the core (slow ones, saving a change and ranking the closest
//! licenses, on a background thread, so the loop keeps drawing and taking keys) and feeds the
//! results back as actions;
//! `view` draws the state (`impl Widget for &App`). `update` and `view` do no I/O, so both
//! are tested without a terminal.
//!
//! The state is split into [`components`]: each pane (outline, texts, threads, the threads
//! list, the matrix), each picker and dialog (one file each, over one generic
//! [`components::picker::Picker`]), the prompts and the comment editor keep their own state,
//! handle their own keys and draw themselves; they ask for anything beyond themselves with
//! [`components::Msg`]s that `update` carries out. The panes' focus order is the layout's.

pub mod action;
pub mod app;
pub mod build;
pub mod components;
pub mod doc;
pub mod glossary;
pub mod keymap;
pub mod recovery;
pub mod render;
pub mod runtime;
pub mod testing;
pub mod view;
pub mod workspace;

pub use action::{Action, Effect};
pub use app::App;
pub use doc::Document;

/// Open the workbench on the review at `path`, writing comments as `author`. Returns when
/// the user quits (or a signal asks it to stop); the terminal is restored in every case.
pub fn launch(path: &std::path::Path, author: String) -> Result<(), String> {
    let mut ws = workspace::ReviewWorkspace::open(path)?;
    let doc = ws.initial_document()?;
    runtime::run(&mut ws, doc, author).map_err(|e| format!("terminal: {e}"))
}

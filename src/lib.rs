//! lrw, the license review workbench.
//!
//! The library is the terminal-free core: [`text`] loads license texts and parses their
//! clauses, [`diff`] compares two versions, [`review`] holds review threads and their anchors,
//! [`criteria`] the criteria sets (OSD, OSAID, ...), [`export`] renders summaries, and
//! [`similarity`] ranks the SPDX licenses closest to a text. The
//! `cli` and `tui` modules are thin shells over it; nothing in the core prints or touches a
//! terminal, and the terminal crates are only built with the `tui` feature (the default).

pub mod atomic;
pub mod cli;
pub mod criteria;
pub mod diff;
pub mod export;
pub mod mail;
pub mod review;
pub mod similarity;
pub mod text;
#[cfg(feature = "tui")]
pub mod tui;

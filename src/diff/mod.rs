//! Comparing two versions of a license: word-level differences ([`words`]) and the pairing of
//! clauses between versions ([`align`]).
//!
//! Everything here is plain data (no terminal types), so the command line, the TUI and the
//! review anchors share one diff.

pub mod align;
pub mod words;

pub use align::{ClausePair, ClauseStatus, Unit, align_units};
pub use words::{
    Block, DiffOptions, Hunk, HunkKind, Lines, OddChar, Row, RowSide, RowTag, Side, SideBySide,
    WordDiff, diff, diff_ranges, side_by_side,
};

//! How the word diff compares ([`DiffOptions`]) and how long it may take: the one deadline
//! every stage shares (see [`super::words`]).

use std::time::{Duration, Instant};

use crate::text::normalize::{self, NormalizeOptions};

/// How long a diff may spend on detail before falling back to a coarser result.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(5);

/// Diffs of at most this many items in all run without a deadline: even the worst case is a
/// few milliseconds, while similar reads the clock at every step of its search (an eighth of
/// the time of a heavily rewritten text went to reading it). Callers still check the deadline
/// between such diffs.
const UNTIMED_ITEMS: usize = 4096;

/// The deadline to give similar for a diff of `a` against `b` items (see [`UNTIMED_ITEMS`]).
pub(crate) fn deadline_for(a: usize, b: usize, deadline: Instant) -> Option<Instant> {
    (a + b > UNTIMED_ITEMS).then_some(deadline)
}

/// How to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffOptions {
    /// Compare normalised text (see [`crate::text::normalize`](mod@crate::text::normalize)); otherwise every character
    /// counts, white space included.
    pub normalize: bool,
    /// Fold case (with or without `normalize`).
    pub ignore_case: bool,
    /// Time allowed for detail; see the module documentation.
    pub deadline: Duration,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions { normalize: false, ignore_case: false, deadline: DEFAULT_DEADLINE }
    }
}

impl DiffOptions {
    pub(crate) fn norm(&self) -> NormalizeOptions {
        NormalizeOptions { ignore_case: self.ignore_case }
    }
    /// Whether items are compared through normalisation (case folding alone needs it too).
    pub(crate) fn normalizing(&self) -> bool {
        self.normalize || self.ignore_case
    }
}

/// `text` as the diff compares it under `opts` (normalised and case-folded as asked).
pub(crate) fn normalized_key(text: &str, opts: &DiffOptions) -> String {
    normalize::normalize(text, opts.norm())
}

//! The plain-data report every renderer draws from; it is also the JSON shape (see the module
//! doc of [`crate::export`]).
//!
//! Keeping this separate from the review model means the renderers are pure functions of one
//! value that tests can build by hand, and the JSON contract does not move when the review
//! model's internals do.

use serde::{Deserialize, Serialize};

/// Identifies the JSON shape, so that scripts can refuse a shape they do not know.
pub const FORMAT: &str = "lrw-export/1";

/// Everything an export shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`FORMAT`].
    pub format: String,
    pub title: String,
    /// SPDX id or name of the license under review, when the review names one.
    pub license: Option<String>,
    /// The review file the report was made from, as given on the command line.
    pub review: String,
    /// The compared versions, left first.
    pub versions: Vec<VersionInfo>,
    /// Version id the anchors are shown against (`--version`, default the right side).
    pub shown_against: String,
    /// The versions each thread's `clause_diff` and `clause_change` compare: left and right
    /// of the comparison, or, when the anchors are shown against a third version, the right
    /// side and that version (what the revision changed).
    pub diff_from: String,
    pub diff_to: String,
    /// What was left out on request.
    pub filters: Filters,
    /// The criteria that appear in the shown threads, in set order; matrix columns.
    pub criteria_used: Vec<CriterionInfo>,
    /// Clause x criterion matrix: one row per clause with threads, in document order.
    pub matrix: Vec<MatrixRow>,
    /// One entry per criterion of `criteria_used`, same order.
    pub per_criterion: Vec<CriterionSummary>,
    /// The shown threads, in clause order (orphaned last).
    pub threads: Vec<ThreadReport>,
    /// Defined terms whose definition changed, appeared or disappeared from `diff_from` to
    /// `diff_to`: what a clause whose own words did not change may now mean.
    #[serde(default)]
    pub definitions_changed: Vec<DefinitionChange>,
    pub counts: Counts,
}

/// One compared version of the license text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// Version id in the review (`website`, `submitted`).
    pub id: String,
    /// `left` or `right` in the comparison, or `other`.
    pub role: String,
    /// Path as written in the review (relative to the review file).
    pub path: String,
    /// Hash recorded in the review when the version was added.
    pub sha256: Option<String>,
    /// Hash of the file as read for this report; `None` when it could not be read.
    pub file_sha256: Option<String>,
    /// Date of the version, when the review records one (a `date`, `published` or `added`
    /// key of the version; file dates are not used: a checkout resets them).
    pub date: Option<String>,
    /// Its human name, when the review gives one.
    #[serde(default)]
    pub label: Option<String>,
}

impl VersionInfo {
    /// The file changed since the review recorded its hash (or cannot be read).
    pub fn hash_mismatch(&self) -> bool {
        match (&self.sha256, &self.file_sha256) {
            (Some(a), Some(b)) => !a.eq_ignore_ascii_case(b),
            (Some(_), None) => true,
            _ => false,
        }
    }
}

/// Filters applied to the report (`--open-only`, `--criteria SET`, `--version ID`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    pub open_only: bool,
    /// Only criteria of this set are shown; threads without one are left out.
    pub criteria_set: Option<String>,
    /// Threads of the review left out by the filters.
    pub hidden_threads: usize,
}

/// A criterion as shown: its id and, when a criteria set knows it, its set, number and title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionInfo {
    /// As written in the review (`osd-6`).
    pub id: String,
    pub set: Option<String>,
    pub number: Option<String>,
    /// `None` when no criteria set defines this id.
    pub title: Option<String>,
}

impl CriterionInfo {
    /// `osd-6 (No discrimination against fields of endeavour)`, or the bare id.
    pub fn label(&self) -> String {
        match &self.title {
            Some(t) => format!("{} ({t})", self.id),
            None => self.id.clone(),
        }
    }
}

/// Verdicts and statuses are the review model's own (one list of verdicts, serialised as
/// `conflict`, `concern`, `question`, `conforms`, `note`; statuses as `open`, `resolved`).
pub use crate::review::{Status, Verdict};

/// Where a thread's anchor was found in the version the report is shown against (the review
/// model's own state, which serialises as `exact`, `moved`, `changed`, `orphaned`).
pub use crate::review::AnchorState;

/// How a clause changed between the compared versions (the alignment's own status, which
/// serialises as `unchanged`, `changed`, `renumbered`, `moved`, `added`, `removed`).
pub use crate::diff::ClauseStatus;

/// One row of the clause x criterion matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    /// Clause id in the shown version; for orphaned threads, the id they were anchored to.
    pub clause: String,
    /// True when the row holds only orphaned threads (their clause is gone).
    pub orphaned: bool,
    /// Worst verdict per criterion, same order as `Report::criteria_used`; `null` when no
    /// thread on this clause raises that criterion.
    pub cells: Vec<Option<Verdict>>,
    /// Worst verdict of all threads on the clause, criteria or not.
    pub worst: Verdict,
    pub open: usize,
    pub resolved: usize,
}

/// Per-criterion summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionSummary {
    pub criterion: CriterionInfo,
    /// Clauses whose threads raise this criterion, in document order.
    pub clauses: Vec<String>,
    pub open: usize,
    pub resolved: usize,
    pub worst: Verdict,
}

/// One piece of a clause's word-level diff between the compared versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffSpan {
    pub tag: DiffTag,
    pub text: String,
}

/// Kind of a [`DiffSpan`]: text in both versions, only in the left, only in the right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffTag {
    Equal,
    Delete,
    Insert,
}

/// One review thread as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadReport {
    pub id: String,
    /// Clause id in the shown version (for orphaned threads: the anchored clause id; empty
    /// for a review-level thread).
    pub clause: String,
    /// Where the thread was anchored (`null` for a review-level thread).
    pub anchored: Option<AnchorRef>,
    pub anchor_state: AnchorState,
    /// Clause id it moved to, when `anchor_state` is `moved`.
    pub moved_to: Option<String>,
    /// Confidence of the anchor resolution, 0..1 (absent when not resolved).
    pub score: Option<f64>,
    /// The quoted passage, when the thread is anchored to one.
    pub quote: Option<String>,
    /// What is quoted of the shown version: the paragraph holding the quoted passage, or the
    /// clause (its opening lines when it is long); `None` when orphaned or review-level.
    pub clause_text: Option<String>,
    /// `clause_text` leaves lines out (it ends with `…`).
    #[serde(default)]
    pub clause_text_cut: bool,
    /// How the clause changed from `diff_from` to `diff_to` (`None` when unknown).
    pub clause_change: Option<ClauseStatus>,
    /// Word-level diff of the lines of `clause_text` from `diff_from` to `diff_to`; empty
    /// when they did not change or the change is unknown.
    pub clause_diff: Vec<DiffSpan>,
    pub verdict: Verdict,
    pub status: Status,
    pub criteria: Vec<CriterionInfo>,
    pub comments: Vec<CommentReport>,
    /// Changes of status, verdict and criteria: who, when, from what to what.
    #[serde(default)]
    pub events: Vec<EventReport>,
    /// Changed definitions (names of `definitions_changed`) that the thread's clause uses.
    #[serde(default)]
    pub uses_changed_terms: Vec<String>,
    /// The subject and list address of the mail the thread was imported from, if any.
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub list: Option<String>,
}

impl ThreadReport {
    /// Where it was written: `submitted 2.2(b)`, or `the review` for a review-level thread.
    pub fn anchored_at(&self) -> String {
        match &self.anchored {
            Some(a) => format!("{} {}", a.version, a.clause),
            None => "the review".to_string(),
        }
    }

    /// What a heading calls it: its clause id, or `General` for a review-level thread.
    pub fn heading(&self) -> &str {
        if self.anchored.is_none() { "General" } else { &self.clause }
    }

    /// The caption of [`ThreadReport::clause_text`]: which part of the clause it is.
    pub fn excerpt_caption(&self) -> String {
        if self.quote.is_some() {
            format!("Clause {}, the quoted passage in its paragraph", self.clause)
        } else if self.clause_text_cut {
            format!("Clause {}, its opening lines", self.clause)
        } else {
            format!("Clause {}", self.clause)
        }
    }
}

impl EventReport {
    /// `reviewer-a set status open -> resolved`: what changed, in words (without the time).
    pub fn describe(&self) -> String {
        let show = |v: &str| if v.is_empty() { "none".to_string() } else { v.to_string() };
        format!("{} set {} {} -> {}", self.author, self.field, show(&self.from), show(&self.to))
    }
}

/// A defined term that changed between the compared versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefinitionChange {
    pub term: String,
    /// `changed`, `added` or `removed`.
    pub status: String,
    /// Where it is defined on each side.
    pub left_clause: Option<String>,
    pub right_clause: Option<String>,
    /// Clauses of `diff_to` that use it.
    pub used_in: Vec<String>,
}

/// A version and clause id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnchorRef {
    pub version: String,
    pub clause: String,
}

/// One comment of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentReport {
    #[serde(default)]
    pub id: String,
    pub author: String,
    /// RFC 3339 time as written in the review.
    pub at: String,
    /// When its author last changed it.
    #[serde(default)]
    pub edited_at: Option<String>,
    /// The `Message-ID` of the mail it was imported from.
    #[serde(default)]
    pub message_id: Option<String>,
    pub body: String,
}

/// A change of a thread's status, verdict or criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventReport {
    pub author: String,
    /// RFC 3339 time.
    pub at: String,
    /// `status`, `verdict` or `criteria`.
    pub field: String,
    pub from: String,
    pub to: String,
}

/// Totals over the shown threads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub threads: usize,
    pub open: usize,
    pub resolved: usize,
    pub comments: usize,
    pub exact: usize,
    pub moved: usize,
    pub changed: usize,
    pub orphaned: usize,
    /// Review-level threads (no clause).
    #[serde(default)]
    pub unanchored: usize,
    pub conflict: usize,
    pub concern: usize,
    pub question: usize,
    pub conforms: usize,
    pub note: usize,
}

impl Counts {
    /// Count the given threads.
    pub fn of(threads: &[ThreadReport]) -> Counts {
        let mut c = Counts { threads: threads.len(), ..Counts::default() };
        for t in threads {
            match t.status {
                Status::Open => c.open += 1,
                Status::Resolved => c.resolved += 1,
            }
            c.comments += t.comments.len();
            match t.anchor_state {
                AnchorState::Exact => c.exact += 1,
                AnchorState::Moved => c.moved += 1,
                AnchorState::Changed => c.changed += 1,
                AnchorState::Orphaned => c.orphaned += 1,
                AnchorState::Unanchored => c.unanchored += 1,
            }
            *c.verdict_mut(t.verdict) += 1;
        }
        c
    }

    /// Number of threads with this verdict.
    pub fn verdict(&self, v: Verdict) -> usize {
        match v {
            Verdict::Conflict => self.conflict,
            Verdict::Concern => self.concern,
            Verdict::Question => self.question,
            Verdict::Conforms => self.conforms,
            Verdict::Note => self.note,
        }
    }

    fn verdict_mut(&mut self, v: Verdict) -> &mut usize {
        match v {
            Verdict::Conflict => &mut self.conflict,
            Verdict::Concern => &mut self.concern,
            Verdict::Question => &mut self.question,
            Verdict::Conforms => &mut self.conforms,
            Verdict::Note => &mut self.note,
        }
    }
}

impl Report {
    /// Fill `matrix`, `per_criterion` and `counts` from `threads` and `criteria_used`.
    ///
    /// `threads` must already be in display order (clause document order, orphaned last):
    /// rows and clause lists follow it.
    pub fn summarise(&mut self) {
        let mut rows: Vec<MatrixRow> = Vec::new();
        for t in &self.threads {
            let orphaned = t.anchor_state == AnchorState::Orphaned;
            let i = match rows.iter().position(|r| r.clause == t.clause && r.orphaned == orphaned) {
                Some(i) => i,
                None => {
                    rows.push(MatrixRow {
                        clause: t.clause.clone(),
                        orphaned,
                        cells: vec![None; self.criteria_used.len()],
                        worst: t.verdict,
                        open: 0,
                        resolved: 0,
                    });
                    rows.len() - 1
                }
            };
            let row = &mut rows[i];
            row.worst = row.worst.worst(t.verdict);
            match t.status {
                Status::Open => row.open += 1,
                Status::Resolved => row.resolved += 1,
            }
            for c in &t.criteria {
                if let Some(col) = self.criteria_used.iter().position(|u| u.id == c.id) {
                    let cell = &mut row.cells[col];
                    *cell = Some(cell.map_or(t.verdict, |v| v.worst(t.verdict)));
                }
            }
        }
        self.matrix = rows;

        self.per_criterion = self
            .criteria_used
            .iter()
            .filter_map(|c| {
                let raising: Vec<&ThreadReport> = self
                    .threads
                    .iter()
                    .filter(|t| t.criteria.iter().any(|x| x.id == c.id))
                    .collect();
                let worst = raising.iter().map(|t| t.verdict).reduce(Verdict::worst)?;
                let mut clauses: Vec<String> = Vec::new();
                for t in &raising {
                    if !clauses.contains(&t.clause) {
                        clauses.push(t.clause.clone());
                    }
                }
                Some(CriterionSummary {
                    criterion: c.clone(),
                    clauses,
                    open: raising.iter().filter(|t| t.status == Status::Open).count(),
                    resolved: raising.iter().filter(|t| t.status == Status::Resolved).count(),
                    worst,
                })
            })
            .collect();
        self.counts = Counts::of(&self.threads);
    }

    /// The version the anchors are shown against.
    pub fn shown_version(&self) -> Option<&VersionInfo> {
        self.versions.iter().find(|v| v.id == self.shown_against)
    }
}

//! The workbench's view-model: everything the screen shows about a review, as plain data.
//!
//! The core (clause tree, alignment, side-by-side diff, anchors) fills a [`Document`] once
//! when a review is opened or the comparison changes; after that, drawing a frame only indexes
//! into it, so the work per frame does not grow with the length of the texts.

/// How a clause changed between the two versions compared (the alignment's own status).
pub use crate::diff::ClauseStatus;

/// One clause pair of the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseRow {
    /// The id shown: the right version's id, or the left one for a removed clause.
    pub id: String,
    pub left_id: Option<String>,
    pub right_id: Option<String>,
    pub heading: String,
    /// 1 for a top-level clause.
    pub depth: usize,
    pub status: ClauseStatus,
    /// Index of the clause's first row in [`Document::rows`].
    pub row: usize,
    /// Threads anchored here (open and resolved), and how many of them are open.
    pub threads: usize,
    pub open: usize,
}

/// A row's kind and sides are the diff core's own: the workbench shows the rows the session's
/// comparison made.
pub use crate::diff::{RowSide, RowTag};

/// One row of the side-by-side view.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    pub left: Option<RowSide>,
    pub right: Option<RowSide>,
    pub tag: RowTag,
    /// The clause pair (index into [`Document::clauses`]) this row belongs to.
    pub clause: Option<usize>,
}

/// Where a thread's anchor landed in the version shown.
#[derive(Debug, Clone, PartialEq)]
pub enum AnchorView {
    /// Clause and quote found, clause unchanged.
    Exact,
    /// Found under another clause id than the one it was written on.
    Moved,
    /// Found, but the clause text changed since the thread was anchored.
    Changed,
    /// Not found: listed apart, never dropped.
    Orphaned,
    /// About the review as a whole: listed with the orphaned ones, under its own label.
    General,
}

impl AnchorView {
    pub fn label(&self) -> &'static str {
        match self {
            AnchorView::Exact => "",
            AnchorView::Moved => "moved",
            AnchorView::Changed => "changed since comment",
            AnchorView::Orphaned => "orphaned",
            AnchorView::General => "general",
        }
    }
}

/// One comment of a thread: the review's own record, shown as it is.
pub use crate::review::Comment as CommentView;

/// A change of a thread's status, verdict or criteria: the review's own record, shown as it is.
pub use crate::review::Event as EventView;

/// A review thread as the workbench shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadView {
    pub id: String,
    /// The clause pair it lands on in this comparison (`None` when orphaned).
    pub clause: Option<usize>,
    /// Version and clause id the thread was written on.
    pub version: String,
    pub anchored_clause: String,
    pub anchor: AnchorView,
    pub open: bool,
    pub verdict: String,
    pub criteria: Vec<String>,
    pub quote: Option<String>,
    pub comments: Vec<CommentView>,
    pub events: Vec<EventView>,
}

/// The clause-by-criterion matrix of the review, as every export has it (built by
/// [`crate::export::Report`]: the same data), with the totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatrixView {
    /// The version the threads are placed on.
    pub version: String,
    /// The criteria raised, in set order: the columns.
    pub criteria: Vec<String>,
    /// One row per clause with threads, in document order; orphaned rows last.
    pub rows: Vec<MatrixRowView>,
    pub threads: usize,
    pub open: usize,
    pub resolved: usize,
}

/// One clause of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRowView {
    /// Its id in the version shown (for orphaned threads, the id they were written on).
    pub clause: String,
    pub orphaned: bool,
    /// The worst verdict per criterion of [`MatrixView::criteria`] (none: not raised here).
    pub cells: Vec<Option<crate::review::Verdict>>,
    /// The worst verdict of all its threads.
    pub worst: crate::review::Verdict,
    pub open: usize,
    pub resolved: usize,
}

/// A version of the review as the versions dialog lists it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VersionView {
    pub id: String,
    pub label: Option<String>,
    pub date: Option<String>,
    /// As the review names it (relative to the review's folder, or `spdx:ID`).
    pub path: String,
    /// Threads anchored on it (it cannot be removed while there are).
    pub threads: usize,
    /// Its file is not the text the review recorded.
    pub changed: bool,
    /// It cannot be read (the message says why).
    pub unreadable: Option<String>,
    /// Where its text was fetched from, and when (RFC 3339), for a version from the web:
    /// a reviewer weighs a page fetched months ago differently.
    pub url: Option<String>,
    pub fetched_at: Option<String>,
}

impl VersionView {
    /// `fetched 2026-12-01 10:42 UTC from https://…` for a version fetched from the web
    /// (untrusted text: made safe where it is drawn).
    pub fn fetched(&self) -> Option<String> {
        let url = self.url.as_deref()?;
        Some(match self.fetched_at.as_deref() {
            Some(at) => format!("fetched {} from {url}", when(at)),
            None => format!("fetched from {url}"),
        })
    }

    /// `fetched 2026-12-01`, for a pane title.
    pub fn fetched_short(&self) -> Option<String> {
        self.url.as_ref()?;
        Some(match self.fetched_at.as_deref() {
            Some(at) => format!("fetched {}", when(at).split(' ').next().unwrap_or_default()),
            None => "fetched".into(),
        })
    }
}

/// An RFC 3339 time as people read it: `2026-12-01 10:42 UTC` (the zone as written); any
/// other text as it is.
fn when(at: &str) -> String {
    let b = at.as_bytes();
    let dated = b.len() >= 16
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't' || b[10] == b' ')
        && b[13] == b':';
    if !dated || !at.is_char_boundary(16) {
        return at.to_string();
    }
    let zone = at[16..].trim_start_matches(|c: char| c == ':' || c.is_ascii_digit() || c == '.');
    let zone = match zone {
        "Z" | "z" | "+00:00" => " UTC".to_string(),
        "" => String::new(),
        z => format!(" {z}"),
    };
    format!("{} {}{zone}", &at[..10], &at[11..16])
}

/// A criterion the picker offers.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionView {
    /// The id stored in reviews, e.g. `osd-6`.
    pub id: String,
    /// The set's title, e.g. "Open Source Definition".
    pub set: String,
    pub number: String,
    pub title: String,
}

/// One SPDX license close to a version's text, as the `L` picker lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseMatch {
    /// SPDX id, e.g. `Apache-2.0`; `spdx:ID` loads its text.
    pub id: String,
    /// Full name from the SPDX License List.
    pub name: String,
    /// Similarity in 0..1 (see [`crate::similarity::rank`]).
    pub score: f64,
    /// Approved by the Open Source Initiative.
    pub osi: bool,
    /// The review's version whose path is already `spdx:ID`, if there is one.
    pub version: Option<String>,
}

/// Everything the workbench shows of one review in one comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    /// Every version id of the review, in file order.
    pub versions: Vec<String>,
    pub left_version: String,
    pub right_version: String,
    /// Whether the comparison folds formatting differences (normalised) or shows them (exact).
    pub normalized: bool,
    /// Whether the comparison folds case (the pairing and the word diff alike).
    pub ignore_case: bool,
    /// Every version of the review with its name, date and use, in file order.
    pub version_info: Vec<VersionView>,
    /// The clause pair the selection moves to (the one followed across a change of the
    /// versions compared), if known.
    pub follow: Option<usize>,
    pub left_lines: Vec<String>,
    pub right_lines: Vec<String>,
    pub rows: Vec<DiffRow>,
    pub clauses: Vec<ClauseRow>,
    pub threads: Vec<ThreadView>,
    /// Warnings shown above the texts (hidden characters, a diff that timed out, ...).
    pub warnings: Vec<String>,
    /// Clauses are paired by id only, for a quick first frame; the fully aligned document
    /// follows.
    pub provisional: bool,
    /// Neither text is numbered, so the clauses are their paragraphs (`¶1`, ...): the outline
    /// says "Paragraphs", not to pass them off as the license's own numbering.
    pub paragraphs: bool,
    /// First row of every run of changed rows, ascending: `n`/`N` jump between these.
    pub change_starts: Vec<usize>,
    /// Row index of each 1-based line (index 0 unused), per side.
    pub left_line_row: Vec<usize>,
    pub right_line_row: Vec<usize>,
    /// The defined terms of both versions, where the texts name them, and the clauses that
    /// use a changed definition.
    pub glossary: super::glossary::Glossary,
}

impl Document {
    /// Fill the indexes derived from rows and threads: change starts, line-to-row maps and
    /// per-clause thread counts. Called once by whoever builds a document.
    pub fn finish(&mut self) {
        self.change_starts.clear();
        let mut prev_equal = true;
        for (i, row) in self.rows.iter().enumerate() {
            let equal = row.tag == RowTag::Equal;
            if !equal && prev_equal {
                self.change_starts.push(i);
            }
            prev_equal = equal;
        }
        self.left_line_row = vec![0; self.left_lines.len() + 1];
        self.right_line_row = vec![0; self.right_lines.len() + 1];
        for (i, row) in self.rows.iter().enumerate() {
            if let Some(s) = &row.left
                && let Some(slot) = self.left_line_row.get_mut(s.line)
            {
                *slot = i;
            }
            if let Some(s) = &row.right
                && let Some(slot) = self.right_line_row.get_mut(s.line)
            {
                *slot = i;
            }
        }
        self.count_threads();
    }

    /// Recount per-clause threads after the thread list changed.
    pub fn count_threads(&mut self) {
        for c in &mut self.clauses {
            c.threads = 0;
            c.open = 0;
        }
        for t in &self.threads {
            if let Some(c) = t.clause.and_then(|i| self.clauses.get_mut(i)) {
                c.threads += 1;
                if t.open {
                    c.open += 1;
                }
            }
        }
    }

    /// The text of one side of a row (empty when the side is absent).
    pub fn side_text(&self, right: bool, side: &RowSide) -> &str {
        let lines = if right { &self.right_lines } else { &self.left_lines };
        lines.get(side.line.wrapping_sub(1)).map(String::as_str).unwrap_or("")
    }

    /// The clause pair holding `row`, looking back to the nearest row that has one.
    pub fn clause_at_row(&self, row: usize) -> Option<usize> {
        self.rows.get(row).and_then(|r| r.clause)
    }

    /// Find a clause by a typed id in any usual spelling (`2.2(b)`, `2.2.b`, `§ 2.2 (b)`,
    /// `Section 2.2(b)`, `p2` for paragraph `¶2`), in the right version first, then the left.
    pub fn find_clause(&self, query: &str) -> Option<usize> {
        let find = |want: &str, eq: &dyn Fn(&str, &str) -> bool| {
            let hit = |id: &Option<String>| id.as_deref().is_some_and(|id| eq(id, want));
            self.clauses
                .iter()
                .position(|c| hit(&c.right_id))
                .or_else(|| self.clauses.iter().position(|c| hit(&c.left_id)))
        };
        // `p2`, `para 2`: a paragraph of a text without numbering (no numbered clause has a
        // `¶` id, so this never hides one).
        if let Some(want) = crate::text::paragraph_id(query)
            && let Some(i) = find(&want, &|a, b| a == b)
        {
            return Some(i);
        }
        if let Some(want) = crate::text::canonical_id(query)
            && let Some(i) = find(&want, &|a, b| a == b)
                .or_else(|| find(&want, &|a, b| a.eq_ignore_ascii_case(b)))
        {
            return Some(i);
        }
        let want = canonical_key(query);
        if want.is_empty() {
            return None;
        }
        find(&want, &|id, want| canonical_key(id) == want)
    }
}

/// A spelling-insensitive key for a clause id: `§ 2.2 (b)`, `Section 2.2.b` and `2.2(b)` all
/// become `2.2.b`.
pub fn canonical_key(query: &str) -> String {
    let mut q = query.trim().to_lowercase();
    for prefix in ["§", "section", "sec.", "article", "art.", "clause"] {
        if let Some(rest) = q.strip_prefix(prefix) {
            q = rest.trim_start().to_string();
            break;
        }
    }
    let mut out = String::new();
    for c in q.chars() {
        match c {
            '(' | '.' => {
                if !out.is_empty() && !out.ends_with('.') {
                    out.push('.');
                }
            }
            ')' | ' ' | '\t' => {}
            _ => out.push(c),
        }
    }
    out.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_keys_fold_usual_spellings() {
        for q in ["2.2(b)", "2.2.b", "§ 2.2 (b)", "Section 2.2(b)", "2.2.B."] {
            assert_eq!(canonical_key(q), "2.2.b", "{q}");
        }
        assert_eq!(canonical_key("1(b)(i)"), "1.b.i");
        assert_eq!(canonical_key(""), "");
    }

    #[test]
    fn clauses_are_found_by_any_usual_spelling() {
        let row = |id: &str, left: bool| ClauseRow {
            id: id.into(),
            left_id: left.then(|| id.to_string()),
            right_id: (!left).then(|| id.to_string()),
            heading: String::new(),
            depth: 1,
            status: ClauseStatus::Unchanged,
            row: 0,
            threads: 0,
            open: 0,
        };
        let doc = Document {
            clauses: vec![row("1", false), row("2.2(b)", false), row("4(a)(iii)", true)],
            ..Document::default()
        };
        for q in ["2.2(b)", "2.2.b", "§ 2.2 (b)", "Section 2.2(b)", "2.2(B)"] {
            assert_eq!(doc.find_clause(q), Some(1), "{q}");
        }
        assert_eq!(doc.find_clause("4.a.iii"), Some(2), "left-only clause");
        assert_eq!(doc.find_clause("9"), None);
        assert_eq!(doc.find_clause(""), None);
    }
}

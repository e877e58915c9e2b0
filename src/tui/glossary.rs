//! The defined terms of the comparison as the workbench shows them: the glossary (every term
//! of either version, how it changed, both definitions), where each line names a term, and
//! which clauses read the same but use a changed definition. Filled once per comparison from
//! the term core ([`crate::diff::terms`]); drawing and the `t` / `Y` dialog only look it up.

use std::ops::Range;

use super::doc::Document;
use crate::diff::terms::{TermComparison, TermStatus};
use crate::diff::{self, Comparison, DiffOptions};

/// One defined term of either version.
#[derive(Debug, Clone, PartialEq)]
pub struct TermView {
    /// The name (the right-hand spelling when both have it).
    pub term: String,
    /// Other names the definition gives it.
    pub aliases: Vec<String>,
    pub status: TermStatus,
    pub left_clause: Option<String>,
    pub right_clause: Option<String>,
    /// The definition in each version (white space collapsed), if it has one there.
    pub left: Option<String>,
    pub right: Option<String>,
    /// The changed words of each definition (byte ranges in `left` / `right`), as the word
    /// diff finds them; empty unless the definition changed.
    pub left_changed: Vec<Range<usize>>,
    pub right_changed: Vec<Range<usize>>,
    /// Right-hand clauses using it (for a removed term: still using its name).
    pub used_in: Vec<String>,
}

/// A term named on a line of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMark {
    /// 1-based line.
    pub line: usize,
    /// Byte range in the line.
    pub range: Range<usize>,
    /// Index in [`Glossary::terms`].
    pub term: usize,
    /// The term's own name in its definition (not a use).
    pub defines: bool,
}

/// The comparison's defined terms (empty while the document is provisional).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Glossary {
    /// Every term of either version, in the order of the right-hand text (a removed term
    /// after the one before it on the left).
    pub terms: Vec<TermView>,
    /// Terms named on each line, sorted by line then start, per side.
    pub left_marks: Vec<LineMark>,
    pub right_marks: Vec<LineMark>,
    /// Per clause pair of the outline: the changed terms (indices in `terms`) it uses while
    /// its own words are unchanged, as `lrw diff --by clause` notes them.
    pub uses_changed: Vec<Vec<usize>>,
}

impl Glossary {
    /// The terms named on `line` of one side.
    pub fn marks(&self, right: bool, line: usize) -> &[LineMark] {
        let marks = if right { &self.right_marks } else { &self.left_marks };
        let a = marks.partition_point(|m| m.line < line);
        let b = a + marks[a..].partition_point(|m| m.line <= line);
        &marks[a..b]
    }

    /// The changed definitions clause pair `clause` uses while its words are unchanged.
    pub fn uses_changed(&self, clause: usize) -> &[usize] {
        self.uses_changed.get(clause).map_or(&[], Vec::as_slice)
    }

    /// The terms named on rows `rows` of `doc` (either side), in order of first appearance.
    pub fn on_rows(&self, doc: &Document, rows: Range<usize>) -> Vec<usize> {
        let mut out = Vec::new();
        for row in doc.rows.get(rows).unwrap_or(&[]) {
            for (right, side) in [(false, &row.left), (true, &row.right)] {
                let Some(side) = side else { continue };
                for m in self.marks(right, side.line) {
                    if !out.contains(&m.term) {
                        out.push(m.term);
                    }
                }
            }
        }
        out
    }
}

/// The glossary of `doc`'s comparison: the term comparison `terms` of the texts `left` and
/// `right` (with their trees), the clause comparison `cmp` (whose sections say which clauses
/// kept their words), under `opts` (the word diff of changed definitions).
pub fn build(
    doc: &Document,
    cmp: &Comparison,
    terms: &TermComparison,
    (left, lt): (&str, &crate::text::ClauseTree),
    (right, rt): (&str, &crate::text::ClauseTree),
    opts: &DiffOptions,
) -> Glossary {
    let views = terms
        .changes
        .iter()
        .map(|c| {
            let l = c.left.and_then(|i| terms.left.get(i));
            let r = c.right.and_then(|j| terms.right.get(j));
            let mut v = TermView {
                term: c.term.clone(),
                aliases: r.or(l).map(|t| t.aliases.clone()).unwrap_or_default(),
                status: c.status,
                left_clause: c.left_clause.clone(),
                right_clause: c.right_clause.clone(),
                left: l.map(|t| t.definition.clone()),
                right: r.map(|t| t.definition.clone()),
                left_changed: Vec::new(),
                right_changed: Vec::new(),
                used_in: c.used_in.clone(),
            };
            if let (TermStatus::Changed, Some(a), Some(b)) = (c.status, &v.left, &v.right) {
                (v.left_changed, v.right_changed) = changed_words(a, b, opts);
            }
            v
        })
        .collect();
    let (lm, rm) = terms.marks(left, lt, right, rt);
    // Each section of the comparison is one clause pair, named by its ids as the outline's.
    let mut by_ids = std::collections::HashMap::new();
    for (s, used) in cmp.sections.iter().zip(terms.sections_using_changed(cmp)) {
        if let Some(ids) = &s.ids
            && !used.is_empty()
        {
            by_ids.entry(ids.clone()).or_insert(used);
        }
    }
    let uses_changed = doc
        .clauses
        .iter()
        .map(|c| by_ids.get(&(c.left_id.clone(), c.right_id.clone())).cloned().unwrap_or_default())
        .collect();
    Glossary {
        terms: views,
        left_marks: line_marks(&doc.left_lines, lm),
        right_marks: line_marks(&doc.right_lines, rm),
        uses_changed,
    }
}

/// The changed words of two wordings of a definition (byte ranges in each), by the diff
/// core's word diff.
fn changed_words(a: &str, b: &str, opts: &DiffOptions) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let sbs = diff::side_by_side(a, b, opts);
    let mut out = (Vec::new(), Vec::new());
    for row in &sbs.rows {
        for (side, list) in [(&row.left, &mut out.0), (&row.right, &mut out.1)] {
            // One line each: a definition's white space is collapsed.
            if let Some(s) = side.as_ref().filter(|s| s.line == 1) {
                list.extend(s.segments.iter().filter(|(_, e)| *e).map(|(r, _)| r.clone()));
            }
        }
    }
    out
}

/// Text marks (sorted by start) as marks on the lines of `lines` (the text split at `\n`); a
/// mark across a line break is marked on each line.
fn line_marks(lines: &[String], marks: Vec<diff::terms::TermMark>) -> Vec<LineMark> {
    let mut out = Vec::with_capacity(marks.len());
    // Byte offset of each line's start; marks come in order, so the line is walked to.
    let mut line = 0usize;
    let mut start = 0usize;
    for m in marks {
        while line + 1 < lines.len() && start + lines[line].len() < m.span.start {
            start += lines[line].len() + 1;
            line += 1;
        }
        let (mut l, mut s) = (line, start);
        while l < lines.len() && s < m.span.end {
            let len = lines[l].len();
            let a = m.span.start.max(s) - s;
            let b = (m.span.end - s).min(len);
            if a < b {
                out.push(LineMark { line: l + 1, range: a..b, term: m.change, defines: m.defines });
            }
            s += len + 1;
            l += 1;
        }
    }
    out.sort_by_key(|m| (m.line, m.range.start));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_land_on_their_lines_and_across_breaks() {
        let lines: Vec<String> = ["ab Output", "Licensed", "Material x"].map(String::from).into();
        let mark = |span: Range<usize>| diff::terms::TermMark { change: 0, span, defines: false };
        // "Output" on line 1; "Licensed\nMaterial" across lines 2 and 3.
        let got = line_marks(&lines, vec![mark(3..9), mark(10..27)]);
        let at: Vec<(usize, Range<usize>)> =
            got.iter().map(|m| (m.line, m.range.clone())).collect();
        assert_eq!(at, [(1, 3..9), (2, 0..8), (3, 0..8)]);
        let g = Glossary { left_marks: got, ..Glossary::default() };
        assert_eq!(g.marks(false, 2).len(), 1);
        assert!(g.marks(false, 4).is_empty());
        assert!(g.marks(true, 1).is_empty());
    }

    #[test]
    fn changed_definitions_have_their_changed_words() {
        let opts = DiffOptions { normalize: true, ..DiffOptions::default() };
        let a = "\"Output\" means anything the Model makes, or a copy of it.";
        let b = "\"Output\" means anything the Model makes.";
        let (l, r) = changed_words(a, b, &opts);
        let words: Vec<&str> = l.iter().map(|x| &a[x.clone()]).collect();
        assert!(words.concat().contains("copy"), "{words:?}");
        assert!(r.iter().all(|x| b.get(x.clone()).is_some()));
    }
}

//! `lrw diff LEFT RIGHT [--by line|clause] [--normalize|--exact] [--ignore-case]
//! [--format side|unified|json] [--width N] [--timeout SECONDS]`.
//!
//! Exit codes follow diff(1): 0 when the texts compare equal (under the chosen comparison),
//! 1 when they differ, 2 when an input cannot be read. The JSON shape is documented in
//! [`crate::diff`]. The side-by-side and unified views end with the defined terms whose
//! definitions changed, and `--by clause` marks an unchanged clause that uses one
//! ([`crate::diff::terms`]).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;
use serde::Serialize;

use super::{CmdResult, Failure, output};
use crate::diff::render::{self, Section, View};
use crate::diff::terms::{Reading, TermChange, TermComparison};
use crate::diff::{self, ClauseStatus, DiffOptions, Hunk, HunkKind, Lines, OddChar, Side};
use crate::text::{ClauseTree, Text};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older text: a path (plain text, HTML, DOCX, ODT or PDF), an http(s) URL (fetched,
    /// nothing written), or spdx:ID.
    pub left: String,
    /// The newer text, named the same ways.
    pub right: String,
    /// Compare the whole texts line by line, or clause by clause (pairs renumbered and moved
    /// clauses with their old selves first).
    #[arg(long, value_enum, default_value_t = By::Line)]
    pub by: By,
    /// Fold what carries no meaning before comparing: line wrapping and runs of white space,
    /// quote and dash variants, bullets, (c)/©/Copyright, http/https. Invisible characters
    /// (no-break spaces, zero-width characters) and letters of other scripts stay differences.
    #[arg(long, conflicts_with = "exact")]
    pub normalize: bool,
    /// Compare every character as written (the default).
    #[arg(long)]
    pub exact: bool,
    /// Fold letter case.
    #[arg(long)]
    pub ignore_case: bool,
    #[arg(long, value_enum, default_value_t = Format::Side)]
    pub format: Format,
    /// Width of the side-by-side view (default: the terminal's width, or 120).
    #[arg(long)]
    pub width: Option<usize>,
    /// Unchanged lines shown around each change.
    #[arg(long, default_value_t = render::CONTEXT)]
    pub context: usize,
    /// Seconds to spend on word-level detail before falling back to a coarser diff (said so in
    /// the output).
    #[arg(long, default_value_t = diff::words::DEFAULT_DEADLINE.as_secs_f64())]
    pub timeout: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Line,
    Clause,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Side,
    Unified,
    Json,
}

/// Width of the terminal on stdout, if it is one.
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    #[cfg(feature = "tui")]
    let width = crossterm::terminal::size().ok().map(|(w, _)| usize::from(w));
    // Without the terminal crates, the shell's own idea of the width.
    #[cfg(not(feature = "tui"))]
    let width = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok());
    width.filter(|&w| w >= 40)
}

pub fn run(args: &Args) -> CmdResult {
    if !(args.timeout >= 0.0 && args.timeout.is_finite()) {
        return Err(Failure::input(format!(
            "--timeout: expected seconds >= 0, got {}",
            args.timeout
        )));
    }
    let size = |spec: &str| std::fs::metadata(spec).map_or(0, |m| m.len() as usize);
    let (left, right) = crate::diff::both_for(
        size(&args.left) + size(&args.right),
        || crate::text::fetch::load_or_fetch(&args.left),
        || crate::text::fetch::load_or_fetch(&args.right),
    );
    let (left, right) = (left?.text_only()?, right?.text_only()?);
    // The clause trees serve the warnings, the comparison and the defined terms alike.
    let (lt, rt) = diff::both_for(
        left.content.len() + right.content.len(),
        || ClauseTree::parse_structure(&left.content),
        || ClauseTree::parse_structure(&right.content),
    );
    for (t, tree) in [(&left, &lt), (&right, &rt)] {
        if let Some(warning) = super::clauses::not_a_license_warning(t, tree) {
            eprintln!("{warning}");
        }
    }
    let opts = DiffOptions {
        normalize: args.normalize,
        ignore_case: args.ignore_case,
        deadline: Duration::from_secs_f64(args.timeout.min(1e6)),
    };
    let l = Lines::new(&left.content);
    let r = Lines::new(&right.content);
    let by_clause = args.by == By::Clause;
    if args.format == Format::Json {
        let (cmp, terms, ()) = diff::terms::with_diff_then(
            &l,
            &lt,
            &r,
            &rt,
            &opts,
            by_clause,
            Reading::Clauses,
            |_, _| (),
        );
        let mut text = output::to_json(&json_report(&left, &right, &l, &r, &cmp, &terms, args));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        // A closed pipe (`lrw diff ... | head`) is fine; any other write error is reported.
        output::print(&text)?;
        return Ok(ExitCode::from(u8::from(cmp.differs())));
    }
    let color = output::use_color();
    let width = args.width.or_else(terminal_width).unwrap_or(120);
    // The views are written as they are made: the header at once, the diff while the clauses
    // are still being paired (only the summary needs the pairs).
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut written = out.write_all(header(&left, &right, &l, &r).as_bytes());
    let render_body = |cmp: &diff::Comparison, terms: Option<&TermComparison>| {
        if written.is_err() {
            return;
        }
        let view = View {
            left: &l,
            right: &r,
            left_ids: cmp.line_ids(false),
            right_ids: cmp.line_ids(true),
            color,
            width,
            context: args.context,
        };
        // A clause whose words did not change may still use a changed definition.
        let sections: Vec<Section> = cmp
            .sections
            .iter()
            .zip(terms.map_or_else(|| vec![None; cmp.sections.len()], |t| t.section_notes(cmp)))
            .map(|(s, note)| Section {
                title: match (&s.title, note) {
                    (Some(t), Some(note)) => Some(format!("{t}; {note}")),
                    (t, _) => t.clone(),
                },
                diff: &s.diff,
            })
            .collect();
        written = match args.format {
            Format::Unified => render::write_unified(&mut out, &view, &sections),
            _ => render::write_side_by_side(&mut out, &view, &sections),
        };
    };
    // Line by line, no clause pair is named, so what the old text's clauses use is not read:
    // the list of definitions names the new text's clauses only.
    let reading = if by_clause { Reading::Clauses } else { Reading::Listing };
    let (cmp, terms, ()) =
        diff::terms::with_diff_then(&l, &lt, &r, &rt, &opts, by_clause, reading, render_body);
    let written = written.and_then(|()| {
        out.write_all(summary(&left, &right, &cmp, &opts, args).as_bytes())?;
        out.write_all(render::definitions(&terms, color).as_bytes())?;
        out.flush()
    });
    // A closed pipe (`lrw diff ... | head`) is fine; any other write error is reported.
    output::written(written)?;
    Ok(ExitCode::from(u8::from(cmp.differs())))
}

fn header(left: &Text, right: &Text, l: &Lines, r: &Lines) -> String {
    let one = |sign: &str, t: &Text, lines: &Lines| {
        format!(
            "{sign} {}  (sha256 {}, {} line{})\n",
            crate::text::sanitize_line(&t.name),
            &t.sha256[..t.sha256.len().min(12)],
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        )
    };
    format!("{}{}", one("---", left, l), one("+++", right, r))
}

/// Counts for the summary line and JSON.
#[derive(Debug, Default, Serialize)]
struct Counts {
    changes: usize,
    moved_blocks: usize,
    words_added: usize,
    words_removed: usize,
}

fn counts(cmp: &diff::Comparison) -> Counts {
    let mut c = Counts::default();
    for s in &cmp.sections {
        let (a, r) = s.diff.word_counts();
        c.words_added += a;
        c.words_removed += r;
        for h in s.diff.hunks() {
            match h.at {
                Some(Side::Left) => {}
                Some(Side::Right) => {
                    c.changes += 1;
                    c.moved_blocks += 1;
                }
                None => c.changes += 1,
            }
        }
    }
    c
}

fn clause_counts(cmp: &diff::Comparison) -> Vec<(ClauseStatus, usize)> {
    use ClauseStatus::*;
    [Unchanged, Changed, Renumbered, Moved, Added, Removed]
        .into_iter()
        .map(|s| (s, cmp.pairs.iter().filter(|p| p.status == s).count()))
        .collect()
}

fn summary(
    left: &Text,
    right: &Text,
    cmp: &diff::Comparison,
    opts: &DiffOptions,
    args: &Args,
) -> String {
    let c = counts(cmp);
    let mut out = String::new();
    if c.changes == 0 && cmp.final_newline.is_none() {
        if left.content != right.content && (opts.normalize || opts.ignore_case) {
            out.push_str(
                "No differences once normalised (the texts differ only in what --normalize or \
                 --ignore-case folds; --exact shows it).\n",
            );
        } else {
            out.push_str("No differences.\n");
        }
    } else if c.changes > 0 {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        out.push_str(&format!(
            "Summary: {} change{}, {} moved block{}; words: {} added, {} removed.\n",
            c.changes,
            s(c.changes),
            c.moved_blocks,
            s(c.moved_blocks),
            c.words_added,
            c.words_removed
        ));
    }
    if !cmp.pairs.is_empty() {
        let parts: Vec<String> = clause_counts(cmp)
            .into_iter()
            .skip(1)
            .map(|(st, n)| format!("{n} {}", st.as_str()))
            .collect();
        let what = if cmp.paragraphs() { "Paragraphs" } else { "Clauses" };
        out.push_str(&format!("{what}: {}.\n", parts.join(", ")));
    }
    if let Some((l, r)) = cmp.final_newline {
        let ends =
            |b: bool| if b { "ends with a line break" } else { "does not end with a line break" };
        out.push_str(&format!("The left text {}; the right text {}.\n", ends(l), ends(r)));
    }
    for o in cmp.sections.iter().flat_map(|s| &s.diff.odd_chars) {
        let side = if o.side == Side::Left { "left" } else { "right" };
        out.push_str(&format!(
            "Note: {side} line {} column {}: {} {} inside a change.\n",
            o.line, o.column, o.code_point, o.name
        ));
    }
    if cmp.sections.iter().any(|s| s.diff.timed_out) {
        out.push_str(&format!(
            "Note: the {} s deadline was reached; part of the diff is coarser (whole lines \
             without word detail). --timeout allows more time.\n",
            args.timeout
        ));
    }
    out
}

// ---- JSON ----

#[derive(Serialize)]
struct JsonReport<'a> {
    left: JsonText<'a>,
    right: JsonText<'a>,
    by: &'static str,
    normalize: bool,
    ignore_case: bool,
    identical: bool,
    /// Present when the texts differ in their final line break (exact comparison).
    #[serde(skip_serializing_if = "Option::is_none")]
    final_newline: Option<JsonFinalNewline>,
    timed_out: bool,
    clauses: Vec<JsonPair<'a>>,
    hunks: Vec<JsonHunk>,
    odd_characters: Vec<&'a OddChar>,
    summary: JsonSummary,
    terms: &'a [TermChange],
}

#[derive(Serialize)]
struct JsonFinalNewline {
    left: bool,
    right: bool,
}

#[derive(Serialize)]
struct JsonText<'a> {
    path: &'a str,
    sha256: &'a str,
    encoding: &'static str,
    line_endings: &'static str,
    lines: usize,
}

#[derive(Serialize)]
struct JsonPair<'a> {
    left: Option<String>,
    right: Option<String>,
    status: ClauseStatus,
    similarity: f64,
    /// Changed, added or removed definitions the clauses use (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uses_changed_terms: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonRange {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonWord {
    line: usize,
    column: usize,
    text: String,
}

#[derive(Serialize)]
struct JsonHunk {
    kind: HunkKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    clause: Option<JsonClauseRef>,
    left: Option<JsonRange>,
    right: Option<JsonRange>,
    removed: Vec<JsonWord>,
    added: Vec<JsonWord>,
    words_removed: usize,
    words_added: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f64>,
    coarse: bool,
}

#[derive(Serialize)]
struct JsonClauseRef {
    left: Option<String>,
    right: Option<String>,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Counts,
    clauses: std::collections::BTreeMap<&'static str, usize>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn json_range(r: &std::ops::Range<usize>) -> Option<JsonRange> {
    (!r.is_empty()).then(|| JsonRange { start: r.start + 1, end: r.end })
}

fn json_hunk(h: &Hunk, l: &Lines, r: &Lines, clause: Option<JsonClauseRef>) -> JsonHunk {
    let words = |lines: &Lines, spans: &[std::ops::Range<usize>]| {
        render::word_changes(lines, spans)
            .into_iter()
            .map(|(line, column, text)| JsonWord { line, column, text })
            .collect()
    };
    JsonHunk {
        kind: h.kind,
        clause,
        left: json_range(&h.left),
        right: json_range(&h.right),
        removed: words(l, &h.removed),
        added: words(r, &h.added),
        words_removed: h.words_removed,
        words_added: h.words_added,
        similarity: (h.kind == HunkKind::Moved).then(|| round2(h.similarity)),
        coarse: h.coarse,
    }
}

fn json_report<'a>(
    left: &'a Text,
    right: &'a Text,
    l: &Lines,
    r: &Lines,
    cmp: &'a diff::Comparison,
    terms: &'a TermComparison,
    args: &Args,
) -> JsonReport<'a> {
    let jt = |t: &'a Text, lines: &Lines| JsonText {
        path: &t.name,
        sha256: &t.sha256,
        encoding: t.encoding.as_str(),
        line_endings: t.line_endings.as_str(),
        lines: lines.len(),
    };
    let mut hunks = Vec::new();
    for s in &cmp.sections {
        for h in s.diff.hunks().filter(|h| h.at != Some(Side::Left)) {
            let clause = s.ids.clone().map(|(left, right)| JsonClauseRef { left, right });
            hunks.push(json_hunk(h, l, r, clause));
        }
    }
    let c = counts(cmp);
    JsonReport {
        left: jt(left, l),
        right: jt(right, r),
        by: if args.by == By::Clause { "clause" } else { "line" },
        normalize: args.normalize,
        ignore_case: args.ignore_case,
        identical: !cmp.differs(),
        final_newline: cmp.final_newline.map(|(left, right)| JsonFinalNewline { left, right }),
        timed_out: cmp.sections.iter().any(|s| s.diff.timed_out),
        clauses: cmp
            .pairs
            .iter()
            .map(|p| {
                let left = p.left.map(|i| cmp.left_units[i].clone());
                let right = p.right.map(|j| cmp.right_units[j].clone());
                let uses_changed_terms = terms.uses_changed(left.as_deref(), right.as_deref());
                JsonPair {
                    left,
                    right,
                    status: p.status,
                    similarity: round2(p.similarity),
                    uses_changed_terms,
                }
            })
            .collect(),
        hunks,
        odd_characters: cmp.sections.iter().flat_map(|s| &s.diff.odd_chars).collect(),
        summary: JsonSummary {
            counts: c,
            clauses: clause_counts(cmp).into_iter().map(|(s, n)| (s.as_str(), n)).collect(),
        },
        terms: &terms.changes,
    }
}

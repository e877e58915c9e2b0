//! Exports of a review: annotated summaries for the mailing list (plain text), the web
//! (HTML), repositories (Markdown) and scripts (JSON).
//!
//! A review is first turned into a [`Report`], plain data that holds everything any format
//! shows; the four renderers ([`markdown`], [`html`], [`text`], [`json`]) are pure functions of
//! it. That keeps the formats consistent with one another and lets tests build reports by hand.
//!
//! Every renderer makes text from the review safe on its own: control and invisible
//! characters become visible markers (`␛`, `⟨U+202E⟩`), in HTML too, and JSON escapes them, so
//! neither a terminal nor a browser acts on them, whether the output goes to stdout or a file.
//!
//! # Contents
//! Every format shows: the title; the compared versions (id, path, hashes, date); a clause x
//! criterion matrix (rows: clauses with threads; columns: the criteria used; cells: the worst
//! verdict, conflict > concern > question > conforms > note); a per-criterion summary (which
//! clauses raise it, open and resolved counts); then each thread with its clause, anchor
//! state, quoted passage or clause text, verdict, criteria (with titles) and every comment.
//!
//! # JSON shape (`lrw-export/1`)
//! The JSON output is [`Report`] serialised; scripts may rely on these keys (new keys may be
//! added, none removed or renamed without changing `format`):
//! ```text
//! {
//!   "format": "lrw-export/1",
//!   "title": "...", "license": "EML-2.0" | null, "review": "reviews/x.toml",
//!   "versions": [{"id": "website", "role": "left" | "right" | "other", "path": "...",
//!                 "sha256": "..." | null,        // recorded in the review
//!                 "file_sha256": "..." | null,   // of the file as read now (null: unreadable)
//!                 "date": "2025-05-14" | null, "label": "..." | null}],
//!   "shown_against": "submitted",               // version the anchors are resolved against
//!   "diff_from": "website", "diff_to": "submitted", // what clause_diff compares
//!   "filters": {"open_only": false, "criteria_set": "osd" | null, "hidden_threads": 0},
//!   "criteria_used": [{"id": "osd-6", "set": "osd" | null, "number": "6" | null,
//!                      "title": "..." | null}],
//!   "matrix": [{"clause": "2.2(b)", "orphaned": false,
//!               "cells": ["concern", null, ...],  // one per criteria_used entry, same order
//!               "worst": "concern", "open": 1, "resolved": 0}],
//!   "per_criterion": [{"criterion": {...as in criteria_used...}, "clauses": ["2.2(b)"],
//!                      "open": 1, "resolved": 0, "worst": "concern"}],
//!   "threads": [{"id": "t-7f3a9c", "clause": "2.4(b)",   // "" for a review-level thread
//!                "anchored": {"version": "website", "clause": "2.2(b)"} | null,
//!                "anchor_state": "exact" | "moved" | "changed" | "orphaned" | "unanchored",
//!                "moved_to": "2.4(b)" | null, "score": 0.91 | null,
//!                "quote": "..." | null,
//!                "clause_text": "..." | null,   // the passage's paragraph, or the clause
//!                "clause_text_cut": false,      // true: opening lines only, ends with "…"
//!                "clause_change": "unchanged" | "changed" | "renumbered" | "moved"
//!                                 | "added" | "removed" | null,
//!                "clause_diff": [{"tag": "equal" | "delete" | "insert", "text": "..."}],
//!                "verdict": "conflict" | "concern" | "question" | "conforms" | "note",
//!                "status": "open" | "resolved",
//!                "criteria": [{...as in criteria_used...}],
//!                "uses_changed_terms": ["Output"],
//!                "comments": [{"id": "c-2a2b78", "author": "...",
//!                              "at": "2025-05-14T07:09:00Z", "edited_at": "..." | null,
//!                              "message_id": "..." | null, "body": "..."}],
//!                "events": [{"author": "...", "at": "...", "field": "status" | "verdict"
//!                            | "criteria", "from": "open", "to": "resolved"}],
//!                "subject": "..." | null, "list": "..." | null}],   // imported mail
//!   "definitions_changed": [{"term": "Output", "status": "changed" | "added" | "removed",
//!                            "left_clause": "1.4" | null, "right_clause": "1.4" | null,
//!                            "used_in": ["2.2(b)"]}],
//!   "counts": {"threads": 5, "open": 3, "resolved": 2, "comments": 9,
//!              "exact": 3, "moved": 1, "changed": 0, "orphaned": 1, "unanchored": 0,
//!              "conflict": 1, "concern": 2, "question": 1, "conforms": 1, "note": 0}
//! }
//! ```
//! Verdicts, statuses and states are lowercase strings. `clause` of an orphaned thread is the
//! clause id it was anchored to. Matrix rows and threads are in document order of the shown
//! version, review-level threads first and orphaned ones last. `clause_diff` covers the lines
//! of `clause_text`: it concatenates to them in `diff_to` (equal + insert) or, with the
//! deletions, to the matching text of `diff_from`, up to white space; it is empty when those
//! words did not change or they have no counterpart. It comes from the same comparison as
//! `clause_change`, so a clause called `unchanged` never has a marked change. `diff_from`/`diff_to` are the
//! compared versions, or the right side and the shown version when `shown_against` is a third
//! version.

mod build;
pub mod email;
mod excerpt;
mod html;
pub mod json;
mod markdown;
pub mod report;
mod text;

pub use build::BuildOptions;
pub use html::html;
pub use json::json;
pub use markdown::markdown;
pub use report::{
    AnchorRef, AnchorState, ClauseStatus, CommentReport, Counts, CriterionInfo, CriterionSummary,
    DefinitionChange, DiffSpan, DiffTag, EventReport, Filters, MatrixRow, Report, Status,
    ThreadReport, Verdict, VersionInfo,
};
pub use text::{WIDTH as TEXT_WIDTH, text};

/// Output formats of `lrw export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Text,
    Json,
}

impl Format {
    /// Every format, with what it is for: the one list the command line and the workbench
    /// offer.
    pub const ALL: [(Format, &'static str); 4] = [
        (Format::Markdown, "Markdown, for a repository or an issue"),
        (Format::Html, "one self-contained web page"),
        (Format::Text, "plain text wrapped at 72 columns, for a mailing list"),
        (Format::Json, "JSON, for scripts"),
    ];

    /// The format named by its usual file extension: `md`, `html`, `txt`, `json`.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext {
            "md" => Format::Markdown,
            "html" => Format::Html,
            "txt" => Format::Text,
            "json" => Format::Json,
            _ => return None,
        })
    }

    /// The usual file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Text => "txt",
            Format::Json => "json",
        }
    }
}

/// What a summary file (or standard output) holds: [`render`]'s output, with text formats
/// once more through the display sanitiser (the renderers already mark hidden characters;
/// this also expands any tab) and ending with a line break, so no raw control character
/// reaches a terminal or a file someone will `cat`. JSON escapes its own.
pub fn render_file(report: &Report, format: Format) -> String {
    finish(render(report, format), format)
}

fn finish(rendered: String, format: Format) -> String {
    if format == Format::Json {
        return rendered;
    }
    let mut s = crate::text::sanitize(&rendered);
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Render `report` in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Markdown => markdown(report),
        Format::Html => html(report),
        Format::Text => text(report),
        Format::Json => json(report),
    }
}

/// Text from the review made safe to show: CR LF and lone CR become LF, tabs expand,
/// controls and invisible characters become visible markers. Line breaks are kept.
pub(crate) fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    crate::text::sanitize(&s.replace('\r', "\n"))
}

/// [`clean`] on one line: line breaks become spaces.
pub(crate) fn clean_line(s: &str) -> String {
    let one: String = clean(s).split('\n').map(str::trim_end).collect::<Vec<_>>().join(" ");
    one.trim().to_string()
}

/// One changed definition in words: `Output (1.4) changed; used in 2.1(a), 2.2(b)`.
pub(crate) fn definition_line(d: &DefinitionChange) -> String {
    let at = match (&d.left_clause, &d.right_clause) {
        (Some(l), Some(r)) if l != r => format!(" ({l} -> {r})"),
        (_, Some(c)) | (Some(c), None) => format!(" ({c})"),
        (None, None) => String::new(),
    };
    let used = if d.used_in.is_empty() {
        String::new()
    } else {
        format!("; used in {}", d.used_in.join(", "))
    };
    format!("{}{at} {}{used}", d.term, d.status)
}

/// Short form of a hash for prose (the full hash stays in JSON and tables).
pub(crate) fn short_hash(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// `2025-05-14T07:09:00Z` -> `2025-05-14 07:09 UTC`; anything else is shown as written.
pub(crate) fn human_time(at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => clean_line(at),
    }
}

#[cfg(test)]
pub(crate) mod sample;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_formats_are_sanitised_json_untouched() {
        let out = finish("a\u{1b}[31mb\tc".to_string(), Format::Text);
        assert!(out.starts_with("a\u{241b}[31mb ") && out.ends_with("c\n"), "{out:?}");
        assert!(!out.contains(['\t', '\u{1b}']));
        let json = "{\"a\": 1}\n".to_string();
        assert_eq!(finish(json.clone(), Format::Json), json);
    }

    #[test]
    fn extensions_name_formats_both_ways() {
        for f in [Format::Markdown, Format::Html, Format::Text, Format::Json] {
            assert_eq!(Format::from_extension(f.extension()), Some(f));
        }
        assert_eq!(Format::from_extension("pdf"), None);
    }
}

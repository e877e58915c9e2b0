//! `lrw clauses FILE [--format tree|json]`: the clause tree of a license text.

use std::process::ExitCode;

use clap::ValueEnum;

use super::CmdResult;
use super::output::to_json;
use crate::text::{ClauseTree, sanitize_line};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// License text: a path (plain text, HTML, DOCX, ODT or PDF), an http(s) URL (fetched,
    /// nothing written), or spdx:ID.
    pub file: String,
    /// `tree` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = Format::Tree)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Tree,
    Json,
}

/// The JSON shape of the contract: `{"path": ..., "clauses": [...]}`.
#[derive(serde::Serialize)]
struct Report<'a> {
    path: &'a str,
    clauses: &'a [crate::text::Clause],
}

pub fn run(args: &Args) -> CmdResult {
    let text = crate::text::fetch::load_or_fetch(&args.file)?;
    let tree = ClauseTree::parse(&text.content);
    if let Some(warning) = not_a_license_warning(&text, &tree) {
        eprintln!("{warning}");
    }
    let out = match args.format {
        Format::Json => {
            // Scripts read stdout; what a person should know goes to stderr.
            if let Some(note) = paragraphs_note(&args.file, &tree) {
                eprintln!("{note}");
            }
            to_json(&Report { path: &args.file, clauses: &tree.clauses }) + "\n"
        }
        Format::Tree => render_tree(&args.file, &tree),
    };
    super::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// For a web page, a fetched text or an office document in which no numbered clause was
/// found, a warning: it may be the wrong page (a landing page, a login form) rather than the
/// license. Not an error: short licenses (MIT, ISC) have no numbered clauses either.
pub fn not_a_license_warning(text: &crate::text::Text, tree: &ClauseTree) -> Option<String> {
    let document = text.reading.is_some() || crate::text::fetch::is_url(&text.name);
    if !document || !tree.paragraphs {
        return None;
    }
    let reader = text.reading.as_ref().map_or("text", |r| r.format.as_str());
    Some(format!(
        "warning: {}: no numbered clause found in the text the {reader} reader took from it; if \
         this is not the license itself, give the page or file that shows it (`lrw inspect` \
         says what was read)",
        sanitize_line(&text.name)
    ))
}

/// For a text read as paragraphs (it has no numbered clause), the note that says so:
/// `note: spdx:MIT has no numbered clauses: its paragraphs stand in (¶1-¶4)`.
fn paragraphs_note(path: &str, tree: &ClauseTree) -> Option<String> {
    if !tree.paragraphs {
        return None;
    }
    let first = tree.clauses.first()?;
    let last = tree.clauses.last()?;
    let ids = if tree.clauses.len() == 1 {
        first.id.clone()
    } else {
        format!("{}-{}", first.id, last.id)
    };
    Some(format!(
        "note: {} has no numbered clauses: its paragraphs stand in ({ids})",
        sanitize_line(path)
    ))
}

/// The indented outline: one clause per line, `id  heading  (lines a-b)`, all sanitised. A
/// text read as paragraphs gets a note first.
pub fn render_tree(path: &str, tree: &ClauseTree) -> String {
    let mut out = String::new();
    if let Some(note) = paragraphs_note(path, tree) {
        out.push_str(&note);
        out.push('\n');
    }
    if tree.clauses.is_empty() {
        out.push_str(&format!(
            "{}: no numbered clauses found (no labels such as `1.`, `(a)`, `Section 2` or \
             Markdown headings at the start of a line)\n",
            sanitize_line(path)
        ));
        return out;
    }
    let id_width = tree
        .clauses
        .iter()
        .map(|c| {
            2 * (c.depth - 1) + unicode_width::UnicodeWidthStr::width(sanitize_line(&c.id).as_str())
        })
        .max()
        .unwrap_or(0)
        .min(40);
    for c in &tree.clauses {
        let indent = "  ".repeat(c.depth.saturating_sub(1));
        let id = format!("{indent}{}", sanitize_line(&c.id));
        let w = unicode_width::UnicodeWidthStr::width(id.as_str());
        let pad = " ".repeat(id_width.saturating_sub(w));
        let lines = if c.line_start == c.line_end {
            format!("line {}", c.line_start)
        } else {
            format!("lines {}-{}", c.line_start, c.line_end)
        };
        out.push_str(&format!("{id}{pad}  {}  ({lines})\n", sanitize_line(&c.heading)));
    }
    out
}

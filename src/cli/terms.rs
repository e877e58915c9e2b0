//! `lrw terms FILE [--format text|json]`: the defined terms of a license text and the clauses
//! that use them (see [`crate::text::terms`] for what is recognised).

use std::process::ExitCode;

use unicode_width::UnicodeWidthStr;

use super::output::to_json;
use super::{CmdResult, TextOrJson};
use crate::text::terms::{self, Term};
use crate::text::{ClauseTree, sanitize_line};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// License text: a path, or spdx:ID.
    pub file: String,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

/// The JSON shape: `{"path": ..., "terms": [{"term", "aliases", "clause", "line",
/// "definition", "used_in"}]}`.
#[derive(serde::Serialize)]
struct Report<'a> {
    path: &'a str,
    terms: &'a [Term],
}

pub fn run(args: &Args) -> CmdResult {
    let text = crate::text::load(&args.file)?;
    let tree = ClauseTree::parse_structure(&text.content);
    let found = terms::extract(&text.content, &tree);
    let out = match args.format {
        TextOrJson::Json => to_json(&Report { path: &args.file, terms: &found }) + "\n",
        TextOrJson::Text => render(&args.file, &found),
    };
    super::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// One line per term: `Output  1  line 47  used in 3 clauses`, names and ids sanitised.
pub fn render(path: &str, found: &[Term]) -> String {
    let path = sanitize_line(path);
    if found.is_empty() {
        return format!("{path}: no defined terms found\n");
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let mut out = format!("{path}: {} defined term{}\n", found.len(), s(found.len()));
    let rows: Vec<(String, String, &Term)> = found
        .iter()
        .map(|t| {
            let mut name = sanitize_line(&t.term);
            if !t.aliases.is_empty() {
                let aliases: Vec<String> = t.aliases.iter().map(|a| sanitize_line(a)).collect();
                name.push_str(&format!(" (or {})", aliases.join(", ")));
            }
            let clause = t.clause.as_deref().map_or("-".to_string(), sanitize_line);
            (name, clause, t)
        })
        .collect();
    let name_w = rows.iter().map(|r| r.0.width()).max().unwrap_or(0).min(48);
    let clause_w = rows.iter().map(|r| r.1.width()).max().unwrap_or(0).min(16);
    let line_w = rows.iter().map(|r| r.2.line.to_string().len()).max().unwrap_or(1);
    for (name, clause, t) in rows {
        let uses = match t.used_in.len() {
            0 => "not used in any clause".to_string(),
            n => format!("used in {n} clause{}", s(n)),
        };
        let pad = |s: &str, w: usize| " ".repeat(w.saturating_sub(s.width()));
        out.push_str(&format!(
            "  {name}{}  {clause}{}  line {:<line_w$}  {uses}\n",
            pad(&name, name_w),
            pad(&clause, clause_w),
            t.line,
        ));
    }
    out
}

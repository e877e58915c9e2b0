//! `lrw reanchor REVIEW --to VERSION_ID [--write] [--format text|json]`: find every thread's
//! clause in another version; with `--write`, move the anchors there. Orphaned threads keep
//! their old anchor (they are never dropped) and are listed.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::check::{Place, Texts, ThreadPlace, place_lines};
use super::{CmdResult, Failure, TextOrJson, output};
use crate::review::anchor::{self, AnchorState};
use crate::review::{self, SaveOutcome};

#[derive(Debug, clap::Args)]
#[command(after_help = "Orphaned threads keep their old anchor and are listed; nothing is \
                        dropped. Exit status: 0 when the report (and with --write the save) \
                        was made, 2 when the review or the target text cannot be read or the \
                        version id is unknown.")]
pub struct Args {
    /// The review file.
    pub review: PathBuf,
    /// The version to move the threads to (a version id of the review).
    #[arg(long, value_name = "VERSION_ID")]
    pub to: String,
    /// Write the new anchors into the review (without it, only report).
    #[arg(long)]
    pub write: bool,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(Serialize)]
struct Report {
    threads: Vec<ThreadPlace>,
}

pub fn run(args: &Args) -> CmdResult {
    let mut review = review::load(&args.review).map_err(|e| Failure::input(e.to_string()))?;
    if review.version(&args.to).is_none() {
        let ids: Vec<&str> = review.versions.iter().map(|v| v.id.as_str()).collect();
        return Err(Failure::input(format!(
            "{}: no version {:?}; the versions are {}",
            args.review.display(),
            args.to,
            ids.join(", ")
        )));
    }
    let mut problems = super::check::Problems::new(&args.review, &review);
    let texts = Texts::load(&review, &mut problems, false);
    let problems = problems.list;
    let to_doc = texts.doc(&args.to).ok_or_else(|| Failure::input(problems.join("\n")))?;

    let mut places = Vec::new();
    let mut anchors = Vec::new();
    for t in &review.threads {
        let from = Place { version: t.anchor.version.clone(), clause: t.anchor.clause.clone() };
        let res = match texts.doc(&t.anchor.version) {
            Some(from_doc) => anchor::resolve_anchor(&t.anchor, &from_doc, &to_doc),
            None => anchor::Resolution {
                state: AnchorState::Orphaned,
                clause: None,
                index: None,
                score: 0.0,
                quote: None,
            },
        };
        anchors.push(anchor::moved_anchor(&t.anchor, &res, &args.to, &to_doc));
        let to = res.clause.clone().map(|clause| Place { version: args.to.clone(), clause });
        places.push(ThreadPlace { id: t.id.clone(), from, to, state: res.state, score: res.score });
    }

    let mut note = String::new();
    if args.write {
        for (t, a) in review.threads.iter_mut().zip(anchors) {
            t.anchor = a;
        }
        let outcome = review::save(&mut review).map_err(|e| Failure::input(e.to_string()))?;
        let moved = places.iter().filter(|p| p.to.is_some()).count();
        note = format!(
            "{}: {moved} of {} threads now anchored in {}{}\n",
            args.review.display(),
            places.len(),
            args.to,
            match outcome {
                SaveOutcome::Merged { .. } => {
                    " (merged with changes made on disk meanwhile)".to_string()
                }
                SaveOutcome::Unchanged => " (no change)".to_string(),
                SaveOutcome::CommentsMoved { count } => {
                    format!(" ({})", review::store::moved_note(count))
                }
                SaveOutcome::Written | SaveOutcome::Recreated => String::new(),
            }
        );
    }
    match args.format {
        TextOrJson::Json => {
            // Scripts read stdout; what a person should know goes to stderr.
            for line in note
                .lines()
                .map(str::to_string)
                .chain(problems.iter().map(|p| format!("note: {p}")))
            {
                eprintln!("lrw: {}", output::sanitize_for_terminal(&line));
            }
            output::print(&(output::to_json(&Report { threads: places }) + "\n"))?
        }
        TextOrJson::Text => {
            let orphaned = places.iter().filter(|p| p.to.is_none()).count();
            let mut out = place_lines(&places, true);
            if orphaned > 0 {
                out.push_str(&format!(
                    "{orphaned} orphaned thread{} kept on {} old anchor{}\n",
                    if orphaned == 1 { "" } else { "s" },
                    if orphaned == 1 { "its" } else { "their" },
                    if orphaned == 1 { "" } else { "s" }
                ));
            }
            out.push_str(&note);
            for p in &problems {
                out.push_str(&format!("note: {p}\n"));
            }
            output::print(&output::sanitize_for_terminal(&out))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

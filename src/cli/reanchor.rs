//! `lrw reanchor REVIEW --to VERSION_ID [--write] [--format text|json]`: find every thread's
//! clause in another version; with `--write`, move the anchors there. Orphaned threads keep
//! their old anchor (they are never dropped) and are listed.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::check::{ThreadPlace, place_lines};
use super::{CmdResult, Failure, TextOrJson, output};
use crate::review::{self, Change, SaveOutcome};

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
    let mut session = super::check::open_session(&args.review, None)?;
    if session.review().version(&args.to).is_none() {
        return Err(Failure::input(session.unknown_version(&args.to)));
    }
    let mut problems = super::check::Problems::new(&args.review, session.review());
    problems.versions(&session, false);
    let problems = problems.list;
    session.text(&args.to).map_err(Failure::input)?;

    let placements = session.placements(&args.to);
    let review = session.review();
    let places: Vec<ThreadPlace> =
        review.threads.iter().zip(placements.iter()).map(|(t, p)| ThreadPlace::of(t, p)).collect();

    let mut note = String::new();
    if args.write {
        let threads =
            review.threads.iter().filter(|t| t.anchor.is_some()).map(|t| t.id.clone()).collect();
        let applied = session
            .apply(Change::Reanchor { to: args.to.clone(), threads }, "lrw")
            .map_err(|e| Failure::input(e.to_string()))?;
        let anchored = places.iter().filter(|p| p.from.is_some()).count();
        let moved = places.iter().filter(|p| p.from.is_some() && p.to.is_some()).count();
        note = format!(
            "{}: {moved} of {anchored} threads now anchored in {}{}\n",
            args.review.display(),
            args.to,
            match applied.outcome {
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
            let orphaned =
                places.iter().filter(|p| p.state == review::AnchorState::Orphaned).count();
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

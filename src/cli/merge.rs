//! `lrw merge BASE OURS THEIRS`: the git merge driver for review files.
//!
//! Configure it with `.gitattributes`: `reviews/*.toml merge=lrw` and
//! `git config merge.lrw.driver "lrw merge %O %A %B"`. The merged review is written into OURS,
//! as git expects. A review never gets conflict markers: threads and comments are united and
//! competing status or verdict changes are decided with a note (see `review::merge`). Exit code
//! 1 only when an input cannot be read as a review; OURS is then left as it was.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{CmdResult, Failure};
use crate::review::{self, Compare, Review};

#[derive(Debug, clap::Args)]
#[command(after_help = "Set it up once per clone:\n  \
                        echo 'reviews/*.toml merge=lrw' >> .gitattributes\n  \
                        git config merge.lrw.driver \"lrw merge %O %A %B\"\n\n\
                        Exit status: 0 when merged (decisions between competing changes are \
                        printed on stderr and noted in the thread), 1 when an input is not a \
                        readable review; OURS is then left as it was.")]
pub struct Args {
    /// The common ancestor (git's %O); may be empty when both sides added the file.
    pub base: PathBuf,
    /// Our version (git's %A); receives the result.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
}

pub fn run(args: &Args) -> CmdResult {
    let base_text = read(&args.base)?;
    let base = if base_text.trim().is_empty() {
        empty_review(&args.base)
    } else {
        parse(&base_text, &args.base)?
    };
    let ours_text = read(&args.ours)?;
    let ours = parse(&ours_text, &args.ours)?;
    let theirs_text = read(&args.theirs)?;
    let theirs = parse(&theirs_text, &args.theirs)?;
    let merged = review::merge::merge(&base, &ours, &theirs);
    // OURS keeps its line endings (and BOM). The notes and layout written by hand on both
    // sides are kept when the files merge cleanly line by line into the merged review; else
    // the merged review is written over OURS, keeping OURS's.
    let new = match review::keep::merge_files(
        &base_text,
        &ours_text,
        &theirs_text,
        &merged.review,
        &args.ours,
    ) {
        Some(text) => review::keep::Rewrite { text, moved_comments: 0, ours: false },
        None => review::keep::rewrite(&ours_text, &merged.review, &args.ours),
    };
    review::store::write_file_atomic(&args.ours, new.text.as_bytes())
        .map_err(|e| Failure::problems(format!("merge: {e}")))?;
    let mut notes = merged.notes;
    if new.moved_comments > 0 {
        notes.push(review::store::moved_note(new.moved_comments));
    }
    for note in &notes {
        eprintln!("{}", super::output::sanitize_for_terminal(&format!("lrw merge: {note}")));
    }
    Ok(ExitCode::SUCCESS)
}

/// A true clash: an input that is not a review. Exit code 1, as git expects of a driver that
/// could not merge.
fn parse(text: &str, path: &Path) -> Result<Review, Failure> {
    review::parse(text, path).map_err(|e| {
        Failure::problems(format!(
            "merge: cannot merge, {} is not a valid review:\n{e}",
            path.display()
        ))
    })
}

fn read(path: &Path) -> Result<String, Failure> {
    let bytes =
        review::load::read_limited(path).map_err(|e| Failure::problems(format!("merge: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|_| Failure::problems(format!("merge: {}: not UTF-8 text", path.display())))
}

/// The ancestor when there is none: nothing in common, so every difference is a one-sided
/// addition (threads) or, for single values, ours is kept.
fn empty_review(path: &Path) -> Review {
    Review {
        path: path.to_path_buf(),
        format: String::new(),
        title: String::new(),
        license: None,
        versions: Vec::new(),
        compare: Compare::default(),
        threads: Vec::new(),
        extra: toml::Table::new(),
        origin: None,
    }
}

//! `lrw export REVIEW --format md|html|txt|json [-o FILE] [--open-only] [--criteria SET]
//! [--version ID]`: a summary of a review for the mailing list, the web or scripts.
//!
//! Without `-o` the summary goes to stdout; with `-o` it replaces FILE atomically (a temporary
//! file in the same folder, synced, then renamed), so a reader never sees half a summary.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::{CmdResult, Failure};
use crate::export::{self, BuildOptions, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The review file (TOML).
    pub review: PathBuf,
    /// Output format: md (Markdown), html (one self-contained page), txt (plain text wrapped
    /// at 72 columns, for a mailing list) or json.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to FILE (replaced atomically) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only open threads.
    #[arg(long)]
    pub open_only: bool,
    /// Only criteria of this set (for example `osd`); threads without one are left out.
    #[arg(long, value_name = "SET")]
    pub criteria: Option<String>,
    /// Show the anchors against this version (default: the right side of the comparison).
    #[arg(long, value_name = "ID")]
    pub version: Option<String>,
    /// Only this thread.
    #[arg(long, value_name = "THREAD")]
    pub thread: Option<String>,
}

/// The formats by their usual file extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Md,
    Html,
    Txt,
    Json,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Md => Format::Markdown,
            ExportFormat::Html => Format::Html,
            ExportFormat::Txt => Format::Text,
            ExportFormat::Json => Format::Json,
        }
    }
}

pub fn run(args: &Args) -> CmdResult {
    let session = super::check::open_session(&args.review, None)?;
    let opts = BuildOptions {
        open_only: args.open_only,
        criteria_set: args.criteria.clone(),
        version: args.version.clone(),
        review_label: Some(args.review.display().to_string()),
        thread: args.thread.clone(),
    };
    let report = export::Report::build(&session, &opts).map_err(Failure::input)?;
    let out = export::render_file(&report, args.format.into());
    match &args.output {
        Some(path) => crate::atomic::write(path, out.as_bytes(), false)
            .map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))?,
        // A closed pipe (`| head`) is not an error worth reporting; a full disk is.
        None => super::output::print(&out)?,
    }
    Ok(ExitCode::SUCCESS)
}

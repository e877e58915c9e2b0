//! `lrw import REVIEW MAIL... [--version ID] [--dry-run]`: a mailing-list discussion becomes
//! review threads on the clauses it is about (see [`crate::mail`] for how messages are read,
//! threaded and anchored). The whole import is one atomic save; importing the same mail again
//! adds nothing. Reading, planning and the report are [`crate::review::import`]'s, shared
//! with the workbench's `:import`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::check::open_session;
use super::{CmdResult, Failure, TextOrJson, output};
use crate::review::import::{ImportReport, plan_mail_import};

#[derive(Debug, clap::Args)]
#[command(after_help = "MAIL may be an .eml file, an mbox (mboxo or mboxrd), a Maildir folder, \
                        or a message saved as HTML or text; with only the newest message of a \
                        thread, the messages quoted in it are recovered too.\n\nExit status: 0 \
                        when the mail was read (messages that could not be placed are \
                        reported), 2 when nothing could be read or the review cannot be \
                        saved.")]
pub struct Args {
    /// The review file.
    pub review: PathBuf,
    /// Mail files or folders.
    #[arg(required = true)]
    pub mail: Vec<PathBuf>,
    /// Read clause citations against this version (default: the latest version dated
    /// before the first message, else the right side of the comparison).
    #[arg(long, value_name = "ID")]
    pub version: Option<String>,
    /// Report what would be imported; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

pub fn run(args: &Args) -> CmdResult {
    let mut session = open_session(&args.review, None)?;
    let import =
        plan_mail_import(&session, &args.mail, args.version.as_deref()).map_err(Failure::input)?;
    let report = if args.dry_run {
        ImportReport { dry_run: true, ..import.report }
    } else {
        import
            .apply(&mut session, &super::open::author(None))
            .map_err(|e| Failure::input(e.to_string()))?
    };
    if args.format == TextOrJson::Json {
        output::print(&(output::to_json(&report) + "\n"))?;
    } else {
        output::print(&output::sanitize_for_terminal(&report.text()))?;
    }
    Ok(ExitCode::SUCCESS)
}

//! `lrw export REVIEW --format md|html|txt|json|email [-o FILE] [--open-only] [--criteria SET]
//! [--version ID] [--thread ID]`: a summary of a review for the mailing list, the web or
//! scripts, or a reply to the list as a mail.
//!
//! Without `-o` the output goes to stdout. With `-o` a regular file (or a new one) is replaced
//! atomically (a temporary file in the same folder, synced, then renamed), so a reader never
//! sees half a summary; a path that exists as something else (a symbolic link, a device such
//! as `/dev/null`) is written into, as `curl -o` does, never replaced by a file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{CmdResult, Failure};
use crate::export::{self, BuildOptions, Format};

#[derive(Debug, clap::Args)]
#[command(after_help = "Formats: md (Markdown), html (one self-contained page), txt (plain \
                        text wrapped at 72 columns, for a mailing list), json (for scripts), \
                        email (a reply to the list: RFC 5322, format=flowed; with --thread, \
                        the reply to that thread's discussion).")]
pub struct Args {
    /// The review file (TOML).
    pub review: PathBuf,
    /// Output format: md, html, txt, json or email.
    #[arg(long, value_parser = parse_target)]
    pub format: Target,
    /// Write to FILE instead of stdout.
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
    /// Only this thread (with `email`: the reply to its discussion).
    #[arg(long, value_name = "THREAD")]
    pub thread: Option<String>,
    /// With `email`: the sender, `Name <address>` (default: git's user.name and user.email).
    #[arg(long, value_name = "ADDRESS")]
    pub from: Option<String>,
    /// With `email`: the list address, when the imported mail does not name one.
    #[arg(long, value_name = "ADDRESS")]
    pub to: Option<String>,
}

/// What to write: a summary in one of [`Format::ALL`], or a reply mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Summary(Format),
    Email,
}

fn parse_target(s: &str) -> Result<Target, String> {
    if s == "email" {
        return Ok(Target::Email);
    }
    Format::from_extension(s).map(Target::Summary).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|(f, _)| f.extension()).collect();
        format!("unknown format {s:?}; expected one of {}, email", names.join(", "))
    })
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
    let out = match args.format {
        Target::Summary(f) => export::render_file(&report, f),
        Target::Email => {
            let envelope = export::email::Envelope {
                from: sender(args.from.as_deref()),
                to: args.to.clone(),
                date: None,
            };
            let (text, id) = export::email::email(&report, &envelope, args.thread.is_some())
                .map_err(Failure::input)?;
            eprintln!("lrw: reply written as Message-ID <{id}>");
            text
        }
    };
    match &args.output {
        Some(path) => write_output(path, out.as_bytes())?,
        // A closed pipe (`| head`) is not an error worth reporting; a full disk is.
        None => super::output::print(&out)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `-o FILE`: a regular file (or a new one) is replaced atomically; anything else that exists
/// at the path (a symbolic link, a device) is written into and stays what it is.
fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |e: &dyn std::fmt::Display| {
        Failure::input(format!("{}: cannot write: {e}", path.display()))
    };
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() && !m.is_dir() => {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(path)
                .map_err(|e| fail(&e))?;
            f.write_all(bytes).and_then(|()| f.flush()).map_err(|e| fail(&e))
        }
        _ => crate::atomic::write(path, bytes, false).map_err(|e| fail(&e)),
    }
}

/// The sender of a reply: `--from`, else git's `user.name` and `user.email`, else the author
/// name alone (which the mail writer refuses with a message saying what to give).
fn sender(flag: Option<&str>) -> crate::mail::Person {
    if let Some(f) = flag {
        return crate::mail::Person::parse_loose(f);
    }
    let git = |key: &str| {
        std::process::Command::new("git")
            .args(["config", key])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    crate::mail::Person {
        name: git("user.name").or_else(|| Some(super::open::author(None))),
        address: std::env::var("LRW_EMAIL")
            .ok()
            .filter(|s| s.contains('@'))
            .or_else(|| git("user.email")),
    }
}

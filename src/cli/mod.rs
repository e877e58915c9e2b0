//! The command line: argument definitions (clap derive) and one small module per subcommand.
//!
//! Every subcommand returns `Result<ExitCode, Failure>` so that `main` maps problems to the
//! exit codes of the contract: 0 success, 1 the command ran and found problems, 2 usage error
//! or unreadable input.

use std::process::ExitCode;

use clap::{FromArgMatches, Parser, Subcommand, ValueEnum};

pub mod check;
pub mod clauses;
pub mod diff;
pub mod export;
pub mod frontdoor;
pub mod import;
pub mod inspect;
pub mod merge;
pub mod new;
pub mod open;
pub mod output;
pub mod reanchor;
pub mod refresh;
pub mod similar;
pub mod terms;
pub mod thread;
pub mod version;

/// A command that could not do its job: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// 1: ran and found problems; 2: usage error or unreadable input.
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// Unreadable input or bad usage (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        Failure { code: 2, message: message.into() }
    }
    /// The command ran and found problems (exit code 1).
    pub fn problems(message: impl Into<String>) -> Self {
        Failure { code: 1, message: message.into() }
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::input(e.to_string())
    }
}

/// Outcome of a subcommand.
pub type CmdResult = Result<ExitCode, Failure>;

#[derive(Debug, Parser)]
#[command(
    name = "lrw",
    version = frontdoor::VERSION,
    about = "lrw, the license review workbench",
    long_about = "Compare versions of a license clause by clause, annotate clauses against \
                  criteria such as the Open Source Definition, and keep the review threads as \
                  TOML files in git.\n\nAnywhere a text is expected, `spdx:ID` (for example \
                  `spdx:Apache-2.0`) names a license text of the SPDX License List."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the clause tree of a license text.
    Clauses(clauses::Args),
    /// Compare two versions of a license: changed words, moved and renumbered clauses.
    Diff(diff::Args),
    /// Report encoding, line endings and odd characters (controls, bidi, invisible, ...).
    Inspect(inspect::Args),
    /// Create a review of two texts (never overwrites an existing file).
    New(new::Args),
    /// Validate a review: schema, texts and their hashes, criteria ids, anchor states.
    Check(check::Args),
    /// Find every thread's clause in another version; with --write, move the anchors there.
    Reanchor(reanchor::Args),
    /// Git merge driver for review files: merge THEIRS into OURS with BASE as ancestor.
    Merge(merge::Args),
    /// Open the review workbench (TUI) on a review.
    Open(open::Args),
    /// Write a summary of a review: Markdown, HTML, plain text (mailing list) or JSON.
    Export(export::Args),
    /// Rank the SPDX licenses closest to a text; report licenses it contains.
    Similar(similar::Args),
    /// Threads of a review: add, reply, resolve, reopen, set, edit, delete, list.
    Thread(thread::Args),
    /// Versions of a review: add, remove, set, accept, list.
    Version(version::Args),
    /// Fetch the review's URL versions again; add a version when a page changed.
    Refresh(refresh::Args),
    /// Import a mailing-list discussion (mbox, .eml, Maildir, HTML) as review threads.
    Import(import::Args),
    /// List the defined terms of a license text and the clauses that use them.
    Terms(terms::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(frontdoor::CompletionsArgs),
    /// Print the manual page (roff) of lrw or of one command.
    Man(frontdoor::ManArgs),
}

/// Output formats for commands that print either text for people or JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

/// Parse the process arguments, run the command and turn the outcome into an exit code.
pub fn main() -> ExitCode {
    // Parsed through frontdoor::command(), which adds the examples to the help.
    let cli =
        Cli::from_arg_matches(&frontdoor::command().get_matches()).unwrap_or_else(|e| e.exit());
    let result = match cli.command {
        Some(Command::Clauses(args)) => clauses::run(&args),
        Some(Command::Inspect(args)) => inspect::run(&args),
        Some(Command::Similar(args)) => similar::run(&args),
        Some(Command::Terms(args)) => terms::run(&args),
        Some(Command::Diff(args)) => diff::run(&args),
        Some(Command::New(args)) => new::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Reanchor(args)) => reanchor::run(&args),
        Some(Command::Merge(args)) => merge::run(&args),
        Some(Command::Open(args)) => open::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Thread(args)) => thread::run(&args),
        Some(Command::Version(args)) => version::run(&args),
        Some(Command::Refresh(args)) => refresh::run(&args),
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Completions(args)) => frontdoor::completions(&args),
        Some(Command::Man(args)) => frontdoor::man(&args),
        None => frontdoor::bare(),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("lrw: {}", output::sanitize_for_terminal(&failure.message));
            ExitCode::from(failure.code)
        }
    }
}

/// The bundled example review (`reviews/example-model-license.toml`), found next to the
/// crate's manifest: what bare `lrw` opens.
pub fn bundled_example_review() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reviews/example-model-license.toml")
}

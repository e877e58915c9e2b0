//! The front door of the command line: `lrw completions SHELL`, `lrw man [COMMAND]`, an
//! example in the help of every command, `--version` with the git commit, and what bare `lrw`
//! says when there is no review to open.
//!
//! The man pages are printed by the binary rather than built as files: `build.rs` cannot see
//! the command definitions without compiling them, and pages printed by the binary always
//! describe that binary. `lrw man --out-dir DIR` writes one page per command for packagers.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Command, CommandFactory};
use clap_complete::aot::Shell;

use super::{Cli, CmdResult, Failure};

/// What `lrw --version` prints: the package version and, when built from a git checkout, the
/// commit (`0.1.0 (git 1a2b3c4)`); set by `build.rs`.
pub const VERSION: &str = env!("LRW_VERSION");

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The command whose page to print (`diff` for lrw-diff(1)); without it, lrw(1).
    pub command: Option<String>,
    /// Write lrw.1 and one lrw-COMMAND.1 per command into DIR instead of printing a page.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out_dir: Option<PathBuf>,
}

/// Examples shown at the end of each command's help, run from a clone of the repository
/// (the paths are its example texts and review).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "clauses",
        "lrw clauses texts/example-model-license/2.0-submitted.md\n\
         lrw clauses spdx:MPL-2.0 --format json",
    ),
    (
        "diff",
        "lrw diff texts/example-model-license/2.0-website.md \
         texts/example-model-license/2.0-submitted.md\n\
         lrw diff spdx:GPL-2.0-only spdx:GPL-3.0-only --by clause --normalize --format unified",
    ),
    (
        "inspect",
        "lrw inspect texts/example-model-license/2.0-submitted.md\n\
         lrw inspect LICENSE --format json --max 0",
    ),
    (
        "new",
        "lrw new texts/example-model-license/2.0-website.md \
         texts/example-model-license/2.0-submitted.md --no-open\n\
         lrw new spdx:Apache-2.0 MY-LICENSE.txt -o reviews/my-license.toml",
    ),
    (
        "check",
        "lrw check reviews/example-model-license.toml\n\
         lrw check reviews/example-model-license.toml --format json",
    ),
    (
        "reanchor",
        "lrw reanchor reviews/example-model-license.toml --to revised\n\
         lrw reanchor reviews/example-model-license.toml --to revised --write",
    ),
    ("merge", "lrw merge base.toml ours.toml theirs.toml   (as git runs it, with %O %A %B)"),
    (
        "open",
        "lrw open reviews/example-model-license.toml\n\
         lrw open reviews/example-model-license.toml --author 'Ada Lovelace'",
    ),
    (
        "export",
        "lrw export reviews/example-model-license.toml --format md\n\
         lrw export reviews/example-model-license.toml --format html -o summary.html --open-only",
    ),
    (
        "similar",
        "lrw similar texts/example-model-license/2.0-submitted.md\n\
         lrw similar LICENSE --top 3 --osi-only --diff",
    ),
    (
        "terms",
        "lrw terms texts/example-model-license/2.0-submitted.md\n\
         lrw terms spdx:Apache-2.0 --format json",
    ),
    (
        "thread",
        "lrw thread add reviews/example-model-license.toml --clause 2.2b --body 'Why?'\n\
         lrw thread reply reviews/example-model-license.toml t-7f3a9c --body -   (text from stdin)\n\
         lrw thread list reviews/example-model-license.toml --format json",
    ),
    (
        "version",
        "lrw version list reviews/example-model-license.toml\n\
         lrw version add reviews/example-model-license.toml spdx:MIT --id mit\n\
         lrw version add reviews/x.toml https://example.org/license.html --id website   (stored \
         under texts/fetched/)",
    ),
    (
        "import",
        "lrw import reviews/x.toml list-archive.mbox --dry-run   (reports, writes nothing)\n\
         lrw import reviews/x.toml newest-reply.eml --version submitted   (with its quoted history)",
    ),
    (
        "refresh",
        "lrw refresh reviews/x.toml   (fetches every URL version again)\n\
         lrw refresh reviews/x.toml --version website --dry-run   (reports, writes nothing)",
    ),
    (
        "completions",
        "lrw completions bash > ~/.local/share/bash-completion/completions/lrw\n\
         lrw completions zsh > ~/.zfunc/_lrw   (with fpath+=~/.zfunc before compinit)\n\
         lrw completions fish > ~/.config/fish/completions/lrw.fish",
    ),
    (
        "man",
        "lrw man | man -l -\n\
         lrw man diff | man -l -\n\
         lrw man --out-dir ~/.local/share/man/man1",
    ),
];

/// The whole command line definition with the examples added: what parsing, completions and
/// the man pages use, so that they all show the same help.
pub fn command() -> Command {
    Cli::command().mut_subcommands(|sub| match EXAMPLES.iter().find(|e| e.0 == sub.get_name()) {
        Some((_, examples)) => with_examples(sub, examples),
        None => sub,
    })
}

/// `sub` with an "Examples:" block after its help (short and long), below what was there.
fn with_examples(sub: Command, examples: &str) -> Command {
    let block: String = std::iter::once("Examples:".to_string())
        .chain(examples.lines().map(|l| format!("  {l}")))
        .collect::<Vec<_>>()
        .join("\n");
    let join = |before: Option<String>| match before {
        Some(b) => format!("{b}\n\n{block}"),
        None => block.clone(),
    };
    let short = join(sub.get_after_help().map(ToString::to_string));
    let long = sub.get_after_long_help().map(ToString::to_string).map(|l| join(Some(l)));
    let sub = sub.after_help(short);
    match long {
        Some(long) => sub.after_long_help(long),
        None => sub,
    }
}

/// `lrw completions SHELL`: the completion script on stdout.
pub fn completions(args: &CompletionsArgs) -> CmdResult {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::aot::generate(args.shell, &mut cmd, "lrw", &mut out);
    write_stdout(&out)
}

/// `lrw man [COMMAND] [--out-dir DIR]`: a man page (roff) on stdout, or all of them as files.
pub fn man(args: &ManArgs) -> CmdResult {
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir)).map_err(
            |e| Failure::input(format!("{}: cannot write the pages: {e}", dir.display())),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let page = match &args.command {
        None => cmd,
        Some(name) => cmd.find_subcommand(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = cmd.get_subcommands().map(Command::get_name).collect();
            Failure::input(format!("no command {name}; the commands are {}", names.join(", ")))
        })?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| Failure::input(format!("rendering the page: {e}")))?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> CmdResult {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::input(format!("writing to stdout: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

/// Bare `lrw`: the workbench on the review in sight (the one `reviews/*.toml` here, else the
/// bundled example), or, with none in sight, how to start.
pub fn bare() -> CmdResult {
    match start_guide(Path::new("."), &super::bundled_example_review()) {
        Some(guide) => Err(Failure::input(guide)),
        None => super::open::run(&super::open::Args { review: None, author: None }),
    }
}

/// What to do, when `dir` has no `reviews/*.toml` and `bundled` (the example review) is not
/// there either; `None` when there is a review to open.
fn start_guide(dir: &Path, bundled: &Path) -> Option<String> {
    let reviews = std::fs::read_dir(dir.join("reviews"))
        .map(|rd| {
            rd.filter_map(Result::ok).any(|e| e.path().extension().is_some_and(|x| x == "toml"))
        })
        .unwrap_or(false);
    if reviews || bundled.is_file() {
        return None;
    }
    Some(format!(
        "no review to open: no reviews/*.toml in {} (and the bundled example is not installed).\n\
         To start:\n\
         \x20 lrw new OLD.txt NEW.txt        create a review of two versions of a license\n\
         \x20 lrw open path/to/review.toml   open a review in the workbench\n\
         \x20 lrw diff OLD NEW               compare two texts (spdx:ID names an SPDX license)\n\
         \x20 lrw similar FILE               the SPDX licenses closest to a text\n\
         \x20 lrw --help                     all commands; lrw COMMAND --help shows examples",
        std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()).display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_names_a_command_and_every_command_has_examples() {
        let cmd = command();
        let names: Vec<&str> = cmd.get_subcommands().map(Command::get_name).collect();
        for (name, _) in EXAMPLES {
            assert!(names.contains(name), "examples for {name}, which is not a command");
        }
        for sub in cmd.get_subcommands() {
            let help = sub.get_after_help().map(ToString::to_string).unwrap_or_default();
            assert!(help.contains("Example"), "{}: no example in its help", sub.get_name());
            if let Some(long) = sub.get_after_long_help() {
                assert!(long.to_string().contains("Example"), "{}: not in --help", sub.get_name());
            }
        }
    }

    #[test]
    fn examples_come_after_what_the_help_said_and_keep_the_order_of_commands() {
        let before: Vec<String> =
            Cli::command().get_subcommands().map(|s| s.get_name().to_string()).collect();
        let cmd = command();
        let after: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
        assert_eq!(before, after);
        let similar = cmd.find_subcommand("similar").unwrap();
        let help = similar.get_after_help().unwrap().to_string();
        let exit = help.find("Exit status").expect("the exit status stays");
        assert!(exit < help.find("Examples:").unwrap(), "{help}");
    }

    #[test]
    fn with_no_review_in_sight_bare_lrw_says_how_to_start() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-example.toml");
        let guide = start_guide(dir.path(), &missing).expect("nothing to open");
        assert!(guide.contains("lrw new OLD.txt NEW.txt") && guide.contains("lrw --help"));
        // A review here, or the bundled example, is opened instead.
        let bundled = super::super::bundled_example_review();
        assert_eq!(start_guide(dir.path(), &bundled), None);
        std::fs::create_dir(dir.path().join("reviews")).unwrap();
        std::fs::write(dir.path().join("reviews/a.toml"), "").unwrap();
        assert_eq!(start_guide(dir.path(), &missing), None);
    }
}

//! `lrw open REVIEW [--author NAME]` and bare `lrw`: the workbench TUI on a review.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{CmdResult, Failure};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The review file (TOML). Without it: the only `reviews/*.toml` of the current folder,
    /// else the bundled example review.
    pub review: Option<PathBuf>,
    /// Name written on your comments. Default: `LRW_AUTHOR`, else git's `user.name`, else
    /// the login name.
    #[arg(long)]
    pub author: Option<String>,
}

pub fn run(args: &Args) -> CmdResult {
    let path = match &args.review {
        Some(p) => p.clone(),
        None => default_review(Path::new("."))?,
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::input(format!(
            "the workbench needs a terminal, and stdin or stdout is not one; for scripts use \
             `lrw check {}` or `lrw export`",
            path.display()
        )));
    }
    let author = author(args.author.as_deref());
    launch(&path, author)
}

#[cfg(feature = "tui")]
fn launch(path: &Path, author: String) -> CmdResult {
    crate::tui::launch(path, author).map_err(Failure::input)?;
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(not(feature = "tui"))]
fn launch(path: &Path, _author: String) -> CmdResult {
    Err(Failure::input(format!(
        "this lrw was built without the workbench (cargo feature `tui`); for {} use \
         `lrw check`, `lrw thread` or `lrw export`",
        path.display()
    )))
}

/// The review bare `lrw` opens: the one `reviews/*.toml` in `dir`, else the bundled example.
pub fn default_review(dir: &Path) -> Result<PathBuf, Failure> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join("reviews"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    if found.len() == 1 {
        return Ok(found.remove(0));
    }
    let bundled = super::bundled_example_review();
    if found.is_empty() && bundled.is_file() {
        return Ok(bundled);
    }
    if found.len() > 1 {
        found.sort();
        let names: Vec<String> = found.iter().map(|p| p.display().to_string()).collect();
        return Err(Failure::input(format!(
            "{} reviews in {}: say which one, as in `lrw open {}`",
            found.len(),
            dir.join("reviews").display(),
            names[0]
        )));
    }
    Err(Failure::input(format!(
        "no review found: {} is missing; use `lrw open REVIEW.toml` or `lrw new LEFT RIGHT`",
        bundled.display()
    )))
}

/// Who writes: `--author`, else `LRW_AUTHOR`, else git's `user.name`, else the login name.
pub fn author(flag: Option<&str>) -> String {
    let clean = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(a) = flag.and_then(clean) {
        return a;
    }
    if let Some(a) = std::env::var("LRW_AUTHOR").ok().as_deref().and_then(clean) {
        return a;
    }
    let git = std::process::Command::new("git")
        .args(["config", "user.name"])
        .stderr(std::process::Stdio::null())
        .output();
    if let Ok(out) = git
        && out.status.success()
        && let Some(a) = clean(&String::from_utf8_lossy(&out.stdout))
    {
        return a;
    }
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find_map(|v| clean(&v))
        .unwrap_or_else(|| "anonymous".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_review_of_the_folder_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("reviews")).unwrap();
        std::fs::write(dir.path().join("reviews/a.toml"), "").unwrap();
        assert_eq!(default_review(dir.path()).unwrap(), dir.path().join("reviews/a.toml"));
        std::fs::write(dir.path().join("reviews/b.toml"), "").unwrap();
        let e = default_review(dir.path()).unwrap_err();
        assert!(e.message.contains("2 reviews"), "{}", e.message);
        assert_eq!(author(Some(" ana ")), "ana");
    }
}

//! `lrw new LEFT RIGHT [-o FILE] [--title T]`: start a review of two texts, then open it in
//! the workbench when run from a terminal.

use std::path::{Path, PathBuf};

use super::{CmdResult, Failure};
use crate::review::{self, Review, ReviewError, Version};

#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 when the review was written, 2 when a text cannot be \
                        read or the output file already exists (it is never overwritten).")]
pub struct Args {
    /// The earlier text (shown on the left): a path, or spdx:ID.
    pub left: String,
    /// The later text (shown on the right): a path, or spdx:ID.
    pub right: String,
    /// Where to write the review; by default reviews/RIGHT-vs-LEFT.toml. Never overwritten.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Title of the review; by default "RIGHT vs LEFT".
    #[arg(long)]
    pub title: Option<String>,
    /// Only write the review file; do not open the workbench (the default when stdin or
    /// stdout is not a terminal).
    #[arg(long)]
    pub no_open: bool,
    /// Name written on your comments when the workbench opens (as for `lrw open`).
    #[arg(long)]
    pub author: Option<String>,
    /// Id of the left version (default: from its file name).
    #[arg(long, value_name = "ID")]
    pub left_id: Option<String>,
    /// Id of the right version (default: from its file name).
    #[arg(long, value_name = "ID")]
    pub right_id: Option<String>,
    /// When the left version was published or submitted (`2025-05-14`).
    #[arg(long, value_name = "DATE")]
    pub left_date: Option<String>,
    /// When the right version was published or submitted.
    #[arg(long, value_name = "DATE")]
    pub right_date: Option<String>,
}

pub fn run(args: &Args) -> CmdResult {
    let (auto_left, auto_right) = version_ids(&args.left, &args.right);
    let left_id = args.left_id.clone().unwrap_or(auto_left);
    let right_id = args.right_id.clone().unwrap_or(auto_right);
    if left_id == right_id {
        return Err(Failure::input(format!(
            "both versions would be called {left_id:?}; give --left-id and --right-id"
        )));
    }
    for d in args.left_date.iter().chain(&args.right_date) {
        if d.parse::<jiff::civil::Date>().is_err() {
            return Err(Failure::input(format!("{d:?} is not a date like 2025-05-14")));
        }
    }
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("reviews").join(format!("{right_id}-vs-{left_id}.toml")));
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if output.exists() {
        return Err(Failure::input(format!(
            "{}: already exists; not overwriting it (choose another name with -o)",
            output.display()
        )));
    }
    // Both texts must read before anything is written.
    for spec in [&args.left, &args.right] {
        if !crate::text::fetch::is_url(spec) {
            crate::text::load(spec)?;
        }
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::input(format!("{}: cannot create folder: {e}", dir.display())))?;

    let mut l = version(&output, &left_id, &args.left)?;
    l.date = args.left_date.clone();
    let mut r = version(&output, &right_id, &args.right)?;
    r.date = args.right_date.clone();
    let title = args.title.clone().unwrap_or_else(|| {
        format!("{} vs {}", display_name(&args.right), display_name(&args.left))
    });
    let mut review = Review::new(&output, &title, l, r);
    match review::save_new(&mut review) {
        Ok(()) => {}
        Err(e @ ReviewError::Exists { .. }) => {
            return Err(Failure::input(format!("{e} (choose another name with -o)")));
        }
        Err(e) => return Err(Failure::input(e.to_string())),
    }
    super::output::print(&super::output::sanitize_for_terminal(&format!(
        "created {}\n",
        output.display()
    )))?;
    use std::io::IsTerminal;
    if !args.no_open && std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return super::open::run(&super::open::Args {
            review: Some(output),
            author: args.author.clone(),
        });
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Version ids from the text names: their file stems as short ids (`2.0-website`), or
/// `left` / `right` when the stems say nothing or are the same.
fn version_ids(left: &str, right: &str) -> (String, String) {
    let l = id_of(left);
    let r = id_of(right);
    if l.is_empty() || r.is_empty() || l == r { ("left".into(), "right".into()) } else { (l, r) }
}

/// A text's name for a title: its file name, or `spdx:ID`.
fn display_name(spec: &str) -> String {
    if spec.starts_with("spdx:") {
        return spec.to_string();
    }
    Path::new(spec)
        .file_name()
        .map_or_else(|| spec.to_string(), |n| n.to_string_lossy().into_owned())
}

fn id_of(spec: &str) -> String {
    crate::review::session::version_id_of(spec)
}

/// How a review in `dir` names a text (see [`crate::review::session::relative_path`]).
/// Version `id` of a new review at `output`, whose text `spec` names: a URL is fetched and
/// stored in the project, a file outside the project is copied in, `spdx:ID` and files inside
/// are named as they are.
fn version(output: &Path, id: &str, spec: &str) -> Result<Version, Failure> {
    let mut v;
    if crate::text::fetch::is_url(spec) {
        let stored =
            crate::review::fetched::fetch_and_store(output, id, spec).map_err(Failure::input)?;
        v = Version::new(id, &stored.path);
        v.sha256 = Some(stored.text.sha256.clone());
        v.source = stored.source;
    } else {
        let (path, origin) =
            crate::review::trust::bring_in(output, spec).map_err(Failure::input)?;
        v = Version::new(id, &path);
        v.sha256 = Some(crate::text::load(spec)?.sha256);
        v.source.origin = origin;
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_file_stems() {
        assert_eq!(
            version_ids("texts/x/2.0-website.md", "texts/x/2.0-submitted.md"),
            ("2.0-website".into(), "2.0-submitted".into())
        );
        assert_eq!(
            version_ids("spdx:MIT", "My License (v2).txt"),
            ("mit".into(), "my-license-v2".into())
        );
        assert_eq!(version_ids("a/LICENSE", "b/LICENSE"), ("left".into(), "right".into()));
    }
}

//! `lrw export REVIEW --format md|html|txt|json [-o FILE] [--open-only] [--criteria SET]
//! [--version ID]`: a summary of a review for the mailing list, the web or scripts.
//!
//! Without `-o` the summary goes to stdout; with `-o` it replaces FILE atomically (a temporary
//! file in the same folder, synced, then renamed), so a reader never sees half a summary.

use std::io::Write as _;
use std::path::{Path, PathBuf};
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
    let review = crate::review::load(&args.review).map_err(|e| Failure::input(e.to_string()))?;
    let sets = crate::criteria::load_sets(None).map_err(|e| Failure::input(e.to_string()))?;
    let opts = BuildOptions {
        open_only: args.open_only,
        criteria_set: args.criteria.clone(),
        version: args.version.clone(),
        review_label: Some(args.review.display().to_string()),
    };
    let report = export::Report::build(&review, &sets, &opts).map_err(Failure::input)?;
    let out = finish(&export::render(&report, args.format.into()), args.format);
    match &args.output {
        Some(path) => write_atomic(path, out.as_bytes())
            .map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))?,
        // A closed pipe (`| head`) is not an error worth reporting; a full disk is.
        None => super::output::print(&out)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The rendered output as written: text formats once more through the display sanitiser
/// (the renderers already mark hidden characters; this also expands any tab), so no raw
/// control character reaches a terminal or a file that someone will `cat`. JSON escapes
/// hidden characters itself.
pub fn finish(rendered: &str, format: ExportFormat) -> String {
    match format {
        ExportFormat::Json => rendered.to_string(),
        _ => {
            let mut s = crate::text::sanitize(rendered);
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
    }
}

/// Replace `path` with `bytes` atomically: write a temporary file in the same folder, sync
/// it, rename it over `path`, then sync the folder. On failure the temporary file is removed
/// and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the output path names no file")
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".lrw-tmp-{}-{:08x}", std::process::id(), fastrand::u32(..)));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable; not every platform can open a folder, so a
        // failure here is not an error.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("summary.txt");
        std::fs::write(&path, "old").expect("write");
        write_atomic(&path, b"new contents\n").expect("atomic write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new contents\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("summary.txt")]);
    }

    #[test]
    fn atomic_write_into_a_missing_folder_fails_cleanly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("no/such/folder/out.md");
        assert!(write_atomic(&path, b"x").is_err());
        assert!(!dir.path().join("no").exists());
    }

    #[test]
    fn text_formats_are_sanitised_json_untouched() {
        let out = finish("a\u{1b}[31mb\tc", ExportFormat::Txt);
        assert!(out.starts_with("a\u{241b}[31mb ") && out.ends_with("c\n"), "{out:?}");
        assert!(!out.contains(['\t', '\u{1b}']));
        assert_eq!(finish("{\"a\": 1}\n", ExportFormat::Json), "{\"a\": 1}\n");
    }
}

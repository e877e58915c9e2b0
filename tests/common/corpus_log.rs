//! Which tests that read the corpus ran and which skipped, in this `cargo test` run.
//!
//! libtest hides what a passing test prints, so a corpus test that returns early because the
//! corpus is absent looks like any other "ok". Each such test records here whether it ran
//! (one small file per test under `target/tmp/corpus-log/`, overwritten on every run), and
//! `tests/zz_corpus_report.rs`, a test target without the libtest harness whose output cargo
//! shows, runs after the others (cargo runs test binaries in name order) and prints the count.
//! A record names the process that ran the test binaries (`cargo test`), so records left from
//! earlier runs, or from tests a filter left out, are not counted.
#![allow(dead_code)] // the report and the tests each use their half

use std::path::{Path, PathBuf};

/// The folder of records: in cargo's per-target scratch folder, so `cargo clean` removes it.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-log")
}

/// The process whose test run this is: `cargo test` for every test binary it starts. `None`
/// where the platform does not say.
pub fn run_id() -> Option<u32> {
    #[cfg(unix)]
    {
        Some(std::os::unix::process::parent_id())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// One test's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub run: Option<u32>,
    pub ran: bool,
    /// `test_file::test_name`.
    pub test: String,
    /// The corpus folder that was looked for.
    pub corpus: String,
}

impl Record {
    fn line(&self) -> String {
        let run = self.run.map_or_else(|| "-".to_string(), |r| r.to_string());
        let status = if self.ran { "ran" } else { "skipped" };
        format!("{run}\t{status}\t{}\t{}\n", self.test, self.corpus)
    }

    fn parse(line: &str) -> Option<Record> {
        let mut f = line.trim_end_matches('\n').splitn(4, '\t');
        let run = match f.next()? {
            "-" => None,
            r => Some(r.parse().ok()?),
        };
        let ran = match f.next()? {
            "ran" => true,
            "skipped" => false,
            _ => return None,
        };
        Some(Record { run, ran, test: f.next()?.to_string(), corpus: f.next()?.to_string() })
    }
}

/// Record that `test` (as `file::name`) ran or skipped, looking for the corpus at `corpus`.
/// A failure to write is ignored: the record is a report, not part of the test.
pub fn write(test: &str, ran: bool, corpus: &Path) {
    let record =
        Record { run: run_id(), ran, test: test.to_string(), corpus: corpus.display().to_string() };
    let name: String =
        test.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '.' }).collect();
    let dir = dir();
    let _ =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(name), record.line()));
}

/// The records of this run, sorted by test.
pub fn read_this_run() -> Vec<Record> {
    let run = run_id();
    let mut records: Vec<Record> = std::fs::read_dir(dir())
        .into_iter()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter_map(|s| Record::parse(&s))
        .filter(|r| r.run == run)
        .collect();
    records.sort_by(|a, b| a.test.cmp(&b.test));
    records
}

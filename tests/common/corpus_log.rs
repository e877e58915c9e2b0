//! Which tests that read the corpus, or drive an external program (tmux, chromium), ran and
//! which skipped, in this `cargo test` run.
//!
//! libtest hides what a passing test prints, so a corpus test that returns early because the
//! corpus is absent looks like any other "ok"; so does a browser test without a browser. Each
//! such test records here whether it ran (one small file per test under
//! `target/tmp/corpus-log/` or `target/tmp/program-log/`, overwritten on every run), and
//! `tests/zz_corpus_report.rs`, a test target without the libtest harness whose output cargo
//! shows, runs after the others (cargo runs test binaries in name order) and prints the count.
//! A record names the process that ran the test binaries (`cargo test`), so records left from
//! earlier runs, or from tests a filter left out, are not counted.
#![allow(dead_code)] // the report and the tests each use their half

use std::path::{Path, PathBuf};

/// The log of the tests that read the corpus.
pub const CORPUS: &str = "corpus-log";
/// The log of the tests that drive an external program (tmux, chromium).
pub const PROGRAMS: &str = "program-log";

/// The folder of one log's records ([`CORPUS`] or [`PROGRAMS`]): in cargo's per-target scratch
/// folder, so `cargo clean` removes it.
pub fn dir(log: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(log)
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
    /// What the test needs: the corpus folder that was looked for, or the program's name.
    pub needs: String,
}

impl Record {
    fn line(&self) -> String {
        let run = self.run.map_or_else(|| "-".to_string(), |r| r.to_string());
        let status = if self.ran { "ran" } else { "skipped" };
        format!("{run}\t{status}\t{}\t{}\n", self.test, self.needs)
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
        Some(Record { run, ran, test: f.next()?.to_string(), needs: f.next()?.to_string() })
    }
}

/// Record in `log` that `test` (as `file::name`) ran or skipped, needing `needs` (the corpus
/// folder, or a program). A failure to write is ignored: the record is a report, not part of
/// the test.
pub fn write(log: &str, test: &str, ran: bool, needs: &str) {
    let record = Record { run: run_id(), ran, test: test.to_string(), needs: needs.to_string() };
    let name: String =
        test.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '.' }).collect();
    let dir = dir(log);
    let _ =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(name), record.line()));
}

/// The records of this run in `log`, sorted by test.
pub fn read_this_run(log: &str) -> Vec<Record> {
    let run = run_id();
    let mut records: Vec<Record> = std::fs::read_dir(dir(log))
        .into_iter()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter_map(|s| Record::parse(&s))
        .filter(|r| r.run == run)
        .collect();
    records.sort_by(|a, b| a.test.cmp(&b.test));
    records
}

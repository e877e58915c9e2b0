//! Helpers shared by the integration tests: run the real `lrw` binary in a temporary folder
//! and find the shared corpus of real license texts.
#![allow(dead_code)]

pub mod corpus_log;
pub mod http;
pub mod perturb;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `lrw` binary, ready to get arguments.
pub fn lrw() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lrw"));
    cmd.env_remove("NO_COLOR").env("LRW_AUTHOR", "tester");
    cmd
}

/// Run `lrw` with `args` in `dir`; returns the output whatever the exit code.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    lrw().current_dir(dir).args(args).output().expect("the lrw binary runs")
}

/// The test copy of the bundled example (`tests/fixtures/example`: `reviews/` and `texts/` as
/// in the project). Tests read this copy, never the project's own example review, which a
/// newcomer following the README may change.
pub fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example")
}

/// Where the example review sits in the fixture and in every copy of it, relative to the
/// copy's folder. Tests name it inside a temporary copy ([`example_copy`], [`copy_example`]),
/// never in the project, whose own example a newcomer following the README may change.
pub const REVIEW: &str = "reviews/example-model-license.toml";

/// The test copy of the example review (read it; copy it with [`example_copy`] to write).
pub fn example_review() -> PathBuf {
    fixture_root().join(REVIEW)
}

/// Run `lrw` with `args` in [`fixture_root`], where `reviews/example-model-license.toml` and
/// `texts/example-model-license/` are the test copies.
pub fn run(args: &[&str]) -> Output {
    run_in(&fixture_root(), args)
}

/// stdout as a string, with the whole output shown if it is not UTF-8.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap_or_else(|_| panic!("stdout not UTF-8: {out:?}"))
}

/// stderr as a string (lossy).
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Assert the exit code, printing stdout and stderr when it differs.
#[track_caller]
pub fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The shared corpus of real license texts (`../shared/corpus`, or where `LRW_CORPUS` points,
/// as from a git worktree elsewhere), or `None` when it is absent, as on a user's machine.
///
/// Either way the calling test is recorded ([`corpus_log`]), so that the run ends by saying
/// how many corpus tests ran and how many passed without checking anything. With
/// `LRW_REQUIRE_CORPUS=1` (CI sets it), an absent corpus fails the test instead.
#[track_caller]
pub fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("LRW_CORPUS") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    let present = dir.is_dir();
    corpus_log::write(corpus_log::CORPUS, &current_test(), present, &dir.display().to_string());
    if present {
        return Some(dir);
    }
    if std::env::var_os("LRW_REQUIRE_CORPUS").is_some_and(|v| v == "1") {
        panic!(
            "LRW_REQUIRE_CORPUS=1 but the corpus is absent at {}: set LRW_CORPUS to its folder",
            dir.display()
        );
    }
    eprintln!("note: {} is absent; skipping the corpus checks", dir.display());
    None
}

/// The running test as `file::name` (libtest runs each test on a thread named after it), or
/// the caller's location.
#[track_caller]
fn current_test() -> String {
    let thread = std::thread::current();
    let test = match thread.name() {
        Some(name) if name != "main" => name.to_string(),
        _ => std::panic::Location::caller().to_string(),
    };
    format!("{}::{test}", env!("CARGO_CRATE_NAME"))
}

/// Whether the external program `program` (tmux, chromium) runs here: `program probe...`
/// starts and succeeds. A test that needs it returns early when it does not.
///
/// Either way the calling test is recorded ([`corpus_log::PROGRAMS`]), so that the run ends by
/// saying which tests skipped for want of which program. With `LRW_REQUIRE_PROGRAMS=1` (CI
/// sets it, after installing them), an absent program fails the test instead.
#[track_caller]
pub fn program(program: &str, probe: &[&str]) -> bool {
    let runs = Command::new(program)
        .args(probe)
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success());
    corpus_log::write(corpus_log::PROGRAMS, &current_test(), runs, program);
    if runs {
        return true;
    }
    if std::env::var_os("LRW_REQUIRE_PROGRAMS").is_some_and(|v| v == "1") {
        panic!("LRW_REQUIRE_PROGRAMS=1 but `{program} {}` does not run", probe.join(" "));
    }
    eprintln!("note: {program} does not run here; skipping this test");
    false
}

/// Path of one corpus file (as a string for command lines), if the corpus is present.
#[track_caller]
pub fn corpus_file(name: &str) -> Option<String> {
    corpus().map(|d| d.join(name).display().to_string())
}

/// True if `bytes` hold a raw C0 control (other than tab and newline), DEL, ESC or a C1
/// control encoded in UTF-8: what must never reach a terminal.
pub fn has_raw_control(bytes: &[u8]) -> bool {
    let s = String::from_utf8_lossy(bytes);
    s.chars().any(|c| {
        let cp = c as u32;
        (cp < 0x20 && c != '\n' && c != '\t') || (0x7f..=0x9f).contains(&cp)
    })
}

/// Copy a folder tree (files and subfolders) from `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Copy the bundled example review and its texts into `dir` (with the same relative layout,
/// so the review's paths resolve); returns the copied review's path. Tests write to the copy.
pub fn copy_example(dir: &Path) -> PathBuf {
    let root = fixture_root();
    copy_dir(&root.join("texts/example-model-license"), &dir.join("texts/example-model-license"));
    std::fs::create_dir_all(dir.join("reviews")).unwrap();
    let review = dir.join(REVIEW);
    std::fs::copy(root.join(REVIEW), &review).unwrap();
    review
}

/// The bundled example, copied to a fresh temporary folder (removed when dropped).
pub fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let review = copy_example(dir.path());
    (dir, review)
}

/// The size a large-input test runs at: `normal` in the suite, `stressed` with
/// `LRW_STRESS=1` (the sizes the issues name, slow in a debug build). The test says which one
/// ran, and how to ask for the other.
#[allow(dead_code)]
pub fn stress_size(test: &str, normal: usize, stressed: usize) -> usize {
    if std::env::var_os("LRW_STRESS").is_some_and(|v| v != "0") {
        eprintln!("note: {test}: stress size {stressed}");
        stressed
    } else {
        eprintln!("note: {test}: size {normal}; LRW_STRESS=1 runs it at {stressed}");
        normal
    }
}

/// The position a pane's border shows, `first–last/total`, on a screen line, if any.
#[allow(dead_code)]
pub fn position(line: &str) -> Option<(usize, usize, usize)> {
    let dash = line.find('–')?;
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).collect::<String>();
    let before: String = line[..dash].chars().rev().take_while(char::is_ascii_digit).collect();
    let first: String = before.chars().rev().collect();
    let rest = &line[dash + '–'.len_utf8()..];
    let last = digits(rest);
    let total = digits(rest.get(last.len() + 1..)?);
    Some((first.parse().ok()?, last.parse().ok()?, total.parse().ok()?))
}

//! The text screenshots in `docs/screenshots/` are what the workbench shows today: this runs
//! `docs/screenshots/make.sh --text` (tmux captures of the real `lrw`) into a scratch folder and
//! compares every capture with the committed one. When the workbench changes, rerun the script
//! and commit its output.
//!
//! The PNG of the HTML export is made by the same script but not compared (it depends on the
//! installed fonts and Chromium); `tests/export_browser.rs` checks the page itself.
//!
//! Skipped, and reported at the end of the run, when tmux does not run here
//! (`LRW_REQUIRE_PROGRAMS=1`, as in CI, fails instead).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots")
}

/// The `.txt` files of a folder, by name.
fn captures(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    names
}

/// True if the test copy of the example (which the captures here are made from) is not the
/// bundled example (which `make.sh` uses by default).
fn example_differs() -> bool {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = common::fixture_root();
    let review = "reviews/example-model-license.toml";
    let texts = "texts/example-model-license";
    let read = |p: PathBuf| std::fs::read(p).ok();
    if read(root.join(review)) != read(fixture.join(review)) {
        return true;
    }
    let names = |d: PathBuf| -> Vec<_> {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .map(|r| r.filter_map(|e| Some(e.ok()?.file_name())).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    let files = names(root.join(texts));
    files != names(fixture.join(texts))
        || files.iter().any(|f| read(root.join(texts).join(f)) != read(fixture.join(texts).join(f)))
}

/// The first line where `a` and `b` differ, for the failure message.
fn first_difference(a: &str, b: &str) -> String {
    let (mut la, mut lb) = (a.lines(), b.lines());
    for n in 1.. {
        match (la.next(), lb.next()) {
            (None, None) => break,
            (x, y) if x == y => continue,
            (x, y) => {
                return format!(
                    "first difference at line {n}:\n  committed: {}\n  now:       {}",
                    x.unwrap_or("(end)"),
                    y.unwrap_or("(end)")
                );
            }
        }
    }
    "they differ only in line endings".into()
}

#[test]
fn the_text_screenshots_are_up_to_date() {
    if !common::program("tmux", &["-V"]) {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let script = screenshots().join("make.sh");
    let run = Command::new("bash")
        .arg(&script)
        .arg("--text")
        .env("LRW_BIN", env!("CARGO_BIN_EXE_lrw"))
        .env("SCREENSHOTS_OUT", out.path())
        .env("SCREENSHOTS_EXAMPLE", common::fixture_root())
        .output()
        .expect("bash runs make.sh");
    common::assert_code(&run, 0);

    let made = captures(out.path());
    let committed = captures(&screenshots());
    assert!(!made.is_empty(), "make.sh --text made no captures");
    let mut stale = Vec::new();
    for name in &made {
        let now = std::fs::read_to_string(out.path().join(name)).unwrap();
        match std::fs::read_to_string(screenshots().join(name)) {
            Ok(old) if old == now => {}
            Ok(old) => stale.push(format!(
                "docs/screenshots/{name} is stale: run docs/screenshots/make.sh\n{}\n",
                first_difference(&old, &now)
            )),
            Err(_) => stale.push(format!(
                "docs/screenshots/{name} is missing: run docs/screenshots/make.sh and commit it\n"
            )),
        }
    }
    for name in committed.iter().filter(|n| !made.contains(n)) {
        stale.push(format!(
            "docs/screenshots/{name} is no longer made by make.sh: remove it (or make it again)\n"
        ));
    }
    if !stale.is_empty() && example_differs() {
        stale.push(
            "note: the bundled example (reviews/, texts/) differs from its test copy in \
             tests/fixtures/example, which this test makes the captures from: make them equal\n"
                .into(),
        );
    }
    assert!(stale.is_empty(), "\n{}", stale.join("\n"));
}

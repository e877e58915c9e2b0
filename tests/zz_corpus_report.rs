//! The last test target (cargo runs test binaries in name order; keep this name last): says
//! how many of this run's tests that read the shared corpus ran, and, when the corpus was
//! absent, that the skipped ones passed without checking anything and how to run them; and
//! the same for the tests that drive an external program (tmux, chromium).
//!
//! A target without the libtest harness (`harness = false` in Cargo.toml), so that what it
//! prints is shown: libtest hides the output of passing tests, where a skip note would be lost.
//! It fails nothing itself; CI makes an absent corpus or program fail the tests
//! (`LRW_REQUIRE_CORPUS=1`, `LRW_REQUIRE_PROGRAMS=1`).

#[path = "common/corpus_log.rs"]
mod corpus_log;

fn main() {
    // `cargo test -- --list` (and runners that list first) expect test names only: none here.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!();
    corpus();
    programs();
    println!();
}

fn corpus() {
    let records = corpus_log::read_this_run(corpus_log::CORPUS);
    let skipped: Vec<&corpus_log::Record> = records.iter().filter(|r| !r.ran).collect();
    if records.is_empty() {
        println!("corpus tests: none in this run");
    } else if skipped.is_empty() {
        println!("corpus tests: all {} ran against {}", records.len(), records[0].needs);
    } else {
        println!(
            "corpus tests: {} of {} SKIPPED (reported ok without checking anything): no corpus at {}",
            skipped.len(),
            records.len(),
            skipped[0].needs
        );
        println!(
            "  to run them, put the corpus there or set LRW_CORPUS=/path/to/corpus; with \
             LRW_REQUIRE_CORPUS=1 (as in CI) a missing corpus fails them"
        );
        for r in &skipped {
            println!("  skipped: {}", r.test);
        }
    }
}

fn programs() {
    let records = corpus_log::read_this_run(corpus_log::PROGRAMS);
    let skipped: Vec<&corpus_log::Record> = records.iter().filter(|r| !r.ran).collect();
    let mut names: Vec<&str> = records.iter().map(|r| r.needs.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    if records.is_empty() {
        println!("tests that drive tmux or a browser: none in this run");
    } else if skipped.is_empty() {
        println!("tests that drive {}: all {} ran", names.join(", "), records.len());
    } else {
        let mut missing: Vec<&str> = skipped.iter().map(|r| r.needs.as_str()).collect();
        missing.sort_unstable();
        missing.dedup();
        println!(
            "tests that drive {}: {} of {} SKIPPED (reported ok without checking anything): {} \
             not found",
            names.join(", "),
            skipped.len(),
            records.len(),
            missing.join(", ")
        );
        println!(
            "  to run them, install Debian's tmux and chromium packages (.ci/run does), or set \
             LRW_CHROMIUM to another Chromium; with LRW_REQUIRE_PROGRAMS=1 (as in CI) a missing \
             program fails them"
        );
        for r in &skipped {
            println!("  skipped: {} (needs {})", r.test, r.needs);
        }
    }
}

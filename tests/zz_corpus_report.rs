//! The last test target (cargo runs test binaries in name order; keep this name last): says
//! how many of this run's tests that read the shared corpus ran, and, when the corpus was
//! absent, that the skipped ones passed without checking anything and how to run them.
//!
//! A target without the libtest harness (`harness = false` in Cargo.toml), so that what it
//! prints is shown: libtest hides the output of passing tests, where a skip note would be lost.
//! It fails nothing itself; CI makes an absent corpus fail the tests (`LRW_REQUIRE_CORPUS=1`).

#[path = "common/corpus_log.rs"]
mod corpus_log;

fn main() {
    // `cargo test -- --list` (and runners that list first) expect test names only: none here.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let records = corpus_log::read_this_run();
    let skipped: Vec<&corpus_log::Record> = records.iter().filter(|r| !r.ran).collect();
    println!();
    if records.is_empty() {
        println!("corpus tests: none in this run");
    } else if skipped.is_empty() {
        println!("corpus tests: all {} ran against {}", records.len(), records[0].corpus);
    } else {
        println!(
            "corpus tests: {} of {} SKIPPED (reported ok without checking anything): no corpus at {}",
            skipped.len(),
            records.len(),
            skipped[0].corpus
        );
        println!(
            "  to run them, put the corpus there or set LRW_CORPUS=/path/to/corpus; with \
             LRW_REQUIRE_CORPUS=1 (as in CI) a missing corpus fails them"
        );
        for r in &skipped {
            println!("  skipped: {}", r.test);
        }
    }
    println!();
}

//! Clause-parsing throughput: `cargo bench --bench parse`.
//!
//! Builds a text of about 1 MB by concatenating SPDX license texts in memory, parses it
//! repeatedly and prints MB/s (best of several rounds, so a busy machine skews less).

use std::hint::black_box;
use std::time::Instant;

use lrw::text::{ClauseTree, Text};

fn main() {
    let mut corpus = String::new();
    for lic in spdx::identifiers::LICENSES.iter().cycle() {
        if corpus.len() >= 1_000_000 {
            break;
        }
        if let Some(id) = spdx::license_id(lic.name) {
            corpus.push_str(&Text::from_string(lic.name, id.text()).content);
            corpus.push('\n');
        }
    }
    let mb = corpus.len() as f64 / 1e6;
    let lines = corpus.lines().count();
    // Warm up, and report the tree size so the work is visible.
    let tree = ClauseTree::parse(&corpus);
    println!("text: {mb:.2} MB, {lines} lines, {} clauses", tree.clauses.len());
    let mut best = f64::MAX;
    let rounds = 10;
    let reps = 5;
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..reps {
            black_box(ClauseTree::parse(black_box(&corpus)));
        }
        best = best.min(start.elapsed().as_secs_f64() / f64::from(reps));
    }
    println!(
        "parse: {:.2} ms per pass, {:.1} MB/s (best of {rounds} rounds x {reps})",
        best * 1e3,
        mb / best
    );
}

//! Defined-terms throughput: `cargo bench --bench terms`.
//!
//! Times what `lrw terms` does after loading a text (the clause structure, the definitions and
//! their uses, the JSON), on two texts of about 1 MB built in memory:
//! - the SPDX license texts concatenated (as `benches/parse.rs`): every style of definition;
//! - a ModelGo license repeated with its sections renumbered, so that it reads as one long
//!   license dense with definitions and uses (when the corpus is present).
//!
//! No other tool extracts defined terms, so clause parsing alone, which every command does, is
//! printed beside it as the reference. For each text it also times what `lrw diff` adds:
//! the comparison of both versions' terms, alone, and the diff without and with it. Best of
//! several rounds, so a busy machine skews less.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use lrw::diff::terms as terms_diff;
use lrw::diff::terms::Reading;
use lrw::diff::{DiffOptions, Lines, compare_trees_then};
use lrw::text::terms;
use lrw::text::{ClauseTree, Text};

const TARGET: usize = 1_000_000;

fn spdx_text() -> String {
    let mut out = String::new();
    for lic in spdx::identifiers::LICENSES.iter().cycle() {
        if out.len() >= TARGET {
            break;
        }
        if let Some(id) = spdx::license_id(lic.name) {
            out.push_str(&Text::from_string(lic.name, id.text()).content);
            out.push('\n');
        }
    }
    out
}

/// `MG-BY-NC-2.0.txt` repeated: copy `k` numbers its sections from `6k + 1`, so clause ids
/// stay distinct (`7`, `8.1`, ...), as in one long license.
fn modelgo_text() -> Option<String> {
    let dir = match std::env::var_os("LRW_CORPUS") {
        Some(d) if !d.is_empty() => std::path::PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    let one = std::fs::read_to_string(dir.join("MG-BY-NC-2.0.txt")).ok()?;
    let one = Text::from_string("MG-BY-NC-2.0.txt", &one).content;
    let mut out = String::new();
    let mut k = 0;
    while out.len() < TARGET {
        for line in one.lines() {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            match line.as_bytes().get(digits) {
                Some(b'.') if digits > 0 => {
                    let n: usize = line[..digits].parse().unwrap_or(0);
                    out.push_str(&format!("{}{}", n + 6 * k, &line[digits..]));
                }
                _ => out.push_str(line),
            }
            out.push('\n');
        }
        k += 1;
    }
    Some(out)
}

/// Best time of `rounds` rounds of `reps` runs of `f`, in seconds per run.
fn best(rounds: u32, reps: u32, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..reps {
            f();
        }
        best = best.min(start.elapsed().as_secs_f64() / f64::from(reps));
    }
    best
}

fn bench(name: &str, text: &str) {
    let tree = ClauseTree::parse_structure(text);
    let found = terms::extract(text, &tree);
    let uses: usize = found.iter().map(|t| t.used_in.len()).sum();
    println!(
        "{name}: {:.2} MB, {} lines, {} clauses, {} defined terms, {uses} (term, clause) uses",
        text.len() as f64 / 1e6,
        text.lines().count(),
        tree.clauses.len(),
        found.len()
    );
    let parse = best(8, 3, || {
        black_box(ClauseTree::parse_structure(black_box(text)));
    });
    let all = best(8, 3, || {
        let tree = ClauseTree::parse_structure(black_box(text));
        let found = terms::extract(text, &tree);
        black_box(serde_json::to_string(&found).map(|s| s.len()).unwrap_or(0));
    });
    println!(
        "  lrw terms (clauses + terms + JSON): {:>7.2} ms   clause parsing alone: {:>6.2} ms",
        all * 1e3,
        parse * 1e3
    );
}

/// What `lrw diff` adds for the defined terms: both texts' terms and their comparison, on a text
/// and a copy with every 400th word replaced (as `benches/diff.sh` edits its pairs).
fn bench_diff(text: &str) {
    let mut n = 0;
    let edited: String = text
        .split_inclusive(char::is_whitespace)
        .map(|w| {
            n += 1;
            if n % 400 == 0 && !w.trim().is_empty() {
                let space = &w[w.trim_end().len()..];
                format!("EDITED{space}")
            } else {
                w.to_string()
            }
        })
        .collect();
    let (lt, rt) = (ClauseTree::parse_structure(text), ClauseTree::parse_structure(&edited));
    let (l, r) = (Lines::new(text), Lines::new(&edited));
    let opts = DiffOptions::default();
    let cmp = terms_diff::compare(text, &lt, &edited, &rt, &opts);
    let alone = best(8, 3, || {
        black_box(terms_diff::compare(text, &lt, &edited, &rt, &opts).changes.len());
    });
    let diff = best(8, 3, || {
        black_box(compare_trees_then(&l, &lt, &r, &rt, &opts, false, |_| ()).0.sections.len());
    });
    let with = |reading: Reading| {
        best(8, 3, || {
            let (c, t, ()) =
                terms_diff::with_diff_then(&l, &lt, &r, &rt, &opts, false, reading, |_, _| ());
            black_box((c.sections.len(), t.changes.len()));
        })
    };
    let (both, listing) = (with(Reading::Clauses), with(Reading::Listing));
    println!(
        "  against a copy with every 400th word edited ({} of {} terms changed):",
        cmp.changed().count(),
        cmp.changes.len()
    );
    println!(
        "  term comparison {:>6.2} ms   diff alone {:>6.2} ms   diff with terms {:>6.2} ms",
        alone * 1e3,
        diff * 1e3,
        both * 1e3
    );
    println!(
        "  diff with the terms listed (line by line, text formats: new text's uses only, \
         beside the diff) {:>6.2} ms",
        listing * 1e3
    );
}

fn main() {
    let spdx = spdx_text();
    bench("SPDX texts concatenated", &spdx);
    bench_diff(&spdx);
    match modelgo_text() {
        Some(t) => {
            bench("MG-BY-NC-2.0 repeated, sections renumbered", &t);
            bench_diff(&t);
        }
        None => println!("note: the corpus is absent; skipping the ModelGo text"),
    }
}

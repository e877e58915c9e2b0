//! How long `lrw similar` takes inside the process, and whether the compiled index ranks as
//! the matcher it replaced did.
//!
//! Times (medians): the first use of the SPDX index (decoding the embedded bytes), ranking and
//! scanning one long license (GPL-3.0, about 35 KB) and one short one (FSFAP), and, in the same
//! run, what the replaced matcher took (the `spdx` crate's askalono: decoding its matching
//! cache and ranking with it). Then every SPDX text, lightly edited, is ranked both ways and
//! the top fives compared. Whole-process times, beside askalono's own CLI, are measured by
//! `benches/similar.sh`.
//!
//! Run with `cargo bench --bench similar`. Prints; asserts nothing about time.

#[path = "../tests/common/perturb.rs"]
mod perturb;

use std::hint::black_box;
use std::time::{Duration, Instant};

use lrw::similarity::{RankOptions, rank, scan, spdx_store};
use lrw::text::Text;
use spdx::detection::{Store, TextData};

/// Median wall time of `runs` calls of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The SPDX text of `id`, looked up by name (`LicenseId::text` is off for a few ids in spdx
/// 0.13.6: GPL-3.0-or-later gets the text of GPL-3.0+).
fn spdx_text(id: &str) -> &'static str {
    spdx::text::LICENSE_TEXTS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t).expect("an SPDX id")
}

fn deprecated(id: &str) -> bool {
    spdx::license_id(id).is_some_and(|l| l.is_deprecated())
}

/// The replaced ranking: every current license of askalono's store scored against `text`,
/// best first, ties by id, as `lrw::similarity::rank_in` did before the index. Returns
/// (ids with the same text, score rounded to 4 decimals).
fn askalono_rank(store: &Store, text: &str, top: usize) -> Vec<(Vec<String>, f64)> {
    let data = TextData::new(text);
    let mut scored: Vec<(f32, &str)> = store
        .iter()
        .filter(|(id, _)| !deprecated(id))
        .map(|(id, e)| {
            let best = e
                .alternates
                .iter()
                .map(|a| a.match_score(&data))
                .fold(e.original.match_score(&data), f32::max);
            (best, id.as_str())
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(top)
        .map(|(score, id)| {
            let mut ids = vec![id.to_string()];
            ids.extend(store.aliases(id).into_iter().flatten().cloned());
            (ids, round4(score))
        })
        .collect()
}

fn round4(score: f32) -> f64 {
    (f64::from(score) * 10_000.0).round() / 10_000.0
}

fn main() {
    let start = Instant::now();
    let store = spdx_store();
    let decode = start.elapsed();
    println!(
        "similar: SPDX License List {} ({} index entries: texts and standard headers)",
        spdx::license_version(),
        store.len()
    );
    println!("  index first use (decode the embedded bytes)        {:>8.2} ms (once)", ms(decode));
    let opts = RankOptions::default();
    for id in ["GPL-3.0-only", "FSFAP"] {
        let content = spdx_text(id);
        let text = Text::from_string(id, content);
        let kb = content.len() as f64 / 1024.0;
        let ranking = median(21, || {
            black_box(rank(&text, &opts));
        });
        let scanning = median(11, || {
            black_box(scan(&text));
        });
        let label = format!("{id} ({kb:.1} KB)");
        println!(
            "  rank {label:<24} against all          median {:>8.2} ms (21 runs)",
            ms(ranking)
        );
        println!(
            "  scan {label:<24} for licenses         median {:>8.2} ms (11 runs)",
            ms(scanning)
        );
    }

    println!("before: askalono as the spdx crate inlines it (the matcher the index replaced)");
    let load = median(5, || {
        black_box(Store::load_inline().expect("the inline SPDX cache decodes"));
    });
    let old = Store::load_inline().expect("the inline SPDX cache decodes");
    let gpl = spdx_text("GPL-3.0-only");
    let old_rank = median(11, || {
        black_box(askalono_rank(&old, gpl, 5));
    });
    println!(
        "  store load (Store::load_inline)                    median {:>8.2} ms (5 runs)",
        ms(load)
    );
    println!(
        "  rank GPL-3.0-only against all                      median {:>8.2} ms (11 runs)",
        ms(old_rank)
    );

    // Same ranking: every SPDX text with a few words replaced, top five both ways. A position
    // agrees when the ids share a text (the two pick different names for the same group) and
    // the rounded scores are equal.
    let mut texts: Vec<(&str, &str)> = spdx::text::LICENSE_TEXTS.to_vec();
    texts.dedup_by_key(|t| t.0);
    let (mut same, mut differ) = (0, Vec::new());
    for (seed, (id, content)) in texts.iter().enumerate() {
        let count = (content.split_whitespace().count() / 25).clamp(1, 5);
        let (edited, _) = perturb::replace_words(content, count, seed as u64);
        let new = rank(&Text::from_string(id, &edited), &opts);
        let old = askalono_rank(&old, &edited, 5);
        let agree = new.len() == old.len()
            && new.iter().zip(&old).all(|(n, (ids, score))| {
                (ids.contains(&n.id) || n.aliases.iter().any(|a| ids.contains(a)))
                    && (n.score - score).abs() < 1e-9
            });
        if agree {
            same += 1;
        } else {
            let show_new: Vec<String> =
                new.iter().map(|m| format!("{} {}", m.id, m.score)).collect();
            let show_old: Vec<String> =
                old.iter().map(|(ids, s)| format!("{} {s}", ids[0])).collect();
            differ.push(format!(
                "    {id}:\n      index    {show_new:?}\n      askalono {show_old:?}"
            ));
        }
    }
    println!(
        "same ranking: {same} of {} edited SPDX texts get the same top five (ids, scores) from \
         the index as from askalono; {} differ:",
        texts.len(),
        differ.len()
    );
    for d in &differ {
        println!("{d}");
    }
}

//! How long `lrw similar` takes: decoding the SPDX store, and ranking and scanning one long
//! license (GPL-3.0, about 35 KB) against every license on the SPDX list.
//!
//! Run with `cargo bench --bench similar`. Prints medians; asserts nothing about time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use lrw::similarity::{RankOptions, rank_in, scan_in};
use lrw::text::Text;
use spdx::detection::Store;

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

fn main() {
    let store_load = median(5, || {
        black_box(Store::load_inline().expect("the inline SPDX cache decodes"));
    });
    let store = Store::load_inline().expect("the inline SPDX cache decodes");
    let gpl = spdx::license_id("GPL-3.0-only").expect("GPL-3.0-only is an SPDX id").text();
    let text = Text::from_string("spdx:GPL-3.0-only", gpl);
    let opts = RankOptions::default();
    let ranking = median(20, || {
        black_box(rank_in(&store, &text, &opts));
    });
    let scanning = median(10, || {
        black_box(scan_in(&store, &text));
    });
    let kb = gpl.len() as f64 / 1024.0;
    println!(
        "similar: SPDX License List {} ({} licenses in the store)",
        spdx::license_version(),
        store.len()
    );
    println!(
        "  store load (Store::load_inline)          median {:>8.1} ms (5 runs)",
        ms(store_load)
    );
    println!(
        "  rank GPL-3.0-only ({kb:.1} KB) vs all       median {:>8.1} ms (20 runs)",
        ms(ranking)
    );
    println!(
        "  scan GPL-3.0-only ({kb:.1} KB) for licenses median {:>8.1} ms (10 runs)",
        ms(scanning)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

//! Placing threads: 1,000 threads written on one version of a 1 MB text, placed by the
//! review session (a) on another version (through the clause alignment), and (b) on their
//! own version after its file was edited in place (a clause inserted at the top, so every
//! clause is renumbered and every thread is found by its words). Run with
//! `cargo bench --bench placement`. No other tool anchors comments to clauses, so there is no
//! peer to time beside it; the alignment alone is timed as a reference.

use std::hint::black_box;
use std::time::Instant;

use lrw::review::{self, Anchor, Comment, Review, Session, Thread, Verdict, Version};
use lrw::text::clauses::ClauseTree;

/// A license-like text of about `bytes` bytes: numbered clauses with lettered sub-clauses,
/// each with words of its own (so passages are distinctive, as in real licenses).
fn big_text(bytes: usize, variant: bool, insert_first: bool) -> String {
    let mut out = String::with_capacity(bytes + 1024);
    let mut n = 0usize;
    if insert_first {
        out.push_str("1. Inserted\n\n(a) A clause added at the top of the text.\n\n");
        n = 1;
    }
    let mut section = 0usize;
    while out.len() < bytes {
        n += 1;
        section += 1;
        out.push_str(&format!("{n}. Section {section}\n\n"));
        for (k, letter) in ["a", "b", "c"].iter().enumerate() {
            out.push_str(&format!("({letter}) "));
            for i in 0..60 {
                if variant && section.is_multiple_of(5) && k == 1 && i == 17 {
                    out.push_str("sublicense ");
                } else {
                    out.push_str(&format!("s{section}{letter}w{i} "));
                }
                if i % 12 == 11 {
                    out.push('\n');
                }
            }
            out.push_str("\n\n");
        }
    }
    out
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let d = dir.path();
    std::fs::create_dir_all(d.join("texts")).unwrap();
    std::fs::create_dir_all(d.join("reviews")).unwrap();
    let a = big_text(1_000_000, false, false);
    std::fs::write(d.join("texts/a.txt"), &a).unwrap();
    std::fs::write(d.join("texts/b.txt"), big_text(1_000_000, true, false)).unwrap();
    let tree = ClauseTree::parse(&a);
    let doc = review::anchor::Doc { content: &a, tree: &tree };
    // 1,000 threads on clauses spread over the text, half on a passage.
    let path = d.join("reviews/r.toml");
    let mut r = Review::new(
        &path,
        "bench",
        Version::new("a", "../texts/a.txt"),
        Version::new("b", "../texts/b.txt"),
    );
    r.versions[0].sha256 = Some(lrw::text::load::sha256_hex(a.as_bytes()));
    let n = tree.clauses.len();
    for k in 0..1000 {
        let i = (k * 7919) % n;
        let passage = (k % 2 == 0).then(|| {
            let text = tree.text(i, &a);
            let offset = text.as_ptr() as usize - a.as_ptr() as usize;
            // Five whole words after the label.
            let words: Vec<(usize, &str)> = text
                .split_ascii_whitespace()
                .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
                .skip(1)
                .take(5)
                .collect();
            let (start, _) = words[0];
            let (last, w) = words[words.len() - 1];
            offset + start..offset + last + w.len()
        });
        let anchor: Anchor = review::anchor::make_anchor("a", &doc, i, passage);
        let mut c = Comment::now("bench", "x");
        c.id = format!("c-{k:06x}");
        r.threads.push(Thread::new(format!("t-{k:06x}"), Verdict::Note, anchor, c));
    }
    review::save_new(&mut r).unwrap();
    println!("1 MB pair, {} clauses a side, 1,000 threads (3 runs each)", n);
    let sets = lrw::criteria::builtin_sets();
    for run in 0..3 {
        let t = Instant::now();
        let s = Session::open(&path, sets.clone()).unwrap();
        let open = t.elapsed();
        let t = Instant::now();
        black_box(s.pairs("a", "b").unwrap());
        let align = t.elapsed();
        let t = Instant::now();
        let placed = s.placements("b");
        let across = t.elapsed();
        let found = placed.iter().filter(|p| p.state().is_placed()).count();
        let t = Instant::now();
        let own = s.placements("a");
        let in_place = t.elapsed();
        let not_exact: Vec<_> =
            own.iter().filter(|p| p.state() != review::AnchorState::Exact).take(3).collect();
        assert!(not_exact.is_empty(), "{not_exact:?}");
        println!(
            "run {run}: open (load, parse, hash) {:>6.1} ms | clause alignment {:>6.1} ms | place 1,000 on the other version {:>6.1} ms ({found} placed) | on their own version {:>5.1} ms",
            ms(open),
            ms(align),
            ms(across),
            ms(in_place)
        );
    }
    // The text of version a edited in place: a clause inserted at the top renumbers all.
    std::fs::write(d.join("texts/a.txt"), big_text(1_000_000, false, true)).unwrap();
    for run in 0..3 {
        let s = Session::open(&path, sets.clone()).unwrap();
        let t = Instant::now();
        let placed = s.placements("a");
        let edited = t.elapsed();
        let moved = placed.iter().filter(|p| p.state() == review::AnchorState::Moved).count();
        println!(
            "run {run}: text edited in place, every clause renumbered: place 1,000 {:>6.1} ms ({moved} moved)",
            ms(edited)
        );
    }
}

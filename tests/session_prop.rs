//! Property: whatever clauses are inserted, deleted or renumbered in a version's text (edited
//! in place, under the same version id), every surface (the session, the export, the
//! workbench) places every thread in the same place; a thread whose clause survived is placed
//! on that clause under its new id, and one whose clause was deleted is orphaned, never left
//! on a clause that shares nothing with it.

use lrw::export::{BuildOptions, Report};
use lrw::review::{self, Change, Passage, Review, Session, Target, Verdict, Version};
use lrw::tui::workspace::ReviewWorkspace;
use proptest::prelude::*;

/// Clause `k`'s words: its own vocabulary, so no two clauses share a word.
fn body(k: usize) -> String {
    (0..12).map(|j| format!("w{k}x{j}")).collect::<Vec<_>>().join(" ")
}

/// A text of numbered clauses: `n. Heading` then the body of each clause in `order`.
fn text(order: &[usize]) -> String {
    let mut s = String::from("A test license\n\n");
    for (n, k) in order.iter().enumerate() {
        s.push_str(&format!("{}. Heading{k}\n\n{}.\n\n", n + 1, body(*k)));
    }
    s
}

#[derive(Debug, Clone)]
enum Edit {
    /// A new clause (fresh words) at this position.
    Insert(usize),
    /// The clause at this position goes.
    Delete(usize),
    /// Two clauses change places (both renumbered).
    Swap(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..12usize).prop_map(Edit::Insert),
        (0..12usize).prop_map(Edit::Delete),
        (0..12usize, 0..12usize).prop_map(|(a, b)| Edit::Swap(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_surface_places_every_thread_where_its_clause_went(
        n in 3usize..9,
        threads in proptest::collection::vec((0usize..9, proptest::option::of(0usize..9)), 1..6),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("texts")).unwrap();
        std::fs::create_dir_all(d.join("reviews")).unwrap();
        let original: Vec<usize> = (0..n).collect();
        std::fs::write(d.join("texts/v.txt"), text(&original)).unwrap();
        std::fs::write(d.join("texts/w.txt"), text(&original)).unwrap();
        let path = d.join("reviews/r.toml");
        let mut r = Review::new(&path, "R", Version::new("w", "../texts/w.txt"), Version::new("v", "../texts/v.txt"));
        for v in &mut r.versions {
            v.sha256 = Some(lrw::text::load_relative(&v.path, &d.join("reviews")).unwrap().sha256);
        }
        review::save_new(&mut r).unwrap();
        let mut s = Session::open(&path, lrw::criteria::builtin_sets()).unwrap();
        // Threads on clause k (an id `k+1`), on the whole clause or on three of its words.
        let mut written = Vec::new();
        for (k, quote) in &threads {
            let k = k % n;
            let passage = quote.map(|q| {
                let q = q % 10;
                Passage::Words(format!("w{k}x{q} w{k}x{} w{k}x{}", q + 1, q + 2))
            });
            let done = s.apply(Change::NewThread {
                target: Target::Clause { version: "v".into(), clause: (k + 1).to_string(), passage },
                body: "x".into(),
                verdict: Verdict::Note,
                criteria: vec![],
                message_id: None,
            }, "tester").unwrap();
            written.push((done.thread.unwrap(), k));
        }
        // Edit v in place.
        let mut order = original.clone();
        let mut fresh = 100;
        for e in &edits {
            match *e {
                Edit::Insert(p) => { order.insert(p.min(order.len()), fresh); fresh += 1; }
                Edit::Delete(p) if order.len() > 1 => { order.remove(p % order.len()); }
                Edit::Delete(_) => {}
                Edit::Swap(a, b) => { let len = order.len(); order.swap(a % len, b % len); }
            }
        }
        std::fs::write(d.join("texts/v.txt"), text(&order)).unwrap();

        let s = Session::open(&path, lrw::criteria::builtin_sets()).unwrap();
        let placed = s.placements("v");
        let report = Report::build(&s, &BuildOptions { version: Some("v".into()), ..Default::default() }).unwrap();
        let mut ws = ReviewWorkspace::open(&path).unwrap();
        let doc = ws.initial_document().unwrap();
        for (id, k) in &written {
            // Where its clause is now (1-based number), if it survived.
            let expected = order.iter().position(|x| x == k).map(|p| (p + 1).to_string());
            let by_session = placed.iter().find(|p| &p.thread == id).unwrap().clause().map(str::to_string);
            let t = report.threads.iter().find(|t| &t.id == id).unwrap();
            let by_export = t.anchor_state.is_placed().then(|| t.clause.clone());
            let tv = doc.threads.iter().find(|t| &t.id == id).unwrap();
            let by_workbench = tv.clause.and_then(|c| doc.clauses[c].right_id.clone());
            prop_assert_eq!(&by_session, &expected, "thread {} on clause {} of {:?} -> {:?}", id, k, original, order);
            prop_assert_eq!(&by_export, &expected);
            prop_assert_eq!(&by_workbench, &expected);
        }
    }
}

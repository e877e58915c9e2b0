//! Anchors following their clause: on the bundled example (2.0 submitted → 2.1) and on real
//! revisions from the corpus (ModelGo MG0 2.0 draft of Nov 2024 → May 2025), with the target
//! of every clause decided by reading both texts.

mod common;

use lrw::review::anchor::{self, AnchorState, Doc};
use lrw::review::{self, Anchor};
use lrw::text::ClauseTree;
use std::path::Path;

struct Version {
    text: lrw::text::Text,
    tree: ClauseTree,
}

impl Version {
    fn load(path: &str) -> Version {
        let text = lrw::text::load(path).unwrap();
        let tree = ClauseTree::parse(&text.content);
        Version { text, tree }
    }
    fn doc(&self) -> Doc<'_> {
        Doc { content: &self.text.content, tree: &self.tree }
    }
}

/// Expected place in MG0 2.0 (May 2025) of a thread on each clause of the Nov 2024 draft.
/// `None`: the clause was deleted, the thread is orphaned (and kept).
const MG0_DRAFT_TO_2025_05: &[(&str, Option<&str>)] = &[
    ("1", Some("1")),                   // DEFINITIONS
    ("1.1", Some("1")),                 // the definitions now sit directly under 1
    ("2", Some("2")),                   // LICENSE RIGHTS
    ("2.1", Some("2.1")),               // Grant of Rights (to Licensed Materials)
    ("2.1(a)", Some("2.1(a)")),         // the grant itself, reworded
    ("2.1(a)(i)", Some("2.1(a)(i)")),   // use, reproduce and Distribute the Licensed Materials
    ("2.1(a)(ii)", Some("2.1(a)(ii)")), // use the Licensed Materials to create Derivative Materials
    ("2.2", None),                      // rights in Derivative Materials vest in You: deleted
    ("2.2(a)", None),
    ("2.3", None), // Restrictive Covenants: deleted
    ("2.3(a)", None),
    ("2.3(a)(i)", None),
    ("2.3(b)", None),
    ("2.3(b)(i)", None),
    ("2.4", None), // Output: deleted
    ("2.4(a)", None),
    ("2.4(b)", None),
    ("2.5", Some("2.2")),    // Reservation of Rights
    ("2.5(a)", None),        // no assignment of IP: deleted
    ("2.5(b)", Some("2.2")), // trademarks: now the whole of 2.2
    ("3", Some("3")),        // DISCLAIMER
    ("3.1", Some("3")),      // "as is": merged into the single paragraph of 3
    ("3.2", Some("3")),      // merchantability etc.: merged into 3
    ("3.3", None),           // solely responsible for appropriateness: deleted
    ("4", Some("4")),        // LIMITATION OF LIABILITY
    ("4.1", Some("4")),      // condensed into the paragraph of 4
    ("4.1(a)", None),        // the list of excluded damages is gone
    ("4.1(b)", None),
    ("4.1(c)", None),
    ("4.1(d)", Some("4")), // holds the closing words ("in any way arising out of ...") kept in 4
    ("5", None),           // TERM AND TERMINATION: deleted (the new 5 is another section)
    ("5.1", None),
    ("5.2", None),
    ("5.2(a)", None),
    ("5.2(b)", None),
    ("5.3", None),
    ("6", None), // THIRD-PARTY MATERIALS: deleted
    ("6.1", None),
    ("6.2", None),
    ("6.2(a)", None),
    ("6.2(b)", None),
    ("6.2(c)", None),
    ("7", None), // GOVERNING LAW: deleted
    ("7.1", None),
    ("8", Some("5")),   // MODIFICATION OF THIS LICENSE
    ("8.1", Some("5")), // its text is now the body of 5
    ("annex-a", None),  // Model Sheet: deleted
];

#[test]
fn every_clause_of_the_mg0_draft_finds_its_place_in_the_2025_text() {
    let (Some(draft), Some(may)) = (
        common::corpus_file("MG0-2.0-draft-2024-11.txt"),
        common::corpus_file("MG0-2.0-2025-05.txt"),
    ) else {
        return;
    };
    let from = Version::load(&draft);
    let to = Version::load(&may);
    let ids: Vec<&str> = from.tree.clauses.iter().map(|c| c.id.as_str()).collect();
    let listed: Vec<&str> = MG0_DRAFT_TO_2025_05.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, listed, "the table covers every clause of the draft");

    let mut wrong = Vec::new();
    for (id, want) in MG0_DRAFT_TO_2025_05 {
        let i = from.tree.find(id).unwrap();
        let a = anchor::make_anchor("draft", &from.doc(), i, None);
        let res = anchor::resolve_anchor(&a, &from.doc(), &to.doc());
        let got = res.clause.as_deref();
        let state_ok = match (got, res.state) {
            (None, AnchorState::Orphaned) => true,
            (Some(g), AnchorState::Moved) => g != *id,
            (Some(g), AnchorState::Exact | AnchorState::Changed) => g == *id,
            _ => false,
        };
        if got != *want || !state_ok {
            wrong.push(format!(
                "{id}: expected {want:?}, got {got:?} ({:?} {:.2})",
                res.state, res.score
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn example(file: &str) -> Version {
    let p = common::fixture_root().join("texts/example-model-license").join(file);
    Version::load(p.to_str().unwrap())
}

#[test]
fn the_bundled_review_follows_the_revision() {
    let r = review::load(&common::example_review()).unwrap();
    let website = example("2.0-website.md");
    let submitted = example("2.0-submitted.md");
    let revised = example("2.1-submitted.md");
    let expected = [
        ("t-7f3a9c", AnchorState::Moved, Some("2.4(b)")),
        ("t-2b81e4", AnchorState::Moved, Some("2.4(b)")),
        ("t-c40d17", AnchorState::Moved, Some("1.4")),
        ("t-5e9a02", AnchorState::Exact, Some("2.1")),
        ("t-91fd3b", AnchorState::Orphaned, None), // the click-to-accept clause was removed
        ("t-0d6a58", AnchorState::Exact, Some("6.1")),
        ("t-e3b7c5", AnchorState::Moved, Some("2.2")),
    ];
    assert_eq!(r.threads.len(), expected.len());
    let resolve = |a: &lrw::review::Anchor| match a.version.as_str() {
        "submitted" => anchor::resolve_anchor(a, &submitted.doc(), &revised.doc()),
        "website" => anchor::resolve_anchor(a, &website.doc(), &revised.doc()),
        v => panic!("unexpected version {v}"),
    };
    for (id, state, clause) in expected {
        let t = r.thread(id).unwrap();
        let res = resolve(t.anchor.as_ref().unwrap());
        assert_eq!((res.state, res.clause.as_deref()), (state, clause), "{id}");
    }
    // The quoted passage is found in the moved clause.
    let res = resolve(r.thread("t-7f3a9c").unwrap().anchor.as_ref().unwrap());
    assert_eq!(&revised.text.content[res.quote.unwrap()], "a collection of Output as a dataset");
}

#[test]
fn in_place_every_anchor_of_the_bundled_review_is_exact() {
    let r = review::load(&common::example_review()).unwrap();
    for t in &r.threads {
        let v = example(
            Path::new(&r.version(&t.anchor.as_ref().unwrap().version).unwrap().path)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap(),
        );
        let res = anchor::resolve_in_place(t.anchor.as_ref().unwrap(), &v.doc());
        assert_eq!(res.state, AnchorState::Exact, "{}", t.id);
        assert_eq!(res.clause.as_deref(), Some(t.anchor.as_ref().unwrap().clause.as_str()));
        assert_eq!(res.quote.is_some(), t.anchor.as_ref().unwrap().quote.is_some(), "{}", t.id);
    }
}

fn anchored(v: &Version, clause: &str, quote: Option<&str>) -> Anchor {
    let i = v.tree.find(clause).unwrap();
    let passage = quote.map(|q| {
        let start = v.text.content.find(q).unwrap();
        start..start + q.len()
    });
    anchor::make_anchor("v", &v.doc(), i, passage)
}

fn edited(v: &Version, from: &str, to: &str) -> Version {
    assert!(v.text.content.contains(from));
    let content = v.text.content.replacen(from, to, 1);
    let text = lrw::text::Text::from_string("edited", &content);
    let tree = ClauseTree::parse(&text.content);
    Version { text, tree }
}

#[test]
fn in_place_states_exact_changed_moved_orphaned() {
    let v = example("2.0-submitted.md");
    let a = anchored(&v, "2.2(b)", Some("a collection of Output as a dataset"));
    // 32 characters of context on each side, across line breaks.
    assert_eq!(a.prefix.as_deref(), Some(" it; and\n\n(b) if you distribute "));
    assert_eq!(a.suffix.as_deref(), Some(", you shall attach to it a notic"));
    let r = anchor::resolve_in_place(&a, &v.doc());
    assert_eq!((r.state, r.clause.as_deref(), r.score), (AnchorState::Exact, Some("2.2(b)"), 1.0));

    // A word of the clause changed: the anchor is still there, but `changed`.
    let e = edited(&v, "you shall require every", "you should require every");
    let r = anchor::resolve_in_place(&a, &e.doc());
    assert_eq!((r.state, r.clause.as_deref()), (AnchorState::Changed, Some("2.2(b)")));

    // The quote itself was edited: found approximately.
    let e =
        edited(&v, "a collection of Output as a dataset", "a collection of Outputs as a dataset");
    let r = anchor::resolve_in_place(&a, &e.doc());
    assert_eq!((r.state, r.clause.as_deref()), (AnchorState::Changed, Some("2.2(b)")));
    assert!(r.score < 1.0 && r.score >= anchor::QUOTE_MIN, "{}", r.score);
    assert_eq!(&e.text.content[r.quote.unwrap()], "a collection of Outputs as a dataset");

    // The list was relabelled (b) -> (c): same text under another id.
    let e = edited(&v, "\n(b) if you distribute", "\n(c) if you distribute");
    let r = anchor::resolve_in_place(&a, &e.doc());
    assert_eq!((r.state, r.clause.as_deref()), (AnchorState::Moved, Some("2.2(c)")));

    // The clause is gone: orphaned, nothing else.
    let start = v.text.content.find("(b) if you distribute").unwrap();
    let end = v.text.content.find("2.3 Patents").unwrap();
    let e = edited(&v, &v.text.content[start..end], "");
    let r = anchor::resolve_in_place(&a, &e.doc());
    assert_eq!((r.state, r.clause, r.quote), (AnchorState::Orphaned, None, None));
}

#[test]
fn moved_anchors_point_at_the_new_place_with_fresh_context() {
    let sub = example("2.0-submitted.md");
    let rev = example("2.1-submitted.md");
    let a = anchored(&sub, "2.2(b)", Some("a collection of Output as a dataset"));
    let res = anchor::resolve_anchor(&a, &sub.doc(), &rev.doc());
    let m = anchor::moved_anchor(&a, &res, "revised", &rev.doc());
    assert_eq!((m.version.as_str(), m.clause.as_str()), ("revised", "2.4(b)"));
    assert_eq!(m.quote, a.quote);
    assert_eq!(m.suffix.as_deref(), Some(", you are asked to attach to it "));
    let again = anchor::resolve_in_place(&m, &rev.doc());
    assert_eq!(again.state, AnchorState::Exact);
    // An orphaned resolution leaves the anchor as it was.
    let gone = anchored(&example("2.0-website.md"), "3.4", None);
    let res = anchor::resolve_anchor(&gone, &example("2.0-website.md").doc(), &rev.doc());
    assert_eq!(res.state, AnchorState::Orphaned);
    assert_eq!(anchor::moved_anchor(&gone, &res, "revised", &rev.doc()), gone);
}

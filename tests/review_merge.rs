//! Properties of the three-way merge: whatever two sides add, nothing is lost, nothing is
//! duplicated, and merging is stable (merging the result again changes nothing).

mod common;

use std::collections::HashSet;

use lrw::review::{self, Comment, Review, Status, Verdict, merge::merge};
use proptest::prelude::*;

fn bundled() -> Review {
    review::load(&common::example_review()).unwrap()
}

/// One edit a side can make.
#[derive(Debug, Clone)]
enum Edit {
    Comment { thread: usize, body: String, minute: u32 },
    Thread { body: String, minute: u32 },
    Status { thread: usize, resolved: bool },
    Verdict { thread: usize, verdict: usize },
    Criterion { thread: usize, id: u8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..7usize, "[a-z \"\\\\\n]{0,30}", 0..600u32)
            .prop_map(|(thread, body, minute)| Edit::Comment { thread, body, minute }),
        ("[a-z \n]{1,30}", 0..600u32).prop_map(|(body, minute)| Edit::Thread { body, minute }),
        (0..7usize, any::<bool>()).prop_map(|(thread, resolved)| Edit::Status { thread, resolved }),
        (0..7usize, 0..5usize).prop_map(|(thread, verdict)| Edit::Verdict { thread, verdict }),
        (0..7usize, 1..11u8).prop_map(|(thread, id)| Edit::Criterion { thread, id }),
    ]
}

fn apply(r: &mut Review, edits: &[Edit], who: &str) {
    for e in edits {
        match e {
            Edit::Comment { thread, body, minute } => {
                let mut c = Comment::now(who, body);
                c.at = format!("2025-06-01T{:02}:{:02}:00Z", minute / 60, minute % 60);
                r.threads[*thread].comments.push(c);
            }
            Edit::Thread { body, minute } => {
                let mut c = Comment::now(who, body);
                c.at = format!("2025-06-02T{:02}:{:02}:00Z", minute / 60, minute % 60);
                let id = r.new_thread_id();
                let anchor = review::Anchor::clause("submitted", "3.3");
                r.threads.push(review::Thread::new(id, Verdict::Note, anchor, c));
            }
            Edit::Status { thread, resolved } => {
                r.threads[*thread].status = if *resolved { Status::Resolved } else { Status::Open };
            }
            Edit::Verdict { thread, verdict } => {
                r.threads[*thread].verdict = Verdict::ALL[*verdict]
            }
            Edit::Criterion { thread, id } => {
                let c = format!("osd-{id}");
                if !r.threads[*thread].criteria.contains(&c) {
                    r.threads[*thread].criteria.push(c);
                }
            }
        }
    }
}

type Key = (String, String, String, String);

fn comments(r: &Review) -> Vec<Key> {
    r.threads
        .iter()
        .flat_map(|t| {
            t.comments
                .iter()
                .filter(|c| c.author != review::merge::MERGE_AUTHOR)
                .map(|c| (t.id.clone(), c.author.clone(), c.at.clone(), c.body.clone()))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn merging_loses_and_duplicates_nothing(
        ours_edits in proptest::collection::vec(edit(), 0..8),
        theirs_edits in proptest::collection::vec(edit(), 0..8),
    ) {
        let base = bundled();
        let mut ours = base.clone();
        apply(&mut ours, &ours_edits, "ours");
        let mut theirs = base.clone();
        apply(&mut theirs, &theirs_edits, "theirs");
        let m = merge(&base, &ours, &theirs).review;

        // Every thread of either side, once.
        let ids: Vec<&str> = m.threads.iter().map(|t| t.id.as_str()).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        prop_assert_eq!(ids.len(), unique.len());
        for t in ours.threads.iter().chain(&theirs.threads) {
            prop_assert!(unique.contains(t.id.as_str()));
        }
        // Every comment of either side, once (comments are told apart by author, time, body).
        let got = comments(&m);
        let got_set: HashSet<&Key> = got.iter().collect();
        prop_assert_eq!(got.len(), got_set.len());
        let want: HashSet<Key> = comments(&ours).into_iter().chain(comments(&theirs)).collect();
        prop_assert_eq!(got_set, want.iter().collect::<HashSet<_>>());
        // Criteria added on either side are kept.
        for t in ours.threads.iter().chain(&theirs.threads) {
            let mt = m.thread(&t.id).unwrap();
            for c in &t.criteria {
                prop_assert!(mt.criteria.contains(c), "{} lost {}", t.id, c);
            }
        }
        // A change made on one side only wins.
        for (i, bt) in base.threads.iter().enumerate() {
            let (o, th) = (&ours.threads[i], &theirs.threads[i]);
            let mt = m.thread(&bt.id).unwrap();
            if o.status == bt.status { prop_assert_eq!(mt.status, th.status); }
            if th.status == bt.status { prop_assert_eq!(mt.status, o.status); }
            if o.verdict == bt.verdict { prop_assert_eq!(mt.verdict, th.verdict); }
            if th.verdict == bt.verdict { prop_assert_eq!(mt.verdict, o.verdict); }
        }
        // The result is a valid review, and merging either side into it again (from the same
        // ancestor) changes nothing.
        prop_assert!(review::validate(&m).is_empty());
        for side in [&ours, &theirs] {
            let again = merge(&base, &m, side).review;
            prop_assert_eq!(comments(&again), comments(&m));
        }
    }
}

/// Deletions and edits made on one side are applied: a thread or comment deleted on one side
/// and left alone on the other is gone, an edited comment is the edited text (once).
#[test]
fn one_sided_deletions_and_edits_are_applied() {
    let base = bundled();
    let mut ours = base.clone();
    // Ours deletes the last thread and the last comment of the first thread.
    let gone_thread = ours.threads.pop().unwrap().id;
    let gone_comment = ours.threads[0].comments.pop().unwrap().id;
    let mut theirs = base.clone();
    // Theirs edits the first comment of the second thread.
    let edited = theirs.threads[1].comments[0].id.clone();
    theirs.threads[1].comments[0].body = "Edited.".into();
    theirs.threads[1].comments[0].edited_at = Some("2025-06-01T00:00:00Z".into());
    let m = merge(&base, &ours, &theirs);
    assert!(m.notes.is_empty(), "{:?}", m.notes);
    assert!(m.review.thread(&gone_thread).is_none());
    assert!(m.review.threads[0].comment(&gone_comment).is_none());
    let t = &m.review.threads[1];
    assert_eq!(t.comments.iter().filter(|c| c.id == edited).count(), 1);
    assert_eq!(t.comment(&edited).unwrap().body, "Edited.");
    assert_eq!(t.comments.len(), base.threads[1].comments.len());
}

/// A thread deleted on one side but answered on the other is kept, with a note: nothing
/// anyone wrote is lost to a deletion.
#[test]
fn a_deleted_thread_that_the_other_side_answered_is_kept() {
    let base = bundled();
    let mut ours = base.clone();
    let id = ours.threads.remove(0).id;
    let mut theirs = base.clone();
    theirs.threads[0].comments.push(Comment::now("theirs", "Still open?"));
    let m = merge(&base, &ours, &theirs);
    assert!(m.review.thread(&id).is_some());
    assert_eq!(
        m.notes,
        [format!("thread {id} was deleted on one side and changed on the other; kept")]
    );
}

#[test]
fn identical_sides_merge_to_themselves() {
    let base = bundled();
    let mut side = base.clone();
    apply(&mut side, &[Edit::Status { thread: 0, resolved: true }], "x");
    let m = merge(&base, &side, &side);
    assert!(m.notes.is_empty());
    assert_eq!(review::to_toml(&m.review), review::to_toml(&side));
}

#[test]
fn competing_changes_without_comments_keep_ours_and_say_why() {
    // Neither side wrote a comment: nothing tells which change came later, and the note must
    // not claim that the later one won.
    let base = bundled();
    let mut ours = base.clone();
    apply(&mut ours, &[Edit::Verdict { thread: 0, verdict: 0 }], "ours");
    let mut theirs = base.clone();
    apply(&mut theirs, &[Edit::Verdict { thread: 0, verdict: 4 }], "theirs");
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.review.threads[0].verdict, Verdict::Conforms);
    assert_eq!(
        m.notes,
        [format!(
            "thread {}: verdict was set to conforms on one side and note on the other; kept \
             conforms, ours: neither side recorded a change or comment that says which came \
             later",
            base.threads[0].id
        )]
    );
    let note = m.review.threads[0].comments.last().unwrap();
    assert_eq!(note.author, review::merge::MERGE_AUTHOR);
    assert!(note.body.contains("kept conforms, ours"), "{}", note.body);
}

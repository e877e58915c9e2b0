use super::*;
use crate::tui::action::Quote;
use crate::tui::components::closest::new_version_id;
use crate::tui::components::texts::PAN_STEP as PAN;
use crate::tui::doc::{
    AnchorView, ClauseRow, ClauseStatus, CommentView, DiffRow, RowSide, RowTag, ThreadView,
};
use crate::tui::render;
use crate::tui::testing::type_keys;

fn side(line: usize, text: &str, emph: Option<std::ops::Range<usize>>) -> Option<RowSide> {
    let mut segments = vec![(0..text.len(), false)];
    if let Some(e) = emph {
        segments = vec![(0..e.start, false), (e.clone(), true), (e.end..text.len(), false)];
    }
    Some(RowSide { line, segments })
}

/// Three clauses; clause 2 changed, clause 3 added; one thread on clause 2, one orphaned.
pub(crate) fn sample() -> Document {
    let left = ["Preamble", "1. Grant", "You may use it.", "2. Limits", "Do not sell it."];
    let right =
        ["Preamble", "1. Grant", "You may use it.", "2. Limits", "Do not lease it.", "3. New"];
    let l = |i: usize| side(i, left[i - 1], None);
    let r = |i: usize| side(i, right[i - 1], None);
    let rows = vec![
        DiffRow { left: l(1), right: r(1), tag: RowTag::Equal, clause: None },
        DiffRow { left: l(2), right: r(2), tag: RowTag::Equal, clause: Some(0) },
        DiffRow { left: l(3), right: r(3), tag: RowTag::Equal, clause: Some(0) },
        DiffRow { left: l(4), right: r(4), tag: RowTag::Equal, clause: Some(1) },
        DiffRow {
            left: side(5, left[4], Some(7..11)),
            right: side(5, right[4], Some(7..12)),
            tag: RowTag::Replace,
            clause: Some(1),
        },
        DiffRow { left: None, right: r(6), tag: RowTag::Insert, clause: Some(2) },
    ];
    let clause = |id: &str, heading: &str, status, row, left: bool| ClauseRow {
        id: id.into(),
        left_id: left.then(|| id.to_string()),
        right_id: Some(id.into()),
        heading: heading.into(),
        depth: 1,
        status,
        row,
        threads: 0,
        open: 0,
    };
    let thread = |id: &str, clause: Option<usize>, anchor| ThreadView {
        id: id.into(),
        clause,
        version: "right".into(),
        anchored_clause: "2".into(),
        anchor,
        open: true,
        verdict: "concern".into(),
        criteria: vec!["osd-6".into()],
        quote: None,
        comments: vec![CommentView {
            id: "c-1".into(),
            author: "reviewer-a".into(),
            at: "2025-05-14T07:09:00Z".into(),
            edited_at: None,
            body: "Why lease?".into(),
            message_id: None,
            extra: Default::default(),
        }],
        events: vec![],
    };
    let mut doc = Document {
        title: "Sample".into(),
        versions: vec!["left".into(), "right".into(), "third".into()],
        left_version: "left".into(),
        right_version: "right".into(),
        normalized: true,
        left_lines: left.iter().map(|s| s.to_string()).collect(),
        right_lines: right.iter().map(|s| s.to_string()).collect(),
        rows,
        clauses: vec![
            clause("1", "Grant", ClauseStatus::Unchanged, 1, true),
            clause("2", "Limits", ClauseStatus::Changed, 3, true),
            clause("3", "New", ClauseStatus::Added, 5, false),
        ],
        threads: vec![
            thread("t-1", Some(1), AnchorView::Exact),
            thread("t-2", None, AnchorView::Orphaned),
        ],
        ..Document::default()
    };
    doc.finish();
    doc
}

/// The comparison of `left` and `right` as `update` asks for it, the selection on the clause
/// `follow` names (version, clause id).
fn cmp(left: &str, right: &str, normalized: bool, follow: &[(&str, &str)]) -> Effect {
    Effect::Compare {
        left: left.into(),
        right: right.into(),
        normalized,
        ignore_case: false,
        follow: follow.iter().map(|(v, c)| (v.to_string(), c.to_string())).collect(),
    }
}

fn new_app() -> App {
    let mut app = App::new(sample(), criteria(), None);
    app.update(Action::Resize { width: 100, height: 30 });
    app
}

fn criteria() -> Vec<CriterionView> {
    ["osd-5", "osd-6"]
        .iter()
        .map(|id| CriterionView {
            id: id.to_string(),
            set: "OSD".into(),
            number: id[4..].into(),
            title: "x".into(),
        })
        .collect()
}

#[test]
fn changes_and_clause_jumps_move_the_cursor() {
    let mut app = new_app();
    assert_eq!(app.doc.change_starts, vec![4]);
    type_keys(&mut app, "n");
    assert_eq!((app.texts.cursor, app.clause), (4, 1));
    type_keys(&mut app, "N");
    assert_eq!(app.texts.cursor, 4, "no change above: stays");
    type_keys(&mut app, "<esc>:§ 3<ret>");
    assert_eq!((app.texts.cursor, app.clause), (5, 2));
    type_keys(&mut app, ":9.9<ret>");
    assert!(app.message.as_ref().unwrap().1, "unknown clause is reported");
    type_keys(&mut app, "gG");
    assert_eq!(app.texts.cursor, 5);
    type_keys(&mut app, "<tab><tab><tab>k");
    assert_eq!(app.focus, PaneId::Texts);
}

#[test]
fn outline_moves_keep_texts_in_step() {
    let mut app = new_app();
    type_keys(&mut app, "<s-tab>j");
    assert_eq!(app.focus, PaneId::Outline);
    assert_eq!((app.clause, app.texts.cursor, app.texts.top), (1, 3, 3));
    type_keys(&mut app, "j");
    assert_eq!((app.clause, app.texts.cursor), (2, 5));
}

#[test]
fn search_highlights_and_n_moves_between_hits() {
    let mut app = new_app();
    type_keys(&mut app, "/IT");
    assert_eq!(app.mode(), Mode::Prompt(PromptKind::Search));
    assert_eq!(app.texts.search.as_ref().unwrap().hits.len(), 6, "incremental, case-insensitive");
    type_keys(&mut app, "<ret>");
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.texts.cursor, 2);
    type_keys(&mut app, "n");
    assert_eq!(app.texts.search.as_ref().unwrap().current, 1);
    type_keys(&mut app, "n");
    assert_eq!((app.texts.cursor, app.texts.search.as_ref().unwrap().current), (3, 2));
    type_keys(&mut app, "<esc>n");
    assert!(app.texts.search.is_none());
    type_keys(&mut app, "/zzz<ret>");
    assert!(app.texts.search.is_none());
    assert!(app.message.as_ref().unwrap().0.contains("Not found"));
}

#[test]
fn new_thread_posts_with_ctrl_s() {
    let mut app = new_app();
    type_keys(&mut app, ":2<ret>a");
    assert_eq!(app.mode(), Mode::Editor);
    type_keys(&mut app, "Too strict.<ret>Second line");
    assert_eq!(app.tick(), vec![Effect::WriteDraft(Some(app.editor.as_ref().unwrap().draft()))]);
    assert_eq!(app.tick(), vec![], "unchanged draft is not rewritten");
    let fx = type_keys(&mut app, "<C-s>");
    assert_eq!(
        fx,
        vec![Effect::Apply(ReviewChange::NewThread {
            version: "right".into(),
            clause: "2".into(),
            quote: None,
            body: "Too strict.\nSecond line".into(),
        })]
    );
    assert_eq!(app.mode(), Mode::Normal);
    let fx = app.update(Action::Saved { message: "Saved".into(), threads: vec![] });
    assert_eq!(fx, vec![Effect::WriteDraft(None)], "recovery file removed after saving");
}

#[test]
fn failed_save_keeps_the_text_as_a_draft() {
    let mut app = new_app();
    type_keys(&mut app, ":2<ret>aKeep me<C-s>");
    let fx = app.update(Action::Failed { message: "disk full".into() });
    assert!(matches!(&fx[..], [Effect::WriteDraft(Some(d))] if d.body == "Keep me"));
    type_keys(&mut app, "a");
    assert_eq!(app.editor.as_ref().unwrap().body(), "Keep me");
}

#[test]
fn selected_lines_and_search_hits_become_quotes() {
    let mut app = new_app();
    type_keys(&mut app, ":2<ret>Vja");
    match &app.editor.as_ref().unwrap().target {
        DraftTarget::NewThread { quote, clause, .. } => {
            assert_eq!(clause, "2");
            let q = quote.as_ref().unwrap();
            assert_eq!((q.text.as_str(), q.line, q.start), ("2. Limits\nDo not lease it.", 4, 0));
        }
        t => panic!("{t:?}"),
    }
    let mut app2 = new_app();
    type_keys(&mut app2, "/lease<ret>a");
    let app = app2;
    match &app.editor.as_ref().unwrap().target {
        DraftTarget::NewThread { quote, .. } => {
            assert_eq!(quote, &Some(Quote { text: "lease".into(), line: 5, start: 7 }))
        }
        t => panic!("{t:?}"),
    }
}

#[test]
fn escape_asks_before_discarding_typed_text() {
    let mut app = new_app();
    let fx = type_keys(&mut app, "a<esc>");
    assert_eq!(fx, vec![Effect::WriteDraft(None)], "empty editor closes at once");
    type_keys(&mut app, "ahello<esc>");
    assert_eq!(app.mode(), Mode::Confirm(Question::DiscardEdit));
    type_keys(&mut app, "n");
    assert_eq!(app.mode(), Mode::Editor);
    let fx = type_keys(&mut app, "<esc>k");
    assert!(matches!(&fx[..], [Effect::WriteDraft(Some(d))] if d.body == "hello"));
    assert!(app.draft.is_some());
    type_keys(&mut app, "q");
    assert_eq!(app.mode(), Mode::Confirm(Question::Quit), "quit asks while a draft exists");
    type_keys(&mut app, "n");
    let fx = type_keys(&mut app, "dy");
    assert_eq!(fx, vec![Effect::WriteDraft(None)]);
    assert_eq!(type_keys(&mut app, "q"), vec![Effect::Quit]);
}

#[test]
fn recovered_draft_is_offered() {
    let d = Draft { target: DraftTarget::Reply { thread: "t-1".into() }, body: "old".into() };
    let mut app = App::new(sample(), criteria(), Some(d));
    assert_eq!(app.mode(), Mode::Confirm(Question::Recover));
    type_keys(&mut app, "y");
    assert_eq!(app.mode(), Mode::Editor);
    assert_eq!(app.editor.as_ref().unwrap().body(), "old");
    let fx = type_keys(&mut app, "<C-s>");
    assert_eq!(
        fx,
        vec![Effect::Apply(ReviewChange::Reply { thread: "t-1".into(), body: "old".into() })]
    );
}

#[test]
fn e_picks_a_summary_format_and_asks_the_runtime_to_write_it() {
    let mut app = new_app();
    assert!(type_keys(&mut app, "e").is_empty());
    assert!(matches!(app.popup, Some(Popup::Export(_))));
    let right = app.doc.right_version.clone();
    let fx = type_keys(&mut app, "j<ret>");
    assert_eq!(fx, vec![Effect::Export { format: "html".into(), version: right }]);
    assert_eq!(app.mode(), Mode::Normal);
    app.update(Action::Exported { message: "Summary written to r-summary.html".into() });
    assert_eq!(
        app.message.as_ref().map(|m| m.0.as_str()),
        Some("Summary written to r-summary.html")
    );
    type_keys(&mut app, "e<esc>");
    assert_eq!(app.mode(), Mode::Normal, "Esc leaves the picker without writing");
}

fn license(id: &str, score: f64, version: Option<&str>) -> LicenseMatch {
    LicenseMatch {
        id: id.into(),
        name: format!("The {id} License"),
        score,
        osi: id != "X",
        version: version.map(str::to_string),
    }
}

#[test]
fn capital_l_ranks_the_right_version_and_adds_the_pick_before_comparing() {
    let mut app = new_app();
    let fx = type_keys(&mut app, "L");
    assert_eq!(fx, vec![Effect::Rank { version: "right".into(), top: CLOSEST_TOP }]);
    assert!(app.message.as_ref().unwrap().0.starts_with("Ranking right against"));
    assert_eq!(app.mode(), Mode::Normal, "the picker waits for the ranking");
    let matches = vec![
        license("MIT", 0.91, None),
        license("ISC", 0.8, Some("third")),
        license("X", 0.1, None),
    ];
    app.update(Action::Ranked { version: "right".into(), matches });
    assert!(matches!(&app.popup, Some(Popup::Closest(p)) if p.picker.cursor == 0));
    // Not yet a version: added (and saved) first, compared once saved.
    let fx = type_keys(&mut app, "<ret>");
    assert_eq!(
        fx,
        vec![Effect::Apply(ReviewChange::AddVersion {
            id: "spdx-MIT".into(),
            path: "spdx:MIT".into(),
        })]
    );
    assert_eq!(app.mode(), Mode::Normal);
    let fx = app.update(Action::Saved {
        message: "spdx:MIT added as version spdx-MIT and saved".into(),
        threads: app.doc.threads.clone(),
    });
    let compare = cmp("spdx-MIT", "right", true, &[("right", "1"), ("left", "1")]);
    assert_eq!(fx, vec![compare]);
    let mut doc = sample();
    doc.left_version = "spdx-MIT".into();
    app.update(Action::Compared(Box::new(doc)));
    assert_eq!(
        app.message,
        Some(("spdx:MIT added as version spdx-MIT and saved".into(), false)),
        "the status line says what happened, not just \"Comparing\""
    );
    assert_eq!(app.update(Action::Compared(Box::new(sample()))), vec![]);
    assert!(app.message.as_ref().unwrap().0.starts_with("Comparing left with right"));

    // Already a version: compared at once, nothing saved.
    type_keys(&mut app, "L");
    let matches = vec![license("MIT", 0.91, None), license("ISC", 0.8, Some("third"))];
    app.update(Action::Ranked { version: "right".into(), matches });
    let fx = type_keys(&mut app, "j<ret>");
    assert_eq!(fx, vec![cmp("third", "right", true, &[("right", "1"), ("left", "1")])]);
    app.update(Action::Compared(Box::new(sample())));
    assert_eq!(
        app.message.as_ref().unwrap().0,
        "spdx:ISC is already version third: compared with right"
    );

    // Esc closes the picker without asking for anything.
    type_keys(&mut app, "L");
    app.update(Action::Ranked {
        version: "right".into(),
        matches: vec![license("MIT", 1.0, None)],
    });
    assert_eq!(type_keys(&mut app, "G<esc>"), vec![]);
    assert_eq!(app.mode(), Mode::Normal);
}

#[test]
fn a_failed_add_compares_nothing_and_failures_reach_the_status_line() {
    let mut app = new_app();
    type_keys(&mut app, "L");
    app.update(Action::Ranked {
        version: "right".into(),
        matches: vec![license("MIT", 0.9, None)],
    });
    let fx = type_keys(&mut app, "<ret>");
    assert!(matches!(&fx[..], [Effect::Apply(ReviewChange::AddVersion { .. })]));
    assert_eq!(app.update(Action::Failed { message: "Not saved: read-only".into() }), vec![]);
    assert_eq!(app.message, Some(("Not saved: read-only".into(), true)));
    let fx = app.update(Action::Saved { message: "Saved".into(), threads: vec![] });
    assert_eq!(fx, vec![], "no comparison left over from the failed add");
    // An empty ranking opens no picker.
    type_keys(&mut app, "L");
    app.update(Action::Ranked { version: "right".into(), matches: vec![] });
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.message.as_ref().unwrap().1);
    // The right-hand version itself is not compared with itself.
    type_keys(&mut app, "L");
    let m = vec![license("MIT", 1.0, Some("right"))];
    app.update(Action::Ranked { version: "right".into(), matches: m });
    assert_eq!(type_keys(&mut app, "<ret>"), vec![]);
    assert!(app.message.as_ref().unwrap().1);
}

/// Ranking runs in the background: keys go on being handled, and the result, when it
/// comes, is taken only if it still applies.
#[test]
fn keys_work_while_ranking_and_a_late_ranking_is_handled_right() {
    let ranked = |version: &str, id: &str| Action::Ranked {
        version: version.into(),
        matches: vec![license(id, 0.9, None), license("ISC", 0.8, None)],
    };
    let note = "Ranking right against the SPDX licenses…";
    let mut app = new_app();
    assert_eq!(type_keys(&mut app, "L"), vec![Effect::Rank { version: "right".into(), top: 10 }]);
    assert_eq!(app.ranking.as_deref(), Some("right"));
    assert_eq!(type_keys(&mut app, "L"), vec![], "a second L waits for the running one");
    // Keys meanwhile: move, search, toggle wrapping.
    type_keys(&mut app, "jj/lease<ret>w");
    assert_eq!((app.texts.cursor, app.texts.wrap, app.mode()), (4, false, Mode::Normal));
    assert!(app.texts.search.is_some());
    // The note shows until the result comes, whenever no other message does.
    type_keys(&mut app, "<esc><esc>");
    assert_eq!(app.message, None);
    let screen = crate::tui::testing::buffer_text(&crate::tui::testing::draw(&mut app, 100, 30));
    assert!(screen.lines().last().unwrap().starts_with(note), "on the status line:\n{screen}");
    assert!(screen.lines().next().unwrap().contains("Sample"), "the title stays:\n{screen}");
    // The result: the picker opens, the reader's place is kept.
    app.update(ranked("right", "MIT"));
    assert_eq!((app.mode(), app.ranking.clone(), app.texts.cursor), (Mode::Picker, None, 4));
    let screen = crate::tui::testing::buffer_text(&crate::tui::testing::draw(&mut app, 100, 30));
    assert!(!screen.contains(note), "{screen}");
    // A second result for the same version (nothing runs now) changes nothing.
    app.update(ranked("right", "X"));
    assert_eq!(app.closest.as_ref().unwrap().matches[0].id, "MIT");
    type_keys(&mut app, "<esc>");

    // It comes while a comment is being typed: nothing is taken from the editor; L
    // shows the ranking afterwards, without ranking again.
    type_keys(&mut app, "La");
    type_keys(&mut app, "half a thought");
    app.update(ranked("right", "MIT"));
    assert_eq!(app.mode(), Mode::Editor);
    assert_eq!(app.editor.as_ref().unwrap().body(), "half a thought");
    assert!(app.message.as_ref().unwrap().0.contains("L shows them"));
    type_keys(&mut app, "<esc>k");
    assert_eq!(type_keys(&mut app, "L"), vec![]);
    assert!(matches!(app.popup, Some(Popup::Closest(_))));
    assert_eq!(app.closest.as_ref().unwrap().matches[0].id, "MIT");
    type_keys(&mut app, "<esc>");
    assert!(app.draft.is_some(), "the draft is kept");

    // The comparison changes to another right-hand version: the result is of no use.
    type_keys(&mut app, "L");
    type_keys(&mut app, "sj<ret>");
    let mut doc = sample();
    doc.right_version = "third".into();
    app.update(Action::Compared(Box::new(doc)));
    assert_eq!(app.ranking, None);
    app.update(ranked("right", "MIT"));
    assert_eq!(app.mode(), Mode::Normal, "a ranking of another text opens nothing");
    app.update(Action::RankFailed { version: "right".into(), message: "late".into() });
    assert!(!app.message.as_ref().unwrap().1, "nor does its failure");
    // Another left-hand version only: the ranking (of the right) still applies.
    assert_eq!(type_keys(&mut app, "L"), vec![Effect::Rank { version: "third".into(), top: 10 }]);
    let mut doc = sample();
    (doc.left_version, doc.right_version) = ("right".into(), "third".into());
    app.update(Action::Compared(Box::new(doc)));
    assert_eq!(app.ranking.as_deref(), Some("third"));
    app.update(Action::RankFailed { version: "third".into(), message: "Ranking failed: x".into() });
    assert_eq!(
        (app.ranking.clone(), app.message.clone()),
        (None, Some(("Ranking failed: x".into(), true)))
    );
    // After a failure, L ranks again.
    assert_eq!(type_keys(&mut app, "L").len(), 1);
}

#[test]
fn version_ids_for_licenses_are_plain_and_unique() {
    let mut app = new_app();
    assert_eq!(new_version_id(&app.doc, "Apache-2.0"), "spdx-Apache-2.0");
    assert_eq!(new_version_id(&app.doc, "GPL-2.0+"), "spdx-GPL-2.0-");
    app.doc.versions.push("spdx-MIT".into());
    app.doc.versions.push("spdx-MIT-2".into());
    assert_eq!(new_version_id(&app.doc, "MIT"), "spdx-MIT-3");
}

#[test]
fn reply_resolve_criteria_and_verdict_act_on_the_selected_thread() {
    let mut app = new_app();
    type_keys(&mut app, ":2<ret>");
    assert_eq!(app.thread_items(), vec![0, 1], "clause thread, then the orphaned one");
    let fx = type_keys(&mut app, "x");
    assert_eq!(
        fx,
        vec![Effect::Apply(ReviewChange::SetStatus { thread: "t-1".into(), open: false })]
    );
    // Nothing changes on screen until the save says it is done.
    assert_eq!(app.doc.clauses[1].open, 1);
    assert!(app.doc.threads[0].open);
    let done = |app: &mut App| {
        let threads = app.doc.threads.clone();
        app.update(Action::Saved { message: "saved".into(), threads })
    };
    assert_eq!(done(&mut app), vec![]);
    let fx = type_keys(&mut app, "c<space>j<space><ret>");
    assert_eq!(
        fx,
        vec![Effect::Apply(ReviewChange::SetCriteria {
            thread: "t-1".into(),
            criteria: vec!["osd-5".into()],
        })]
    );
    // The verdict picker starts on its first entry whatever the verdict (concern here,
    // marked as current): v j j Enter is always conflict.
    type_keys(&mut app, "v");
    assert!(
        matches!(&app.popup, Some(Popup::Verdict(p)) if p.picker.cursor == 0 && p.picker.current == Some(1))
    );
    let set = |verdict: &str| {
        vec![Effect::Apply(ReviewChange::SetVerdict {
            thread: "t-1".into(),
            verdict: verdict.into(),
        })]
    };
    done(&mut app);
    assert_eq!(type_keys(&mut app, "jj<ret>"), set("conflict"));
    done(&mut app);
    // One letter chooses and saves: q is question here, not "close".
    for (key, verdict) in
        [("c", "conforms"), ("o", "concern"), ("f", "conflict"), ("q", "question"), ("n", "note")]
    {
        assert_eq!(type_keys(&mut app, &format!("v{key}")), set(verdict), "{key}");
        assert_eq!(app.mode(), Mode::Normal);
        done(&mut app);
    }
    assert_eq!(type_keys(&mut app, "vz<esc>"), vec![], "other letters do nothing");
    type_keys(&mut app, "<tab>j");
    assert_eq!(app.selected_thread(), Some(1));
    type_keys(&mut app, "rsure<C-s>");
    assert!(
        matches!(app.posting, Some(Draft { target: DraftTarget::Reply { ref thread }, .. }) if thread == "t-2")
    );
}

#[test]
fn toggles_and_versions_ask_the_runtime_to_compare() {
    let mut app = new_app();
    let fx = type_keys(&mut app, "=");
    assert_eq!(fx, vec![cmp("left", "right", false, &[("right", "1"), ("left", "1")])]);
    let fx = type_keys(&mut app, "sj<ret>");
    assert_eq!(fx, vec![cmp("left", "third", true, &[("right", "1"), ("left", "1")])]);
    type_keys(&mut app, "w");
    assert!(!app.texts.wrap);
    type_keys(&mut app, "?");
    assert_eq!(app.mode(), Mode::Help);
    type_keys(&mut app, "<esc>");
    assert_eq!(app.mode(), Mode::Normal);
}

#[test]
fn mouse_wheel_and_click() {
    let mut app = new_app();
    let a = app.areas();
    app.update(Action::Click { column: a.left.x + 10, row: a.left.y + 3 });
    assert_eq!((app.focus, app.texts.cursor, app.clause), (PaneId::Texts, 2, 0));
    app.update(Action::ScrollDown { column: a.left.x + 3, row: a.left.y + 3 });
    assert_eq!((app.texts.top, app.texts.cursor), (3, 3), "the cursor stays on screen");
    app.update(Action::Click { column: a.outline.x + 2, row: a.outline.y + 3 });
    assert_eq!((app.focus, app.clause, app.texts.cursor), (PaneId::Outline, 2, 5));
}

#[test]
fn texts_scroll_sideways_only_when_not_wrapping() {
    // Lines of 5 * 9 + 2 = 47 or 48 columns ("word … 7"), 31 of which show (100 x 30: 40-column
    // text panes less the border and the gutter).
    let mut app = App::new(long_doc(200, &"word ".repeat(9)), vec![], None);
    app.update(Action::Resize { width: 100, height: 30 });
    assert_eq!(app.areas().text_width(), 31);
    type_keys(&mut app, ">");
    assert_eq!(app.texts.hscroll, 0, "wrapped lines do not scroll sideways");
    assert!(app.message.as_ref().unwrap().0.contains("w turns wrapping off"));
    type_keys(&mut app, "w>");
    assert_eq!(app.texts.hscroll, PAN);
    type_keys(&mut app, "<s-right>");
    assert_eq!(app.texts.hscroll, 16);
    // The widest line on screen (rows 10.. have a two-digit number: 48 columns) ends at
    // 17 columns past the pane: no further.
    type_keys(&mut app, ">>");
    assert_eq!(app.texts.hscroll, 48 - 31);
    type_keys(&mut app, "<lt>");
    assert_eq!(app.texts.hscroll, 48 - 31 - PAN);
    type_keys(&mut app, "<s-left><s-left>");
    assert_eq!(app.texts.hscroll, 0);
    type_keys(&mut app, "<lt>");
    assert_eq!(app.texts.hscroll, 0);
    type_keys(&mut app, ">>0");
    assert_eq!(app.texts.hscroll, 0, "0: back to the first column");
    // Moving down does not change the column; w resets it.
    type_keys(&mut app, ">>jjj");
    assert_eq!(app.texts.hscroll, 16);
    assert_eq!(app.focus, PaneId::Texts, "< > move no focus, unlike h l ← →");
    type_keys(&mut app, "w");
    assert_eq!((app.texts.wrap, app.texts.hscroll), (true, 0));
    type_keys(&mut app, "w");
    assert_eq!(app.texts.hscroll, 0);

    // The horizontal wheel, over the texts only.
    let a = app.areas();
    app.update(Action::ScrollRight { column: a.right.x + 5, row: a.right.y + 2 });
    assert_eq!(app.texts.hscroll, WHEEL_PAN_STEP);
    app.update(Action::ScrollRight { column: a.outline.x + 2, row: a.outline.y + 2 });
    assert_eq!(app.texts.hscroll, WHEEL_PAN_STEP, "not over the outline");
    app.update(Action::ScrollLeft { column: a.left.x + 5, row: a.left.y + 2 });
    assert_eq!(app.texts.hscroll, 0);
    type_keys(&mut app, "w");
    app.update(Action::ScrollRight { column: a.right.x + 5, row: a.right.y + 2 });
    assert_eq!(app.texts.hscroll, 0, "nor when wrapping");
}

#[test]
fn without_wrapping_search_hits_are_scrolled_into_view() {
    // "word word … word 3": the number is at column 45, past the 31 that show.
    let mut app = App::new(long_doc(5, &"word ".repeat(9)), vec![], None);
    app.update(Action::Resize { width: 100, height: 30 });
    type_keys(&mut app, "w/ 3<ret>");
    assert_eq!(app.texts.cursor, 3);
    assert_eq!(app.texts.hscroll, 47 - 31, "the line's end fills the pane, the hit in it");
    type_keys(&mut app, "<esc>0/word<ret>");
    assert_eq!(app.texts.hscroll, 0, "a hit on screen: no scroll");
    type_keys(&mut app, ">>>n");
    assert_eq!(app.texts.hscroll, 0, "the next hit was left of the screen: back to where it shows");
    // Wrapped, nothing scrolls sideways.
    type_keys(&mut app, "<esc>w/ 4<ret>");
    assert_eq!((app.texts.cursor, app.texts.hscroll), (4, 0));
}

#[test]
fn an_offset_past_shorter_lines_is_kept_until_scrolling_back() {
    let mut app = App::new(long_doc(3, &"long ".repeat(20)), vec![], None);
    app.update(Action::Resize { width: 100, height: 30 });
    type_keys(&mut app, "w>>>>>>>>>>>>>>>");
    let far = app.texts.hscroll;
    assert_eq!(far, 5 * 20 + 2 - 31, "the end of the widest line (\"long … 0\")");
    // Another comparison (other texts) starts at the first column.
    let mut doc = long_doc(3, "short");
    doc.left_version = "other".into();
    app.update(Action::Compared(Box::new(doc)));
    assert_eq!(app.texts.hscroll, 0);
    // Shorter lines below (a document of short lines under long ones): the offset stays
    // while moving, > adds nothing, < starts from where the widest line on screen ends.
    app.update(Action::Compared(Box::new(sample())));
    type_keys(&mut app, ">");
    assert_eq!(app.texts.hscroll, 0, "sample lines fit");
    app.texts.hscroll = 40;
    type_keys(&mut app, ">");
    assert_eq!(app.texts.hscroll, 40, "nothing more to see: stays");
    type_keys(&mut app, "<lt>");
    assert_eq!(app.texts.hscroll, 0, "back from the end of the widest line (it fits)");
}

/// `n` equal one-line rows, no clauses.
fn long_doc(n: usize, line: &str) -> Document {
    let lines: Vec<String> = (0..n).map(|i| format!("{line} {i}")).collect();
    let rows = (1..=n)
        .map(|i| {
            let len = lines[i - 1].len();
            DiffRow {
                left: Some(RowSide { line: i, segments: vec![(0..len, false)] }),
                right: Some(RowSide { line: i, segments: vec![(0..len, false)] }),
                tag: RowTag::Equal,
                clause: None,
            }
        })
        .collect();
    let mut doc =
        Document { left_lines: lines.clone(), right_lines: lines, rows, ..Document::default() };
    doc.finish();
    doc
}

#[test]
fn paging_counts_wrapped_lines() {
    let mut app = App::new(long_doc(200, "short"), vec![], None);
    app.update(Action::Resize { width: 100, height: 30 });
    let h = app.areas().text_height();
    type_keys(&mut app, "<pgdn>");
    assert_eq!(app.texts.top, h - 1, "one line of overlap");
    assert_eq!(app.texts.cursor, app.texts.top);
    type_keys(&mut app, "<pgup>");
    assert_eq!(app.texts.top, 0);
    // Rows that wrap to two lines: a page holds half as many.
    let long = "word ".repeat(9);
    let mut app = App::new(long_doc(200, &long), vec![], None);
    app.update(Action::Resize { width: 100, height: 30 });
    assert_eq!(render::row_height(&app.doc, 0, app.areas().text_width(), true), 2);
    type_keys(&mut app, "<pgdn>");
    assert_eq!(app.texts.top, (h - 1) / 2);
    type_keys(&mut app, "w<pgdn>");
    assert_eq!(app.texts.top, (h - 1) / 2 + h - 1, "no wrap: one line a row");
    type_keys(&mut app, "G");
    assert_eq!(app.texts.cursor, 199);
    assert!(app.texts.top > 199 - h, "the end is on screen");
}

#[test]
fn own_comments_are_edited_and_deleted_through_the_session() {
    let mut app = new_app();
    type_keys(&mut app, ":2<ret>");
    // Not yours: nothing opens.
    app.author = "someone".into();
    assert_eq!(type_keys(&mut app, "E"), vec![]);
    assert!(app.message.as_ref().unwrap().1 && app.editor.is_none());
    app.author = "reviewer-a".into();
    type_keys(&mut app, "E<esc>");
    assert_eq!(app.mode(), Mode::Normal, "nothing changed: Esc closes without asking");
    type_keys(&mut app, "E");
    let e = app.editor.as_ref().expect("the editor, on the comment's text");
    assert_eq!(e.target, DraftTarget::Edit { thread: "t-1".into(), comment: "c-1".into() });
    assert_eq!(e.body(), "Why lease?");
    let fx = type_keys(&mut app, "<bs> at all?<C-s>");
    let draft = Draft {
        target: DraftTarget::Edit { thread: "t-1".into(), comment: "c-1".into() },
        body: "Why lease at all?".into(),
    };
    assert_eq!(
        fx,
        vec![
            Effect::WriteDraft(Some(draft)),
            Effect::Apply(ReviewChange::EditComment {
                thread: "t-1".into(),
                comment: "c-1".into(),
                body: "Why lease at all?".into(),
            })
        ]
    );
    app.update(Action::Saved { message: "edited".into(), threads: app.doc.threads.clone() });
    // Delete asks first; n keeps it.
    assert_eq!(type_keys(&mut app, "D"), vec![]);
    assert!(matches!(app.mode(), Mode::Confirm(Question::DeleteComment { .. })));
    assert_eq!(type_keys(&mut app, "n"), vec![]);
    let fx = type_keys(&mut app, "Dy");
    assert_eq!(
        fx,
        vec![Effect::Apply(ReviewChange::DeleteComment {
            thread: "t-1".into(),
            comment: "c-1".into()
        })]
    );
    // A reply after it: not deleted.
    let mut threads = app.doc.threads.clone();
    let mut reply = threads[0].comments[0].clone();
    (reply.id, reply.author) = ("c-2".into(), "other".into());
    threads[0].comments.push(reply);
    app.update(Action::Saved { message: "m".into(), threads });
    assert_eq!(type_keys(&mut app, "D"), vec![]);
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.message.as_ref().unwrap().0.contains("can be edited"));
}

#[test]
fn ctrl_e_hands_the_text_to_the_users_editor_and_takes_it_back() {
    let mut app = new_app();
    type_keys(&mut app, ":2<ret>afirst");
    let fx = type_keys(&mut app, "<C-e>");
    assert_eq!(fx, vec![Effect::EditExternally { body: "first".into() }]);
    app.update(Action::ExternallyEdited(Ok("first\r\nsecond".into())));
    assert_eq!(app.editor.as_ref().unwrap().body(), "first\nsecond");
    app.update(Action::ExternallyEdited(Err("vi ended with exit status: 1".into())));
    assert_eq!(app.editor.as_ref().unwrap().body(), "first\nsecond", "a failure changes nothing");
    assert!(app.message.as_ref().unwrap().1);
    // Ctrl+J (a line feed in raw mode) is a line break too.
    type_keys(&mut app, "<C-j>third");
    assert_eq!(app.editor.as_ref().unwrap().body(), "first\nsecond\nthird");
}

#[test]
fn the_threads_list_filters_and_goes_to_a_thread() {
    let mut app = new_app();
    assert_eq!(type_keys(&mut app, "T"), vec![]);
    assert_eq!((app.main, app.focus), (MainView::ThreadList, PaneId::ThreadList));
    assert_eq!(app.panes(), vec![PaneId::Outline, PaneId::ThreadList, PaneId::Threads]);
    assert_eq!(app.list.rows(&app.doc), vec![0, 1], "clause order, the orphaned last");
    // f: resolved only shows none; any again; the orphaned one is selected with j.
    type_keys(&mut app, "f");
    assert!(matches!(app.popup, Some(Popup::Filter(_))));
    type_keys(&mut app, "<right><right>");
    assert_eq!(app.list.filter.open, Some(false), "the list follows as the filter changes");
    assert!(app.list.rows(&app.doc).is_empty());
    type_keys(&mut app, "<esc>");
    assert_eq!(app.list.filter, thread_list::Filter::default(), "Esc undoes");
    type_keys(&mut app, "f<right>jo<ret>");
    assert_eq!(app.list.filter.open, Some(true));
    assert_eq!(app.list.filter.verdict.as_deref(), Some("concern"));
    assert_eq!(app.list.rows(&app.doc), vec![0, 1]);
    // Enter: to the thread, in the texts, selected in the threads pane.
    type_keys(&mut app, "j<ret>");
    assert_eq!((app.main, app.focus), (MainView::Texts, PaneId::Threads));
    assert_eq!(app.selected_thread(), Some(1));
    assert!(app.message.as_ref().unwrap().0.starts_with("Thread 2/2: t-2"), "{:?}", app.message);
    // Esc leaves the list; T toggles it.
    type_keys(&mut app, "T<esc>");
    assert_eq!(app.main, MainView::Texts);
    type_keys(&mut app, "TT");
    assert_eq!((app.main, app.focus), (MainView::Texts, PaneId::Texts));
}

#[test]
fn brackets_step_through_the_threads_of_the_review() {
    let mut app = new_app();
    assert_eq!(app.clause, 0);
    type_keys(&mut app, "]");
    assert_eq!((app.clause, app.selected_thread()), (1, Some(0)), "t-1 on clause 2");
    type_keys(&mut app, "]");
    assert_eq!((app.clause, app.selected_thread()), (1, Some(1)), "then the orphaned t-2");
    type_keys(&mut app, "]");
    assert_eq!(app.message.as_ref().unwrap().0, "No thread below");
    type_keys(&mut app, "[");
    assert_eq!(app.selected_thread(), Some(0));
    type_keys(&mut app, ":3<ret>[");
    assert_eq!((app.clause, app.selected_thread()), (1, Some(0)), "from a clause without threads");
}

#[test]
fn the_matrix_is_asked_for_and_kept_fresh() {
    let mut app = new_app();
    let fx = type_keys(&mut app, "M");
    assert_eq!(fx, vec![Effect::Matrix { version: "right".into() }]);
    assert_eq!(app.focus, PaneId::Matrix);
    let row = |clause: &str, orphaned| crate::tui::doc::MatrixRowView {
        clause: clause.into(),
        orphaned,
        cells: vec![Some(crate::review::Verdict::Concern)],
        worst: crate::review::Verdict::Concern,
        open: 1,
        resolved: 0,
    };
    let m = crate::tui::doc::MatrixView {
        version: "right".into(),
        criteria: vec!["osd-6".into()],
        rows: vec![row("2", false), row("2", true)],
        threads: 2,
        open: 2,
        resolved: 0,
    };
    app.update(Action::MatrixReady(Box::new(Ok(m))));
    // A save while it shows: asked for again.
    let fx = app.update(Action::Saved { message: "s".into(), threads: app.doc.threads.clone() });
    assert_eq!(fx, vec![Effect::Matrix { version: "right".into() }]);
    type_keys(&mut app, "j<ret>");
    assert!(app.message.as_ref().unwrap().1, "an orphaned row has no clause to go to");
    type_keys(&mut app, "k<ret>");
    assert_eq!((app.main, app.clause, app.focus), (MainView::Texts, 1, PaneId::Threads));
    let fx = app.update(Action::Saved { message: "s".into(), threads: app.doc.threads.clone() });
    assert_eq!(fx, vec![], "not shown: not asked for");
}

/// Saving runs off the UI thread, one change at a time: changes made meanwhile wait in
/// order; a comment is not posted over another save (the editor keeps it), and no other
/// comment is begun while one is being saved; quitting waits for the save.
#[test]
fn changes_wait_for_the_save_running_and_quitting_waits_too() {
    let mut app = new_app();
    type_keys(&mut app, ":2<ret>");
    let resolve = ReviewChange::SetStatus { thread: "t-1".into(), open: false };
    assert_eq!(type_keys(&mut app, "x"), vec![Effect::Apply(resolve)]);
    assert!(app.saving);
    let text = crate::tui::testing::buffer_text(&crate::tui::testing::draw(&mut app, 100, 30));
    assert!(text.lines().next().unwrap().contains("· saving…"), "{text}");
    // Keys go on working; a second change waits.
    assert_eq!(type_keys(&mut app, "jvf"), vec![]);
    assert_eq!(app.queued.len(), 1);
    assert!(app.message.as_ref().unwrap().0.contains("saved next"), "{:?}", app.message);
    // A comment typed meanwhile is not posted over the save: it stays in the editor.
    type_keys(&mut app, "ahello<C-s>");
    assert_eq!(app.mode(), Mode::Editor);
    assert_eq!(app.editor.as_ref().unwrap().body(), "hello");
    assert!(app.message.as_ref().unwrap().1);
    type_keys(&mut app, "<esc>k");
    // The first save ends: the one waiting starts.
    let fx = app.update(Action::SaveDone);
    assert_eq!(fx, vec![Effect::FinishSave]);
    let threads = app.doc.threads.clone();
    let fx = app.update(Action::Saved { message: "resolved".into(), threads });
    let verdict = ReviewChange::SetVerdict { thread: "t-1".into(), verdict: "conflict".into() };
    assert_eq!(fx, vec![Effect::Apply(verdict)]);
    assert!(app.saving && app.queued.is_empty());
    // Quitting waits for it; a failure ends the save as well.
    assert_eq!(type_keys(&mut app, "q"), vec![]);
    assert!(app.quit_after_save);
    let fx = app.update(Action::Failed { message: "not saved: disk full".into() });
    assert_eq!(fx, vec![], "an unsent draft is kept: quitting asks first");
    assert_eq!(app.mode(), Mode::Confirm(Question::Quit));
    assert!(!app.saving);
    // While a comment is being saved, no other is begun.
    type_keys(&mut app, "n");
    type_keys(&mut app, "a<C-s>");
    assert!(app.posting.is_some());
    type_keys(&mut app, "r");
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.message.as_ref().unwrap().0.contains("being saved"));
}

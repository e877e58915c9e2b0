//! One review core: a thread's place is the same, and right, in `lrw check`, `lrw reanchor`,
//! `lrw export` and the workbench, also after the text of its version was edited in place
//! (a clause inserted before it, so that its id now names another clause).

mod common;

use std::path::Path;

use lrw::tui::workspace::ReviewWorkspace;
use serde_json::Value;

/// `lrw thread add` on the example review through the binary; returns the new thread's id.
fn thread_add(dir: &Path, args: &[&str]) -> String {
    add_to(dir, "reviews/example-model-license.toml", args)
}

/// `lrw thread add REVIEW ARGS...` through the binary; returns the new thread's id.
fn add_to(dir: &Path, review: &str, args: &[&str]) -> String {
    let mut all = vec!["thread", "add", review];
    all.extend_from_slice(args);
    let out = common::run_in(dir, &all);
    common::assert_code(&out, 0);
    common::stdout(&out).trim().to_string()
}

/// The entry of thread `id` in a `threads` list of JSON output.
fn thread<'v>(v: &'v Value, id: &str) -> &'v Value {
    v["threads"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap()
}

fn json(dir: &Path, args: &[&str], code: i32) -> Value {
    let out = common::run_in(dir, args);
    common::assert_code(&out, code);
    serde_json::from_str(&common::stdout(&out)).unwrap()
}

/// Where every surface puts thread `id` on version `on`: (check or reanchor, export, the
/// workbench), each as a clause id or `None` when not placed.
fn places(dir: &Path, id: &str, on: &str) -> [Option<String>; 3] {
    let review = "reviews/example-model-license.toml";
    let reanchor = json(dir, &["reanchor", review, "--to", on, "--format", "json"], 0);
    let t = thread(&reanchor, id);
    let by_reanchor = t["to"]["clause"].as_str().map(str::to_string);
    let export = json(dir, &["export", review, "--format", "json", "--version", on], 0);
    let t = thread(&export, id);
    let by_export =
        (t["anchor_state"] != "orphaned").then(|| t["clause"].as_str().unwrap().to_string());
    let mut ws = ReviewWorkspace::open(&dir.join(review)).unwrap();
    let doc = ws.initial_document().unwrap();
    assert_eq!(doc.right_version, on, "the workbench shows {on} on the right");
    let tv = doc.threads.iter().find(|t| t.id == id).unwrap();
    let by_workbench = tv.clause.and_then(|c| doc.clauses[c].right_id.clone());
    [by_reanchor, by_export, by_workbench]
}

/// A thread on a passage of the output provision, submitted 2.2(b): its id.
fn output_thread(dir: &Path) -> String {
    let quote = ["--quote", "a collection of Output as a dataset", "--criteria", "osd-6"];
    let mut args = vec!["--clause", "2.2(b)"];
    args.extend(quote);
    args.extend(["--body", "A duty that runs with the output."]);
    thread_add(dir, &args)
}

/// Insert a new (b) before 2.2(b) of the submitted text, in place: the output provision is
/// now 2.2(c).
fn insert_a_clause_before_2_2_b(dir: &Path) {
    let path = dir.join("texts/example-model-license/2.0-submitted.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "(b) if you distribute a collection of Output",
        "(b) if you offer the Model as a hosted service, you shall publish the terms on which\n\
         you offer it; and\n\n(c) if you distribute a collection of Output",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
}

#[test]
fn a_text_edited_in_place_moves_its_threads_to_where_their_words_went() {
    let (dir, _) = common::example_copy();
    let d = dir.path();
    let quote = output_thread(d);
    let whole = thread_add(d, &["--clause", "2.2b", "--body", "The whole clause."]);
    let before = places(d, &quote, "submitted");
    assert_eq!(before, [Some("2.2(b)".into()), Some("2.2(b)".into()), Some("2.2(b)".into())]);

    insert_a_clause_before_2_2_b(d);

    // Every surface says 2.2(c) for both threads; none says 2.2(b), which is now the new,
    // unrelated clause.
    for id in [&quote, &whole] {
        assert_eq!(
            places(d, id, "submitted"),
            [Some("2.2(c)".into()), Some("2.2(c)".into()), Some("2.2(c)".into())],
            "{id}"
        );
    }
    // `check` says the place changed and exits 1, naming each thread.
    let check = json(d, &["check", "reviews/example-model-license.toml", "--format", "json"], 1);
    for id in [&quote, &whole] {
        let t = thread(&check, id);
        assert_eq!(t["state"], "moved", "{t}");
        assert_eq!(t["from"]["clause"], "2.2(b)");
        assert_eq!(t["to"]["clause"], "2.2(c)");
        let problems = check["problems"].as_array().unwrap();
        assert!(
            problems.iter().any(|p| p.as_str().unwrap().contains(&format!(
                "thread {id}: written on submitted 2.2(b), which is now submitted 2.2(c)"
            ))),
            "{problems:?}"
        );
    }
    assert!(
        check["problems"][0].as_str().unwrap().contains("version submitted: "),
        "the changed text is named: {}",
        check["problems"]
    );
    // The export quotes the clause the reviewer wrote about, under their words.
    let txt = common::run_in(
        d,
        &["export", "reviews/example-model-license.toml", "--format", "txt", "--thread", &quote],
    );
    common::assert_code(&txt, 0);
    let txt = common::stdout(&txt);
    assert!(txt.contains("Clause 2.2(c)"), "{txt}");
    assert!(txt.contains("a collection of Output as a dataset"), "{txt}");
    assert!(!txt.contains("hosted service"), "the new clause is not quoted: {txt}");

    // Recording the new text moves the anchors; then everything is exact again.
    let out = common::run_in(
        d,
        &["version", "accept", "reviews/example-model-license.toml", "submitted"],
    );
    common::assert_code(&out, 0);
    let check = json(d, &["check", "reviews/example-model-license.toml", "--format", "json"], 0);
    for id in [&quote, &whole] {
        let t = thread(&check, id);
        assert_eq!(
            (t["state"].as_str(), t["from"]["clause"].as_str()),
            (Some("exact"), Some("2.2(c)")),
            "{t}"
        );
    }
}

/// The workbench after the same in-place edit (rendered as a terminal would show it): the
/// reviewer's threads sit under 2.2(c), the clause they discuss, and the new, unrelated 2.2(b)
/// has none.
#[test]
fn the_workbench_shows_threads_under_the_clause_they_moved_to() {
    use lrw::tui::app::App;
    use lrw::tui::runtime::Workspace;
    use lrw::tui::testing::{buffer_text, draw, type_keys};
    let (dir, review) = common::example_copy();
    let d = dir.path();
    let quote = output_thread(d);
    insert_a_clause_before_2_2_b(d);
    let mut ws = ReviewWorkspace::open(&review).unwrap();
    let doc = ws.initial_document().unwrap();
    let mut app = App::new(doc, ws.criteria(), None);
    type_keys(&mut app, ":2.2(c)<ret>");
    let screen = buffer_text(&draw(&mut app, 100, 30));
    // The example's two threads on 2.2(b) and the new one: all three, the first one shown.
    assert!(screen.contains("Threads · 2.2(c) · 1/3"), "{screen}");
    assert!(screen.contains("t-7f3a9c ⚑ moved (was 2.2(b) in submitted)"), "{screen}");
    insta::assert_snapshot!("moved_thread_on_its_new_clause", screen);
    let on = |app: &App, id: &str| {
        let t = app.doc.threads.iter().find(|t| t.id == id).unwrap();
        t.clause.and_then(|c| app.doc.clauses[c].right_id.clone())
    };
    assert_eq!(on(&app, &quote).as_deref(), Some("2.2(c)"));
    type_keys(&mut app, ":2.2(b)<ret>");
    let screen = buffer_text(&draw(&mut app, 100, 30));
    assert!(screen.contains("Threads · 2.2(b)"), "{screen}");
    assert!(!screen.contains("t-7f3a9c") && !screen.contains(&quote), "{screen}");
}

/// A thread whose passage is gone from the edited text is orphaned with its old id, not left
/// on whatever clause now has that id.
#[test]
fn a_passage_deleted_in_place_orphans_its_thread() {
    let (dir, _) = common::example_copy();
    let d = dir.path();
    let id = thread_add(
        d,
        &["--clause", "2.3", "--quote", "necessarily infringed by the Model", "--body", "Scope?"],
    );
    let path = d.join("texts/example-model-license/2.0-submitted.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("2.3 Patents.").unwrap();
    let end = start + text[start..].find("\n\n").unwrap();
    std::fs::write(&path, format!("{}2.3 Reserved.{}", &text[..start], &text[end..])).unwrap();
    assert_eq!(places(d, &id, "submitted"), [None, None, None]);
    let check = json(d, &["check", "reviews/example-model-license.toml", "--format", "json"], 1);
    let t = thread(&check, &id);
    assert_eq!(
        (t["state"].as_str(), t["from"]["clause"].as_str()),
        (Some("orphaned"), Some("2.3"))
    );
}

/// Paragraph ids move too: a paragraph inserted before ¶3 of MIT puts the disclaimer (¶4)
/// at ¶5.
#[test]
fn paragraph_threads_follow_an_inserted_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mit = lrw::text::load("spdx:MIT").unwrap().content;
    std::fs::create_dir_all(d.join("texts")).unwrap();
    std::fs::write(d.join("texts/a.txt"), &mit).unwrap();
    std::fs::write(d.join("texts/b.txt"), &mit).unwrap();
    let out = common::run_in(
        d,
        &[
            "new",
            "texts/a.txt",
            "texts/b.txt",
            "--no-open",
            "-o",
            "reviews/r.toml",
            "--left-id",
            "old",
            "--right-id",
            "site",
        ],
    );
    common::assert_code(&out, 0);
    let add = |args: &[&str]| add_to(d, "reviews/r.toml", args);
    let quoted = add(&["--clause", "¶4", "--quote", "WITHOUT WARRANTY OF ANY KIND", "--body", "x"]);
    let whole = add(&["--clause", "p4", "--body", "y"]);
    let edited = mit.replacen(
        "The above copyright notice",
        "A new paragraph about trademarks, which this license does not grant.\n\nThe above copyright notice",
        1,
    );
    std::fs::write(d.join("texts/b.txt"), edited).unwrap();
    let check = json(d, &["check", "reviews/r.toml", "--format", "json"], 1);
    for id in [&quoted, &whole] {
        let t = thread(&check, id);
        assert_eq!(
            (t["state"].as_str(), t["to"]["clause"].as_str()),
            (Some("moved"), Some("\u{b6}5")),
            "{t}"
        );
    }
}

/// The rows of the workbench follow the clause pairing: a renumbered clause sits beside its
/// partner, as the outline and `lrw diff --by clause` pair them.
#[test]
fn side_by_side_rows_follow_the_clause_pairs() {
    let (dir, review) = common::example_copy();
    // website 2.2(b) vs submitted: compare submitted with the revision, where 2.2(b) moved.
    let out =
        common::run_in(dir.path(), &["version", "list", "reviews/example-model-license.toml"]);
    common::assert_code(&out, 0);
    let mut ws = ReviewWorkspace::open(&review).unwrap();
    use lrw::tui::runtime::Workspace;
    let doc = ws.document("submitted", "revised", Default::default(), &[]).unwrap();
    for (k, c) in doc.clauses.iter().enumerate() {
        let (Some(l), Some(r)) = (&c.left_id, &c.right_id) else { continue };
        // The first row of the pair shows the first line of both clauses.
        let row = &doc.rows[c.row];
        let left_line = row.left.as_ref().map(|s| doc.left_lines[s.line - 1].clone());
        let right_line = row.right.as_ref().map(|s| doc.right_lines[s.line - 1].clone());
        let starts = |line: &Option<String>, id: &str| {
            let last = id.rsplit(['.', '(']).next().unwrap().trim_end_matches(')');
            line.as_deref().is_some_and(|l| l.contains(last))
        };
        assert!(
            starts(&left_line, l) && starts(&right_line, r),
            "pair {k} ({l} -> {r}) starts on row {}: {left_line:?} | {right_line:?}",
            c.row
        );
    }
}

/// A case-only change is a change: the pairing and the diff fold case under one rule.
#[test]
fn a_case_only_change_is_not_called_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let a = "1. Grant\n\nYou may use the Work.\n\n2. Limits\n\nDo not sell the Work.\n\n3. Law\n\nThe law of Mars applies.\n";
    let b = a.replace("Do not sell the Work.", "DO NOT SELL THE WORK.");
    std::fs::write(dir.path().join("a.txt"), a).unwrap();
    std::fs::write(dir.path().join("b.txt"), b).unwrap();
    let v = json(
        dir.path(),
        &["diff", "a.txt", "b.txt", "--by", "clause", "--normalize", "--format", "json"],
        1,
    );
    let two = v["clauses"].as_array().unwrap().iter().find(|c| c["right"] == "2").unwrap();
    assert_eq!(two["status"], "changed", "{v}");
    let out = common::run_in(
        dir.path(),
        &["diff", "a.txt", "b.txt", "--by", "clause", "--normalize", "--format", "unified"],
    );
    let text = common::stdout(&out);
    assert!(!text.contains("2  unchanged"), "{text}");
    // With case folded, it is unchanged, and no hunk is shown.
    let v = json(
        dir.path(),
        &[
            "diff",
            "a.txt",
            "b.txt",
            "--by",
            "clause",
            "--normalize",
            "--ignore-case",
            "--format",
            "json",
        ],
        0,
    );
    let two = v["clauses"].as_array().unwrap().iter().find(|c| c["right"] == "2").unwrap();
    assert_eq!(two["status"], "unchanged", "{v}");
}

/// An export never says `unchanged` above a marked change, and quotes a passage's paragraph,
/// not its whole clause.
#[test]
fn exports_agree_with_the_comparison_and_quote_what_was_discussed() {
    let (dir, _) = common::example_copy();
    let d = dir.path();
    let v = json(d, &["export", "reviews/example-model-license.toml", "--format", "json"], 0);
    for t in v["threads"].as_array().unwrap() {
        let marked = t["clause_diff"].as_array().unwrap().iter().any(|s| s["tag"] != "equal");
        if t["clause_change"] == "unchanged" {
            assert!(!marked, "unchanged but marked: {t}");
        }
        if let Some(text) = t["clause_text"].as_str() {
            assert!(text.lines().count() <= 13, "a long quote: {text}");
        }
    }
    // Clause 1.3 is one definition; its thread quotes a passage of it: the excerpt is that
    // definition's paragraph, not all of clause 1.
    let t = v["threads"].as_array().unwrap().iter().find(|t| t["id"] == "t-c40d17").unwrap();
    let text = t["clause_text"].as_str().unwrap();
    assert!(text.starts_with("1.3 \"Derivative Model\" means"), "{text}");
    assert!(!text.contains("1.4"), "{text}");
}

/// The bad input of `lrw thread` and `lrw version`: one line naming what is wrong, exit 2,
/// and the file untouched.
#[test]
fn thread_and_version_commands_refuse_bad_input_and_touch_nothing() {
    let (dir, review) = common::example_copy();
    let d = dir.path();
    let before = std::fs::read(&review).unwrap();
    let r = "reviews/example-model-license.toml";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["thread", "reply", r, "t-nope", "--body", "x"], "no thread t-nope"),
        (vec!["thread", "resolve", r, "t-nope"], "no thread t-nope"),
        (vec!["thread", "add", r, "--clause", "9.9.9", "--body", "x"], "has no clause 9.9.9"),
        (
            vec!["thread", "add", r, "--clause", "2.1", "--version", "nope", "--body", "x"],
            "no version with id `nope`",
        ),
        (
            vec![
                "thread",
                "add",
                r,
                "--clause",
                "2.1",
                "--quote",
                "not in this clause at all",
                "--body",
                "x",
            ],
            "the quote is not in clause 2.1",
        ),
        (vec!["thread", "add", r, "--clause", "2.1", "--body", "  "], "the comment is empty"),
        (
            vec!["thread", "set", r, "t-7f3a9c", "--criteria", "osd-99"],
            "unknown criterion \"osd-99\"",
        ),
        (vec!["thread", "set", r, "t-7f3a9c", "--verdict", "maybe"], "unknown verdict"),
        (
            vec![
                "thread", "edit", r, "t-7f3a9c", "c-2a2b78", "--body", "mine now", "--author",
                "mallory",
            ],
            "written by reviewer-a, not mallory",
        ),
        (
            vec!["thread", "delete", r, "t-7f3a9c", "c-2a2b78", "--author", "reviewer-a"],
            "has replies after it",
        ),
        (vec!["version", "remove", r, "submitted"], "threads are anchored there"),
        (vec!["version", "remove", r, "nope"], "no version with id `nope`"),
        (vec!["version", "add", r, "spdx:MIT", "--id", "website"], "already has a version website"),
        (vec!["version", "add", r, "no/such/file.txt"], "no/such/file.txt"),
        (vec!["version", "add", r, "spdx:MIT", "--date", "soon"], "\"soon\" is not a date"),
    ];
    for (args, want) in cases {
        let out = common::run_in(d, &args);
        common::assert_code(&out, 2);
        let err = common::stderr(&out);
        // The first line says it (clap's own usage errors add a usage hint below).
        assert!(err.lines().next().unwrap().contains(want), "{args:?}: {err}");
        if err.starts_with("lrw: ") {
            assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line: {err}");
        }
        assert_eq!(std::fs::read(&review).unwrap(), before, "{args:?} changed the file");
    }
}

/// Every workbench action, scripted: add, reply, set, resolve, edit, delete, list, and
/// versions added, dated and removed; events record who changed what.
#[test]
fn thread_and_version_commands_do_what_the_workbench_does() {
    let (dir, review) = common::example_copy();
    let d = dir.path();
    let r = "reviews/example-model-license.toml";
    let v = json(
        d,
        &[
            "thread",
            "add",
            r,
            "--clause",
            "2.1",
            "--version",
            "website",
            "--quote",
            "royalty-free",
            "--verdict",
            "question",
            "--criteria",
            "osd-1,osd-5",
            "--body",
            "Free of charge?",
            "--format",
            "json",
        ],
        0,
    );
    let id = v["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("t-"), "{v}");
    assert_eq!(v["anchor"], serde_json::json!({"version": "website", "clause": "2.1"}));
    let general = common::run_in(d, &["thread", "add", r, "--body", "Overall: close to OSD."]);
    common::assert_code(&general, 0);
    let general = common::stdout(&general).trim().to_string();
    for args in [
        vec!["thread", "reply", r, &id, "--body", "Yes.", "--author", "author"],
        vec!["thread", "set", r, &id, "--verdict", "conforms", "--criteria", "osd-1"],
        vec!["thread", "resolve", r, &id],
        vec![
            "version",
            "add",
            r,
            "spdx:MIT",
            "--id",
            "mit",
            "--date",
            "2025-12-05",
            "--label",
            "MIT for comparison",
        ],
        vec!["version", "set", r, "mit", "--label", "MIT"],
    ] {
        let out = common::run_in(d, &args);
        common::assert_code(&out, 0);
    }
    let list = json(d, &["thread", "list", r, "--format", "json"], 0);
    let t = thread(&list, &id);
    assert_eq!((t["status"].as_str(), t["verdict"].as_str()), (Some("resolved"), Some("conforms")));
    assert_eq!(t["criteria"], serde_json::json!(["osd-1"]));
    assert_eq!(t["comments"].as_array().unwrap().len(), 2);
    let g = list["threads"].as_array().unwrap().iter().find(|t| t["id"] == general).unwrap();
    assert_eq!((g["state"].as_str(), &g["from"]), (Some("unanchored"), &Value::Null));
    // The reply can be edited by its author, then deleted (nothing follows it).
    let reply = t["comments"][1]["id"].as_str().unwrap().to_string();
    let out = common::run_in(
        d,
        &["thread", "edit", r, &id, &reply, "--body", "Yes, free.", "--author", "author"],
    );
    common::assert_code(&out, 0);
    let saved = lrw::review::load(&review).unwrap();
    let th = saved.thread(&id).unwrap();
    assert_eq!(th.comment(&reply).unwrap().body, "Yes, free.");
    assert!(th.comment(&reply).unwrap().edited_at.is_some());
    let events: Vec<(&str, &str, &str)> =
        th.events.iter().map(|e| (e.field.as_str(), e.from.as_str(), e.to.as_str())).collect();
    assert_eq!(
        events,
        [
            ("verdict", "question", "conforms"),
            ("criteria", "osd-1, osd-5", "osd-1"),
            ("status", "open", "resolved")
        ]
    );
    assert!(th.events.iter().all(|e| e.author == "tester"));
    let out = common::run_in(d, &["thread", "delete", r, &id, &reply, "--author", "author"]);
    common::assert_code(&out, 0);
    assert_eq!(lrw::review::load(&review).unwrap().thread(&id).unwrap().comments.len(), 1);
    let v = saved.version("mit").unwrap();
    assert_eq!(
        (v.date.as_deref(), v.label.as_deref(), v.path.as_str()),
        (Some("2025-12-05"), Some("MIT"), "spdx:MIT")
    );
    let out = common::run_in(d, &["version", "remove", r, "mit"]);
    common::assert_code(&out, 0);
    assert!(lrw::review::load(&review).unwrap().version("mit").is_none());
    // The export says who resolved it.
    let out = common::run_in(d, &["export", r, "--format", "txt", "--thread", &id]);
    assert!(
        common::stdout(&out).contains("tester set status open -> resolved"),
        "{}",
        common::stdout(&out)
    );
}

/// `lrw new` names and dates the versions, so exports stop saying "Date: unknown".
#[test]
fn new_reviews_get_version_ids_and_dates() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run_in(
        dir.path(),
        &[
            "new",
            "spdx:MIT-0",
            "spdx:MIT",
            "--no-open",
            "-o",
            "r.toml",
            "--left-id",
            "submitted",
            "--right-id",
            "website",
            "--left-date",
            "2025-05-14",
            "--right-date",
            "2025-12-05",
        ],
    );
    common::assert_code(&out, 0);
    let r = lrw::review::load(&dir.path().join("r.toml")).unwrap();
    let got: Vec<(&str, Option<&str>)> =
        r.versions.iter().map(|v| (v.id.as_str(), v.date.as_deref())).collect();
    assert_eq!(got, [("submitted", Some("2025-05-14")), ("website", Some("2025-12-05"))]);
    let v = json(dir.path(), &["export", "r.toml", "--format", "json"], 0);
    assert_eq!(v["versions"][0]["date"], "2025-05-14");
}

/// The ModelGo output provision, edited in place as a website update would: a new (b) before
/// it. Needs the shared corpus (skipped with a note without it).
#[test]
fn modelgo_output_provision_follows_an_in_place_insertion() {
    let Some(src) = common::corpus_file("MG-BY-NC-2.0-2025-05.txt") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("texts")).unwrap();
    let text = std::fs::read_to_string(&src).unwrap();
    std::fs::write(d.join("texts/submitted.txt"), &text).unwrap();
    std::fs::write(d.join("texts/website.txt"), &text).unwrap();
    let out = common::run_in(
        d,
        &["new", "texts/submitted.txt", "texts/website.txt", "--no-open", "-o", "reviews/mg.toml"],
    );
    common::assert_code(&out, 0);
    let add = |args: &[&str]| add_to(d, "reviews/mg.toml", args);
    let output = add(&[
        "--clause",
        "2.2(b)",
        "--quote",
        "a collection of Output as a dataset",
        "--criteria",
        "osd-6",
        "--body",
        "Runs with the output.",
    ]);
    let iii = add(&["--clause", "2.2(a)(iii)", "--body", "Notices."]);
    let edited = text.replacen(
        "(b)\tIf You Distribute a collection of Output",
        "(b)\tIf You make the Licensed Materials available as a service, You shall publish the \nterms of that service.\n\n(c)\tIf You Distribute a collection of Output",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(d.join("texts/website.txt"), edited).unwrap();
    let check = json(d, &["check", "reviews/mg.toml", "--format", "json"], 1);
    let place = |id: &str| {
        let t = thread(&check, id).clone();
        (t["state"].as_str().unwrap().to_string(), t["to"]["clause"].as_str().map(str::to_string))
    };
    assert_eq!(place(&output), ("moved".to_string(), Some("2.2(c)".to_string())));
    assert_eq!(place(&iii), ("exact".to_string(), Some("2.2(a)(iii)".to_string())));
    let v = json(d, &["export", "reviews/mg.toml", "--format", "json"], 0);
    let t = v["threads"].as_array().unwrap().iter().find(|t| t["id"] == output).unwrap();
    assert_eq!(t["clause"], "2.2(c)");
    assert!(t["clause_text"].as_str().unwrap().contains("collection of Output as a dataset"));
}

/// Exports say which definitions changed and which of them a thread's clause uses: between
/// the May 2025 and December 2025 ModelGo texts the output provision 2.2(b) did not change a
/// word, but "Output" did. Needs the corpus.
#[test]
fn exports_name_the_changed_definitions_a_threads_clause_uses() {
    let (Some(old), Some(new)) =
        (common::corpus_file("MG-BY-NC-2.0-2025-05.txt"), common::corpus_file("MG-BY-NC-2.0.txt"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("texts")).unwrap();
    std::fs::copy(&old, d.join("texts/may.txt")).unwrap();
    std::fs::copy(&new, d.join("texts/dec.txt")).unwrap();
    let out = common::run_in(
        d,
        &["new", "texts/may.txt", "texts/dec.txt", "--no-open", "-o", "reviews/mg.toml"],
    );
    common::assert_code(&out, 0);
    let out = common::run_in(
        d,
        &["thread", "add", "reviews/mg.toml", "--clause", "2.2(b)", "--body", "Output duty."],
    );
    common::assert_code(&out, 0);
    let v = json(d, &["export", "reviews/mg.toml", "--format", "json"], 0);
    let changed: Vec<&str> = v["definitions_changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["term"].as_str().unwrap())
        .collect();
    assert!(changed.contains(&"Output"), "{changed:?}");
    let t = &v["threads"][0];
    assert_eq!(t["clause_change"], "unchanged", "{t}");
    let uses: Vec<&str> =
        t["uses_changed_terms"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(uses.contains(&"Output"), "{uses:?}");
    let txt = common::stdout(&common::run_in(d, &["export", "reviews/mg.toml", "--format", "txt"]));
    assert!(txt.contains("Definitions changed"), "{txt}");
    assert!(txt.contains("Uses changed definitions: ") && txt.contains("Output"), "{txt}");
}

//! The review commands through the real binary: `new`, `merge` (also as a git merge driver in a
//! real repository), `check` and `reanchor`.

mod common;

use std::path::Path;
use std::process::Command;

use lrw::review::{self, Comment};

#[test]
fn new_writes_a_review_with_relative_paths_and_hashes_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_example(dir.path());
    let out = common::run_in(
        dir.path(),
        &[
            "new",
            "texts/example-model-license/2.0-website.md",
            "texts/example-model-license/2.0-submitted.md",
        ],
    );
    common::assert_code(&out, 0);
    let expected = "reviews/2.0-submitted-vs-2.0-website.toml";
    assert_eq!(common::stdout(&out), format!("created {expected}\n"));
    let text = std::fs::read_to_string(dir.path().join(expected)).unwrap();
    assert_eq!(
        text,
        "format = \"lrw-review/1\"\n\
         title = \"2.0-submitted.md vs 2.0-website.md\"\n\
         \n[[versions]]\nid = \"2.0-website\"\n\
         path = \"../texts/example-model-license/2.0-website.md\"\n\
         sha256 = \"7b5a2bb3d465cddba40b447240f73b917302cd15e45e627da4bb987732e3e125\"\n\
         \n[[versions]]\nid = \"2.0-submitted\"\n\
         path = \"../texts/example-model-license/2.0-submitted.md\"\n\
         sha256 = \"55d844616cd58361ce404cae8fb85f021e8f2dae8ca61d59eba9a4d647e11957\"\n\
         \n[compare]\nleft = \"2.0-website\"\nright = \"2.0-submitted\"\n"
    );

    let again = common::run_in(
        dir.path(),
        &["new", "texts/example-model-license/2.0-website.md", "spdx:MIT", "-o", expected],
    );
    common::assert_code(&again, 2);
    assert!(common::stderr(&again).contains("already exists; not overwriting it"));
    assert_eq!(std::fs::read_to_string(dir.path().join(expected)).unwrap(), text);
}

#[test]
fn new_with_output_title_and_spdx() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.txt"), "1. Grant\nYou may do anything.\n").unwrap();
    let out = common::run_in(
        dir.path(),
        &["new", "spdx:MIT", "mine.txt", "-o", "deep/er/r.toml", "--title", "Mine \"vs\" MIT"],
    );
    common::assert_code(&out, 0);
    let r = review::load(&dir.path().join("deep/er/r.toml")).unwrap();
    assert_eq!(r.title, "Mine \"vs\" MIT");
    assert_eq!(r.versions[0].id, "mit");
    assert_eq!(r.versions[0].path, "spdx:MIT");
    // deep/er/r.toml belongs to the project deep/ (the folder holding its folder), so the
    // text from outside it is copied in and its origin recorded.
    assert_eq!(r.versions[1].path, "../texts/mine.txt");
    let origin = dir.path().join("mine.txt").canonicalize().unwrap();
    assert_eq!(r.versions[1].source.origin.as_deref(), Some(origin.to_str().unwrap()));
    assert_eq!(r.load_version_text("mine").unwrap().content, "1. Grant\nYou may do anything.\n");
}

#[test]
fn new_refuses_a_missing_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run_in(dir.path(), &["new", "nope.md", "spdx:MIT"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("nope.md: no such file"));
    assert!(!dir.path().join("reviews").exists());
}

/// Write a variant of the review: one new thread and one new comment on an existing thread.
fn add_thread_and_comment(path: &Path, who: &str, thread_id: &str, day: u32) {
    let mut r = review::load(path).unwrap();
    let mut c = Comment::now(who, &format!("{who} replies on day {day}."));
    c.at = format!("2025-06-{day:02}T10:00:00Z");
    r.thread_mut("t-2b81e4").unwrap().comments.push(c);
    let mut first = Comment::now(who, &format!("A new thread by {who}.\nWith two lines."));
    first.at = format!("2025-06-{day:02}T11:00:00Z");
    let mut t = review::Thread::new(
        thread_id.to_string(),
        review::Verdict::Question,
        review::Anchor::clause("submitted", "3.3"),
        first,
    );
    t.criteria = vec!["osd-9".into()];
    r.threads.push(t);
    review::save(&mut r).unwrap();
}

#[test]
fn merge_unites_threads_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_example(dir.path());
    let base = dir.path().join("base.toml");
    std::fs::copy(&path, &base).unwrap();
    let theirs = dir.path().join("reviews/theirs.toml");
    std::fs::copy(&path, &theirs).unwrap();
    add_thread_and_comment(&path, "reviewer-a", "t-aaaaaa", 1);
    add_thread_and_comment(&theirs, "reviewer-b", "t-bbbbbb", 2);

    let out =
        common::run_in(dir.path(), &["merge", "base.toml", common::REVIEW, "reviews/theirs.toml"]);
    common::assert_code(&out, 0);
    let r = review::load(&path).unwrap();
    assert!(r.thread("t-aaaaaa").is_some() && r.thread("t-bbbbbb").is_some());
    let bodies: Vec<&str> =
        r.thread("t-2b81e4").unwrap().comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(&bodies[3..], ["reviewer-a replies on day 1.", "reviewer-b replies on day 2."]);
    // Merging again changes nothing.
    let before = std::fs::read(&path).unwrap();
    let out =
        common::run_in(dir.path(), &["merge", "base.toml", common::REVIEW, "reviews/theirs.toml"]);
    common::assert_code(&out, 0);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn merge_decides_competing_status_changes_by_the_later_change_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_example(dir.path());
    let base = dir.path().join("base.toml");
    std::fs::copy(&path, &base).unwrap();
    let theirs = dir.path().join("theirs.toml");
    std::fs::copy(&path, &theirs).unwrap();

    // Ours: resolve early. Theirs: turn the verdict into a conflict later, and reopen nothing.
    let mut o = review::load(&path).unwrap();
    let t = o.thread_mut("t-2b81e4").unwrap();
    t.verdict = review::Verdict::Conforms;
    let mut c = Comment::now("reviewer-b", "Settled.");
    c.at = "2025-06-01T00:00:00Z".into();
    t.comments.push(c);
    review::save(&mut o).unwrap();
    let mut th = review::load(&theirs).unwrap();
    let t = th.thread_mut("t-2b81e4").unwrap();
    t.verdict = review::Verdict::Conflict;
    t.criteria.push("osd-9".into());
    let mut c = Comment::now("reviewer-a", "Not settled.");
    c.at = "2025-06-02T00:00:00Z".into();
    t.comments.push(c);
    review::save(&mut th).unwrap();

    let out = common::run_in(dir.path(), &["merge", "base.toml", common::REVIEW, "theirs.toml"]);
    common::assert_code(&out, 0);
    assert_eq!(
        common::stderr(&out),
        "lrw merge: thread t-2b81e4: verdict was set to conflict on one side and conforms on \
         the other; kept conflict, the later change, going by the newest change or comment of \
         each side\n"
    );
    let r = review::load(&path).unwrap();
    let t = r.thread("t-2b81e4").unwrap();
    assert_eq!(t.verdict, review::Verdict::Conflict);
    assert_eq!(t.criteria, ["osd-7", "osd-9"]);
    let last = t.comments.last().unwrap();
    assert_eq!(last.author, review::merge::MERGE_AUTHOR);
    assert!(last.body.contains("kept conflict"), "{}", last.body);
    let n = t.comments.len();
    assert_eq!(
        [t.comments[n - 3].body.as_str(), t.comments[n - 2].body.as_str()],
        ["Settled.", "Not settled."]
    );
}

#[test]
fn merge_with_an_unparsable_side_fails_and_leaves_ours_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_example(dir.path());
    let base = dir.path().join("base.toml");
    std::fs::copy(&path, &base).unwrap();
    let theirs = dir.path().join("theirs.toml");
    std::fs::write(&theirs, "<<<<<<< HEAD\nformat = \"lrw-review/1\"\n").unwrap();
    let before = std::fs::read(&path).unwrap();
    let out = common::run_in(dir.path(), &["merge", "base.toml", common::REVIEW, "theirs.toml"]);
    common::assert_code(&out, 1);
    let err = common::stderr(&out);
    assert!(err.contains("theirs.toml is not a valid review"), "{err}");
    assert!(err.contains("theirs.toml:1:9: invalid TOML"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn merge_with_an_empty_base_unites_two_additions() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_example(dir.path());
    let theirs = dir.path().join("reviews/theirs.toml");
    std::fs::copy(&path, &theirs).unwrap();
    add_thread_and_comment(&path, "reviewer-a", "t-aaaaaa", 1);
    add_thread_and_comment(&theirs, "reviewer-b", "t-bbbbbb", 2);
    std::fs::write(dir.path().join("empty"), "").unwrap();
    let out =
        common::run_in(dir.path(), &["merge", "empty", common::REVIEW, "reviews/theirs.toml"]);
    common::assert_code(&out, 0);
    let r = review::load(&path).unwrap();
    assert!(r.thread("t-aaaaaa").is_some() && r.thread("t-bbbbbb").is_some());
    assert_eq!(r.threads.len(), 9);
}

fn git_output(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_output(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_real_git_merge_with_the_driver_keeps_both_branches_threads() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("note: git is not installed; skipping the git merge driver test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let path = common::copy_example(repo);
    git(repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join(".gitattributes"), "reviews/*.toml merge=lrw\n").unwrap();
    let driver = format!("\"{}\" merge %O %A %B", env!("CARGO_BIN_EXE_lrw"));
    git(repo, &["config", "merge.lrw.driver", &driver]);
    git(repo, &["config", "merge.lrw.name", "lrw review merge"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "start"]);

    git(repo, &["checkout", "-q", "-b", "a"]);
    add_thread_and_comment(&path, "reviewer-a", "t-aaaaaa", 1);
    git(repo, &["commit", "-q", "-am", "a"]);
    git(repo, &["checkout", "-q", "main"]);
    git(repo, &["checkout", "-q", "-b", "b"]);
    add_thread_and_comment(&path, "reviewer-b", "t-bbbbbb", 2);
    git(repo, &["commit", "-q", "-am", "b"]);

    // Without the driver (git's own text merge) these two edits conflict: the test shows the
    // driver's work, not a merge git could do alone.
    git(repo, &["config", "--remove-section", "merge.lrw"]);
    let plain = git_output(repo, &["merge", "-q", "--no-edit", "a"]);
    assert!(!plain.status.success(), "git's text merge conflicts");
    assert!(std::fs::read_to_string(&path).unwrap().contains("<<<<<<<"));
    git(repo, &["merge", "--abort"]);
    git(repo, &["config", "merge.lrw.driver", &driver]);
    git(repo, &["config", "merge.lrw.name", "lrw review merge"]);

    git(repo, &["merge", "-q", "--no-edit", "a"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("<<<<<<<") && !text.contains(">>>>>>>"), "{text}");
    let r = review::load(&path).unwrap();
    assert!(r.thread("t-aaaaaa").is_some(), "branch a's thread");
    assert!(r.thread("t-bbbbbb").is_some(), "branch b's thread");
    let bodies: Vec<&str> =
        r.thread("t-2b81e4").unwrap().comments.iter().map(|c| c.body.as_str()).collect();
    assert!(bodies.contains(&"reviewer-a replies on day 1."), "{bodies:?}");
    assert!(bodies.contains(&"reviewer-b replies on day 2."), "{bodies:?}");
    assert_eq!(git(repo, &["status", "--porcelain"]), "");
}

#[test]
fn check_reports_every_anchor_exact_on_the_bundled_review() {
    let review = common::example_review();
    let out = common::run(&["check", review.to_str().unwrap()]);
    common::assert_code(&out, 0);
    let text = common::stdout(&out);
    assert!(text.ends_with("ok: no problems\n"), "{text}");
    assert!(text.contains("t-7f3a9c  exact     submitted 2.2(b)"), "{text}");
    assert!(text.contains("t-91fd3b  exact     website 3.4"), "{text}");

    let out = common::run(&["check", review.to_str().unwrap(), "--format", "json"]);
    common::assert_code(&out, 0);
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(v["problems"], serde_json::json!([]));
    assert_eq!(
        v["threads"][0],
        serde_json::json!({
            "id": "t-7f3a9c",
            "from": {"version": "submitted", "clause": "2.2(b)"},
            "to": {"version": "submitted", "clause": "2.2(b)"},
            "state": "exact",
            "score": 1.0
        })
    );
}

#[test]
fn check_finds_changed_texts_unknown_criteria_and_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_example(dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text
        .replacen("criteria = [\"osd-6\", \"osd-7\"]", "criteria = [\"osd-6\", \"osd-99\"]", 1)
        .replacen("clause = \"6.1\"", "clause = \"9.9\"", 1)
        .replacen("clause_sha256 = \"52ceaa6dee4c073347b45a4a6b77a12e62d97a4f7ee20a87d193ef5aadc15254\"\n", "", 1)
        // No hash and no words left: nothing to find it by.
        .replacen("clause_start = \"Breach. If You fail to comply with this License, Your rights under it end\"\n", "", 1)
        // Same hash, edited id: found again by the text's hash.
        .replacen("clause = \"2.3\"", "clause = \"2.9\"", 1);
    std::fs::write(&path, broken).unwrap();
    let sub = dir.path().join("texts/example-model-license/2.0-submitted.md");
    let content = std::fs::read_to_string(&sub).unwrap();
    std::fs::write(&sub, content.replace("you shall require every", "you should require every"))
        .unwrap();
    std::fs::remove_file(dir.path().join("texts/example-model-license/2.1-submitted.md")).unwrap();

    let out = common::run_in(dir.path(), &["check", common::REVIEW]);
    common::assert_code(&out, 1);
    let text = common::stdout(&out);
    assert!(text.contains("t-7f3a9c  changed   submitted 2.2(b)"), "{text}");
    // A whole-clause thread is found by the first words of its clause.
    assert!(text.contains("t-2b81e4  changed   submitted 2.2(b)"), "{text}");
    assert!(
        text.contains("t-0d6a58  orphaned  submitted 9.9     -> (not found)    0.00\n"),
        "{text}"
    );
    assert!(
        text.contains("t-e3b7c5  moved     submitted 2.9     -> submitted 2.3  1.00\n"),
        "{text}"
    );
    let problems = &text[text.find("5 problems:\n").expect(&text)..];
    assert!(problems.contains(&format!("  {}:13: version submitted: ../texts/example-model-license/2.0-submitted.md changed since it was added to the review (sha256 55d844616cd5 in the review,", common::REVIEW)), "{problems}");
    assert!(
        problems.contains(&format!("  {}:17: version revised (", common::REVIEW)),
        "{problems}"
    );
    assert!(problems.contains("2.1-submitted.md: no such file"), "{problems}");
    assert!(
        problems.contains(&format!(
            "  {}:28: thread t-7f3a9c: unknown criterion \"osd-99\"\n",
            common::REVIEW
        )),
        "{problems}"
    );
    assert!(
        problems.contains(&format!(
            "  {}:212: thread t-0d6a58: clause 9.9 is not in version submitted (orphaned)\n",
            common::REVIEW
        )),
        "{problems}"
    );
    // A thread whose place changed is listed: its id now names another place.
    assert!(
        problems.contains(&format!(
            "  {}:231: thread t-e3b7c5: written on submitted 2.9, which is now submitted 2.3",
            common::REVIEW
        )),
        "{problems}"
    );
}

#[test]
fn check_a_missing_review_is_exit_2() {
    let out = common::run(&["check", "no/such/review.toml"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("no/such/review.toml: cannot read"));
}

#[test]
fn check_uses_a_criteria_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_example(dir.path());
    let crit = dir.path().join("criteria");
    std::fs::create_dir(&crit).unwrap();
    // Replace the OSD set with one that lacks osd-10.
    let osd = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("texts/criteria/osd.toml"),
    )
    .unwrap();
    let cut = osd.find("[[criteria]]\nid = \"osd-10\"").unwrap();
    std::fs::write(crit.join("osd.toml"), &osd[..cut]).unwrap();
    let out = common::run(&["check", path.to_str().unwrap(), "--criteria", crit.to_str().unwrap()]);
    common::assert_code(&out, 1);
    assert!(common::stdout(&out).contains("thread t-91fd3b: unknown criterion \"osd-10\""));
}

#[test]
fn reanchor_reports_then_writes_and_keeps_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_example(dir.path());
    let before = std::fs::read(&path).unwrap();
    let out = common::run_in(dir.path(), &["reanchor", common::REVIEW, "--to", "revised"]);
    common::assert_code(&out, 0);
    assert_eq!(
        common::stdout(&out),
        "t-7f3a9c  moved     submitted 2.2(b)  -> revised 2.4(b)  0.71\n\
         t-2b81e4  moved     submitted 2.2(b)  -> revised 2.4(b)  0.71\n\
         t-c40d17  moved     submitted 1.3     -> revised 1.4     0.72\n\
         t-5e9a02  exact     submitted 2.1     -> revised 2.1     1.00\n\
         t-91fd3b  orphaned  website 3.4       -> (not found)     0.00\n\
         t-0d6a58  exact     submitted 6.1     -> revised 6.1     1.00\n\
         t-e3b7c5  moved     submitted 2.3     -> revised 2.2     1.00\n\
         1 orphaned thread kept on its old anchor\n"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "without --write nothing changes");

    let out = common::run_in(
        dir.path(),
        &["reanchor", common::REVIEW, "--to", "revised", "--format", "json"],
    );
    common::assert_code(&out, 0);
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(
        v["threads"][0],
        serde_json::json!({
            "id": "t-7f3a9c",
            "from": {"version": "submitted", "clause": "2.2(b)"},
            "to": {"version": "revised", "clause": "2.4(b)"},
            "state": "moved",
            "score": 0.71
        })
    );
    assert_eq!(v["threads"][4]["to"], serde_json::Value::Null);
    assert_eq!(v["threads"][4]["state"], "orphaned");

    let out =
        common::run_in(dir.path(), &["reanchor", common::REVIEW, "--to", "revised", "--write"]);
    common::assert_code(&out, 0);
    assert!(
        common::stdout(&out)
            .ends_with(&format!("{}: 6 of 7 threads now anchored in revised\n", common::REVIEW))
    );
    let r = review::load(&path).unwrap();
    let t = r.thread("t-7f3a9c").unwrap();
    assert_eq!(
        (t.anchor.as_ref().unwrap().version.as_str(), t.anchor.as_ref().unwrap().clause.as_str()),
        ("revised", "2.4(b)")
    );
    assert_eq!(
        t.anchor.as_ref().unwrap().quote.as_deref(),
        Some("a collection of Output as a dataset")
    );
    let orphan = r.thread("t-91fd3b").unwrap();
    assert_eq!(
        (
            orphan.anchor.as_ref().unwrap().version.as_str(),
            orphan.anchor.as_ref().unwrap().clause.as_str()
        ),
        ("website", "3.4")
    );
    assert_eq!(orphan.comments.len(), 3, "the orphaned thread is kept whole");
    let out = common::run_in(dir.path(), &["check", common::REVIEW]);
    common::assert_code(&out, 0);
    // Every anchor is exact where it now points, except the one whose quoted passage was
    // deleted in the revision: its clause moved (1.3 -> 1.4) but the passage is gone.
    let text = common::stdout(&out);
    assert_eq!(text.matches("  exact  ").count(), 6, "{text}");
    assert!(text.contains("t-c40d17  changed   revised 1.4 "), "{text}");
}

/// Threads on the paragraphs of texts without numbering (MIT No Attribution, then MIT):
/// `check` resolves `¶2` and the spelling `para 3`, and `reanchor` follows the disclaimer
/// from MIT-0's third paragraph to MIT's fourth.
#[test]
fn check_and_reanchor_threads_on_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        common::run_in(dir.path(), &["new", "spdx:MIT", "spdx:MIT-0", "--no-open", "-o", "r.toml"]);
    common::assert_code(&out, 0);
    let path = dir.path().join("r.toml");
    let thread = |id: &str, clause: &str, quote: &str| {
        format!(
            "\n[[threads]]\nid = \"{id}\"\nstatus = \"open\"\nverdict = \"note\"\ncriteria = []\n\n\
             [threads.anchor]\nversion = \"mit-0\"\nclause = \"{clause}\"\n{quote}\n\
             [[threads.comments]]\nauthor = \"tester\"\nat = 2025-01-01T00:00:00Z\nbody = \"x\"\n"
        )
    };
    let mut toml = std::fs::read_to_string(&path).unwrap();
    toml.push_str(&thread("t-000001", "\u{b6}2", ""));
    toml.push_str(&thread("t-000002", "para 3", "quote = \"WITHOUT WARRANTY OF ANY KIND\"\n"));
    std::fs::write(&path, toml).unwrap();
    let out = common::run_in(dir.path(), &["check", "r.toml"]);
    common::assert_code(&out, 0);
    assert_eq!(
        common::stdout(&out),
        "r.toml: 2 threads on 2 versions\n\
         t-000001  exact     mit-0 \u{b6}2                   1.00\n\
         t-000002  exact     mit-0 para 3  -> mit-0 \u{b6}3  1.00\n\
         ok: no problems\n"
    );
    let out = common::run_in(dir.path(), &["reanchor", "r.toml", "--to", "mit", "--write"]);
    common::assert_code(&out, 0);
    assert_eq!(
        common::stdout(&out),
        "t-000001  changed   mit-0 \u{b6}2      -> mit \u{b6}2  0.96\n\
         t-000002  moved     mit-0 para 3  -> mit \u{b6}4  1.00\n\
         r.toml: 2 of 2 threads now anchored in mit\n"
    );
    let r = review::load(&path).unwrap();
    let clauses: Vec<_> = r
        .threads
        .iter()
        .map(|t| {
            (
                t.anchor.as_ref().unwrap().version.as_str(),
                t.anchor.as_ref().unwrap().clause.as_str(),
            )
        })
        .collect();
    assert_eq!(clauses, [("mit", "\u{b6}2"), ("mit", "\u{b6}4")]);
    let out = common::run_in(dir.path(), &["check", "r.toml"]);
    common::assert_code(&out, 0);
    assert_eq!(common::stdout(&out).matches("  exact  ").count(), 2, "{}", common::stdout(&out));
}

#[test]
fn reanchor_to_an_unknown_version_names_the_versions() {
    let out =
        common::run(&["reanchor", common::example_review().to_str().unwrap(), "--to", "final"]);
    common::assert_code(&out, 2);
    assert!(
        common::stderr(&out)
            .contains("no version with id `final` (the review has: website, submitted, revised)")
    );
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    // `lrw check R | head -1`: the reader is gone before lrw writes. That is no panic and no
    // error message; the exit code is the command's own.
    let review = common::example_review();
    let review = review.to_str().unwrap();
    let hostile = tempfile::tempdir().unwrap();
    let many = hostile.path().join("many.txt");
    std::fs::write(&many, "a\u{200b}b\n".repeat(20_000)).unwrap();
    let many = many.to_str().unwrap();
    let cases: [(&[&str], i32); 6] = [
        (&["check", review], 0),
        (&["check", review, "--format", "json"], 0),
        (&["reanchor", review, "--to", "revised"], 0),
        (&["reanchor", review, "--to", "revised", "--format", "json"], 0),
        (&["inspect", many], 1),
        (&["clauses", "spdx:GPL-3.0-only"], 0),
    ];
    for (args, code) in cases {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = common::lrw().args(args).stdout(writer).output().unwrap();
        let err = common::stderr(&out);
        assert!(out.stdout.is_empty(), "the output went to the closed pipe");
        assert_eq!(out.status.code(), Some(code), "lrw {args:?}: {err}");
        assert!(err.is_empty(), "lrw {args:?} wrote to stderr: {err}");
    }
}

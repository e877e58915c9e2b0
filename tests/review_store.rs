//! Saving reviews under faults: a folder that refuses writes, a disk that fills up, a file
//! changed on disk since it was loaded (same size and mtime), a stale temporary file from a
//! crash, a hand-broken review, and concurrent writers. Nothing may be lost or half-written.

mod common;

use std::path::{Path, PathBuf};

use lrw::review::{self, Comment, ReviewError, SaveOutcome, Verdict};

/// A copy of the bundled review (and the texts it names) in a fresh folder.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = common::fixture_root();
    let texts = dir.path().join("texts/example-model-license");
    std::fs::create_dir_all(&texts).unwrap();
    for f in ["2.0-website.md", "2.0-submitted.md", "2.1-submitted.md"] {
        std::fs::copy(root.join("texts/example-model-license").join(f), texts.join(f)).unwrap();
    }
    let reviews = dir.path().join("reviews");
    std::fs::create_dir_all(&reviews).unwrap();
    let path = reviews.join("example-model-license.toml");
    std::fs::copy(common::example_review(), &path).unwrap();
    (dir, path)
}

/// A comment now, with an id that depends only on its author and text (so tests can name it).
fn comment(author: &str, body: &str) -> Comment {
    let mut c = Comment::now(author, body);
    c.id = cid(author, body);
    c
}

fn cid(author: &str, body: &str) -> String {
    let h = lrw::text::load::sha256_hex(format!("{author}\n{body}").as_bytes());
    format!("c-{}", &h[..6])
}

fn bodies(path: &Path, thread: &str) -> Vec<String> {
    let r = review::load(path).unwrap();
    r.thread(thread).unwrap().comments.iter().map(|c| c.body.clone()).collect()
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lrw-tmp"))
        .collect()
}

#[test]
fn save_writes_only_the_change() {
    let (_dir, path) = setup();
    let before = std::fs::read_to_string(&path).unwrap();
    let mut r = review::load(&path).unwrap();
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Unchanged);
    let mut c = comment("reviewer-b", "One more thought.");
    c.at = "2025-05-17T08:00:00Z".into();
    r.thread_mut("t-2b81e4").unwrap().comments.push(c);
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Written);
    let after = std::fs::read_to_string(&path).unwrap();
    let added = format!(
        "\n[[threads.comments]]\nid = \"{}\"\nauthor = \"reviewer-b\"\n\
         at = 2025-05-17T08:00:00Z\nbody = \"One more thought.\"\n",
        cid("reviewer-b", "One more thought.")
    );
    let at = before.find("\n[[threads]]\nid = \"t-c40d17\"").unwrap();
    assert_eq!(after, format!("{}{added}{}", &before[..at], &before[at..]));
}

#[test]
fn a_file_changed_on_disk_with_same_size_and_mtime_is_merged_not_overwritten() {
    let (_dir, path) = setup();
    let mut r = review::load(&path).unwrap();
    let meta = std::fs::metadata(&path).unwrap();
    let mtime = meta.modified().unwrap();

    // Someone else changes a verdict: "conflict" -> "question", the same number of bytes.
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replacen("verdict = \"conflict\"", "verdict = \"question\"", 1);
    assert_ne!(changed, text);
    assert_eq!(changed.len(), text.len());
    std::fs::write(&path, &changed).unwrap();
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(mtime).unwrap();
    drop(f);
    let now = std::fs::metadata(&path).unwrap();
    assert_eq!((now.len(), now.modified().unwrap()), (meta.len(), mtime));

    r.thread_mut("t-7f3a9c")
        .unwrap()
        .comments
        .push(comment("reviewer-b", "Mine, added meanwhile."));
    let outcome = review::save(&mut r).unwrap();
    assert!(matches!(outcome, SaveOutcome::Merged { .. }), "{outcome:?}");
    let back = review::load(&path).unwrap();
    let t = back.thread("t-7f3a9c").unwrap();
    assert_eq!(t.verdict, Verdict::Question, "their change kept");
    assert_eq!(t.comments.last().unwrap().body, "Mine, added meanwhile.", "our change kept");
    assert_eq!(r.thread("t-7f3a9c").unwrap().verdict, Verdict::Question, "memory updated");
}

#[test]
fn a_file_broken_on_disk_since_load_stops_the_save_with_a_message() {
    let (_dir, path) = setup();
    let mut r = review::load(&path).unwrap();
    let broken =
        std::fs::read_to_string(&path).unwrap().replacen("status = \"open\"", "status = open", 1);
    std::fs::write(&path, &broken).unwrap();
    r.threads[0].comments.push(comment("reviewer-a", "lost?"));
    let err = review::save(&mut r).unwrap_err();
    assert!(matches!(err, ReviewError::Conflict { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("changed on disk since it was loaded"), "{msg}");
    let line = broken[..broken.find("status = open").unwrap()].lines().count() + 1;
    assert!(msg.contains(&format!(":{line}:10:")), "names line and column of their problem: {msg}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken, "the file is not touched");
}

#[test]
fn a_stale_temporary_file_is_never_loaded_and_is_cleaned_by_the_next_save() {
    let (_dir, path) = setup();
    let dir = path.parent().unwrap();
    let stale = dir.join(".example-model-license.toml.4242-deadbeef.lrw-tmp");
    std::fs::write(&stale, "format = \"lrw-review/1\"\ntitle = \"half writ").unwrap();
    let other = dir.join(".other.toml.1-00000000.lrw-tmp");
    std::fs::write(&other, "not ours").unwrap();

    let mut r = review::load(&path).unwrap();
    assert_eq!(r.title, "Example Model License 2.0: submitted vs website");
    r.threads[0].comments.push(comment("reviewer-a", "after a crash"));
    review::save(&mut r).unwrap();
    assert!(!stale.exists(), "stale temporary file removed");
    assert!(other.exists(), "another review's temporary file is not ours to remove");
    assert_eq!(temp_files(dir), [".other.toml.1-00000000.lrw-tmp"]);
    assert_eq!(bodies(&path, &r.threads[0].id).last().unwrap(), "after a crash");
}

#[test]
fn a_hand_broken_review_names_line_and_column_and_stays_untouched() {
    let (_dir, path) = setup();
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replacen("verdict = \"concern\"", "verdict = \"worrying\"", 1);
    std::fs::write(&path, &broken).unwrap();
    let line = broken[..broken.find("\"worrying\"").unwrap()].lines().count();
    let err = review::load(&path).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}:{line}:11: unknown verdict \"worrying\"; expected one of \"conforms\", \
             \"concern\", \"conflict\", \"question\", \"note\"",
            path.display()
        )
    );
    let out = common::run(&["check", path.to_str().unwrap()]);
    common::assert_code(&out, 1);
    assert!(common::stdout(&out).contains(&format!(":{line}:11: unknown verdict")), "{out:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn concurrent_writers_lose_no_comment() {
    let (_dir, path) = setup();
    let writers = 6;
    let rounds = 4;
    std::thread::scope(|s| {
        for w in 0..writers {
            let path = path.clone();
            s.spawn(move || {
                for n in 0..rounds {
                    // Each writer works from its own (soon stale) copy, as an editor would.
                    let mut r = review::load(&path).unwrap();
                    let body = format!("writer {w} round {n}");
                    r.thread_mut("t-0d6a58")
                        .unwrap()
                        .comments
                        .push(comment(&format!("w{w}"), &body));
                    review::save(&mut r).unwrap();
                }
            });
        }
    });
    let got = bodies(&path, "t-0d6a58");
    for w in 0..writers {
        for n in 0..rounds {
            let body = format!("writer {w} round {n}");
            assert_eq!(got.iter().filter(|b| **b == body).count(), 1, "{body} in {got:#?}");
        }
    }
    assert_eq!(got.len(), 1 + writers * rounds);
    assert!(temp_files(path.parent().unwrap()).is_empty());
}

#[test]
fn merges_by_separate_processes_lose_no_comment_and_readers_never_see_half_a_file() {
    // Four `lrw merge` processes, each bringing one comment into the same OURS, while a reader
    // thread keeps loading it: every read sees a whole, valid review, and all comments arrive.
    let (dir, path) = setup();
    let base = dir.path().join("base.toml");
    std::fs::copy(&path, &base).unwrap();
    let mut handles = Vec::new();
    for w in 0..4 {
        let theirs = dir.path().join(format!("theirs{w}.toml"));
        let mut r = review::load(&base).unwrap();
        let mut c = comment(&format!("p{w}"), &format!("process {w}"));
        c.at = format!("2025-06-0{}T00:00:00Z", w + 1);
        r.thread_mut("t-0d6a58").unwrap().comments.push(c);
        std::fs::write(&theirs, review::to_toml(&r)).unwrap();
        handles.push(theirs);
    }
    // Merge each into OURS one after another, while readers keep loading it: every read sees
    // a whole, valid review.
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                review::load(&path).expect("a reader never sees a half-written review");
            }
        });
        for theirs in &handles {
            let out = common::run(&[
                "merge",
                base.to_str().unwrap(),
                path.to_str().unwrap(),
                theirs.to_str().unwrap(),
            ]);
            common::assert_code(&out, 0);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let got = bodies(&path, "t-0d6a58");
    for w in 0..4 {
        assert!(got.contains(&format!("process {w}")), "{got:#?}");
    }
}

/// Removes the immutable attribute and restores permissions even when the test fails.
struct Unfreeze(PathBuf, bool);

impl Drop for Unfreeze {
    fn drop(&mut self) {
        if self.1 {
            let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[cfg(unix)]
#[test]
fn a_save_into_a_read_only_folder_fails_and_leaves_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = setup();
    let folder = path.parent().unwrap().to_path_buf();
    let before = std::fs::read(&path).unwrap();
    let mut r = review::load(&path).unwrap();
    r.threads[0].comments.push(comment("reviewer-a", "will not fit"));

    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut guard = Unfreeze(folder.clone(), false);
    // Root ignores permission bits. Then make the folder immutable instead (ext4 and most
    // Linux file systems); if that is not possible either, say so and stop: this machine
    // cannot make a folder refuse writes to this user.
    let probe = folder.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        let frozen = std::process::Command::new("chattr")
            .arg("+i")
            .arg(&folder)
            .status()
            .is_ok_and(|s| s.success());
        guard.1 = frozen;
        if !frozen || std::fs::write(&probe, "x").is_ok() {
            let _ = std::fs::remove_file(&probe);
            eprintln!(
                "note: running with privileges that ignore folder permissions and without \
                 chattr +i; the read-only case is covered by the file-size-limit test instead"
            );
            return;
        }
    }
    let err = review::save(&mut r).unwrap_err();
    drop(guard);
    let msg = err.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "{msg}");
    assert!(msg.contains("cannot create a temporary file"), "{msg}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "old file intact");
    assert!(temp_files(&folder).is_empty());
    // The review in memory still holds the comment: the user can save elsewhere or retry.
    assert_eq!(r.threads[0].comments.last().unwrap().body, "will not fit");
}

#[cfg(unix)]
#[test]
fn a_full_disk_during_save_leaves_the_old_file() {
    // A file-size limit (RLIMIT_FSIZE) makes writes fail part-way with EFBIG even for root,
    // like a disk that fills up. `lrw merge` writes its result over OURS with the same atomic
    // write as every save.
    let (dir, path) = setup();
    let base = dir.path().join("base.toml");
    std::fs::copy(&path, &base).unwrap();
    let theirs = dir.path().join("theirs.toml");
    let mut r = review::load(&base).unwrap();
    r.thread_mut("t-0d6a58").unwrap().comments.push(comment("p", &"long body ".repeat(500)));
    std::fs::write(&theirs, review::to_toml(&r)).unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(before.len() > 2048);

    let script = "trap '' XFSZ; ulimit -f 2; exec \"$0\" merge \"$1\" \"$2\" \"$3\"";
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_lrw"))
        .arg(&base)
        .arg(&path)
        .arg(&theirs)
        .output()
        .unwrap();
    common::assert_code(&out, 1);
    let err = common::stderr(&out);
    assert!(err.contains("cannot write") && err.contains(&path.display().to_string()), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "OURS untouched");
    assert!(temp_files(path.parent().unwrap()).is_empty(), "no temporary file left");
}

#[test]
fn a_new_review_never_overwrites() {
    let (_dir, path) = setup();
    let before = std::fs::read(&path).unwrap();
    let mut r = review::load(&path).unwrap();
    r.origin = None;
    assert!(matches!(review::save(&mut r), Err(ReviewError::Exists { .. })));
    assert!(matches!(review::save_new(&mut r), Err(ReviewError::Exists { .. })));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_review_deleted_since_load_is_written_again() {
    let (_dir, path) = setup();
    let mut r = review::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    r.threads[0].comments.push(comment("reviewer-a", "still here"));
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Recreated);
    assert_eq!(bodies(&path, &r.threads[0].id).last().unwrap(), "still here");
}

#[test]
fn a_crlf_review_keeps_its_line_endings_and_clean_bodies() {
    // A checkout with CRLF line endings (git's core.autocrlf on Windows), with a BOM as some
    // editors write: loading reads the same bodies as from the LF file, saving unchanged
    // changes nothing, and a new comment adds only its own (CRLF) lines.
    let (_dir, path) = setup();
    let lf = std::fs::read_to_string(&path).unwrap();
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    std::fs::write(&path, &crlf).unwrap();
    let mut r = review::load(&path).unwrap();
    let plain = review::parse(&lf, &path).unwrap();
    assert_eq!(r.threads, plain.threads, "CRLF is a line break, not part of a body");
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Unchanged);

    let mut c = comment("reviewer-b", "two\nlines");
    c.at = "2025-05-17T08:00:00Z".into();
    r.thread_mut("t-e3b7c5").unwrap().comments.push(c);
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Written);
    let after = std::fs::read_to_string(&path).unwrap();
    let added = format!(
        "\r\n[[threads.comments]]\r\nid = \"{}\"\r\nauthor = \"reviewer-b\"\r\n\
         at = 2025-05-17T08:00:00Z\r\nbody = \"\"\"\r\ntwo\r\nlines\"\"\"\r\n",
        cid("reviewer-b", "two\nlines")
    );
    assert_eq!(after, format!("{crlf}{added}"));
    assert_eq!(bodies(&path, "t-e3b7c5").last().unwrap(), "two\nlines");
}

/// `lrw merge BASE OURS THEIRS` as git runs it, OURS being the review at `path`; the two
/// other sides are written next to it first. Returns what OURS holds afterwards.
fn merge_driver(path: &Path, base: &str, ours: &str, theirs: &str) -> String {
    let dir = path.parent().unwrap();
    let (b, t) = (dir.join("base.toml"), dir.join("theirs.toml"));
    std::fs::write(&b, base).unwrap();
    std::fs::write(path, ours).unwrap();
    std::fs::write(&t, theirs).unwrap();
    let args = [&b, &path.to_path_buf(), &t].map(|p| p.to_str().unwrap().to_string());
    let out = common::run(&["merge", &args[0], &args[1], &args[2]]);
    common::assert_code(&out, 0);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn merging_a_crlf_side_with_an_lf_side_duplicates_no_comment() {
    let (_dir, path) = setup();
    let lf = std::fs::read_to_string(&path).unwrap();
    let mut r = review::parse(&lf, &path).unwrap();
    let mut c = comment("reviewer-b", "theirs\nonly");
    c.at = "2025-06-01T00:00:00Z".into();
    r.thread_mut("t-7f3a9c").unwrap().comments.push(c);
    let text = merge_driver(&path, &lf, &lf.replace('\n', "\r\n"), &review::to_toml(&r));
    let merged = review::load(&path).unwrap();
    let count = |r: &review::Review| r.threads.iter().map(|t| t.comments.len()).sum::<usize>();
    assert_eq!(count(&merged), count(&review::parse(&lf, &path).unwrap()) + 1);
    assert_eq!(merged.thread("t-7f3a9c").unwrap().comments.last().unwrap().body, "theirs\nonly");
    assert!(!text.replace("\r\n", "").contains('\n'), "OURS keeps its CRLF line endings");
}

#[cfg(unix)]
#[test]
fn saving_through_a_symbolic_link_updates_the_file_it_points_to() {
    let (_dir, path) = setup();
    let folder = path.parent().unwrap();
    let link = folder.join("link.toml");
    std::os::unix::fs::symlink("example-model-license.toml", &link).unwrap();
    let mut r = review::load(&link).unwrap();
    r.threads[0].comments.push(comment("reviewer-a", "through the link"));
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Written);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
    assert_eq!(bodies(&path, &r.threads[0].id).last().unwrap(), "through the link");
    assert_eq!(r.path, link, "text paths stay relative to where the review was opened");
    assert!(temp_files(folder).is_empty());
}

#[test]
fn a_review_over_the_size_limit_is_refused_with_its_size_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let size = review::load::MAX_REVIEW_BYTES + 1024 * 1024;
    std::fs::File::create(&path).unwrap().set_len(size).unwrap(); // sparse: no disk used
    match review::load(&path) {
        Err(ReviewError::TooLarge { size: s, .. }) => assert_eq!(s, size, "the real size"),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

/// The bundled review with notes a person wrote by hand: at the top, above a thread, between
/// keys, after a value, and at the end.
fn hand_edited(canonical: &str) -> String {
    let mut s = String::from("# Review of EML 2.0, see the list thread of 2025-05-14.\n");
    s.push_str(canonical);
    s = s.replacen(
        "\n[[threads]]\nid = \"t-2b81e4\"",
        "\n# Second thread: the field-of-use question.\n[[threads]]\nid = \"t-2b81e4\"",
        1,
    );
    s = s.replacen(
        "verdict = \"conflict\"\n",
        "verdict = \"conflict\"\n# agreed on the call of 2025-05-20\n",
        1,
    );
    s = s.replacen("left = \"website\"", "left = \"website\"  # what the author publishes", 1);
    s.push_str("\n# end of review\n");
    s
}

#[test]
fn comments_written_by_hand_stay_where_they_are_on_save() {
    let (_dir, path) = setup();
    let canonical = std::fs::read_to_string(&path).unwrap();
    let hand = hand_edited(&canonical);
    std::fs::write(&path, &hand).unwrap();

    let mut r = review::load(&path).unwrap();
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Unchanged);
    // A reply at the end of the first thread (just above the note on the second one), a
    // verdict changed under a note, and a reply at the very end (above "# end of review").
    let mut c = comment("reviewer-b", "One more thought.");
    c.at = "2025-05-17T08:00:00Z".into();
    r.thread_mut("t-7f3a9c").unwrap().comments.push(c.clone());
    r.thread_mut("t-7f3a9c").unwrap().verdict = Verdict::Concern;
    let last = r.threads.last().unwrap().id.clone();
    r.thread_mut(&last).unwrap().comments.push(c);
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Written);

    let after = std::fs::read_to_string(&path).unwrap();
    let added = format!(
        "\n[[threads.comments]]\nid = \"{}\"\nauthor = \"reviewer-b\"\n\
         at = 2025-05-17T08:00:00Z\nbody = \"One more thought.\"\n",
        cid("reviewer-b", "One more thought.")
    );
    let second = hand.find("\n# Second thread").unwrap();
    let end = hand.find("\n# end of review").unwrap();
    let expected =
        format!("{}{added}{}{added}{}", &hand[..second], &hand[second..end], &hand[end..])
            .replacen("verdict = \"conflict\"\n# agreed", "verdict = \"concern\"\n# agreed", 1);
    assert_eq!(after, expected);
    let back = review::load(&path).unwrap();
    assert_eq!(back.threads, r.threads);
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::Unchanged);
}

#[test]
fn a_comment_on_a_changed_line_moves_to_the_end_and_the_others_stay() {
    let (_dir, path) = setup();
    let canonical = std::fs::read_to_string(&path).unwrap();
    let hand = hand_edited(&canonical).replacen(
        "status = \"open\"\nverdict = \"conflict\"\n",
        "status = \"open\"\nverdict = \"conflict\"   # until the author answers\n",
        1,
    );
    std::fs::write(&path, &hand).unwrap();
    let mut r = review::load(&path).unwrap();
    r.thread_mut("t-7f3a9c").unwrap().verdict = Verdict::Concern;
    assert_eq!(review::save(&mut r).unwrap(), SaveOutcome::CommentsMoved { count: 1 });
    let after = std::fs::read_to_string(&path).unwrap();
    let moved = format!(
        "\n{}\n# (after `verdict = \"conflict\"`) until the author answers\n",
        review::keep::MOVED_HEADING
    );
    let expected = hand.replacen(
        "verdict = \"conflict\"   # until the author answers\n",
        "verdict = \"concern\"\n",
        1,
    ) + &moved;
    assert_eq!(after, expected);
    assert_eq!(review::load(&path).unwrap().threads, r.threads);
}

/// Written by hand (or another tool) in a layout of its own: keys in another order and
/// inline tables, and no comment ids. The save keeps the notes where they are and writes
/// what it must in our layout (the thread with its new comment and the ids); the file reads
/// back as the review saved.
#[test]
fn a_file_in_another_layout_keeps_its_notes_and_reads_back() {
    let (_dir, path) = setup();
    let r0 = review::load(&path).unwrap();
    let mut hand = String::from("# hand-written\nformat = \"lrw-review/1\"\n");
    hand.push_str(&format!("title = {:?}\n", r0.title));
    hand.push_str("compare = { left = \"website\", right = \"submitted\" }  # the pair\n");
    for v in &r0.versions {
        hand.push_str(&format!(
            "[[versions]]\nsha256 = {:?}\npath = {:?}\nid = {:?}\n",
            v.sha256.as_deref().unwrap(),
            v.path,
            v.id
        ));
    }
    hand.push_str(
        "# the one thread\n[[threads]]\nid = \"t-1\"\nverdict = \"concern\"\nstatus = \"open\"\n\
         criteria = [\"osd-6\"]\nanchor = { version = \"submitted\", clause = \"2.2(b)\" }\n\
         comments = [ { author = \"a\", at = 2025-05-14T07:09:00Z, body = \"Hm.\" } ]\n",
    );
    std::fs::write(&path, &hand).unwrap();
    let mut r = review::load(&path).unwrap();
    r.threads[0].comments.push(comment("b", "Agreed."));
    review::save(&mut r).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    for note in ["# hand-written\n", "# the pair\n", "# the one thread\n"] {
        assert!(after.contains(note), "{note:?} kept: {after}");
    }
    let back = review::load(&path).unwrap();
    assert_eq!(back.threads, r.threads);
    assert_eq!(back.threads[0].comments[1].id, cid("b", "Agreed."));
    assert!(after.contains(&format!("id = \"{}\"", back.threads[0].comments[0].id)), "{after}");
}

#[test]
fn a_save_merged_with_changes_on_disk_keeps_their_hand_written_comments() {
    let (_dir, path) = setup();
    let mut r = review::load(&path).unwrap();
    let canonical = std::fs::read_to_string(&path).unwrap();
    // Meanwhile someone adds notes in an editor.
    let hand = hand_edited(&canonical);
    std::fs::write(&path, &hand).unwrap();
    r.thread_mut("t-2b81e4").unwrap().comments.push(comment("reviewer-a", "mine"));
    let outcome = review::save(&mut r).unwrap();
    assert!(
        matches!(outcome, SaveOutcome::Merged { ref notes } if notes.is_empty()),
        "{outcome:?}"
    );
    let after = std::fs::read_to_string(&path).unwrap();
    for note in hand.lines().filter(|l| l.contains('#')) {
        assert!(after.lines().any(|l| l == note), "{note:?} kept in place");
    }
    assert!(!after.contains(review::keep::MOVED_HEADING));
    assert_eq!(bodies(&path, "t-2b81e4").last().unwrap(), "mine");
}

#[test]
fn the_merge_driver_keeps_the_comments_of_ours() {
    let (_dir, path) = setup();
    let canonical = std::fs::read_to_string(&path).unwrap();
    let hand = hand_edited(&canonical);
    let mut r = review::parse(&canonical, &path).unwrap();
    let mut c = comment("reviewer-b", "theirs");
    c.at = "2025-06-01T00:00:00Z".into();
    r.thread_mut("t-c40d17").unwrap().comments.push(c);
    let after = merge_driver(&path, &canonical, &hand, &review::to_toml(&r));
    let added = format!(
        "\n[[threads.comments]]\nid = \"{}\"\nauthor = \"reviewer-b\"\n\
         at = 2025-06-01T00:00:00Z\nbody = \"theirs\"\n",
        cid("reviewer-b", "theirs")
    );
    let at = hand.find("\n[[threads]]\nid = \"t-5e9a02\"").unwrap();
    assert_eq!(after, format!("{}{added}{}", &hand[..at], &hand[at..]));
}

#[test]
fn the_merge_driver_keeps_the_notes_of_both_sides_and_their_deletions() {
    let (_dir, path) = setup();
    let canonical = std::fs::read_to_string(&path).unwrap();
    let base_text = hand_edited(&canonical);
    let block = |who: &str| {
        format!(
            "\n[[threads.comments]]\nauthor = \"{who}\"\nat = 2025-06-01T00:00:00Z\nbody = \"{who} \
             was here\"\n"
        )
    };
    let before = |text: &str, at: &str, insert: &str| {
        let k = text.find(at).unwrap();
        format!("{}{insert}{}", &text[..k], &text[k..])
    };
    // Ours: a reply on the first thread, a note above the third, one note deleted.
    let ours_text = before(&base_text, "\n# Second thread", &block("ours"));
    let ours_text = before(&ours_text, "[[threads]]\nid = \"t-c40d17\"", "# ours: see the call\n")
        .replacen("# agreed on the call of 2025-05-20\n", "", 1);
    // Theirs: a reply on the fourth thread and a note under the title.
    let theirs_text = before(&base_text, "\n[[threads]]\nid = \"t-91fd3b\"", &block("theirs"))
        .replacen("license = \"EML-2.0\"\n", "license = \"EML-2.0\"\n# theirs: a note\n", 1);
    let after = merge_driver(&path, &base_text, &ours_text, &theirs_text);
    let expected = before(&ours_text, "\n[[threads]]\nid = \"t-91fd3b\"", &block("theirs"))
        .replacen("license = \"EML-2.0\"\n", "license = \"EML-2.0\"\n# theirs: a note\n", 1);
    assert_eq!(after, expected);
    let merged = review::load(&path).unwrap();
    assert_eq!(bodies(&path, "t-7f3a9c").last().unwrap(), "ours was here");
    assert_eq!(bodies(&path, "t-5e9a02").last().unwrap(), "theirs was here");
    assert_eq!(merged.threads.len(), review::parse(&canonical, &path).unwrap().threads.len());
}

/// A review file marked read-only is respected, as vim and sqlite do, even by root and with a
/// writable folder (where a rename could replace it): the save is refused, saying so, and the
/// file is untouched.
#[cfg(unix)]
#[test]
fn a_read_only_review_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = setup();
    let before = std::fs::read(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut r = review::load(&path).unwrap();
    r.threads[0].comments.push(comment("reviewer-a", "not saved"));
    let err = review::save(&mut r).unwrap_err();
    assert!(matches!(err, review::ReviewError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("is read-only"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // The command line says the same, exit 2.
    let dir = path.parent().unwrap().parent().unwrap();
    let out = common::run_in(
        dir,
        &["thread", "reply", "reviews/example-model-license.toml", "t-7f3a9c", "--body", "x"],
    );
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("is read-only"), "{}", common::stderr(&out));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444,
        "still read-only"
    );
}

/// A person wrote a bidi control raw into a comment of the file (an editor lets them): the
/// next save writes it escaped, as lrw writes every hidden character, and the notes stay.
#[test]
fn raw_bidi_controls_kept_from_a_hand_edited_file_are_escaped_on_save() {
    let (_dir, path) = setup();
    let text = std::fs::read_to_string(&path).unwrap();
    let hand = text.replacen(
        "body = \"Agreed, nothing to change here.\"",
        "body = \"Agreed, nothing \u{202e}to change\u{202c} here.\"  # checked",
        1,
    );
    assert_ne!(hand, text);
    std::fs::write(&path, &hand).unwrap();
    let mut r = review::load(&path).unwrap();
    r.threads[0].comments.push(comment("reviewer-a", "A reply elsewhere."));
    review::save(&mut r).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(!after.contains('\u{202e}') && !after.contains('\u{202c}'), "raw bidi left");
    assert!(after.contains("nothing \\u202Eto change\\u202C here.\"  # checked"), "{after}");
    let back = review::load(&path).unwrap();
    assert_eq!(back.threads, r.threads);
}

/// With the workbench open on one branch, `git checkout` puts another branch's review in the
/// file; a post then merges into that file (the loaded text is the ancestor). The first
/// branch's threads are not written into the second: to the merge, the other side deleted
/// them and this side left them as they were.
#[test]
fn a_post_after_switching_branches_does_not_carry_the_old_branch_in() {
    let (_dir, path) = setup();
    let mut open = review::load(&path).unwrap();
    // The other branch: the last two threads deleted, one thread answered.
    let mut other = open.clone();
    let gone: Vec<String> = other.threads.drain(other.threads.len() - 2..).map(|t| t.id).collect();
    other.threads[0].comments.push(comment("branch-b", "Only on branch b."));
    std::fs::write(&path, review::to_toml(&other)).unwrap();
    // The post made in the open workbench.
    open.threads[1].comments.push(comment("reviewer-a", "Posted after the checkout."));
    let outcome = review::save(&mut open).unwrap();
    assert!(matches!(outcome, SaveOutcome::Merged { .. }), "{outcome:?}");
    let after = review::load(&path).unwrap();
    for id in &gone {
        assert!(after.thread(id).is_none(), "{id} came back from the other branch");
    }
    let bodies: Vec<&str> =
        after.threads.iter().flat_map(|t| t.comments.iter().map(|c| c.body.as_str())).collect();
    assert!(bodies.contains(&"Only on branch b."));
    assert!(bodies.contains(&"Posted after the checkout."));
}

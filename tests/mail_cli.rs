//! Mail in, mail out, through the binary: a list thread (as an mbox, or as only its newest
//! HTML message) becomes review threads on the right clauses with every message a comment;
//! importing again adds nothing; `lrw export --format email` writes a reply a mail client
//! threads under the original, and importing that reply back adds nothing.

mod common;

use std::path::{Path, PathBuf};

use mail_parser::MimeHeaders;

use serde_json::Value;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name)
        .display()
        .to_string()
}

fn json(dir: &Path, args: &[&str], code: i32) -> Value {
    let out = common::run_in(dir, args);
    common::assert_code(&out, code);
    serde_json::from_str(&common::stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}", common::stdout(&out)))
}

/// The example review, in each test's temporary copy.
const R: &str = common::REVIEW;

/// Comments (author, at, message id) of every thread holding an imported message.
fn imported(review: &Path) -> Vec<(String, String, Option<String>, String)> {
    let r = lrw::review::load(review).unwrap();
    let mut out = Vec::new();
    for t in &r.threads {
        for c in t.comments.iter().filter(|c| c.message_id.is_some()) {
            let clause = t.anchor.as_ref().map_or("(review)".to_string(), |a| a.clause.clone());
            out.push((c.author.clone(), c.at.clone(), c.message_id.clone(), clause));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

#[test]
fn an_mbox_becomes_threads_on_the_clauses_it_cites_and_imports_once() {
    let (dir, review) = common::example_copy();
    let d = dir.path();
    let v = json(
        d,
        &["import", R, &fixture("thread.mbox"), "--version", "submitted", "--format", "json"],
        0,
    );
    // Five messages, and the earlier ones again as quoted in the replies (recovered, and
    // found to be the same messages).
    assert!(v["messages"].as_u64().unwrap() >= 5, "{v}");
    assert_eq!(v["comments_added"], 5, "{v}");
    let got = imported(&review);
    let who: Vec<(&str, &str, &str)> =
        got.iter().map(|(a, at, _, c)| (a.as_str(), at.as_str(), c.as_str())).collect();
    assert_eq!(
        who,
        [
            ("Ana Müller", "2025-05-14T07:09:00Z", "2.2(b)"),
            ("Dario Rossi", "2025-05-15T05:14:00Z", "2.2(b)"),
            ("Bob Stone", "2025-05-18T03:51:00Z", "2.2(b)"),
            ("Carol Nguyen", "2025-05-18T08:20:00Z", "2.2(b)"),
            ("Élise Martin", "2025-05-19T07:30:00Z", "5"),
        ],
        "{got:?}"
    );
    // The thread on 2.2(b) keeps the subject and list for a reply, and its criteria.
    let r = lrw::review::load(&review).unwrap();
    let t = r.threads.iter().find(|t| t.comments.iter().any(|c| c.author == "Ana Müller")).unwrap();
    assert_eq!(t.extra["list"].as_str(), Some("license-review@lists.example.org"));
    assert!(t.extra["subject"].as_str().unwrap().contains("EML 2.0 submitted for approval"));
    assert!(t.criteria.contains(&"osd-6".to_string()), "{:?}", t.criteria);
    // No markup or encoding debris in any body.
    for c in &t.comments {
        assert!(
            !c.body.contains('<') && !c.body.contains("=C3") && !c.body.contains("=\n"),
            "{}",
            c.body
        );
    }
    // "2.bb" is a clause the version does not have: reported, not anchored anywhere.
    assert!(v.to_string().contains("2.bb"), "{v}");
    // A second import adds nothing and writes nothing.
    let before = std::fs::read(&review).unwrap();
    let again = json(
        d,
        &["import", R, &fixture("thread.mbox"), "--version", "submitted", "--format", "json"],
        0,
    );
    assert_eq!(again["comments_added"], 0, "{again}");
    assert!(again["already_imported"].as_u64().unwrap() >= 5, "{again}");
    assert_eq!(std::fs::read(&review).unwrap(), before);
    // Nor does the same thread as its newest HTML message, with the history quoted in it.
    let html = json(
        d,
        &[
            "import",
            R,
            &fixture("apple-mail-reply.eml"),
            "--version",
            "submitted",
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(html["comments_added"], 0, "{html}");
    assert_eq!(std::fs::read(&review).unwrap(), before);
}

#[test]
fn only_the_newest_html_message_gives_the_whole_thread() {
    let (dir, review) = common::example_copy();
    let d = dir.path();
    let dry = json(
        d,
        &[
            "import",
            R,
            &fixture("apple-mail-reply.eml"),
            "--version",
            "submitted",
            "--dry-run",
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(
        std::fs::read(&review).unwrap(),
        std::fs::read(common::example_review()).unwrap(),
        "a dry run writes nothing"
    );
    assert!(
        dry["threads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["comments"].as_array().unwrap().len())
            .sum::<usize>()
            >= 4,
        "{dry}"
    );
    let v = json(
        d,
        &[
            "import",
            R,
            &fixture("apple-mail-reply.eml"),
            "--version",
            "submitted",
            "--format",
            "json",
        ],
        0,
    );
    let got = imported(&review);
    let authors: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(authors, ["Ana Müller", "Dario Rossi", "Bob Stone", "Carol Nguyen"], "{v}");
    assert!(got.iter().all(|g| g.3 == "2.2(b)"), "{got:?}");
}

#[test]
fn a_reply_mail_threads_under_the_original_and_does_not_come_back() {
    let (dir, review) = common::example_copy();
    let d = dir.path();
    json(
        d,
        &["import", R, &fixture("thread.mbox"), "--version", "submitted", "--format", "json"],
        0,
    );
    let r = lrw::review::load(&review).unwrap();
    let t = r
        .threads
        .iter()
        .find(|t| t.comments.iter().any(|c| c.author == "Carol Nguyen"))
        .unwrap()
        .id
        .clone();
    // The reviewer answers in lrw, then writes the reply mail.
    let out = common::run_in(
        d,
        &[
            "thread",
            "reply",
            R,
            &t,
            "--body",
            "Agreed: as a request to the first publisher, 2.2(b) would meet OSD 6.",
            "--author",
            "Reviewer A",
        ],
    );
    common::assert_code(&out, 0);
    let eml = d.join("reply.eml");
    let out = common::run_in(
        d,
        &[
            "export",
            R,
            "--format",
            "email",
            "--thread",
            &t,
            "--from",
            "Reviewer A <rev@example.org>",
            "-o",
            eml.to_str().unwrap(),
        ],
    );
    common::assert_code(&out, 0);
    let raw = std::fs::read(&eml).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&raw).expect("a mail");
    assert!(msg.subject().unwrap().starts_with("Re: "), "{:?}", msg.subject());
    assert!(msg.subject().unwrap().contains("EML 2.0 submitted for approval"));
    let in_reply_to = msg.in_reply_to().as_text().unwrap().to_string();
    assert_eq!(
        in_reply_to, "C0FFEE12-3456-4ABC-8DEF-0123456789AB@example.com",
        "the latest imported message of the thread"
    );
    let refs = format!("{:?}", msg.references());
    assert!(refs.contains("0b7c1e52-ana-eml20@example.org"), "{refs}");
    assert_eq!(
        msg.to().unwrap().first().unwrap().address().unwrap(),
        "license-review@lists.example.org"
    );
    assert_eq!(msg.from().unwrap().first().unwrap().address().unwrap(), "rev@example.org");
    let ct = msg.content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("text", Some("plain")));
    assert_eq!(ct.attribute("format"), Some("flowed"));
    let body = msg.body_text(0).unwrap();
    assert!(body.contains("Section 2.2(b):"), "{body}");
    assert!(body.contains("> "), "the license passage is quoted: {body}");
    assert!(body.contains("as a request to the first publisher"), "{body}");
    for line in String::from_utf8_lossy(&raw).split("\r\n") {
        assert!(line.chars().count() <= 78, "line over 78: {line:?}");
    }
    // Importing the reply back adds nothing.
    let back = json(
        d,
        &["import", R, eml.to_str().unwrap(), "--version", "submitted", "--format", "json"],
        0,
    );
    assert_eq!(back["comments_added"], 0, "{back}");
}

#[test]
fn bad_mail_is_imported_as_far_as_it_goes_with_notes() {
    let (dir, review) = common::example_copy();
    let d = dir.path();
    let bad: Vec<String> = [
        "bad/truncated.mbox",
        "bad/no-date-no-from.eml",
        "bad/unknown-charset.eml",
        "bad/scripts-and-styles.eml",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let mut args = vec!["import", R];
    args.extend(bad.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let v = json(d, &args, 0);
    assert!(!v["notes"].as_array().unwrap().is_empty(), "{v}");
    let r = lrw::review::load(&review).unwrap();
    for t in &r.threads {
        for c in &t.comments {
            assert!(!common::has_raw_control(c.body.as_bytes()), "{:?}", c.body);
            assert!(!c.body.contains("<script") && !c.body.contains('\u{202e}'), "{:?}", c.body);
        }
    }
    // Nothing readable at all: one line, exit 2, nothing written.
    let before = std::fs::read(&review).unwrap();
    let empty = d.join("empty.eml");
    std::fs::write(&empty, "").unwrap();
    let out = common::run_in(d, &["import", R, empty.to_str().unwrap()]);
    common::assert_code(&out, 2);
    assert_eq!(common::stderr(&out).lines().count(), 1, "{}", common::stderr(&out));
    assert_eq!(std::fs::read(&review).unwrap(), before);
    let _ = PathBuf::new();
}

/// An import saved while another writer added a thread to the file (the save merges it in)
/// names, in its report, the threads it started, not the other writer's. The report tells
/// its threads as the ones not there before, in review order; this holds because the merge
/// keeps the saving side's threads before the other writer's.
#[test]
fn an_import_saved_beside_another_writer_names_only_its_own_threads() {
    use lrw::review::Session;
    use lrw::review::import::{plan_mail_import, thread_ids};
    let (dir, review) = common::example_copy();
    let mail = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail/workbench.mbox");
    let mut session = Session::open(&review, lrw::criteria::builtin_sets()).unwrap();
    let (change, mut report) = plan_mail_import(&session, &[mail], None).unwrap().into_change();
    let before = thread_ids(&session);
    let prepared = session.prepare(change, "importer").unwrap();
    // Another writer posts a thread meanwhile.
    let out = common::run_in(
        dir.path(),
        &["thread", "add", common::REVIEW, "--clause", "1", "--body", "Someone else's thread."],
    );
    common::assert_code(&out, 0);
    let theirs = common::stdout(&out).trim().to_string();
    let saved = prepared.save().unwrap();
    let applied = session.commit(saved);
    assert!(applied.message.contains("merged"), "{}", applied.message);
    assert!(session.review().thread(&theirs).is_some(), "the other writer's thread is kept");
    report.saved(&before, &session);
    let named: Vec<&str> = report.threads.iter().filter_map(|t| t.id.as_deref()).collect();
    assert_eq!(named.len(), 2, "{named:?}");
    assert!(!named.contains(&theirs.as_str()), "{theirs} is not the import's: {named:?}");
    // Each named thread holds the imported mail.
    for id in named {
        let t = session.review().thread(id).unwrap();
        assert!(t.comments.iter().all(|c| c.author != "someone"), "{id}");
        assert!(t.extra.contains_key("subject"), "{id} was started by the import");
    }
}

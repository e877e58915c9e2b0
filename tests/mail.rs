//! Mail in, mail out: the fixtures under `tests/fixtures/mail/` (written for lrw, in the
//! shapes list mail takes; see their README) read, recovered, planned against the example
//! license, and a reply written and read back.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use lrw::mail::{
    self, ExistingThread, ImportPlan, Message, PlanInput, PlannedThread, ReplyDraft, ReplyPart,
    ThreadTarget, VersionText,
};
use lrw::text::ClauseTree;

const ANA: &str = "0b7c1e52-ana-eml20@example.org";
const DARIO: &str = "1902376451.4418.1747286040123.JavaMail.zimbra@example.it";
const BOB: &str = "5d3c8f0a-7a41-4c2e-9b1e-bob@example.net";
const CAROL: &str = "C0FFEE12-3456-4ABC-8DEF-0123456789AB@example.com";
const ELISE: &str = "f1e2d3c4-elise@example.fr";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from("tests/fixtures/mail").join(name)
}

struct Version {
    text: lrw::text::Text,
    tree: ClauseTree,
}

fn submitted() -> Version {
    let text = lrw::text::load("texts/example-model-license/2.0-submitted.md").unwrap();
    let tree = ClauseTree::parse(&text.content);
    Version { text, tree }
}

fn plan_with(
    messages: &[Message],
    known: &HashSet<String>,
    existing: &HashMap<String, ExistingThread>,
) -> ImportPlan {
    let v = submitted();
    let sets = lrw::criteria::builtin_sets();
    let input = PlanInput {
        version: VersionText { id: "submitted", content: &v.text.content, tree: &v.tree },
        criteria: &sets,
        known,
        existing,
    };
    mail::plan(messages, &input)
}

fn plan(messages: &[Message]) -> ImportPlan {
    plan_with(messages, &HashSet::new(), &HashMap::new())
}

fn load(names: &[&str]) -> Vec<Message> {
    let mb = mail::load(&names.iter().map(|n| fixture(n)).collect::<Vec<_>>());
    assert!(mb.notes.is_empty(), "{:?}", mb.notes);
    mb.messages
}

fn clause(t: &PlannedThread) -> Option<&str> {
    match &t.target {
        ThreadTarget::New { clause, .. } => clause.as_deref(),
        ThreadTarget::Existing { .. } => None,
    }
}

fn who_when(t: &PlannedThread) -> Vec<(&str, &str)> {
    t.comments.iter().map(|c| (c.author.as_str(), c.at.as_deref().unwrap_or("-"))).collect()
}

/// What the session passes as known after importing `p`: the ids of the comments it added.
fn ids(p: &ImportPlan) -> HashSet<String> {
    mail::known_ids(
        p.threads
            .iter()
            .flat_map(|t| &t.comments)
            .map(|c| (Some(c.message_id.as_str()), c.author.as_str(), c.body.as_str())),
    )
}

/// The review's threads as the session would pass them: message id -> thread.
fn existing(p: &ImportPlan) -> HashMap<String, ExistingThread> {
    let mut out = HashMap::new();
    for (n, t) in p.threads.iter().enumerate() {
        let e = ExistingThread { id: format!("t-{n:06}"), clause: clause(t).map(str::to_string) };
        for c in &t.comments {
            out.insert(c.message_id.clone(), e.clone());
        }
    }
    out
}

fn assert_clean(p: &ImportPlan) {
    for c in p.threads.iter().flat_map(|t| &t.comments) {
        assert!(
            !c.body.chars().any(|ch| ch.is_control() && ch != '\n'),
            "control character in {:?}",
            c.body
        );
        for debris in ["=C3", "=\n", "<div", "<p>", "&lt;", "&amp;", "_______", "mailing list"] {
            assert!(!c.body.contains(debris), "{debris:?} in {}", c.body);
        }
    }
}

#[test]
fn the_mbox_becomes_two_threads_with_authors_dates_anchors_and_criteria() {
    let messages = load(&["thread.mbox"]);
    let p = plan(&messages);
    assert_clean(&p);
    assert_eq!(p.threads.len(), 2, "{:#?}", p.threads);
    let output = &p.threads[0];
    assert_eq!(
        who_when(output),
        [
            ("Ana Müller", "2025-05-14T07:09:00Z"),
            ("Dario Rossi", "2025-05-15T05:14:00Z"),
            ("Bob Stone", "2025-05-18T03:51:00Z"),
            ("Carol Nguyen", "2025-05-18T08:20:00Z"),
        ]
    );
    let ids: Vec<&str> = output.comments.iter().map(|c| c.message_id.as_str()).collect();
    assert_eq!(ids, [ANA, DARIO, BOB, CAROL]);
    // Ana cites nothing; Dario's "§ 2.2(b)" anchors the thread.
    assert_eq!(clause(output), Some("2.2(b)"));
    assert_eq!(output.criteria, ["osd-6", "osd-7", "osaid-share"]);
    assert_eq!(output.subject.as_deref(), Some("EML 2.0 submitted for approval"));
    assert_eq!(output.list.as_deref(), Some("license-review@lists.example.org"));
    let [ana, dario, bob, carol] = &output.comments[..] else { unreachable!() };
    // The mbox's `>From ` is unescaped; signature and list footer are gone.
    assert!(ana.body.contains("\nFrom the start we wanted"), "{}", ana.body);
    assert!(!ana.body.contains("Kestrel Bay Labs\n") && !ana.body.ends_with("Kestrel Bay Labs"));
    // Latin-1, and the forwarded original is not part of Dario's words.
    assert!(dario.body.contains("Perché should a dataset"), "{}", dario.body);
    assert!(!dario.body.contains("Messaggio originale") && !dario.body.contains("Hello all"));
    assert_eq!(dario.cites, ["2.2(b)"]);
    // Flowed text joined; the quote below is Dario's, recovered and folded into his message.
    assert!(bob.body.starts_with(
        "I agree with Dario. The duty also follows \"any model trained on it\", so it reaches"
    ));
    assert!(!bob.body.contains("Thanks Ana"));
    // Carol keeps her quote of the license, not Bob's message.
    assert!(carol.body.contains("> if you distribute a collection of Output as a dataset"));
    assert!(!carol.body.contains("I agree with Dario"));
    assert!(p.threads.iter().flat_map(|t| &t.comments).all(|c| !c.recovered));

    // Élise changes the topic to clause 5; her "2.bb" is kept and reported, not anchored.
    let liability = &p.threads[1];
    assert_eq!(clause(liability), Some("5"));
    assert_eq!(who_when(liability), [("Élise Martin", "2025-05-19T07:30:00Z")]);
    assert_eq!(liability.comments[0].message_id, ELISE);
    assert_eq!(liability.comments[0].unresolved, ["2.bb"]);
    assert!(liability.comments[0].body.starts_with("On another point, clause 5"));
    assert!(p.notes.iter().any(|n| n.contains("\"2.bb\"")), "{:?}", p.notes);
}

#[test]
fn the_newest_html_message_alone_gives_the_whole_thread() {
    let messages = load(&["apple-mail-reply.eml"]);
    assert_eq!(messages.len(), 4);
    let p = plan(&messages);
    assert_clean(&p);
    assert_eq!(p.threads.len(), 1, "{:#?}", p.threads);
    let t = &p.threads[0];
    assert_eq!(
        who_when(t),
        [
            ("Ana Müller", "2025-05-14T07:09:00Z"),
            ("Dario Rossi", "2025-05-15T05:14:00Z"),
            ("Bob Stone", "2025-05-18T03:51:00Z"),
            ("Carol Nguyen", "2025-05-18T08:20:00Z"),
        ]
    );
    let recovered: Vec<bool> = t.comments.iter().map(|c| c.recovered).collect();
    assert_eq!(recovered, [true, true, true, false]);
    // Thunderbird's cite="mid:…" names Dario's message; the others get content ids.
    assert_eq!(t.comments[1].message_id, DARIO);
    assert!(mail::is_synthetic(&t.comments[0].message_id));
    assert_eq!(t.comments[3].message_id, CAROL);
    assert_eq!(clause(t), Some("2.2(b)"));
    // The quoted-printable debris in Zimbra's <pre> is decoded.
    let ana = &t.comments[0].body;
    assert!(ana.contains("From the start we wanted a license"), "{ana}");
    assert!(!ana.contains("Ana Müller"), "signature kept: {ana}");
    assert!(!t.comments[3].body.contains("document.title"));
    // Carol's own quote of the license is kept.
    assert!(t.comments[3].body.contains("> if you distribute a collection of Output"));
}

#[test]
fn importing_again_adds_nothing_whatever_the_shape() {
    let mbox = load(&["thread.mbox"]);
    let html = load(&["apple-mail-reply.eml"]);
    let first = plan(&mbox);
    let known = ids(&first);
    assert_eq!(plan_with(&mbox, &known, &existing(&first)).comment_count(), 0);
    assert_eq!(plan_with(&html, &known, &existing(&first)).comment_count(), 0);

    // The newest message first, the mbox later: only Élise's message is new.
    let first = plan(&html);
    let second = plan_with(&mbox, &ids(&first), &existing(&first));
    assert_eq!(second.comment_count(), 1, "{:#?}", second.threads);
    assert_eq!(second.threads[0].comments[0].message_id, ELISE);
    // She answers Carol (in an existing thread) but about clause 5: a new thread.
    assert_eq!(clause(&second.threads[0]), Some("5"));
    assert!(second.already_imported.contains(&CAROL.to_string()));
}

#[test]
fn thunderbird_plain_reply_and_multipart_alternative() {
    let messages = load(&["thunderbird-plain-reply.eml"]);
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].author().as_deref(), Some("Carol Nguyen"));
    assert_eq!(messages[0].date.as_deref(), Some("2025-05-18T08:20:00Z"));
    assert!(messages[0].body.starts_with("Section 2.2(b) should go."));
    assert!(messages[1].body.starts_with(
        "On another point, clause 5 limits liability \"to the extent permitted by law\", which"
    ));
    let p = plan(&messages);
    // Carol's message cites 2.2(b); Élise's reply to it cites only clause 5.
    assert_eq!(p.threads.iter().map(clause).collect::<Vec<_>>(), [Some("2.2(b)"), Some("5")]);

    // Text/plain is preferred: the HTML alternative (with its cite="mid:") is not read.
    let out = mail::read_path(&fixture("multipart-alternative.eml")).unwrap();
    let bob = &out.messages[0];
    assert!(bob.quote_ids.is_empty());
    assert_eq!(bob.message_id.as_deref(), Some(BOB));
    assert_eq!(bob.in_reply_to, [DARIO]);
    assert_eq!(bob.references, [ANA, DARIO]);
    assert!(bob.body.contains("\n> Thanks Ana.\n"));
    assert!(!bob.body.contains("<p>"));
}

#[test]
fn bad_inputs_are_notes_not_failures() {
    // A truncated mbox: what is there is read, the cut message says so.
    let out = mail::read_path(&fixture("bad/truncated.mbox")).unwrap();
    assert_eq!(out.messages.len(), 2);
    assert!(
        out.messages[1].notes.iter().any(|n| n.contains("cut off")),
        "{:?}",
        out.messages[1].notes
    );
    assert!(out.messages[0].notes.is_empty(), "{:?}", out.messages[0].notes);

    // No Date, no From: imported with notes, "unknown" author, no time.
    let msgs = mail::load(&[fixture("bad/no-date-no-from.eml")]).messages;
    let p = plan(&msgs);
    let c = &p.threads[0].comments[0];
    assert_eq!((c.author.as_str(), c.at.as_deref()), ("unknown", None));
    assert_eq!(clause(&p.threads[0]), Some("2.2(b)"));
    for want in ["no From", "no Date"] {
        assert!(p.notes.iter().any(|n| n.contains(want)), "{want}: {:?}", p.notes);
    }

    // An unknown charset.
    let out = mail::read_path(&fixture("bad/unknown-charset.eml")).unwrap();
    assert!(out.messages[0].notes.iter().any(|n| n.contains("unknown charset \"x-unknown-8\"")));
    assert!(out.messages[0].body.starts_with("Clause 3.3 is fine."));

    // Scripts, styles, frames, terminal escapes and bidi controls never reach a comment.
    let p = plan(&mail::load(&[fixture("bad/scripts-and-styles.eml")]).messages);
    let body = &p.threads[0].comments[0].body;
    assert!(body.starts_with("Clause 3.3 is fine."), "{body}");
    for bad in [
        "alert",
        "injected",
        "color: red",
        "noscript",
        "frame",
        "\u{1b}",
        "\u{7}",
        "\u{202e}",
        "\u{202c}",
    ] {
        assert!(!body.contains(bad), "{bad:?} in {body:?}");
    }

    // An empty file is refused with a reason.
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.eml");
    std::fs::write(&empty, "\n\n").unwrap();
    let e = mail::read_path(&empty).unwrap_err();
    assert_eq!(e.to_string(), "empty: no message in it");
}

#[test]
fn a_fifty_megabyte_attachment_is_skipped_with_a_note() {
    let blob = vec![0x5au8; 50 * 1000 * 1000];
    let b64 = {
        // A plain base64 encoder: the attachment is the test's own data, not mail to decode.
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = Vec::with_capacity(blob.len() * 4 / 3 + blob.len() / 57 + 8);
        for (i, ch) in blob.chunks(3).enumerate() {
            let n = (u32::from(ch[0]) << 16)
                | (u32::from(*ch.get(1).unwrap_or(&0)) << 8)
                | u32::from(*ch.get(2).unwrap_or(&0));
            for k in 0..4 {
                s.push(if k <= ch.len() { T[(n >> (18 - 6 * k)) as usize & 63] } else { b'=' });
            }
            if i % 19 == 18 {
                s.push(b'\n');
            }
        }
        s
    };
    let mut raw = b"From: Ana <ana@example.org>\nDate: Tue, 20 May 2025 10:00:00 +0000\nMessage-ID: <big@example.org>\nSubject: weights\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\nThe weights for Section 2.1 are attached.\n--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"weights.bin\"\nContent-Transfer-Encoding: base64\n\n".to_vec();
    raw.extend_from_slice(&b64);
    raw.extend_from_slice(b"\n--b--\n");
    let out = mail::read_bytes(&raw, "big.eml");
    let m = &out.messages[0];
    assert_eq!(m.body.trim(), "The weights for Section 2.1 are attached.");
    assert!(
        m.notes.iter().any(|n| n.contains("\"weights.bin\" (50.0 MB) skipped")),
        "{:?}",
        m.notes
    );
}

#[test]
fn ten_thousand_quote_levels_are_bounded() {
    let mut text = String::from(
        "From: Ana <ana@example.org>\nDate: Tue, 20 May 2025 10:00:00 +0000\nMessage-ID: <deep@example.org>\nSubject: deep\n\nTop words.\n",
    );
    for d in 1..=10_000 {
        text.push_str(&">".repeat(d));
        text.push_str(" level\n");
    }
    let msgs = mail::recover(&mail::read_bytes(text.as_bytes(), "deep.eml").messages);
    let p = plan(&msgs);
    // (The body is read up to 4 MiB, so fewer levels than written reach the planner.)
    assert!(
        p.notes.iter().any(|n| n.contains("quotes nested") && n.contains("kept as quotes")),
        "{:?}",
        p.notes
    );
    assert!(p.notes.iter().any(|n| n.contains("body longer than 4 MiB")), "{:?}", p.notes);
    assert!(p.threads[0].comments[0].body.len() <= 64 * 1024 + 3);

    let html = format!(
        "From: Ana <ana@example.org>\nDate: Tue, 20 May 2025 10:00:00 +0000\nMessage-ID: <deephtml@example.org>\nSubject: deep\nContent-Type: text/html\n\n<p>Top words.</p>{}x{}",
        "<blockquote type=\"cite\">".repeat(10_000),
        "</blockquote>".repeat(10_000)
    );
    let msgs = mail::recover(&mail::read_bytes(html.as_bytes(), "deep.html.eml").messages);
    assert!(msgs[0].notes.iter().any(|n| n.contains("flattened")), "{:?}", msgs[0].notes);
    assert_eq!(plan(&msgs).comment_count(), 1);
}

#[test]
fn mboxrd_escapes_and_maildir_folders() {
    let mbox = b"From a@example.org Tue May 20 10:00:00 2025\nFrom: A <a@example.org>\nDate: Tue, 20 May 2025 10:00:00 +0000\nMessage-ID: <m1@example.org>\n\n>From the start.\n>>From a quote.\n\nFrom b@example.org Tue May 20 11:00:00 2025\nFrom: B <b@example.org>\nMessage-ID: <m2@example.org>\n\nNo date here.\n";
    let out = mail::read_bytes(mbox, "x.mbox");
    assert_eq!(out.messages.len(), 2);
    assert_eq!(out.messages[0].body, "From the start.\n>From a quote.\n");
    // No Date: the mbox delivery time, with a note.
    assert_eq!(out.messages[1].date.as_deref(), Some("2025-05-20T11:00:00Z"));
    assert!(out.messages[1].notes.iter().any(|n| n.contains("delivery time")));

    let dir = tempfile::tempdir().unwrap();
    for (sub, name, file) in [
        ("cur", "1.host:2,S", "thunderbird-plain-reply.eml"),
        ("new", "2.host", "multipart-alternative.eml"),
    ] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::copy(fixture(file), dir.path().join(sub).join(name)).unwrap();
    }
    let out = mail::read_path(dir.path()).unwrap();
    let ids: Vec<_> = out.messages.iter().map(|m| m.message_id.as_deref().unwrap()).collect();
    assert_eq!(ids, [ELISE, BOB]);
}

#[test]
fn a_reply_threads_under_the_original_and_imports_back_as_nothing_new() {
    let mbox = load(&["thread.mbox"]);
    let p = plan(&mbox);
    let t = &p.threads[0];
    let last = t.comments.last().unwrap();
    let draft = ReplyDraft {
        subject: t.subject.clone().unwrap(),
        in_reply_to: Some(last.message_id.clone()),
        references: t.comments.iter().map(|c| c.message_id.clone()).collect(),
        to: t.list.clone().unwrap(),
        from: mail::Person { name: Some("Rita Reviewer".into()), address: Some("rita@example.com".into()) },
        date: Some(1_747_900_000),
        message_id: None,
        body: vec![
            ReplyPart::Text(format!(
                "Summing up the review of {}: the list finds the output provision a restriction on the use of Output, against OSD 6.",
                mail::legal_citation("2.2(b)")
            )),
            ReplyPart::Quote { clause: Some("2.2(b)".into()), text: "if you distribute a collection of Output as a dataset, you shall attach to it a notice that it was generated with the Model".into() },
        ],
    };
    let reply = mail::build_reply(&draft).unwrap();
    assert!(reply.text.lines().all(|l| l.len() <= 78));
    let parsed = mail_parser::MessageParser::default().parse(reply.text.as_bytes()).unwrap();
    assert_eq!(parsed.subject(), Some("Re: EML 2.0 submitted for approval"));
    assert_eq!(parsed.in_reply_to().as_text(), Some(CAROL));
    let refs: Vec<&str> =
        parsed.references().as_text_list().unwrap().iter().map(|r| r.as_ref()).collect();
    assert_eq!(refs, [ANA, DARIO, BOB, CAROL]);
    assert_eq!(
        parsed.to().and_then(|a| a.first()).and_then(|a| a.address()),
        Some("license-review@lists.example.org")
    );
    assert_eq!(parsed.from().and_then(|a| a.first()).and_then(|a| a.name()), Some("Rita Reviewer"));

    // Read back by lrw: one message, in the thread it answers, anchored by its citation.
    let back = mail::recover(&mail::read_bytes(reply.text.as_bytes(), "reply.eml").messages);
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].message_id.as_deref(), Some(reply.message_id.as_str()));
    let mut all = mbox.clone();
    all.extend(back.clone());
    let known = ids(&p);
    let again = plan_with(&all, &known, &existing(&p));
    assert_eq!(again.comment_count(), 1);
    assert_eq!(again.threads[0].target, ThreadTarget::Existing { thread: "t-000000".into() });
    assert!(again.threads[0].comments[0].body.contains("Section 2.2(b):\n> if you distribute"));
    // Once its id is known, nothing at all.
    let mut known = known;
    known.insert(reply.message_id.clone());
    assert_eq!(plan_with(&all, &known, &existing(&p)).comment_count(), 0);
}

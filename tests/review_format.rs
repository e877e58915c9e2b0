//! The review file format: loading, the exact bytes our writer produces, unknown keys, errors
//! with line and column, and property tests over any text in titles and comment bodies.

mod common;

use std::path::Path;

use lrw::review::{self, Anchor, Comment, Review, ReviewError, Status, Thread, Verdict, Version};
use proptest::prelude::*;

fn bundled() -> std::path::PathBuf {
    common::example_review()
}

fn problems(text: &str) -> Vec<(usize, usize, String)> {
    match review::parse(text, Path::new("r.toml")) {
        Err(ReviewError::Invalid { problems, .. }) => {
            problems.into_iter().map(|p| (p.line, p.column, p.message)).collect()
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

const MINIMAL: &str = r#"format = "lrw-review/1"
title = "T"

[[versions]]
id = "a"
path = "a.md"

[[versions]]
id = "b"
path = "b.md"

[compare]
left = "a"
right = "b"

[[threads]]
id = "t-000001"
status = "open"
verdict = "note"
criteria = []

[threads.anchor]
version = "b"
clause = "1"

[[threads.comments]]
id = "c-c81eaf"
author = "x"
at = 2025-05-14T07:09:00Z
body = "hi"
"#;

#[test]
fn bundled_review_loads_and_saves_to_the_same_bytes() {
    let path = bundled();
    let original = std::fs::read_to_string(&path).unwrap();
    let r = review::load(&path).unwrap();
    let ids: Vec<&str> = r.versions.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["website", "submitted", "revised"]);
    assert_eq!((r.compare.left.as_str(), r.compare.right.as_str()), ("website", "submitted"));
    assert!(r.threads.len() >= 6);
    let t = r.thread("t-7f3a9c").unwrap();
    assert_eq!(t.verdict, Verdict::Conflict);
    assert_eq!(
        t.anchor.as_ref().unwrap().quote.as_deref(),
        Some("a collection of Output as a dataset")
    );
    assert_eq!(t.comments[0].at, "2025-05-14T07:09:00Z");
    assert_eq!(review::to_toml(&r), original);
}

#[test]
fn bundled_review_names_texts_whose_hashes_match() {
    let r = review::load(&bundled()).unwrap();
    for v in &r.versions {
        let text = r.load_version_text(&v.id).unwrap();
        assert_eq!(Some(&text.sha256), v.sha256.as_ref(), "version {}", v.id);
    }
}

/// A file written before comments had ids: each comment gets an id from its author, time
/// and text, the same on every load (so two copies merge by it), and a save writes it.
#[test]
fn comments_without_ids_get_stable_ids_that_a_save_writes() {
    let legacy = MINIMAL.replace("id = \"c-c81eaf\"\n", "");
    let a = review::parse(&legacy, Path::new("r.toml")).unwrap();
    let b = review::parse(&legacy, Path::new("r.toml")).unwrap();
    assert_eq!(a.threads[0].comments[0].id, "c-c81eaf");
    assert_eq!(a.threads[0].comments[0].id, b.threads[0].comments[0].id);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.toml");
    std::fs::write(&path, &legacy).unwrap();
    let mut r = review::load(&path).unwrap();
    r.title = "T2".into();
    review::save(&mut r).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved, MINIMAL.replace("title = \"T\"", "title = \"T2\""));
}

#[test]
fn minimal_review_round_trips_byte_for_byte() {
    let r = review::parse(MINIMAL, Path::new("r.toml")).unwrap();
    assert_eq!(review::to_toml(&r), MINIMAL);
}

#[test]
fn unknown_keys_everywhere_survive_load_and_save() {
    let text = r#"format = "lrw-review/1"
title = "T"
zeta = 1
alpha = ["x", 2]

[[versions]]
id = "a"
path = "a.md"
mirror = "https://example.org/a.md"

[versions.meta]
fetched = 2025-01-01T00:00:00Z

[[versions]]
id = "b"
path = "b.md"

[compare]
left = "a"
right = "b"
mode = "clause"

[[threads]]
id = "t-000001"
status = "open"
verdict = "note"
criteria = []
priority = 3

[threads.anchor]
version = "b"
clause = "1"
offset = 12.5

[[threads.comments]]
id = "c-c81eaf"
author = "x"
at = 2025-05-14T07:09:00Z
body = "hi"
edited = false

[[threads.comments.reactions]]
who = "y"
emoji = "+1"

[[threads.links]]
url = "https://example.org"

[colour]
name = "blue"
"odd key" = true
tags = [{ a = 1 }, 2]

[settings]
wrap = 100

[settings.nested]
deep = "yes"
"#;
    let r = review::parse(text, Path::new("r.toml")).unwrap();
    let top: Vec<&str> = r.extra.keys().map(|k| k.as_str()).collect();
    assert_eq!(top, ["zeta", "alpha", "colour", "settings"]);
    assert_eq!(r.versions[0].extra["mirror"].as_str(), Some("https://example.org/a.md"));
    assert_eq!(r.compare.extra["mode"].as_str(), Some("clause"));
    assert_eq!(r.threads[0].extra["priority"].as_integer(), Some(3));
    assert_eq!(r.threads[0].anchor.as_ref().unwrap().extra["offset"].as_float(), Some(12.5));
    assert_eq!(r.threads[0].comments[0].extra["edited"].as_bool(), Some(false));
    // What we write is exactly what was there (this file is in our own layout).
    assert_eq!(review::to_toml(&r), text);
    // And the values are equal as TOML.
    let a: toml::Table = toml::from_str(text).unwrap();
    let b: toml::Table = toml::from_str(&review::to_toml(&r)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn unknown_keys_in_another_layout_keep_their_values() {
    // An inline table becomes a section and a table in the middle moves to the end; the
    // values stay the same.
    let text = MINIMAL
        .replace("title = \"T\"", "title = \"T\"\ninline = { a = 1 }")
        .replace("[compare]", "[extra.table]\nk = 1\n\n[compare]")
        + "\n[[threads.comments]]\nid = \"c-9106d1\"\nauthor = \"y\"\nat = 2025-05-15T07:09:00Z\nbody = \"\"\"\nline\n\"\"\"\nx = { a = [1, 2] }\n";
    let r = review::parse(&text, Path::new("r.toml")).unwrap();
    let written = review::to_toml(&r);
    let a: toml::Table = toml::from_str(&text).unwrap();
    let b: toml::Table = toml::from_str(&written).unwrap();
    assert_eq!(a, b);
    // Written twice gives the same bytes.
    let again = review::parse(&written, Path::new("r.toml")).unwrap();
    assert_eq!(review::to_toml(&again), written);
}

#[test]
fn syntax_error_names_line_and_column() {
    let broken = MINIMAL.replace("verdict = \"note\"", "verdict = \"note");
    let p = problems(&broken);
    assert_eq!(p.len(), 1, "{p:?}");
    // toml reports the place where the string should have ended: the end of line 19.
    assert_eq!((p[0].0, p[0].1), (19, 16), "{p:?}");
    assert_eq!(p[0].2, "invalid TOML: invalid basic string, expected `\"`");
}

#[test]
fn unknown_verdict_names_line_and_column_and_the_choices() {
    let broken = MINIMAL.replace("verdict = \"note\"", "verdict = \"maybe\"");
    assert_eq!(
        problems(&broken),
        [(
            19,
            11,
            "unknown verdict \"maybe\"; expected one of \"conforms\", \"concern\", \"conflict\", \
             \"question\", \"note\""
                .to_string()
        )]
    );
}

#[test]
fn duplicate_thread_id_names_the_second_one() {
    let second = &MINIMAL[MINIMAL.find("[[threads]]").unwrap()..];
    let text = format!("{MINIMAL}\n{second}");
    let p = problems(&text);
    assert_eq!(p.len(), 1, "{p:?}");
    // MINIMAL has 30 lines; then a blank line, `[[threads]]`, and the second id on line 33.
    assert_eq!((p[0].0, p[0].1), (33, 6), "{p:?}");
    assert_eq!(p[0].2, "duplicate thread id \"t-000001\": thread ids must be unique");
}

#[test]
fn schema_problems_are_all_reported_with_places() {
    let text = MINIMAL
        .replace("status = \"open\"", "status = \"closed\"")
        .replace("version = \"b\"", "version = \"c\"")
        .replace("at = 2025-05-14T07:09:00Z", "at = \"yesterday\"")
        .replace("criteria = []", "criteria = [1]");
    let p = problems(&text);
    let places: Vec<(usize, usize)> = p.iter().map(|x| (x.0, x.1)).collect();
    assert_eq!(places, [(18, 10), (20, 13), (23, 11), (29, 6)], "{p:?}");
    assert!(p[0].2.contains("unknown status \"closed\""));
    assert!(p[1].2.contains("expected a string, found an integer"));
    assert!(p[2].2.contains("no version with id \"c\"; expected one of \"a\", \"b\""));
    assert!(p[3].2.contains("write the time without quotes"));
}

#[test]
fn an_empty_version_path_is_named_at_its_place() {
    // Not "./: is a directory" later on: the review itself is wrong, say where.
    let p = problems(&MINIMAL.replacen("path = \"a.md\"", "path = \"\"", 1));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].0, p[0].1), (6, 8));
    assert!(p[0].2.contains("`path` is empty"), "{p:?}");
}

#[test]
fn missing_pieces_and_wrong_format_are_named() {
    let p = problems("format = \"lrw-review/2\"\ntitle = 3\n");
    let msgs: Vec<&str> = p.iter().map(|x| x.2.as_str()).collect();
    assert_eq!((p[0].0, p[0].1), (1, 10));
    assert!(msgs[0].contains("a newer lrw wrote this file"), "{msgs:?}");
    assert!(msgs[1].contains("`title`: expected a string, found an integer"), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("missing [[versions]]")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("missing [compare]")), "{msgs:?}");
}

#[test]
fn error_display_names_the_file() {
    let broken = MINIMAL.replace("verdict = \"note\"", "verdict = 7");
    let err = review::parse(&broken, Path::new("reviews/x.toml")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "reviews/x.toml:19:11: `verdict`: expected a string, found an integer"
    );
}

fn review_with(title: &str, bodies: &[String], quote: &str) -> Review {
    let mut r = Review::new("r.toml", title, Version::new("a", "a.md"), Version::new("b", "b.md"));
    let mut anchor = Anchor::clause("b", "2.2(b)");
    anchor.quote = Some(quote.to_string());
    let mut t = Thread::new(
        "t-abcdef".into(),
        Verdict::Question,
        anchor,
        Comment::now("reviewer-a", &bodies[0]),
    );
    for (i, b) in bodies.iter().enumerate().skip(1) {
        let mut c = Comment::now(if i % 2 == 0 { "reviewer-a" } else { "author" }, b);
        c.at = format!("2025-05-14T07:{:02}:00Z", i % 60);
        t.comments.push(c);
    }
    t.status = Status::Resolved;
    t.criteria = vec!["osd-6".into()];
    r.threads.push(t);
    r
}

fn nasty_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\"".to_string()),
        Just("\"\"\"".to_string()),
        Just("'''".to_string()),
        Just("\\".to_string()),
        Just("\\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2066}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{7f}\u{85}".to_string()),
        Just("\u{0}".to_string()),
        Just("é😀".to_string()),
        Just("body = \"x\"\n[[threads]]".to_string()),
        "[ -~]{0,20}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_title_body_and_quote_survive_save_and_load(
        title in nasty_text(),
        bodies in proptest::collection::vec(nasty_text(), 1..4),
        quote in nasty_text(),
    ) {
        let r = review_with(&title, &bodies, &quote);
        let text = review::to_toml(&r);
        let back = review::parse(&text, Path::new("r.toml")).unwrap();
        prop_assert_eq!(&back.title, &title);
        prop_assert_eq!(back.threads[0].anchor.as_ref().unwrap().quote.as_deref(), Some(quote.as_str()));
        let got: Vec<&str> = back.threads[0].comments.iter().map(|c| c.body.as_str()).collect();
        let want: Vec<&str> = bodies.iter().map(|b| b.as_str()).collect();
        prop_assert_eq!(got, want);
        // Stable: writing what we read gives the same bytes.
        prop_assert_eq!(review::to_toml(&back), text.clone());
        // No raw control or bidi character reaches the file.
        prop_assert!(!text.chars().any(|c| c != '\n' && lrw::text::sanitize::is_hidden(c)));
    }
}

#[test]
fn very_long_body_round_trips() {
    let body = "\"\"\"\\ \u{202e} ".repeat(50_000) + "\n";
    let r = review_with("long", std::slice::from_ref(&body), "q");
    let text = review::to_toml(&r);
    let back = review::parse(&text, Path::new("r.toml")).unwrap();
    assert_eq!(back.threads[0].comments[0].body, body);
}

/// Line indices of `text` outside multi-line strings, where a note can go above the line, and
/// whether a comment can follow the line's value.
fn note_places(text: &str) -> Vec<(usize, bool)> {
    let mut inside = false;
    let mut places = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if inside {
            inside = !line.ends_with("\"\"\"");
            continue;
        }
        if line.ends_with("= \"\"\"") {
            inside = true;
            places.push((i, false));
            continue;
        }
        places.push((i, line.contains(" = ")));
    }
    places
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Notes written by hand anywhere in a review file, then any edits saved over it: the file
    /// reads back as the edited review, and every note is still in it (in place, or moved to
    /// the end when the line it was on changed).
    #[test]
    fn notes_written_by_hand_survive_any_save(
        notes in proptest::collection::vec((any::<prop::sample::Index>(), "[a-z][ -~]{0,24}", any::<bool>()), 1..6),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4), 0..5),
    ) {
        let path = bundled();
        let canonical = std::fs::read_to_string(&path).unwrap();
        let places = note_places(&canonical);
        let mut lines: Vec<String> = canonical.lines().map(str::to_string).collect();
        let mut above: Vec<Vec<String>> = vec![Vec::new(); lines.len()];
        for (at, words, after_value) in &notes {
            let (i, can_follow) = places[at.index(places.len())];
            if *after_value && can_follow && !lines[i].contains('#') {
                lines[i] = format!("{}  # {words}", lines[i]);
            } else {
                above[i].push(format!("# {words}"));
            }
        }
        let hand: String = lines
            .iter()
            .zip(&above)
            .flat_map(|(l, a)| a.iter().chain(std::iter::once(l)))
            .map(|l| format!("{l}\n"))
            .collect();
        let mut r = review::parse(&hand, &path).unwrap();
        prop_assert_eq!(review::to_toml(&r), canonical.clone(), "notes change nothing");
        for (k, (which, kind)) in edits.iter().enumerate() {
            let n = r.threads.len();
            let t = &mut r.threads[which.index(n)];
            match kind {
                0 => t.comments.push(Comment::now("prop", &format!("edit {k}\nsecond line"))),
                1 => t.verdict = [Verdict::Conforms, Verdict::Concern, Verdict::Conflict][k % 3],
                2 => t.status = if t.status == Status::Open { Status::Resolved } else { Status::Open },
                _ => t.criteria.push(format!("osd-{}", k + 1)),
            }
        }
        let out = review::keep::rewrite(&hand, &r, &path);
        let back = review::parse(&out.text, &path).unwrap();
        prop_assert_eq!(review::to_toml(&back), review::to_toml(&r));
        for (_, words, _) in &notes {
            prop_assert!(out.text.contains(words.trim_end()), "{:?} lost:\n{}", words, out.text);
        }
        if edits.is_empty() {
            prop_assert_eq!(&out.text, &hand);
        }
    }
}

/// A table header nested thousands of levels deep: the parser stops at its recursion limit
/// without saying where; the error names the line that nests too deeply, not 1:1.
#[test]
fn a_too_deep_header_is_named_at_its_line() {
    let header = vec!["a"; 3000].join(".");
    let text = format!("format = \"lrw-review/1\"\ntitle = \"x\"\n\n[{header}]\nk = 1\n");
    let p = problems(&text);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].0, p[0].1), (4, 1), "{p:?}");
    assert!(p[0].2.contains("nested too deeply"), "{p:?}");
}

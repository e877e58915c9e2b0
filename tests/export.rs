//! `lrw export` through the real binary: snapshots of every format for the bundled example
//! review, and the properties each format promises (HTML parses and escapes, plain text stays
//! within 72 columns, JSON agrees with the Markdown, hostile text never reaches a terminal,
//! `-o` replaces the file atomically).

mod common;

use std::path::Path;

use unicode_width::UnicodeWidthStr;

const EXAMPLE: &str = "reviews/example-model-license.toml";

fn export(args: &[&str]) -> String {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let out = common::run(&all);
    common::assert_code(&out, 0);
    common::stdout(&out)
}

#[test]
fn snapshot_markdown() {
    insta::assert_snapshot!(export(&[EXAMPLE, "--format", "md"]));
}

#[test]
fn snapshot_html() {
    insta::assert_snapshot!(export(&[EXAMPLE, "--format", "html"]));
}

#[test]
fn snapshot_text() {
    insta::assert_snapshot!(export(&[EXAMPLE, "--format", "txt"]));
}

#[test]
fn snapshot_json() {
    insta::assert_snapshot!(export(&[EXAMPLE, "--format", "json"]));
}

/// `N word` pairs of the Markdown summary list, e.g. `- Anchors: 3 exact, 1 moved` gives
/// ("exact", 3), ("moved", 1); `- Threads: 7 (5 open, 2 resolved)` gives ("threads", 7) too.
fn markdown_counts(md: &str) -> Vec<(String, u64)> {
    let summary = md.split("## Summary\n").nth(1).expect("a summary section");
    let summary = summary.split("\n## ").next().unwrap_or(summary);
    let mut pairs = Vec::new();
    for line in summary.lines().filter_map(|l| l.strip_prefix("- ")) {
        let (label, rest) = line.split_once(": ").expect("`- Label: ...`");
        let words: Vec<&str> = rest.split([' ', ',', '(', ')']).filter(|w| !w.is_empty()).collect();
        if label == "Threads" || label == "Comments" {
            let n = words[0].parse::<u64>().expect("a count after the label");
            pairs.push((label.to_lowercase(), n));
        }
        for w in words.windows(2) {
            if let (Ok(n), true) = (w[0].parse::<u64>(), w[1].chars().all(char::is_alphabetic)) {
                pairs.push((w[1].to_string(), n));
            }
        }
    }
    pairs
}

#[test]
fn json_counts_match_the_markdown() {
    for extra in [&[][..], &["--open-only"][..], &["--version", "revised"][..]] {
        let mut md_args = vec![EXAMPLE, "--format", "md"];
        md_args.extend_from_slice(extra);
        let mut json_args = vec![EXAMPLE, "--format", "json"];
        json_args.extend_from_slice(extra);
        let md = export(&md_args);
        let json: serde_json::Value =
            serde_json::from_str(&export(&json_args)).expect("export --format json parses");
        let counts = json["counts"].as_object().expect("counts object");
        let pairs = markdown_counts(&md);
        assert!(pairs.len() >= 12, "too few counts in the Markdown: {pairs:?}");
        for (key, n) in &pairs {
            assert_eq!(counts.get(key).and_then(|v| v.as_u64()), Some(*n), "{key} ({extra:?})");
        }
        let threads = json["threads"].as_array().expect("threads");
        assert_eq!(threads.len() as u64, counts["threads"].as_u64().expect("n"));
        let comments: usize =
            threads.iter().map(|t| t["comments"].as_array().expect("comments").len()).sum();
        assert_eq!(comments as u64, counts["comments"].as_u64().expect("n"));
    }
}

#[test]
fn html_of_the_example_parses_without_errors() {
    let page = export(&[EXAMPLE, "--format", "html"]);
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(doc.errors, Vec::<std::borrow::Cow<str>>::new());
    let matrix = scraper::Selector::parse("table.matrix td.v-conflict").expect("selector");
    assert!(doc.select(&matrix).count() > 0, "the matrix colours conflicts");
    let changed = scraper::Selector::parse("div.clause del, div.clause ins").expect("selector");
    assert!(doc.select(&changed).count() > 0, "changed words are marked");
}

#[test]
fn text_of_the_example_stays_within_72_columns() {
    for extra in [&[][..], &["--version", "revised"][..], &["--criteria", "osd"][..]] {
        let mut args = vec![EXAMPLE, "--format", "txt"];
        args.extend_from_slice(extra);
        let txt = export(&args);
        for line in txt.lines() {
            assert!(line.width() <= 72, "{} columns: {line}", line.width());
        }
        assert!(!txt.contains("**") && !txt.contains("```"), "no Markdown in plain text");
    }
}

/// A review in a temporary folder whose texts are the bundled example texts, with one thread
/// full of hostile text and one anchored to a clause that does not exist.
fn hostile_review(dir: &Path) -> String {
    // The texts are copied in: a review reads only files of its own project.
    common::copy_dir(
        &common::fixture_root().join("texts/example-model-license"),
        &dir.join("texts"),
    );
    let website = "texts/2.0-website.md";
    let submitted = "texts/2.0-submitted.md";
    let review = format!(
        r#"format = "lrw-review/1"
title = "Hostile <b>review</b> & \"friends\" | pipes"

[[versions]]
id = "website"
path = "{website}"

[[versions]]
id = "submitted"
path = "{submitted}"

[compare]
left = "website"
right = "submitted"

[[threads]]
id = "t-aaaaaa"
status = "open"
verdict = "conflict"
criteria = ["osd-6", "made-up-1"]

[threads.anchor]
version = "submitted"
clause = "2.2(b)"

[[threads.comments]]
author = "mallory <script>"
at = 2025-05-14T07:09:00Z
body = """
<script>alert("pwned & 'owned'")</script> | a | b |
ESC here: \u001b]0;retitled\u0007 and a bidi \u202eoverride and CSI \u001b[31mred.
See https://example.org/a/really/long/url/that/goes/on/and/on/and/on/for/more/than/seventy-two/columns/surely for details.
"""

[[threads]]
id = "t-bbbbbb"
status = "open"
verdict = "question"
criteria = ["osd-6"]

[threads.anchor]
version = "website"
clause = "9.9(z)"
quote = "a passage that no version holds"

[[threads.comments]]
author = "reviewer-a"
at = 2025-05-14T07:10:00Z
body = "Where did this go?"
"#,
        website = website.replace('\\', "\\\\"),
        submitted = submitted.replace('\\', "\\\\"),
    );
    let path = dir.join("hostile.toml");
    std::fs::write(&path, review).expect("write review");
    path.display().to_string()
}

#[test]
fn hostile_text_is_escaped_and_never_reaches_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("temp dir");
    let review = hostile_review(dir.path());
    for format in ["md", "html", "txt", "json"] {
        let out = common::run(&["export", &review, "--format", format]);
        common::assert_code(&out, 0);
        assert!(!common::has_raw_control(&out.stdout), "{format}: raw control on stdout");
        let s = common::stdout(&out);
        assert!(!s.contains('\u{202e}'), "{format}: raw bidi override");
    }
    let page = export(&[&review, "--format", "html"]);
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(doc.errors, Vec::<std::borrow::Cow<str>>::new());
    let script = scraper::Selector::parse("script").expect("selector");
    assert_eq!(doc.select(&script).count(), 0);
    assert!(
        page.contains(
            "&lt;script&gt;alert(&quot;pwned &amp; &#39;owned&#39;&quot;)&lt;/script&gt;"
        )
    );
    assert!(page.contains(
        "<title>Hostile &lt;b&gt;review&lt;/b&gt; &amp; &quot;friends&quot; | pipes</title>"
    ));
    assert!(page.contains("<span class=\"ctl\" title=\"U+001B\">\u{241b}</span>"));

    let txt = export(&[&review, "--format", "txt"]);
    for line in txt.lines() {
        assert!(line.width() <= 72, "{} columns: {line}", line.width());
    }
    assert!(txt.contains("\u{241b}]0;retitled\u{2407}"));
    // The URL is longer than a line: it starts on a line of its own and is cut only there.
    let url = "https://example.org/a/really/long/url/that/goes/on/and/on/and/on/for/more/than/seventy-two/columns/surely";
    let start = txt.lines().position(|l| l.starts_with("https://example.org/")).expect("URL line");
    let lines: Vec<&str> = txt.lines().collect();
    assert_eq!(
        format!("{}{}", lines[start], lines[start + 1].split(' ').next().unwrap_or("")),
        url
    );

    let md = export(&[&review, "--format", "md"]);
    assert!(md.contains("\\<script>"), "raw HTML is escaped in Markdown");
}

#[test]
fn orphaned_and_moved_threads_are_shown_and_marked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let review = hostile_review(dir.path());
    let json: serde_json::Value =
        serde_json::from_str(&export(&[&review, "--format", "json"])).expect("JSON");
    let orphan = json["threads"]
        .as_array()
        .expect("threads")
        .iter()
        .find(|t| t["id"] == "t-bbbbbb")
        .expect("the orphaned thread is kept");
    assert_eq!(orphan["anchor_state"], "orphaned");
    assert_eq!(orphan["clause"], "9.9(z)");
    assert_eq!(json["counts"]["orphaned"], 1);
    assert!(
        export(&[&review, "--format", "md"]).contains("**orphaned**: website 9.9(z) not found")
    );
    assert!(export(&[&review, "--format", "txt"]).contains("ORPHANED: website 9.9(z) not found"));
    assert!(
        export(&[&review, "--format", "html"])
            .contains("<span class=\"badge state-orphaned\">orphaned</span>")
    );

    // The example's threads shown against the revision: some moved with the renumbering.
    let json: serde_json::Value =
        serde_json::from_str(&export(&[EXAMPLE, "--format", "json", "--version", "revised"]))
            .expect("JSON");
    let moved: Vec<&serde_json::Value> = json["threads"]
        .as_array()
        .expect("threads")
        .iter()
        .filter(|t| t["anchor_state"] == "moved")
        .collect();
    assert!(!moved.is_empty(), "some thread moved: {json:#}");
    for t in &moved {
        assert_eq!(t["moved_to"], t["clause"]);
        assert_ne!(t["anchored"]["clause"], t["clause"]);
    }
    let txt = export(&[EXAMPLE, "--format", "txt", "--version", "revised"]);
    assert!(txt.contains("MOVED: anchored at"));
}

#[test]
fn filters_leave_threads_out_and_say_so() {
    let all: serde_json::Value =
        serde_json::from_str(&export(&[EXAMPLE, "--format", "json"])).expect("JSON");
    let open: serde_json::Value =
        serde_json::from_str(&export(&[EXAMPLE, "--format", "json", "--open-only"])).expect("JSON");
    assert_eq!(open["counts"]["resolved"], 0);
    assert_eq!(open["counts"]["open"], all["counts"]["open"]);
    assert_eq!(open["filters"]["hidden_threads"].as_u64(), all["counts"]["resolved"].as_u64());
    let osd: serde_json::Value =
        serde_json::from_str(&export(&[EXAMPLE, "--format", "json", "--criteria", "osd"]))
            .expect("JSON");
    for c in osd["criteria_used"].as_array().expect("criteria") {
        assert_eq!(c["set"], "osd");
    }
}

#[test]
fn output_file_is_written_atomically_and_matches_stdout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("summary.html");
    std::fs::write(&target, "old").expect("write");
    let example = common::fixture_root().join(EXAMPLE);
    let example = example.display().to_string();
    let target_s = target.display().to_string();
    let out =
        common::run_in(dir.path(), &["export", &example, "--format", "html", "-o", &target_s]);
    common::assert_code(&out, 0);
    assert!(out.stdout.is_empty(), "nothing on stdout with -o");
    let written = std::fs::read_to_string(&target).expect("read");
    let printed =
        common::stdout(&common::run_in(dir.path(), &["export", &example, "--format", "html"]));
    assert_eq!(written, printed);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("summary.html")], "no temporary file left");
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let out = common::run(&["export", "reviews/no-such-review.toml", "--format", "md"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("no-such-review.toml"));
    let out = common::run(&["export", EXAMPLE, "--format", "md", "--version", "nope"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("no version with id `nope`"));
    let out = common::run(&["export", EXAMPLE, "--format", "md", "--criteria", "nope"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("unknown criteria set `nope`"));
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("missing/folder/out.md").display().to_string();
    let out = common::run(&["export", EXAMPLE, "--format", "md", "-o", &target]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("cannot write"));
}

/// A review whose left text is missing still exports (without clause diffs, with a warning on
/// the hash); one whose shown text is missing is refused with the file named.
#[test]
fn missing_texts_degrade_or_fail_with_the_file_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    common::copy_dir(
        &common::fixture_root().join("texts/example-model-license"),
        &dir.path().join("texts"),
    );
    let submitted = "texts/2.0-submitted.md";
    let review = |left: &str, right: &str| {
        format!(
            "format = \"lrw-review/1\"\ntitle = \"T\"\n\n[[versions]]\nid = \"old\"\npath = \"{left}\"\n\
             sha256 = \"{hash}\"\n\n[[versions]]\nid = \"new\"\npath = \"{right}\"\n\n\
             [compare]\nleft = \"old\"\nright = \"new\"\n\n[[threads]]\nid = \"t-000001\"\n\
             status = \"open\"\nverdict = \"note\"\ncriteria = []\n\n[threads.anchor]\n\
             version = \"new\"\nclause = \"2.1\"\n\n[[threads.comments]]\nauthor = \"a\"\n\
             at = 2025-05-14T07:09:00Z\nbody = \"b\"\n",
            hash = "0".repeat(64)
        )
    };
    let path = dir.path().join("left-missing.toml");
    std::fs::write(&path, review("gone.md", submitted)).expect("write");
    let path = path.display().to_string();
    let md = export(&[&path, "--format", "md"]);
    assert!(md.contains("(file unreadable)"), "{md}");
    assert!(md.contains("### Clause 2.1: note, open"), "{md}");

    let path = dir.path().join("right-missing.toml");
    std::fs::write(&path, review(submitted, "gone.md")).expect("write");
    let out = common::run(&["export", &path.display().to_string(), "--format", "md"]);
    common::assert_code(&out, 2);
    let err = common::stderr(&out);
    assert!(err.contains("right-missing.toml") && err.contains("gone.md"), "{err}");
}

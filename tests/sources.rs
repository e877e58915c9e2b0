//! Reading licenses from where they live: real web pages and office documents compared with
//! the plain text of the same license through the real binary, and fetching over HTTP from a
//! server on loopback (200, 304, redirects, 404, slow, oversized, wrong type, bad charset).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::http::{Answer, Server, answer};
use common::{assert_code, run, stderr, stdout};
use lrw::text::fetch::{self, FetchError, Options, Outcome};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources").join(name)
}

fn fixture_arg(name: &str) -> String {
    fixture(name).display().to_string()
}

/// The clause ids `lrw clauses --format json` finds in a text.
fn clause_ids(spec: &str) -> BTreeSet<String> {
    let out = run(&["clauses", spec, "--format", "json"]);
    assert_code(&out, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["clauses"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

/// What `lrw diff LEFT RIGHT --normalize --format json` says: removed clauses, the words
/// added on the right, and the whole report.
struct Diff {
    removed: Vec<String>,
    added_words: usize,
    added: Vec<String>,
}

fn diff(left: &str, right: &str) -> Diff {
    let out = run(&["diff", left, right, "--normalize", "--format", "json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let removed = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "removed")
        .map(|c| c["left"].as_str().unwrap_or("").to_string())
        .collect();
    let added = v["hunks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["added"].as_array().unwrap().iter())
        .map(|w| w["text"].as_str().unwrap().to_string())
        .collect();
    Diff { removed, added_words: v["summary"]["words_added"].as_u64().unwrap() as usize, added }
}

/// Words that only markup, scripts or styles would bring into a text.
fn assert_no_markup(added: &[String]) {
    for w in added {
        for bad in ["<", ">", "=\"", "href", "class", "function(", "{", "}", "http", "www."] {
            assert!(!w.contains(bad), "markup in the added words: {w:?}");
        }
    }
}

/// The reader `lrw inspect --format json` names, and the kinds it dropped.
fn reader(spec: &str) -> (String, Vec<String>, u64) {
    let out = run(&["inspect", spec, "--format", "json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let r = &v["reader"];
    let dropped = r["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["what"].as_str().unwrap().to_string())
        .collect();
    (r["format"].as_str().unwrap().to_string(), dropped, r["labels"].as_u64().unwrap())
}

#[test]
fn creative_commons_page_gives_the_clause_tree_of_its_plain_text() {
    let page = fixture_arg("cc-by-4.0.legalcode.en.html");
    let ids = clause_ids(&page);
    let spdx = clause_ids("spdx:CC-BY-4.0");
    // The numbers are drawn from <ol type="a|1|A|i">: 2(a)(1)(A) and 3(a)(1)(A)(iv) exist
    // only because the reader wrote them out.
    for id in ["1(k)", "2(a)(1)(A)", "2(a)(5)(B)", "3(a)(1)(A)(iv)", "5(c)", "8(d)"] {
        assert!(ids.contains(id), "{id} missing from {ids:?}");
    }
    assert!(
        ids.is_subset(&spdx),
        "ids the SPDX text lacks: {:?}",
        ids.difference(&spdx).collect::<Vec<_>>()
    );
    // The SPDX text letters "For the avoidance of doubt, this Section 6(b) ..." as 6(c);
    // the CC page keeps that sentence inside 6(b), so its 6(c)-(d) are SPDX's 6(d)-(e).
    let missing: Vec<&String> = spdx.difference(&ids).collect();
    assert_eq!(missing, ["6(e)"]);
    let d = diff("spdx:CC-BY-4.0", &page);
    assert!(d.removed.is_empty(), "removed: {:?}", d.removed);
    assert!(d.added_words < 150, "{} words added: {:?}", d.added_words, d.added);
    assert_no_markup(&d.added);
    let (format, dropped, labels) = reader(&page);
    assert_eq!(format, "html");
    for kind in ["script", "nav", "aside", "language menu", "screen-reader text"] {
        assert!(dropped.iter().any(|d| d == kind), "{kind} not in {dropped:?}");
    }
    assert_eq!(labels, 57);
}

#[test]
fn eclipse_page_with_numbers_in_the_text_is_the_plain_text() {
    let page = fixture_arg("epl-2.0.eclipse.html");
    assert_eq!(clause_ids(&page), clause_ids("spdx:EPL-2.0"));
    let d = diff("spdx:EPL-2.0", &page);
    assert!(d.removed.is_empty(), "removed: {:?}", d.removed);
    assert_eq!(d.added_words, 0, "{:?}", d.added);
    let (format, dropped, labels) = reader(&page);
    assert_eq!((format.as_str(), labels), ("html", 0));
    assert_eq!(dropped, ["style"]);
}

#[test]
fn mozilla_page_gives_the_clause_tree_of_its_plain_text() {
    let page = fixture_arg("mpl-2.0.mozilla.html");
    assert_eq!(clause_ids(&page), clause_ids("spdx:MPL-2.0"));
    let d = diff("spdx:MPL-2.0", &page);
    assert!(d.removed.is_empty(), "removed: {:?}", d.removed);
    assert!(d.added_words <= 10, "{} words added: {:?}", d.added_words, d.added);
    assert_no_markup(&d.added);
}

#[test]
fn office_documents_with_automatic_numbering_give_the_clauses_of_their_text() {
    let text =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("texts/example-model-license/2.0-website.md");
    let text = text.display().to_string();
    let want = clause_ids(&text);
    assert!(want.contains("2.2(b)") && want.contains("7.2"), "{want:?}");
    for (file, format) in [
        ("example-2.0.odt", "odt"),
        ("example-2.0.fodt", "odt"),
        ("example-2.0.docx", "docx"),
        ("example-2.0.pdf", "pdf"),
    ] {
        let doc = fixture_arg(file);
        assert_eq!(clause_ids(&doc), want, "{file}");
        let d = diff(&text, &doc);
        assert!(d.removed.is_empty(), "{file}: removed {:?}", d.removed);
        // The Markdown source's `#` marks are the only difference (not words).
        assert_eq!(d.added_words, 0, "{file}: {:?}", d.added);
        let (f, dropped, labels) = reader(&doc);
        assert_eq!(f, format, "{file}");
        if format == "pdf" {
            // Nothing numbers a PDF: its labels are text. Its running header and page
            // numbers are what was dropped.
            assert_eq!(labels, 0);
            assert_eq!(dropped, ["running header or footer line", "page number"], "{file}");
        } else {
            assert_eq!(labels, 26, "{file}: numbers from the list definitions");
        }
    }
}

#[test]
fn pdf_hyphenation_is_rejoined_and_scans_are_refused() {
    let out = run(&["inspect", &fixture_arg("example-2.0.pdf")]);
    let report = stdout(&out);
    assert!(report.contains("word(s) hyphenated at a line end rejoined"), "{report}");
    let out = run(&["clauses", &fixture_arg("scanned.pdf")]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("scanned.pdf") && err.contains("no text layer") && err.contains("OCR"),
        "{err}"
    );
}

#[test]
fn a_broken_docx_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("example-2.0.docx")).unwrap();
    let broken = dir.path().join("submitted.docx");
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    let out = run(&["diff", "spdx:MIT", &broken.display().to_string()]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("submitted.docx") && err.contains("ZIP container is broken"), "{err}");
    assert!(!common::has_raw_control(&out.stderr));
}

#[test]
fn cut_documents_give_an_error_or_a_text_never_a_panic() {
    use lrw::text::source::Hint;
    for name in ["example-2.0.docx", "example-2.0.odt", "example-2.0.pdf", "mpl-2.0.mozilla.html"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let n = bytes.len();
        for cut in [0, 1, 5, 40, 300, n / 3, n / 2, n - 200, n - 1] {
            let hint = Hint { name, content_type: None };
            match lrw::text::Text::from_document(name, bytes[..cut].to_vec(), &hint) {
                Ok(t) => assert!(
                    !common::has_raw_control(t.content.as_bytes()) || name.ends_with(".pdf")
                ),
                Err(e) => {
                    let msg = e.to_string();
                    assert!(msg.starts_with(name) && !msg.contains('\n'), "{cut}: {msg}");
                }
            }
        }
    }
}

// ---- fetching, from a server on loopback ----

const MPL_ETAG: &str = "\"mpl-v1\"";
const MPL_LAST_MODIFIED: &str = "Wed, 21 Oct 2015 07:28:00 GMT";

fn routes(path: &str, headers: &[(String, String)]) -> Answer {
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    match path {
        "/MPL/2.0/" => {
            if header("if-none-match") == Some(MPL_ETAG) {
                return answer("304 Not Modified", &[("ETag", MPL_ETAG)], b"");
            }
            let body = std::fs::read(fixture("mpl-2.0.mozilla.html")).unwrap();
            answer(
                "200 OK",
                &[
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("ETag", MPL_ETAG),
                    ("Last-Modified", MPL_LAST_MODIFIED),
                ],
                &body,
            )
        }
        "/license.docx" => answer(
            "200 OK",
            &[("Content-Type", "application/octet-stream")],
            &std::fs::read(fixture("example-2.0.docx")).unwrap(),
        ),
        "/old" => answer("301 Moved Permanently", &[("Location", "/go/../MPL/2.0/")], b""),
        "/to-file" => answer("302 Found", &[("Location", "file:///etc/passwd")], b""),
        "/loop" => answer("302 Found", &[("Location", "/loop")], b""),
        "/logo.png" => answer("200 OK", &[("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n"),
        "/latin1" => answer(
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8")],
            b"<p>1. Grant: caf\xe9 is not UTF-8</p>",
        ),
        "/blog" => answer(
            "200 OK",
            &[("Content-Type", "text/html")],
            b"<html><body><nav><a href=/>Home</a></nav><p>Our new website is live.</p>\
              <p>Read about it soon.</p></body></html>",
        ),
        "/slow" => Answer {
            delay: Duration::from_secs(4),
            ..answer("200 OK", &[("Content-Type", "text/plain")], b"1. late")
        },
        "/big" => answer("200 OK", &[("Content-Type", "text/plain")], &vec![b'a'; 4096]),
        "/big-unannounced" => answer(
            "200 OK",
            // No Content-Length: the body ends when the connection closes.
            &[("Content-Type", "text/plain"), ("Content-Length", "")],
            &vec![b'a'; 4096],
        ),
        _ => answer("404 Not Found", &[("Content-Type", "text/html")], b"<h1>Not Found</h1>"),
    }
}

#[test]
fn a_url_is_fetched_read_and_compared_without_writing_anything() {
    let server = Server::start(routes);
    let url = server.url("/MPL/2.0/");
    assert_eq!(clause_ids(&url), clause_ids("spdx:MPL-2.0"));
    let d = diff("spdx:MPL-2.0", &url);
    assert!(d.removed.is_empty(), "{:?}", d.removed);
    assert!(d.added_words <= 10);
    // A redirect within the site is followed; the text is named by the address asked.
    let out = run(&["inspect", &server.url("/old"), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["path"], server.url("/old"));
    assert_eq!(v["reader"]["format"], "html");
    assert_eq!(v["reader"]["chosen_by"], "content type");
    // A DOCX served as application/octet-stream is known by its bytes.
    let text =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("texts/example-model-license/2.0-website.md");
    assert_eq!(clause_ids(&server.url("/license.docx")), clause_ids(&text.display().to_string()));
}

#[test]
fn fetch_records_provenance_and_honours_conditions() {
    let server = Server::start(routes);
    let Outcome::Fetched(f) = fetch::fetch(&server.url("/old"), &Options::default()).unwrap()
    else {
        panic!("expected a fetched page");
    };
    assert_eq!(f.url, server.url("/old"));
    assert_eq!(f.final_url, server.url("/MPL/2.0/"));
    assert_eq!(f.etag.as_deref(), Some(MPL_ETAG));
    assert_eq!(f.last_modified.as_deref(), Some(MPL_LAST_MODIFIED));
    assert_eq!(f.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(f.bytes, std::fs::read(fixture("mpl-2.0.mozilla.html")).unwrap());
    assert_eq!(f.sha256, lrw::text::load::sha256_hex(&f.bytes));
    let at: jiff::Timestamp = f.fetched_at.parse().unwrap();
    assert!(f.fetched_at.ends_with('Z') && (jiff::Timestamp::now() - at).get_seconds().abs() < 600);
    assert_eq!(f.format(), lrw::text::source::Format::Html);
    assert_eq!(f.format().extension(), "html");
    let text = f.text().unwrap();
    assert_eq!(text.reading.as_ref().unwrap().format.as_str(), "html");
    assert!(text.content.contains("1.1. “Contributor”"));
    // Asked again with the ETag: nothing changed.
    let opts = Options { if_none_match: f.etag.clone(), ..Options::default() };
    match fetch::fetch(&f.url, &opts).unwrap() {
        Outcome::NotModified { final_url, etag, .. } => {
            assert_eq!(final_url, server.url("/MPL/2.0/"));
            assert_eq!(etag.as_deref(), Some(MPL_ETAG));
        }
        other => panic!("expected 304, got {other:?}"),
    }
    let opts = Options { if_none_match: Some("\"old\"".into()), ..Options::default() };
    assert!(matches!(fetch::fetch(&f.url, &opts).unwrap(), Outcome::Fetched(_)));
}

#[test]
fn fetch_limits_time_and_size() {
    let server = Server::start(routes);
    let opts = Options { timeout: Duration::from_millis(800), ..Options::default() };
    let started = Instant::now();
    let err = fetch::fetch(&server.url("/slow"), &opts).unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    let small = Options { max_bytes: 1024, ..Options::default() };
    for path in ["/big", "/big-unannounced"] {
        let err = fetch::fetch(&server.url(path), &small).unwrap_err();
        assert!(matches!(err, FetchError::TooLarge { limit: 1024, .. }), "{path}: {err:?}");
        assert!(err.to_string().contains("over the limit of 1024 bytes"), "{err}");
    }
    assert!(matches!(
        fetch::fetch(&server.url("/big"), &Options::default()),
        Ok(Outcome::Fetched(_))
    ));
    let err = fetch::fetch(&server.url("/loop"), &Options::default()).unwrap_err();
    assert!(matches!(err, FetchError::TooManyRedirects { limit: 5, .. }), "{err:?}");
    // Nothing listens on port 9 of loopback: refused at once.
    let err = fetch::fetch("http://127.0.0.1:9/x", &opts).unwrap_err();
    assert!(matches!(err, FetchError::Connect { .. } | FetchError::Timeout { .. }), "{err:?}");
}

#[test]
fn bad_urls_are_one_line_naming_the_source_and_exit_2() {
    let server = Server::start(routes);
    let cases = [
        ("/missing", "404 Not Found"),
        ("/to-file", "redirected to file:///etc/passwd"),
        ("/loop", "more than 5 redirects"),
        ("/logo.png", "served as image/png"),
        ("/latin1", "declares the charset utf-8 but byte 16 is not valid"),
    ];
    for (path, says) in cases {
        let url = server.url(path);
        for args in [vec!["clauses", url.as_str()], vec!["diff", "spdx:MIT", url.as_str()]] {
            let out = run(&args);
            assert_code(&out, 2);
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "{path}: {err}");
            assert!(err.starts_with(&format!("lrw: {url}")), "{path}: {err}");
            assert!(err.contains(says), "{path}: {err}");
            assert!(stdout(&out).is_empty());
        }
    }
    let out = run(&["clauses", "ftp://example.org/license.txt"]);
    assert_code(&out, 2);
}

#[test]
fn a_page_that_is_not_a_license_gets_a_warning_not_an_error() {
    let server = Server::start(routes);
    let url = server.url("/blog");
    let out = run(&["clauses", &url]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("warning:") && err.contains(&url) && err.contains("no numbered clause"),
        "{err}"
    );
    assert!(stdout(&out).contains("Our new website is live"));
    assert!(!stdout(&out).contains("Home"), "navigation dropped");
    // A short license without numbering, read from a file, is not warned about.
    let out = run(&["clauses", "spdx:MIT"]);
    assert!(!stderr(&out).contains("warning"));
}

//! Versions from where they live, and what a review may read: URLs fetched from a server on
//! loopback and stored with their provenance, `lrw refresh` adding a version exactly when the
//! page changed, outside files copied in, and paths that lead out of the project refused.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use common::http::{Server, answer};
use serde_json::Value;

/// A page that can change: its body and ETag, served at `/license.html`, answering 304 to
/// the current ETag.
#[derive(Clone)]
struct Page(Arc<Mutex<(String, String)>>);

impl Page {
    fn new(body: &str) -> Page {
        Page(Arc::new(Mutex::new((body.to_string(), "\"v1\"".to_string()))))
    }

    fn set(&self, body: &str, etag: &str) {
        *self.0.lock().unwrap() = (body.to_string(), etag.to_string());
    }

    fn serve(&self) -> Server {
        let page = self.clone();
        Server::start(move |path, headers| {
            let (body, etag) = page.0.lock().unwrap().clone();
            let inm = headers.iter().find(|(k, _)| k == "if-none-match").map(|(_, v)| v.clone());
            match path {
                "/license.html" if inm.as_deref() == Some(etag.as_str()) => {
                    answer("304 Not Modified", &[("ETag", etag.as_str())], b"")
                }
                "/license.html" => answer(
                    "200 OK",
                    &[("Content-Type", "text/html; charset=utf-8"), ("ETag", etag.as_str())],
                    body.as_bytes(),
                ),
                _ => answer("404 Not Found", &[("Content-Type", "text/plain")], b"no"),
            }
        })
    }
}

fn page(clauses: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "<html><head><title>Example License</title><script>var x = 1;</script></head><body>\
         <nav><a href=\"/\">Home</a></nav><main><h1>Example License</h1><ol>",
    );
    for (title, text) in clauses {
        s.push_str(&format!("<li><p><strong>{title}.</strong> {text}</p></li>"));
    }
    s.push_str("</ol></main><footer>Site footer</footer></body></html>");
    s
}

const GRANT: (&str, &str) =
    ("Grant", "The Licensor grants You a licence to use, copy and share the Work for any purpose.");
const CREDIT: (&str, &str) =
    ("Credit", "If You share the Work, You must keep this notice with every copy You make.");
const LAW: (&str, &str) =
    ("Law", "This licence is governed by the law of the place where the Licensor lives.");

fn json(dir: &Path, args: &[&str], code: i32) -> Value {
    let out = common::run_in(dir, args);
    common::assert_code(&out, code);
    serde_json::from_str(&common::stdout(&out)).unwrap()
}

#[test]
fn a_url_version_is_stored_with_its_provenance_and_refreshed_when_it_changes() {
    let site = Page::new(&page(&[GRANT, CREDIT]));
    let server = site.serve();
    let url = server.url("/license.html");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("texts")).unwrap();
    std::fs::write(d.join("texts/submitted.txt"), "1. Grant\n\nThe Licensor grants You a licence to use, copy and share the Work for any purpose.\n\n2. Credit\n\nIf You share the Work, You must keep this notice with every copy You make.\n").unwrap();
    let out = common::run_in(
        d,
        &[
            "new",
            "texts/submitted.txt",
            &url,
            "--no-open",
            "-o",
            "reviews/r.toml",
            "--right-id",
            "website",
        ],
    );
    common::assert_code(&out, 0);
    // The page was stored in the project and the version says where it came from.
    let r = lrw::review::load(&d.join("reviews/r.toml")).unwrap();
    let w = r.version("website").unwrap();
    assert_eq!(w.path, "../texts/fetched/website.html");
    assert!(d.join("texts/fetched/website.html").is_file());
    assert_eq!(w.source.url.as_deref(), Some(url.as_str()));
    assert_eq!(w.source.etag.as_deref(), Some("\"v1\""));
    assert_eq!(w.source.reader.as_deref(), Some("html"));
    assert!(w.source.content_type.as_deref().unwrap().starts_with("text/html"));
    assert!(w.source.fetched_at.as_deref().unwrap().ends_with('Z'));
    // Read offline as the license it shows: the clauses of the plain text.
    let check = json(d, &["check", "reviews/r.toml", "--format", "json"], 0);
    assert_eq!(check["problems"], serde_json::json!([]));
    let clauses = common::stdout(&common::run_in(d, &["clauses", "texts/fetched/website.html"]));
    assert!(
        clauses.contains("1") && clauses.contains("Grant") && clauses.contains("Credit"),
        "{clauses}"
    );

    // A thread on the website's credit clause.
    let out = common::run_in(
        d,
        &[
            "thread",
            "add",
            "reviews/r.toml",
            "--clause",
            "2",
            "--version",
            "website",
            "--quote",
            "keep this notice",
            "--body",
            "Fine.",
        ],
    );
    common::assert_code(&out, 0);
    let thread = common::stdout(&out).trim().to_string();

    // Unchanged: the server says 304; nothing is written.
    let before = std::fs::read(d.join("reviews/r.toml")).unwrap();
    let v = json(d, &["refresh", "reviews/r.toml", "--format", "json"], 0);
    assert_eq!(v["versions"][0]["status"], "unchanged", "{v}");
    assert_eq!(std::fs::read(d.join("reviews/r.toml")).unwrap(), before);

    // The page changes: a clause is inserted before the credit clause.
    site.set(&page(&[GRANT, LAW, CREDIT]), "\"v2\"");
    let dry = json(d, &["refresh", "reviews/r.toml", "--dry-run", "--format", "json"], 0);
    assert_eq!(dry["versions"][0]["status"], "changed");
    assert_eq!(
        std::fs::read(d.join("reviews/r.toml")).unwrap(),
        before,
        "a dry run writes nothing"
    );
    let out = common::run_in(d, &["refresh", "reviews/r.toml"]);
    common::assert_code(&out, 0);
    let text = common::stdout(&out);
    let r = lrw::review::load(&d.join("reviews/r.toml")).unwrap();
    let added = r.versions.last().unwrap();
    assert!(added.id.starts_with("website-20"), "{}", added.id);
    assert!(text.contains(&format!("added as version {}", added.id)), "{text}");
    assert!(text.contains("added") && text.contains("2 -> 3"), "clause changes: {text}");
    assert_eq!(added.source.etag.as_deref(), Some("\"v2\""));
    assert_eq!(r.compare.right, added.id, "the new text is shown in the old one's place");
    assert!(r.version("website").is_some(), "the old version stays");
    // The thread lands on the credit clause, now 3.
    let p = json(
        d,
        &["thread", "list", "reviews/r.toml", "--version", &added.id, "--format", "json"],
        0,
    );
    let t = p["threads"].as_array().unwrap().iter().find(|t| t["id"] == thread).unwrap();
    assert_eq!(t["to"]["clause"], "3", "{t}");
    // Refreshing again finds nothing new.
    let v = json(d, &["refresh", "reviews/r.toml", "--version", &added.id, "--format", "json"], 0);
    assert_eq!(v["versions"][0]["status"], "unchanged", "{v}");
}

#[test]
fn url_and_refresh_failures_are_one_line_and_write_nothing() {
    let site = Page::new(&page(&[GRANT]));
    let server = site.serve();
    let (dir, review) = common::example_copy();
    let d = dir.path();
    let before = std::fs::read(&review).unwrap();
    let r = "reviews/example-model-license.toml";
    let missing = server.url("/missing");
    for (args, want) in [
        (vec!["version", "add", r, missing.as_str(), "--id", "web"], "404"),
        (vec!["refresh", r, "--version", "website"], "was not fetched from a URL"),
        (vec!["refresh", r, "--version", "nope"], "no version with id `nope`"),
    ] {
        let out = common::run_in(d, &args);
        common::assert_code(&out, 2);
        let err = common::stderr(&out);
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert_eq!(std::fs::read(&review).unwrap(), before);
    }
    assert!(!d.join("texts/fetched").exists(), "nothing stored for a failed fetch");
}

/// A review from someone else names files outside its project, or a pipe: they are refused
/// with a message naming the version and the path, and never read.
#[test]
fn a_review_cannot_make_lrw_read_outside_its_project() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "1. Secret\n\nTOP-SECRET-TOKEN\n").unwrap();
    let (dir, review) = common::example_copy();
    let d = dir.path();
    // Make the project a git work tree, as a clone would be.
    std::fs::create_dir(d.join(".git")).unwrap();
    let text = std::fs::read_to_string(&review).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, d.join("texts/link.txt")).unwrap();
    let fifo = d.join("texts/fifo.txt");
    #[cfg(unix)]
    let made_fifo =
        std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    for (path, want) in [
        (secret.display().to_string(), "is outside the review's project"),
        (
            "../../../../../../../../proc/self/environ".to_string(),
            "is outside the review's project",
        ),
        ("../texts/link.txt".to_string(), "is outside the review's project"),
        ("../texts/fifo.txt".to_string(), "not a regular file"),
    ] {
        if path.contains("fifo") && !made_fifo {
            eprintln!("note: mkfifo failed; the FIFO case is skipped");
            continue;
        }
        let hostile = text.replacen(
            "path = \"../texts/example-model-license/2.1-submitted.md\"",
            &format!("path = {path:?}"),
            1,
        );
        std::fs::write(&review, hostile).unwrap();
        for args in [
            vec!["check", "reviews/example-model-license.toml"],
            vec![
                "export",
                "reviews/example-model-license.toml",
                "--format",
                "txt",
                "--version",
                "revised",
            ],
            vec!["reanchor", "reviews/example-model-license.toml", "--to", "revised"],
        ] {
            let out = common::run_in(d, &args);
            assert_ne!(out.status.code(), Some(0), "{args:?} with {path}");
            let all = format!("{}{}", common::stdout(&out), common::stderr(&out));
            assert!(!all.contains("TOP-SECRET-TOKEN"), "{args:?} read {path}: {all}");
            assert!(
                all.contains("version revised") && all.contains(want),
                "{args:?} {path}: {all}"
            );
        }
    }
}

/// `lrw version add` with a file outside the project copies it into texts/ and records where
/// it came from; the review then reads the copy.
#[test]
fn an_outside_file_is_copied_in_with_its_origin() {
    let outside = tempfile::tempdir().unwrap();
    let src = outside.path().join("proposal.txt");
    std::fs::write(&src, "1. Grant\n\nYou may use it.\n").unwrap();
    let (dir, review) = common::example_copy();
    let d = dir.path();
    std::fs::create_dir(d.join(".git")).unwrap();
    let out = common::run_in(
        d,
        &[
            "version",
            "add",
            "reviews/example-model-license.toml",
            src.to_str().unwrap(),
            "--id",
            "proposal",
        ],
    );
    common::assert_code(&out, 0);
    let r = lrw::review::load(&review).unwrap();
    let v = r.version("proposal").unwrap();
    assert_eq!(v.path, "../texts/proposal.txt");
    assert_eq!(v.source.origin.as_deref(), Some(src.canonicalize().unwrap().to_str().unwrap()));
    assert_eq!(
        std::fs::read_to_string(d.join("texts/proposal.txt")).unwrap(),
        "1. Grant\n\nYou may use it.\n"
    );
    let out = common::run_in(d, &["check", "reviews/example-model-license.toml"]);
    common::assert_code(&out, 0);
}

/// Input that is not text is refused at once, as diff says "Binary files differ", rather than
/// compared for seconds; UTF-16 without a byte-order mark is read as UTF-16, not as text full
/// of NULs.
#[test]
fn binary_input_is_refused_and_utf16_without_bom_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut rng = fastrand::Rng::with_seed(7);
    let noise: Vec<u8> = (0..1 << 20).map(|_| rng.u8(..)).collect();
    std::fs::write(d.join("a.bin"), &noise).unwrap();
    std::fs::write(d.join("b.bin"), noise.iter().rev().copied().collect::<Vec<u8>>()).unwrap();
    let start = std::time::Instant::now();
    for args in [vec!["diff", "a.bin", "b.bin"], vec!["similar", "a.bin"]] {
        let out = common::run_in(d, &args);
        common::assert_code(&out, 2);
        assert!(
            common::stderr(&out).contains("a.bin: not text (it holds NUL bytes)"),
            "{}",
            common::stderr(&out)
        );
    }
    eprintln!("note: refused in {:?} (not asserted)", start.elapsed());
    let utf16: Vec<u8> =
        "1. Grant\n\nYou may use it.\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(d.join("le.txt"), &utf16).unwrap();
    let out = common::run_in(d, &["inspect", "le.txt", "--format", "json"]);
    let v: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(v["encoding"], "utf-16le", "{v}");
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0), "{v}");
    let out = common::run_in(d, &["clauses", "le.txt"]);
    common::assert_code(&out, 0);
    assert!(common::stdout(&out).contains("Grant"), "{}", common::stdout(&out));
}

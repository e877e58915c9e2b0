//! One self-contained HTML page: inline CSS, no scripts, nothing fetched from the network,
//! printable. Every text from the review is escaped, and characters that would be invisible
//! or act on a reader (controls, bidi overrides, zero-width characters) are shown as visible
//! markers, as in the terminal.

use std::fmt::Write;

use super::human_time;
use super::report::{AnchorState, DiffTag, Report, Status, ThreadReport, Verdict, VersionInfo};

const STYLE: &str = "\
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif; color: #1b1b1b;
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
.facts { color: #555; margin-top: 0; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #bbb; padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; }
.hash { word-break: break-all; }
td.date { white-space: nowrap; }
code, .hash { font-family: ui-monospace, \"SFMono-Regular\", Menlo, Consolas, monospace; font-size: .9em; }
.warn { color: #8a1c00; font-weight: 600; }
.matrix td.v { text-align: center; }
.v-conflict { background: #f6c6c6; color: #6d0000; font-weight: 700; }
.v-concern { background: #fde2bf; color: #6b3a00; font-weight: 600; }
.v-question { background: #dbe6fb; color: #13386e; }
.v-conforms { background: #d5efd5; color: #14501a; }
.v-note { background: #ececec; color: #333; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: .3rem; font-size: .85em;
  border: 1px solid #999; }
.state-moved { background: #e6defa; border-color: #7a5cc7; }
.state-changed { background: #fff2b3; border-color: #b39400; }
.state-orphaned { background: #f6c6c6; border-color: #a40000; }
.status-resolved { background: #d5efd5; border-color: #3a8a3a; }
.thread { border: 1px solid #ccc; border-left: 4px solid #888; border-radius: .3rem;
  padding: .6rem .9rem; margin: 1rem 0; }
.thread.t-conflict { border-left-color: #c00000; }
.thread.t-concern { border-left-color: #d97800; }
.thread.t-question { border-left-color: #2b62c4; }
.thread.t-conforms { border-left-color: #2f8f3a; }
.thread dl { display: grid; grid-template-columns: max-content auto; gap: .1rem .8rem; margin: .3rem 0; }
.thread dt { color: #555; }
.thread dd { margin: 0; }
blockquote.quote { margin: .5rem 0; padding: .3rem .8rem; border-left: 3px solid #999; background: #f7f7f7; }
.clause { white-space: pre-wrap; overflow-wrap: anywhere; font-family: Georgia, \"Times New Roman\", serif; background: #fafafa;
  border: 1px solid #e2e2e2; padding: .5rem .8rem; margin: .5rem 0; }
del { background: #f9c9c9; color: #6d0000; }
ins { background: #c9efc9; color: #0d4d12; text-decoration: none; }
del + ins { margin-left: .2em; }
.comment { border-top: 1px dashed #ccc; padding-top: .4rem; margin-top: .5rem; }
.comment .meta { color: #555; margin: 0; }
.comment .body { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0 .2rem 1rem; }
.ctl { color: #a40000; background: #ffe8e8; border: 1px solid #e0a0a0; border-radius: 2px; font-size: .85em; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  .wide { overflow: visible; }
  h2 { break-after: avoid; }
  .thread, tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

/// Render the report as one self-contained HTML page.
pub fn html(r: &Report) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"lrw export\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc_plain(&r.title)
    );
    let _ = writeln!(o, "<header>\n<h1>{}</h1>", esc(&r.title));
    let mut facts = Vec::new();
    if let Some(l) = &r.license {
        facts.push(format!("License: {}", esc(l)));
    }
    facts.push(format!("Review: <code>{}</code>", esc(&r.review)));
    facts.push(format!("Anchors shown against: <strong>{}</strong>", esc(&r.shown_against)));
    if r.filters.open_only {
        facts.push("Only open threads".into());
    }
    if let Some(set) = &r.filters.criteria_set {
        facts.push(format!("Only criteria of the set <code>{}</code>", esc(set)));
    }
    if r.filters.hidden_threads > 0 {
        facts.push(format!("{} thread(s) left out by the filters", r.filters.hidden_threads));
    }
    let _ = writeln!(o, "<p class=\"facts\">{}</p>\n</header>", facts.join(" · "));

    versions(&mut o, &r.versions);
    summary(&mut o, r);
    matrix(&mut o, r);
    per_criterion(&mut o, r);
    definitions(&mut o, r);

    let _ = writeln!(o, "<section>\n<h2>Threads</h2>");
    if r.threads.is_empty() {
        let _ = writeln!(o, "<p>No threads.</p>");
    }
    for (i, t) in r.threads.iter().enumerate() {
        thread(&mut o, i, t, r);
    }
    let _ = writeln!(o, "</section>\n</body>\n</html>");
    o
}

fn versions(o: &mut String, versions: &[VersionInfo]) {
    let _ = writeln!(
        o,
        "<section>\n<h2>Compared versions</h2>\n<div class=\"wide\">\n<table>\n\
         <tr><th>Side</th><th>Version</th><th>Path</th><th>SHA-256</th><th>Date</th></tr>"
    );
    for v in versions {
        let hash = match (&v.sha256, &v.file_sha256) {
            (Some(rec), Some(now)) if v.hash_mismatch() => format!(
                "<span class=\"hash\">{}</span><br><span class=\"warn\">file now \
                 <span class=\"hash\">{}</span>: changed since recorded</span>",
                esc(rec),
                esc(now)
            ),
            (Some(rec), None) => format!(
                "<span class=\"hash\">{}</span><br><span class=\"warn\">file unreadable</span>",
                esc(rec)
            ),
            (Some(h), _) | (None, Some(h)) => format!("<span class=\"hash\">{}</span>", esc(h)),
            (None, None) => "unknown".into(),
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{hash}</td><td class=\"date\">{}</td></tr>",
            esc(&v.role),
            esc(&v.id),
            esc(&v.path),
            v.date.as_deref().map(esc).unwrap_or_else(|| "unknown".into())
        );
    }
    let _ = writeln!(o, "</table>\n</div>\n</section>");
}

fn summary(o: &mut String, r: &Report) {
    let c = &r.counts;
    let verdicts: Vec<String> = Verdict::WORST_FIRST
        .iter()
        .map(|v| format!("{} <span class=\"v-{1}\">{1}</span>", c.verdict(*v), v.as_str()))
        .collect();
    let _ = writeln!(
        o,
        "<section>\n<h2>Summary</h2>\n<ul>\n\
         <li>Threads: {} ({} open, {} resolved)</li>\n<li>Comments: {}</li>\n\
         <li>Anchors: {} exact, {} moved, {} changed, {} orphaned</li>\n\
         <li>Verdicts: {}</li>\n</ul>\n</section>",
        c.threads,
        c.open,
        c.resolved,
        c.comments,
        c.exact,
        c.moved,
        c.changed,
        c.orphaned,
        verdicts.join(", ")
    );
}

fn matrix(o: &mut String, r: &Report) {
    let _ = writeln!(o, "<section>\n<h2>Clauses and criteria</h2>");
    if r.matrix.is_empty() {
        let _ = writeln!(o, "<p>No clauses with threads.</p>\n</section>");
        return;
    }
    let _ = write!(o, "<div class=\"wide\">\n<table class=\"matrix\">\n<tr><th>Clause</th>");
    for c in &r.criteria_used {
        match &c.title {
            Some(t) => {
                let _ = write!(o, "<th title=\"{}\">{}</th>", esc_plain(t), esc(&c.id));
            }
            None => {
                let _ = write!(o, "<th>{}</th>", esc(&c.id));
            }
        }
    }
    let _ = writeln!(o, "<th>Worst</th><th>Open</th><th>Resolved</th></tr>");
    for row in &r.matrix {
        let clause = if row.orphaned {
            format!("{} <span class=\"badge state-orphaned\">orphaned</span>", esc(&row.clause))
        } else {
            esc(&row.clause)
        };
        let _ = write!(o, "<tr><th>{clause}</th>");
        for cell in &row.cells {
            match cell {
                Some(v) => {
                    let _ = write!(o, "<td class=\"v v-{0}\">{0}</td>", v.as_str());
                }
                None => o.push_str("<td class=\"v\"></td>"),
            }
        }
        let _ = writeln!(
            o,
            "<td class=\"v v-{0}\">{0}</td><td class=\"num\">{1}</td><td class=\"num\">{2}</td></tr>",
            row.worst.as_str(),
            row.open,
            row.resolved
        );
    }
    let _ = writeln!(o, "</table>\n</div>\n</section>");
}

/// The defined terms that changed between the compared versions.
fn definitions(o: &mut String, r: &Report) {
    if r.definitions_changed.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<section>\n<h2>Definitions changed ({} → {})</h2>\n<ul>",
        esc(&r.diff_from),
        esc(&r.diff_to)
    );
    for d in &r.definitions_changed {
        let _ = writeln!(o, "<li>{}</li>", esc(&super::definition_line(d)));
    }
    let _ = writeln!(o, "</ul>\n</section>");
}

fn per_criterion(o: &mut String, r: &Report) {
    let _ = writeln!(o, "<section>\n<h2>By criterion</h2>");
    if r.per_criterion.is_empty() {
        let _ = writeln!(o, "<p>No criteria raised.</p>\n</section>");
        return;
    }
    let _ = writeln!(
        o,
        "<div class=\"wide\">\n<table>\n\
         <tr><th>Criterion</th><th>Title</th><th>Clauses</th><th>Open</th><th>Resolved</th>\
         <th>Worst</th></tr>"
    );
    for s in &r.per_criterion {
        let clauses: Vec<String> = s.clauses.iter().map(|c| esc(c)).collect();
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"v-{5}\">{5}</td></tr>",
            esc(&s.criterion.id),
            s.criterion.title.as_deref().map(esc).unwrap_or_else(|| "(unknown)".into()),
            clauses.join(", "),
            s.open,
            s.resolved,
            s.worst.as_str()
        );
    }
    let _ = writeln!(o, "</table>\n</div>\n</section>");
}

fn thread(o: &mut String, index: usize, t: &ThreadReport, r: &Report) {
    let _ = writeln!(
        o,
        "<article class=\"thread t-{}\" id=\"thread-{}\">",
        t.verdict.as_str(),
        index + 1
    );
    let state = match t.anchor_state {
        AnchorState::Exact => String::new(),
        s => format!(" <span class=\"badge state-{0}\">{0}</span>", s.as_str()),
    };
    let status_class = match t.status {
        Status::Open => "status-open",
        Status::Resolved => "status-resolved",
    };
    let _ = writeln!(
        o,
        "<h3>{} <span class=\"badge v-{1}\">{1}</span> <span class=\"badge {status_class}\">{2}</span>{state} \
         <code>{3}</code></h3>",
        esc(t.heading()),
        t.verdict.as_str(),
        t.status.as_str(),
        esc(&t.id)
    );
    let _ = writeln!(o, "<dl>");
    let at = esc(&t.anchored_at());
    let anchor = match t.anchor_state {
        AnchorState::Exact => format!("exact, anchored at {at}"),
        AnchorState::Changed => {
            format!("changed: the clause text changed since it was anchored at {at}")
        }
        AnchorState::Moved => format!(
            "moved: anchored at {at}, now {}",
            esc(t.moved_to.as_deref().unwrap_or(&t.clause))
        ),
        AnchorState::Orphaned => format!("orphaned: {at} not found in {}", esc(&r.shown_against)),
        AnchorState::Unanchored => "about the review as a whole (no clause)".to_string(),
    };
    let _ = writeln!(o, "<dt>Anchor</dt><dd>{anchor}</dd>");
    if !t.uses_changed_terms.is_empty() {
        let terms: Vec<String> = t.uses_changed_terms.iter().map(|s| esc(s)).collect();
        let _ = writeln!(o, "<dt>Uses changed definitions</dt><dd>{}</dd>", terms.join(", "));
    }
    if !t.criteria.is_empty() {
        let crits: Vec<String> = t
            .criteria
            .iter()
            .map(|c| match &c.title {
                Some(title) => format!("<code>{}</code> {}", esc(&c.id), esc(title)),
                None => format!("<code>{}</code>", esc(&c.id)),
            })
            .collect();
        let _ = writeln!(o, "<dt>Criteria</dt><dd>{}</dd>", crits.join("; "));
    }
    if let Some(ch) = t.clause_change {
        let _ = writeln!(
            o,
            "<dt>Clause</dt><dd>{} from {} to {}</dd>",
            ch.as_str(),
            esc(&r.diff_from),
            esc(&r.diff_to)
        );
    }
    let _ = writeln!(o, "</dl>");
    if let Some(q) = &t.quote {
        let _ = writeln!(o, "<blockquote class=\"quote\">{}</blockquote>", esc(q));
    }
    if !t.clause_diff.is_empty() {
        let (left, right) = (r.diff_from.as_str(), r.diff_to.as_str());
        let _ = write!(
            o,
            "<p>{}, changes from {} to {}:</p>\n<div class=\"clause\">",
            esc(&t.excerpt_caption()),
            esc(left),
            esc(right)
        );
        for span in &t.clause_diff {
            match span.tag {
                DiffTag::Equal => o.push_str(&esc(&span.text)),
                DiffTag::Delete => {
                    let _ = write!(o, "<del>{}</del>", esc(&span.text));
                }
                DiffTag::Insert => {
                    let _ = write!(o, "<ins>{}</ins>", esc(&span.text));
                }
            }
        }
        let _ = writeln!(o, "</div>");
    } else if let Some(text) = &t.clause_text {
        let _ = writeln!(
            o,
            "<p>{}:</p>\n<div class=\"clause\">{}</div>",
            esc(&t.excerpt_caption()),
            esc(text.trim_end())
        );
    }
    for c in &t.comments {
        let edited = match &c.edited_at {
            Some(e) => format!(" · edited {}", time(e)),
            None => String::new(),
        };
        let _ = writeln!(
            o,
            "<div class=\"comment\">\n<p class=\"meta\"><strong>{}</strong> · {}{edited}</p>\n\
             <div class=\"body\">{}</div>\n</div>",
            esc(&c.author),
            time(&c.at),
            esc(c.body.trim_end())
        );
    }
    if !t.events.is_empty() {
        let _ = writeln!(o, "<ul class=\"events\">");
        for e in &t.events {
            let _ = writeln!(o, "<li>{} · {}</li>", esc(&e.describe()), time(&e.at));
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "</article>");
}

/// A comment time: a `<time>` element when it is a valid timestamp, else the text as written.
fn time(at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(_) => format!("<time datetime=\"{}\">{}</time>", esc_plain(at), esc(&human_time(at))),
        Err(_) => esc(at),
    }
}

/// Escape text for `<title>` and attribute values, where markup would show literally:
/// hidden characters become plain-text markers.
fn esc_plain(s: &str) -> String {
    esc_html(&crate::text::sanitize_line(&s.replace(['\r', '\n'], " ")))
}

/// The entity for one of the five HTML-special characters.
fn entity(c: char) -> Option<&'static str> {
    Some(match c {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        _ => return None,
    })
}

/// Escape the five HTML-special characters (nothing else).
fn esc_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match entity(c) {
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
    }
    out
}

/// Escape text for HTML content. Controls, invisible characters and
/// noncharacters become visible markers (HTML parsers reject some of them, and a bidi
/// override would make the page show other words than the file holds); CR LF becomes LF.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(e) = entity(c) {
            out.push_str(e);
            continue;
        }
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            _ => {
                let cp = c as u32;
                let nonchar = (0xFDD0..=0xFDEF).contains(&cp) || cp & 0xFFFE == 0xFFFE;
                match crate::text::sanitize::marker(c) {
                    Some(m) => {
                        let _ = write!(out, "<span class=\"ctl\" title=\"U+{cp:04X}\">{m}</span>");
                    }
                    None if nonchar => {
                        let _ = write!(
                            out,
                            "<span class=\"ctl\" title=\"U+{cp:04X}\">\u{27E8}U+{cp:04X}\u{27E9}</span>"
                        );
                    }
                    None => out.push(c),
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;

    #[test]
    fn snapshot_of_the_sample() {
        insta::assert_snapshot!(html(&sample::report()));
    }

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(esc("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
        assert_eq!(esc("a\u{1b}b"), "a<span class=\"ctl\" title=\"U+001B\">\u{241b}</span>b");
        assert!(esc("\u{202e}").contains("\u{27e8}U+202E\u{27e9}"));
        assert!(esc("\u{fffe}").contains("U+FFFE"));
        let page = html(&sample::report());
        assert!(page.contains(
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;"
        ));
        assert!(!page.contains("<script"));
        assert!(!page.contains('\u{1b}') && !page.contains('\u{202e}') && !page.contains('\u{7}'));
        assert!(page.contains("<del>share</del><ins>distribute</ins>"));
        assert!(!page.contains("src=") && !page.contains("<link") && !page.contains("url("));
    }

    #[test]
    fn parses_without_errors() {
        let page = html(&sample::report());
        let doc = scraper::Html::parse_document(&page);
        assert_eq!(doc.errors, Vec::<std::borrow::Cow<str>>::new());
        let script = scraper::Selector::parse("script").expect("selector");
        assert_eq!(doc.select(&script).count(), 0);
        let del = scraper::Selector::parse("div.clause del").expect("selector");
        assert_eq!(doc.select(&del).count(), 1);
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use crate::export::sample;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Whatever the review holds, the page parses without errors and holds no element
        /// that came from the review's text.
        #[test]
        fn any_text_parses_cleanly(
            body in "(\\PC|[<>&\"'\\t\\r\\n\\u{0}\\u{1b}\\u{85}\\u{202e}\\u{fdd0}\\u{fffe}]){0,200}",
            id in "\\PC{0,30}",
        ) {
            let mut r = sample::report();
            r.threads[0].comments[0].body = body.clone();
            r.threads[0].comments[0].author = body.clone();
            r.threads[1].clause_text = Some(body.clone());
            r.title = body.clone();
            r.criteria_used[0].id = id.clone();
            r.criteria_used[0].title = Some(body);
            r.threads[2].clause = id;
            let page = html(&r);
            let doc = scraper::Html::parse_document(&page);
            prop_assert!(doc.errors.is_empty(), "{:?}", doc.errors);
            let any = scraper::Selector::parse("script, img, a, iframe, link").expect("selector");
            prop_assert_eq!(doc.select(&any).count(), 0);
        }
    }
}

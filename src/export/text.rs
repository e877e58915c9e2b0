//! Plain text for a mailing list: wrapped at [`WIDTH`] columns, license text quoted with
//! `> `, threads written as a post and its replies, nothing that needs Markdown to be read.
//!
//! No line is wider than [`WIDTH`] display columns: words move to the next line whole (a
//! URL gets a line of its own), and only a single token longer than a line is cut.

use std::fmt::Write;

use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};
use unicode_width::UnicodeWidthStr;

use super::report::{AnchorState, DiffTag, Report, ThreadReport, Verdict};
use super::{clean, clean_line, human_time, short_hash};

/// Line width of the plain-text export, the usual limit for mail.
pub const WIDTH: usize = 72;

/// Render the report as plain text for a mailing list.
pub fn text(r: &Report) -> String {
    let mut o = String::new();
    heading(&mut o, &r.title, '=');
    if let Some(l) = &r.license {
        para(&mut o, &format!("License: {l}"), "", "    ");
    }
    para(&mut o, &format!("Review: {}", r.review), "", "    ");
    para(&mut o, &format!("Anchors shown against: {}", r.shown_against), "", "    ");
    if r.filters.open_only {
        para(&mut o, "Only open threads are shown.", "", "");
    }
    if let Some(set) = &r.filters.criteria_set {
        para(&mut o, &format!("Only criteria of the set {set} are shown."), "", "");
    }
    if r.filters.hidden_threads > 0 {
        para(
            &mut o,
            &format!("{} thread(s) left out by the filters.", r.filters.hidden_threads),
            "",
            "",
        );
    }
    o.push('\n');

    heading(&mut o, "Compared versions", '-');
    for v in &r.versions {
        let date = v.date.as_deref().map(|d| format!(", {d}")).unwrap_or_default();
        para(&mut o, &format!("* {} ({}{date})", v.id, v.role), "", "  ");
        para(&mut o, &v.path, "  ", "  ");
        let hash = match (&v.sha256, &v.file_sha256) {
            (Some(rec), Some(now)) if v.hash_mismatch() => format!(
                "sha256 {} recorded, file now {}: changed since recorded",
                short_hash(rec),
                short_hash(now)
            ),
            (Some(rec), None) => format!("sha256 {} recorded, file unreadable", short_hash(rec)),
            (Some(h), _) | (None, Some(h)) => format!("sha256 {}", short_hash(h)),
            (None, None) => "sha256 unknown".into(),
        };
        para(&mut o, &hash, "  ", "  ");
    }
    o.push('\n');

    let c = &r.counts;
    heading(&mut o, "Summary", '-');
    para(
        &mut o,
        &format!("Threads: {} ({} open, {} resolved)", c.threads, c.open, c.resolved),
        "",
        "  ",
    );
    para(&mut o, &format!("Comments: {}", c.comments), "", "  ");
    para(
        &mut o,
        &format!(
            "Anchors: {} exact, {} moved, {} changed, {} orphaned",
            c.exact, c.moved, c.changed, c.orphaned
        ),
        "",
        "  ",
    );
    let verdicts: Vec<String> =
        Verdict::WORST_FIRST.iter().map(|v| format!("{} {}", c.verdict(*v), v.as_str())).collect();
    para(&mut o, &format!("Verdicts: {}", verdicts.join(", ")), "", "  ");
    o.push('\n');

    matrix(&mut o, r);
    per_criterion(&mut o, r);
    definitions(&mut o, r);

    heading(&mut o, "Threads", '-');
    if r.threads.is_empty() {
        para(&mut o, "No threads.", "", "");
    }
    let (left, right) = (r.diff_from.as_str(), r.diff_to.as_str());
    for (i, t) in r.threads.iter().enumerate() {
        thread(&mut o, i, r.threads.len(), t, left, right);
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

fn matrix(o: &mut String, r: &Report) {
    heading(o, "Clauses and criteria", '-');
    if r.matrix.is_empty() {
        para(o, "No clauses with threads.", "", "");
        o.push('\n');
        return;
    }
    let label = |row: &super::MatrixRow| {
        if row.orphaned {
            format!("{} (orphaned)", clean_line(&row.clause))
        } else {
            clean_line(&row.clause)
        }
    };
    let first = r.matrix.iter().map(|row| label(row).width()).chain([6]).max().unwrap_or(6) + 2;
    let cols: Vec<usize> =
        r.criteria_used.iter().map(|c| clean_line(&c.id).width().max(8) + 2).collect();
    let total = first + cols.iter().sum::<usize>() + "conflict".len();
    if total <= WIDTH {
        let mut head = pad("Clause", first);
        for (c, w) in r.criteria_used.iter().zip(&cols) {
            head.push_str(&pad(&clean_line(&c.id), *w));
        }
        head.push_str("worst");
        let _ = writeln!(o, "{head}");
        for row in &r.matrix {
            let mut line = pad(&label(row), first);
            for (cell, w) in row.cells.iter().zip(&cols) {
                line.push_str(&pad(cell.map(|v| v.as_str()).unwrap_or("-"), *w));
            }
            line.push_str(row.worst.as_str());
            let _ = writeln!(o, "{line}");
        }
    } else {
        // Too many criteria for a grid within the width: one wrapped line per clause.
        for row in &r.matrix {
            let cells: Vec<String> = r
                .criteria_used
                .iter()
                .zip(&row.cells)
                .filter_map(|(c, v)| v.map(|v| format!("{} {}", clean_line(&c.id), v.as_str())))
                .collect();
            let cells =
                if cells.is_empty() { String::new() } else { format!(" ({})", cells.join(", ")) };
            para(o, &format!("* {}: {}{cells}", label(row), row.worst.as_str()), "", "  ");
        }
    }
    o.push('\n');
}

/// The defined terms that changed: a clause that uses one may mean something else though its
/// own words are the same.
fn definitions(o: &mut String, r: &Report) {
    if r.definitions_changed.is_empty() {
        return;
    }
    heading(o, &format!("Definitions changed ({} -> {})", r.diff_from, r.diff_to), '-');
    for d in &r.definitions_changed {
        para(o, &format!("* {}", super::definition_line(d)), "", "  ");
    }
    o.push('\n');
}

fn per_criterion(o: &mut String, r: &Report) {
    heading(o, "By criterion", '-');
    if r.per_criterion.is_empty() {
        para(o, "No criteria raised.", "", "");
    }
    for s in &r.per_criterion {
        para(o, &format!("* {}", s.criterion.label()), "", "  ");
        para(
            o,
            &format!(
                "clauses {}; {} open, {} resolved; worst: {}",
                s.clauses.join(", "),
                s.open,
                s.resolved,
                s.worst.as_str()
            ),
            "  ",
            "  ",
        );
    }
    o.push('\n');
}

fn thread(o: &mut String, i: usize, n: usize, t: &ThreadReport, left: &str, right: &str) {
    let _ = writeln!(o, "{}", "=".repeat(WIDTH));
    para(
        o,
        &format!(
            "[{}/{n}] {}: {}, {} ({})",
            i + 1,
            match &t.anchored {
                Some(_) => format!("Clause {}", t.clause),
                None => "General".to_string(),
            },
            t.verdict.as_str(),
            t.status.as_str(),
            t.id
        ),
        "",
        "  ",
    );
    let at = t.anchored_at();
    let anchor = match t.anchor_state {
        AnchorState::Exact => format!("exact, anchored at {at}"),
        AnchorState::Changed => {
            format!("CHANGED: the clause text changed since it was anchored at {at}")
        }
        AnchorState::Moved => {
            format!("MOVED: anchored at {at}, now {}", t.moved_to.as_deref().unwrap_or(&t.clause))
        }
        AnchorState::Orphaned => format!("ORPHANED: {at} not found"),
        AnchorState::Unanchored => "about the review as a whole (no clause)".to_string(),
    };
    para(o, &format!("Anchor: {anchor}"), "", "  ");
    if !t.uses_changed_terms.is_empty() {
        let terms = t.uses_changed_terms.join(", ");
        para(o, &format!("Uses changed definitions: {terms}"), "", "  ");
    }
    if !t.criteria.is_empty() {
        let crits: Vec<String> = t.criteria.iter().map(|c| c.label()).collect();
        para(o, &format!("Criteria: {}", crits.join("; ")), "", "  ");
    }
    if let Some(ch) = t.clause_change {
        para(o, &format!("Clause from {left} to {right}: {}", ch.as_str()), "", "  ");
    }
    o.push('\n');
    if let Some(q) = &t.quote {
        para(o, "Quoted passage:", "", "");
        block(o, q, "> ");
        o.push('\n');
    }
    if !t.clause_diff.is_empty() {
        para(
            o,
            &format!("{}, {left} -> {right}, [-removed-] {{+added+}}:", t.excerpt_caption()),
            "",
            "",
        );
        let mut marked = String::new();
        for span in &t.clause_diff {
            match span.tag {
                DiffTag::Equal => marked.push_str(&span.text),
                DiffTag::Delete => marked.push_str(&format!("[-{}-]", span.text)),
                DiffTag::Insert => marked.push_str(&format!("{{+{}+}}", span.text)),
            }
        }
        block(o, &marked, "> ");
        o.push('\n');
    } else if let Some(text) = &t.clause_text {
        para(o, &format!("{}:", t.excerpt_caption()), "", "");
        block(o, text, "> ");
        o.push('\n');
    }
    for (k, c) in t.comments.iter().enumerate() {
        let when = human_time(&c.at);
        let edited = match &c.edited_at {
            Some(e) => format!(" (edited {})", human_time(e)),
            None => String::new(),
        };
        let intro = if k == 0 {
            format!("{} wrote on {when}{edited}:", c.author)
        } else {
            format!("On {when}, {} replied{edited}:", c.author)
        };
        para(o, &intro, "", "");
        o.push('\n');
        block(o, &c.body, "");
        o.push('\n');
    }
    for e in &t.events {
        para(o, &format!("{} on {}.", e.describe(), human_time(&e.at)), "", "  ");
    }
    if !t.events.is_empty() {
        o.push('\n');
    }
}

fn heading(o: &mut String, title: &str, underline: char) {
    let start = o.len();
    para(o, title, "", "");
    let widest = o[start..].lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
    let _ = writeln!(o, "{}\n", underline.to_string().repeat(widest.clamp(1, WIDTH)));
}

/// `s` on one logical line (line breaks folded), wrapped.
fn para(o: &mut String, s: &str, first: &str, rest: &str) {
    for line in wrap(&clean_line(s), first, rest) {
        let _ = writeln!(o, "{line}");
    }
}

/// Multi-line text, reflowed and wrapped, every output line prefixed. Texts in review files
/// and licenses are hard-wrapped at other widths, so lines of one paragraph are joined before
/// wrapping; blank lines, indented lines and lines that start a list item or a numbered
/// clause keep their own line.
fn block(o: &mut String, s: &str, prefix: &str) {
    for para in paragraphs(&clean(s.trim_end())) {
        match para {
            None => {
                let _ = writeln!(o, "{}", prefix.trim_end());
            }
            Some(p) => {
                for l in wrap(&p, prefix, prefix) {
                    let _ = writeln!(o, "{l}");
                }
            }
        }
    }
}

/// Paragraphs of `s` (`None` for a blank line), with the lines of each joined by spaces.
fn paragraphs(s: &str) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    for line in s.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            out.push(None);
            continue;
        }
        match out.last_mut() {
            Some(Some(p)) if !starts_item(line) => {
                p.push(' ');
                p.push_str(line.trim_start());
            }
            _ => out.push(Some(line.to_string())),
        }
    }
    out
}

/// Whether a line starts something of its own: indented, quoted, a table row, a heading, a
/// list item or a clause label (`(b)`, `2.1`, `iv.`, `a)`).
fn starts_item(line: &str) -> bool {
    if line.starts_with([' ', '>', '|', '#']) {
        return true;
    }
    let first = line.split(' ').next().unwrap_or("");
    if matches!(first, "-" | "*" | "+" | "\u{2022}") {
        return true;
    }
    let inner = first
        .strip_prefix('(')
        .and_then(|f| f.strip_suffix(')'))
        .or_else(|| first.strip_suffix(')'))
        .or_else(|| first.strip_suffix('.'))
        .unwrap_or(first);
    let numbered = !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit() || c == '.')
        && inner.chars().any(|c| c.is_ascii_digit());
    let roman = |s: &str| s.chars().all(|c| "ivxlcIVXLC".contains(c));
    let lettered = first != inner
        && (1..=4).contains(&inner.len())
        && inner.chars().all(|c| c.is_ascii_alphanumeric())
        // `a.` and `iv.` are labels, `end.` is a word.
        && (!first.ends_with('.') || inner.len() == 1 || roman(inner));
    numbered || lettered
}

/// Wrap one line to [`WIDTH`] with the given indents. Words are split only at spaces, so a
/// URL moves whole to the next line; a token longer than a line is cut to fit.
fn wrap(line: &str, first: &str, rest: &str) -> Vec<String> {
    let opts = Options::new(WIDTH)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
        .break_words(true);
    textwrap::wrap(line, &opts).into_iter().map(|l| l.trim_end().to_string()).collect()
}

fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w).max(1)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;

    #[test]
    fn snapshot_of_the_sample() {
        insta::assert_snapshot!(text(&sample::report()));
    }

    #[test]
    fn no_line_over_the_width() {
        let out = text(&sample::report());
        for line in out.lines() {
            assert!(line.width() <= WIDTH, "{} columns: {line}", line.width());
        }
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}'));
    }

    #[test]
    fn urls_move_whole_and_only_overlong_tokens_are_cut() {
        let url = "https://example.org/a/fairly/long/path/to/a/page-that-fits-on-one-line";
        assert!(url.len() < WIDTH);
        let lines = wrap(&format!("See the page at {url} for more."), "", "");
        assert!(lines.iter().any(|l| l == url || l.starts_with(&format!("{url} "))), "{lines:?}");
        let long = "x".repeat(100);
        let lines = wrap(&format!("a {long} b"), "> ", "> ");
        assert_eq!(lines[0], "> a");
        assert_eq!(lines[1], format!("> {}", "x".repeat(70)));
        assert!(lines[2].starts_with(&format!("> {}", "x".repeat(30))));
        assert!(lines.iter().all(|l| l.width() <= WIDTH));
        let wide = "字".repeat(50);
        assert!(wrap(&wide, "> ", "> ").iter().all(|l| l.width() <= WIDTH));
    }

    #[test]
    fn paragraphs_are_reflowed_items_kept() {
        let p = paragraphs(
            "One two\nthree.\n\n(a) item\ncontinued\n2.1 Grant\n- dash\n  indented\nend.",
        );
        let want = [
            Some("One two three."),
            None,
            Some("(a) item continued"),
            Some("2.1 Grant"),
            Some("- dash"),
            Some("  indented end."),
        ];
        assert_eq!(p, want.map(|x| x.map(String::from)));
        assert!(!starts_item("Model and Derivative Models."));
        assert!(!starts_item("the Model. Copies"));
        assert!(starts_item("iv. Fourth"));
    }

    #[test]
    fn matrix_falls_back_to_a_list_when_too_wide() {
        let mut r = sample::report();
        for k in 0..8 {
            r.criteria_used.push(crate::export::CriterionInfo {
                id: format!("extra-criterion-{k}"),
                set: None,
                number: None,
                title: None,
            });
        }
        r.summarise();
        let out = text(&r);
        assert!(out.contains("* 2.2(b): concern (osd-6 concern, osd-10 concern)"), "{out}");
        assert!(out.lines().all(|l| l.width() <= WIDTH));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use crate::export::sample;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the review holds, no line of the plain text is wider than the limit and
        /// no raw control character gets through.
        #[test]
        fn any_text_stays_within_the_width(
            body in "(\\PC|[\\t\\r\\n\\u{1b}\\u{202e}\\u{200b}]){0,300}",
            word in "[a-z/:.#-]{60,160}",
            author in "\\PC{0,90}",
        ) {
            let mut r = sample::report();
            r.threads[0].comments[0].body = format!("{body} {word} {body}");
            r.threads[0].comments[0].author = author.clone();
            r.threads[1].clause_text = Some(format!("{word}\n{body}"));
            r.title = author;
            let out = text(&r);
            for line in out.lines() {
                prop_assert!(line.width() <= WIDTH, "{} columns: {:?}", line.width(), line);
            }
            prop_assert!(!out.chars().any(|c| c != '\n' && crate::text::sanitize::is_hidden(c)));
        }
    }
}

//! GitHub-flavoured Markdown: reads well raw (short tables, plain lists, quoted comments)
//! and rendered.
//!
//! Text from the review is escaped where it would change the structure: everything in table
//! cells, headings and list items; license text goes into fenced blocks, untouched. Comment
//! bodies keep their own Markdown (reviewers write `code` and *emphasis*) but cannot open raw
//! HTML or headings.

use std::fmt::Write;

use super::report::{AnchorState, DiffSpan, DiffTag, Report, ThreadReport, Verdict, VersionInfo};
use super::{clean, clean_line, human_time, short_hash};

/// Render the report as GitHub-flavoured Markdown.
pub fn markdown(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", inline(&r.title));
    let mut facts = Vec::new();
    if let Some(l) = &r.license {
        facts.push(format!("License: {}", inline(l)));
    }
    facts.push(format!("Review: {}", code_span(&r.review)));
    facts.push(format!("Anchors shown against: **{}**", inline(&r.shown_against)));
    if r.filters.open_only {
        facts.push("Only open threads".to_string());
    }
    if let Some(set) = &r.filters.criteria_set {
        facts.push(format!("Only criteria of the set {}", code_span(set)));
    }
    if r.filters.hidden_threads > 0 {
        facts.push(format!("{} thread(s) left out by the filters", r.filters.hidden_threads));
    }
    let _ = writeln!(o, "{}\n", facts.join(" · "));

    versions(&mut o, &r.versions);
    summary(&mut o, r);
    matrix(&mut o, r);
    per_criterion(&mut o, r);
    definitions(&mut o, r);

    let _ = writeln!(o, "## Threads\n");
    if r.threads.is_empty() {
        let _ = writeln!(o, "No threads.\n");
    }
    for t in &r.threads {
        thread(&mut o, t, (&r.diff_from, &r.diff_to));
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

fn versions(o: &mut String, versions: &[VersionInfo]) {
    let _ = writeln!(o, "## Compared versions\n");
    let _ = writeln!(o, "| Side | Version | Path | SHA-256 | Date |");
    let _ = writeln!(o, "|---|---|---|---|---|");
    for v in versions {
        let hash = match (&v.sha256, &v.file_sha256) {
            (Some(rec), Some(now)) if v.hash_mismatch() => format!(
                "{} (file now {}: changed since recorded)",
                code_span(short_hash(rec)),
                code_span(short_hash(now))
            ),
            (Some(rec), None) => format!("{} (file unreadable)", code_span(short_hash(rec))),
            (Some(h), _) | (None, Some(h)) => code_span(short_hash(h)),
            (None, None) => "unknown".to_string(),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            inline(&v.role),
            inline(&v.id),
            code_span(&v.path),
            hash,
            v.date.as_deref().map(inline).unwrap_or_else(|| "unknown".into())
        );
    }
    o.push('\n');
}

fn summary(o: &mut String, r: &Report) {
    let c = &r.counts;
    let _ = writeln!(o, "## Summary\n");
    let _ = writeln!(o, "- Threads: {} ({} open, {} resolved)", c.threads, c.open, c.resolved);
    let _ = writeln!(o, "- Comments: {}", c.comments);
    let _ = writeln!(
        o,
        "- Anchors: {} exact, {} moved, {} changed, {} orphaned",
        c.exact, c.moved, c.changed, c.orphaned
    );
    let verdicts: Vec<String> =
        Verdict::WORST_FIRST.iter().map(|v| format!("{} {}", c.verdict(*v), v.as_str())).collect();
    let _ = writeln!(o, "- Verdicts: {}\n", verdicts.join(", "));
}

fn matrix(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Clauses and criteria\n");
    if r.matrix.is_empty() {
        let _ = writeln!(o, "No clauses with threads.\n");
        return;
    }
    let mut head = String::from("| Clause |");
    let mut rule = String::from("|---|");
    for c in &r.criteria_used {
        let _ = write!(head, " {} |", inline(&c.id));
        rule.push_str(":---:|");
    }
    head.push_str(" Worst | Open | Resolved |");
    rule.push_str("---|--:|--:|");
    let _ = writeln!(o, "{head}\n{rule}");
    for row in &r.matrix {
        let clause = if row.orphaned {
            format!("{} (orphaned)", inline(&row.clause))
        } else {
            inline(&row.clause)
        };
        let mut line = format!("| {clause} |");
        for cell in &row.cells {
            let _ = write!(line, " {} |", cell.map(verdict_cell).unwrap_or_default());
        }
        let _ = write!(line, " {} | {} | {} |", verdict_cell(row.worst), row.open, row.resolved);
        let _ = writeln!(o, "{line}");
    }
    o.push('\n');
}

/// Conflicts and concerns stand out in the rendered table.
fn verdict_cell(v: Verdict) -> String {
    match v {
        Verdict::Conflict | Verdict::Concern => format!("**{}**", v.as_str()),
        _ => v.as_str().to_string(),
    }
}

fn per_criterion(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## By criterion\n");
    if r.per_criterion.is_empty() {
        let _ = writeln!(o, "No criteria raised.\n");
        return;
    }
    let _ = writeln!(o, "| Criterion | Title | Clauses | Open | Resolved | Worst |");
    let _ = writeln!(o, "|---|---|---|--:|--:|---|");
    for s in &r.per_criterion {
        let clauses: Vec<String> = s.clauses.iter().map(|c| inline(c)).collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            inline(&s.criterion.id),
            s.criterion.title.as_deref().map(inline).unwrap_or_else(|| "(unknown)".into()),
            clauses.join(", "),
            s.open,
            s.resolved,
            verdict_cell(s.worst)
        );
    }
    o.push('\n');
}

/// The defined terms that changed between the compared versions.
fn definitions(o: &mut String, r: &Report) {
    if r.definitions_changed.is_empty() {
        return;
    }
    let (a, b) = (inline(&r.diff_from), inline(&r.diff_to));
    let _ = writeln!(o, "## Definitions changed ({a} → {b})\n");
    for d in &r.definitions_changed {
        let _ = writeln!(o, "- {}", inline(&super::definition_line(d)));
    }
    o.push('\n');
}

fn thread(o: &mut String, t: &ThreadReport, compared: (&str, &str)) {
    let title = match &t.anchored {
        Some(_) => format!("Clause {}", inline(&t.clause)),
        None => "General".to_string(),
    };
    let _ = writeln!(
        o,
        "### {}: {}, {} ({})\n",
        title,
        t.verdict.as_str(),
        t.status.as_str(),
        code_span(&t.id)
    );
    let _ = writeln!(o, "- Anchor: {}", anchor_line(t));
    if !t.uses_changed_terms.is_empty() {
        let terms: Vec<String> = t.uses_changed_terms.iter().map(|s| inline(s)).collect();
        let _ = writeln!(o, "- Uses changed definitions: {}", terms.join(", "));
    }
    if !t.criteria.is_empty() {
        let crits: Vec<String> = t.criteria.iter().map(|c| inline(&c.label())).collect();
        let _ = writeln!(o, "- Criteria: {}", crits.join("; "));
    }
    if let Some(ch) = t.clause_change {
        let _ = writeln!(
            o,
            "- Clause from {} to {}: {}",
            inline(compared.0),
            inline(compared.1),
            ch.as_str()
        );
    }
    o.push('\n');
    if let Some(q) = &t.quote {
        let _ = writeln!(o, "Quoted passage:\n");
        for line in clean(q).lines() {
            let _ = writeln!(o, "> {}", inline(line.trim_end()).trim_end());
        }
        o.push('\n');
    }
    if !t.clause_diff.is_empty() {
        let (left, right) = compared;
        let caption = inline(&t.excerpt_caption());
        let _ = writeln!(o, "{caption}, {} → {}:\n", inline(left), inline(right));
        let diff = line_diff(&t.clause_diff);
        let fence = "`".repeat(longest_run(&diff, '`').max(2) + 1);
        let _ = writeln!(o, "{fence}diff\n{diff}{fence}\n");
    } else if let Some(text) = &t.clause_text {
        let _ = writeln!(o, "{}:\n", inline(&t.excerpt_caption()));
        let text = clean(text);
        let fence = "`".repeat(longest_run(&text, '`').max(2) + 1);
        let _ = writeln!(o, "{fence}text\n{}\n{fence}\n", text.trim_end());
    }
    for c in &t.comments {
        let edited = match &c.edited_at {
            Some(e) => format!(" (edited {})", inline(&human_time(e))),
            None => String::new(),
        };
        let _ = writeln!(o, "**{}** · {}{edited}\n", inline(&c.author), inline(&human_time(&c.at)));
        let body = clean(&c.body);
        for line in body.trim_end().lines() {
            let line = comment_line(line.trim_end());
            if line.is_empty() {
                let _ = writeln!(o, ">");
            } else {
                let _ = writeln!(o, "> {line}");
            }
        }
        o.push('\n');
    }
    if !t.events.is_empty() {
        let _ = writeln!(o, "Changes:\n");
        for e in &t.events {
            let _ = writeln!(o, "- {} · {}", inline(&e.describe()), inline(&human_time(&e.at)));
        }
        o.push('\n');
    }
}

/// The clause's change as a line diff (`-` left, `+` right), which GitHub colours and which
/// reads well raw; both sides are rebuilt from the word spans.
fn line_diff(spans: &[DiffSpan]) -> String {
    let side = |skip: DiffTag| -> String {
        let s: String = spans.iter().filter(|s| s.tag != skip).map(|s| s.text.as_str()).collect();
        clean(s.trim_end()) + "\n"
    };
    let (left, right) = (side(DiffTag::Insert), side(DiffTag::Delete));
    let diff = similar::TextDiff::from_lines(&left, &right);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Equal => ' ',
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
        };
        let _ = writeln!(out, "{sign} {}", change.value().trim_end_matches('\n'));
    }
    out
}

fn anchor_line(t: &ThreadReport) -> String {
    let at = inline(&t.anchored_at());
    match t.anchor_state {
        AnchorState::Exact => format!("exact, anchored at {at}"),
        AnchorState::Changed => {
            format!("**changed**: the clause text changed since it was anchored at {at}")
        }
        AnchorState::Moved => format!(
            "**moved**: anchored at {at}, now {}",
            inline(t.moved_to.as_deref().unwrap_or(&t.clause))
        ),
        AnchorState::Orphaned => format!("**orphaned**: {at} not found"),
        AnchorState::Unanchored => "about the review as a whole (no clause)".to_string(),
    }
}

/// Escape text for inline Markdown contexts (table cells, headings, list items): every
/// character that could start emphasis, a link, code, HTML or a table column. Line breaks
/// become spaces and controls visible markers.
pub(crate) fn inline(s: &str) -> String {
    let s = clean_line(s);
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            '&' if starts_entity(&chars[i + 1..]) => out.push_str("\\&"),
            _ => out.push(c),
        }
    }
    out
}

/// One line of a comment body for a block quote: the author's Markdown is kept, but raw
/// HTML, entities and headings are neutralised, a pipe cannot start a table, and a link may
/// only lead to `http`, `https` or `mailto` (a `javascript:` or `data:` link is left as
/// text).
fn comment_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let first = chars.iter().position(|c| !c.is_whitespace());
    // A link reference definition (`[x]: javascript:...`) to another scheme is no link.
    let reference = first.is_some_and(|f| chars[f] == '[') && {
        let rest: String = chars[first.unwrap_or(0)..].iter().collect();
        rest.find("]:").is_some_and(|k| bad_scheme(rest[k + 2..].trim_start()))
    };
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '[' if reference && Some(i) == first => out.push_str("\\["),
            ']' if chars.get(i + 1) == Some(&'(') && {
                let dest: String = chars[i + 2..].iter().collect();
                bad_scheme(dest.trim_start().trim_start_matches('<'))
            } =>
            {
                out.push_str("\\]");
            }
            '#' if Some(i) == first => out.push_str("\\#"),
            '&' if starts_entity(&chars[i + 1..]) => out.push_str("\\&"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether a link destination names a scheme other than `http`, `https` or `mailto`. White
/// space and controls inside the scheme are ignored, as browsers do (`java\tscript:`).
fn bad_scheme(dest: &str) -> bool {
    let end = dest.find([':', '/', '?', '#', ')']).unwrap_or(dest.len());
    if !dest[end..].starts_with(':') {
        return false;
    }
    let scheme: String = dest[..end]
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    !scheme.is_empty() && !matches!(scheme.as_str(), "http" | "https" | "mailto")
}

/// Whether the characters after a `&` would make it an entity (`&amp;`, `&#38;`).
fn starts_entity(rest: &[char]) -> bool {
    let name = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
    name > 0 && rest.get(name) == Some(&';')
}

/// A code span that holds `s` literally, whatever backticks it contains.
fn code_span(s: &str) -> String {
    let s = clean_line(s);
    let ticks = "`".repeat(longest_run(&s, '`') + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    // A pipe ends a table cell even inside a code span in GFM; only a backslash helps.
    let s = s.replace('|', "\\|");
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {

    #[test]
    fn links_to_other_schemes_are_left_as_text() {
        assert_eq!(comment_line("[x](javascript:alert(1))"), "[x\\](javascript:alert(1))");
        assert_eq!(comment_line("[x]( java\tscript:alert(1))"), "[x\\]( java\tscript:alert(1))");
        assert_eq!(comment_line("[x](data:text/html,hi)"), "[x\\](data:text/html,hi)");
        assert_eq!(comment_line("[x]: javascript:alert(1)"), "\\[x]: javascript:alert(1)");
        assert_eq!(
            comment_line("[OSD](https://opensource.org/osd)"),
            "[OSD](https://opensource.org/osd)"
        );
        assert_eq!(
            comment_line("[me](mailto:a@example.org) and [rel](docs/x.md)"),
            "[me](mailto:a@example.org) and [rel](docs/x.md)"
        );
    }

    use super::*;
    use crate::export::sample;

    #[test]
    fn snapshot_of_the_sample() {
        insta::assert_snapshot!(markdown(&sample::report()));
    }

    #[test]
    fn table_rows_keep_their_column_count() {
        let md = markdown(&sample::report());
        for block in md.split("\n\n").filter(|b| b.starts_with("| ")) {
            let counts: Vec<usize> = block.lines().map(unescaped_pipes).collect();
            assert!(counts.windows(2).all(|w| w[0] == w[1]), "ragged table:\n{block}");
        }
    }

    fn unescaped_pipes(line: &str) -> usize {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            if c == '|' && !escaped {
                n += 1;
            }
            escaped = c == '\\' && !escaped;
        }
        n
    }

    #[test]
    fn escapes_structure_and_controls() {
        assert_eq!(inline("a|b *c* <d> `e`"), "a\\|b \\*c\\* \\<d\\> \\`e\\`");
        assert_eq!(inline("# x\nsecond"), "\\# x second");
        assert_eq!(inline("AT&T &amp;"), "AT&T \\&amp;");
        assert_eq!(comment_line("# h <script>"), "\\# h \\<script>");
        let md = markdown(&sample::report());
        assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}'));
        assert!(md.contains("\u{241b}]0;pwned\u{2407}"));
        assert!(md.contains("\\<script>"));
        let bytes = md.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            assert!(*b != b'<' || bytes[i - 1] == b'\\', "raw < at {i}");
        }
    }

    #[test]
    fn code_span_survives_backticks() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
    }
}

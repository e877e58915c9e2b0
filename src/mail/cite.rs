//! What a message is about: the clauses it cites, the criteria it names, and the passages
//! of the license it quotes, read against one version of the text.
//!
//! - Clauses after a keyword, in any usual spelling: `Section 2.2(b)`, `§ 2.2(b)`,
//!   `§2.2.b`, `clause 3.4`, `sections 3 and 4`, `Sections 2.2(a) and (b)`, `article 5`;
//!   and bare references that look like clause ids: `2.2(b)`, `2.2b`, `2.bb`, or a number
//!   like `3.4` when the version has that clause (so `version 2.0` is not one). A
//!   citation of an id the version lacks (a typo, or another version's numbering) is kept
//!   with `clause: None`, never matched to another clause.
//! - Criteria: `OSD 6`, `OSD #7`, `OSD criterion 3`, `criterion 10` (the OSD's),
//!   `DFSG 6`, `freedom 0` (the FSF's), `OSAID` with the element named after it
//!   (`OSAID's freedom to modify`; a bare `OSAID` is its first freedom, Use). Only ids the
//!   criteria sets have are kept.
//! - Quotes: `> ` lines of the message that are a passage of the license (six words or
//!   more, matched by [`find_quote`] nearly exactly) anchor to that passage.
//!
//! Only the message's own lines are read for citations; what it quotes from others is
//! theirs.

use crate::criteria::CriteriaSet;
use crate::review::Anchor;
use crate::review::anchor::{Doc, find_quote, make_anchor};
use crate::text::ClauseTree;

use super::clean::quote_depth;

/// The version citations are read against: its id, text and clause tree.
#[derive(Debug, Clone, Copy)]
pub struct VersionText<'a> {
    pub id: &'a str,
    pub content: &'a str,
    pub tree: &'a ClauseTree,
}

/// One clause citation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    /// As written (`Section 2.2(b)`, `2.bb`).
    pub text: String,
    /// The clause id it names, in legal form (`2.2(b)`, `2(bb)`).
    pub id: String,
    /// The version's clause id, when the version has that clause.
    pub clause: Option<String>,
    /// Byte offset in the text: citations and quotes are taken in the order written.
    pub at: usize,
}

/// A quoted passage of the license.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuoteAnchor {
    #[serde(skip)]
    pub anchor: Anchor,
    pub clause: String,
    pub at: usize,
}

/// Everything a text cites.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Citations {
    pub clauses: Vec<Citation>,
    /// Criteria ids (`osd-6`), first mention first, each once.
    pub criteria: Vec<String>,
    pub quotes: Vec<QuoteAnchor>,
}

impl Citations {
    /// The first place cited that the version has: a clause citation or a quote, whichever
    /// comes first in the text.
    pub fn first_anchor(&self, version: &str) -> Option<(usize, Anchor)> {
        let clause = self
            .clauses
            .iter()
            .find_map(|c| c.clause.as_ref().map(|id| (c.at, Anchor::clause(version, id))));
        let quote = self.quotes.first().map(|q| (q.at, q.anchor.clone()));
        match (clause, quote) {
            (Some(c), Some(q)) => Some(if q.0 <= c.0 { q } else { c }),
            (c, q) => c.or(q),
        }
    }

    /// Clause ids the version has, in the order cited (quotes included), each once.
    pub fn resolved(&self) -> Vec<String> {
        let mut items: Vec<(usize, &String)> = self
            .clauses
            .iter()
            .filter_map(|c| c.clause.as_ref().map(|id| (c.at, id)))
            .chain(self.quotes.iter().map(|q| (q.at, &q.clause)))
            .collect();
        items.sort_by_key(|(at, _)| *at);
        let mut out: Vec<String> = Vec::new();
        for (_, id) in items {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    /// Citations of clauses the version does not have, as written, each once.
    pub fn unresolved(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in self.clauses.iter().filter(|c| c.clause.is_none()) {
            if !out.contains(&c.text) {
                out.push(c.text.clone());
            }
        }
        out
    }
}

/// Words that open a clause citation, lower-case.
const KEYWORDS: &[&str] = &[
    "subsections",
    "subsection",
    "sections",
    "section",
    "secs.",
    "sec.",
    "\u{a7}\u{a7}",
    "\u{a7}",
    "clauses",
    "clause",
    "articles",
    "article",
    "art.",
    "paragraphs",
    "paragraph",
    "para.",
    "para",
    "\u{b6}",
    "abschnitt",
    "ziffer",
    "sezione",
    "clausola",
    "articolo",
    "cláusula",
    "clausula",
    "apartado",
    "artículo",
];

/// Words before a number that make it something other than a clause (`version 2.1`).
const NOT_CLAUSE_BEFORE: &[&str] = &[
    "version",
    "versions",
    "v",
    "release",
    "rev",
    "revision",
    "osd",
    "criterion",
    "criteria",
    "rfc",
    "iso",
    "spdx",
    "gpl",
    "lgpl",
    "agpl",
    "mpl",
    "apache",
    "license",
    "licence",
    "eml",
    "python",
    "rust",
    "dfsg",
    "freedom",
    "osaid",
    "page",
    "pages",
    "p",
    "pp",
    "step",
    "item",
];

/// Find what `text` cites. Only unquoted lines are read for clauses and criteria; quoted
/// lines are tried as passages of the license.
pub fn find_citations(text: &str, version: &VersionText<'_>, sets: &[CriteriaSet]) -> Citations {
    let mut out = Citations::default();
    let mut offset = 0;
    let mut quote: Option<(usize, String)> = None;
    for line in text.split('\n') {
        let (depth, start) = quote_depth(line);
        if depth > 0 {
            let q = quote.get_or_insert_with(|| (offset, String::new()));
            q.1.push(' ');
            q.1.push_str(&line[start..]);
        } else {
            if let Some((at, passage)) = quote.take() {
                out.quotes.extend(quote_anchor(&passage, at, version));
            }
            clauses_in(line, offset, version.tree, &mut out.clauses);
            criteria_in(line, sets, &mut out.criteria);
        }
        offset += line.len() + 1;
    }
    if let Some((at, passage)) = quote.take() {
        out.quotes.extend(quote_anchor(&passage, at, version));
    }
    out
}

/// Words a quoted passage needs to be taken for the license's.
const QUOTE_MIN_WORDS: usize = 6;
/// How nearly it must match.
const QUOTE_MIN_SCORE: f64 = 0.9;

fn quote_anchor(passage: &str, at: usize, v: &VersionText<'_>) -> Option<QuoteAnchor> {
    let words = passage.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count();
    if words < QUOTE_MIN_WORDS || passage.len() > 4000 {
        return None;
    }
    let (range, score) = find_quote(v.content, passage, None, None)?;
    if score < QUOTE_MIN_SCORE {
        return None;
    }
    let line = v.content[..range.start].matches('\n').count() + 1;
    let i = v.tree.at_line(line)?;
    let doc = Doc { content: v.content, tree: v.tree };
    let anchor = make_anchor(v.id, &doc, i, Some(range));
    Some(QuoteAnchor { clause: v.tree.clauses[i].id.clone(), anchor, at })
}

/// Whether a citation may start at `i`: at the line start, or after a space or opening
/// punctuation (not inside a word, number, path or URL).
fn starts_token(line: &str, i: usize) -> bool {
    match line[..i].chars().next_back() {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '['
                        | '{'
                        | '"'
                        | '\''
                        | '*'
                        | '_'
                        | ','
                        | ';'
                        | '\u{201c}'
                        | '\u{2018}'
                        | '\u{ab}'
                        | '\u{201e}'
                )
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Whether `s[at..]` starts with `kw`, ignoring ASCII case.
fn starts_ci(s: &str, at: usize, kw: &str) -> bool {
    s.as_bytes().get(at..at + kw.len()).is_some_and(|b| b.eq_ignore_ascii_case(kw.as_bytes()))
}

/// The word before byte `at`, lower-case.
fn word_before(s: &str, at: usize) -> String {
    let before = s[..at].trim_end_matches([' ', '#', '\t']);
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric() && *c != '-')
        .map_or(0, |(p, c)| p + c.len_utf8());
    before[start..].to_lowercase()
}

/// A clause reference at `at`: `2.2(b)`, `2.2 (b)`, `2.2.b`, `2.2b`, `3`, `(b)` when
/// `letters_alone`. Returns its end and whether it has a letter part.
fn reference(s: &str, at: usize, letters_alone: bool) -> Option<(usize, bool)> {
    let b = s.as_bytes();
    let mut i = at;
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    let mut has_letters = false;
    if b.get(i) == Some(&b'(') && letters_alone {
        // `(b)` on its own, after a list separator.
    } else {
        let n = digits(&mut i);
        if n == 0 || n > 3 {
            return None;
        }
        // `.N` parts.
        while b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let mut j = i + 1;
            let n = digits(&mut j);
            if n > 3 {
                return None;
            }
            i = j;
        }
        // Letters glued on (`2.2b`, `2.bb`) or after a dot (`2.2.b`).
        let mut j = i;
        if b.get(j) == Some(&b'.') {
            j += 1;
        }
        let st = j;
        while j < b.len() && b[j].is_ascii_lowercase() {
            j += 1;
        }
        let glued = j - st;
        if (1..=2).contains(&glued)
            && !b.get(j).is_some_and(|c| is_word_byte(*c))
            && b.get(i - 1).is_some_and(u8::is_ascii_digit)
        {
            i = j;
            has_letters = true;
        }
    }
    // `(b)`, ` (b)`, `(iii)`, `(1)` parts.
    loop {
        let mut j = i;
        if b.get(j) == Some(&b' ') && b.get(j + 1) == Some(&b'(') {
            j += 1;
        }
        if b.get(j) != Some(&b'(') {
            break;
        }
        let st = j + 1;
        let mut k = st;
        while k < b.len() && b[k].is_ascii_alphanumeric() && k - st < 6 {
            k += 1;
        }
        if k == st || b.get(k) != Some(&b')') {
            break;
        }
        i = k + 1;
        has_letters = true;
    }
    if i == at {
        return None;
    }
    // Not the start of a longer number, date, time or word.
    if b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'%' || *c == b':' || *c == b'/')
        || (b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    {
        return None;
    }
    Some((i, has_letters))
}

/// Look a reference up in the tree and record it.
fn record(
    s: &str,
    at: usize,
    end: usize,
    tree: &ClauseTree,
    paragraph: bool,
    out: &mut Vec<Citation>,
) {
    let written = s[at..end].trim();
    let query =
        if paragraph && tree.paragraphs { format!("\u{b6}{written}") } else { written.to_string() };
    let clause = tree.find(&query).map(|i| tree.clauses[i].id.clone());
    let id = clause
        .clone()
        .or_else(|| crate::text::canonical_id(&query))
        .unwrap_or_else(|| written.to_string());
    out.push(Citation { text: written.to_string(), id, clause, at });
}

/// The separator after a reference in a list: `, `, ` and `, ` or `, ` & `, `-`, ` to `.
fn list_separator(s: &str, at: usize) -> Option<usize> {
    for sep in [
        ", and ",
        ", or ",
        " and ",
        " or ",
        " & ",
        ", ",
        " to ",
        " through ",
        "-",
        "\u{2013}",
        " - ",
    ] {
        if starts_ci(s, at, sep) {
            return Some(at + sep.len());
        }
    }
    None
}

fn clauses_in(line: &str, base: usize, tree: &ClauseTree, out: &mut Vec<Citation>) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !line.is_char_boundary(i) || !starts_token(line, i) {
            i += 1;
            continue;
        }
        // A keyword and a list of references.
        if let Some(kw) = KEYWORDS.iter().find(|kw| starts_ci(line, i, kw)) {
            let mut j = i + kw.len();
            let kw_ends_word = !b.get(j).is_some_and(|c| c.is_ascii_alphabetic());
            if kw_ends_word {
                while b.get(j) == Some(&b' ') || b.get(j) == Some(&b'\t') {
                    j += 1;
                }
                let paragraph = kw.starts_with("para") || *kw == "\u{b6}";
                let mut first = true;
                let mut last_end = None;
                while let Some((end, _)) = reference(line, j, !first) {
                    let cited = if line.as_bytes()[j] == b'(' {
                        // `(b)` after `2.2(a) and`: the sibling of the previous reference.
                        let prev: &Citation = match out.last() {
                            Some(p) => p,
                            None => break,
                        };
                        let parent = prev.id.rfind('(').map_or(prev.id.as_str(), |p| &prev.id[..p]);
                        format!("{parent}{}", &line[j..end])
                    } else {
                        line[j..end].to_string()
                    };
                    let query = if paragraph && tree.paragraphs {
                        format!("\u{b6}{cited}")
                    } else {
                        cited.clone()
                    };
                    let clause = tree.find(&query).map(|k| tree.clauses[k].id.clone());
                    let id = clause
                        .clone()
                        .or_else(|| crate::text::canonical_id(&query))
                        .unwrap_or_else(|| cited.clone());
                    let text = if first { line[i..end].to_string() } else { cited };
                    out.push(Citation { text, id, clause, at: base + if first { i } else { j } });
                    first = false;
                    last_end = Some(end);
                    match list_separator(line, end) {
                        Some(next)
                            if b.get(next).is_some_and(|c| c.is_ascii_digit() || *c == b'(') =>
                        {
                            j = next
                        }
                        _ => break,
                    }
                }
                if let Some(end) = last_end {
                    i = end;
                    continue;
                }
            }
        }
        // A bare reference.
        if b[i].is_ascii_digit()
            && let Some((end, letters)) = reference(line, i, false)
            && line[i..end].contains(['.', '('])
            && !NOT_CLAUSE_BEFORE.contains(&word_before(line, i).as_str())
        {
            let before = out.len();
            record(line, i, end, tree, false, out);
            let keep = letters || out.last().is_some_and(|c| c.clause.is_some());
            if !keep {
                out.truncate(before);
            }
            i = end;
            continue;
        }
        i += 1;
    }
}

/// Criteria named in a line: see the module documentation.
fn criteria_in(line: &str, sets: &[CriteriaSet], out: &mut Vec<String>) {
    let lower = line.to_lowercase();
    let b = lower.as_bytes();
    let mut push = |id: String| {
        if crate::criteria::find(sets, &id).is_some() && !out.contains(&id) {
            out.push(id);
        }
    };
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !is_word_byte(b[i - 1]);
        if !boundary {
            i += 1;
            continue;
        }
        let named = [
            ("osd", "osd"),
            ("dfsg", "dfsg"),
            ("criterion", "osd"),
            ("criteria", "osd"),
            ("freedom", "fsf"),
            ("freedoms", "fsf"),
        ]
        .into_iter()
        .find(|(w, _)| {
            lower[i..].starts_with(w)
                && !b.get(i + w.len()).is_some_and(|c| c.is_ascii_alphabetic())
        });
        if let Some((word, set)) = named {
            let mut j = i + word.len();
            // `OSD criterion 6`, `OSD #7`, `OSD no. 5`, `OSD6`.
            loop {
                let rest = &lower[j..];
                let skip = ["criterion", "criteria", "#", "no.", " ", "item"]
                    .iter()
                    .find(|w| rest.starts_with(*w));
                match skip {
                    Some(w) => j += w.len(),
                    None => break,
                }
            }
            let mut any = false;
            loop {
                let st = j;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j == st
                    || j - st > 2
                    || b.get(j).is_some_and(|c| {
                        c.is_ascii_alphanumeric()
                            || *c == b'.' && b.get(j + 1).is_some_and(u8::is_ascii_digit)
                    })
                {
                    j = st;
                    break;
                }
                let n: u32 = lower[st..j].parse().unwrap_or(0);
                push(format!("{set}-{n}"));
                any = true;
                match list_separator(&lower, j) {
                    Some(next) if b.get(next).is_some_and(u8::is_ascii_digit) => j = next,
                    _ => break,
                }
            }
            i = if any { j } else { i + word.len() };
            continue;
        }
        if lower[i..].starts_with("osaid")
            && !b.get(i + 5).is_some_and(|c| c.is_ascii_alphabetic() && *c != b's')
        {
            // The element named after it, in the same sentence.
            let rest = &lower[i + 5..];
            let sentence = &rest[..rest.find(['.', '!', '?', ';']).unwrap_or(rest.len())];
            let element = [
                ("modif", "osaid-modify"),
                ("stud", "osaid-study"),
                ("shar", "osaid-share"),
                ("data", "osaid-data"),
                ("code", "osaid-code"),
                ("parameter", "osaid-parameters"),
                ("weights", "osaid-parameters"),
                ("use", "osaid-use"),
            ]
            .into_iter()
            .filter_map(|(w, id)| sentence.find(w).map(|p| (p, id)))
            .min_by_key(|(p, _)| *p);
            push(element.map_or("osaid-use", |(_, id)| id).to_string());
            i += 5;
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "## 2. Grant\n\n2.1 Grant. You may use it.\n\n2.2 Output. No claim. However:\n\n(a) you are responsible; and\n\n(b) if you distribute a collection of Output as a dataset, you shall attach a notice.\n\n## 3. Conditions\n\n3.1 Notices. Keep them.\n\n3.2 Acceptance. You accept.\n\n## 4. Disclaimer\n\nAs is.\n";

    fn cite(text: &str) -> Citations {
        let tree = ClauseTree::parse(TEXT);
        let v = VersionText { id: "submitted", content: TEXT, tree: &tree };
        find_citations(text, &v, &crate::criteria::builtin_sets())
    }

    fn ids(c: &Citations) -> Vec<(String, Option<String>)> {
        c.clauses.iter().map(|c| (c.id.clone(), c.clause.clone())).collect()
    }

    fn found(id: &str) -> (String, Option<String>) {
        (id.to_string(), Some(id.to_string()))
    }

    #[test]
    fn usual_spellings() {
        for s in [
            "As stated in Section 2.2(b), ...",
            "§ 2.2(b)",
            "see §2.2.b.",
            "2.2b is odd",
            "the 2.2 (b) duty",
            "clause 2.2(b).",
        ] {
            assert_eq!(ids(&cite(s)), vec![found("2.2(b)")], "{s}");
        }
        assert_eq!(ids(&cite("clause 3.2 and Section 4")), vec![found("3.2"), found("4")]);
        assert_eq!(ids(&cite("sections 3 and 4")), vec![found("3"), found("4")]);
        assert_eq!(ids(&cite("Sections 2.2(a) and (b)")), vec![found("2.2(a)"), found("2.2(b)")]);
        assert_eq!(cite("Sections 2.2(a) and (b)").clauses[1].text, "2.2(b)");
    }

    #[test]
    fn ids_the_version_lacks_are_kept_not_moved() {
        let c = cite("your own comment on output (now in 2.bb) and section 9.9");
        assert_eq!(ids(&c), vec![("2(bb)".to_string(), None), ("9.9".to_string(), None)]);
        assert_eq!(c.unresolved(), vec!["2.bb", "section 9.9"]);
        assert!(c.first_anchor("submitted").is_none());
    }

    #[test]
    fn numbers_that_are_not_clauses() {
        for s in [
            "EML 2.0 was submitted",
            "version 2.1 fixes it",
            "on 14.05.2025 at 7.14",
            "60 days",
            "0.5 probability",
            "RFC 5322",
            "see OSD 6",
            "http://x/2.2b",
            "2.2.1.4.5",
        ] {
            assert_eq!(ids(&cite(s)), vec![], "{s}");
        }
        // A number the version has is a clause.
        assert_eq!(ids(&cite("as 3.2 says")), vec![found("3.2")]);
    }

    #[test]
    fn criteria() {
        assert_eq!(cite("This fails OSD 6 and OSD #7.").criteria, vec!["osd-6", "osd-7"]);
        assert_eq!(
            cite("see criterion 10, DFSG 6, freedom 0").criteria,
            vec!["osd-10", "dfsg-6", "fsf-0"]
        );
        assert_eq!(cite("OSD criteria 5 and 6").criteria, vec!["osd-5", "osd-6"]);
        assert_eq!(cite("The OSAID freedom to modify.").criteria, vec!["osaid-modify"]);
        assert_eq!(cite("Is this OSAID compliant?").criteria, vec!["osaid-use"]);
        assert_eq!(cite("OSD 11 and criterion 0").criteria, Vec::<String>::new());
        assert_eq!(cite("The OSDN and OSD6").criteria, vec!["osd-6"]);
    }

    #[test]
    fn quoted_license_passages_anchor_by_quote() {
        let c = cite(
            "> if you distribute a collection of Output as a\n> dataset, you shall attach a notice\n\nThis is a restriction.",
        );
        assert_eq!(c.quotes.len(), 1);
        assert_eq!(c.quotes[0].clause, "2.2(b)");
        let a = &c.quotes[0].anchor;
        assert_eq!(
            a.quote.as_deref(),
            Some(
                "if you distribute a collection of Output as a dataset, you shall attach a notice"
            )
        );
        assert_eq!(c.first_anchor("submitted").map(|(_, a)| a.clause), Some("2.2(b)".into()));
        // Someone else's words are not the license's.
        assert!(cite("> I think the output clause is a real problem for us").quotes.is_empty());
        // Citations inside quotes are not the writer's.
        assert!(cite("> Section 3.2 is fine\nI agree.").clauses.is_empty());
    }
}

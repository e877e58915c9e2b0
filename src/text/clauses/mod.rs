//! The clause tree of a license text, parsed from its numbering.
//!
//! Labels are recognised at the start of a line only (after indentation, or inside an
//! asterisk box): `1.`, `1.1`, `1.14.`, `2.2(b)`, `(a)`, `a.`, `a)`, `(iii)`, `iv.`, `A.`,
//! `Section 3:`, `Article 4`, `§ 3`, `1.0` (ODbL), Markdown headings (`## 2. Grant` uses its
//! number; an unnumbered heading is a clause with a slug id), and a number followed by a tab
//! (ModelGo 2.0). An enumeration inside a sentence ("all (i) modifications, (ii) works") is
//! text. Whether a label opens a clause is decided by sequence, so `(i)` after `(h)` is a
//! letter and `2019.` in the middle of a clause is not a clause; small mistakes (a skipped or
//! repeated number, `vi.` where `iv.` was meant) are accepted so the rest of the tree stays
//! right. `Section II`, `Attachment A`, `Annex A`, `Appendix B`, `Exhibit 1`, `Schedule 2`
//! group clauses without entering their ids (OpenRAIL numbers 1-12 across Sections I-IV).
//!
//! Text before the first clause belongs to no clause, and so does the document's title: an
//! unnumbered `#` heading that is the first line able to open a clause and the document's
//! only `#` heading (`# Example Model License`); the clauses under it start at depth 1.
//! Everything from a GPL-style "END OF TERMS AND CONDITIONS" line on belongs to no clause
//! either (the "How to apply" appendix holds sample notices that look like clauses) until a
//! group such as `Attachment A`.
//!
//! Ids follow legal citation (see [`canonical_id`]) and are unique in a text:
//! - a list that starts again at its first value beside an open one of the same style (the
//!   Acceptable Use Policy appended to Llama 3, the GPL inside LGPL 3.0, NASA 1.3 lettering
//!   each section from A) is a new *run*: its items get `~2`, `~3` (`1~2`, `5~2(a)`);
//! - any other repeat (a duplicated number) gets the next free `~n` (`5~2`).
//!
//! A text with no clause at all (MIT, ISC and other short licenses) is read as paragraphs
//! instead: each run of non-blank lines is a top-level clause `¶1`, `¶2`, ... with no label
//! (the title line stays out), and [`ClauseTree::paragraphs`] says so. Threads anchor to
//! clause ids, so without this such a license could not be commented on at all.
//!
//! Nesting stops at depth 12, so hostile input stays linear.

mod id;
mod label;
mod parse;

use std::ops::RangeInclusive;

pub use id::{PARAGRAPH_SIGN, canonical_id, is_paragraph_id, only_paragraph_ids, paragraph_id};
pub use label::to_roman;

/// One clause: where it is and how it is cited.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clause {
    /// Citation id, unique in the text: `2.2(b)`; a repeated id gets `~2`; `¶2` for the
    /// second paragraph of a text without numbering.
    pub id: String,
    /// The label as written: `(b)`, `1.1.`, `Section 3`, `##` for an unnumbered heading,
    /// empty for a paragraph (`¶2`), which has none.
    pub label: String,
    /// 1 for top-level clauses.
    pub depth: usize,
    /// The clause's short title (`Definitions`), else its first words (raw text, not
    /// sanitised: views sanitise).
    pub heading: String,
    /// First line, 1-based.
    pub line_start: usize,
    /// Last line of the whole subtree, 1-based inclusive, trailing blank lines excluded.
    pub line_end: usize,
    /// Index of the parent clause in [`ClauseTree::clauses`].
    #[serde(skip)]
    pub parent: Option<usize>,
}

/// The clauses of one text in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClauseTree {
    pub clauses: Vec<Clause>,
    /// The text has no numbered clause, so its clauses are its paragraphs (`¶1`, `¶2`, ...):
    /// callers say so rather than present them as the license's own numbering.
    pub paragraphs: bool,
    /// Byte offset of each line of the parsed text, so that a clause's text is found without
    /// reading the text from its start (placing a thousand threads in a long text reads
    /// thousands of clauses).
    line_starts: Vec<usize>,
}

/// Longest heading made from a clause's first words, in bytes (cut at a word boundary).
const HEADING_MAX: usize = 60;
/// A sentence at the start of a clause counts as its title up to this many words.
const TITLE_MAX_WORDS: usize = 8;

impl ClauseTree {
    /// Parse the clause tree of `content` (`\n` line endings, as [`crate::text::Text`]
    /// holds). Never panics; linear in the size of the text.
    pub fn parse(content: &str) -> ClauseTree {
        ClauseTree::parse_with(content, true)
    }

    /// [`ClauseTree::parse`] without headings (each is empty): for callers that need only
    /// the structure, such as the diff, as finding titles is a quarter of the work.
    pub fn parse_structure(content: &str) -> ClauseTree {
        ClauseTree::parse_with(content, false)
    }

    fn parse_with(content: &str, headings: bool) -> ClauseTree {
        // Line by line, so the lines are found once (with memchr: a long text is mostly
        // bytes between line breaks).
        let mut lines: Vec<&str> = Vec::with_capacity(content.len() / 40);
        let mut from = 0;
        for at in memchr::memchr_iter(b'\n', content.as_bytes()) {
            lines.push(&content[from..at]);
            from = at + 1;
        }
        lines.push(&content[from..]);
        let (mut drafts, last_line, title) = parse::Builder::new().run(&lines);
        // No clause at all (MIT, ISC): the paragraphs stand in, so that every text has
        // something a thread can anchor to.
        let paragraphs = drafts.is_empty();
        if paragraphs {
            drafts = parse::paragraphs(&lines, title);
        }
        let blank = |n: usize| lines.get(n - 1).is_none_or(|l| is_blank(l));
        for d in drafts.iter_mut() {
            let c = &mut d.clause;
            if c.line_end == 0 {
                c.line_end = last_line.max(c.line_start);
            }
            while c.line_end > c.line_start && blank(c.line_end) {
                c.line_end -= 1;
            }
        }
        // Children end within their parents even after trimming (the parent's range is a
        // superset of lines, so this only guards odd inputs).
        for i in 0..drafts.len() {
            if let Some(p) = drafts[i].clause.parent {
                let end = drafts[i].clause.line_end;
                if drafts[p].clause.line_end < end {
                    drafts[p].clause.line_end = end;
                }
            }
        }
        if headings {
            for i in 0..drafts.len() {
                let next_start = drafts.get(i + 1).map(|d| d.clause.line_start);
                let heading = heading_of(&lines, &drafts[i], next_start);
                drafts[i].clause.heading = heading;
            }
        }
        // A label alone before its first child (`10.` then `a. ...`): borrow the child's
        // heading rather than show nothing. Backwards, so chains of lone labels work.
        for i in (0..drafts.len().saturating_sub(1)).rev() {
            if drafts[i].clause.heading.is_empty() && drafts[i + 1].clause.parent == Some(i) {
                drafts[i].clause.heading = drafts[i + 1].clause.heading.clone();
            }
        }
        let paragraphs = paragraphs && !drafts.is_empty();
        let mut line_starts = Vec::with_capacity(lines.len());
        for l in &lines {
            line_starts.push(l.as_ptr() as usize - content.as_ptr() as usize);
        }
        ClauseTree {
            clauses: drafts.into_iter().map(|d| d.clause).collect(),
            paragraphs,
            line_starts,
        }
    }

    /// Index of the clause `query` names, in any usual spelling (`2.2.b`, `§ 2.2(b)`,
    /// `Section 2.2 (b)`, any case), an unnumbered heading's words, or a paragraph's
    /// (`¶2`, `p2`, `para 2`, `paragraph 2`).
    pub fn find(&self, query: &str) -> Option<usize> {
        let raw = query.trim();
        if let Some(i) = self.clauses.iter().position(|c| c.id == raw) {
            return Some(i);
        }
        // Paragraph ids exist only in a tree of paragraphs, so a numbered tree is searched as
        // before (`p2` there may still be a letter `(p)` with a `(2)` under it).
        if self.paragraphs
            && let Some(want) = paragraph_id(query)
            && let Some(i) = self.clauses.iter().position(|c| c.id == want)
        {
            return Some(i);
        }
        if let Some(want) = canonical_id(query) {
            if let Some(i) = self.clauses.iter().position(|c| c.id == want) {
                return Some(i);
            }
            if let Some(i) = self.clauses.iter().position(|c| c.id.eq_ignore_ascii_case(&want)) {
                return Some(i);
            }
        }
        if let Some(key) = id::loose_key(query)
            && let Some(i) =
                self.clauses.iter().position(|c| id::loose_key(&c.id).as_deref() == Some(&key))
        {
            return Some(i);
        }
        let s = id::slug(query);
        if s.is_empty() {
            return None;
        }
        self.clauses.iter().position(|c| c.id == s)
    }

    /// Direct children of clause `i`, in document order.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        // Children follow their parent and lie within its line range.
        let end = self.clauses.get(i).map_or(0, |c| c.line_end);
        self.clauses
            .iter()
            .enumerate()
            .skip(i + 1)
            .take_while(move |(_, c)| c.line_start <= end)
            .filter(move |(_, c)| c.parent == Some(i))
            .map(|(j, _)| j)
    }

    /// The lines of clause `i` itself: from its first line to the line before its first
    /// child (or its last line when it has none).
    /// An out-of-range `i` gives an empty range.
    #[allow(clippy::reversed_empty_ranges)] // deliberately empty
    pub fn own_lines(&self, i: usize) -> RangeInclusive<usize> {
        let Some(c) = self.clauses.get(i) else { return 1..=0 };
        let end = match self.children(i).next() {
            Some(first) => self.clauses[first].line_start.saturating_sub(1).max(c.line_start),
            None => c.line_end,
        };
        c.line_start..=end
    }

    /// Text of clause `i` with its whole subtree (lines joined by `\n`, no final newline).
    /// `content` is the text the tree was parsed from.
    pub fn text<'a>(&self, i: usize, content: &'a str) -> &'a str {
        match self.clauses.get(i) {
            Some(c) => self.lines(content, c.line_start, c.line_end),
            None => "",
        }
    }

    /// Lines `start..=end` (1-based) of `content`, by the line index when it fits.
    fn lines<'a>(&self, content: &'a str, start: usize, end: usize) -> &'a str {
        let n = self.line_starts.len();
        let fits = n > 0 && self.line_starts.last().is_some_and(|&l| l <= content.len());
        if !fits || start == 0 || end < start || start > n {
            return line_slice(content, start, end);
        }
        let from = self.line_starts[start - 1];
        let to = match self.line_starts.get(end) {
            Some(&next) => next - 1,
            None => content.len(),
        };
        content.get(from..to.max(from)).unwrap_or_else(|| line_slice(content, start, end))
    }

    /// Text of clause `i` without its children (and without the blank lines before them).
    pub fn own_text<'a>(&self, i: usize, content: &'a str) -> &'a str {
        let r = self.own_lines(i);
        if self.clauses.get(i).is_none() {
            return "";
        }
        let mut s = self.lines(content, *r.start(), *r.end());
        // Blank lines before the first child are not the clause's words.
        while let Some(p) = s.rfind('\n') {
            if s[p + 1..].trim().is_empty() {
                s = &s[..p];
            } else {
                break;
            }
        }
        s
    }

    /// The deepest clause holding 1-based `line`.
    pub fn at_line(&self, line: usize) -> Option<usize> {
        // Clauses are in document order and nested, so the last one starting at or before
        // `line` whose range holds it is the deepest.
        let upto = self.clauses.partition_point(|c| c.line_start <= line);
        let mut j = upto.checked_sub(1)?;
        loop {
            let c = &self.clauses[j];
            if c.line_end >= line {
                return Some(j);
            }
            j = c.parent?;
        }
    }
}

/// Blank, or only the border of an asterisk box (MPL 2.0).
fn is_blank(line: &str) -> bool {
    line.trim_matches(|c: char| c.is_whitespace() || c == '*').is_empty()
}

/// Lines `start..=end` (1-based) of `content` as one slice.
fn line_slice(content: &str, start: usize, end: usize) -> &str {
    if start == 0 || end < start {
        return "";
    }
    let mut line = 1;
    let mut from = None;
    if start == 1 {
        from = Some(0);
    }
    for (i, b) in content.bytes().enumerate() {
        if b == b'\n' {
            if line == end {
                return from.map_or("", |f| &content[f..i]);
            }
            line += 1;
            if line == start {
                from = Some(i + 1);
            }
        }
    }
    from.map_or("", |f| &content[f..])
}

/// The heading of a clause: its title when it has one, else its first words.
fn heading_of(lines: &[&str], d: &parse::Draft, next_start: Option<usize>) -> String {
    let first = lines.get(d.clause.line_start - 1).copied().unwrap_or("");
    let rest = first.get(d.rest..).unwrap_or("").trim();
    // Lines of the clause's own words: its first line's rest, then following lines up to a
    // blank line or the next clause.
    let stop = next_start.unwrap_or(usize::MAX).min(d.clause.line_end + 1);
    let mut own: Vec<&str> = Vec::new();
    if !rest.is_empty() {
        own.push(rest);
    }
    let mut n = d.clause.line_start + 1;
    while n < stop && own.len() < 4 {
        let l = lines.get(n - 1).map_or("", |l| l.trim());
        if l.is_empty() {
            if own.is_empty() {
                n += 1;
                continue;
            }
            break;
        }
        own.push(l);
        n += 1;
    }
    let Some(&line0) = own.first() else { return String::new() };
    // Drop box decoration (`... Warranty      *`).
    let line0 = line0.trim_end_matches(['*', ' ', '\t']);
    if d.titled || rest.is_empty() {
        // A heading line, a keyword label's title, or the line after a lone label: its first
        // sentence when that reads as a title (`1.0 General; Definitions. This License ...`),
        // else the whole line.
        if let Some(t) = title_sentence(line0) {
            return cut(&t);
        }
        let t = line0.trim_end_matches(['.', ':']).trim();
        if !t.is_empty() && (d.titled || looks_like_title(t)) {
            return cut(t);
        }
    }
    if let Some(t) = title_sentence(line0) {
        return t;
    }
    let joined = own.join(" ");
    cut(&joined)
}

/// A short first sentence that reads as a title: `Grant of Rights. You are granted ...`,
/// `Disclaimer of Warranty: THE PACKAGE ...`.
fn title_sentence(line: &str) -> Option<String> {
    let end = match sentence_end(line) {
        Some(p) => p,
        None if line.ends_with('.') => line.len() - 1,
        None => {
            // No full stop: a short line standing alone (`2.1\tGrant of Rights`,
            // `1.1. "Contributor"`) is a title.
            return looks_like_title(line).then(|| line.to_string());
        }
    };
    let t = line[..end].trim();
    (looks_like_title(t) && t.len() < line.len()).then(|| t.to_string())
}

/// Byte offset of the first `. ` or `: ` that ends a sentence, not an abbreviation
/// (`U.S. Government`, `e.g. this`, `Mr. X`).
fn sentence_end(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    for i in 0..b.len().saturating_sub(1) {
        // `Definitions.The following ...` (a space lost in conversion) ends a sentence too.
        let glued = b[i] == b'.'
            && b[i + 1].is_ascii_uppercase()
            && b.get(i + 2).is_some_and(u8::is_ascii_lowercase)
            && i >= 3
            && b[i - 3..i].iter().all(u8::is_ascii_lowercase);
        if !matches!(b[i], b'.' | b':') || !(matches!(b[i + 1], b' ' | b'\t') || glued) {
            continue;
        }
        let word_start = line[..i].rfind(char::is_whitespace).map_or(0, |p| p + 1);
        let word = &line[word_start..i];
        let abbreviation = b[i] == b'.'
            && (word.chars().count() <= 1
                || word.contains('.')
                || matches!(word, "Mr" | "Ms" | "Dr" | "No" | "Inc" | "Ltd" | "vs"));
        // A colon ends a title only after a few words (`Disclaimer of Warranty: ...`), not
        // after a sentence that introduces a list.
        let long_lead_in = b[i] == b':' && line[..i].split_whitespace().count() > 4;
        if !abbreviation && !long_lead_in {
            return Some(i);
        }
    }
    None
}

/// Short, starts with a capital or a quote, at most [`TITLE_MAX_WORDS`] words, not ending
/// like a sentence fragment.
fn looks_like_title(t: &str) -> bool {
    let first = t.chars().next();
    !t.is_empty()
        && t.len() <= HEADING_MAX
        && t.split_whitespace().count() <= TITLE_MAX_WORDS
        && first
            .is_some_and(|c| c.is_uppercase() || c == '"' || c == '\u{201c}' || c.is_ascii_digit())
        && !t.ends_with([',', ';', ':'])
        && !t.ends_with(" and")
        && !t.ends_with(" or")
}

/// Cut to at most [`HEADING_MAX`] bytes at a word boundary, with `…` when cut.
fn cut(s: &str) -> String {
    let s = s.trim();
    if s.len() <= HEADING_MAX {
        return s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut end = HEADING_MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let head = &s[..end];
    let head = match head.rfind(char::is_whitespace) {
        Some(p) if p > HEADING_MAX / 2 => &head[..p],
        _ => head,
    };
    let mut out = head.split_whitespace().collect::<Vec<_>>().join(" ");
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests;

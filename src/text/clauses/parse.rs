//! Building the clause tree from the label candidates, one line at a time.
//!
//! The builder keeps a stack of open lists. A candidate is accepted when it continues one of
//! them (the next value, or a small skip or a repeat: real texts have such mistakes) or when
//! it is the first value of a new list (`1`, `0`, `a`, `i`) nested in the current clause.
//! Anything else that merely looks like a label (`2019.`, `v. 2.0`, a wrapped `2.1 of this
//! License`) stays text. Each line is looked at once and the stack is shallow, so parsing is
//! linear in the size of the text.

use super::Clause;
use super::label::{Candidate, Delim, Family, LineStart, lex};

/// Largest forward jump still read as the same list (a skipped number or two).
const MAX_SKIP: u32 = 3;
/// Deepest nesting accepted. Real licenses stop at 5 or 6; the cap keeps hostile input
/// (a label indented one more space on each of 100k lines) linear and its ids short.
const MAX_DEPTH: usize = 12;

/// A list's style: two labels are siblings only when their styles match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Decimal numbers with this many parts (`1.` is 1, `2.2` is 2), by delimiter.
    Decimal(usize, Delim),
    /// Letters or roman numerals, by delimiter.
    Alpha(Family, Delim),
    /// Markdown heading without a number, by level.
    Heading(usize),
    /// `Section II`, `Attachment A`: groups above everything else, transparent for ids.
    Group,
    /// `2.2(b)` written in full: never part of a sequence.
    Compound,
}

/// One open list: its style, the last value, and the clause that holds it.
#[derive(Debug, Clone)]
struct Level {
    style: Style,
    /// Decimal parts for decimal lists (the whole number, e.g. `[2, 2]`), else one value.
    parts: Vec<u32>,
    indent: usize,
    clause: usize,
    /// How many items the list has had: after `i, ii, iii, vi` (a typo) `v` is still next.
    count: u32,
    /// 1 for a list's first run; 2, 3... when it restarts at 1 (a second document appended,
    /// as the GPL in LGPL 3.0): its items' ids get `~2`, `~3` (`5~2(a)`).
    run: u32,
}

/// A clause under construction: the public fields plus where its own words start.
pub(super) struct Draft {
    pub clause: Clause,
    /// Byte offset in its first line where the clause's words start.
    pub rest: usize,
    /// Whether the label was a heading or keyword (its line is a title).
    pub titled: bool,
}

/// `END OF TERMS AND CONDITIONS` (GPL, Apache, OpenRAIL) or `END TERMS AND CONDITIONS`
/// (ModelGo 1.0): what follows is an appendix of sample notices, not clauses, unless a
/// group such as `Attachment A` starts again.
fn is_end_of_terms(line: &str) -> bool {
    let t = line.trim().trim_end_matches(['.', ':']);
    t.eq_ignore_ascii_case("END OF TERMS AND CONDITIONS")
        || t.eq_ignore_ascii_case("END TERMS AND CONDITIONS")
}

/// The line of the document's title heading, if it has one: the first line that could open
/// a clause is an unnumbered `#` heading, and no other line is a `#` heading (numbered or
/// not). Such a heading names the document (`# Example Model License`), so it belongs to the
/// preamble and the clauses under it start at depth 1. A document with several `#` headings
/// uses them as its sections, and those stay clauses.
fn title_line(lines: &[&str]) -> Option<usize> {
    let is_h1 = |s: &LineStart| match s {
        LineStart::Heading(h) => h.level == 1,
        LineStart::Label(c) => c.heading && c.level == 1,
        LineStart::Group(_) => false,
    };
    let mut title = None;
    let mut first = true;
    for (n, line) in lines.iter().enumerate() {
        let Some(start) = lex(line) else { continue };
        if std::mem::replace(&mut first, false) {
            if !matches!(&start, LineStart::Heading(h) if h.level == 1) {
                return None;
            }
            title = Some(n + 1);
        } else if is_h1(&start) {
            return None;
        }
    }
    title
}

/// The paragraphs of a text that has no clause, as top-level clauses `¶1`, `¶2`, ...: each
/// run of non-blank lines between blank lines (or asterisk-box borders), with its whole line
/// range and no label. The document's title stays out, as it does from a numbered text:
/// the `#` heading [`title_line`] finds (`title`), or else a first paragraph that is one
/// short line reading as a title (`MIT License`, `ISC License`), when more paragraphs follow.
pub(super) fn paragraphs(lines: &[&str], title: Option<usize>) -> Vec<Draft> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    for (n, line) in lines.iter().enumerate() {
        let line_no = n + 1;
        if super::is_blank(line) || Some(line_no) == title {
            if let Some(start) = open.take() {
                runs.push((start, line_no - 1));
            }
        } else if open.is_none() {
            open = Some(line_no);
        }
    }
    if let Some(start) = open {
        runs.push((start, lines.len()));
    }
    if title.is_none()
        && runs.len() > 1
        && runs[0].0 == runs[0].1
        && is_plain_title(lines[runs[0].0 - 1])
    {
        runs.remove(0);
    }
    runs.into_iter()
        .enumerate()
        .map(|(k, (start, end))| Draft {
            clause: Clause {
                id: format!("{}{}", super::id::PARAGRAPH_SIGN, k + 1),
                label: String::new(),
                depth: 1,
                heading: String::new(),
                line_start: start,
                line_end: end,
                parent: None,
            },
            rest: 0,
            titled: false,
        })
        .collect()
}

/// A plain-text title line: short, reading as a title, no full stop and no colon (not
/// `Author: Tatu Ylonen`), not a copyright notice (`Copyright (c) 2024 Example` opens many
/// MIT texts and is worth a comment).
fn is_plain_title(line: &str) -> bool {
    let t = line.trim();
    super::looks_like_title(t)
        && !t.ends_with('.')
        && !t.contains(':')
        && !t.to_lowercase().contains("copyright")
        && !t.contains('\u{a9}')
}

/// First values that may open a new list.
fn is_first(family: Family, v: u32) -> bool {
    match family {
        Family::Number => v <= 1,
        _ => v == 1,
    }
}

pub(super) struct Builder {
    levels: Vec<Level>,
    /// The last top numbered list closed by a group (`Section II`), whose numbering may
    /// run on inside the group (OpenRAIL: clauses 1-12 across Sections I-IV).
    closed: Option<(Style, u32)>,
    /// Ids given so far, to keep them unique.
    ids: std::collections::HashSet<String>,
    /// Next `~n` to try for an id that was repeated.
    next_dup: std::collections::HashMap<String, u32>,
    /// Item count for the next level opened (set when it continues a list).
    pending_count: u32,
    /// Run number for the next level opened (see [`Level::run`]).
    pending_run: u32,
    pub drafts: Vec<Draft>,
}

impl Builder {
    /// `id` with the run suffix of a restarted list (`5~2`).
    fn with_run(&self, mut id: String) -> String {
        if self.pending_run > 1 {
            id.push('~');
            id.push_str(&self.pending_run.to_string());
        }
        id
    }

    /// `id`, or `id~2`, `id~3`... when it is taken already.
    fn unique(&mut self, id: String) -> String {
        if self.ids.insert(id.clone()) {
            return id;
        }
        // `(A)~2` taken gives `(A)~3`, not `(A)~2~2`.
        let (base, first) = match id.rsplit_once('~') {
            Some((b, n)) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => {
                (b.to_string(), n.parse::<u32>().map_or(2, |n| n.saturating_add(1)))
            }
            _ => (id, 2),
        };
        // Start counting where the last duplicate of this id stopped, so 100k repeats of
        // one label stay linear.
        let mut n = self.next_dup.get(&base).copied().unwrap_or(2).max(first);
        loop {
            let candidate = format!("{base}~{n}");
            n = n.saturating_add(1);
            if self.ids.insert(candidate.clone()) {
                self.next_dup.insert(base, n);
                return candidate;
            }
        }
    }

    pub fn new() -> Self {
        Builder {
            levels: Vec::new(),
            closed: None,
            ids: std::collections::HashSet::new(),
            next_dup: std::collections::HashMap::new(),
            pending_count: 1,
            pending_run: 1,
            drafts: Vec::new(),
        }
    }

    /// Parse all lines; returns the drafts with `line_end` still unset (0) for open clauses,
    /// the number of the last line that belongs to clauses, and the title line (see
    /// [`title_line`]).
    pub fn run(mut self, lines: &[&str]) -> (Vec<Draft>, usize, Option<usize>) {
        let title = title_line(lines);
        let mut last_line = 0;
        // After "END OF TERMS AND CONDITIONS" only a group (`Attachment A`) resumes clauses.
        let mut ended = false;
        for (n, &line) in lines.iter().enumerate() {
            let line_no = n + 1;
            if !ended && is_end_of_terms(line) && !self.drafts.is_empty() {
                ended = true;
                self.truncate(0, line_no);
                continue;
            }
            if Some(line_no) == title {
                continue; // the document's title: preamble, not a clause
            }
            let start = lex(line);
            if ended && !matches!(start, Some(LineStart::Group(_))) {
                continue;
            }
            ended = false;
            last_line = line_no;
            match start {
                Some(LineStart::Label(c)) => self.label(c, line_no),
                Some(LineStart::Heading(h)) => self.heading(line, h.level, h.rest, line_no),
                Some(LineStart::Group(g)) => self.group(g, line_no),
                None => {}
            }
        }
        (self.drafts, last_line, title)
    }

    /// Continue the list at level `p`: close it and what is above, and count one more item
    /// for the sibling opened next.
    fn continue_at(&mut self, p: usize, line_no: usize) {
        self.pending_count = self.levels[p].count + 1;
        self.pending_run = self.levels[p].run;
        self.truncate(p, line_no);
    }

    /// Whether `value` is the next item of level `l`: one more than the last value, or the
    /// next ordinal after a typo.
    fn is_next(l: &Level, value: u32) -> bool {
        let last = l.parts.last().copied().unwrap_or(0);
        value == last + 1 || value == l.count + 1
    }

    /// A first value (`1.`, `(a)`) at the indentation of an open list of the same style
    /// starts a new list beside it, not inside it: a second list in one clause, or a second
    /// document appended (Llama 3 carries its Acceptable Use Policy, numbered from 1 again).
    fn restart_if_same_indent(&mut self, styles: &[Style], indent: usize, line_no: usize) {
        if let Some(p) =
            self.levels.iter().rposition(|l| styles.contains(&l.style) && l.indent == indent)
        {
            self.pending_run = self.levels[p].run + 1;
            self.truncate(p, line_no);
        }
    }

    /// How many levels to keep below a section-level label: those up to the last group, or
    /// the last Markdown heading above `level` (any heading when `level` is 0: the label is
    /// not a heading itself).
    fn heading_context(&self, level: usize) -> usize {
        self.levels
            .iter()
            .rposition(|l| match l.style {
                Style::Heading(h) => level == 0 || h < level,
                Style::Group => true,
                _ => false,
            })
            .map_or(0, |p| p + 1)
    }

    /// Close every level from `keep` on, ending their clauses before `line_no`.
    fn truncate(&mut self, keep: usize, line_no: usize) {
        while self.levels.len() > keep {
            if let Some(l) = self.levels.pop() {
                if matches!(l.style, Style::Decimal(1, _)) {
                    self.closed = Some((l.style, l.parts[0]));
                }
                self.close(l.clause, line_no);
            }
        }
    }

    fn close(&mut self, clause: usize, line_no: usize) {
        let d = &mut self.drafts[clause].clause;
        if d.line_end == 0 {
            d.line_end = line_no.saturating_sub(1).max(d.line_start);
        }
    }

    fn parent_here(&self) -> Option<usize> {
        self.levels.last().map(|l| l.clause)
    }

    /// Open a clause as a child of the current top level and push its level.
    #[allow(clippy::too_many_arguments)]
    fn open(
        &mut self,
        style: Style,
        parts: Vec<u32>,
        indent: usize,
        id: String,
        label: String,
        line_no: usize,
        rest: usize,
        titled: bool,
    ) {
        let parent = self.parent_here();
        let depth = parent.map_or(1, |p| self.drafts[p].clause.depth + 1);
        if depth > MAX_DEPTH {
            // Too deep to be a real clause: leave the line as text of its parent.
            self.pending_count = 1;
            self.pending_run = 1;
            return;
        }
        let id = self.unique(id);
        let idx = self.drafts.len();
        self.drafts.push(Draft {
            clause: Clause {
                id,
                label,
                depth,
                heading: String::new(),
                line_start: line_no,
                line_end: 0,
                parent,
            },
            rest,
            titled,
        });
        let count = std::mem::replace(&mut self.pending_count, 1);
        let run = std::mem::replace(&mut self.pending_run, 1);
        self.levels.push(Level { style, parts, indent, clause: idx, count, run });
    }

    /// The id base for a relative label under the current top: the nearest ancestor that is
    /// not an unnumbered heading.
    fn base_id(&self) -> (&str, bool) {
        for l in self.levels.iter().rev() {
            match l.style {
                Style::Heading(_) | Style::Group => continue,
                Style::Decimal(..) => return (&self.drafts[l.clause].clause.id, true),
                _ => return (&self.drafts[l.clause].clause.id, false),
            }
        }
        ("", false)
    }

    fn heading(&mut self, line: &str, level: usize, rest: usize, line_no: usize) {
        // A heading closes everything up to a heading of a higher level.
        let keep = self
            .levels
            .iter()
            .rposition(|l| matches!(l.style, Style::Heading(h) if h < level))
            .map_or(0, |p| p + 1);
        self.truncate(keep, line_no);
        let id = super::id::slug(&line[rest..]);
        let id = if id.is_empty() { format!("h{line_no}") } else { id };
        let label = "#".repeat(level);
        self.open(Style::Heading(level), Vec::new(), 0, id, label, line_no, rest, true);
    }

    fn group(&mut self, g: super::label::Group, line_no: usize) {
        let keep = self.levels.iter().rposition(|l| l.style == Style::Group).unwrap_or(0);
        self.truncate(keep, line_no);
        let id = super::id::slug(&g.text);
        self.open(Style::Group, Vec::new(), 0, id, g.text, line_no, g.rest, true);
    }

    fn label(&mut self, c: Candidate, line_no: usize) {
        if !c.parts.is_empty() {
            self.decimal(c, line_no);
        } else {
            self.alpha(c, line_no);
        }
    }

    /// Find a level of `style` that `value` continues: the exact next value first (nearest
    /// indentation, then innermost), then a repeat or small skip (innermost).
    fn find_continuation(
        &self,
        style: Style,
        value: u32,
        indent: usize,
        prefix: &[u32],
    ) -> Option<usize> {
        let matches_prefix =
            |l: &Level| l.parts.len() == prefix.len() + 1 && l.parts[..prefix.len()] == *prefix;
        let mut best: Option<(usize, usize)> = None;
        for (p, l) in self.levels.iter().enumerate().rev() {
            if l.style == style && matches_prefix(l) && Self::is_next(l, value) {
                let dist = l.indent.abs_diff(indent);
                if best.is_none_or(|(_, d)| dist < d) {
                    best = Some((p, dist));
                }
            }
        }
        if let Some((p, _)) = best {
            return Some(p);
        }
        for (p, l) in self.levels.iter().enumerate().rev() {
            if l.style == style && matches_prefix(l) && indent <= l.indent + 1 {
                let last = l.parts.last().copied().unwrap_or(0);
                // A first value again (`1.` after `1.`) starts a new list, not a repeat.
                let restart = value == last && value <= 1;
                if value >= last && value <= last + MAX_SKIP && !restart {
                    return Some(p);
                }
            }
        }
        None
    }

    fn decimal(&mut self, c: Candidate, line_no: usize) {
        let k = c.parts.len();
        let value = c.parts[k - 1];
        let strong = c.heading || c.delim == Delim::Keyword;
        if !c.sub.is_empty() {
            // `2.2(b)`: written in full; nest it under the clause it names, if open.
            let mut id = super::id::join_parts(&c.parts);
            let parent_id = id.clone();
            for s in &c.sub {
                id.push('(');
                id.push_str(s);
                id.push(')');
            }
            let keep = self
                .levels
                .iter()
                .rposition(|l| self.drafts[l.clause].clause.id == parent_id)
                .map_or(0, |p| p + 1);
            if keep == 0 && !self.levels.is_empty() {
                return; // names a clause that is not open: prose, not a label
            }
            self.truncate(keep, line_no);
            self.open(Style::Compound, c.parts, c.indent, id, c.text, line_no, c.rest, false);
            return;
        }
        if k == 1 {
            let style = Style::Decimal(1, c.delim);
            if let Some(p) = self.find_continuation(style, value, c.indent, &[]) {
                self.continue_at(p, line_no);
                self.push_relative(style, c, line_no);
                return;
            }
            let nothing_yet = !self.levels.iter().any(|l| l.style == style);
            let in_group = self.levels.last().is_some_and(|l| l.style == Style::Group);
            if in_group && self.closed == Some((style, value.wrapping_sub(1))) {
                // Numbering that runs on across groups.
                self.push_relative(style, c, line_no);
                return;
            }
            if c.delim == Delim::Keyword
                && nothing_yet
                && !is_first(Family::Number, value)
                && !self.drafts.is_empty()
            {
                // `Section 7. You must ...` wrapped from prose in the middle of a text
                // numbered otherwise: a reference, not the start of a list.
                return;
            }
            if c.delim == Delim::Keyword && nothing_yet {
                // `Section 3` starts a list of its own: top level (under a heading or group).
                let keep = self.heading_context(c.level);
                self.truncate(keep, line_no);
                self.push_relative(style, c, line_no);
            } else if is_first(Family::Number, value) || (strong && nothing_yet) {
                // A new list, or a strong label starting where the text starts.
                if c.level > 0 {
                    // `## 1. Definitions` after `## Preamble`: a sibling of that heading.
                    let keep = self.heading_context(c.level);
                    self.truncate(keep, line_no);
                }
                self.restart_if_same_indent(&[style], c.indent, line_no);
                self.push_relative(style, c, line_no);
            } else if strong {
                // A strong label that breaks the sequence (a mistake): a sibling anyway.
                if let Some(p) = self.levels.iter().rposition(|l| l.style == style) {
                    self.continue_at(p, line_no);
                    self.push_relative(style, c, line_no);
                }
            }
            return;
        }
        // Multi-part decimals are absolute: `2.2` names itself.
        let style = Style::Decimal(k, Delim::Dot);
        let prefix = &c.parts[..k - 1];
        if let Some(p) = self.find_continuation(style, value, c.indent, prefix) {
            self.continue_at(p, line_no);
            self.push_absolute(style, c, line_no);
            return;
        }
        if !(is_first(Family::Number, value) || (strong && value <= 1 + MAX_SKIP)) {
            return;
        }
        // Under the clause its prefix names (`2.` or `Section 2` for `2.1`), if open.
        if let Some(p) = self
            .levels
            .iter()
            .rposition(|l| matches!(l.style, Style::Decimal(..)) && l.parts == prefix)
        {
            self.truncate(p + 1, line_no);
            self.push_absolute(style, c, line_no);
            return;
        }
        // A new parent number without its own heading line (`6.1` right after `5.3`):
        // a sibling of the previous `5.x`, provided the number moves forward a little.
        if let Some(p) = self.levels.iter().rposition(|l| l.style == style) {
            let prev = &self.levels[p].parts;
            let forward = prev[..k - 1] < *prefix
                && prev[..k - 1].iter().zip(prefix).all(|(a, b)| b >= a && *b <= a + MAX_SKIP);
            if forward {
                // Close the old parent too when it is a decimal that no longer applies.
                let mut keep = p;
                while keep > 0 {
                    let l = &self.levels[keep - 1];
                    if matches!(l.style, Style::Decimal(..)) && !prefix.starts_with(&l.parts) {
                        keep -= 1;
                    } else {
                        break;
                    }
                }
                self.truncate(keep, line_no);
                self.push_absolute(style, c, line_no);
            }
            return;
        }
        // The first multi-part number of a text with no enclosing number.
        if !self.levels.iter().any(|l| matches!(l.style, Style::Decimal(..))) {
            self.push_absolute(style, c, line_no);
        }
    }

    fn push_absolute(&mut self, style: Style, c: Candidate, line_no: usize) {
        let id = super::id::join_parts(&c.parts);
        let titled = c.heading;
        self.open(style, c.parts, c.indent, id, c.text, line_no, c.rest, titled);
    }

    /// Open a one-part number (`3.`, `(3)`, `Section 3`) under the current top.
    fn push_relative(&mut self, style: Style, c: Candidate, line_no: usize) {
        let value = c.parts[0];
        let (base, numeric_parent) = self.base_id();
        let id = if base.is_empty() {
            value.to_string()
        } else if numeric_parent && c.delim != Delim::Paren && c.delim != Delim::Close {
            format!("{base}.{value}")
        } else {
            format!("{base}({value})")
        };
        let id = self.with_run(id);
        let titled = c.heading || c.delim == Delim::Keyword;
        let parts = vec![value];
        self.open(style, parts, c.indent, id, c.text, line_no, c.rest, titled);
    }

    fn alpha(&mut self, c: Candidate, line_no: usize) {
        // 1. the exact next value of an open list, in any reading;
        // 2. a small skip or repeat of an open list (multi-letter romans only for skips, so
        //    a stray `v.` does not join a roman list);
        // 3. a first value (`a`, `i`, `A`, `I`) opening a new list here.
        let mut exact: Option<(usize, usize, Family, u32)> = None;
        for &(family, v) in &c.alpha {
            let style = Style::Alpha(family, c.delim);
            for (p, l) in self.levels.iter().enumerate().rev() {
                if l.style == style && Self::is_next(l, v) {
                    let dist = l.indent.abs_diff(c.indent);
                    if exact.is_none_or(|(_, d, _, _)| dist < d) {
                        exact = Some((p, dist, family, v));
                    }
                }
            }
        }
        if let Some((p, _, family, v)) = exact {
            self.continue_at(p, line_no);
            self.push_alpha(family, v, c, line_no);
            return;
        }
        for &(family, v) in &c.alpha {
            let style = Style::Alpha(family, c.delim);
            if let Some(p) = self.levels.iter().rposition(|l| {
                l.style == style
                    && c.indent <= l.indent + 1
                    && l.parts
                        .first()
                        .is_some_and(|&x| v >= x && v <= x + MAX_SKIP && !(v == 1 && x == 1))
            }) {
                // A single letter is a skip only in a letter list; a lone `v`/`x` is not a
                // roman skip (it is more often a letter or prose).
                let roman = matches!(family, Family::LowerRoman | Family::UpperRoman);
                if roman && c.letters.len() == 1 && v != self.levels[p].parts[0] {
                    continue;
                }
                self.continue_at(p, line_no);
                self.push_alpha(family, v, c, line_no);
                return;
            }
        }
        // A first value: `i` is a roman one, `a` a letter.
        let first = c
            .alpha
            .iter()
            .copied()
            .find(|&(f, v)| v == 1 && matches!(f, Family::LowerRoman | Family::UpperRoman))
            .or_else(|| c.alpha.iter().copied().find(|&(_, v)| v == 1));
        if let Some((family, v)) = first {
            self.restart_if_same_indent(&[Style::Alpha(family, c.delim)], c.indent, line_no);
            self.push_alpha(family, v, c, line_no);
        }
    }

    fn push_alpha(&mut self, family: Family, v: u32, c: Candidate, line_no: usize) {
        let (base, _) = self.base_id();
        let id = format!("{base}({})", c.letters);
        let id = self.with_run(id);
        let titled = c.heading;
        self.open(
            Style::Alpha(family, c.delim),
            vec![v],
            c.indent,
            id,
            c.text,
            line_no,
            c.rest,
            titled,
        );
    }
}

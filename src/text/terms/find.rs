//! Finding definitions: quoted phrases read in their context, and unquoted terms after clause
//! labels. See the [module docs](super) for the rules.
//!
//! The text is read once for quotes (memchr), each quote's surroundings are matched with a few
//! anchored regular expressions and a short hand-written scan for the words between a term and
//! its verb (the regex crate has no look-around to exclude "which ... means"), so the cost is
//! linear in the size of the text.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::ClauseTree;

/// Most words between a quoted term and its verb: `The "Corresponding Source" for a work in
/// object code form means` has seven. More would pair a quote with a verb of another clause.
pub const MAX_FILLER: usize = 7;
/// Longest term, in words and bytes: longer quoted text is a quotation, not a name.
const MAX_TERM_WORDS: usize = 8;
const MAX_TERM_BYTES: usize = 80;
/// How far a closing quote is looked for.
const MAX_QUOTE_BYTES: usize = 120;
/// Longest lead-in kept at the start of a definition (`For the purposes of this definition,`).
const MAX_LEAD_IN: usize = 120;
/// How far a sentence is followed either side of a term named in it: far enough for real
/// sentences, short enough that a text of one endless sentence stays linear.
const MAX_SENTENCE: usize = 600;
/// How far back an opening parenthesis is looked for.
const MAX_PAREN_BACK: usize = 300;

/// A quoted phrase: its opening quote, the text inside, the byte after its closing quote.
#[derive(Debug, Clone)]
struct Quoted {
    open: usize,
    inner: Range<usize>,
    close: usize,
}

/// A definition found: the term, its aliases, where the name stands and the definition's bytes.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub term: String,
    pub aliases: Vec<String>,
    pub name: Range<usize>,
    pub span: Range<usize>,
}

/// How far a definition reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// A definition entry (`"X" means ...`): to the end of its paragraph (or of its clause
    /// when it opens the clause), cut at the next entry.
    Entry,
    /// Named by its context (`the term "X"`): the sentence; `span` is final.
    Fixed,
}

#[derive(Debug, Clone)]
struct Draft {
    term: String,
    aliases: Vec<String>,
    name: Range<usize>,
    start: usize,
    end: usize,
    reach: Reach,
    /// The clause this entry opens: its end bounds the definition.
    opens: Option<usize>,
    /// A definition that starts its own sentence ends the entry before it, unless it defines a
    /// word of that definition (`For the purposes of this definition, "control" means`). Names
    /// given in parentheses do not: they are part of the sentence around them.
    new_sentence: bool,
}

/// Line starts of a text, for byte <-> line conversions.
pub(super) struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(content: &str) -> Self {
        let mut starts = Vec::with_capacity(content.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', content.as_bytes()).map(|i| i + 1));
        LineIndex { starts, len: content.len() }
    }

    /// 1-based line holding byte `at`.
    pub fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).max(1)
    }

    /// Number of lines.
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// Byte where 1-based `line` starts.
    pub fn start(&self, line: usize) -> usize {
        self.starts[line - 1]
    }

    /// Byte range of 1-based `line`, without its line break.
    fn range(&self, line: usize) -> Range<usize> {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(self.len, |&n| n - 1);
        start..end.max(start)
    }
}

/// What the finder needs to know about the text around a position.
struct Ctx<'a> {
    content: &'a str,
    lines: &'a LineIndex,
    tree: &'a ClauseTree,
    /// Clause index by its first line (the outermost clause starting there).
    clause_at: HashMap<usize, usize>,
    blank: Vec<bool>,
    /// First and last line of the paragraph holding each line (index: line - 1). A paragraph
    /// ends at a blank line and before a line that starts a clause.
    para_first: Vec<usize>,
    para_last: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(content: &'a str, tree: &'a ClauseTree, lines: &'a LineIndex) -> Self {
        let mut clause_at = HashMap::new();
        for (i, c) in tree.clauses.iter().enumerate() {
            clause_at.entry(c.line_start).or_insert(i);
        }
        let n = lines.count();
        let blank: Vec<bool> = (1..=n)
            .map(|l| {
                content[lines.range(l)]
                    .trim_matches(|c: char| c.is_whitespace() || c == '*')
                    .is_empty()
            })
            .collect();
        let breaks_before = |l: usize| l == 1 || blank[l - 2] || clause_at.contains_key(&l);
        let mut para_first = vec![1; n];
        for l in 1..=n {
            para_first[l - 1] = if breaks_before(l) { l } else { para_first[l - 2] };
        }
        let mut para_last = vec![n; n];
        for l in (1..=n).rev() {
            para_last[l - 1] =
                if l == n || blank[l] || breaks_before(l + 1) { l } else { para_last[l] };
        }
        Ctx { content, lines, tree, clause_at, blank, para_first, para_last }
    }

    fn is_blank(&self, line: usize) -> bool {
        self.blank.get(line - 1).copied().unwrap_or(true)
    }

    /// Where the words of a line start: after indentation, a clause label opening it, a
    /// bullet, and Markdown emphasis.
    fn text_start(&self, line: usize) -> usize {
        let r = self.lines.range(line);
        let s = &self.content[r.clone()];
        let mut rest = s.trim_start();
        if let Some(&ci) = self.clause_at.get(&line) {
            let label = self.tree.clauses[ci].label.as_str();
            if !label.is_empty() {
                rest = rest.strip_prefix(label).unwrap_or(rest).trim_start();
            }
        }
        if let Some(end) = bullet(rest) {
            rest = &rest[end..];
        }
        r.end - rest.len()
    }

    /// First byte of the words of the paragraph holding `line`.
    fn para_start(&self, line: usize) -> usize {
        self.text_start(self.para_first[line - 1])
    }

    /// Byte after the last word of the paragraph holding `line`.
    fn para_end(&self, line: usize) -> usize {
        self.trim_end(self.lines.range(self.para_last[line - 1]).end)
    }

    /// `at` moved back over white space.
    fn trim_end(&self, at: usize) -> usize {
        self.content[..at].trim_end().len()
    }

    /// Where the sentence holding `at` starts, looking back no further than `floor`; `None`
    /// when `floor` was reached before the paragraph's start.
    fn sentence_start(&self, at: usize, floor: usize) -> Option<usize> {
        let para = self.para_start(self.lines.line_of(at)).min(at);
        let floor = floor.max(para);
        let b = self.content.as_bytes();
        let mut i = at;
        while i > floor {
            i -= 1;
            if matches!(b[i], b'.' | b';' | b':' | b'!' | b'?')
                && b.get(i + 1).is_some_and(u8::is_ascii_whitespace)
                && !abbreviation(self.content, i)
            {
                let rest = &self.content[i + 1..at];
                let start = at - rest.trim_start().len();
                return Some(start + bullet(&self.content[start..at]).unwrap_or(0));
            }
        }
        (floor == para).then_some(para)
    }

    /// Byte after the sentence holding `at`, looking no further than `ceiling` (nor past the
    /// paragraph).
    fn sentence_end(&self, at: usize, ceiling: usize) -> usize {
        let ceiling = ceiling.min(self.para_end(self.lines.line_of(at))).max(at);
        let b = self.content.as_bytes();
        let mut i = at;
        while i < ceiling {
            if matches!(b[i], b'.' | b'!' | b'?')
                && b.get(i + 1).is_none_or(u8::is_ascii_whitespace)
                && !abbreviation(self.content, i)
            {
                return i + 1;
            }
            i += 1;
        }
        ceiling
    }

    /// True when only a label, a bullet or white space stands before `at` on its line.
    fn starts_line(&self, at: usize) -> bool {
        let line = self.lines.line_of(at);
        self.text_start(line) >= at
            || self.content[self.lines.range(line).start..at].trim().is_empty()
    }
}

/// True when the `.` at `i` ends an abbreviation (`e.g.`, `U.S.`, `Inc.`), not a sentence.
fn abbreviation(s: &str, i: usize) -> bool {
    if s.as_bytes()[i] != b'.' {
        return false;
    }
    let word_start = s[..i]
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric() && c != '.')
        .map_or(0, |(p, c)| p + c.len_utf8());
    let word = &s[word_start..i];
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
        || word.contains('.')
        || matches!(word, "Inc" | "Ltd" | "Co" | "No" | "Mr" | "Ms" | "Dr" | "vs" | "etc" | "Corp")
}

/// A bullet or dash opening `s` (ModelGo 1.0 lists its definitions with `- `) with the white
/// space after it, or Markdown emphasis (`**`): its length. Written out rather than as a
/// regular expression, which cost more to compile than all the texts of a small diff took to
/// read (the test `hand_written_patterns_agree` holds the pattern it stands for).
fn bullet(s: &str) -> Option<usize> {
    let mut chars = s.chars();
    if let Some(c @ ('-' | '*' | '\u{2022}' | '\u{00B7}' | '\u{2013}' | '\u{2014}')) = chars.next()
    {
        let rest = chars.as_str();
        let space = rest.len() - rest.trim_start().len();
        if space > 0 {
            return Some(c.len_utf8() + space);
        }
    }
    (s.starts_with("**") || s.starts_with("__")).then_some(2)
}

/// A quoted phrase of at most 80 characters, for the aliases and parentheses patterns.
const Q: &str = r#"(?:["\u{201C}][^"\u{201C}\u{201D}\n]{1,80}["\u{201D}]|\u{2018}[^\u{2018}\u{2019}\n]{1,80}\u{2019})"#;

/// A pattern whose counted repetitions (`{1,80}`, `{0,5}`) make it slow to compile (each count
/// is a copy of a Unicode class: 3 ms for [`ALIASES`], a third of a small `lrw diff`), asked
/// through a twin that repeats without a bound. The twin's paths are a superset of the
/// pattern's, tried in the same order, so when its match stays within the counts (`within`,
/// on group `group`) it is the pattern's match; otherwise the exact pattern is compiled, once,
/// and asked. Where the twin finds nothing, neither would the pattern.
struct Bounded {
    fast: LazyLock<Regex>,
    exact: LazyLock<Regex>,
    group: usize,
    within: fn(&str) -> bool,
}

impl Bounded {
    fn find<'h>(&self, hay: &'h str) -> Option<regex::Match<'h>> {
        debug_assert_eq!(self.group, 0, "find checks the whole match");
        let m = self.fast.find(hay)?;
        if (self.within)(m.as_str()) { Some(m) } else { self.exact.find(hay) }
    }

    fn captures<'h>(&self, hay: &'h str) -> Option<regex::Captures<'h>> {
        let c = self.fast.captures(hay)?;
        let checked = c.get(self.group).map_or("", |m| m.as_str());
        if (self.within)(checked) { Some(c) } else { self.exact.captures(hay) }
    }
}

/// [`Q`] with phrases of any length: the fast twin's.
fn q_any(pattern: &str) -> String {
    pattern.replace("{1,80}", "+")
}

/// Every quoted phrase in `s` (a match of a pattern built of [`Q`]s and words without quote
/// marks) has at most 80 characters, as [`Q`] asks.
fn quotes_within(s: &str) -> bool {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        let close: &[char] = match c {
            '"' | '\u{201C}' => &['"', '\u{201D}'],
            '\u{2018}' => &['\u{2019}'],
            _ => continue,
        };
        if chars.by_ref().take_while(|c| !close.contains(c)).count() > 80 {
            return false;
        }
    }
    true
}

/// Aliases right after a term: `(or "Your")`, `or "you"`, `and "your"`, repeated.
fn aliases_pattern() -> String {
    format!(
        r"^(?:\s*\(\s*(?:(?i:or|and|also|hereinafter|collectively|together|each|individually|jointly)[\s,]*)*{Q}(?:\s*(?:,|(?i:or|and))\s*{Q})*\s*\)|\s*,?\s+(?i:or|and)\s+{Q})*"
    )
}
static ALIASES: Bounded = Bounded {
    fast: LazyLock::new(|| Regex::new(&q_any(&aliases_pattern())).expect("valid regex")),
    exact: LazyLock::new(|| Regex::new(&aliases_pattern()).expect("valid regex")),
    group: 0,
    within: quotes_within,
};

/// A defining verb: `means`, `shall mean`, `also means`, `refers to`, `includes`, `is defined
/// as`, `has the meaning`.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:(?:shall|will|does|do)\s+)?(?:also\s+)?(?:means|mean|refers\s+to|refer\s+to|includes|include|(?:is|are|be)\s+(?:defined|used)\s+(?:as|to\s+mean)|ha(?:s|ve)\s+the\s+meanings?))\b",
    )
    .expect("valid regex")
});

/// Context before a quoted term that names it: `the term`, `hereinafter`, `referred to as`,
/// `is called a`, `termed`, `addressed as`, `are considered`; asked through [`named_before`],
/// which allows a possessive after it (`referred to as the Licensor's "X"`).
static NAMED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:\bthe\s+terms?|\baddressed\s+as|\bhereinafter(?:\s+(?:referred\s+to\s+as|called))?|\breferred\s+to\s+(?:herein\s+|hereinafter\s+)?as|\b(?:is|be|are)\s+called|\btermed|\b(?:is|are)\s+considered)\s+(?:(?i:the|a|an)\s+)?$",
    )
    .expect("valid regex")
});

/// `is "X" if`: an adjective defined by a condition (`A patent license is "discriminatory"
/// if`). `before` ends with the word `is` or `are` and white space, `after` starts with white
/// space and the word `if` (the patterns `\b(?:is|are)\s+$` and `^\s+if\b`, written out as
/// [`bullet`] is).
fn is_if(before: &str, after: &str) -> bool {
    let verb = before.trim_end();
    let verb_ok = verb.len() < before.len()
        && ["is", "are"].iter().any(|w| {
            verb.strip_suffix(w)
                .is_some_and(|head| !head.chars().next_back().is_some_and(is_word_character))
        });
    let cond = after.trim_start();
    verb_ok
        && cond.len() < after.len()
        && cond
            .strip_prefix("if")
            .is_some_and(|tail| !tail.chars().next().is_some_and(is_word_character))
}

/// A character of a word for the regular expressions' `\b`.
fn is_word_character(c: char) -> bool {
    regex_syntax::is_word_character(c)
}

/// Whether [`aliases_pattern`] can match more than nothing at the start of `rest`: both of its
/// repeated parts start with white space and a parenthesis or a comma, or with white space and
/// `or` or `and` (no other letter folds to these). Asked first, so that most quotes, followed
/// by a verb, never run the pattern and texts without aliases never compile it.
fn may_have_aliases(rest: &str) -> bool {
    let t = rest.trim_start();
    if t.starts_with(['(', ',']) {
        return true;
    }
    let word = |w: &str| {
        t.get(..w.len()).is_some_and(|head| head.eq_ignore_ascii_case(w))
            && t[w.len()..].starts_with(char::is_whitespace)
    };
    t.len() < rest.len() && (word("or") || word("and"))
}

/// The words in a parenthesis before a term defined there: `(the "X")`, `(collectively, the
/// "X")`, `(hereinafter referred to as "X")`, `(as may be amended ..., "License")`.
static PAREN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(?:.*?(?:[,;:]|\breferred\s+to(?:\s+herein)?\s+as|\bcalled|\bknown\s+as|\bhereinafter|\btermed))?\s*(?:(?:hereinafter|collectively|together|jointly|individually|each|herein|also|both|the|a|an|referred\s+to\s+as|called|known\s+as|termed)\b[\s,]*)*$",
    )
    .expect("valid regex")
});

/// What a parenthesis must not hold before a quoted phrase for it to be a definition: an
/// example or a list is not one.
static PAREN_NOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:e\.g|i\.e|such\s+as|for\s+example|including|see)\b").expect("valid regex")
});

/// After a term defined in parentheses: more names, then the closing parenthesis.
fn paren_after_pattern() -> String {
    format!(r"^[,.]?(?:\s*(?:,|(?i:or|and))\s*(?:(?i:the)\s+)?{Q})*\s*\)")
}
static PAREN_AFTER: Bounded = Bounded {
    fast: LazyLock::new(|| Regex::new(&q_any(&paren_after_pattern())).expect("valid regex")),
    exact: LazyLock::new(|| Regex::new(&paren_after_pattern()).expect("valid regex")),
    group: 0,
    within: quotes_within,
};

/// An unquoted term after a clause label (Creative Commons 4.0): capitalised words (with
/// `and`, `of`, ...) and a defining verb.
const UNQUOTED_PATTERN: &str = r"^(\p{Lu}[\p{L}\p{N}'\u{2019}-]*(?:[ \t]+(?:\p{Lu}[\p{L}\p{N}'\u{2019}-]*|and|of|or|the|for|in|to|on|by|with|&)){0,5})(?:\*\*|__)?\s+(?i:means|shall\s+mean|refers\s+to|shall\s+refer\s+to)\b";
static UNQUOTED: Bounded = Bounded {
    fast: LazyLock::new(|| {
        Regex::new(&UNQUOTED_PATTERN.replace("{0,5}", "*")).expect("valid regex")
    }),
    exact: LazyLock::new(|| Regex::new(UNQUOTED_PATTERN).expect("valid regex")),
    group: 1,
    // At most six words (the first and five more): none holds a space or a tab.
    within: |words| words.split([' ', '\t']).filter(|w| !w.is_empty()).count() <= 6,
};

/// An alias given inside a definition: `Your has a corresponding meaning`.
static CORRESPONDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:["\u{201C}\u{2018}]([^"\u{201C}\u{201D}\u{2018}\u{2019}\n]{1,40})["\u{201D}\u{2019}]|\b(\p{Lu}[\p{L}'\u{2019}]*))\s+(?:has|have|shall\s+have)\s+(?:a\s+|the\s+)?(?:corresponding|correlative|same|similar)\s+meanings?"#,
    )
    .expect("valid regex")
});

/// Whether `before` ends with context that names a quoted term ([`NAMED_BEFORE`]), or with
/// such context and a possessive word (`the Licensor's `). The possessive was a part of the
/// pattern (`(?:\w+['\u{2019}]s\s+)?`), and its Unicode `\w` half the pattern's cost to compile,
/// which every small diff paid. The pattern's `\w+` always took the whole run of word
/// characters before the apostrophe, as white space must precede it: so does this.
fn named_before(before: &str) -> bool {
    may_be_named(before)
        && (NAMED_BEFORE.is_match(before)
            || without_possessive(before).is_some_and(|b| NAMED_BEFORE.is_match(b)))
}

/// `before` less a possessive word and the white space after it at its end (`Licensor's `).
fn without_possessive(before: &str) -> Option<&str> {
    let t = before.trim_end();
    if t.len() == before.len() {
        return None;
    }
    let t = t.strip_suffix('s')?.strip_suffix(['\'', '\u{2019}'])?;
    let word: usize =
        t.chars().rev().take_while(|&c| is_word_character(c)).map(char::len_utf8).sum();
    (word > 0).then(|| &t[..t.len() - word])
}

/// Whether `before` can match [`NAMED_BEFORE`]: the pattern needs one of these words (in any
/// case). Asked first, so that the pattern (slow to compile: Unicode `\w`) is compiled only for
/// texts that need it. Unicode case folding reads `ſ` as `s` and the Kelvin sign as `k`: a
/// text holding either is always asked.
fn may_be_named(before: &str) -> bool {
    if before.contains(['\u{17F}', '\u{212A}']) {
        return true;
    }
    let lower = before.to_ascii_lowercase();
    ["term", "addressed", "hereinafter", "referred", "called", "considered"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Whether `rest` can match [`UNQUOTED`]: it opens with a capital letter, and `mean` or `refer`
/// (in any case) comes before the first character the pattern cannot take. Asked first, so
/// that the pattern (slow to compile: Unicode letter classes) is compiled only for texts with
/// unquoted definitions.
fn may_be_unquoted(rest: &str) -> bool {
    if !rest.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let takes = |c: char| c.is_alphanumeric() || c.is_whitespace() || "'\u{2019}-&*_".contains(c);
    let end = rest.find(|c: char| !takes(c)).unwrap_or(rest.len());
    let lower = rest[..end].to_ascii_lowercase();
    lower.contains("mean") || lower.contains("refer")
}

/// Words that end the run of words between a term and its verb: the verb then belongs to
/// another subject (`"AS IS" basis, which means`, `"X" may include`).
const STOP_WORDS: &[&str] = &[
    "which", "that", "who", "whom", "whose", "it", "is", "are", "was", "were", "be", "been",
    "being", "not", "no", "may", "must", "can", "could", "would", "should", "and", "or", "if",
    "when", "where", "you", "we", "they", "he", "she",
];

/// Quoted phrases that are never terms.
const NOT_TERMS: &[&str] = &[
    "as is",
    "as-is",
    "as available",
    "with all faults",
    "i accept",
    "i agree",
    "i do not accept",
];

/// All definitions of the text, in document order.
pub(super) fn definitions(content: &str, tree: &ClauseTree, lines: &LineIndex) -> Vec<Found> {
    let ctx = Ctx::new(content, tree, lines);
    let quotes = quotes(content);
    let mut drafts: Vec<Draft> = Vec::new();
    let mut used = vec![false; quotes.len()];
    for qi in 0..quotes.len() {
        if used[qi] {
            continue;
        }
        let q = &quotes[qi];
        let Some(name) = term_like(content, q.inner.clone()) else { continue };
        if let Some(d) = forward(&ctx, &quotes, qi, name.clone(), &mut used) {
            drafts.push(d);
            continue;
        }
        let found = parenthesised(&ctx, &quotes, qi, name.clone(), &mut used, &drafts);
        if !found.is_empty() {
            drafts.extend(found);
        } else if let Some(d) = named(&ctx, q, name) {
            drafts.push(d);
        }
    }
    drafts.extend(unquoted(&ctx));
    drafts.sort_by_key(|d| d.name.start);
    // Definitions after the last clause belong to an appendix (a sample notice).
    if !tree.paragraphs
        && let Some(last) = tree.clauses.iter().map(|c| c.line_end).max()
    {
        drafts.retain(|d| lines.line_of(d.name.start) <= last);
    }
    // A repeat merged into the first definition does not cut that definition short.
    merge_repeats(&ctx, &mut drafts);
    reach(&ctx, &mut drafts);
    drafts
        .into_iter()
        .map(|d| Found { term: d.term, aliases: d.aliases, name: d.name, span: d.start..d.end })
        .collect()
}

/// Quoted phrases of the text, in order: in straight quotes, double curly quotes or single
/// curly quotes (EUPL). A straight quote followed by white space closes rather than opens, so
/// one unbalanced quote does not shift every pair after it; a `’` followed by a letter is an
/// apostrophe, not a closing quote.
fn quotes(content: &str) -> Vec<Quoted> {
    const LEFT_DOUBLE: &[u8] = "\u{201C}".as_bytes();
    const RIGHT_DOUBLE: &[u8] = "\u{201D}".as_bytes();
    const LEFT_SINGLE: &[u8] = "\u{2018}".as_bytes();
    const RIGHT_SINGLE: &[u8] = "\u{2019}".as_bytes();
    let b = content.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'"', 0xE2, &b[i..]) {
        let open = i + k;
        let (open_len, single) = if b[open] == b'"' {
            (1, false)
        } else if b[open..].starts_with(LEFT_DOUBLE) {
            (3, false)
        } else if b[open..].starts_with(LEFT_SINGLE) {
            (3, true)
        } else {
            i = open + 1;
            continue;
        };
        let start = open + open_len;
        if b.get(start).is_none_or(|c| c.is_ascii_whitespace()) {
            i = start;
            continue;
        }
        let limit = (start + MAX_QUOTE_BYTES).min(b.len());
        let mut j = start;
        let mut found = None;
        while j < limit {
            let rest = &b[j..];
            if single {
                if rest.starts_with(RIGHT_SINGLE)
                    && !content[j + 3..].starts_with(char::is_alphanumeric)
                {
                    found = Some((j, 3));
                    break;
                }
                if rest.starts_with(LEFT_SINGLE) {
                    break;
                }
            } else if rest[0] == b'"' || rest.starts_with(RIGHT_DOUBLE) {
                found = Some((j, if rest[0] == b'"' { 1 } else { 3 }));
                break;
            } else if rest.starts_with(LEFT_DOUBLE) {
                break;
            }
            if rest[0] == b'\n'
                && content[j + 1..].trim_start_matches([' ', '\t']).starts_with('\n')
            {
                break;
            }
            j += 1;
        }
        match found {
            Some((close, len)) => {
                out.push(Quoted { open, inner: start..close, close: close + len });
                i = close + len;
            }
            None => i = start,
        }
    }
    out
}

/// The name a quoted phrase holds, trimmed, if it can be a term: a few words starting with a
/// letter or digit, no sentence punctuation (a trailing `,` or `.` inside the quotes, as in
/// American style, is dropped).
fn term_like(content: &str, inner: Range<usize>) -> Option<Range<usize>> {
    let raw = &content[inner.clone()];
    let lead = raw.len() - raw.trim_start().len();
    let t = raw.trim().trim_end_matches([',', '.']).trim_end();
    // `Contributor(s)`: a plural marker is part of the name.
    let bare = t.strip_suffix("(s)").unwrap_or(t);
    if t.is_empty() || t.len() > MAX_TERM_BYTES || t.split_whitespace().count() > MAX_TERM_WORDS {
        return None;
    }
    if !t.chars().next().is_some_and(char::is_alphanumeric) || t.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    if bare.contains(|c: char| "()[]{}<>=|\\/@#$%^*~;:!?,\"\u{201C}\u{201D}\u{2018}".contains(c)) {
        return None;
    }
    let lower = t.to_lowercase();
    if NOT_TERMS.contains(&lower.as_str()) {
        return None;
    }
    let start = inner.start + lead;
    Some(start..start + t.len())
}

/// Collapse the white space of a name (a term wrapped over two lines).
fn name_text(content: &str, r: Range<usize>) -> String {
    content[r].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `"X" (or "Y") means ...`: a quoted term, its aliases, a few words, a defining verb.
fn forward(
    ctx: &Ctx,
    quotes: &[Quoted],
    qi: usize,
    name: Range<usize>,
    used: &mut [bool],
) -> Option<Draft> {
    let content = ctx.content;
    let q = &quotes[qi];
    // Aliases: every quote inside the alias run.
    let after = &content[q.close..];
    let alias_end = q.close
        + if may_have_aliases(after) { ALIASES.find(after).map_or(0, |m| m.end()) } else { 0 };
    let alias_qs: Vec<usize> =
        (qi + 1..quotes.len()).take_while(|&k| quotes[k].close <= alias_end).collect();
    let mut aliases = Vec::new();
    for &k in &alias_qs {
        aliases.push(name_text(content, term_like(content, quotes[k].inner.clone())?));
    }
    // A lead-in holding another quote belongs to that term (`A "User Product" is either (1) a
    // "consumer product", which means`), not to this one.
    // An item of a bulleted list starts after its bullet, whatever the line before says.
    let line = ctx.lines.line_of(q.open);
    let line_text = &content[ctx.lines.range(line)];
    let bulleted = bullet(line_text.trim_start()).is_some().then(|| ctx.text_start(line));
    let lead_start = ctx
        .sentence_start(q.open, q.open.saturating_sub(MAX_LEAD_IN))
        .map(|s| bulleted.filter(|&b| b > s && b <= q.open).unwrap_or(s))
        .filter(|&s| !content[s..q.open].contains(['"', '\u{201C}', '\u{201D}', '\u{2018}']));
    let weak_ok = lead_start.is_some_and(|s| weak_lead_in(&content[s..q.open]));
    // A glossary entry: `- 'The Licence': this Licence.` (EUPL), `"Database" – A collection`
    // (ODbL).
    let after = content[alias_end..].trim_start_matches([' ', '\t']);
    let glossary = (after.starts_with([':', '\u{2013}', '\u{2014}']) || after.starts_with("- "))
        && ctx.starts_line(q.open);
    if !glossary && !verb_follows(content, alias_end, weak_ok && alias_qs.is_empty()) {
        return None;
    }
    for &k in &alias_qs {
        used[k] = true;
    }
    let start = lead_start.unwrap_or(q.open);
    let new_sentence =
        lead_start.is_some_and(|s| !content[s..q.open].to_lowercase().contains("definition"));
    Some(Draft {
        term: name_text(content, name.clone()),
        aliases,
        name,
        start,
        end: start,
        reach: Reach::Entry,
        opens: None,
        new_sentence,
    })
}

/// True when the words before a quoted term allow `is`/`are` as its verb: the term starts its
/// sentence or the part after its last comma, perhaps after an article and a word or two
/// (`A contributor's "essential patent claims" are`, `In the following three paragraphs, a
/// "patent license" is`).
fn weak_lead_in(lead: &str) -> bool {
    let lead = lead.rsplit(',').next().unwrap_or(lead);
    let words: Vec<&str> = lead.split_whitespace().collect();
    match words.first() {
        None => true,
        Some(first) => {
            words.len() <= 3 && matches!(first.to_lowercase().as_str(), "a" | "an" | "the" | "each")
        }
    }
}

/// After a term (and its aliases) at `at`: at most [`MAX_FILLER`] words and commas, then a
/// defining verb. With `weak`, `is`/`are` right after the term count too (`A "contributor"
/// is a copyright holder`), unless a participle or `not` follows (`"Software" is licensed`).
fn verb_follows(content: &str, at: usize, weak: bool) -> bool {
    let mut i = at;
    let mut filler = 0;
    let mut after_comma = false;
    loop {
        let rest = &content[i..];
        let trimmed = rest.trim_start();
        let gap = &rest[..rest.len() - trimmed.len()];
        if gap.matches('\n').count() > 1 {
            return false;
        }
        i += gap.len();
        if let Some(r) = trimmed.strip_prefix(',') {
            i = content.len() - r.len();
            after_comma = true;
            continue;
        }
        let word_len = trimmed
            .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}' || c == '-'))
            .unwrap_or(trimmed.len());
        if word_len == 0 {
            return false;
        }
        if VERB.is_match(trimmed) {
            return true;
        }
        let word = trimmed[..word_len].to_lowercase();
        if filler == 0 {
            if weak && (word == "is" || word == "are") {
                let next = trimmed[word_len..].split_whitespace().next().unwrap_or("");
                let next = next.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
                return !(next.ends_with("ed")
                    || next.ends_with("en")
                    || matches!(
                        next.as_str(),
                        "not"
                            | "hereby"
                            | "also"
                            | "only"
                            | "subject"
                            | "available"
                            | "free"
                            | "responsible"
                            | "solely"
                            | "provided"
                            | "as"
                            | "to"
                            | ""
                    ));
            }
            // `"consumer product", which means ...`
            if after_comma && word == "which" {
                return trimmed[word_len..].trim_start().starts_with("means");
            }
        }
        if STOP_WORDS.contains(&word.as_str()) || filler >= MAX_FILLER {
            return false;
        }
        filler += 1;
        after_comma = false;
        i += word_len;
    }
}

/// `the term "X"`, `addressed as "X"`, `is called a "X"`, `is "X" if`: the sentence defines it.
fn named(ctx: &Ctx, q: &Quoted, name: Range<usize>) -> Option<Draft> {
    let content = ctx.content;
    let line = ctx.lines.line_of(q.open);
    let floor = ctx.para_start(line).min(q.open);
    let window = floor.max(q.open.saturating_sub(80));
    let window = (window..q.open).find(|&i| content.is_char_boundary(i)).unwrap_or(q.open);
    let before = &content[window..q.open];
    let after = &content[q.close..];
    if !(named_before(before) || is_if(before, after)) {
        return None;
    }
    let sentence = ctx.sentence_start(q.open, q.open.saturating_sub(MAX_SENTENCE));
    let start = sentence.unwrap_or(q.open);
    let end = ctx.sentence_end(q.close, q.close + MAX_SENTENCE);
    Some(Draft {
        term: name_text(content, name.clone()),
        aliases: Vec::new(),
        name,
        start,
        end,
        reach: Reach::Fixed,
        opens: None,
        new_sentence: sentence.is_some()
            && !content[start..q.open].to_lowercase().contains("definition"),
    })
}

/// `(the "X")`, `("X" or "Y")`, `(collectively, "X")`: names given in parentheses, defined by
/// what precedes them in the sentence. `or` gives an alias, `and` another term.
fn parenthesised(
    ctx: &Ctx,
    quotes: &[Quoted],
    qi: usize,
    name: Range<usize>,
    used: &mut [bool],
    drafts: &[Draft],
) -> Vec<Draft> {
    let content = ctx.content;
    let q = &quotes[qi];
    let b = content.as_bytes();
    let line = ctx.lines.line_of(q.open);
    let floor = ctx.para_start(line).min(q.open).max(q.open.saturating_sub(MAX_PAREN_BACK));
    // The unclosed parenthesis before the quote.
    let mut depth = 0usize;
    let mut paren = None;
    for i in (floor..q.open).rev() {
        match b[i] {
            b')' => depth += 1,
            b'(' if depth == 0 => {
                paren = Some(i);
                break;
            }
            b'(' => depth -= 1,
            _ => {}
        }
    }
    let Some(paren) = paren else { return Vec::new() };
    let inside = &content[paren + 1..q.open];
    if !PAREN_BEFORE.is_match(inside) || PAREN_NOT.is_match(inside) {
        return Vec::new();
    }
    let Some(m) = PAREN_AFTER.find(&content[q.close..]) else { return Vec::new() };
    let close = q.close + m.end();
    // Names in the parenthesis, split at `and` (another term) or kept together by `or`.
    let mut groups: Vec<Vec<Range<usize>>> = vec![vec![name]];
    let mut prev_close = q.close;
    let others: Vec<usize> =
        (qi + 1..quotes.len()).take_while(|&k| quotes[k].close <= close).collect();
    for &k in &others {
        let Some(n) = term_like(content, quotes[k].inner.clone()) else { return Vec::new() };
        let between = content[prev_close..quotes[k].open].to_lowercase();
        if between.split(|c: char| !c.is_alphabetic()).any(|w| w == "or") {
            groups.last_mut().expect("one group").push(n);
        } else {
            groups.push(vec![n]);
        }
        prev_close = quotes[k].close;
    }
    for &k in &others {
        used[k] = true;
    }
    let sentence = ctx.sentence_start(paren, paren.saturating_sub(MAX_SENTENCE)).unwrap_or(paren);
    // A second parenthesis in the same sentence defines by the words since the first.
    let start = drafts
        .iter()
        .rev()
        .take(4)
        .filter(|d| d.reach == Reach::Fixed && d.end <= paren && d.end > sentence)
        .map(|d| d.end)
        .max()
        .map_or(sentence, |e| e + (content[e..paren].len() - content[e..paren].trim_start().len()));
    groups
        .into_iter()
        .map(|names| {
            let mut names = names.into_iter();
            let first = names.next().expect("a name");
            Draft {
                term: name_text(content, first.clone()),
                aliases: names.map(|n| name_text(content, n)).collect(),
                name: first,
                start,
                end: close,
                reach: Reach::Fixed,
                opens: None,
                new_sentence: false,
            }
        })
        .collect()
}

/// `a. Adapted Material means ...`: an unquoted term opening a labelled clause.
fn unquoted(ctx: &Ctx) -> Vec<Draft> {
    let mut out = Vec::new();
    if ctx.tree.paragraphs {
        return out;
    }
    for (ci, c) in ctx.tree.clauses.iter().enumerate() {
        if c.label.is_empty() {
            continue;
        }
        let Some(at) = first_text(ctx, ci) else { continue };
        let rest = &ctx.content[at..];
        if !may_be_unquoted(rest) {
            continue;
        }
        let Some(caps) = UNQUOTED.captures(rest) else { continue };
        let m = caps.get(1).expect("group 1");
        let term = m.as_str();
        if !term.split_whitespace().last().is_some_and(|w| w.starts_with(char::is_uppercase)) {
            continue;
        }
        let name = at + m.start()..at + m.end();
        out.push(Draft {
            term: name_text(ctx.content, name.clone()),
            aliases: Vec::new(),
            name,
            start: at,
            end: at,
            reach: Reach::Entry,
            opens: Some(ci),
            new_sentence: true,
        });
    }
    out
}

/// Where the words of clause `ci` start: after its label, or on the next line with words when
/// the label stands alone.
fn first_text(ctx: &Ctx, ci: usize) -> Option<usize> {
    let c = &ctx.tree.clauses[ci];
    let mut line = c.line_start;
    while line <= c.line_end.min(ctx.lines.count()) {
        let at = ctx.text_start(line);
        if at < ctx.lines.range(line).end && !ctx.is_blank(line) {
            return Some(at);
        }
        line += 1;
    }
    None
}

/// Set where each entry ends: its paragraph's end, or its clause's end when it opens the
/// clause, and never past the next entry that starts a line. Add aliases given inside
/// (`Your has a corresponding meaning`).
fn reach(ctx: &Ctx, drafts: &mut [Draft]) {
    let content = ctx.content;
    // Entries that open their clause.
    for d in drafts.iter_mut() {
        if d.reach == Reach::Entry && d.opens.is_none() {
            let line = ctx.lines.line_of(d.name.start);
            if let Some(ci) = ctx.tree.at_line(line)
                && first_text(ctx, ci) == Some(d.start)
            {
                d.opens = Some(ci);
            }
        }
    }
    let mut cuts: Vec<usize> = drafts
        .iter()
        .filter(|d| d.new_sentence || ctx.starts_line(d.start))
        .map(|d| d.start)
        .collect();
    cuts.sort_unstable();
    for d in drafts.iter_mut().filter(|d| d.reach == Reach::Entry) {
        let bound = match d.opens {
            Some(ci) => {
                let last = ctx.tree.clauses[ci].line_end.min(ctx.lines.count());
                ctx.trim_end(ctx.lines.range(last).end)
            }
            None => ctx.para_end(ctx.lines.line_of(d.name.start)),
        };
        let next = cuts.get(cuts.partition_point(|&s| s <= d.start));
        let next = next.copied().unwrap_or(usize::MAX);
        d.end = ctx.trim_end(bound.min(next)).max(d.name.end);
        let text = &content[d.start..d.end];
        // The pattern needs this word as written (it is not asked in any case).
        if !text.contains("meaning") {
            continue;
        }
        for caps in CORRESPONDING.captures_iter(text) {
            let alias = caps.get(1).or(caps.get(2)).map(|m| m.as_str().trim().to_string());
            if let Some(a) = alias
                && a != d.term
                && !d.aliases.contains(&a)
            {
                d.aliases.push(a);
            }
        }
    }
}

/// A term defined again in the same clause (`"You" (or "Your") means ...` then `For legal
/// entities, "You" includes ...`) is one definition: the first, with the aliases of both.
fn merge_repeats(ctx: &Ctx, drafts: &mut Vec<Draft>) {
    let mut keep: Vec<Draft> = Vec::with_capacity(drafts.len());
    let mut seen: HashMap<(Option<usize>, String), usize> = HashMap::new();
    for d in drafts.drain(..) {
        let clause = ctx.tree.at_line(ctx.lines.line_of(d.name.start));
        if let Some(&k) = seen.get(&(clause, d.term.clone())) {
            let first = &mut keep[k];
            for a in d.aliases {
                if !first.aliases.contains(&a) && a != first.term {
                    first.aliases.push(a);
                }
            }
            continue;
        }
        // An alias defined again on its own (`"You" includes` after `"Licensee" or "You"`).
        if keep.iter().rev().take(16).any(|k| {
            ctx.tree.at_line(ctx.lines.line_of(k.name.start)) == clause
                && k.aliases.contains(&d.term)
        }) {
            continue;
        }
        seen.insert((clause, d.term.clone()), keep.len());
        keep.push(d);
    }
    *drafts = keep;
}

#[cfg(test)]
mod bounded_tests {
    use super::*;

    /// The prechecks never turn away a text the pattern would match: on every line start and
    /// before every quote of real licenses, and on the case-folding corners.
    #[test]
    fn the_prechecks_only_skip_what_cannot_match() {
        let mut checked = (0, 0);
        for id in ["MPL-2.0", "GPL-3.0-only", "CC-BY-4.0", "CC-BY-SA-4.0", "Apache-2.0", "EUPL-1.2"]
        {
            let text = crate::text::load(&format!("spdx:{id}")).expect("SPDX text").content;
            // Every word start (an unquoted definition follows a clause label).
            for (at, _) in text.match_indices([' ', '\t', '\n']) {
                let rest = &text[at + 1..];
                if UNQUOTED.exact.is_match(rest) {
                    assert!(may_be_unquoted(rest), "{id}: {:?}", &rest[..rest.len().min(60)]);
                    checked.0 += 1;
                }
            }
            for (at, _) in text.match_indices(['"', '\u{201C}']) {
                let from = (at.saturating_sub(80)..at).find(|&i| text.is_char_boundary(i));
                let before = &text[from.unwrap_or(at)..at];
                if NAMED_BEFORE.is_match(before) {
                    assert!(may_be_named(before), "{id}: {before:?}");
                    checked.1 += 1;
                }
            }
        }
        assert!(checked.0 > 10 && checked.1 > 3, "the texts hold such definitions: {checked:?}");
        for before in ["the addre\u{17F}\u{17F}ed as ", "is CALLED ", "hereinafter "] {
            assert!(NAMED_BEFORE.is_match(before) && may_be_named(before), "{before:?}");
        }
        assert!(!may_be_named("as set out in section 2 of the "));
        assert!(!may_be_unquoted("\u{201C}This License\u{201D} refers to version 3"));
        assert!(!may_be_unquoted("Adapted Material, as used here"));
        assert!(may_be_unquoted("Adapted Material MEANS"));
    }

    /// The twin and the exact pattern agree: within the counts (the twin answers), past them
    /// (the exact pattern answers), and with quote marks of the other kind inside a phrase.
    #[test]
    fn the_fast_twin_answers_as_the_exact_pattern() {
        let long = "x".repeat(81);
        let at_limit = "y".repeat(80);
        let hays = [
            r#" (or "Your") means"#.to_string(),
            format!(r#" (or "{at_limit}") means"#),
            format!(r#" (or "{long}") means"#),
            format!(" or \u{201C}a\u{201D} and \u{2018}{long}\u{2019} x"),
            format!(
                " and \u{201C}Licensor\u{2019}s {}\u{2019} {}\u{201D} y",
                "a".repeat(50),
                "b".repeat(40)
            ),
            format!(r#", "A" and "{long}")"#),
            r#", "A" or the "B")"#.to_string(),
            "Adapted Material means".to_string(),
            "Licensed Rights Of The Work And Other Stuff means".to_string(),
            "One Two Three Four Five Six means".to_string(),
            "One Two Three Four Five Six Seven means".to_string(),
        ];
        for hay in &hays {
            for b in [&ALIASES, &PAREN_AFTER] {
                let (got, want) = (b.find(hay), b.exact.find(hay));
                assert_eq!(got.map(|m| m.range()), want.map(|m| m.range()), "{hay:?}");
            }
            let got = UNQUOTED.captures(hay).map(|c| c.get(1).unwrap().range());
            let want = UNQUOTED.exact.captures(hay).map(|c| c.get(1).unwrap().range());
            assert_eq!(got, want, "{hay:?}");
        }
        // The cases past the counts are there: the twin alone would have said otherwise.
        let past = &hays[2];
        assert_ne!(
            ALIASES.fast.find(past).map(|m| m.end()),
            ALIASES.exact.find(past).map(|m| m.end())
        );
        let seven = &hays[10];
        assert!(UNQUOTED.fast.is_match(seven) && !UNQUOTED.exact.is_match(seven));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The patterns [`bullet`], [`is_if`] and [`may_have_aliases`] stand for.
    static BULLET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[-*\u{2022}\u{00B7}\u{2013}\u{2014}]\s+|\*\*|__)").expect("valid regex")
    });
    static IS_BEFORE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(?:is|are)\s+$").expect("valid regex"));
    static IF_AFTER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s+if\b").expect("valid regex"));
    /// [`NAMED_BEFORE`] as it was, with the possessive that [`named_before`] reads by hand.
    static NAMED_POSSESSIVE: LazyLock<Regex> = LazyLock::new(|| {
        let p = NAMED_BEFORE.as_str().replace(r"\s+)?$", r"\s+)?(?:\w+['\u{2019}]s\s+)?$");
        assert_ne!(p, NAMED_BEFORE.as_str());
        Regex::new(&p).expect("valid regex")
    });

    fn agree(s: &str) {
        assert_eq!(bullet(s), BULLET.find(s).map(|m| m.end()), "bullet {s:?}");
        assert_eq!(is_if(s, s), IS_BEFORE.is_match(s) && IF_AFTER.is_match(s), "is_if {s:?}");
        assert_eq!(named_before(s), may_be_named(s) && NAMED_POSSESSIVE.is_match(s), "named {s:?}");
        // Where the precheck turns a text away, the pattern matches nothing.
        if !may_have_aliases(s) {
            assert_eq!(ALIASES.exact.find(s).map(|m| m.end()), Some(0), "aliases {s:?}");
        }
    }

    /// The written-out patterns answer as the regular expressions did: at every line start and
    /// around every quote of real licenses, and on the corners of white space, word
    /// characters and case.
    #[test]
    fn hand_written_patterns_agree() {
        let mut asked = 0;
        for id in ["MPL-2.0", "GPL-3.0-only", "CC-BY-4.0", "EUPL-1.2", "ODbL-1.0", "Apache-2.0"] {
            let text = crate::text::load(&format!("spdx:{id}")).expect("SPDX text").content;
            for line in text.lines() {
                agree(line.trim_start());
            }
            for (at, _) in text.match_indices(['"', '\u{201C}', '\u{201D}', '\u{2019}']) {
                let from = (at.saturating_sub(80)..at).find(|&i| text.is_char_boundary(i));
                let before = &text[from.unwrap_or(at)..at];
                let after: String = text[at..].chars().skip(1).take(200).collect();
                let after = after.as_str();
                agree(before);
                agree(after);
                assert_eq!(
                    is_if(before, after),
                    IS_BEFORE.is_match(before) && IF_AFTER.is_match(after),
                    "{id}: {before:?} / {after:?}"
                );
                asked += 1;
            }
        }
        assert!(asked > 100, "the texts hold quotes: {asked}");
        for s in [
            "- item",
            "-item",
            "\u{2014}\u{a0}x",
            "**Term**",
            "__x",
            "*",
            "is ",
            "this ",
            "_is ",
            "\u{e9}is ",
            "are\u{2003}",
            " if",
            " iff",
            " if_",
            " if\u{301}",
            "\u{a0}if.",
            " OR \"x\"",
            " or\u{a0}\"x\"",
            "or \"x\"",
            " ,\"x\"",
            " (\"x\")",
            " ore \"x\"",
            " and\"x\"",
            "",
            "hereinafter the Licensor's ",
            "hereinafter the Licensor\u{2019}s\n",
            "hereinafter the Licensor's",
            "hereinafter the _x\u{301}'s ",
            "hereinafter the ,x's ",
            "hereinafter 's ",
            "the term Licensor\u{2019}S ",
            "referred to as an ",
        ] {
            agree(s);
        }
    }

    proptest! {
        #[test]
        fn hand_written_patterns_agree_on_any_text(s in "(hereinafter|the term|[-*_ \t\n\u{a0}\u{2022}\u{2014}isarefodnIFOR,(\"'\u{2019}\u{e9}\u{301}]){0,12}") {
            agree(&s);
        }
    }
}

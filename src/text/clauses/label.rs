//! Recognising a clause label at the start of one line.
//!
//! Lexing is context-free and cheap (bytes, no allocation unless a label is found); whether a
//! candidate really opens a clause is decided by the tree builder, which knows the numbering
//! so far (`(i)` after `(h)` is a letter; `2019.` in the middle of clause 3 is not a clause).

/// How a label's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Decimal numbers: `3`, `2.2`, `1.14.`
    Number,
    /// `a`..`z`
    Lower,
    /// `A`..`Z`
    Upper,
    /// `i`, `ii`, `iv`, ...
    LowerRoman,
    /// `I`, `II`, `IV`, ...
    UpperRoman,
}

/// What surrounds the label. Part of a list's "style": `(a)` and `a.` are different lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delim {
    /// `1.`, `a.`, `1.1`, `1<TAB>`
    Dot,
    /// `(a)`
    Paren,
    /// `a)`
    Close,
    /// `Section 3`, `Article 4`, `§ 3`
    Keyword,
}

/// A label candidate found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Decimal parts (`[2, 2]` for `2.2`), or one value for a letter or roman numeral.
    pub parts: Vec<u32>,
    /// Letter or roman readings of an alphabetic label: `i` can be the letter i (9) or the
    /// roman numeral 1; the builder picks by sequence. Empty for numbers.
    pub alpha: Vec<(Family, u32)>,
    /// The label's characters as written, e.g. `(b)`, `1.1.`, `iv.`, `Section 3`.
    pub text: String,
    /// The alphabetic label's letters (`iv`), for ids; empty for numbers.
    pub letters: String,
    pub delim: Delim,
    /// Display column of the label (tabs count to the next multiple of 4).
    pub indent: usize,
    /// Byte offset in the line where the clause's own words start (after the label and
    /// separators); equals the line length when the label stands alone.
    pub rest: usize,
    /// Written as a Markdown heading (`## 2. Grant`).
    pub heading: bool,
    /// The Markdown heading level (2 for `##`), 0 when not a heading.
    pub level: usize,
    /// Extra sub-labels after a decimal number, as in `2.2(b)`: (family readings, letters).
    pub sub: Vec<String>,
}

/// A Markdown heading without a number: `## Prohibited Uses`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainHeading {
    pub level: usize,
    /// Byte offset of the heading words in the line.
    pub rest: usize,
}

/// A part of the text that groups clauses without taking part in their numbering:
/// `Section II: INTELLECTUAL PROPERTY RIGHTS` (OpenRAIL numbers its clauses 1-12 across such
/// sections), `Attachment A`, `Annex A`, `Appendix B`, `Exhibit 1`, `Schedule 2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `Attachment A`, `Section II`.
    pub text: String,
    /// Byte offset of the title words in the line.
    pub rest: usize,
}

/// What starts a line, if anything that can open a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineStart {
    Label(Candidate),
    Heading(PlainHeading),
    Group(Group),
}

/// Longest roman numeral accepted as a label (`xviii`).
const MAX_ROMAN: usize = 7;
/// Longest decimal part (3 digits: `2019.` is a year, not a clause).
const MAX_DIGITS: usize = 3;

/// Value of a roman numeral in canonical form (`iv`, not `iiii`), case-insensitive.
pub fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > MAX_ROMAN {
        return None;
    }
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.bytes().rev() {
        let v = match c.to_ascii_lowercase() {
            b'i' => 1,
            b'v' => 5,
            b'x' => 10,
            b'l' => 50,
            b'c' => 100,
            b'd' => 500,
            b'm' => 1000,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    // Only canonical spellings: round-trip through the canonical writer.
    (to_roman(total).eq_ignore_ascii_case(s)).then_some(total)
}

/// Canonical lower-case roman numeral for 1..=3999 (empty for 0).
pub fn to_roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    if n >= 4000 {
        return out;
    }
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The readings of an alphabetic label: a single or doubled letter, and/or a roman numeral.
fn alpha_readings(s: &str) -> Vec<(Family, u32)> {
    let mut out = Vec::with_capacity(2);
    let upper = s.bytes().all(|b| b.is_ascii_uppercase());
    let lower = s.bytes().all(|b| b.is_ascii_lowercase());
    if !(upper || lower) {
        return out;
    }
    let family = if upper { Family::Upper } else { Family::Lower };
    let b = s.as_bytes();
    if b.len() == 1 {
        out.push((family, u32::from(b[0].to_ascii_lowercase() - b'a') + 1));
    }
    // After `(z)` legal drafting goes on with `(aa)`, `(bb)`, ...: 27, 28, ... The builder
    // takes this reading only right after the 26th item, so `(ii)` stays a roman 2 elsewhere.
    if b.len() == 2 && b[0] == b[1] {
        out.push((family, u32::from(b[0].to_ascii_lowercase() - b'a') + 27));
    }
    if let Some(v) = roman_value(s) {
        out.push((if upper { Family::UpperRoman } else { Family::LowerRoman }, v));
    }
    out
}

fn indent_of(line: &[u8]) -> (usize, usize) {
    let mut col = 0;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'\t' => col += 4 - col % 4,
            _ if ws_len(line, i) > 0 => col += 1,
            _ => break,
        }
        i += ws_len(line, i);
    }
    (i, col)
}

/// True if byte `i` of `line` ends a label: end of line or white space.
fn ends_label(line: &[u8], i: usize) -> bool {
    i >= line.len() || ws_len(line, i) > 0
}

/// Length of the white space at byte `i`: space, tab, a stray CR (text that did not go
/// through the loader) or a no-break space (`1.\u{a0}Definitions`); 0 for anything else.
fn ws_len(line: &[u8], i: usize) -> usize {
    match line.get(i) {
        Some(b' ' | b'\t' | b'\r') => 1,
        Some(0xC2) if line.get(i + 1) == Some(&0xA0) => 2,
        _ => 0,
    }
}

/// Skip white space from `i`.
fn skip_ws(line: &[u8], mut i: usize) -> usize {
    loop {
        match ws_len(line, i) {
            0 => return i,
            n => i += n,
        }
    }
}

/// Skip a separator between a keyword label or heading number and its title: white space,
/// `:`, `.`, `-`, en and em dashes.
fn skip_separators(line: &str, mut i: usize) -> usize {
    let b = line.as_bytes();
    loop {
        i = skip_ws(b, i);
        let rest = &line[i.min(line.len())..];
        if rest.starts_with(':') || rest.starts_with('.') || rest.starts_with('-') {
            i += 1;
        } else if rest.starts_with('\u{2013}') || rest.starts_with('\u{2014}') {
            i += 3;
        } else {
            return i;
        }
    }
}

/// Read decimal parts `2.2.1` at `i`; returns (parts, index after, trailing dot seen).
fn read_decimal(b: &[u8], mut i: usize) -> Option<(Vec<u32>, usize, bool)> {
    let mut parts = Vec::new();
    loop {
        let start = i;
        let mut v = 0u32;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start >= MAX_DIGITS {
                return None;
            }
            v = v * 10 + u32::from(b[i] - b'0');
            i += 1;
        }
        if i == start {
            // "1." then something else: the dot was a trailing dot.
            return if parts.is_empty() { None } else { Some((parts, i, true)) };
        }
        parts.push(v);
        if i < b.len() && b[i] == b'.' {
            i += 1;
            continue;
        }
        return Some((parts, i, false));
    }
}

/// Read the alphabetic core at `i` (up to [`MAX_ROMAN`] ASCII letters).
fn read_alpha(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while j < b.len() && b[j].is_ascii_alphabetic() {
        j += 1;
        if j - i > MAX_ROMAN {
            return None;
        }
    }
    (j > i).then_some(j)
}

/// Parenthesised sub-labels right after a decimal number: `(b)(i)` in `2.2(b)(i)`.
fn read_subs(line: &str, mut i: usize) -> (Vec<String>, usize) {
    let b = line.as_bytes();
    let mut subs = Vec::new();
    while i < b.len() && b[i] == b'(' {
        let s = i + 1;
        let mut j = s;
        while j < b.len() && b[j].is_ascii_alphanumeric() && j - s < MAX_ROMAN {
            j += 1;
        }
        if j == s || j >= b.len() || b[j] != b')' {
            break;
        }
        subs.push(line[s..j].to_string());
        i = j + 1;
    }
    (subs, i)
}

/// Recognise what starts `line`, if it may open a clause.
pub fn lex(line: &str) -> Option<LineStart> {
    let b = line.as_bytes();
    let (start, indent) = indent_of(b);
    if start >= b.len() {
        return None;
    }
    let mut i = start;
    // A box drawn with asterisks (MPL 2.0's warranty sections: `*  6. Disclaimer ...  *`)
    // or a Markdown bullet around a label.
    if b[i] == b'*' && i + 1 < b.len() && matches!(b[i + 1], b' ' | b'\t') {
        i = skip_ws(b, i + 1);
        if i >= b.len() {
            return None;
        }
    }
    if let Some(g) = group(line, i) {
        return Some(LineStart::Group(g));
    }
    if b[i] == b'#' {
        let mut level = 0;
        while i < b.len() && b[i] == b'#' {
            level += 1;
            i += 1;
        }
        if level > 6 || !ends_label(b, i) {
            return None;
        }
        i = skip_ws(b, i);
        if i >= b.len() {
            return None;
        }
        match lex_label(line, i, indent, true) {
            Some(c) => return Some(LineStart::Label(Candidate { heading: true, level, ..c })),
            None => return Some(LineStart::Heading(PlainHeading { level, rest: i })),
        }
    }
    lex_label(line, i, indent, false).map(LineStart::Label)
}

/// `Attachment A`, `Annex 1`, `Section IV: TITLE` at byte `i`.
fn group(line: &str, i: usize) -> Option<Group> {
    let b = line.as_bytes();
    let rest = &line[i..];
    let kw_len = ["attachment", "annex", "appendix", "exhibit", "schedule", "section", "part"]
        .iter()
        .find(|kw| {
            rest.len() > kw.len()
                && rest.as_bytes()[..kw.len()].eq_ignore_ascii_case(kw.as_bytes())
                && matches!(rest.as_bytes()[kw.len()], b' ' | b'\t')
        })?
        .len();
    let is_section = b[i..i + kw_len].eq_ignore_ascii_case(b"section");
    let j = skip_ws(b, i + kw_len);
    let k = read_alpha(b, j).or_else(|| {
        let mut k = j;
        while k < b.len() && b[k].is_ascii_digit() && k - j < MAX_DIGITS {
            k += 1;
        }
        (k > j && !is_section).then_some(k)
    })?;
    let ident = &line[j..k];
    let roman = ident.bytes().all(|c| c.is_ascii_uppercase()) && roman_value(ident).is_some();
    let single = ident.len() == 1 && ident.as_bytes()[0].is_ascii_uppercase();
    let digits = ident.bytes().all(|c| c.is_ascii_digit());
    // `Section I` groups; `Section A` is not a usual numbering, `Section 3` is a clause.
    if !(roman || (!is_section && (single || digits))) {
        return None;
    }
    if k < b.len() && !matches!(b[k], b' ' | b'\t' | b'\r' | b'.' | b':' | b'-' | 0xE2 | 0xC2) {
        return None;
    }
    let r = skip_separators(line, k);
    let after = &line[r..];
    let title_like = after.is_empty()
        || r > skip_ws(b, k)
        || after.chars().next().is_some_and(|c| c.is_uppercase());
    // A group heading is a short line of its own, not a sentence wrapped from prose.
    let short = line.trim().chars().count() <= 80;
    (title_like && short).then(|| Group { text: line[i..k].to_string(), rest: r })
}

/// A keyword that introduces a numbered clause, at byte `i`; returns the index after it.
fn keyword(line: &str, i: usize) -> Option<usize> {
    let rest = &line[i..];
    if rest.starts_with('\u{a7}') {
        return Some(i + 2);
    }
    for kw in ["section", "article", "clause"] {
        if rest.len() > kw.len()
            && rest.as_bytes()[..kw.len()].eq_ignore_ascii_case(kw.as_bytes())
            && matches!(rest.as_bytes()[kw.len()], b' ' | b'\t')
        {
            return Some(i + kw.len());
        }
    }
    None
}

fn lex_label(line: &str, i: usize, indent: usize, heading: bool) -> Option<Candidate> {
    let b = line.as_bytes();
    let c0 = b[i];
    // Section 3 / Article 4 / § 3
    if let Some(after_kw) = keyword(line, i) {
        let j = skip_ws(b, after_kw);
        let (parts, k, _) = read_decimal(b, j)?;
        if parts.len() > 1 && parts.contains(&0) && parts[0] != 0 {
            return None;
        }
        // Only a title may follow: not "Section 3 of this License" wrapped from prose.
        let k2 = skip_separators(line, k);
        let after = &line[k2..];
        let title_like = after.is_empty()
            || k2 > skip_ws(b, k)
            || after
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '"' || c == '\u{201c}');
        if !title_like
            || (k < b.len()
                && !matches!(b[k], b' ' | b'\t' | b'\r' | b'.' | b':' | b'-' | 0xE2 | 0xC2))
        {
            return None;
        }
        let text = line[i..k].trim_end_matches(['.', ':']).to_string();
        return Some(Candidate {
            parts,
            alpha: Vec::new(),
            text,
            letters: String::new(),
            delim: Delim::Keyword,
            indent,
            rest: k2,
            heading,
            level: 0,
            sub: Vec::new(),
        });
    }
    if c0.is_ascii_digit() {
        let (mut parts, k, trailing_dot) = read_decimal(b, i)?;
        let mut point_zero = false;
        // ODbL numbers its sections `1.0`, `2.0` (then `2.1`): as a heading, or followed by
        // a capitalised title, `N.0` is section N. Otherwise `1.0`, `2.0.1` are versions.
        if parts.len() == 2 && parts[1] == 0 && parts[0] > 0 && !trailing_dot {
            let r = skip_ws(b, k);
            let titled = r > k && b.get(r).is_some_and(|c| c.is_ascii_uppercase());
            if !(heading || titled) {
                return None;
            }
            parts.pop();
            point_zero = true;
        }
        if parts.len() > 1 && parts[1..].contains(&0) {
            return None;
        }
        // `2.2(b)` compound labels
        if parts.len() > 1 && !trailing_dot && k < b.len() && b[k] == b'(' {
            let (sub, k2) = read_subs(line, k);
            if sub.is_empty() || !ends_label(b, k2) {
                return None;
            }
            return Some(Candidate {
                parts,
                alpha: Vec::new(),
                text: line[i..k2].to_string(),
                letters: String::new(),
                delim: Delim::Dot,
                indent,
                rest: skip_ws(b, k2),
                heading,
                level: 0,
                sub,
            });
        }
        // `1)` and `1.` and `1.1` and `1<TAB>`
        let (delim, end) = if !trailing_dot && k < b.len() && b[k] == b')' && parts.len() == 1 {
            (Delim::Close, k + 1)
        } else if point_zero {
            // `1.0 General` numbers sections, as `Section 1` does.
            (Delim::Keyword, k)
        } else if trailing_dot
            || parts.len() > 1
            || (k < b.len() && b[k] == b'\t')
            || (heading && ends_label(b, k))
        {
            (Delim::Dot, k)
        } else {
            return None;
        };
        // `1.Definitions` (EUPL 1.2 as SPDX prints it): a one-part number, its dot and a
        // capital with no space between.
        let glued =
            trailing_dot && parts.len() == 1 && b.get(end).is_some_and(|c| c.is_ascii_uppercase());
        if !ends_label(b, end) && !glued {
            return None;
        }
        let rest = skip_ws(b, end);
        // "2.1 of this License" is prose wrapped after "Section"; "2.1\tGrant" and
        // "2.1 Grant" are labels.
        if parts.len() > 1
            && !trailing_dot
            && end < b.len()
            && b[end] == b' '
            && rest < b.len()
            && b[rest].is_ascii_lowercase()
        {
            return None;
        }
        return Some(Candidate {
            parts,
            alpha: Vec::new(),
            text: line[i..end].to_string(),
            letters: String::new(),
            delim,
            indent,
            rest,
            heading,
            level: 0,
            sub: Vec::new(),
        });
    }
    let (core_start, delim_open) = if c0 == b'(' { (i + 1, true) } else { (i, false) };
    if core_start >= b.len() {
        return None;
    }
    if b[core_start].is_ascii_digit() && delim_open {
        let (parts, k, trailing) = read_decimal(b, core_start)?;
        if parts.len() != 1 || trailing || k >= b.len() || b[k] != b')' || !ends_label(b, k + 1) {
            return None;
        }
        return Some(Candidate {
            parts,
            alpha: Vec::new(),
            text: line[i..k + 1].to_string(),
            letters: String::new(),
            delim: Delim::Paren,
            indent,
            rest: skip_ws(b, k + 1),
            heading,
            level: 0,
            sub: Vec::new(),
        });
    }
    let k = read_alpha(b, core_start)?;
    let letters = &line[core_start..k];
    let (delim, end) = match (delim_open, b.get(k)) {
        (true, Some(b')')) => (Delim::Paren, k + 1),
        (false, Some(b')')) => (Delim::Close, k + 1),
        (false, Some(b'.')) => (Delim::Dot, k + 1),
        _ => return None,
    };
    if !ends_label(b, end) {
        return None;
    }
    let alpha = alpha_readings(letters);
    if alpha.is_empty() {
        return None;
    }
    Some(Candidate {
        parts: Vec::new(),
        alpha,
        text: line[i..end].to_string(),
        letters: letters.to_string(),
        delim,
        indent,
        rest: skip_ws(b, end),
        heading,
        level: 0,
        sub: Vec::new(),
    })
}

//! Clause ids in legal-citation form and the usual spellings that map to them.
//!
//! Numeric labels are joined with `.`, letters and roman numerals sit in parentheses, and a
//! number under a letter is parenthesised too: `2`, `2.2`, `2.2(b)`, `1(b)(i)`, `2(a)(1)`.
//! Unnumbered Markdown headings get a slug (`prohibited-uses`). A second clause with the same
//! id in one text gets `~2` appended (`~3` for the third), so every id is unique. The
//! paragraphs of a text without numbering are `¶1`, `¶2`, ... (see [`paragraph_id`]).

/// The sign that opens a paragraph's id: `¶2`.
pub const PARAGRAPH_SIGN: char = '\u{b6}';

/// Whether `id` is a paragraph's (`¶3`): it only says where the paragraph is, so the same
/// paragraph is `¶4` after one inserted above it, and such an id says nothing about which
/// paragraph of another version it is.
pub fn is_paragraph_id(id: &str) -> bool {
    id.starts_with(PARAGRAPH_SIGN)
}

/// Whether a list of clause ids (of one or both texts) is of paragraphs only: neither text
/// is numbered, so a person is told "paragraphs", not "clauses". False for no ids at all.
pub fn only_paragraph_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> bool {
    let mut any = false;
    for id in ids {
        if !is_paragraph_id(id) {
            return false;
        }
        any = true;
    }
    any
}

/// The id of a paragraph, `¶N`, for its usual spellings: `¶2`, `¶ 2`, `p2`, `P2`, `p. 2`,
/// `para 2`, `para. 2`, `paragraph 2` (any case); `None` for anything else. Only texts without
/// numbering have paragraph ids, so look-ups try this before reading `p2` as letter `(p)`.
pub fn paragraph_id(query: &str) -> Option<String> {
    let q = query.trim();
    let rest = if let Some(r) = q.strip_prefix(PARAGRAPH_SIGN) {
        r
    } else {
        let word_end = q.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(q.len());
        let word = &q[..word_end];
        if !["p", "para", "paragraph"].iter().any(|w| word.eq_ignore_ascii_case(w)) {
            return None;
        }
        let r = &q[word_end..];
        r.strip_prefix('.').unwrap_or(r)
    };
    let n = rest.trim_start();
    if n.is_empty() || n.len() > 9 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = n.parse().ok()?;
    (n > 0).then(|| format!("{PARAGRAPH_SIGN}{n}"))
}

/// Decimal parts joined with dots: `[2, 2]` -> `2.2`.
pub fn join_parts(parts: &[u32]) -> String {
    let mut s = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        s.push_str(&p.to_string());
    }
    s
}

/// Lower-case words of `s` joined by `-`, cut before the word that would pass 60 bytes: the
/// id of an unnumbered heading or a group (`Attachment A` -> `attachment-a`).
pub fn slug(s: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_lowercase();
        let extra = word.len() + usize::from(!out.is_empty());
        if out.len() + extra > MAX {
            if out.is_empty() {
                // One very long word: keep its first characters.
                out.extend(word.chars().scan(0, |n, c| {
                    *n += c.len_utf8();
                    (*n <= MAX).then_some(c)
                }));
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word);
    }
    out
}

/// One piece of a clause reference: a number or a run of letters.
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    /// A number; `true` when written in parentheses (`(1)` in `2.2(1)`).
    Num(&'a str, bool),
    Alpha(&'a str),
    /// `~2`: the run or duplicate suffix, kept where it stands (`5~2(a)`).
    Run(&'a str),
}

/// Strip a leading `§`, `Section`, `Sec.`, `Article`, `Art.` or `Clause` (any case).
fn strip_keyword(q: &str) -> &str {
    let mut q = q.trim_start();
    loop {
        let before = q.len();
        q = q.trim_start_matches('\u{a7}').trim_start();
        for kw in ["sections", "section", "sec.", "sec", "articles", "article", "art.", "clause"] {
            let b = q.as_bytes();
            if b.len() >= kw.len() && b[..kw.len()].eq_ignore_ascii_case(kw.as_bytes()) {
                let rest = &q[kw.len()..];
                // "sec2" and "sec 2" both fine; "secret" is not a keyword.
                if rest.is_empty() || !rest.as_bytes()[0].is_ascii_alphabetic() {
                    q = rest.trim_start();
                    break;
                }
            }
        }
        if q.len() == before {
            return q;
        }
    }
}

/// Split a reference into numbers and letter runs; `None` if it holds anything else than
/// digits, ASCII letters, dots, parentheses and white space.
fn tokens(q: &str) -> Option<Vec<Token<'_>>> {
    let b = q.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let paren = s > 0 && b[s - 1] == b'(';
            out.push(Token::Num(&q[s..i], paren));
        } else if c.is_ascii_alphabetic() {
            let s = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(Token::Alpha(&q[s..i]));
        } else if c == b'~' {
            let s = i + 1;
            i = s;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == s {
                return None;
            }
            out.push(Token::Run(&q[s..i]));
        } else if matches!(c, b'.' | b'(' | b')' | b' ' | b'\t') {
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

/// The canonical id for a clause reference in any usual spelling, or `None` if `query` is
/// not a reference: `§ 2.2.b`, `2.2 (b)`, `2.2b`, `Section 2.2(b)`, `sec. 2.2(b)` all give
/// `2.2(b)`; `Article 4` gives `4`; `(a)` and `a` give `(a)`. Letter case is kept (look-ups
/// ignore it). A run or duplicate suffix (`2~2`, `5~2(a)`) is kept; words that are not a reference become a
/// heading slug (`Prohibited Uses` -> `prohibited-uses`).
pub fn canonical_id(query: &str) -> Option<String> {
    let q = strip_keyword(query.trim());
    let toks = match tokens(q) {
        Some(toks) if is_reference(&toks) => toks,
        _ => {
            let id = slug(q);
            return (!id.is_empty() && !q.contains('~')).then_some(id);
        }
    };
    let mut id = String::new();
    let mut prev_num = false;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Token::Num(n, paren) => {
                let n = n.trim_start_matches('0');
                let n = if n.is_empty() { "0" } else { n };
                if i == 0 {
                    id.push_str(n);
                } else if prev_num && !paren {
                    id.push('.');
                    id.push_str(n);
                } else {
                    id.push('(');
                    id.push_str(n);
                    id.push(')');
                }
                prev_num = true;
            }
            Token::Alpha(a) => {
                id.push('(');
                id.push_str(a);
                id.push(')');
                prev_num = false;
            }
            Token::Run(n) => {
                id.push('~');
                id.push_str(n);
            }
        }
    }
    Some(id)
}

/// Tokens that read as a clause reference: short pieces, not starting with a run suffix.
fn is_reference(toks: &[Token<'_>]) -> bool {
    !toks.is_empty()
        && !matches!(toks[0], Token::Run(_))
        && toks.iter().all(|t| match t {
            Token::Alpha(a) => a.len() <= 7,
            Token::Num(n, _) | Token::Run(n) => n.len() <= 9,
        })
}

/// A spelling-blind key for a reference: its numbers, letters and run suffixes in order,
/// lower-case, separators ignored (`2.2.1`, `2.2(1)` and `2.2 (1)` share `2/2/1`). Used when
/// no id matches exactly.
pub fn loose_key(query: &str) -> Option<String> {
    let toks = tokens(strip_keyword(query.trim()))?;
    if !is_reference(&toks) {
        return None;
    }
    let mut key = String::new();
    for t in toks {
        match t {
            Token::Num(n, _) => {
                let n = n.trim_start_matches('0');
                key.push_str(if n.is_empty() { "0" } else { n });
            }
            Token::Alpha(a) => key.push_str(&a.to_ascii_lowercase()),
            Token::Run(n) => {
                key.push('~');
                key.push_str(n);
            }
        }
        key.push('/');
    }
    Some(key)
}

//! Normalisation for comparison, in the spirit of the SPDX License List matching guidelines.
//!
//! Two versions of a license often differ in ways that carry no meaning: a text rewrapped by
//! an editor, curly quotes turned straight by a web form, `(c)` written as `©`. Comparison
//! (clause alignment always, the diff view with `--normalize`) should not drown the real edits
//! in that noise. The rules, applied word by word:
//!
//! - **White space**: line breaks, tabs and runs of ordinary spaces are one separator.
//!   Only ASCII white space folds; a no-break space, a zero-width space or any other unusual
//!   space stays a difference, because in a license an invisible difference may be the point.
//! - **Quotes**: `‘ ’ ‚ ‛ ′ ´ \`` fold to `'`, and `“ ” „ ‟ ″ « »` fold to `"`.
//! - **Dashes**: `‐ ‒ – — ― − ⁃` fold to `-`. The non-breaking hyphen (U+2011) does not: it
//!   looks like a hyphen but is a different character, so it stays visible.
//! - **Bullets**: a bullet (`•`, `◦`, `▪`, `‣`, `∙`, `*`, `-`, ...) at the start of a line is
//!   dropped.
//! - **Copyright**: `(c)`, `(C)`, `©` and `Copyright` are one word, and a run of them
//!   (`Copyright (c)`) counts once.
//! - **URLs**: `https:` is read as `http:`.
//! - **Case** folds only when asked ([`NormalizeOptions::ignore_case`]).
//!
//! Punctuation that can change meaning (commas, periods, parentheses, ...) is never dropped
//! or folded. Letters from other scripts are never folded either: a Cyrillic `о` in a Latin
//! word stays a difference.

use std::borrow::Cow;
use std::ops::Range;

/// What normalisation may fold besides the fixed rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NormalizeOptions {
    /// Fold letter case (off by default: `Licensor` and `licensor` can be defined terms).
    pub ignore_case: bool,
}

/// The text normalised for comparison: items of [`items`] joined, with one space wherever
/// the original had white space. Two texts that differ only in what the rules fold give the
/// same string.
pub fn normalize(s: &str, opts: NormalizeOptions) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_end: Option<usize> = None;
    for item in items(s, 0..s.len(), opts) {
        if let Some(end) = last_end
            && s[end..item.span.start].chars().any(is_fold_space)
        {
            out.push(' ');
        }
        out.push_str(&item.key);
        last_end = Some(item.span.end);
    }
    out
}

/// True for the white space that normalisation folds: ASCII white space only.
pub fn is_fold_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}')
}

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of letters, digits, marks and `_`.
    Word,
    /// A run of ASCII white space.
    Space,
    /// Any other single character: punctuation, symbols, unusual spaces, invisible characters.
    Other,
}

/// A token of a text: its kind and byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Range<usize>,
}

/// Letters, digits, marks and `_`: what a word is made of.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

/// Combining marks (accents written as separate code points) belong to their word.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Split `s[range]` into words, runs of ASCII white space and single other characters.
/// Spans are byte ranges into `s`.
pub fn tokenize(s: &str, range: Range<usize>) -> Vec<Token> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(range.len() / 4);
    let mut i = range.start;
    // The kind of the character at byte `i` (a char boundary) and its length.
    let class = |i: usize| -> (TokenKind, usize) {
        let b = bytes[i];
        if b < 0x80 {
            let kind = if b.is_ascii_alphanumeric() || b == b'_' {
                TokenKind::Word
            } else if is_fold_space(char::from(b)) {
                TokenKind::Space
            } else {
                TokenKind::Other
            };
            return (kind, 1);
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        let kind = if is_word_char(c) { TokenKind::Word } else { TokenKind::Other };
        (kind, c.len_utf8())
    };
    while i < range.end {
        let start = i;
        let (kind, len) = class(i);
        i += len;
        if kind != TokenKind::Other {
            while i < range.end {
                let (k, n) = class(i);
                if k != kind {
                    break;
                }
                i += n;
            }
        }
        out.push(Token { kind, span: start..i });
    }
    out
}

/// A unit of comparison: the key two texts are compared by, and the bytes it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    pub key: Cow<'a, str>,
    pub span: Range<usize>,
    /// True when the item holds a word (letters or digits), for counting words.
    pub is_word: bool,
}

/// The plain quote or dash a typographic one folds to.
pub(crate) fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}'
        | '\u{2043}' => '-',
        _ => return None,
    })
}

fn is_bullet(tok: &str) -> bool {
    let mut chars = tok.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_bullet_char(c))
}

/// A character that, alone at the start of a line, is a list bullet.
pub(crate) fn is_bullet_char(c: char) -> bool {
    matches!(
        c,
        '\u{2022}'
            | '\u{25E6}'
            | '\u{25AA}'
            | '\u{25AB}'
            | '\u{2023}'
            | '\u{2043}'
            | '\u{2219}'
            | '\u{00B7}'
            | '\u{25CF}'
            | '\u{25CB}'
            | '\u{25A0}'
            | '*'
            | '-'
            | '\u{2013}'
            | '\u{2014}'
    )
}

fn fold_token<'a>(tok: &'a str, opts: NormalizeOptions) -> Cow<'a, str> {
    let needs = tok.chars().any(|c| fold_char(c).is_some())
        || (opts.ignore_case && tok.chars().any(|c| c.is_uppercase()));
    if !needs {
        return Cow::Borrowed(tok);
    }
    let mut out = String::with_capacity(tok.len());
    for c in tok.chars() {
        let c = fold_char(c).unwrap_or(c);
        if opts.ignore_case {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The comparison items of `s[range]` under normalisation: white space dropped, leading
/// bullets dropped, copyright forms merged, quotes and dashes folded, `https` read as `http`,
/// case folded when asked. Each item keeps the byte span it came from.
pub fn items(s: &str, range: Range<usize>, opts: NormalizeOptions) -> Vec<Item<'_>> {
    let toks = tokenize(s, range.clone());
    let mut out: Vec<Item<'_>> = Vec::with_capacity(toks.len());
    let mut at_line_start = range.start == 0 || s[..range.start].ends_with('\n');
    let mut last_copyright = false;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let text = &s[t.span.clone()];
        if t.kind == TokenKind::Space {
            if text.contains('\n') {
                at_line_start = true;
            }
            i += 1;
            continue;
        }
        let line_start = std::mem::take(&mut at_line_start);
        // A bullet opening a line, followed by white space.
        if line_start
            && t.kind == TokenKind::Other
            && is_bullet(text)
            && toks.get(i + 1).is_some_and(|n| n.kind == TokenKind::Space)
        {
            i += 1;
            continue;
        }
        // (c) / (C) / © / Copyright
        let paren_c = text == "("
            && toks.get(i + 1).is_some_and(|n| matches!(&s[n.span.clone()], "c" | "C"))
            && toks.get(i + 2).is_some_and(|n| &s[n.span.clone()] == ")");
        let copyright = paren_c
            || text == "\u{00A9}"
            || (t.kind == TokenKind::Word && text.eq_ignore_ascii_case("copyright"));
        if copyright {
            let end = if paren_c { toks[i + 2].span.end } else { t.span.end };
            if !last_copyright {
                out.push(Item {
                    key: Cow::Borrowed("copyright"),
                    span: t.span.start..end,
                    is_word: true,
                });
            } else if let Some(last) = out.last_mut() {
                last.span.end = end;
            }
            last_copyright = true;
            i += if paren_c { 3 } else { 1 };
            continue;
        }
        last_copyright = false;
        let key = if t.kind == TokenKind::Word
            && text.eq_ignore_ascii_case("https")
            && s[t.span.end..].starts_with(':')
        {
            if opts.ignore_case || text == "https" {
                Cow::Borrowed("http")
            } else {
                Cow::Owned(text[..4].to_string())
            }
        } else {
            fold_token(text, opts)
        };
        out.push(Item { key, span: t.span.clone(), is_word: t.kind == TokenKind::Word });
        i += 1;
    }
    out
}

/// The comparison items of `s[range]` without normalisation: every token but white space,
/// compared as written (callers compare the white space between items themselves).
pub fn exact_items(s: &str, range: Range<usize>) -> Vec<Item<'_>> {
    tokenize(s, range)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Space)
        .map(|t| Item {
            key: Cow::Borrowed(&s[t.span.clone()]),
            is_word: t.kind == TokenKind::Word,
            span: t.span,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: NormalizeOptions = NormalizeOptions { ignore_case: false };
    const I: NormalizeOptions = NormalizeOptions { ignore_case: true };

    #[test]
    fn folds_white_space_and_wrapping() {
        assert_eq!(normalize("a  b\n\tc\n\n d", N), "a b c d");
        assert_eq!(normalize("grant a\nlicense", N), normalize("grant a license", N));
        assert_eq!(normalize("  lead and trail  \n", N), "lead and trail");
    }

    #[test]
    fn keeps_unusual_spaces_and_other_scripts() {
        assert_ne!(normalize("a\u{00A0}b", N), normalize("a b", N));
        assert_eq!(normalize("a\u{00A0}b", N), "a\u{00A0}b");
        // Cyrillic о (U+043E) in "Licensor"
        assert_ne!(normalize("Licens\u{043E}r", I), normalize("Licensor", I));
        assert_ne!(normalize("zero\u{200B}width", N), normalize("zerowidth", N));
        assert_ne!(normalize("non\u{2011}exclusive", N), normalize("non-exclusive", N));
    }

    #[test]
    fn folds_quotes_dashes_bullets() {
        assert_eq!(normalize("\u{201C}Licensor\u{201D} \u{2018}s\u{2019}", N), "\"Licensor\" 's'");
        assert_eq!(normalize("non\u{2013}exclusive \u{2014} x", N), "non-exclusive - x");
        assert_eq!(
            normalize("\u{2022} item one\n* item two\n- three", N),
            "item one item two three"
        );
        // a dash inside a line is not a bullet
        assert_eq!(normalize("a - b", N), "a - b");
    }

    #[test]
    fn copyright_and_urls() {
        assert_eq!(normalize("(c) 2024", N), "copyright 2024");
        assert_eq!(normalize("Copyright \u{00A9} 2024", N), "copyright 2024");
        assert_eq!(normalize("Copyright (C) 2024", N), normalize("\u{00A9} 2024", N));
        assert_eq!(normalize("see https://example.org", N), normalize("see http://example.org", N));
        assert_eq!(normalize("HTTPS://x", N), "HTTP://x");
    }

    #[test]
    fn case_only_when_asked() {
        assert_ne!(normalize("Licensor", N), normalize("licensor", N));
        assert_eq!(normalize("Licensor", I), normalize("licensor", I));
    }

    #[test]
    fn meaningful_punctuation_is_kept() {
        assert_ne!(normalize("a, b", N), normalize("a b", N));
        assert_ne!(normalize("a. b", N), normalize("a b", N));
        assert_ne!(normalize("(a) b", N), normalize("a b", N));
        assert_eq!(normalize("(a) b, c.", N), "(a) b, c.");
    }

    #[test]
    fn items_keep_their_spans() {
        let s = "Copyright (c) 2024\n\u{2022} Grant";
        let it = items(s, 0..s.len(), N);
        let keys: Vec<_> = it.iter().map(|i| i.key.as_ref()).collect();
        assert_eq!(keys, ["copyright", "2024", "Grant"]);
        assert_eq!(&s[it[0].span.clone()], "Copyright (c)");
        assert_eq!(&s[it[2].span.clone()], "Grant");
        let ex = exact_items(s, 0..13);
        assert_eq!(ex.len(), 4);
        assert!(ex[0].is_word);
    }
}

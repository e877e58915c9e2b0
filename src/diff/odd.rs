//! Odd characters: invisible or look-alike characters inside a change (a no-break space, a
//! Cyrillic `о` in a Latin word), named, because in a license they may be the whole change.

use std::ops::Range;

use super::hunk::Side;
use super::lines::Lines;

/// An invisible or look-alike character inside a change: shown and named because in a
/// license it may be the whole point of the change.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OddChar {
    pub side: Side,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    /// `U+00A0`
    pub code_point: String,
    /// `no-break space`, `Cyrillic letter in a Latin word`, ...
    pub name: String,
}

/// Name an invisible or look-alike character, or `None` for an ordinary one.
pub fn odd_char_name(c: char, word_is_latin: bool) -> Option<String> {
    use unicode_script::{Script, UnicodeScript};
    let name = match c {
        '\u{00A0}' => "no-break space",
        '\u{2007}' => "figure space",
        '\u{202F}' => "narrow no-break space",
        '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' | '\u{1680}' => "unusual space",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "zero-width no-break space (BOM)",
        '\u{00AD}' => "soft hyphen",
        '\u{2011}' => "non-breaking hyphen",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "direction mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "bidi control",
        _ if crate::text::sanitize::is_hidden(c) => "invisible or control character",
        _ if c.is_alphabetic() && !c.is_ascii() && word_is_latin => {
            let script = c.script();
            if matches!(script, Script::Latin | Script::Common | Script::Inherited) {
                return None;
            }
            return Some(format!("{} letter in a Latin word", script.full_name()));
        }
        _ => return None,
    };
    Some(name.to_string())
}

pub(crate) fn collect_odd(
    out: &mut Vec<OddChar>,
    lines: &Lines,
    spans: &[Range<usize>],
    side: Side,
) {
    for s in spans {
        let piece = &lines.text[s.clone()];
        if piece.is_ascii() {
            continue;
        }
        // The word around a character decides whether a foreign letter is a look-alike.
        let line_no = lines.line_of(s.start);
        let lr = lines.range(line_no);
        for (off, c) in piece.char_indices() {
            // An ASCII character is odd only as a control; only a foreign letter needs the
            // word around it.
            if c.is_ascii() && !crate::text::sanitize::is_hidden(c) {
                continue;
            }
            let pos = s.start + off;
            let word_is_latin = c.is_alphabetic() && !c.is_ascii() && {
                let text = lines.text;
                let mut a = pos;
                while a > lr.start {
                    let p = text[..a].chars().next_back().unwrap_or(' ');
                    if !p.is_alphanumeric() {
                        break;
                    }
                    a -= p.len_utf8();
                }
                let mut b = pos;
                while b < lr.end {
                    let n = text[b..].chars().next().unwrap_or(' ');
                    if !n.is_alphanumeric() {
                        break;
                    }
                    b += n.len_utf8();
                }
                text[a..b].chars().any(|x| x.is_ascii_alphabetic())
            };
            if let Some(name) = odd_char_name(c, word_is_latin) {
                out.push(OddChar {
                    side,
                    line: line_no + 1,
                    column: lines.text[lr.start..pos].chars().count() + 1,
                    code_point: format!("U+{:04X}", c as u32),
                    name,
                });
            }
        }
    }
}

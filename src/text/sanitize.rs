//! Display safety: the one function every view renders text through.
//!
//! A submitted license is untrusted input. An ESC or C1 byte in it could retitle the
//! terminal, write to the clipboard or fake a hyperlink (OSC 52, OSC 8); a bidi override could
//! make the displayed words differ from the real ones. So no character from a text reaches the
//! terminal as itself unless it is harmless and visible: controls and invisible characters
//! become visible markers, tabs become spaces.

/// Tab stops used when expanding tabs (license texts use tabs after clause numbers).
pub const TAB_WIDTH: usize = 4;

/// The visible marker for a character that must not be shown as itself, or `None` when the
/// character is safe to print.
///
/// C0 controls use the Unicode control pictures (`␛` for ESC, `␀` for NUL); DEL is `␡`;
/// everything else that is a control, a bidi control or invisible is shown by its code point,
/// as `⟨U+202E⟩`.
pub fn marker(c: char) -> Option<String> {
    let cp = c as u32;
    match cp {
        0x00..=0x1F => Some(char::from_u32(0x2400 + cp).unwrap_or('\u{FFFD}').to_string()),
        0x7F => Some("\u{2421}".to_string()),
        _ if is_hidden(c) => Some(format!("\u{27E8}U+{cp:04X}\u{27E9}")),
        _ => None,
    }
}

/// True for characters that act on a terminal or change how text is shown without being
/// visible themselves: C1 controls, bidi controls, zero-width and other invisible characters,
/// line and paragraph separators.
pub fn is_hidden(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x08 | 0x0B..=0x1F | 0x7F..=0x9F
        | 0x00AD                      // soft hyphen
        | 0x034F                      // combining grapheme joiner
        | 0x061C                      // arabic letter mark
        | 0x115F | 0x1160 | 0x3164 | 0xFFA0 // hangul fillers
        | 0x17B4 | 0x17B5
        | 0x180B..=0x180F             // mongolian selectors and vowel separator
        | 0x200B..=0x200F             // zero-width space/joiners, LRM, RLM
        | 0x2028..=0x202E             // separators, bidi embeddings and overrides
        | 0x2060..=0x206F             // word joiner, invisible operators, bidi isolates
        | 0xFE00..=0xFE0F             // variation selectors
        | 0xFEFF                      // zero-width no-break space (BOM)
        | 0xFFF0..=0xFFF8             // reserved default-ignorable: future invisibles
        | 0xFFF9..=0xFFFB             // interlinear annotation
        | 0x1BCA0..=0x1BCA3           // shorthand format controls
        | 0x1D173..=0x1D17A           // musical formatting
        | 0xE0000..=0xE0FFF           // tags and variation selectors supplement
    )
}

/// Append `s` to `out` made safe for display. `column` is the display column where `s`
/// starts; it is advanced, so tabs expand correctly across pieces of one line. A `\n` in `s`
/// is shown as a marker: callers split lines first.
pub fn push_sanitized(out: &mut String, s: &str, column: &mut usize) {
    for c in s.chars() {
        if matches!(c, ' '..='~') {
            // Printable ASCII, most of any text: itself, one column.
            out.push(c);
            *column += 1;
        } else if c == '\t' {
            let n = TAB_WIDTH - (*column % TAB_WIDTH);
            out.extend(std::iter::repeat_n(' ', n));
            *column += n;
        } else if let Some(m) = marker(c) {
            *column += m.chars().count();
            out.push_str(&m);
        } else {
            out.push(c);
            *column += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
}

/// One line made safe for display, tabs expanded from column 0.
pub fn sanitize_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut column = 0;
    push_sanitized(&mut out, s, &mut column);
    out
}

/// Several lines made safe for display; line breaks are kept.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut column = 0;
        push_sanitized(&mut out, line, &mut column);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisibles_become_markers() {
        assert_eq!(sanitize_line("a\u{1b}]0;pwned\u{7}b"), "a\u{241b}]0;pwned\u{2407}b");
        assert_eq!(sanitize_line("x\u{9b}31m"), "x\u{27e8}U+009B\u{27e9}31m");
        assert_eq!(sanitize_line("\u{202e}abc"), "\u{27e8}U+202E\u{27e9}abc");
        assert_eq!(sanitize_line("zero\u{200b}width"), "zero\u{27e8}U+200B\u{27e9}width");
        assert_eq!(sanitize_line("1.\tGrant"), "1.  Grant");
        assert_eq!(sanitize("a\tb\n\tc"), "a   b\n    c");
    }

    #[test]
    fn every_default_ignorable_code_point_is_hidden() {
        // Default_Ignorable_Code_Point from Unicode's DerivedCoreProperties.txt: characters a
        // renderer may show as nothing at all.
        let ranges: &[(u32, u32)] = &[
            (0x00AD, 0x00AD),
            (0x034F, 0x034F),
            (0x061C, 0x061C),
            (0x115F, 0x1160),
            (0x17B4, 0x17B5),
            (0x180B, 0x180F),
            (0x200B, 0x200F),
            (0x202A, 0x202E),
            (0x2060, 0x206F),
            (0x3164, 0x3164),
            (0xFE00, 0xFE0F),
            (0xFEFF, 0xFEFF),
            (0xFFA0, 0xFFA0),
            (0xFFF0, 0xFFF8),
            (0x1BCA0, 0x1BCA3),
            (0x1D173, 0x1D17A),
            (0xE0000, 0xE0FFF),
        ];
        for &(a, b) in ranges {
            for c in (a..=b).filter_map(char::from_u32) {
                assert!(is_hidden(c), "U+{:04X}", c as u32);
                assert_eq!(
                    sanitize_line(&c.to_string()),
                    format!("\u{27e8}U+{:04X}\u{27e9}", c as u32)
                );
            }
        }
        for c in ['a', ' ', '\u{A0}', '\u{E9}', '\u{2013}', '\u{43E}', '\u{FFFD}'] {
            assert!(!is_hidden(c), "U+{:04X}", c as u32);
        }
    }
}

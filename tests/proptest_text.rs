//! Property tests: loading, inspecting and sanitising never panic on any input, and the
//! sanitiser never lets through a character that could act on a terminal or hide itself.

use lrw::text::inspect::{FindingKind, char_kind};
use lrw::text::sanitize::{TAB_WIDTH, is_hidden, sanitize, sanitize_line};
use lrw::text::{Encoding, Text, inspect};
use proptest::prelude::*;

/// Characters worth more than their share of random picks.
const INTERESTING: &[char] = &[
    '\0',
    '\u{7}',
    '\t',
    '\n',
    '\r',
    '\u{1b}',
    '[',
    ']',
    ';',
    '\u{7f}',
    '\u{85}',
    '\u{9b}',
    '\u{9d}',
    '\u{a0}',
    '\u{ad}',
    '\u{34f}',
    '\u{61c}',
    '\u{200b}',
    '\u{200d}',
    '\u{200e}',
    '\u{2010}',
    '\u{2013}',
    '\u{2028}',
    '\u{202e}',
    '\u{2066}',
    '\u{2069}',
    '\u{2212}',
    '\u{3000}',
    '\u{fe0f}',
    '\u{feff}',
    '\u{fffd}',
    '\u{e0041}',
    '\u{301}',
    'a',
    'L',
    'o',
    ' ',
    '\u{43e}',
    '\u{441}',
    '\u{440}',
    '\u{443}',
    '\u{3bf}',
    '\u{41b}',
    '\u{4e2d}',
    '\u{1f600}',
    '\u{e9}',
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![any::<char>(), prop::sample::select(INTERESTING)], 0..300)
        .prop_map(|v| v.into_iter().collect())
}

fn bytes_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        // Behind a BOM, so the UTF-16 and BOM paths get arbitrary bytes too.
        (
            prop::sample::select(vec![&b"\xFF\xFE"[..], b"\xFE\xFF", b"\xEF\xBB\xBF"]),
            prop::collection::vec(any::<u8>(), 0..600)
        )
            .prop_map(|(bom, rest)| [bom, &rest[..]].concat()),
    ]
}

/// Nothing in `out` may act on a terminal or hide: no C0 (but `\n` when `newline_ok`), DEL,
/// C1, ESC, or hidden character.
fn assert_safe(out: &str, newline_ok: bool) -> Result<(), TestCaseError> {
    for c in out.chars() {
        if c == '\n' && newline_ok {
            continue;
        }
        let cp = c as u32;
        prop_assert!(cp >= 0x20 && !(0x7f..=0x9f).contains(&cp), "control U+{cp:04X} in {out:?}");
        prop_assert!(!is_hidden(c), "hidden U+{cp:04X} in {out:?}");
    }
    Ok(())
}

/// Every finding points at its character, findings are in order, contexts are safe.
fn check_findings(text: &Text) -> Result<(), TestCaseError> {
    let findings = inspect(text);
    // A cap keeps the first findings and counts them all.
    for max in [0, 1, 3, findings.len()] {
        let (first, total) = lrw::text::inspect::inspect_at_most(text, max);
        prop_assert_eq!(total, findings.len());
        prop_assert_eq!(&first[..], &findings[..max.min(findings.len())]);
    }
    let lines: Vec<&str> = text.content.split('\n').collect();
    let mut last = (0, 0);
    let mut decoding = 0;
    for f in &findings {
        prop_assert!(f.line >= 1 && f.line <= lines.len(), "line {} of {}", f.line, lines.len());
        let at = lines[f.line - 1].chars().nth(f.column - 1);
        prop_assert_eq!(at, Some(f.ch), "finding {:?}", f);
        prop_assert!((f.line, f.column) >= last, "out of order: {:?}", f);
        last = (f.line, f.column);
        assert_safe(&f.context, false)?;
        if f.kind != FindingKind::Confusable {
            // 20 chars each side and the character, each at most a 9-char marker or a tab
            // stop, and two ellipses.
            let most = 41 * TAB_WIDTH.max(9) + 2;
            prop_assert!(f.context.chars().count() <= most, "context of {:?}", f);
        }
        if let Some(kind) = char_kind(f.ch) {
            prop_assert!(
                f.kind == kind || f.kind == FindingKind::Decoding,
                "{:?} is {:?}",
                f,
                kind
            );
        }
        if f.kind == FindingKind::Decoding && f.ch != '\u{FFFD}' {
            decoding += 1;
        }
    }
    prop_assert_eq!(decoding, usize::from(text.encoding == Encoding::Windows1252));
    // Every character that is odd by itself is reported.
    let by_char = text.content.chars().filter(|&c| char_kind(c).is_some()).count();
    let reported = findings
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FindingKind::Control
                    | FindingKind::Bidi
                    | FindingKind::Invisible
                    | FindingKind::Space
                    | FindingKind::Hyphen
            ) || (f.kind == FindingKind::Decoding && f.ch == '\u{FFFD}')
        })
        .count();
    prop_assert_eq!(reported, by_char);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_load_and_inspect(bytes in bytes_strategy()) {
        let text = Text::from_bytes("p", &bytes);
        prop_assert!(!text.content.contains('\r'));
        check_findings(&text)?;
        assert_safe(&sanitize(&text.content), true)?;
    }

    #[test]
    fn arbitrary_strings_inspect_and_sanitize(s in text_strategy()) {
        let text = Text::from_string("p", &s);
        check_findings(&text)?;
        let out = sanitize(&s);
        assert_safe(&out, true)?;
        prop_assert_eq!(out.split('\n').count(), s.split('\n').count());
        assert_safe(&sanitize_line(&s), false)?;
    }
}

//! Odd characters in a license text: what a reviewer cannot see but a diff or a court can.
//!
//! A control, a bidi override, a zero-width space, a non-breaking space or a Cyrillic `о`
//! inside `Licensor` changes what a text says or how it matches without changing how it looks.
//! [`inspect`] finds them, with line, column and code point, so that they can be reported and
//! compared; it never prints.
//!
//! Choices worth knowing:
//! - Tab and line feed are ordinary and not reported. Loading has already turned CR and CRLF
//!   into LF (and reported the convention), so a CR never reaches this module from a file.
//! - Dashes: en dash (U+2013), em dash (U+2014) and horizontal bar (U+2015) are common in
//!   prose and are not reported; characters that look like the ASCII hyphen-minus but are not
//!   it (U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN, U+2012 FIGURE DASH, U+2212 MINUS SIGN,
//!   U+02D7, U+2043, U+FE63, U+FF0D) and soft hyphens (U+00AD, U+1806) are, as `hyphen`.
//! - U+FEFF is reported wherever it is in the content: loading strips the real byte-order
//!   mark (and records `bom`), so any U+FEFF left is a zero-width no-break space.
//! - U+FFFD REPLACEMENT CHARACTER is reported as `decoding`: it marks bytes that could not be
//!   decoded (or a text that already carried the damage).
//! - Mixed scripts are checked between Latin, Cyrillic and Greek only, the scripts whose
//!   letters are confused with one another; a Latin word next to Chinese or Arabic is normal.
//!   A mixed word is reported at each letter outside the word's main script.
//! - A whole Cyrillic or Greek word made only of letters that look Latin (`сору`) is reported
//!   once, at its first letter, as `confusable`, but only where Latin is the main script of
//!   the line (of the document for a line holding only that word): in a Russian or Greek text
//!   such words are just words.

use serde::Serialize;
use unicode_script::{Script, UnicodeScript};

use super::load::{Encoding, Text};
use super::sanitize::{is_hidden, marker, push_sanitized};

/// Characters of context kept on each side of a finding.
const CONTEXT_CHARS: usize = 20;

/// What is odd about a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// C0 or C1 control (tab and line feed excepted) or DEL.
    Control,
    /// Bidi embedding, override, isolate or mark: can reorder what is displayed.
    Bidi,
    /// Zero-width or otherwise invisible character.
    Invisible,
    /// Non-breaking or unusual space.
    Space,
    /// Soft hyphen, or a hyphen or minus that looks like `-` but is not it.
    Hyphen,
    /// A letter whose script differs from the rest of its word (Latin, Cyrillic, Greek).
    MixedScript,
    /// A whole Cyrillic or Greek word made only of letters that look Latin.
    Confusable,
    /// The bytes were not UTF-8 (read as Windows-1252), or U+FFFD marks undecodable bytes.
    Decoding,
}

impl FindingKind {
    /// The name used in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Control => "control",
            FindingKind::Bidi => "bidi",
            FindingKind::Invisible => "invisible",
            FindingKind::Space => "space",
            FindingKind::Hyphen => "hyphen",
            FindingKind::MixedScript => "mixed-script",
            FindingKind::Confusable => "confusable",
            FindingKind::Decoding => "decoding",
        }
    }
}

/// One odd character (or, for `confusable`, the first letter of an odd word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line of the loaded content.
    pub line: usize,
    /// 1-based column, counted in chars.
    pub column: usize,
    pub ch: char,
    pub kind: FindingKind,
    /// About 20 chars each side, from the same line, safe to print: the odd character is
    /// shown by its marker (`␛`, `⟨U+202E⟩`), as is every hidden character.
    pub context: String,
}

impl Finding {
    /// The code point as `U+202E`.
    pub fn code_point(&self) -> String {
        format!("U+{:04X}", self.ch as u32)
    }

    /// A short description for people: the character's name when known, and what is odd.
    pub fn description(&self) -> String {
        let name = char_name(self.ch);
        match self.kind {
            FindingKind::MixedScript => {
                let what = name
                    .map_or_else(|| format!("{} letter", script_name(self.ch)), |n| n.to_string());
                match latin_lookalike(self.ch) {
                    Some(l) => {
                        format!("{what} (looks like Latin '{l}') in a word of mixed scripts")
                    }
                    None => format!("{what} in a word of mixed scripts"),
                }
            }
            FindingKind::Confusable => {
                format!("{} word made only of letters that look Latin", script_name(self.ch))
            }
            FindingKind::Decoding if self.ch != '\u{FFFD}' => {
                "bytes are not UTF-8: read as Windows-1252, first non-ASCII character here"
                    .to_string()
            }
            kind => name.map_or_else(
                || match kind {
                    FindingKind::Control => "control character".to_string(),
                    FindingKind::Bidi => "bidi control".to_string(),
                    FindingKind::Invisible => "invisible character".to_string(),
                    FindingKind::Space => "unusual space".to_string(),
                    FindingKind::Hyphen => "unusual hyphen".to_string(),
                    other => other.as_str().to_string(),
                },
                |n| n.to_string(),
            ),
        }
    }
}

/// The kind of a character that is odd by itself, wherever it stands; `None` for ordinary
/// characters (letters are judged by their word, in [`inspect`]).
pub fn char_kind(c: char) -> Option<FindingKind> {
    let cp = c as u32;
    if cp < 0x80 {
        return (c != '\t' && c != '\n' && (cp < 0x20 || cp == 0x7F))
            .then_some(FindingKind::Control);
    }
    Some(match cp {
        0x80..=0x9F => FindingKind::Control,
        0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 => FindingKind::Bidi,
        0x00A0 | 0x1680 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000 => FindingKind::Space,
        0x00AD | 0x02D7 | 0x1806 | 0x2010..=0x2012 | 0x2043 | 0x2212 | 0xFE63 | 0xFF0D => {
            FindingKind::Hyphen
        }
        0xFFFD => FindingKind::Decoding,
        _ if is_hidden(c) => FindingKind::Invisible,
        _ => return None,
    })
}

/// Every odd character of a text, in document order (line, then column).
///
/// Linear in the size of the text; never panics.
pub fn inspect(text: &Text) -> Vec<Finding> {
    inspect_at_most(text, usize::MAX).0
}

/// The first `max` odd characters of a text in document order, and how many there are in
/// all. Past `max` findings are only counted, so a binary file read as text (millions of
/// controls) costs no memory for them.
pub fn inspect_at_most(text: &Text, max: usize) -> (Vec<Finding>, usize) {
    let content = text.content.as_str();
    let mut findings = Vec::new();
    if text.encoding == Encoding::Windows1252 {
        findings.push(decoding_finding(content));
    }
    // Findings of lines after the one that reached `max` are counted, then dropped. The
    // decoding finding does not count towards `max` here: it may sort after them.
    let decoding = findings.len();
    let mut counted = 0;
    let mut keep = |findings: &mut Vec<Finding>, before: usize| {
        if before >= max.saturating_add(decoding) {
            counted += findings.len() - before;
            findings.truncate(before);
        }
    };
    if content.is_ascii() {
        // Only controls can be odd in ASCII: skip the script bookkeeping.
        for (i, line) in content.split('\n').enumerate() {
            let before = findings.len();
            for (col0, (b, c)) in line.char_indices().enumerate() {
                if let Some(kind) = char_kind(c) {
                    findings.push(finding(i + 1, col0 + 1, c, kind, line, b..b + 1, b..b + 1));
                }
            }
            keep(&mut findings, before);
        }
    } else {
        let line_counts: Vec<ScriptCounts> = content.split('\n').map(ScriptCounts::of).collect();
        let doc_counts = line_counts.iter().fold(ScriptCounts::default(), |mut acc, n| {
            acc.add(n);
            acc
        });
        for ((i, line), line_counts) in content.split('\n').enumerate().zip(line_counts) {
            let before = findings.len();
            let mut scan =
                LineScan { line_no: i + 1, line, line_counts, doc_counts, findings: &mut findings };
            scan.run();
            keep(&mut findings, before);
        }
    }
    // Word findings are pushed when the word ends, character findings at once; the order is
    // already by column, except that a decoding finding may precede both. Stable sort keeps
    // the decoding finding first at a shared position.
    findings.sort_by_key(|f| (f.line, f.column));
    let total = findings.len() + counted;
    findings.truncate(max);
    (findings, total)
}

/// The one `decoding` finding of a text read as Windows-1252: at the first non-ASCII
/// character, where the guess first matters.
fn decoding_finding(content: &str) -> Finding {
    for (i, line) in content.split('\n').enumerate() {
        if let Some((col0, (b, c))) =
            line.char_indices().enumerate().find(|(_, (_, c))| !c.is_ascii())
        {
            let r = b..b + c.len_utf8();
            return finding(i + 1, col0 + 1, c, FindingKind::Decoding, line, r.clone(), r);
        }
    }
    // Not reachable for real Windows-1252 input (a byte over 0x7F made it so), but harmless.
    Finding {
        line: 1,
        column: 1,
        ch: '\u{FFFD}',
        kind: FindingKind::Decoding,
        context: String::new(),
    }
}

/// Letters of the three confusable scripts.
#[derive(Debug, Default, Clone, Copy)]
struct ScriptCounts {
    latin: usize,
    cyrillic: usize,
    greek: usize,
}

impl ScriptCounts {
    fn of(s: &str) -> ScriptCounts {
        let mut n = ScriptCounts::default();
        for c in s.chars() {
            n.count(c);
        }
        n
    }

    fn count(&mut self, c: char) {
        match letter_script(c) {
            Some(Script::Latin) => self.latin += 1,
            Some(Script::Cyrillic) => self.cyrillic += 1,
            Some(Script::Greek) => self.greek += 1,
            _ => {}
        }
    }

    fn add(&mut self, o: &ScriptCounts) {
        self.latin += o.latin;
        self.cyrillic += o.cyrillic;
        self.greek += o.greek;
    }

    fn sub(&self, o: &ScriptCounts) -> ScriptCounts {
        ScriptCounts {
            latin: self.latin.saturating_sub(o.latin),
            cyrillic: self.cyrillic.saturating_sub(o.cyrillic),
            greek: self.greek.saturating_sub(o.greek),
        }
    }

    fn total(&self) -> usize {
        self.latin + self.cyrillic + self.greek
    }

    fn present(&self) -> usize {
        [self.latin, self.cyrillic, self.greek].iter().filter(|&&n| n > 0).count()
    }

    /// The script with the most letters, or `None` on a tie for first place.
    fn main_script(&self) -> Option<Script> {
        let mut v = [
            (self.latin, Script::Latin),
            (self.cyrillic, Script::Cyrillic),
            (self.greek, Script::Greek),
        ];
        v.sort_by_key(|x| std::cmp::Reverse(x.0));
        (v[0].0 > v[1].0).then_some(v[0].1)
    }
}

/// Latin, Cyrillic or Greek for a letter of one of those scripts, `None` otherwise.
fn letter_script(c: char) -> Option<Script> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(Script::Latin);
    }
    if !c.is_alphabetic() {
        return None;
    }
    // Fast paths for the blocks license texts use most; the rest asks the script tables.
    match c as u32 {
        0x00C0..=0x024F => return Some(Script::Latin),
        0x0386..=0x03E1 => return Some(Script::Greek),
        0x0400..=0x0482 | 0x048A..=0x04FF => return Some(Script::Cyrillic),
        _ => {}
    }
    letter_script_slow(c)
}

fn letter_script_slow(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    match c.script() {
        s @ (Script::Latin | Script::Cyrillic | Script::Greek) => Some(s),
        _ => None,
    }
}

/// Part of a word: letters and digits, and combining marks that are not hidden.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && c.script() == Script::Inherited && !is_hidden(c))
}

/// State while scanning one line.
struct LineScan<'a> {
    line_no: usize,
    line: &'a str,
    line_counts: ScriptCounts,
    doc_counts: ScriptCounts,
    findings: &'a mut Vec<Finding>,
}

/// Where a word started: byte offset and 0-based column, and whether it is all ASCII so far.
struct WordStart {
    byte: usize,
    col0: usize,
    ascii: bool,
}

impl LineScan<'_> {
    fn run(&mut self) {
        let mut word: Option<WordStart> = None;
        for (col0, (b, c)) in self.line.char_indices().enumerate() {
            if let Some(kind) = char_kind(c) {
                if let Some(w) = word.take() {
                    self.word(w, b);
                }
                let r = b..b + c.len_utf8();
                self.findings.push(finding(
                    self.line_no,
                    col0 + 1,
                    c,
                    kind,
                    self.line,
                    r.clone(),
                    r,
                ));
            } else if is_word_char(c) {
                let w = word.get_or_insert(WordStart { byte: b, col0, ascii: true });
                w.ascii &= c.is_ascii();
            } else if let Some(w) = word.take() {
                self.word(w, b);
            }
        }
        if let Some(w) = word.take() {
            self.word(w, self.line.len());
        }
    }

    /// Judge the word `line[w.byte..end]`.
    fn word(&mut self, w: WordStart, end: usize) {
        if w.ascii {
            return;
        }
        let text = &self.line[w.byte..end];
        let counts = ScriptCounts::of(text);
        if counts.present() >= 2 {
            // The word's main script; on a tie, the line's, then the document's, then Latin.
            let main = counts
                .main_script()
                .or_else(|| self.line_counts.main_script())
                .or_else(|| self.doc_counts.main_script())
                .unwrap_or(Script::Latin);
            for (i, (b, c)) in text.char_indices().enumerate() {
                match letter_script(c) {
                    Some(s) if s != main => {
                        let r = w.byte + b..w.byte + b + c.len_utf8();
                        self.findings.push(finding(
                            self.line_no,
                            w.col0 + i + 1,
                            c,
                            FindingKind::MixedScript,
                            self.line,
                            r.clone(),
                            r,
                        ));
                    }
                    _ => {}
                }
            }
            return;
        }
        if counts.latin > 0 || counts.total() == 0 {
            return;
        }
        // One script, Cyrillic or Greek: odd only if every letter looks Latin and Latin is the
        // main script around it.
        if !text.chars().all(|c| c.is_ascii_digit() || latin_lookalike(c).is_some()) {
            return;
        }
        let others = self.line_counts.sub(&counts);
        let around = if others.total() == 0 { self.doc_counts } else { self.line_counts };
        if around.main_script() != Some(Script::Latin) {
            return;
        }
        if let Some((i, (b, c))) =
            text.char_indices().enumerate().find(|(_, (_, c))| !c.is_ascii_digit())
        {
            self.findings.push(finding(
                self.line_no,
                w.col0 + i + 1,
                c,
                FindingKind::Confusable,
                self.line,
                w.byte + b..w.byte + b + c.len_utf8(),
                w.byte..end,
            ));
        }
    }
}

/// Build a finding; `at` is the byte range of the character, `marked` the byte range shown by
/// markers in the context (the character itself, or a whole confusable word).
fn finding(
    line_no: usize,
    column: usize,
    ch: char,
    kind: FindingKind,
    line: &str,
    at: std::ops::Range<usize>,
    marked: std::ops::Range<usize>,
) -> Finding {
    debug_assert_eq!(line.get(at.clone()).and_then(|s| s.chars().next()), Some(ch));
    Finding { line: line_no, column, ch, kind, context: context(line, marked) }
}

/// The sanitised excerpt around `marked` (byte range on a char boundary of `line`).
fn context(line: &str, marked: std::ops::Range<usize>) -> String {
    let start = marked.start.min(line.len());
    let end = marked.end.clamp(start, line.len());
    let before = line.get(..start).unwrap_or("");
    let after = line.get(end..).unwrap_or("");
    let middle = line.get(start..end).unwrap_or("");

    // Start of the excerpt: at most CONTEXT_CHARS chars back.
    let from = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(b, _)| b);
    // End of the excerpt: at most CONTEXT_CHARS chars on.
    let to = after.char_indices().nth(CONTEXT_CHARS).map_or(after.len(), |(b, _)| b);

    let mut out = String::new();
    let mut column = 0;
    if from > 0 {
        out.push('…');
        column += 1;
    }
    push_sanitized(&mut out, &before[from..], &mut column);
    // A marked run (a confusable word) longer than CONTEXT_CHARS is cut there.
    for (i, c) in middle.chars().enumerate() {
        if i == CONTEXT_CHARS {
            out.push('…');
            return out;
        }
        let len = out.len();
        if let Some(m) = marker(c) {
            out.push_str(&m);
        } else if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\u{27E8}U+{:04X}\u{27E9}", c as u32));
        }
        column += out[len..].chars().count();
    }
    push_sanitized(&mut out, &after[..to], &mut column);
    if to < after.len() {
        out.push('…');
    }
    out
}

fn script_name(c: char) -> &'static str {
    match c.script() {
        Script::Latin => "Latin",
        Script::Cyrillic => "Cyrillic",
        Script::Greek => "Greek",
        _ => "non-Latin",
    }
}

/// The Latin letter a Cyrillic or Greek letter is easily taken for, if any.
pub fn latin_lookalike(c: char) -> Option<char> {
    lookalike(c).map(|(_, l, _)| *l)
}

fn lookalike(c: char) -> Option<&'static (char, char, &'static str)> {
    if !('\u{0391}'..='\u{051D}').contains(&c) {
        return None;
    }
    LOOKALIKES.binary_search_by_key(&c, |e| e.0).ok().map(|i| &LOOKALIKES[i])
}

/// Cyrillic and Greek letters that look like Latin ones, with their names; sorted by code
/// point for binary search.
const LOOKALIKES: &[(char, char, &str)] = &[
    ('\u{0391}', 'A', "GREEK CAPITAL LETTER ALPHA"),
    ('\u{0392}', 'B', "GREEK CAPITAL LETTER BETA"),
    ('\u{0395}', 'E', "GREEK CAPITAL LETTER EPSILON"),
    ('\u{0396}', 'Z', "GREEK CAPITAL LETTER ZETA"),
    ('\u{0397}', 'H', "GREEK CAPITAL LETTER ETA"),
    ('\u{0399}', 'I', "GREEK CAPITAL LETTER IOTA"),
    ('\u{039A}', 'K', "GREEK CAPITAL LETTER KAPPA"),
    ('\u{039C}', 'M', "GREEK CAPITAL LETTER MU"),
    ('\u{039D}', 'N', "GREEK CAPITAL LETTER NU"),
    ('\u{039F}', 'O', "GREEK CAPITAL LETTER OMICRON"),
    ('\u{03A1}', 'P', "GREEK CAPITAL LETTER RHO"),
    ('\u{03A4}', 'T', "GREEK CAPITAL LETTER TAU"),
    ('\u{03A5}', 'Y', "GREEK CAPITAL LETTER UPSILON"),
    ('\u{03A7}', 'X', "GREEK CAPITAL LETTER CHI"),
    ('\u{03B1}', 'a', "GREEK SMALL LETTER ALPHA"),
    ('\u{03B9}', 'i', "GREEK SMALL LETTER IOTA"),
    ('\u{03BD}', 'v', "GREEK SMALL LETTER NU"),
    ('\u{03BF}', 'o', "GREEK SMALL LETTER OMICRON"),
    ('\u{03C1}', 'p', "GREEK SMALL LETTER RHO"),
    ('\u{03C5}', 'u', "GREEK SMALL LETTER UPSILON"),
    ('\u{0405}', 'S', "CYRILLIC CAPITAL LETTER DZE"),
    ('\u{0406}', 'I', "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I"),
    ('\u{0408}', 'J', "CYRILLIC CAPITAL LETTER JE"),
    ('\u{0410}', 'A', "CYRILLIC CAPITAL LETTER A"),
    ('\u{0412}', 'B', "CYRILLIC CAPITAL LETTER VE"),
    ('\u{0415}', 'E', "CYRILLIC CAPITAL LETTER IE"),
    ('\u{041A}', 'K', "CYRILLIC CAPITAL LETTER KA"),
    ('\u{041C}', 'M', "CYRILLIC CAPITAL LETTER EM"),
    ('\u{041D}', 'H', "CYRILLIC CAPITAL LETTER EN"),
    ('\u{041E}', 'O', "CYRILLIC CAPITAL LETTER O"),
    ('\u{0420}', 'P', "CYRILLIC CAPITAL LETTER ER"),
    ('\u{0421}', 'C', "CYRILLIC CAPITAL LETTER ES"),
    ('\u{0422}', 'T', "CYRILLIC CAPITAL LETTER TE"),
    ('\u{0423}', 'Y', "CYRILLIC CAPITAL LETTER U"),
    ('\u{0425}', 'X', "CYRILLIC CAPITAL LETTER HA"),
    ('\u{0430}', 'a', "CYRILLIC SMALL LETTER A"),
    ('\u{0435}', 'e', "CYRILLIC SMALL LETTER IE"),
    ('\u{043E}', 'o', "CYRILLIC SMALL LETTER O"),
    ('\u{0440}', 'p', "CYRILLIC SMALL LETTER ER"),
    ('\u{0441}', 'c', "CYRILLIC SMALL LETTER ES"),
    ('\u{0443}', 'y', "CYRILLIC SMALL LETTER U"),
    ('\u{0445}', 'x', "CYRILLIC SMALL LETTER HA"),
    ('\u{0455}', 's', "CYRILLIC SMALL LETTER DZE"),
    ('\u{0456}', 'i', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
    ('\u{0458}', 'j', "CYRILLIC SMALL LETTER JE"),
    ('\u{04AE}', 'Y', "CYRILLIC CAPITAL LETTER STRAIGHT U"),
    ('\u{04BB}', 'h', "CYRILLIC SMALL LETTER SHHA"),
    ('\u{04C0}', 'I', "CYRILLIC LETTER PALOCHKA"),
    ('\u{04CF}', 'l', "CYRILLIC SMALL LETTER PALOCHKA"),
    ('\u{0501}', 'd', "CYRILLIC SMALL LETTER KOMI DE"),
    ('\u{051B}', 'q', "CYRILLIC SMALL LETTER QA"),
    ('\u{051D}', 'w', "CYRILLIC SMALL LETTER WE"),
];

/// The Unicode name of a character [`inspect`] reports, when it is in the small table here.
pub fn char_name(c: char) -> Option<&'static str> {
    let name = match c as u32 {
        0x00 => "NULL",
        0x07 => "BELL",
        0x08 => "BACKSPACE",
        0x0B => "LINE TABULATION",
        0x0C => "FORM FEED",
        0x0D => "CARRIAGE RETURN",
        0x1B => "ESCAPE",
        0x7F => "DELETE",
        0x85 => "NEXT LINE",
        0x90 => "DEVICE CONTROL STRING",
        0x9B => "CONTROL SEQUENCE INTRODUCER",
        0x9C => "STRING TERMINATOR",
        0x9D => "OPERATING SYSTEM COMMAND",
        0x00A0 => "NO-BREAK SPACE",
        0x00AD => "SOFT HYPHEN",
        0x02D7 => "MODIFIER LETTER MINUS SIGN",
        0x034F => "COMBINING GRAPHEME JOINER",
        0x061C => "ARABIC LETTER MARK",
        0x1680 => "OGHAM SPACE MARK",
        0x1806 => "MONGOLIAN TODO SOFT HYPHEN",
        0x180E => "MONGOLIAN VOWEL SEPARATOR",
        0x2000 => "EN QUAD",
        0x2001 => "EM QUAD",
        0x2002 => "EN SPACE",
        0x2003 => "EM SPACE",
        0x2004 => "THREE-PER-EM SPACE",
        0x2005 => "FOUR-PER-EM SPACE",
        0x2006 => "SIX-PER-EM SPACE",
        0x2007 => "FIGURE SPACE",
        0x2008 => "PUNCTUATION SPACE",
        0x2009 => "THIN SPACE",
        0x200A => "HAIR SPACE",
        0x200B => "ZERO WIDTH SPACE",
        0x200C => "ZERO WIDTH NON-JOINER",
        0x200D => "ZERO WIDTH JOINER",
        0x200E => "LEFT-TO-RIGHT MARK",
        0x200F => "RIGHT-TO-LEFT MARK",
        0x2010 => "HYPHEN",
        0x2011 => "NON-BREAKING HYPHEN",
        0x2012 => "FIGURE DASH",
        0x2028 => "LINE SEPARATOR",
        0x2029 => "PARAGRAPH SEPARATOR",
        0x202A => "LEFT-TO-RIGHT EMBEDDING",
        0x202B => "RIGHT-TO-LEFT EMBEDDING",
        0x202C => "POP DIRECTIONAL FORMATTING",
        0x202D => "LEFT-TO-RIGHT OVERRIDE",
        0x202E => "RIGHT-TO-LEFT OVERRIDE",
        0x202F => "NARROW NO-BREAK SPACE",
        0x2043 => "HYPHEN BULLET",
        0x205F => "MEDIUM MATHEMATICAL SPACE",
        0x2060 => "WORD JOINER",
        0x2061 => "FUNCTION APPLICATION",
        0x2062 => "INVISIBLE TIMES",
        0x2063 => "INVISIBLE SEPARATOR",
        0x2064 => "INVISIBLE PLUS",
        0x2066 => "LEFT-TO-RIGHT ISOLATE",
        0x2067 => "RIGHT-TO-LEFT ISOLATE",
        0x2068 => "FIRST STRONG ISOLATE",
        0x2069 => "POP DIRECTIONAL ISOLATE",
        0x2212 => "MINUS SIGN",
        0x3000 => "IDEOGRAPHIC SPACE",
        0x3164 => "HANGUL FILLER",
        0xFE00..=0xFE0F => "VARIATION SELECTOR",
        0xFE63 => "SMALL HYPHEN-MINUS",
        0xFEFF => "ZERO WIDTH NO-BREAK SPACE",
        0xFF0D => "FULLWIDTH HYPHEN-MINUS",
        0xFFFD => "REPLACEMENT CHARACTER",
        0xE0000..=0xE007F => "TAG",
        _ => return lookalike(c).map(|(_, _, n)| *n),
    };
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use FindingKind::*;

    fn found(s: &str) -> Vec<(usize, usize, char, FindingKind, String)> {
        found_bytes(s.as_bytes())
    }

    fn found_bytes(b: &[u8]) -> Vec<(usize, usize, char, FindingKind, String)> {
        inspect(&Text::from_bytes("t", b))
            .into_iter()
            .map(|f| (f.line, f.column, f.ch, f.kind, f.context))
            .collect()
    }

    fn f(
        line: usize,
        col: usize,
        ch: char,
        kind: FindingKind,
        ctx: &str,
    ) -> (usize, usize, char, FindingKind, String) {
        (line, col, ch, kind, ctx.to_string())
    }

    #[test]
    fn plain_text_tabs_and_dashes_are_not_reported() {
        assert_eq!(
            found(
                "1.\tGrant \u{2013} of \u{2014} rights, \u{201C}quoted\u{201D}\nna\u{EF}ve caf\u{E9}\n"
            ),
            vec![]
        );
        assert_eq!(found(""), vec![]);
        assert_eq!(found("\u{4E2D}\u{6587} GPL\u{534F}\u{8BAE}"), vec![]);
    }

    #[test]
    fn controls_c0_c1_and_del() {
        assert_eq!(
            found("a\u{1b}[31mb\n\u{7f}x\u{9b}\n\0\u{7}"),
            vec![
                f(1, 2, '\u{1b}', Control, "a\u{241b}[31mb"),
                f(2, 1, '\u{7f}', Control, "\u{2421}x\u{27e8}U+009B\u{27e9}"),
                f(2, 3, '\u{9b}', Control, "\u{2421}x\u{27e8}U+009B\u{27e9}"),
                f(3, 1, '\0', Control, "\u{2400}\u{2407}"),
                f(3, 2, '\u{7}', Control, "\u{2400}\u{2407}"),
            ]
        );
    }

    #[test]
    fn bidi_controls() {
        let got = found("abc\u{202E}def\u{2066}\u{200F}\u{61C}\u{202A}");
        let cols: Vec<_> = got.iter().map(|x| (x.1, x.2, x.3)).collect();
        assert_eq!(
            cols,
            vec![
                (4, '\u{202E}', Bidi),
                (8, '\u{2066}', Bidi),
                (9, '\u{200F}', Bidi),
                (10, '\u{61C}', Bidi),
                (11, '\u{202A}', Bidi)
            ]
        );
        assert_eq!(
            got[0].4,
            "abc\u{27e8}U+202E\u{27e9}def\u{27e8}U+2066\u{27e9}\u{27e8}U+200F\u{27e9}\u{27e8}U+061C\u{27e9}\u{27e8}U+202A\u{27e9}"
        );
    }

    #[test]
    fn invisible_characters() {
        assert_eq!(
            found("zero\u{200B}width\u{2060}\nx\u{200D}\u{2028}\u{E0041}"),
            vec![
                f(
                    1,
                    5,
                    '\u{200B}',
                    Invisible,
                    "zero\u{27e8}U+200B\u{27e9}width\u{27e8}U+2060\u{27e9}"
                ),
                f(
                    1,
                    11,
                    '\u{2060}',
                    Invisible,
                    "zero\u{27e8}U+200B\u{27e9}width\u{27e8}U+2060\u{27e9}"
                ),
                f(
                    2,
                    2,
                    '\u{200D}',
                    Invisible,
                    "x\u{27e8}U+200D\u{27e9}\u{27e8}U+2028\u{27e9}\u{27e8}U+E0041\u{27e9}"
                ),
                f(
                    2,
                    3,
                    '\u{2028}',
                    Invisible,
                    "x\u{27e8}U+200D\u{27e9}\u{27e8}U+2028\u{27e9}\u{27e8}U+E0041\u{27e9}"
                ),
                f(
                    2,
                    4,
                    '\u{E0041}',
                    Invisible,
                    "x\u{27e8}U+200D\u{27e9}\u{27e8}U+2028\u{27e9}\u{27e8}U+E0041\u{27e9}"
                ),
            ]
        );
    }

    #[test]
    fn byte_order_mark_is_stripped_but_a_second_one_is_reported() {
        // The first U+FEFF is the BOM: loading removes it.
        assert_eq!(found("\u{FEFF}ab"), vec![]);
        assert_eq!(
            found("\u{FEFF}a\u{FEFF}b"),
            vec![f(1, 2, '\u{FEFF}', Invisible, "a\u{27e8}U+FEFF\u{27e9}b")]
        );
        assert_eq!(
            found("\u{FEFF}\u{FEFF}a"),
            vec![f(1, 1, '\u{FEFF}', Invisible, "\u{27e8}U+FEFF\u{27e9}a")]
        );
    }

    #[test]
    fn unusual_spaces() {
        let got = found("a\u{A0}b\u{2009}c\u{3000}d\u{202F}");
        let cols: Vec<_> = got.iter().map(|x| (x.1, x.2, x.3)).collect();
        assert_eq!(
            cols,
            vec![
                (2, '\u{A0}', Space),
                (4, '\u{2009}', Space),
                (6, '\u{3000}', Space),
                (8, '\u{202F}', Space)
            ]
        );
        assert_eq!(got[0].4, "a\u{27e8}U+00A0\u{27e9}b\u{2009}c\u{3000}d\u{202F}");
    }

    #[test]
    fn soft_hyphens_and_lookalike_hyphens() {
        let got = found("soft\u{AD}ware non\u{2011}free \u{2212}1 en\u{2013}dash \u{2010}");
        let cols: Vec<_> = got.iter().map(|x| (x.1, x.2, x.3)).collect();
        assert_eq!(
            cols,
            vec![
                (5, '\u{AD}', Hyphen),
                (14, '\u{2011}', Hyphen),
                (20, '\u{2212}', Hyphen),
                (31, '\u{2010}', Hyphen)
            ]
        );
        assert_eq!(
            got[0].4,
            "soft\u{27e8}U+00AD\u{27e9}ware non\u{2011}free \u{2212}1 en\u{2013}\u{2026}"
        );
    }

    #[test]
    fn mixed_script_word_is_reported_at_the_odd_letter() {
        assert_eq!(
            found("The Licens\u{43E}r may\n"),
            vec![f(1, 11, '\u{43E}', MixedScript, "The Licens\u{27e8}U+043E\u{27e9}r may")]
        );
        // Two odd letters, two findings.
        let got = found("Lic\u{435}ns\u{43E}r");
        assert_eq!(
            got.iter().map(|x| (x.1, x.2, x.3)).collect::<Vec<_>>(),
            vec![(4, '\u{435}', MixedScript), (7, '\u{43E}', MixedScript)]
        );
        // A Latin 'a' in a Russian word is the odd one there.
        let got = found("\u{41B}\u{438}\u{446}\u{435}\u{43D}\u{437}\u{438}a\u{440}");
        assert_eq!(
            got.iter().map(|x| (x.1, x.2, x.3)).collect::<Vec<_>>(),
            vec![(8, 'a', MixedScript)]
        );
        // Greek omicron in a Latin word.
        let got = found("c\u{3BF}py");
        assert_eq!(
            got.iter().map(|x| (x.1, x.2, x.3)).collect::<Vec<_>>(),
            vec![(2, '\u{3BF}', MixedScript)]
        );
    }

    #[test]
    fn whole_word_of_lookalikes_is_confusable_in_latin_text_only() {
        assert_eq!(
            found("Free \u{441}\u{43E}\u{440}\u{443} of the work"),
            vec![f(
                1,
                6,
                '\u{441}',
                Confusable,
                "Free \u{27e8}U+0441\u{27e9}\u{27e8}U+043E\u{27e9}\u{27e8}U+0440\u{27e9}\u{27e8}U+0443\u{27e9} of the work"
            )]
        );
        // A line holding only that word is judged by the document.
        let got = found("Copyright notice\n\u{421}\u{41E}\u{420}\u{423}\n");
        assert_eq!(
            got.iter().map(|x| (x.0, x.1, x.2, x.3)).collect::<Vec<_>>(),
            vec![(2, 1, '\u{421}', Confusable)]
        );
        // In Russian text such words are just words.
        assert_eq!(
            found("\u{41B}\u{438}\u{446}\u{435}\u{43D}\u{437}\u{438}\u{44F} \u{441}\u{43E}\u{440}"),
            vec![]
        );
        // A long one is cut in the context.
        let long = format!("Free {} copies of the Work under this License", "\u{43E}".repeat(25));
        assert_eq!(
            found(&long),
            vec![f(
                1,
                6,
                '\u{43E}',
                Confusable,
                &format!("Free {}\u{2026}", "\u{27e8}U+043E\u{27e9}".repeat(20))
            )]
        );
        // A Cyrillic word with a letter that does not look Latin is not confusable.
        assert_eq!(found("Free \u{43B}\u{43E}\u{440} work"), vec![]);
    }

    #[test]
    fn windows_1252_gets_one_decoding_finding_at_the_first_non_ascii_character() {
        assert_eq!(
            found_bytes(b"ok\nCopyright \xA9 Jos\xE9 \xA9"),
            vec![f(2, 11, '\u{A9}', Decoding, "Copyright \u{27e8}U+00A9\u{27e9} Jos\u{E9} \u{A9}")]
        );
        // Latin-1 NBSP is also a space finding; decoding comes first at a shared position.
        let got = found_bytes(b"a\xA0b");
        assert_eq!(
            got.iter().map(|x| (x.1, x.2, x.3)).collect::<Vec<_>>(),
            vec![(2, '\u{A0}', Decoding), (2, '\u{A0}', Space)]
        );
    }

    #[test]
    fn replacement_character_is_a_decoding_finding() {
        // UTF-16 LE with a lone high surrogate at the end.
        let got = found_bytes(b"\xFF\xFEa\0\0\xD8");
        assert_eq!(got, vec![f(1, 2, '\u{FFFD}', Decoding, "a\u{27e8}U+FFFD\u{27e9}")]);
    }

    #[test]
    fn context_is_cut_to_twenty_chars_each_side_and_expands_tabs() {
        let line = format!("{}\u{200B}{}", "x".repeat(50), "y".repeat(50));
        let got = found(&line);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, 51);
        assert_eq!(
            got[0].4,
            format!("\u{2026}{}\u{27e8}U+200B\u{27e9}{}\u{2026}", "x".repeat(20), "y".repeat(20))
        );
        assert_eq!(found("\tab\u{200B}\tc")[0].4, "    ab\u{27e8}U+200B\u{27e9}  c");
        // Columns count chars, not bytes.
        assert_eq!(found("\u{E9}\u{E9}\u{200B}")[0].1, 3);
    }

    #[test]
    fn letter_script_fast_paths_agree_with_the_tables() {
        for c in ('\u{80}'..='\u{0530}').chain('\u{1E00}'..='\u{1FFF}') {
            assert_eq!(letter_script(c), letter_script_slow(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn lookalike_table_is_sorted_and_found() {
        assert!(LOOKALIKES.windows(2).all(|w| w[0].0 < w[1].0));
        for &(c, l, n) in LOOKALIKES {
            assert_eq!((latin_lookalike(c), char_name(c)), (Some(l), Some(n)));
        }
        assert_eq!(latin_lookalike('\u{0434}'), None);
        assert_eq!(latin_lookalike('o'), None);
    }

    #[test]
    fn descriptions_and_code_points() {
        let all = inspect(&Text::from_string("t", "\u{202E}x Licens\u{43E}r \u{1}"));
        let d: Vec<_> = all.iter().map(|f| (f.code_point(), f.description())).collect();
        assert_eq!(
            d,
            vec![
                ("U+202E".to_string(), "RIGHT-TO-LEFT OVERRIDE".to_string()),
                (
                    "U+043E".to_string(),
                    "CYRILLIC SMALL LETTER O (looks like Latin 'o') in a word of mixed scripts"
                        .to_string()
                ),
                ("U+0001".to_string(), "control character".to_string()),
            ]
        );
        assert_eq!(serde_json::to_string(&FindingKind::MixedScript).unwrap(), "\"mixed-script\"");
    }
}

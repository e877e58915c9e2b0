//! From a license text to the word bigrams it is compared by.
//!
//! The steps are askalono's (as inlined in the `spdx` crate, `detection/preproc.rs`,
//! Apache-2.0), so that scores stay those of the matcher lrw used before it had its own index:
//! line by line, Unicode NFC, junk characters dropped, URLs blacked out, white space and
//! punctuation variants folded; then over the whole text, a prefix common to most lines (a
//! comment marker) dropped, punctuation dropped, lower case, the title line and copyright
//! statements dropped, white space collapsed.
//!
//! One departure, [`strip_title_and_copyright`]: askalono drops the first line whenever it
//! mentions "copyright", and a short license written as one paragraph on one line ("Copying
//! and distribution of this file ... provided the copyright notice and this notice are
//! preserved", FSFAP) lost its whole text that way and matched nothing, itself included.
//!
//! This file is also compiled into `build.rs` (which builds the SPDX index with it), so it
//! uses only `std`, `regex` and `unicode-normalization`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Each line of `text` (split at `\n`, so line numbers are those of the text) normalised
/// without removing anything substantial: NFC, junk characters dropped, URLs replaced by one
/// placeholder, horizontal white space and punctuation variants folded, trimmed.
pub fn normalize_lines(text: &str) -> Vec<String> {
    text.split('\n').map(normalize_line).collect()
}

struct LineRx {
    junk: Regex,
    url: Regex,
    space: Regex,
    quotes: Regex,
    dash: Regex,
    open: Regex,
    close: Regex,
    under: Regex,
    copy: Regex,
}

static LINE_RX: LazyLock<LineRx> = LazyLock::new(|| LineRx {
    junk: rx(r"[^\w\s\pP]+"),
    url: rx(r"https?://\S+"),
    space: rx(r"(?x)[ \t\p{Zs} \\ / \| \x2044 ]+"),
    quotes: rx(r#"["'\p{Pi}\p{Pf}]+"#),
    dash: rx(r"\p{Pd}+"),
    open: rx(r"\p{Ps}+"),
    close: rx(r"\p{Pe}+"),
    under: rx(r"\p{Pc}+"),
    copy: rx(r"[©Ⓒⓒ]"),
});

fn rx(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the normalisation patterns are valid")
}

fn normalize_line(line: &str) -> String {
    let r = &*LINE_RX;
    // ASCII is already in NFC; most lines of most licenses are ASCII.
    let mut s: String = if line.is_ascii() { line.to_string() } else { line.nfc().collect() };
    for (re, with) in [
        (&r.junk, ""),
        (&r.url, "http://blackboxed/url"),
        (&r.space, " "),
        (&r.quotes, "'"),
        (&r.dash, "-"),
        (&r.open, "("),
        (&r.close, ")"),
        (&r.under, "_"),
        (&r.copy, "(c)"),
    ] {
        if let Cow::Owned(o) = re.replace_all(&s, with) {
            s = o;
        }
    }
    s.trim().to_string()
}

/// Normalised lines (from [`normalize_lines`]) joined and reduced to the words that count,
/// in lower case, without punctuation, title or copyright lines; white space is left as it
/// is (the words are what [`str::split_whitespace`] finds, and [`words`] joins them).
///
/// askalono's steps, each done here without a regular expression where the expression would
/// match at every newline or comma (replacing thousands of matches one by one was most of the
/// time `lrw similar` spent), with the same result.
pub fn reduce(lines: &[String]) -> String {
    let joined = lines.join("\n");
    let text = remove_common_prefix(&joined);
    let r = &*TEXT_RX;
    // Vertical white space to newlines; lines are trimmed, so this is rarely needed.
    let text = if text.bytes().any(|b| matches!(b, b'\r' | 0x0b | 0x0c)) {
        Cow::Owned(r.vertical.replace_all(&text, "\n").into_owned())
    } else {
        text
    };
    let text = r.blank_run.replace_all(&text, "\n\n");
    let text = remove_punctuation_and_lowercase(&text);
    strip_title_and_copyright(&text).into_owned()
}

/// The words of [`reduce`] joined by single spaces: askalono's `\s+` → " " and trim (`\s` and
/// `char::is_whitespace` are both Unicode's White_Space).
pub fn words(lines: &[String]) -> String {
    reduce(lines).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters other than word characters and white space dropped, as `[^\w\s]+` → "" does,
/// then the text in lower case.
fn remove_punctuation_and_lowercase(text: &str) -> String {
    if !text.is_ascii() {
        return TEXT_RX.punctuation.replace_all(text, "").to_lowercase();
    }
    // ASCII word characters are [0-9A-Za-z_]; ASCII White_Space is \t \n \v \f \r and space;
    // ASCII lower case is the whole of Unicode lower case for ASCII.
    let keep = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\t'..=b'\r' | b' ');
    let kept: Vec<u8> = text.bytes().filter(keep).map(|b| b.to_ascii_lowercase()).collect();
    String::from_utf8(kept).expect("ASCII bytes are UTF-8")
}

struct TextRx {
    vertical: Regex,
    blank_run: Regex,
    punctuation: Regex,
    title: Regex,
    copyright: Regex,
}

static TEXT_RX: LazyLock<TextRx> = LazyLock::new(|| TextRx {
    vertical: rx(r"[\r\n\v\f]"),
    blank_run: rx(r"\n{3,}"),
    punctuation: rx(r"[^\w\s]+"),
    title: rx(r"^.*license( version \S+)?( copyright.*)?\n\n"),
    copyright: rx(r"(?mx)
        (
            # either a new paragraph, or the beginning of the text + empty lines
            (\n\n|\A\n*)
            # a line starting with 'copyright' followed by a new paragraph
            (^\x20*copyright.*?$)+
            \n\n
        )
        |
        (
            # or the very first line if it has 'copyright' in it
            \A.*copyright.*$
        )
        |
        (
            # or any line that really looks like a copyright statement
            ^copyright (\s+(c|\d+))+ .*?$
        )"),
});

/// The text without its title line and copyright statements, as askalono drops them, unless
/// that would drop half of its words or more: then the text is kept whole.
///
/// Title and copyright lines name one copy of a license, not the license, so they do not
/// count. But askalono's rules (the first line if it mentions copyright; a first paragraph
/// ending in "license") also catch a short license written on one line, and left FSFAP,
/// TermReadKey and any-OSI with nothing or next to nothing to match. A title or copyright
/// statement is never most of a license; where the rules would take most of it, they have
/// caught the license itself. The same rule applies to the SPDX texts and to the text
/// compared with them, so a verbatim copy still scores 1.
pub fn strip_title_and_copyright(text: &str) -> Cow<'_, str> {
    let r = &*TEXT_RX;
    let words = |s: &str| s.split_whitespace().count();
    let (rest, mut removed) = match r.title.find(text) {
        Some(m) => (&text[m.end()..], words(m.as_str())),
        None => (text, 0),
    };
    let mut out = String::new();
    let mut at = 0;
    for m in r.copyright.find_iter(rest) {
        out.push_str(&rest[at..m.start()]);
        out.push_str("\n\n");
        removed += words(m.as_str());
        at = m.end();
    }
    // Every match starts and ends at white space or the text's ends, so no word is split or
    // joined: the stripped text has exactly `removed` words fewer. Counting the text's words
    // can stop once there are more than twice that many.
    if removed == 0 || text.split_whitespace().take(2 * removed + 1).count() <= 2 * removed {
        return Cow::Borrowed(text);
    }
    out.push_str(&rest[at..]);
    Cow::Owned(out)
}

/// askalono's `remove_common_tokens`: when 80% of the lines start with the same text of more
/// than 3 bytes (a comment marker such as `%%Copyright:` or ` * `), it is removed from every
/// line. Ties between prefixes seen equally often go to the shortest, then the first in byte
/// order, so the result does not depend on hash order.
fn remove_common_prefix(text: &str) -> Cow<'_, str> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        let mut prev = first;
        for line in lines {
            let common = common_prefix(prev, line);
            if common.len() > 3 {
                // Starts at 1 and adds 1 at once, as askalono does: the prefix is on two lines.
                *counts.entry(common).or_insert(1) += 1;
            }
            prev = line;
        }
    }
    let Some((&most, _)) = counts.iter().max_by(|a, b| {
        a.1.cmp(b.1).then_with(|| b.0.len().cmp(&a.0.len())).then_with(|| b.0.cmp(a.0))
    }) else {
        return text.into();
    };
    let count: u32 = counts.iter().filter(|(s, _)| s.starts_with(most)).map(|(_, c)| c).sum();
    let lines = text.split('\n').count();
    if count < (0.8f32 * lines as f32) as u32 {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        out.push_str(line.strip_prefix(most).unwrap_or(line).trim());
        out.push('\n');
    }
    out.pop();
    out.into()
}

/// The longest common byte prefix of `a` and `b`, cut back to a character boundary, trimmed.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let mut len = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(len) {
        len -= 1;
    }
    a[..len].trim()
}

/// The word bigrams of `text` (its words as [`str::split_whitespace`] finds them: the output
/// of [`reduce`] or [`words`]) with how often each occurs, as 64-bit hashes sorted by hash. A
/// text of fewer than two words has none.
///
/// Hashes rather than strings keep the index small and the comparison cheap. The odds that
/// two different bigrams share a hash, among the SPDX list's 70,000 distinct ones and a long
/// text's few thousand, are about 1 in 10^10; a shared hash would count one bigram as common.
pub fn bigrams(text: &str) -> Vec<(u64, u32)> {
    let mut hashes: Vec<u64> = Vec::new();
    let mut prev: Option<u64> = None;
    for w in text.split_whitespace() {
        let h = word_hash(w);
        if let Some(p) = prev {
            hashes.push(bigram_hash(p, h));
        }
        prev = Some(h);
    }
    hashes.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::with_capacity(hashes.len());
    for h in hashes {
        match out.last_mut() {
            Some((last, n)) if *last == h => *n += 1,
            _ => out.push((h, 1)),
        }
    }
    out
}

/// FNV-1a (64 bits) of a word: the same at build time and at run time, on every platform.
fn word_hash(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in w.as_bytes() {
        h = (h ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash of the bigram of two words from theirs, order-sensitive, finished with the
/// SplitMix64 mixer so that the bits of both words spread over the result.
fn bigram_hash(first: u64, second: u64) -> u64 {
    let mut z = first.rotate_left(29) ^ second.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> String {
        words(&normalize_lines(text))
    }

    #[test]
    fn title_and_copyright_lines_are_dropped() {
        let text = "The Example License\n\nCopyright (c) 2024 Jane Doe\n\n\
                    Permission is granted to use this work, with or without fee, for any purpose.\n";
        assert_eq!(
            w(text),
            "permission is granted to use this work with or without fee for any purpose"
        );
    }

    #[test]
    fn a_one_line_license_that_mentions_copyright_is_kept_whole() {
        // FSFAP as the SPDX list has it: one line, "copyright" in it.
        let fsfap = "Copying and distribution of this file, with or without modification, are \
                     permitted in any medium without royalty provided the copyright notice and \
                     this notice are preserved.  This file is offered as-is, without any warranty.";
        let words = w(fsfap);
        assert!(words.starts_with("copying and distribution of this file"), "{words}");
        assert!(words.ends_with("without any warranty"), "{words}");
        // The same text wrapped, as a file would hold it, gives the same words.
        assert_eq!(w(&textwrap_like(fsfap)), words);
    }

    /// `s` broken into lines of at most 70 bytes at spaces.
    fn textwrap_like(s: &str) -> String {
        let mut out = String::new();
        let mut line = 0;
        for word in s.split(' ') {
            if line > 0 && line + word.len() > 70 {
                out.push('\n');
                line = 0;
            } else if line > 0 {
                out.push(' ');
            }
            out.push_str(word);
            line += word.len() + 1;
        }
        out
    }

    #[test]
    fn stripping_stops_where_it_would_take_half_the_words() {
        // A four-word copyright line over four words of text: half, so kept.
        let half = "copyright 2024 jane doe\none two three four";
        assert_eq!(strip_title_and_copyright(half), half);
        // Over five words: less than half, so dropped.
        let less = "copyright 2024 jane doe\none two three four five";
        assert_eq!(strip_title_and_copyright(less).split_whitespace().next(), Some("one"));
        // A title paragraph counts the same way.
        assert_eq!(strip_title_and_copyright("my license\n\nuse it"), "my license\n\nuse it");
        assert_eq!(
            strip_title_and_copyright("my license\n\nuse it as you like").trim(),
            "use it as you like"
        );
    }

    #[test]
    fn bigrams_count_repeats_and_need_two_words() {
        assert!(bigrams("").is_empty());
        assert!(bigrams("word").is_empty());
        let g = bigrams("a b a b");
        // "a b" twice, "b a" once.
        let mut counts: Vec<u32> = g.iter().map(|x| x.1).collect();
        counts.sort_unstable();
        assert_eq!(counts, [1, 2]);
        assert!(g.windows(2).all(|w| w[0].0 < w[1].0), "sorted by hash");
        assert_ne!(bigrams("a b"), bigrams("b a"));
    }
}

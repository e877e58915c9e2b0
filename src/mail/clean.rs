//! Small text clean-ups every body goes through: quote markers, signatures, list footers,
//! quoted-printable debris, and the characters a comment must never hold.

/// The quote depth of a line and the byte offset where its own text starts: `> a` is 1,
/// `>> a` and `> > a` are 2, ` > a` (indented) is 1. Linear in the line's length, so a line
/// quoted ten thousand times costs no more than reading it.
pub fn quote_depth(line: &str) -> (usize, usize) {
    let b = line.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    let mut text = 0;
    loop {
        let mut j = i;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') && j - i < 4 {
            j += 1;
        }
        if j < b.len() && b[j] == b'>' {
            depth += 1;
            i = j + 1;
            text = i;
            if b.get(i) == Some(&b' ') {
                text = i + 1;
            }
        } else {
            break;
        }
    }
    (depth, text)
}

/// The line with one quote level removed (`> > a` -> `> a`, `> a` -> `a`); a line that is
/// not quoted comes back unchanged.
pub fn unquote(line: &str) -> &str {
    let t = line.trim_start_matches([' ', '\t']);
    match t.strip_prefix('>') {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
        None => line,
    }
}

/// The line without any quote markers.
pub fn unquote_all(line: &str) -> &str {
    &line[quote_depth(line).1..]
}

/// Drop a signature: from a `-- ` line (the usual separator; `--` alone too, when few lines
/// follow, as some clients eat the space) to the end of the unquoted run it ends.
/// Returns whether one was dropped.
pub fn strip_signature(lines: &mut Vec<String>) -> bool {
    /// A `--` without its space counts only before a signature this short.
    const SHORT_SIGNATURE: usize = 8;
    let Some(at) =
        lines.iter().rposition(|l| l == "-- " || (l.trim_end() == "--" && quote_depth(l).0 == 0))
    else {
        return false;
    };
    let end = lines[at + 1..]
        .iter()
        .position(|l| quote_depth(l).0 > 0)
        .map_or(lines.len(), |p| at + 1 + p);
    if lines[at] != "-- " && end - at - 1 > SHORT_SIGNATURE {
        return false;
    }
    lines.drain(at..end);
    true
}

/// Drop list footers: a line of underscores followed, within a few lines, by one naming a
/// `mailing list` (Mailman 2 and 3), up to the next blank line. Returns how many.
pub fn strip_list_footers(lines: &mut Vec<String>) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim();
        let rule = l.len() >= 10 && l.bytes().all(|b| b == b'_');
        let names_list = rule
            && lines[i + 1..]
                .iter()
                .take(4)
                .take_while(|l| !l.trim().is_empty())
                .any(|l| l.to_lowercase().contains("mailing list"));
        if names_list {
            let end = lines[i + 1..]
                .iter()
                .position(|l| l.trim().is_empty())
                .map_or(lines.len(), |p| i + 1 + p);
            lines.drain(i..end);
            n += 1;
        } else {
            i += 1;
        }
    }
    n
}

/// Decode quoted-printable left in a text by a client that quoted an undecoded message
/// (`gioved=C3=AC`, lines ending in a soft break `=`), when the text is strictly in that
/// form: every `=` ends a line or starts two upper-case hex digits, the result is UTF-8, and
/// there is real debris (an encoded non-ASCII character, or two soft breaks). `None` leaves
/// the text as it is. The decoding itself is `mail-parser`'s.
pub fn decode_qp_debris(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut soft = 0;
    let mut encoded_high = false;
    for (i, &c) in b.iter().enumerate() {
        if c != b'=' {
            continue;
        }
        match (b.get(i + 1), b.get(i + 2)) {
            (None, _) | (Some(b'\n'), _) | (Some(b'\r'), Some(b'\n')) => soft += 1,
            (Some(h1), Some(h2)) if is_upper_hex(*h1) && is_upper_hex(*h2) => {
                encoded_high |= *h1 >= b'8';
            }
            _ => return None,
        }
    }
    if !encoded_high && soft < 2 {
        return None;
    }
    let decoded = mail_parser::decoders::quoted_printable::quoted_printable_decode(b)?;
    String::from_utf8(decoded).ok().filter(|d| d != text)
}

fn is_upper_hex(c: u8) -> bool {
    c.is_ascii_digit() || (b'A'..=b'F').contains(&c)
}

/// Join the soft line breaks of a `format=flowed` text (RFC 3676): a line ending in a space
/// goes on in the next line of the same quote depth; stuffing spaces are removed; `delsp`
/// says the trailing space was added for the break only.
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for raw in text.lines() {
        let depth = raw.bytes().take_while(|&b| b == b'>').count();
        let content = &raw[depth..];
        let content = content.strip_prefix(' ').unwrap_or(content);
        let flowed = content.ends_with(' ') && content != "-- ";
        let joined = match open.take() {
            Some((d, mut buf)) if d == depth && content != "-- " => {
                if delsp {
                    buf.pop();
                }
                buf.push_str(content);
                (d, buf)
            }
            Some((d, buf)) => {
                out.push(quoted(d, &buf));
                (depth, content.to_string())
            }
            None => (depth, content.to_string()),
        };
        if flowed {
            open = Some(joined);
        } else {
            out.push(quoted(joined.0, &joined.1));
        }
    }
    if let Some((d, buf)) = open {
        out.push(quoted(d, &buf));
    }
    out.join("\n")
}

fn quoted(depth: usize, s: &str) -> String {
    if depth == 0 { s.to_string() } else { format!("{} {}", ">".repeat(depth), s) }
}

/// Longest comment body kept, in bytes; a longer one is cut (with a note by the caller).
pub const BODY_MAX: usize = 64 * 1024;

/// A body made safe to keep as a comment: no control or invisible characters (they are
/// dropped; tabs and no-break spaces become spaces), `\n` line ends, no trailing spaces, at
/// most one blank line in a row, no blank lines at either end, at most [`BODY_MAX`] bytes.
/// Returns the body and whether it was cut.
pub fn comment_body(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len().min(BODY_MAX + 4));
    let mut blank_run = 0;
    let mut cut = false;
    for raw in s.split('\n') {
        let mut line = String::with_capacity(raw.len());
        for c in raw.chars() {
            match c {
                '\t' | '\u{a0}' | '\u{202f}' | '\u{2007}' => line.push(' '),
                _ if crate::text::sanitize::is_hidden(c) || c.is_control() => {}
                _ => line.push(c),
            }
        }
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        if out.len() + line.len() > BODY_MAX {
            let mut end = BODY_MAX.saturating_sub(out.len());
            while end > 0 && !line.is_char_boundary(end) {
                end -= 1;
            }
            out.push_str(&line[..end]);
            out.push('\u{2026}');
            cut = true;
            break;
        }
        out.push_str(line);
    }
    (out, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    #[test]
    fn quote_depths() {
        assert_eq!(quote_depth("plain"), (0, 0));
        assert_eq!(quote_depth("> a"), (1, 2));
        assert_eq!(quote_depth(">> a"), (2, 3));
        assert_eq!(quote_depth("> > a"), (2, 4));
        assert_eq!(quote_depth(" > a"), (1, 3));
        assert_eq!(quote_depth(">"), (1, 1));
        assert_eq!(unquote("> > a"), "> a");
        assert_eq!(unquote(">a"), "a");
        assert_eq!(unquote("a > b"), "a > b");
        assert_eq!(unquote_all(">> > x"), "x");
        let deep = ">".repeat(10_000) + " x";
        assert_eq!(quote_depth(&deep), (10_000, 10_001));
    }

    #[test]
    fn signatures_end_at_the_unquoted_run() {
        let mut l = lines("Text.\n-- \nAna\nKestrel Bay");
        assert!(strip_signature(&mut l));
        assert_eq!(l, lines("Text."));
        let mut l = lines("Text.\n--\nAna");
        assert!(strip_signature(&mut l));
        assert_eq!(l, lines("Text."));
        // `--` in the middle of a long text is not a signature.
        let mut l = lines(&format!("a\n--\n{}", "x\n".repeat(20)));
        assert!(!strip_signature(&mut l));
        let mut l = lines("Reply.\n-- \nAna\n> quoted");
        assert!(strip_signature(&mut l));
        assert_eq!(l, lines("Reply.\n> quoted"));
    }

    #[test]
    fn mailman_footers_go_other_rules_stay() {
        let mut l = lines(
            "Text.\n\n_______________________________________________\nLicense-review mailing list\nLicense-review@lists.example.org\nhttps://lists.example.org/listinfo/license-review\n",
        );
        assert_eq!(strip_list_footers(&mut l), 1);
        assert_eq!(l, ["Text.", ""]);
        let mut l = lines("Text.\n______________\nFrom: Ana\nSent: today");
        assert_eq!(strip_list_footers(&mut l), 0);
    }

    #[test]
    fn qp_debris_is_decoded_only_when_it_is_debris() {
        assert_eq!(
            decode_qp_debris("Inviato: gioved=C3=AC 15 maggio\nuna riga lunga che conti=\nnua qui")
                .as_deref(),
            Some("Inviato: giovedì 15 maggio\nuna riga lunga che continua qui")
        );
        assert_eq!(decode_qp_debris("x = y and a=b"), None);
        assert_eq!(decode_qp_debris("https://example.org/?a=1&b=2"), None);
        assert_eq!(decode_qp_debris("just =3D once"), None);
        assert_eq!(decode_qp_debris("no debris"), None);
    }

    #[test]
    fn flowed_text_is_joined() {
        let t = "This is a long \nline that flows.\n>> quoted \n>> on\n> one\n From here\n-- \nsig";
        assert_eq!(
            unflow(t, false),
            "This is a long line that flows.\n>> quoted on\n> one\nFrom here\n-- \nsig"
        );
        assert_eq!(unflow("ab \ncd", true), "abcd");
    }

    #[test]
    fn comment_bodies_hold_no_controls() {
        let (b, cut) = comment_body("\n\na\u{1b}[31mred\u{202e}\tx  \n\n\n\nb\u{200b}\r\n\n");
        assert_eq!(b, "a[31mred x\n\nb");
        assert!(!cut);
        let (b, cut) = comment_body(&"é".repeat(BODY_MAX));
        assert!(cut && b.len() <= BODY_MAX + 3 && b.ends_with('\u{2026}'));
    }
}

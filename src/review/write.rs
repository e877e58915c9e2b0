//! Writing a review as TOML with a fixed key order and layout, so that saving a change gives
//! a git diff of only that change, and loading then saving a file we wrote gives the same bytes.
//!
//! Strings get our own encoder rather than toml's: toml leaves bidi controls and other
//! invisible characters raw, and a review file is read in terminals and diffs, where such a
//! character could reorder or hide text. Here every character that the display sanitiser
//! treats as hidden is written as a `\uXXXX` escape; the result is plain TOML that any parser
//! reads back to the same string (a property test checks this against toml's parser).

use super::model::*;

/// How an existing review file writes its lines: kept when lrw saves it again, so that a file
/// checked out with CRLF line endings or saved with a byte-order mark is not rewritten on every
/// line by a one-line change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Layout {
    pub bom: bool,
    pub crlf: bool,
}

impl Layout {
    /// The layout of a file's text: a BOM at the start; CRLF if its first line ends so.
    pub fn of(text: &str) -> Layout {
        let bom = text.starts_with('\u{feff}');
        let crlf = text.find('\n').is_some_and(|i| text[..i].ends_with('\r'));
        Layout { bom, crlf }
    }

    /// `text` (as [`to_toml`] writes it: LF, no BOM) in this layout.
    pub fn apply(self, text: String) -> String {
        let text = if self.crlf { text.replace('\n', "\r\n") } else { text };
        if self.bom { format!("\u{feff}{text}") } else { text }
    }
}

/// The review as TOML text.
pub fn to_toml(review: &Review) -> String {
    write_review(review, &|_| true)
}

/// The review as TOML text with only those comment ids that `file_text` names: our layout of
/// what a file written before comments had ids says, so that saving over it writes the ids
/// the loader gave its comments (see [`Comment::derived_id`]).
pub fn to_toml_as_in(review: &Review, file_text: &str) -> String {
    let named: std::collections::HashSet<&str> = file_text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("id = \""))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    write_review(review, &|id| named.contains(id))
}

fn write_review(review: &Review, write_comment_id: &dyn Fn(&str) -> bool) -> String {
    let mut w = String::new();
    kv(&mut w, "format", &string(&review.format));
    kv(&mut w, "title", &string(&review.title));
    if let Some(l) = &review.license {
        kv(&mut w, "license", &string(l));
    }
    let (simple, tables) = split(&review.extra);
    simple_keys(&mut w, &simple);

    for v in &review.versions {
        header(&mut w, "[[versions]]");
        kv(&mut w, "id", &string(&v.id));
        kv(&mut w, "path", &string(&v.path));
        if let Some(h) = &v.sha256 {
            kv(&mut w, "sha256", &string(h));
        }
        if let Some(l) = &v.label {
            kv(&mut w, "label", &string(l));
        }
        if let Some(d) = &v.date {
            kv(&mut w, "date", &date_or_string(d));
        }
        for (key, value) in v.source.fields() {
            if let Some(value) = value {
                kv(&mut w, key, &string(value));
            }
        }
        extra_keys(&mut w, &["versions"], &v.extra);
    }

    header(&mut w, "[compare]");
    kv(&mut w, "left", &string(&review.compare.left));
    kv(&mut w, "right", &string(&review.compare.right));
    extra_keys(&mut w, &["compare"], &review.compare.extra);

    for t in &review.threads {
        header(&mut w, "[[threads]]");
        kv(&mut w, "id", &string(&t.id));
        kv(&mut w, "status", &string(t.status.as_str()));
        kv(&mut w, "verdict", &string(t.verdict.as_str()));
        let crit: Vec<String> = t.criteria.iter().map(|c| string(c)).collect();
        kv(&mut w, "criteria", &format!("[{}]", crit.join(", ")));
        let (simple, tables) = split(&t.extra);
        simple_keys(&mut w, &simple);

        if let Some(a) = &t.anchor {
            header(&mut w, "[threads.anchor]");
            kv(&mut w, "version", &string(&a.version));
            kv(&mut w, "clause", &string(&a.clause));
            for (k, v) in [("quote", &a.quote), ("prefix", &a.prefix), ("suffix", &a.suffix)] {
                if let Some(s) = v {
                    kv(&mut w, k, &string(s));
                }
            }
            if let Some(h) = &a.clause_sha256 {
                kv(&mut w, "clause_sha256", &string(h));
            }
            if let Some(s) = &a.clause_start {
                kv(&mut w, "clause_start", &string(s));
            }
            extra_keys(&mut w, &["threads", "anchor"], &a.extra);
        }

        for c in &t.comments {
            header(&mut w, "[[threads.comments]]");
            if write_comment_id(&c.id) {
                kv(&mut w, "id", &string(&c.id));
            }
            kv(&mut w, "author", &string(&c.author));
            kv(&mut w, "at", &datetime_or_string(&c.at));
            if let Some(e) = &c.edited_at {
                kv(&mut w, "edited_at", &datetime_or_string(e));
            }
            if let Some(m) = &c.message_id {
                kv(&mut w, "message_id", &string(m));
            }
            kv(&mut w, "body", &body(&c.body));
            extra_keys(&mut w, &["threads", "comments"], &c.extra);
        }
        for e in &t.events {
            header(&mut w, "[[threads.events]]");
            kv(&mut w, "author", &string(&e.author));
            kv(&mut w, "at", &datetime_or_string(&e.at));
            kv(&mut w, "field", &string(&e.field));
            kv(&mut w, "from", &string(&e.from));
            kv(&mut w, "to", &string(&e.to));
            extra_keys(&mut w, &["threads", "events"], &e.extra);
        }
        sub_tables(&mut w, &["threads"], &tables);
    }
    sub_tables(&mut w, &[], &tables);
    w
}

fn header(w: &mut String, h: &str) {
    w.push('\n');
    w.push_str(h);
    w.push('\n');
}

fn kv(w: &mut String, key_text: &str, value: &str) {
    w.push_str(&key(key_text));
    w.push_str(" = ");
    w.push_str(value);
    w.push('\n');
}

/// A comment time as a bare TOML datetime; anything that is not one stays a string, so the
/// loader reports it instead of the writer producing broken TOML.
fn datetime_or_string(at: &str) -> String {
    match at.parse::<toml::value::Datetime>() {
        Ok(dt) if dt.date.is_some() && dt.time.is_some() && dt.offset.is_some() => dt.to_string(),
        _ => string(at),
    }
}

/// A version date as a bare TOML date when it is one (`2025-12-05`), else a string.
fn date_or_string(d: &str) -> String {
    match d.parse::<toml::value::Datetime>() {
        Ok(dt) if dt.date.is_some() && dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        _ => string(d),
    }
}

/// A comment body: a `"""` block when it has several lines, else a one-line string.
fn body(s: &str) -> String {
    if s.contains('\n') { multi_line(s) } else { string(s) }
}

/// A TOML key: bare when it can be, else a basic string.
pub fn key(k: &str) -> String {
    if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        k.to_string()
    } else {
        string(k)
    }
}

/// A one-line TOML basic string with every special or hidden character escaped.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => push_char(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// A multi-line TOML basic string (`"""` on its own line, then the text). Quotes are escaped
/// where three would end the string (or where one sits at the very end); backslashes, carriage
/// returns and hidden characters are escaped everywhere.
pub fn multi_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("\"\"\"\n");
    let chars: Vec<char> = s.chars().collect();
    let mut run = 0; // unescaped quotes just written
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '"' => {
                if run == 2 || i + 1 == chars.len() {
                    out.push_str("\\\"");
                    run = 0;
                } else {
                    out.push('"');
                    run += 1;
                }
                continue;
            }
            '\\' => out.push_str("\\\\"),
            '\n' => out.push('\n'),
            _ => push_char(&mut out, c),
        }
        run = 0;
    }
    out.push_str("\"\"\"");
    out
}

/// One character inside a basic string (not `"`, `\` or a newline).
fn push_char(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        c if c.is_control() || crate::text::sanitize::is_hidden(c) => {
            let cp = c as u32;
            if cp <= 0xFFFF {
                out.push_str(&format!("\\u{cp:04X}"));
            } else {
                out.push_str(&format!("\\U{cp:08X}"));
            }
        }
        c => out.push(c),
    }
}

/// Unknown keys: plain values first (they must come before any sub-table header), then
/// tables and arrays of tables as sections.
fn extra_keys(w: &mut String, path: &[&str], extra: &toml::Table) {
    let (simple, tables) = split(extra);
    simple_keys(w, &simple);
    sub_tables(w, path, &tables);
}

type Entries<'a> = Vec<(&'a String, &'a toml::Value)>;

fn split(t: &toml::Table) -> (Entries<'_>, Entries<'_>) {
    t.iter().partition(|(_, v)| !is_section(v))
}

fn is_section(v: &toml::Value) -> bool {
    match v {
        toml::Value::Table(_) => true,
        toml::Value::Array(a) => !a.is_empty() && a.iter().all(|e| e.is_table()),
        _ => false,
    }
}

fn simple_keys(w: &mut String, entries: &[(&String, &toml::Value)]) {
    for (k, v) in entries {
        kv(w, k, &inline(v));
    }
}

fn sub_tables(w: &mut String, path: &[&str], entries: &[(&String, &toml::Value)]) {
    for (k, v) in entries {
        let mut p: Vec<&str> = path.to_vec();
        p.push(k);
        let dotted: Vec<String> = p.iter().map(|s| key(s)).collect();
        let dotted = dotted.join(".");
        match v {
            toml::Value::Table(t) => {
                header(w, &format!("[{dotted}]"));
                extra_keys(w, &p, t);
            }
            toml::Value::Array(items) => {
                for item in items {
                    if let toml::Value::Table(t) = item {
                        header(w, &format!("[[{dotted}]]"));
                        extra_keys(w, &p, t);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A value written inline (arrays as `[...]`, tables as `{ ... }`).
fn inline(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => string(s),
        toml::Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", parts.join(", "))
        }
        toml::Value::Table(t) => {
            if t.is_empty() {
                return "{}".to_string();
            }
            let parts: Vec<String> =
                t.iter().map(|(k, v)| format!("{} = {}", key(k), inline(v))).collect();
            format!("{{ {} }}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(toml_value: &str) -> String {
        let t: toml::Table = toml::from_str(&format!("v = {toml_value}")).unwrap();
        t["v"].as_str().unwrap().to_string()
    }

    #[test]
    fn strings_escape_quotes_backslashes_controls_and_bidi() {
        let s = "a \"q\" \\ \u{1b}[31m \u{202e}evil\u{2066} \t\r é 😀";
        let enc = string(s);
        assert_eq!(enc, "\"a \\\"q\\\" \\\\ \\u001B[31m \\u202Eevil\\u2066 \\t\\r é 😀\"");
        assert_eq!(decode(&enc), s);
    }

    #[test]
    fn multi_line_handles_triple_quotes_and_trailing_quote() {
        for s in
            ["a\n\"\"\"b\n", "x\n\"", "\"\"\n\"\"\"\"\"\"", "\n\nstarts with newlines\n", "a\\\nb"]
        {
            let enc = multi_line(s);
            assert!(enc.starts_with("\"\"\"\n"), "{enc}");
            assert_eq!(decode(&enc), s, "encoded as {enc}");
        }
        assert_eq!(multi_line("one\ntwo\n"), "\"\"\"\none\ntwo\n\"\"\"");
    }

    #[test]
    fn keys_are_bare_when_possible() {
        assert_eq!(key("clause_sha256"), "clause_sha256");
        assert_eq!(key("a b"), "\"a b\"");
        assert_eq!(key(""), "\"\"");
    }
}

//! Reading mail: an `.eml`, an mbox (mboxo or mboxrd: `>From ` lines are unescaped), a
//! Maildir folder (`cur/` and `new/`), or a message saved as HTML or plain text with its
//! header lines at the top.
//!
//! MIME structure, RFC 2047 names, charsets, quoted-printable and base64 are `mail-parser`'s
//! work; this module picks the body (text/plain first, else the HTML turned into text by
//! [`super::html`]), unfolds `format=flowed`, and notes what it could not read instead of
//! failing: no `Date` or `From`, an unknown charset, a cut-off message, a large attachment.

use std::path::Path;

use mail_parser::{HeaderValue, MessageParser, MimeHeaders};

use super::{Message, Person, clean, date, history, html};

/// Largest file read, in bytes: a whole list archive fits, a runaway file is refused.
pub const MAX_FILE: u64 = 256 * 1024 * 1024;
/// Attachments larger than this are mentioned in a note (all attachments are skipped).
pub const LARGE_ATTACHMENT: usize = 1024 * 1024;
/// Most text read from one message body, in bytes, before it is cut (with a note).
pub const MAX_BODY_TEXT: usize = 4 * 1024 * 1024;

/// What kind of input a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Eml,
    Mbox,
    Maildir,
    Html,
    Text,
}

/// The messages of one input, with notes about the input itself.
#[derive(Debug, Clone, Default)]
pub struct ReadOutcome {
    pub messages: Vec<Message>,
    pub notes: Vec<String>,
}

/// Why an input could not be read at all (one line each).
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    TooLarge(u64),
    Empty,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
            ReadError::TooLarge(n) => {
                write!(f, "{} MiB is more than the {} MiB lrw reads", n >> 20, MAX_FILE >> 20)
            }
            ReadError::Empty => f.write_str("empty: no message in it"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Read a file or a Maildir folder.
pub fn read_path(path: &Path) -> Result<ReadOutcome, ReadError> {
    if path.is_dir() {
        return read_maildir(path);
    }
    let bytes = read_file(path)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok(read_bytes(&bytes, &name))
}

fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    let len = std::fs::metadata(path).map_err(ReadError::Io)?.len();
    if len > MAX_FILE {
        return Err(ReadError::TooLarge(len));
    }
    std::fs::read(path).map_err(ReadError::Io)
}

/// What kind of input these bytes are.
pub fn detect(bytes: &[u8]) -> Source {
    if bytes.starts_with(b"From ") {
        return Source::Mbox;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    // Header lines up to the first blank line, one of them a header every message has.
    let mut fields = 0;
    let mut known = false;
    for line in head.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) && fields > 0 {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else { return text_or_html(&head) };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return text_or_html(&head);
        }
        fields += 1;
        known |=
            ["from", "date", "message-id", "subject", "received", "return-path", "mime-version"]
                .contains(&name.to_ascii_lowercase().as_str());
    }
    if fields > 0 && known { Source::Eml } else { text_or_html(&head) }
}

fn text_or_html(head: &str) -> Source {
    if html::looks_like_html(head) { Source::Html } else { Source::Text }
}

/// Read the messages in `bytes`, whatever kind of input they are; `name` is used in notes.
pub fn read_bytes(bytes: &[u8], name: &str) -> ReadOutcome {
    match detect(bytes) {
        Source::Mbox => read_mbox(bytes, name),
        Source::Eml | Source::Maildir => {
            let mut out = ReadOutcome::default();
            out.messages.extend(read_message(bytes, name, None));
            if out.messages.is_empty() {
                out.notes.push(format!("{name}: not a mail message"));
            }
            out
        }
        Source::Html => {
            let text = String::from_utf8_lossy(bytes);
            let h = html::to_text(&text);
            let mut m = saved(&h.text, name);
            m.quote_ids = h.quote_ids;
            if h.flattened {
                m.notes.push(format!(
                    "quotes nested deeper than {} levels were flattened",
                    html::MAX_DEPTH
                ));
            }
            ReadOutcome { messages: vec![m], notes: Vec::new() }
        }
        Source::Text => {
            let text = decode_text(bytes);
            ReadOutcome { messages: vec![saved(&text, name)], notes: Vec::new() }
        }
    }
}

/// A text file's bytes: UTF-8 (BOM dropped), else Windows-1252 as the text loader reads
/// other bytes.
fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.replace("\r\n", "\n"),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.replace("\r\n", "\n"),
    }
}

/// The messages of an mbox, in file order.
fn read_mbox(bytes: &[u8], name: &str) -> ReadOutcome {
    let mut out = ReadOutcome::default();
    let n_total = mbox_count(bytes);
    for (i, item) in mail_parser::mailbox::mbox::MessageIterator::new(bytes).enumerate() {
        let origin = format!("{name} #{}", i + 1);
        let Ok(m) = item else {
            out.notes.push(format!("{origin}: cannot be read"));
            continue;
        };
        let envelope = i64::try_from(m.internal_date()).ok().filter(|d| *d > 0);
        let mut contents = m.contents().to_vec();
        let last = i + 1 == n_total;
        // The iterator keeps the blank line that separates messages: it is not the body's.
        if contents.ends_with(b"\n\n") {
            contents.pop();
        }
        match read_message(&contents, &origin, envelope) {
            Some(mut msg) => {
                if last
                    && !bytes.ends_with(b"\n")
                    && !msg.notes.iter().any(|n| n.contains("cut off"))
                {
                    msg.notes.push(
                        "the file ends in the middle of this message: it may be cut off".into(),
                    );
                }
                out.messages.push(msg);
            }
            None => out.notes.push(format!("{origin}: not a mail message")),
        }
    }
    if out.messages.is_empty() {
        out.notes.push(format!("{name}: no message in this mbox"));
    }
    out
}

/// Messages in an mbox: lines starting with `From `.
fn mbox_count(bytes: &[u8]) -> usize {
    let mut n = usize::from(bytes.starts_with(b"From "));
    n += memchr::memmem::find_iter(bytes, b"\nFrom ").count();
    n
}

/// A Maildir folder: the messages in `cur/` and `new/`, in name order.
fn read_maildir(dir: &Path) -> Result<ReadOutcome, ReadError> {
    let mut files = Vec::new();
    for sub in ["cur", "new"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else { continue };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !e.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            files.push((format!("{sub}/{name}"), e.path()));
        }
    }
    if files.is_empty() {
        return Err(ReadError::Empty);
    }
    files.sort();
    let mut out = ReadOutcome::default();
    let folder = dir
        .file_name()
        .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
    for (rel, path) in files {
        let origin = format!("{folder}/{rel}");
        match read_file(&path) {
            Ok(bytes) => match read_message(&bytes, &origin, None) {
                Some(m) => out.messages.push(m),
                None => out.notes.push(format!("{origin}: not a mail message")),
            },
            Err(e) => out.notes.push(format!("{origin}: {e}")),
        }
    }
    Ok(out)
}

/// One RFC 5322 message; `envelope` is the mbox `From ` line's time, used when the message
/// has no `Date`.
pub fn read_message(raw: &[u8], origin: &str, envelope: Option<i64>) -> Option<Message> {
    let parsed = MessageParser::default().parse(raw)?;
    let mut m = Message { origin: origin.to_string(), ..Message::default() };
    m.message_id = parsed.message_id().map(clean_id).filter(|s| !s.is_empty());
    m.in_reply_to = ids(parsed.in_reply_to());
    m.references = ids(parsed.references());
    m.subject = parsed.subject().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    m.from = parsed.from().and_then(|a| a.first()).map(|a| Person {
        name: a.name().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        address: a.address().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
    });
    if m.from.as_ref().and_then(Person::display).is_none() {
        m.from = None;
        m.notes.push("no From: the author is unknown".into());
    }
    read_date(&parsed, envelope, &mut m);
    m.list = list_address(&parsed);
    if m.message_id.is_none() {
        m.notes.push("no Message-ID: lrw made one from the author and text".into());
    }
    read_body(&parsed, &mut m);
    if looks_cut_off(raw, &parsed) {
        m.notes.push("the message looks cut off (its MIME parts do not end)".into());
    }
    Some(m)
}

fn clean_id(s: &str) -> String {
    s.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
}

fn ids(v: &HeaderValue<'_>) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![clean_id(t)],
        HeaderValue::TextList(l) => l.iter().map(|t| clean_id(t)).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

fn read_date(parsed: &mail_parser::Message<'_>, envelope: Option<i64>, m: &mut Message) {
    let raw = parsed.header_raw("Date").map(str::trim);
    // `mail-parser` reads RFC 5322 dates; one without a numeric zone was written by hand or
    // a client's "save as" (`18 May 2025 at 05:51:00 CEST`), which the loose reader knows.
    let rfc = raw.is_some_and(|r| {
        r.split_whitespace().any(|w| {
            (w.starts_with('+') || w.starts_with('-'))
                && w.len() == 5
                && w[1..].bytes().all(|b| b.is_ascii_digit())
        })
    });
    if !rfc
        && let Some((ts, off)) =
            raw.and_then(|r| date::parse_with_offset(r, &date::Hints::default()))
    {
        m.date = Some(date::rfc3339(ts));
        m.utc_offset = Some(off);
        return;
    }
    if let Some(d) = parsed.date().filter(|d| d.is_valid()) {
        let off = (i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60)
            * if d.tz_before_gmt { -1 } else { 1 };
        if let Ok(ts) = jiff::Timestamp::from_second(d.to_timestamp()) {
            m.date = Some(date::rfc3339(ts));
            m.utc_offset = Some(off);
            return;
        }
    }
    let had = raw.is_some();
    match envelope.and_then(|e| jiff::Timestamp::from_second(e).ok()) {
        Some(ts) => {
            m.date = Some(date::rfc3339(ts));
            m.notes.push(if had {
                "Date not understood: the mbox delivery time is used".into()
            } else {
                "no Date: the mbox delivery time is used".into()
            });
        }
        None => m.notes.push(if had { "Date not understood".into() } else { "no Date".into() }),
    }
}

/// Where a reply goes: `List-Post`'s address, else a `To`/`Cc` address matching `List-Id`,
/// else the first `To`.
fn list_address(parsed: &mail_parser::Message<'_>) -> Option<String> {
    if let Some(raw) = parsed.header_raw("List-Post")
        && let Some(p) = raw.find("mailto:")
    {
        let rest = &raw[p + 7..];
        let end = rest.find(['>', '?', ',', ' ']).unwrap_or(rest.len());
        let addr = rest[..end].trim();
        if addr.contains('@') {
            return Some(addr.to_string());
        }
    }
    let mut to: Vec<String> = Vec::new();
    for a in [parsed.to(), parsed.cc()].into_iter().flatten() {
        to.extend(a.iter().filter_map(|x| x.address()).map(str::to_string));
    }
    if let Some(id) = parsed.header_raw("List-Id") {
        let id = id
            .rsplit('<')
            .next()
            .unwrap_or(id)
            .trim_end_matches(['>', ' ', '\r', '\n'])
            .to_lowercase();
        if let Some(local) = id.split('.').next()
            && let Some(hit) =
                to.iter().find(|a| a.to_lowercase().starts_with(&format!("{local}@")))
        {
            return Some(hit.clone());
        }
    }
    to.into_iter().next()
}

/// The body as text: the text/plain parts if there are any, else the HTML ones as text.
fn read_body(parsed: &mail_parser::Message<'_>, m: &mut Message) {
    let mut pieces: Vec<String> = Vec::new();
    let mut any_plain = false;
    for part in parsed.text_bodies() {
        any_plain |= !part.is_text_html();
    }
    let parts: Vec<_> = if any_plain {
        parsed.text_bodies().filter(|p| !p.is_text_html()).collect()
    } else {
        parsed
            .html_bodies()
            .chain(parsed.text_bodies())
            .filter(|p| p.is_text_html())
            .take(1)
            .collect()
    };
    for part in parts {
        if let Some(cs) = part.content_type().and_then(|c| c.attribute("charset"))
            && !known_charset(cs)
        {
            m.notes
                .push(format!("unknown charset {cs:?}: read as UTF-8, unreadable bytes replaced"));
        }
        let Some(text) = part.text_contents() else { continue };
        let mut text = text;
        if text.len() > MAX_BODY_TEXT {
            let mut end = MAX_BODY_TEXT;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text = &text[..end];
            m.notes.push(format!("body longer than {} MiB: cut", MAX_BODY_TEXT >> 20));
        }
        let text = text.replace("\r\n", "\n");
        if part.is_text_html() || html::looks_like_html(&text) {
            let h = html::to_text(&text);
            if h.flattened {
                m.notes.push(format!(
                    "quotes nested deeper than {} levels were flattened",
                    html::MAX_DEPTH
                ));
            }
            let base = pieces.iter().map(|p: &String| p.lines().count() + 1).sum::<usize>();
            m.quote_ids.extend(h.quote_ids.into_iter().map(|mut q| {
                q.line += base;
                q
            }));
            pieces.push(h.text);
        } else {
            let ct = part.content_type();
            let flowed = ct
                .and_then(|c| c.attribute("format"))
                .is_some_and(|f| f.eq_ignore_ascii_case("flowed"));
            let delsp = ct
                .and_then(|c| c.attribute("delsp"))
                .is_some_and(|f| f.eq_ignore_ascii_case("yes"));
            pieces.push(if flowed { clean::unflow(&text, delsp) } else { text });
        }
    }
    if pieces.is_empty() {
        m.notes.push("no text in the message".into());
    }
    m.body = pieces.join("\n\n");
    for a in parsed.attachments() {
        if a.len() >= LARGE_ATTACHMENT
            && !parsed.text_bodies().chain(parsed.html_bodies()).any(|p| std::ptr::eq(p, a))
        {
            let name = a.attachment_name().unwrap_or("(no name)");
            m.notes.push(format!(
                "attachment {name:?} ({:.1} MB) skipped",
                a.len() as f64 / 1_000_000.0
            ));
        }
    }
}

/// Whether a charset is one `mail-parser` decodes (UTF-8 and ASCII are its default).
fn known_charset(cs: &str) -> bool {
    let l = cs.trim().to_ascii_lowercase();
    matches!(l.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii" | "")
        || mail_parser::decoders::charsets::map::charset_decoder(l.as_bytes()).is_some()
}

/// A multipart message whose closing boundary never comes, or headers with no body.
fn looks_cut_off(raw: &[u8], parsed: &mail_parser::Message<'_>) -> bool {
    let Some(ct) = parsed.content_type() else { return false };
    if !ct.c_type.eq_ignore_ascii_case("multipart") {
        return false;
    }
    let Some(b) = ct.attribute("boundary") else { return false };
    let close = format!("--{b}--");
    memchr::memmem::find(raw, close.as_bytes()).is_none()
}

/// A message saved as text or HTML: header lines at the top, if any, then the body.
fn saved(text: &str, name: &str) -> Message {
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut m = Message { origin: name.to_string(), ..Message::default() };
    match history::leading_headers(&lines) {
        Some((attr, body_at)) => {
            if attr.from.display().is_some() {
                m.from = Some(attr.from);
            } else {
                m.notes.push("no From: the author is unknown".into());
            }
            m.subject = attr.subject;
            m.message_id = attr.message_id;
            match attr
                .date
                .as_deref()
                .and_then(|d| date::parse_with_offset(d, &date::Hints::default()))
            {
                Some((ts, off)) => {
                    m.date = Some(date::rfc3339(ts));
                    m.utc_offset = Some(off);
                }
                None => m.notes.push("no Date".into()),
            }
            m.body = lines[body_at.min(lines.len())..].join("\n");
        }
        None => {
            m.notes.push("saved without its headers: no author or date".into());
            m.body = text.to_string();
        }
    }
    if m.message_id.is_none() {
        m.notes.push("no Message-ID: lrw made one from the author and text".into());
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_apart() {
        assert_eq!(detect(b"From a@b Thu May 15 07:14:00 2025\nFrom: a\n"), Source::Mbox);
        assert_eq!(detect(b"Return-Path: <a@b>\nFrom: A <a@b>\nSubject: x\n\nbody"), Source::Eml);
        assert_eq!(detect(b"<!DOCTYPE html><html><body>x</body></html>"), Source::Html);
        assert_eq!(detect(b"Just some text: with a colon\n"), Source::Text);
        assert_eq!(detect(b"Note: hi\n\nbody"), Source::Text);
    }

    #[test]
    fn an_eml_with_encoded_name_and_flowed_text() {
        let raw = b"From: =?UTF-8?Q?Ana_M=C3=BCller?= <ana@example.org>\r\nTo: license-review@lists.example.org\r\nSubject: =?UTF-8?B?T3V0cHV0IGNsYXVzZQ==?=\r\nDate: Wed, 14 May 2025 09:09:00 +0200\r\nMessage-ID: <a1@example.org>\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\nA long line \r\nthat flows.\r\n";
        let out = read_bytes(raw, "a.eml");
        let m = &out.messages[0];
        assert_eq!(m.author().as_deref(), Some("Ana Müller"));
        assert_eq!(m.subject.as_deref(), Some("Output clause"));
        assert_eq!(m.date.as_deref(), Some("2025-05-14T07:09:00Z"));
        assert_eq!(m.utc_offset, Some(7200));
        assert_eq!(m.message_id.as_deref(), Some("a1@example.org"));
        assert_eq!(m.list.as_deref(), Some("license-review@lists.example.org"));
        assert_eq!(m.body.trim_end(), "A long line that flows.");
        assert!(m.notes.is_empty(), "{:?}", m.notes);
    }

    #[test]
    fn missing_headers_are_notes() {
        let out = read_bytes(b"Subject: x\nMIME-Version: 1.0\n\nText.\n", "x.eml");
        let m = &out.messages[0];
        assert!(m.from.is_none() && m.date.is_none());
        for want in ["no From", "no Date", "no Message-ID"] {
            assert!(m.notes.iter().any(|n| n.starts_with(want)), "{want}: {:?}", m.notes);
        }
    }

    #[test]
    fn saved_text_keeps_its_header_lines() {
        let out = read_bytes(
            "From: Bob Stone <bob@example.net>\nSubject: Re: output\nDate: 18 May 2025 at 05:51:00 CEST\nTo: list@example.org\n\nBody here.\n".as_bytes(),
            "saved.txt",
        );
        let m = &out.messages[0];
        assert_eq!(m.author().as_deref(), Some("Bob Stone"));
        assert_eq!(m.date.as_deref(), Some("2025-05-18T03:51:00Z"));
        assert_eq!(m.body.trim(), "Body here.");
    }
}

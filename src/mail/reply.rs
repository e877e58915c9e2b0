//! The mail out: a reply to the list, as an RFC 5322 message that `sendmail -t`,
//! `mutt -H` or a mail client's "open draft" can send, and that mail clients thread under
//! the message it answers.
//!
//! `Subject: Re: <subject>`, `In-Reply-To` and `References` of the latest imported message,
//! `To:` the list, `From:` the reviewer; the body is `text/plain; charset=utf-8;
//! format=flowed` (RFC 3676: paragraphs wrapped at 72 columns, soft breaks end in a space,
//! license passages quoted with `> `), 7bit when it is ASCII and quoted-printable otherwise,
//! so no line of the message is longer than 78 characters. `mail-builder` writes the
//! headers (RFC 2047 for names and subjects that need it, folding).

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};

use super::{Person, clean, is_synthetic};

/// Width paragraphs are wrapped at (RFC 3676 recommends 66 to 72).
pub const WRAP: usize = 72;

/// One paragraph of a reply.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyPart {
    /// Prose; a `\n` inside is a line break kept as is.
    Text(String),
    /// A passage of the license, quoted with `> `, introduced by its clause in legal form
    /// when `clause` is given (`Section 2.2(b):`).
    Quote { clause: Option<String>, text: String },
}

/// What a reply is made of: plain data the session fills from the review and a thread.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyDraft {
    /// The imported subject; `Re: ` is added unless it is there.
    pub subject: String,
    /// The latest imported message of the thread.
    pub in_reply_to: Option<String>,
    /// The ids of the thread before it (its `References`, or the thread's message ids),
    /// oldest first. Ids lrw made up for recovered messages are left out.
    pub references: Vec<String>,
    /// The list address.
    pub to: String,
    /// The reviewer.
    pub from: Person,
    /// Seconds since 1970 (the `Date`); `None` for now.
    pub date: Option<i64>,
    /// `None` makes one from the content and the sender's domain.
    pub message_id: Option<String>,
    pub body: Vec<ReplyPart>,
}

/// A written reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// Its `Message-ID` (without angle brackets): remember it, so importing the reply back
    /// adds nothing.
    pub message_id: String,
    /// The message, CRLF line ends, ready to save as `.eml`.
    pub text: String,
}

/// Why no reply could be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyError {
    /// No address to send from.
    NoFrom,
    /// No list address to send to.
    NoTo,
    Write(String),
}

impl std::fmt::Display for ReplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplyError::NoFrom => f.write_str("no sender address for the reply"),
            ReplyError::NoTo => f.write_str("no list address seen in the imported messages"),
            ReplyError::Write(e) => write!(f, "cannot write the reply: {e}"),
        }
    }
}

impl std::error::Error for ReplyError {}

/// The `Message-ID` lrw gives a reply that carries comment `comment` of thread `thread` (the
/// last one it carries): an import knows these ids, so a reply lrw wrote is never imported
/// back as a new comment.
pub fn sent_id(thread: &str, comment: &str) -> String {
    format!("lrw.{thread}.{comment}@lrw.invalid")
}

/// How the `Message-ID`s of summaries lrw writes (no new comment in them) begin: an import
/// leaves such a message out.
pub const SUMMARY_ID_PREFIX: &str = "lrw.review.";

/// A clause id as prose cites it: `2.2(b)` -> `Section 2.2(b)`, `¶3` -> `paragraph 3`.
pub fn legal_citation(id: &str) -> String {
    match id.strip_prefix(crate::text::PARAGRAPH_SIGN) {
        Some(n) => format!("paragraph {n}"),
        None => format!("Section {id}"),
    }
}

/// Write the reply.
pub fn build_reply(d: &ReplyDraft) -> Result<Reply, ReplyError> {
    let from_addr = d.from.address.as_deref().and_then(address).ok_or(ReplyError::NoFrom)?;
    let to = address(&d.to).ok_or(ReplyError::NoTo)?;
    let body = flowed_body(&d.body);
    let subject = one_line(&d.subject);
    let subject = if subject.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("re:")) {
        subject
    } else {
        format!("Re: {subject}")
    };
    let date = d.date.unwrap_or_else(|| jiff::Timestamp::now().as_second());
    let message_id = d.message_id.clone().unwrap_or_else(|| {
        let domain = from_addr.rsplit('@').next().unwrap_or("lrw.invalid");
        let seed = format!(
            "{}\n{}\n{}\n{date}\n{body}",
            d.in_reply_to.as_deref().unwrap_or(""),
            subject,
            from_addr
        );
        let hash = crate::text::load::sha256_hex(seed.as_bytes());
        format!("lrw-reply-{}@{domain}", &hash[..24])
    });
    let mut refs: Vec<String> = d
        .references
        .iter()
        .map(|r| clean_id(r))
        .filter(|r| !r.is_empty() && !is_synthetic(r))
        .collect();
    let parent =
        d.in_reply_to.as_deref().map(clean_id).filter(|r| !r.is_empty() && !is_synthetic(r));
    if let Some(p) = &parent
        && refs.last() != Some(p)
    {
        refs.retain(|r| r != p);
        refs.push(p.clone());
    }
    refs.dedup();

    let from = match d.from.name.as_deref().map(one_line).filter(|n| !n.is_empty()) {
        Some(n) => Address::new_address(Some(n), from_addr.to_string()),
        None => Address::new_address(None::<String>, from_addr.to_string()),
    };
    let (encoding, encoded) = if body.is_ascii() {
        ("7bit", body.replace('\n', "\r\n"))
    } else {
        let mut out = Vec::new();
        mail_builder::encoders::quoted_printable::quoted_printable_encode(
            body.as_bytes(),
            &mut out,
            true,
        )
        .map_err(|e| ReplyError::Write(e.to_string()))?;
        ("quoted-printable", String::from_utf8_lossy(&out).into_owned())
    };
    let part = MimePart {
        headers: vec![
            (
                "Content-Type".into(),
                ContentType::new("text/plain")
                    .attribute("charset", "utf-8")
                    .attribute("format", "flowed")
                    .into(),
            ),
            ("Content-Transfer-Encoding".into(), Raw::new(encoding).into()),
        ],
        contents: BodyPart::Text(encoded.into()),
    };
    let mut b = MessageBuilder::new()
        .from(from)
        .to(Address::new_address(None::<String>, to.to_string()))
        .subject(subject)
        .date(date)
        .message_id(message_id.clone());
    if let Some(p) = parent {
        b = b.in_reply_to(p);
    }
    if !refs.is_empty() {
        b = b.references(refs);
    }
    let text = b.body(part).write_to_string().map_err(|e| ReplyError::Write(e.to_string()))?;
    Ok(Reply { message_id, text })
}

/// An id as a header carries it: no angle brackets, no white space or controls (an id from a
/// message cannot add a header line).
fn clean_id(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '<' | '>')).collect()
}

/// An address as a header carries it: one token with an `@`.
fn address(s: &str) -> Option<&str> {
    let s = s.trim();
    let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | '"');
    (s.contains('@') && !s.chars().any(bad)).then_some(s)
}

/// A header value on one line, with no control characters.
fn one_line(s: &str) -> String {
    clean::comment_body(s).0.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body as `format=flowed` text with `\n` line ends.
pub fn flowed_body(parts: &[ReplyPart]) -> String {
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        if !out.is_empty() {
            out.push(String::new());
        }
        match part {
            ReplyPart::Text(t) => {
                let t = clean::comment_body(t).0;
                for line in t.split('\n') {
                    if line.trim().is_empty() {
                        out.push(String::new());
                        continue;
                    }
                    flow(line, "", &mut out);
                }
            }
            ReplyPart::Quote { clause, text } => {
                if let Some(c) = clause {
                    out.push(stuff(&format!("{}:", legal_citation(&one_line(c)))));
                }
                let t = clean::comment_body(text).0;
                let joined = t.split_whitespace().collect::<Vec<_>>().join(" ");
                flow(&joined, "> ", &mut out);
            }
        }
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// Wrap `text` at [`WRAP`] with `prefix` on every line; every line but the last ends in a
/// space (a soft break).
fn flow(text: &str, prefix: &str, out: &mut Vec<String>) {
    let width = WRAP.saturating_sub(prefix.len()).max(20);
    let opts = textwrap::Options::new(width).break_words(false);
    let lines = textwrap::wrap(text.trim_end(), opts);
    let n = lines.len();
    for (i, l) in lines.into_iter().enumerate() {
        let mut line = if prefix.is_empty() { stuff(&l) } else { format!("{prefix}{l}") };
        if i + 1 < n {
            line.push(' ');
        }
        out.push(line);
    }
}

/// Space-stuffing (RFC 3676 4.4): a line starting with a space, `>` or `From ` gets a space.
fn stuff(line: &str) -> String {
    if line.starts_with(' ') || line.starts_with('>') || line.starts_with("From ") {
        format!(" {line}")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ReplyDraft {
        ReplyDraft {
            subject: "[license-review] EML 2.0: output clause".into(),
            in_reply_to: Some("<c3@example.org>".into()),
            references: vec!["a1@example.org".into(), "lrw-0123456789abcdef@recovered.invalid".into(), "b2@example.org".into()],
            to: "license-review@lists.example.org".into(),
            from: Person { name: Some("Rita Reviewer".into()), address: Some("rita@example.com".into()) },
            date: Some(1_747_560_000),
            message_id: None,
            body: vec![
                ReplyPart::Text("Summary of the review of the output provision, which several people on this list found to be a restriction on the use of the Model's output.".into()),
                ReplyPart::Quote { clause: Some("2.2(b)".into()), text: "if you distribute a collection of Output as a dataset, you shall attach to it a notice".into() },
                ReplyPart::Text("From here on: OSD 6.\n>not a quote".into()),
            ],
        }
    }

    #[test]
    fn headers_and_flowed_ascii_body() {
        let r = build_reply(&draft()).unwrap();
        assert!(r.text.lines().all(|l| l.len() <= 78), "{}", r.text);
        let m = mail_parser::MessageParser::default().parse(r.text.as_bytes()).unwrap();
        assert_eq!(m.subject(), Some("Re: [license-review] EML 2.0: output clause"));
        assert_eq!(m.in_reply_to().as_text(), Some("c3@example.org"));
        let refs: Vec<&str> =
            m.references().as_text_list().unwrap().iter().map(|s| s.as_ref()).collect();
        assert_eq!(refs, ["a1@example.org", "b2@example.org", "c3@example.org"]);
        assert_eq!(m.message_id(), Some(r.message_id.as_str()));
        assert!(r.message_id.ends_with("@example.com"));
        use mail_parser::MimeHeaders;
        let ct = m.content_type().unwrap();
        assert_eq!((ct.ctype(), ct.subtype()), ("text", Some("plain")));
        assert_eq!(
            (ct.attribute("charset"), ct.attribute("format")),
            (Some("utf-8"), Some("flowed"))
        );
        assert!(r.text.contains("Content-Transfer-Encoding: 7bit\r\n"));
        let body = m.body_text(0).unwrap().replace("\r\n", "\n");
        assert!(body.contains("\nSection 2.2(b):\n> if you distribute a collection of Output as a dataset, you shall \n> attach to it a notice\n"), "{body}");
        assert!(body.contains("\n From here on: OSD 6.\n >not a quote"), "{body}");
        let first = clean::unflow(&body, false);
        assert_eq!(
            first.lines().next(),
            Some(
                "Summary of the review of the output provision, which several people on this list found to be a restriction on the use of the Model's output."
            )
        );
    }

    #[test]
    fn non_ascii_is_quoted_printable_and_names_are_encoded() {
        let mut d = draft();
        d.from.name = Some("Rita Müller".into());
        d.subject = "Ausgabe § 2.2(b)".into();
        d.body = vec![ReplyPart::Text("Grüße: the “output” clause. ".repeat(6))];
        let r = build_reply(&d).unwrap();
        assert!(r.text.lines().all(|l| l.len() <= 78));
        assert!(r.text.contains("Content-Transfer-Encoding: quoted-printable\r\n"));
        let m = mail_parser::MessageParser::default().parse(r.text.as_bytes()).unwrap();
        assert_eq!(m.subject(), Some("Re: Ausgabe § 2.2(b)"));
        assert_eq!(m.from().and_then(|a| a.first()).and_then(|a| a.name()), Some("Rita Müller"));
        let body = clean::unflow(&m.body_text(0).unwrap().replace("\r\n", "\n"), false);
        assert_eq!(body.trim_end(), "Grüße: the “output” clause. ".repeat(6).trim_end());
    }

    #[test]
    fn ids_and_addresses_cannot_add_header_lines() {
        let mut d = draft();
        d.in_reply_to = Some("<x@y>\r\nBcc: victim@example.org".into());
        let r = build_reply(&d).unwrap();
        assert!(!r.text.contains("\r\nBcc:"));
        d.to = "list@example.org\r\nBcc: victim@example.org".into();
        assert_eq!(build_reply(&d), Err(ReplyError::NoTo));
    }

    #[test]
    fn refusals() {
        let mut d = draft();
        d.to = "nobody".into();
        assert_eq!(build_reply(&d), Err(ReplyError::NoTo));
        let mut d = draft();
        d.from.address = None;
        assert_eq!(build_reply(&d), Err(ReplyError::NoFrom));
    }
}

//! List mail in, a reply out: the discussion of a license on a mailing list becomes review
//! threads on the clauses it is about, and a reviewer's summary goes back as a proper reply.
//!
//! One stage per file, each pure data in and out (only [`read`] touches the file system):
//!
//! 1. [`read`](mod@read): `.eml`, mbox (mboxo and mboxrd), Maildir, or a message saved as HTML
//!    or text, into [`Message`]s. MIME, RFC 2047, charsets and transfer encodings are
//!    `mail-parser`'s; HTML bodies become text through [`html`]; [`clean`] drops signatures
//!    and list footers.
//! 2. [`history`]: when only the newest message is at hand, the earlier ones quoted beneath
//!    it (attribution lines, forwarded-header blocks, nested HTML quotes) are recovered as
//!    messages of their own, each with its author and date ([`date`] reads the dates mail
//!    clients write).
//! 3. [`cite`]: the clauses (`Section 2.2(b)`, `§ 3`, `2.2b`), criteria (`OSD 6`) and quoted
//!    license passages a message names, read against one version's clause tree.
//! 4. [`plan`](mod@plan): messages into an [`ImportPlan`]: threads, their anchors and criteria,
//!    comments, what was skipped as already imported and notes on what could not be placed.
//!    The session turns the plan into changes of the review.
//! 5. [`reply`]: an RFC 5322 reply for the list, written with `mail-builder`.
//!
//! Nothing here prints, and no input makes it panic: a damaged message is imported as far as
//! it goes with a note, never failing the others.

pub mod cite;
pub mod clean;
pub mod date;
pub mod history;
pub mod html;
pub mod plan;
pub mod read;
pub mod reply;

pub use cite::{Citation, Citations, QuoteAnchor, VersionText, find_citations};
pub use history::recover;
pub use plan::{
    ExistingThread, ImportPlan, PlanInput, PlannedComment, PlannedThread, ThreadTarget, known_ids,
    plan,
};
pub use read::{ReadError, Source, read_bytes, read_path};
pub use reply::{
    Reply, ReplyDraft, ReplyError, ReplyPart, SUMMARY_ID_PREFIX, build_reply, legal_citation,
    sent_id,
};

/// Who wrote a message, as its `From` (or a quoted attribution line) names them.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Person {
    /// The display name, decoded (`Ana Müller`), when there is one.
    pub name: Option<String>,
    /// The mail address, when there is one.
    pub address: Option<String>,
}

impl Person {
    /// What a comment's `author` shows: the name, else the address.
    pub fn display(&self) -> Option<String> {
        self.name
            .as_deref()
            .or(self.address.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// Read `Name <addr>`, `"Name" <addr>`, `Name (<addr>)`, `addr` or a bare name, as
    /// attribution lines and forwarded headers write a person.
    pub fn parse_loose(s: &str) -> Person {
        let s = s.trim().trim_end_matches([',', ';', ':']).trim();
        let mut name = s;
        let mut address = None;
        if let Some(open) = s.rfind('<')
            && let Some(close) = s[open..].find('>')
        {
            let addr = s[open + 1..open + close].trim();
            let addr = addr.strip_prefix("mailto:").unwrap_or(addr);
            if addr.contains('@') {
                address = Some(addr.to_string());
            }
            name = s[..open].trim();
            // `Name (<addr>)` (Spanish Gmail), `Name [mailto:addr]` (Outlook).
            name = name.trim_end_matches(['(', '[']).trim();
        } else if let Some(open) = s.find("[mailto:")
            && let Some(close) = s[open..].find(']')
        {
            address = Some(s[open + 8..open + close].trim().to_string());
            name = s[..open].trim();
        } else if !s.contains(' ') && s.contains('@') {
            return Person { name: None, address: Some(s.to_string()) };
        }
        let name = name.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
        let name = (!name.is_empty() && Some(name) != address.as_deref()).then(|| name.to_string());
        Person { name, address }
    }

    /// A key that is the same for the same person however a mail client wrote them: the
    /// lower-cased words of the name, else the address.
    pub fn key(&self) -> String {
        match (&self.name, &self.address) {
            (Some(n), _) if !n.trim().is_empty() => words(n).join(" "),
            (_, Some(a)) => a.to_lowercase(),
            _ => String::new(),
        }
    }
}

/// One mail message, read from a file or recovered from the quoted history of another.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Message {
    /// `Message-ID` without angle brackets; for a recovered message the id its quoting
    /// client recorded (`cite="mid:…"`), if any. See [`Message::key`].
    pub message_id: Option<String>,
    /// `In-Reply-To` ids, without angle brackets.
    pub in_reply_to: Vec<String>,
    /// `References` ids, oldest first.
    pub references: Vec<String>,
    pub from: Option<Person>,
    /// UTC, RFC 3339, whole seconds (`2025-05-14T07:09:00Z`).
    pub date: Option<String>,
    /// The writer's offset from UTC in seconds, as their `Date` says: quoted dates in the
    /// body are shown in it.
    pub utc_offset: Option<i32>,
    pub subject: Option<String>,
    /// The list the message went to (`List-Post`, else `To`): where a reply goes.
    pub list: Option<String>,
    /// Plain text; lines quoted by the writer start with `> `.
    pub body: String,
    /// `cite="mid:…"` ids of the HTML quotes in the body (Thunderbird records whose message
    /// a quote is), with the quote depth and the body line where the quote starts.
    pub quote_ids: Vec<QuoteId>,
    /// Where the message came from: file and position, for notes.
    pub origin: String,
    /// Recovered from the quoted history of the message `recovered_from` names (its
    /// [`Message::key`]); `None` for a message read from a file.
    pub recovered_from: Option<String>,
    /// The [`Message::key`] of the message recovered from this one's quoted history: the one
    /// it answers, when its headers do not say.
    pub quoted: Option<String>,
    /// What went wrong reading this message, one line each.
    pub notes: Vec<String>,
}

/// Which message an HTML quote holds, as the quoting client recorded it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuoteId {
    /// 1 for a quote in the message's own text, 2 for a quote inside that, ...
    pub depth: usize,
    /// 0-based body line of the quote's first line.
    pub line: usize,
    pub message_id: String,
}

/// Prefix of the ids lrw makes for messages that have none (recovered from quoted history,
/// or a file without `Message-ID`): recognisable, and never a real id (`.invalid` domain).
pub const SYNTHETIC_PREFIX: &str = "lrw-";
const SYNTHETIC_DOMAIN: &str = "@recovered.invalid";

impl Message {
    /// The id this message is known by: its `Message-ID`, else [`Message::content_id`].
    pub fn key(&self) -> String {
        self.message_id.clone().unwrap_or_else(|| self.content_id())
    }

    /// An id made from the author and the first words of the body, so that the same message
    /// recovered from two replies (or recovered once and read from an mbox later) gets the
    /// same id: `lrw-` + 16 hex digits + `@recovered.invalid`. Dates are left out on
    /// purpose: quoting clients show them in different zones and precisions.
    pub fn content_id(&self) -> String {
        content_id(self.from.as_ref(), &self.body)
    }

    /// The author as a comment shows them.
    pub fn author(&self) -> Option<String> {
        self.from.as_ref().and_then(Person::display)
    }
}

/// Words of the body compared for [`Message::content_id`]: enough to tell messages apart,
/// few enough that a cut-off quote or a different signature does not matter.
const CONTENT_WORDS: usize = 40;

/// See [`Message::content_id`].
pub fn content_id(from: Option<&Person>, body: &str) -> String {
    let own: String =
        body.lines().filter(|l| clean::quote_depth(l).0 == 0).collect::<Vec<_>>().join("\n");
    let w = words(&own);
    let key = format!(
        "{}\n{}",
        from.map(Person::key).unwrap_or_default(),
        w[..w.len().min(CONTENT_WORDS)].join(" ")
    );
    let hash = crate::text::load::sha256_hex(key.as_bytes());
    format!("{SYNTHETIC_PREFIX}{}{SYNTHETIC_DOMAIN}", &hash[..16])
}

/// Whether an id is one lrw made up (see [`content_id`]).
pub fn is_synthetic(id: &str) -> bool {
    id.starts_with(SYNTHETIC_PREFIX) && id.ends_with(SYNTHETIC_DOMAIN)
}

/// Lower-cased runs of letters and digits.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Everything read from the mail given to an import: messages, with the history recovered,
/// and notes about the inputs as a whole.
#[derive(Debug, Clone, Default)]
pub struct Mailbox {
    pub messages: Vec<Message>,
    pub notes: Vec<String>,
}

/// Read each path (see [`read_path`]) and recover the quoted history of every message
/// (see [`recover`]). An unreadable path is a note, not a failure of the others.
pub fn load(paths: &[std::path::PathBuf]) -> Mailbox {
    let mut out = Mailbox::default();
    for p in paths {
        match read_path(p) {
            Ok(r) => {
                out.messages.extend(r.messages);
                out.notes.extend(r.notes);
            }
            Err(e) => out.notes.push(format!("{}: {e}", p.display())),
        }
    }
    out.messages = recover(&out.messages);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_read_the_ways_clients_write_them() {
        let p = Person::parse_loose("Ana Müller <ana@example.org>");
        assert_eq!(p.name.as_deref(), Some("Ana Müller"));
        assert_eq!(p.address.as_deref(), Some("ana@example.org"));
        let p = Person::parse_loose("\"Rossi, Dario\" <dario@example.it>");
        assert_eq!(p.name.as_deref(), Some("Rossi, Dario"));
        let p = Person::parse_loose("Lucía Pérez (<lucia@example.es>)");
        assert_eq!(
            (p.name.as_deref(), p.address.as_deref()),
            (Some("Lucía Pérez"), Some("lucia@example.es"))
        );
        let p = Person::parse_loose("bob@example.net");
        assert_eq!((p.name, p.address.as_deref()), (None, Some("bob@example.net")));
        let p = Person::parse_loose("Bob Stone");
        assert_eq!((p.name.as_deref(), p.address), (Some("Bob Stone"), None));
        let p = Person::parse_loose("Francois Roux [mailto:fr@example.fr]");
        assert_eq!(
            (p.name.as_deref(), p.address.as_deref()),
            (Some("Francois Roux"), Some("fr@example.fr"))
        );
        assert_eq!(Person::parse_loose("  ").display(), None);
    }

    #[test]
    fn hostile_text_goes_through_every_stage_without_a_panic() {
        let tree =
            crate::text::ClauseTree::parse("1. One.\n\n2. Two.\n\n2.2 Output.\n\n(b) a notice.\n");
        let content = "1. One.\n\n2. Two.\n\n2.2 Output.\n\n(b) a notice.\n";
        let sets = crate::criteria::builtin_sets();
        let known = std::collections::HashSet::new();
        let existing = std::collections::HashMap::new();
        let input = PlanInput {
            version: VersionText { id: "v", content, tree: &tree },
            criteria: &sets,
            known: &known,
            existing: &existing,
        };
        let nasty = [
            "\u{130}\u{130}\u{130} On 1/1/2025 1:00 AM, \u{130}\u{130} wrote:\n> x",
            "\u{130}M \u{130}\u{130} schrieb \u{130}:\n> x",
            "Am 1.1.2025 schrieb :\n>",
            "\u{201c}2.2(b)\u{201d} \u{201c}version 2.2\u{201d} \u{a7}\u{a7}\u{a7} \u{a7}(",
            "OSAID\u{e9}\u{e9} osd\u{e9}6 criterion\u{e9} freedom 999999999999",
            "From: \u{e9}\nSent: \u{e9}\n\n\u{e9}",
            "-----Original Message-----\n",
            "> -----Original Message-----\n> From: x\n> Date: y\n",
            "=\n=\n=C3",
            "<blockquote cite=\"mid:\"><pre>=C3=A9=\n</pre>",
            "Subject: \u{e9}\u{e9}\u{e9}\nFrom: a\n\n\u{0}\u{1b}",
            "2.2bb(((((( 2.2(b 2.2.b. 2.",
        ];
        for s in nasty {
            let out = read::read_bytes(s.as_bytes(), "x");
            let msgs = recover(&out.messages);
            for m in &msgs {
                find_citations(&m.body, &input.version, &sets);
            }
            plan(&msgs, &input);
            plan::strip_reply_prefixes(s);
            let mut d = reply::ReplyDraft {
                subject: s.to_string(),
                in_reply_to: Some(s.to_string()),
                references: vec![s.to_string()],
                to: "l@example.org".into(),
                from: Person { name: Some(s.to_string()), address: Some("a@example.org".into()) },
                date: Some(0),
                message_id: None,
                body: vec![
                    ReplyPart::Text(s.into()),
                    ReplyPart::Quote { clause: Some(s.into()), text: s.into() },
                ],
            };
            build_reply(&d).unwrap();
            d.subject = "\u{e9}\u{e9}".into();
            build_reply(&d).unwrap();
        }
    }

    #[test]
    fn content_ids_ignore_quotes_case_and_punctuation_but_not_words() {
        let ana = Person::parse_loose("Ana <ana@example.org>");
        let a = content_id(Some(&ana), "I think 2.2(b) is a problem.\n> quoted\n");
        let b = content_id(Some(&Person::parse_loose("ANA")), "i think 2.2 (b) is a problem");
        assert_eq!(a, b);
        assert!(is_synthetic(&a));
        assert_ne!(a, content_id(Some(&ana), "I think 2.2(c) is a problem."));
        assert_ne!(
            a,
            content_id(Some(&Person::parse_loose("Bob")), "I think 2.2(b) is a problem.")
        );
    }
}

//! Quoted history: when only the newest message is at hand, the earlier ones are quoted
//! beneath it. Each is recovered as a message of its own, with its author and date, and the
//! quoting message keeps only its own words.
//!
//! History starts at the first of, in the quoting message's own (unquoted) lines:
//! - an attribution line followed by a quoted block: `On 5/15/2025 7:14 AM, NAME wrote:`,
//!   `On 18 May 2025, at 5:51 AM, NAME <addr> wrote:`, `Am … schrieb NAME:`,
//!   `Le … a écrit :`, `Il … ha scritto:`, `El … escribió:`, or a bare `NAME wrote:`;
//! - a forwarded-header block, with or without its banner (`----- Original Message -----`,
//!   `-----Messaggio originale-----`, `Begin forwarded message:`): `From`/`Sent`/`To`/
//!   `Subject` and their German (`Von`/`Gesendet`/`An`/`Betreff`), Italian (`Da`/`Inviato`/
//!   `A`/`Oggetto`), French and Spanish forms; the rest of the text is the earlier message;
//! - a quoted block that starts with such a header block (Outlook quoting with `> `).
//!
//! A quoted block recovered as a message is removed from the quoting text. Quotes
//! interleaved with the reply (an inline answer) are not a whole message: they stay, as
//! `> ` lines, in the reply. Recovery repeats inside each recovered message, up to
//! [`MAX_LEVELS`] deep; the loop is iterative, so no input can exhaust the stack.

use jiff::Timestamp;

use super::clean::{self, quote_depth, unquote};
use super::date::{self, Hints};
use super::{Message, Person};

/// Most messages recovered from one message's history.
pub const MAX_LEVELS: usize = 50;

/// Quote depth beyond which a note says the quoting was kept as it is.
const DEEP_QUOTES: usize = 100;

/// Recover the quoted history of every message: each message becomes itself (with only
/// its own words) preceded by the messages recovered from it, oldest first.
pub fn recover(messages: &[Message]) -> Vec<Message> {
    let mut out = Vec::with_capacity(messages.len());
    for m in messages {
        out.extend(recover_one(m));
    }
    out
}

/// Who and when, as an attribution line or a forwarded-header block gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attribution {
    pub from: Person,
    /// The date as written, when given.
    pub date: Option<String>,
    pub subject: Option<String>,
    pub message_id: Option<String>,
    /// From an attribution line (`… wrote:`), not a header block: the quote is a
    /// `<blockquote>` whose `cite` may name the message.
    pub quoted: bool,
    /// An English line with AM/PM: numeric dates are month first.
    pub month_first: bool,
}

/// One level of a message: its own lines, and where its history starts.
struct Split {
    own: Vec<String>,
    history: Option<(Attribution, Vec<String>)>,
}

/// One message and the messages recovered from its history, oldest first.
pub fn recover_one(m: &Message) -> Vec<Message> {
    let mut levels: Vec<(Message, Vec<String>)> = Vec::new();
    let mut cur = m.clone();
    let mut lines: Vec<String> = m.body.lines().map(str::to_string).collect();
    let deepest = lines.iter().map(|l| quote_depth(l).0).max().unwrap_or(0);
    if deepest > DEEP_QUOTES {
        cur.notes.push(format!("quotes nested {deepest} deep: kept as quotes"));
    }
    let mut offset = m.utc_offset;
    let mut not_after = m.date.as_deref().and_then(|d| d.parse::<Timestamp>().ok());
    let mut quote_depth_of_level = 0;
    loop {
        if let Some(decoded) = clean::decode_qp_debris(&lines.join("\n")) {
            lines = decoded.lines().map(str::to_string).collect();
        }
        clean::strip_list_footers(&mut lines);
        let split = split(&lines);
        let mut own = split.own;
        clean::strip_signature(&mut own);
        cur.body = trim_blank(&own).join("\n");
        let Some((attr, rest)) = split.history else {
            levels.push((cur, Vec::new()));
            break;
        };
        if levels.len() + 1 >= MAX_LEVELS {
            cur.notes.push(format!(
                "quoted history deeper than {MAX_LEVELS} messages: the rest was not recovered"
            ));
            levels.push((cur, Vec::new()));
            break;
        }
        if attr.quoted {
            quote_depth_of_level += 1;
        }
        let mut next = Message {
            from: Some(attr.from.clone()),
            subject: attr.subject.clone().or_else(|| cur.subject.clone()),
            list: cur.list.clone(),
            origin: format!("{} (quoted)", m.origin),
            ..Message::default()
        };
        next.message_id = attr.message_id.clone().or_else(|| {
            attr.quoted
                .then(|| {
                    m.quote_ids
                        .iter()
                        .find(|q| q.depth == quote_depth_of_level)
                        .map(|q| q.message_id.clone())
                })
                .flatten()
        });
        let hints = Hints { offset, not_after, month_first: attr.month_first };
        match attr.date.as_deref().and_then(|d| date::parse_with_offset(d, &hints)) {
            Some((ts, off)) => {
                next.date = Some(date::rfc3339(ts));
                next.utc_offset = Some(off);
                offset = Some(off);
                not_after = Some(ts);
            }
            None => {
                next.utc_offset = offset;
                next.notes.push(match &attr.date {
                    Some(d) => format!("quoted message: date {d:?} not understood"),
                    None => "quoted message: no date given".to_string(),
                });
            }
        }
        if attr.from.display().is_none() {
            next.notes.push("quoted message: no author given".to_string());
        }
        levels.push((cur, Vec::new()));
        cur = next;
        lines = rest;
    }
    // Link each level to the one it quotes, oldest first.
    let mut out: Vec<Message> = levels.into_iter().map(|(m, _)| m).collect();
    for i in 1..out.len() {
        let quoted_key = out[i].key();
        let quoting_key = out[i - 1].key();
        out[i - 1].quoted = Some(quoted_key);
        out[i].recovered_from = Some(quoting_key);
    }
    out.reverse();
    out
}

fn trim_blank(lines: &[String]) -> &[String] {
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(start, |e| e + 1);
    &lines[start..end]
}

/// Find where the history of one level starts.
fn split(lines: &[String]) -> Split {
    let mut i = 0;
    while i < lines.len() {
        let depth = quote_depth(&lines[i]).0;
        if depth == 0 {
            // A forwarded-header block, with or without its banner.
            let (banner, at) = if is_banner(&lines[i]) || is_rule(&lines[i]) {
                (true, next_nonblank(lines, i + 1))
            } else {
                (false, i)
            };
            if let Some((attr, end)) = header_block(lines, at) {
                let own = lines[..i].to_vec();
                let rest = lines[end..].to_vec();
                return Split { own, history: Some((attr, rest)) };
            }
            if banner && is_banner(&lines[i]) {
                // A banner with no readable headers: still the end of this message.
                let own = lines[..i].to_vec();
                let rest = lines[at.min(lines.len())..].to_vec();
                return Split { own, history: Some((Attribution::default(), rest)) };
            }
            // An attribution line (possibly wrapped over up to three lines) before a quote.
            for span in 1..=3 {
                let last = i + span - 1;
                if last >= lines.len() || quote_depth(&lines[last]).0 > 0 {
                    break;
                }
                let joined = lines[i..=last].iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
                // Only a dated line wraps; `NAME wrote:` is read on its own line.
                let attr =
                    if span == 1 { attribution(&joined) } else { dated_attribution(&joined) };
                let Some(attr) = attr else { continue };
                let q = next_nonblank(lines, last + 1);
                if q >= lines.len() || quote_depth(&lines[q]).0 == 0 {
                    break;
                }
                let end = quoted_run_end(lines, q);
                if interleaved(lines, end) {
                    // An inline answer: the quotes stay in the reply.
                    return Split { own: lines.to_vec(), history: None };
                }
                let mut own = lines[..i].to_vec();
                own.extend_from_slice(&lines[end..]);
                let rest = lines[q..end].iter().map(|l| unquote(l).to_string()).collect();
                return Split { own, history: Some((attr, rest)) };
            }
        } else {
            // A quoted block that opens with forwarded headers (Outlook quoting with `> `).
            let end = quoted_run_end(lines, i);
            let inner: Vec<String> = lines[i..end].iter().map(|l| unquote(l).to_string()).collect();
            let first = next_nonblank(&inner, 0);
            if first < inner.len() {
                let at = if is_banner(&inner[first]) || is_rule(&inner[first]) {
                    next_nonblank(&inner, first + 1)
                } else {
                    first
                };
                if let Some((attr, hend)) = header_block(&inner, at) {
                    let mut own = lines[..i].to_vec();
                    own.extend_from_slice(&lines[end..]);
                    return Split { own, history: Some((attr, inner[hend..].to_vec())) };
                }
                // Apple Mail's plain text quotes its attribution line with the message.
                if let Some(attr) = attribution(&inner[first])
                    && !interleaved(lines, end)
                {
                    let mut own = lines[..i].to_vec();
                    own.extend_from_slice(&lines[end..]);
                    return Split { own, history: Some((attr, inner[first + 1..].to_vec())) };
                }
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    Split { own: lines.to_vec(), history: None }
}

fn next_nonblank(lines: &[String], from: usize) -> usize {
    (from..lines.len()).find(|&j| !lines[j].trim().is_empty()).unwrap_or(lines.len())
}

/// End (exclusive) of the quoted run starting at `from`: quoted lines, and blank lines
/// between quoted lines.
fn quoted_run_end(lines: &[String], from: usize) -> usize {
    let mut end = from;
    let mut j = from;
    while j < lines.len() {
        if quote_depth(&lines[j]).0 > 0 {
            j += 1;
            end = j;
        } else if lines[j].trim().is_empty() {
            j += 1;
        } else {
            break;
        }
    }
    end
}

/// Whether, after a quoted run ending at `end`, the reply goes on and quotes again: the
/// mark of an inline answer.
fn interleaved(lines: &[String], end: usize) -> bool {
    let mut text = false;
    for l in &lines[end..] {
        if quote_depth(l).0 > 0 {
            if text {
                return true;
            }
        } else if !l.trim().is_empty() {
            text = true;
        }
    }
    false
}

/// `-----Original Message-----`, `----- Messaggio originale -----`, `Begin forwarded
/// message:` and their kin.
fn is_banner(line: &str) -> bool {
    let t =
        line.trim().trim_matches(|c: char| c == '-' || c == '=' || c == '_' || c.is_whitespace());
    let t = t.trim_end_matches(':').trim().to_lowercase();
    const BANNERS: &[&str] = &[
        "original message",
        "forwarded message",
        "begin forwarded message",
        "messaggio originale",
        "messaggio inoltrato",
        "inizio messaggio inoltrato",
        "ursprüngliche nachricht",
        "weitergeleitete nachricht",
        "anfang der weitergeleiteten nachricht",
        "message d'origine",
        "message transféré",
        "début du message réexpédié",
        "mensaje original",
        "mensaje reenviado",
        "comienzo del mensaje reenviado",
    ];
    let dashed = line.trim_start().starts_with("--") || line.trim_end().ends_with(':');
    dashed && BANNERS.contains(&t.as_str())
}

/// Outlook's rule above a header block: a line of underscores.
fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 10 && t.bytes().all(|b| b == b'_')
}

#[derive(Clone, Copy, PartialEq)]
enum Key {
    From,
    Date,
    To,
    Cc,
    Subject,
    MessageId,
    Other,
}

/// The field a forwarded-header line names, in the languages clients write them.
fn header_key(line: &str) -> Option<(Key, &str)> {
    let (k, v) = line.split_once(':')?;
    let k = k.trim().trim_matches('*').trim();
    if k.is_empty() || k.chars().count() > 24 {
        return None;
    }
    let key = match k.to_lowercase().as_str() {
        "from" | "da" | "von" | "de" | "mittente" | "van" | "remitente" | "expéditeur" => {
            Key::From
        }
        "sent" | "date" | "inviato" | "data" | "gesendet" | "datum" | "envoyé" | "enviado"
        | "fecha" | "date d'envoi" | "sent date" => Key::Date,
        "to" | "a" | "an" | "à" | "para" | "aan" | "destinatario" | "destinataire" => Key::To,
        "cc" | "kopie" | "copie" | "cc." => Key::Cc,
        "subject" | "oggetto" | "betreff" | "objet" | "asunto" | "onderwerp" => Key::Subject,
        "message-id" => Key::MessageId,
        "reply-to" | "organization" | "organizzazione" | "organisation" | "bcc" | "importance"
        | "priority" | "priorität" | "attachments" | "allegati" | "anhänge" | "organización" => {
            Key::Other
        }
        _ => return None,
    };
    Some((key, v.trim()))
}

/// The header lines at the top of a message saved as text or HTML (`From:`, `Date:`,
/// `Subject:`, ...): who/when and the index of the first body line.
pub(crate) fn leading_headers(lines: &[String]) -> Option<(Attribution, usize)> {
    header_block(lines, next_nonblank(lines, 0))
}

/// A forwarded-header block starting at `at`: at least a sender and a date or subject, up to
/// a blank line. Returns who/when and the index after the block (and its blank line).
fn header_block(lines: &[String], at: usize) -> Option<(Attribution, usize)> {
    let mut attr = Attribution::default();
    let mut seen_from = false;
    let mut seen_other = false;
    let mut last: Option<Key> = None;
    let mut j = at;
    while j < lines.len() {
        let l = lines[j].trim();
        if l.is_empty() {
            break;
        }
        match header_key(l) {
            Some((key, v)) => {
                if j == at && key != Key::From && key != Key::Subject && key != Key::Date {
                    return None;
                }
                match key {
                    Key::From => {
                        attr.from = Person::parse_loose(v);
                        seen_from = true;
                    }
                    Key::Date => {
                        attr.date = Some(v.to_string());
                        seen_other = true;
                    }
                    Key::Subject => {
                        attr.subject = Some(v.to_string()).filter(|s| !s.is_empty());
                        seen_other = true;
                    }
                    Key::MessageId => {
                        let id = v.trim().trim_start_matches('<').trim_end_matches('>');
                        attr.message_id = Some(id.to_string()).filter(|s| !s.is_empty());
                    }
                    Key::To | Key::Cc | Key::Other => {}
                }
                last = Some(key);
            }
            // A wrapped list of addresses.
            None if matches!(last, Some(Key::To | Key::Cc)) && j > at => {}
            None => {
                if seen_from && seen_other {
                    // Headers run straight into the body, with no blank line.
                    return Some((attr, j));
                }
                return None;
            }
        }
        j += 1;
    }
    (seen_from && seen_other).then(|| (attr, next_nonblank(lines, j)))
}

/// Read an attribution line: `On DATE, NAME wrote:` and its German, French, Italian and
/// Spanish forms, or a bare `NAME wrote:`.
pub fn attribution(line: &str) -> Option<Attribution> {
    dated_attribution(line).or_else(|| bare_attribution(line))
}

/// An attribution line with a date (`On DATE, NAME wrote:` and its kin).
fn dated_attribution(line: &str) -> Option<Attribution> {
    let l = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if l.len() > 300 {
        return None;
    }
    // ASCII lower-casing keeps byte offsets, so they slice `l` too.
    let lower = l.to_ascii_lowercase();
    // (opening word, closing words); the name comes after the date.
    const FORMS: &[(&str, &[&str])] = &[
        ("on ", &["wrote:", "wrote :", "writes:"]),
        ("le ", &["a écrit :", "a écrit:", "a ecrit :", "a ecrit:"]),
        ("il giorno ", &["ha scritto:", "ha scritto :"]),
        ("il ", &["ha scritto:", "ha scritto :"]),
        ("el ", &["escribió:", "escribio:"]),
    ];
    for (open, closes) in FORMS {
        if !lower.starts_with(open) {
            continue;
        }
        for close in *closes {
            if let Some(stripped) = lower.strip_suffix(close) {
                let mid = l[open.len()..stripped.len()].trim();
                let (date, name) = split_date_name(mid)?;
                let month_first = *open == "on "
                    && date.split_whitespace().any(|w| {
                        matches!(
                            w.to_lowercase().trim_end_matches(',').trim_end_matches('.'),
                            "am" | "pm" | "a.m" | "p.m"
                        )
                    });
                return Some(Attribution {
                    from: Person::parse_loose(name),
                    date: Some(date.to_string()),
                    quoted: true,
                    month_first,
                    ..Attribution::default()
                });
            }
        }
    }
    // German: `Am DATE schrieb NAME:`.
    if lower.starts_with("am ")
        && let Some(p) = lower.find(" schrieb ")
        && lower.ends_with(':')
    {
        let date = l[3..p].trim().trim_end_matches(',');
        let name = l[p + " schrieb ".len()..l.len() - 1].trim();
        date::parse_loose(date, &Hints::default())?;
        return (!name.is_empty()).then(|| Attribution {
            from: Person::parse_loose(name),
            date: Some(date.to_string()),
            quoted: true,
            ..Attribution::default()
        });
    }
    None
}

/// `NAME wrote:` / `NAME schrieb:` / `NAME a écrit :` / `NAME ha scritto:` / `NAME escribió:`.
fn bare_attribution(line: &str) -> Option<Attribution> {
    let l = line.split_whitespace().collect::<Vec<_>>().join(" ");
    // ASCII lower-casing keeps byte offsets, so they slice `l` too.
    let lower = l.to_ascii_lowercase();
    if l.len() > 120 || ["on ", "am ", "le ", "il ", "el "].iter().any(|o| lower.starts_with(o)) {
        return None;
    }
    for close in [" wrote:", " schrieb:", " a écrit :", " a écrit:", " ha scritto:", " escribió:"]
    {
        if let Some(stripped) = lower.strip_suffix(close) {
            let name = l[..stripped.len()].trim();
            let words = name.split_whitespace().filter(|w| !w.contains('@')).count();
            if name.is_empty() || words > 5 || name.ends_with(',') || name.contains(". ") {
                return None;
            }
            return Some(Attribution {
                from: Person::parse_loose(name),
                quoted: true,
                ..Attribution::default()
            });
        }
    }
    None
}

/// Split `DATE, NAME` or `DATE at TIME NAME <addr>` where the date ends: after its time of
/// day (and AM/PM or zone), else at the comma after its year. The date must read as one.
fn split_date_name(mid: &str) -> Option<(&str, &str)> {
    let mid = mid.strip_prefix("giorno ").unwrap_or(mid);
    let words: Vec<(usize, &str)> = mid
        .split(' ')
        .scan(0, |pos, w| {
            let at = *pos;
            *pos += w.len() + 1;
            Some((at, w))
        })
        .collect();
    let time_at = words
        .iter()
        .rposition(|(_, w)| date::is_time_part(w) && w.contains(|c: char| c.is_ascii_digit()));
    let cut = match time_at {
        Some(mut k) => {
            while k + 1 < words.len() && date::is_time_part(words[k + 1].1) {
                k += 1;
            }
            let (at, w) = words[k];
            at + w.len()
        }
        None => {
            // `14 May 2025, NAME`: the comma after a four-digit year.
            let k = words.iter().position(|(_, w)| {
                let d = w.trim_end_matches(',');
                w.ends_with(',') && d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit())
            })?;
            words[k].0 + words[k].1.len()
        }
    };
    let date = mid[..cut].trim().trim_end_matches(',').trim();
    let name = mid[cut..].trim().trim_start_matches(',').trim();
    date::parse_loose(date, &Hints::default())?;
    (!name.is_empty()).then_some((date, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(s: &str) -> (Option<String>, Option<String>, Option<String>) {
        match attribution(s) {
            Some(a) => (a.from.name, a.from.address, a.date),
            None => (None, None, None),
        }
    }

    #[test]
    fn attribution_lines() {
        assert_eq!(
            attr("On 5/15/2025 7:14 AM, Dario Rossi wrote:"),
            (Some("Dario Rossi".into()), None, Some("5/15/2025 7:14 AM".into()))
        );
        assert!(attribution("On 5/15/2025 7:14 AM, Dario Rossi wrote:").unwrap().month_first);
        assert_eq!(
            attr("On 18 May 2025, at 5:51 AM, Bob Stone <bob@example.net> wrote:"),
            (
                Some("Bob Stone".into()),
                Some("bob@example.net".into()),
                Some("18 May 2025, at 5:51 AM".into())
            )
        );
        assert_eq!(
            attr("On Wed, May 14, 2025 at 9:09 AM Ana Müller <ana@example.org> wrote:")
                .0
                .as_deref(),
            Some("Ana Müller")
        );
        assert_eq!(attr("On 14 May 2025, Ana Müller wrote:").0.as_deref(), Some("Ana Müller"));
        assert_eq!(
            attr("Am 14.05.2025 um 09:09 schrieb Ana Müller:"),
            (Some("Ana Müller".into()), None, Some("14.05.2025 um 09:09".into()))
        );
        assert_eq!(
            attr("Am Mi., 14. Mai 2025 um 09:09 Uhr schrieb Ana Müller <ana@example.org>:")
                .1
                .as_deref(),
            Some("ana@example.org")
        );
        assert_eq!(
            attr("Le 14/05/2025 à 09:09, Élise Martin a écrit :").0.as_deref(),
            Some("Élise Martin")
        );
        assert_eq!(
            attr("Le mer. 14 mai 2025 à 09:09, Élise Martin <elise@example.fr> a écrit :")
                .1
                .as_deref(),
            Some("elise@example.fr")
        );
        assert_eq!(
            attr("Il 14/05/2025 09:09, Dario Rossi ha scritto:").0.as_deref(),
            Some("Dario Rossi")
        );
        assert_eq!(
            attr("Il giorno mer 14 mag 2025 alle ore 09:09 Dario Rossi <dario@example.it> ha scritto:").0.as_deref(),
            Some("Dario Rossi")
        );
        assert_eq!(
            attr("El mié, 14 may 2025 a las 9:09, Lucía Pérez (<lucia@example.es>) escribió:")
                .1
                .as_deref(),
            Some("lucia@example.es")
        );
        assert_eq!(attr("Bob Stone <bob@example.net> wrote:").0.as_deref(), Some("Bob Stone"));
        // Sentences that end like one are not attributions.
        assert_eq!(attr("On the other hand, as I wrote:").0, None);
        assert_eq!(attr("This is what the license drafters originally wrote:").0, None);
    }

    fn msg(body: &str) -> Message {
        Message {
            message_id: Some("top@example.org".into()),
            from: Some(Person::parse_loose("Carol <carol@example.org>")),
            date: Some("2025-05-18T10:00:00Z".into()),
            utc_offset: Some(7200),
            body: body.into(),
            ..Message::default()
        }
    }

    #[test]
    fn top_posted_chain_is_recovered_oldest_first() {
        let m = msg(
            "Agreed.\n\nOn 18 May 2025, at 05:51, Bob Stone <bob@example.net> wrote:\n\n> I see a problem in 2.2(b).\n>\n> Am 14.05.2025 um 09:09 schrieb Ana Müller:\n> > First post.\n> > -- \n> > Ana\n",
        );
        let out = recover_one(&m);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].author().as_deref(), Some("Ana Müller"));
        assert_eq!(out[0].body, "First post.");
        assert_eq!(out[0].date.as_deref(), Some("2025-05-14T07:09:00Z"));
        assert_eq!(out[1].author().as_deref(), Some("Bob Stone"));
        assert_eq!(out[1].body, "I see a problem in 2.2(b).");
        assert_eq!(out[1].date.as_deref(), Some("2025-05-18T03:51:00Z"));
        assert_eq!(out[2].body, "Agreed.");
        assert_eq!(out[2].quoted.as_deref(), Some(out[1].key().as_str()));
        assert_eq!(out[1].quoted.as_deref(), Some(out[0].key().as_str()));
        assert_eq!(out[0].recovered_from.as_deref(), Some(out[1].key().as_str()));
        assert!(out[0].message_id.is_none());
    }

    #[test]
    fn forwarded_headers_and_outlook_quotes() {
        let m = msg(
            "Inoltro.\n\n----- Messaggio originale -----\nDa: \"Ana Müller\" <ana@example.org>\nA: license-review@lists.example.org\nInviato: mercoledì, 14 maggio 2025 9:09:00\nOggetto: EML 2.0 output clause\n\nFirst post.\n",
        );
        let out = recover_one(&m);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].author().as_deref(), Some("Ana Müller"));
        assert_eq!(out[0].subject.as_deref(), Some("EML 2.0 output clause"));
        assert_eq!(out[0].date.as_deref(), Some("2025-05-14T07:09:00Z"));
        assert_eq!(out[1].body, "Inoltro.");

        let m = msg(
            "Reply first.\n\n> -----Original Message-----\n> From: Bob Stone [mailto:bob@example.net]\n> Sent: Thursday, May 15, 2025 7:14 AM\n> To: list\n> Subject: RE: output\n>\n> Bob's words.\n",
        );
        let out = recover_one(&m);
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[0].from.as_ref().and_then(|p| p.address.as_deref()),
            Some("bob@example.net")
        );
        assert_eq!(out[0].body, "Bob's words.");
        assert_eq!(out[1].body, "Reply first.");
    }

    #[test]
    fn apple_plain_text_quotes_its_attribution() {
        let m = msg(
            "Mine.\n\n> On 18 May 2025, at 05:51, Bob Stone <bob@example.net> wrote:\n> \n> Bob's text.\n",
        );
        let out = recover_one(&m);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].body, "Bob's text.");
        assert_eq!(out[0].date.as_deref(), Some("2025-05-18T03:51:00Z"));
        assert_eq!(out[1].body, "Mine.");
    }

    #[test]
    fn inline_answers_keep_their_quotes() {
        let m = msg(
            "On 5/15/2025 7:14 AM, Bob Stone wrote:\n> point one\n\nAnswer one.\n\n> point two\n\nAnswer two.",
        );
        let out = recover_one(&m);
        assert_eq!(out.len(), 1);
        assert!(out[0].body.contains("> point one\n\nAnswer one.\n\n> point two"));
    }

    #[test]
    fn bottom_posting_is_recovered_too() {
        let m = msg("On 5/15/2025 7:14 AM, Bob Stone wrote:\n> Bob's point.\n\nMy answer.");
        let out = recover_one(&m);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].body, "Bob's point.");
        assert_eq!(out[1].body, "My answer.");
    }

    #[test]
    fn deep_quoting_is_bounded() {
        let mut body = String::from("Top.\n");
        for d in 1..=200 {
            body.push_str(&"> ".repeat(d - 1));
            body.push_str("Bob wrote:\n");
            body.push_str(&"> ".repeat(d));
            body.push_str(&format!("level {d}\n"));
        }
        let out = recover_one(&msg(&body));
        assert_eq!(out.len(), MAX_LEVELS);
        assert!(out[0].notes.iter().any(|n| n.contains("deeper than")));
        let bodies: Vec<&str> = out.iter().map(|m| m.body.as_str()).collect();
        assert_eq!(out[1].body, format!("level {}", MAX_LEVELS - 2), "{bodies:?}");
        let flat = ">".repeat(10_000) + " x\n";
        let out = recover_one(&msg(&flat));
        assert_eq!(out.len(), 1);
        assert!(out[0].notes.iter().any(|n| n.contains("10000 deep")));
    }
}

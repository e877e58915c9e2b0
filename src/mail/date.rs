//! Dates as mail clients write them in attribution lines and forwarded headers, in English,
//! German, French, Italian and Spanish: `5/15/2025 7:14 AM`, `18 May 2025, at 5:51 AM`,
//! `Mi., 14. Mai 2025 um 09:09 Uhr`, `mercoledì, 14 maggio 2025 9:09:00`,
//! `Wed, 14 May 2025 09:09:00 +0200`.
//!
//! Such a date rarely names its zone: the quoting client shows it in its own, which is the
//! zone of the quoting message's `Date`, so that offset is the default ([`Hints::offset`]).
//! `5/6/2025` may be May 6 or June 5: a month-first reading is tried first where the client
//! writes that way (an English line with AM/PM), and a reading later than the quoting
//! message is dropped for the other.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::Offset;

/// What the surroundings of a date tell about it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints {
    /// Offset from UTC in seconds when the date names none.
    pub offset: Option<i32>,
    /// The date cannot be later than this (the message that quotes it).
    pub not_after: Option<Timestamp>,
    /// Read `5/6/2025` as May 6 first.
    pub month_first: bool,
}

/// A timestamp as comments store it: UTC, whole seconds, `2025-05-14T07:09:00Z`.
pub fn rfc3339(ts: Timestamp) -> String {
    Timestamp::from_second(ts.as_second()).unwrap_or(ts).to_string()
}

/// Read a date written by a person's mail client; `None` when no day, month and year can be
/// told apart. A missing time of day is midnight.
pub fn parse_loose(s: &str, hints: &Hints) -> Option<Timestamp> {
    parse_with_offset(s, hints).map(|(t, _)| t)
}

/// [`parse_loose`], with the offset from UTC the date was read in (its own, else the hint's):
/// the zone of the writer, for the dates they quote in turn.
pub fn parse_with_offset(s: &str, hints: &Hints) -> Option<(Timestamp, i32)> {
    let mut numbers: Vec<(u32, usize)> = Vec::new(); // value, digits
    let mut month = None;
    let mut numeric: Option<(u32, u32, u32, usize, char)> = None; // a, b, c, digits of a, sep
    let mut time: Option<(u32, u32, u32)> = None;
    let mut pm: Option<bool> = None;
    let mut offset: Option<i32> = None;
    let mut ampm_seen = false;
    if s.len() > 200 {
        return None;
    }
    for raw in s.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '"' | '<' | '>')
    }) {
        if raw.is_empty() {
            continue;
        }
        if let Ok(ts) = raw.parse::<Timestamp>() {
            return Some((ts, 0));
        }
        let lower = raw.to_lowercase();
        let word = lower.trim_end_matches('.');
        if let Some(t) = read_time(word) {
            time = Some((t.0, t.1, t.2));
            if let Some(p) = t.3 {
                pm = Some(p);
                ampm_seen = true;
            }
            continue;
        }
        match word {
            "am" | "a.m" | "vorm" => {
                pm = Some(false);
                ampm_seen = true;
                continue;
            }
            "pm" | "p.m" | "nachm" => {
                pm = Some(true);
                ampm_seen = true;
                continue;
            }
            _ => {}
        }
        if let Some(o) = read_offset(raw) {
            offset = Some(o);
            continue;
        }
        if let Some(o) = zone(word) {
            offset.get_or_insert(o);
            continue;
        }
        if let Some(d) = read_numeric_date(word) {
            numeric = Some(d);
            continue;
        }
        // The last month name wins: `mar` before it is Tuesday (Italian, Spanish, French).
        if let Some(m) = month_number(word) {
            month = Some(m);
            continue;
        }
        if !word.is_empty()
            && word.bytes().all(|b| b.is_ascii_digit())
            && word.len() <= 4
            && let Ok(n) = word.parse()
        {
            numbers.push((n, word.len()));
        }
    }
    let (h, mi, sec) = time.unwrap_or((0, 0, 0));
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    let off = offset.or(hints.offset).unwrap_or(0);
    let build = |y: u32, m: u32, d: u32| -> Option<Timestamp> {
        let y = if y < 100 { y + 2000 } else { y };
        let date =
            Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
        let dt = date.at(i8::try_from(h).ok()?, i8::try_from(mi).ok()?, i8::try_from(sec).ok()?, 0);
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        Offset::from_seconds(off).ok()?.to_timestamp(dt).ok()
    };
    let mut candidates: Vec<Timestamp> = Vec::new();
    if let Some((a, b, c, a_digits, sep)) = numeric {
        if a_digits == 4 {
            candidates.extend(build(a, b, c));
        } else {
            let dm = build(c, b, a);
            let md = build(c, a, b);
            let month_first = sep != '.' && (hints.month_first || ampm_seen);
            if month_first {
                candidates.extend(md);
                candidates.extend(dm);
            } else {
                candidates.extend(dm);
                candidates.extend(md);
            }
        }
    } else {
        let m = month?;
        let year = numbers.iter().find(|(n, digits)| *digits == 4 && (1970..=2200).contains(n))?.0;
        let day = numbers.iter().find(|(n, digits)| *digits <= 2 && (1..=31).contains(n))?.0;
        candidates.extend(build(year, m, day));
    }
    let ts = match hints.not_after {
        // A day's grace: the quoting message's own clock may be off.
        Some(limit) => candidates
            .iter()
            .copied()
            .find(|t| t.as_second() <= limit.as_second() + 86_400)
            .or(candidates.first().copied()),
        None => candidates.first().copied(),
    }?;
    Some((ts, off))
}

/// Whether a word is a time of day (`9:09`, `09:09:41,`, `9:09am`), or the AM/PM, `Uhr` or
/// zone that follows one: where the date ends in an attribution line.
pub(crate) fn is_time_part(w: &str) -> bool {
    let lower = w.to_lowercase();
    let word = lower.trim_end_matches([',', '.']);
    read_time(word).is_some()
        || matches!(word, "am" | "pm" | "a.m" | "p.m" | "uhr" | "h")
        || read_offset(w.trim_end_matches(',')).is_some()
        || zone(word).is_some()
}

/// `9:09`, `09:09:41`, `9:09am`, `9h09` (French): hours, minutes, seconds, and pm if said.
fn read_time(w: &str) -> Option<(u32, u32, u32, Option<bool>)> {
    let (w, pm) = if let Some(x) = w.strip_suffix("am") {
        (x, Some(false))
    } else if let Some(x) = w.strip_suffix("pm") {
        (x, Some(true))
    } else {
        (w, None)
    };
    let sep = if w.contains(':') { ':' } else { 'h' };
    let mut parts = w.split(sep);
    let h = parts.next()?;
    let m = parts.next()?;
    let s = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let num = |p: &str, max: u32| -> Option<u32> {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
            .filter(|n| *n <= max)
    };
    let sec = match s {
        Some(s) => num(s, 60)?,
        None => 0,
    };
    if m.len() != 2 {
        return None;
    }
    Some((num(h, 23)?, num(m, 59)?, sec, pm))
}

/// `+0200`, `-0500`, `+02:00`, `UTC+2`, `GMT+02:00`.
fn read_offset(w: &str) -> Option<i32> {
    let w = w
        .strip_prefix("UTC")
        .or_else(|| w.strip_prefix("GMT"))
        .or_else(|| w.strip_prefix("utc"))
        .or_else(|| w.strip_prefix("gmt"))
        .unwrap_or(w);
    let (sign, rest) = match w.as_bytes().first()? {
        b'+' => (1, &w[1..]),
        b'-' => (-1, &w[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
        _ => return None,
    };
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// Zone abbreviations clients print, in seconds from UTC.
fn zone(w: &str) -> Option<i32> {
    let h = match w {
        "utc" | "gmt" | "ut" | "z" => 0,
        "cet" | "bst" | "mez" | "wat" => 1,
        "cest" | "eet" | "mesz" | "sast" => 2,
        "eest" | "msk" => 3,
        "edt" => -4,
        "est" | "cdt" => -5,
        "cst" => -6,
        "mst" => -7,
        "mdt" => -6,
        "pst" => -8,
        "pdt" => -7,
        _ => return None,
    };
    Some(h * 3600)
}

/// `5/15/2025`, `15.05.2025`, `2025-05-15`, `14/5/25`: the three numbers, the digits of the
/// first, and the separator.
fn read_numeric_date(w: &str) -> Option<(u32, u32, u32, usize, char)> {
    let sep = ['/', '.', '-'].into_iter().find(|s| w.contains(*s))?;
    let parts: Vec<&str> = w.trim_end_matches(sep).split(sep).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = |p: &str| p.parse::<u32>().ok();
    Some((n(parts[0])?, n(parts[1])?, n(parts[2])?, parts[0].len(), sep))
}

/// Month names and their usual abbreviations in English, German, French, Italian and
/// Spanish (accents optional), lower-case.
fn month_number(w: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "jan", "january", "januar", "jän", "jänner", "janv", "janvier", "gen", "genn",
            "gennaio", "ene", "enero",
        ],
        &[
            "feb", "february", "februar", "févr", "fevr", "février", "fevrier", "febbraio",
            "febrero",
        ],
        &["mar", "march", "mär", "märz", "marz", "mars", "marzo"],
        &["apr", "april", "avr", "avril", "aprile", "abr", "abril"],
        &["may", "mai", "mag", "maggio", "mayo"],
        &["jun", "june", "juni", "juin", "giu", "giugno", "junio"],
        &["jul", "july", "juli", "juil", "juillet", "lug", "luglio", "julio"],
        &["aug", "august", "août", "aout", "ago", "agosto"],
        &["sep", "sept", "september", "septembre", "set", "settembre", "septiembre", "setiembre"],
        &["oct", "october", "okt", "oktober", "octobre", "ott", "ottobre", "octubre"],
        &["nov", "november", "novembre", "noviembre"],
        &[
            "dec",
            "december",
            "dez",
            "dezember",
            "déc",
            "décembre",
            "decembre",
            "dic",
            "dicembre",
            "diciembre",
        ],
    ];
    MONTHS.iter().position(|names| names.contains(&w)).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str, hints: Hints) -> Option<String> {
        parse_loose(s, &hints).map(rfc3339)
    }

    fn utc() -> Hints {
        Hints::default()
    }

    #[test]
    fn english_forms() {
        let h = Hints { month_first: true, ..utc() };
        assert_eq!(at("5/15/2025 7:14 AM", h).as_deref(), Some("2025-05-15T07:14:00Z"));
        assert_eq!(at("18 May 2025, at 5:51 PM", utc()).as_deref(), Some("2025-05-18T17:51:00Z"));
        assert_eq!(at("May 18, 2025, at 12:05 AM", utc()).as_deref(), Some("2025-05-18T00:05:00Z"));
        assert_eq!(
            at("Wed, 14 May 2025 09:09:00 +0200", utc()).as_deref(),
            Some("2025-05-14T07:09:00Z")
        );
        assert_eq!(
            at("Wednesday, May 14, 2025 9:09 AM", utc()).as_deref(),
            Some("2025-05-14T09:09:00Z")
        );
        assert_eq!(at("2025-05-14 09:09", utc()).as_deref(), Some("2025-05-14T09:09:00Z"));
        assert_eq!(at("2025-05-14T07:09:00Z", utc()).as_deref(), Some("2025-05-14T07:09:00Z"));
        assert_eq!(at("14 May 2025 09:09 CEST", utc()).as_deref(), Some("2025-05-14T07:09:00Z"));
    }

    #[test]
    fn other_languages() {
        assert_eq!(
            at("Mi., 14. Mai 2025 um 09:09 Uhr", utc()).as_deref(),
            Some("2025-05-14T09:09:00Z")
        );
        assert_eq!(at("14.05.2025 um 09:09", utc()).as_deref(), Some("2025-05-14T09:09:00Z"));
        assert_eq!(at("mer. 14 mai 2025 à 09:09", utc()).as_deref(), Some("2025-05-14T09:09:00Z"));
        assert_eq!(
            at("mercoledì, 14 maggio 2025 9:09:41", utc()).as_deref(),
            Some("2025-05-14T09:09:41Z")
        );
        assert_eq!(
            at("giovedì 15 mag 2025 alle ore 10:30", utc()).as_deref(),
            Some("2025-05-15T10:30:00Z")
        );
        assert_eq!(
            at("mié, 14 may 2025 a las 9:09", utc()).as_deref(),
            Some("2025-05-14T09:09:00Z")
        );
        assert_eq!(at("14 de mayo de 2025 9:09", utc()).as_deref(), Some("2025-05-14T09:09:00Z"));
        assert_eq!(at("14/5/25 9:09", utc()).as_deref(), Some("2025-05-14T09:09:00Z"));
    }

    #[test]
    fn zone_of_the_quoting_message_and_ambiguity() {
        let h = Hints { offset: Some(2 * 3600), ..utc() };
        assert_eq!(at("14.05.2025 09:09", h).as_deref(), Some("2025-05-14T07:09:00Z"));
        // 5/6/2025: day first, unless that is after the quoting message.
        assert_eq!(at("5/6/2025 10:00", utc()).as_deref(), Some("2025-06-05T10:00:00Z"));
        let limit = "2025-05-20T00:00:00Z".parse().ok();
        let h = Hints { not_after: limit, ..utc() };
        assert_eq!(at("5/6/2025 10:00", h).as_deref(), Some("2025-05-06T10:00:00Z"));
        assert_eq!(at("nothing here", utc()), None);
        assert_eq!(at("31/02/2025", utc()), None);
        assert_eq!(at("99:99 14 May 2025", utc()).as_deref(), Some("2025-05-14T00:00:00Z"));
    }
}

//! Reading a review file: TOML with spans (so every problem names line and column), then the
//! schema of `lrw-review/1`, collecting every problem rather than stopping at the first.
//!
//! The document is parsed twice: once into toml's spanned `DeTable` (for positions) and once
//! into a plain `toml::Table`, from which the values of unknown keys are taken as they are.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{Located, ReviewError, line_col};
use super::model::*;

/// Reviews larger than this are refused: a real review is a few hundred KiB at most.
pub const MAX_REVIEW_BYTES: u64 = 64 * 1024 * 1024;

/// Load and validate a review file.
pub fn load(path: &Path) -> Result<Review, ReviewError> {
    let bytes = read_limited(path)?;
    let sha256 = crate::text::load::sha256_hex(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = line_col(&prefix, prefix.len());
            return Err(ReviewError::Invalid {
                path: path.to_path_buf(),
                problems: vec![Located {
                    line,
                    column,
                    message: "bytes that are not UTF-8; a review file must be UTF-8 text".into(),
                }],
            });
        }
    };
    let mut review = parse(&text, path)?;
    let ours = super::write::Layout::of(&text).apply(super::to_toml(&review)) == text;
    review.origin = Some(Origin { sha256, text, ours });
    Ok(review)
}

/// Read a whole file, refusing one over [`MAX_REVIEW_BYTES`].
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ReviewError> {
    use std::io::Read;
    let io = |source| ReviewError::Io { path: path.to_path_buf(), action: "cannot read", source };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other("is a directory, expected a review file")));
    }
    let too_large =
        |size| ReviewError::TooLarge { path: path.to_path_buf(), size, limit: MAX_REVIEW_BYTES };
    if meta.len() > MAX_REVIEW_BYTES {
        // Refused before reading, with its real size.
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_REVIEW_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_REVIEW_BYTES {
        // A file that grew while read, or a special file whose size is not known beforehand.
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Parse review text; `path` is recorded in the review and named in errors. The result has
/// no [`Origin`]: it was not read from disk.
pub fn parse(text: &str, path: &Path) -> Result<Review, ReviewError> {
    let invalid = |problems| ReviewError::Invalid { path: path.to_path_buf(), problems };
    let src = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A file checked out with CRLF line endings: TOML reads CRLF inside a multi-line string
    // as a line break, and so do we, so that a comment body is the same text whichever line
    // endings the file has (the merge tells comments apart by their body). Lines and columns
    // stay where they were.
    let lf;
    let src = if src.contains("\r\n") {
        lf = src.replace("\r\n", "\n");
        lf.as_str()
    } else {
        src
    };
    let located = |span: Option<Range<usize>>, message: String| match span {
        Some(s) => {
            let (line, column) = line_col(src, s.start);
            Located { line, column, message }
        }
        // The parser gave no place (its recursion limit): the most deeply nested line is.
        None => Located { line: deepest_line(src), column: 1, message },
    };
    let doc =
        DeTable::parse(src).map_err(|e| invalid(vec![located(e.span(), toml_message(&e))]))?;
    let plain: toml::Table =
        toml::from_str(src).map_err(|e| invalid(vec![located(e.span(), toml_message(&e))]))?;
    let mut cx = Cx { src, problems: Vec::new() };
    let review = cx.review(&doc, &plain, path.to_path_buf());
    if cx.problems.is_empty() { Ok(review) } else { Err(invalid(cx.problems)) }
}

/// The 1-based line that nests deepest: dotted keys and headers, brackets and braces.
fn deepest_line(src: &str) -> usize {
    let mut best = (0, 1);
    let mut depth: usize = 0;
    for (n, line) in src.lines().enumerate() {
        let mut deepest = depth;
        for c in line.chars() {
            match c {
                '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let dots = line.split('=').next().unwrap_or("").matches('.').count();
        let score = deepest.max(dots);
        if score > best.0 {
            best = (score, n + 1);
        }
    }
    best.1
}

/// toml's message without its own rendering of the source line (we give line and column).
fn toml_message(e: &toml::de::Error) -> String {
    let m = e.message().trim();
    let m = m.strip_prefix("TOML parse error: ").unwrap_or(m);
    if m.contains("recursion limit") {
        return "invalid TOML: nested too deeply (a table header, key or value with too many \
                levels)"
            .to_string();
    }
    format!("invalid TOML: {m}")
}

struct Cx<'s> {
    src: &'s str,
    problems: Vec<Located>,
}

type Table<'a> = DeTable<'a>;

impl Cx<'_> {
    fn problem(&mut self, span: &Range<usize>, message: String) {
        let (line, column) = line_col(self.src, span.start);
        self.problems.push(Located { line, column, message });
    }

    fn review(&mut self, doc: &Spanned<Table<'_>>, plain: &toml::Table, path: PathBuf) -> Review {
        let t = doc.get_ref();
        let top = 0..0;
        let format = self.string(t, "format", "the top level", &top).unwrap_or_default();
        if let Some((_, v)) = t.get_key_value("format")
            && !format.is_empty()
            && format != FORMAT
        {
            let hint = if format.starts_with("lrw-review/") {
                "a newer lrw wrote this file; this lrw reads"
            } else {
                "expected"
            };
            self.problem(&v.span(), format!("format is {format:?}; {hint} {FORMAT:?}"));
        }
        let title = self.opt_string(t, "title").unwrap_or_default();
        let license = self.opt_string(t, "license");

        let mut versions = Vec::new();
        for (i, (vt, span)) in self.tables(t, "versions").into_iter().enumerate() {
            let p = nth_table(plain, "versions", i);
            versions.push(self.version(vt, &span, p));
        }
        let mut seen = HashSet::new();
        for (i, v) in versions.iter().enumerate() {
            if !v.id.is_empty() && !seen.insert(v.id.clone()) {
                let span = self.nth_key_span(t, "versions", i, "id");
                self.problem(&span, format!("duplicate version id {:?}", v.id));
            }
        }
        if versions.is_empty() && !t.contains_key("versions") {
            self.problem(&top, "missing [[versions]]: a review needs the texts it is about".into());
        }

        let compare = match t.get("compare") {
            Some(c) => match c.get_ref().as_table() {
                Some(ct) => {
                    let p = plain.get("compare").and_then(|v| v.as_table());
                    let span = c.span();
                    let left = self.string(ct, "left", "[compare]", &span).unwrap_or_default();
                    let right = self.string(ct, "right", "[compare]", &span).unwrap_or_default();
                    for key in ["left", "right"] {
                        let id = if key == "left" { &left } else { &right };
                        if !id.is_empty() && !seen.contains(id) {
                            let s = ct.get(key).map_or(span.clone(), |v| v.span());
                            self.problem(&s, unknown_version(key, id, &versions));
                        }
                    }
                    Compare { left, right, extra: extra(ct, p, &["left", "right"]) }
                }
                None => {
                    self.problem(
                        &c.span(),
                        "expected a table [compare] with left and right".into(),
                    );
                    Compare::default()
                }
            },
            None => {
                self.problem(
                    &top,
                    "missing [compare] (left = VERSION_ID, right = VERSION_ID)".into(),
                );
                Compare::default()
            }
        };

        let mut threads = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        for (i, (tt, span)) in self.tables(t, "threads").into_iter().enumerate() {
            let p = nth_table(plain, "threads", i);
            let thread = self.thread(tt, &span, p, &versions);
            if !thread.id.is_empty() && !ids.insert(thread.id.clone()) {
                let s = tt.get("id").map_or(span.clone(), |v| v.span());
                self.problem(
                    &s,
                    format!("duplicate thread id {:?}: thread ids must be unique", thread.id),
                );
            }
            threads.push(thread);
        }
        Review {
            path,
            format,
            title,
            license,
            versions,
            compare,
            threads,
            extra: extra(
                t,
                Some(plain),
                &["format", "title", "license", "versions", "compare", "threads"],
            ),
            origin: None,
        }
    }

    fn version(
        &mut self,
        t: &Table<'_>,
        span: &Range<usize>,
        plain: Option<&toml::Table>,
    ) -> Version {
        let id = self.string(t, "id", "[[versions]]", span).unwrap_or_default();
        if let Some(v) = t.get("id")
            && !id.is_empty()
            && !is_plain_id(&id)
        {
            self.problem(
                &v.span(),
                format!("version id {id:?} should be letters, digits, '-', '_' or '.'"),
            );
        }
        let path = self.string(t, "path", "[[versions]]", span).unwrap_or_default();
        if let Some(v) = t.get("path")
            && path.trim().is_empty()
            && v.get_ref().as_str().is_some()
        {
            self.problem(
                &v.span(),
                "`path` is empty; expected a file path (relative to this review) or spdx:ID".into(),
            );
        }
        let sha256 = self.opt_string(t, "sha256");
        if let (Some(h), Some(v)) = (&sha256, t.get("sha256"))
            && !is_sha256(h)
        {
            self.problem(&v.span(), "expected a SHA-256 as 64 hex digits".into());
        }
        let label = self.opt_string(t, "label");
        let date = self.opt_date(t, "date");
        let mut source = Source::default();
        for (key, value) in source.fields_mut() {
            *value = self.opt_string(t, key);
        }
        const KNOWN: [&str; 12] = [
            "id",
            "path",
            "sha256",
            "label",
            "date",
            "url",
            "fetched_at",
            "content_type",
            "etag",
            "last_modified",
            "reader",
            "origin",
        ];
        Version { id, path, sha256, label, date, source, extra: extra(t, plain, &KNOWN) }
    }

    fn thread(
        &mut self,
        t: &Table<'_>,
        span: &Range<usize>,
        plain: Option<&toml::Table>,
        versions: &[Version],
    ) -> Thread {
        let id = self.string(t, "id", "[[threads]]", span).unwrap_or_default();
        if let Some(v) = t.get("id")
            && !id.is_empty()
            && !is_plain_id(&id)
        {
            self.problem(&v.span(), format!("thread id {id:?} should look like \"t-7f3a9c\""));
        }
        let status = match self.opt_string(t, "status") {
            None => Status::Open,
            Some(s) => Status::parse(&s).unwrap_or_else(|| {
                let sp = t.get("status").map(|v| v.span()).unwrap_or_default();
                self.problem(
                    &sp,
                    format!("unknown status {s:?}; expected \"open\" or \"resolved\""),
                );
                Status::Open
            }),
        };
        let verdict = match self.string(t, "verdict", "[[threads]]", span) {
            None => Verdict::Note,
            Some(s) => Verdict::parse(&s).unwrap_or_else(|| {
                let sp = t.get("verdict").map(|v| v.span()).unwrap_or_default();
                let all: Vec<_> =
                    Verdict::ALL.iter().map(|v| format!("{:?}", v.as_str())).collect();
                self.problem(
                    &sp,
                    format!("unknown verdict {s:?}; expected one of {}", all.join(", ")),
                );
                Verdict::Note
            }),
        };
        let criteria = self.string_array(t, "criteria");
        // No anchor: a thread about the review as a whole.
        let anchor = match t.get("anchor") {
            Some(a) => match a.get_ref().as_table() {
                Some(at) => {
                    let p = plain.and_then(|p| p.get("anchor")).and_then(|v| v.as_table());
                    Some(self.anchor(at, &a.span(), p, versions))
                }
                None => {
                    self.problem(&a.span(), "expected a table [threads.anchor]".into());
                    None
                }
            },
            None => None,
        };
        let mut comments: Vec<Comment> = Vec::new();
        for (i, (ct, cspan)) in self.tables(t, "comments").into_iter().enumerate() {
            let p = plain.and_then(|p| nth_table(p, "comments", i));
            let mut c = self.comment(ct, &cspan, p);
            if c.id.is_empty() {
                c.id = c.derived_id();
                // The same comment twice (or a clash of derived ids): keep ids unique.
                while comments.iter().any(|o| o.id == c.id) {
                    c.id = format!("{}x", c.id);
                }
            } else if comments.iter().any(|o| o.id == c.id) {
                let s = ct.get("id").map_or(cspan.clone(), |v| v.span());
                self.problem(&s, format!("duplicate comment id {:?} in thread {id:?}", c.id));
            }
            comments.push(c);
        }
        let mut events = Vec::new();
        for (i, (et, espan)) in self.tables(t, "events").into_iter().enumerate() {
            let p = plain.and_then(|p| nth_table(p, "events", i));
            events.push(self.event(et, &espan, p));
        }
        const KNOWN: [&str; 7] =
            ["id", "status", "verdict", "criteria", "anchor", "comments", "events"];
        Thread {
            id,
            status,
            verdict,
            criteria,
            anchor,
            comments,
            events,
            extra: extra(t, plain, &KNOWN),
        }
    }

    fn anchor(
        &mut self,
        t: &Table<'_>,
        span: &Range<usize>,
        plain: Option<&toml::Table>,
        versions: &[Version],
    ) -> Anchor {
        let version = self.string(t, "version", "[threads.anchor]", span).unwrap_or_default();
        if !version.is_empty() && !versions.iter().any(|v| v.id == version) {
            let s = t.get("version").map_or(span.clone(), |v| v.span());
            self.problem(&s, unknown_version("anchor version", &version, versions));
        }
        let clause = self.string(t, "clause", "[threads.anchor]", span).unwrap_or_default();
        let quote = self.opt_string(t, "quote");
        let prefix = self.opt_string(t, "prefix");
        let suffix = self.opt_string(t, "suffix");
        let clause_sha256 = self.opt_string(t, "clause_sha256");
        if let (Some(h), Some(v)) = (&clause_sha256, t.get("clause_sha256"))
            && !is_sha256(h)
        {
            self.problem(&v.span(), "expected a SHA-256 as 64 hex digits".into());
        }
        let clause_start = self.opt_string(t, "clause_start");
        const KNOWN: [&str; 7] =
            ["version", "clause", "clause_start", "quote", "prefix", "suffix", "clause_sha256"];
        Anchor {
            version,
            clause,
            quote,
            prefix,
            suffix,
            clause_sha256,
            clause_start,
            extra: extra(t, plain, &KNOWN),
        }
    }

    fn comment(
        &mut self,
        t: &Table<'_>,
        span: &Range<usize>,
        plain: Option<&toml::Table>,
    ) -> Comment {
        let id = self.opt_string(t, "id").unwrap_or_default();
        if let Some(v) = t.get("id")
            && !id.is_empty()
            && !is_plain_id(&id)
        {
            self.problem(&v.span(), format!("comment id {id:?} should look like \"c-1a2b3c\""));
        }
        let author = self.string(t, "author", "[[threads.comments]]", span).unwrap_or_default();
        if let Some(v) = t.get("author")
            && author.trim().is_empty()
        {
            self.problem(&v.span(), "author is empty".into());
        }
        let at = self.time(t, "at", "comment", span);
        let edited_at = t.get("edited_at").map(|_| self.time(t, "edited_at", "comment", span));
        let message_id = self.opt_string(t, "message_id");
        let body = self.string(t, "body", "[[threads.comments]]", span).unwrap_or_default();
        const KNOWN: [&str; 6] = ["id", "author", "at", "edited_at", "message_id", "body"];
        Comment { id, author, at, body, edited_at, message_id, extra: extra(t, plain, &KNOWN) }
    }

    fn event(&mut self, t: &Table<'_>, span: &Range<usize>, plain: Option<&toml::Table>) -> Event {
        let place = "[[threads.events]]";
        let author = self.string(t, "author", place, span).unwrap_or_default();
        let at = self.time(t, "at", "event", span);
        let field = self.string(t, "field", place, span).unwrap_or_default();
        if !field.is_empty() && !EVENT_FIELDS.contains(&field.as_str()) {
            let s = t.get("field").map_or(span.clone(), |v| v.span());
            self.problem(
                &s,
                format!("unknown event field {field:?}; expected status, verdict or criteria"),
            );
        }
        let from = self.opt_string(t, "from").unwrap_or_default();
        let to = self.opt_string(t, "to").unwrap_or_default();
        const KNOWN: [&str; 5] = ["author", "at", "field", "from", "to"];
        Event { author, at, field, from, to, extra: extra(t, plain, &KNOWN) }
    }

    /// A required TOML date-time with offset (`at`, `edited_at`), as RFC 3339 text.
    fn time(&mut self, t: &Table<'_>, key: &str, what: &str, span: &Range<usize>) -> String {
        match t.get(key) {
            None => {
                self.problem(
                    span,
                    format!("{what}: missing `{key}` (a time like 2025-05-14T07:09:00Z)"),
                );
                String::new()
            }
            Some(v) => match v.get_ref() {
                DeValue::Datetime(dt)
                    if dt.date.is_some() && dt.time.is_some() && dt.offset.is_some() =>
                {
                    dt.to_string()
                }
                other => {
                    let found = match other {
                        DeValue::Datetime(_) => {
                            "a date-time without a date, time or UTC offset".to_string()
                        }
                        DeValue::String(s) => {
                            format!("the string {s:?} (write the time without quotes)")
                        }
                        o => format!("{} {}", article(o.type_str()), o.type_str()),
                    };
                    self.problem(
                        &v.span(),
                        format!("`{key}`: expected a TOML date-time with offset like 2025-05-14T07:09:00Z, found {found}"),
                    );
                    String::new()
                }
            },
        }
    }

    /// An optional date (`2025-12-05`), written bare or as a string; kept as text.
    fn opt_date(&mut self, t: &Table<'_>, key: &str) -> Option<String> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Datetime(d) if d.date.is_some() => Some(d.to_string()),
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let ty = other.type_str();
                self.problem(
                    &v.span(),
                    format!("`{key}`: expected a date like 2025-12-05, found {} {ty}", article(ty)),
                );
                None
            }
        }
    }

    /// A required string; reports it missing (at `span`, naming `place`) or of another type.
    fn string(
        &mut self,
        t: &Table<'_>,
        key: &str,
        place: &str,
        span: &Range<usize>,
    ) -> Option<String> {
        match t.get(key) {
            None => {
                self.problem(span, format!("{place}: missing `{key}` (expected a string)"));
                None
            }
            Some(_) => self.opt_string(t, key),
        }
    }

    fn opt_string(&mut self, t: &Table<'_>, key: &str) -> Option<String> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let ty = other.type_str();
                self.problem(
                    &v.span(),
                    format!("`{key}`: expected a string, found {} {ty}", article(ty)),
                );
                None
            }
        }
    }

    fn string_array(&mut self, t: &Table<'_>, key: &str) -> Vec<String> {
        let Some(v) = t.get(key) else { return Vec::new() };
        let Some(items) = v.get_ref().as_array() else {
            let ty = v.get_ref().type_str();
            self.problem(
                &v.span(),
                format!("`{key}`: expected an array of strings, found {} {ty}", article(ty)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(s.to_string()),
                other => {
                    let ty = other.type_str();
                    self.problem(
                        &item.span(),
                        format!("`{key}`: expected a string, found {} {ty}", article(ty)),
                    );
                }
            }
        }
        out
    }

    /// The tables of an array of tables (`[[key]]` or an inline array of inline tables).
    fn tables<'t, 'a>(
        &mut self,
        t: &'t Table<'a>,
        key: &str,
    ) -> Vec<(&'t Table<'a>, Range<usize>)> {
        let Some(v) = t.get(key) else { return Vec::new() };
        let Some(items) = v.get_ref().as_array() else {
            let ty = v.get_ref().type_str();
            self.problem(
                &v.span(),
                format!(
                    "`{key}`: expected an array of tables [[{key}]], found {} {ty}",
                    article(ty)
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_table() {
                Some(tt) => out.push((tt, item.span())),
                None => {
                    let ty = item.get_ref().type_str();
                    self.problem(
                        &item.span(),
                        format!("`{key}`: expected a table, found {} {ty}", article(ty)),
                    );
                }
            }
        }
        out
    }

    /// Span of `key` in the `i`th table of array `array` (for problems found after parsing).
    fn nth_key_span(&self, t: &Table<'_>, array: &str, i: usize, key: &str) -> Range<usize> {
        key_span(t, array, i, key).unwrap_or(0..0)
    }
}

/// Span of `key` in the `i`th table of array `array`, or of that table when it has no such
/// key.
fn key_span(t: &Table<'_>, array: &str, i: usize, key: &str) -> Option<Range<usize>> {
    let e = t.get(array)?.get_ref().as_array()?.get(i)?;
    e.get_ref().as_table().and_then(|tt| tt.get(key)).map(|v| v.span()).or(Some(e.span()))
}

/// Where things are in a review's text, so that problems found after loading (an unknown
/// criterion, a text changed since it was added, an orphaned anchor) can name a line too.
pub struct Positions<'a> {
    src: &'a str,
    doc: Option<Spanned<Table<'a>>>,
}

impl<'a> Positions<'a> {
    /// Positions in `text`, the review file as it was read (none if it does not parse).
    pub fn new(text: &'a str) -> Positions<'a> {
        let src = text.strip_prefix('\u{feff}').unwrap_or(text);
        Positions { src, doc: DeTable::parse(src).ok() }
    }

    /// 1-based line of `key` in the `i`th table of `array` (`versions`, `threads`), or of the
    /// table itself when it has no such key.
    pub fn line(&self, array: &str, i: usize, key: &str) -> Option<usize> {
        let span = key_span(self.doc.as_ref()?.get_ref(), array, i, key)?;
        Some(line_col(self.src, span.start).0)
    }
}

fn nth_table<'p>(plain: &'p toml::Table, key: &str, i: usize) -> Option<&'p toml::Table> {
    plain.get(key)?.as_array()?.get(i)?.as_table()
}

/// The entries of `plain` whose keys are not in `known`, in file order.
fn extra(t: &Table<'_>, plain: Option<&toml::Table>, known: &[&str]) -> toml::Table {
    let mut out = toml::Table::new();
    let Some(plain) = plain else { return out };
    for (k, _) in t.iter() {
        let k: &str = k.get_ref();
        if !known.contains(&k)
            && let Some(v) = plain.get(k)
        {
            out.insert(k.to_string(), v.clone());
        }
    }
    out
}

fn unknown_version(what: &str, id: &str, versions: &[Version]) -> String {
    let ids: Vec<_> = versions.iter().map(|v| format!("{:?}", v.id)).collect();
    if ids.is_empty() {
        format!("{what}: no version with id {id:?} (there are no [[versions]])")
    } else {
        format!("{what}: no version with id {id:?}; expected one of {}", ids.join(", "))
    }
}

fn article(ty: &str) -> &'static str {
    if ty.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// The fields a thread event may record.
pub const EVENT_FIELDS: [&str; 3] = ["status", "verdict", "criteria"];

/// Ids are short names people type: letters, digits and `-_.`.
pub(crate) fn is_plain_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

pub(crate) fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

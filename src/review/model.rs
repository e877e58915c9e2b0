//! The review model: plain data that the loader fills, the writer prints and the TUI edits.
//!
//! Every table keeps the keys it did not know in an `extra` table, so that a file written by a
//! newer lrw survives a load and save by an older one.

use std::path::{Path, PathBuf};

/// The format tag this version of lrw reads and writes.
pub const FORMAT: &str = "lrw-review/1";

/// One review: two or more versions of a license, the pair being compared, and the threads.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// Where the review lives on disk; version paths are relative to its folder.
    pub path: PathBuf,
    /// Always [`FORMAT`] for files this version understands.
    pub format: String,
    pub title: String,
    /// SPDX-style id of the license under review, when it has one.
    pub license: Option<String>,
    pub versions: Vec<Version>,
    pub compare: Compare,
    pub threads: Vec<Thread>,
    /// Top-level keys this version of lrw does not know, kept in file order.
    pub extra: toml::Table,
    /// What was on disk when the review was loaded or last saved, so that saving can tell
    /// whether someone else changed the file in between (and merge instead of overwriting).
    pub origin: Option<Origin>,
}

/// The bytes a review was read from (or last written as).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The file's text: the common ancestor for a three-way merge on save.
    pub text: String,
    /// Whether `text` is exactly lrw's layout of what it holds (in its line endings and BOM):
    /// then a save has no hand-written notes to keep (see [`super::keep`]) and skips looking.
    pub ours: bool,
}

/// One version of the license text under review.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// Short name used by anchors and `compare` (`website`, `submitted`).
    pub id: String,
    /// Relative to the review file's folder, absolute, or `spdx:ID`.
    pub path: String,
    /// Hex SHA-256 of the text's bytes when it was added, so `check` can tell it changed.
    pub sha256: Option<String>,
    /// A short human name (`Website, 5 Dec 2025`), shown beside the id.
    pub label: Option<String>,
    /// When this version was published or submitted (`2025-12-05`), for exports and for
    /// reading a mail against the version current when it was written.
    pub date: Option<String>,
    /// Where the text came from, when it was fetched or copied in.
    pub source: Source,
    pub extra: toml::Table,
}

/// Where a version's text came from: the provenance a reviewer needs to trust (and redo) a
/// comparison. Every field is optional; a file written by hand has none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Source {
    /// The address it was fetched from (the file under `path` is the stored copy).
    pub url: Option<String>,
    /// When it was fetched (RFC 3339, UTC).
    pub fetched_at: Option<String>,
    /// The server's `ETag` and `Last-Modified`, for `lrw refresh`'s conditional requests.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The declared `Content-Type`.
    pub content_type: Option<String>,
    /// The reader that turned it into text (`html`, `docx`, `odt`, `pdf`).
    pub reader: Option<String>,
    /// Where a file from outside the project was copied from (`lrw new`, `version add`).
    pub origin: Option<String>,
}

impl Source {
    /// The keys in the order they are written, with their values.
    pub fn fields(&self) -> [(&'static str, &Option<String>); 7] {
        [
            ("url", &self.url),
            ("fetched_at", &self.fetched_at),
            ("content_type", &self.content_type),
            ("etag", &self.etag),
            ("last_modified", &self.last_modified),
            ("reader", &self.reader),
            ("origin", &self.origin),
        ]
    }

    /// Each field, to fill by key.
    pub fn fields_mut(&mut self) -> [(&'static str, &mut Option<String>); 7] {
        [
            ("url", &mut self.url),
            ("fetched_at", &mut self.fetched_at),
            ("content_type", &mut self.content_type),
            ("etag", &mut self.etag),
            ("last_modified", &mut self.last_modified),
            ("reader", &mut self.reader),
            ("origin", &mut self.origin),
        ]
    }
}

/// The pair of versions shown side by side.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compare {
    pub left: String,
    pub right: String,
    pub extra: toml::Table,
}

/// A discussion attached to one clause (or a passage in it).
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    /// `t-` and six hex digits, random so that two people adding threads never clash.
    pub id: String,
    pub status: Status,
    pub verdict: Verdict,
    /// Criteria ids such as `osd-6`, checked against the criteria sets by `lrw check`.
    pub criteria: Vec<String>,
    /// Where the thread points; `None` for a thread about the review as a whole (a mail
    /// that cites no clause, a general remark).
    pub anchor: Option<Anchor>,
    /// In the order written. A comment is changed only by its author (`edited_at` is then
    /// set) and removed only while no reply follows it.
    pub comments: Vec<Comment>,
    /// Who changed the status, verdict or criteria, and when: the record a chair needs.
    pub events: Vec<Event>,
    pub extra: toml::Table,
}

/// Whether a thread still needs attention.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Resolved,
}

/// What the thread concludes about the clause.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Conforms,
    Concern,
    Conflict,
    Question,
    Note,
}

/// Where a thread points: a clause of one version, optionally a passage inside it, located
/// the way W3C Web Annotation's TextQuoteSelector does (quote plus a little context).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Anchor {
    /// The version id the clause id refers to.
    pub version: String,
    /// Clause id in legal citation form (`2.2(b)`).
    pub clause: String,
    pub quote: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    /// Hash of the normalised clause text when anchored, to tell "changed since".
    pub clause_sha256: Option<String>,
    /// The first words of the clause when anchored: the evidence that finds a whole-clause
    /// thread again when the text under its version id was edited and the id now names
    /// another clause (see [`super::anchor::place`]).
    pub clause_start: Option<String>,
    pub extra: toml::Table,
}

/// One message in a thread.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// `c-` and hex digits, unique in its thread: what merges and edits refer to. A file
    /// written before comments had ids gets ids derived from each comment's author, time and
    /// text, so they are the same on every load until the file is saved with them.
    pub id: String,
    pub author: String,
    /// RFC 3339 time (`2025-05-14T07:09:00Z`), written as a TOML datetime.
    pub at: String,
    pub body: String,
    /// When its author last changed the text (RFC 3339), if ever.
    pub edited_at: Option<String>,
    /// The `Message-ID` of the mail it was imported from, so importing it again adds nothing.
    pub message_id: Option<String>,
    pub extra: toml::Table,
}

/// A change of a thread's status, verdict or criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub author: String,
    /// RFC 3339 time, written as a TOML datetime.
    pub at: String,
    /// `status`, `verdict` or `criteria`.
    pub field: String,
    /// The values before and after (criteria as a comma-separated list).
    pub from: String,
    pub to: String,
    pub extra: toml::Table,
}

impl Status {
    /// All values, in the order a picker shows them.
    pub const ALL: [Status; 2] = [Status::Open, Status::Resolved];

    /// The word used in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Resolved => "resolved",
        }
    }

    /// Parse the word used in the file.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl Verdict {
    /// All values, in the order a picker shows them.
    pub const ALL: [Verdict; 5] =
        [Verdict::Conforms, Verdict::Concern, Verdict::Conflict, Verdict::Question, Verdict::Note];

    /// The word used in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conforms => "conforms",
            Verdict::Concern => "concern",
            Verdict::Conflict => "conflict",
            Verdict::Question => "question",
            Verdict::Note => "note",
        }
    }

    /// Parse the word used in the file.
    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// All verdicts, worst first.
    pub const WORST_FIRST: [Verdict; 5] =
        [Verdict::Conflict, Verdict::Concern, Verdict::Question, Verdict::Conforms, Verdict::Note];

    /// Severity for "worst verdict": conflict > concern > question > conforms > note.
    pub fn severity(self) -> u8 {
        match self {
            Verdict::Conflict => 4,
            Verdict::Concern => 3,
            Verdict::Question => 2,
            Verdict::Conforms => 1,
            Verdict::Note => 0,
        }
    }

    /// The worse of two verdicts.
    pub fn worst(self, other: Verdict) -> Verdict {
        if other.severity() > self.severity() { other } else { self }
    }

    /// The key that picks it in the workbench's verdict picker: `c`onforms, c`o`ncern,
    /// con`f`lict, `q`uestion, `n`ote.
    pub fn key(self) -> char {
        match self {
            Verdict::Conforms => 'c',
            Verdict::Concern => 'o',
            Verdict::Conflict => 'f',
            Verdict::Question => 'q',
            Verdict::Note => 'n',
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Review {
    /// A new, empty review of `left` against `right`, to be saved at `path`.
    pub fn new(path: impl Into<PathBuf>, title: &str, left: Version, right: Version) -> Review {
        let compare =
            Compare { left: left.id.clone(), right: right.id.clone(), extra: toml::Table::new() };
        Review {
            path: path.into(),
            format: FORMAT.to_string(),
            title: title.to_string(),
            license: None,
            versions: vec![left, right],
            compare,
            threads: Vec::new(),
            extra: toml::Table::new(),
            origin: None,
        }
    }

    /// The folder version paths are relative to.
    pub fn base_dir(&self) -> &Path {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    }

    /// A version by id.
    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// A thread by id.
    pub fn thread(&self, id: &str) -> Option<&Thread> {
        self.threads.iter().find(|t| t.id == id)
    }

    /// A thread by id, for editing.
    pub fn thread_mut(&mut self, id: &str) -> Option<&mut Thread> {
        self.threads.iter_mut().find(|t| t.id == id)
    }

    /// A fresh thread id (`t-` + 6 random hex digits) not used in this review.
    pub fn new_thread_id(&self) -> String {
        loop {
            let id = format!("t-{:06x}", fastrand::u32(..0x100_0000));
            if self.thread(&id).is_none() {
                return id;
            }
        }
    }

    /// The version a thread's anchor names, if it has an anchor.
    pub fn anchored_version(&self, thread: &Thread) -> Option<&Version> {
        self.version(&thread.anchor.as_ref()?.version)
    }

    /// Load the text of a version, resolving its path against the review's folder; only
    /// what a review may name is read (see [`super::trust`]).
    pub fn load_version_text(&self, id: &str) -> Result<crate::text::Text, VersionTextError> {
        let version =
            self.version(id).ok_or_else(|| VersionTextError::UnknownVersion(id.to_string()))?;
        super::trust::load(&self.path, version).map_err(VersionTextError::Text)
    }
}

/// Why the text of a version could not be loaded.
#[derive(Debug)]
pub enum VersionTextError {
    UnknownVersion(String),
    Text(super::trust::TrustError),
}

impl std::fmt::Display for VersionTextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VersionTextError::UnknownVersion(id) => write!(f, "no version with id `{id}`"),
            VersionTextError::Text(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for VersionTextError {}

impl Version {
    /// A version with no hash yet.
    pub fn new(id: &str, path: &str) -> Version {
        Version {
            id: id.to_string(),
            path: path.to_string(),
            sha256: None,
            label: None,
            date: None,
            source: Source::default(),
            extra: toml::Table::new(),
        }
    }
}

impl Anchor {
    /// An anchor on a whole clause.
    pub fn clause(version: &str, clause: &str) -> Anchor {
        Anchor { version: version.to_string(), clause: clause.to_string(), ..Anchor::default() }
    }
}

impl Thread {
    /// A new open thread with a first comment; `anchor` is `None` for a review-level thread.
    pub fn new(
        id: String,
        verdict: Verdict,
        anchor: impl Into<Option<Anchor>>,
        first: Comment,
    ) -> Thread {
        Thread {
            id,
            status: Status::Open,
            verdict,
            criteria: Vec::new(),
            anchor: anchor.into(),
            comments: vec![first],
            events: Vec::new(),
            extra: toml::Table::new(),
        }
    }

    /// A comment by id.
    pub fn comment(&self, id: &str) -> Option<&Comment> {
        self.comments.iter().find(|c| c.id == id)
    }

    /// A fresh comment id (`c-` + 6 random hex digits) not used in this thread.
    pub fn new_comment_id(&self) -> String {
        loop {
            let id = format!("c-{:06x}", fastrand::u32(..0x100_0000));
            if self.comment(&id).is_none() {
                return id;
            }
        }
    }

    /// The version and clause the thread was written on, for messages (`submitted 2.2(b)`,
    /// or `the review` for a review-level thread).
    pub fn place(&self) -> String {
        match &self.anchor {
            Some(a) => format!("{} {}", a.version, a.clause),
            None => "the review".to_string(),
        }
    }
}

impl Comment {
    /// A comment by `author` written now, with a fresh random id (`c-` + 6 hex digits; a
    /// thread checks it is unique with [`Thread::new_comment_id`] when that matters).
    pub fn now(author: &str, body: &str) -> Comment {
        Comment {
            id: format!("c-{:06x}", fastrand::u32(..0x100_0000)),
            author: author.to_string(),
            at: now_rfc3339(),
            body: body.to_string(),
            edited_at: None,
            message_id: None,
            extra: toml::Table::new(),
        }
    }

    /// The id a comment without one gets: the same for the same author, time and text, so
    /// that two copies of a file written before ids existed agree on it (and merge by it).
    pub fn derived_id(&self) -> String {
        let mut h = String::with_capacity(self.author.len() + self.at.len() + self.body.len() + 2);
        for part in [&self.author, &self.at, &self.body] {
            h.push_str(part);
            h.push('\0');
        }
        let hex = crate::text::load::sha256_hex(h.as_bytes());
        format!("c-{}", &hex[..6])
    }

    /// The time as a timestamp, when it parses (it always does for loaded reviews).
    pub fn timestamp(&self) -> Option<jiff::Timestamp> {
        self.at.parse().ok()
    }
}

/// The current time in the form comments use: UTC, whole seconds (`2025-05-14T07:09:00Z`).
pub fn now_rfc3339() -> String {
    let now = jiff::Timestamp::now();
    let whole = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
    whole.to_string()
}

impl Event {
    /// A change of `field` by `author`, now.
    pub fn now(author: &str, field: &str, from: String, to: String) -> Event {
        Event {
            author: author.to_string(),
            at: now_rfc3339(),
            field: field.to_string(),
            from,
            to,
            extra: toml::Table::new(),
        }
    }
}

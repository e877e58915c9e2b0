//! Mail into a review, as one path for `lrw import` and the workbench's `:import`: read the
//! files, choose the version citations are read against, plan the threads
//! ([`crate::mail::plan`]), and build both the [`Change::Import`] the session saves and the
//! report of what happens. Both surfaces say the same because both print [`ImportReport`].

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use super::session::{Change, ChangeError, ImportedComment, ImportedThread, Session};
use crate::mail::{self, ExistingThread, PlanInput, SUMMARY_ID_PREFIX, ThreadTarget, sent_id};

/// What an import of mail will do: the change to save and the report to show.
#[derive(Debug, Clone)]
pub struct MailImport {
    /// The threads to start or continue: [`Change::Import`]'s.
    pub threads: Vec<ImportedThread>,
    pub report: ImportReport,
}

/// What an import read, added and where, and what it could not place (JSON contract of
/// `lrw import --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// The version citations were read against.
    pub version: String,
    pub messages: usize,
    pub comments_added: usize,
    pub already_imported: usize,
    pub threads: Vec<ThreadReport>,
    /// Notes on the files and on each message (what could not be read or placed).
    pub notes: Vec<String>,
    pub dry_run: bool,
    /// Comments the plan adds (saved or not).
    #[serde(skip)]
    pub planned: usize,
}

/// A thread an import starts or continues.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreadReport {
    /// The thread id (`null` for a new thread not saved, as with --dry-run).
    pub id: Option<String>,
    pub kind: ThreadKind,
    /// The clause it is anchored on; `None` for a thread about the review as a whole.
    pub clause: Option<String>,
    pub criteria: Vec<String>,
    pub comments: Vec<CommentReport>,
}

/// Whether a thread is new or an existing one continued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThreadKind {
    New,
    Existing,
}

/// One imported message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommentReport {
    pub author: String,
    pub at: String,
    pub message_id: String,
    pub cites: Vec<String>,
    /// Clauses it cites that the version does not have: not anchored anywhere.
    pub unresolved: Vec<String>,
    /// Recovered from a quote in a later message.
    pub recovered: bool,
}

/// What a line of the report is, so a screen can set it apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Messages read, against which version.
    Summary,
    /// A thread on a clause, or continued.
    Thread,
    /// A thread about the review as a whole: nothing in it named a clause of the version.
    Unplaced,
    /// A message, with what it cites that the version lacks.
    Comment,
    Note,
    /// What was written.
    Outcome,
}

/// Read `paths` (mail files or folders) and plan their import into `session`, citations
/// read against `version` (default: see [`version_for`]). Nothing is written. An error when
/// no message could be read, or the version is unknown.
pub fn plan_mail_import(
    session: &Session,
    paths: &[PathBuf],
    version: Option<&str>,
) -> Result<MailImport, String> {
    let mut mailbox = mail::load(paths);
    if mailbox.messages.is_empty() {
        let why = mailbox.notes.first().cloned().unwrap_or_else(|| "no message found".into());
        return Err(format!("nothing imported: {why}"));
    }
    // A summary lrw wrote of the whole review is not a comment of the discussion.
    let before = mailbox.messages.len();
    mailbox
        .messages
        .retain(|m| !m.message_id.as_deref().is_some_and(|id| id.starts_with(SUMMARY_ID_PREFIX)));
    if mailbox.messages.len() < before {
        mailbox
            .notes
            .push(format!("{} summary written by lrw left out", before - mailbox.messages.len()));
    }
    let version = match version {
        Some(v) => {
            session.text(v)?;
            v.to_string()
        }
        None => version_for(session, &mailbox.messages),
    };
    let text = session.text(&version)?.clone();
    let review = session.review();
    let mut comments = Vec::new();
    for t in &review.threads {
        for c in &t.comments {
            comments.push((c.message_id.as_deref(), c.author.as_str(), c.body.as_str()));
        }
    }
    let mut known = mail::known_ids(comments);
    for t in &review.threads {
        for c in &t.comments {
            known.insert(sent_id(&t.id, &c.id));
        }
    }
    let placements = session.placements(&version);
    let mut existing: HashMap<String, ExistingThread> = HashMap::new();
    for (t, p) in review.threads.iter().zip(placements.iter()) {
        for c in &t.comments {
            let ids = c.message_id.iter().cloned().chain([sent_id(&t.id, &c.id)]);
            for id in ids {
                existing.insert(
                    id,
                    ExistingThread { id: t.id.clone(), clause: p.clause().map(str::to_string) },
                );
            }
        }
    }
    let doc = text.doc();
    let input = PlanInput {
        version: mail::VersionText { id: &version, content: doc.content, tree: doc.tree },
        criteria: session.criteria(),
        known: &known,
        existing: &existing,
    };
    let plan = mail::plan(&mailbox.messages, &input);
    let now = super::now_rfc3339();
    let mut notes = mailbox.notes.clone();
    notes.extend(plan.notes.iter().cloned());
    let mut imported = Vec::new();
    let mut out_threads = Vec::new();
    for t in &plan.threads {
        let (existing, anchor, clause) = match &t.target {
            ThreadTarget::Existing { thread } => (Some(thread.clone()), None, None),
            ThreadTarget::New { anchor, clause } => {
                (None, anchor.as_deref().cloned(), clause.clone())
            }
        };
        let comments: Vec<ImportedComment> = t
            .comments
            .iter()
            .map(|c| ImportedComment {
                author: c.author.clone(),
                at: c.at.clone().unwrap_or_else(|| now.clone()),
                body: c.body.clone(),
                message_id: Some(c.message_id.clone()),
            })
            .collect();
        for c in t.comments.iter().filter(|c| c.at.is_none()) {
            notes.push(format!("{}: no date; imported with the time of the import", c.origin));
        }
        out_threads.push(ThreadReport {
            id: existing.clone(),
            kind: if existing.is_some() { ThreadKind::Existing } else { ThreadKind::New },
            clause: clause.clone(),
            criteria: t.criteria.clone(),
            comments: t
                .comments
                .iter()
                .map(|c| CommentReport {
                    author: c.author.clone(),
                    at: c.at.clone().unwrap_or_else(|| now.clone()),
                    message_id: c.message_id.clone(),
                    cites: c.cites.clone(),
                    unresolved: c.unresolved.clone(),
                    recovered: c.recovered,
                })
                .collect(),
        });
        imported.push(ImportedThread {
            existing,
            anchor,
            criteria: t.criteria.clone(),
            subject: t.subject.clone(),
            list: t.list.clone(),
            comments,
        });
    }
    let report = ImportReport {
        version,
        messages: plan.messages,
        comments_added: 0,
        already_imported: plan.already_imported.len(),
        threads: out_threads,
        notes,
        dry_run: false,
        planned: plan.comment_count(),
    };
    Ok(MailImport { threads: imported, report })
}

impl MailImport {
    /// The change that saves this import, and the report on it.
    pub fn into_change(self) -> (Change, ImportReport) {
        (Change::Import { threads: self.threads }, self.report)
    }

    /// Save the import into `session` as `author` (nothing is written when nothing is new)
    /// and return the report, new threads named.
    pub fn apply(self, session: &mut Session, author: &str) -> Result<ImportReport, ChangeError> {
        let mut report = self.report;
        if report.planned == 0 {
            return Ok(report);
        }
        let before = thread_ids(session);
        session.apply(Change::Import { threads: self.threads }, author)?;
        report.saved(&before, session);
        Ok(report)
    }
}

/// The ids of the threads of the session's review, to tell the new ones after an import.
pub fn thread_ids(session: &Session) -> Vec<String> {
    session.review().threads.iter().map(|t| t.id.clone()).collect()
}

impl ImportReport {
    /// The import was saved into `session`, whose threads were `before`: the comments count
    /// as added and the new threads get their ids, in plan order.
    pub fn saved(&mut self, before: &[String], session: &Session) {
        self.comments_added = self.planned;
        let mut new_ids =
            session.review().threads.iter().map(|t| &t.id).filter(|id| !before.contains(id));
        for t in self.threads.iter_mut().filter(|t| t.id.is_none()) {
            t.id = new_ids.next().cloned();
        }
    }

    /// The report for people, a line each (not yet made safe for a terminal).
    pub fn lines(&self) -> Vec<(LineKind, String)> {
        let mut out = vec![(
            LineKind::Summary,
            format!(
                "{} message{} read against version {}; {} already in the review",
                self.messages,
                if self.messages == 1 { "" } else { "s" },
                self.version,
                self.already_imported
            ),
        )];
        for t in &self.threads {
            let id = t.id.as_deref().unwrap_or("(new thread)");
            let (kind, place) = match (&t.clause, t.kind) {
                (_, ThreadKind::Existing) => (LineKind::Thread, "continued".to_string()),
                (Some(c), _) => (LineKind::Thread, format!("on {c}")),
                (None, _) => (LineKind::Unplaced, "about the review as a whole".to_string()),
            };
            let crit = if t.criteria.is_empty() {
                String::new()
            } else {
                format!(" [{}]", t.criteria.join(" "))
            };
            out.push((kind, format!("{id} {place}{crit}")));
            for c in &t.comments {
                let mut line = format!("  {} {}", c.at, c.author);
                if c.recovered {
                    line.push_str(" (from a quote)");
                }
                if !c.unresolved.is_empty() {
                    line.push_str(&format!(
                        "; cites {} which version {} does not have",
                        c.unresolved.join(", "),
                        self.version
                    ));
                }
                out.push((LineKind::Comment, line));
            }
        }
        for n in &self.notes {
            out.push((LineKind::Note, format!("note: {n}")));
        }
        out.push((LineKind::Outcome, self.outcome()));
        out
    }

    /// The last line: what was written.
    pub fn outcome(&self) -> String {
        if self.dry_run {
            format!("dry run: {} comments would be added; nothing written", self.planned)
        } else if self.planned == 0 {
            "nothing new to import; nothing written".to_string()
        } else {
            format!("{} comments added and saved", self.comments_added)
        }
    }

    /// The report as `lrw import` prints it (not yet made safe for a terminal).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (_, line) in self.lines() {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

/// The version a discussion is read against: the latest version dated on or before the
/// first message, else the right side of the comparison.
pub fn version_for(session: &Session, messages: &[mail::Message]) -> String {
    let review = session.review();
    let first =
        messages.iter().filter_map(|m| m.date.as_deref()).min().map(|d| &d[..d.len().min(10)]);
    let dated = review
        .versions
        .iter()
        .filter_map(|v| Some((v.date.as_deref()?, v)))
        .filter(|(d, _)| first.is_none_or(|f| *d <= f))
        .max_by_key(|(d, _)| *d);
    match dated {
        Some((_, v)) => v.id.clone(),
        None => review.compare.right.clone(),
    }
}

//! `lrw import REVIEW MAIL... [--version ID] [--dry-run]`: a mailing-list discussion becomes
//! review threads on the clauses it is about (see [`crate::mail`] for how messages are read,
//! threaded and anchored). The whole import is one atomic save; importing the same mail again
//! adds nothing.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::check::open_session;
use super::{CmdResult, Failure, TextOrJson, output};
use crate::mail::{self, ExistingThread, PlanInput, SUMMARY_ID_PREFIX, ThreadTarget, sent_id};
use crate::review::{Change, ImportedComment, ImportedThread, Session};

#[derive(Debug, clap::Args)]
#[command(after_help = "MAIL may be an .eml file, an mbox (mboxo or mboxrd), a Maildir folder, \
                        or a message saved as HTML or text; with only the newest message of a \
                        thread, the messages quoted in it are recovered too.\n\nExit status: 0 \
                        when the mail was read (messages that could not be placed are \
                        reported), 2 when nothing could be read or the review cannot be \
                        saved.")]
pub struct Args {
    /// The review file.
    pub review: PathBuf,
    /// Mail files or folders.
    #[arg(required = true)]
    pub mail: Vec<PathBuf>,
    /// Read clause citations against this version (default: the latest version dated
    /// before the first message, else the right side of the comparison).
    #[arg(long, value_name = "ID")]
    pub version: Option<String>,
    /// Report what would be imported; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(Serialize)]
struct Report {
    version: String,
    messages: usize,
    comments_added: usize,
    already_imported: usize,
    threads: Vec<ThreadOut>,
    notes: Vec<String>,
    dry_run: bool,
}

#[derive(Serialize)]
struct ThreadOut {
    /// The thread id (`null` for a new thread with --dry-run).
    id: Option<String>,
    /// `new` or `existing`.
    kind: &'static str,
    clause: Option<String>,
    criteria: Vec<String>,
    comments: Vec<CommentOut>,
}

#[derive(Serialize)]
struct CommentOut {
    author: String,
    at: String,
    message_id: String,
    cites: Vec<String>,
    unresolved: Vec<String>,
    recovered: bool,
}

pub fn run(args: &Args) -> CmdResult {
    let mut session = open_session(&args.review, None)?;
    let mut mailbox = mail::load(&args.mail);
    if mailbox.messages.is_empty() {
        let why = mailbox.notes.first().cloned().unwrap_or_else(|| "no message found".into());
        return Err(Failure::input(format!("nothing imported: {why}")));
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
    let version = match &args.version {
        Some(v) => {
            session.text(v).map_err(Failure::input)?;
            v.clone()
        }
        None => version_for(&session, &mailbox.messages),
    };
    let text = session.text(&version).map_err(Failure::input)?.clone();
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
    let now = crate::review::now_rfc3339();
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
        out_threads.push(ThreadOut {
            id: existing.clone(),
            kind: if existing.is_some() { "existing" } else { "new" },
            clause: clause.clone(),
            criteria: t.criteria.clone(),
            comments: t
                .comments
                .iter()
                .map(|c| CommentOut {
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
    let added: usize = plan.comment_count();
    if !args.dry_run && added > 0 {
        let before: Vec<String> = session.review().threads.iter().map(|t| t.id.clone()).collect();
        session
            .apply(Change::Import { threads: imported }, &super::open::author(None))
            .map_err(|e| Failure::input(e.to_string()))?;
        // Name the new threads in the report, in plan order.
        let mut new_ids =
            session.review().threads.iter().map(|t| &t.id).filter(|id| !before.contains(id));
        for t in out_threads.iter_mut().filter(|t| t.id.is_none()) {
            t.id = new_ids.next().cloned();
        }
    }
    let report = Report {
        version,
        messages: plan.messages,
        comments_added: if args.dry_run { 0 } else { added },
        already_imported: plan.already_imported.len(),
        threads: out_threads,
        notes,
        dry_run: args.dry_run,
    };
    print(args, &report, added)?;
    Ok(ExitCode::SUCCESS)
}

/// The version a discussion is read against: the latest version dated on or before the
/// first message, else the right side of the comparison.
fn version_for(session: &Session, messages: &[mail::Message]) -> String {
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

fn print(args: &Args, r: &Report, planned: usize) -> Result<(), Failure> {
    if args.format == TextOrJson::Json {
        return output::print(&(output::to_json(r) + "\n"));
    }
    let mut out = format!(
        "{} message{} read against version {}; {} already in the review\n",
        r.messages,
        if r.messages == 1 { "" } else { "s" },
        r.version,
        r.already_imported
    );
    for t in &r.threads {
        let id = t.id.as_deref().unwrap_or("(new thread)");
        let place = match (&t.clause, t.kind) {
            (_, "existing") => "continued".to_string(),
            (Some(c), _) => format!("on {c}"),
            (None, _) => "about the review as a whole".to_string(),
        };
        let crit = if t.criteria.is_empty() {
            String::new()
        } else {
            format!(" [{}]", t.criteria.join(" "))
        };
        out.push_str(&format!("{id} {place}{crit}\n"));
        for c in &t.comments {
            let mut line = format!("  {} {}", c.at, c.author);
            if c.recovered {
                line.push_str(" (from a quote)");
            }
            if !c.unresolved.is_empty() {
                line.push_str(&format!(
                    "; cites {} which version {} does not have",
                    c.unresolved.join(", "),
                    r.version
                ));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out.push_str(&if args.dry_run {
        format!("dry run: {planned} comments would be added; nothing written\n")
    } else if planned == 0 {
        "nothing new to import; nothing written\n".to_string()
    } else {
        format!("{} comments added and saved\n", r.comments_added)
    });
    output::print(&output::sanitize_for_terminal(&out))
}

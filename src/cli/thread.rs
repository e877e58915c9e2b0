//! `lrw thread add|reply|resolve|reopen|set|edit|delete|list`: every workbench action on
//! threads, for scripts. Each command is one [`Change`] the review session applies and saves
//! at once, exactly as the workbench does; bad input gets one line naming what is wrong,
//! exit status 2, and the file is left untouched.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::check::{ThreadPlace, open_session, place_lines};
use super::{CmdResult, Failure, TextOrJson, output};
use crate::review::{Change, Passage, Session, Status, Target, Verdict};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Start a thread on a clause (or a passage of it), or on the review as a whole.
    #[command(after_help = "Example:\n  lrw thread add reviews/x.toml --clause 2.2b \
                            --quote \"a collection of Output\" --verdict concern \
                            --criteria osd-6 --body \"A duty that runs with the output.\"")]
    Add(AddArgs),
    /// Reply to a thread.
    #[command(
        after_help = "Example:\n  lrw thread reply reviews/x.toml t-7f3a9c --body - < reply.txt"
    )]
    Reply(ReplyArgs),
    /// Mark a thread resolved.
    Resolve(StatusArgs),
    /// Open a resolved thread again.
    Reopen(StatusArgs),
    /// Set a thread's verdict or criteria.
    #[command(
        after_help = "Example:\n  lrw thread set reviews/x.toml t-7f3a9c --verdict conflict \
                            --criteria osd-6,osd-7"
    )]
    Set(SetArgs),
    /// Replace the text of one of your own comments.
    Edit(EditArgs),
    /// Delete one of your own comments while no reply follows it.
    Delete(DeleteArgs),
    /// List the threads with where each is placed.
    #[command(after_help = "Example:\n  lrw thread list reviews/x.toml --format json")]
    List(ListArgs),
}

/// Options every change takes.
#[derive(Debug, clap::Args)]
pub struct Who {
    /// Name written on the change. Default: `LRW_AUTHOR`, else git's `user.name`, else the
    /// login name.
    #[arg(long)]
    pub author: Option<String>,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The review file.
    pub review: PathBuf,
    /// The clause, in any usual spelling (`2.2(b)`, `2.2b`, `§ 2.2 (b)`, `¶3`). Without it
    /// the thread is about the review as a whole.
    #[arg(long)]
    pub clause: Option<String>,
    /// The version the clause id refers to (default: the right side of the comparison).
    #[arg(long, value_name = "ID")]
    pub version: Option<String>,
    /// A passage of the clause the thread is about (its words, as in the text).
    #[arg(long)]
    pub quote: Option<String>,
    /// The first comment; `-` reads it from standard input.
    #[arg(long)]
    pub body: String,
    /// conforms, concern, conflict, question or note (the default).
    #[arg(long, value_parser = parse_verdict, default_value = "note")]
    pub verdict: Verdict,
    /// Criteria ids, comma-separated (`osd-6,osd-7`).
    #[arg(long, value_delimiter = ',')]
    pub criteria: Vec<String>,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Debug, clap::Args)]
pub struct ReplyArgs {
    pub review: PathBuf,
    pub thread: String,
    /// The reply; `-` reads it from standard input.
    #[arg(long)]
    pub body: String,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    pub review: PathBuf,
    pub thread: String,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    pub review: PathBuf,
    pub thread: String,
    /// conforms, concern, conflict, question or note.
    #[arg(long, value_parser = parse_verdict)]
    pub verdict: Option<Verdict>,
    /// Criteria ids, comma-separated (replaces the thread's criteria; an empty value clears
    /// them).
    #[arg(long, value_delimiter = ',', num_args = 0..)]
    pub criteria: Option<Vec<String>>,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    pub review: PathBuf,
    pub thread: String,
    /// The comment id (`c-…`, as `lrw thread list` shows).
    pub comment: String,
    /// The new text; `-` reads it from standard input.
    #[arg(long)]
    pub body: String,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    pub review: PathBuf,
    pub thread: String,
    /// The comment id (`c-…`).
    pub comment: String,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    pub review: PathBuf,
    /// Place the threads on this version (default: each on its own version).
    #[arg(long, value_name = "ID")]
    pub version: Option<String>,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

fn parse_verdict(s: &str) -> Result<Verdict, String> {
    Verdict::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
        let all: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
        format!("unknown verdict {s:?}; expected one of {}", all.join(", "))
    })
}

/// A body from the command line, or from standard input for `-`.
fn body(arg: &str) -> Result<String, Failure> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| Failure::input(format!("cannot read the text from standard input: {e}")))?;
    Ok(s)
}

pub fn run(args: &Args) -> CmdResult {
    match &args.command {
        Command::Add(a) => {
            let mut session = open_session(&a.review, None)?;
            let target = match &a.clause {
                None if a.quote.is_some() => {
                    return Err(Failure::input("--quote needs --clause: a passage is in a clause"));
                }
                None => Target::Review,
                Some(clause) => Target::Clause {
                    version: a
                        .version
                        .clone()
                        .unwrap_or_else(|| session.review().compare.right.clone()),
                    clause: clause.clone(),
                    passage: a.quote.clone().map(Passage::Words),
                },
            };
            let change = Change::NewThread {
                target,
                body: body(&a.body)?,
                verdict: a.verdict,
                criteria: a.criteria.clone(),
                message_id: None,
            };
            apply(&mut session, change, &a.who, true)
        }
        Command::Reply(a) => {
            let mut session = open_session(&a.review, None)?;
            let change =
                Change::Reply { thread: a.thread.clone(), body: body(&a.body)?, message_id: None };
            apply(&mut session, change, &a.who, false)
        }
        Command::Resolve(a) | Command::Reopen(a) => {
            let status = if matches!(args.command, Command::Resolve(_)) {
                Status::Resolved
            } else {
                Status::Open
            };
            let mut session = open_session(&a.review, None)?;
            apply(
                &mut session,
                Change::SetStatus { thread: a.thread.clone(), status },
                &a.who,
                false,
            )
        }
        Command::Set(a) => {
            if a.verdict.is_none() && a.criteria.is_none() {
                return Err(Failure::input("nothing to set: give --verdict or --criteria"));
            }
            let mut session = open_session(&a.review, None)?;
            let mut changes = Vec::new();
            if let Some(verdict) = a.verdict {
                changes.push(Change::SetVerdict { thread: a.thread.clone(), verdict });
            }
            if let Some(c) = &a.criteria {
                let criteria = c.iter().filter(|c| !c.trim().is_empty()).cloned().collect();
                changes.push(Change::SetCriteria { thread: a.thread.clone(), criteria });
            }
            for change in changes {
                apply(&mut session, change, &a.who, false)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Edit(a) => {
            let mut session = open_session(&a.review, None)?;
            let change = Change::EditComment {
                thread: a.thread.clone(),
                comment: a.comment.clone(),
                body: body(&a.body)?,
            };
            apply(&mut session, change, &a.who, false)
        }
        Command::Delete(a) => {
            let mut session = open_session(&a.review, None)?;
            let change =
                Change::DeleteComment { thread: a.thread.clone(), comment: a.comment.clone() };
            apply(&mut session, change, &a.who, false)
        }
        Command::List(a) => list(a),
    }
}

/// What a change prints: the message (text), or the thread's id and anchor (JSON).
#[derive(Serialize)]
struct Done {
    id: Option<String>,
    comment: Option<String>,
    anchor: Option<AnchorOut>,
    message: String,
}

#[derive(Serialize)]
struct AnchorOut {
    version: String,
    clause: String,
}

fn apply(session: &mut Session, change: Change, who: &Who, print_id: bool) -> CmdResult {
    let author = super::open::author(who.author.as_deref());
    let done = session.apply(change, &author).map_err(|e| Failure::input(e.to_string()))?;
    let anchor = done.thread.as_ref().and_then(|id| session.review().thread(id)).and_then(|t| {
        t.anchor
            .as_ref()
            .map(|a| AnchorOut { version: a.version.clone(), clause: a.clause.clone() })
    });
    match who.format {
        TextOrJson::Json => {
            let out = Done {
                id: done.thread.clone(),
                comment: done.comment.clone(),
                anchor,
                message: done.message.clone(),
            };
            output::print(&(output::to_json(&out) + "\n"))?;
        }
        TextOrJson::Text => {
            // The new thread's id alone on stdout (for `id=$(lrw thread add ...)`); what
            // happened goes to stderr.
            if print_id && let Some(id) = &done.thread {
                output::print(&format!("{id}\n"))?;
            }
            eprintln!("lrw: {}", output::sanitize_for_terminal(&done.message));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One thread as `lrw thread list --format json` prints it.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    place: ThreadPlace,
    status: Status,
    verdict: Verdict,
    criteria: Vec<String>,
    quote: Option<String>,
    comments: Vec<ListedComment>,
}

#[derive(Serialize)]
struct ListedComment {
    id: String,
    author: String,
    at: String,
    edited_at: Option<String>,
    body: String,
}

#[derive(Serialize)]
struct List {
    threads: Vec<Listed>,
}

fn list(a: &ListArgs) -> CmdResult {
    let session = open_session(&a.review, None)?;
    let review = session.review();
    if let Some(v) = &a.version
        && review.version(v).is_none()
    {
        return Err(Failure::input(session.unknown_version(v)));
    }
    let mut listed = Vec::new();
    for t in &review.threads {
        let on = a
            .version
            .clone()
            .or_else(|| t.anchor.as_ref().map(|x| x.version.clone()))
            .unwrap_or_else(|| review.compare.right.clone());
        let Some(p) = session.placement(&t.id, &on) else { continue };
        listed.push(Listed {
            place: ThreadPlace::of(t, &p),
            status: t.status,
            verdict: t.verdict,
            criteria: t.criteria.clone(),
            quote: t.anchor.as_ref().and_then(|x| x.quote.clone()),
            comments: t
                .comments
                .iter()
                .map(|c| ListedComment {
                    id: c.id.clone(),
                    author: c.author.clone(),
                    at: c.at.clone(),
                    edited_at: c.edited_at.clone(),
                    body: c.body.clone(),
                })
                .collect(),
        });
    }
    match a.format {
        TextOrJson::Json => output::print(&(output::to_json(&List { threads: listed }) + "\n"))?,
        TextOrJson::Text => {
            let places: Vec<ThreadPlace> = listed.iter().map(|l| l.place.clone()).collect();
            let lines = place_lines(&places, false);
            let mut out = String::new();
            for (l, line) in listed.iter().zip(lines.lines()) {
                let crit = if l.criteria.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", l.criteria.join(" "))
                };
                out.push_str(&format!(
                    "{line}\n    {} {}{crit}, {} comment{}\n",
                    l.status.as_str(),
                    l.verdict.as_str(),
                    l.comments.len(),
                    if l.comments.len() == 1 { "" } else { "s" }
                ));
            }
            if listed.is_empty() {
                out.push_str("no threads\n");
            }
            output::print(&output::sanitize_for_terminal(&out))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

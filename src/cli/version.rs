//! `lrw version add|remove|set|accept|list`: the versions of a review, for scripts and the
//! workbench alike (each command is one session change, saved at once).

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::check::open_session;
use super::{CmdResult, Failure, TextOrJson, output};
use crate::review::Change;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add a version: a text file, a document (HTML, DOCX, ODT, PDF), spdx:ID or a URL.
    #[command(after_help = "A URL is fetched once and stored under texts/fetched/ with where \
                            and when it was fetched (lrw refresh fetches it again). A file \
                            outside the review's project is copied into texts/.\n\nExamples:\n  \
                            lrw version add reviews/x.toml texts/x/2.1.md --id revised \
                            --date 2025-12-05 --label \"Revised after the list\"\n  \
                            lrw version add reviews/x.toml https://example.org/license.html \
                            --id website")]
    Add(AddArgs),
    /// Remove a version no thread is anchored on and the comparison does not show.
    Remove(IdArgs),
    /// Name or date a version.
    Set(SetArgs),
    /// Record the text now in a version's file as what the review is about (after it was
    /// edited in place): its hash is recorded and the threads on it move to where they are
    /// placed in the new text.
    Accept(IdArgs),
    /// List the versions: id, path, date, label, and whether the file still is the text the
    /// review recorded.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    pub review: PathBuf,
    /// The text: a path (from the current folder), spdx:ID or an http(s) URL.
    pub text: String,
    /// The version's id (default: from the file name).
    #[arg(long)]
    pub id: Option<String>,
    /// When it was published or submitted (`2025-12-05`).
    #[arg(long)]
    pub date: Option<String>,
    /// A short human name.
    #[arg(long)]
    pub label: Option<String>,
    #[arg(long)]
    pub author: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct IdArgs {
    pub review: PathBuf,
    pub id: String,
    #[arg(long)]
    pub author: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    pub review: PathBuf,
    pub id: String,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub label: Option<String>,
    #[arg(long)]
    pub author: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    pub review: PathBuf,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

pub fn run(args: &Args) -> CmdResult {
    let (review, author, change) = match &args.command {
        Command::Add(a) => {
            let session = open_session(&a.review, None)?;
            let id = match &a.id {
                Some(id) => id.clone(),
                None => session.free_version_id(&a.text),
            };
            if session.review().version(&id).is_some() {
                return Err(Failure::input(format!("the review already has a version {id}")));
            }
            let (path, source) = if crate::text::fetch::is_url(&a.text) {
                let stored = crate::review::fetched::fetch_and_store(&a.review, &id, &a.text)
                    .map_err(Failure::input)?;
                (stored.path, stored.source)
            } else {
                let (path, origin) = session.path_for(&a.text).map_err(Failure::input)?;
                (path, crate::review::Source { origin, ..Default::default() })
            };
            let change = Change::AddVersion {
                id,
                path,
                label: a.label.clone(),
                date: a.date.clone(),
                source,
            };
            (&a.review, &a.author, change)
        }
        Command::Remove(a) => (&a.review, &a.author, Change::RemoveVersion { id: a.id.clone() }),
        Command::Accept(a) => (&a.review, &a.author, Change::AcceptText { id: a.id.clone() }),
        Command::Set(a) => {
            if a.date.is_none() && a.label.is_none() {
                return Err(Failure::input("nothing to set: give --date or --label"));
            }
            let change = Change::SetVersionInfo {
                id: a.id.clone(),
                label: a.label.clone(),
                date: a.date.clone(),
            };
            (&a.review, &a.author, change)
        }
        Command::List(a) => return list(a),
    };
    let mut session = open_session(review, None)?;
    if let Change::AcceptText { id } = &change {
        session.text(id).map_err(Failure::input)?;
        if !session.changed_versions().contains(&id.as_str()) {
            eprintln!("lrw: version {id}: its file is the text the review recorded; nothing to do");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let author = super::open::author(author.as_deref());
    let done = session.apply(change, &author).map_err(|e| Failure::input(e.to_string()))?;
    eprintln!("lrw: {}", output::sanitize_for_terminal(&done.message));
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Listed {
    id: String,
    path: String,
    date: Option<String>,
    label: Option<String>,
    sha256: Option<String>,
    /// `ok`, `changed` (the file is not the recorded text) or `unreadable`.
    file: &'static str,
    /// Threads written on it.
    threads: usize,
}

fn list(a: &ListArgs) -> CmdResult {
    let session = open_session(&a.review, None)?;
    let review = session.review();
    let versions: Vec<Listed> = review
        .versions
        .iter()
        .map(|v| Listed {
            id: v.id.clone(),
            path: v.path.clone(),
            date: v.date.clone(),
            label: v.label.clone(),
            sha256: v.sha256.clone(),
            file: match session.text(&v.id) {
                Ok(t) if t.changed => "changed",
                Ok(_) => "ok",
                Err(_) => "unreadable",
            },
            threads: review
                .threads
                .iter()
                .filter(|t| t.anchor.as_ref().is_some_and(|x| x.version == v.id))
                .count(),
        })
        .collect();
    match a.format {
        TextOrJson::Json => {
            #[derive(Serialize)]
            struct Out {
                versions: Vec<Listed>,
            }
            output::print(&(output::to_json(&Out { versions }) + "\n"))?
        }
        TextOrJson::Text => {
            let mut out = String::new();
            let (l, r) = (&review.compare.left, &review.compare.right);
            for v in &versions {
                let side = if &v.id == l {
                    " (left)"
                } else if &v.id == r {
                    " (right)"
                } else {
                    ""
                };
                let extra: Vec<String> =
                    v.date.iter().chain(v.label.iter()).map(|s| s.to_string()).collect();
                out.push_str(&format!(
                    "{}{side}  {}  {}  {} thread{}{}\n",
                    v.id,
                    v.path,
                    v.file,
                    v.threads,
                    if v.threads == 1 { "" } else { "s" },
                    if extra.is_empty() {
                        String::new()
                    } else {
                        format!("  {}", extra.join(", "))
                    }
                ));
            }
            output::print(&output::sanitize_for_terminal(&out))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

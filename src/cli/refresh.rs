//! `lrw refresh REVIEW [--version ID] [--dry-run]`: fetch the review's URL versions again;
//! when a page changed, add its new text as a new version (the old one stays), show it in the
//! comparison in the old one's place, and say what changed clause by clause and where the
//! threads now land. When nothing changed, say so and write nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::check::open_session;
use super::{CmdResult, Failure, TextOrJson, output};
use crate::diff::ClauseStatus;
use crate::review::fetched::{self, Refreshed};
use crate::review::{AnchorState, Change, Session};

#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 when every page was checked (changed or not), 2 when \
                        a page or the review cannot be read.")]
pub struct Args {
    /// The review file.
    pub review: PathBuf,
    /// Only this version (it must have been fetched from a URL).
    #[arg(long, value_name = "ID")]
    pub version: Option<String>,
    /// Fetch and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Name written on the change.
    #[arg(long)]
    pub author: Option<String>,
}

/// One URL version's refresh, as `--format json` prints it.
#[derive(Debug, Serialize)]
struct Outcome {
    version: String,
    url: String,
    /// `unchanged` or `changed`.
    status: &'static str,
    /// The version added for the new text (none when unchanged or with --dry-run).
    added: Option<String>,
    clauses: Vec<ClauseChange>,
    /// Threads placed on the new text, by state.
    threads: std::collections::BTreeMap<&'static str, usize>,
}

#[derive(Debug, Serialize)]
struct ClauseChange {
    left: Option<String>,
    right: Option<String>,
    status: ClauseStatus,
}

pub fn run(args: &Args) -> CmdResult {
    let mut session = open_session(&args.review, None)?;
    let review = session.review();
    let urls: Vec<_> = review
        .versions
        .iter()
        .filter(|v| args.version.as_ref().is_none_or(|id| *id == v.id))
        .cloned()
        .collect();
    if let Some(id) = &args.version {
        match urls.first() {
            None => return Err(Failure::input(session.unknown_version(id))),
            Some(v) if v.source.url.is_none() => {
                return Err(Failure::input(format!(
                    "version {id} was not fetched from a URL ({}); nothing to refresh",
                    v.path
                )));
            }
            _ => {}
        }
    }
    let urls: Vec<_> = urls.into_iter().filter(|v| v.source.url.is_some()).collect();
    if urls.is_empty() {
        eprintln!("lrw: no version of {} was fetched from a URL", args.review.display());
        return Ok(ExitCode::SUCCESS);
    }
    let author = super::open::author(args.author.as_deref());
    let mut outcomes = Vec::new();
    for v in urls {
        let url = v.source.url.clone().unwrap_or_default();
        let f = match fetched::refetch(&v).map_err(Failure::input)? {
            Refreshed::Unchanged => {
                outcomes.push(Outcome {
                    version: v.id.clone(),
                    url,
                    status: "unchanged",
                    added: None,
                    clauses: Vec::new(),
                    threads: Default::default(),
                });
                continue;
            }
            Refreshed::Changed(f) => f,
        };
        let date = f.fetched_at.get(..10).unwrap_or_default().to_string();
        let id = session.free_version_id(&fetched::dated_id(&v.id, &date));
        if args.dry_run {
            // Compared in memory: nothing is stored.
            let text = f.text().map_err(|e| Failure::input(e.to_string()))?;
            let old = session.text(&v.id).map_err(Failure::input)?;
            let tree = crate::text::ClauseTree::parse(&text.content);
            let pairs =
                crate::diff::align_content(&old.text.content, &old.tree, &text.content, &tree);
            let clauses = changes(&pairs, &old.tree, &tree);
            outcomes.push(Outcome {
                version: v.id.clone(),
                url,
                status: "changed",
                added: None,
                clauses,
                threads: Default::default(),
            });
            continue;
        }
        let stored = fetched::store(&session.review().path, &id, &f).map_err(Failure::input)?;
        let change = Change::AddVersion {
            id: id.clone(),
            path: stored.path,
            label: v.label.clone(),
            date: Some(date),
            source: stored.source,
        };
        apply(&mut session, change, &author)?;
        let compare = &session.review().compare;
        let (left, right) = (compare.left.clone(), compare.right.clone());
        if left == v.id || right == v.id {
            let (left, right) = if left == v.id { (id.clone(), right) } else { (left, id.clone()) };
            apply(&mut session, Change::SetCompare { left, right }, &author)?;
        }
        outcomes.push(summary(&session, &v.id, &id, url)?);
    }
    print(args, &outcomes)?;
    Ok(ExitCode::SUCCESS)
}

fn apply(session: &mut Session, change: Change, author: &str) -> Result<(), Failure> {
    session.apply(change, author).map_err(|e| Failure::input(e.to_string()))?;
    Ok(())
}

/// What changed from version `old` to the added `new`, and where the threads land on it.
fn summary(session: &Session, old: &str, new: &str, url: String) -> Result<Outcome, Failure> {
    let cmp = session.compare(old, new).map_err(Failure::input)?;
    let (a, b) =
        (session.text(old).map_err(Failure::input)?, session.text(new).map_err(Failure::input)?);
    let clauses = changes(&cmp.pairs, &a.tree, &b.tree);
    let mut threads = std::collections::BTreeMap::new();
    for p in session.placements(new).iter() {
        if p.state() != AnchorState::Unanchored {
            *threads.entry(p.state().as_str()).or_insert(0) += 1;
        }
    }
    Ok(Outcome {
        version: old.to_string(),
        url,
        status: "changed",
        added: Some(new.to_string()),
        clauses,
        threads,
    })
}

/// The clause pairs that are not unchanged, with their ids.
fn changes(
    pairs: &[crate::diff::ClausePair],
    lt: &crate::text::ClauseTree,
    rt: &crate::text::ClauseTree,
) -> Vec<ClauseChange> {
    pairs
        .iter()
        .filter(|p| p.status != ClauseStatus::Unchanged)
        .map(|p| ClauseChange {
            left: p.left.map(|i| lt.clauses[i].id.clone()),
            right: p.right.map(|j| rt.clauses[j].id.clone()),
            status: p.status,
        })
        .collect()
}

fn print(args: &Args, outcomes: &[Outcome]) -> Result<(), Failure> {
    if args.format == TextOrJson::Json {
        #[derive(Serialize)]
        struct Out<'a> {
            versions: &'a [Outcome],
            dry_run: bool,
        }
        return output::print(
            &(output::to_json(&Out { versions: outcomes, dry_run: args.dry_run }) + "\n"),
        );
    }
    let mut out = String::new();
    for o in outcomes {
        if o.status == "unchanged" {
            out.push_str(&format!("{}: {} unchanged; nothing written\n", o.version, o.url));
            continue;
        }
        match &o.added {
            Some(id) => {
                out.push_str(&format!("{}: {} changed; added as version {id}\n", o.version, o.url))
            }
            None => out.push_str(&format!(
                "{}: {} changed (dry run: nothing written)\n",
                o.version, o.url
            )),
        }
        if o.clauses.is_empty() {
            out.push_str("  no clause changed (only text outside the clauses)\n");
        }
        for c in &o.clauses {
            let ids = match (&c.left, &c.right) {
                (Some(l), Some(r)) if l == r => l.clone(),
                (Some(l), Some(r)) => format!("{l} -> {r}"),
                (Some(l), None) => l.clone(),
                (None, Some(r)) => r.clone(),
                (None, None) => String::new(),
            };
            out.push_str(&format!("  {:<10} {ids}\n", c.status.as_str()));
        }
        if !o.threads.is_empty() {
            let parts: Vec<String> = o.threads.iter().map(|(k, n)| format!("{n} {k}")).collect();
            out.push_str(&format!("  threads on the new text: {}\n", parts.join(", ")));
        }
    }
    output::print(&output::sanitize_for_terminal(&out))
}

//! `lrw check REVIEW [--format text|json] [--criteria DIR]`: validate a review file, the texts
//! it names, its criteria ids, and where every thread's anchor stands.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::{CmdResult, Failure, TextOrJson, output};
use crate::review::anchor::AnchorState;
use crate::review::{self, Review, ReviewError, Session};

#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 when there is no problem, 1 when there are problems \
                        (schema, a text missing or changed since it was added, an unknown \
                        criterion, an orphaned anchor), 2 when the review cannot be read.")]
pub struct Args {
    /// The review file.
    pub review: PathBuf,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// A folder of criteria sets (*.toml) replacing or adding to the shipped ones.
    #[arg(long, value_name = "DIR")]
    pub criteria: Option<PathBuf>,
}

/// One thread's place, as `check` and `reanchor` report it (JSON contract).
#[derive(Debug, Clone, Serialize)]
pub struct ThreadPlace {
    pub id: String,
    /// Where it was written; `None` (JSON null) for a review-level thread.
    pub from: Option<Place>,
    /// Where it is now; `None` (JSON null) when orphaned or review-level.
    pub to: Option<Place>,
    pub state: AnchorState,
    pub score: f64,
}

impl ThreadPlace {
    /// A thread and where the session placed it.
    pub fn of(thread: &review::Thread, placement: &review::Placement) -> ThreadPlace {
        let from = thread
            .anchor
            .as_ref()
            .map(|a| Place { version: a.version.clone(), clause: a.clause.clone() });
        let to = placement
            .clause()
            .map(|c| Place { version: placement.on.clone(), clause: c.to_string() });
        ThreadPlace {
            id: thread.id.clone(),
            from,
            to,
            state: placement.state(),
            score: placement.resolution.score,
        }
    }
}

/// A clause of a version.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub version: String,
    pub clause: String,
}

#[derive(Serialize)]
struct Report {
    threads: Vec<ThreadPlace>,
    problems: Vec<String>,
}

/// Problems found after loading a review, each prefixed with the file and the line it
/// concerns (`reviews/x.toml:42: ...`), as load errors are.
pub struct Problems<'a> {
    path: &'a std::path::Path,
    text: &'a str,
    /// Parsed from `text` at the first problem (a review without problems is parsed once).
    positions: Option<review::load::Positions<'a>>,
    pub list: Vec<String>,
}

impl<'a> Problems<'a> {
    /// No problems yet, for `review` (read from `path`).
    pub fn new(path: &'a std::path::Path, review: &'a Review) -> Problems<'a> {
        let text = review.origin.as_ref().map_or("", |o| o.text.as_str());
        Problems { path, text, positions: None, list: Vec::new() }
    }

    /// A problem with the `i`th table of `array` (`versions`, `threads`), at its `key`.
    pub fn at(&mut self, array: &str, i: usize, key: &str, message: String) {
        let text = self.text;
        let positions = self.positions.get_or_insert_with(|| review::load::Positions::new(text));
        self.list.push(match positions.line(array, i, key) {
            Some(line) => format!("{}:{line}: {message}", self.path.display()),
            None => message,
        });
    }

    /// The versions whose text cannot be read, and (with `hashes`) those whose file is no
    /// longer the one the review recorded.
    pub fn versions(&mut self, session: &Session, hashes: bool) {
        for (i, v) in session.review().versions.iter().enumerate() {
            match session.text(&v.id) {
                Err(e) => self.at("versions", i, "path", e),
                Ok(t) if hashes && t.changed => {
                    let recorded = v.sha256.as_deref().unwrap_or_default();
                    let message = format!(
                        "version {}: {} changed since it was added to the review (sha256 {} \
                         in the review, {} on disk); threads on it are placed by their words \
                         (`lrw version accept` records the new text)",
                        v.id,
                        v.path,
                        short(recorded),
                        short(&t.text.sha256)
                    );
                    self.at("versions", i, "sha256", message);
                }
                Ok(_) => {}
            }
        }
    }
}

fn short(h: &str) -> &str {
    &h[..h.len().min(12)]
}

/// Load a review as a session, or report why it cannot be read: schema problems with file,
/// line and column (exit 1 after printing them), anything else as an input error (exit 2).
pub fn open_session(
    path: &std::path::Path,
    criteria: Option<&std::path::Path>,
) -> Result<Session, Failure> {
    let sets = crate::criteria::load_sets(criteria).map_err(|e| Failure::input(e.to_string()))?;
    Session::open(path, sets).map_err(|e| Failure::input(e.to_string()))
}

pub fn run(args: &Args) -> CmdResult {
    let sets = crate::criteria::load_sets(args.criteria.as_deref())
        .map_err(|e| Failure::input(e.to_string()))?;
    let session = match Session::open(&args.review, sets) {
        Ok(s) => s,
        Err(ReviewError::Invalid { path, problems }) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("{}:{}:{}: {}", path.display(), p.line, p.column, p.message))
                .collect();
            emit(args.format, &args.review, 0, Vec::new(), lines)?;
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(Failure::input(e.to_string())),
    };
    let review = session.review();
    let mut problems = Problems::new(&args.review, review);
    problems.versions(&session, true);
    let mut threads = Vec::new();
    for (i, t) in review.threads.iter().enumerate() {
        for c in &t.criteria {
            if crate::criteria::find(session.criteria(), c).is_none() {
                let message = format!("thread {}: unknown criterion {c:?}", t.id);
                problems.at("threads", i, "criteria", message);
            }
        }
        let Some(a) = &t.anchor else {
            let placement = session.placement(&t.id, &review.compare.right);
            if let Some(p) = placement {
                threads.push(ThreadPlace::of(t, &p));
            }
            continue;
        };
        let Some(p) = session.placement(&t.id, &a.version) else { continue };
        let place = ThreadPlace::of(t, &p);
        match (p.state(), p.clause()) {
            (AnchorState::Orphaned, _) => {
                let message = match session.text(&a.version) {
                    Err(_) => format!(
                        "thread {}: clause {} cannot be placed: the text of version {} cannot \
                         be read (orphaned)",
                        t.id, a.clause, a.version
                    ),
                    Ok(v) if v.changed && v.tree.find(&a.clause).is_some() => format!(
                        "thread {}: version {} changed, and its clause {} is no longer the text \
                         the thread was written on; the thread's words are not found in the \
                         new text (orphaned)",
                        t.id, a.version, a.clause
                    ),
                    Ok(_) => format!(
                        "thread {}: clause {} is not in version {} (orphaned)",
                        t.id, a.clause, a.version
                    ),
                };
                problems.at("threads", i, "anchor", message);
            }
            (AnchorState::Moved, Some(now)) => {
                let message = format!(
                    "thread {}: written on {} {}, which is now {} {now} (the text changed \
                     since it was anchored; `lrw reanchor --to {} --write` records the new \
                     place)",
                    t.id, a.version, a.clause, a.version, a.version
                );
                problems.at("threads", i, "anchor", message);
            }
            _ => {}
        }
        threads.push(place);
    }
    let problems = problems.list;
    let failed = !problems.is_empty();
    emit(args.format, &args.review, review.versions.len(), threads, problems)?;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn emit(
    format: TextOrJson,
    path: &std::path::Path,
    versions: usize,
    threads: Vec<ThreadPlace>,
    problems: Vec<String>,
) -> Result<(), Failure> {
    match format {
        TextOrJson::Json => output::print(&(output::to_json(&Report { threads, problems }) + "\n")),
        TextOrJson::Text => {
            let mut out = String::new();
            if versions > 0 {
                out.push_str(&format!(
                    "{}: {} on {}\n",
                    path.display(),
                    count(threads.len(), "thread"),
                    count(versions, "version")
                ));
            }
            out.push_str(&place_lines(&threads, false));
            if problems.is_empty() {
                out.push_str("ok: no problems\n");
            } else {
                out.push_str(&format!("{}:\n", count(problems.len(), "problem")));
                for p in &problems {
                    out.push_str(&format!("  {p}\n"));
                }
            }
            output::print(&output::sanitize_for_terminal(&out))
        }
    }
}

/// `1 thread`, `2 threads`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// One line per thread: id, state, where the anchor was, and where it was found (when that
/// differs, or always with `always_to`), with the score.
pub fn place_lines(threads: &[ThreadPlace], always_to: bool) -> String {
    let from: Vec<String> = threads
        .iter()
        .map(|t| match &t.from {
            Some(p) => format!("{} {}", p.version, p.clause),
            None => "(the review)".to_string(),
        })
        .collect();
    let to: Vec<String> = threads
        .iter()
        .map(|t| match (&t.to, &t.from) {
            (None, None) => String::new(),
            (None, Some(_)) => "-> (not found)".to_string(),
            (Some(p), Some(f)) if !always_to && p.version == f.version && p.clause == f.clause => {
                String::new()
            }
            (Some(p), _) => format!("-> {} {}", p.version, p.clause),
        })
        .collect();
    let fw = from.iter().map(|f| f.chars().count()).max().unwrap_or(0);
    let tw = to.iter().map(|f| f.chars().count()).max().unwrap_or(0);
    let sw = threads.iter().map(|t| t.state.as_str().len()).max().unwrap_or(0).max(8);
    let mut out = String::new();
    for ((t, f), to) in threads.iter().zip(&from).zip(&to) {
        let line =
            format!("{}  {:<sw$}  {f:<fw$}  {to:<tw$}  {:.2}", t.id, t.state.as_str(), t.score);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

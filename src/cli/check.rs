//! `lrw check REVIEW [--format text|json] [--criteria DIR]`: validate a review file, the texts
//! it names, its criteria ids, and where every thread's anchor stands.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::{CmdResult, Failure, TextOrJson, output};
use crate::review::anchor::{self, AnchorState, Doc};
use crate::review::{self, Review, ReviewError};
use crate::text::{ClauseTree, Text};

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
    pub from: Place,
    /// `None` (JSON null) when orphaned.
    pub to: Option<Place>,
    pub state: AnchorState,
    pub score: f64,
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
}

/// Loaded texts of a review's versions with their clause trees, by version id.
pub struct Texts {
    pub texts: HashMap<String, (Text, ClauseTree)>,
}

impl Texts {
    /// Load every version's text; a text that cannot be loaded is reported and skipped.
    pub fn load(review: &Review, problems: &mut Problems, check_hashes: bool) -> Texts {
        let mut texts = HashMap::new();
        for (i, v) in review.versions.iter().enumerate() {
            match review.load_version_text(&v.id) {
                Ok(t) => {
                    if check_hashes
                        && let Some(h) = &v.sha256
                        && *h != t.sha256
                    {
                        let message = format!(
                            "version {}: {} changed since it was added to the review \
                             (sha256 {} in the review, {} on disk)",
                            v.id,
                            v.path,
                            short(h),
                            short(&t.sha256)
                        );
                        problems.at("versions", i, "sha256", message);
                    }
                    let tree = ClauseTree::parse(&t.content);
                    texts.insert(v.id.clone(), (t, tree));
                }
                Err(e) => problems.at("versions", i, "path", format!("version {}: {e}", v.id)),
            }
        }
        Texts { texts }
    }

    /// The text and tree of a version, if it loaded.
    pub fn doc(&self, id: &str) -> Option<Doc<'_>> {
        self.texts.get(id).map(|(t, tree)| Doc { content: &t.content, tree })
    }
}

fn short(h: &str) -> &str {
    &h[..h.len().min(12)]
}

pub fn run(args: &Args) -> CmdResult {
    let review = match review::load(&args.review) {
        Ok(r) => r,
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
    let sets = crate::criteria::load_sets(args.criteria.as_deref())
        .map_err(|e| Failure::input(e.to_string()))?;

    let mut problems = Problems::new(&args.review, &review);
    let texts = Texts::load(&review, &mut problems, true);
    let mut threads = Vec::new();
    for (i, t) in review.threads.iter().enumerate() {
        for c in &t.criteria {
            if crate::criteria::find(&sets, c).is_none() {
                let message = format!("thread {}: unknown criterion {c:?}", t.id);
                problems.at("threads", i, "criteria", message);
            }
        }
        let from = Place { version: t.anchor.version.clone(), clause: t.anchor.clause.clone() };
        let Some(doc) = texts.doc(&t.anchor.version) else {
            // The text is missing (already reported): the anchor cannot be placed.
            threads.push(ThreadPlace {
                id: t.id.clone(),
                from,
                to: None,
                state: AnchorState::Orphaned,
                score: 0.0,
            });
            continue;
        };
        let res = anchor::resolve_in_place(&t.anchor, &doc);
        if res.state == AnchorState::Orphaned {
            let message = format!(
                "thread {}: clause {} is not in version {} (orphaned)",
                t.id, t.anchor.clause, t.anchor.version
            );
            problems.at("threads", i, "anchor", message);
        }
        let to = res.clause.map(|clause| Place { version: t.anchor.version.clone(), clause });
        threads.push(ThreadPlace {
            id: t.id.clone(),
            from,
            to,
            state: res.state,
            score: res.score,
        });
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
    let from: Vec<String> =
        threads.iter().map(|t| format!("{} {}", t.from.version, t.from.clause)).collect();
    let to: Vec<String> = threads
        .iter()
        .map(|t| match &t.to {
            None => "-> (not found)".to_string(),
            Some(p) if !always_to && p.version == t.from.version && p.clause == t.from.clause => {
                String::new()
            }
            Some(p) => format!("-> {} {}", p.version, p.clause),
        })
        .collect();
    let fw = from.iter().map(|f| f.chars().count()).max().unwrap_or(0);
    let tw = to.iter().map(|f| f.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for ((t, f), to) in threads.iter().zip(&from).zip(&to) {
        let line =
            format!("{}  {:<8}  {f:<fw$}  {to:<tw$}  {:.2}", t.id, t.state.as_str(), t.score);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

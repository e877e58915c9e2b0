//! The review behind the workbench: loads texts and clause trees through the core, builds
//! [`Document`]s, applies changes and saves them at once through the review store.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::action::{Quote, ReviewChange};
use super::build::{QUICK_OPEN_BYTES, add_hidden_warnings, build_document, quick_document};
use super::doc::{
    AnchorView, ClauseRow, CommentView, CriterionView, Document, LicenseMatch, ThreadView,
};
use super::runtime::{RankJob, Workspace};
use crate::review::anchor::{Doc, Resolver, make_anchor};
use crate::review::{
    self, Anchor, AnchorState, Comment, Review, SaveOutcome, Status, Thread, Verdict, Version,
    resolve_in_place,
};
use crate::text::{ClauseTree, Text};

/// A loaded version: its text and clause tree.
struct Loaded {
    text: Text,
    tree: ClauseTree,
}

/// A review opened in the workbench.
pub struct ReviewWorkspace {
    pub review: Review,
    loaded: HashMap<String, Loaded>,
    criteria: Vec<CriterionView>,
    /// The outline of the last document built, so that threads can be placed after a save
    /// without comparing the texts again.
    outline: Vec<ClauseRow>,
}

impl ReviewWorkspace {
    /// Load the review at `path` and the criteria sets.
    pub fn open(path: &Path) -> Result<ReviewWorkspace, String> {
        let review = review::load(path).map_err(|e| e.to_string())?;
        let sets = crate::criteria::load_sets(None).map_err(|e| e.to_string())?;
        let criteria = sets
            .iter()
            .flat_map(|s| {
                s.criteria.iter().map(|c| CriterionView {
                    id: c.id.clone(),
                    set: s.title.clone(),
                    number: c.number.clone(),
                    title: c.title.clone(),
                })
            })
            .collect();
        Ok(ReviewWorkspace { review, loaded: HashMap::new(), criteria, outline: Vec::new() })
    }

    fn load(&mut self, id: &str) -> Result<&Loaded, String> {
        if !self.loaded.contains_key(id) {
            let text = self
                .review
                .load_version_text(id)
                .map_err(|e| format!("{}: version {id}: {e}", self.review.path.display()))?;
            let tree = ClauseTree::parse(&text.content);
            self.loaded.insert(id.to_string(), Loaded { text, tree });
        }
        Ok(&self.loaded[id])
    }

    /// The document for the review's own `[compare]` pair. Large texts get a provisional
    /// document (clauses paired by id) so the first frame comes quickly; the runtime asks
    /// for the full one right after drawing it.
    pub fn initial_document(&mut self) -> Result<Document, String> {
        let (l, r) = (self.review.compare.left.clone(), self.review.compare.right.clone());
        self.load(&l)?;
        self.load(&r)?;
        let size = self.loaded[&l].text.content.len() + self.loaded[&r].text.content.len();
        self.compare(&l, &r, true, size <= QUICK_OPEN_BYTES)
    }

    /// Threads as the workbench shows them, landed in the `left`/`right` comparison: an
    /// anchor on one of the two versions is resolved in place; one written on a third
    /// version is followed into the right version.
    fn thread_views(&mut self, left: &str, right: &str) -> Vec<ThreadView> {
        let mut versions: Vec<String> =
            self.review.threads.iter().map(|t| t.anchor.version.clone()).collect();
        versions.sort();
        versions.dedup();
        for v in versions.iter().chain([&right.to_string()]) {
            // A version that cannot be loaded leaves its threads orphaned (and shown).
            let _ = self.load(v);
        }
        let doc_of =
            |id: &str| self.loaded.get(id).map(|l| Doc { content: &l.text.content, tree: &l.tree });
        let by_id = |on_right: bool, id: &str| {
            self.outline.iter().position(|c| {
                let cid = if on_right { &c.right_id } else { &c.left_id };
                cid.as_deref() == Some(id)
            })
        };
        let mut resolvers: HashMap<String, Resolver> = HashMap::new();
        let mut views = Vec::with_capacity(self.review.threads.len());
        for t in &self.review.threads {
            let a = &t.anchor;
            let (clause, state) = if a.version == right || a.version == left {
                match doc_of(&a.version) {
                    Some(d) => {
                        let r = resolve_in_place(a, &d);
                        (r.clause.and_then(|id| by_id(a.version == right, &id)), r.state)
                    }
                    None => (None, AnchorState::Orphaned),
                }
            } else {
                match (doc_of(&a.version), doc_of(right)) {
                    (Some(from), Some(to)) => {
                        let r = resolvers
                            .entry(a.version.clone())
                            .or_insert_with(|| Resolver::new(&from, &to))
                            .resolve(a);
                        (r.clause.and_then(|id| by_id(true, &id)), r.state)
                    }
                    _ => (None, AnchorState::Orphaned),
                }
            };
            let anchor = match (clause, state) {
                (None, _) | (_, AnchorState::Orphaned) => AnchorView::Orphaned,
                (_, AnchorState::Exact) => AnchorView::Exact,
                (_, AnchorState::Moved) => AnchorView::Moved,
                (_, AnchorState::Changed) => AnchorView::Changed,
            };
            let clause = if anchor == AnchorView::Orphaned { None } else { clause };
            views.push(ThreadView {
                id: t.id.clone(),
                clause,
                version: a.version.clone(),
                anchored_clause: a.clause.clone(),
                anchor,
                open: t.status == Status::Open,
                verdict: t.verdict.as_str().to_string(),
                criteria: t.criteria.clone(),
                quote: a.quote.clone(),
                comments: t
                    .comments
                    .iter()
                    .map(|c| CommentView {
                        author: c.author.clone(),
                        at: c.at.clone(),
                        body: c.body.clone(),
                    })
                    .collect(),
            });
        }
        views
    }
}

impl ReviewWorkspace {
    fn compare(
        &mut self,
        left: &str,
        right: &str,
        normalized: bool,
        align: bool,
    ) -> Result<Document, String> {
        self.load(left)?;
        self.load(right)?;
        let (l, r) = (&self.loaded[left], &self.loaded[right]);
        let build = if align { build_document } else { quick_document };
        let mut doc = build(&l.text, &l.tree, &r.text, &r.tree, normalized);
        doc.title = self.review.title.clone();
        doc.versions = self.review.versions.iter().map(|v| v.id.clone()).collect();
        doc.left_version = left.to_string();
        doc.right_version = right.to_string();
        add_hidden_warnings(&mut doc, &l.text, &r.text);
        self.outline = doc.clauses.clone();
        doc.threads = self.thread_views(left, right);
        doc.count_threads();
        Ok(doc)
    }
}

impl Workspace for ReviewWorkspace {
    fn document(&mut self, left: &str, right: &str, normalized: bool) -> Result<Document, String> {
        self.compare(left, right, normalized, true)
    }

    fn apply(
        &mut self,
        change: &ReviewChange,
        author: &str,
        left: &str,
        right: &str,
    ) -> Result<(String, Vec<ThreadView>), String> {
        let before = self.review.clone();
        let what = match change {
            ReviewChange::NewThread { version, clause, quote, body } => {
                let v = self.load(version)?;
                let d = Doc { content: &v.text.content, tree: &v.tree };
                let anchor = match v.tree.find(clause) {
                    Some(ci) => make_anchor(
                        version,
                        &d,
                        ci,
                        quote.as_ref().and_then(|q| passage(&v.text.content, q)),
                    ),
                    None => {
                        let mut a = Anchor::clause(version, clause);
                        a.quote = quote.as_ref().map(|q| q.text.clone());
                        a
                    }
                };
                let id = self.review.new_thread_id();
                let thread =
                    Thread::new(id.clone(), Verdict::Note, anchor, Comment::now(author, body));
                self.review.threads.push(thread);
                format!(
                    "Thread {id} posted and saved (verdict: note); c sets criteria, v the verdict"
                )
            }
            ReviewChange::Reply { thread, body } => {
                let t = self.thread_mut(thread)?;
                t.comments.push(Comment::now(author, body));
                format!("Reply to {thread} posted and saved")
            }
            ReviewChange::SetStatus { thread, open } => {
                let t = self.thread_mut(thread)?;
                t.status = if *open { Status::Open } else { Status::Resolved };
                format!("{thread} {} and saved", if *open { "reopened" } else { "resolved" })
            }
            ReviewChange::SetVerdict { thread, verdict } => {
                let v =
                    Verdict::parse(verdict).ok_or_else(|| format!("unknown verdict {verdict}"))?;
                self.thread_mut(thread)?.verdict = v;
                format!("{thread}: verdict {verdict}, saved")
            }
            ReviewChange::SetCriteria { thread, criteria } => {
                self.thread_mut(thread)?.criteria = criteria.clone();
                format!("{thread}: criteria saved")
            }
            ReviewChange::AddVersion { id, path } => {
                if let Some(v) = self.version_with_path(path) {
                    return Err(format!("{path} is already version {} of the review", v.id));
                }
                if self.review.version(id).is_some() {
                    return Err(format!("the review already has a version {id}"));
                }
                let text = crate::text::load_relative(path, self.review.base_dir())
                    .map_err(|e| e.to_string())?;
                let mut v = Version::new(id, path);
                v.sha256 = Some(text.sha256);
                self.review.versions.push(v);
                if let Some(p) = review::validate(&self.review).into_iter().next() {
                    self.review = before;
                    return Err(format!("Not added: {p}"));
                }
                format!("{path} added as version {id} and saved")
            }
        };
        let message = match review::save(&mut self.review) {
            Ok(SaveOutcome::Merged { notes }) => {
                let extra = if notes.is_empty() {
                    String::new()
                } else {
                    format!(": {}", notes.join("; "))
                };
                format!("{what}; the file had changed on disk, merged{extra}")
            }
            Ok(SaveOutcome::CommentsMoved { count }) => {
                format!("{what}; {}", review::store::moved_note(count))
            }
            Ok(_) => what,
            Err(e) => {
                self.review = before;
                return Err(format!("Not saved: {e}"));
            }
        };
        Ok((message, self.thread_views(left, right)))
    }

    fn criteria(&self) -> Vec<CriterionView> {
        self.criteria.clone()
    }

    fn draft_path(&self) -> PathBuf {
        draft_path(&self.review.path)
    }

    /// Same report and bytes as `lrw export REVIEW --format F --version V -o PATH`, written to
    /// `NAME-summary.F` next to the review (replaced atomically).
    fn export(&mut self, format: &str, version: &str) -> Result<PathBuf, String> {
        let fmt = crate::export::Format::from_extension(format)
            .ok_or_else(|| format!("unknown summary format {format}"))?;
        let sets = crate::criteria::load_sets(None).map_err(|e| e.to_string())?;
        let opts = crate::export::BuildOptions {
            open_only: false,
            criteria_set: None,
            version: Some(version.to_string()),
            review_label: Some(self.review.path.display().to_string()),
        };
        let report = crate::export::Report::build(&self.review, &sets, &opts)?;
        let out = crate::export::render_file(&report, fmt);
        let stem = self.review.path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let path = self
            .review
            .path
            .with_file_name(format!("{}-summary.{format}", stem.unwrap_or_default()));
        crate::atomic::write(&path, out.as_bytes(), false)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        Ok(path)
    }

    /// [`crate::similarity::rank`] over the SPDX License List, as `lrw similar` ranks. The
    /// text is loaded here; the job takes a copy of it and of the versions' paths (so it
    /// names the versions as they were when `L` was pressed: only picking from a ranking adds
    /// one, and adding one twice is refused by [`Workspace::apply`]).
    fn closest_licenses(&mut self, version: &str, top: usize) -> Result<RankJob, String> {
        let text = self.load(version)?.text.clone();
        let versions = self.review.versions.clone();
        Ok(Box::new(move || {
            let opts = crate::similarity::RankOptions { top, osi_only: false };
            crate::similarity::rank(&text, &opts)
                .into_iter()
                .map(|m| {
                    let path = format!("{}{}", crate::text::load::SPDX_PREFIX, m.id);
                    LicenseMatch {
                        version: version_with_path(&versions, &path).map(|v| v.id.clone()),
                        id: m.id,
                        name: m.name,
                        score: m.score,
                        osi: m.osi,
                    }
                })
                .collect()
        }))
    }
}

impl ReviewWorkspace {
    fn thread_mut(&mut self, id: &str) -> Result<&mut Thread, String> {
        self.review.thread_mut(id).ok_or_else(|| format!("no thread {id} in the review"))
    }

    fn version_with_path(&self, path: &str) -> Option<&Version> {
        version_with_path(&self.review.versions, path)
    }
}

/// The version whose text is at `path`; `spdx:` ids compare without case, as SPDX ids do.
fn version_with_path<'a>(versions: &'a [Version], path: &str) -> Option<&'a Version> {
    let spdx = |p: &str| p.strip_prefix(crate::text::load::SPDX_PREFIX).map(str::to_string);
    versions.iter().find(|v| match (spdx(&v.path), spdx(path)) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(&b),
        _ => v.path == path,
    })
}

/// The byte range of a quote in `content`, if it is where it says it is.
fn passage(content: &str, q: &Quote) -> Option<std::ops::Range<usize>> {
    let line_start: usize =
        content.split('\n').take(q.line.checked_sub(1)?).map(|l| l.len() + 1).sum();
    let start = line_start + q.start;
    let end = start + q.text.len();
    (content.get(start..end)? == q.text).then_some(start..end)
}

/// The recovery file of a review: `reviews/.NAME.toml.draft`, next to it.
pub fn draft_path(review: &Path) -> PathBuf {
    let name = review.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    review.with_file_name(format!(".{name}.draft"))
}

//! The review behind the workbench: a [`Session`] (which owns placement, comparison and
//! changes) and what the screen needs of it as [`Document`]s and [`ThreadView`]s. No review
//! logic lives here: a change is a [`Change`] the session applies and saves.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::action::Action;
use super::action::{Quote, ReviewChange};
use super::build::{QUICK_OPEN_BYTES, add_hidden_warnings, build_document, quick_document};
use super::doc::{
    AnchorView, ClauseRow, CriterionView, Document, LicenseMatch, MatrixRowView, MatrixView,
    ThreadView, VersionView,
};
use super::glossary;
use super::runtime::{Job, RankJob, Workspace};
use crate::review::import::{ImportReport, MailImport, plan_mail_import, thread_ids};
use crate::review::session::version_with_path;
use crate::review::{
    AnchorState, Change, ChangeError, CompareOptions, Passage, Saved, Session, Status, Target,
    Verdict,
};

/// Where a save running off the UI thread leaves its result.
type SaveSlot = Arc<Mutex<Option<Result<Saved, ChangeError>>>>;

/// A review opened in the workbench.
pub struct ReviewWorkspace {
    session: Session,
    /// The change being saved, off the UI thread.
    saving: Option<SaveSlot>,
    criteria: Vec<CriterionView>,
    /// The outline of the last document built, so that threads can be placed after a save
    /// without building the document again.
    outline: Vec<ClauseRow>,
    /// The report of the mail import being saved, and the threads before it (to name the
    /// new ones); then the report of the one saved, until the runtime takes it.
    importing: Option<(ImportReport, Vec<String>)>,
    imported: Option<ImportReport>,
}

impl ReviewWorkspace {
    /// Load the review at `path` and the criteria sets.
    pub fn open(path: &Path) -> Result<ReviewWorkspace, String> {
        let sets = crate::criteria::load_sets(None).map_err(|e| e.to_string())?;
        let session = Session::open(path, sets).map_err(|e| e.to_string())?;
        let criteria = session
            .criteria()
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
        Ok(ReviewWorkspace {
            session,
            saving: None,
            criteria,
            outline: Vec::new(),
            importing: None,
            imported: None,
        })
    }

    /// The session the workbench shows.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The document for the review's own `[compare]` pair. Large texts get a provisional
    /// document (clauses paired by id) so the first frame comes quickly; the runtime asks
    /// for the full one right after drawing it.
    pub fn initial_document(&mut self) -> Result<Document, String> {
        let r = self.session.review();
        let (l, rt) = (r.compare.left.clone(), r.compare.right.clone());
        let size =
            self.session.text(&l)?.text.content.len() + self.session.text(&rt)?.text.content.len();
        self.compare(&l, &rt, CompareOptions::default(), size <= QUICK_OPEN_BYTES)
    }

    /// Threads as the workbench shows them in the `left`/`right` comparison, placed by the
    /// session: an anchor on the left version is placed there, every other one on the right
    /// version (followed there from the version it was written on).
    fn thread_views(&self, left: &str, right: &str, outline: &[ClauseRow]) -> Vec<ThreadView> {
        let on_right = self.session.placements(right);
        let on_left = self.session.placements(left);
        let by_id = |on_right: bool, id: &str| {
            outline.iter().position(|c| {
                let cid = if on_right { &c.right_id } else { &c.left_id };
                cid.as_deref() == Some(id)
            })
        };
        let review = self.session.review();
        let mut views = Vec::with_capacity(review.threads.len());
        for (k, t) in review.threads.iter().enumerate() {
            let left_side = t.anchor.as_ref().is_some_and(|a| a.version == left);
            let p = if left_side { &on_left[k] } else { &on_right[k] };
            let clause = p.clause().and_then(|id| by_id(!left_side, id));
            let anchor = match (clause, p.state()) {
                (_, AnchorState::Unanchored) => AnchorView::General,
                (None, _) | (_, AnchorState::Orphaned) => AnchorView::Orphaned,
                (_, AnchorState::Exact) => AnchorView::Exact,
                (_, AnchorState::Moved) => AnchorView::Moved,
                (_, AnchorState::Changed) => AnchorView::Changed,
            };
            let clause = if anchor == AnchorView::Orphaned { None } else { clause };
            views.push(ThreadView {
                id: t.id.clone(),
                clause,
                version: t.anchor.as_ref().map(|a| a.version.clone()).unwrap_or_default(),
                anchored_clause: t.anchor.as_ref().map(|a| a.clause.clone()).unwrap_or_default(),
                anchor,
                open: t.status == Status::Open,
                verdict: t.verdict.as_str().to_string(),
                criteria: t.criteria.clone(),
                quote: t.anchor.as_ref().and_then(|a| a.quote.clone()),
                comments: t.comments.clone(),
                events: t.events.clone(),
            });
        }
        views
    }

    fn compare(
        &mut self,
        left: &str,
        right: &str,
        options: CompareOptions,
        align: bool,
    ) -> Result<Document, String> {
        self.session.set_options(options);
        let normalized = options.normalize;
        let (l, r) = (self.session.text(left)?.clone(), self.session.text(right)?.clone());
        let mut doc = if align {
            let cmp = self.session.compare(left, right)?;
            let mut doc = build_document(&cmp, &l.text, &l.tree, &r.text, &r.tree, normalized);
            // Terms are no reason not to show the texts: without them, no glossary.
            if let Ok(terms) = self.session.terms(left, right) {
                let (lt, rt) = ((&*l.text.content, &l.tree), (&*r.text.content, &r.tree));
                doc.glossary = glossary::build(&doc, &cmp, &terms, lt, rt, &options.diff());
            }
            doc
        } else {
            quick_document(&l.text, &l.tree, &r.text, &r.tree, normalized)
        };
        doc.ignore_case = options.ignore_case && align;
        let review = self.session.review();
        doc.title = review.title.clone();
        doc.versions = review.versions.iter().map(|v| v.id.clone()).collect();
        doc.left_version = left.to_string();
        doc.right_version = right.to_string();
        add_hidden_warnings(&mut doc, &l.text, &r.text);
        for id in self.session.changed_versions() {
            if id == left || id == right {
                doc.warnings.push(format!(
                    "version {id}: its file changed since the review recorded it (A records \
                     the new text); threads on it are placed by their words"
                ));
            }
        }
        let path = &self.session.review().path;
        if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
            doc.warnings.push(format!(
                "{}: the review file is read-only: changes are not saved (make it writable, \
                 e.g. chmod u+w); what you write is kept as a draft",
                path.display()
            ));
        }
        doc.version_info = self.version_info();
        doc.threads = self.thread_views(left, right, &doc.clauses);
        doc.count_threads();
        self.outline = doc.clauses.clone();
        Ok(doc)
    }

    /// Every version of the review as the versions dialog lists it.
    fn version_info(&self) -> Vec<VersionView> {
        let review = self.session.review();
        review
            .versions
            .iter()
            .map(|v| {
                let text = self.session.text(&v.id);
                VersionView {
                    id: v.id.clone(),
                    label: v.label.clone(),
                    date: v.date.clone(),
                    path: v.path.clone(),
                    threads: review
                        .threads
                        .iter()
                        .filter(|t| t.anchor.as_ref().is_some_and(|a| a.version == v.id))
                        .count(),
                    changed: text.as_ref().is_ok_and(|t| t.changed),
                    unreadable: text.err(),
                    url: v.source.url.clone(),
                    fetched_at: v.source.fetched_at.clone(),
                }
            })
            .collect()
    }

    /// The clause pair of `doc` holding the clause the selection was on: `follow` names it
    /// by (version, clause id) on the versions compared before. A version still compared
    /// gives it at once (its clause is in one of the new pairs); otherwise it is followed
    /// through the clause pairs of its version with each version now compared.
    fn follow(&self, doc: &Document, follow: &[(String, String)]) -> Option<usize> {
        let on = |right: bool, id: &str| {
            doc.clauses.iter().position(|c| {
                let cid = if right { &c.right_id } else { &c.left_id };
                cid.as_deref() == Some(id)
            })
        };
        for (version, id) in follow {
            for (shown, right) in [(&doc.right_version, true), (&doc.left_version, false)] {
                if version == shown
                    && let Some(i) = on(right, id)
                {
                    return Some(i);
                }
            }
        }
        for (version, id) in follow {
            let Ok(from) = self.session.text(version) else { continue };
            let Some(k) = from.tree.clauses.iter().position(|c| &c.id == id) else { continue };
            for (shown, right) in [(&doc.right_version, true), (&doc.left_version, false)] {
                let (Ok(pairs), Ok(to)) =
                    (self.session.pairs(version, shown), self.session.text(shown))
                else {
                    continue;
                };
                let partner = pairs.iter().find(|p| p.left == Some(k)).and_then(|p| p.right);
                if let Some(i) = partner.and_then(|j| on(right, &to.tree.clauses[j].id)) {
                    return Some(i);
                }
            }
        }
        None
    }

    /// Read and plan the mail at `paths` (from the folder lrw was started in; `~/` is the
    /// home folder) as `lrw import` does. The user names them, as they name the command's
    /// arguments, so they may be anywhere; only files and folders are read (a FIFO or a
    /// device would hold the workbench up).
    fn plan_import(&self, paths: &[String]) -> Result<MailImport, String> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let mut read = Vec::new();
        for p in paths {
            let path = match (p.strip_prefix("~/"), &home) {
                (Some(rest), Some(h)) => h.join(rest),
                _ => PathBuf::from(p),
            };
            if let Ok(m) = std::fs::metadata(&path)
                && !m.is_file()
                && !m.is_dir()
            {
                return Err(format!(
                    "{p}: not a file or a folder: nothing imported (mail is read from files \
                     and Maildir folders)"
                ));
            }
            read.push(path);
        }
        plan_mail_import(&self.session, &read, None)
    }

    /// The session change a workbench change stands for, with the report of an import.
    fn change(&self, change: &ReviewChange) -> Result<(Change, Option<ImportReport>), String> {
        Ok((
            match change {
                ReviewChange::NewThread { version, clause, quote, body } => {
                    let text = self.session.text(version)?;
                    let passage = quote
                        .as_ref()
                        .and_then(|q| passage(&text.text.content, q))
                        .map(Passage::Range);
                    Change::NewThread {
                        target: Target::Clause {
                            version: version.clone(),
                            clause: clause.clone(),
                            passage,
                        },
                        body: body.clone(),
                        verdict: Verdict::Note,
                        criteria: Vec::new(),
                        message_id: None,
                    }
                }
                ReviewChange::Reply { thread, body } => {
                    Change::Reply { thread: thread.clone(), body: body.clone(), message_id: None }
                }
                ReviewChange::SetStatus { thread, open } => Change::SetStatus {
                    thread: thread.clone(),
                    status: if *open { Status::Open } else { Status::Resolved },
                },
                ReviewChange::SetVerdict { thread, verdict } => Change::SetVerdict {
                    thread: thread.clone(),
                    verdict: Verdict::parse(verdict)
                        .ok_or_else(|| format!("unknown verdict {verdict}"))?,
                },
                ReviewChange::SetCriteria { thread, criteria } => {
                    Change::SetCriteria { thread: thread.clone(), criteria: criteria.clone() }
                }
                ReviewChange::AddVersion { id, path } => Change::AddVersion {
                    id: id.clone(),
                    path: path.clone(),
                    label: None,
                    date: None,
                    source: Default::default(),
                },
                ReviewChange::EditComment { thread, comment, body } => Change::EditComment {
                    thread: thread.clone(),
                    comment: comment.clone(),
                    body: body.clone(),
                },
                ReviewChange::DeleteComment { thread, comment } => {
                    Change::DeleteComment { thread: thread.clone(), comment: comment.clone() }
                }
                ReviewChange::NewVersion { id, spec, label, date } => {
                    // A URL is fetched and stored in the project; an outside file copied in.
                    let (path, source) = if crate::text::fetch::is_url(spec) {
                        let review = self.session.review().path.clone();
                        let stored = crate::review::fetched::fetch_and_store(&review, id, spec)?;
                        (stored.path, stored.source)
                    } else {
                        let (path, origin) = self.session.path_for(spec)?;
                        (path, crate::review::Source { origin, ..Default::default() })
                    };
                    Change::AddVersion {
                        id: id.clone(),
                        path,
                        label: label.clone(),
                        date: date.clone(),
                        source,
                    }
                }
                ReviewChange::SetVersionInfo { id, label, date } => Change::SetVersionInfo {
                    id: id.clone(),
                    label: label.clone(),
                    date: date.clone(),
                },
                ReviewChange::RemoveVersion { id } => Change::RemoveVersion { id: id.clone() },
                ReviewChange::AcceptText { id } => Change::AcceptText { id: id.clone() },
                ReviewChange::Import { paths } => {
                    let (change, report) = self.plan_import(paths)?.into_change();
                    return Ok((change, Some(report)));
                }
            },
            None,
        ))
    }
}

impl Workspace for ReviewWorkspace {
    fn document(
        &mut self,
        left: &str,
        right: &str,
        options: CompareOptions,
        follow: &[(String, String)],
    ) -> Result<Document, String> {
        let mut doc = self.compare(left, right, options, true)?;
        doc.follow = self.follow(&doc, follow);
        Ok(doc)
    }

    /// The change is made and checked here ([`Session::prepare`]); the job saves it
    /// ([`crate::review::Prepared::save`]) and leaves the result for [`Self::finish_save`].
    fn begin_save(&mut self, change: &ReviewChange, author: &str) -> Result<Job, String> {
        let (change, import) = self.change(change)?;
        let prepared = self.session.prepare(change, author).map_err(|e| e.to_string())?;
        self.importing = import.map(|r| (r, thread_ids(&self.session)));
        let slot: SaveSlot = Arc::default();
        self.saving = Some(slot.clone());
        Ok(Box::new(move || {
            let saved = prepared.save();
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(saved);
            Action::SaveDone
        }))
    }

    /// [`Session::commit`] the save the job made.
    fn finish_save(
        &mut self,
        left: &str,
        right: &str,
    ) -> Result<(String, Vec<ThreadView>), String> {
        let slot = self.saving.take().ok_or("no change was being saved")?;
        let import = self.importing.take();
        let saved = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        let saved = saved.ok_or("the save did not finish")?.map_err(|e| e.to_string())?;
        let mut message = self.session.commit(saved).message;
        if let Some((mut report, before)) = import {
            if report.planned == 0 {
                message = "Nothing new to import: nothing written".into();
            } else {
                report.saved(&before, &self.session);
            }
            self.imported = Some(report);
        }
        Ok((message, self.thread_views(left, right, &self.outline)))
    }

    fn criteria(&self) -> Vec<CriterionView> {
        self.criteria.clone()
    }

    fn import_report(&mut self) -> Option<ImportReport> {
        self.imported.take()
    }

    fn review_path(&self) -> PathBuf {
        self.session.review().path.clone()
    }

    /// Same report and bytes as `lrw export REVIEW --format F --version V -o PATH`, written to
    /// `NAME-summary.F` next to the review (replaced atomically).
    fn export(&mut self, format: &str, version: &str) -> Result<PathBuf, String> {
        let fmt = crate::export::Format::from_extension(format)
            .ok_or_else(|| format!("unknown summary format {format}"))?;
        let review_path = self.session.review().path.clone();
        let opts = crate::export::BuildOptions {
            version: Some(version.to_string()),
            review_label: Some(review_path.display().to_string()),
            ..Default::default()
        };
        let report = crate::export::Report::build(&self.session, &opts)?;
        let out = crate::export::render_file(&report, fmt);
        let stem = review_path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let path =
            review_path.with_file_name(format!("{}-summary.{format}", stem.unwrap_or_default()));
        crate::atomic::write(&path, out.as_bytes(), false)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        Ok(path)
    }

    /// The matrix of [`crate::export::Report`], built as `lrw export --version V` builds it.
    fn matrix(&mut self, version: &str) -> Result<MatrixView, String> {
        let opts = crate::export::BuildOptions {
            version: Some(version.to_string()),
            ..Default::default()
        };
        let r = crate::export::Report::build(&self.session, &opts)?;
        Ok(MatrixView {
            version: version.to_string(),
            criteria: r.criteria_used.iter().map(|c| c.id.clone()).collect(),
            rows: r
                .matrix
                .iter()
                .map(|m| MatrixRowView {
                    clause: m.clause.clone(),
                    orphaned: m.orphaned,
                    cells: m.cells.clone(),
                    worst: m.worst,
                    open: m.open,
                    resolved: m.resolved,
                })
                .collect(),
            threads: r.counts.threads,
            open: r.counts.open,
            resolved: r.counts.resolved,
        })
    }

    /// [`crate::similarity::rank`] over the SPDX License List, as `lrw similar` ranks. The
    /// job takes a copy of the text and of the versions' paths (so it names the versions as
    /// they were when `L` was pressed: only picking from a ranking adds one, and adding one
    /// twice is refused by the session).
    fn closest_licenses(&mut self, version: &str, top: usize) -> Result<RankJob, String> {
        let text = self.session.text(version)?.text.clone();
        let versions = self.session.review().versions.clone();
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

/// The byte range of a quote in `content`, if it is where it says it is.
fn passage(content: &str, q: &Quote) -> Option<std::ops::Range<usize>> {
    let line_start: usize =
        content.split('\n').take(q.line.checked_sub(1)?).map(|l| l.len() + 1).sum();
    let start = line_start + q.start;
    let end = start + q.text.len();
    (content.get(start..end)? == q.text).then_some(start..end)
}

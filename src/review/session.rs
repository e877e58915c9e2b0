//! The review session: one review with all its versions loaded, and the one place where a
//! thread is placed, two versions are compared and a change is made and saved.
//!
//! Every surface is a view of a session: the workbench, `lrw check`, `reanchor`, `export`,
//! `thread` and `version`, and the importers. So a clause gets the same answer everywhere:
//!
//! - **placement**: [`Session::placements`] places every thread on a version by its evidence
//!   ([`super::anchor::Placer`]), following it through the clause alignment when it was
//!   written on another version;
//! - **comparison**: [`Session::compare`] pairs the clauses of two versions and diffs them
//!   word by word with one set of options ([`CompareOptions`]); the pairing, the rows, the
//!   statuses and the exported word changes all come from it;
//! - **changes**: [`Session::apply`] applies a typed [`Change`] to a copy of the review, saves
//!   it through the atomic, conflict-checked save, and only then makes it the session's
//!   review. A change that fails leaves the file and the session exactly as they were.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::anchor::{self, AnchorState, Doc, Placer, Resolution, Resolver};
use super::error::ReviewError;
use super::model::*;
use super::store::SaveOutcome;
use crate::criteria::CriteriaSet;
use crate::diff::terms::TermComparison;
use crate::diff::{self, ClausePair, Comparison, DiffOptions};
use crate::text::{ClauseTree, Text};

/// How two versions are compared: the same for the pairing, the rows, the statuses and the
/// exported word changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompareOptions {
    /// Fold line wrapping, white space, quote and dash variants (the default).
    pub normalize: bool,
    /// Fold case too.
    pub ignore_case: bool,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions { normalize: true, ignore_case: false }
    }
}

impl CompareOptions {
    /// The diff options these stand for, with a deadline suited to interactive use.
    pub fn diff(self) -> DiffOptions {
        DiffOptions {
            normalize: self.normalize,
            ignore_case: self.ignore_case,
            deadline: DIFF_DEADLINE,
        }
    }
}

/// Time a comparison may spend on word detail before it settles for line-level detail.
pub const DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_millis(1500);

/// A version's text as loaded, with its clause tree.
#[derive(Debug)]
pub struct VersionText {
    pub text: Text,
    pub tree: ClauseTree,
    /// The file is not the one the review recorded: its SHA-256 differs from the version's
    /// `sha256` (it was edited in place, or replaced).
    pub changed: bool,
}

impl VersionText {
    /// The text as anchors see it.
    pub fn doc(&self) -> Doc<'_> {
        Doc { content: &self.text.content, tree: &self.tree }
    }
}

/// Where a thread lands on one version.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub thread: String,
    /// The version it is placed on.
    pub on: String,
    pub resolution: Resolution,
}

impl Placement {
    pub fn state(&self) -> AnchorState {
        self.resolution.state
    }

    /// The clause id it landed on, when it was placed.
    pub fn clause(&self) -> Option<&str> {
        self.resolution.clause.as_deref().filter(|_| self.state().is_placed())
    }
}

/// Where a new thread goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A clause of a version, optionally a passage in it.
    Clause { version: String, clause: String, passage: Option<Passage> },
    /// The review as a whole.
    Review,
}

/// A passage of a clause that a new thread quotes.
#[derive(Debug, Clone, PartialEq)]
pub enum Passage {
    /// A byte range of the version's content (the workbench knows where the selection is).
    Range(Range<usize>),
    /// Words to find inside the clause (a script gives the quote's text).
    Words(String),
}

/// A change to the review: everything the workbench and the scripts can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    NewThread {
        target: Target,
        body: String,
        verdict: Verdict,
        criteria: Vec<String>,
        /// The `Message-ID` of the mail the first comment comes from.
        message_id: Option<String>,
    },
    Reply {
        thread: String,
        body: String,
        message_id: Option<String>,
    },
    SetStatus {
        thread: String,
        status: Status,
    },
    SetVerdict {
        thread: String,
        verdict: Verdict,
    },
    SetCriteria {
        thread: String,
        criteria: Vec<String>,
    },
    /// Replace the text of one's own comment.
    EditComment {
        thread: String,
        comment: String,
        body: String,
    },
    /// Remove one's own comment while no reply follows it (a thread of one comment goes with
    /// it).
    DeleteComment {
        thread: String,
        comment: String,
    },
    /// Add a version whose text is at `path` (relative to the review's folder, or `spdx:ID`).
    AddVersion {
        id: String,
        path: String,
        label: Option<String>,
        date: Option<String>,
        /// Where the text came from (a fetched URL, an outside file copied in).
        source: Source,
    },
    /// Remove a version no thread is anchored on and the comparison does not show.
    RemoveVersion {
        id: String,
    },
    /// Name or date a version.
    SetVersionInfo {
        id: String,
        label: Option<String>,
        date: Option<String>,
    },
    /// Show these two versions side by side.
    SetCompare {
        left: String,
        right: String,
    },
    /// Move the anchors of these threads to where they were placed on version `to` (as
    /// `lrw reanchor --write`); orphaned threads keep their anchor.
    Reanchor {
        to: String,
        threads: Vec<String>,
    },
    /// Record the file now under version `id` as what the review is about: its hash is
    /// recorded and every thread anchored there moves to where it was placed on the new text.
    AcceptText {
        id: String,
    },
    /// Threads and comments from elsewhere (a mailing list), in one save: each comment keeps
    /// its own author, time and message id.
    Import {
        threads: Vec<ImportedThread>,
    },
}

/// A thread to start or continue from imported messages.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedThread {
    /// `Some(id)`: add to that thread; `None`: a new thread on `anchor` (review-level when
    /// the anchor is `None`).
    pub existing: Option<String>,
    pub anchor: Option<Anchor>,
    pub criteria: Vec<String>,
    /// The mail subject and list address the thread came from (kept as the thread's
    /// `subject` and `list`, for a reply).
    pub subject: Option<String>,
    pub list: Option<String>,
    pub comments: Vec<ImportedComment>,
}

/// One imported comment.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedComment {
    pub author: String,
    /// RFC 3339.
    pub at: String,
    pub body: String,
    pub message_id: Option<String>,
}

/// What an applied change did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// For the user: what was done and how the save went.
    pub message: String,
    /// The thread made or changed, if any.
    pub thread: Option<String>,
    /// The comment made or changed, if any.
    pub comment: Option<String>,
    pub outcome: SaveOutcome,
}

/// A change made on a copy of the review and checked, not yet saved (see
/// [`Session::prepare`]).
#[derive(Debug)]
pub struct Prepared {
    /// The review with the change made; `None` when the change changes nothing.
    next: Option<Review>,
    done: Applied,
}

impl Prepared {
    /// Save the changed review through the atomic, conflict-checked save. Runs on any thread;
    /// [`Session::commit`] takes the result in. A failure leaves the file as it was.
    pub fn save(self) -> Result<Saved, ChangeError> {
        let Prepared { next, mut done } = self;
        let Some(mut next) = next else { return Ok(Saved { next: None, done }) };
        done.outcome = super::save(&mut next).map_err(ChangeError::Save)?;
        Ok(Saved { next: Some(next), done })
    }

    /// What the change does, as the user is told once it is saved.
    pub fn message(&self) -> &str {
        &self.done.message
    }
}

/// A prepared change, saved: for [`Session::commit`].
#[derive(Debug)]
pub struct Saved {
    next: Option<Review>,
    done: Applied,
}

/// Why a change was not made. Nothing was written.
#[derive(Debug)]
pub enum ChangeError {
    /// The change names something the review does not have, or is not allowed.
    Refused(String),
    /// The save failed.
    Save(ReviewError),
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::Refused(m) => f.write_str(m),
            ChangeError::Save(e) => write!(f, "not saved: {e}"),
        }
    }
}

impl std::error::Error for ChangeError {}

fn refused<T>(message: impl Into<String>) -> Result<T, ChangeError> {
    Err(ChangeError::Refused(message.into()))
}

/// Clause pairs of two versions, shared by the caches and their users.
type Pairs = Arc<Vec<ClausePair>>;

/// An open review and its versions; see the module documentation.
pub struct Session {
    review: Review,
    texts: HashMap<String, Result<Arc<VersionText>, String>>,
    options: CompareOptions,
    criteria: Vec<CriteriaSet>,
    /// Clause pairs of two versions (the alignment does not depend on the options).
    alignments: RefCell<HashMap<(String, String), Pairs>>,
    comparisons: RefCell<HashMap<(String, String, CompareOptions), Arc<Comparison>>>,
    terms: RefCell<HashMap<(String, String, CompareOptions), Arc<TermComparison>>>,
    placements: RefCell<HashMap<String, Arc<Vec<Placement>>>>,
}

impl Session {
    /// Open the review at `path`, with `criteria` the sets threads may be tagged from
    /// ([`crate::criteria::load_sets`]).
    pub fn open(path: &Path, criteria: Vec<CriteriaSet>) -> Result<Session, ReviewError> {
        Ok(Session::from_review(super::load(path)?, criteria))
    }

    /// A session on a review already in memory (its texts are loaded now).
    pub fn from_review(review: Review, criteria: Vec<CriteriaSet>) -> Session {
        let mut s = Session {
            review,
            texts: HashMap::new(),
            options: CompareOptions::default(),
            criteria,
            alignments: RefCell::default(),
            comparisons: RefCell::default(),
            terms: RefCell::default(),
            placements: RefCell::default(),
        };
        let ids: Vec<String> = s.review.versions.iter().map(|v| v.id.clone()).collect();
        for id in ids {
            s.load_text(&id);
        }
        s.keep_evidence();
        s
    }

    fn load_text(&mut self, id: &str) {
        let Some(v) = self.review.version(id) else { return };
        let loaded = super::trust::load(&self.review.path, v)
            .map(|text| {
                let changed =
                    v.sha256.as_ref().is_some_and(|h| !h.eq_ignore_ascii_case(&text.sha256));
                let tree = ClauseTree::parse(&text.content);
                Arc::new(VersionText { text, tree, changed })
            })
            .map_err(|e| e.to_string());
        self.texts.insert(id.to_string(), loaded);
    }

    /// Threads anchored before anchors kept their clause's first words get them now, from
    /// the text they were written on while it is still that text (the file and the clause
    /// are unchanged), else from any version whose file is unchanged and holds a clause with
    /// the same text (the hash says so). Saved with the next change.
    fn keep_evidence(&mut self) {
        let texts = &self.texts;
        let unchanged: Vec<&Arc<VersionText>> = self
            .review
            .versions
            .iter()
            .filter_map(|v| match texts.get(&v.id) {
                Some(Ok(t)) if !t.changed => Some(t),
                _ => None,
            })
            .collect();
        // Clause hashes of those versions, made only if some anchor needs them.
        let mut hashes: Option<Vec<Vec<String>>> = None;
        for t in &mut self.review.threads {
            let Some(a) = t.anchor.as_mut() else { continue };
            let Some(h) = a.clause_sha256.clone() else { continue };
            if a.clause_start.is_some() {
                continue;
            }
            if let Some(Ok(v)) = texts.get(&a.version)
                && !v.changed
            {
                let doc = v.doc();
                let r = anchor::resolve_in_place(a, &doc);
                if r.state == AnchorState::Exact
                    && let Some(i) = r.index
                {
                    a.clause_start = anchor::clause_start(&doc, i);
                    continue;
                }
            }
            let all = hashes.get_or_insert_with(|| {
                unchanged
                    .iter()
                    .map(|v| {
                        let doc = v.doc();
                        (0..v.tree.clauses.len()).map(|i| anchor::clause_hash(&doc, i)).collect()
                    })
                    .collect()
            });
            let found = unchanged.iter().zip(all.iter()).find_map(|(v, hs)| {
                let i = hs.iter().position(|x| *x == h)?;
                anchor::clause_start(&v.doc(), i)
            });
            a.clause_start = found;
        }
    }

    /// The review as it now stands (as last saved).
    pub fn review(&self) -> &Review {
        &self.review
    }

    /// The criteria sets threads are tagged from.
    pub fn criteria(&self) -> &[CriteriaSet] {
        &self.criteria
    }

    pub fn options(&self) -> CompareOptions {
        self.options
    }

    /// Compare with other options from now on (the workbench's `=` and case keys).
    pub fn set_options(&mut self, options: CompareOptions) {
        self.options = options;
    }

    /// The text of a version, or why it could not be read.
    pub fn text(&self, id: &str) -> Result<&Arc<VersionText>, String> {
        match self.texts.get(id) {
            Some(Ok(t)) => Ok(t),
            Some(Err(e)) => Err(e.clone()),
            None => Err(self.unknown_version(id)),
        }
    }

    /// "no version X (the review has: a, b)".
    pub fn unknown_version(&self, id: &str) -> String {
        let ids: Vec<&str> = self.review.versions.iter().map(|v| v.id.as_str()).collect();
        format!(
            "{}: no version with id `{id}` (the review has: {})",
            self.review.path.display(),
            ids.join(", ")
        )
    }

    /// Versions whose file is no longer the text the review recorded.
    pub fn changed_versions(&self) -> Vec<&str> {
        self.review
            .versions
            .iter()
            .filter(|v| matches!(self.texts.get(&v.id), Some(Ok(t)) if t.changed))
            .map(|v| v.id.as_str())
            .collect()
    }

    /// The clause pairs of versions `left` and `right` (indices into their clause trees):
    /// the alignment every view shows.
    pub fn pairs(&self, left: &str, right: &str) -> Result<Pairs, String> {
        let key = (left.to_string(), right.to_string());
        if let Some(p) = self.alignments.borrow().get(&key) {
            return Ok(p.clone());
        }
        let (l, r) = (self.text(left)?, self.text(right)?);
        let pairs =
            Arc::new(diff::align_content(&l.text.content, &l.tree, &r.text.content, &r.tree));
        self.alignments.borrow_mut().insert(key, pairs.clone());
        Ok(pairs)
    }

    /// Versions `left` and `right` compared clause by clause under the session's options.
    pub fn compare(&self, left: &str, right: &str) -> Result<Arc<Comparison>, String> {
        let key = (left.to_string(), right.to_string(), self.options);
        if let Some(c) = self.comparisons.borrow().get(&key) {
            return Ok(c.clone());
        }
        let pairs = self.pairs(left, right)?;
        let (l, r) = (self.text(left)?, self.text(right)?);
        let (ll, rl) = (diff::Lines::new(&l.text.content), diff::Lines::new(&r.text.content));
        let (ls, rs) = (diff::spans(&l.tree), diff::spans(&r.tree));
        let cmp = Arc::new(diff::compare_aligned(
            &ll,
            &ls,
            &rl,
            &rs,
            &self.options.diff(),
            pairs.as_ref().clone(),
        ));
        self.comparisons.borrow_mut().insert(key, cmp.clone());
        Ok(cmp)
    }

    /// The defined terms of versions `left` and `right` and which of them changed (under
    /// the session's options): what a clause whose own words are unchanged may now mean.
    pub fn terms(&self, left: &str, right: &str) -> Result<Arc<TermComparison>, String> {
        let key = (left.to_string(), right.to_string(), self.options);
        if let Some(t) = self.terms.borrow().get(&key) {
            return Ok(t.clone());
        }
        let (l, r) = (self.text(left)?, self.text(right)?);
        let terms = Arc::new(crate::diff::terms::compare(
            &l.text.content,
            &l.tree,
            &r.text.content,
            &r.tree,
            &self.options.diff(),
        ));
        self.terms.borrow_mut().insert(key, terms.clone());
        Ok(terms)
    }

    /// Every thread placed on version `on`, in review order.
    pub fn placements(&self, on: &str) -> Arc<Vec<Placement>> {
        if let Some(p) = self.placements.borrow().get(on) {
            return p.clone();
        }
        let placed = Arc::new(self.place_all(on));
        self.placements.borrow_mut().insert(on.to_string(), placed.clone());
        placed
    }

    /// Where thread `id` lands on version `on`.
    pub fn placement(&self, id: &str, on: &str) -> Option<Placement> {
        self.placements(on).iter().find(|p| p.thread == id).cloned()
    }

    fn place_all(&self, on: &str) -> Vec<Placement> {
        let Ok(target) = self.text(on) else {
            return self
                .review
                .threads
                .iter()
                .map(|t| Placement {
                    thread: t.id.clone(),
                    on: on.to_string(),
                    resolution: match t.anchor {
                        None => Resolution::unanchored(),
                        Some(_) => Resolution::orphaned(),
                    },
                })
                .collect();
        };
        let to = Placer::new(target.doc(), target.changed);
        // A placer and the clause pairs of every other version threads are written on (none
        // when its text is unreadable), then one resolver each: indexes are built once.
        let mut names: Vec<&str> = self
            .review
            .threads
            .iter()
            .filter_map(|t| t.anchor.as_ref().map(|a| a.version.as_str()))
            .filter(|v| *v != on)
            .collect();
        names.sort_unstable();
        names.dedup();
        let sources: Vec<Option<(Placer<'_>, Pairs)>> = names
            .iter()
            .map(|v| {
                let text = self.text(v).ok()?;
                let pairs = self.pairs(v, on).ok()?;
                Some((Placer::new(text.doc(), text.changed), pairs))
            })
            .collect();
        let resolvers: Vec<Option<Resolver<'_, '_>>> = sources
            .iter()
            .map(|s| s.as_ref().map(|(from, pairs)| Resolver::new(from, &to, pairs)))
            .collect();
        let mut out = Vec::with_capacity(self.review.threads.len());
        for t in &self.review.threads {
            let resolution = match &t.anchor {
                None => Resolution::unanchored(),
                Some(a) if a.version == on => to.place(a),
                Some(a) => {
                    let k = names.binary_search(&a.version.as_str()).ok();
                    match k.and_then(|k| resolvers[k].as_ref()) {
                        Some(r) => r.resolve(a),
                        // Its own text is unreadable: its words may still be found here.
                        None => {
                            let r = to.place(a);
                            if r.state == AnchorState::Exact {
                                Resolution { state: AnchorState::Changed, ..r }
                            } else {
                                r
                            }
                        }
                    }
                }
            };
            out.push(Placement { thread: t.id.clone(), on: on.to_string(), resolution });
        }
        out
    }

    /// Apply `change` as `author` and save at once. On any failure the file and the session
    /// are as they were. The same as [`Session::prepare`], [`Prepared::save`] and
    /// [`Session::commit`] in a row.
    pub fn apply(&mut self, change: Change, author: &str) -> Result<Applied, ChangeError> {
        let saved = self.prepare(change, author)?.save()?;
        Ok(self.commit(saved))
    }

    /// Make `change` as `author` on a copy of the review and check it, without saving: the
    /// save is [`Prepared::save`], which owns all it needs and may run on another thread (a
    /// large review takes a while to write), and [`Session::commit`] takes its result in.
    /// Until then the session is as it was; prepare one change at a time.
    pub fn prepare(&self, change: Change, author: &str) -> Result<Prepared, ChangeError> {
        let author = author.trim();
        if author.is_empty() {
            return refused("no author name: set --author, LRW_AUTHOR or git's user.name");
        }
        let mut next = self.review.clone();
        let mut done = self.change(&mut next, change, author)?;
        if next == self.review {
            done.outcome = SaveOutcome::Unchanged;
            return Ok(Prepared { next: None, done });
        }
        if let Some(p) = super::validate(&next).into_iter().next() {
            return refused(format!("not saved: {p}"));
        }
        Ok(Prepared { next: Some(next), done })
    }

    /// Take in a change [`Prepared::save`] saved: the saved review (merged with changes made
    /// on disk meanwhile, if any) becomes the session's.
    pub fn commit(&mut self, saved: Saved) -> Applied {
        let Saved { next, mut done } = saved;
        let Some(next) = next else { return done };
        let versions_changed = next.versions != self.review.versions;
        self.review = next;
        if versions_changed {
            self.reload_texts();
        }
        self.placements.borrow_mut().clear();
        done.message = match &done.outcome {
            SaveOutcome::Merged { notes } if notes.is_empty() => {
                format!("{}; the file had changed on disk, merged", done.message)
            }
            SaveOutcome::Merged { notes } => format!(
                "{}; the file had changed on disk, merged: {}",
                done.message,
                notes.join("; ")
            ),
            SaveOutcome::CommentsMoved { count } => {
                format!("{}; {}", done.message, super::store::moved_note(*count))
            }
            _ => done.message,
        };
        done
    }

    /// Texts of versions added, removed or re-hashed since they were loaded.
    fn reload_texts(&mut self) {
        let ids: Vec<String> = self.review.versions.iter().map(|v| v.id.clone()).collect();
        self.texts.retain(|id, _| ids.contains(id));
        for id in ids {
            let v = self.review.version(&id).cloned();
            let stale = match (self.texts.get(&id), &v) {
                (Some(Ok(t)), Some(v)) => {
                    t.changed
                        != v.sha256
                            .as_ref()
                            .is_some_and(|h| !h.eq_ignore_ascii_case(&t.text.sha256))
                }
                (Some(Err(_)), _) | (None, _) => true,
                _ => false,
            };
            if stale {
                self.load_text(&id);
            }
        }
        self.alignments.borrow_mut().clear();
        self.comparisons.borrow_mut().clear();
        self.terms.borrow_mut().clear();
    }

    fn change(&self, r: &mut Review, change: Change, author: &str) -> Result<Applied, ChangeError> {
        let applied = |message: String, thread: Option<&str>, comment: Option<&str>| Applied {
            message,
            thread: thread.map(str::to_string),
            comment: comment.map(str::to_string),
            outcome: SaveOutcome::Written,
        };
        Ok(match change {
            Change::NewThread { target, body, verdict, criteria, message_id } => {
                let body = clean_body(&body)?;
                let anchor = match target {
                    Target::Review => None,
                    Target::Clause { version, clause, passage } => {
                        Some(self.new_anchor(&version, &clause, passage)?)
                    }
                };
                self.check_criteria(&criteria)?;
                let id = r.new_thread_id();
                let mut first = Comment::now(author, &body);
                first.message_id = message_id;
                let mut thread = Thread::new(id.clone(), verdict, anchor, first);
                let cid = thread.new_comment_id();
                thread.comments[0].id = cid.clone();
                thread.criteria = criteria;
                let place = thread.place();
                r.threads.push(thread);
                applied(format!("thread {id} on {place} posted and saved"), Some(&id), Some(&cid))
            }
            Change::Reply { thread, body, message_id } => {
                let body = clean_body(&body)?;
                let t = thread_mut(r, &thread)?;
                let mut c = Comment::now(author, &body);
                c.id = t.new_comment_id();
                c.message_id = message_id;
                let cid = c.id.clone();
                t.comments.push(c);
                applied(format!("reply to {thread} posted and saved"), Some(&thread), Some(&cid))
            }
            Change::SetStatus { thread, status } => {
                let t = thread_mut(r, &thread)?;
                if t.status != status {
                    t.events.push(Event::now(
                        author,
                        "status",
                        t.status.to_string(),
                        status.to_string(),
                    ));
                    t.status = status;
                }
                let what = if status == Status::Open { "reopened" } else { "resolved" };
                applied(format!("{thread} {what} and saved"), Some(&thread), None)
            }
            Change::SetVerdict { thread, verdict } => {
                let t = thread_mut(r, &thread)?;
                if t.verdict != verdict {
                    t.events.push(Event::now(
                        author,
                        "verdict",
                        t.verdict.to_string(),
                        verdict.to_string(),
                    ));
                    t.verdict = verdict;
                }
                applied(format!("{thread}: verdict {verdict}, saved"), Some(&thread), None)
            }
            Change::SetCriteria { thread, criteria } => {
                self.check_criteria(&criteria)?;
                let t = thread_mut(r, &thread)?;
                if t.criteria != criteria {
                    t.events.push(Event::now(
                        author,
                        "criteria",
                        t.criteria.join(", "),
                        criteria.join(", "),
                    ));
                    t.criteria = criteria;
                }
                let list =
                    if t.criteria.is_empty() { "none".into() } else { t.criteria.join(", ") };
                applied(format!("{thread}: criteria {list}, saved"), Some(&thread), None)
            }
            Change::EditComment { thread, comment, body } => {
                let body = clean_body(&body)?;
                let t = thread_mut(r, &thread)?;
                let c = own_comment(t, &comment, author)?;
                if c.body != body {
                    c.body = body;
                    c.edited_at = Some(now_rfc3339());
                }
                applied(
                    format!("comment {comment} edited and saved"),
                    Some(&thread),
                    Some(&comment),
                )
            }
            Change::DeleteComment { thread, comment } => {
                let t = thread_mut(r, &thread)?;
                own_comment(t, &comment, author)?;
                if t.comments.last().is_some_and(|c| c.id != comment) {
                    return refused(format!(
                        "comment {comment} has replies after it; it can be edited, not deleted"
                    ));
                }
                t.comments.pop();
                if t.comments.is_empty() {
                    r.threads.retain(|t| t.id != thread);
                    applied(format!("thread {thread} deleted and saved"), None, None)
                } else {
                    applied(format!("comment {comment} deleted and saved"), Some(&thread), None)
                }
            }
            Change::AddVersion { id, path, label, date, source } => {
                if r.version(&id).is_some() {
                    return refused(format!("the review already has a version {id}"));
                }
                if let Some(v) = version_with_path(&r.versions, &path)
                    && !self.text(&v.id).is_ok_and(|t| t.changed)
                {
                    return refused(format!("{path} is already version {} of the review", v.id));
                }
                if let Some(d) = &date {
                    check_date(d)?;
                }
                let probe = Version::new(&id, &path);
                let text = super::trust::load(&r.path, &probe)
                    .map_err(|e| ChangeError::Refused(e.to_string()))?;
                let mut v = Version::new(&id, &path);
                v.sha256 = Some(text.sha256);
                v.label = label.filter(|l| !l.trim().is_empty());
                v.date = date;
                v.source = source;
                r.versions.push(v);
                applied(format!("{path} added as version {id} and saved"), None, None)
            }
            Change::RemoveVersion { id } => {
                if r.version(&id).is_none() {
                    return refused(self.unknown_version(&id));
                }
                let on: Vec<&str> = r
                    .threads
                    .iter()
                    .filter(|t| t.anchor.as_ref().is_some_and(|a| a.version == id))
                    .map(|t| t.id.as_str())
                    .collect();
                if !on.is_empty() {
                    return refused(format!(
                        "version {id} is not removed: {} thread{} anchored there ({}); move \
                         them first with `lrw reanchor --to OTHER --write`",
                        on.len(),
                        if on.len() == 1 { " is" } else { "s are" },
                        on.join(", ")
                    ));
                }
                if r.compare.left == id || r.compare.right == id {
                    return refused(format!(
                        "version {id} is not removed: it is compared ({} with {}); compare \
                         other versions first",
                        r.compare.left, r.compare.right
                    ));
                }
                r.versions.retain(|v| v.id != id);
                applied(format!("version {id} removed and saved"), None, None)
            }
            Change::SetVersionInfo { id, label, date } => {
                if let Some(d) = &date {
                    check_date(d)?;
                }
                let unknown = self.unknown_version(&id);
                let v = r.versions.iter_mut().find(|v| v.id == id);
                let Some(v) = v else { return refused(unknown) };
                if label.is_some() {
                    v.label = label.filter(|l| !l.trim().is_empty());
                }
                if date.is_some() {
                    v.date = date;
                }
                applied(format!("version {id} updated and saved"), None, None)
            }
            Change::SetCompare { left, right } => {
                for id in [&left, &right] {
                    if r.version(id).is_none() {
                        return refused(self.unknown_version(id));
                    }
                }
                r.compare.left = left.clone();
                r.compare.right = right.clone();
                applied(format!("comparing {left} with {right}, saved"), None, None)
            }
            Change::Reanchor { to, threads } => {
                let moved = self.reanchor(r, &to, &threads)?;
                applied(
                    format!("{moved} of {} threads now anchored in {to}", threads.len()),
                    None,
                    None,
                )
            }
            Change::Import { threads } => {
                let (mut started, mut added) = (0, 0);
                for it in threads {
                    let known: Vec<String> = self.criteria_known(&it.criteria);
                    let index = match &it.existing {
                        Some(id) => r
                            .threads
                            .iter()
                            .position(|t| &t.id == id)
                            .ok_or_else(|| ChangeError::Refused(format!("no thread {id}")))?,
                        None => {
                            if let Some(a) = &it.anchor
                                && r.version(&a.version).is_none()
                            {
                                return refused(self.unknown_version(&a.version));
                            }
                            let Some(first) = it.comments.first() else { continue };
                            let id = r.new_thread_id();
                            let mut t = Thread::new(
                                id,
                                Verdict::Note,
                                it.anchor.clone(),
                                Comment::now(&first.author, &first.body),
                            );
                            t.comments.clear();
                            for (key, value) in [("subject", &it.subject), ("list", &it.list)] {
                                if let Some(v) = value {
                                    t.extra.insert(key.to_string(), toml::Value::String(v.clone()));
                                }
                            }
                            r.threads.push(t);
                            started += 1;
                            r.threads.len() - 1
                        }
                    };
                    let t = &mut r.threads[index];
                    for c in &known {
                        if !t.criteria.contains(c) {
                            t.criteria.push(c.clone());
                        }
                    }
                    for ic in &it.comments {
                        let seen = ic.message_id.is_some()
                            && t.comments.iter().any(|c| c.message_id == ic.message_id);
                        if seen {
                            continue;
                        }
                        // A message with no words of its own adds nothing.
                        let Ok(body) = clean_body(&ic.body) else { continue };
                        let mut c = Comment::now(&ic.author, &body);
                        c.id = t.new_comment_id();
                        c.at = ic.at.clone();
                        c.message_id = ic.message_id.clone();
                        t.comments.push(c);
                        added += 1;
                    }
                    t.comments.sort_by_key(|c| c.timestamp());
                    if t.comments.is_empty() {
                        r.threads.remove(index);
                        started -= 1;
                    }
                }
                applied(
                    format!("imported {added} comments ({started} new threads) and saved"),
                    None,
                    None,
                )
            }
            Change::AcceptText { id } => {
                let text = self.text(&id).map_err(ChangeError::Refused)?.clone();
                let on: Vec<String> = r
                    .threads
                    .iter()
                    .filter(|t| t.anchor.as_ref().is_some_and(|a| a.version == id))
                    .map(|t| t.id.clone())
                    .collect();
                let moved = self.reanchor(r, &id, &on)?;
                let v = r.versions.iter_mut().find(|v| v.id == id);
                if let Some(v) = v {
                    v.sha256 = Some(text.text.sha256.clone());
                }
                applied(
                    format!(
                        "the text now at version {id} is recorded; {moved} of {} threads \
                         anchored on it",
                        on.len()
                    ),
                    None,
                    None,
                )
            }
        })
    }

    /// Move the anchors of `threads` to where they are placed on `to`; returns how many were
    /// placed (the orphaned ones keep their anchor).
    fn reanchor(&self, r: &mut Review, to: &str, threads: &[String]) -> Result<usize, ChangeError> {
        let text = self.text(to).map_err(ChangeError::Refused)?;
        let doc = text.doc();
        let placements = self.placements(to);
        let mut moved = 0;
        for id in threads {
            let Some(p) = placements.iter().find(|p| &p.thread == id) else {
                return refused(format!("no thread {id} in the review"));
            };
            let t = thread_mut(r, id)?;
            if let Some(a) = &t.anchor
                && p.state().is_placed()
            {
                t.anchor = Some(anchor::moved_anchor(a, &p.resolution, to, &doc));
                moved += 1;
            }
        }
        Ok(moved)
    }

    fn new_anchor(
        &self,
        version: &str,
        clause: &str,
        passage: Option<Passage>,
    ) -> Result<Anchor, ChangeError> {
        let text = self.text(version).map_err(ChangeError::Refused)?;
        let doc = text.doc();
        let Some(i) = text.tree.find(clause) else {
            let hint =
                if text.tree.paragraphs { " (its paragraphs are ¶1, ¶2, ...)" } else { "" };
            return refused(format!("version {version} has no clause {clause}{hint}"));
        };
        let range = match passage {
            None => None,
            Some(Passage::Range(r)) => {
                let ok = r.start < r.end
                    && doc.content.is_char_boundary(r.start)
                    && doc.content.is_char_boundary(r.end)
                    && r.end <= doc.content.len();
                if !ok {
                    return refused("the selected passage is not in the text");
                }
                Some(r)
            }
            Some(Passage::Words(q)) => {
                let body = text.tree.text(i, doc.content);
                let offset = body.as_ptr() as usize - doc.content.as_ptr() as usize;
                match anchor::find_quote(body, &q, None, None) {
                    Some((r, score)) if score >= 1.0 => Some(r.start + offset..r.end + offset),
                    _ => {
                        return refused(format!(
                            "the quote is not in clause {} of version {version}: {q:?}",
                            text.tree.clauses[i].id
                        ));
                    }
                }
            }
        };
        Ok(anchor::make_anchor(version, &doc, i, range))
    }

    /// The criteria of `criteria` that a loaded set defines (imported mail may name others).
    fn criteria_known(&self, criteria: &[String]) -> Vec<String> {
        criteria
            .iter()
            .filter(|c| crate::criteria::find(&self.criteria, c).is_some())
            .cloned()
            .collect()
    }

    fn check_criteria(&self, criteria: &[String]) -> Result<(), ChangeError> {
        for c in criteria {
            if crate::criteria::find(&self.criteria, c).is_none() {
                let sets: Vec<&str> = self.criteria.iter().map(|s| s.id.as_str()).collect();
                return refused(format!(
                    "unknown criterion {c:?} (criteria look like osd-6; sets: {})",
                    sets.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// A version id for a new version, from `wanted` (made unique with `-2`, `-3`, ...).
    pub fn free_version_id(&self, wanted: &str) -> String {
        let base = version_id_of(wanted);
        let base = if base.is_empty() { "version".to_string() } else { base };
        let mut id = base.clone();
        let mut n = 2;
        while self.review.version(&id).is_some() {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// How the review names a text the user named (a path from the current folder, or
    /// `spdx:ID`): relative to the review's folder; a file from outside the project is copied
    /// in first (the second value is where it came from). See [`super::trust::bring_in`].
    pub fn path_for(&self, spec: &str) -> Result<(String, Option<String>), String> {
        super::trust::bring_in(&self.review.path, spec)
    }
}

fn thread_mut<'r>(r: &'r mut Review, id: &str) -> Result<&'r mut Thread, ChangeError> {
    let path = r.path.display().to_string();
    match r.thread_mut(id) {
        Some(t) => Ok(t),
        None => refused(format!("{path}: no thread {id}")),
    }
}

fn own_comment<'t>(
    t: &'t mut Thread,
    id: &str,
    author: &str,
) -> Result<&'t mut Comment, ChangeError> {
    let thread = t.id.clone();
    let Some(c) = t.comments.iter_mut().find(|c| c.id == id) else {
        return refused(format!("thread {thread} has no comment {id}"));
    };
    if c.author != author {
        return refused(format!(
            "comment {id} was written by {}, not {author}: only its author changes it",
            c.author
        ));
    }
    Ok(c)
}

/// A comment's text as stored: line endings as `\n`, no trailing white space at the end;
/// an empty comment is refused.
fn clean_body(body: &str) -> Result<String, ChangeError> {
    let b = body.replace("\r\n", "\n").replace('\r', "\n");
    let b = b.trim_end().to_string();
    if b.trim().is_empty() {
        return refused("the comment is empty");
    }
    Ok(b)
}

fn check_date(d: &str) -> Result<(), ChangeError> {
    match d.parse::<jiff::civil::Date>() {
        Ok(_) => Ok(()),
        Err(_) => refused(format!("{d:?} is not a date like 2025-12-05")),
    }
}

/// The version whose text is at `path`; `spdx:` ids compare without case, as SPDX ids do.
pub fn version_with_path<'a>(versions: &'a [Version], path: &str) -> Option<&'a Version> {
    let spdx = |p: &str| p.strip_prefix(crate::text::load::SPDX_PREFIX).map(str::to_string);
    versions.iter().find(|v| match (spdx(&v.path), spdx(path)) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(&b),
        _ => v.path == path,
    })
}

/// A short version id from a text's name: its file stem (`2.0-website`), or the SPDX id.
pub fn version_id_of(spec: &str) -> String {
    let stem = match spec.strip_prefix(crate::text::load::SPDX_PREFIX) {
        Some(id) => id.to_string(),
        None => Path::new(spec)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_matches(['-', '.']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A review of two one-clause texts in a temporary folder.
    fn review() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "1. Grant\n\nYou may use it.\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), "1. Grant\n\nYou may use it freely.\n").unwrap();
        let path = dir.path().join("r.toml");
        let mut r = Review::new(&path, "R", Version::new("a", "a.txt"), Version::new("b", "b.txt"));
        super::super::save_new(&mut r).unwrap();
        (dir, path)
    }

    fn new_thread(body: &str) -> Change {
        Change::NewThread {
            target: Target::Clause { version: "b".into(), clause: "1".into(), passage: None },
            body: body.into(),
            verdict: Verdict::Note,
            criteria: vec![],
            message_id: None,
        }
    }

    /// The save of a prepared change runs on another thread; until it is committed the
    /// session is as it was; the file holds the change once saved.
    #[test]
    fn a_prepared_change_is_saved_elsewhere_then_committed() {
        fn sendable<T: Send + 'static>(_: &T) {}
        let (_dir, path) = review();
        let mut s = Session::open(&path, vec![]).unwrap();
        let p = s.prepare(new_thread("Off the UI thread."), "ana").unwrap();
        sendable(&p);
        assert!(p.message().starts_with("thread t-"), "{}", p.message());
        assert!(s.review().threads.is_empty(), "prepared, not yet the session's");
        let saved = std::thread::spawn(move || p.save()).join().unwrap().unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().contains("Off the UI thread."));
        assert!(s.review().threads.is_empty());
        let done = s.commit(saved);
        assert_eq!(done.outcome, SaveOutcome::Written);
        assert!(done.message.ends_with("posted and saved"), "{}", done.message);
        assert_eq!(s.review().threads.len(), 1);
        assert_eq!(s.placements("b").len(), 1, "placements follow the committed review");
        // A change that changes nothing is not written.
        let id = s.review().threads[0].id.clone();
        let same = Change::SetStatus { thread: id, status: Status::Open };
        let saved = s.prepare(same, "ana").unwrap().save().unwrap();
        assert_eq!(s.commit(saved).outcome, SaveOutcome::Unchanged);
    }
}

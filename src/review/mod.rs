//! Reviews: threads of comments attached to clauses of license versions, kept as TOML files
//! (format `lrw-review/1`) that diff and merge well in git.
//!
//! - [`load()`] reads and validates a file; every problem names file, line and column.
//! - [`to_toml`] writes our own stable layout: saving a change changes only its lines.
//! - [`save`] replaces the file atomically and merges with changes made on disk meanwhile;
//!   [`keep`] makes it keep the comments and layout a person wrote in the file.
//! - [`merge::merge`] is the three-way merge behind `lrw merge`, the git merge driver.
//! - [`anchor`] finds a thread's clause again, in its own version or in another one.
//! - [`Session`] is the application layer every command and the workbench go through: a
//!   review with its versions loaded, one placement, one comparison, typed changes.
//!
//! ```
//! use lrw::review::{self, Anchor, Comment, Thread, Verdict, Version};
//! let mut r = review::Review::new(
//!     "reviews/x.toml",
//!     "X: b vs a",
//!     Version::new("a", "../a.md"),
//!     Version::new("b", "../b.md"),
//! );
//! let id = r.new_thread_id();
//! let mut first = Comment::now("reviewer-a", "Looks fine.");
//! first.id = "c-000001".into();
//! first.at = "2025-05-14T07:09:00Z".into();
//! r.threads.push(Thread::new(id.clone(), Verdict::Conforms, Anchor::clause("b", "2.1"), first));
//! let text = review::to_toml(&r);
//! assert!(text.starts_with("format = \"lrw-review/1\"\ntitle = \"X: b vs a\"\n"));
//! assert!(text.contains("id = \"c-000001\"\nauthor = \"reviewer-a\"\n"));
//! assert!(text.contains("at = 2025-05-14T07:09:00Z\nbody = \"Looks fine.\"\n"));
//! let back = review::parse(&text, "reviews/x.toml".as_ref()).unwrap();
//! assert_eq!(back.threads[0].id, id);
//! assert_eq!(review::to_toml(&back), text);
//! ```

pub mod anchor;
pub mod error;
pub mod fetched;
pub mod import;
pub mod keep;
pub mod load;
pub mod merge;
pub mod model;
pub mod session;
pub mod store;
pub mod trust;
pub mod write;

pub use anchor::{AnchorState, Resolution, resolve_anchor, resolve_in_place};
pub use error::{Located, ReviewError};
pub use load::{load, parse};
pub use model::*;
pub use session::{
    Applied, Change, ChangeError, CompareOptions, ImportedComment, ImportedThread, Passage,
    Placement, Prepared, Saved, Session, Target, VersionText,
};
pub use store::{SaveOutcome, save, save_new};
pub use write::{Layout, to_toml};

use std::collections::HashSet;

/// Problems that would make the review unreadable or ambiguous once written; an empty list
/// means it can be saved. (The loader finds the same problems with their line and column.)
pub fn validate(review: &Review) -> Vec<String> {
    let mut problems = Vec::new();
    if review.format != FORMAT {
        problems.push(format!("format is {:?}; this lrw writes {FORMAT:?}", review.format));
    }
    let mut versions = HashSet::new();
    for v in &review.versions {
        if !load::is_plain_id(&v.id) {
            problems
                .push(format!("version id {:?} should be letters, digits, '-', '_' or '.'", v.id));
        }
        if !versions.insert(v.id.as_str()) {
            problems.push(format!("duplicate version id {:?}", v.id));
        }
        if v.path.trim().is_empty() {
            problems.push(format!("version {:?}: path is empty", v.id));
        }
        if v.sha256.as_deref().is_some_and(|h| !load::is_sha256(h)) {
            problems.push(format!("version {:?}: sha256 is not 64 hex digits", v.id));
        }
    }
    for (side, id) in [("left", &review.compare.left), ("right", &review.compare.right)] {
        if !versions.contains(id.as_str()) {
            problems.push(format!("compare.{side}: no version with id {id:?}"));
        }
    }
    let mut threads = HashSet::new();
    for t in &review.threads {
        if !load::is_plain_id(&t.id) {
            problems.push(format!("thread id {:?} should look like \"t-7f3a9c\"", t.id));
        }
        if !threads.insert(t.id.as_str()) {
            problems.push(format!("duplicate thread id {:?}", t.id));
        }
        if let Some(a) = &t.anchor {
            if !versions.contains(a.version.as_str()) {
                problems.push(format!("thread {}: anchor names no version {:?}", t.id, a.version));
            }
            if a.clause_sha256.as_deref().is_some_and(|h| !load::is_sha256(h)) {
                problems.push(format!("thread {}: clause_sha256 is not 64 hex digits", t.id));
            }
        }
        let mut comment_ids = HashSet::new();
        for c in &t.comments {
            if !load::is_plain_id(&c.id) {
                problems.push(format!("thread {}: comment id {:?} is not an id", t.id, c.id));
            }
            if !comment_ids.insert(c.id.as_str()) {
                problems.push(format!("thread {}: duplicate comment id {:?}", t.id, c.id));
            }
            if c.author.trim().is_empty() {
                problems.push(format!("thread {}: a comment has no author", t.id));
            }
            for time in std::iter::once(&c.at).chain(&c.edited_at) {
                if !is_time(time) {
                    problems.push(format!(
                        "thread {}: comment time {time:?} is not a date-time like \
                         2025-05-14T07:09:00Z",
                        t.id
                    ));
                }
            }
        }
        for e in &t.events {
            if !load::EVENT_FIELDS.contains(&e.field.as_str()) {
                problems.push(format!("thread {}: unknown event field {:?}", t.id, e.field));
            }
            if e.author.trim().is_empty() || !is_time(&e.at) {
                problems.push(format!("thread {}: an event needs an author and a time", t.id));
            }
        }
    }
    problems
}

/// A TOML date-time with date, time and offset, as comment and event times are written.
fn is_time(s: &str) -> bool {
    s.parse::<toml::value::Datetime>()
        .is_ok_and(|d| d.date.is_some() && d.time.is_some() && d.offset.is_some())
}

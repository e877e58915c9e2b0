//! Three-way merge of reviews, for saving over a changed file and for `lrw merge` (the git merge
//! driver). It never fails and never writes conflict markers:
//!
//! - threads: union by id (a thread is never dropped); comments: union by author, time and
//!   body, in time order;
//! - status and verdict: if both sides changed them differently, the later change wins (the
//!   side whose new comments are newest; ours on a tie) and a note is added to the thread;
//! - criteria: what either side added is kept, what either side removed is removed;
//! - everything else (title, versions, compare, anchors, unknown keys): a side that changed a
//!   value wins over one that did not; if both changed it differently, ours is kept and a note
//!   says so.

use std::collections::HashSet;

use super::model::*;

/// The merged review and what the merge had to decide.
#[derive(Debug, Clone)]
pub struct MergeResult {
    pub review: Review,
    /// One line per decision between two different changes, for the person merging.
    pub notes: Vec<String>,
}

/// Author name of the notes the merge adds to threads.
pub const MERGE_AUTHOR: &str = "lrw-merge";

/// Merge `ours` and `theirs`, both descended from `base`. The result keeps `ours`' path.
pub fn merge(base: &Review, ours: &Review, theirs: &Review) -> MergeResult {
    let mut notes = Vec::new();
    let mut r = ours.clone();
    r.format = pick(Some(&base.format), &ours.format, &theirs.format, "format", &mut notes);
    r.title = pick(Some(&base.title), &ours.title, &theirs.title, "title", &mut notes);
    r.license = pick(Some(&base.license), &ours.license, &theirs.license, "license", &mut notes);
    r.extra = merge_table(Some(&base.extra), &ours.extra, &theirs.extra, "", &mut notes);

    r.versions = Vec::new();
    for v in union_by(&ours.versions, &theirs.versions, |v| v.id.clone()) {
        let (o, t) =
            (find(&ours.versions, &v.id, |x| &x.id), find(&theirs.versions, &v.id, |x| &x.id));
        let b = find(&base.versions, &v.id, |x| &x.id);
        r.versions.push(match (o, t) {
            (Some(o), Some(t)) => {
                let what = format!("version {}", v.id);
                Version {
                    id: v.id.clone(),
                    path: pick(
                        b.map(|b| &b.path),
                        &o.path,
                        &t.path,
                        &format!("{what} path"),
                        &mut notes,
                    ),
                    sha256: pick(
                        b.map(|b| &b.sha256),
                        &o.sha256,
                        &t.sha256,
                        &format!("{what} sha256"),
                        &mut notes,
                    ),
                    extra: merge_table(b.map(|b| &b.extra), &o.extra, &t.extra, &what, &mut notes),
                }
            }
            _ => v.clone(),
        });
    }

    let bc = &base.compare;
    let (oc, tc) = (&ours.compare, &theirs.compare);
    r.compare = Compare {
        left: pick(Some(&bc.left), &oc.left, &tc.left, "compare.left", &mut notes),
        right: pick(Some(&bc.right), &oc.right, &tc.right, "compare.right", &mut notes),
        extra: merge_table(Some(&bc.extra), &oc.extra, &tc.extra, "compare", &mut notes),
    };

    r.threads = Vec::new();
    for th in union_by(&ours.threads, &theirs.threads, |t| t.id.clone()) {
        let o = find(&ours.threads, &th.id, |x| &x.id);
        let t = find(&theirs.threads, &th.id, |x| &x.id);
        let b = find(&base.threads, &th.id, |x| &x.id);
        r.threads.push(match (o, t) {
            (Some(o), Some(t)) => merge_thread(b, o, t, &mut notes),
            _ => th.clone(),
        });
    }
    MergeResult { review: r, notes }
}

fn merge_thread(b: Option<&Thread>, o: &Thread, t: &Thread, notes: &mut Vec<String>) -> Thread {
    let what = format!("thread {}", o.id);
    let mut comments = o.comments.clone();
    let have: HashSet<(String, String, String)> = o.comments.iter().map(comment_key).collect();
    for c in &t.comments {
        if !have.contains(&comment_key(c)) {
            comments.push(c.clone());
        }
    }
    // Stable: comments with the same (or an unreadable) time keep their order.
    comments.sort_by_key(|c| c.timestamp());

    let base_comments: HashSet<(String, String, String)> =
        b.map(|b| b.comments.iter().map(comment_key).collect()).unwrap_or_default();
    let newest = |th: &Thread| {
        th.comments
            .iter()
            .filter(|c| !base_comments.contains(&comment_key(c)))
            .filter_map(|c| c.timestamp())
            .max()
    };
    let (ours_newest, theirs_newest) = (newest(o), newest(t));
    let theirs_later = theirs_newest > ours_newest;
    let why = if theirs_newest == ours_newest {
        "ours: neither side added a comment that says which change came later"
    } else {
        "the later change, going by the newest comment of each side"
    };

    let mut decided = Vec::new();
    let sides = Sides { theirs_later, why };
    let status = later("status", b.map(|b| b.status), o.status, t.status, &sides, &mut decided);
    let verdict =
        later("verdict", b.map(|b| b.verdict), o.verdict, t.verdict, &sides, &mut decided);
    if !decided.is_empty() {
        let body = format!("Merged two changes made on different copies: {}.", decided.join("; "));
        notes.push(format!("{what}: {}", decided.join("; ")));
        comments.push(Comment::now(MERGE_AUTHOR, &body));
    }

    let mut criteria = Vec::new();
    let base_criteria: HashSet<&String> =
        b.map(|b| b.criteria.iter().collect()).unwrap_or_default();
    for c in o.criteria.iter().chain(&t.criteria) {
        let kept = if base_criteria.contains(c) {
            o.criteria.contains(c) && t.criteria.contains(c)
        } else {
            true
        };
        if kept && !criteria.contains(c) {
            criteria.push(c.clone());
        }
    }

    Thread {
        id: o.id.clone(),
        status,
        verdict,
        criteria,
        anchor: pick(b.map(|b| &b.anchor), &o.anchor, &t.anchor, &format!("{what} anchor"), notes),
        comments,
        extra: merge_table(b.map(|b| &b.extra), &o.extra, &t.extra, &what, notes),
    }
}

fn comment_key(c: &Comment) -> (String, String, String) {
    (c.author.clone(), c.at.clone(), c.body.clone())
}

/// Which side made the later change, and how that was told (for the note).
struct Sides {
    theirs_later: bool,
    why: &'static str,
}

/// Status or verdict: a one-sided change wins; two different changes go to the later side.
fn later<T: PartialEq + Copy + std::fmt::Display>(
    what: &str,
    base: Option<T>,
    ours: T,
    theirs: T,
    sides: &Sides,
    decided: &mut Vec<String>,
) -> T {
    if ours == theirs {
        ours
    } else if base == Some(ours) {
        theirs
    } else if base == Some(theirs) {
        ours
    } else {
        let (win, lose) = if sides.theirs_later { (theirs, ours) } else { (ours, theirs) };
        decided.push(format!(
            "{what} was set to {win} on one side and {lose} on the other; kept {win}, {}",
            sides.why
        ));
        win
    }
}

/// A one-sided change wins; when both sides changed a value differently, ours is kept.
fn pick<T: PartialEq + Clone>(
    base: Option<&T>,
    ours: &T,
    theirs: &T,
    what: &str,
    notes: &mut Vec<String>,
) -> T {
    if ours == theirs || base == Some(theirs) {
        ours.clone()
    } else if base == Some(ours) {
        theirs.clone()
    } else {
        notes.push(format!("{what} was changed differently on both sides; kept ours"));
        ours.clone()
    }
}

/// Unknown keys, merged key by key with [`pick`]; a key removed on one side and unchanged on
/// the other is removed.
fn merge_table(
    base: Option<&toml::Table>,
    ours: &toml::Table,
    theirs: &toml::Table,
    what: &str,
    notes: &mut Vec<String>,
) -> toml::Table {
    let mut out = toml::Table::new();
    let keys = ours.keys().chain(theirs.keys().filter(|k| !ours.contains_key(*k)));
    for k in keys {
        let b = base.map(|b| b.get(k));
        let label = if what.is_empty() { k.clone() } else { format!("{what} {k}") };
        let v = pick(b.as_ref(), &ours.get(k), &theirs.get(k), &label, notes);
        if let Some(v) = v {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

fn find<'a, T>(items: &'a [T], id: &str, key: impl Fn(&T) -> &String) -> Option<&'a T> {
    items.iter().find(|x| key(x) == id)
}

/// Ours in order, then what only theirs has, in their order.
fn union_by<'a, T>(ours: &'a [T], theirs: &'a [T], key: impl Fn(&T) -> String) -> Vec<&'a T> {
    let seen: HashSet<String> = ours.iter().map(&key).collect();
    ours.iter().chain(theirs.iter().filter(|t| !seen.contains(&key(t)))).collect()
}

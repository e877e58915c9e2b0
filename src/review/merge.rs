//! Three-way merge of reviews, for saving over a changed file and for `lrw merge` (the git merge
//! driver). It never fails and never writes conflict markers. Every record is merged three
//! ways by its id: a change made on one side only is applied, deletions and edits included.
//!
//! - threads (by id), comments (by id), versions (by id): one side added it: kept; one side
//!   deleted it and the other left it as it was: deleted; one side deleted it and the other
//!   changed it: kept, with a note (nothing written is lost to a deletion);
//! - a comment edited on both sides: the later edit (`edited_at`) wins, with a note;
//! - events: the union of both sides, in time order;
//! - status and verdict: if both sides changed them differently, the later change wins (by the
//!   newest event, else the newest comment, of each side; ours on a tie) and a note is added
//!   to the thread;
//! - criteria: what either side added is kept, what either side removed is removed;
//! - everything else (title, compare, anchors, unknown keys): a side that changed a value wins
//!   over one that did not; if both changed it differently, ours is kept and a note says so.

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

    let bc = &base.compare;
    let (oc, tc) = (&ours.compare, &theirs.compare);
    r.compare = Compare {
        left: pick(Some(&bc.left), &oc.left, &tc.left, "compare.left", &mut notes),
        right: pick(Some(&bc.right), &oc.right, &tc.right, "compare.right", &mut notes),
        extra: merge_table(Some(&bc.extra), &oc.extra, &tc.extra, "compare", &mut notes),
    };

    r.threads = merge_records(
        Records { base: &base.threads, ours: &ours.threads, theirs: &theirs.threads },
        |t| &t.id,
        merge_thread,
        |t| format!("thread {}", t.id),
        &mut notes,
    );

    // A version stays while a thread or the comparison still names it, even if one side
    // deleted it.
    let used: HashSet<&str> = r
        .threads
        .iter()
        .filter_map(|t| t.anchor.as_ref().map(|a| a.version.as_str()))
        .chain([r.compare.left.as_str(), r.compare.right.as_str()])
        .collect();
    let used: HashSet<String> = used.into_iter().map(str::to_string).collect();
    let mut versions = merge_records(
        Records { base: &base.versions, ours: &ours.versions, theirs: &theirs.versions },
        |v| &v.id,
        merge_version,
        |v| format!("version {}", v.id),
        &mut notes,
    );
    for v in ours.versions.iter().chain(&theirs.versions) {
        if used.contains(&v.id) && !versions.iter().any(|x| x.id == v.id) {
            notes.push(format!("version {} was removed on one side but is still used; kept", v.id));
            versions.push(v.clone());
        }
    }
    r.versions = versions;
    MergeResult { review: r, notes }
}

/// The three sides of a list of records.
struct Records<'a, T> {
    base: &'a [T],
    ours: &'a [T],
    theirs: &'a [T],
}

/// Merge lists of records by id: ours in order, then what only theirs added. See the module
/// documentation for additions and deletions.
fn merge_records<T: Clone + PartialEq>(
    sides: Records<'_, T>,
    id: impl Fn(&T) -> &String,
    both: impl Fn(Option<&T>, &T, &T, &mut Vec<String>) -> T,
    name: impl Fn(&T) -> String,
    notes: &mut Vec<String>,
) -> Vec<T> {
    let find = |items: &[T], key: &String| items.iter().find(|x| id(x) == key).cloned();
    let mut out = Vec::new();
    let ours_ids: HashSet<&String> = sides.ours.iter().map(&id).collect();
    let in_order =
        sides.ours.iter().chain(sides.theirs.iter().filter(|t| !ours_ids.contains(id(t))));
    for item in in_order {
        let key = id(item);
        let b = find(sides.base, key);
        match (find(sides.ours, key), find(sides.theirs, key)) {
            (Some(o), Some(t)) => out.push(both(b.as_ref(), &o, &t, notes)),
            (Some(one), None) | (None, Some(one)) => match b {
                // Added on one side.
                None => out.push(one),
                // Deleted on the other side, left as it was here: deleted.
                Some(b) if b == one => {}
                // Deleted there, changed here: kept, so no words are lost.
                Some(_) => {
                    notes.push(format!(
                        "{} was deleted on one side and changed on the other; kept",
                        name(&one)
                    ));
                    out.push(one);
                }
            },
            (None, None) => {}
        }
    }
    out
}

fn merge_version(
    b: Option<&Version>,
    o: &Version,
    t: &Version,
    notes: &mut Vec<String>,
) -> Version {
    let what = format!("version {}", o.id);
    let field = |name: &str| format!("{what} {name}");
    Version {
        id: o.id.clone(),
        path: pick(b.map(|b| &b.path), &o.path, &t.path, &field("path"), notes),
        sha256: pick(b.map(|b| &b.sha256), &o.sha256, &t.sha256, &field("sha256"), notes),
        label: pick(b.map(|b| &b.label), &o.label, &t.label, &field("label"), notes),
        date: pick(b.map(|b| &b.date), &o.date, &t.date, &field("date"), notes),
        source: pick(b.map(|b| &b.source), &o.source, &t.source, &field("source"), notes),
        extra: merge_table(b.map(|b| &b.extra), &o.extra, &t.extra, &what, notes),
    }
}

fn merge_comment(
    b: Option<&Comment>,
    o: &Comment,
    t: &Comment,
    notes: &mut Vec<String>,
) -> Comment {
    if o == t || b == Some(t) {
        return o.clone();
    }
    if b == Some(o) {
        return t.clone();
    }
    // Both sides changed it (its text, as only edits change a comment): the later edit wins.
    let theirs_later = t.edited_at.as_deref().and_then(|e| e.parse::<jiff::Timestamp>().ok())
        > o.edited_at.as_deref().and_then(|e| e.parse::<jiff::Timestamp>().ok());
    let (win, side) = if theirs_later { (t, "theirs") } else { (o, "ours") };
    notes.push(format!("comment {} was edited on both sides; kept the later edit ({side})", o.id));
    win.clone()
}

fn merge_thread(b: Option<&Thread>, o: &Thread, t: &Thread, notes: &mut Vec<String>) -> Thread {
    let what = format!("thread {}", o.id);
    let none: Vec<Comment> = Vec::new();
    let mut comments = merge_records(
        Records { base: b.map_or(&none, |b| &b.comments), ours: &o.comments, theirs: &t.comments },
        |c| &c.id,
        merge_comment,
        |c| format!("{what}: comment {}", c.id),
        notes,
    );
    // Stable: comments with the same (or an unreadable) time keep their order.
    comments.sort_by_key(|c| c.timestamp());

    let mut events = o.events.clone();
    for e in &t.events {
        if !events.contains(e) {
            events.push(e.clone());
        }
    }
    events.sort_by_key(|e| e.at.parse::<jiff::Timestamp>().ok());

    // Which side changed things later: its newest event, else its newest new comment.
    let base_comments: HashSet<&String> =
        b.map(|b| b.comments.iter().map(|c| &c.id).collect()).unwrap_or_default();
    let base_events: Vec<&Event> = b.map(|b| b.events.iter().collect()).unwrap_or_default();
    let newest = |th: &Thread| {
        let event = th
            .events
            .iter()
            .filter(|e| !base_events.contains(e))
            .filter_map(|e| e.at.parse::<jiff::Timestamp>().ok())
            .max();
        let comment = th
            .comments
            .iter()
            .filter(|c| !base_comments.contains(&c.id))
            .filter_map(|c| c.timestamp())
            .max();
        event.max(comment)
    };
    let (ours_newest, theirs_newest) = (newest(o), newest(t));
    let theirs_later = theirs_newest > ours_newest;
    let why = if theirs_newest == ours_newest {
        "ours: neither side recorded a change or comment that says which came later"
    } else {
        "the later change, going by the newest change or comment of each side"
    };

    let mut decided = Vec::new();
    let sides = Sides { theirs_later, why };
    let status = later("status", b.map(|b| b.status), o.status, t.status, &sides, &mut decided);
    let verdict =
        later("verdict", b.map(|b| b.verdict), o.verdict, t.verdict, &sides, &mut decided);
    if !decided.is_empty() {
        let body = format!("Merged two changes made on different copies: {}.", decided.join("; "));
        notes.push(format!("{what}: {}", decided.join("; ")));
        let mut note = Comment::now(MERGE_AUTHOR, &body);
        note.id = note.derived_id();
        comments.push(note);
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
        events,
        extra: merge_table(b.map(|b| &b.extra), &o.extra, &t.extra, &what, notes),
    }
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

//! Building a [`Report`] from a review session: every thread placed on the shown version by
//! the session, its clause and changes quoted from the session's comparison.

use super::excerpt::excerpt;
use super::report::{
    AnchorRef, AnchorState, CommentReport, Counts, CriterionInfo, DefinitionChange, EventReport,
    FORMAT, Filters, Report, Status, ThreadReport, VersionInfo,
};
use crate::criteria::CriteriaSet;
use crate::review::{self, Session};

/// What to include and against which version (the options of `lrw export`).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Leave resolved threads out.
    pub open_only: bool,
    /// Only criteria of this set; threads that raise none of them are left out.
    pub criteria_set: Option<String>,
    /// Show anchors against this version id (default: the right side of the comparison).
    pub version: Option<String>,
    /// How to name the review file in the report (default: its path).
    pub review_label: Option<String>,
    /// Only this thread.
    pub thread: Option<String>,
}

impl Report {
    /// The report of the review `session` holds.
    ///
    /// Fails (with a message naming the review file) when `--version`, `--criteria` or
    /// `--thread` name nothing known, or when the shown version's text cannot be read. An
    /// unreadable left or right text only costs the clause diffs; its hash shows as
    /// unreadable.
    pub fn build(session: &Session, opts: &BuildOptions) -> Result<Report, String> {
        let review = session.review();
        let sets = session.criteria();
        let file = review.path.display().to_string();
        let shown = opts.version.clone().unwrap_or_else(|| review.compare.right.clone());
        if review.version(&shown).is_none() {
            return Err(session.unknown_version(&shown));
        }
        if let Some(set) = &opts.criteria_set
            && !sets.iter().any(|s| s.id.eq_ignore_ascii_case(set))
        {
            let known: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
            return Err(format!("unknown criteria set `{set}` (known: {})", known.join(", ")));
        }
        if let Some(t) = &opts.thread
            && review.thread(t).is_none()
        {
            return Err(format!("{file}: no thread {t}"));
        }
        if let Err(e) = session.text(&shown) {
            return Err(format!("{file}: {e}"));
        }

        let (left_id, right_id) = (review.compare.left.as_str(), review.compare.right.as_str());
        let mut listed = vec![left_id, right_id];
        if !listed.contains(&shown.as_str()) {
            listed.push(shown.as_str());
        }
        let versions = listed
            .iter()
            .filter_map(|id| review.version(id))
            .map(|v| VersionInfo {
                id: v.id.clone(),
                role: if v.id == left_id {
                    "left"
                } else if v.id == right_id {
                    "right"
                } else {
                    "other"
                }
                .into(),
                path: v.path.clone(),
                sha256: v.sha256.clone(),
                file_sha256: session.text(&v.id).ok().map(|t| t.text.sha256.clone()),
                date: version_date(v),
                label: v.label.clone(),
            })
            .collect();

        // Clause changes: between the compared versions, or, when the anchors are shown
        // against a third version, from the right side to it (what the revision changed).
        // Either way the shown version is one side of the pairs.
        let (from_id, to_id) = if shown == left_id || shown == right_id {
            (left_id, right_id)
        } else {
            (right_id, shown.as_str())
        };
        let pairs = session.compare(from_id, to_id).ok();
        let terms = session.terms(from_id, to_id).ok();
        let placements = session.placements(&shown);

        let set_filter = opts.criteria_set.as_deref();
        let mut hidden = 0;
        let mut shown_threads: Vec<(usize, ThreadReport)> = Vec::new();
        for (t, placement) in review.threads.iter().zip(placements.iter()) {
            if opts.thread.as_ref().is_some_and(|id| *id != t.id) {
                continue;
            }
            let status = t.status;
            if opts.open_only && status != Status::Open {
                hidden += 1;
                continue;
            }
            let criteria: Vec<CriterionInfo> = t
                .criteria
                .iter()
                .map(|id| criterion_info(sets, id))
                .filter(|c| {
                    set_filter.is_none_or(|s| {
                        c.set.as_deref().is_some_and(|cs| cs.eq_ignore_ascii_case(s))
                    })
                })
                .collect();
            if set_filter.is_some() && criteria.is_empty() {
                hidden += 1;
                continue;
            }
            let state = placement.state();
            let index = placement.resolution.index.filter(|_| state.is_placed());
            let clause = match (placement.clause(), &t.anchor) {
                (Some(c), _) => c.to_string(),
                (None, Some(a)) => a.clause.clone(),
                (None, None) => String::new(),
            };
            let quoted = excerpt(session, placement, from_id, to_id);
            let uses_changed_terms: Vec<String> = match (&terms, placement.clause()) {
                (Some(terms), Some(c)) => {
                    let (l, r) = if shown == to_id { (None, Some(c)) } else { (Some(c), None) };
                    terms.uses_changed(l, r).into_iter().map(str::to_string).collect()
                }
                _ => Vec::new(),
            };
            let clause_change = match (&pairs, index) {
                (Some(cmp), Some(i)) => cmp
                    .pairs
                    .iter()
                    .find(|p| if shown == to_id { p.right == Some(i) } else { p.left == Some(i) })
                    .map(|p| p.status),
                _ => None,
            };
            // Review-level threads first, then document order of the shown version,
            // orphaned last; review order among equals.
            let order = match (state, index) {
                (AnchorState::Unanchored, _) => 0,
                (_, Some(i)) => i + 1,
                _ => usize::MAX,
            };
            shown_threads.push((
                order,
                ThreadReport {
                    id: t.id.clone(),
                    clause: clause.clone(),
                    anchored: t.anchor.as_ref().map(|a| AnchorRef {
                        version: a.version.clone(),
                        clause: a.clause.clone(),
                    }),
                    anchor_state: state,
                    moved_to: (state == AnchorState::Moved).then(|| clause.clone()),
                    score: state.is_placed().then_some(placement.resolution.score),
                    quote: t.anchor.as_ref().and_then(|a| a.quote.clone()),
                    clause_text: quoted.as_ref().map(|e| e.text.clone()),
                    clause_text_cut: quoted.as_ref().is_some_and(|e| e.cut),
                    clause_change,
                    clause_diff: quoted.map(|e| e.diff).unwrap_or_default(),
                    verdict: t.verdict,
                    status,
                    criteria,
                    comments: t
                        .comments
                        .iter()
                        .map(|c| CommentReport {
                            id: c.id.clone(),
                            author: c.author.clone(),
                            at: c.at.clone(),
                            edited_at: c.edited_at.clone(),
                            message_id: c.message_id.clone(),
                            body: c.body.clone(),
                        })
                        .collect(),
                    events: t
                        .events
                        .iter()
                        .map(|e| EventReport {
                            author: e.author.clone(),
                            at: e.at.clone(),
                            field: e.field.clone(),
                            from: e.from.clone(),
                            to: e.to.clone(),
                        })
                        .collect(),
                    uses_changed_terms,
                    subject: extra_string(&t.extra, "subject"),
                    list: extra_string(&t.extra, "list"),
                },
            ));
        }
        shown_threads.sort_by_key(|(order, _)| *order);
        let threads: Vec<ThreadReport> = shown_threads.into_iter().map(|(_, t)| t).collect();

        let mut criteria_used: Vec<CriterionInfo> = Vec::new();
        for t in &threads {
            for c in &t.criteria {
                if !criteria_used.iter().any(|u| u.id == c.id) {
                    criteria_used.push(c.clone());
                }
            }
        }
        // Set order, then criterion order within the set; unknown criteria last.
        let rank = |c: &CriterionInfo| {
            sets.iter()
                .enumerate()
                .flat_map(|(si, s)| s.criteria.iter().enumerate().map(move |(ci, x)| (si, ci, x)))
                .find(|(_, _, x)| x.id.eq_ignore_ascii_case(&c.id))
                .map(|(si, ci, _)| (si, ci))
                .unwrap_or((usize::MAX, usize::MAX))
        };
        criteria_used.sort_by_key(|c| rank(c));

        let mut report = Report {
            format: FORMAT.into(),
            title: review.title.clone(),
            license: review.license.clone(),
            review: opts.review_label.clone().unwrap_or(file),
            versions,
            shown_against: shown.clone(),
            diff_from: from_id.to_string(),
            diff_to: to_id.to_string(),
            filters: Filters {
                open_only: opts.open_only,
                criteria_set: opts.criteria_set.clone(),
                hidden_threads: hidden,
            },
            criteria_used,
            matrix: Vec::new(),
            per_criterion: Vec::new(),
            threads,
            definitions_changed: terms
                .map(|t| {
                    t.changed()
                        .map(|c| DefinitionChange {
                            term: c.term.clone(),
                            status: c.status.as_str().to_string(),
                            left_clause: c.left_clause.clone(),
                            right_clause: c.right_clause.clone(),
                            used_in: c.used_in.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            counts: Counts::default(),
        };
        report.summarise();
        Ok(report)
    }
}

/// A string kept among a table's unknown keys.
fn extra_string(extra: &toml::Table, key: &str) -> Option<String> {
    extra.get(key).and_then(|v| v.as_str()).map(str::to_string)
}

/// A criterion id with its set, number and title when a loaded set defines it.
fn criterion_info(sets: &[CriteriaSet], id: &str) -> CriterionInfo {
    match crate::criteria::find(sets, id) {
        Some((set, c)) => CriterionInfo {
            id: c.id.clone(),
            set: Some(set.id.clone()),
            number: Some(c.number.clone()),
            title: Some(c.title.clone()),
        },
        None => CriterionInfo {
            id: id.to_string(),
            set: id.split_once('-').map(|(s, _)| s.to_string()),
            number: None,
            title: None,
        },
    }
}

/// The date of a version, when the review records one (`date`, or an older file's
/// `published` or `added`).
fn version_date(v: &review::Version) -> Option<String> {
    if let Some(d) = &v.date {
        return Some(d.clone());
    }
    ["published", "added"].iter().find_map(|k| match v.extra.get(*k)? {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    })
}

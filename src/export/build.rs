//! Building a [`Report`] from a review: load the compared texts, resolve every thread's anchor
//! against the shown version, pair clauses between the versions and diff them word by word.

use std::collections::HashMap;

use crate::criteria::CriteriaSet;
use crate::review::anchor::{self as anchors, Doc, Resolution, Resolver};
use crate::review::{self, Review};
use crate::text::{ClauseTree, Text};

use super::report::{
    AnchorRef, AnchorState, ClauseStatus, CommentReport, Counts, CriterionInfo, DiffSpan, FORMAT,
    Filters, Report, Status, ThreadReport, Verdict, VersionInfo,
};

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
}

/// A loaded version: its text and clause tree.
struct Loaded {
    text: Text,
    tree: ClauseTree,
}

impl Loaded {
    fn doc(&self) -> Doc<'_> {
        Doc { content: &self.text.content, tree: &self.tree }
    }
}

impl Report {
    /// The report of `review` with criteria titles from `sets`.
    ///
    /// Fails (with a message naming the review file) when `--version` or `--criteria` name
    /// nothing known, or when the shown version's text cannot be read. An unreadable left or
    /// right text only costs the clause diffs; its hash shows as unreadable.
    pub fn build(
        review: &Review,
        sets: &[CriteriaSet],
        opts: &BuildOptions,
    ) -> Result<Report, String> {
        let file = review.path.display().to_string();
        let ids: Vec<&str> = review.versions.iter().map(|v| v.id.as_str()).collect();
        let shown = opts.version.clone().unwrap_or_else(|| review.compare.right.clone());
        if review.version(&shown).is_none() {
            return Err(format!(
                "{file}: no version with id `{shown}` (the review has: {})",
                ids.join(", ")
            ));
        }
        if let Some(set) = &opts.criteria_set
            && !sets.iter().any(|s| s.id.eq_ignore_ascii_case(set))
        {
            let known: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
            return Err(format!("unknown criteria set `{set}` (known: {})", known.join(", ")));
        }

        let (left_id, right_id) = (review.compare.left.as_str(), review.compare.right.as_str());
        let mut listed = vec![left_id, right_id];
        if !listed.contains(&shown.as_str()) {
            listed.push(shown.as_str());
        }
        // Texts: the listed versions and every version a thread is anchored on.
        let mut wanted = listed.clone();
        for t in &review.threads {
            if !wanted.contains(&t.anchor.version.as_str()) {
                wanted.push(t.anchor.version.as_str());
            }
        }
        let mut loaded: HashMap<&str, Loaded> = HashMap::new();
        let mut versions = Vec::new();
        for id in &wanted {
            let Some(v) = review.version(id) else { continue };
            let text = review.load_version_text(id);
            if *id == shown
                && let Err(e) = &text
            {
                return Err(format!("{file}: version `{id}` ({}): {e}", v.path));
            }
            let file_sha256 = text.as_ref().ok().map(|t| t.sha256.clone());
            if let Ok(text) = text {
                let tree = ClauseTree::parse(&text.content);
                loaded.insert(id, Loaded { text, tree });
            }
            if !listed.contains(id) {
                continue;
            }
            versions.push(VersionInfo {
                id: v.id.clone(),
                role: if *id == left_id {
                    "left"
                } else if *id == right_id {
                    "right"
                } else {
                    "other"
                }
                .into(),
                path: v.path.clone(),
                sha256: v.sha256.clone(),
                file_sha256,
                date: version_date(v),
            });
        }
        let shown_text = &loaded[shown.as_str()];

        // Clause changes: between the compared versions, or, when the anchors are shown
        // against a third version, from the right side to it (what the revision changed).
        // Either way the shown version is one side of the pairs.
        let (from_id, to_id) = if shown == left_id || shown == right_id {
            (left_id, right_id)
        } else {
            (right_id, shown.as_str())
        };
        let pairs = match (loaded.get(from_id), loaded.get(to_id)) {
            (Some(l), Some(r)) => crate::diff::align(&l.text, &l.tree, &r.text, &r.tree),
            _ => Vec::new(),
        };
        // One resolver per version threads are anchored on (the alignment is computed once).
        let shown_doc = shown_text.doc();
        let mut resolvers: HashMap<&str, Resolver<'_>> = HashMap::new();
        for (id, l) in &loaded {
            if *id != shown && review.threads.iter().any(|t| t.anchor.version == *id) {
                resolvers.insert(id, Resolver::new(&l.doc(), &shown_doc));
            }
        }

        let set_filter = opts.criteria_set.as_deref();
        let mut hidden = 0;
        let mut shown_threads: Vec<(usize, ThreadReport)> = Vec::new();
        for t in &review.threads {
            let status = match t.status {
                review::Status::Open => Status::Open,
                review::Status::Resolved => Status::Resolved,
            };
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

            let resolution = if t.anchor.version == shown {
                anchors::resolve_in_place(&t.anchor, &shown_doc)
            } else {
                match resolvers.get(t.anchor.version.as_str()) {
                    Some(r) => r.resolve(&t.anchor),
                    // Its own text is unreadable: nothing to follow the anchor from.
                    None => orphaned(),
                }
            };
            let state = resolution.state;
            let index = resolution.index;
            let clause = match (&resolution.clause, state) {
                (Some(c), s) if s != AnchorState::Orphaned => c.clone(),
                _ => t.anchor.clause.clone(),
            };
            let clause_text = index
                .filter(|_| state != AnchorState::Orphaned)
                .map(|i| shown_text.tree.text(i, &shown_text.text.content).trim_end().to_string());
            let (clause_change, clause_diff) = match index {
                Some(i) if state != AnchorState::Orphaned => {
                    clause_diff(&pairs, &loaded, (from_id, to_id), &shown, i)
                }
                _ => (None, Vec::new()),
            };
            let order = match (state, index) {
                (AnchorState::Orphaned, _) | (_, None) => usize::MAX,
                (_, Some(i)) => i,
            };
            shown_threads.push((
                order,
                ThreadReport {
                    id: t.id.clone(),
                    clause: clause.clone(),
                    anchored: AnchorRef {
                        version: t.anchor.version.clone(),
                        clause: t.anchor.clause.clone(),
                    },
                    anchor_state: state,
                    moved_to: (state == AnchorState::Moved).then(|| clause.clone()),
                    score: (state != AnchorState::Orphaned).then_some(resolution.score),
                    quote: t.anchor.quote.clone(),
                    clause_text,
                    clause_change,
                    clause_diff,
                    verdict: verdict(t.verdict),
                    status,
                    criteria,
                    comments: t
                        .comments
                        .iter()
                        .map(|c| CommentReport {
                            author: c.author.clone(),
                            at: c.at.clone(),
                            body: c.body.clone(),
                        })
                        .collect(),
                },
            ));
        }
        // Document order of the shown version; orphaned last; review order among equals.
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
            counts: Counts::default(),
        };
        report.summarise();
        Ok(report)
    }
}

fn orphaned() -> Resolution {
    Resolution {
        state: review::AnchorState::Orphaned,
        clause: None,
        index: None,
        score: 0.0,
        quote: None,
    }
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

fn verdict(v: review::Verdict) -> Verdict {
    match v {
        review::Verdict::Conforms => Verdict::Conforms,
        review::Verdict::Concern => Verdict::Concern,
        review::Verdict::Conflict => Verdict::Conflict,
        review::Verdict::Question => Verdict::Question,
        review::Verdict::Note => Verdict::Note,
    }
}

/// The date of a version, when the review records one (`date`, `published` or `added`).
fn version_date(v: &review::Version) -> Option<String> {
    ["date", "published", "added"].iter().find_map(|k| match v.extra.get(*k)? {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    })
}

/// How clause `i` of the shown version changed from `from_id` to `to_id` (the shown version
/// is one of them), and its word-level diff.
fn clause_diff(
    pairs: &[crate::diff::ClausePair],
    loaded: &HashMap<&str, Loaded>,
    (from_id, to_id): (&str, &str),
    shown: &str,
    i: usize,
) -> (Option<ClauseStatus>, Vec<DiffSpan>) {
    let (Some(l), Some(r)) = (loaded.get(from_id), loaded.get(to_id)) else {
        return (None, Vec::new());
    };
    let pair = if shown == to_id {
        pairs.iter().find(|p| p.right == Some(i))
    } else {
        pairs.iter().find(|p| p.left == Some(i))
    };
    let Some(pair) = pair else { return (None, Vec::new()) };
    let change = pair.status;
    let spans = match (pair.left, pair.right) {
        (Some(li), Some(ri)) => {
            let a = l.tree.text(li, &l.text.content).trim_end();
            let b = r.tree.text(ri, &r.text.content).trim_end();
            if a == b { Vec::new() } else { super::words::word_spans(a, b) }
        }
        _ => Vec::new(),
    };
    (Some(change), spans)
}

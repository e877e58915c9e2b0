//! Comparing the defined terms of two versions: which definitions changed, were added or were
//! removed, and which clauses use a changed definition. A clause can keep every word and still
//! change its meaning when a term it uses was redefined (ModelGo's output provision between
//! May and December 2025); this is how the diff points at that.
//!
//! Terms are paired by name (the k-th definition of a name on the left with the k-th on the
//! right). A definition is compared as written, or under [`DiffOptions::normalize`] with white
//! space, quote and dash variants and letter case folded (a definition retyped with curly
//! quotes or rewrapped is the same definition); [`DiffOptions::ignore_case`] alone folds case.

use std::collections::HashMap;

use serde::Serialize;

use super::DiffOptions;
use crate::text::terms::{self, Term};
use crate::text::{ClauseTree, NormalizeOptions, normalize};

/// What happened to a term between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermStatus {
    Unchanged,
    Changed,
    Added,
    Removed,
}

impl TermStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Unchanged => "unchanged",
            TermStatus::Changed => "changed",
            TermStatus::Added => "added",
            TermStatus::Removed => "removed",
        }
    }
}

/// One term of either version and what happened to it. Serialises as the `terms` entries of
/// `lrw diff --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermChange {
    /// The name (the right-hand spelling when both have it).
    pub term: String,
    pub status: TermStatus,
    /// Clause ids of the definition on each side (`None`: absent, or before the first clause).
    pub left_clause: Option<String>,
    pub right_clause: Option<String>,
    /// Clauses of the right-hand text that use the term; for a removed term, those that still
    /// use its name.
    pub used_in: Vec<String>,
    /// Index of the term in [`TermComparison::left`] / [`TermComparison::right`].
    #[serde(skip)]
    pub left: Option<usize>,
    #[serde(skip)]
    pub right: Option<usize>,
}

/// Where a text names a compared term (see [`TermComparison::marks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMark {
    /// Index of the term in [`TermComparison::changes`].
    pub change: usize,
    /// Byte range of the words in the text.
    pub span: std::ops::Range<usize>,
    /// The term's name where it is defined (not a use).
    pub defines: bool,
}

/// The terms of both versions and how they compare.
#[derive(Debug, Clone, Default)]
pub struct TermComparison {
    /// The left text's terms; their `used_in` is filled only when some left definition
    /// changed or was removed (nothing else reads it).
    pub left: Vec<Term>,
    pub right: Vec<Term>,
    /// Every term of either side: those of the right in its order, a removed term after the
    /// term that preceded it on the left.
    pub changes: Vec<TermChange>,
    /// Changed, added or removed terms (indices into `changes`) used by each clause, by side.
    left_uses: HashMap<String, Vec<usize>>,
    right_uses: HashMap<String, Vec<usize>>,
}

impl TermComparison {
    /// The terms whose definition changed, appeared or disappeared.
    pub fn changed(&self) -> impl Iterator<Item = &TermChange> {
        self.changes.iter().filter(|c| c.status != TermStatus::Unchanged)
    }

    /// Names of the changed, added or removed terms that the clause `left` (in the left text)
    /// or `right` (in the right text) uses, in the order of [`TermComparison::changes`].
    pub fn uses_changed(&self, left: Option<&str>, right: Option<&str>) -> Vec<&str> {
        let idx = self.uses_changed_at(left, right);
        idx.into_iter().map(|i| self.changes[i].term.as_str()).collect()
    }

    /// [`TermComparison::uses_changed`] as indices into [`TermComparison::changes`] (a name
    /// may be defined twice).
    pub fn uses_changed_at(&self, left: Option<&str>, right: Option<&str>) -> Vec<usize> {
        let mut idx: Vec<usize> = Vec::new();
        for (id, map) in [(left, &self.left_uses), (right, &self.right_uses)] {
            if let Some(list) = id.and_then(|id| map.get(id)) {
                idx.extend(list);
            }
        }
        idx.sort_unstable();
        idx.dedup();
        idx
    }

    /// For each section of `cmp`, the note that its clauses use changed definitions (`uses
    /// changed definitions: Output`) when their own words did not change: such a clause reads
    /// the same and may mean something else. Its words are unchanged when the section shows no
    /// difference, or when the pair is renumbered or moved with all its words the same.
    pub fn section_notes(&self, cmp: &super::Comparison) -> Vec<Option<String>> {
        self.sections_using_changed(cmp)
            .into_iter()
            .map(|idx| {
                let names: Vec<&str> = idx.iter().map(|&i| self.changes[i].term.as_str()).collect();
                (!names.is_empty())
                    .then(|| format!("uses changed definitions: {}", names.join(", ")))
            })
            .collect()
    }

    /// For each section of `cmp`, what [`TermComparison::section_notes`] names, as indices
    /// into [`TermComparison::changes`]: the changed definitions its clauses use when their
    /// own words did not change (empty otherwise). Views that mark such clauses read this.
    pub fn sections_using_changed(&self, cmp: &super::Comparison) -> Vec<Vec<usize>> {
        let same_words: HashMap<(Option<&str>, Option<&str>), bool> = cmp
            .pairs
            .iter()
            .map(|p| {
                let left = p.left.map(|i| cmp.left_units[i].as_str());
                let right = p.right.map(|j| cmp.right_units[j].as_str());
                let same = matches!(
                    p.status,
                    super::ClauseStatus::Renumbered | super::ClauseStatus::Moved
                ) && p.similarity >= 0.995;
                ((left, right), same)
            })
            .collect();
        cmp.sections
            .iter()
            .map(|s| {
                let Some((left, right)) = s.ids.as_ref() else { return Vec::new() };
                let (left, right) = (left.as_deref(), right.as_deref());
                let unchanged =
                    s.diff.is_empty() || same_words.get(&(left, right)).copied().unwrap_or(false);
                if unchanged { self.uses_changed_at(left, right) } else { Vec::new() }
            })
            .collect()
    }

    /// Where each text names a compared term: the uses of its terms (as [`terms::find_uses`]
    /// finds them) and each definition's own name, in document order, each with its index
    /// in [`TermComparison::changes`]; the right text also has the uses of removed terms'
    /// names (as their `used_in` counts them). For views that mark terms in the texts:
    /// `left` and `right` are the texts compared (`\n` line endings), with their trees.
    pub fn marks(
        &self,
        left: &str,
        lt: &ClauseTree,
        right: &str,
        rt: &ClauseTree,
    ) -> (Vec<TermMark>, Vec<TermMark>) {
        let mut lk = vec![usize::MAX; self.left.len()];
        let mut rk = vec![usize::MAX; self.right.len()];
        let mut probe = self.right.clone();
        for (k, c) in self.changes.iter().enumerate() {
            if let Some(i) = c.left.filter(|&i| i < lk.len()) {
                lk[i] = k;
            }
            if let Some(j) = c.right.filter(|&j| j < rk.len()) {
                rk[j] = k;
            }
            if c.status == TermStatus::Removed
                && let Some(t) = c.left.and_then(|i| self.left.get(i))
            {
                let mut t = t.clone();
                t.span = 0..0;
                t.name_span = 0..0;
                probe.push(t);
                rk.push(k);
            }
        }
        let side = |text: &str, tree: &ClauseTree, terms: &[Term], keys: &[usize]| {
            let mut out: Vec<TermMark> = terms::find_uses(text, tree, terms)
                .into_iter()
                .filter_map(|u| {
                    let change = *keys.get(u.term).filter(|&&k| k != usize::MAX)?;
                    Some(TermMark { change, span: u.span, defines: false })
                })
                .collect();
            for (t, &change) in terms.iter().zip(keys) {
                if change != usize::MAX && !t.name_span.is_empty() {
                    out.push(TermMark { change, span: t.name_span.clone(), defines: true });
                }
            }
            out.sort_by_key(|m| (m.span.start, m.span.end));
            out
        };
        super::both_for(
            left.len() + right.len(),
            || side(left, lt, &self.left, &lk),
            || side(right, rt, &probe, &rk),
        )
    }
}

/// What a caller reads of a [`TermComparison`], so that no text is read for uses nobody reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Everything: the changes, and the changed terms each clause of either text uses
    /// ([`TermComparison::uses_changed`], [`TermComparison::section_notes`]).
    Clauses,
    /// The changes with the right-hand clauses using them (`used_in`) only: the left text is
    /// never read for uses, so what the left text's clauses use is not known. For the list of
    /// definitions under a line-by-line diff, which names no clause pair.
    Listing,
}

/// Compare the defined terms of two texts (`\n` line endings) with their clause trees.
pub fn compare(
    left: &str,
    lt: &ClauseTree,
    right: &str,
    rt: &ClauseTree,
    opts: &DiffOptions,
) -> TermComparison {
    compare_reading(left, lt, right, rt, opts, Reading::Clauses, false)
}

/// [`compare`] for what `reading` asks; with `always_left`, the left text's uses are read even
/// when nothing needs them (for tests: the shortcut must not change the result).
fn compare_reading(
    left: &str,
    lt: &ClauseTree,
    right: &str,
    rt: &ClauseTree,
    opts: &DiffOptions,
    reading: Reading,
    always_left: bool,
) -> TermComparison {
    let size = left.len() + right.len();
    let (mut lterms, rterms) =
        super::both_for(size, || terms::definitions(left, lt), || terms::definitions(right, rt));
    // Pairing needs the names only; the uses are matched once per side afterwards, the
    // removed terms' names with the right-hand terms (a clause may still use a word whose
    // definition is gone).
    let mut changes = compare_terms(left, &lterms, right, &rterms, opts);
    let removed: Vec<usize> =
        (0..changes.len()).filter(|&k| changes[k].status == TermStatus::Removed).collect();
    let mut probe = rterms;
    let n_right = probe.len();
    for &k in &removed {
        if let Some(i) = changes[k].left {
            let mut t = lterms[i].clone();
            // No definition in this text to leave out.
            t.span = 0..0;
            t.name_span = 0..0;
            probe.push(t);
        }
    }
    // The left text's uses serve only the changed and removed definitions (which clauses of
    // the old text used them): when there are none, the left text is not read for uses.
    let left_uses = always_left
        || reading == Reading::Clauses
            && changes.iter().any(|c| c.left.is_some() && c.status != TermStatus::Unchanged);
    let (luses, ruses) = super::both_for(
        size,
        || if left_uses { terms::find_uses(left, lt, &lterms) } else { Vec::new() },
        || terms::find_uses(right, rt, &probe),
    );
    terms::fill_used_in(&mut lterms, &luses, lt);
    terms::fill_used_in(&mut probe, &ruses, rt);
    let gone = probe.split_off(n_right);
    for (&k, t) in removed.iter().zip(gone) {
        changes[k].used_in = t.used_in;
    }
    for c in changes.iter_mut() {
        if let Some(j) = c.right {
            c.used_in = probe[j].used_in.clone();
        }
    }
    let mut cmp = TermComparison { left: lterms, right: probe, changes, ..Default::default() };
    index_uses(&mut cmp);
    cmp
}

/// [`compare`] the terms of two texts for what `reading` asks, and
/// [`super::compare_trees_then`] their words, calling `then` with the comparison (where the
/// CLI renders the diff) and the terms when it has them (for the notes on changed definitions
/// of a clause pair).
///
/// Line by line with [`Reading::Listing`], the diff needs no terms (no section names a clause
/// pair: `then` gets `None`), so on big texts the two run side by side (`benches/diff.sh`,
/// load average 1.7 on two cores: the 1 MB pair 52 -> 47 ms unified, 60 -> 50 ms side by side).
/// Small texts (GPL-2.0 -> GPL-3.0, 100 KB) measured slower that way (9.4 -> 10.1 ms: the
/// thread costs more than it saves), as did running them side by side in every mode, where the
/// diff waits for the terms anyway (`lrw diff` 42 -> 57 ms at a load average of 6).
#[allow(clippy::too_many_arguments)]
pub fn with_diff_then<R>(
    l: &super::Lines,
    lt: &ClauseTree,
    r: &super::Lines,
    rt: &ClauseTree,
    opts: &DiffOptions,
    by_clause: bool,
    reading: Reading,
    then: impl FnOnce(&super::Comparison, Option<&TermComparison>) -> R,
) -> (super::Comparison, TermComparison, R) {
    if reading == Reading::Listing && !by_clause {
        let (terms, (cmp, out)) = super::both_for(
            l.text.len() + r.text.len(),
            || compare_reading(l.text, lt, r.text, rt, opts, reading, false),
            || super::compare_trees_then(l, lt, r, rt, opts, by_clause, |c| then(c, None)),
        );
        return (cmp, terms, out);
    }
    let terms = compare_reading(l.text, lt, r.text, rt, opts, reading, false);
    let (cmp, out) =
        super::compare_trees_then(l, lt, r, rt, opts, by_clause, |c| then(c, Some(&terms)));
    (cmp, terms, out)
}

/// Pair and compare two lists of terms (as [`terms::extract`] or [`terms::definitions`] give
/// them for `left` and `right`). `used_in` comes from the right-hand terms; a removed term's is
/// left empty.
pub fn compare_terms(
    left: &str,
    lterms: &[Term],
    right: &str,
    rterms: &[Term],
    opts: &DiffOptions,
) -> Vec<TermChange> {
    let fold = opts.normalize || opts.ignore_case;
    let name_key = |t: &Term| {
        if fold {
            normalize(&t.term, NormalizeOptions { ignore_case: true })
        } else {
            t.term.clone()
        }
    };
    let def_key = |content: &str, t: &Term| {
        let raw = &content[t.span.clone()];
        if opts.normalize {
            normalize(raw, NormalizeOptions { ignore_case: true })
        } else if opts.ignore_case {
            raw.to_lowercase()
        } else {
            raw.to_string()
        }
    };
    // Right-hand terms by name, in order; each taken once.
    let mut by_name: HashMap<String, std::collections::VecDeque<usize>> = HashMap::new();
    for (j, t) in rterms.iter().enumerate() {
        by_name.entry(name_key(t)).or_default().push_back(j);
    }
    let mut paired: Vec<Option<usize>> = vec![None; rterms.len()];
    // Sort keys: (right position, 0) for terms on the right; (right position of the last
    // paired term before it, 1, left position) for a removed one.
    let mut keyed: Vec<((isize, u8, usize), TermChange)> = Vec::new();
    let mut anchor: isize = -1;
    for (i, lt) in lterms.iter().enumerate() {
        match by_name.get_mut(&name_key(lt)).and_then(|q| q.pop_front()) {
            Some(j) => {
                paired[j] = Some(i);
                anchor = j as isize;
            }
            None => keyed.push((
                (anchor, 1, i),
                TermChange {
                    term: lt.term.clone(),
                    status: TermStatus::Removed,
                    left_clause: lt.clause.clone(),
                    right_clause: None,
                    used_in: Vec::new(),
                    left: Some(i),
                    right: None,
                },
            )),
        }
    }
    for (j, rt) in rterms.iter().enumerate() {
        let status = match paired[j] {
            None => TermStatus::Added,
            Some(i) if def_key(left, &lterms[i]) == def_key(right, rt) => TermStatus::Unchanged,
            Some(_) => TermStatus::Changed,
        };
        keyed.push((
            (j as isize, 0, 0),
            TermChange {
                term: rt.term.clone(),
                status,
                left_clause: paired[j].and_then(|i| lterms[i].clause.clone()),
                right_clause: rt.clause.clone(),
                used_in: rt.used_in.clone(),
                left: paired[j],
                right: Some(j),
            },
        ));
    }
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, c)| c).collect()
}

/// Fill the per-clause lists of changed terms used.
fn index_uses(cmp: &mut TermComparison) {
    for (k, c) in cmp.changes.iter().enumerate() {
        if c.status == TermStatus::Unchanged {
            continue;
        }
        let left = c.left.map_or(&[][..], |i| &cmp.left[i].used_in[..]);
        for id in left {
            cmp.left_uses.entry(id.clone()).or_default().push(k);
        }
        let right = match c.right {
            Some(j) => &cmp.right[j].used_in[..],
            None => &c.used_in[..],
        };
        for id in right {
            cmp.right_uses.entry(id.clone()).or_default().push(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "\
1. Definitions

\"Output\" means anything the Model makes, or a copy of it.

\"Model\" means the weights.

\"Old Term\" means something gone.

2. Use

2.1 You may share Output.

2.2 You may share the Model.

2.3 Old Term stays here.
";

    const NEW: &str = "\
1. Definitions

\u{201C}Output\u{201D} means anything the Model makes.

\u{201C}Model\u{201D} means   the
weights.

\"Extracted Model\" means a model trained on Output.

2. Use

2.1 You may share Output.

2.2 You may share the Model.

2.3 Old Term stays here.
";

    fn run(opts: DiffOptions) -> TermComparison {
        let (lt, rt) = (ClauseTree::parse_structure(OLD), ClauseTree::parse_structure(NEW));
        compare(OLD, &lt, NEW, &rt, &opts)
    }

    /// Not reading the left text's uses when no left definition changed or was removed gives
    /// what reading them gives: the changes, and the changed terms each clause uses.
    #[test]
    fn left_uses_are_read_only_when_needed() {
        let texts =
            [OLD, NEW, &NEW.replace("weights", "parameters"), &OLD.replace("2.3 Old", "2.3 A")];
        for (a, b) in texts.iter().flat_map(|a| texts.iter().map(move |b| (a, b))) {
            let (lt, rt) = (ClauseTree::parse_structure(a), ClauseTree::parse_structure(b));
            for opts in
                [DiffOptions::default(), DiffOptions { normalize: true, ..DiffOptions::default() }]
            {
                let fast = compare_reading(a, &lt, b, &rt, &opts, Reading::Clauses, false);
                let full = compare_reading(a, &lt, b, &rt, &opts, Reading::Clauses, true);
                let listing = compare_reading(a, &lt, b, &rt, &opts, Reading::Listing, false);
                assert_eq!(fast.changes, full.changes);
                // The listing has the same changes and right-hand uses, and reads no left use.
                assert_eq!(listing.changes, full.changes);
                assert_eq!(listing.right_uses, full.right_uses);
                assert!(listing.left.iter().all(|t| t.used_in.is_empty()));
                assert_eq!(
                    (&fast.left_uses, &fast.right_uses),
                    (&full.left_uses, &full.right_uses)
                );
            }
        }
        // A text against itself reads no left uses.
        let t = ClauseTree::parse_structure(OLD);
        let same = compare(OLD, &t, OLD, &t, &DiffOptions::default());
        assert!(same.left.iter().all(|t| t.used_in.is_empty()));
        assert!(same.right.iter().any(|t| !t.used_in.is_empty()));
    }

    fn statuses(cmp: &TermComparison) -> Vec<(&str, &str)> {
        cmp.changes.iter().map(|c| (c.term.as_str(), c.status.as_str())).collect()
    }

    #[test]
    fn normalised_comparison_ignores_quotes_and_wrapping() {
        let cmp = run(DiffOptions { normalize: true, ..DiffOptions::default() });
        assert_eq!(
            statuses(&cmp),
            [
                ("Output", "changed"),
                ("Model", "unchanged"),
                ("Old Term", "removed"),
                ("Extracted Model", "added")
            ]
        );
        let removed = &cmp.changes[2];
        assert_eq!(
            (removed.left_clause.as_deref(), removed.right_clause.as_deref()),
            (Some("1"), None)
        );
        // Still used by the right-hand text.
        assert_eq!(removed.used_in, ["2.3"]);
        assert_eq!(cmp.changes[0].used_in, ["1", "2.1"]);
        // 2.1 is unchanged word for word but uses a changed definition; 2.2 uses only Model.
        assert_eq!(cmp.uses_changed(Some("2.1"), Some("2.1")), ["Output"]);
        assert!(cmp.uses_changed(Some("2.2"), Some("2.2")).is_empty());
        assert_eq!(cmp.uses_changed(Some("2.3"), Some("2.3")), ["Old Term"]);
        assert_eq!(cmp.changed().count(), 3);
    }

    /// The marks of each text name its terms where they are used and defined, and the right
    /// text's marks include the uses of a removed term's name.
    #[test]
    fn marks_name_uses_definitions_and_removed_terms() {
        let (lt, rt) = (ClauseTree::parse_structure(OLD), ClauseTree::parse_structure(NEW));
        let cmp = compare(OLD, &lt, NEW, &rt, &DiffOptions::default());
        let (left, right) = cmp.marks(OLD, &lt, NEW, &rt);
        let named = |text: &str, marks: &[TermMark]| -> Vec<(String, String, bool)> {
            marks
                .iter()
                .map(|m| {
                    (cmp.changes[m.change].term.clone(), text[m.span.clone()].into(), m.defines)
                })
                .collect()
        };
        let right = named(NEW, &right);
        assert!(right.contains(&("Old Term".into(), "Old Term".into(), false)), "{right:?}");
        assert!(right.contains(&("Output".into(), "Output".into(), true)), "{right:?}");
        assert!(right.contains(&("Extracted Model".into(), "Extracted Model".into(), true)));
        let left = named(OLD, &left);
        assert!(left.contains(&("Old Term".into(), "Old Term".into(), true)), "{left:?}");
        assert!(left.iter().filter(|(t, _, d)| t == "Output" && !d).count() >= 1, "{left:?}");
    }

    #[test]
    fn exact_comparison_sees_quotes_and_wrapping() {
        let cmp = run(DiffOptions::default());
        assert_eq!(statuses(&cmp)[..2], [("Output", "changed"), ("Model", "changed")]);
        assert_eq!(cmp.uses_changed(Some("2.2"), Some("2.2")), ["Model"]);
    }

    #[test]
    fn case_alone_is_no_change_when_normalised() {
        let a = "1. \"Data\" means The Facts.\n\n2. Data is free.\n";
        let b = "1. \"DATA\" means the facts.\n\n2. Data is free.\n";
        let (lt, rt) = (ClauseTree::parse_structure(a), ClauseTree::parse_structure(b));
        let norm =
            compare(a, &lt, b, &rt, &DiffOptions { normalize: true, ..DiffOptions::default() });
        assert_eq!(statuses(&norm), [("DATA", "unchanged")]);
        let exact = compare(a, &lt, b, &rt, &DiffOptions::default());
        assert_eq!(statuses(&exact), [("Data", "removed"), ("DATA", "added")]);
    }
}

//! Every license of the SPDX list, however short, is found first from its own text and from a
//! lightly edited copy: a one-sentence license (FSFAP) once scored 0.0 against itself.
//!
//! The rule for a pass: the first match is the license itself, an id listed as having the same
//! text, or an *equivalent* id, one whose SPDX text scores at least [`EQUIVALENT`] against the
//! license's own text (the same license under another id with a word or two changed, as
//! `GPL-2.0+` and `GPL-2.0-or-later`, or `BSD-2-Clause-FreeBSD` and `BSD-2-Clause-Views`).
//! Deprecated ids are never ranked (an id to recommend is always a current one), so a
//! deprecated id passes only by finding an equivalent, and one with no equivalent on the list
//! (`GPL-2.0-with-GCC-exception`, whose SPDX text is the exception alone) is counted apart and
//! must be deprecated. `NOASSERTION` has no text and is left out.

mod common;

use lrw::similarity::{RankOptions, rank, rank_in, store_from_texts};
use lrw::text::Text;

/// Lowest score between two SPDX texts for their ids to count as the same license.
const EQUIVALENT: f64 = 0.95;

/// Words replaced in the light edit: one in 25, at least one, at most five.
fn edits(text: &str) -> usize {
    (text.split_whitespace().count() / 25).clamp(1, 5)
}

fn deprecated(id: &str) -> bool {
    spdx::license_id(id).is_some_and(|l| l.is_deprecated())
}

/// The SPDX text of `id`, as the list ships it.
fn spdx_text(id: &str) -> &'static str {
    spdx::text::LICENSE_TEXTS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t).unwrap()
}

/// True when `candidate`'s SPDX text scores at least [`EQUIVALENT`] against `text`.
fn equivalent(text: &str, candidate: &str) -> bool {
    let store = store_from_texts([(candidate, spdx_text(candidate))]);
    let m = rank_in(&store, &Text::from_string("probe", text), &RankOptions::default());
    m.first().is_some_and(|m| m.score >= EQUIVALENT)
}

/// How one probe of one license came out.
enum Outcome {
    Itself,
    Equivalent(String),
    UnmatchedDeprecated(String),
    Failed(String),
}

/// Rank `id`'s own text and a light edit of it (words chosen with `seed`).
fn probe(seed: u64, id: &str, text: &str) -> Vec<Outcome> {
    let (edited, changed) = common::perturb::replace_words(text, edits(text), seed);
    assert!(changed >= 1 && edited != text, "{id}: the edit changed nothing");
    [(text, "own text"), (edited.as_str(), "edited copy")]
        .into_iter()
        .map(|(probe, what)| {
            let m = rank(&Text::from_string(id, probe), &RankOptions { top: 1, osi_only: false });
            let first = &m[0];
            let found = format!("{id} ({what}): first is {} {}", first.id, first.score);
            if first.id == id || first.aliases.iter().any(|a| a == id) {
                Outcome::Itself
            } else if equivalent(text, &first.id) {
                Outcome::Equivalent(found)
            } else if deprecated(id) {
                Outcome::UnmatchedDeprecated(found)
            } else {
                Outcome::Failed(found)
            }
        })
        .collect()
}

#[test]
fn every_spdx_license_finds_itself_first_from_its_text_and_from_a_light_edit() {
    let mut licenses: Vec<(&str, &str)> = spdx::text::LICENSE_TEXTS.to_vec();
    licenses.dedup_by_key(|(id, _)| *id); // the crate lists a few ids twice
    let no_text: Vec<&str> =
        licenses.iter().filter(|(_, t)| t.trim().is_empty()).map(|(id, _)| *id).collect();
    let probed: Vec<(u64, &str, &str)> = (0u64..)
        .zip(&licenses)
        .filter(|(_, (_, t))| !t.trim().is_empty())
        .map(|(seed, &(id, text))| (seed, id, text))
        .collect();
    // Debug builds rank slowly: the licenses are shared out over the machine's cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let workers: Vec<_> = probed
            .chunks(probed.len().div_ceil(threads))
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .flat_map(|&(seed, id, text)| probe(seed, id, text))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a worker panicked")).collect::<Vec<_>>()
    });
    let (mut itself, mut equivalents, mut unmatched, mut failures) = (0, vec![], vec![], vec![]);
    for o in outcomes {
        match o {
            Outcome::Itself => itself += 1,
            Outcome::Equivalent(s) => equivalents.push(s),
            Outcome::UnmatchedDeprecated(s) => unmatched.push(s),
            Outcome::Failed(s) => failures.push(s),
        }
    }
    let probes = 2 * probed.len();
    eprintln!(
        "{} licenses, {probes} probes: {itself} found their own id first, {} an equivalent id, \
         {} (deprecated) no current equivalent, {} failed; no text: {no_text:?}",
        licenses.len(),
        equivalents.len(),
        unmatched.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{} probes failed:\n{}", failures.len(), failures.join("\n"));
    // The exceptions stay exceptional: most of the list finds itself outright.
    assert!(itself >= probes * 9 / 10, "only {itself} of {probes}: {equivalents:#?}");
    assert_eq!(no_text, ["NOASSERTION"]);
}

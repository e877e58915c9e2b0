//! Precision and recall of `lrw terms` against the hand-labelled fixtures in
//! `tests/fixtures/terms/` (see the README there). Run with `--nocapture` to see the numbers:
//! `cargo test --test terms_fixtures -- --nocapture`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
struct Fixture {
    text: String,
    terms: Vec<Label>,
}

#[derive(Debug, Deserialize)]
struct Label {
    term: String,
    #[serde(default)]
    aliases: Vec<String>,
    clause: Option<String>,
}

/// What is counted: a term with its clause, or an alias with its term.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Term { term: String, clause: Option<String> },
    Alias { alias: String, of: String },
}

fn items(labels: impl IntoIterator<Item = Label>) -> Vec<Item> {
    let mut out = Vec::new();
    for l in labels {
        for a in &l.aliases {
            out.push(Item::Alias { alias: a.clone(), of: l.term.clone() });
        }
        out.push(Item::Term { term: l.term, clause: l.clause });
    }
    out
}

/// Matches between two lists, each item used once.
fn matched(expected: &[Item], found: &[Item]) -> (usize, Vec<Item>, Vec<Item>) {
    let mut left: BTreeMap<&Item, usize> = BTreeMap::new();
    for e in expected {
        *left.entry(e).or_default() += 1;
    }
    let mut hits = 0;
    let mut extra = Vec::new();
    for f in found {
        match left.get_mut(f) {
            Some(n) if *n > 0 => {
                *n -= 1;
                hits += 1;
            }
            _ => extra.push(f.clone()),
        }
    }
    let missed = left.into_iter().flat_map(|(i, n)| std::iter::repeat_n(i.clone(), n)).collect();
    (hits, missed, extra)
}

/// The path to give `lrw` for a fixture's text, or `None` when the corpus is absent.
fn source(text: &str) -> Option<String> {
    match text.strip_prefix("corpus:") {
        Some(name) => common::corpus_file(name),
        None => Some(text.to_string()),
    }
}

fn found_items(path: &str) -> Vec<Item> {
    let out = common::run(&["terms", "--format", "json", path]);
    common::assert_code(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let labels = v["terms"].as_array().expect("terms").iter().map(|t| Label {
        term: t["term"].as_str().expect("term").to_string(),
        aliases: t["aliases"]
            .as_array()
            .expect("aliases")
            .iter()
            .map(|a| a.as_str().expect("alias").to_string())
            .collect(),
        clause: t["clause"].as_str().map(str::to_string),
    });
    items(labels)
}

#[test]
fn precision_and_recall_on_the_labelled_texts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terms");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected the labelled fixtures in {}", dir.display());
    let (mut hits, mut expected, mut found, mut texts) = (0, 0, 0, 0);
    let (mut term_hits, mut term_expected, mut term_found) = (0, 0, 0);
    for file in &files {
        let fx: Fixture = toml::from_str(&std::fs::read_to_string(file).expect("read fixture"))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let Some(path) = source(&fx.text) else { continue };
        texts += 1;
        let want = items(fx.terms);
        let got = found_items(&path);
        let (h, missed, extra) = matched(&want, &got);
        let is_term = |i: &&Item| matches!(i, Item::Term { .. });
        let want_terms: Vec<Item> = want.iter().filter(is_term).cloned().collect();
        let got_terms: Vec<Item> = got.iter().filter(is_term).cloned().collect();
        term_hits += matched(&want_terms, &got_terms).0;
        term_expected += want_terms.len();
        term_found += got_terms.len();
        println!("{:<28} {h:>3}/{:<3} found {:>3}", fx.text, want.len(), got.len());
        for m in &missed {
            println!("    missed {m:?}");
        }
        for x in &extra {
            println!("    extra  {x:?}");
        }
        hits += h;
        expected += want.len();
        found += got.len();
    }
    assert!(texts > 0, "no fixture could be read");
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(hits, found), ratio(hits, expected));
    println!(
        "terms and aliases over {texts} texts: precision {precision:.3} ({hits}/{found}), \
         recall {recall:.3} ({hits}/{expected})"
    );
    println!(
        "terms alone: precision {:.3} ({term_hits}/{term_found}), recall {:.3} \
         ({term_hits}/{term_expected})",
        ratio(term_hits, term_found),
        ratio(term_hits, term_expected)
    );
    assert!(precision >= 0.95, "precision {precision:.3} < 0.95");
    assert!(recall >= 0.95, "recall {recall:.3} < 0.95");
}

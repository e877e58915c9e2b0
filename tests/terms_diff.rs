//! Changed definitions in `lrw diff`, driven through the real binary: the JSON `terms` and
//! `uses_changed_terms`, the closing "Definitions" section and the clause marks.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn diff_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["diff", "--format", "json"];
    all.extend_from_slice(args);
    let out = common::run_in(dir, &all);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}\n{}", common::stdout(&out), common::stderr(&out))
    })
}

fn diff_text(dir: &Path, args: &[&str]) -> String {
    let out = common::lrw()
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    assert!(!common::has_raw_control(&out.stdout), "raw control in output");
    common::stdout(&out)
}

/// term -> status.
fn statuses(v: &Value) -> BTreeMap<String, String> {
    v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (t["term"].as_str().unwrap().to_string(), t["status"].as_str().unwrap().to_string())
        })
        .collect()
}

fn changed(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        statuses(v).into_iter().filter(|(_, s)| s != "unchanged").collect();
    out.sort();
    out
}

fn pair<'a>(v: &'a Value, left: &str, right: &str) -> &'a Value {
    v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["left"] == left && p["right"] == right)
        .unwrap_or_else(|| panic!("no pair {left} -> {right}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().map_or(Vec::new(), |a| a.iter().map(|s| s.as_str().unwrap()).collect())
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// The lines of the output provision (2.2(b)) of a ModelGo 2.0 text, from its label to the
/// blank line after it, read straight from the file.
fn output_provision(dir: &Path, name: &str) -> String {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let start = text.find("(b)\tIf You Distribute a collection of Output").expect("2.2(b)");
    let end = start + text[start..].find("\n\n").expect("end of 2.2(b)");
    text[start..end].to_string()
}

#[test]
fn modelgo_output_provision_is_unchanged_but_its_definitions_are_not() {
    let Some(dir) = common::corpus() else { return };
    let (old, new) = ("MG-BY-NC-2.0-2025-05.txt", "MG-BY-NC-2.0.txt");
    // What a reader sees: the provision did not change a word.
    assert_eq!(output_provision(&dir, old), output_provision(&dir, new));
    let v = diff_json(&dir, &["--by", "clause", old, new]);
    assert_eq!(
        changed(&v),
        owned(&[
            ("Derivative Materials", "changed"),
            ("Distribution", "changed"),
            ("Extracted Models", "added"),
            ("Output", "changed"),
        ])
    );
    assert_eq!(statuses(&v).len(), 10);
    let extracted =
        v["terms"].as_array().unwrap().iter().find(|t| t["term"] == "Extracted Models").unwrap();
    assert_eq!(
        (extracted["left_clause"].as_str(), extracted["right_clause"].as_str()),
        (None, Some("1"))
    );
    let provision = pair(&v, "2.2(b)", "2.2(b)");
    assert_eq!(provision["status"], "unchanged");
    assert_eq!(
        strings(&provision["uses_changed_terms"]),
        ["Derivative Materials", "Distribution", "Output"]
    );
    // A clause that uses no changed definition has no such key.
    assert!(pair(&v, "2.3", "2.3").get("uses_changed_terms").is_none());

    let side = diff_text(&dir, &["--by", "clause", "--width", "120", old, new]);
    assert!(
        side.contains(
            "== 2.2(b)  unchanged; uses changed definitions: Derivative Materials, Distribution, Output\n"
        ),
        "{side}"
    );
    let unified = diff_text(&dir, &["--format", "unified", old, new]);
    for text in [&side, &unified] {
        let tail = &text[text.rfind("\nDefinitions:\n").expect("a Definitions section")..];
        let lines: Vec<&str> = tail.lines().skip(2).collect();
        assert_eq!(lines.len(), 4, "{tail}");
        assert!(lines[0].starts_with("  Derivative Materials (1) changed; used in 1, "), "{tail}");
        assert!(lines[1].starts_with("  Extracted Models (1) added; used in "), "{tail}");
        assert!(lines[2].starts_with("  Distribution (1) changed; used in "), "{tail}");
        assert_eq!(lines[3], "  Output (1) changed; used in 1, 2.2(a)(iii), 2.2(b), 4");
    }
}

#[test]
fn modelgo_zero_rewrapped_definitions_change_only_exactly() {
    let Some(dir) = common::corpus() else { return };
    let (old, new) = ("MG0-2.0-2025-05.txt", "MG0-2.0.txt");
    let normalized = diff_json(&dir, &["--normalize", "--by", "clause", old, new]);
    assert_eq!(
        changed(&normalized),
        owned(&[
            ("Derivative Materials", "changed"),
            ("Distribution", "changed"),
            ("Output", "changed")
        ])
    );
    // Rewrapped only: the same definitions under --normalize, changed lines exactly.
    let exact = diff_json(&dir, &["--by", "clause", old, new]);
    let exact_changed: Vec<String> = changed(&exact).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        exact_changed,
        [
            "Complementary Materials",
            "Derivative Materials",
            "Distribution",
            "Licensed Materials",
            "Model",
            "Output",
            "You"
        ]
    );
    let text = diff_text(&dir, &["--normalize", "--by", "clause", old, new]);
    assert!(
        text.contains("== 2.1(a)(ii)  unchanged; uses changed definitions: Derivative Materials\n"),
        "{text}"
    );
}

#[test]
fn modelgo_no_derivatives_adds_extracted_models() {
    let Some(dir) = common::corpus() else { return };
    let v = diff_json(
        &dir,
        &["--normalize", "--by", "clause", "MG-BY-ND-2.0-2025-05.txt", "MG-BY-ND-2.0.txt"],
    );
    assert_eq!(
        changed(&v),
        owned(&[
            ("Derivative Materials", "changed"),
            ("Distribution", "changed"),
            ("Extracted Models", "added"),
            ("Output", "changed"),
        ])
    );
    let provision = pair(&v, "2.2(b)", "2.2(b)");
    assert_eq!(provision["status"], "unchanged");
    assert_eq!(
        strings(&provision["uses_changed_terms"]),
        ["Derivative Materials", "Distribution", "Output"]
    );
}

fn write_pair(old: &str, new: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.txt"), old).unwrap();
    std::fs::write(dir.path().join("new.txt"), new).unwrap();
    dir
}

#[test]
fn a_removed_definition_still_used_is_reported() {
    let dir = write_pair(
        "1. Definitions\n\n\"Data\" means facts.\n\n\"Model\" means weights.\n\n2. Use\n\nShare the Data and the Model.\n",
        "1. Definitions\n\n\u{201C}Model\u{201D} means\nweights.\n\n2. Use\n\nShare the Data and the Model.\n",
    );
    let v = diff_json(dir.path(), &["--normalize", "old.txt", "new.txt"]);
    let terms = v["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 2);
    assert_eq!(terms[0]["term"], "Data");
    assert_eq!(terms[0]["status"], "removed");
    assert_eq!(
        (terms[0]["left_clause"].as_str(), terms[0]["right_clause"].as_str()),
        (Some("1"), None)
    );
    assert_eq!(strings(&terms[0]["used_in"]), ["2"]);
    // Curly quotes and a line break alone: the same definition under --normalize.
    assert_eq!(terms[1]["status"], "unchanged");
    let text = diff_text(dir.path(), &["--normalize", "old.txt", "new.txt"]);
    assert!(text.ends_with("Definitions:\n  Data (1) removed; still used in 2\n"), "{text}");
    // Exactly, the retyped definition changed too.
    let text = diff_text(dir.path(), &["old.txt", "new.txt"]);
    assert!(
        text.ends_with("  Data (1) removed; still used in 2\n  Model (1) changed; used in 2\n"),
        "{text}"
    );
}

#[test]
fn no_definitions_section_when_no_definition_changed() {
    let dir = write_pair(
        "1. Definitions\n\n\"Data\" means facts.\n\n2. Use\n\nShare the Data.\n",
        "1. Definitions\n\n\"Data\" means facts.\n\n2. Use\n\nShare the Data freely.\n",
    );
    let text = diff_text(dir.path(), &["--by", "clause", "old.txt", "new.txt"]);
    assert!(!text.contains("Definitions:") && !text.contains("uses changed"), "{text}");
    let v = diff_json(dir.path(), &["old.txt", "new.txt"]);
    assert_eq!(changed(&v), []);
    assert_eq!(statuses(&v).len(), 1);
}

//! `lrw terms`, driven through the real binary.

mod common;

use serde_json::Value;

fn json(path: &str) -> Value {
    let out = common::run(&["terms", "--format", "json", path]);
    common::assert_code(&out, 0);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", common::stdout(&out)))
}

fn term<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term"] == name)
        .unwrap_or_else(|| panic!("no term {name} in {v:#}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect()
}

#[test]
fn json_has_the_contract_keys() {
    let v = json("spdx:MPL-2.0");
    assert_eq!(v["path"], "spdx:MPL-2.0");
    let you = term(&v, "You");
    // serde_json's map here is sorted: the keys, not their order, are checked.
    let keys: Vec<&str> = you.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["aliases", "clause", "definition", "line", "term", "used_in"]);
    assert_eq!(strings(&you["aliases"]), ["Your"]);
    assert_eq!(you["clause"], "1.14");
    assert_eq!(you["line"], 76);
    assert!(
        you["definition"]
            .as_str()
            .unwrap()
            .starts_with("\"You\" (or \"Your\") means an individual")
    );
    // "Larger Work" is used in 2.1(a) and 3.3 only; "Covered Software" all over.
    assert_eq!(strings(&term(&v, "Larger Work")["used_in"]), ["2.1(a)", "3.3"]);
    assert!(term(&v, "Covered Software")["used_in"].as_array().unwrap().len() > 15);
}

#[test]
fn creative_commons_terms_without_quotes() {
    let v = json("spdx:CC-BY-4.0");
    let names: Vec<&str> =
        v["terms"].as_array().unwrap().iter().map(|t| t["term"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"Adapted Material") && names.contains(&"Sui Generis Database Rights"),
        "{names:?}"
    );
    let you = term(&v, "You");
    assert_eq!(you["clause"], "1(k)");
    assert_eq!(strings(&you["aliases"]), ["Your"]);
    let share = term(&v, "Share");
    assert_eq!(
        share["definition"].as_str().unwrap().split(' ').take(3).collect::<Vec<_>>(),
        ["Share", "means", "to"]
    );
    assert!(strings(&share["used_in"]).contains(&"2(a)(1)(A)"), "{share:#}");
}

#[test]
fn text_output_has_one_line_per_term() {
    let out = common::run(&["terms", "spdx:Apache-2.0"]);
    common::assert_code(&out, 0);
    let text = common::stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "spdx:Apache-2.0: 12 defined terms");
    assert_eq!(lines.len(), 13);
    let you = lines.iter().find(|l| l.trim_start().starts_with("You (or Your)")).expect("You");
    assert!(you.contains(" 1 ") && you.contains("line 15") && you.ends_with("clauses"), "{you}");
}

#[test]
fn a_text_without_terms_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.txt"), "1. You may copy this.\n\n2. No warranty.\n")
        .unwrap();
    let out = common::run_in(dir.path(), &["terms", "plain.txt"]);
    common::assert_code(&out, 0);
    assert_eq!(common::stdout(&out), "plain.txt: no defined terms found\n");
    let out = common::run_in(dir.path(), &["terms", "--format", "json", "plain.txt"]);
    assert_eq!(common::stdout(&out), "{\n  \"path\": \"plain.txt\",\n  \"terms\": []\n}\n");
}

#[test]
fn unreadable_input_exits_2() {
    let out = common::run(&["terms", "no/such/file.txt"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("no/such/file.txt"), "{}", common::stderr(&out));
}

#[test]
fn hostile_names_reach_the_terminal_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil.txt"),
        "1. Definitions\n\n\"Evil\u{1b}[31mName\" means a trick.\n\n2. The Evil\u{1b}[31mName is used.\n",
    )
    .unwrap();
    let out = common::run_in(dir.path(), &["terms", "evil.txt"]);
    common::assert_code(&out, 0);
    assert!(!common::has_raw_control(&out.stdout), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn modelgo_output_is_used_by_the_output_provision() {
    let Some(path) = common::corpus_file("MG-BY-NC-2.0.txt") else { return };
    let v = json(&path);
    let output = term(&v, "Output");
    assert_eq!(output["clause"], "1");
    assert_eq!(output["line"], 47);
    // 2.2(b): "If You Distribute a collection of Output as a dataset ..."
    assert!(strings(&output["used_in"]).contains(&"2.2(b)"), "{output:#}");
    let dist = term(&v, "Distribution");
    assert_eq!(strings(&dist["aliases"]), ["Distribute"]);
    // "Distributing Derivative Materials" in 2.2(a)(ii) is a use of the verb.
    assert!(strings(&dist["used_in"]).contains(&"2.2(a)(ii)"), "{dist:#}");
}

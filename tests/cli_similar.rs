//! `lrw similar` through the real binary: the JSON contract, the table, `--top`,
//! `--osi-only`, contained licenses, and exit codes.

mod common;

use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = common::run(args);
    common::assert_code(&out, 0);
    serde_json::from_str(&common::stdout(&out)).expect("stdout is JSON")
}

#[test]
fn json_report_has_the_contract_shape() {
    let v = json(&["similar", "spdx:Apache-2.0", "--format", "json"]);
    assert_eq!(v["path"], "spdx:Apache-2.0");
    let matches = v["matches"].as_array().expect("matches is an array");
    assert_eq!(matches.len(), 5, "default --top is 5: {v}");
    let first = &matches[0];
    assert_eq!(first["id"], "Apache-2.0");
    assert_eq!(first["name"], "Apache License 2.0");
    assert_eq!(first["osi"], true);
    assert_eq!(first["fsf"], true);
    assert!(first["score"].as_f64().unwrap() > 0.99, "{first}");
    for m in matches {
        // serde_json's map is sorted, so compare sorted key lists.
        let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["aliases", "fsf", "id", "name", "osi", "score"], "{m}");
        let score = m["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{m}");
    }
    let scores: Vec<f64> = matches.iter().map(|m| m["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "not best first: {scores:?}");
    let contains = v["contains"].as_array().expect("contains is an array");
    assert_eq!(contains.len(), 1, "{v}");
    assert_eq!(contains[0]["id"], "Apache-2.0");
    assert_eq!(contains[0]["kind"], "text");
    assert!(contains[0]["line_start"].as_u64().unwrap() >= 1);
}

#[test]
fn top_sets_the_number_of_matches() {
    for (n, want) in [("1", 1), ("12", 12)] {
        let v = json(&["similar", "spdx:MIT", "--top", n, "--format", "json"]);
        assert_eq!(v["matches"].as_array().unwrap().len(), want, "--top {n}");
        assert_eq!(v["matches"][0]["id"], "MIT");
    }
    let out = common::run(&["similar", "spdx:MIT", "--top", "0"]);
    common::assert_code(&out, 2);
}

#[test]
fn osi_only_lists_only_approved_licenses() {
    // MIT's runner-up, JSON, is not OSI approved; with --osi-only it must be gone.
    let all = json(&["similar", "spdx:MIT", "--top", "3", "--format", "json"]);
    assert!(all["matches"].as_array().unwrap().iter().any(|m| m["id"] == "JSON"), "{all}");
    let osi = json(&["similar", "spdx:MIT", "--top", "20", "--osi-only", "--format", "json"]);
    let matches = osi["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 20);
    assert!(matches.iter().all(|m| m["osi"] == true), "{osi}");
    assert!(matches.iter().all(|m| m["id"] != "JSON"), "{osi}");
    assert_eq!(matches[0]["id"], "MIT");
}

#[test]
fn text_report_is_an_aligned_table() {
    let out = common::run(&["similar", "spdx:GPL-3.0-only", "--top", "4"]);
    common::assert_code(&out, 0);
    let s = common::stdout(&out);
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines[0], "spdx:GPL-3.0-only: closest SPDX licenses", "{s}");
    assert!(lines[1].starts_with("  score   id "), "{s}");
    let rows = &lines[2..6];
    // The OSI column starts at the same place on the header and on every row.
    let col = lines[1].find("OSI").unwrap();
    for row in rows {
        assert!(matches!(&row[col..col + 3], "yes" | "no "), "misaligned: {row:?}\n{s}");
    }
    assert!(rows[0].contains("GPL-3.0-or-later") && rows[0].contains("same text: GPL-3.0-only"));
    assert!(s.contains("contains:\n  lines 1-"), "{s}");
}

#[test]
fn unrelated_text_gets_a_note_instead_of_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("poem.txt"), "Roses are red, violets are blue.\n").unwrap();
    let out = common::run_in(dir.path(), &["similar", "poem.txt"]);
    common::assert_code(&out, 0);
    let s = common::stdout(&out);
    assert!(s.contains("note: no listed license is close"), "{s}");
    assert!(!s.contains("contains:"), "{s}");
    assert!(!s.contains("diff with the closest"), "no diff suggested for a poem: {s}");
}

#[test]
fn a_license_notice_is_reported_as_the_standard_header() {
    let dir = tempfile::tempdir().unwrap();
    let notice = "Copyright 2024 Example Corp.\n\n\
        Licensed under the Apache License, Version 2.0 (the \"License\");\n\
        you may not use this file except in compliance with the License.\n\
        You may obtain a copy of the License at\n\n\
        \x20   http://www.apache.org/licenses/LICENSE-2.0\n\n\
        Unless required by applicable law or agreed to in writing, software\n\
        distributed under the License is distributed on an \"AS IS\" BASIS,\n\
        WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\n\
        See the License for the specific language governing permissions and\n\
        limitations under the License.\n";
    std::fs::write(dir.path().join("NOTICE"), notice).unwrap();
    let out = common::run_in(dir.path(), &["similar", "NOTICE", "--format", "json"]);
    common::assert_code(&out, 0);
    let v: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let c = &v["contains"][0];
    assert_eq!((c["id"].as_str(), c["kind"].as_str()), (Some("Apache-2.0"), Some("header")), "{v}");
    assert_eq!(c["line_start"], 3, "{v}");
    // A notice is not a license text: nothing on the list is close to the whole of it.
    assert!(v["matches"][0]["score"].as_f64().unwrap() < 0.5, "{v}");
    let s = common::stdout(&common::run_in(dir.path(), &["similar", "NOTICE"]));
    assert!(s.contains("Apache-2.0 (standard header)"), "{s}");
}

#[test]
fn concatenated_licenses_are_both_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mit = lrw::text::load("spdx:MIT").unwrap().content;
    let apache = lrw::text::load("spdx:Apache-2.0").unwrap().content;
    std::fs::write(dir.path().join("LICENSE"), format!("{mit}\n{apache}")).unwrap();
    let v = {
        let out = common::run_in(dir.path(), &["similar", "LICENSE", "--format", "json"]);
        common::assert_code(&out, 0);
        serde_json::from_str::<Value>(&common::stdout(&out)).unwrap()
    };
    let ids: Vec<&str> =
        v["contains"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["MIT", "Apache-2.0"], "{v}");
    let out = common::run_in(dir.path(), &["similar", "LICENSE"]);
    let s = common::stdout(&out);
    assert!(s.contains("note: the text holds 2 licenses"), "{s}");
    let at = s.find("contains:").expect("contains section");
    let section: Vec<&str> =
        s[at..].lines().skip(1).take_while(|l| l.starts_with("  lines ")).collect();
    assert_eq!(section.len(), 2, "{s}");
    // MIT's title and copyright lines carry no words that count, so it may start at line 5.
    assert!(section[0].trim_start().starts_with("lines ") && section[0].ends_with("MIT"), "{s}");
    assert!(section[1].ends_with("Apache-2.0"), "{s}");
}

#[test]
fn unreadable_input_exits_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run_in(dir.path(), &["similar", "missing.txt"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("missing.txt"), "{}", common::stderr(&out));
    assert!(out.stdout.is_empty());

    let out = common::run_in(dir.path(), &["similar", "."]);
    common::assert_code(&out, 2);

    let out = common::run(&["similar", "spdx:Apache-2.1"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("spdx:Apache-2.1"), "{}", common::stderr(&out));
}

#[test]
fn hostile_file_names_and_contents_do_not_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}[2J\u{202e}.txt";
    let mit = lrw::text::load("spdx:MIT").unwrap().content;
    std::fs::write(dir.path().join(name), format!("\u{1b}]0;title\u{7}\n{mit}")).unwrap();
    for format in ["text", "json"] {
        let out = common::run_in(dir.path(), &["similar", name, "--format", format]);
        common::assert_code(&out, 0);
        assert!(!common::has_raw_control(&out.stdout), "{format}: {out:?}");
        assert!(!common::stdout(&out).contains('\u{202e}'), "{format}: {out:?}");
        assert!(common::stdout(&out).contains("MIT"), "{format}: {out:?}");
    }
}

/// Apache-2.0 made non-commercial: the kind of light edit `similar` exists to catch.
fn acme(dir: &std::path::Path, name: &str) {
    let apache = lrw::text::load("spdx:Apache-2.0").unwrap().content;
    let edited = apache
        .replacen("Apache License", "ACME Model License", 1)
        .replace("worldwide, non-exclusive,", "worldwide, non-exclusive, non-commercial,");
    std::fs::write(dir.join(name), edited).unwrap();
}

#[test]
fn the_closest_license_is_one_command_away_from_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    acme(dir.path(), "ACME-LICENSE.txt");
    let out = common::run_in(dir.path(), &["similar", "ACME-LICENSE.txt", "--top", "2"]);
    common::assert_code(&out, 0);
    let s = common::stdout(&out);
    let hint = s.lines().last().unwrap();
    let prefix = "diff with the closest: lrw ";
    assert_eq!(
        hint,
        "diff with the closest: lrw diff spdx:Apache-2.0 ACME-LICENSE.txt --by clause --normalize",
        "{s}"
    );
    // The suggested command runs as printed and finds the edit.
    let args: Vec<&str> = hint[prefix.len()..].split(' ').collect();
    let diff = common::run_in(dir.path(), &args);
    common::assert_code(&diff, 1);
    assert!(common::stdout(&diff).contains("non-commercial"), "{}", common::stdout(&diff));

    // A name that needs quoting for the shell is quoted.
    acme(dir.path(), "my license.txt");
    let out = common::run_in(dir.path(), &["similar", "my license.txt", "--top", "1"]);
    let s = common::stdout(&out);
    assert!(s.ends_with("lrw diff spdx:Apache-2.0 'my license.txt' --by clause --normalize\n"));
}

#[test]
fn diff_flag_shows_the_clause_aligned_normalised_diff_against_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    acme(dir.path(), "ACME-LICENSE.txt");
    let out = common::run_in(
        dir.path(),
        &["similar", "ACME-LICENSE.txt", "--top", "2", "--diff", "--osi-only"],
    );
    common::assert_code(&out, 0);
    let s = common::stdout(&out);
    assert!(!common::has_raw_control(&out.stdout), "{s}");
    let table = s.find("  score   id").expect("the table comes first");
    let left = s.find("--- spdx:Apache-2.0").expect("the diff's left side is the SPDX text");
    assert!(table < left, "{s}");
    assert!(s.contains("+++ ACME-LICENSE.txt"), "{s}");
    // Clause by clause: clause 2 is reported changed, with the added words.
    assert!(s.contains("== 2  changed"), "{s}");
    assert!(s.contains("{+non-commercial,+}"), "{s}");
    assert!(s.contains("== 5  unchanged"), "{s}");

    let out =
        common::run_in(dir.path(), &["similar", "ACME-LICENSE.txt", "--diff", "--format", "json"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("--diff"), "{}", common::stderr(&out));
}

//! `lrw clauses` through the real binary: tree and JSON output, `spdx:` texts, unreadable
//! files, and display safety for hostile texts.

mod common;

use common::{assert_code, has_raw_control, run, stderr, stdout};
use serde_json::Value;

#[test]
fn tree_output_of_mpl_2_0() {
    let out = run(&["clauses", "spdx:MPL-2.0"]);
    assert_code(&out, 0);
    insta::assert_snapshot!("clauses_tree_spdx_mpl_2_0", stdout(&out));
}

#[test]
fn json_shape_is_exact() {
    let out = run(&["clauses", "--format", "json", "spdx:Apache-2.0"]);
    assert_code(&out, 0);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let obj = v.as_object().expect("an object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["clauses", "path"]);
    assert_eq!(v["path"], "spdx:Apache-2.0");
    let clauses = v["clauses"].as_array().expect("clauses array");
    for c in clauses {
        let mut keys: Vec<&str> =
            c.as_object().expect("clause object").keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["depth", "heading", "id", "label", "line_end", "line_start"]);
    }
    let ids: Vec<&str> = clauses.iter().map(|c| c["id"].as_str().expect("id string")).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "4(a)", "4(b)", "4(c)", "4(d)", "5", "6", "7", "8", "9"]);
    assert_eq!(
        clauses[0],
        serde_json::json!({"id": "1", "label": "1.", "depth": 1, "heading": "Definitions",
                           "line_start": 7, "line_end": 27})
    );
    assert_eq!(
        clauses[4],
        serde_json::json!({"id": "4(a)", "label": "(a)", "depth": 2,
                           "heading": "You must give any other recipients of the Work or\u{2026}",
                           "line_start": 35, "line_end": 35})
    );
}

#[test]
fn json_of_a_corpus_text_lists_nested_clauses_in_order() {
    let Some(path) = common::corpus_file("CC-BY-4.0.txt") else { return };
    let out = run(&["clauses", "--format", "json", &path]);
    assert_code(&out, 0);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(v["path"], path.as_str());
    let clauses = v["clauses"].as_array().expect("clauses");
    let c = clauses.iter().find(|c| c["id"] == "2(a)(1)").expect("2(a)(1)");
    assert_eq!((c["label"].as_str(), c["depth"].as_u64()), (Some("1."), Some(3)));
    let starts: Vec<u64> =
        clauses.iter().map(|c| c["line_start"].as_u64().expect("line")).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(clauses.len(), 66);
}

/// MIT has no numbered clauses: its paragraphs stand in, and a note says so once (in the
/// tree's first line, or on stderr beside the JSON).
#[test]
fn unnumbered_text_lists_its_paragraphs() {
    let out = run(&["clauses", "spdx:MIT"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "note: spdx:MIT has no numbered clauses: its paragraphs stand in (\u{b6}1-\u{b6}4)\n\
         \u{b6}1  Copyright (c) <year> <copyright holders>  (line 3)\n\
         \u{b6}2  Permission is hereby granted, free of charge, to any person\u{2026}  (lines 5-9)\n\
         \u{b6}3  The above copyright notice and this permission notice shall\u{2026}  (lines 11-12)\n\
         \u{b6}4  THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY\u{2026}  (lines 14-18)\n"
    );
    assert_eq!(stderr(&out), "");
    let out = run(&["clauses", "--format", "json", "spdx:MIT"]);
    assert_code(&out, 0);
    assert_eq!(
        stderr(&out),
        "note: spdx:MIT has no numbered clauses: its paragraphs stand in (\u{b6}1-\u{b6}4)\n"
    );
    let v: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let para = |n: u32, heading: &str, start: u32, end: u32| {
        serde_json::json!({"id": format!("\u{b6}{n}"), "label": "", "depth": 1,
                           "heading": heading, "line_start": start, "line_end": end})
    };
    assert_eq!(
        v,
        serde_json::json!({"path": "spdx:MIT", "clauses": [
            para(1, "Copyright (c) <year> <copyright holders>", 3, 3),
            para(2, "Permission is hereby granted, free of charge, to any person\u{2026}", 5, 9),
            para(3, "The above copyright notice and this permission notice shall\u{2026}", 11, 12),
            para(4, "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY\u{2026}", 14, 18),
        ]})
    );
}

/// A text with neither a numbered clause nor a paragraph (only its title) has no clauses.
#[test]
fn text_without_clauses_or_paragraphs_prints_a_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("title-only.md");
    std::fs::write(&path, "# Only a Title\n\n\n").expect("write");
    let p = path.display().to_string();
    let out = run(&["clauses", &p]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        format!(
            "{p}: no numbered clauses found (no labels such as `1.`, `(a)`, `Section 2` or \
             Markdown headings at the start of a line)\n"
        )
    );
    let out = run(&["clauses", "--format", "json", &p]);
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "");
    let v: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(v, serde_json::json!({"path": p, "clauses": []}));
}

#[test]
fn unreadable_file_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-license.txt");
    let out = run(&["clauses", &missing.display().to_string()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no-such-license.txt"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let out = run(&["clauses", "spdx:No-Such-License-9"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("No-Such-License-9"), "{}", stderr(&out));
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("evil.txt");
    let evil = "Evil License\n\n1. Grant\x1b]52;c;ZXZpbA==\x07 of \u{202e}rights\u{202c}.\n\
                (a)\tbell\x07 and \x1b[2J clear\n2. \u{9b}31m Term\r\n\u{2066}3. Isolated\n";
    std::fs::write(&path, evil).expect("write");
    let p = path.display().to_string();
    for format in ["tree", "json"] {
        let out = run(&["clauses", "--format", format, &p]);
        assert_code(&out, 0);
        assert!(!has_raw_control(&out.stdout), "{format}: {:?}", stdout(&out));
        assert!(!stdout(&out).contains('\u{202e}'), "{format}: bidi override printed");
    }
    let out = run(&["clauses", &p]);
    let text = stdout(&out);
    assert!(text.starts_with("1 "), "{text}");
    assert!(text.contains("\u{241b}]52;c;"), "ESC shown as a marker: {text}");
    let json: Value =
        serde_json::from_str(&stdout(&run(&["clauses", "--format", "json", &p]))).expect("JSON");
    let ids: Vec<&str> = json["clauses"]
        .as_array()
        .expect("clauses")
        .iter()
        .map(|c| c["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["1", "1(a)", "2"]);
}

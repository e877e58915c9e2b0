//! `lrw diff`, driven through the real binary.

mod common;

use std::path::Path;

use serde_json::Value;

fn json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["diff", "--format", "json"];
    all.extend_from_slice(args);
    let out = common::run_in(dir, &all);
    let code = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}\n{}", common::stdout(&out), common::stderr(&out))
    });
    (v, code)
}

/// Removed and added word texts of a hunk.
/// The JSON's clause pairs as (left id, right id, status).
fn clause_pairs(v: &Value) -> Vec<(Option<&str>, Option<&str>, &str)> {
    v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["left"].as_str(), c["right"].as_str(), c["status"].as_str().unwrap()))
        .collect()
}

fn words(h: &Value, key: &str) -> Vec<String> {
    h[key].as_array().unwrap().iter().map(|w| w["text"].as_str().unwrap().to_string()).collect()
}

fn text_plain(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = common::lrw()
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    assert!(!common::has_raw_control(&out.stdout), "raw control in output");
    (common::stdout(&out), out.status.code().unwrap_or(-1))
}

#[test]
fn moved_definition_is_a_move_not_a_deletion_and_an_addition() {
    let Some(dir) = common::corpus() else { return };
    let (v, code) = json(&dir, &["MG-BY-NC-2.0-2025-06-28a.txt", "MG-BY-NC-2.0-2025-05.txt"]);
    assert_eq!(code, 1);
    let hunks = v["hunks"].as_array().unwrap();
    let moved: Vec<&Value> = hunks.iter().filter(|h| h["kind"] == "moved").collect();
    assert_eq!(moved.len(), 1, "{hunks:#?}");
    let m = moved[0];
    assert_eq!((m["left"]["start"].as_u64(), m["left"]["end"].as_u64()), (Some(46), Some(48)));
    assert_eq!((m["right"]["start"].as_u64(), m["right"]["end"].as_u64()), (Some(40), Some(42)));
    assert_eq!(m["similarity"], 1.0);
    assert!(words(m, "removed").is_empty() && words(m, "added").is_empty());
    // Nothing else mentions the definition.
    for h in hunks.iter().filter(|h| h["kind"] != "moved") {
        for w in words(h, "removed").iter().chain(&words(h, "added")) {
            assert!(!w.contains("NonCommercial"), "{h:#?}");
        }
    }
    assert_eq!(v["summary"]["moved_blocks"], 1);
    assert_eq!(v["summary"]["changes"], 2);

    let (text, _) = text_plain(&dir, &["MG-BY-NC-2.0-2025-06-28a.txt", "MG-BY-NC-2.0-2025-05.txt"]);
    assert!(text.contains("lines +40..42 moved from -46..48 (100% same words)"), "{text}");
}

#[test]
fn creativeml_shows_only_the_real_edits() {
    let Some(dir) = common::corpus() else { return };
    let (v, code) =
        json(&dir, &["--normalize", "CreativeML-OpenRAIL-M.txt", "CreativeML-OpenRAIL++-M.txt"]);
    assert_eq!(code, 1);
    let hunks = v["hunks"].as_array().unwrap();
    assert_eq!(hunks.len(), 3, "{hunks:#?}");
    assert_eq!(words(&hunks[0], "removed"), ["Robin Rombach and Patrick Esser"]);
    assert_eq!(words(&hunks[0], "added"), ["Stability AI"]);
    assert_eq!(words(&hunks[1], "removed"), ["August 22"]);
    assert_eq!(words(&hunks[1], "added"), ["++", "License", "November 24"]);
    assert_eq!(hunks[2]["left"]["start"], 55);
    assert_eq!(
        words(&hunks[2], "removed"),
        [", update the Model through electronic means, or modify the Output of the Model based \
          on updates. You shall undertake reasonable efforts to use the latest version of the Model"]
    );
    assert!(words(&hunks[2], "added").is_empty());

    // Exactly: the blank line moved to before the use restrictions shows too.
    let (v, _) = json(&dir, &["CreativeML-OpenRAIL-M.txt", "CreativeML-OpenRAIL++-M.txt"]);
    let hunks = v["hunks"].as_array().unwrap();
    let kinds: Vec<&str> = hunks.iter().map(|h| h["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["changed", "changed", "changed", "changed"]);
    assert_eq!(
        (hunks[3]["words_added"].as_u64(), hunks[3]["words_removed"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(hunks[3]["right"]["start"], 71);
}

fn rewrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let joined = para.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&textwrap::fill(&joined, width));
        out.push_str("\n\n");
    }
    out
}

#[test]
fn rewrapped_copy_differs_only_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let original = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of\nthis software and associated documentation files (the \"Software\"), to deal in\nthe Software without restriction.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND.\n\n";
    std::fs::write(dir.path().join("a.txt"), original).unwrap();
    std::fs::write(dir.path().join("b.txt"), rewrap(original, 38)).unwrap();
    let (text, code) = text_plain(dir.path(), &["--normalize", "a.txt", "b.txt"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("No differences once normalised"), "{text}");
    let (v, code) = json(dir.path(), &["--exact", "a.txt", "b.txt"]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["words_added"], 0);
    assert_eq!(v["summary"]["words_removed"], 0);
    assert!(!v["hunks"].as_array().unwrap().is_empty());
    // The white space that changed is what is marked.
    for h in v["hunks"].as_array().unwrap() {
        for w in words(h, "removed").iter().chain(&words(h, "added")) {
            assert!(w.trim().is_empty(), "{w:?}");
        }
    }
}

#[test]
fn a_text_against_itself_has_no_hunks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "1. Grant\n\nYou may use it.\n").unwrap();
    for mode in ["--exact", "--normalize"] {
        let (v, code) = json(dir.path(), &[mode, "a.txt", "a.txt"]);
        assert_eq!(code, 0);
        assert_eq!(v["identical"], true);
        assert_eq!(v["hunks"].as_array().unwrap().len(), 0);
    }
    let (text, code) = text_plain(dir.path(), &["a.txt", "a.txt"]);
    assert_eq!(code, 0);
    assert!(text.contains("\nNo differences.\n"), "{text}");
    assert!(
        text.ends_with("Clauses: 0 changed, 0 renumbered, 0 moved, 0 added, 0 removed.\n"),
        "{text}"
    );
    let out = common::run(&["diff", "spdx:MIT", "spdx:MIT"]);
    common::assert_code(&out, 0);
}

#[test]
fn invisible_and_lookalike_differences_are_shown_and_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Granted by the Licensor to You.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "Granted by the\u{00A0}Licens\u{043E}r to You.\n")
        .unwrap();
    for mode in ["--exact", "--normalize"] {
        let (text, code) = text_plain(dir.path(), &[mode, "--format", "unified", "a.txt", "b.txt"]);
        assert_eq!(code, 1, "{text}");
        assert!(
            text.contains("Note: right line 1 column 15: U+00A0 no-break space inside a change."),
            "{text}"
        );
        assert!(
            text.contains("Note: right line 1 column 22: U+043E Cyrillic letter in a Latin word inside a change."),
            "{text}"
        );
        let (v, _) = json(dir.path(), &[mode, "a.txt", "b.txt"]);
        let odd = v["odd_characters"].as_array().unwrap();
        let cps: Vec<&str> = odd.iter().map(|o| o["code_point"].as_str().unwrap()).collect();
        assert_eq!(cps, ["U+00A0", "U+043E"]);
    }
}

#[test]
fn control_characters_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Plain words here.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "Plain \u{1b}]0;pwned\u{7} words\u{202e} here.\n")
        .unwrap();
    for format in ["side", "unified", "json"] {
        let out = common::run_in(dir.path(), &["diff", "--format", format, "a.txt", "b.txt"]);
        common::assert_code(&out, 1);
        assert!(!common::has_raw_control(&out.stdout), "{format}: {}", common::stdout(&out));
        assert!(!common::stdout(&out).contains('\u{202e}'));
    }
}

#[test]
fn unreadable_input_exits_2() {
    let out = common::run(&["diff", "no/such/file.txt", "spdx:MIT"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("no/such/file.txt"), "{}", common::stderr(&out));
}

fn snapshot_pair() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("old.txt"),
        "1. Grant. The Licensor grants You a worldwide, royalty-free license to use,\n\
         copy and modify the Work.\n\n\
         2. Attribution. You must keep the copyright notice.\n\n\
         3. Termination. This license ends if You break it.\n\n\
         4. No warranty. The Work is provided \"as is\".\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("new.txt"),
        "1. Grant. The Licensor grants You a worldwide, non-exclusive license to use,\n\
         copy, modify and distribute the Work.\n\n\
         2. Termination. This license ends if You break it.\n\n\
         3. Attribution. You must keep the copyright notice.\n\n\
         4. No warranty. The Work is provided \"as is\".\n",
    )
    .unwrap();
    dir
}

#[test]
fn snapshot_small_pair() {
    let dir = snapshot_pair();
    let (side, code) = text_plain(dir.path(), &["--width", "100", "old.txt", "new.txt"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("small_side", side);
    let (unified, _) = text_plain(dir.path(), &["--format", "unified", "old.txt", "new.txt"]);
    insta::assert_snapshot!("small_unified", unified);
}

#[test]
fn snapshot_corpus_pair() {
    let Some(dir) = common::corpus() else { return };
    let args = ["--width", "110", "MG-BY-NC-2.0-2025-06-28a.txt", "MG-BY-NC-2.0-2025-05.txt"];
    let (side, _) = text_plain(&dir, &args);
    insta::assert_snapshot!("mg_by_nc_side", side);
    let mut uargs = vec!["--format", "unified"];
    uargs.extend_from_slice(&args[2..]);
    let (unified, _) = text_plain(&dir, &uargs);
    insta::assert_snapshot!("mg_by_nc_unified", unified);
}

/// Deterministic text of about `size` bytes: paragraphs of the given words.
fn big_text(seed: u64, size: usize, vocabulary: &[&str]) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut s = String::with_capacity(size + 100);
    let mut col = 0;
    while s.len() < size {
        let w = vocabulary[rng.usize(..vocabulary.len())];
        s.push_str(w);
        col += w.len() + 1;
        if col > 70 {
            s.push('\n');
            col = 0;
            if rng.usize(..6) == 0 {
                s.push('\n');
            }
        } else {
            s.push(' ');
        }
    }
    s.push('\n');
    s
}

/// A pair of `size` bytes with scattered word edits, and texts of `other` bytes unrelated to
/// each other: diffed with no time for detail, the result is coarse and says so; with a
/// second, unrelated texts finish.
fn large_inputs_finish_and_report_the_fallback(size: usize, other: usize) {
    let dir = tempfile::tempdir().unwrap();
    let vocab = ["license", "grant", "the", "work", "you", "may", "copy", "and", "of", "to"];
    let a = big_text(1, size, &vocab);
    // Scattered word edits.
    let mut b = String::with_capacity(a.len());
    for (i, w) in a.split(' ').enumerate() {
        if i > 0 {
            b.push(' ');
        }
        b.push_str(if i % 997 == 0 { "changed" } else { w });
    }
    std::fs::write(dir.path().join("a.txt"), &a).unwrap();
    std::fs::write(dir.path().join("b.txt"), &b).unwrap();
    let words = ["zebra", "quartz", "mellow", "ocean", "the", "of"];
    std::fs::write(dir.path().join("u.txt"), big_text(2, other, &words)).unwrap();
    std::fs::write(dir.path().join("s.txt"), big_text(3, other, &vocab)).unwrap();

    // Diffed with no time for detail: the result is coarse and says so.
    let (text, code) = text_plain(
        dir.path(),
        &["--format", "unified", "--context", "0", "--timeout", "0", "a.txt", "b.txt"],
    );
    assert_eq!(code, 1);
    assert!(
        text.contains("Note: the 0 s deadline was reached"),
        "{}",
        &text[text.len().saturating_sub(500)..]
    );
    let (v, code) = json(dir.path(), &["--timeout", "0", "a.txt", "u.txt"]);
    assert_eq!(code, 1);
    assert_eq!(v["timed_out"], true);
    assert!(v["hunks"].as_array().unwrap().iter().any(|h| h["coarse"] == true));
    // With time, unrelated texts finish too (whether they needed the fallback is not asserted:
    // that depends on the machine).
    let (text, code) =
        text_plain(dir.path(), &["--format", "unified", "--timeout", "1", "s.txt", "u.txt"]);
    assert_eq!(code, 1);
    assert!(text.contains("Summary: "));
}

/// Well past the 4096 lines below which diffs run without a deadline: 512 KiB (and 256 KiB
/// unrelated texts) in the suite; 10 MiB (and 1 MiB) with `LRW_STRESS=1`, about 20 s in a
/// debug build.
#[test]
fn large_and_unrelated_inputs_finish_and_report_the_fallback() {
    let test = "large_and_unrelated_inputs_finish_and_report_the_fallback";
    let size = common::stress_size(test, 512 << 10, 10 << 20);
    large_inputs_finish_and_report_the_fallback(size, (size / 2).min(1 << 20));
}

/// The clause pairs of a JSON report as (left, right, status).
fn pairs(v: &Value) -> Vec<(String, String, String)> {
    v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
            (s("left"), s("right"), s("status"))
        })
        .collect()
}

fn has(p: &[(String, String, String)], l: &str, r: &str, status: &str) -> bool {
    p.iter().any(|(a, b, s)| a == l && b == r && s == status)
}

#[test]
fn renumbered_sections_pair_with_their_old_selves() {
    let Some(dir) = common::corpus() else { return };
    for by in ["line", "clause"] {
        let (v, code) =
            json(&dir, &["--by", by, "MG0-2.0-draft-2024-11.txt", "MG0-2.0-2025-05.txt"]);
        assert_eq!(code, 1);
        let p = pairs(&v);
        // Section 8 "Modification of this License" became section 5, its 8.1 merged into it.
        assert!(has(&p, "8", "5", "renumbered"), "{p:#?}");
        assert!(has(&p, "8.1", "5", "changed"), "{p:#?}");
        // Definitions: the draft's 1.1 held them; the new 1 holds them directly.
        assert!(has(&p, "1", "1", "changed") && has(&p, "1.1", "1", "changed"), "{p:#?}");
        // 2.5(b) (no reference to the Licensor's marks) became 2.2 "Reservation of Rights".
        assert!(has(&p, "2.5(b)", "2.2", "renumbered"), "{p:#?}");
        // The disclaimer kept its number; its 3.1 merged into it.
        assert!(has(&p, "3", "3", "changed") && has(&p, "3.1", "3", "changed"), "{p:#?}");
        assert!(has(&p, "2.1(a)(ii)", "2.1(a)(ii)", "changed"), "{p:#?}");
        // New and dropped clauses.
        assert!(has(&p, "-", "2.1(a)(iii)", "added"), "{p:#?}");
        assert!(has(&p, "7", "-", "removed") && has(&p, "6.2(c)", "-", "removed"), "{p:#?}");
        assert_eq!(v["summary"]["clauses"]["renumbered"], 2);
        let sim = v["clauses"].as_array().unwrap().iter().find(|c| c["left"] == "8").unwrap()["similarity"]
            .as_f64()
            .unwrap();
        assert!((0.8..1.0).contains(&sim), "{sim}");
    }
    // Clause by clause, the renumbered section's hunks carry both ids.
    let (v, _) =
        json(&dir, &["--by", "clause", "MG0-2.0-draft-2024-11.txt", "MG0-2.0-2025-05.txt"]);
    let h = v["hunks"].as_array().unwrap();
    assert!(h.iter().any(|h| h["clause"]["left"] == "2.5(b)" && h["clause"]["right"] == "2.2"));
    let (text, _) =
        text_plain(&dir, &["--by", "clause", "MG0-2.0-draft-2024-11.txt", "MG0-2.0-2025-05.txt"]);
    // 8 and 8.1 are consecutive on the left, so their merge into 5 is one section.
    assert!(text.contains("== 8 + 8.1 -> 5  merged"), "{text}");
    assert!(text.contains("== 1 + 1.1 -> 1  merged"), "{text}");
    assert!(text.contains("== 2.5(b) -> 2.2  renumbered (88% same words)"), "{text}");
    assert!(
        text.contains("Clauses: 13 changed, 2 renumbered, 0 moved, 1 added, 32 removed."),
        "{text}"
    );
}

#[test]
fn moved_definition_inside_a_clause_by_clause() {
    let Some(dir) = common::corpus() else { return };
    let (v, code) =
        json(&dir, &["--by", "clause", "MG-BY-NC-2.0-2025-06-28a.txt", "MG-BY-NC-2.0-2025-05.txt"]);
    assert_eq!(code, 1);
    let p = pairs(&v);
    assert!(has(&p, "1", "1", "changed"));
    assert_eq!(p.iter().filter(|x| x.2 != "unchanged").count(), 1, "{p:#?}");
    let h = v["hunks"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1]["kind"], "moved");
    assert_eq!(h[1]["clause"]["left"], "1");
    assert_eq!(
        (h[1]["left"]["start"].as_u64(), h[1]["right"]["start"].as_u64()),
        (Some(46), Some(40))
    );
}

#[test]
fn clause_mode_without_clauses_is_line_mode() {
    // Only a `#` title line: no clause, and no paragraph either.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "# Some words here\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "# Some words there\n").unwrap();
    let (v, code) = json(dir.path(), &["--by", "clause", "a.txt", "b.txt"]);
    assert_eq!(code, 1);
    assert!(v["clauses"].as_array().unwrap().is_empty());
    let h = v["hunks"].as_array().unwrap();
    assert_eq!(
        (h.len(), words(&h[0], "removed"), words(&h[0], "added")),
        (1, vec!["here".to_string()], vec!["there".to_string()])
    );
}

#[test]
fn texts_without_numbering_pair_their_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Some words here.\n\nMore words.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "Some words there.\n\nMore words.\n").unwrap();
    let (v, code) = json(dir.path(), &["--by", "clause", "a.txt", "b.txt"]);
    assert_eq!(code, 1);
    assert_eq!(
        clause_pairs(&v),
        [
            (Some("\u{b6}1"), Some("\u{b6}1"), "changed"),
            (Some("\u{b6}2"), Some("\u{b6}2"), "unchanged")
        ]
    );
    let h = v["hunks"].as_array().unwrap();
    assert_eq!(
        (h.len(), words(&h[0], "removed"), words(&h[0], "added")),
        (1, vec!["here".to_string()], vec!["there".to_string()])
    );
}

/// MIT against MIT No Attribution: the copyright and grant paragraphs are changed, the
/// notice condition is removed, and the disclaimer moves up from ¶4 to ¶3 unchanged.
#[test]
fn mit_and_mit_0_pair_paragraph_by_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let (v, code) = json(dir.path(), &["spdx:MIT", "spdx:MIT-0"]);
    assert_eq!(code, 1);
    assert_eq!(
        clause_pairs(&v),
        [
            (Some("\u{b6}1"), Some("\u{b6}1"), "changed"),
            (Some("\u{b6}2"), Some("\u{b6}2"), "changed"),
            (Some("\u{b6}3"), None, "removed"),
            (Some("\u{b6}4"), Some("\u{b6}3"), "renumbered"),
        ]
    );
    assert_eq!(v["clauses"][3]["similarity"].as_f64(), Some(1.0));
    let (text, code) = text_plain(dir.path(), &["--by", "clause", "spdx:MIT", "spdx:MIT-0"]);
    assert_eq!(code, 1);
    for section in [
        "== (before the first paragraph)",
        "== \u{b6}1  changed",
        "== \u{b6}3  removed",
        "== \u{b6}4 -> \u{b6}3  renumbered (100% same words)",
    ] {
        assert!(text.contains(section), "{section:?} missing:\n{text}");
    }
    assert!(
        text.contains("Paragraphs: 2 changed, 1 renumbered, 0 moved, 0 added, 1 removed."),
        "{text}"
    );
}

#[test]
fn a_missing_final_line_break_is_a_difference_exactly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Same words.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "Same words.").unwrap();
    let (text, code) = text_plain(dir.path(), &["a.txt", "b.txt"]);
    assert_eq!(code, 1);
    assert!(
        text.contains(
            "The left text ends with a line break; the right text does not end with a line break."
        ),
        "{text}"
    );
    let (v, _) = json(dir.path(), &["a.txt", "b.txt"]);
    assert_eq!(
        (v["identical"].as_bool(), v["final_newline"]["right"].as_bool()),
        (Some(false), Some(false))
    );
    let (_, code) = text_plain(dir.path(), &["--normalize", "a.txt", "b.txt"]);
    assert_eq!(code, 0);
}

#[test]
fn thousands_of_identical_clauses_finish() {
    // Hostile input for pairing by text: every clause the same. Candidates are capped, so this
    // stays linear (a hang here would show as a test that never ends).
    let dir = tempfile::tempdir().unwrap();
    let same = "(a) Same words.\n".repeat(5000);
    let numbered: String =
        (1..=900).map(|i| format!("{i}. Same words in every clause.\n\n")).collect();
    std::fs::write(dir.path().join("a.txt"), &same).unwrap();
    std::fs::write(dir.path().join("b.txt"), &numbered).unwrap();
    let (v, code) = json(dir.path(), &["--by", "clause", "a.txt", "b.txt"]);
    assert_eq!(code, 1);
    assert!(!v["clauses"].as_array().unwrap().is_empty());
    let (v, code) = json(dir.path(), &["--by", "clause", "a.txt", "a.txt"]);
    assert_eq!((code, v["identical"].as_bool()), (0, Some(true)));
    assert!(v["clauses"].as_array().unwrap().iter().all(|c| c["status"] == "unchanged"));
}

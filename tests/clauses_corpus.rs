//! The clause parser on the real texts of the shared corpus: every text parses into a sound
//! tree, and for the texts below the full id list is asserted. Each list was checked by hand
//! against the text (its numbering lines, `grep -n` over the labels, and the tricky spots:
//! MPL 2.0's boxed sections 6 and 7, CC BY 4.0's numbers under letters, OpenRAIL's numbering
//! that runs on across `Section I`-`IV`, the Acceptable Use Policy appended to Llama 3 and
//! numbered from 1 again, the GPL's appendix after "END OF TERMS AND CONDITIONS").

mod common;

use std::collections::HashSet;
use std::path::Path;

use lrw::text::{ClauseTree, load};

/// Parse one corpus text, or `None` (with the note printed) when the corpus is absent.
fn parse(name: &str) -> Option<(String, ClauseTree)> {
    let path = common::corpus_file(name)?;
    let text = load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let tree = ClauseTree::parse(&text.content);
    Some((text.content, tree))
}

#[track_caller]
fn check_ids(name: &str, want: &[&str]) {
    let Some((_, tree)) = parse(name) else { return };
    let got: Vec<&str> = tree.clauses.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(got, want, "{name}");
}

/// The tree is sound: ids unique, ranges inside the text, children inside their parents,
/// document order, depth one more than the parent's.
fn check_sound(name: &str, content: &str, tree: &ClauseTree) {
    let lines = content.split('\n').count();
    let mut ids = HashSet::new();
    let mut prev_start = 0;
    for (i, c) in tree.clauses.iter().enumerate() {
        assert!(ids.insert(c.id.as_str()), "{name}: duplicate id {}", c.id);
        assert!(
            c.line_start >= 1 && c.line_start <= c.line_end && c.line_end <= lines,
            "{name}: {c:?}"
        );
        assert!(c.line_start >= prev_start, "{name}: order at {}", c.id);
        prev_start = c.line_start;
        match c.parent {
            Some(p) => {
                let parent = &tree.clauses[p];
                assert!(p < i, "{name}: parent after child {}", c.id);
                assert_eq!(parent.depth + 1, c.depth, "{name}: depth of {}", c.id);
                assert!(
                    parent.line_start <= c.line_start && c.line_end <= parent.line_end,
                    "{name}: {} outside {}",
                    c.id,
                    parent.id
                );
            }
            None => assert_eq!(c.depth, 1, "{name}: {}", c.id),
        }
        assert_eq!(tree.find(&c.id), Some(i), "{name}: find({})", c.id);
    }
}

#[test]
fn every_corpus_text_parses_into_a_sound_tree() {
    let Some(dir) = common::corpus() else { return };
    let mut entries: Vec<_> =
        std::fs::read_dir(&dir).expect("corpus readable").flatten().map(|e| e.path()).collect();
    entries.sort();
    let mut with_clauses = 0;
    for path in &entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
        let text = load(&path.display().to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let tree = ClauseTree::parse(&text.content);
        check_sound(&name, &text.content, &tree);
        if !tree.clauses.is_empty() && !tree.paragraphs {
            with_clauses += 1;
        }
    }
    // All license texts have numbered clauses except MIT, the BSD/Apache templates and XML
    // sources and the manifest (read as paragraphs, which do not count here).
    assert!(with_clauses >= entries.len() - 8, "{with_clauses} of {}", entries.len());
    assert!(Path::new(&dir).join("MIT.txt").exists());
}

/// MIT has no numbered clause: its four paragraphs stand in, the title line left out.
#[test]
fn mit_is_read_as_paragraphs() {
    let Some((content, tree)) = parse("MIT.txt") else { return };
    assert!(tree.paragraphs);
    let got: Vec<_> =
        tree.clauses.iter().map(|c| (c.id.as_str(), c.line_start, c.line_end)).collect();
    assert_eq!(
        got,
        [("\u{b6}1", 3, 3), ("\u{b6}2", 5, 9), ("\u{b6}3", 11, 12), ("\u{b6}4", 14, 18)]
    );
    assert_eq!(
        tree.text(2, &content),
        "The above copyright notice and this permission notice shall be included in all copies or substantial\nportions of the Software."
    );
}

#[test]
fn modelgo_2_line_ranges_and_headings() {
    let Some((content, tree)) = parse("MG-BY-NC-2.0-2025-05.txt") else { return };
    let got: Vec<_> = tree
        .clauses
        .iter()
        .map(|c| (c.id.as_str(), c.depth, c.heading.as_str(), c.line_start, c.line_end))
        .collect();
    assert_eq!(
        got[..4],
        [
            ("1", 1, "DEFINITIONS", 9, 48),
            ("2", 1, "LICENSE RIGHTS", 50, 90),
            ("2.1", 2, "Grant of Rights", 52, 65),
            (
                "2.1(a)",
                3,
                "Subject to the conditions in Section 2.2 of this License,\u{2026}",
                54,
                65
            ),
        ]
    );
    let b = tree.find("2.2.b").expect("2.2(b)");
    assert_eq!((tree.clauses[b].line_start, tree.clauses[b].line_end), (81, 84));
    assert!(tree.text(b, &content).starts_with("(b)\tIf You Distribute a collection of Output"));
    // Line 71 is (i); the blank line 72 between (i) and (ii) belongs to their parent (a).
    assert_eq!(tree.at_line(71), tree.find("2.2(a)(i)"));
    assert_eq!(tree.at_line(72), tree.find("2.2(a)"));
    let last = tree.clauses.last().expect("clauses");
    assert_eq!(
        (last.id.as_str(), last.heading.as_str(), last.line_start),
        ("6", "MODIFICATION OF THIS LICENSE", 116)
    );
}

#[test]
fn cc_by_4_0_navigation() {
    let Some((content, tree)) = parse("CC-BY-4.0.txt") else { return };
    let s2 = tree.find("Section 2").expect("section 2");
    assert_eq!(tree.clauses[s2].heading, "Scope");
    let kids: Vec<&str> = tree.children(s2).map(|i| tree.clauses[i].id.as_str()).collect();
    assert_eq!(kids, ["2(a)", "2(b)"]);
    let a1 = tree.find("2.a.1").expect("2(a)(1)");
    assert_eq!(tree.clauses[a1].depth, 3);
    assert!(tree.own_text(a1, &content).contains("Subject to the terms and conditions"));
    assert!(!tree.own_text(a1, &content).contains("reproduce and Share the Licensed Material"));
    assert!(tree.text(a1, &content).contains("reproduce and Share the Licensed Material"));
}

#[test]
fn gpl_appendix_belongs_to_no_clause() {
    let Some((content, tree)) = parse("GPL-3.0-only.txt") else { return };
    let end =
        content.lines().position(|l| l.trim() == "END OF TERMS AND CONDITIONS").expect("end line")
            + 1;
    assert!(tree.clauses.iter().all(|c| c.line_end < end));
    assert_eq!(tree.at_line(end + 5), None);
}

#[test]
fn ids_mg0_1_0() {
    check_ids(
        "MG0-1.0.txt",
        &[
            "1",
            "2",
            "2(a)",
            "2(b)",
            "2(b)(i)",
            "2(b)(ii)",
            "2(c)",
            "2(d)",
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
            "attachment-a",
        ],
    );
}

#[test]
fn ids_mg0_2_0_2025_05() {
    check_ids(
        "MG0-2.0-2025-05.txt",
        &[
            "1",
            "2",
            "2.1",
            "2.1(a)",
            "2.1(a)(i)",
            "2.1(a)(ii)",
            "2.1(a)(iii)",
            "2.2",
            "3",
            "4",
            "5",
        ],
    );
}

#[test]
fn ids_mg0_2_0_draft_2024_11() {
    check_ids(
        "MG0-2.0-draft-2024-11.txt",
        &[
            "1",
            "1.1",
            "2",
            "2.1",
            "2.1(a)",
            "2.1(a)(i)",
            "2.1(a)(ii)",
            "2.2",
            "2.2(a)",
            "2.3",
            "2.3(a)",
            "2.3(a)(i)",
            "2.3(b)",
            "2.3(b)(i)",
            "2.4",
            "2.4(a)",
            "2.4(b)",
            "2.5",
            "2.5(a)",
            "2.5(b)",
            "3",
            "3.1",
            "3.2",
            "3.3",
            "4",
            "4.1",
            "4.1(a)",
            "4.1(b)",
            "4.1(c)",
            "4.1(d)",
            "5",
            "5.1",
            "5.2",
            "5.2(a)",
            "5.2(b)",
            "5.3",
            "6",
            "6.1",
            "6.2",
            "6.2(a)",
            "6.2(b)",
            "6.2(c)",
            "7",
            "7.1",
            "8",
            "8.1",
            "annex-a",
        ],
    );
}

/// MG-BY-NC 2.0 as of May 2025; the June 2025 revision rewords but keeps the numbering.
const MG_BY_NC_2_0_IDS: &[&str] = &[
    "1",
    "2",
    "2.1",
    "2.1(a)",
    "2.1(a)(i)",
    "2.1(a)(ii)",
    "2.1(a)(iii)",
    "2.2",
    "2.2(a)",
    "2.2(a)(i)",
    "2.2(a)(ii)",
    "2.2(a)(iii)",
    "2.2(b)",
    "2.3",
    "3",
    "4",
    "5",
    "6",
];

#[test]
fn ids_mg_by_nc_2_0_2025_05() {
    check_ids("MG-BY-NC-2.0-2025-05.txt", MG_BY_NC_2_0_IDS);
}

#[test]
fn ids_mg_by_nc_2_0_2025_06_28a() {
    check_ids("MG-BY-NC-2.0-2025-06-28a.txt", MG_BY_NC_2_0_IDS);
}

#[test]
fn ids_cc_by_4_0() {
    check_ids(
        "CC-BY-4.0.txt",
        &[
            "1",
            "1(a)",
            "1(b)",
            "1(c)",
            "1(d)",
            "1(e)",
            "1(f)",
            "1(g)",
            "1(h)",
            "1(i)",
            "1(j)",
            "1(k)",
            "2",
            "2(a)",
            "2(a)(1)",
            "2(a)(1)(A)",
            "2(a)(1)(B)",
            "2(a)(2)",
            "2(a)(3)",
            "2(a)(4)",
            "2(a)(5)",
            "2(a)(5)(A)",
            "2(a)(5)(B)",
            "2(a)(6)",
            "2(b)",
            "2(b)(1)",
            "2(b)(2)",
            "2(b)(3)",
            "3",
            "3(a)",
            "3(a)(1)",
            "3(a)(1)(A)",
            "3(a)(1)(A)(i)",
            "3(a)(1)(A)(ii)",
            "3(a)(1)(A)(iii)",
            "3(a)(1)(A)(iv)",
            "3(a)(1)(A)(v)",
            "3(a)(1)(B)",
            "3(a)(1)(C)",
            "3(a)(2)",
            "3(a)(3)",
            "3(a)(4)",
            "4",
            "4(a)",
            "4(b)",
            "4(c)",
            "5",
            "5(a)",
            "5(b)",
            "5(c)",
            "6",
            "6(a)",
            "6(b)",
            "6(b)(1)",
            "6(b)(2)",
            "6(c)",
            "6(d)",
            "6(e)",
            "7",
            "7(a)",
            "7(b)",
            "8",
            "8(a)",
            "8(b)",
            "8(c)",
            "8(d)",
        ],
    );
}

#[test]
fn ids_mpl_2_0() {
    check_ids(
        "MPL-2.0.txt",
        &[
            "1",
            "1.1",
            "1.2",
            "1.3",
            "1.4",
            "1.5",
            "1.5(a)",
            "1.5(b)",
            "1.6",
            "1.7",
            "1.8",
            "1.9",
            "1.10",
            "1.10(a)",
            "1.10(b)",
            "1.11",
            "1.12",
            "1.13",
            "1.14",
            "2",
            "2.1",
            "2.1(a)",
            "2.1(b)",
            "2.2",
            "2.3",
            "2.3(a)",
            "2.3(b)",
            "2.3(c)",
            "2.4",
            "2.5",
            "2.6",
            "2.7",
            "3",
            "3.1",
            "3.2",
            "3.2(a)",
            "3.2(b)",
            "3.3",
            "3.4",
            "3.5",
            "4",
            "5",
            "5.1",
            "5.2",
            "5.3",
            "6",
            "7",
            "8",
            "9",
            "10",
            "10.1",
            "10.2",
            "10.3",
            "10.4",
            "exhibit-a",
            "exhibit-b",
        ],
    );
}

#[test]
fn ids_gpl_3_0_only() {
    check_ids(
        "GPL-3.0-only.txt",
        &[
            "0", "1", "2", "3", "4", "5", "5(a)", "5(b)", "5(c)", "5(d)", "6", "6(a)", "6(b)",
            "6(c)", "6(d)", "6(e)", "7", "7(a)", "7(b)", "7(c)", "7(d)", "7(e)", "7(f)", "8", "9",
            "10", "11", "12", "13", "14", "15", "16", "17",
        ],
    );
}

#[test]
fn ids_apache_2_0() {
    check_ids(
        "Apache-2.0.txt",
        &["1", "2", "3", "4", "4(a)", "4(b)", "4(c)", "4(d)", "5", "6", "7", "8", "9"],
    );
}

/// The agreement of the Llama 2 and Llama 3 community licenses: the same numbering.
const LLAMA_AGREEMENT_IDS: &[&str] = &[
    "1",
    "1(a)",
    "1(b)",
    "1(b)(i)",
    "1(b)(ii)",
    "1(b)(iii)",
    "1(b)(iv)",
    "1(b)(v)",
    "2",
    "3",
    "4",
    "5",
    "5(a)",
    "5(b)",
    "5(c)",
    "6",
    "7",
];

#[test]
fn ids_llama_2_community_license() {
    check_ids("Llama-2-Community-License.txt", LLAMA_AGREEMENT_IDS);
}

#[test]
fn ids_llama_3_community_license() {
    // The agreement, then the Acceptable Use Policy, numbered from 1 again.
    let policy = [
        "1~2",
        "1~2(a)",
        "1~2(a)(i)",
        "1~2(a)(ii)",
        "1~2(a)(iii)",
        "1~2(a)(iv)",
        "1~2(a)(v)",
        "1~2(a)(vi)",
        "1~2(b)",
        "1~2(c)",
        "1~2(d)",
        "1~2(e)",
        "1~2(f)",
        "1~2(g)",
        "2~2",
        "2~2(a)",
        "2~2(b)",
        "2~2(c)",
        "2~2(d)",
        "2~2(e)",
        "2~2(f)",
        "3~2",
        "3~2(a)",
        "3~2(b)",
        "3~2(c)",
        "3~2(d)",
        "3~2(e)",
        "3~2(f)",
        "3~2(g)",
    ];
    check_ids("Llama-3-Community-License.txt", &[LLAMA_AGREEMENT_IDS, &policy].concat());
}

#[test]
fn ids_creativeml_openrail_m() {
    check_ids(
        "CreativeML-OpenRAIL-M.txt",
        &[
            "section-i",
            "1",
            "section-ii",
            "2",
            "3",
            "section-iii",
            "4",
            "5",
            "6",
            "section-iv",
            "7",
            "8",
            "9",
            "10",
            "11",
            "12",
            "attachment-a",
        ],
    );
}

#[test]
fn ids_llama_2_acceptable_use_policy() {
    check_ids(
        "Llama-2-Acceptable-Use-Policy.md",
        &[
            "prohibited-uses",
            "1",
            "1.1",
            "1.1.1",
            "1.1.2",
            "1.1.3",
            "1.1.4",
            "1.1.5",
            "1.1.6",
            "1.2",
            "1.3",
            "1.4",
            "1.5",
            "1.6",
            "1.7",
            "2",
            "2.1",
            "2.2",
            "2.3",
            "2.4",
            "2.5",
            "2.6",
            "3",
            "3.1",
            "3.2",
            "3.3",
            "3.4",
            "3.5",
            "3.6",
            "4",
        ],
    );
}

#[test]
fn ids_osaid_1_0() {
    check_ids(
        "OSAID-1.0.md",
        &[
            "version-1-0",
            "preamble",
            "why-we-need-open-source-artificial-intelligence-ai",
            "what-is-open-source-ai",
            "preferred-form-to-make-modifications-to-machine-learning",
            "open-source-models-and-open-source-weights",
            "definitions",
            "1",
            "2",
            "3",
        ],
    );
}

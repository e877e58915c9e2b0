//! Property tests: whatever the input, parsing does not panic and the tree is sound.

use lrw::text::{ClauseTree, canonical_id};
use proptest::prelude::*;

/// Lines that look like clause labels, mixed with noise, so the builder's decisions get
/// exercised and not only the "no label here" path.
fn line() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        (0u32..15).prop_map(|n| format!("{n}.")),
        (0u32..5, 0u32..15).prop_map(|(a, b)| format!("{a}.{b}")),
        (0u32..5, 0u32..15).prop_map(|(a, b)| format!("{a}.{b}.")),
        (0u32..5, 0u32..5).prop_map(|(a, b)| format!("{a}.{b}(b)")),
        prop::sample::select(vec![
            "(a)",
            "(b)",
            "(c)",
            "(h)",
            "(i)",
            "(ii)",
            "(iii)",
            "(iv)",
            "(v)",
            "(vi)",
            "a.",
            "b.",
            "i.",
            "ii.",
            "A.",
            "B.",
            "I.",
            "II.",
            "a)",
            "b)",
            "(1)",
            "(2)",
            "1)",
            "Section 1",
            "Section 2:",
            "SECTION 3.",
            "Article 4",
            "§ 5",
            "#",
            "##",
            "## 2.",
            "Section II:",
            "Attachment A",
            "END OF TERMS AND CONDITIONS",
            "*",
            "1\t",
        ])
        .prop_map(String::from),
    ];
    let indent = prop::sample::select(vec!["", "", "   ", "\t", "        "]);
    let sep = prop::sample::select(vec![" ", "\t", "", " - "]);
    prop_oneof![
        3 => (indent, label, sep, "[A-Za-z ,.;:()\"]{0,30}").prop_map(|(i, l, s, t)| format!("{i}{l}{s}{t}")),
        1 => "[ -~\u{80}-\u{3000}]{0,40}",
        1 => Just(String::new()),
    ]
}

fn check(content: &str) -> Result<(), TestCaseError> {
    let tree = ClauseTree::parse(content);
    let lines = content.split('\n').count();
    let mut ids = std::collections::HashSet::new();
    let mut prev_start = 0;
    for (i, c) in tree.clauses.iter().enumerate() {
        prop_assert!(ids.insert(c.id.clone()), "duplicate id {}", c.id);
        prop_assert!(
            c.line_start >= 1 && c.line_start <= c.line_end && c.line_end <= lines,
            "{c:?}"
        );
        prop_assert!(c.line_start > prev_start, "not in document order at {}", c.id);
        prev_start = c.line_start;
        if let Some(p) = c.parent {
            prop_assert!(p < i);
            let parent = &tree.clauses[p];
            prop_assert!(parent.depth < c.depth);
            prop_assert!(parent.line_start <= c.line_start && c.line_end <= parent.line_end);
        } else {
            prop_assert_eq!(c.depth, 1);
        }
        prop_assert_eq!(tree.find(&c.id), Some(i), "find({})", &c.id);
        prop_assert!(tree.at_line(c.line_start).is_some());
        let own = tree.own_lines(i);
        prop_assert!(*own.start() == c.line_start && *own.end() <= c.line_end);
        prop_assert!(tree.own_text(i, content).len() <= tree.text(i, content).len());
    }
    Ok(())
}

proptest! {
    // No regression files written into tests/: failures print their minimal input.
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_parse_soundly(s in any::<String>()) {
        check(&s)?;
    }

    #[test]
    fn label_like_texts_parse_soundly(lines in prop::collection::vec(line(), 0..80)) {
        check(&lines.join("\n"))?;
    }

    #[test]
    fn canonical_id_never_panics(s in any::<String>()) {
        let _ = canonical_id(&s);
    }

    #[test]
    fn canonical_id_is_idempotent_on_references(s in "(§ ?|[Ss]ection |[Aa]rt\\. )?[0-9]{1,3}([ .]?[0-9]{1,2}|[ .]?\\(?[a-zA-Z]{1,3}\\)?|~[2-9]){0,4}") {
        let id = canonical_id(&s);
        prop_assert!(id.is_some(), "{:?} is a reference", s);
        let id = id.unwrap_or_default();
        prop_assert_eq!(canonical_id(&id), Some(id.clone()), "not idempotent for {:?}", s);
    }
}

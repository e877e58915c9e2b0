use proptest::prelude::*;

use super::*;

fn terms_of(text: &str) -> Vec<Term> {
    extract(text, &ClauseTree::parse_structure(text))
}

/// (term, aliases, clause) of each term.
fn summary(terms: &[Term]) -> Vec<(String, Vec<String>, Option<String>)> {
    terms.iter().map(|t| (t.term.clone(), t.aliases.clone(), t.clause.clone())).collect()
}

fn find<'a>(terms: &'a [Term], name: &str) -> &'a Term {
    terms.iter().find(|t| t.term == name).unwrap_or_else(|| panic!("no term {name}: {terms:#?}"))
}

const SMALL: &str = "\
Example License

1. Definitions

\"Output\" means what the Model makes. Output does not include the Model.

\"You\" (or \"Your\") means the person using the Model.

\u{201C}Model\u{201D} shall mean the weights.

2. Use

2.1 You may use the Model and its Outputs.

2.2 The output of a tool is not Output unless Your Model made it; the Model's OUTPUT is yours.

2.3 Nothing here is about models.
";

#[test]
fn quoted_terms_with_aliases_and_curly_quotes() {
    let t = terms_of(SMALL);
    let s = |a: &str| a.to_string();
    assert_eq!(
        summary(&t),
        [
            (s("Output"), vec![], Some(s("1"))),
            (s("You"), vec![s("Your")], Some(s("1"))),
            (s("Model"), vec![], Some(s("1"))),
        ]
    );
    let output = find(&t, "Output");
    assert_eq!(output.line, 5);
    assert_eq!(
        output.definition,
        "\"Output\" means what the Model makes. Output does not include the Model."
    );
    assert_eq!(&SMALL[output.name_span.clone()], "Output");
}

#[test]
fn uses_are_capitalised_words_plurals_possessives_and_capitals() {
    let t = terms_of(SMALL);
    // `Outputs` (2.1), `Output` and `OUTPUT` (2.2); not `output` and not its own definition.
    assert_eq!(find(&t, "Output").used_in, ["2.1", "2.2"]);
    assert_eq!(find(&t, "You").used_in, ["2.1", "2.2"]);
    // The other definitions in clause 1 use "Model": clause 1 counts; `models` does not.
    assert_eq!(find(&t, "Model").used_in, ["1", "2.1", "2.2"]);
    let uses = find_uses(SMALL, &ClauseTree::parse_structure(SMALL), &t);
    let words: Vec<&str> =
        uses.iter().filter(|u| u.term == 0).map(|u| &SMALL[u.span.clone()]).collect();
    assert_eq!(words, ["Outputs", "Output", "OUTPUT"]);
}

#[test]
fn the_longest_term_wins_and_verb_forms_of_other_terms_are_no_uses() {
    let text = "\
1. Definitions

\"Work\" means the program.

\"Derivative Works\" means works based on the Work.

\"License\" means this text.

\"Licensed Material\" means the Work.

\"Distribute\" means to give copies.

2. Grant

Derivative Works may be made. Licensed Material may be shared.

3. Copies

Distributing the Works is allowed.
";
    let t = terms_of(text);
    assert_eq!(find(&t, "Work").used_in, ["1", "3"]);
    assert_eq!(find(&t, "Derivative Works").used_in, ["2"]);
    // `Licensed` is a word of `Licensed Material`, not `License` + `d`.
    assert!(find(&t, "License").used_in.is_empty());
    assert_eq!(find(&t, "Distribute").used_in, ["3"]);
}

#[test]
fn unquoted_terms_after_labels_and_corresponding_meanings() {
    let text = "\
Section 1 - Definitions.

  a. Adapted Material means material derived from the Licensed Material.

  b. Licensed Material means the work.

  c. You means the person. Your has a corresponding meaning.

Section 2 - Scope.

  a. You may share the Licensed Material and Your Adapted Material.
";
    let t = terms_of(text);
    let s = |a: &str| a.to_string();
    assert_eq!(
        summary(&t),
        [
            (s("Adapted Material"), vec![], Some(s("1(a)"))),
            (s("Licensed Material"), vec![], Some(s("1(b)"))),
            (s("You"), vec![s("Your")], Some(s("1(c)"))),
        ]
    );
    assert_eq!(find(&t, "Licensed Material").used_in, ["1(a)", "2(a)"]);
    assert_eq!(
        find(&t, "You").definition,
        "You means the person. Your has a corresponding meaning."
    );
}

#[test]
fn terms_named_by_their_context() {
    let text = "\
Permission is granted to use the documentation files (the \"Software\") and the
manual (hereinafter \"Guide\").

1. Grant. As used in this Agreement, \u{201C}Affiliate\u{201D} means a company. The term
\"Product\" covers the Software. Each licensee is addressed as \"you\".

2. Terms. Licensee (the \"Licensee\" or \"Customer\") may copy the Guide.
";
    let t = terms_of(text);
    let s = |a: &str| a.to_string();
    assert_eq!(
        summary(&t),
        [
            (s("Software"), vec![], None),
            (s("Guide"), vec![], None),
            (s("Affiliate"), vec![], Some(s("1"))),
            (s("Product"), vec![], Some(s("1"))),
            (s("you"), vec![], Some(s("1"))),
            (s("Licensee"), vec![s("Customer")], Some(s("2"))),
        ]
    );
    assert_eq!(
        find(&t, "Software").definition,
        "Permission is granted to use the documentation files (the \"Software\")"
    );
    assert_eq!(find(&t, "Guide").definition, "and the manual (hereinafter \"Guide\")");
    assert_eq!(
        find(&t, "Affiliate").definition,
        "As used in this Agreement, \u{201C}Affiliate\u{201D} means a company."
    );
    assert_eq!(find(&t, "Product").definition, "The term \"Product\" covers the Software.");
    assert_eq!(find(&t, "Guide").used_in, ["2"]);
}

#[test]
fn quoted_phrases_that_are_no_definitions() {
    let text = "\
1. Warranty. The Work is provided \"AS IS\" and \"as available\".

2. Notices. Keep the \"NOTICE\" file and say \"Licensed under the Example License\".
You may not use the name \"Example\" (see \"Trademarks\" below).
";
    assert!(terms_of(text).is_empty(), "{:#?}", terms_of(text));
}

#[test]
fn a_definition_that_opens_its_clause_keeps_its_list() {
    let text = "\
1. Definitions

1.1. \"Incompatible\"
    means

    (a) that the notice is attached; or

    (b) that the code was older.

1.2. \"License\"
    means this document.
";
    let t = terms_of(text);
    assert_eq!(
        find(&t, "Incompatible").definition,
        "\"Incompatible\" means (a) that the notice is attached; or (b) that the code was older."
    );
    assert_eq!(find(&t, "License").definition, "\"License\" means this document.");
}

#[test]
fn sample_notices_after_the_last_clause_are_not_definitions() {
    let text = "\
1. Definitions. \"License\" shall mean these terms.

2. Grant. You may use the License.

END OF TERMS AND CONDITIONS

Licensed under the Example License (the \"License\"); see the License.
";
    let t = terms_of(text);
    assert_eq!(summary(&t), [("License".to_string(), vec![], Some("1".to_string()))]);
    assert_eq!(t[0].used_in, ["2"]);
}

#[test]
fn a_term_defined_again_in_its_clause_is_one_term() {
    let text = "\
1. Definitions

1.1. \"You\" (or \"Your\") means an individual. For legal entities, \"You\" includes any
entity that controls You. For purposes of this definition, \"control\" means power.

2. You may act.
";
    let t = terms_of(text);
    let s = |a: &str| a.to_string();
    assert_eq!(
        summary(&t),
        [(s("You"), vec![s("Your")], Some(s("1.1"))), (s("control"), vec![], Some(s("1.1")))]
    );
    // The nested definition belongs to the definition of "You".
    assert!(find(&t, "You").definition.ends_with("\"control\" means power."));
}

#[test]
fn lower_case_terms_match_any_case_and_verb_forms() {
    let text = "\
0. Definitions.

To \u{201C}modify\u{201D} a work means to adapt it. \u{201C}Object code\u{201D} means any non-source form.

1. Rights.

You may Modify the work; modified copies and object code are fine. Modifying is free.
";
    let t = terms_of(text);
    assert_eq!(find(&t, "modify").used_in, ["1"]);
    assert_eq!(find(&t, "Object code").used_in, ["1"]);
    assert_eq!(
        find(&t, "modify").definition,
        "To \u{201C}modify\u{201D} a work means to adapt it."
    );
}

#[test]
fn glossary_entries_with_a_colon_or_a_dash() {
    let text = "\
1. Definitions
\u{2014} \u{2018}The Licence\u{2019}:this Licence.
\"Database\" \u{2013} A collection of data.

2. Use

The Licence covers the Database. A \"NOTICE\": no term, as it does not open a line.
";
    let t = terms_of(text);
    let s = |a: &str| a.to_string();
    assert_eq!(
        summary(&t),
        [(s("The Licence"), vec![], Some(s("1"))), (s("Database"), vec![], Some(s("1")))]
    );
    assert_eq!(find(&t, "The Licence").definition, "\u{2018}The Licence\u{2019}:this Licence.");
    assert_eq!(find(&t, "The Licence").used_in, ["2"]);
}

#[test]
fn of_two_names_the_closer_spelling_wins() {
    let text = "\
0. Definitions. A \"library\" means a collection. The \"Library\", below, refers to the work.

1. Copy the Library or a library; LIBRARY in capitals is both, and the first defined wins.
";
    let t = terms_of(text);
    let uses = find_uses(text, &ClauseTree::parse_structure(text), &t);
    let words: Vec<(&str, &str)> =
        uses.iter().map(|u| (t[u.term].term.as_str(), &text[u.span.clone()])).collect();
    assert_eq!(words, [("Library", "Library"), ("library", "library"), ("library", "LIBRARY")]);
}

#[test]
fn a_text_without_terms_or_clauses() {
    assert!(terms_of("").is_empty());
    assert!(terms_of("MIT License\n\nPermission is granted.\n").is_empty());
    let t = terms_of("\u{201C}Data\u{201D} means facts.\n\nShare the Data.\n");
    assert_eq!(t.len(), 1);
    // A text read as paragraphs: the paragraphs are the clauses.
    assert_eq!(t[0].clause.as_deref(), Some("\u{b6}1"));
    assert_eq!(t[0].used_in, ["\u{b6}2"]);
}

/// Text made of definition-like pieces, quotes of every kind, labels and odd characters.
fn texty() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("\"Output\" "),
            Just("\u{201C}Model\u{201D} "),
            Just("\u{2018}Work\u{2019} "),
            Just("\u{2019}s "),
            Just("means "),
            Just("shall mean "),
            Just("(or \"Your\") "),
            Just("(the \""),
            Just("\") "),
            Just("\""),
            Just("\u{201C}"),
            Just("the term "),
            Just("is "),
            Just("a. "),
            Just("1. "),
            Just("You "),
            Just("Outputs "),
            Just(". "),
            Just(", "),
            Just(": "),
            Just("\n"),
            Just("\n\n"),
            Just("é "),
            Just("\u{00A0}"),
            Just("(s) "),
        ],
        0..80,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any text: no panic, spans on char boundaries and inside the text, names inside their
    /// definitions, uses outside them.
    #[test]
    fn any_text_gives_sound_terms(text in texty()) {
        let tree = ClauseTree::parse_structure(&text);
        let terms = extract(&text, &tree);
        for t in &terms {
            prop_assert!(t.span.start <= t.span.end && t.span.end <= text.len());
            prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            prop_assert!(t.span.start <= t.name_span.start && t.name_span.end <= t.span.end);
            prop_assert!(!t.term.is_empty());
        }
        for u in find_uses(&text, &tree, &terms) {
            let def = &terms[u.term].span;
            prop_assert!(u.span.end <= def.start || u.span.start >= def.end);
            prop_assert!(text.is_char_boundary(u.span.start) && text.is_char_boundary(u.span.end));
        }
    }
}

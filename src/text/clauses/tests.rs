//! Unit tests: every label style, sequence decisions, mistakes, ids and look-ups.

use super::*;

fn ids(text: &str) -> Vec<String> {
    ClauseTree::parse(text).clauses.into_iter().map(|c| c.id).collect()
}

/// Each clause as (id, heading, first line, last line).
fn spans(tr: &ClauseTree) -> Vec<(&str, &str, usize, usize)> {
    tr.clauses
        .iter()
        .map(|c| (c.id.as_str(), c.heading.as_str(), c.line_start, c.line_end))
        .collect()
}

fn tree(text: &str) -> ClauseTree {
    ClauseTree::parse(text)
}

#[test]
fn numbered_sections_with_letters() {
    assert_eq!(ids("1. Definitions.\n(a) one\n(b) two\n2. Grant\n"), ["1", "1(a)", "1(b)", "2"]);
}

#[test]
fn decimal_numbers_nest_under_their_prefix() {
    let mut t = String::from("1. Definitions\n");
    for n in 1..=14 {
        t.push_str(&format!("1.{n}. \"Term {n}\"\n    means something.\n"));
    }
    t.push_str("2. Grants\n2.1 Grant\n2.2. Effective\n");
    let tr = tree(&t);
    let got: Vec<_> = tr.clauses.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(got.len(), 18);
    assert_eq!(got[..3], ["1", "1.1", "1.2"]);
    assert_eq!(got[14..], ["1.14", "2", "2.1", "2.2"]);
    assert_eq!(tr.clauses[14].label, "1.14.");
    assert_eq!(tr.clauses[14].heading, "\"Term 14\"");
    assert!(tr.clauses[1..15].iter().all(|c| c.parent == Some(0) && c.depth == 2));
    assert_eq!(tr.clauses[16].parent, Some(15));
    assert_eq!(tr.clauses[17].parent, Some(15));
}

#[test]
fn compound_label_at_line_start() {
    let t = "1. Grant\n1.1 Scope\n1.1(b) Patents are included.\n2. End\n";
    assert_eq!(ids(t), ["1", "1.1", "1.1(b)", "2"]);
    assert_eq!(tree(t).clauses[2].depth, 3);
    // A compound label naming a clause that is not open is a reference, not a clause.
    assert_eq!(ids("1. Grant\n2.2(b) applies.\n"), ["1"]);
}

#[test]
fn tab_after_number_modelgo_2() {
    let t = "Title\n\n1.\tDEFINITIONS\n\ntext\n\n2.\tLICENSE RIGHTS\n\n2.1\tGrant of Rights\n\n\
             (a)\tThe Licensor grants:\n\n(i)\tmake;\n\n(ii)\tuse; and\n\n2.2\tReservation\n";
    let tr = tree(t);
    let got: Vec<_> =
        tr.clauses.iter().map(|c| (c.id.as_str(), c.depth, c.heading.as_str())).collect();
    assert_eq!(
        got,
        [
            ("1", 1, "DEFINITIONS"),
            ("2", 1, "LICENSE RIGHTS"),
            ("2.1", 2, "Grant of Rights"),
            ("2.1(a)", 3, "The Licensor grants:"),
            ("2.1(a)(i)", 4, "make;"),
            ("2.1(a)(ii)", 4, "use; and"),
            ("2.2", 2, "Reservation"),
        ]
    );
    assert_eq!(ids("1\tDefinitions\n2\tGrant\n"), ["1", "2"]);
}

#[test]
fn letter_styles() {
    assert_eq!(
        ids("1. A\na. one\nb. two\n2. B\na) x\nb) y\n"),
        ["1", "1(a)", "1(b)", "2", "2(a)", "2(b)"]
    );
    assert_eq!(ids("A. First\nB. Second\n"), ["(A)", "(B)"]);
}

#[test]
fn keywords_section_and_article() {
    let t = "Section 1: Definitions\ntext\nSECTION 2. Grant of Rights\nArticle 3 - Term\n§ 4 End\n";
    let tr = tree(t);
    let got: Vec<_> =
        tr.clauses.iter().map(|c| (c.id.as_str(), c.label.as_str(), c.heading.as_str())).collect();
    assert_eq!(
        got,
        [
            ("1", "Section 1", "Definitions"),
            ("2", "SECTION 2", "Grant of Rights"),
            ("3", "Article 3", "Term"),
            ("4", "§ 4", "End"),
        ]
    );
}

#[test]
fn section_in_wrapped_prose_is_not_a_clause() {
    let t = "1. Grant. As set out in\nSection 3 of this License, you may.\n2. Term\n";
    assert_eq!(ids(t), ["1", "2"]);
}

#[test]
fn cc_style_numbers_under_letters() {
    let t = "Section 2 – Scope.\n\n     a.\tLicense grant.\n\n          1. Subject to the terms:\n\n               \
             A. reproduce;\n\n               B. produce.\n\n          2. Exceptions.\n\nb. Other rights.\n\n          \
             1. Moral rights.\n\nSection 3 – License Conditions.\n";
    assert_eq!(
        ids(t),
        ["2", "2(a)", "2(a)(1)", "2(a)(1)(A)", "2(a)(1)(B)", "2(a)(2)", "2(b)", "2(b)(1)", "3"]
    );
}

#[test]
fn roman_versus_letter_by_sequence() {
    let letters = "1. X\n(a) a\n(b) b\n(c) c\n(d) d\n(e) e\n(f) f\n(g) g\n(h) h\n(i) i\n(j) j\n";
    let t = tree(letters);
    assert_eq!(t.clauses.len(), 11);
    assert_eq!(t.clauses[9].id, "1(i)");
    assert_eq!(t.clauses[9].parent, Some(0), "(i) after (h) is a sibling letter");
    assert_eq!(t.clauses[10].id, "1(j)");
    let romans = "1. X\n(a) a\n(i) one\n(ii) two\n(iii) three\n(iv) four\n(v) five\n(b) b\n";
    assert_eq!(
        ids(romans),
        ["1", "1(a)", "1(a)(i)", "1(a)(ii)", "1(a)(iii)", "1(a)(iv)", "1(a)(v)", "1(b)"]
    );
    let tr = tree(romans);
    assert_eq!(tr.clauses[6].depth, 3);
    assert_eq!(tr.clauses[7].depth, 2);
    assert_eq!(ids("1. X\ni. one\nii. two\n"), ["1", "1(i)", "1(ii)"]);
    assert_eq!(ids("I. One\nII. Two\nIII. Three\n"), ["(I)", "(II)", "(III)"]);
}

#[test]
fn roman_v_after_u_is_a_letter() {
    let mut t = String::from("1. X\n");
    for c in 'a'..='x' {
        t.push_str(&format!("({c}) item\n"));
    }
    let tr = tree(&t);
    assert_eq!(tr.clauses.len(), 25);
    assert!(tr.clauses.iter().skip(1).all(|c| c.depth == 2 && c.parent == Some(0)));
    assert_eq!(tr.clauses[22].id, "1(v)");
    assert_eq!(tr.clauses[24].id, "1(x)");
}

#[test]
fn mistakes_do_not_derail_the_tree() {
    // `vi.` where `iv.` was meant, then the list goes on.
    let t = "1. X\na. A\ni. one\nii. two\niii. three\nvi. four\nv. five\nb. B\n2. Y\n";
    assert_eq!(
        ids(t),
        ["1", "1(a)", "1(a)(i)", "1(a)(ii)", "1(a)(iii)", "1(a)(vi)", "1(a)(v)", "1(b)", "2"]
    );
    // A skipped number and a duplicate number.
    assert_eq!(ids("1. A\n2. B\n4. D\n5. E\n5. E again\n6. F\n"), ["1", "2", "4", "5", "5~2", "6"]);
    // A label in the middle of a line is lost, the rest stays right.
    assert_eq!(ids("1. A\ntext. 2. B lost\n3. C\n(a) x\n4. D\n"), ["1", "3", "3(a)", "4"]);
}

#[test]
fn inline_enumerations_are_not_clauses() {
    let t = "1. Grant\nall (i) modifications, (ii) works and\n(b) for infringements caused by: (i) Your\n2. End\n";
    // `(b)` at a line start is not a first value and continues nothing: text.
    assert_eq!(ids(t), ["1", "2"]);
}

#[test]
fn false_positives_stay_text() {
    let t = "1. Copyright\nCopyright (c) 2018-\n2019. All rights reserved.\nv. 2.0 of the license\n\
             I think this is prose.\n1.0 is a version\n2.1 of this License shall terminate.\ne.g. this\n2. Next\n";
    assert_eq!(ids(t), ["1", "2"]);
    assert_eq!(tree(t).clauses[0].line_end, 8);
}

#[test]
fn end_of_terms_ends_the_clauses() {
    let t = "0. Definitions.\n1. Source.\n\nEND OF TERMS AND CONDITIONS\n\nHow to Apply\n\n1. sample\n2. sample\n";
    let tr = tree(t);
    assert_eq!(ids(t), ["0", "1"]);
    assert_eq!(tr.clauses[1].line_end, 2);
    let with_attachment =
        "1. A\n2. B\nEND OF TERMS AND CONDITIONS\n\nAttachment A\n\nUse Restrictions\n- x\n";
    let tr = tree(with_attachment);
    let got: Vec<_> =
        tr.clauses.iter().map(|c| (c.id.as_str(), c.heading.as_str(), c.line_start)).collect();
    assert_eq!(got, [("1", "A", 1), ("2", "B", 2), ("attachment-a", "Use Restrictions", 5)]);
}

#[test]
fn groups_keep_numbering_running() {
    let t = "Section I: PREAMBLE\n1. Definitions\nSection II: RIGHTS\n2. Grant\n3. Patent\nSection III: USE\n4. Use\n";
    let tr = tree(t);
    let got: Vec<_> = tr.clauses.iter().map(|c| (c.id.as_str(), c.depth)).collect();
    assert_eq!(
        got,
        [
            ("section-i", 1),
            ("1", 2),
            ("section-ii", 1),
            ("2", 2),
            ("3", 2),
            ("section-iii", 1),
            ("4", 2)
        ]
    );
}

#[test]
fn markdown_headings() {
    let t = "# Policy\n\n## Prohibited Uses\n\n1. Violate the law:\n    1. Engage in:\n        1. Violence\n        \
             2. Harm\n    2. Harass\n2. Deceive\n## 3. Numbered heading\n";
    let tr = tree(t);
    let got: Vec<_> = tr.clauses.iter().map(|c| (c.id.as_str(), c.depth)).collect();
    assert_eq!(
        got,
        [
            ("prohibited-uses", 1),
            ("1", 2),
            ("1.1", 3),
            ("1.1.1", 4),
            ("1.1.2", 4),
            ("1.2", 3),
            ("2", 2),
            ("3", 2)
        ]
    );
    assert_eq!(tr.clauses[7].heading, "Numbered heading");
}

#[test]
fn title_heading_is_preamble() {
    // The document's only `#` heading, first of all, names it: preamble, not a clause.
    let t = "# Example Model License\n\nVersion 2.0\n\n## 1. Definitions\n\n## 2. Grant\n\n2.1 Licence\n2.2 Limits\n(a) Size\n(b) Scale\n";
    let tr = tree(t);
    let got: Vec<_> = tr.clauses.iter().map(|c| (c.id.as_str(), c.depth)).collect();
    assert_eq!(got, [("1", 1), ("2", 1), ("2.1", 2), ("2.2", 2), ("2.2(a)", 3), ("2.2(b)", 3)]);
    assert_eq!(tr.at_line(1), None);
    assert_eq!(tr.clauses[0].line_start, 5);
    // Several `#` headings are the document's sections: all stay clauses.
    assert_eq!(ids("# Part one\n1. a\n# Part two\n1. b\n"), ["part-one", "1", "part-two", "1~2"]);
    // A numbered `#` heading elsewhere makes the first one a section too.
    assert_eq!(ids("# Terms\n# 1. Grant\n"), ["terms", "1"]);
    // Not first: a clause opened before it.
    assert_eq!(ids("1. a\n# Notes\n"), ["1", "notes"]);
    // A `##` heading first is a section, not a title.
    assert_eq!(ids("## Scope\n1. a\n"), ["scope", "1"]);
}

#[test]
fn label_alone_on_its_line() {
    let t = "1.\nDefinitions\n\nSome text.\n2.\n\nGrant of rights to you, under the terms and conditions of this License, which\n";
    let tr = tree(t);
    assert_eq!(ids(t), ["1", "2"]);
    assert_eq!(tr.clauses[0].heading, "Definitions");
    assert_eq!(tr.clauses[1].heading, "Grant of rights to you, under the terms and conditions of…");
    assert_eq!((tr.clauses[0].line_start, tr.clauses[0].line_end), (1, 4));
}

#[test]
fn headings_title_or_first_words() {
    let t = "1. Definitions.\n2. Grant of Copyright License. Subject to the terms and conditions of this\nLicense, each Contributor hereby grants.\n3. The rights granted under this License will terminate automatically if You fail to comply.\n";
    let tr = tree(t);
    let h: Vec<_> = tr.clauses.iter().map(|c| c.heading.as_str()).collect();
    assert_eq!(
        h,
        [
            "Definitions",
            "Grant of Copyright License",
            "The rights granted under this License will terminate…"
        ]
    );
}

#[test]
fn line_ranges_and_navigation() {
    let t = "Title\n\n1. A\ntext\n(a) x\nmore\n\n(b) y\n\n2. B\nlast\n\n";
    let tr = tree(t);
    let r: Vec<_> = tr.clauses.iter().map(|c| (c.id.as_str(), c.line_start, c.line_end)).collect();
    assert_eq!(r, [("1", 3, 8), ("1(a)", 5, 6), ("1(b)", 8, 8), ("2", 10, 11)]);
    assert_eq!(tr.children(0).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(tr.children(3).count(), 0);
    assert_eq!(tr.own_lines(0), 3..=4);
    assert_eq!(tr.own_lines(3), 10..=11);
    assert_eq!(tr.text(0, t), "1. A\ntext\n(a) x\nmore\n\n(b) y");
    assert_eq!(tr.own_text(0, t), "1. A\ntext");
    let spaced = "1. A\n\n\n(a) x\n";
    assert_eq!(tree(spaced).own_text(0, spaced), "1. A");
    assert_eq!(tr.text(3, t), "2. B\nlast");
    assert_eq!(tr.at_line(1), None);
    assert_eq!(tr.at_line(4), Some(0));
    assert_eq!(tr.at_line(6), Some(1));
    assert_eq!(tr.at_line(7), Some(0));
    assert_eq!(tr.at_line(11), Some(3));
    assert_eq!(tr.at_line(12), None);
    assert_eq!(tr.text(99, t), "");
}

#[test]
fn no_clauses() {
    for t in ["", "\n\n\n", "  \n\t\n", "# Only a title\n\n"] {
        let tr = tree(t);
        assert!(tr.clauses.is_empty(), "{t:?}: {:?}", tr.clauses);
        assert!(!tr.paragraphs, "{t:?}");
    }
}

/// A license like MIT: a title line, a copyright line, then paragraphs of prose.
const MIT_LIKE: &str = "MIT License\n\nCopyright (c) 2024 Example Corp\n\n\
    Permission is hereby granted, free of charge, to any person obtaining a copy\n\
    of this software, to deal in the Software without restriction.\n\n\
    The above copyright notice shall be included in all copies.\n   \n\n\
    THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND.\n\
    IN NO EVENT SHALL THE AUTHORS BE LIABLE.\n\n";

#[test]
fn unnumbered_text_is_read_as_paragraphs() {
    let tr = tree(MIT_LIKE);
    assert!(tr.paragraphs);
    let got: Vec<_> = tr
        .clauses
        .iter()
        .map(|c| (c.id.as_str(), c.label.as_str(), c.heading.as_str(), c.line_start, c.line_end))
        .collect();
    assert_eq!(
        got,
        [
            ("\u{b6}1", "", "Copyright (c) 2024 Example Corp", 3, 3),
            (
                "\u{b6}2",
                "",
                "Permission is hereby granted, free of charge, to any person\u{2026}",
                5,
                6
            ),
            ("\u{b6}3", "", "The above copyright notice shall be included in all copies.", 8, 8),
            (
                "\u{b6}4",
                "",
                "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY\u{2026}",
                11,
                12
            ),
        ]
    );
    assert!(tr.clauses.iter().all(|c| c.depth == 1 && c.parent.is_none()));
    // The title and the blank lines between paragraphs belong to no clause.
    for line in [1, 2, 4, 7, 9, 10, 13, 14] {
        assert_eq!(tr.at_line(line), None, "line {line}");
    }
    assert_eq!(tr.at_line(6), Some(1));
    assert_eq!(tr.children(1).count(), 0);
    assert_eq!(
        tr.text(1, MIT_LIKE),
        "Permission is hereby granted, free of charge, to any person obtaining a copy\n\
         of this software, to deal in the Software without restriction."
    );
    assert_eq!(tr.own_text(3, MIT_LIKE), tr.text(3, MIT_LIKE));
}

#[test]
fn paragraphs_leave_the_title_out() {
    let ranges = |t: &str| -> Vec<(String, usize, usize)> {
        let tr = tree(t);
        assert!(tr.paragraphs, "{t:?}");
        tr.clauses.into_iter().map(|c| (c.id, c.line_start, c.line_end)).collect()
    };
    let p = |n: usize, a: usize, b: usize| (format!("\u{b6}{n}"), a, b);
    // The `#` title heading, as for a numbered text (also with no blank line after it).
    assert_eq!(
        ranges("# Example License\n\nYou may use it.\n\nNo warranty.\n"),
        [p(1, 3, 3), p(2, 5, 5)]
    );
    assert_eq!(ranges("# Example License\nYou may use it.\n"), [p(1, 2, 2)]);
    // A plain one-line title followed by a blank line.
    assert_eq!(ranges("ISC License\n\nCopyright 2024 Me\n\nYou may.\n"), [p(1, 3, 3), p(2, 5, 5)]);
    // A copyright line, a sentence or a title run on into text are paragraphs.
    assert_eq!(ranges("Copyright 2024 Example Corp\n\nYou may.\n"), [p(1, 1, 1), p(2, 3, 3)]);
    assert_eq!(ranges("This is free software.\n\nUse it.\n"), [p(1, 1, 1), p(2, 3, 3)]);
    assert_eq!(ranges("Author: Tatu Ylonen\n\nUse it.\n"), [p(1, 1, 1), p(2, 3, 3)]);
    assert_eq!(
        ranges("ISC License\nPermission to use.\n\nNo warranty.\n"),
        [p(1, 1, 2), p(2, 4, 4)]
    );
    // A short line alone is the text, not a title of nothing.
    assert_eq!(ranges("Public Domain\n"), [p(1, 1, 1)]);
    // Asterisk-box borders separate paragraphs like blank lines.
    assert_eq!(ranges("You may.\n*****\nNo warranty.\n"), [p(1, 1, 1), p(2, 3, 3)]);
}

#[test]
fn one_numbered_clause_means_no_paragraphs() {
    let t = "Preamble words.\n\nMore preamble.\n\n1. Grant\n\nYou may use it.\n\nAnd share it.\n";
    let tr = tree(t);
    assert!(!tr.paragraphs);
    let got: Vec<_> =
        tr.clauses.iter().map(|c| (c.id.as_str(), c.line_start, c.line_end)).collect();
    assert_eq!(got, [("1", 5, 9)]);
    // An unnumbered Markdown section is a clause too: no paragraphs.
    let md = tree("Intro.\n\n## Use\n\nYou may.\n\nNo warranty.\n");
    assert!(!md.paragraphs);
    assert_eq!(md.clauses.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["use"]);
}

#[test]
fn paragraphs_are_found_by_their_usual_spellings() {
    let tr = tree(MIT_LIKE);
    for q in [
        "\u{b6}2",
        "\u{b6} 2",
        " \u{b6}02 ",
        "p2",
        "P2",
        "p. 2",
        "para 2",
        "PARA. 2",
        "paragraph 2",
        "Paragraph 2",
        "paragraph2",
    ] {
        assert_eq!(tr.find(q), Some(1), "{q}");
    }
    for q in ["\u{b6}5", "p0", "p", "pp2", "p2a", "para two", "2", "(p)(2)", "q2"] {
        assert_eq!(tr.find(q), None, "{q}");
    }
    assert_eq!(paragraph_id("Paragraph 12").as_deref(), Some("\u{b6}12"));
    assert_eq!(paragraph_id("p-2"), None);
    assert_eq!(paragraph_id("\u{b6}"), None);
    // In a numbered text `p2` keeps its old meaning: letter (p), then (2).
    let mut letters: String = ('a'..='p').map(|c| format!("({c}) x\n")).collect();
    letters.push_str("(1) one\n(2) two\n");
    let numbered = tree(&letters);
    assert_eq!(numbered.find("p2").map(|i| numbered.clauses[i].id.as_str()), Some("(p)(2)"));
}

#[test]
fn canonical_id_spellings() {
    for q in [
        "2.2(b)",
        "2.2.b",
        "2.2 (b)",
        "2.2b",
        "§ 2.2(b)",
        "Section 2.2(b)",
        "sec. 2.2(b)",
        "SECTION 2.2 (b)",
        " 2.2(b) ",
    ] {
        assert_eq!(canonical_id(q).as_deref(), Some("2.2(b)"), "{q}");
    }
    assert_eq!(canonical_id("Article 4").as_deref(), Some("4"));
    assert_eq!(canonical_id("1(b)(i)").as_deref(), Some("1(b)(i)"));
    assert_eq!(canonical_id("1.b.i").as_deref(), Some("1(b)(i)"));
    assert_eq!(canonical_id("2(a)(1)").as_deref(), Some("2(a)(1)"));
    assert_eq!(canonical_id("2.a.1").as_deref(), Some("2(a)(1)"));
    // A number written in parentheses keeps them: `(1)` under `2.2` is `2.2(1)`.
    assert_eq!(canonical_id("2.2(1)").as_deref(), Some("2.2(1)"));
    assert_eq!(canonical_id("2.2.1").as_deref(), Some("2.2.1"));
    assert_eq!(canonical_id("(a)").as_deref(), Some("(a)"));
    assert_eq!(canonical_id("1.14.").as_deref(), Some("1.14"));
    assert_eq!(canonical_id("5~2").as_deref(), Some("5~2"));
    assert_eq!(canonical_id("5~2.a").as_deref(), Some("5~2(a)"));
    assert_eq!(canonical_id("§ 5~2 (a)").as_deref(), Some("5~2(a)"));
    assert_eq!(canonical_id("~2"), None);
    assert_eq!(canonical_id("Prohibited Uses").as_deref(), Some("prohibited-uses"));
    assert_eq!(canonical_id(""), None);
    assert_eq!(canonical_id("§"), None);
    assert_eq!(canonical_id("?!"), None);
}

#[test]
fn find_accepts_usual_spellings() {
    let t = "1. A\n2. B\n2.1 C\n2.2 D\n(a) x\n(b) y\n(i) one\n3. E\n";
    let tr = tree(t);
    let want = tr.clauses.iter().position(|c| c.id == "2.2(b)").unwrap();
    for q in [
        "2.2(b)",
        "2.2.b",
        "2.2 (b)",
        "2.2b",
        "§ 2.2(b)",
        "Section 2.2(b)",
        "sec. 2.2(b)",
        "2.2(B)",
        "SEC 2.2.B",
    ] {
        assert_eq!(tr.find(q), Some(want), "{q}");
    }
    assert_eq!(tr.find("2.2.b.i").map(|i| tr.clauses[i].id.as_str()), Some("2.2(b)(i)"));
    assert_eq!(tr.find("Article 3").map(|i| tr.clauses[i].id.as_str()), Some("3"));
    assert_eq!(tr.find("section 3").map(|i| tr.clauses[i].id.as_str()), Some("3"));
    assert_eq!(tr.find("9"), None);
    assert_eq!(tr.find(""), None);
    // Numbers in parentheses under a number: found by either spelling.
    let p = tree("1. A\n1.1 B\n(1) first\n(2) second\n");
    assert_eq!(p.clauses[3].id, "1.1(2)");
    assert_eq!(p.find("1.1.2"), Some(3));
    assert_eq!(p.find("1.1 (2)"), Some(3));
    let md = tree("# Policy\n## Prohibited Uses\n1. x\n");
    assert_eq!(md.find("prohibited uses"), Some(0));
    assert_eq!(md.find("PROHIBITED-USES"), Some(0));
    assert_eq!(md.find("policy"), None);
}

#[test]
fn never_panics_on_odd_input() {
    let long = "a".repeat(1_000_000);
    for t in [
        "\u{0}\u{1b}[31m1. x\n",
        "(",
        "(\u{e9})",
        "1.",
        "#",
        "# ",
        "§",
        "Section",
        "Section \u{2013}",
        "*",
        "* ",
        "999999999999. x\n1.999999999999 y",
        "(iiiiiiiiiiiiiii) x",
        long.as_str(),
        "\n\n\n",
        "1.\u{2013}x\n2.\t\u{202e}y",
    ] {
        let tr = tree(t);
        for c in &tr.clauses {
            assert!(c.line_start <= c.line_end);
        }
    }
}

#[test]
fn restarted_list_gets_a_run_suffix() {
    // Llama 3 appends its Acceptable Use Policy, numbered from 1 again.
    let t = "1. License Rights.\n\ta. Grant.\n2. Term.\n\nAcceptable Use Policy\n1. Violate the law:\n\ta. Violence\n\tb. Harm\n2. Deceive\n";
    assert_eq!(ids(t), ["1", "1(a)", "2", "1~2", "1~2(a)", "1~2(b)", "2~2"]);
    let tr = tree(t);
    assert_eq!(tr.clauses[3].depth, 1);
    assert_eq!(tr.find("1~2.b"), Some(5));
    // Deeper indentation nests instead (Markdown lists).
    assert_eq!(ids("1. A\n    1. B\n    2. C\n2. D\n"), ["1", "1.1", "1.2", "2"]);
}

#[test]
fn two_lists_in_one_clause() {
    let t = "1. Grant\n(a) one\n(b) two\nMoreover:\n(a) again\n(b) again\n2. Next\n";
    assert_eq!(ids(t), ["1", "1(a)", "1(b)", "1(a)~2", "1(b)~2", "2"]);
}

#[test]
fn labels_in_an_asterisk_box() {
    let t = "1. Termination\n\n****\n*  2. Disclaimer of Warranty  *\n*  --------  *\n*  Text  *\n****\n\n3. Next\n";
    let tr = tree(t);
    let got = spans(&tr);
    assert_eq!(
        got,
        [("1", "Termination", 1, 1), ("2", "Disclaimer of Warranty", 4, 6), ("3", "Next", 9, 9)]
    );
}

#[test]
fn titles_ignore_abbreviations() {
    let t = "1. U.S. Government End Users. The Covered Code is a commercial item.\n\
             2. Use Restrictions: you may not do e.g. this\n\
             3. The following sections survive termination of this License: 1, 2.\n";
    let h: Vec<_> = tree(t).clauses.into_iter().map(|c| c.heading).collect();
    assert_eq!(
        h,
        [
            "U.S. Government End Users",
            "Use Restrictions",
            "The following sections survive termination of this License:\u{2026}"
        ]
    );
}

#[test]
fn annexes_and_appendices_are_groups() {
    let t = "1. A\n2. B\n\nAnnex A\nModel Sheet\n| table |\n\nAppendix 2: Notices\ntext\n";
    let tr = tree(t);
    let got: Vec<_> =
        tr.clauses.iter().map(|c| (c.id.as_str(), c.heading.as_str(), c.depth)).collect();
    assert_eq!(
        got,
        [("1", "A", 1), ("2", "B", 1), ("annex-a", "Model Sheet", 1), ("appendix-2", "Notices", 1)]
    );
    assert_eq!(tr.clauses[1].line_end, 2);
    assert_eq!(tr.find("Annex A"), Some(2));
    // Prose that starts with such a word is not a group.
    assert_eq!(ids("1. A\nschedule a meeting\nSection A of the form\n"), ["1"]);
}

#[test]
fn hostile_sizes_stay_linear_and_bounded() {
    // 100k lines, one label indented one more space each time: depth is capped.
    let mut deep = String::new();
    for i in 0..100_000 {
        deep.push_str(&" ".repeat(i % 200));
        deep.push_str("1. x\n");
    }
    let tr = tree(&deep);
    assert!(tr.clauses.iter().all(|c| c.depth <= 12));
    assert!(tr.clauses.iter().all(|c| c.id.len() < 64));
    // 100k repeats of one label: unique ids, quickly.
    let repeats = "(a) x\n".repeat(100_000);
    let tr = tree(&repeats);
    assert_eq!(tr.clauses.len(), 100_000);
    assert_eq!(tr.clauses[99_999].id, "(a)~100000");
    // One 10 MB line.
    let long = format!("1. {}\n2. y\n", "word ".repeat(2_000_000));
    let tr = tree(&long);
    assert_eq!(ids(&long), ["1", "2"]);
    assert!(tr.clauses[0].heading.len() <= 64);
}

#[test]
fn first_value_again_starts_a_new_run() {
    // NASA 1.3 as SPDX prints it: each section's list starts at A again.
    let t = "DEFINITIONS\n\nA. Contributor\n\nGRANT OF RIGHTS\n\nA. Non-Patent\n     1. Use\nB. Patent\n\nGENERAL\n\nA. Termination\n";
    assert_eq!(ids(t), ["(A)", "(A)~2", "(A)~2(1)", "(B)~2", "(A)~3"]);
}

#[test]
fn keyword_reference_wrapped_from_prose() {
    // Motosoto: "... or a future version of this License as described in\nSection 7. You must ..."
    let t = "1. Grant.\n4. Obligations.\n     a. Application. As described in\nSection 7. You must include a copy.\n     b. Availability.\n5. Next.\n";
    assert_eq!(ids(t), ["1", "4", "4(a)", "4(b)", "5"]);
    // A text that starts with a keyword label may start anywhere.
    assert_eq!(ids("Intro\nSection 3. Grant\nSection 4. Term\n"), ["3", "4"]);
}

#[test]
fn carriage_returns_and_no_break_spaces_after_labels() {
    assert_eq!(
        ids("1.\r\nDefinitions\r\n2.\u{a0}Grant\r\n\u{a0}\u{a0}(a)\u{a0}x\r\n"),
        ["1", "2", "2(a)"]
    );
    let tr = tree("1.\u{a0}Definitions.\n");
    assert_eq!(tr.clauses[0].heading, "Definitions");
}

#[test]
fn odd_but_real_numberings() {
    // ODbL: `1.0`, `2.0` section numbers, then `2.1`.
    let t = "# ODbL\n### Preamble\ntext\n### 1.0 Definitions\ntext\n### 2.0 What this License covers\n2.1 Legal effect\n2.2 Legal rights\n";
    // `# ODbL` is the title: preamble, not a clause.
    assert_eq!(ids(t), ["preamble", "1", "2", "2.1", "2.2"]);
    let tr = tree(t);
    assert_eq!(tr.clauses[1].parent, None, "`### 1.0` is a sibling of `### Preamble`");
    assert_eq!(tr.clauses[1].depth, 1);
    assert_eq!(tr.clauses[1].heading, "Definitions");
    assert_eq!(ids("1.0 Definitions\n2.0 Rights\n2.1 Grant\n"), ["1", "2", "2.1"]);
    // RPL 1.1: a lettered preamble, then `1.0` sections at the top level.
    let rpl = "a. Distribute.\nb. Use.\n\nLICENSE TERMS\n\n1.0 General; Definitions. This License applies.\n     1.1 \"Contributor\" means you.\n2.0 Grant.\n";
    let tr = tree(rpl);
    let got: Vec<_> =
        tr.clauses.iter().map(|c| (c.id.as_str(), c.depth, c.heading.as_str())).collect();
    assert_eq!(
        got,
        [
            ("(a)", 1, "Distribute"),
            ("(b)", 1, "Use"),
            ("1", 1, "General; Definitions"),
            ("1.1", 2, "\"Contributor\" means you"),
            ("2", 1, "Grant"),
        ]
    );
    // EUPL 1.2 as SPDX prints it: no space after the dot.
    let eupl = "Intro\n1.Definitions\ntext\n2.Scope of the rights granted by the Licence\n";
    let tr = tree(eupl);
    assert_eq!(ids(eupl), ["1", "2"]);
    assert_eq!(tr.clauses[1].heading, "Scope of the rights granted by the Licence");
    assert_eq!(
        tree("1. Definitions.The following terms apply.\n").clauses[0].heading,
        "Definitions"
    );
    // LPPL: a lone `10.` takes its first child's heading.
    let lppl = "1. Distribution.\n\n2.\n     a. A Derived Work may be distributed.\n";
    let tr = tree(lppl);
    assert_eq!(tr.clauses[1].heading, "A Derived Work may be distributed");
}

/// The structure-only parse (for the diff) is the full parse without headings, on real
/// texts of every style, and on texts read as paragraphs.
#[test]
fn structure_only_parse_is_the_full_parse_without_headings() {
    let texts = ["GPL-3.0-only", "Apache-2.0", "MPL-2.0", "CC-BY-4.0", "EUPL-1.2", "Artistic-2.0"];
    let unnumbered = ["MIT", "MIT-0", "ISC", "0BSD", "Unlicense"];
    for id in texts.iter().chain(&unnumbered) {
        let text = crate::text::load(&format!("spdx:{id}")).expect(id).content;
        let mut full = ClauseTree::parse(&text);
        let min = if unnumbered.contains(id) { 2 } else { 6 };
        assert!(full.clauses.len() >= min, "{id}: {} clauses", full.clauses.len());
        assert_eq!(full.paragraphs, unnumbered.contains(id), "{id}");
        assert!(full.clauses.iter().any(|c| !c.heading.is_empty()), "{id}");
        for c in &mut full.clauses {
            c.heading.clear();
        }
        assert_eq!(ClauseTree::parse_structure(&text), full, "{id}");
    }
    let mut full = tree(MIT_LIKE);
    for c in &mut full.clauses {
        c.heading.clear();
    }
    assert_eq!(ClauseTree::parse_structure(MIT_LIKE), full);
}

/// MIT as the SPDX License List has it: the title out, four paragraphs.
#[test]
fn spdx_mit_paragraphs() {
    let text = crate::text::load("spdx:MIT").expect("MIT").content;
    let tr = ClauseTree::parse(&text);
    assert!(tr.paragraphs);
    let got = spans(&tr);
    assert_eq!(
        got,
        [
            ("\u{b6}1", "Copyright (c) <year> <copyright holders>", 3, 3),
            (
                "\u{b6}2",
                "Permission is hereby granted, free of charge, to any person\u{2026}",
                5,
                9
            ),
            (
                "\u{b6}3",
                "The above copyright notice and this permission notice shall\u{2026}",
                11,
                12
            ),
            (
                "\u{b6}4",
                "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY\u{2026}",
                14,
                18
            ),
        ]
    );
}

/// After `(z)` a list goes on with `(aa)`, `(bb)`, ... (and `(ii)` there is the letter, not
/// roman 2); elsewhere `(ii)` after `(i)` is still roman.
#[test]
fn doubled_letters_follow_z() {
    let mut t = String::from("1. Definitions\n");
    for c in 'a'..='z' {
        t.push_str(&format!("({c}) Term {c}.\n"));
    }
    for c in 'a'..='i' {
        t.push_str(&format!("({c}{c}) Term {c}{c}.\n"));
    }
    t.push_str("2. Grant\n(i) first\n(ii) second\n");
    let got = ids(&t);
    assert_eq!(got.len(), 1 + 26 + 9 + 3);
    assert_eq!(&got[25..28], ["1(y)", "1(z)", "1(aa)"]);
    assert_eq!(&got[35..], ["1(ii)", "2", "2(i)", "2(ii)"]);
    let tr = tree(&t);
    let ii = tr.clauses.iter().find(|c| c.id == "1(ii)").unwrap();
    assert_eq!((ii.line_start, ii.line_end), (36, 36));
    assert_eq!(tr.clauses[tr.find("1.bb").unwrap()].id, "1(bb)");
}

#[test]
fn paragraph_ids_are_told_from_numbered_ones() {
    assert!(is_paragraph_id("\u{b6}3"));
    assert!(!is_paragraph_id("3") && !is_paragraph_id("2.2(b)"));
    assert!(only_paragraph_ids(["\u{b6}1", "\u{b6}2"]));
    assert!(!only_paragraph_ids(["\u{b6}1", "2"]), "one numbered text is enough");
    assert!(!only_paragraph_ids([]), "no clauses at all are not paragraphs");
}

/// The line index gives exactly what reading the text from its start gives, for every clause
/// and every stretch of lines (with and without a final line break, with blank lines).
#[test]
fn clause_text_by_line_index_is_the_text_read_from_the_start() {
    for text in [
        "1. One\n\n(a) first\nsecond\n\n2. Two\nlast",
        "1. One\n\n(a) first\nsecond\n\n2. Two\nlast\n",
        "Preamble\n\n1. One\n\n\n2. Two\n\n",
        "",
        "no clauses here\n\nat all\n",
    ] {
        let tr = tree(text);
        for i in 0..tr.clauses.len() {
            let c = &tr.clauses[i];
            assert_eq!(
                tr.text(i, text),
                line_slice(text, c.line_start, c.line_end),
                "{text:?} {i}"
            );
            let r = tr.own_lines(i);
            assert_eq!(
                tr.lines(text, *r.start(), *r.end()),
                line_slice(text, *r.start(), *r.end())
            );
        }
        let n = text.split('\n').count();
        for a in 0..=n + 1 {
            for b in 0..=n + 1 {
                assert_eq!(tr.lines(text, a, b), line_slice(text, a, b), "{text:?} {a}..={b}");
            }
        }
    }
}

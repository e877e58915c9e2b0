//! A hand-built report for the renderer tests: every anchor state, both statuses, and texts
//! that try to break each format (HTML, Markdown tables, control characters, long URLs).

use super::report::*;

fn crit(id: &str, title: Option<&str>) -> CriterionInfo {
    CriterionInfo {
        id: id.into(),
        set: id.split_once('-').map(|(s, _)| s.to_string()),
        number: id.split_once('-').map(|(_, n)| n.to_string()),
        title: title.map(Into::into),
    }
}

fn comment(author: &str, at: &str, body: &str) -> CommentReport {
    CommentReport {
        id: format!("c-{:06x}", body.len()),
        author: author.into(),
        at: at.into(),
        edited_at: None,
        message_id: None,
        body: body.into(),
    }
}

pub(crate) fn report() -> Report {
    let osd6 = crit("osd-6", Some("No discrimination against fields of endeavour"));
    let osd10 = crit("osd-10", Some("Technology-neutral"));
    let odd = crit("my|crit", None);
    let threads = vec![
        ThreadReport {
            id: "t-1".into(),
            uses_changed_terms: vec!["Output".into()],
            subject: None,
            list: None,
            clause: "2.2(b)".into(),
            anchored: Some(AnchorRef { version: "submitted".into(), clause: "2.2(b)".into() }),
            anchor_state: AnchorState::Exact,
            moved_to: None,
            score: Some(1.0),
            quote: Some("a collection of Output as a dataset".into()),
            clause_text: Some(
                "(b) If you distribute a collection of Output as a dataset, you shall\n\
                 attach this License."
                    .into(),
            ),
            clause_text_cut: false,
            clause_change: Some(ClauseStatus::Changed),
            clause_diff: vec![
                DiffSpan { tag: DiffTag::Equal, text: "(b) If you ".into() },
                DiffSpan { tag: DiffTag::Delete, text: "share".into() },
                DiffSpan { tag: DiffTag::Insert, text: "distribute".into() },
                DiffSpan {
                    tag: DiffTag::Equal,
                    text: " a collection of Output as a dataset, you shall\nattach this License."
                        .into(),
                },
            ],
            verdict: Verdict::Concern,
            status: Status::Open,
            criteria: vec![osd6.clone(), osd10.clone()],
            events: vec![EventReport {
                author: "reviewer-a".into(),
                at: "2025-05-16T08:00:00Z".into(),
                field: "verdict".into(),
                from: "question".into(),
                to: "concern".into(),
            }],
            comments: vec![
                comment(
                    "reviewer-a",
                    "2025-05-14T07:09:00Z",
                    "Imposing a duty on the output looks like a restriction on use.\n\
                     See https://opensource.org/osd#fields-of-endeavor-and-a-very-long-anchor-that-goes-on-and-on-forever-and-ever for the text.",
                ),
                CommentReport {
                    edited_at: Some("2025-05-15T11:30:00Z".into()),
                    ..comment(
                        "author <b>&amp; co</b>",
                        "2025-05-15T10:00:00Z",
                        "We think it's fine: <script>alert(\"x\")</script> & \"quotes\" | pipes |\n\
                         # not a heading\n\u{1b}]0;pwned\u{7} and a bidi \u{202e}override.",
                    )
                },
            ],
        },
        ThreadReport {
            id: "t-2".into(),
            uses_changed_terms: vec![],
            subject: None,
            list: None,
            clause: "3".into(),
            anchored: Some(AnchorRef { version: "website".into(), clause: "2.3".into() }),
            anchor_state: AnchorState::Moved,
            moved_to: Some("3".into()),
            score: Some(0.91),
            quote: None,
            clause_text: Some(
                "3. Patent grant. Each contributor grants | a patent license.".into(),
            ),
            clause_text_cut: false,
            clause_change: Some(ClauseStatus::Renumbered),
            clause_diff: vec![],
            verdict: Verdict::Conflict,
            status: Status::Resolved,
            criteria: vec![osd10.clone(), odd.clone()],
            events: vec![],
            comments: vec![comment(
                "reviewer-b",
                "2025-05-16T08:30:00Z",
                "Looks like a *field of use* restriction; see the table:\n\n| a | b |\n|---|---|",
            )],
        },
        ThreadReport {
            id: "t-3".into(),
            uses_changed_terms: vec![],
            subject: None,
            list: None,
            clause: "4.1".into(),
            anchored: Some(AnchorRef { version: "website".into(), clause: "4.1".into() }),
            anchor_state: AnchorState::Orphaned,
            moved_to: None,
            score: None,
            quote: Some("only for research".into()),
            clause_text: None,
            clause_text_cut: false,
            clause_change: None,
            clause_diff: vec![],
            verdict: Verdict::Question,
            status: Status::Open,
            criteria: vec![osd6.clone()],
            events: vec![],
            comments: vec![comment(
                "reviewer-a",
                "not a time",
                "日本語のコメントはスペースなしで長く続くことがあり、折り返しは文字幅で数える必要があります。これは七十二桁を超えるかもしれない長い一文です。",
            )],
        },
    ];
    let mut r = Report {
        format: FORMAT.into(),
        title: "Example | Model License 2.0: submitted vs website".into(),
        license: Some("EML-2.0".into()),
        review: "reviews/example.toml".into(),
        versions: vec![
            VersionInfo {
                id: "website".into(),
                role: "left".into(),
                path: "../texts/eml/2.0-website.md".into(),
                sha256: Some("a".repeat(64)),
                file_sha256: Some("a".repeat(64)),
                date: Some("2025-05-01".into()),
                label: None,
            },
            VersionInfo {
                id: "submitted".into(),
                role: "right".into(),
                path: "../texts/eml/2.0-submitted.md".into(),
                sha256: Some("b".repeat(64)),
                file_sha256: Some("c".repeat(64)),
                date: None,
                label: None,
            },
        ],
        shown_against: "submitted".into(),
        diff_from: "website".into(),
        diff_to: "submitted".into(),
        filters: Filters::default(),
        criteria_used: vec![osd6, osd10, odd],
        matrix: vec![],
        per_criterion: vec![],
        threads,
        definitions_changed: vec![DefinitionChange {
            term: "Output".into(),
            status: "changed".into(),
            left_clause: Some("1.4".into()),
            right_clause: Some("1.4".into()),
            used_in: vec!["2.2(b)".into(), "3.1".into()],
        }],
        counts: Counts::default(),
    };
    r.summarise();
    r
}

#[test]
fn summarise_builds_matrix_and_counts() {
    let r = report();
    assert_eq!(r.matrix.len(), 3);
    assert_eq!(r.matrix[0].cells, vec![Some(Verdict::Concern), Some(Verdict::Concern), None]);
    assert_eq!(r.matrix[1].cells, vec![None, Some(Verdict::Conflict), Some(Verdict::Conflict)]);
    assert!(r.matrix[2].orphaned);
    assert_eq!(r.per_criterion[1].clauses, vec!["2.2(b)", "3"]);
    assert_eq!(r.per_criterion[1].worst, Verdict::Conflict);
    assert_eq!((r.per_criterion[1].open, r.per_criterion[1].resolved), (1, 1));
    assert_eq!(r.counts.threads, 3);
    assert_eq!((r.counts.open, r.counts.resolved, r.counts.comments), (2, 1, 4));
    assert_eq!((r.counts.exact, r.counts.moved, r.counts.orphaned), (1, 1, 1));
    assert!(r.versions[1].hash_mismatch());
    assert!(!r.versions[0].hash_mismatch());
}

#[test]
fn worst_verdict_order() {
    use Verdict::*;
    assert_eq!(Note.worst(Conforms), Conforms);
    assert_eq!(Conforms.worst(Question), Question);
    assert_eq!(Concern.worst(Question), Concern);
    assert_eq!(Concern.worst(Conflict), Conflict);
    assert_eq!(Conflict.worst(Note), Conflict);
}

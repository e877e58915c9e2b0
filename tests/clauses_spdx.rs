//! Every license text of the SPDX License List (bundled by the `spdx` crate) parses without
//! panicking into a sound tree. The time taken is printed, never asserted.

use std::time::Instant;

use lrw::text::{ClauseTree, Text};

#[test]
fn every_spdx_license_text_parses() {
    let start = Instant::now();
    let mut bytes = 0usize;
    let mut clauses = 0usize;
    let mut with_clauses = 0usize;
    for lic in spdx::identifiers::LICENSES {
        let id = spdx::license_id(lic.name).expect("listed id resolves");
        let text = Text::from_string(lic.name, id.text());
        bytes += text.content.len();
        let tree = ClauseTree::parse(&text.content);
        let lines = text.content.split('\n').count();
        let mut seen = std::collections::HashSet::new();
        for c in &tree.clauses {
            assert!(seen.insert(c.id.as_str()), "{}: duplicate id {}", lic.name, c.id);
            assert!(
                c.line_start >= 1 && c.line_start <= c.line_end && c.line_end <= lines,
                "{}: {c:?}",
                lic.name
            );
            if let Some(p) = c.parent {
                assert_eq!(tree.clauses[p].depth + 1, c.depth, "{}: {}", lic.name, c.id);
            }
        }
        clauses += tree.clauses.len();
        // Texts read as paragraphs (no numbered clause) do not count.
        with_clauses += usize::from(!tree.clauses.is_empty() && !tree.paragraphs);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "parsed {} SPDX texts ({:.1} MB, {clauses} clauses, {with_clauses} texts with clauses) in {:.3} s \
         ({:.1} MB/s, debug build unless --release)",
        spdx::identifiers::LICENSES.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
    assert!(spdx::identifiers::LICENSES.len() > 500);
    assert!(with_clauses > 100, "{with_clauses} texts with clauses");
}

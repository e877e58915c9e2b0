//! Filling the view-model from the core: texts, clause trees, alignment, side-by-side rows and
//! thread anchors become one [`Document`].

use super::doc::Document;
use crate::text::Text;

/// A one-line warning when `text` holds characters that change how it reads without being
/// seen (bidi controls, zero-width and other invisible characters, controls): they are shown
/// as markers, and the reader should know they are there.
pub fn hidden_warning(label: &str, text: &Text) -> Option<String> {
    use crate::text::inspect::{FindingKind, inspect};
    let hidden: Vec<_> = inspect(text)
        .into_iter()
        .filter(|f| {
            matches!(f.kind, FindingKind::Control | FindingKind::Bidi | FindingKind::Invisible)
        })
        .collect();
    let first = hidden.first()?;
    let bidi = hidden.iter().any(|f| f.kind == FindingKind::Bidi);
    let what = if bidi { "bidi or invisible" } else { "invisible or control" };
    let count = hidden.len();
    let s = if count == 1 { "" } else { "s" };
    Some(format!(
        "{label}: {count} {what} character{s}, first at {}:{}, shown as ⟨U+…⟩ / ␛ markers",
        first.line, first.column
    ))
}

/// Add the hidden-character warnings of both texts to `doc`.
pub fn add_hidden_warnings(doc: &mut Document, left: &Text, right: &Text) {
    let (l, r) = (doc.left_version.clone(), doc.right_version.clone());
    doc.warnings.extend(hidden_warning(&l, left));
    doc.warnings.extend(hidden_warning(&r, right));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_summarised() {
        let t = Text::from_string("x", "plain\ttext\nabc \u{202e}evil\u{202c} \u{1b}]0;t\u{7}\n");
        let w = hidden_warning("submitted", &t).unwrap();
        assert_eq!(
            w,
            "submitted: 4 bidi or invisible characters, first at 2:5, shown as ⟨U+…⟩ / ␛ markers"
        );
        assert_eq!(hidden_warning("x", &Text::from_string("x", "clean\ttext")), None);
    }
}

//! The word-level diff of one clause between the compared versions, as spans for the HTML
//! (`<del>`/`<ins>`) and plain-text (`[-...-]{+...+}`) views.

use super::report::{DiffSpan, DiffTag};

/// How long one clause diff may take before `similar` settles for a coarser (still correct)
/// script: a pathological clause cannot stall an export.
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// Word-level diff of two texts as spans, of the words: a change of white space only (a
/// rewrapped line) is shown as equal text, spaced as on the right. A change of several words reads as one deletion
/// and one insertion (`<del>a b</del><ins>c d</ins>`), not as alternating single words: white
/// space between changed words is taken into both.
pub fn word_spans(left: &str, right: &str) -> Vec<DiffSpan> {
    let diff = similar::TextDiff::configure().timeout(DEADLINE).diff_unicode_words(left, right);
    let mut raw: Vec<(DiffTag, &str)> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = match change.tag() {
            similar::ChangeTag::Equal => DiffTag::Equal,
            similar::ChangeTag::Delete => DiffTag::Delete,
            similar::ChangeTag::Insert => DiffTag::Insert,
        };
        raw.push((tag, change.value()));
    }

    let mut spans: Vec<DiffSpan> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |spans: &mut Vec<DiffSpan>, del: &mut String, ins: &mut String| {
        // The same words spaced differently (a line rewrapped) are no change of words: keep
        // the right side's spacing as equal text.
        if del.split_whitespace().eq(ins.split_whitespace()) {
            let keep = if ins.is_empty() { del.as_str() } else { ins.as_str() };
            if !keep.is_empty() {
                push(spans, DiffTag::Equal, keep);
            }
            del.clear();
            ins.clear();
            return;
        }
        for (tag, text) in [(DiffTag::Delete, del), (DiffTag::Insert, ins)] {
            if !text.is_empty() {
                push(spans, tag, text);
                text.clear();
            }
        }
    };
    for (k, &(tag, value)) in raw.iter().enumerate() {
        match tag {
            DiffTag::Delete => del.push_str(value),
            DiffTag::Insert => ins.push_str(value),
            DiffTag::Equal => {
                let in_change = !del.is_empty() || !ins.is_empty();
                let next_changes = raw.get(k + 1).is_some_and(|(t, _)| *t != DiffTag::Equal);
                if in_change && next_changes && value.trim().is_empty() {
                    del.push_str(value);
                    ins.push_str(value);
                } else {
                    flush(&mut spans, &mut del, &mut ins);
                    push(&mut spans, DiffTag::Equal, value);
                }
            }
        }
    }
    flush(&mut spans, &mut del, &mut ins);
    spans
}

fn push(spans: &mut Vec<DiffSpan>, tag: DiffTag, text: &str) {
    match spans.last_mut() {
        Some(last) if last.tag == tag => last.text.push_str(text),
        _ => spans.push(DiffSpan { tag, text: text.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(spans: &[DiffSpan]) -> String {
        spans
            .iter()
            .map(|s| match s.tag {
                DiffTag::Equal => s.text.clone(),
                DiffTag::Delete => format!("[-{}-]", s.text),
                DiffTag::Insert => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn single_and_multi_word_changes() {
        assert_eq!(
            show(&word_spans("if you share it", "if you distribute it")),
            "if you [-share-]{+distribute+} it"
        );
        assert_eq!(
            show(&word_spans("within 30 days of notice", "within sixty (60) days of notice")),
            "within [-30-]{+sixty (60)+} days of notice"
        );
        assert_eq!(show(&word_spans("a b c d", "a x y d")), "a [-b c-]{+x y+} d");
        assert!(word_spans("same", "same").iter().all(|s| s.tag == DiffTag::Equal));
    }

    #[test]
    fn spans_rebuild_both_sides() {
        let (a, b) =
            ("1. The grant\nis broad, and free.", "1. The licence grant is\nnarrow; and free!");
        let spans = word_spans(a, b);
        let left: String =
            spans.iter().filter(|s| s.tag != DiffTag::Insert).map(|s| s.text.as_str()).collect();
        let right: String =
            spans.iter().filter(|s| s.tag != DiffTag::Delete).map(|s| s.text.as_str()).collect();
        assert_eq!((left.as_str(), right.as_str()), (a, b));
    }

    #[test]
    fn rewrapping_is_not_a_change() {
        let spans = word_spans("to use,\ncopy, modify", "to use, copy,\nmodify");
        assert!(spans.iter().all(|s| s.tag == DiffTag::Equal), "{spans:?}");
        let right: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(right, "to use, copy,\nmodify", "spaced as on the right");
    }

    #[test]
    fn same_words_respaced_are_equal() {
        let text = show(&word_spans(
            "attach a notice\nthat it was made, and a copy",
            "attach a\nnotice that it was made by us",
        ));
        assert!(text.starts_with("attach a\nnotice that it was made"), "{text}");
        assert!(text.contains("[-, and a copy-]{+ by us+}"), "{text}");
    }
}

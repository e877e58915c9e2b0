//! Deterministic light edits of a text, for checking that matching survives them.
#![allow(dead_code)] // each user takes what it needs

/// Words put in place of the replaced ones: common English, on no license's mind.
const VOCABULARY: [&str; 12] = [
    "harbour", "violet", "granite", "orbit", "lantern", "meadow", "cobalt", "falcon", "thimble",
    "quartz", "saddle", "walnut",
];

/// `text` with `count` of its words (white-space separated, at positions chosen with `seed`)
/// replaced by words from [`VOCABULARY`], white space kept; returns the new text and how many
/// words were replaced (fewer than `count` when the text has fewer words). Deterministic, so a
/// failure can be reproduced.
pub fn replace_words(text: &str, count: usize, seed: u64) -> (String, usize) {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                spans.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut chosen: Vec<usize> = (0..spans.len()).collect();
    rng.shuffle(&mut chosen);
    let count = count.min(spans.len());
    let mut chosen = chosen[..count].to_vec();
    chosen.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for i in chosen {
        out.push_str(&text[at..spans[i].start]);
        out.push_str(VOCABULARY[rng.usize(..VOCABULARY.len())]);
        at = spans[i].end;
    }
    out.push_str(&text[at..]);
    (out, count)
}

/// `text` with `share` (0..1) of its words replaced, as [`replace_words`] does.
pub fn replace_share(text: &str, share: f64, seed: u64) -> (String, usize) {
    let words = text.split_whitespace().count();
    replace_words(text, (words as f64 * share).round() as usize, seed)
}

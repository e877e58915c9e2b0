//! Pairing the clauses of two versions, so that a renumbered, moved, split or merged clause
//! is compared with its old self instead of being shown as deleted here and added there.
//!
//! The input is a list of [`Unit`]s per side (an id such as `2.2(b)` and the clause's text,
//! without its number), in document order. The rules:
//!
//! 1. **Similarity** of two units is the Dice coefficient of their normalised, case-folded
//!    words (twice the words in common over all words), in 0..1.
//! 2. **Pairing** is greedy, best first, one to one. A candidate's score is its similarity,
//!    plus [`ID_BONUS`] when the ids are the same, minus [`POSITION_PENALTY`] times the
//!    difference of the units' relative positions (0..1), so that among equal texts the one in
//!    the same place wins. A candidate needs similarity ≥ [`PAIR_MIN`], or ≥ [`SAME_ID_MIN`]
//!    when the ids are the same.
//! 3. **Split and merge.** A unit left unpaired whose words are at least [`CONTAINED_MIN`]
//!    contained in a unit of the other side, with similarity ≥ [`SPLIT_MIN`] (or that
//!    contains that share of the other's words, with similarity ≥ [`SPLIT_AROUND_MIN`]), is
//!    paired with the most similar such unit too, so one unit can appear in several pairs (a
//!    clause split in two, or two merged into one). These extra pairs have the status
//!    `changed`.
//! 4. **Order.** Among the one-to-one pairs, the longest run that keeps the same order on both
//!    sides (longest increasing subsequence) is *in sequence*; the others are out of sequence.
//! 5. **Status** of a one-to-one pair:
//!    - `moved`: out of sequence, whatever its id and similarity;
//!    - `unchanged`: in sequence, same id, normalised texts equal;
//!    - `renumbered`: in sequence, different id, similarity ≥ [`RENUMBERED_MIN`] (the text
//!      may carry small edits; the similarity says how much);
//!    - `changed`: in sequence, otherwise (same id with edited text, or a different id with
//!      a text edited beyond the renumbering threshold);
//!    - `added` / `removed`: a unit of one side that is in no pair.
//! 6. **Output order** follows the right side; a removed unit comes after the pair that
//!    precedes it on the left side.
//!
//! Comparing every unit with every other costs `n × m` similarities; above
//! [`MAX_COMPARISONS`] only units with the same id or the same normalised text are candidates
//! (for paragraphs, numbered by place, the few units between the same two anchors instead).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::bag::{WordBag, fnv};
use crate::text::is_paragraph_id;
#[cfg(test)]
use crate::text::normalize::{NormalizeOptions, items};
use crate::text::normalize::{fold_char, is_bullet_char, is_word_char};

/// Bonus to the score of a candidate pair whose ids are the same.
pub const ID_BONUS: f64 = 0.2;
/// Penalty per unit of relative position difference (0..1).
pub const POSITION_PENALTY: f64 = 0.1;
/// Minimum similarity to pair units with different ids.
pub const PAIR_MIN: f64 = 0.5;
/// Minimum similarity to pair units with the same id.
pub const SAME_ID_MIN: f64 = 0.2;
/// Minimum similarity for a pair with different ids, in sequence, to be `renumbered`.
pub const RENUMBERED_MIN: f64 = 0.75;
/// Share of a unit's words found in another unit for a split or merge pair.
pub const CONTAINED_MIN: f64 = 0.8;
/// Minimum similarity of a split or merge pair, so that a short clause is not paired with a
/// long one merely because its few words all occur there.
pub const SPLIT_MIN: f64 = 0.3;
/// Minimum similarity of a split or merge pair where the unpaired unit holds the other (a
/// long unit holds many short ones by chance, so this is stricter).
pub const SPLIT_AROUND_MIN: f64 = 0.4;
/// Above [`MAX_COMPARISONS`], how many units of the same text (nearest in place) are
/// candidates for each unit.
const SAME_TEXT_CANDIDATES: usize = 8;
/// Above this many unit comparisons, only same-id and same-text candidates are considered
/// (for a paragraph, the units between the same two anchors instead of the same id, when there
/// are at most [`GAP_CANDIDATES`]).
pub const MAX_COMPARISONS: usize = 250_000;
/// Above [`MAX_COMPARISONS`], the most right units between two anchors that are all
/// candidates for each left unit between the same two (so at most this many per unit).
const GAP_CANDIDATES: usize = 16;

/// A clause (or any piece of text) to align: its id and its text without its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub text: String,
}

/// How a clause fared between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseStatus {
    Unchanged,
    Changed,
    Renumbered,
    Moved,
    Added,
    Removed,
}

impl ClauseStatus {
    /// One character for an outline, so the status is visible without colour.
    pub fn marker(self) -> char {
        match self {
            ClauseStatus::Unchanged => ' ',
            ClauseStatus::Changed => '~',
            ClauseStatus::Renumbered => '#',
            ClauseStatus::Moved => '>',
            ClauseStatus::Added => '+',
            ClauseStatus::Removed => '-',
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ClauseStatus::Unchanged => "unchanged",
            ClauseStatus::Changed => "changed",
            ClauseStatus::Renumbered => "renumbered",
            ClauseStatus::Moved => "moved",
            ClauseStatus::Added => "added",
            ClauseStatus::Removed => "removed",
        }
    }
}

/// A left unit, a right unit, or both, with how they relate. Indices point into the slices
/// given to [`align_units`] (or into the clause trees for [`super::align()`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ClausePair {
    pub left: Option<usize>,
    pub right: Option<usize>,
    pub status: ClauseStatus,
    /// 0..1; 0 for added and removed units.
    pub similarity: f64,
}

/// Pair the units of two versions; see the module documentation for the rules.
pub fn align_units(left: &[Unit], right: &[Unit]) -> Vec<ClausePair> {
    let prep = |u: &Unit| {
        let (bag, hash) = bag_and_hash(&u.text, 0..u.text.len());
        Prepared { id: u.id.clone(), bag, hash }
    };
    let l: Vec<Prepared> = left.iter().map(prep).collect();
    let r: Vec<Prepared> = right.iter().map(prep).collect();
    align_prepared(&l, &r)
}

/// A unit ready for alignment: its id, its word bag and the hash of its normalised text.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) id: String,
    pub(crate) bag: WordBag,
    pub(crate) hash: u64,
}

const SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over bytes, ASCII letters lower-cased.
fn lower_fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3))
}

/// One item into the running text hash.
fn chain(h: u64, key_hash: u64) -> u64 {
    (h ^ key_hash).wrapping_mul(0x0100_0000_01b3).rotate_left(29)
}

/// The word bag of a text and the hash of its normalised (case-folded) form, for "same text"
/// checks, in one pass.
///
/// Reading clauses is most of the cost of aligning long texts, so this scans bytes instead of
/// building tokens and items, following the rules of [`items`] exactly (a property test
/// compares the two): ASCII white space separates; a bullet opening a line is dropped; runs of
/// `(c)` / `©` / `Copyright` are one word; `https:` is `http:`; typographic quotes and dashes
/// fold to plain ones.
pub(crate) fn bag_and_hash(text: &str, span: std::ops::Range<usize>) -> (WordBag, u64) {
    let mut words = Vec::with_capacity(span.len() / 6);
    let hash = scan(text, span, |w| words.push(w));
    (WordBag::from_hashes(words), hash)
}

/// The number of words of a text and the hash of its normalised form, as [`bag_and_hash`]
/// gives them, without collecting the words.
pub(crate) fn count_and_hash(text: &str, span: std::ops::Range<usize>) -> (usize, u64) {
    let mut n = 0;
    let hash = scan(text, span, |_| n += 1);
    (n, hash)
}

/// The reading behind [`bag_and_hash`]: hands each word's hash to `word` and returns the hash
/// of the normalised text.
fn scan(text: &str, span: std::ops::Range<usize>, mut word: impl FnMut(u64)) -> u64 {
    if text.as_bytes()[span.clone()].is_ascii() {
        return scan_ascii(text.as_bytes(), span, word);
    }
    #[derive(PartialEq)]
    enum Kind {
        Word,
        Space,
        Other(char),
    }
    let b = text.as_bytes();
    // The white space that separates (ASCII only, as in `items`).
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    // The kind of the character at byte `i` (a char boundary) and its length.
    let class = |i: usize| -> (Kind, usize) {
        let c = b[i];
        if c < 0x80 {
            let kind = if c.is_ascii_alphanumeric() || c == b'_' {
                Kind::Word
            } else if is_space(c) {
                Kind::Space
            } else {
                Kind::Other(char::from(c))
            };
            return (kind, 1);
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        let kind = if is_word_char(ch) { Kind::Word } else { Kind::Other(ch) };
        (kind, ch.len_utf8())
    };
    let key_hash = |key: &str| {
        if key.is_ascii() {
            lower_fnv(SEED, key.as_bytes())
        } else {
            fnv(SEED, key.to_lowercase().as_bytes())
        }
    };
    let (mut i, end) = (span.start, span.end);
    let mut at_line_start = i == 0 || b[i - 1] == b'\n';
    let mut out = Items::new();
    while i < end {
        let start = i;
        let (kind, len) = class(i);
        i += len;
        if kind == Kind::Space {
            let mut newline = b[start] == b'\n';
            while i < end && is_space(b[i]) {
                newline |= b[i] == b'\n';
                i += 1;
            }
            at_line_start |= newline;
            continue;
        }
        let line_start = std::mem::take(&mut at_line_start);
        // An ASCII word's hash, made while reading it.
        let mut ascii_hash = None;
        let is_copyright = match kind {
            Kind::Word => {
                let step = |h: u64, c: u8| {
                    (h ^ u64::from(c.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
                };
                let mut hh = if len == 1 { Some(step(SEED, b[start])) } else { None };
                while i < end {
                    let c = b[i];
                    if c.is_ascii_alphanumeric() || c == b'_' {
                        hh = hh.map(|h| step(h, c));
                        i += 1;
                    } else if c < 0x80 {
                        break;
                    } else {
                        match class(i) {
                            (Kind::Word, n) => i += n,
                            _ => break,
                        }
                        hh = None;
                    }
                }
                ascii_hash = hh;
                i - start == 9 && text[start..i].eq_ignore_ascii_case("copyright")
            }
            Kind::Other(c) => {
                if line_start && is_bullet_char(c) && i < end && class(i).0 == Kind::Space {
                    continue;
                }
                let paren_c =
                    c == '(' && i + 1 < end && matches!(b[i], b'c' | b'C') && b[i + 1] == b')';
                if paren_c {
                    i += 2;
                }
                paren_c || c == '\u{00A9}'
            }
            Kind::Space => false,
        };
        if is_copyright {
            out.copyright(&mut word);
            continue;
        }
        let key = &text[start..i];
        let hash = match kind {
            Kind::Word
                if i - start == 5
                    && key.eq_ignore_ascii_case("https")
                    && b.get(i) == Some(&b':') =>
            {
                lower_fnv(SEED, b"http")
            }
            Kind::Word if ascii_hash.is_some() => ascii_hash.unwrap_or_default(),
            Kind::Other(c) => match fold_char(c) {
                Some(f) => key_hash(f.encode_utf8(&mut [0; 4])),
                None => key_hash(key),
            },
            _ => key_hash(key),
        };
        out.item(hash, kind == Kind::Word, &mut word);
    }
    out.hash
}

/// The running result of [`scan`]: the normalised text's hash so far, and whether the last
/// item was a copyright form (a run of them is one word).
struct Items {
    hash: u64,
    last_copyright: bool,
    copyright: u64,
}

impl Items {
    fn new() -> Items {
        Items { hash: SEED, last_copyright: false, copyright: lower_fnv(SEED, b"copyright") }
    }

    /// `(c)`, `©` or `Copyright`: one word for the whole run.
    fn copyright(&mut self, word: &mut impl FnMut(u64)) {
        if !self.last_copyright {
            self.hash = chain(self.hash, self.copyright);
            word(self.copyright);
        }
        self.last_copyright = true;
    }

    /// Any other item, with its key's hash.
    fn item(&mut self, key: u64, is_word: bool, word: &mut impl FnMut(u64)) {
        self.last_copyright = false;
        self.hash = chain(self.hash, key);
        if is_word {
            word(key);
        }
    }
}

/// [`scan`] of ASCII text (most license text): the same rules on bytes, with no characters
/// to decode and no other scripts to consider.
fn scan_ascii(b: &[u8], span: std::ops::Range<usize>, mut word: impl FnMut(u64)) -> u64 {
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let step =
        |h: u64, c: u8| (h ^ u64::from(c.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
    let (mut i, end) = (span.start, span.end);
    let mut at_line_start = i == 0 || b[i - 1] == b'\n';
    let mut out = Items::new();
    while i < end {
        let c = b[i];
        if is_space(c) {
            while i < end && is_space(b[i]) {
                at_line_start |= b[i] == b'\n';
                i += 1;
            }
            continue;
        }
        let line_start = std::mem::take(&mut at_line_start);
        let start = i;
        let (hash, is_word_item, is_copyright);
        if is_word(c) {
            let mut wh = SEED;
            while i < end && is_word(b[i]) {
                wh = step(wh, b[i]);
                i += 1;
            }
            let w = &b[start..i];
            is_copyright = w.len() == 9 && w.eq_ignore_ascii_case(b"copyright");
            let https = w.len() == 5 && w.eq_ignore_ascii_case(b"https") && b.get(i) == Some(&b':');
            hash = if https { lower_fnv(SEED, b"http") } else { wh };
            is_word_item = true;
        } else {
            i += 1;
            // A bullet opening a line, followed by white space.
            if line_start && matches!(c, b'*' | b'-') && i < end && is_space(b[i]) {
                continue;
            }
            let paren_c =
                c == b'(' && i + 1 < end && matches!(b[i], b'c' | b'C') && b[i + 1] == b')';
            if paren_c {
                i += 2;
            }
            is_copyright = paren_c;
            // The backquote is the one ASCII character that folds (to an apostrophe).
            hash = lower_fnv(SEED, if c == b'`' { b"'" } else { std::slice::from_ref(&c) });
            is_word_item = false;
        }
        if is_copyright {
            out.copyright(&mut word);
        } else {
            out.item(hash, is_word_item, &mut word);
        }
    }
    out.hash
}

/// [`bag_and_hash`] through [`items`]: the reference the fast reading is checked against.
#[cfg(test)]
fn general_bag_and_hash(text: &str, span: std::ops::Range<usize>) -> (WordBag, u64) {
    // Case is folded here while hashing (ASCII without allocating), not by `items`.
    let norm = NormalizeOptions { ignore_case: false };
    let mut h = SEED;
    let mut words = Vec::with_capacity(span.len() / 6);
    for it in items(text, span, norm) {
        let key_hash = if it.key.is_ascii() {
            lower_fnv(SEED, it.key.as_bytes())
        } else {
            fnv(SEED, it.key.to_lowercase().as_bytes())
        };
        h = chain(h, key_hash);
        if it.is_word {
            words.push(key_hash);
        }
    }
    (WordBag::from_hashes(words), h)
}

/// Combine hashes in order (a clause's own text and its children's).
pub(crate) fn combine_hashes(parts: impl IntoIterator<Item = u64>) -> u64 {
    parts
        .into_iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, p| (h ^ p).wrapping_mul(0x0100_0000_01b3).rotate_left(17))
}

/// [`align_units`] on prepared units.
pub(crate) fn align_prepared(left: &[Prepared], right: &[Prepared]) -> Vec<ClausePair> {
    fn entry(u: &Prepared) -> Entry<'_> {
        Entry { id: &u.id, words: Some((&u.bag, u.hash)) }
    }
    let l: Vec<Entry> = left.iter().map(entry).collect();
    let r: Vec<Entry> = right.iter().map(entry).collect();
    align_anchored(&l, &r, &[])
}

/// What the pairing rules need of a unit's words: how many there are, and how many it
/// shares with a unit of the other side. A [`WordBag`] holds them all; a large text's clauses
/// can answer without reading what they share with their counterpart (see
/// [`super::clauses`]).
pub(crate) trait Bag {
    fn total(&self) -> usize;
    /// Words in common with `other`, counted with multiplicity (symmetric).
    fn common(&self, other: &Self) -> u32;
    /// Words in common of each of `left` with each of `right`, row by row.
    fn common_all(left: &[&Self], right: &[&Self]) -> Vec<u32> {
        left.iter().flat_map(|a| right.iter().map(move |b| a.common(b))).collect()
    }
}

impl Bag for WordBag {
    fn total(&self) -> usize {
        WordBag::total(self)
    }
    fn common(&self, other: &Self) -> u32 {
        WordBag::common(self, other)
    }
    fn common_all(left: &[&Self], right: &[&Self]) -> Vec<u32> {
        WordBag::common_all(left, right)
    }
}

/// The units of `side` that carry words and are not `skip`ped: (index, bag, hash).
fn with_words<'a, B: Bag>(
    side: &[Entry<'a, B>],
    skip: impl Fn(usize) -> bool,
) -> Vec<(usize, &'a B, u64)> {
    side.iter()
        .enumerate()
        .filter(|(k, _)| !skip(*k))
        .filter_map(|(k, e)| e.words.map(|(b, h)| (k, b, h)))
        .collect()
}

/// A unit as [`align_anchored`] sees it: its id, and its word bag and normalised-text hash
/// unless it is anchored (then nobody needs to read its words).
#[derive(Debug)]
pub(crate) struct Entry<'a, B = WordBag> {
    pub(crate) id: &'a str,
    pub(crate) words: Option<(&'a B, u64)>,
}

impl<B> Clone for Entry<'_, B> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<B> Copy for Entry<'_, B> {}

/// The pairing rules of the module documentation, with some pairs known in advance: each
/// anchor `(i, j)` pairs left `i` with right `j` as the same text (similarity 1). Anchors take
/// part in the order rule like any pair. Every other unit must carry its words; so must every
/// unit when `n × m` ≤ [`MAX_COMPARISONS`] (any unit may then hold a split or merged one).
/// Positions (for the penalty) are relative to the whole lists, anchored units included.
pub(crate) fn align_anchored<'a, B: Bag>(
    left: &[Entry<'a, B>],
    right: &[Entry<'a, B>],
    anchors: &[(usize, usize)],
) -> Vec<ClausePair> {
    let (n, m) = (left.len(), right.len());
    let rel = |i: usize, len: usize| if len <= 1 { 0.0 } else { i as f64 / (len - 1) as f64 };
    let mut l_of: Vec<Option<(usize, f64)>> = vec![None; n];
    let mut r_of: Vec<Option<(usize, f64)>> = vec![None; m];
    let mut anchored = vec![false; n];
    for &(i, j) in anchors {
        l_of[i] = Some((j, 1.0));
        r_of[j] = Some((i, 1.0));
        anchored[i] = true;
    }
    // The units left to pair, with their words.
    let lf = with_words(left, |i| l_of[i].is_some());
    let rf = with_words(right, |j| r_of[j].is_some());
    // As without anchors: the whole lists decide, so anchors never change which rules apply.
    let small = n.saturating_mul(m) <= MAX_COMPARISONS;

    // When every pair is compared (some twice: for pairing, then for splits and merges),
    // the words in common are counted once for all pairs.
    let all: Vec<(usize, &B, u64)> = with_words(left, |_| false);
    let all_r: Vec<(usize, &B, u64)> = with_words(right, |_| false);
    let (mut row, mut col) = (vec![usize::MAX; n], vec![usize::MAX; m]);
    let matrix = if small {
        for (k, &(i, _, _)) in all.iter().enumerate() {
            row[i] = k;
        }
        for (k, &(j, _, _)) in all_r.iter().enumerate() {
            col[j] = k;
        }
        let bags = |v: &[(usize, &'a B, u64)]| v.iter().map(|e| e.1).collect::<Vec<&B>>();
        B::common_all(&bags(&all), &bags(&all_r))
    } else {
        Vec::new()
    };
    let common = |i: usize, lb: &B, j: usize, rb: &B| -> u32 {
        match (row[i], col[j]) {
            (r, c) if r != usize::MAX && c != usize::MAX => matrix[r * all_r.len() + c],
            _ => lb.common(rb),
        }
    };
    let dice = |i: usize, lb: &B, j: usize, rb: &B| {
        WordBag::dice_of(common(i, lb, j, rb), lb.total(), rb.total())
    };

    // Candidates: (score, similarity, i, j).
    let mut cands: Vec<(f64, f64, usize, usize)> = Vec::new();
    let mut consider = |&(i, lb, lh): &(usize, &B, u64), &(j, rb, rh): &(usize, &B, u64)| {
        let same_id = left[i].id == right[j].id && !is_paragraph_id(left[i].id);
        let sim = if lh == rh { 1.0 } else { dice(i, lb, j, rb) };
        if sim >= PAIR_MIN || (same_id && sim >= SAME_ID_MIN) {
            let score = sim + if same_id { ID_BONUS } else { 0.0 }
                - POSITION_PENALTY * (rel(i, n) - rel(j, m)).abs();
            cands.push((score, sim, i, j));
        }
    };
    if small {
        for a in &lf {
            for b in &rf {
                consider(a, b);
            }
        }
    } else {
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_text: HashMap<u64, Vec<usize>> = HashMap::new();
        for (k, &(j, _, h)) in rf.iter().enumerate() {
            by_id.entry(right[j].id).or_default().push(k);
            by_text.entry(h).or_default().push(k);
        }
        // For a paragraph (`¶n`, numbered by place: its id shifts with every paragraph
        // inserted or removed above it, so the same id says nothing), the right units between
        // the anchors around it (rf indices), when few: an edited paragraph is found there.
        let paragraphs = lf.iter().any(|&(i, _, _)| is_paragraph_id(left[i].id));
        let (mut k_of, mut sorted_anchors) = (Vec::new(), Vec::new());
        if paragraphs {
            k_of = vec![usize::MAX; m];
            for (k, e) in rf.iter().enumerate() {
                k_of[e.0] = k;
            }
            sorted_anchors = anchors.to_vec();
            sorted_anchors.sort_unstable();
        }
        let gap = |i: usize| -> Vec<usize> {
            let p = sorted_anchors.partition_point(|&(a, _)| a < i);
            let from = if p == 0 { 0 } else { sorted_anchors[p - 1].1 + 1 };
            let to = sorted_anchors.get(p).map_or(m, |&(_, j)| j);
            if to <= from || to - from > GAP_CANDIDATES {
                return Vec::new();
            }
            k_of[from..to].iter().copied().filter(|&k| k != usize::MAX).collect()
        };
        for a in &lf {
            let (i, _, h) = *a;
            let mut ks: Vec<usize> = by_id.get(left[i].id).cloned().unwrap_or_default();
            if is_paragraph_id(left[i].id) {
                ks.extend(gap(i));
            }
            // Among many units with the same text, only those nearest in place (so that a
            // text of thousands of identical clauses stays linear).
            if let Some(same) = by_text.get(&h) {
                let at = same.partition_point(|&k| rel(rf[k].0, m) < rel(i, n));
                let from = at.saturating_sub(SAME_TEXT_CANDIDATES / 2);
                ks.extend(same.iter().skip(from).take(SAME_TEXT_CANDIDATES).copied());
            }
            ks.sort_unstable();
            ks.dedup();
            for k in ks {
                consider(a, &rf[k]);
            }
        }
    }
    // Each pair is a candidate once, so the order is total and need not be stable.
    cands.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
    for (_, sim, i, j) in cands {
        if l_of[i].is_none() && r_of[j].is_none() {
            l_of[i] = Some((j, sim));
            r_of[j] = Some((i, sim));
        }
    }

    // In-sequence pairs: longest increasing run of right indices in left order.
    let primary: Vec<(usize, usize, f64)> =
        l_of.iter().enumerate().filter_map(|(i, p)| p.map(|(j, s)| (i, j, s))).collect();
    let in_seq = longest_increasing(&primary.iter().map(|p| p.1).collect::<Vec<_>>());
    let same_text = |i: usize, j: usize| match (left[i].words, right[j].words) {
        _ if anchored[i] => true,
        (Some((_, a)), Some((_, b))) => a == b,
        _ => false,
    };

    let mut pairs: Vec<(i64, usize, ClausePair)> = Vec::new();
    for (k, &(i, j, sim)) in primary.iter().enumerate() {
        let status = if !in_seq[k] {
            ClauseStatus::Moved
        } else if left[i].id == right[j].id {
            if same_text(i, j) { ClauseStatus::Unchanged } else { ClauseStatus::Changed }
        } else if sim >= RENUMBERED_MIN {
            ClauseStatus::Renumbered
        } else {
            ClauseStatus::Changed
        };
        pairs.push((
            2 * j as i64,
            i,
            ClausePair { left: Some(i), right: Some(j), status, similarity: sim },
        ));
    }

    // Split and merge: unpaired units contained in a unit of the other side (any unit that
    // carries its words, anchored or not).
    let lb: Vec<(usize, &B)> = all.iter().map(|&(k, b, _)| (k, b)).collect();
    let rb: Vec<(usize, &B)> = all_r.iter().map(|&(k, b, _)| (k, b)).collect();
    // The most similar unit of the other side that holds `bag`'s words or is held by it;
    // `shared(k, o)` counts the words `bag` has in common with unit `k`.
    let contained = |bag: &B,
                     others: &[(usize, &B)],
                     shared: &dyn Fn(usize, &B) -> u32|
     -> Option<(usize, f64)> {
        if bag.total() == 0 {
            return None;
        }
        others
            .iter()
            .filter_map(|&(k, o)| {
                let n = shared(k, o);
                let (c, sim) = (f64::from(n), WordBag::dice_of(n, bag.total(), o.total()));
                let share = |of: &B| if of.total() == 0 { 0.0 } else { c / of.total() as f64 };
                let inside = share(bag) >= CONTAINED_MIN && sim >= SPLIT_MIN;
                let around = share(o) >= CONTAINED_MIN && sim >= SPLIT_AROUND_MIN;
                (inside || around).then_some((k, sim))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    };
    let mut l_extra = vec![false; n];
    let mut r_extra = vec![false; m];
    if small {
        let split = |i: usize, j: usize, sim: f64| {
            let pair = ClausePair {
                left: Some(i),
                right: Some(j),
                status: ClauseStatus::Changed,
                similarity: sim,
            };
            (2 * j as i64, i, pair)
        };
        for &(i, bag) in lb.iter().filter(|(i, _)| l_of[*i].is_none()) {
            if let Some((j, sim)) = contained(bag, &rb, &|j, o| common(i, bag, j, o)) {
                l_extra[i] = true;
                pairs.push(split(i, j, sim));
            }
        }
        for &(j, bag) in rb.iter().filter(|(j, _)| r_of[*j].is_none()) {
            if let Some((i, sim)) = contained(bag, &lb, &|i, o| common(i, o, j, bag)) {
                r_extra[j] = true;
                pairs.push(split(i, j, sim));
            }
        }
    }

    // Added and removed.
    for j in (0..m).filter(|&j| r_of[j].is_none() && !r_extra[j]) {
        let pair =
            ClausePair { left: None, right: Some(j), status: ClauseStatus::Added, similarity: 0.0 };
        pairs.push((2 * j as i64, usize::MAX, pair));
    }
    let mut anchor: i64 = -1;
    let seq_right: HashMap<usize, usize> =
        primary.iter().zip(&in_seq).filter(|(_, s)| **s).map(|(p, _)| (p.0, p.1)).collect();
    for i in 0..n {
        if let Some(&j) = seq_right.get(&i) {
            anchor = j as i64;
        }
        if l_of[i].is_none() && !l_extra[i] {
            let pair = ClausePair {
                left: Some(i),
                right: None,
                status: ClauseStatus::Removed,
                similarity: 0.0,
            };
            pairs.push((2 * anchor + 1, i, pair));
        }
    }
    pairs.sort_by_key(|p| (p.0, p.1));
    pairs.into_iter().map(|p| p.2).collect()
}

/// Which items belong to one longest strictly increasing subsequence.
pub(crate) fn longest_increasing(xs: &[usize]) -> Vec<bool> {
    // Patience sorting with back links: O(n log n).
    let mut tails: Vec<usize> = Vec::new(); // index into xs of the smallest tail per length
    let mut prev: Vec<Option<usize>> = vec![None; xs.len()];
    for (k, &x) in xs.iter().enumerate() {
        let pos = tails.partition_point(|&t| xs[t] < x);
        prev[k] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut keep = vec![false; xs.len()];
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        keep[k] = true;
        cur = prev[k];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(spec: &[(&str, &str)]) -> Vec<Unit> {
        spec.iter().map(|(id, t)| Unit { id: id.to_string(), text: t.to_string() }).collect()
    }

    fn show(pairs: &[ClausePair], l: &[Unit], r: &[Unit]) -> Vec<String> {
        pairs
            .iter()
            .map(|p| {
                let id =
                    |u: Option<usize>, s: &[Unit]| u.map_or("-".to_string(), |k| s[k].id.clone());
                format!("{} {} {}", id(p.left, l), id(p.right, r), p.status.as_str())
            })
            .collect()
    }

    const A: &str = "The Licensor grants You a worldwide royalty-free license to use the Work.";
    const B: &str = "You must give appropriate credit and indicate if changes were made.";
    const C: &str = "The Work is provided as is without warranties of any kind whatsoever.";
    const D: &str = "This License terminates automatically if You fail to comply with it.";

    #[test]
    fn identical_lists_are_unchanged() {
        let l = units(&[("1", A), ("2", B), ("3", C)]);
        let p = align_units(&l, &l);
        assert_eq!(show(&p, &l, &l), ["1 1 unchanged", "2 2 unchanged", "3 3 unchanged"]);
        assert!(p.iter().all(|p| p.similarity == 1.0));
    }

    #[test]
    fn renumbered_after_an_insertion() {
        let l = units(&[("1", A), ("2", B), ("3", C)]);
        let r = units(&[("1", A), ("2", D), ("3", B), ("4", C)]);
        let p = align_units(&l, &r);
        assert_eq!(
            show(&p, &l, &r),
            ["1 1 unchanged", "- 2 added", "2 3 renumbered", "3 4 renumbered"]
        );
    }

    #[test]
    fn moved_whatever_its_id() {
        let l = units(&[("1", A), ("2", B), ("3", C), ("4", D)]);
        let r = units(&[("1", A), ("2", C), ("3", D), ("4", B)]);
        let p = align_units(&l, &r);
        assert_eq!(
            show(&p, &l, &r),
            ["1 1 unchanged", "3 2 renumbered", "4 3 renumbered", "2 4 moved"]
        );
    }

    #[test]
    fn changed_removed_and_edited_text() {
        let edited = A.replace("worldwide", "non-exclusive");
        let l = units(&[("1", A), ("2", B), ("3", C)]);
        let r = units(&[("1", &edited), ("3", C)]);
        let p = align_units(&l, &r);
        assert_eq!(show(&p, &l, &r), ["1 1 changed", "2 - removed", "3 3 unchanged"]);
        assert!(p[0].similarity > 0.8 && p[0].similarity < 1.0);
        assert_eq!(p[1].similarity, 0.0);
    }

    #[test]
    fn split_clause_pairs_both_halves() {
        let both = format!("{A} {B}");
        let l = units(&[("1", &both), ("2", C)]);
        let r = units(&[("1", A), ("2", B), ("3", C)]);
        let p = align_units(&l, &r);
        assert_eq!(show(&p, &l, &r), ["1 1 changed", "1 2 changed", "2 3 renumbered"]);
    }

    #[test]
    fn merged_clause_pairs_the_part_that_holds_it() {
        // The old 8 was a heading with its text in 8.1; the new 5 has both.
        let heading = "Modification of this License";
        let body = format!("{A} {B}");
        let merged = format!("{heading} {body}");
        let l = units(&[("8", &merged), ("8.1", &body), ("9", C)]);
        let r = units(&[("5", &merged), ("6", C)]);
        let p = align_units(&l, &r);
        assert_eq!(show(&p, &l, &r), ["8 5 renumbered", "8.1 5 changed", "9 6 renumbered"]);
        // A long unpaired unit does not take a short one it happens to contain.
        let l = units(&[("1", A), ("2", &format!("{B} {C} {D} {D} {C}"))]);
        let r = units(&[("1", A), ("2", "You must give credit.")]);
        let p = align_units(&l, &r);
        assert_eq!(show(&p, &l, &r), ["1 1 unchanged", "2 - removed", "- 2 added"]);
    }

    #[test]
    fn same_text_twice_pairs_by_place() {
        let l =
            units(&[("(a)", "all applicable laws."), ("x", A), ("(b)", "all applicable laws.")]);
        let r =
            units(&[("(a)", "all applicable laws."), ("x", A), ("(b)", "all applicable laws.")]);
        let p = align_units(&l, &r);
        assert_eq!(show(&p, &l, &r), ["(a) (a) unchanged", "x x unchanged", "(b) (b) unchanged"]);
    }

    #[test]
    fn empty_sides() {
        let l = units(&[("1", A)]);
        assert_eq!(show(&align_units(&l, &[]), &l, &[]), ["1 - removed"]);
        assert_eq!(show(&align_units(&[], &l), &[], &l), ["- 1 added"]);
        assert!(align_units(&[], &[]).is_empty());
    }

    /// Pieces of text that exercise the reading rules, ASCII first.
    const ASCII_PARTS: &[&str] = &[
        "copyright",
        "Copyright",
        "COPYRIGHT",
        "(c)",
        "(C)",
        "(",
        "c",
        "C",
        ")",
        "https",
        "HTTPS",
        "http",
        ":",
        "//x",
        "*",
        "-",
        "`",
        "'",
        "\"",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "\x0b",
        "\x0c",
        "word",
        "Word",
        "_",
        "a_b",
        "1.",
        "2.2(b)",
        ",",
        ".",
        "* ",
        "- ",
        "\n* ",
        "\n- x",
    ];
    const OTHER_PARTS: &[&str] = &[
        "—",
        "é",
        "e\u{301}",
        "\u{2022}",
        "\u{2019}",
        "\u{201C}",
        "\u{2013}",
        "©",
        "\u{00A0}",
        "\u{200B}",
        "Licens\u{043E}r",
        "ÉTÉ",
        "ß",
        "\u{2011}",
        "·",
    ];

    /// The fast reading of `text[span]` gives the hash and words reading through `items`
    /// gives.
    fn reads_as_items(
        text: &str,
        span: std::ops::Range<usize>,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let (fb, fh) = bag_and_hash(text, span.clone());
        let (gb, gh) = general_bag_and_hash(text, span.clone());
        proptest::prop_assert_eq!(fh, gh, "{:?}", &text[span]);
        proptest::prop_assert_eq!(fb.total(), gb.total());
        proptest::prop_assert_eq!(fb.common(&gb) as usize, gb.total());
        Ok(())
    }

    proptest::proptest! {
        /// ASCII text (read by `scan_ascii`) hashes exactly as reading it through `items`.
        #[test]
        fn fast_ascii_reading_matches_items(
            parts in proptest::collection::vec(proptest::sample::select(ASCII_PARTS), 0..40),
            cut in 0usize..8,
        ) {
            let text = parts.concat();
            let a = cut.min(text.len());
            let z = (text.len() - cut.min(text.len())).max(a);
            reads_as_items(&text, 0..text.len())?;
            reads_as_items(&text, a..z)?;
        }

        /// The fast reading hashes a text exactly as reading it through `items` does.
        #[test]
        fn fast_reading_matches_items(
            parts in proptest::collection::vec(
                proptest::sample::select([ASCII_PARTS, OTHER_PARTS].concat()),
                0..40,
            ),
            cut in 0usize..8,
        ) {
            let text = parts.concat();
            // Spans that start and end anywhere on a char boundary, and the whole text.
            let bounds: Vec<usize> = (0..=text.len()).filter(|&k| text.is_char_boundary(k)).collect();
            let a = bounds[cut.min(bounds.len() - 1)];
            let z = bounds[bounds.len() - 1 - cut.min(bounds.len() - 1)].max(a);
            reads_as_items(&text, 0..text.len())?;
            reads_as_items(&text, a..z)?;
        }
    }

    #[test]
    fn lis_keeps_the_longest_run() {
        assert_eq!(longest_increasing(&[0, 3, 1, 2]), [true, false, true, true]);
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
    }
}

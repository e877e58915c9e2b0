//! Word bags: the words of a stretch of text, counted, so that two stretches' similarity (the
//! share of words in common) costs one merge. Shared by the diff's move detection
//! ([`super::blocks`]) and the clause pairing ([`super::align`], [`super::clauses`]).

use std::ops::Range;

/// Normalised words of a stretch, counted, for similarity: (word hash, count) sorted by
/// hash, so two bags compare in one merge pass without hashing (move detection compares many
/// pairs). A hash collision can only nudge a similarity score.
#[derive(Debug, Default, Clone)]
pub(crate) struct WordBag {
    counts: Vec<(u64, u32)>,
    total: usize,
}

impl WordBag {
    /// All the words of `parts`, merged pairwise as in a merge sort, so that a clause with
    /// many sub-clauses costs its words times the log of their number, not times the number.
    pub(crate) fn union(parts: &[&WordBag]) -> WordBag {
        match parts {
            [] => WordBag::default(),
            [one] => (*one).clone(),
            _ => {
                let (a, b) = parts.split_at(parts.len() / 2);
                let mut bag = WordBag::union(a);
                bag.merge(&WordBag::union(b));
                bag
            }
        }
    }

    /// Add another bag's words to this one.
    pub(crate) fn merge(&mut self, other: &WordBag) {
        let mut out = Vec::with_capacity(self.counts.len() + other.counts.len());
        let (a, b) = (&self.counts, &other.counts);
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    out.push((x.0, x.1 + y.1));
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    out.push(*x);
                    i += 1;
                }
                (Some(x), None) => {
                    out.push(*x);
                    i += 1;
                }
                (_, Some(y)) => {
                    out.push(*y);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        self.counts = out;
        self.total += other.total;
    }
    /// Words in common, counted with multiplicity.
    pub(crate) fn common(&self, other: &WordBag) -> u32 {
        let (a, b) = (&self.counts, &other.counts);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += a[i].1.min(b[j].1);
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }
    /// Dice coefficient: twice the shared words over all words, 0..1.
    pub(crate) fn dice(&self, other: &WordBag) -> f64 {
        WordBag::dice_of(self.common(other), self.total, other.total)
    }
    /// The Dice coefficient of two bags of `a` and `b` words with `common` words in common.
    pub(crate) fn dice_of(common: u32, a: usize, b: usize) -> f64 {
        if a + b == 0 {
            return 1.0;
        }
        2.0 * f64::from(common) / (a + b) as f64
    }
    /// Words in common of each of `left` with each of `right`, row by row (`left.len()` rows
    /// of `right.len()`). Through an index of the right bags' words, so each left word costs
    /// a lookup and the bags sharing it, rather than a merge with every right bag: most pairs
    /// share few words.
    pub(crate) fn common_all<B: std::borrow::Borrow<WordBag>>(left: &[B], right: &[B]) -> Vec<u32> {
        // (word, right bag, count), sorted by word.
        let mut index: Vec<(u64, u32, u32)> = Vec::new();
        for (b, bag) in right.iter().map(B::borrow).enumerate() {
            let b = u32::try_from(b).unwrap_or(u32::MAX);
            index.extend(bag.counts.iter().map(|&(w, n)| (w, b, n)));
        }
        index.sort_unstable_by_key(|e| e.0);
        let mut out = vec![0u32; left.len() * right.len()];
        for (row, bag) in out.chunks_mut(right.len().max(1)).zip(left.iter().map(B::borrow)) {
            // The left words are sorted too: each search starts where the last ended.
            let mut from = 0;
            for &(w, n) in &bag.counts {
                from += index[from..].partition_point(|e| e.0 < w);
                for &(_, b, m) in index[from..].iter().take_while(|e| e.0 == w) {
                    row[b as usize] += n.min(m);
                }
            }
        }
        out
    }
    /// The best Dice coefficient the sizes allow (to skip hopeless pairs cheaply).
    pub(crate) fn dice_bound(&self, other: &WordBag) -> f64 {
        if self.total + other.total == 0 {
            return 1.0;
        }
        2.0 * self.total.min(other.total) as f64 / (self.total + other.total) as f64
    }
    /// Share of this bag's words found in `other`, 0..1.
    pub(crate) fn containment_in(&self, other: &WordBag) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        self.common(other) as f64 / self.total as f64
    }
    pub(crate) fn total(&self) -> usize {
        self.total
    }
}

impl WordBag {
    /// A bag from word hashes in any order.
    pub(crate) fn from_hashes(mut hashes: Vec<u64>) -> WordBag {
        hashes.sort_unstable();
        let total = hashes.len();
        let mut counts: Vec<(u64, u32)> = Vec::with_capacity(total);
        for h in hashes {
            match counts.last_mut() {
                Some(last) if last.0 == h => last.1 += 1,
                _ => counts.push((h, 1)),
            }
        }
        WordBag { counts, total }
    }
}

/// FNV-1a step over bytes.
pub(crate) fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The words of `text[span]` as a bag: letters and digits, case folded (what similarity
/// needs of normalisation: quotes, dashes and spacing are not words anyway).
pub(crate) fn word_bag(text: &str, span: Range<usize>) -> WordBag {
    let mut hashes: Vec<u64> = Vec::with_capacity(span.len() / 5);
    each_word(text, span, |h| hashes.push(h));
    WordBag::from_hashes(hashes)
}

/// The number of words [`word_bag`] finds in `text[span]`.
pub(crate) fn word_count(text: &str, span: Range<usize>) -> usize {
    let mut n = 0;
    each_word(text, span, |_| n += 1);
    n
}

/// The reading behind [`word_bag`]: each word's hash, in order.
fn each_word(text: &str, span: Range<usize>, mut word: impl FnMut(u64)) {
    const SEED: u64 = 0xcbf2_9ce4_8422_2325;
    let mut h = SEED;
    let mut in_word = false;
    let mut push = |h: &mut u64, in_word: &mut bool| {
        if *in_word {
            word(*h);
            *h = SEED;
            *in_word = false;
        }
    };
    let piece = &text[span];
    if piece.is_ascii() {
        for &b in piece.as_bytes() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
                in_word = true;
            } else {
                push(&mut h, &mut in_word);
            }
        }
    } else {
        for c in piece.chars() {
            if c.is_alphanumeric() || c == '_' {
                for l in c.to_lowercase() {
                    let mut buf = [0u8; 4];
                    for &b in l.encode_utf8(&mut buf).as_bytes() {
                        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                    }
                }
                in_word = true;
            } else {
                push(&mut h, &mut in_word);
            }
        }
    }
    push(&mut h, &mut in_word);
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn common_all_is_common_pair_by_pair(
            left in proptest::collection::vec("(a|b|c|the|of) ?(a|b|c|the|of)? ?(x|y)?", 0..6),
            right in proptest::collection::vec("(a|b|c|the|of) ?(a|b|the)? ?(y|z)?", 0..6),
        ) {
            let bags = |texts: &[String]| -> Vec<WordBag> {
                texts.iter().map(|t| word_bag(t, 0..t.len())).collect()
            };
            let (lb, rb) = (bags(&left), bags(&right));
            let all = WordBag::common_all(&lb, &rb);
            proptest::prop_assert_eq!(all.len(), lb.len() * rb.len());
            for (a, x) in lb.iter().enumerate() {
                for (b, y) in rb.iter().enumerate() {
                    proptest::prop_assert_eq!(all[a * rb.len() + b], x.common(y));
                }
            }
        }
    }
}

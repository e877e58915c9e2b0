//! Where defined terms are used: every word of the text is looked up once in a table of the
//! terms' first words (with the inflected forms of one-word terms), so the cost is linear in
//! the size of the text. See the [module docs](super) for the matching rules.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::Term;
use super::find::LineIndex;
use super::words::{Words, words_of};
use crate::text::ClauseTree;

/// One use of a term: which term (an index into the terms given), the words, their clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub term: usize,
    /// Byte range of the words in the text (`Licensor` of `Licensor's`, `Outputs`).
    pub span: Range<usize>,
    /// The deepest clause holding the use (an index into the tree's clauses).
    pub clause: Option<usize>,
}

/// A name to look for: a term's name or alias, split into words.
struct Name {
    words: Vec<String>,
    /// What stands between the words as written (`' '`, `-`, `'`).
    gaps: Vec<String>,
    /// Written with a capital: uses must match as written or in capitals.
    cased: bool,
    /// Its first word matches in any case: an article (`The Program`) or a sentence's capital
    /// (`Object code`).
    article: bool,
    /// Terms with this name, by where they are defined.
    terms: Vec<usize>,
}

/// How closely a use spells a name, worst first: of two names a use matches, the closer wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Spelling {
    Inflected,
    OtherCase,
    AsWritten,
}

/// Suffixes a plural adds.
const PLURAL: &[&str] = &["s", "es"];
/// Suffixes a verb form adds (one-word terms only).
const VERB_FORMS: &[&str] = &["ed", "d", "ing"];

/// Every use of `terms` (their names and aliases) in `content`, in document order, outside
/// each term's own definition.
pub fn find_uses(content: &str, tree: &ClauseTree, terms: &[Term]) -> Vec<Use> {
    let matcher = Matcher::new(terms);
    let mut out = Vec::new();
    if matcher.names.is_empty() {
        return out;
    }
    let lines = LineIndex::new(content);
    let clause_of = clause_of_line(tree, lines.count());
    // Uses come in document order: the line is found by walking on, not by searching.
    let mut line = 1;
    let mut buf = String::new();
    let words = Words::new(content);
    let mut at = 0;
    while let Some(word) = words.next(at) {
        at = word.end;
        let Some((name, end)) = matcher.longest(content, &words, word.clone(), &mut buf) else {
            continue;
        };
        at = end;
        let span = word.start..end;
        // The definition before the use (a term defined twice is used by its latest
        // definition), else the first.
        let candidates = &matcher.names[name].terms;
        let k = candidates.partition_point(|&t| terms[t].span.start <= span.start);
        let term = candidates[k.saturating_sub(1)];
        let def = &terms[term].span;
        if def.start <= span.start && span.end <= def.end {
            continue;
        }
        while line < lines.count() && lines.start(line + 1) <= span.start {
            line += 1;
        }
        out.push(Use { term, span, clause: clause_of[line - 1] });
    }
    out
}

/// The deepest clause holding each line (index: line - 1), as [`ClauseTree::at_line`] gives
/// it, for all lines at once: clauses come in document order and a child's lines are inside
/// its parent's, so writing each clause's range over its parent's leaves the deepest.
fn clause_of_line(tree: &ClauseTree, lines: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; lines];
    for (i, c) in tree.clauses.iter().enumerate() {
        let (a, b) = (c.line_start.max(1) - 1, c.line_end.min(lines));
        if a < b {
            out[a..b].fill(Some(i));
        }
    }
    out
}

/// The names to look for, indexed by the lower-case form of their first word.
struct Matcher {
    names: Vec<Name>,
    /// Names by the FNV hash of their lower-case first word (or its inflected forms); a
    /// collision only costs a comparison, as every candidate is checked.
    by_first: HashMap<u64, Vec<usize>, BuildHasherDefault<KeyHasher>>,
    /// Bit set of the keys' shapes (see [`shape`]), to skip most words without hashing them.
    shapes: Vec<u64>,
    /// Words of all names (lower case): a verb form that is one of them is no use of a
    /// one-word term (`Licensed` of `Licensed Materials` is not `License` + `d`).
    name_words: HashSet<String>,
}

impl Matcher {
    fn new(terms: &[Term]) -> Self {
        let mut names: Vec<Name> = Vec::new();
        let mut by_text: HashMap<&str, usize> = HashMap::new();
        let mut order: Vec<usize> = (0..terms.len()).collect();
        order.sort_by_key(|&t| terms[t].span.start);
        for t in order {
            for n in terms[t].names() {
                if let Some(&k) = by_text.get(n) {
                    if !names[k].terms.contains(&t) {
                        names[k].terms.push(t);
                    }
                    continue;
                }
                // `Contributor(s)` is used as `Contributor` or `Contributors`.
                let n = n.strip_suffix("(s)").unwrap_or(n);
                let spans = words_of(n);
                if spans.is_empty() {
                    continue;
                }
                let words: Vec<String> = spans.iter().map(|r| n[r.clone()].to_string()).collect();
                let gaps = spans.windows(2).map(|w| n[w[0].end..w[1].start].to_string()).collect();
                // `The Program`: the article matches in any case. `Object code`: a phrase in
                // lower case but for a sentence's capital is a lower-case term.
                let sentence_capital = words.len() > 1
                    && words[1..].iter().all(|w| {
                        w.chars().any(char::is_lowercase) && !w.chars().any(char::is_uppercase)
                    });
                let article = sentence_capital
                    || words.len() > 1
                        && matches!(words[0].to_lowercase().as_str(), "the" | "this" | "a" | "an");
                by_text.insert(n, names.len());
                names.push(Name {
                    cased: n.chars().any(char::is_uppercase),
                    article,
                    words,
                    gaps,
                    terms: vec![t],
                });
            }
        }
        let name_words: HashSet<String> =
            names.iter().flat_map(|n| n.words.iter().map(|w| w.to_lowercase())).collect();
        let mut by_first: HashMap<u64, Vec<usize>, BuildHasherDefault<KeyHasher>> =
            HashMap::default();
        let mut shapes = vec![0u64; SHAPES / 64];
        for (k, name) in names.iter().enumerate() {
            let first = name.words[0].to_lowercase();
            let mut keys = vec![first.clone()];
            if name.words.len() == 1 {
                keys.extend(
                    inflections(&first)
                        .into_iter()
                        .filter(|(f, verb)| !(*verb && name_words.contains(f)))
                        .map(|(f, _)| f),
                );
            }
            for key in keys {
                let at = shape(key.as_bytes());
                shapes[at / 64] |= 1 << (at % 64);
                let list = by_first.entry(fnv(key.bytes())).or_default();
                if !list.contains(&k) {
                    list.push(k);
                }
            }
        }
        Matcher { names, by_first, shapes, name_words }
    }

    /// True when a key has the shape of `word` (its case does not matter).
    fn has_shape(&self, word: &[u8]) -> bool {
        let at = shape(word);
        self.shapes[at / 64] & (1 << (at % 64)) != 0
    }

    /// The longest name starting with `word`: its index and the byte where the use ends.
    fn longest(
        &self,
        content: &str,
        words: &Words,
        word: Range<usize>,
        buf: &mut String,
    ) -> Option<(usize, usize)> {
        let w = &content[word.clone()];
        let key = if w.is_ascii() {
            if !self.has_shape(w.as_bytes()) {
                return None;
            }
            fnv(w.bytes().map(|b| b.to_ascii_lowercase()))
        } else {
            // Lower case may change the length: look the lower-case form up.
            buf.clear();
            buf.push_str(&w.to_lowercase());
            if !self.has_shape(buf.as_bytes()) {
                return None;
            }
            fnv(buf.bytes())
        };
        let candidates = self.by_first.get(&key)?;
        // The longest name; of two as long, the one spelt more exactly (`Licensed Materials`
        // is that term, not a plural of `Licensed Material`; `Library` is the term `Library`
        // of LGPL 2.1, not its lower-case term `library`).
        let mut best: Option<(usize, usize, usize, Spelling)> = None;
        for &k in candidates {
            let name = &self.names[k];
            let n = name.words.len();
            if best.is_some_and(|(_, m, _, s)| m > n || m == n && s == Spelling::AsWritten) {
                continue;
            }
            if let Some((end, s)) = self.matches(content, words, word.clone(), name)
                && best.is_none_or(|(_, m, _, b)| n > m || s > b)
            {
                best = Some((k, n, end, s));
            }
        }
        best.map(|(k, _, end, _)| (k, end))
    }

    /// Whether the words from `first` on spell `name` under the matching rules: where the use
    /// ends, and how closely it is spelt.
    fn matches(
        &self,
        content: &str,
        words: &Words,
        first: Range<usize>,
        name: &Name,
    ) -> Option<(usize, Spelling)> {
        let n = name.words.len();
        let mut word = first;
        let mut identical = true;
        for k in 0..n - 1 {
            let caseless = !name.cased || (k == 0 && name.article);
            let used = &content[word.clone()];
            if !same_word(&name.words[k], used, caseless) {
                return None;
            }
            identical &= name.words[k] == used;
            let next = words.next(word.end)?;
            if !gap_matches(&name.gaps[k], &content[word.end..next.start]) {
                return None;
            }
            word = next;
        }
        let (last, used) = (&name.words[n - 1], &content[word.clone()]);
        let caseless = !name.cased || (n == 1 && name.article);
        if same_word(last, used, caseless) {
            let s =
                if identical && last == used { Spelling::AsWritten } else { Spelling::OtherCase };
            Some((word.end, s))
        } else {
            self.inflected(last, used, caseless, n == 1).then_some((word.end, Spelling::Inflected))
        }
    }

    /// True when `used`, which does not spell `word` itself, is a plural, possessive stem or
    /// (with `verbs`) a verb form of it.
    fn inflected(&self, word: &str, used: &str, caseless: bool, verbs: bool) -> bool {
        // Every inflected form starts with the word less its last letter: nearly every word
        // that is no use fails here, before anything is lower-cased.
        if word.is_ascii() && used.is_ascii() {
            let stem = word.len().saturating_sub(1);
            if used.len() <= stem
                || !used.as_bytes()[..stem].eq_ignore_ascii_case(&word.as_bytes()[..stem])
            {
                return false;
            }
        }
        let lower = lower_case(used);
        let stem_is = |cut: usize, stem: &str| {
            used.is_char_boundary(used.len().saturating_sub(cut))
                && used.len() > cut
                && same_word(stem, &used[..used.len() - cut], caseless)
        };
        if PLURAL.iter().any(|s| lower.ends_with(s) && stem_is(s.len(), word)) {
            return true;
        }
        let chopped = word.char_indices().last().map_or("", |(i, _)| &word[..i]);
        let last = word.chars().last().unwrap_or(' ').to_ascii_lowercase();
        if last == 'y' && lower.ends_with("ies") && stem_is(3, chopped) {
            return true;
        }
        if !verbs || self.name_words.contains(lower.as_ref()) {
            return false;
        }
        VERB_FORMS.iter().any(|s| lower.ends_with(s) && stem_is(s.len(), word))
            || (last == 'e' && lower.ends_with("ing") && stem_is(3, chopped))
            || (last == 'y' && lower.ends_with("ied") && stem_is(3, chopped))
    }
}

/// Lower-case inflected forms of a one-word term for the look-up table, each with whether it
/// is a verb form.
fn inflections(w: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = PLURAL.iter().map(|s| (format!("{w}{s}"), false)).collect();
    out.extend(VERB_FORMS.iter().map(|s| (format!("{w}{s}"), true)));
    if let Some(stem) = w.strip_suffix('e') {
        out.push((format!("{stem}ing"), true));
    }
    if let Some(stem) = w.strip_suffix('y') {
        out.push((format!("{stem}ies"), false));
        out.push((format!("{stem}ied"), true));
    }
    out
}

/// `used` spells `word`: as written, in capitals, or (when `caseless`) in any case.
fn same_word(word: &str, used: &str, caseless: bool) -> bool {
    if word == used {
        return true;
    }
    if word.is_ascii() && used.is_ascii() {
        return word.len() == used.len()
            && if caseless {
                word.eq_ignore_ascii_case(used)
            } else {
                !used.bytes().any(|b| b.is_ascii_lowercase())
                    && word.bytes().zip(used.bytes()).all(|(a, b)| a.to_ascii_uppercase() == b)
            };
    }
    if caseless {
        return word.to_lowercase() == used.to_lowercase();
    }
    !used.chars().any(char::is_lowercase) && word.to_uppercase() == used
}

/// Lower case, without the Unicode tables for ASCII (nearly every word of a license).
fn lower_case(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.bytes().any(|b| b.is_ascii_uppercase()) && s.is_ascii() {
        std::borrow::Cow::Borrowed(s)
    } else if s.is_ascii() {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

/// Key lengths told apart by the look-up filter; longer keys share the last slot.
const SHAPE_LENGTHS: usize = 32;
/// Slots of the filter: 64 classes of first byte, 64 of second byte, [`SHAPE_LENGTHS`] lengths.
const SHAPES: usize = 64 * 64 * SHAPE_LENGTHS;

/// A word's slot in the filter: its first two bytes (lower case, folded to 64 classes) and its
/// length. With hundreds of terms (a text of many licenses) a first letter and a length alone
/// would let most words through.
fn shape(word: &[u8]) -> usize {
    let class = |b: Option<&u8>| b.map_or(0, |b| usize::from(b.to_ascii_lowercase() & 63));
    (class(word.first()) * 64 + class(word.get(1))) * SHAPE_LENGTHS
        + word.len().min(SHAPE_LENGTHS - 1)
}

/// FNV-1a of a word's bytes: computed while the word is lower-cased, with no string built.
fn fnv(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The table's keys are hashes already: pass them through.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What separates two words of a use matches what separates them in the name: white space
/// (a line break included, as a term may wrap) for white space, else the same character
/// (curly and straight apostrophes, dashes and hyphens alike).
fn gap_matches(name_gap: &str, gap: &str) -> bool {
    // Nearly always: one space in the name and in the text.
    if name_gap == " " && gap == " " {
        return true;
    }
    if name_gap.chars().all(char::is_whitespace) {
        return !gap.is_empty()
            && gap.chars().all(char::is_whitespace)
            && gap.matches('\n').count() <= 1;
    }
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{2019}' | '\u{2018}' => '\'',
                '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}' => '-',
                c => c,
            })
            .collect()
    };
    fold(name_gap) == fold(gap)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-line table agrees with the tree's own look-up on real texts.
    #[test]
    fn clause_of_line_is_at_line() {
        for id in ["MPL-2.0", "GPL-3.0-only", "CC-BY-4.0", "Apache-2.0", "MIT"] {
            let text = crate::text::load(&format!("spdx:{id}")).expect("SPDX text").content;
            let tree = ClauseTree::parse_structure(&text);
            let n = LineIndex::new(&text).count();
            let table = clause_of_line(&tree, n);
            for line in 1..=n {
                assert_eq!(table[line - 1], tree.at_line(line), "{id} line {line}");
            }
        }
    }
}

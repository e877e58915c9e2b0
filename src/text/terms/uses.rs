//! Where defined terms are used: every word of the text is looked up once in a table of the
//! terms' first words (with the inflected forms of one-word terms), so the cost is linear in
//! the size of the text. See the [module docs](super) for the matching rules.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::Term;
use super::find::LineIndex;
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

/// Suffixes a plural adds.
const PLURAL: &[&str] = &["s", "es"];
/// Suffixes a verb form adds (one-word terms only).
const VERB_FORMS: &[&str] = &["ed", "d", "ing"];

/// Every use of `terms` (their names and aliases) in `content`, in document order, outside
/// each term's own definition.
pub fn find_uses(content: &str, tree: &ClauseTree, terms: &[Term]) -> Vec<Use> {
    let lines = LineIndex::new(content);
    let matcher = Matcher::new(terms);
    let mut out = Vec::new();
    if matcher.names.is_empty() {
        return out;
    }
    let words = words(content);
    let mut buf = String::new();
    let mut i = 0;
    while i < words.len() {
        let Some((name, n)) = matcher.longest(content, &words, i, &mut buf) else {
            i += 1;
            continue;
        };
        let span = words[i].start..words[i + n - 1].end;
        i += n;
        // The definition before the use (a term defined twice is used by its latest
        // definition), else the first.
        let candidates = &matcher.names[name].terms;
        let k = candidates.partition_point(|&t| terms[t].span.start <= span.start);
        let term = candidates[k.saturating_sub(1)];
        let def = &terms[term].span;
        if def.start <= span.start && span.end <= def.end {
            continue;
        }
        let clause = tree.at_line(lines.line_of(span.start));
        out.push(Use { term, span, clause });
    }
    out
}

/// Byte ranges of the words of `s`: runs of letters and digits.
fn words(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(s.len() / 6);
    let mut i = 0;
    let mut start = None;
    while i < b.len() {
        let (is_word, len) = if b[i] < 0x80 {
            (b[i].is_ascii_alphanumeric(), 1)
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        };
        match (is_word, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push(st..i);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(st) = start {
        out.push(st..b.len());
    }
    out
}

/// The names to look for, indexed by the lower-case form of their first word.
struct Matcher {
    names: Vec<Name>,
    by_first: HashMap<String, Vec<usize>>,
    /// Lower-case first bytes of the keys, to skip most words without a look-up.
    first_bytes: [bool; 256],
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
                let spans = words(n);
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
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
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
                let list = by_first.entry(key).or_default();
                if !list.contains(&k) {
                    list.push(k);
                }
            }
        }
        let mut first_bytes = [false; 256];
        for key in by_first.keys() {
            if let Some(&b) = key.as_bytes().first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        Matcher { names, by_first, first_bytes, name_words }
    }

    /// The longest name starting at word `i`: its index and how many words it spans.
    fn longest(
        &self,
        content: &str,
        words: &[Range<usize>],
        i: usize,
        buf: &mut String,
    ) -> Option<(usize, usize)> {
        let w = &content[words[i].clone()];
        let first = w.as_bytes()[0];
        if !self.first_bytes[usize::from(first.to_ascii_lowercase())] {
            return None;
        }
        buf.clear();
        if w.is_ascii() {
            buf.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            buf.push_str(&w.to_lowercase());
        }
        let candidates = self.by_first.get(buf.as_str())?;
        let mut best: Option<(usize, usize)> = None;
        for &k in candidates {
            let name = &self.names[k];
            let n = name.words.len();
            if best.is_some_and(|(_, m)| m >= n) || i + n > words.len() {
                continue;
            }
            if self.matches(content, words, i, name) {
                best = Some((k, n));
            }
        }
        best
    }

    /// True when the words from `i` spell `name` under the matching rules.
    fn matches(&self, content: &str, words: &[Range<usize>], i: usize, name: &Name) -> bool {
        let n = name.words.len();
        for k in 0..n {
            let used = &content[words[i + k].clone()];
            if k > 0 {
                let gap = &content[words[i + k - 1].end..words[i + k].start];
                if !gap_matches(&name.gaps[k - 1], gap) {
                    return false;
                }
            }
            let caseless = !name.cased || (k == 0 && name.article);
            let ok = if k + 1 == n {
                self.inflects(&name.words[k], used, caseless, n == 1)
            } else {
                same_word(&name.words[k], used, caseless)
            };
            if !ok {
                return false;
            }
        }
        true
    }

    /// True when `used` is `word` or a plural, possessive stem or (with `verbs`) a verb form
    /// of it.
    fn inflects(&self, word: &str, used: &str, caseless: bool, verbs: bool) -> bool {
        if same_word(word, used, caseless) {
            return true;
        }
        let lower = used.to_lowercase();
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
        if !verbs || self.name_words.contains(&lower) {
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
    if caseless {
        return word.to_lowercase() == used.to_lowercase();
    }
    !used.chars().any(char::is_lowercase) && word.to_uppercase() == used
}

/// What separates two words of a use matches what separates them in the name: white space
/// (a line break included, as a term may wrap) for white space, else the same character
/// (curly and straight apostrophes, dashes and hyphens alike).
fn gap_matches(name_gap: &str, gap: &str) -> bool {
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

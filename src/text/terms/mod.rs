//! Defined terms: where a license defines its vocabulary, and where it uses it.
//!
//! Lawyers read a license through its definitions: a clause that did not change a word can
//! still mean something else when a term it uses was redefined. [`extract`] finds the
//! definitions of a text and the clauses that use each term; the diff compares two versions'
//! terms ([`crate::diff::terms`]).
//!
//! # What counts as a definition
//!
//! - A quoted term followed by a defining verb: `"Output" means`, `"License" shall mean`,
//!   `"Standard Version" refers to`, `"You" includes`, `"X" has the meaning`, in straight,
//!   curly or single curly quotes (`‘Compatible Licence’ refers to`), after a lead-in (`As
//!   used in this Agreement, "X" means`, `To "modify" a work means`) and with a few words
//!   between (`"Source" form shall mean`, `The "Corresponding Source" for a work in object code
//!   form means`: at most seven).
//! - Aliases given in the same breath: `"You" (or "Your") means`, `"Licensee" or "you" means`,
//!   `"You" and "your" means`, and `Your has a corresponding meaning` inside a definition.
//! - At the start of a sentence, a quoted term and `is`/`are`: `A "contributor" is a copyright
//!   holder ...`.
//! - A glossary entry: a quoted term opening a line and a colon or a dash (`— ‘The Licence’:
//!   this Licence.`, EUPL; `"Database" – A collection`, ODbL).
//! - An unquoted term right after a clause label (the Creative Commons style):
//!   `a. Adapted Material means ...`. Without a label, unquoted words are not read as a term:
//!   too many sentences start with a capitalised noun and "means".
//! - A term named by its context: `the term "X"`, `(hereinafter "X")`, `(the "X")`,
//!   `(collectively, the "X")`, `("X" or "Y")`, `referred to as "X"`, `is called a "X"`,
//!   `termed "X"`, `addressed as "X"`, `are considered "X"`, `is "X" if`.
//!
//! Not counted: quoted phrases that are no terms (`"AS IS"`, `"I Accept"`), and definitions
//! after the last clause (the sample notice in an appendix, such as Apache's `(the
//! "License")`), which belong to the template, not to the license.
//!
//! # Definitions and uses
//!
//! A definition is the text from its lead-in (or the quoted term) to the end of its paragraph,
//! or to the end of its clause when the term opens the clause (MPL's `1.5. "Incompatible With
//! Secondary Licenses" means` with its list), and no further than the next definition that
//! starts a line or a sentence (but for one `For the purposes of this definition`, which
//! belongs to it). A definition named by its context is its sentence; a definition in
//! parentheses runs from its sentence's start (or the previous such definition) to the closing
//! parenthesis.
//!
//! A *use* is the term or an alias as a whole word or phrase anywhere outside its own
//! definition: capitalised terms match as written or in capitals (`Output`, `OUTPUT`, not
//! `output`); a term in lower case matches in any case, and so does a first word that is an
//! article (`The Program`) or only a sentence's capital (`Object code`). Plurals (`Outputs`),
//! possessives (`Licensor's`) and, for one-word terms, verb forms (`Distributing` for
//! `Distribute`) count, except a verb form that is itself a word of another term (`Licensed`
//! is not a use of `License` when `Licensed Materials` is a term). The longest term wins
//! (`Derivative Works` is not a use of `Work`), then the closer spelling (`Library` is LGPL
//! 2.1's `Library`, not its `library`). A term defined twice (the GPL appended to the
//! LGPL) is used by the definition before the use. `used_in` lists the clauses holding uses,
//! so the defining clause appears only when it uses the term outside the definition (another
//! definition of the same Definitions clause that relies on it). Uses before the first clause
//! have no clause and are not listed.

mod find;
mod uses;
mod words;

use std::ops::Range;

use serde::Serialize;

use super::ClauseTree;

pub use uses::{Use, find_uses};

/// A defined term: what it is called, where it is defined, and which clauses use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The term as written, without quotes (`Output`, `Licensed Materials`).
    pub term: String,
    /// Other names the same definition gives it (`Your` for `You`).
    pub aliases: Vec<String>,
    /// Id of the clause holding the definition; `None` before the first clause.
    pub clause: Option<String>,
    /// 1-based line of the term in the definition.
    pub line: usize,
    /// The definition's text with runs of white space as one space (raw text, not sanitised:
    /// views sanitise).
    pub definition: String,
    /// Ids of the clauses that use the term or an alias outside its definition, in document
    /// order.
    pub used_in: Vec<String>,
    /// Byte range of the definition in the text (what comparisons compare).
    #[serde(skip)]
    pub span: Range<usize>,
    /// Byte range of the term's name where it is defined (inside the quotes).
    #[serde(skip)]
    pub name_span: Range<usize>,
    /// Index of [`Term::clause`] in the clause tree.
    #[serde(skip)]
    pub clause_index: Option<usize>,
}

impl Term {
    /// The term's name and its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The defined terms of `content` (`\n` line endings) in document order, each with the
/// clauses of `tree` that use it. Never panics; linear in the size of the text for a
/// bounded number of terms.
pub fn extract(content: &str, tree: &ClauseTree) -> Vec<Term> {
    let mut terms = definitions(content, tree);
    let uses = find_uses(content, tree, &terms);
    fill_used_in(&mut terms, &uses, tree);
    terms
}

/// The definitions of `content` without their uses (`used_in` empty): for callers that match
/// uses themselves, such as a comparison that also looks for removed terms.
pub fn definitions(content: &str, tree: &ClauseTree) -> Vec<Term> {
    let lines = find::LineIndex::new(content);
    find::definitions(content, tree, &lines)
        .into_iter()
        .map(|f| {
            let line = lines.line_of(f.name.start);
            let clause_index = tree.at_line(line);
            Term {
                term: f.term,
                aliases: f.aliases,
                clause: clause_index.map(|i| tree.clauses[i].id.clone()),
                line,
                definition: collapse_space(&content[f.span.clone()]),
                used_in: Vec::new(),
                span: f.span,
                name_span: f.name,
                clause_index,
            }
        })
        .collect()
}

/// Set each term's `used_in` from `uses` (as [`find_uses`] gives them for `terms`).
pub fn fill_used_in(terms: &mut [Term], uses: &[Use], tree: &ClauseTree) {
    let mut per_term: Vec<Vec<usize>> = vec![Vec::new(); terms.len()];
    for u in uses {
        if let (Some(c), Some(list)) = (u.clause, per_term.get_mut(u.term)) {
            list.push(c);
        }
    }
    for (t, mut list) in terms.iter_mut().zip(per_term) {
        list.sort_unstable();
        list.dedup();
        t.used_in = list.into_iter().map(|c| tree.clauses[c].id.clone()).collect();
    }
}

/// `s` with every run of white space as one space, trimmed.
fn collapse_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests;

//! License texts: loading and decoding ([`load`](mod@load)), reading web pages and office
//! documents as text ([`source`]), fetching them ([`fetch`](mod@fetch)), odd characters
//! ([`inspect`](mod@inspect)), display safety ([`sanitize`](mod@sanitize)), the clause tree
//! ([`clauses`]), normalisation for comparison ([`normalize`](mod@normalize)) and defined
//! terms ([`terms`]).

pub mod clauses;
pub mod fetch;
pub mod inspect;
pub mod load;
pub mod normalize;
pub mod sanitize;
pub mod source;
pub mod terms;

pub use clauses::{
    Clause, ClauseTree, PARAGRAPH_SIGN, canonical_id, is_paragraph_id, only_paragraph_ids,
    paragraph_id,
};
pub use inspect::{Finding, FindingKind, inspect};
pub use load::{Encoding, LineEndings, Text, TextError, load, load_relative, load_with_limit};
pub use normalize::{NormalizeOptions, normalize};
pub use sanitize::{sanitize, sanitize_line};

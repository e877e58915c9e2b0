//! The bigram index that texts are ranked against, as one byte buffer.
//!
//! Built once: for the SPDX License List by `build.rs`, which embeds the bytes in the binary
//! (a run copies its arrays out and normalises nothing), for a set of local texts by
//! [`Index::from_entries`]. The layout is fixed-width and little-endian:
//!
//! ```text
//! magic "lrwidx01"
//! u32 entries E, u32 vocabulary V, u32 postings P, u32 metadata bytes M
//! E x u32     bigram count of each entry (the size in the Dice coefficient)
//! V x u64     the distinct bigram hashes, ascending
//! (V+1) x u32 start of each hash's postings
//! P x (u16 entry, u16 count)   postings, by hash, then by entry
//! M bytes     per entry: kind (0 text, 1 header), id, alias count, aliases
//!             (strings as u16 length + UTF-8)
//! ```
//!
//! Postings (which entries hold a bigram, how often) make ranking cost the length of the
//! postings of the text's own bigrams rather than the size of the whole list.
//!
//! This file is also compiled into `build.rs`, so it uses only `std`.

use std::collections::HashMap;

const MAGIC: &[u8; 8] = b"lrwidx01";

/// Whether an entry is a license text or a license's standard header (notice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Header,
}

/// One entry before encoding: an id, its kind, other ids with the same text, and its bigrams
/// (hash, count) sorted by hash, as [`super::normalize::bigrams`] gives them.
#[derive(Debug, Clone)]
pub struct EntrySource {
    pub id: String,
    pub kind: Kind,
    pub aliases: Vec<String>,
    pub grams: Vec<(u64, u32)>,
}

/// Entry metadata, decoded once per index (a few hundred small strings).
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub kind: Kind,
    pub aliases: Vec<String>,
}

/// A decoded index. Decoding the SPDX list's takes about a millisecond: a plain copy of the
/// arrays, so that the loops over them index vectors rather than cut byte slices.
#[derive(Debug, Clone)]
pub struct Index {
    meta: Vec<Meta>,
    sizes: Vec<u32>,
    vocab: Vec<u64>,
    offsets: Vec<u32>,
    postings: Vec<(u16, u16)>,
}

/// The index bytes for `entries`, in the layout above. Entries keep their order (the entry
/// number is the position). Panics past the format's limits (65,535 entries, counts, string
/// lengths), which the SPDX list and any real set of texts stay far below.
pub fn encode(entries: &[EntrySource]) -> Vec<u8> {
    assert!(entries.len() <= usize::from(u16::MAX), "too many entries for the index");
    let mut vocab: Vec<u64> = entries.iter().flat_map(|e| e.grams.iter().map(|g| g.0)).collect();
    vocab.sort_unstable();
    vocab.dedup();
    let mut postings: Vec<Vec<(u16, u16)>> = vec![Vec::new(); vocab.len()];
    for (n, e) in entries.iter().enumerate() {
        for &(hash, count) in &e.grams {
            let at = vocab.binary_search(&hash).expect("every bigram is in the vocabulary");
            let count = u16::try_from(count).unwrap_or(u16::MAX);
            postings[at].push((n as u16, count));
        }
    }
    let total: usize = postings.iter().map(Vec::len).sum();
    let mut meta = Vec::new();
    for e in entries {
        meta.push(match e.kind {
            Kind::Text => 0u8,
            Kind::Header => 1,
        });
        put_str(&mut meta, &e.id);
        meta.extend_from_slice(&(e.aliases.len() as u16).to_le_bytes());
        for a in &e.aliases {
            put_str(&mut meta, a);
        }
    }
    let mut out = Vec::with_capacity(24 + entries.len() * 4 + vocab.len() * 12 + total * 4);
    out.extend_from_slice(MAGIC);
    for n in [entries.len(), vocab.len(), total, meta.len()] {
        out.extend_from_slice(&u32::try_from(n).expect("index section size").to_le_bytes());
    }
    for e in entries {
        let size: u32 = e.grams.iter().map(|g| g.1).sum();
        out.extend_from_slice(&size.to_le_bytes());
    }
    for h in &vocab {
        out.extend_from_slice(&h.to_le_bytes());
    }
    let mut at = 0u32;
    for p in &postings {
        out.extend_from_slice(&at.to_le_bytes());
        at += p.len() as u32;
    }
    out.extend_from_slice(&at.to_le_bytes());
    for p in &postings {
        for &(entry, count) in p {
            out.extend_from_slice(&entry.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
        }
    }
    out.extend_from_slice(&meta);
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    let len = u16::try_from(s.len()).expect("index strings are under 64 KiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// A reader over `bytes` at `at`, for the metadata section.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u16(&mut self) -> Option<usize> {
        self.take(2).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    }
    fn u32(&mut self) -> Option<usize> {
        self.take(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u16()?;
        self.take(n).and_then(|b| String::from_utf8(b.to_vec()).ok())
    }
}

impl Index {
    /// The index held in `bytes` (as [`encode`] writes it), or `None` when they are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Index> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8)? != MAGIC {
            return None;
        }
        let (entries, vocab_len, postings, meta_len) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?);
        let sizes = r.take(entries.checked_mul(4)?)?;
        let sizes = sizes.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let vocab = r
            .take(vocab_len.checked_mul(8)?)?
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]));
        let offsets = r.take(vocab_len.checked_add(1)?.checked_mul(4)?)?;
        let offsets = offsets.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let post = r
            .take(postings.checked_mul(4)?)?
            .chunks_exact(4)
            .map(|b| (u16::from_le_bytes([b[0], b[1]]), u16::from_le_bytes([b[2], b[3]])));
        let mut index = Index {
            meta: Vec::with_capacity(entries),
            sizes: sizes.collect(),
            vocab: vocab.collect(),
            offsets: offsets.collect(),
            postings: post.collect(),
        };
        if r.bytes.len() != r.at + meta_len
            || index.offsets.last().is_none_or(|&o| o as usize != postings)
            || index.offsets.windows(2).any(|w| w[0] > w[1])
            || index.postings.iter().any(|p| usize::from(p.0) >= entries)
        {
            return None;
        }
        for _ in 0..entries {
            let kind = match r.take(1)?[0] {
                0 => Kind::Text,
                1 => Kind::Header,
                _ => return None,
            };
            let id = r.string()?;
            let aliases = (0..r.u16()?).map(|_| r.string()).collect::<Option<Vec<_>>>()?;
            index.meta.push(Meta { id, kind, aliases });
        }
        Some(index)
    }

    /// An index of `entries`, built in memory.
    pub fn from_entries(entries: &[EntrySource]) -> Index {
        Index::from_bytes(&encode(entries)).expect("a freshly encoded index reads")
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    /// True when the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Id, kind and aliases of every entry, in entry order.
    pub fn meta(&self) -> &[Meta] {
        &self.meta
    }

    /// Total bigram count of entry `n`.
    pub fn size(&self, n: usize) -> u32 {
        self.sizes[n]
    }

    /// Position of `hash` in the vocabulary, if any entry holds that bigram.
    pub fn find(&self, hash: u64) -> Option<usize> {
        self.vocab.binary_search(&hash).ok()
    }

    /// The (entry, count) postings of vocabulary item `v`, by entry.
    pub fn postings(&self, v: usize) -> &[(u16, u16)] {
        &self.postings[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// The bigrams of entry `n` with their counts, by hash: for scoring many stretches of a
    /// text against that one entry.
    pub fn entry_grams(&self, n: usize) -> HashMap<u64, u32> {
        let mut grams = HashMap::new();
        for (v, &hash) in self.vocab.iter().enumerate() {
            let count = self.count(v, n);
            if count > 0 {
                grams.insert(hash, count);
            }
        }
        grams
    }

    /// How often entry `n` holds vocabulary item `v` (0 when not at all).
    pub fn count(&self, v: usize, n: usize) -> u32 {
        let postings = self.postings(v);
        match postings.binary_search_by_key(&n, |p| usize::from(p.0)) {
            Ok(i) => u32::from(postings[i].1),
            Err(_) => 0,
        }
    }
}

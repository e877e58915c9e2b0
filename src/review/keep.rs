//! Saving over a review file that a person edited by hand, without losing what they wrote.
//!
//! lrw writes its own layout ([`to_toml`]), but a review is also a file in git that people
//! open in an editor: they add `# notes`, group threads, align keys. Rewriting such a file in
//! our layout would silently drop their comments. So a save replaces only the lines that
//! changed: the file as it is, our layout of what it holds, and our layout of the review to
//! write are merged three ways, line by line, with our layout of the file as the ancestor. A
//! note on a line the save replaces cannot stay there: it is moved to the end of the file.
//!
//! The result is trusted only if it reads back as exactly the review being saved (its text in
//! our layout is the same). Otherwise the review is written in our layout and all the file's
//! comment lines that would be lost are appended at its end, so nothing a person wrote
//! disappears.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::model::{Origin, Review};
use super::write::{Layout, to_toml};

/// The text to write for a review in place of a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// The file's new text, in the file's line endings and BOM.
    pub text: String,
    /// How many comment lines of the file could not stay where they were and were moved to
    /// the end of the file (0 when the file's own layout was kept).
    pub moved_comments: usize,
    /// Whether `text` is exactly our layout of the review (nothing of the file's own kept).
    pub ours: bool,
}

impl Rewrite {
    /// `text` that is our layout of the review (in the file's line endings): nothing moved.
    pub fn ours(text: String) -> Rewrite {
        Rewrite { text, moved_comments: 0, ours: true }
    }
}

/// The heading of the block of comments moved to the end of a file.
pub const MOVED_HEADING: &str =
    "# lrw: comments from the hand-edited file that could not stay where they were:";

/// [`rewrite`] over the file a review was loaded from; a file in our layout needs no merge.
pub fn rewrite_origin(origin: &Origin, review: &Review, path: &Path) -> Rewrite {
    if origin.ours {
        Rewrite::ours(Layout::of(&origin.text).apply(to_toml(review)))
    } else {
        rewrite(&origin.text, review, path)
    }
}

/// The three files of a merge (`lrw merge`: the ancestor, ours, theirs) merged line by line,
/// in ours' line endings, when that leaves nothing out and reads back as exactly `merged` (the
/// merge of the reviews they hold): then the notes and layout of both sides are kept, and a
/// note one side deleted stays deleted. `None` otherwise; the caller then writes `merged`
/// over ours with [`rewrite`].
pub fn merge_files(
    base: &str,
    ours: &str,
    theirs: &str,
    merged: &Review,
    path: &Path,
) -> Option<String> {
    let m = merge_lines(&lf(base), &lf(theirs), &lf(ours));
    let clean = m.lost.is_empty() && reads_as(&m.text, &to_toml(merged), path);
    clean.then(|| Layout::of(ours).apply(m.text))
}

/// `review` written over `file_text` (the file's current text; `path` only names it in
/// errors): the file with only the changed lines replaced, and any comment that sat in a
/// replaced line moved to the end; if that does not read back as `review`, `review` in our
/// layout with all the file's otherwise lost comments at the end.
pub fn rewrite(file_text: &str, review: &Review, path: &Path) -> Rewrite {
    match super::parse(&lf(file_text), path) {
        Ok(loaded) => rewrite_loaded(file_text, &loaded, review, path),
        Err(_) => Rewrite::ours(Layout::of(file_text).apply(to_toml(review))),
    }
}

/// [`rewrite`] for a file already read: `loaded` is what `file_text` holds.
pub fn rewrite_loaded(file_text: &str, loaded: &Review, review: &Review, path: &Path) -> Rewrite {
    let layout = Layout::of(file_text);
    let new = to_toml(review);
    let theirs = lf(file_text);
    let plain = |text: String| Rewrite::ours(layout.apply(text));
    let base = super::write::to_toml_as_in(loaded, &theirs);
    if base == theirs {
        // The file is in our layout: nothing of its own to keep (the usual case).
        return plain(new);
    }
    let merge = merge_lines(&base, &theirs, &new);
    let tries = [(merge.text, merge.lost), (new.clone(), lost_comments(theirs.lines(), &new))];
    for (text, lost) in tries {
        let text = with_moved(text, &lost);
        // Lines kept from the file may hold hidden characters (bidi controls, zero-width
        // ones) written raw by a person: escaped as our writer escapes them, when that reads
        // back the same (inside a literal string it would not).
        let escaped = escape_hidden(&text);
        let text = if escaped != text && reads_as(&escaped, &new, path) { escaped } else { text };
        if reads_as(&text, &new, path) {
            let ours = text == new;
            return Rewrite { text: layout.apply(text), moved_comments: lost.len(), ours };
        }
    }
    plain(new)
}

/// `text` with every hidden character (see [`crate::text::sanitize::is_hidden`]) and control
/// other than tab and line ends written as a TOML `\uXXXX` escape.
fn escape_hidden(text: &str) -> String {
    let hidden = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || crate::text::sanitize::is_hidden(c)
    };
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            let cp = c as u32;
            if cp <= 0xFFFF {
                out.push_str(&format!("\\u{cp:04X}"));
            } else {
                out.push_str(&format!("\\U{cp:08X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A file's text as our writer writes it: no BOM, LF line endings (see [`Layout`]).
fn lf(text: &str) -> String {
    text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n")
}

/// `text` with the comment lines `lost` appended under [`MOVED_HEADING`].
fn with_moved(mut text: String, lost: &[String]) -> String {
    if !lost.is_empty() {
        text.push('\n');
        text.push_str(MOVED_HEADING);
        text.push('\n');
        for line in lost {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// Whether `text` is a review whose text in our layout is `canonical`.
fn reads_as(text: &str, canonical: &str, path: &Path) -> bool {
    super::parse(text, path).is_ok_and(|r| to_toml(&r) == canonical)
}

/// The comments in `lines` (whole-line ones, and ones after a key's value) that are not in
/// the text `new`, each as one comment line, in order. A line that only looks like a comment
/// because it is inside a multi-line string is found in `new` too unless its string changed;
/// the caller checks that the result still reads back right.
fn lost_comments<'a>(lines: impl Iterator<Item = &'a str>, new: &str) -> Vec<String> {
    let mut present: HashMap<&str, usize> = HashMap::new();
    for l in new.lines() {
        *present.entry(l.trim_end()).or_default() += 1;
    }
    let mut lost = Vec::new();
    for l in lines.map(str::trim_end) {
        let comment = if l.trim_start().starts_with('#') {
            l.to_string()
        } else if let Some((code, c)) = trailing_comment(l) {
            format!("# (after `{code}`) {c}")
        } else {
            continue;
        };
        match present.get_mut(l) {
            Some(n) if *n > 0 => *n -= 1,
            _ => lost.push(comment),
        }
    }
    lost
}

/// `key = value  # comment` split into the key and value, and the comment's words: at the
/// first `#` before which the line reads as TOML on its own (so a `#` in a string is not taken).
fn trailing_comment(line: &str) -> Option<(&str, &str)> {
    line.match_indices('#').find_map(|(i, _)| {
        let code = line[..i].trim_end();
        let ok = code.contains('=') && code.parse::<toml::Table>().is_ok();
        ok.then(|| (code.trim_start(), line[i + 1..].trim()))
    })
}

/// A change to the ancestor's lines `base`, replacing them with `lines` of one side.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hunk {
    base: Range<usize>,
    lines: Range<usize>,
}

/// The line hunks turning `base` into `side`, neighbouring changes joined. A file that
/// differs everywhere from our layout gets a coarser diff after the deadline rather than a
/// slow save; the result is checked by reading it back either way.
fn hunks(base: &[&str], side: &[&str]) -> Vec<Hunk> {
    let deadline = Instant::now() + Duration::from_millis(500);
    let mut out: Vec<Hunk> = Vec::new();
    for op in capture_diff_slices_deadline(Algorithm::Myers, base, side, Some(deadline)) {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let (old, new) = (op.old_range(), op.new_range());
        match out.last_mut() {
            Some(h) if h.base.end == old.start && h.lines.end == new.start => {
                h.base.end = old.end;
                h.lines.end = new.end;
            }
            _ => out.push(Hunk { base: old, lines: new }),
        }
    }
    out
}

/// The result of [`merge_lines`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Merged {
    text: String,
    /// Comments of `theirs` in regions where `ours` won, as comment lines (see
    /// [`lost_comments`]).
    lost: Vec<String>,
}

/// Three-way merge of lines: the changes from `base` to `theirs` (the file as a person left
/// it) and from `base` to `ours` (the review to write) applied together.
///
/// - Two insertions at the same place are both kept, ours first, so that a comment written
///   above a table stays above it.
/// - An insertion where the other side replaces lines goes above the replacement (a note
///   written above a key that the save changes).
/// - Where the two sides change the same lines otherwise, ours wins (it is what is being
///   saved); whole-line comments theirs wrote before or after the rest of its change there
///   stay around it, and the others are returned as lost.
fn merge_lines(base: &str, theirs: &str, ours: &str) -> Merged {
    let b: Vec<&str> = base.lines().collect();
    let t: Vec<&str> = theirs.lines().collect();
    let o: Vec<&str> = ours.lines().collect();
    let th = hunks(&b, &t);
    let oh = hunks(&b, &o);
    let (mut i, mut j, mut pos) = (0, 0, 0);
    let mut out: Vec<&str> = Vec::with_capacity(t.len() + o.len());
    let mut lost = Vec::new();
    loop {
        match (th.get(i), oh.get(j)) {
            (None, None) => break,
            (Some(x), None) => {
                apply(&mut out, &b, &mut pos, &x.base, &t[x.lines.clone()]);
                i += 1;
            }
            (None, Some(y)) => {
                apply(&mut out, &b, &mut pos, &y.base, &o[y.lines.clone()]);
                j += 1;
            }
            (Some(x), Some(y)) if !clash(&x.base, &y.base) => {
                if x.base.start < y.base.start {
                    apply(&mut out, &b, &mut pos, &x.base, &t[x.lines.clone()]);
                    i += 1;
                } else {
                    apply(&mut out, &b, &mut pos, &y.base, &o[y.lines.clone()]);
                    j += 1;
                }
            }
            (Some(x), Some(y)) => {
                let (region, i2, j2) = clash_region(&th, &oh, i, j);
                let (tx, oy) = (&t[x.lines.clone()], &o[y.lines.clone()]);
                // One hunk on each side, and nothing else there.
                let single = i2 == i + 1 && j2 == j + 1;
                if single && x.base == y.base && tx == oy {
                    apply(&mut out, &b, &mut pos, &x.base, tx);
                } else if single && x.base.is_empty() && y.base.is_empty() {
                    let both: Vec<&str> = oy.iter().chain(tx).copied().collect();
                    apply(&mut out, &b, &mut pos, &x.base, &both);
                } else if single
                    && x.base.start == y.base.start
                    && (x.base.is_empty() || y.base.is_empty())
                {
                    let (ins, rep, range) =
                        if x.base.is_empty() { (tx, oy, &y.base) } else { (oy, tx, &x.base) };
                    let both: Vec<&str> = ins.iter().chain(rep).copied().collect();
                    apply(&mut out, &b, &mut pos, range, &both);
                } else {
                    // In the region, ours is applied and theirs' comments are lost, except
                    // the whole-line ones before and after everything else they wrote there,
                    // which keep their place around ours.
                    let mut ours_region: Vec<&str> = Vec::new();
                    let mut at = region.start;
                    for h in &oh[j..j2] {
                        apply(&mut ours_region, &b, &mut at, &h.base, &o[h.lines.clone()]);
                    }
                    ours_region.extend_from_slice(&b[at..region.end]);
                    let theirs_lines: Vec<&str> =
                        th[i..i2].iter().flat_map(|h| t[h.lines.clone()].iter().copied()).collect();
                    let is_note = |l: &&&str| l.trim_start().starts_with('#');
                    let lead = theirs_lines.iter().take_while(is_note).count();
                    let trail = theirs_lines[lead..].iter().rev().take_while(is_note).count();
                    let middle = &theirs_lines[lead..theirs_lines.len() - trail];
                    lost.extend(lost_comments(middle.iter().copied(), &ours_region.join("\n")));
                    let kept: Vec<&str> = theirs_lines[..lead]
                        .iter()
                        .chain(&ours_region)
                        .chain(&theirs_lines[theirs_lines.len() - trail..])
                        .copied()
                        .collect();
                    apply(&mut out, &b, &mut pos, &region, &kept);
                }
                (i, j) = (i2, j2);
            }
        }
    }
    out.extend_from_slice(&b[pos..]);
    let mut text = out.join("\n");
    text.push('\n');
    Merged { text, lost }
}

/// The part of the ancestor where theirs' hunk `i` and ours' hunk `j` clash, grown until no
/// other hunk of either side touches it, and the indices of the first hunks after it.
fn clash_region(th: &[Hunk], oh: &[Hunk], i: usize, j: usize) -> (Range<usize>, usize, usize) {
    let (x, y) = (&th[i].base, &oh[j].base);
    let mut region = x.start.min(y.start)..x.end.max(y.end);
    let (mut i2, mut j2) = (i + 1, j + 1);
    loop {
        if let Some(h) = th.get(i2).filter(|h| clash(&h.base, &region)) {
            region.end = region.end.max(h.base.end);
            i2 += 1;
        } else if let Some(h) = oh.get(j2).filter(|h| clash(&h.base, &region)) {
            region.end = region.end.max(h.base.end);
            j2 += 1;
        } else {
            return (region, i2, j2);
        }
    }
}

/// Copies the ancestor `b` from `pos` up to `range`, then `lines` in its place.
fn apply<'a>(
    out: &mut Vec<&'a str>,
    b: &[&'a str],
    pos: &mut usize,
    range: &Range<usize>,
    lines: &[&'a str],
) {
    out.extend_from_slice(&b[*pos..range.start]);
    out.extend_from_slice(lines);
    *pos = range.end;
}

/// Whether two changes touch the same part of the ancestor: their ranges overlap, they start
/// at the same line, or one is an insertion strictly inside the other's range.
fn clash(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start == b.start
        || (a.start < b.end && b.start < a.end)
        || (a.is_empty() && b.start < a.start && a.start < b.end)
        || (b.is_empty() && a.start < b.start && b.start < a.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_on_both_sides_apart_are_both_applied() {
        let base = "a\nb\nc\nd\ne\n";
        let file = "# top\na\nb\nc\nd\ne\n";
        let ours = "a\nb\nc\nD\ne\n";
        assert_eq!(merge_lines(base, file, ours).text, "# top\na\nb\nc\nD\ne\n");
    }

    #[test]
    fn two_insertions_at_one_place_keep_ours_first() {
        // A reply appended to a thread where a person had written a note above the next one.
        let base = "x = 1\n\n[[t]]\n";
        let file = "x = 1\n\n# the next one\n[[t]]\n";
        let ours = "x = 1\n\n[c]\ny = 2\n\n[[t]]\n";
        let merged = merge_lines(base, file, ours).text;
        assert_eq!(merged, "x = 1\n\n[c]\ny = 2\n\n# the next one\n[[t]]\n");
    }

    #[test]
    fn a_note_above_a_changed_line_stays_above_it() {
        let base = "a\nverdict = 1\nc\n";
        let file = "a\n# asked the author\nverdict = 1\nc\n";
        let ours = "a\nverdict = 2\nc\n";
        let merged = merge_lines(base, file, ours).text;
        assert_eq!(merged, "a\n# asked the author\nverdict = 2\nc\n");
        // And the other way round: our insertion above lines the person replaced.
        assert_eq!(merge_lines("a\nb\n", "a\nB\n", "a\nnew\nb\n").text, "a\nnew\nB\n");
    }

    #[test]
    fn the_same_change_on_both_sides_is_taken_once() {
        assert_eq!(merge_lines("a\nb\n", "a\nB\n", "a\nB\n").text, "a\nB\n");
    }

    #[test]
    fn where_both_change_a_line_ours_wins_and_their_comments_are_lost() {
        // The person put a comment after a value that the save changes.
        let m = merge_lines("a\nv = 1\nc\n", "a\nv = 1 # why\nc\n", "a\nv = 2\nc\n");
        assert_eq!(m.text, "a\nv = 2\nc\n");
        assert_eq!(m.lost, vec!["# (after `v = 1`) why".to_string()]);
        // A note inserted inside a range ours replaces stays, just above it; the rest of the
        // file is still merged.
        let m =
            merge_lines("top\na\nb\nc\nd\n", "# head\ntop\na\nb\n# x\nc\nd\n", "top\na\nB\nC\nd\n");
        assert_eq!(m.text, "# head\ntop\na\n# x\nB\nC\nd\n");
        assert!(m.lost.is_empty());
    }

    #[test]
    fn a_clash_region_takes_in_every_hunk_it_touches() {
        // Theirs changes 1..3, ours 2..5: one region 1..5, where ours is written, their
        // leading note stays above it and the comment after their value is lost.
        let m = merge_lines(
            "0\n1\nk = 2\n3\n4\n5\n",
            "0\n# a\nk = 2 # b\n3\n4\n5\n",
            "0\n1\nX\nY\nZ\n5\n",
        );
        assert_eq!(m.text, "0\n# a\n1\nX\nY\nZ\n5\n");
        assert_eq!(m.lost, vec!["# (after `k = 2`) b".to_string()]);
    }

    #[test]
    fn clashes_are_overlaps_shared_starts_and_insertions_inside() {
        assert!(clash(&(2..4), &(3..5)));
        assert!(clash(&(2..2), &(2..5)));
        assert!(clash(&(3..3), &(2..5)));
        assert!(!clash(&(2..4), &(4..6)), "adjacent ranges");
        assert!(!clash(&(4..4), &(2..4)), "an insertion right after a range");
        assert!(!clash(&(1..1), &(2..2)));
    }

    #[test]
    fn lost_comments_are_the_comment_lines_not_in_the_new_text() {
        let file = "# kept\na = 1\n  # indented note  \nbody = \"\"\"\n# in a string\n\"\"\"\n";
        let new = "# kept\na = 2\nbody = \"\"\"\n# in a string\n\"\"\"\n";
        assert_eq!(lost_comments(file.lines(), new), vec!["  # indented note".to_string()]);
        let file = "a = 1 # set by hand\nb = \"x # y\"\n";
        assert_eq!(lost_comments(file.lines(), ""), vec!["# (after `a = 1`) set by hand"]);
    }

    proptest::proptest! {
        /// Any three texts merge without a panic; a side that changed nothing takes the other.
        #[test]
        fn any_lines_merge(
            base in proptest::collection::vec("[ab#] ?[cd]?", 0..12),
            theirs in proptest::collection::vec("[ab#] ?[cd]?", 0..12),
            ours in proptest::collection::vec("[ab#] ?[cd]?", 0..12),
        ) {
            let text = |v: &Vec<String>| v.iter().map(|l| format!("{l}\n")).collect::<String>();
            let (b, t, o) = (text(&base), text(&theirs), text(&ours));
            let m = merge_lines(&b, &t, &o);
            proptest::prop_assert!(m.text.ends_with('\n'));
            let unchanged = merge_lines(&b, &b, &o);
            proptest::prop_assert_eq!(unchanged.text.trim_end(), o.trim_end());
            let theirs_only = merge_lines(&b, &t, &b);
            proptest::prop_assert_eq!(theirs_only.text.trim_end(), t.trim_end());
            proptest::prop_assert!(theirs_only.lost.is_empty());
        }
    }
}

//! The line index of a text: every stage of the diff speaks of lines by number and of words by
//! byte position, and this maps one to the other.

use std::ops::Range;

/// Line index of a text: where each line starts, so byte positions map to lines and back.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    pub text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        // A final line break ends the last line; it does not open an empty one.
        if starts.len() > 1 && *starts.last().unwrap_or(&0) == text.len() {
            starts.pop();
        }
        if text.is_empty() {
            starts.clear();
        }
        Lines { text, starts }
    }
    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
    /// Byte range of line `i` (0-based), without its line break.
    pub fn range(&self, i: usize) -> Range<usize> {
        let start = self.starts[i];
        let end = match self.starts.get(i + 1) {
            Some(&n) => n - 1,
            None => self.text.len() - usize::from(self.text.ends_with('\n')),
        };
        start..end.max(start)
    }
    /// Text of line `i` (0-based), without its line break.
    pub fn line(&self, i: usize) -> &'a str {
        &self.text[self.range(i)]
    }
    /// Byte range covering lines `lines` (from the start of the first to the end of the last,
    /// without the final line break).
    pub fn span(&self, lines: Range<usize>) -> Range<usize> {
        if lines.is_empty() {
            let at = self.starts.get(lines.start).copied().unwrap_or(self.text.len());
            return at..at;
        }
        self.starts[lines.start]..self.range(lines.end - 1).end
    }
    /// 0-based line holding byte `pos`.
    pub fn line_of(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_index() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!(l.len(), 4);
        assert_eq!(l.line(1), "bc");
        assert_eq!(l.line(2), "");
        assert_eq!(l.line_of(3), 1);
        assert_eq!(l.span(1..3), 2..5);
        assert_eq!(Lines::new("a\n").len(), 1);
        assert_eq!(Lines::new("").len(), 0);
    }
}

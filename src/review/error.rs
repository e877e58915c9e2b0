//! Errors of loading and saving reviews. Every error names the file; problems in its content
//! also name line and column (1-based, column in characters) and what was expected.

use std::fmt;
use std::path::PathBuf;

/// One problem at a place in a review file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
}

/// Why a review could not be loaded or saved.
#[derive(Debug)]
pub enum ReviewError {
    /// Reading or writing failed; the file on disk is as it was.
    Io { path: PathBuf, action: &'static str, source: std::io::Error },
    /// The file is over the size limit for a review.
    TooLarge { path: PathBuf, size: u64, limit: u64 },
    /// The file is not a valid review: TOML syntax or schema problems, each with its place.
    Invalid { path: PathBuf, problems: Vec<Located> },
    /// The review in memory cannot be written as it is (for example a duplicate thread id).
    NotSaveable { path: PathBuf, problems: Vec<String> },
    /// The file on disk changed since it was loaded and the change could not be merged.
    Conflict { path: PathBuf, reason: String },
    /// A new review would overwrite an existing file.
    Exists { path: PathBuf },
    /// The file is marked read-only: respected as vim and sqlite do, even where the user
    /// could write it anyway (root, or a writable folder).
    ReadOnly { path: PathBuf },
}

impl fmt::Display for ReviewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReviewError::Io { path, action, source } => {
                write!(f, "{}: {action}: {source}", path.display())
            }
            ReviewError::TooLarge { path, size, limit } => write!(
                f,
                "{}: file is {size} bytes, over the limit of {limit} bytes for a review",
                path.display()
            ),
            ReviewError::Invalid { path, problems } => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{}:{}:{}: {}", path.display(), p.line, p.column, p.message)?;
                }
                Ok(())
            }
            ReviewError::NotSaveable { path, problems } => {
                write!(f, "{}: not saved: {}", path.display(), problems.join("; "))
            }
            ReviewError::Conflict { path, reason } => {
                write!(f, "{}: not saved: {reason}", path.display())
            }
            ReviewError::ReadOnly { path } => write!(
                f,
                "{}: not saved: the file is read-only (make it writable to save into it, e.g. \
                 chmod u+w)",
                path.display()
            ),
            ReviewError::Exists { path } => {
                write!(f, "{}: already exists; not overwriting it", path.display())
            }
        }
    }
}

impl std::error::Error for ReviewError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReviewError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// 1-based line and character column of a byte offset in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "a = 1\nb = \"é\" x\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        // "b = \"é\" " is 8 characters but 9 bytes; the `x` is at column 9.
        let x = src.find('x').unwrap();
        assert_eq!(line_col(src, x), (2, 9));
        assert_eq!(line_col(src, 10_000), (3, 1));
    }
}

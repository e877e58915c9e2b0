//! Criteria sets: the published definitions a license is reviewed against (the Open Source
//! Definition, the Open Source AI Definition, the Free Software Definition, the DFSG), each a
//! TOML file under `texts/criteria/` with summaries in this project's own words.
//!
//! The shipped sets are compiled into the binary, so lrw works from any folder; a folder on
//! disk can replace a shipped set (same file name) or add new ones.
//!
//! ```
//! let sets = lrw::criteria::builtin_sets();
//! let (set, c) = lrw::criteria::find(&sets, "osd-6").unwrap();
//! assert_eq!((set.id.as_str(), c.number.as_str()), ("osd", "6"));
//! assert_eq!(c.title, "No Discrimination Against Fields of Endeavor");
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

/// One published definition and its numbered criteria.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct CriteriaSet {
    /// Short id (`osd`), also the prefix of its criteria ids.
    pub id: String,
    pub title: String,
    pub version: String,
    pub url: String,
    pub criteria: Vec<Criterion>,
}

/// One criterion of a set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Criterion {
    /// What threads use (`osd-6`), unique across all loaded sets.
    pub id: String,
    /// The number as the definition shows it (`6`, `0`).
    pub number: String,
    /// The title as published.
    pub title: String,
    /// A short summary in lrw's own words.
    pub summary: String,
}

/// The shipped sets as (file name, text), in the order they are listed.
const BUILTIN: [(&str, &str); 4] = [
    ("osd.toml", include_str!("../texts/criteria/osd.toml")),
    ("osaid.toml", include_str!("../texts/criteria/osaid.toml")),
    ("fsf.toml", include_str!("../texts/criteria/fsf.toml")),
    ("dfsg.toml", include_str!("../texts/criteria/dfsg.toml")),
];

/// Environment variable naming a folder of criteria sets (used when no folder is given).
pub const DIR_ENV: &str = "LRW_CRITERIA_DIR";

/// Why criteria sets could not be loaded.
#[derive(Debug)]
pub enum CriteriaError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A set file is not valid: file, line, column and what was expected.
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The same criterion id appears twice.
    Duplicate {
        id: String,
        first: String,
        second: String,
    },
}

impl fmt::Display for CriteriaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CriteriaError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CriteriaError::Invalid { path, line, column, message } => {
                write!(f, "{}:{line}:{column}: {message}", path.display())
            }
            CriteriaError::Duplicate { id, first, second } => {
                write!(f, "criterion id {id:?} is defined in both {first} and {second}")
            }
        }
    }
}

impl std::error::Error for CriteriaError {}

/// The sets shipped with lrw.
pub fn builtin_sets() -> Vec<CriteriaSet> {
    BUILTIN
        .iter()
        .map(|(name, text)| {
            parse(text, Path::new(name)).unwrap_or_else(|e| panic!("shipped criteria set: {e}"))
        })
        .collect()
}

/// The shipped sets, with `dir`'s `*.toml` files replacing those of the same file name and
/// adding the others (sorted by file name). Without `dir`, the folder named by
/// `LRW_CRITERIA_DIR` is used if set.
pub fn load_sets(dir: Option<&Path>) -> Result<Vec<CriteriaSet>, CriteriaError> {
    let env_dir = std::env::var_os(DIR_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
    let dir = dir.map(Path::to_path_buf).or(env_dir);
    let mut named: Vec<(String, CriteriaSet)> =
        BUILTIN.iter().map(|(n, _)| n.to_string()).zip(builtin_sets()).collect();
    if let Some(dir) = dir {
        let io = |source| CriteriaError::Io { path: dir.clone(), source };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| CriteriaError::Io { path: path.clone(), source })?;
            let set = parse(&text, &path)?;
            let name =
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match named.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = set,
                None => named.push((name, set)),
            }
        }
    }
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (name, set) in &named {
        for c in &set.criteria {
            if let Some((_, first)) = seen.iter().find(|(id, _)| *id == c.id) {
                return Err(CriteriaError::Duplicate {
                    id: c.id.clone(),
                    first: first.to_string(),
                    second: name.clone(),
                });
            }
            seen.push((&c.id, name));
        }
    }
    Ok(named.into_iter().map(|(_, s)| s).collect())
}

/// Parse one set file; `path` is named in errors.
pub fn parse(text: &str, path: &Path) -> Result<CriteriaSet, CriteriaError> {
    let invalid = |offset: usize, message: String| {
        let (line, column) = crate::review::error::line_col(text, offset);
        CriteriaError::Invalid { path: path.to_path_buf(), line, column, message }
    };
    let set: CriteriaSet = toml::from_str(text)
        .map_err(|e| invalid(e.span().map_or(0, |s| s.start), e.message().to_string()))?;
    let mut ids = std::collections::HashSet::new();
    for c in &set.criteria {
        if c.id.is_empty() || !ids.insert(c.id.as_str()) {
            let at = text.find(&format!("\"{}\"", c.id)).unwrap_or(0);
            return Err(invalid(at, format!("criterion id {:?} is empty or used twice", c.id)));
        }
    }
    Ok(set)
}

/// A criterion by id (case-insensitive), with its set.
pub fn find<'a>(sets: &'a [CriteriaSet], id: &str) -> Option<(&'a CriteriaSet, &'a Criterion)> {
    sets.iter()
        .flat_map(|s| s.criteria.iter().map(move |c| (s, c)))
        .find(|(_, c)| c.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_sets_have_the_published_shape() {
        let sets = builtin_sets();
        let shape: Vec<(&str, usize)> =
            sets.iter().map(|s| (s.id.as_str(), s.criteria.len())).collect();
        assert_eq!(shape, [("osd", 10), ("osaid", 7), ("fsf", 4), ("dfsg", 10)]);
        let fsf: Vec<&str> = sets[2].criteria.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(fsf, ["0", "1", "2", "3"]);
        for s in &sets {
            for c in &s.criteria {
                assert!(c.id.starts_with(&format!("{}-", s.id)), "{}", c.id);
                assert!(!c.summary.is_empty() && c.summary.len() < 240, "{}", c.id);
            }
        }
        assert!(load_sets(None).is_ok());
    }

    #[test]
    fn a_folder_replaces_and_adds_sets() {
        let dir = tempfile::tempdir().unwrap();
        let osd = "id = \"osd\"\ntitle = \"Mine\"\nversion = \"x\"\nurl = \"u\"\n\n[[criteria]]\n\
                   id = \"osd-1\"\nnumber = \"1\"\ntitle = \"T\"\nsummary = \"S\"\n";
        std::fs::write(dir.path().join("osd.toml"), osd).unwrap();
        let house = osd.replace("\"osd\"", "\"house\"").replace("osd-1", "house-1");
        std::fs::write(dir.path().join("house.toml"), house).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let sets = load_sets(Some(dir.path())).unwrap();
        let ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["osd", "osaid", "fsf", "dfsg", "house"]);
        assert_eq!(sets[0].title, "Mine");
        assert!(find(&sets, "osd-6").is_none());
        assert!(find(&sets, "HOUSE-1").is_some());
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "id = \"bad\"\ntitle = \"B\"\nversion = 1\nurl = \"u\"\ncriteria = []\n",
        )
        .unwrap();
        let err = load_sets(Some(dir.path())).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{}:3:11: ", path.display())), "{err}");
        let dup = "id = \"x\"\ntitle = \"B\"\nversion = \"1\"\nurl = \"u\"\n\n[[criteria]]\n\
                   id = \"osd-6\"\nnumber = \"6\"\ntitle = \"T\"\nsummary = \"S\"\n";
        std::fs::write(&path, dup).unwrap();
        let err = load_sets(Some(dir.path())).unwrap_err().to_string();
        assert_eq!(err, "criterion id \"osd-6\" is defined in both osd.toml and bad.toml");
    }
}

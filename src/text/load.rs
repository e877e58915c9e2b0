//! Reading a license text from a file or from the SPDX License List.
//!
//! Submitted texts come from mail attachments, web pages and word processors, so they arrive
//! in every encoding and line-ending convention. Loading decodes them all to one `String` with
//! `\n` line endings and records what it found, so that a reviewer can be told (an encoding
//! change between two versions can itself be a difference worth knowing). Web pages and office
//! documents (HTML, DOCX, ODT, PDF) are read as the text they show by [`super::source`].

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::source::{Hint, Reading, SourceError};

/// Texts larger than this are refused by [`load`]: no license is that long, and a mistaken
/// path (a disk image, a log) should fail fast instead of filling memory.
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Prefix that names a text of the SPDX License List instead of a file.
pub const SPDX_PREFIX: &str = "spdx:";

/// How the bytes of a text were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Bytes that were not valid UTF-8, read as Windows-1252 (a superset of Latin-1). Flagged,
    /// because the reading is a guess.
    Windows1252,
    /// A charset the document declared (a web page's `charset`), by its WHATWG name.
    Other(&'static str),
}

impl Encoding {
    /// The name used in reports and JSON (`utf-8`, `utf-16le`, `utf-16be`, `windows-1252`).
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Other(name) => name,
        }
    }

    /// The encoding of a declared charset, by its encoding_rs name.
    pub fn from_label(name: &'static str) -> Encoding {
        match name {
            "UTF-8" => Encoding::Utf8,
            "UTF-16LE" => Encoding::Utf16Le,
            "UTF-16BE" => Encoding::Utf16Be,
            _ => Encoding::Other(name),
        }
    }
}

/// The line-ending convention found in the raw bytes (the loaded content always uses `\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndings {
    /// `\n` only, or no line break at all.
    Lf,
    Crlf,
    Cr,
    Mixed,
}

impl LineEndings {
    /// The name used in reports and JSON (`lf`, `crlf`, `cr`, `mixed`).
    pub fn as_str(self) -> &'static str {
        match self {
            LineEndings::Lf => "lf",
            LineEndings::Crlf => "crlf",
            LineEndings::Cr => "cr",
            LineEndings::Mixed => "mixed",
        }
    }
}

/// A decoded license text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// What the user named: the path as given, or `spdx:ID`.
    pub name: String,
    /// The decoded text, BOM removed, every line ending turned into `\n`.
    pub content: String,
    pub encoding: Encoding,
    pub bom: bool,
    pub line_endings: LineEndings,
    /// Hex SHA-256 of the raw bytes, so a review can tell when a file changed.
    pub sha256: String,
    /// How a document (HTML, DOCX, ODT, PDF) was read into this text; `None` for plain text.
    pub reading: Option<Reading>,
}

impl Text {
    /// Decode raw bytes. Never fails: bytes that are not UTF-8 are read as Windows-1252.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Text {
        Text::from_vec(name, bytes.to_vec())
    }

    /// [`Text::from_bytes`] taking the bytes: a UTF-8 text with LF line endings (the usual
    /// case) becomes the content without a copy.
    pub fn from_vec(name: &str, bytes: Vec<u8>) -> Text {
        let sha256 = sha256_hex(&bytes);
        let (raw, encoding, bom) = decode(bytes);
        let (content, line_endings) = normalize_line_endings(raw);
        Text { name: name.to_string(), content, encoding, bom, line_endings, sha256, reading: None }
    }

    /// The text a file or fetched page shows: documents (HTML, DOCX, ODT, PDF, chosen by
    /// content, `hint.content_type` and the extension of `hint.name`) through their reader,
    /// anything else as [`Text::from_vec`]. The hash is of the bytes as given.
    pub fn from_document(name: &str, bytes: Vec<u8>, hint: &Hint) -> Result<Text, TextError> {
        let read = super::source::read(&bytes, hint)
            .map_err(|source| TextError::Document { name: name.to_string(), source })?;
        let Some(read) = read else {
            return Ok(Text::from_vec(name, bytes));
        };
        let (content, line_endings) = normalize_line_endings(read.content);
        Ok(Text {
            name: name.to_string(),
            content,
            encoding: read.encoding,
            bom: read.bom,
            line_endings,
            sha256: sha256_hex(&bytes),
            reading: read.reading,
        })
    }

    /// This text, unless it is not text at all (it holds NUL bytes): what every comparison
    /// asks of its inputs, as diff says "Binary files differ" rather than compare for
    /// seconds. (`lrw inspect` reads such a file anyway, to show what is in it.)
    pub fn text_only(self) -> Result<Text, TextError> {
        if self.content.contains('\0') {
            return Err(TextError::Binary { name: self.name });
        }
        Ok(self)
    }

    /// A text that is already a string (tests, SPDX texts).
    pub fn from_string(name: &str, s: &str) -> Text {
        Text::from_bytes(name, s.as_bytes())
    }

    /// The lines of the content, without their `\n`.
    pub fn lines(&self) -> std::str::Lines<'_> {
        self.content.lines()
    }
}

/// Why a text could not be loaded. Every variant names what the user asked for.
#[derive(Debug)]
pub enum TextError {
    NotFound {
        path: PathBuf,
    },
    IsDirectory {
        path: PathBuf,
    },
    /// A FIFO, device or socket: reading one could block forever or never end.
    NotRegular {
        path: PathBuf,
    },
    /// Bytes that are not text (NUL bytes): refused at once, as diff says "Binary files
    /// differ", rather than compared for seconds.
    Binary {
        name: String,
    },
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    UnknownSpdx {
        id: String,
        suggestion: Option<String>,
    },
    /// A document (web page, DOCX, ODT, PDF) whose reader could not make a text of it.
    Document {
        name: String,
        source: SourceError,
    },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::NotFound { path } if path.as_os_str().is_empty() => {
                f.write_str("an empty file name: expected a path or spdx:ID")
            }
            TextError::NotFound { path } => write!(f, "{}: no such file", path.display()),
            TextError::IsDirectory { path } => {
                write!(f, "{}: is a directory, expected a license text file", path.display())
            }
            TextError::NotRegular { path } => write!(
                f,
                "{}: not a regular file (a pipe, device or socket); lrw reads only files",
                path.display()
            ),
            TextError::Binary { name } => write!(
                f,
                "{name}: not text (it holds NUL bytes); a license text, a web page or an office \
                 document was expected"
            ),
            TextError::TooLarge { path, size, limit } => write!(
                f,
                "{}: file is {} bytes ({}), over the limit of {} bytes ({}) for a license text",
                path.display(),
                size,
                human_size(*size),
                limit,
                human_size(*limit)
            ),
            TextError::Io { path, source } => write!(f, "{}: {}", path.display(), source),
            TextError::UnknownSpdx { id, suggestion } => {
                write!(f, "spdx:{id}: not a license id of the SPDX License List")?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean spdx:{s}?)")?;
                }
                Ok(())
            }
            TextError::Document { name, source } => write!(f, "{name}: {source}"),
        }
    }
}

impl std::error::Error for TextError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TextError::Io { source, .. } => Some(source),
            TextError::Document { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A size for people: `16 MiB`, `40.5 MiB`, `900 KiB`, `12 bytes`.
fn human_size(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let one_decimal = |unit: u64, name: &str| {
        let tenths = (n as u128 * 10 / unit as u128) as u64;
        if tenths.is_multiple_of(10) {
            format!("{} {name}", tenths / 10)
        } else {
            format!("{}.{} {name}", tenths / 10, tenths % 10)
        }
    };
    if n >= MIB {
        one_decimal(MIB, "MiB")
    } else if n >= KIB {
        one_decimal(KIB, "KiB")
    } else {
        format!("{n} bytes")
    }
}

/// Load a text named by a path or by `spdx:ID`, with the default size limit.
pub fn load(spec: &str) -> Result<Text, TextError> {
    load_with_limit(spec, DEFAULT_MAX_BYTES)
}

/// Load a text whose path is relative to `base_dir` (review files name texts relative to
/// themselves). `spdx:ID` and absolute paths are used as they are.
pub fn load_relative(spec: &str, base_dir: &Path) -> Result<Text, TextError> {
    if spec.starts_with(SPDX_PREFIX) || Path::new(spec).is_absolute() {
        return load(spec);
    }
    let path = base_dir.join(spec);
    load_path(&path, DEFAULT_MAX_BYTES)
}

/// Load a text named by a path or by `spdx:ID`, refusing files over `max_bytes`.
pub fn load_with_limit(spec: &str, max_bytes: u64) -> Result<Text, TextError> {
    if let Some(id) = spec.strip_prefix(SPDX_PREFIX) {
        return load_spdx(id);
    }
    load_path(Path::new(spec), max_bytes)
}

/// Load the file at `path`, read as the document it is; `content_type` is the type a
/// server declared for a stored copy of a fetched page (its charset may be only there).
pub fn load_file(path: &Path, content_type: Option<&str>) -> Result<Text, TextError> {
    load_path_as(path, DEFAULT_MAX_BYTES, content_type)
}

fn load_path(path: &Path, max_bytes: u64) -> Result<Text, TextError> {
    load_path_as(path, max_bytes, None)
}

fn load_path_as(
    path: &Path,
    max_bytes: u64,
    content_type: Option<&str>,
) -> Result<Text, TextError> {
    let io = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::NotFound {
            TextError::NotFound { path: path.to_path_buf() }
        } else {
            TextError::Io { path: path.to_path_buf(), source }
        }
    };
    // Opened without blocking (a FIFO would wait for a writer), then asked what it is: only
    // a regular file is read.
    let file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(TextError::IsDirectory { path: path.to_path_buf() });
    }
    if !meta.is_file() {
        return Err(TextError::NotRegular { path: path.to_path_buf() });
    }
    if meta.len() > max_bytes {
        return Err(TextError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: max_bytes,
        });
    }
    // Read at most one byte past the limit: a file that grows between stat and read (or a
    // special file whose size stat does not know) is still refused instead of read whole.
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.take(max_bytes + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(TextError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    let name = path.display().to_string();
    Text::from_document(&name, bytes, &Hint { name: &name, content_type })
}

/// Open for reading without waiting: `O_NONBLOCK` on Unix, so that a FIFO or a device opens at
/// once and can be refused.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

/// UTF-16 written without a byte-order mark, told by its NULs: in text that is mostly ASCII,
/// every other byte is NUL, the odd ones for little endian and the even ones for big endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let (mut even, mut odd) = (0, 0);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Nine in ten characters ASCII, and no NUL on the other side.
    if odd * 10 >= pairs * 9 && even == 0 {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The text of an SPDX license, by id (case-insensitive, as SPDX ids are).
fn load_spdx(id: &str) -> Result<Text, TextError> {
    let license = spdx::license_id(id).or_else(|| {
        spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(id))
            .and_then(|l| spdx::license_id(l.name))
    });
    match license {
        Some(l) => Ok(Text::from_string(&format!("{SPDX_PREFIX}{}", l.name), l.text())),
        None => Err(TextError::UnknownSpdx {
            id: id.to_string(),
            suggestion: spdx::imprecise_license_id(id).map(|(l, _)| l.name.to_string()),
        }),
    }
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn decode(bytes: Vec<u8>) -> (String, Encoding, bool) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => (s.to_string(), Encoding::Utf8, true),
            Err(_) => (windows_1252(rest), Encoding::Windows1252, true),
        };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (s, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return (s.into_owned(), Encoding::Utf16Le, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (s, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return (s.into_owned(), Encoding::Utf16Be, true);
    }
    if let Some(enc) = utf16_without_bom(&bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes);
        let e = if enc == encoding_rs::UTF_16LE { Encoding::Utf16Le } else { Encoding::Utf16Be };
        return (s.into_owned(), e, false);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, Encoding::Utf8, false),
        Err(e) => (windows_1252(e.as_bytes()), Encoding::Windows1252, false),
    }
}

fn windows_1252(bytes: &[u8]) -> String {
    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    s.into_owned()
}

/// Turn CRLF and lone CR into LF, and say which conventions were present.
fn normalize_line_endings(s: String) -> (String, LineEndings) {
    if !s.contains('\r') {
        return (s, LineEndings::Lf);
    }
    let (mut lf, mut crlf, mut cr) = (false, false, false);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                    crlf = true;
                } else {
                    cr = true;
                }
                out.push('\n');
            }
            '\n' => {
                lf = true;
                out.push('\n');
            }
            c => out.push(c),
        }
    }
    let endings = match (lf, crlf, cr) {
        (_, true, false) if !lf => LineEndings::Crlf,
        (false, false, true) => LineEndings::Cr,
        (true, false, false) | (false, false, false) => LineEndings::Lf,
        _ => LineEndings::Mixed,
    };
    (out, endings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_line_endings() {
        let t = Text::from_bytes("a", b"\xEF\xBB\xBFone\r\ntwo\r\n");
        assert_eq!(
            (t.content.as_str(), t.encoding, t.bom, t.line_endings),
            ("one\ntwo\n", Encoding::Utf8, true, LineEndings::Crlf)
        );
        let t = Text::from_bytes("b", b"\xFF\xFEh\0i\0\r\0");
        assert_eq!(
            (t.content.as_str(), t.encoding, t.line_endings),
            ("hi\n", Encoding::Utf16Le, LineEndings::Cr)
        );
        let t = Text::from_bytes("c", b"\xFE\xFF\0h\0i");
        assert_eq!((t.content.as_str(), t.encoding), ("hi", Encoding::Utf16Be));
        let t = Text::from_bytes("d", b"caf\xe9\nx\r\ny\rz");
        assert_eq!(
            (t.content.as_str(), t.encoding, t.line_endings),
            ("caf\u{e9}\nx\ny\nz", Encoding::Windows1252, LineEndings::Mixed)
        );
    }

    #[test]
    fn spdx_texts_load_by_id_case_insensitively() {
        let t = load("spdx:apache-2.0").unwrap();
        assert_eq!(t.name, "spdx:Apache-2.0");
        assert!(t.content.contains("Apache License"));
        let err = load("spdx:Apache-2.1").unwrap_err().to_string();
        assert!(err.starts_with("spdx:Apache-2.1: not a license id"), "{err}");
    }

    #[test]
    fn too_large_files_are_refused_with_path_and_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, vec![b'a'; 2048 + 512]).unwrap();
        let spec = path.display().to_string();
        let err = load_with_limit(&spec, 2048).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{spec}: file is 2560 bytes (2.5 KiB), over the limit of 2048 bytes (2 KiB) for \
                 a license text"
            )
        );
        assert_eq!(load_with_limit(&spec, 2560).unwrap().content.len(), 2560);
        assert_eq!(human_size(DEFAULT_MAX_BYTES), "16 MiB");
        assert_eq!(human_size(40 * 1024 * 1024 + 512 * 1024), "40.5 MiB");
        assert_eq!(human_size(12), "12 bytes");
    }

    #[test]
    fn errors_name_the_path() {
        let err = load("/nonexistent/lrw/x.txt").unwrap_err().to_string();
        assert_eq!(err, "/nonexistent/lrw/x.txt: no such file");
        let err = load("/").unwrap_err().to_string();
        assert!(err.contains("is a directory"), "{err}");
        let err = load("").unwrap_err().to_string();
        assert_eq!(err, "an empty file name: expected a path or spdx:ID");
    }
}

//! Reading documents as the license they show: HTML pages, Word (DOCX), LibreOffice (ODT) and
//! PDF files become the plain text the rest of lrw handles.
//!
//! A license under review often lives on a web page or arrives as an office document. Read as
//! bytes, such a file is markup: tags count as "added words", and the list numbering that a
//! browser or word processor draws (`<ol type="a">`, Word's `numbering.xml`) is not in the
//! text at all, so no clause id is found. Each reader here keeps what a reader of the page
//! sees, writes list numbers out as labels the clause parser reads (`a.`, `1.1`, `(a)`), and
//! says what it left out, so a reviewer can trust (or question) the text.
//!
//! The text comes out one paragraph per line with a blank line between paragraphs, so line
//! numbers (in `lrw clauses`, `lrw diff` and thread anchors) count paragraphs of the document
//! as shown, and list items nested in lists are indented four spaces per level.
//!
//! The format is chosen by content first (`%PDF-`, a ZIP holding `word/document.xml` or an ODF
//! `mimetype`), then by the declared content type of a fetched page, then by the file
//! extension, then by sniffing the first bytes for HTML (as browsers do). Anything else is
//! plain text and is not changed here.

mod docx;
mod html;
mod odt;
mod pdf;
mod xml;

use std::fmt;

use super::load::Encoding;

/// A document format lrw can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (also Markdown): read as it is.
    Text,
    Html,
    Docx,
    Odt,
    Pdf,
}

impl Format {
    /// The reader's name in reports and JSON: `text`, `html`, `docx`, `odt`, `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Pdf => "pdf",
        }
    }

    /// The usual file extension of the format (`txt` for plain text), for stored copies.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Pdf => "pdf",
        }
    }

    /// The format a file name's extension stands for, if it names one.
    pub fn from_extension(name: &str) -> Option<Format> {
        // A URL's query or fragment is not part of its file name.
        let name = name.split(['?', '#']).next().unwrap_or(name);
        let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let (_, ext) = last.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            "odt" | "fodt" => Some(Format::Odt),
            "pdf" => Some(Format::Pdf),
            "txt" | "text" | "md" | "markdown" | "rst" | "adoc" | "asciidoc" | "org" => {
                Some(Format::Text)
            }
            _ => None,
        }
    }

    /// The format a MIME type (a `Content-Type` header, parameters allowed) stands for, if
    /// lrw reads it.
    pub fn from_content_type(content_type: &str) -> Option<Format> {
        match mime_essence(content_type).as_str() {
            "text/html" | "application/xhtml+xml" => Some(Format::Html),
            "text/plain" | "text/markdown" | "text/x-markdown" => Some(Format::Text),
            "application/pdf" => Some(Format::Pdf),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                Some(Format::Docx)
            }
            "application/vnd.oasis.opendocument.text" => Some(Format::Odt),
            _ => None,
        }
    }
}

/// `text/html; charset=utf-8` -> `text/html`, lower case.
pub(crate) fn mime_essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The `charset` parameter of a `Content-Type` value, if any.
pub(crate) fn mime_charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
            .filter(|v| !v.is_empty())
    })
}

/// What is known about some bytes besides the bytes: a name (a path or URL, for its
/// extension) and, for a fetched page, the declared content type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hint<'a> {
    pub name: &'a str,
    pub content_type: Option<&'a str>,
}

/// One kind of thing a reader left out and how many of them (`script`, 4).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dropped {
    pub what: &'static str,
    pub count: usize,
}

/// What a reader did to turn a document into text: shown by `lrw inspect`, so a reviewer
/// can tell which words are the document's and which were the reader's choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub format: Format,
    /// What chose the format: `content`, `content type`, `extension` or `sniffed markup`.
    pub chosen_by: &'static str,
    /// What was left out, by kind, in a stable order.
    pub dropped: Vec<Dropped>,
    /// List numbers written out as labels (from `<ol>`, Word or ODF numbering).
    pub labels: usize,
    /// Anything else a reviewer should know (where the main content was found, a
    /// hyphenation rejoined, a part that could not be read).
    pub notes: Vec<String>,
}

impl Reading {
    fn new(format: Format, chosen_by: &'static str) -> Reading {
        Reading { format, chosen_by, dropped: Vec::new(), labels: 0, notes: Vec::new() }
    }

    /// Count `n` more of `what` as dropped (kept in first-seen order, zero counts left out).
    pub(crate) fn drop_n(&mut self, what: &'static str, n: usize) {
        if n == 0 {
            return;
        }
        match self.dropped.iter_mut().find(|d| d.what == what) {
            Some(d) => d.count += n,
            None => self.dropped.push(Dropped { what, count: n }),
        }
    }

    /// One line for people: `html reader (by extension): dropped 4 script, 2 nav; 31 list
    /// labels written out`.
    pub fn summary(&self) -> String {
        let mut out = format!("{} reader (chosen by {})", self.format.as_str(), self.chosen_by);
        if !self.dropped.is_empty() {
            let parts: Vec<String> =
                self.dropped.iter().map(|d| format!("{} {}", d.count, d.what)).collect();
            out.push_str(&format!("; dropped {}", parts.join(", ")));
        }
        if self.labels > 0 {
            out.push_str(&format!(
                "; {} list label{} written out",
                self.labels,
                if self.labels == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

/// Why a document could not be read. The message says what was wrong and what to do; the
/// caller adds the name of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// A ZIP container (DOCX, ODT) that cannot be opened.
    BrokenZip { format: Format, detail: String },
    /// A ZIP that is neither a DOCX nor an ODT.
    UnknownZip,
    /// A part of an office document that is missing or not well-formed XML.
    BrokenXml { part: String, detail: String },
    /// A PDF that cannot be parsed.
    BrokenPdf { detail: String },
    /// A PDF that needs a password.
    EncryptedPdf,
    /// A PDF whose pages hold no text (a scan).
    NoTextLayer { pages: usize },
    /// A declared charset that lrw does not know.
    UnknownCharset { charset: String },
    /// Bytes that are not valid in the charset the document declares.
    BadCharset { charset: String, offset: usize },
    /// A document in which the reader found no text at all.
    NoText { format: Format },
    /// A declared content type lrw cannot read as a license text.
    UnsupportedType { content_type: String },
    /// Markup nested deeper than any page needs (the HTML parser's time grows with the square
    /// of the depth, so such input is refused before parsing).
    TooDeep { depth: usize },
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::BrokenZip { format, detail } => write!(
                f,
                "not a readable {} file (its ZIP container is broken: {detail}); open it in \
                 its word processor and save it again, or export it as PDF or plain text",
                format.as_str().to_uppercase()
            ),
            SourceError::UnknownZip => f.write_str(
                "a ZIP archive that is neither a DOCX nor an ODT document; give the license \
                 document itself",
            ),
            SourceError::BrokenXml { part, detail } => write!(
                f,
                "the document part {part} cannot be read ({detail}); save the document again \
                 or export it as PDF or plain text"
            ),
            SourceError::BrokenPdf { detail } => write!(
                f,
                "not a readable PDF ({detail}); export the document as PDF again or give its \
                 text"
            ),
            SourceError::EncryptedPdf => f.write_str(
                "the PDF is encrypted and needs a password; give an unprotected copy or its \
                 text",
            ),
            SourceError::NoTextLayer { pages } => write!(
                f,
                "the PDF has {pages} page{} but no text layer (a scanned image?); run OCR on \
                 it (for example `ocrmypdf`) or ask for the text version",
                if *pages == 1 { "" } else { "s" }
            ),
            SourceError::UnknownCharset { charset } => write!(
                f,
                "declares the charset {charset:?}, which lrw does not know; convert it to \
                 UTF-8 first"
            ),
            SourceError::BadCharset { charset, offset } => write!(
                f,
                "declares the charset {charset} but byte {offset} is not valid in it; fix the \
                 declared charset or convert the file to UTF-8"
            ),
            SourceError::NoText { format } => write!(
                f,
                "the {} reader found no text in it; check that it is the license document",
                format.as_str()
            ),
            SourceError::TooDeep { depth } => write!(
                f,
                "its markup is nested at least {depth} elements deep, more than any license page; \
                 check that it is the license page, or save the text from a browser"
            ),
            SourceError::UnsupportedType { content_type } => write!(
                f,
                "served as {content_type:?}, which is not a license text lrw can read (HTML, \
                 plain text, PDF, DOCX or ODT); give the address of the license page or file \
                 itself"
            ),
        }
    }
}

impl std::error::Error for SourceError {}

/// A document read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub content: String,
    /// How the text bytes were decoded (UTF-8 for XML-based and PDF documents).
    pub encoding: Encoding,
    pub bom: bool,
    /// `None` when the bytes were plain text, read by the ordinary loader.
    pub reading: Option<Reading>,
}

/// The format of `bytes` and what chose it.
pub fn detect(bytes: &[u8], hint: &Hint) -> (Format, &'static str) {
    if let Some(f) = magic(bytes) {
        return (f, "content");
    }
    if let Some(f) = hint.content_type.and_then(Format::from_content_type) {
        return (f, "content type");
    }
    if let Some(f) = Format::from_extension(hint.name) {
        // A binary format named by extension but without its magic bytes is still tried as
        // that format, so the reader can say what is wrong with it.
        return (f, "extension");
    }
    if looks_like_html(bytes) {
        return (Format::Html, "sniffed markup");
    }
    (Format::Text, "default")
}

/// Formats known by their first bytes: PDF, and ZIP-based office documents.
fn magic(bytes: &[u8]) -> Option<Format> {
    // The PDF header may follow some junk, within the first KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Some(Format::Pdf);
    }
    if odt::is_flat(bytes) {
        return Some(Format::Odt);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // An ODF package starts with an uncompressed `mimetype` entry naming its type.
        let window = &bytes[..bytes.len().min(200)];
        if memchr::memmem::find(window, b"application/vnd.oasis.opendocument.text").is_some() {
            return Some(Format::Odt);
        }
        if memchr::memmem::find(&bytes[..bytes.len().min(64 * 1024)], b"word/").is_some() {
            return Some(Format::Docx);
        }
        // Another ZIP: the readers decide (and say what it is not).
        return None;
    }
    None
}

/// Whether the first non-blank bytes open an HTML document, after the WHATWG sniffing
/// rules (`<!DOCTYPE HTML`, `<html`, `<head`, `<body`, `<p`, `<div`, `<!--`, ...).
fn looks_like_html(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let rest = &bytes[start..];
    const TAGS: [&[u8]; 18] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
        b"<ol",
    ];
    TAGS.iter().any(|tag| {
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag)
            && (tag == b"<!--" || matches!(rest[tag.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r'))
    })
}

/// Read `bytes` as the license text they show. Plain text is returned as `None` (the caller
/// decodes it as before); documents give their text and a [`Reading`].
pub fn read(bytes: &[u8], hint: &Hint) -> Result<Option<Read>, SourceError> {
    let (format, chosen_by) = detect(bytes, hint);
    let mut reading = Reading::new(format, chosen_by);
    let (content, encoding) = match format {
        Format::Text => {
            // A declared charset that is not UTF-8 (a fetched text/plain page) is honoured
            // here; everything else goes through the ordinary loader.
            match hint.content_type.and_then(mime_charset) {
                Some(cs) if !is_utf8_label(&cs) => {
                    let (s, enc) = decode_declared(bytes, &cs)?;
                    return Ok(Some(Read { content: s, encoding: enc, bom: false, reading: None }));
                }
                Some(cs) => {
                    check_utf8(bytes, &cs)?;
                    return Ok(None);
                }
                None => return Ok(None),
            }
        }
        Format::Html => {
            let (decoded, encoding) = html::decode(bytes, hint.content_type)?;
            (html::read(&decoded, &mut reading)?, encoding)
        }
        Format::Docx => (docx::read(bytes, &mut reading)?, Encoding::Utf8),
        Format::Odt => (odt::read(bytes, &mut reading)?, Encoding::Utf8),
        Format::Pdf => (pdf::read(bytes, &mut reading)?, Encoding::Utf8),
    };
    if content.trim().is_empty() {
        return Err(SourceError::NoText { format });
    }
    Ok(Some(Read {
        content,
        encoding,
        bom: bytes.starts_with(b"\xEF\xBB\xBF"),
        reading: Some(reading),
    }))
}

fn is_utf8_label(label: &str) -> bool {
    matches!(label, "utf-8" | "utf8" | "unicode-1-1-utf-8")
}

/// Fail when bytes declared as UTF-8 are not.
fn check_utf8(bytes: &[u8], charset: &str) -> Result<(), SourceError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body).map(|_| ()).map_err(|e| SourceError::BadCharset {
        charset: charset.to_string(),
        offset: e.valid_up_to() + (bytes.len() - body.len()),
    })
}

/// Decode bytes in a declared charset, failing on bytes the charset does not allow (a page
/// that says it is UTF-8 and is not should not be read as something else silently).
fn decode_declared(bytes: &[u8], charset: &str) -> Result<(String, Encoding), SourceError> {
    let Some(enc) = encoding_rs::Encoding::for_label(charset.as_bytes()) else {
        return Err(SourceError::UnknownCharset { charset: charset.to_string() });
    };
    if enc == encoding_rs::UTF_8 {
        check_utf8(bytes, charset)?;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return Ok((String::from_utf8_lossy(body).into_owned(), Encoding::Utf8));
    }
    // UTF-16 declared without a BOM is rare on the web; encoding_rs decodes it like others.
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s.into_owned(), Encoding::from_label(enc.name()))),
        None => {
            let offset = first_bad_byte(enc, bytes);
            Err(SourceError::BadCharset { charset: charset.to_string(), offset })
        }
    }
}

/// Offset of the first byte that `enc` cannot decode (for the message).
fn first_bad_byte(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> usize {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(len, _) => read.saturating_sub(usize::from(len)),
        _ => read,
    }
}

/// Letters and roman numerals for list numbers, as browsers and word processors write them.
pub(crate) mod number {
    /// `1` -> `a`, `26` -> `z`, `27` -> `aa` (as CSS `lower-alpha` and Word's `lowerLetter`
    /// with doubling count on past `z`; both agree up to `z`, which is what licenses use).
    pub fn letters(n: u32, upper: bool) -> String {
        if n == 0 {
            return "0".to_string();
        }
        let mut n = n;
        let mut out = Vec::new();
        while n > 0 {
            n -= 1;
            out.push(b'a' + (n % 26) as u8);
            n /= 26;
        }
        out.reverse();
        let s = String::from_utf8(out).unwrap_or_default();
        if upper { s.to_ascii_uppercase() } else { s }
    }

    /// `4` -> `iv` (`IV` when `upper`); numbers past 3999 stay decimal, as in browsers.
    pub fn roman(n: u32, upper: bool) -> String {
        if n == 0 || n >= 4000 {
            return n.to_string();
        }
        let s = crate::text::clauses::to_roman(n);
        if upper { s.to_ascii_uppercase() } else { s }
    }

    /// Whether `s` is a roman numeral in its usual spelling (`iv`, `XII`), any case.
    pub fn is_roman(s: &str) -> bool {
        let lower = s.to_ascii_lowercase();
        (1..400).any(|n| roman(n, false) == lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_content_then_type_then_extension_then_sniffing() {
        let hint = |name| Hint { name, content_type: None };
        assert_eq!(detect(b"%PDF-1.7\n...", &hint("x.txt")), (Format::Pdf, "content"));
        assert_eq!(detect(b"<p>hi</p>", &hint("LICENSE")), (Format::Html, "sniffed markup"));
        assert_eq!(detect(b"<p>hi</p>", &hint("LICENSE.md")), (Format::Text, "extension"));
        assert_eq!(detect(b"1. Grant", &hint("page.HTML")), (Format::Html, "extension"));
        assert_eq!(detect(b"1. Grant", &hint("LICENSE")), (Format::Text, "default"));
        let typed = Hint { name: "https://x.org/l?v=1.txt", content_type: Some("text/html") };
        assert_eq!(detect(b"1. Grant", &typed), (Format::Html, "content type"));
        assert_eq!(Format::from_extension("https://x.org/a/b.docx?dl=1"), Some(Format::Docx));
        assert_eq!(Format::from_extension("https://x.org/license"), None);
        // `<pre` and `<b` are different tags: `<bogus>` is no HTML opening.
        assert!(!looks_like_html(b"<bogus> text"));
        assert!(looks_like_html(b"\n  <!DOCTYPE html><html>"));
    }

    #[test]
    fn content_type_parameters() {
        assert_eq!(mime_essence("Text/HTML; charset=UTF-8"), "text/html");
        assert_eq!(mime_charset("text/html; charset=\"ISO-8859-1\""), Some("iso-8859-1".into()));
        assert_eq!(mime_charset("text/html"), None);
    }

    #[test]
    fn declared_charsets_are_honoured_and_checked() {
        let (s, enc) = decode_declared(b"caf\xe9", "iso-8859-1").unwrap();
        assert_eq!((s.as_str(), enc.as_str()), ("caf\u{e9}", "windows-1252"));
        let err = decode_declared(b"ok caf\xe9", "utf-8").unwrap_err();
        assert_eq!(err, SourceError::BadCharset { charset: "utf-8".into(), offset: 6 });
        assert!(matches!(
            decode_declared(b"x", "klingon"),
            Err(SourceError::UnknownCharset { .. })
        ));
    }

    #[test]
    fn list_numbers() {
        assert_eq!(number::letters(1, false), "a");
        assert_eq!(number::letters(26, true), "Z");
        assert_eq!(number::letters(27, false), "aa");
        assert_eq!(number::roman(14, false), "xiv");
        assert_eq!(number::roman(4, true), "IV");
    }

    #[test]
    fn summary_names_the_reader_and_what_it_dropped() {
        let mut r = Reading::new(Format::Html, "extension");
        r.drop_n("script", 2);
        r.drop_n("nav", 1);
        r.drop_n("script", 1);
        r.drop_n("style", 0);
        r.labels = 3;
        assert_eq!(
            r.summary(),
            "html reader (chosen by extension); dropped 3 script, 1 nav; 3 list labels \
             written out"
        );
    }
}

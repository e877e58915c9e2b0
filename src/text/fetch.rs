//! Fetching a license from where it lives: one blocking HTTP(S) GET with the limits a
//! review tool needs, and the provenance a review records.
//!
//! [`fetch`] follows redirects itself (up to [`Options::max_redirects`]) so that each hop is
//! checked: a redirect to another scheme (`file:`, `ftp:`) or from `https` down to `http` is
//! refused. Plain `http` is allowed when it is what the user named (some publishers still
//! serve it), never as a downgrade. The body is capped ([`Options::max_bytes`]), the whole
//! exchange has a deadline ([`Options::timeout`], redirects included) and connecting has its
//! own ([`Options::connect_timeout`]), so a slow or endless server cannot hang lrw. The
//! declared content type must be one lrw reads (HTML, plain text, PDF, DOCX, ODT; a generic
//! `application/octet-stream` is accepted when the bytes or the address say which). With
//! `If-None-Match`/`If-Modified-Since` set, a `304 Not Modified` answer is
//! [`Outcome::NotModified`], which is how a refresh knows nothing changed.
//!
//! Nothing here writes a file: the bytes come back in [`Fetched`] with their metadata, and
//! [`Fetched::text`] reads them through the same readers as a file
//! ([`crate::text::source`]). Storing them beside a review is the caller's business.

use std::fmt;
use std::time::{Duration, Instant};

use super::load::{DEFAULT_MAX_BYTES, Text, TextError, sha256_hex};
use super::source::{Format, Hint, mime_essence};

/// The limits and conditions of one fetch.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Time to set up a connection (DNS, TCP, TLS), per hop.
    pub connect_timeout: Duration,
    /// Time for the whole fetch, redirects and body included.
    pub timeout: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Sent as `If-None-Match` (the ETag of the copy the caller has).
    pub if_none_match: Option<String>,
    /// Sent as `If-Modified-Since` (the `Last-Modified` of the copy the caller has).
    pub if_modified_since: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_bytes: DEFAULT_MAX_BYTES,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_redirects: 5,
            if_none_match: None,
            if_modified_since: None,
        }
    }
}

/// A fetched document and where, when and how it was got: what a review version records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The address as asked.
    pub url: String,
    /// The address the bytes came from, after redirects.
    pub final_url: String,
    /// When, in UTC, RFC 3339 with whole seconds (`2025-12-05T10:31:07Z`).
    pub fetched_at: String,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The `Content-Type` header as sent, parameters included.
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Fetched {
    /// The format the bytes will be read as (by content, declared type, then address): what
    /// a stored copy's file extension should say ([`Format::extension`]), so that reading
    /// the copy later from disk picks the same reader.
    pub fn format(&self) -> Format {
        let hint = Hint { name: &self.final_url, content_type: self.content_type.as_deref() };
        super::source::detect(&self.bytes, &hint).0
    }

    /// The bytes read as the license they show (the reader is chosen by content, the
    /// declared content type and the address), named by the address as asked.
    pub fn text(&self) -> Result<Text, TextError> {
        text_from_bytes(
            &self.url,
            self.bytes.clone(),
            &self.final_url,
            self.content_type.as_deref(),
        )
    }
}

/// Read stored bytes of a fetched document (for example a review's copy under
/// `texts/fetched/`) the way [`Fetched::text`] does: `name` names the text, `address` (a URL
/// or file name) gives the extension, `content_type` is the one recorded at fetch time.
pub fn text_from_bytes(
    name: &str,
    bytes: Vec<u8>,
    address: &str,
    content_type: Option<&str>,
) -> Result<Text, TextError> {
    Text::from_document(name, bytes, &Hint { name: address, content_type })
}

/// What a fetch came back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Fetched(Fetched),
    /// The server says the copy named by the conditions is still current (HTTP 304).
    NotModified {
        url: String,
        final_url: String,
        fetched_at: String,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// Why a fetch failed. The message names the address and says what to do.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// Not an `http://` or `https://` address lrw can fetch.
    BadUrl {
        url: String,
        detail: String,
    },
    /// The server answered with an error status.
    Status {
        url: String,
        status: u16,
        reason: String,
    },
    /// A redirect to a scheme lrw does not follow (`file:`, `ftp:`, `https` to `http`).
    RedirectRefused {
        url: String,
        to: String,
    },
    TooManyRedirects {
        url: String,
        limit: u32,
    },
    /// A redirect without a `Location`.
    BadRedirect {
        url: String,
        status: u16,
    },
    TooLarge {
        url: String,
        limit: u64,
    },
    Timeout {
        url: String,
        seconds: f64,
    },
    /// No connection (host not found, refused, TLS failure).
    Connect {
        url: String,
        detail: String,
    },
    /// A content type that is not a license text lrw can read.
    WrongType {
        url: String,
        content_type: String,
    },
    /// Anything else the HTTP client reported.
    Other {
        url: String,
        detail: String,
    },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = crate::text::sanitize_line;
        match self {
            FetchError::BadUrl { url, detail } => {
                write!(
                    f,
                    "{}: not an address lrw can fetch ({detail}); give an http:// or https:// URL",
                    s(url)
                )
            }
            FetchError::Status { url, status, reason } => write!(
                f,
                "{}: the server answered {status} {}; check the address in a browser",
                s(url),
                s(reason)
            ),
            FetchError::RedirectRefused { url, to } => write!(
                f,
                "{}: redirected to {}, which lrw does not follow (another scheme, or https down \
                 to http); fetch that address yourself if you trust it",
                s(url),
                s(to)
            ),
            FetchError::TooManyRedirects { url, limit } => write!(
                f,
                "{}: more than {limit} redirects; give the final address of the page",
                s(url)
            ),
            FetchError::BadRedirect { url, status } => write!(
                f,
                "{}: a {status} redirect without a Location; check the address in a browser",
                s(url)
            ),
            FetchError::TooLarge { url, limit } => write!(
                f,
                "{}: the document is over the limit of {limit} bytes for a license text; check \
                 the address, or download it and give the file",
                s(url)
            ),
            FetchError::Timeout { url, seconds } => write!(
                f,
                "{}: no complete answer within {seconds} s; try again later, or download the \
                 page and give the file",
                s(url)
            ),
            FetchError::Connect { url, detail } => write!(
                f,
                "{}: cannot connect ({}); check the address and the network",
                s(url),
                s(detail)
            ),
            FetchError::WrongType { url, content_type } => write!(
                f,
                "{}: served as {}, which is not a license text lrw can read (HTML, plain text, \
                 PDF, DOCX, ODT); give the address of the license page or file itself",
                s(url),
                s(content_type)
            ),
            FetchError::Other { url, detail } => {
                write!(
                    f,
                    "{}: fetch failed ({}); try again or download the file",
                    s(url),
                    s(detail)
                )
            }
        }
    }
}

impl std::error::Error for FetchError {}

/// Whether `spec` names something to fetch rather than a file (`http://` or `https://`).
pub fn is_url(spec: &str) -> bool {
    let lower = spec.get(..8).unwrap_or(spec).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Load a text named by a path, `spdx:ID` or an http(s) URL, fetching the URL into memory
/// (nothing is written): what commands that only read a text (`clauses`, `diff`, `inspect`)
/// accept.
pub fn load_or_fetch(spec: &str) -> Result<Text, LoadError> {
    if !is_url(spec) {
        return super::load(spec).map_err(LoadError::Text);
    }
    match fetch(spec, &Options::default()).map_err(LoadError::Fetch)? {
        Outcome::Fetched(f) => f.text().map_err(LoadError::Text),
        // No condition was sent, so a 304 is the server's mistake.
        Outcome::NotModified { url, .. } => Err(LoadError::Fetch(FetchError::Other {
            url,
            detail: "304 Not Modified to a request without conditions".into(),
        })),
    }
}

/// Why [`load_or_fetch`] failed.
#[derive(Debug)]
pub enum LoadError {
    Text(TextError),
    Fetch(FetchError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Text(e) => e.fmt(f),
            LoadError::Fetch(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

/// Fetch `url` (GET), following redirects, within the limits of `opts`.
pub fn fetch(url: &str, opts: &Options) -> Result<Outcome, FetchError> {
    let start = Instant::now();
    let asked = url.to_string();
    let mut current =
        parse(url).map_err(|detail| FetchError::BadUrl { url: asked.clone(), detail })?;
    let mut redirects = 0;
    loop {
        let remaining = opts.timeout.saturating_sub(start.elapsed());
        let timeout =
            || FetchError::Timeout { url: asked.clone(), seconds: opts.timeout.as_secs_f64() };
        if remaining.is_zero() {
            return Err(timeout());
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(remaining))
            .timeout_connect(Some(opts.connect_timeout.min(remaining)))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("lrw/", env!("CARGO_PKG_VERSION"), " (license review workbench)"))
            .build()
            .into();
        let mut req = agent.get(current.as_str()).header(
            "Accept",
            "text/html, application/xhtml+xml, text/plain;q=0.9, application/pdf;q=0.9, \
             application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.8, \
             application/vnd.oasis.opendocument.text;q=0.8, */*;q=0.1",
        );
        if let Some(v) = &opts.if_none_match {
            req = req.header("If-None-Match", v.as_str());
        }
        if let Some(v) = &opts.if_modified_since {
            req = req.header("If-Modified-Since", v.as_str());
        }
        let mut resp = req.call().map_err(|e| client_error(&asked, e, opts))?;
        let status = resp.status().as_u16();
        let header =
            |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        if (300..400).contains(&status) && status != 304 {
            let Some(location) = header("location") else {
                return Err(FetchError::BadRedirect { url: asked, status });
            };
            redirects += 1;
            if redirects > opts.max_redirects {
                return Err(FetchError::TooManyRedirects { url: asked, limit: opts.max_redirects });
            }
            current = follow(&current, &location)
                .map_err(|to| FetchError::RedirectRefused { url: asked.clone(), to })?;
            continue;
        }
        let fetched_at = now_rfc3339();
        let etag = header("etag");
        let last_modified = header("last-modified");
        if status == 304 {
            return Ok(Outcome::NotModified {
                url: asked,
                final_url: current.as_str().to_string(),
                fetched_at,
                etag,
                last_modified,
            });
        }
        if !(200..300).contains(&status) {
            let reason = resp.status().canonical_reason().unwrap_or("").to_string();
            return Err(FetchError::Status { url: asked, status, reason });
        }
        let content_type = header("content-type");
        if let Some(len) = header("content-length").and_then(|v| v.trim().parse::<u64>().ok())
            && len > opts.max_bytes
        {
            return Err(FetchError::TooLarge { url: asked, limit: opts.max_bytes });
        }
        if let Some(ct) = &content_type {
            check_type(&asked, &current.as_str(), ct, None)?;
        }
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(opts.max_bytes)
            .read_to_vec()
            .map_err(|e| client_error(&asked, e, opts))?;
        if let Some(ct) = &content_type {
            check_type(&asked, &current.as_str(), ct, Some(&bytes))?;
        }
        return Ok(Outcome::Fetched(Fetched {
            url: asked,
            final_url: current.as_str().to_string(),
            fetched_at,
            sha256: sha256_hex(&bytes),
            etag,
            last_modified,
            content_type,
            bytes,
        }));
    }
}

/// Refuse a content type lrw cannot read. `application/octet-stream` (and no better type)
/// passes when the bytes or the address say what the document is.
fn check_type(
    url: &str,
    address: &str,
    content_type: &str,
    bytes: Option<&[u8]>,
) -> Result<(), FetchError> {
    if Format::from_content_type(content_type).is_some() {
        return Ok(());
    }
    let essence = mime_essence(content_type);
    let generic = matches!(
        essence.as_str(),
        "application/octet-stream"
            | "binary/octet-stream"
            | "application/zip"
            | "application/x-zip-compressed"
            | ""
    );
    if generic {
        let Some(bytes) = bytes else { return Ok(()) };
        let (format, by) =
            super::source::detect(bytes, &Hint { name: address, content_type: None });
        if format != Format::Text || by == "extension" {
            return Ok(());
        }
    }
    Err(FetchError::WrongType { url: url.to_string(), content_type: content_type.to_string() })
}

fn client_error(url: &str, e: ureq::Error, opts: &Options) -> FetchError {
    let url = url.to_string();
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout { url, seconds: opts.timeout.as_secs_f64() },
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge { url, limit: opts.max_bytes },
        ureq::Error::HostNotFound => FetchError::Connect { url, detail: "host not found".into() },
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                FetchError::Timeout { url, seconds: opts.timeout.as_secs_f64() }
            }
            _ => FetchError::Connect { url, detail: io.to_string() },
        },
        ureq::Error::BadUri(detail) => FetchError::BadUrl { url, detail },
        ureq::Error::Rustls(e) => FetchError::Connect { url, detail: format!("TLS: {e}") },
        other => FetchError::Other { url, detail: other.to_string() },
    }
}

/// The time now, UTC, RFC 3339 to the second.
fn now_rfc3339() -> String {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_second(now.as_second()).unwrap_or(now).to_string()
}

/// Where a redirect from `current` to `location` leads, or the refused address: only http(s)
/// is followed, and never from https down to http (a page fetched securely must not be
/// swapped for one anybody on the path could change).
fn follow(current: &Url, location: &str) -> Result<Url, String> {
    let next = resolve(current, location);
    match parse(&next) {
        Ok(url) if !current.https || url.https => Ok(url),
        _ => Err(next),
    }
}

/// An absolute http(s) URL, split where redirects need it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    https: bool,
    /// `scheme://authority`.
    origin: String,
    /// Path and query, starting with `/`.
    rest: String,
}

impl Url {
    fn as_str(&self) -> String {
        format!("{}{}", self.origin, self.rest)
    }
}

fn parse(url: &str) -> Result<Url, String> {
    let url = url.trim();
    let (scheme, after) = url.split_once("://").ok_or("no scheme")?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        other => return Err(format!("the scheme {other:?} is not http or https")),
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..end];
    if authority.is_empty() || authority.contains(char::is_whitespace) {
        return Err("no host".into());
    }
    let mut rest = after[end..].split('#').next().unwrap_or("").to_string();
    if !rest.starts_with('/') {
        rest.insert(0, '/');
    }
    if rest.chars().any(|c| c.is_control() || c == ' ') {
        return Err("spaces or control characters in the address".into());
    }
    let origin = format!("{}://{}", scheme.to_ascii_lowercase(), authority.to_ascii_lowercase());
    Ok(Url { https, origin, rest })
}

/// Resolve a `Location` against the URL it came from (RFC 3986, section 5.2; the `url` crate
/// would do it too, but this is the only place lrw needs URL arithmetic).
fn resolve(base: &Url, location: &str) -> String {
    let location = location.trim();
    if let Some((scheme, _)) = location.split_once(':') {
        let is_scheme = !scheme.is_empty()
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if is_scheme {
            return location.to_string();
        }
    }
    if let Some(rest) = location.strip_prefix("//") {
        let scheme = if base.https { "https" } else { "http" };
        return format!("{scheme}://{rest}");
    }
    let path = if location.starts_with('/') {
        location.to_string()
    } else if location.starts_with('?') {
        let path = base.rest.split('?').next().unwrap_or("/");
        format!("{path}{location}")
    } else {
        let path = base.rest.split('?').next().unwrap_or("/");
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{location}")
    };
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p.to_string(), format!("?{q}")),
        None => (path, String::new()),
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
            }
            s => out.push(s),
        }
        if (*seg == "." || *seg == "..") && i == segments.len() - 1 {
            out.push("");
        }
    }
    let mut joined = out.join("/");
    if !joined.starts_with('/') {
        joined.insert(0, '/');
    }
    format!("{}{joined}{query}", base.origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_parsed_and_redirects_resolved() {
        let base = parse("https://Example.org/licenses/a/index.html?x=1#top").unwrap();
        assert_eq!(base.as_str(), "https://example.org/licenses/a/index.html?x=1");
        assert_eq!(resolve(&base, "/b"), "https://example.org/b");
        assert_eq!(resolve(&base, "b.html"), "https://example.org/licenses/a/b.html");
        assert_eq!(resolve(&base, "../c/"), "https://example.org/licenses/c/");
        assert_eq!(resolve(&base, "//cdn.example.org/x"), "https://cdn.example.org/x");
        assert_eq!(resolve(&base, "?v=2"), "https://example.org/licenses/a/index.html?v=2");
        assert_eq!(resolve(&base, "file:///etc/passwd"), "file:///etc/passwd");
        assert!(parse("file:///etc/passwd").is_err());
        assert!(parse("ftp://x.org/a").is_err());
        assert!(parse("https:///nohost").is_err());
        assert!(is_url("HTTPS://x.org") && is_url("http://x") && !is_url("spdx:MIT"));
    }

    #[test]
    fn redirects_to_other_schemes_and_downgrades_are_refused() {
        let https = parse("https://example.org/a").unwrap();
        let http = parse("http://example.org/a").unwrap();
        assert_eq!(follow(&https, "http://example.org/b"), Err("http://example.org/b".into()));
        assert_eq!(follow(&https, "file:///etc/passwd"), Err("file:///etc/passwd".into()));
        assert_eq!(follow(&http, "ftp://example.org/x"), Err("ftp://example.org/x".into()));
        assert_eq!(follow(&https, "/b").unwrap().as_str(), "https://example.org/b");
        assert_eq!(
            follow(&http, "https://example.org/b").unwrap().as_str(),
            "https://example.org/b"
        );
    }

    #[test]
    fn content_types_are_checked() {
        assert!(check_type("u", "u", "text/html; charset=utf-8", None).is_ok());
        assert!(check_type("u", "u", "application/pdf", None).is_ok());
        let err = check_type("u", "u", "image/png", None).unwrap_err();
        assert!(err.to_string().contains("served as image/png"), "{err}");
        assert!(
            check_type("u", "https://x/l.pdf", "application/octet-stream", Some(b"junk")).is_ok()
        );
        assert!(
            check_type("u", "https://x/l", "application/octet-stream", Some(b"%PDF-1.5")).is_ok()
        );
        assert!(check_type("u", "https://x/l", "application/octet-stream", Some(b"junk")).is_err());
    }
}

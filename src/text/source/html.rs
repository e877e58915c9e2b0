//! The HTML reader: a web page as the license text a browser shows.
//!
//! Parsed with html5ever (through `scraper`), so broken markup is repaired as a browser would
//! and every entity is decoded. The main content is the page's `<main>` (or its only
//! `<article>`, else `<body>`); inside it, what is page chrome rather than text is left out:
//! scripts and styles, `<nav>`, `<aside>`, page-level `<header>` and `<footer>`, form controls
//! (language menus are usually `<select>`s), embedded objects, elements marked `hidden` or
//! `display: none`, screen-reader-only text, breadcrumbs, menus, tables of contents and lists
//! made only of links. Link text is kept and addresses dropped.
//!
//! Ordered lists get the numbers a browser draws: `<ol type="a" start="3">` items become
//! `c.`, `d.`, ..., `<li value>` resets the count, `reversed` counts down, and CSS
//! `list-style-type` given in a `style` attribute wins over `type`. An item whose text already
//! starts with its number (a page that hides the drawn numbers and types them) gets none
//! added. No-break spaces become spaces: on a page they are layout, not wording.

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use super::{Reading, SourceError, decode_declared, mime_charset, number};
use crate::text::load::Encoding;

/// Decode a page: a BOM wins, then the charset of the `Content-Type` header, then a
/// `<meta charset>` in the first bytes; a declared charset must fit the bytes. Without any,
/// UTF-8 is tried and Windows-1252 is the flagged fallback, as for plain text.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Result<(String, Encoding), SourceError> {
    if bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
    {
        let (enc, bom_len) =
            encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_8, 0));
        let name = enc.name().to_ascii_lowercase();
        let (s, _) = decode_declared(&bytes[bom_len..], &name)?;
        let encoding = match name.as_str() {
            "utf-16le" => Encoding::Utf16Le,
            "utf-16be" => Encoding::Utf16Be,
            _ => Encoding::Utf8,
        };
        return Ok((s, encoding));
    }
    let declared = content_type.and_then(mime_charset).or_else(|| meta_charset(bytes));
    match declared {
        Some(cs) => decode_declared(bytes, &cs),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), Encoding::Utf8)),
            Err(_) => {
                let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                Ok((s.into_owned(), Encoding::Windows1252))
            }
        },
    }
}

/// The charset a `<meta charset=...>` or `<meta http-equiv="Content-Type" content="...;
/// charset=...">` declares in the first 4 KiB (the browsers' pre-scan, simplified).
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        let tag = &rest[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if let Some(i) = tag.find("charset") {
            let v = tag[i + "charset".len()..].trim_start();
            if let Some(v) = v.strip_prefix('=') {
                let v = v.trim_start().trim_start_matches(['"', '\'']);
                let end = v.find(|c: char| {
                    c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace()
                });
                let cs = &v[..end.unwrap_or(v.len())];
                if !cs.is_empty() {
                    return Some(cs.to_string());
                }
            }
        }
        rest = &rest[at + 5..];
    }
    None
}

/// Deepest nesting of elements read; browsers stop nesting at a few hundred.
const MAX_DEPTH: usize = 4096;

/// How deep the elements of `src` nest, counted cheaply from its tags and capped at
/// `limit`: elements whose end tag may be left out (`p`, `li`, `td`, ...) and void elements
/// do not count, so sloppy but ordinary pages stay shallow. `<div/>` opens a `div` in HTML
/// (the slash counts only inside SVG and MathML), so it counts as the parser sees it.
fn nesting_depth(src: &str, limit: usize) -> usize {
    let b = src.as_bytes();
    let (mut depth, mut max, mut foreign) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            match memchr::memmem::find(&b[i..], b"-->") {
                Some(e) => i += e + 3,
                None => break,
            }
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let start = i + usize::from(close);
        let mut end = start;
        while end < b.len() && b[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if end == start || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = src[start..end].to_ascii_lowercase();
        let counted = !matches!(
            name.as_str(),
            "p" | "li"
                | "dt"
                | "dd"
                | "tr"
                | "td"
                | "th"
                | "option"
                | "optgroup"
                | "thead"
                | "tbody"
                | "tfoot"
                | "colgroup"
                | "caption"
                | "rb"
                | "rt"
                | "rp"
                | "html"
                | "head"
                | "body"
                | "area"
                | "base"
                | "br"
                | "col"
                | "embed"
                | "hr"
                | "img"
                | "input"
                | "link"
                | "meta"
                | "source"
                | "track"
                | "wbr"
                | "param"
                | "keygen"
        );
        if !counted {
            continue;
        }
        let is_foreign = name == "svg" || name == "math";
        let slash =
            memchr::memchr(b'>', &b[end..]).is_some_and(|g| g > 0 && b[end + g - 1] == b'/');
        let self_closing = slash && (foreign > 0 || is_foreign);
        if close {
            depth = depth.saturating_sub(1);
            if is_foreign {
                foreign = foreign.saturating_sub(1);
            }
        } else if !self_closing {
            if is_foreign {
                foreign += 1;
            }
            depth += 1;
            max = max.max(depth);
            if max >= limit {
                return max;
            }
        }
        i = end;
    }
    max
}

/// Read a decoded page into text.
pub fn read(src: &str, reading: &mut Reading) -> Result<String, SourceError> {
    let depth = nesting_depth(src, MAX_DEPTH);
    if depth >= MAX_DEPTH {
        return Err(SourceError::TooDeep { depth });
    }
    let doc = Html::parse_document(src);
    for el in doc.root_element().descendent_elements() {
        if let name @ ("script" | "style" | "noscript" | "template") = el.value().name() {
            reading.drop_n(
                match name {
                    "script" => "script",
                    "style" => "style",
                    "noscript" => "noscript",
                    _ => "template",
                },
                1,
            );
        }
    }
    let (root, what) = main_content(&doc);
    reading.notes.push(format!("main content: {what}"));
    let mut w = Writer::default();
    let mut lists: Vec<List> = Vec::new();
    let mut skip: Option<NodeId> = None;
    let mut pre = 0usize;
    let mut nbsp = 0usize;
    let mut in_text_labels = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => {
                        let s: &str = t;
                        if s.contains('\u{a0}') {
                            nbsp += s.matches('\u{a0}').count();
                            w.text(&s.replace('\u{a0}', " "), pre > 0);
                        } else {
                            w.text(s, pre > 0);
                        }
                    }
                    Node::Element(_) => {
                        let Some(el) = ElementRef::wrap(node) else { continue };
                        if let Some(what) = dropped(el) {
                            if !what.is_empty() {
                                reading.drop_n(what, 1);
                            }
                            skip = Some(node.id());
                            continue;
                        }
                        let name = el.value().name();
                        match name {
                            "br" => w.line_break(),
                            "pre" | "listing" | "xmp" | "plaintext" => {
                                w.block();
                                pre += 1;
                            }
                            "ol" | "ul" | "menu" | "dir" => {
                                w.block();
                                w.lone_label();
                                lists.push(List::open(el));
                                w.depth += 1;
                            }
                            "li" => {
                                w.block();
                                w.lone_label();
                                if let Some(list) = lists.last_mut()
                                    && let Some(label) = list.next_label(el)
                                {
                                    if starts_with_label(el, &label) {
                                        in_text_labels += 1;
                                    } else {
                                        w.label = Some(format!("{label}."));
                                        reading.labels += 1;
                                    }
                                }
                            }
                            "a" if el.value().attr("href").is_some() => {
                                reading.drop_n("link address", 1)
                            }
                            "q" => w.text("\u{201c}", false),
                            "td" | "th" => w.space(),
                            _ if is_block(name) => w.block(),
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip {
                    if id == node.id() {
                        skip = None;
                    }
                    continue;
                }
                if let Node::Element(el) = node.value() {
                    match el.name() {
                        "pre" | "listing" | "xmp" | "plaintext" => {
                            w.block();
                            pre = pre.saturating_sub(1);
                        }
                        "ol" | "ul" | "menu" | "dir" => {
                            w.block();
                            lists.pop();
                            w.depth = w.depth.saturating_sub(1);
                        }
                        "q" => w.text("\u{201d}", false),
                        "td" | "th" => w.space(),
                        "li" => {
                            w.block();
                            w.lone_label();
                        }
                        name if is_block(name) => w.block(),
                        _ => {}
                    }
                }
            }
        }
    }
    if nbsp > 0 {
        reading.notes.push(format!("{nbsp} no-break space(s) read as spaces"));
    }
    if in_text_labels > 0 {
        reading.notes.push(format!(
            "{in_text_labels} list item(s) already start with their number: none added"
        ));
    }
    Ok(w.finish())
}

/// Elements that start and end a block of text (a line of their own).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "legend"
            | "main"
            | "nav"
            | "p"
            | "section"
            | "summary"
            | "table"
            | "tr"
    )
}

/// The main content of a page and how it was found.
fn main_content(doc: &Html) -> (ElementRef<'_>, &'static str) {
    let text_len = |e: &ElementRef| e.text().map(|t| t.trim().len()).sum::<usize>();
    let all: Vec<ElementRef> = doc.root_element().descendent_elements().collect();
    let main = all
        .iter()
        .filter(|e| e.value().name() == "main" || e.value().attr("role") == Some("main"))
        .max_by_key(|e| text_len(e));
    if let Some(m) = main.filter(|m| text_len(m) > 0) {
        return (*m, "<main>");
    }
    let articles: Vec<&ElementRef> = all.iter().filter(|e| e.value().name() == "article").collect();
    if let [a] = articles.as_slice() {
        return (**a, "its only <article>");
    }
    match all.iter().find(|e| e.value().name() == "body") {
        Some(b) => (*b, "<body>"),
        None => (doc.root_element(), "the whole document"),
    }
}

/// Why an element is left out with all it holds, if it is: the kind for the report, or ""
/// for what is never text (scripts, styles, the head: counted once, elsewhere).
fn dropped(el: ElementRef) -> Option<&'static str> {
    let e = el.value();
    let name = e.name();
    match name {
        "script" | "style" | "noscript" | "template" | "head" | "title" | "meta" | "link"
        | "img" => return Some(""),
        "nav" => return Some("nav"),
        "aside" => return Some("aside"),
        "header" | "footer" if !inside_content(el) => {
            return Some(if name == "header" { "header" } else { "footer" });
        }
        "form" | "select" | "button" | "input" | "textarea" | "option" | "datalist" | "dialog" => {
            return Some("form control");
        }
        "svg" | "iframe" | "object" | "embed" | "canvas" | "video" | "audio" | "map" => {
            return Some("embedded object");
        }
        _ => {}
    }
    if e.attr("hidden").is_some() {
        return Some("hidden element");
    }
    if let Some(style) = e.attr("style") {
        let style: String =
            style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return Some("hidden element");
        }
    }
    if let Some(role) = e.attr("role") {
        let role = role.trim().to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "search"
                | "complementary"
                | "menu"
                | "menubar"
        ) {
            return Some("navigation");
        }
    }
    let tokens = e.classes().chain(e.id()).map(str::to_ascii_lowercase);
    for t in tokens {
        if HIDDEN_TOKENS.contains(&t.as_str()) {
            return Some("screen-reader text");
        }
        if LANGUAGE_TOKENS.contains(&t.as_str()) {
            return Some("language menu");
        }
        if CHROME_TOKENS.contains(&t.as_str()) {
            return Some("navigation");
        }
    }
    if matches!(name, "ul" | "ol" | "menu") && is_link_list(el) {
        return Some("link list");
    }
    None
}

/// Class and id names for text only screen readers get.
const HIDDEN_TOKENS: &[&str] = &[
    "sr-only",
    "is-sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "screen-reader-only",
    "element-invisible",
];

/// Class and id names of language menus.
const LANGUAGE_TOKENS: &[&str] = &[
    "language-switcher",
    "language-selector",
    "language-menu",
    "language-picker",
    "lang-switcher",
    "lang-menu",
    "languages",
    "locale",
    "translations",
];

/// Class and id names of page chrome: navigation, menus, tables of contents.
const CHROME_TOKENS: &[&str] = &[
    "breadcrumb",
    "breadcrumbs",
    "menu",
    "menu-list",
    "navbar",
    "navigation",
    "sidebar",
    "site-header",
    "site-footer",
    "skip-link",
    "skip-links",
    "skip-to-content",
    "toc",
    "table-of-contents",
    "cookie-banner",
    "cookie-notice",
    "pagination",
];

/// Whether `el` is inside the page's content (`<main>`, `<article>`), where a `<header>`
/// holds the document's own title rather than the site's.
fn inside_content(el: ElementRef) -> bool {
    el.ancestors().any(|a| match a.value() {
        Node::Element(e) => {
            matches!(e.name(), "main" | "article") || e.attr("role") == Some("main")
        }
        _ => false,
    })
}

/// A list whose items are all links (a menu, a table of contents).
fn is_link_list(list: ElementRef) -> bool {
    let items: Vec<ElementRef> =
        list.child_elements().filter(|c| c.value().name() == "li").collect();
    if items.len() < 2 {
        return false;
    }
    items.iter().all(|li| {
        let all: usize = li.text().map(|t| t.split_whitespace().map(str::len).sum::<usize>()).sum();
        let links: usize = li
            .descendent_elements()
            .filter(|d| d.value().name() == "a")
            .flat_map(|a| a.text())
            .map(|t| t.split_whitespace().map(str::len).sum::<usize>())
            .sum();
        all > 0 && links * 10 >= all * 9
    })
}

/// How an ordered list draws its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Decimal,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
    /// Bullets or nothing: no number to write.
    None,
}

impl Marker {
    fn from_type(t: &str) -> Option<Marker> {
        match t.trim() {
            "1" => Some(Marker::Decimal),
            "a" => Some(Marker::LowerAlpha),
            "A" => Some(Marker::UpperAlpha),
            "i" => Some(Marker::LowerRoman),
            "I" => Some(Marker::UpperRoman),
            _ => None,
        }
    }

    /// The `list-style-type` (or `list-style` shorthand) of an inline style, if any.
    fn from_style(style: &str) -> Option<Marker> {
        for decl in style.split(';') {
            let Some((prop, value)) = decl.split_once(':') else { continue };
            let prop = prop.trim().to_ascii_lowercase();
            if prop != "list-style-type" && prop != "list-style" {
                continue;
            }
            for word in value.split_whitespace() {
                let m = match word.to_ascii_lowercase().as_str() {
                    "decimal" | "decimal-leading-zero" => Marker::Decimal,
                    "lower-alpha" | "lower-latin" => Marker::LowerAlpha,
                    "upper-alpha" | "upper-latin" => Marker::UpperAlpha,
                    "lower-roman" => Marker::LowerRoman,
                    "upper-roman" => Marker::UpperRoman,
                    "none" | "disc" | "circle" | "square" | "disclosure-open"
                    | "disclosure-closed" => Marker::None,
                    _ => continue,
                };
                return Some(m);
            }
        }
        None
    }

    fn format(self, n: i64) -> Option<String> {
        let pos = u32::try_from(n).ok().filter(|&v| v > 0);
        Some(match (self, pos) {
            (Marker::None, _) => return None,
            (Marker::Decimal, _) | (_, None) => n.to_string(),
            (Marker::LowerAlpha, Some(v)) => number::letters(v, false),
            (Marker::UpperAlpha, Some(v)) => number::letters(v, true),
            (Marker::LowerRoman, Some(v)) => number::roman(v, false),
            (Marker::UpperRoman, Some(v)) => number::roman(v, true),
        })
    }
}

/// An open `<ol>` or `<ul>` and its counter.
struct List {
    marker: Marker,
    next: i64,
    step: i64,
}

impl List {
    fn open(el: ElementRef) -> List {
        let e = el.value();
        let ordered = e.name() == "ol";
        let mut marker = if ordered {
            e.attr("type").and_then(Marker::from_type).unwrap_or(Marker::Decimal)
        } else {
            Marker::None
        };
        if let Some(m) = e.attr("style").and_then(Marker::from_style) {
            marker = m;
        }
        let reversed = ordered && e.attr("reversed").is_some();
        let items = || el.child_elements().filter(|c| c.value().name() == "li").count() as i64;
        let start = e.attr("start").and_then(|s| s.trim().parse::<i64>().ok());
        let next = start.unwrap_or(if reversed { items() } else { 1 });
        List { marker, next, step: if reversed { -1 } else { 1 } }
    }

    /// The number of the next item (its `value` attribute resets the count), or `None` for
    /// a list that draws none.
    fn next_label(&mut self, li: ElementRef) -> Option<String> {
        if let Some(v) = li.value().attr("value").and_then(|v| v.trim().parse::<i64>().ok()) {
            self.next = v;
        }
        let n = self.next;
        self.next = self.next.saturating_add(self.step);
        let own = li.value().attr("style").and_then(Marker::from_style);
        own.unwrap_or(self.marker).format(n)
    }
}

/// Whether the item's text already starts with `label` (`1.`, `(a)`, `a)`): a page that
/// types its numbers and hides the drawn ones.
fn starts_with_label(li: ElementRef, label: &str) -> bool {
    let first = li.text().flat_map(|t| t.split_whitespace()).next().unwrap_or("");
    let core = first.trim_start_matches('(').trim_end_matches(['.', ')', ':']);
    !core.is_empty() && core == label && first != core
}

/// Lines of text being written: whitespace collapsed as a browser does, one block per line,
/// a blank line between blocks.
#[derive(Default)]
struct Writer {
    lines: Vec<String>,
    cur: String,
    /// White space seen since the last character.
    space: bool,
    /// A blank line is due before the next line.
    blank: bool,
    /// List nesting: lines are indented four spaces per level.
    depth: usize,
    /// Indentation of the line being written (taken when it starts).
    cur_depth: usize,
    /// A list number to put before the item's first text.
    label: Option<String>,
}

impl Writer {
    fn start(&mut self) {
        self.cur_depth = self.depth;
        if let Some(l) = self.label.take() {
            self.cur.push_str(&l);
            self.cur.push(' ');
        }
        self.space = false;
    }

    fn text(&mut self, s: &str, pre: bool) {
        if pre {
            for (i, part) in s.split('\n').enumerate() {
                if i > 0 {
                    if self.cur.is_empty() && self.label.is_none() {
                        self.push_line(String::new());
                    } else {
                        self.flush(false);
                    }
                }
                if !part.is_empty() {
                    if self.cur.is_empty() {
                        self.start();
                    }
                    self.cur.push_str(part);
                }
            }
            return;
        }
        for c in s.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
                self.space = true;
                continue;
            }
            if self.cur.is_empty() {
                self.start();
            } else if self.space {
                self.cur.push(' ');
                self.space = false;
            }
            self.cur.push(c);
        }
    }

    /// A table cell boundary: words of two cells do not run together.
    fn space(&mut self) {
        self.space = true;
    }

    fn push_line(&mut self, line: String) {
        if self.blank && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
        self.blank = false;
        self.lines.push(line);
    }

    /// A list number still waiting for text when the next item starts or its own ends (an
    /// item whose first content is a nested list, or an empty one): it stands alone, as a
    /// browser draws it.
    fn lone_label(&mut self) {
        if self.label.is_some() {
            self.start();
            self.flush(true);
        }
    }

    /// End the current line; `blank` asks for a blank line before the next one.
    fn flush(&mut self, blank: bool) {
        let line = self.cur.trim_end().to_string();
        self.cur.clear();
        self.space = false;
        if !line.is_empty() {
            let indent = "    ".repeat(self.cur_depth.min(12));
            self.push_line(format!("{indent}{line}"));
        }
        if blank {
            self.blank = true;
        }
    }

    fn block(&mut self) {
        self.flush(true);
    }

    fn line_break(&mut self) {
        if self.cur.is_empty() {
            self.blank = true;
        } else {
            self.flush(false);
        }
    }

    fn finish(mut self) -> String {
        self.flush(false);
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::*;

    fn text(html: &str) -> (String, Reading) {
        let mut r = Reading::new(Format::Html, "test");
        (read(html, &mut r).unwrap(), r)
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing_and_ordinary_pages_are_shallow() {
        let deep = format!("{}1. deep{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let mut r = Reading::new(Format::Html, "test");
        let started = std::time::Instant::now();
        assert_eq!(read(&deep, &mut r), Err(SourceError::TooDeep { depth: MAX_DEPTH }));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // Unclosed paragraphs and items, void and self-closed elements, comments: shallow.
        let sloppy = format!(
            "<ul>{}</ul><!-- <div><div> --><br/><svg>{}</svg>",
            "<li><p>x<img>".repeat(10_000),
            "<path d=\"M0 0\"/>".repeat(10_000)
        );
        assert_eq!(nesting_depth(&sloppy, MAX_DEPTH), 1);
        // In HTML the slash of `<div/>` closes nothing.
        assert_eq!(nesting_depth(&"<div/>".repeat(5000), MAX_DEPTH), MAX_DEPTH);
    }

    #[test]
    fn ordered_lists_are_numbered_as_a_browser_draws_them() {
        let (t, r) = text(
            "<p>Section 2 &ndash; Scope.</p><ol type=\"a\"><li>License grant.<ol>\
             <li>Subject to:<ol type=\"A\"><li>reproduce;</li><li>produce.</li></ol></li>\
             <li value=\"5\">Downstream.</li><li>Next.</li></ol></li>\
             <li><p>Other rights.</p></li></ol><ol type=\"i\" start=\"3\"><li>third</li></ol>\
             <ol reversed><li>two</li><li>one</li></ol><ol style=\"list-style-type: upper-roman\">\
             <li>one</li></ol>",
        );
        assert_eq!(
            t,
            "Section 2 \u{2013} Scope.\n\n    a. License grant.\n\n        1. Subject to:\n\n\
             \x20           A. reproduce;\n\n            B. produce.\n\n        5. Downstream.\n\n\
             \x20       6. Next.\n\n    b. Other rights.\n\n    iii. third\n\n    2. two\n\n\
             \x20   1. one\n\n    I. one\n"
        );
        assert_eq!(r.labels, 11);
    }

    #[test]
    fn chrome_is_dropped_and_counted() {
        let (t, r) = text(
            "<html><head><title>T</title><script>var x=1;</script><style>p{}</style></head>\
             <body><header><nav><a href=/>Home</a></nav></header><div class=\"locale\">\
             Languages <select><option>English</option></select></div>\
             <ul class=\"x\"><li><a href=\"#1\">1. One</a></li><li><a href=\"#2\">2. Two</a></li></ul>\
             <p>1. One <a href=\"https://example.org\">link text</a>&nbsp;kept.<span class=\"sr-only\">\
             skip</span></p><p hidden>secret</p><p style=\"display: none\">gone</p>\
             <footer>Copyright site</footer><script>y()</script></body></html>",
        );
        assert_eq!(t, "1. One link text kept.\n");
        let d: Vec<(&str, usize)> = r.dropped.iter().map(|d| (d.what, d.count)).collect();
        assert_eq!(
            d,
            [
                ("script", 2),
                ("style", 1),
                ("header", 1),
                ("language menu", 1),
                ("link list", 1),
                ("link address", 1),
                ("screen-reader text", 1),
                ("hidden element", 2),
                ("footer", 1),
            ]
        );
        assert!(r.notes.iter().any(|n| n == "1 no-break space(s) read as spaces"), "{r:?}");
    }

    #[test]
    fn main_content_breaks_pre_and_typed_numbers() {
        let (t, _) = text(
            "<body><p>site intro</p><main><h1>License<br>Version 2</h1><pre>  1. kept\n\n  \
             as is</pre><ol style=\"list-style:none\"><li>1. Typed</li></ol><ol><li>1. Typed \
             too</li><li>(2) Typed</li></ol></main></body>",
        );
        assert_eq!(
            t,
            "License\nVersion 2\n\n  1. kept\n\n  as is\n\n    1. Typed\n\n    1. Typed too\n\n    \
             (2) Typed\n"
        );
    }

    #[test]
    fn charsets_from_header_meta_or_bom() {
        let (s, e) = decode(b"<meta charset=\"iso-8859-1\"><p>caf\xe9", None).unwrap();
        assert!(s.ends_with("caf\u{e9}") && e.as_str() == "windows-1252", "{s} {e:?}");
        let (s, _) = decode(b"<p>caf\xc3\xa9", Some("text/html; charset=utf-8")).unwrap();
        assert!(s.ends_with("caf\u{e9}"));
        let err = decode(b"<p>caf\xe9", Some("text/html; charset=utf-8")).unwrap_err();
        assert!(matches!(err, SourceError::BadCharset { offset: 6, .. }), "{err:?}");
        let (_, e) = decode(b"<p>caf\xe9", None).unwrap();
        assert_eq!(e, Encoding::Windows1252);
        assert_eq!(
            meta_charset(b"<meta http-equiv=Content-Type content=\"text/html; charset=UTF-8\">"),
            Some("utf-8".into())
        );
    }
}

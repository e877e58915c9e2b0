//! The ODT reader: a LibreOffice (OpenDocument) text's paragraphs, with the numbers it draws.
//!
//! Numbers come from list styles (`text:list-style`, in `content.xml` or `styles.xml`): each
//! level has a `style:num-format` (`1`, `a`, `A`, `i`, `I`), a prefix and suffix, a
//! `text:start-value` and `text:display-levels` (2 writes `1.1`). Lists nest by `text:list`
//! inside `text:list-item`; a new top-level list starts its numbering again unless it says
//! `text:continue-numbering` or `text:continue-list`; `text:start-value` on an item restarts
//! the count there. Headings (`text:h`) are numbered by the document's outline style, which
//! runs through the whole document. The cached rendering of a number some producers write
//! (`text:number`) is not used: the reader counts for itself, as it must for documents that
//! do not carry one.
//!
//! Left out: footnotes and endnotes, comments, tracked changes, tables of contents and
//! indexes (generated copies of headings), and the master pages' headers and footers.

use std::collections::HashMap;

use super::xml::{Ev, Package, events};
use super::{Format, Reading, SourceError, number};

/// Key of the outline style's counters (headings), which never restart with a new list.
const OUTLINE: &str = "\u{0}outline";
/// Levels ODF allows.
const LEVELS: usize = 10;

pub fn read(bytes: &[u8], reading: &mut Reading) -> Result<String, SourceError> {
    if !bytes.starts_with(b"PK") && is_flat(bytes) {
        return read_flat(bytes, reading);
    }
    let mut pkg = Package::open(bytes, Format::Odt)?;
    let Some(content) = pkg.part("content.xml")? else {
        return Err(SourceError::UnknownZip);
    };
    let mut styles = Styles::default();
    if let Some(x) = pkg.part("styles.xml")? {
        let ev = events("styles.xml", &x)?;
        styles.collect(&ev);
        let header_footer = ev
            .iter()
            .filter(|e| matches!(e, Ev::Start { name, .. } if name == "header" || name == "footer"))
            .count();
        reading.drop_n("page header or footer", header_footer);
    }
    let ev = events("content.xml", &content)?;
    styles.collect(&ev);
    Ok(Body::new(&styles, reading).run(&ev))
}

/// Whether `bytes` are a flat OpenDocument text (`.fodt`: one XML file, no ZIP).
pub fn is_flat(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    memchr::memmem::find(head, b"office:document").is_some()
        && memchr::memmem::find(head, b"application/vnd.oasis.opendocument.text").is_some()
}

/// A flat OpenDocument text: styles and body in one XML document.
fn read_flat(bytes: &[u8], reading: &mut Reading) -> Result<String, SourceError> {
    let xml =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            SourceError::BrokenXml {
                part: "the document".into(),
                detail: format!("not UTF-8 at byte {}", e.valid_up_to()),
            }
        })?;
    let ev = events("the document", xml)?;
    let mut styles = Styles::default();
    styles.collect(&ev);
    let header_footer = ev
        .iter()
        .filter(|e| matches!(e, Ev::Start { name, .. } if name == "header" || name == "footer"))
        .count();
    reading.drop_n("page header or footer", header_footer);
    Ok(Body::new(&styles, reading).run(&ev))
}

/// How one list level writes its number.
#[derive(Debug, Clone)]
struct LevelStyle {
    /// `1`, `a`, `A`, `i`, `I`; empty for bullets and images (no number).
    format: String,
    prefix: String,
    suffix: String,
    display: usize,
    start: i64,
}

impl Default for LevelStyle {
    fn default() -> Self {
        LevelStyle {
            format: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            display: 1,
            start: 1,
        }
    }
}

#[derive(Debug, Default)]
struct Styles {
    /// List styles (and the outline style, under its name and [`OUTLINE`]) by name.
    lists: HashMap<String, HashMap<usize, LevelStyle>>,
    /// Paragraph styles that attach a list style: style name -> (list style, parent).
    paragraphs: HashMap<String, (Option<String>, Option<String>)>,
    /// The outline style's name (lists that wrap headings use it).
    outline: Option<String>,
}

impl Styles {
    fn collect(&mut self, ev: &[Ev]) {
        let mut cur_list: Option<String> = None;
        for e in ev {
            match e {
                Ev::Start { name, .. } => match name.as_str() {
                    "list-style" => {
                        let n = e.attr("name").unwrap_or("").to_string();
                        self.lists.entry(n.clone()).or_default();
                        cur_list = Some(n);
                    }
                    "outline-style" => {
                        let n = e.attr("name").unwrap_or("Outline").to_string();
                        self.lists.entry(n.clone()).or_default();
                        self.outline = Some(n.clone());
                        cur_list = Some(n);
                    }
                    "list-level-style-number"
                    | "outline-level-style"
                    | "list-level-style-bullet"
                    | "list-level-style-image" => {
                        let Some(list) = &cur_list else { continue };
                        let level: usize =
                            e.attr("level").and_then(|v| v.parse().ok()).unwrap_or(1);
                        let numbered = matches!(
                            name.as_str(),
                            "list-level-style-number" | "outline-level-style"
                        );
                        let style = LevelStyle {
                            format: if numbered {
                                e.attr("num-format").unwrap_or("").to_string()
                            } else {
                                String::new()
                            },
                            prefix: e.attr("num-prefix").unwrap_or("").to_string(),
                            suffix: e.attr("num-suffix").unwrap_or("").to_string(),
                            display: e
                                .attr("display-levels")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1),
                            start: e.attr("start-value").and_then(|v| v.parse().ok()).unwrap_or(1),
                        };
                        if let Some(l) = self.lists.get_mut(list) {
                            l.insert(level, style);
                        }
                    }
                    "style" if e.attr("family") == Some("paragraph") => {
                        let n = e.attr("name").unwrap_or("").to_string();
                        let list = e.attr("list-style-name").map(str::to_string);
                        let parent = e.attr("parent-style-name").map(str::to_string);
                        self.paragraphs.insert(n, (list, parent));
                    }
                    _ => {}
                },
                Ev::End { name } if name == "list-style" || name == "outline-style" => {
                    if name == "outline-style"
                        && let Some(l) = cur_list.as_ref().and_then(|n| self.lists.get(n)).cloned()
                    {
                        self.lists.insert(OUTLINE.to_string(), l);
                    }
                    cur_list = None;
                }
                _ => {}
            }
        }
    }

    fn level(&self, list: &str, level: usize) -> Option<&LevelStyle> {
        self.lists.get(list)?.get(&level)
    }

    /// The list style a paragraph style attaches, through its parents.
    fn paragraph_list(&self, style: &str) -> Option<String> {
        let mut s = style.to_string();
        for _ in 0..16 {
            let (list, parent) = self.paragraphs.get(&s)?;
            if let Some(l) = list.as_ref().filter(|l| !l.is_empty()) {
                return Some(l.clone());
            }
            s = parent.clone()?;
        }
        None
    }
}

/// An open `text:list`.
struct List {
    style: String,
}

struct Body<'a> {
    styles: &'a Styles,
    reading: &'a mut Reading,
    counters: HashMap<String, [Option<i64>; LEVELS + 1]>,
    lines: Vec<String>,
}

/// A paragraph being read.
struct Para {
    label: Option<String>,
    depth: usize,
    text: String,
}

/// Elements whose content is never text of the document, and how the report names them.
fn left_out(name: &str) -> Option<&'static str> {
    Some(match name {
        "note" => "footnote or endnote",
        "annotation" => "comment",
        "tracked-changes" => "tracked changes",
        "table-of-content" | "alphabetical-index" | "illustration-index" | "table-index"
        | "object-index" | "user-index" | "bibliography" => "table of contents or index",
        "number" | "title" | "desc" | "sequence-decls" | "variable-decls" | "user-field-decls"
        | "forms" | "automatic-styles" | "font-face-decls" | "scripts" | "styles"
        | "master-styles" => "",
        _ => return None,
    })
}

impl<'a> Body<'a> {
    fn new(styles: &'a Styles, reading: &'a mut Reading) -> Self {
        Body { styles, reading, counters: HashMap::new(), lines: Vec::new() }
    }

    fn run(mut self, ev: &[Ev]) -> String {
        let mut lists: Vec<List> = Vec::new();
        let mut paras: Vec<Para> = Vec::new();
        let mut pending: Option<String> = None;
        let mut skip: Option<usize> = None;
        let mut depth = 0usize;
        for e in ev {
            match e {
                Ev::Start { name, .. } => {
                    depth += 1;
                    if skip.is_some() {
                        continue;
                    }
                    if let Some(what) = left_out(name) {
                        if !what.is_empty() {
                            self.reading.drop_n(what, 1);
                        }
                        skip = Some(depth);
                        continue;
                    }
                    match name.as_str() {
                        "list" => {
                            let style = e
                                .attr("style-name")
                                .map(str::to_string)
                                .or_else(|| lists.last().map(|l| l.style.clone()))
                                .unwrap_or_default();
                            let continues = e.attr("continue-numbering") == Some("true")
                                || e.attr("continue-list").is_some();
                            if lists.is_empty() && !continues && !self.is_outline(&style) {
                                self.counters.remove(&style);
                            }
                            lists.push(List { style });
                        }
                        "list-item" | "list-header" => {
                            if let Some(l) = pending.take() {
                                // The previous item had no paragraph of its own.
                                self.write(Para {
                                    label: Some(l),
                                    depth: lists.len(),
                                    text: String::new(),
                                });
                            }
                            if name == "list-item" {
                                let start = e.attr("start-value").and_then(|v| v.parse().ok());
                                if let Some(list) = lists.last() {
                                    pending = self.count(&list.style.clone(), lists.len(), start);
                                }
                            }
                        }
                        "p" | "h" => {
                            let mut label = pending.take();
                            let in_list = !lists.is_empty();
                            if name == "h" && !in_list && e.attr("is-list-header") != Some("true") {
                                let level = e
                                    .attr("outline-level")
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(1);
                                let start =
                                    (e.attr("restart-numbering") == Some("true")).then(|| {
                                        e.attr("start-value")
                                            .and_then(|v| v.parse().ok())
                                            .unwrap_or(1)
                                    });
                                label = self.count(OUTLINE, level, start);
                            } else if name == "p" && !in_list && label.is_none() {
                                // A paragraph style may attach a list style of its own.
                                if let Some(list) =
                                    e.attr("style-name").and_then(|s| self.styles.paragraph_list(s))
                                {
                                    label = self.count(&list, 1, None);
                                }
                            }
                            paras.push(Para { label, depth: lists.len(), text: String::new() });
                        }
                        "s" => {
                            let n: usize = e.attr("c").and_then(|v| v.parse().ok()).unwrap_or(1);
                            push(&mut paras, &" ".repeat(n.min(1000)));
                        }
                        "tab" => push(&mut paras, "\t"),
                        "line-break" => push(&mut paras, "\n"),
                        _ => {}
                    }
                }
                Ev::End { name } => {
                    if let Some(d) = skip {
                        if depth == d {
                            skip = None;
                        }
                        depth -= 1;
                        continue;
                    }
                    depth -= 1;
                    match name.as_str() {
                        "list" => {
                            lists.pop();
                        }
                        "list-item" => {
                            if let Some(l) = pending.take() {
                                self.write(Para {
                                    label: Some(l),
                                    depth: lists.len(),
                                    text: String::new(),
                                });
                            }
                        }
                        "p" | "h" => {
                            if let Some(p) = paras.pop() {
                                self.write(p);
                            }
                        }
                        _ => {}
                    }
                }
                Ev::Text(t) => {
                    if skip.is_none() {
                        // ODF collapses white space in text as HTML does; `text:s` and
                        // `text:tab` carry the meaningful ones.
                        let mut s = String::with_capacity(t.len());
                        let mut space = false;
                        for c in t.chars() {
                            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                                space = true;
                            } else {
                                if space {
                                    s.push(' ');
                                    space = false;
                                }
                                s.push(c);
                            }
                        }
                        if space {
                            s.push(' ');
                        }
                        push(&mut paras, &s);
                    }
                }
            }
        }
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    fn is_outline(&self, style: &str) -> bool {
        style == OUTLINE || self.styles.outline.as_deref() == Some(style)
    }

    /// Count an item at `level` (1-based) of `list` and return its label, if the level
    /// draws a number.
    fn count(&mut self, list: &str, level: usize, start: Option<i64>) -> Option<String> {
        let level = level.clamp(1, LEVELS);
        let styles = self.styles;
        let key = if self.is_outline(list) { OUTLINE.to_string() } else { list.to_string() };
        let style_of = |l: usize| styles.level(if key == OUTLINE { OUTLINE } else { list }, l);
        let this = style_of(level).cloned().unwrap_or_default();
        let counters = self.counters.entry(key.clone()).or_insert([None; LEVELS + 1]);
        counters[level] = Some(match (start, counters[level]) {
            (Some(s), _) => s,
            (None, Some(v)) => v + 1,
            (None, None) => this.start,
        });
        for c in counters.iter_mut().skip(level + 1) {
            *c = None;
        }
        if this.format.is_empty() {
            return None;
        }
        let counters = *counters;
        let first = level + 1 - this.display.clamp(1, level);
        let parts: Vec<String> = (first..=level)
            .map(|l| {
                let st = style_of(l).cloned().unwrap_or_default();
                let v = counters[l].unwrap_or(st.start);
                format_number(v, if st.format.is_empty() { "1" } else { &st.format })
            })
            .collect();
        self.reading.labels += 1;
        Some(format!("{}{}{}", this.prefix, parts.join("."), this.suffix))
    }

    fn write(&mut self, p: Para) {
        let text = p.text.trim().to_string();
        if text.is_empty() && p.label.is_none() {
            return;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        let indent = "    ".repeat(p.depth.saturating_sub(1).min(12));
        let body = match p.label {
            Some(l) if text.is_empty() => l,
            Some(l) => format!("{l} {text}"),
            None => text,
        };
        for line in body.split('\n') {
            self.lines.push(format!("{indent}{}", line.trim()));
        }
    }
}

fn push(paras: &mut [Para], s: &str) {
    if let Some(p) = paras.last_mut() {
        p.text.push_str(s);
    }
}

/// A counter value in an ODF `style:num-format`.
fn format_number(v: i64, format: &str) -> String {
    let pos = u32::try_from(v).ok().filter(|&n| n > 0);
    match (format, pos) {
        ("a", Some(n)) => number::letters(n, false),
        ("A", Some(n)) => number::letters(n, true),
        ("i", Some(n)) => number::roman(n, false),
        ("I", Some(n)) => number::roman(n, true),
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<office:document-styles xmlns:text="t" xmlns:style="s" xmlns:office="o">
      <text:outline-style style:name="Outline">
        <text:outline-level-style text:level="1" style:num-format="1" style:num-suffix="."/>
        <text:outline-level-style text:level="2" style:num-format="1" text:display-levels="2"/>
      </text:outline-style>
      <text:list-style style:name="Clauses">
        <text:list-level-style-number text:level="1" style:num-format="a" style:num-prefix="(" style:num-suffix=")"/>
        <text:list-level-style-number text:level="2" style:num-format="i" style:num-suffix="."/>
      </text:list-style>
      <text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1"/></text:list-style>
    </office:document-styles>"#;

    fn body(content: &str) -> String {
        let mut styles = Styles::default();
        styles.collect(&events("styles.xml", STYLES).unwrap());
        let xml = format!(
            "<office:document-content xmlns:text=\"t\" xmlns:office=\"o\"><office:body><office:text>{content}</office:text></office:body></office:document-content>"
        );
        let mut r = Reading::new(Format::Odt, "test");
        Body::new(&styles, &mut r).run(&events("content.xml", &xml).unwrap())
    }

    #[test]
    fn outline_and_list_numbering_is_written_out() {
        let t = body(
            "<text:h text:outline-level=\"1\">Definitions</text:h>\
             <text:h text:outline-level=\"2\">Licensor <text:s text:c=\"2\"/>means</text:h>\
             <text:list text:style-name=\"Clauses\"><text:list-item><text:p>first</text:p>\
               <text:list><text:list-item><text:p>roman</text:p></text:list-item></text:list></text:list-item>\
               <text:list-item><text:p>second<text:note><text:note-body><text:p>a note</text:p></text:note-body></text:note></text:p></text:list-item></text:list>\
             <text:p>between</text:p>\
             <text:list text:style-name=\"Clauses\" text:continue-numbering=\"true\"><text:list-item><text:p>third</text:p></text:list-item></text:list>\
             <text:list text:style-name=\"Clauses\"><text:list-item><text:p>restarted</text:p></text:list-item>\
               <text:list-item text:start-value=\"5\"><text:p>fifth</text:p></text:list-item></text:list>\
             <text:list text:style-name=\"Bullets\"><text:list-item><text:p>bullet</text:p></text:list-item></text:list>\
             <text:h text:outline-level=\"1\">Grant</text:h><text:h text:outline-level=\"2\">Grant <text:tab/>text</text:h>",
        );
        assert_eq!(
            t,
            "1. Definitions\n\n1.1 Licensor   means\n\n(a) first\n\n    i. roman\n\n(b) second\n\n\
             between\n\n(c) third\n\n(a) restarted\n\n(e) fifth\n\nbullet\n\n2. Grant\n\n2.1 Grant \ttext\n"
        );
    }

    #[test]
    fn a_zip_without_content_is_not_an_odt() {
        let mut r = Reading::new(Format::Odt, "test");
        let err = read(b"not a zip at all", &mut r).unwrap_err();
        assert!(matches!(err, SourceError::BrokenZip { format: Format::Odt, .. }), "{err:?}");
    }
}

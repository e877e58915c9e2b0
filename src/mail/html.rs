//! HTML mail into plain text: paragraphs, lists and quotes, the way a person reads it.
//!
//! Every `<blockquote>` is a quote, and its lines get a `> ` per level (`<blockquote
//! type="cite">` of Apple Mail and Thunderbird, Gmail's `gmail_quote`, ...), so that the
//! quoted history can be recovered from the text alone (see [`super::history`]); the id a
//! Thunderbird quote records (`cite="mid:…"`) is kept beside the text. Thunderbird's
//! `moz-cite-prefix` and Apple Mail's attribution `<div>` come out as the attribution line
//! they show. Scripts, styles and the head are dropped; `<pre>` keeps its lines, and
//! quoted-printable debris in it (`gioved=C3=AC`, soft line breaks) is decoded.
//!
//! The walk over the tree is a loop, not recursion, and quotes deeper than [`MAX_DEPTH`]
//! are written at that depth: ten thousand nested quotes cost time, not the stack.

use super::QuoteId;
use super::clean;

/// Deepest quote written as such; deeper ones are flattened into it.
pub const MAX_DEPTH: usize = 100;

/// The text of an HTML message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlText {
    pub text: String,
    /// `cite="mid:…"` of quotes, with their depth and first line.
    pub quote_ids: Vec<QuoteId>,
    /// Quotes were nested deeper than [`MAX_DEPTH`].
    pub flattened: bool,
}

/// Whether bytes look like an HTML document rather than text (a saved page, or a text part
/// that is HTML in disguise).
pub fn looks_like_html(s: &str) -> bool {
    let head: String = s.trim_start().chars().take(512).collect::<String>().to_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<body")
        || (head.starts_with('<')
            && (head.contains("<div") || head.contains("<p>") || head.contains("<head")))
}

/// Convert an HTML message (or fragment) to text.
pub fn to_text(html: &str) -> HtmlText {
    let doc = scraper::Html::parse_document(html);
    let mut w = Writer::default();
    let root = doc.tree.root();
    let mut node = root;
    // Iterative depth-first walk: open a node, go down, else close and go across or up.
    'walk: loop {
        let descend = w.open(node.value());
        if descend && let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        loop {
            w.close(node.value());
            if node.id() == root.id() {
                break 'walk;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                break;
            }
            match node.parent() {
                Some(p) => node = p,
                None => break 'walk,
            }
        }
    }
    w.finish()
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "title"
            | "template"
            | "noscript"
            | "iframe"
            | "object"
            | "svg"
            | "math"
            | "select"
    )
}

fn is_paragraph(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "pre"
            | "blockquote"
            | "hr"
            | "figure"
    )
}

fn is_line_block(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "li"
            | "tr"
            | "dt"
            | "dd"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "address"
            | "center"
            | "form"
            | "main"
            | "nav"
            | "aside"
            | "tbody"
            | "thead"
            | "caption"
    )
}

#[derive(Default)]
struct Writer {
    lines: Vec<(usize, String)>,
    cur: String,
    cur_depth: usize,
    depth: usize,
    /// Quotes opened beyond [`MAX_DEPTH`], still open.
    overflow: usize,
    flattened: bool,
    /// Inside this many skipped elements (scripts, styles, ...).
    skip: usize,
    /// Inside this many `<pre>`; their text collects in `pre_buf`.
    pre: usize,
    pre_buf: String,
    lists: Vec<(bool, usize)>,
    pending_blank: bool,
    quote_ids: Vec<QuoteId>,
}

impl Writer {
    /// Enter a node; false when its content is skipped.
    fn open(&mut self, n: &scraper::Node) -> bool {
        match n {
            scraper::Node::Text(t) => {
                if self.skip == 0 {
                    self.text(t);
                }
                true
            }
            scraper::Node::Element(e) => {
                let name = e.name();
                if is_skipped(name) {
                    self.skip += 1;
                    return false;
                }
                if self.skip > 0 {
                    return true;
                }
                if self.pre > 0 && (is_paragraph(name) || is_line_block(name) || name == "br") {
                    self.flush_pre();
                }
                match name {
                    "br" => self.hard_break(),
                    "blockquote" => {
                        self.paragraph();
                        if self.depth < MAX_DEPTH {
                            self.depth += 1;
                        } else {
                            self.overflow += 1;
                            self.flattened = true;
                        }
                        if let Some(mid) = e.attr("cite").and_then(|c| c.strip_prefix("mid:")) {
                            let mid = mid.trim().trim_start_matches('<').trim_end_matches('>');
                            if !mid.is_empty() {
                                self.quote_ids.push(QuoteId {
                                    depth: self.depth,
                                    line: self.lines.len(),
                                    message_id: mid.to_string(),
                                });
                            }
                        }
                    }
                    "pre" => {
                        self.paragraph();
                        self.pre += 1;
                    }
                    "ul" | "ol" => {
                        self.paragraph();
                        self.lists.push((name == "ol", 0));
                    }
                    "li" => {
                        self.line();
                        let indent = "  ".repeat(self.lists.len().saturating_sub(1));
                        let bullet = match self.lists.last_mut() {
                            Some((true, n)) => {
                                *n += 1;
                                format!("{indent}{n}. ")
                            }
                            _ => format!("{indent}- "),
                        };
                        self.word(&bullet);
                    }
                    "td" | "th" if !self.cur.trim().is_empty() && !self.cur.ends_with(' ') => {
                        self.cur.push(' ');
                    }
                    "img" => {
                        if let Some(alt) = e.attr("alt").filter(|a| !a.trim().is_empty()) {
                            self.text(alt);
                        }
                    }
                    _ if is_paragraph(name) => self.paragraph(),
                    _ if is_line_block(name) => self.line(),
                    _ => {}
                }
                true
            }
            _ => true,
        }
    }

    /// Leave a node.
    fn close(&mut self, n: &scraper::Node) {
        let scraper::Node::Element(e) = n else { return };
        let name = e.name();
        if is_skipped(name) {
            // A skipped element nested in another skipped one was counted too.
            self.skip = self.skip.saturating_sub(1);
            return;
        }
        if self.skip > 0 {
            return;
        }
        match name {
            "blockquote" => {
                self.flush_pre();
                self.paragraph_end();
                if self.overflow > 0 {
                    self.overflow -= 1;
                } else {
                    self.depth = self.depth.saturating_sub(1);
                }
            }
            "pre" => {
                self.pre = self.pre.saturating_sub(1);
                if self.pre == 0 {
                    self.flush_pre();
                }
                self.paragraph_end();
            }
            "ul" | "ol" => {
                self.lists.pop();
                self.paragraph_end();
            }
            _ if is_paragraph(name) => self.paragraph_end(),
            _ if is_line_block(name) => self.line(),
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre > 0 {
            self.pre_buf.push_str(t);
            return;
        }
        let mut space = self.cur.is_empty() || self.cur.ends_with(' ');
        let mut piece = String::with_capacity(t.len());
        for c in t.chars() {
            if c.is_whitespace() {
                if !space {
                    piece.push(' ');
                    space = true;
                }
            } else {
                piece.push(c);
                space = false;
            }
        }
        if !piece.trim().is_empty() || !self.cur.is_empty() {
            self.word(&piece);
        }
    }

    /// Append to the current line, starting it (at the current depth) if needed.
    fn word(&mut self, s: &str) {
        if self.cur.is_empty() {
            let s = s.trim_start();
            if s.is_empty() {
                return;
            }
            if self.pending_blank {
                self.blank();
            }
            self.cur_depth = self.depth;
        }
        self.cur.push_str(s);
    }

    fn flush_pre(&mut self) {
        if self.pre_buf.is_empty() {
            return;
        }
        let buf = std::mem::take(&mut self.pre_buf);
        let buf = buf.replace("\r\n", "\n");
        let text = clean::decode_qp_debris(&buf).unwrap_or(buf);
        let text = text.trim_matches('\n');
        for (i, l) in text.split('\n').enumerate() {
            if i > 0 {
                self.hard_break();
            }
            if l.trim().is_empty() {
                continue;
            }
            self.word(l.trim_end());
        }
        self.line();
    }

    /// End the current line, if it has anything.
    fn line(&mut self) {
        if !self.cur.trim().is_empty() {
            let l = std::mem::take(&mut self.cur);
            self.lines.push((self.cur_depth, l.trim_end().to_string()));
        }
        self.cur.clear();
    }

    /// `<br>`: end the line; on an empty line, an empty line.
    fn hard_break(&mut self) {
        if self.cur.trim().is_empty() {
            self.cur.clear();
            if self.pending_blank {
                self.blank();
            }
            self.lines.push((self.depth, String::new()));
        } else {
            self.line();
        }
    }

    fn paragraph(&mut self) {
        self.line();
        self.pending_blank = !self.lines.is_empty();
    }

    fn paragraph_end(&mut self) {
        self.line();
        self.pending_blank = true;
    }

    fn blank(&mut self) {
        self.pending_blank = false;
        if let Some((d, l)) = self.lines.last()
            && !l.is_empty()
        {
            let d = (*d).min(self.depth);
            self.lines.push((d, String::new()));
        }
    }

    fn finish(mut self) -> HtmlText {
        self.flush_pre();
        self.line();
        let mut out: Vec<(usize, String)> = Vec::with_capacity(self.lines.len());
        let mut prev_blank = true;
        // Quote ids point at indexes of `lines`; blank lines dropped below shift them.
        let mut new_index = Vec::with_capacity(self.lines.len() + 1);
        for (d, l) in self.lines {
            new_index.push(out.len());
            let blank = l.trim().is_empty();
            if blank && prev_blank {
                continue;
            }
            prev_blank = blank;
            let prefix = "> ".repeat(d);
            let line = if blank { prefix.trim_end().to_string() } else { prefix + &l };
            out.push((if blank { 0 } else { d }, line));
        }
        new_index.push(out.len());
        let quote_ids = self
            .quote_ids
            .into_iter()
            .map(|mut q| {
                // The quote's first line: the first one at its depth from where it opened.
                let from = new_index.get(q.line).copied().unwrap_or(out.len());
                q.line = (from..out.len()).find(|&i| out[i].0 >= q.depth).unwrap_or(from);
                q
            })
            .collect();
        while out.last().is_some_and(|(_, l)| l.trim().is_empty()) {
            out.pop();
        }
        let text = out.into_iter().map(|(_, l)| l).collect::<Vec<_>>().join("\n");
        HtmlText { text, quote_ids, flattened: self.flattened }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_dropped_parts() {
        let t = to_text(
            "<html><head><title>T</title><style>p{}</style></head><body><script>alert(1)</script>\
             <p>First   paragraph\nwraps.</p><p>Second &amp; <b>bold</b>.</p>\
             <ul><li>one</li><li>two</li></ul><ol><li>a</li><li>b</li></ol></body></html>",
        );
        assert_eq!(
            t.text,
            "First paragraph wraps.\n\nSecond & bold.\n\n- one\n- two\n\n1. a\n2. b"
        );
    }

    #[test]
    fn apple_mail_divs_and_quotes() {
        let t = to_text(
            "<div>Reply here.</div><div><br></div><div>Second line.</div><div><br>\
             <blockquote type=\"cite\"><div>On 18 May 2025, at 05:51, Bob &lt;<a href=\"mailto:b@x\">b@x</a>&gt; wrote:</div>\
             <br class=\"Apple-interchange-newline\"><blockquote type=\"cite\"><div>Inner.</div></blockquote>\
             </blockquote></div>",
        );
        assert_eq!(
            t.text,
            "Reply here.\n\nSecond line.\n\n> On 18 May 2025, at 05:51, Bob <b@x> wrote:\n>\n> > Inner."
        );
    }

    #[test]
    fn thunderbird_cite_prefix_and_mid() {
        let t = to_text(
            "<p>Top.</p><div class=\"moz-cite-prefix\">On 5/15/2025 7:14 AM, Dario\n wrote:<br></div>\
             <blockquote type=\"cite\" cite=\"mid:abc@example.it\"><pre class=\"moz-quote-pre\" wrap=\"\">Line one\n&gt; older\n</pre></blockquote>",
        );
        assert_eq!(t.text, "Top.\n\nOn 5/15/2025 7:14 AM, Dario wrote:\n\n> Line one\n> > older");
        assert_eq!(
            t.quote_ids,
            vec![QuoteId { depth: 1, line: 4, message_id: "abc@example.it".into() }]
        );
    }

    #[test]
    fn qp_debris_in_pre_is_decoded() {
        let t = to_text("<pre>Inviato: gioved=C3=AC 15 maggio 2025\nuna riga spez=\nzata</pre>");
        assert_eq!(t.text, "Inviato: giovedì 15 maggio 2025\nuna riga spezzata");
    }

    #[test]
    fn ten_thousand_quotes_are_flattened_not_a_crash() {
        let html = "<blockquote>".repeat(10_000)
            + "deep"
            + &"</blockquote>".repeat(10_000)
            + "<p>after</p>";
        let t = to_text(&html);
        assert!(t.flattened);
        let first = t.text.lines().next().unwrap();
        assert_eq!(clean::quote_depth(first).0, MAX_DEPTH);
        assert!(t.text.ends_with("\nafter"), "{}", &t.text[t.text.len().saturating_sub(40)..]);
    }
}

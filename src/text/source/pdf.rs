//! The PDF reader: the text layer, laid out again in reading order.
//!
//! `pdf-extract` (on `lopdf`) decodes the fonts and reports each character with its position;
//! this reader builds lines from baselines (top to bottom, left to right, so a single-column
//! document reads in order), spaces from gaps, and paragraphs from larger vertical gaps. Then
//! what a printed page adds is taken out: running headers and footers (a line at the top or
//! bottom that repeats on at least half of the pages, digits aside) and page numbers (`3`,
//! `Page 3 of 9`, `- 3 -`). A word hyphenated at a line end is rejoined (`hyphen-` +
//! `ated` -> `hyphenated`), keeping the hyphen when the document writes the word with one
//! elsewhere (`non-exclusive`). Indentation is kept roughly, in spaces, so nested clauses
//! stay apart.
//!
//! Limits: columns side by side are read line by line across; text drawn as images (a scan)
//! has no text layer and is refused with a message saying to run OCR.

use std::collections::HashSet;

use pdf_extract::{Document, MediaBox, OutputDev, OutputError, Transform};

use super::{Reading, SourceError};

/// One character with where it was drawn (PDF space: y grows upwards).
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    /// Advance width.
    w: f64,
    size: f64,
    s: String,
}

#[derive(Default)]
struct Collector {
    pages: Vec<Vec<Glyph>>,
    cur: Vec<Glyph>,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.cur.clear();
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        self.pages.push(std::mem::take(&mut self.cur));
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // The rendered font size, as pdf-extract's own text output computes it.
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt();
        if !size.is_finite() || size <= 0.0 || !trm.m31.is_finite() || !trm.m32.is_finite() {
            return Ok(());
        }
        self.cur.push(Glyph { x: trm.m31, y: trm.m32, w: width * size, size, s: char.to_string() });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of a page: its text, baseline, left edge and font size.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    y: f64,
    x: f64,
    size: f64,
}

pub fn read(bytes: &[u8], reading: &mut Reading) -> Result<String, SourceError> {
    let broken = |detail: String| SourceError::BrokenPdf { detail };
    let mut doc = Document::load_mem(bytes).map_err(|e| broken(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(SourceError::EncryptedPdf);
    }
    let page_count = doc.get_pages().len();
    let mut collector = Collector::default();
    // The font decoders of pdf-extract can panic on malformed fonts; a broken file must
    // give a message, not end the program.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf_extract::output_doc(&doc, &mut collector)
    }));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(broken(e.to_string())),
        Err(_) => return Err(broken("its text layer cannot be decoded".into())),
    }
    let glyphs: usize = collector.pages.iter().flatten().filter(|g| !g.s.trim().is_empty()).count();
    if glyphs == 0 {
        return Err(SourceError::NoTextLayer { pages: page_count.max(collector.pages.len()) });
    }
    let mut pages: Vec<Vec<Line>> = collector.pages.iter().map(|p| lines(p)).collect();
    let (running, numbers) = strip_running(&mut pages);
    reading.drop_n("running header or footer line", running);
    reading.drop_n("page number", numbers);
    reading.notes.push(format!("{} page{}", pages.len(), if pages.len() == 1 { "" } else { "s" }));
    let (text, joined) = layout(&pages);
    if joined > 0 {
        reading.notes.push(format!("{joined} word(s) hyphenated at a line end rejoined"));
    }
    Ok(text)
}

/// The lines of one page, top to bottom.
fn lines(glyphs: &[Glyph]) -> Vec<Line> {
    // Group by baseline in drawing order, then sort: most producers draw in reading order,
    // but list numbers and footers may come out of turn.
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    for g in glyphs {
        let same = groups.iter().rposition(|l| {
            let first = l[0];
            (first.y - g.y).abs() <= first.size.max(g.size) * 0.35
        });
        match same {
            Some(i) => groups[i].push(g),
            None => groups.push(vec![g]),
        }
    }
    let mut out: Vec<Line> = groups
        .into_iter()
        .filter_map(|mut l| {
            l.sort_by(|a, b| a.x.total_cmp(&b.x));
            let size = l.iter().map(|g| g.size).fold(0.0, f64::max);
            let mut text = String::new();
            let mut end: Option<f64> = None;
            for g in &l {
                if let Some(e) = end
                    && g.x > e + g.size * 0.15
                    && !text.ends_with(' ')
                {
                    text.push(' ');
                }
                if g.s == " " || g.s == "\u{a0}" {
                    if !text.ends_with(' ') && !text.is_empty() {
                        text.push(' ');
                    }
                } else {
                    text.push_str(&g.s);
                }
                end = Some(g.x + g.w);
            }
            let text = text.trim().to_string();
            (!text.is_empty()).then(|| Line { text, y: l[0].y, x: l[0].x, size })
        })
        .collect();
    out.sort_by(|a, b| b.y.total_cmp(&a.y));
    out
}

/// `Page 3`, `3`, `- 3 -`, `3 of 9`, `3/9`, `iii`.
fn is_page_number(s: &str) -> bool {
    let t = s.trim().trim_matches(|c: char| {
        c == '-' || c == '\u{2013}' || c == '\u{2014}' || c.is_whitespace()
    });
    let lower = t.to_lowercase();
    let t = lower.strip_prefix("page").map(str::trim_start).unwrap_or(&lower);
    let parts: Vec<&str> = t
        .split(|c: char| c == '/' || c.is_whitespace())
        .filter(|p| !p.is_empty() && *p != "of")
        .collect();
    !parts.is_empty()
        && parts.len() <= 2
        && parts.iter().all(|p| {
            p.chars().all(|c| c.is_ascii_digit()) || (p.len() <= 6 && super::number::is_roman(p))
        })
}

/// A line with its digits folded, to find the same running header on every page.
fn running_key(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c.to_ascii_lowercase() })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Remove running headers, footers and page numbers from the top and bottom lines of each
/// page; returns how many of each were removed.
fn strip_running(pages: &mut [Vec<Line>]) -> (usize, usize) {
    const EDGE: usize = 2;
    let edges = |p: &Vec<Line>| -> Vec<usize> {
        let n = p.len();
        let mut v: Vec<usize> = (0..n.min(EDGE)).collect();
        v.extend(n.saturating_sub(EDGE).max(EDGE.min(n))..n);
        v
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for p in pages.iter() {
        let keys: HashSet<String> = edges(p).into_iter().map(|i| running_key(&p[i].text)).collect();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let need = pages.len().div_ceil(2).max(2);
    let (mut running, mut numbers) = (0, 0);
    for p in pages.iter_mut() {
        let drop: HashSet<usize> = edges(p)
            .into_iter()
            .filter(|&i| {
                let t = &p[i].text;
                if is_page_number(t) {
                    numbers += 1;
                    true
                } else if counts.get(&running_key(t)).is_some_and(|&c| c >= need) {
                    running += 1;
                    true
                } else {
                    false
                }
            })
            .collect();
        let mut i = 0;
        p.retain(|_| {
            let keep = !drop.contains(&i);
            i += 1;
            keep
        });
    }
    (running, numbers)
}

/// Write the pages as text: paragraphs from vertical gaps, indentation from the left edge,
/// hyphenated line ends rejoined. Returns the text and how many words were rejoined.
fn layout(pages: &[Vec<Line>]) -> (String, usize) {
    let left = pages.iter().flatten().map(|l| l.x).fold(f64::INFINITY, f64::min);
    // The usual distance between baselines, to tell a paragraph gap from a line break.
    let mut gaps: Vec<f64> = pages
        .iter()
        .flat_map(|p| p.windows(2).map(|w| w[0].y - w[1].y))
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let usual = gaps.get(gaps.len() / 4).copied().unwrap_or(12.0);
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<&Line> = None;
    for page in pages {
        for (i, line) in page.iter().enumerate() {
            if let Some(p) = prev {
                let gap = if i == 0 { 0.0 } else { p.y - line.y };
                let new_para = if i == 0 {
                    p.text.ends_with(['.', ':', ';'])
                } else {
                    gap > usual * 1.35 || gap > p.size.max(line.size) * 2.2
                };
                if new_para {
                    out.push(String::new());
                }
            }
            let em = line.size.max(1.0) * 0.5;
            let indent = (((line.x - left) / em).round().max(0.0) as usize).min(24);
            out.push(format!("{}{}", " ".repeat(indent), line.text));
            prev = Some(line);
        }
    }
    let joined = rejoin_hyphens(&mut out);
    let mut text = out.join("\n");
    text.push('\n');
    (text, joined)
}

/// Rejoin words hyphenated at line ends: the rest of the word moves up to its first half.
fn rejoin_hyphens(lines: &mut [String]) -> usize {
    // Words written with a hyphen inside a line: a compound split at its hyphen keeps it.
    let hyphenated: HashSet<String> = lines
        .iter()
        .flat_map(|l| l.split_whitespace())
        .filter(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).contains('-'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .collect();
    let mut joined = 0;
    for i in 0..lines.len().saturating_sub(1) {
        let a = lines[i].trim_end();
        let Some(stem) = a.strip_suffix(['-', '\u{ad}', '\u{2010}']) else { continue };
        let soft = a.ends_with('\u{ad}');
        let stem_word = stem.rsplit(char::is_whitespace).next().unwrap_or("");
        if !stem_word.chars().last().is_some_and(char::is_alphabetic) {
            continue;
        }
        let b = lines[i + 1].trim_start();
        if !b.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let (rest, tail) = match b.find(char::is_whitespace) {
            Some(k) => (&b[..k], b[k..].trim_start()),
            None => (b, ""),
        };
        let core = rest.trim_end_matches(|c: char| !c.is_alphanumeric());
        let compound = format!("{}-{}", stem_word.to_lowercase(), core.to_lowercase());
        let keep =
            !soft && hyphenated.contains(compound.trim_matches(|c: char| !c.is_alphanumeric()));
        let new_a = if keep { format!("{stem}-{rest}") } else { format!("{stem}{rest}") };
        let indent: String = lines[i + 1].chars().take_while(|c| *c == ' ').collect();
        let new_b = if tail.is_empty() { String::new() } else { format!("{indent}{tail}") };
        lines[i] = new_a;
        lines[i + 1] = new_b;
        joined += 1;
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f64) -> Line {
        Line { text: text.into(), y, x: 72.0, size: 10.0 }
    }

    #[test]
    fn page_numbers_and_running_lines_are_recognised() {
        for s in ["3", "Page 3", "page 3 of 9", "- 3 -", "3/9", "iv"] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["3. Grant", "Section 3", "2019 License", "i. the first"] {
            assert!(!is_page_number(s), "{s}");
        }
        let mut pages: Vec<Vec<Line>> = (1..=3)
            .map(|n| {
                vec![
                    line("Example License 2.0 (draft)", 800.0),
                    line(["first words", "second words", "third words"][n - 1], 700.0),
                    line(&format!("Page {n} of 3"), 40.0),
                ]
            })
            .collect();
        assert_eq!(strip_running(&mut pages), (3, 3));
        assert_eq!(pages[1].iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["second words"]);
    }

    #[test]
    fn hyphenated_line_ends_are_rejoined_unless_the_word_has_a_hyphen() {
        let mut lines: Vec<String> = [
            "grants a non-exclusive licence to distri-",
            "    bute the Work on a non-",
            "    exclusive basis; Upper-",
            "Case stays",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(rejoin_hyphens(&mut lines), 2);
        assert_eq!(
            lines,
            [
                "grants a non-exclusive licence to distribute",
                "    the Work on a non-exclusive",
                "    basis; Upper-",
                "Case stays"
            ]
        );
    }

    #[test]
    fn not_a_pdf_is_an_error() {
        let mut r = Reading::new(super::super::Format::Pdf, "test");
        let err = read(b"%PDF-1.4\nthis is not a PDF body", &mut r).unwrap_err();
        assert!(matches!(err, SourceError::BrokenPdf { .. }), "{err:?}");
    }
}

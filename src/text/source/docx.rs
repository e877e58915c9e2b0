//! The DOCX reader: a Word document's paragraphs, with the numbers Word draws.
//!
//! A submitted license keeps its clause numbers in Word's automatic numbering, not in the
//! text: a paragraph names a numbering instance (`w:numPr`, directly or through its style,
//! as headings do) and `word/numbering.xml` says how each level is written (`w:lvlText` such
//! as `%1.%2`, `w:numFmt` decimal, lowerLetter, upperRoman, ..., `w:start`, `w:suff`). Counters
//! run per abstract numbering, so two instances of one list continue each other, unless an
//! instance restarts a level (`w:lvlOverride`/`w:startOverride`); a level restarts after a
//! higher one (unless `w:lvlRestart` is 0). Levels are written out as labels before the
//! paragraph text, so `1.1`, `(a)` and `iv.` reach the clause parser.
//!
//! Left out: tracked deletions, field instructions, hidden text (`w:vanish`), the fallback
//! copy of text boxes, and the parts that are not the body (headers, footers, footnotes,
//! comments), which are counted.

use std::collections::{HashMap, HashSet};

use super::xml::{Ev, Package, events};
use super::{Format, Reading, SourceError, number};

/// Deepest style chain followed (`basedOn`), so a cycle cannot loop.
const MAX_STYLE_DEPTH: usize = 16;

pub fn read(bytes: &[u8], reading: &mut Reading) -> Result<String, SourceError> {
    let mut pkg = Package::open(bytes, Format::Docx)?;
    let Some(body) = pkg.part("word/document.xml")? else {
        return Err(SourceError::UnknownZip);
    };
    let numbering = match pkg.part("word/numbering.xml")? {
        Some(x) => Numbering::parse(&events("word/numbering.xml", &x)?),
        None => Numbering::default(),
    };
    let styles = match pkg.part("word/styles.xml")? {
        Some(x) => Styles::parse(&events("word/styles.xml", &x)?),
        None => Styles::default(),
    };
    let mut parts_not_read = 0;
    for part in ["word/footnotes.xml", "word/endnotes.xml", "word/comments.xml"] {
        if pkg.has(part) {
            parts_not_read += 1;
        }
    }
    for i in 1..=6 {
        parts_not_read += usize::from(pkg.has(&format!("word/header{i}.xml")));
        parts_not_read += usize::from(pkg.has(&format!("word/footer{i}.xml")));
    }
    reading.drop_n("header, footer or note part", parts_not_read);
    let ev = events("word/document.xml", &body)?;
    Ok(Body::new(&numbering, &styles, reading).run(&ev))
}

/// How one level of a list writes its number.
#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    fmt: String,
    text: String,
    suffix: String,
    /// `w:lvlRestart`: 0 means never restart after higher levels.
    restart: Option<i64>,
    legal: bool,
    /// The paragraph style this level belongs to (heading numbering).
    style: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Abstract {
    levels: HashMap<usize, Level>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    /// Levels this instance restarts: level -> start value.
    starts: HashMap<usize, i64>,
    /// Levels this instance redefines.
    levels: HashMap<usize, Level>,
}

#[derive(Debug, Clone, Default)]
struct Numbering {
    abstracts: HashMap<String, Abstract>,
    nums: HashMap<String, Num>,
}

fn level_from(ev: &[Ev], at: usize) -> (Level, usize) {
    let mut level =
        Level { start: 1, fmt: "decimal".into(), suffix: "\t".into(), ..Level::default() };
    let mut depth = 0;
    let mut i = at;
    while i < ev.len() {
        match &ev[i] {
            e @ Ev::Start { name, .. } => {
                depth += 1;
                let val = e.attr("val").map(str::to_string);
                match name.as_str() {
                    "start" => level.start = val.and_then(|v| v.parse().ok()).unwrap_or(1),
                    "numFmt" => level.fmt = val.unwrap_or_default(),
                    "lvlText" => level.text = val.unwrap_or_default(),
                    "suff" => {
                        level.suffix = match val.as_deref() {
                            Some("space") => " ".into(),
                            Some("nothing") => String::new(),
                            _ => "\t".into(),
                        }
                    }
                    "lvlRestart" => level.restart = val.and_then(|v| v.parse().ok()),
                    "isLgl" => {
                        level.legal = val.as_deref() != Some("0") && val.as_deref() != Some("false")
                    }
                    "pStyle" => level.style = val,
                    _ => {}
                }
            }
            Ev::End { .. } => {
                depth -= 1;
                if depth == 0 {
                    return (level, i);
                }
            }
            Ev::Text(_) => {}
        }
        i += 1;
    }
    (level, i)
}

impl Numbering {
    fn parse(ev: &[Ev]) -> Numbering {
        let mut n = Numbering::default();
        let mut cur_abstract: Option<String> = None;
        let mut cur_num: Option<String> = None;
        let mut override_level: Option<usize> = None;
        let mut i = 0;
        while i < ev.len() {
            match &ev[i] {
                e @ Ev::Start { name, .. } => match name.as_str() {
                    "abstractNum" if cur_num.is_none() => {
                        let id = e.attr("abstractNumId").unwrap_or("").to_string();
                        n.abstracts.entry(id.clone()).or_default();
                        cur_abstract = Some(id);
                    }
                    "num" => {
                        let id = e.attr("numId").unwrap_or("").to_string();
                        n.nums.entry(id.clone()).or_default();
                        cur_num = Some(id);
                    }
                    "abstractNumId" => {
                        if let (Some(num), Some(v)) = (&cur_num, e.attr("val"))
                            && let Some(x) = n.nums.get_mut(num)
                        {
                            x.abstract_id = v.to_string();
                        }
                    }
                    "lvlOverride" => override_level = e.attr("ilvl").and_then(|v| v.parse().ok()),
                    "startOverride" => {
                        if let (Some(num), Some(l)) = (&cur_num, override_level) {
                            let v = e.attr("val").and_then(|v| v.parse().ok()).unwrap_or(1);
                            if let Some(x) = n.nums.get_mut(num) {
                                x.starts.insert(l, v);
                            }
                        }
                    }
                    "lvl" => {
                        let ilvl: usize = e.attr("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        let (level, end) = level_from(ev, i);
                        if let (Some(num), Some(_)) = (&cur_num, override_level) {
                            if let Some(x) = n.nums.get_mut(num) {
                                x.levels.insert(ilvl, level);
                            }
                        } else if let Some(a) = &cur_abstract
                            && let Some(x) = n.abstracts.get_mut(a)
                        {
                            x.levels.insert(ilvl, level);
                        }
                        i = end;
                    }
                    _ => {}
                },
                Ev::End { name } => match name.as_str() {
                    "abstractNum" => cur_abstract = None,
                    "num" => cur_num = None,
                    "lvlOverride" => override_level = None,
                    _ => {}
                },
                Ev::Text(_) => {}
            }
            i += 1;
        }
        n
    }

    /// The level definition that applies to instance `num`, level `ilvl`.
    fn level(&self, num: &str, ilvl: usize) -> Option<&Level> {
        let n = self.nums.get(num)?;
        n.levels.get(&ilvl).or_else(|| self.abstracts.get(&n.abstract_id)?.levels.get(&ilvl))
    }
}

/// A paragraph style's numbering and what it is based on.
#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
}

#[derive(Debug, Clone, Default)]
struct Styles {
    styles: HashMap<String, Style>,
}

impl Styles {
    fn parse(ev: &[Ev]) -> Styles {
        let mut s = Styles::default();
        let mut cur: Option<String> = None;
        for e in ev {
            match e {
                Ev::Start { name, .. } => match name.as_str() {
                    "style" => {
                        let id = e.attr("styleId").unwrap_or("").to_string();
                        s.styles.insert(id.clone(), Style::default());
                        cur = Some(id);
                    }
                    "basedOn" | "numId" | "ilvl" => {
                        if let Some(st) = cur.as_ref().and_then(|c| s.styles.get_mut(c)) {
                            let v = e.attr("val").map(str::to_string);
                            match name.as_str() {
                                "basedOn" => st.based_on = v,
                                "numId" => st.num_id = v,
                                _ => st.ilvl = v.and_then(|v| v.parse().ok()),
                            }
                        }
                    }
                    _ => {}
                },
                Ev::End { name } if name == "style" => cur = None,
                _ => {}
            }
        }
        s
    }

    /// The numbering a paragraph of style `id` gets from its style chain: (numId, ilvl).
    fn numbering(&self, id: &str) -> Option<(String, Option<usize>)> {
        let mut id = id.to_string();
        for _ in 0..MAX_STYLE_DEPTH {
            let st = self.styles.get(&id)?;
            if let Some(n) = &st.num_id {
                return Some((n.clone(), st.ilvl));
            }
            id = st.based_on.clone()?;
        }
        None
    }
}

/// Writes the body: one line per paragraph, numbers in front, a blank line between.
struct Body<'a> {
    numbering: &'a Numbering,
    styles: &'a Styles,
    reading: &'a mut Reading,
    /// Counters per abstract numbering, by level.
    counters: HashMap<String, [Option<i64>; 9]>,
    /// Instances whose restarts were applied (at their first paragraph).
    started: HashSet<String>,
    lines: Vec<String>,
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
    text: String,
}

impl<'a> Body<'a> {
    fn new(numbering: &'a Numbering, styles: &'a Styles, reading: &'a mut Reading) -> Self {
        Body {
            numbering,
            styles,
            reading,
            counters: HashMap::new(),
            started: HashSet::new(),
            lines: Vec::new(),
        }
    }

    fn run(mut self, ev: &[Ev]) -> String {
        let mut paras: Vec<Para> = Vec::new();
        // Elements whose content is skipped, with the depth they opened at.
        let mut skip_depth: Option<usize> = None;
        let mut depth = 0usize;
        let mut in_ppr = 0usize;
        let mut in_text = false;
        let mut run_hidden = false;
        let mut hidden_runs = 0usize;
        let mut deleted = 0usize;
        for e in ev {
            match e {
                Ev::Start { name, .. } => {
                    depth += 1;
                    if skip_depth.is_some() {
                        continue;
                    }
                    match name.as_str() {
                        "del" | "moveFrom" => {
                            deleted += 1;
                            skip_depth = Some(depth);
                        }
                        "Fallback" | "instrText" | "delText" | "footnoteReference"
                        | "endnoteReference" => skip_depth = Some(depth),
                        "p" => paras.push(Para::default()),
                        "pPr" => in_ppr += 1,
                        "pStyle" if in_ppr > 0 => {
                            if let Some(p) = paras.last_mut() {
                                p.style = e.attr("val").map(str::to_string);
                            }
                        }
                        "numId" if in_ppr > 0 => {
                            if let Some(p) = paras.last_mut() {
                                p.num_id = e.attr("val").map(str::to_string);
                            }
                        }
                        "ilvl" if in_ppr > 0 => {
                            if let Some(p) = paras.last_mut() {
                                p.ilvl = e.attr("val").and_then(|v| v.parse().ok());
                            }
                        }
                        "r" => run_hidden = false,
                        "vanish" | "webHidden" if in_ppr == 0 => {
                            let off = matches!(e.attr("val"), Some("0" | "false" | "off"));
                            if !off && !run_hidden {
                                run_hidden = true;
                                hidden_runs += 1;
                            }
                        }
                        "t" if in_ppr == 0 => in_text = true,
                        "tab" if in_ppr == 0 => self.push(&mut paras, "\t", run_hidden),
                        "br" | "cr" => self.push(&mut paras, "\n", run_hidden),
                        "noBreakHyphen" => self.push(&mut paras, "-", run_hidden),
                        "softHyphen" => self.push(&mut paras, "\u{ad}", run_hidden),
                        _ => {}
                    }
                }
                Ev::End { name } => {
                    if let Some(d) = skip_depth {
                        if depth == d {
                            skip_depth = None;
                        }
                        depth -= 1;
                        continue;
                    }
                    depth -= 1;
                    match name.as_str() {
                        "pPr" => in_ppr = in_ppr.saturating_sub(1),
                        "t" => in_text = false,
                        "r" => run_hidden = false,
                        "p" => {
                            if let Some(p) = paras.pop() {
                                self.paragraph(p);
                            }
                        }
                        _ => {}
                    }
                }
                Ev::Text(t) => {
                    if skip_depth.is_none() && in_text {
                        self.push(&mut paras, t, run_hidden);
                    }
                }
            }
        }
        self.reading.drop_n("tracked deletion", deleted);
        self.reading.drop_n("hidden text run", hidden_runs);
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    fn push(&self, paras: &mut [Para], s: &str, hidden: bool) {
        if hidden {
            return;
        }
        if let Some(p) = paras.last_mut() {
            p.text.push_str(s);
        }
    }

    /// Write one paragraph with its number, if it has one.
    fn paragraph(&mut self, p: Para) {
        let label = self.label(&p);
        let text = p.text.trim_end_matches([' ', '\n']).to_string();
        if text.trim().is_empty() && label.is_none() {
            return;
        }
        let indent = match &label {
            Some((_, ilvl)) => "    ".repeat((*ilvl).min(8)),
            None => String::new(),
        };
        let mut first = true;
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        let body = match &label {
            Some((l, _)) => format!("{l}{}", text.trim_start_matches(' ')),
            None => text,
        };
        for line in body.split('\n') {
            let line = if first { line.to_string() } else { line.trim_start().to_string() };
            first = false;
            self.lines.push(format!("{indent}{}", line.trim_end()));
        }
    }

    /// The number Word draws before paragraph `p` (with its suffix), and its level.
    fn label(&mut self, p: &Para) -> Option<(String, usize)> {
        let numbering: &'a Numbering = self.numbering;
        let (num_id, ilvl) = match (&p.num_id, p.ilvl) {
            (Some(n), ilvl) => (n.clone(), ilvl),
            (None, _) => {
                let (n, l) = self.styles.numbering(p.style.as_deref()?)?;
                (n, l.or(p.ilvl))
            }
        };
        if num_id == "0" {
            return None;
        }
        let num = numbering.nums.get(&num_id)?;
        let abs_id = num.abstract_id.clone();
        // A style-linked level (heading numbering) is found by its style when the style
        // does not say which level it is.
        let ilvl = ilvl
            .or_else(|| {
                let style = p.style.as_deref()?;
                let a = numbering.abstracts.get(&abs_id)?;
                a.levels.iter().find(|(_, l)| l.style.as_deref() == Some(style)).map(|(k, _)| *k)
            })
            .unwrap_or(0)
            .min(8);
        let level = numbering.level(&num_id, ilvl)?.clone();
        if !self.started.contains(&num_id) {
            self.started.insert(num_id.clone());
            let counters = self.counters.entry(abs_id.clone()).or_insert([None; 9]);
            for (&l, &v) in &num.starts {
                if l < 9 {
                    // The first paragraph at that level will show `v`.
                    counters[l] = Some(v - 1);
                }
            }
        }
        let counters = self.counters.entry(abs_id.clone()).or_insert([None; 9]);
        counters[ilvl] = Some(match counters[ilvl] {
            Some(v) => v + 1,
            None => level.start,
        });
        for (deeper, counter) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            let never = numbering.level(&num_id, deeper).is_some_and(|l| l.restart == Some(0));
            if !never {
                *counter = None;
            }
        }
        let counters = *counters;
        if level.fmt == "bullet" || level.fmt == "none" {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let k = (d as usize).saturating_sub(1).min(8);
                let lk = numbering.level(&num_id, k);
                let value = counters[k].unwrap_or_else(|| lk.map_or(1, |l| l.start));
                let fmt = match lk {
                    Some(l) if !(level.legal && k < ilvl) => l.fmt.as_str(),
                    _ => "decimal",
                };
                out.push_str(&format_number(value, fmt));
                continue;
            }
            out.push(c);
        }
        if out.trim().is_empty() {
            return None;
        }
        self.reading.labels += 1;
        out.push_str(&level.suffix);
        Some((out, ilvl))
    }
}

/// A counter value in a `w:numFmt`.
fn format_number(v: i64, fmt: &str) -> String {
    let pos = u32::try_from(v).ok().filter(|&n| n > 0);
    match (fmt, pos) {
        ("lowerLetter", Some(n)) => number::letters(n, false),
        ("upperLetter", Some(n)) => number::letters(n, true),
        ("lowerRoman", Some(n)) => number::roman(n, false),
        ("upperRoman", Some(n)) => number::roman(n, true),
        ("decimalZero", _) if (0..10).contains(&v) => format!("0{v}"),
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="10">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:pStyle w:val="Heading1"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/><w:suff w:val="space"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%4."/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="20">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1)"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="20"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
      <w:num w:numId="4"><w:abstractNumId w:val="20"/></w:num>
    </w:numbering>"#;

    const STYLES: &str = r#"<w:styles xmlns:w="w">
      <w:style w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:styleId="Clause"><w:basedOn w:val="Heading1"/></w:style>
    </w:styles>"#;

    fn para(style: Option<&str>, num: Option<(&str, usize)>, text: &str) -> String {
        let mut ppr = String::new();
        if let Some(s) = style {
            ppr.push_str(&format!("<w:pStyle w:val=\"{s}\"/>"));
        }
        if let Some((n, l)) = num {
            ppr.push_str(&format!(
                "<w:numPr><w:ilvl w:val=\"{l}\"/><w:numId w:val=\"{n}\"/></w:numPr>"
            ));
        }
        format!(
            "<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
        )
    }

    fn body(paras: &[String]) -> String {
        let numbering = Numbering::parse(&events("n", NUMBERING).unwrap());
        let styles = Styles::parse(&events("s", STYLES).unwrap());
        let xml =
            format!("<w:document xmlns:w=\"w\"><w:body>{}</w:body></w:document>", paras.concat());
        let mut r = Reading::new(Format::Docx, "test");
        Body::new(&numbering, &styles, &mut r).run(&events("d", &xml).unwrap())
    }

    #[test]
    fn word_numbering_is_written_out() {
        let t = body(&[
            para(Some("Heading1"), None, "Definitions"),
            para(None, Some(("1", 1)), "Licensor means"),
            para(None, Some(("1", 2)), "first"),
            para(None, Some(("1", 3)), "roman"),
            para(None, Some(("1", 2)), "second"),
            para(Some("Clause"), None, "Grant"),
            para(None, Some(("1", 1)), "Grant text"),
            para(None, Some(("2", 0)), "continues"),
            para(None, Some(("4", 0)), "instance 4 continues 2"),
            para(None, Some(("3", 0)), "restarted"),
            para(None, Some(("0", 0)), "numId 0 is no number"),
        ]);
        assert_eq!(
            t,
            "1.\tDefinitions\n\n    1.1 Licensor means\n\n        (a)\tfirst\n\n            i.\troman\n\n\
             \x20       (b)\tsecond\n\n2.\tGrant\n\n    2.1 Grant text\n\nA)\tcontinues\n\n\
             B)\tinstance 4 continues 2\n\nA)\trestarted\n\nnumId 0 is no number\n"
        );
    }

    #[test]
    fn deleted_hidden_and_field_text_is_left_out() {
        let t = body(&[
            "<w:p><w:r><w:t>kept </w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del>\
             <w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:instrText>HYPERLINK x</w:instrText></w:r>\
             <w:r><w:t>and</w:t><w:tab/><w:t>this</w:t><w:br/><w:t>next line</w:t></w:r></w:p>"
                .to_string(),
        ]);
        assert_eq!(t, "kept and\tthis\nnext line\n");
    }

    #[test]
    fn broken_packages_are_errors() {
        let mut r = Reading::new(Format::Docx, "test");
        let err = read(b"PK\x03\x04 not really a zip", &mut r).unwrap_err();
        assert!(matches!(err, SourceError::BrokenZip { .. }), "{err:?}");
        assert!(err.to_string().contains("ZIP container is broken"), "{err}");
    }
}

//! What the DOCX and ODT readers share: opening the ZIP package safely and reading its XML
//! parts as a flat list of events with local names (`w:p` and `text:p` are both `p` to the
//! reader that expects them; prefixes vary between producers, namespaces do not matter here).

use std::io::Read;

use quick_xml::XmlVersion;
use quick_xml::events::Event;

use super::{Format, SourceError};

/// Largest part read from a package, uncompressed: a ZIP bomb stops here instead of filling
/// memory. A long license is a few hundred KiB of XML.
const MAX_PART: u64 = 64 * 1024 * 1024;

/// An office document's ZIP package.
pub struct Package<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    format: Format,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], format: Format) -> Result<Package<'a>, SourceError> {
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| SourceError::BrokenZip { format, detail: e.to_string() })?;
        Ok(Package { zip, format })
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// A part as text, or `None` when the package has no such part.
    pub fn part(&mut self, name: &str) -> Result<Option<String>, SourceError> {
        let format = self.format;
        let broken = |detail: String| SourceError::BrokenZip { format, detail };
        let mut file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(broken(format!("{name}: {e}"))),
        };
        let mut bytes = Vec::new();
        (&mut file)
            .take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| broken(format!("{name}: {e}")))?;
        if bytes.len() as u64 > MAX_PART {
            return Err(broken(format!("{name} unpacks to more than {MAX_PART} bytes")));
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match std::str::from_utf8(body) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(e) => Err(SourceError::BrokenXml {
                part: name.to_string(),
                detail: format!("not UTF-8 at byte {}", e.valid_up_to()),
            }),
        }
    }
}

/// One XML event, names without their prefixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ev {
    Start { name: String, attrs: Vec<(String, String)> },
    End { name: String },
    Text(String),
}

impl Ev {
    /// The value of attribute `local` on a start event.
    pub fn attr(&self, local: &str) -> Option<&str> {
        match self {
            Ev::Start { attrs, .. } => {
                attrs.iter().find(|(k, _)| k == local).map(|(_, v)| v.as_str())
            }
            _ => None,
        }
    }
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

/// Parse a part into events; an empty element gives a start and an end. Entity and
/// character references are resolved into the text.
pub fn events(part: &str, xml: &str) -> Result<Vec<Ev>, SourceError> {
    let broken = |detail: String| SourceError::BrokenXml { part: part.to_string(), detail };
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut out = Vec::new();
    let start = |e: &quick_xml::events::BytesStart| -> Result<Ev, SourceError> {
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| broken(e.to_string()))?;
            let v =
                a.normalized_value(XmlVersion::Implicit1_0).map_err(|e| broken(e.to_string()))?;
            attrs.push((local(a.key.as_ref()), v.into_owned()));
        }
        Ok(Ev::Start { name: local(e.name().as_ref()), attrs })
    };
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| broken(format!("{e} at byte {}", reader.error_position())))?;
        match ev {
            Event::Start(e) => out.push(start(&e)?),
            Event::Empty(e) => {
                let s = start(&e)?;
                out.push(s);
                out.push(Ev::End { name: local(e.name().as_ref()) });
            }
            Event::End(e) => out.push(Ev::End { name: local(e.name().as_ref()) }),
            Event::Text(t) => push_text(&mut out, &t.xml_content(XmlVersion::Implicit1_0)),
            Event::CData(t) => push_text(&mut out, &t.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.xml_content(XmlVersion::Implicit1_0);
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_string(),
                            None => return Err(broken(format!("unknown entity &{name};"))),
                        }
                    }
                    Err(e) => return Err(broken(e.to_string())),
                };
                push_text(&mut out, &text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Append text, merging with a text event just before (references split text nodes).
fn push_text(out: &mut Vec<Ev>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Ev::Text(prev)) = out.last_mut() {
        prev.push_str(s);
    } else {
        out.push(Ev::Text(s.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_have_local_names_and_resolved_references() {
        let ev = events("t.xml", r#"<w:p a:b="x &amp; y"><w:t>A&amp;B &#233;</w:t><w:br/></w:p>"#)
            .unwrap();
        assert_eq!(ev[0].attr("b"), Some("x & y"));
        assert_eq!(ev[2], Ev::Text("A&B \u{e9}".into()));
        assert_eq!(ev[3], Ev::End { name: "t".into() });
        assert_eq!(ev[4], Ev::Start { name: "br".into(), attrs: vec![] });
        assert_eq!(ev[5], Ev::End { name: "br".into() });
        let err = events("t.xml", "<a><b></a>").unwrap_err().to_string();
        assert!(err.contains("t.xml"), "{err}");
    }
}

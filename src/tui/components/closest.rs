//! `L`: the SPDX licenses closest to the right-hand version; Enter compares one on the left
//! (adding it to the review as a version first when it is not one).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use super::picker::{Item, Picked, Picker};
use super::{Cx, DIM, KEY, Msg};
use crate::text::sanitize_line;
use crate::tui::action::{Action, ReviewChange};
use crate::tui::doc::{Document, LicenseMatch};
use crate::tui::render::clip;

/// How many of the closest SPDX licenses `L` lists.
pub const CLOSEST_TOP: usize = 10;

/// The SPDX licenses closest to a version, as the `L` picker shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    /// The version they were ranked against (the right-hand one).
    pub version: String,
    /// Best first.
    pub matches: Vec<LicenseMatch>,
}

/// A license as listed, its id in a column `width` wide.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseItem {
    pub m: LicenseMatch,
    pub width: usize,
}

impl Item for LicenseItem {
    fn line(&self) -> Line<'static> {
        let (m, w) = (&self.m, self.width);
        let mut spans = vec![
            Span::raw(format!("{:.2}  ", m.score)),
            Span::styled(format!("{:<w$}", sanitize_line(&m.id)), KEY),
            Span::styled(if m.osi { "OSI  " } else { "     " }, Style::new().fg(Color::Green)),
            Span::raw(sanitize_line(&m.name)),
        ];
        if let Some(v) = &m.version {
            spans.push(Span::styled(format!("  (version {})", sanitize_line(v)), DIM));
        }
        Line::from(spans)
    }
}

/// The picker of the closest licenses.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosestPopup {
    pub version: String,
    pub picker: Picker<LicenseItem>,
}

impl ClosestPopup {
    pub fn new(c: &Closest) -> ClosestPopup {
        let width =
            c.matches.iter().map(|m| sanitize_line(&m.id).chars().count()).max().unwrap_or(0) + 2;
        let items = c.matches.iter().map(|m| LicenseItem { m: m.clone(), width }).collect();
        ClosestPopup { version: c.version.clone(), picker: Picker::new(items) }
    }

    pub fn handle(&mut self, action: &Action, cx: &Cx) -> (bool, Vec<Msg>) {
        match self.picker.handle(action) {
            Picked::Stay => (false, vec![]),
            Picked::Cancelled => (true, vec![]),
            Picked::Chosen(i) => (true, self.open(&self.picker.items[i].m, cx.doc)),
        }
    }

    /// Compare license `m` (left) with the version it was ranked against (right), adding it
    /// to the review as a version first when it is not one yet.
    fn open(&self, m: &LicenseMatch, doc: &Document) -> Vec<Msg> {
        let right = self.version.clone();
        let path = format!("{}{}", crate::text::load::SPDX_PREFIX, m.id);
        let (safe_path, safe_right) = (sanitize_line(&path), sanitize_line(&right));
        match m.version.clone() {
            Some(v) if v == right => {
                vec![Msg::Warn(format!("{safe_path} is the right-hand version itself"))]
            }
            Some(left) => {
                let safe_left = sanitize_line(&left);
                vec![
                    Msg::Say(format!("Comparing {safe_left} with {safe_right}…")),
                    Msg::CompareNote(format!(
                        "{safe_path} is already version {safe_left}: compared with {safe_right}"
                    )),
                    Msg::Compare { left, right },
                ]
            }
            None => {
                let id = new_version_id(doc, &m.id);
                vec![
                    Msg::CompareAfterSave { left: id.clone(), right },
                    Msg::Apply(ReviewChange::AddVersion { id, path }),
                ]
            }
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let mut bottom = None;
        if let Some(best) = self.picker.items.first()
            && best.m.score < f64::from(crate::similarity::SCAN_THRESHOLD)
        {
            bottom = Some(" none is close: not a light edit of a listed license ".to_string());
        }
        let title = format!(
            " SPDX licenses closest to {} · Enter compares one on the left ",
            clip(&self.version, 24)
        );
        self.picker.render(title, bottom, area, buf);
    }
}

/// A version id for the SPDX license `spdx_id` that no version of the review has:
/// `spdx-Apache-2.0`, else `spdx-Apache-2.0-2`, ...
pub fn new_version_id(doc: &Document, spdx_id: &str) -> String {
    let plain: String = spdx_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') { c } else { '-' })
        .collect();
    let base = format!("spdx-{plain}");
    let taken = |id: &str| doc.versions.iter().any(|v| v == id);
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

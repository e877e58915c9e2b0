//! `lrw inspect FILE [--format text|json]`: encoding, line endings and odd characters.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::output::to_json;
use super::{CmdResult, TextOrJson};
use crate::text::inspect::{Finding, inspect_at_most};
use crate::text::{Text, sanitize_line};

#[derive(Debug, clap::Args)]
#[command(
    after_long_help = "Reports how the text was decoded (encoding, byte-order mark, line endings) \
                       and every odd character, with line, column (in characters) and code \
                       point: controls, bidi controls, invisible characters, unusual spaces and \
                       hyphens, words that mix Latin with Cyrillic or Greek letters, Cyrillic or \
                       Greek words made of letters that look Latin, and bytes that were not \
                       UTF-8. En and em dashes are not reported.\n\n\
                       A web page or office document (HTML, DOCX, ODT, PDF) is inspected as the \
                       text its reader took from it; the report says which reader that was, \
                       what it left out (scripts, navigation, running headers, ...) and how \
                       many list numbers it wrote out.\n\n\
                       Exit status: 0 when nothing odd was found, 1 when something was, 2 \
                       when the file cannot be read (missing, a directory, over the 16 MiB size \
                       limit).",
    after_help = "Exit status: 0 when nothing odd was found, 1 when something was, 2 when the \
                  file cannot be read (missing, a directory, over the 16 MiB size limit)."
)]
pub struct Args {
    /// License text: a path (plain text, HTML, DOCX, ODT or PDF), an http(s) URL (fetched,
    /// nothing written), or spdx:ID.
    pub file: String,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// List at most N findings (all are counted); 0 lists them all.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max: usize,
}

/// The JSON report (field order is the contract's).
#[derive(Serialize)]
struct Report<'a> {
    path: &'a str,
    encoding: &'static str,
    bom: bool,
    line_endings: &'static str,
    findings: Vec<JsonFinding<'a>>,
    /// All findings, listed or not (`findings` holds at most `--max`).
    findings_total: usize,
    /// How a document was read into text; null for plain text.
    reader: Option<JsonReader<'a>>,
}

#[derive(Serialize)]
struct JsonReader<'a> {
    /// `html`, `docx`, `odt` or `pdf`.
    format: &'static str,
    /// `content`, `content type`, `extension` or `sniffed markup`.
    chosen_by: &'static str,
    dropped: &'a [crate::text::source::Dropped],
    labels: usize,
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    line: usize,
    column: usize,
    code_point: String,
    kind: &'static str,
    context: &'a str,
}

pub fn run(args: &Args) -> CmdResult {
    let text = crate::text::fetch::load_or_fetch(&args.file)?;
    let max = if args.max == 0 { usize::MAX } else { args.max };
    let (findings, total) = inspect_at_most(&text, max);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        TextOrJson::Json => writeln!(out, "{}", json_report(&text, &findings, total)),
        TextOrJson::Text => write_text_report(&mut out, &text, &findings, total),
    };
    super::output::written(written.and_then(|()| out.flush()))?;
    Ok(if total == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn json_report(text: &Text, findings: &[Finding], total: usize) -> String {
    to_json(&Report {
        path: &text.name,
        encoding: text.encoding.as_str(),
        bom: text.bom,
        line_endings: text.line_endings.as_str(),
        findings: findings
            .iter()
            .map(|f| JsonFinding {
                line: f.line,
                column: f.column,
                code_point: f.code_point(),
                kind: f.kind.as_str(),
                context: &f.context,
            })
            .collect(),
        findings_total: total,
        reader: text.reading.as_ref().map(|r| JsonReader {
            format: r.format.as_str(),
            chosen_by: r.chosen_by,
            dropped: &r.dropped,
            labels: r.labels,
            notes: &r.notes,
        }),
    })
}

/// A header line, then one line per finding: `  3:14  U+202E  bidi  NAME  «context»`.
/// Written as it goes: a text full of controls can have millions of findings.
fn write_text_report(
    out: &mut impl Write,
    text: &Text,
    findings: &[Finding],
    total: usize,
) -> std::io::Result<()> {
    let count = match total {
        0 => "no odd characters".to_string(),
        1 => "1 finding".to_string(),
        n => format!("{n} findings"),
    };
    writeln!(
        out,
        "{}: {}, {}, {} line endings, {}",
        sanitize_line(&text.name),
        text.encoding.as_str(),
        if text.bom { "BOM" } else { "no BOM" },
        text.line_endings.as_str(),
        count
    )?;
    if let Some(r) = &text.reading {
        writeln!(out, "  read by the {}", sanitize_line(&r.summary()))?;
        for note in &r.notes {
            writeln!(out, "  note: {}", sanitize_line(note))?;
        }
    }
    for f in findings {
        // The context is already sanitised; sanitising again only guards the invariant.
        writeln!(
            out,
            "  {}:{}  {}  {}  {}  \u{ab}{}\u{bb}",
            f.line,
            f.column,
            f.code_point(),
            f.kind.as_str(),
            f.description(),
            sanitize_line(&f.context)
        )?;
    }
    if total > findings.len() {
        writeln!(out, "  ... and {} more (--max 0 lists them all)", total - findings.len())?;
    }
    Ok(())
}

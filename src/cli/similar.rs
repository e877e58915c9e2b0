//! `lrw similar FILE [--top N] [--osi-only] [--format text|json] [--diff]`: the SPDX licenses
//! closest to a text, the licenses it contains, and what changed from the closest.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::output::to_json;
use super::{CmdResult, Failure, TextOrJson, diff};
use crate::similarity::{self, Containment, Match, RankOptions};
use crate::text::sanitize_line;

#[derive(Debug, clap::Args)]
#[command(
    after_long_help = "Scores the text against every license of the SPDX License List (the \
                       texts ship inside lrw) and lists the closest, best first. The score is \
                       in 0..1: the share of word pairs the two texts have in common after \
                       normalising case, punctuation, white space and copyright lines; a \
                       verbatim copy scores 1, a copy with a few words changed a little less. \
                       Licenses with the same text are listed once, with the other ids after \
                       \"same text:\". OSI and FSF columns come from the SPDX metadata.\n\n\
                       Also reports whole licenses found inside the text (a file that is MIT \
                       followed by Apache-2.0 lists both, with their lines).\n\n\
                       With --diff, then shows what changed from the closest license to the \
                       text, clause by clause and normalised, as `lrw diff spdx:ID FILE --by \
                       clause --normalize` would: the SPDX text on the left, FILE on the \
                       right.\n\n\
                       Exit status: 0 when the text was compared, 2 when it cannot be read.",
    after_help = "Exit status: 0 when the text was compared, 2 when it cannot be read."
)]
pub struct Args {
    /// License text: a path, or spdx:ID.
    pub file: String,
    /// How many licenses to list.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..))]
    pub top: u16,
    /// Only licenses approved by the Open Source Initiative.
    #[arg(long)]
    pub osi_only: bool,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Then show what changed from the closest license to this text (side by side, clause
    /// by clause, normalised).
    #[arg(long)]
    pub diff: bool,
}

/// The JSON report: `{"path", "matches": [...], "contains": [...]}`.
#[derive(Serialize)]
struct Report<'a> {
    path: &'a str,
    matches: &'a [Match],
    contains: &'a [Containment],
}

pub fn run(args: &Args) -> CmdResult {
    if args.diff && args.format == TextOrJson::Json {
        return Err(Failure::input(
            "--diff shows the differences as text, not JSON; for JSON run `lrw diff spdx:ID \
             FILE --by clause --normalize --format json` with the id listed first",
        ));
    }
    let text = crate::text::load(&args.file)?.text_only()?;
    let opts = RankOptions { top: usize::from(args.top), osi_only: args.osi_only };
    let matches = similarity::rank(&text, &opts);
    let contains = similarity::scan(&text);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        TextOrJson::Json => writeln!(
            out,
            "{}",
            to_json(&Report { path: &text.name, matches: &matches, contains: &contains })
        ),
        TextOrJson::Text => write_text(&mut out, &text.name, args, &matches, &contains),
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| Failure::input(format!("writing the report: {e}")))?;
    drop(out);
    if let Some(best) = matches.first().filter(|_| args.diff) {
        // The diff's own exit status says whether the texts differ; here the command did
        // what was asked, so it succeeds either way.
        diff::run(&diff_args(&best.id, &args.file))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `lrw diff spdx:ID FILE --by clause --normalize`: the known license on the left as the
/// older text, so additions are what FILE added to it.
fn diff_args(id: &str, file: &str) -> diff::Args {
    diff::Args {
        left: format!("spdx:{id}"),
        right: file.to_string(),
        by: diff::By::Clause,
        normalize: true,
        exact: false,
        ignore_case: false,
        format: diff::Format::Side,
        width: None,
        context: crate::diff::render::CONTEXT,
        timeout: crate::diff::words::DEFAULT_DEADLINE.as_secs_f64(),
    }
}

/// `s` as one shell word: unchanged when it is made of safe characters, else single-quoted.
fn shell_word(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:+=@,%".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// An aligned table of matches, then the contained licenses with their lines.
fn write_text(
    out: &mut impl Write,
    path: &str,
    args: &Args,
    matches: &[Match],
    contains: &[Containment],
) -> std::io::Result<()> {
    let which = if args.osi_only { "OSI-approved SPDX licenses" } else { "SPDX licenses" };
    writeln!(out, "{}: closest {which}", sanitize_line(path))?;
    let ids: Vec<String> = matches.iter().map(|m| sanitize_line(&m.id)).collect();
    let id_width =
        ids.iter().map(|s| s.width()).chain(std::iter::once("id".len())).max().unwrap_or(2);
    writeln!(out, "  score   {:<id_width$}  OSI  FSF  name", "id")?;
    for (m, id) in matches.iter().zip(&ids) {
        let pad = id_width - id.width();
        let mut name = sanitize_line(&m.name);
        if !m.aliases.is_empty() {
            name.push_str(&format!(" (same text: {})", sanitize_line(&m.aliases.join(", "))));
        }
        writeln!(
            out,
            "  {:.4}  {id}{:pad$}  {:<3}  {:<3}  {name}",
            m.score,
            "",
            yes_no(m.osi),
            yes_no(m.fsf),
        )?;
    }
    match matches.first() {
        None => writeln!(out, "  (no license matches the options)")?,
        Some(best) if best.score < f64::from(similarity::SCAN_THRESHOLD) => writeln!(
            out,
            "note: no listed license is close (best score {:.4}); the text is not a light \
             edit of one of them",
            best.score
        )?,
        Some(_) => {}
    }
    if contains.len() > 1 {
        writeln!(
            out,
            "note: the text holds {} licenses (below); the scores above compare the whole text",
            contains.len()
        )?;
    }
    if !contains.is_empty() {
        writeln!(out, "contains:")?;
        let ranges: Vec<String> =
            contains.iter().map(|c| format!("lines {}-{}", c.line_start, c.line_end)).collect();
        let range_width = ranges.iter().map(String::len).max().unwrap_or(0);
        for (c, range) in contains.iter().zip(&ranges) {
            let header = if c.kind == "header" { " (standard header)" } else { "" };
            writeln!(
                out,
                "  {range:<range_width$}  {:.4}  {}{header}",
                c.score,
                sanitize_line(&c.id)
            )?;
        }
    }
    // A diff against a license the text barely resembles (a ModelGo text against AFL-3.0,
    // a file header against anything) is noise; --diff still shows it when asked.
    if let Some(best) = matches.first().filter(|m| args.diff || m.score >= DIFF_HINT_MIN) {
        let command = format!(
            "lrw diff {} {} --by clause --normalize",
            shell_word(&format!("spdx:{}", best.id)),
            shell_word(&args.file)
        );
        if args.diff {
            writeln!(out, "\n{}", sanitize_line(&command))?;
        } else {
            writeln!(out, "diff with the closest: {}", sanitize_line(&command))?;
        }
    }
    Ok(())
}

/// Lowest best score for which the report suggests the diff. The Apache-derived OpenRAIL
/// model licenses score about 0.44 against Apache-2.0 and their diff is worth reading;
/// unrelated texts stay under 0.3.
const DIFF_HINT_MIN: f64 = 0.4;

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

//! Hostile and awkward inputs through the real binary: `lrw inspect` must name every odd
//! character at the right place, in text and JSON, and never write a raw control character
//! (or any hidden character) to stdout.

mod common;

use std::path::Path;
use std::process::Output;

use lrw::text::sanitize::is_hidden;
use serde_json::Value;

/// One expected finding: line, column, code point, kind.
type Expected = (u64, u64, &'static str, &'static str);

/// Nothing that can act on a terminal or hide itself: no raw C0 (but newline), DEL, C1, and no
/// bidi, zero-width or other hidden character.
#[track_caller]
fn assert_display_safe(out: &Output) {
    assert!(!common::has_raw_control(&out.stdout), "raw control in stdout: {out:?}");
    let s = String::from_utf8_lossy(&out.stdout);
    if let Some(c) = s.chars().find(|&c| c != '\n' && is_hidden(c)) {
        panic!("hidden character U+{:04X} in stdout:\n{s}", c as u32);
    }
    assert!(!common::has_raw_control(&out.stderr), "raw control in stderr: {out:?}");
}

/// Run `inspect` in text and JSON format on `name` (relative to `dir`).
fn inspect_both(dir: &Path, name: &str) -> (Output, Output) {
    let text = common::run_in(dir, &["inspect", name]);
    let json = common::run_in(dir, &["inspect", name, "--format", "json"]);
    assert_display_safe(&text);
    assert_display_safe(&json);
    (text, json)
}

/// The findings of a JSON report as (line, column, code point, kind).
fn json_findings(v: &Value) -> Vec<(u64, u64, String, String)> {
    v["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["code_point"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The findings of a text report (`  3:14  U+202E  bidi  NAME  «context»`), without the
/// closing `... and N more` line of a capped report.
fn text_findings(s: &str) -> Vec<(u64, u64, String, String)> {
    s.lines()
        .skip(1)
        .filter(|l| !l.starts_with("  ... and "))
        .map(|l| {
            let l = l.strip_prefix("  ").unwrap_or_else(|| panic!("finding line: {l:?}"));
            let mut parts = l.splitn(4, "  ");
            let (pos, cp, kind) =
                (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
            let rest = parts.next().unwrap_or_else(|| panic!("finding line: {l:?}"));
            assert!(rest.ends_with('\u{bb}') && rest.contains("  \u{ab}"), "{l:?}");
            let (line, col) = pos.split_once(':').unwrap();
            (line.parse().unwrap(), col.parse().unwrap(), cp.to_string(), kind.to_string())
        })
        .collect()
}

/// Write `bytes` as `name` into a fresh folder, inspect it both ways, check everything the
/// report says against what is expected, and return the two outputs for further checks.
#[track_caller]
fn check(
    name: &str,
    bytes: &[u8],
    (encoding, bom, endings): (&str, bool, &str),
    expected: &[Expected],
) -> (String, Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    let (text, json) = inspect_both(dir.path(), name);
    let code = if expected.is_empty() { 0 } else { 1 };
    common::assert_code(&text, code);
    common::assert_code(&json, code);

    let expected: Vec<(u64, u64, String, String)> =
        expected.iter().map(|&(l, c, cp, k)| (l, c, cp.to_string(), k.to_string())).collect();

    let v: Value = serde_json::from_str(&common::stdout(&json)).expect("inspect JSON parses");
    assert_eq!(v["path"], name);
    assert_eq!(v["encoding"], encoding);
    assert_eq!(v["bom"], bom);
    assert_eq!(v["line_endings"], endings);
    assert_eq!(json_findings(&v), expected, "JSON findings of {name}");

    let t = common::stdout(&text);
    let count = match expected.len() {
        0 => "no odd characters".to_string(),
        1 => "1 finding".to_string(),
        n => format!("{n} findings"),
    };
    let bom_word = if bom { "BOM" } else { "no BOM" };
    assert_eq!(
        t.lines().next().unwrap(),
        format!("{name}: {encoding}, {bom_word}, {endings} line endings, {count}")
    );
    assert_eq!(text_findings(&t), expected, "text findings of {name}");
    (t, v)
}

const UTF8_LF: (&str, bool, &str) = ("utf-8", false, "lf");

#[test]
fn ansi_csi_colour() {
    let (t, v) = check(
        "csi.txt",
        b"Hello \x1b[31mred\x1b[0m text\n",
        UTF8_LF,
        &[(1, 7, "U+001B", "control"), (1, 15, "U+001B", "control")],
    );
    assert!(t.contains("ESCAPE"), "{t}");
    assert_eq!(v["findings"][0]["context"], "Hello \u{241b}[31mred\u{241b}[0m text");
}

#[test]
fn osc_0_window_title() {
    let (_, v) = check(
        "osc0.txt",
        b"\x1b]0;pwned\x07Licence\n",
        UTF8_LF,
        &[(1, 1, "U+001B", "control"), (1, 10, "U+0007", "control")],
    );
    assert_eq!(v["findings"][1]["context"], "\u{241b}]0;pwned\u{2407}Licence");
}

#[test]
fn osc_52_clipboard() {
    check(
        "osc52.txt",
        b"x\x1b]52;c;SGVsbG8=\x07\n",
        UTF8_LF,
        &[(1, 2, "U+001B", "control"), (1, 17, "U+0007", "control")],
    );
}

#[test]
fn osc_8_hyperlink() {
    check(
        "osc8.txt",
        b"\x1b]8;;https://e.example\x1b\\click\x1b]8;;\x1b\\\n",
        UTF8_LF,
        &[
            (1, 1, "U+001B", "control"),
            (1, 23, "U+001B", "control"),
            (1, 30, "U+001B", "control"),
            (1, 35, "U+001B", "control"),
        ],
    );
}

#[test]
fn c1_control_sequence_introducer() {
    let (t, _) =
        check("c1.txt", "a\u{9b}31mb\n".as_bytes(), UTF8_LF, &[(1, 2, "U+009B", "control")]);
    assert!(
        t.contains("CONTROL SEQUENCE INTRODUCER  \u{ab}a\u{27e8}U+009B\u{27e9}31mb\u{bb}"),
        "{t}"
    );
}

#[test]
fn nul_and_bel() {
    check(
        "nul.txt",
        b"a\0b\x07c\n",
        UTF8_LF,
        &[(1, 2, "U+0000", "control"), (1, 4, "U+0007", "control")],
    );
}

#[test]
fn bidi_override() {
    let (t, v) = check(
        "bidi.txt",
        "ok\naccess \u{202E}level\u{202C} check\n".as_bytes(),
        UTF8_LF,
        &[(2, 8, "U+202E", "bidi"), (2, 14, "U+202C", "bidi")],
    );
    assert!(t.contains("RIGHT-TO-LEFT OVERRIDE"), "{t}");
    assert_eq!(
        v["findings"][0]["context"],
        "access \u{27e8}U+202E\u{27e9}level\u{27e8}U+202C\u{27e9} check"
    );
}

#[test]
fn zero_width_space() {
    check("zw.txt", "Licen\u{200B}sor\n".as_bytes(), UTF8_LF, &[(1, 6, "U+200B", "invisible")]);
}

#[test]
fn no_break_space() {
    check("nbsp.txt", "Section\u{A0}2\n".as_bytes(), UTF8_LF, &[(1, 8, "U+00A0", "space")]);
}

#[test]
fn cyrillic_o_inside_licensor() {
    let (t, v) = check(
        "cyr.txt",
        "1. Definitions\nThe Licens\u{43E}r shall\n".as_bytes(),
        UTF8_LF,
        &[(2, 11, "U+043E", "mixed-script")],
    );
    assert!(t.contains("CYRILLIC SMALL LETTER O"), "{t}");
    assert_eq!(v["findings"][0]["context"], "The Licens\u{27e8}U+043E\u{27e9}r shall");
}

fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for unit in s.encode_utf16() {
        let b = if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() };
        out.extend_from_slice(&b);
    }
    out
}

#[test]
fn utf16_le_and_be_with_bom() {
    let s = "One\r\nTwo \u{202E}x\r\n";
    check("le.txt", &utf16(s, false), ("utf-16le", true, "crlf"), &[(2, 5, "U+202E", "bidi")]);
    check("be.txt", &utf16(s, true), ("utf-16be", true, "crlf"), &[(2, 5, "U+202E", "bidi")]);
}

#[test]
fn latin_1_file_is_flagged_once_as_decoding() {
    let (t, _) = check(
        "latin1.txt",
        b"Copyright \xA9 2024 Jos\xE9\xA0M\nMore caf\xE9\n",
        ("windows-1252", false, "lf"),
        &[(1, 11, "U+00A9", "decoding"), (1, 22, "U+00A0", "space")],
    );
    assert!(t.contains("not UTF-8"), "{t}");
}

#[test]
fn crlf_cr_and_mixed_line_endings() {
    check(
        "crlf.txt",
        b"a\r\nb\xe2\x80\x8bc\r\n",
        ("utf-8", false, "crlf"),
        &[(2, 2, "U+200B", "invisible")],
    );
    check(
        "cr.txt",
        b"a\rb\xe2\x80\x8bc\r",
        ("utf-8", false, "cr"),
        &[(2, 2, "U+200B", "invisible")],
    );
    check(
        "mixed.txt",
        b"a\nb\r\nc\rd\xc2\xa0",
        ("utf-8", false, "mixed"),
        &[(4, 2, "U+00A0", "space")],
    );
}

#[test]
fn empty_file_has_nothing_odd() {
    let (t, v) = check("empty.txt", b"", UTF8_LF, &[]);
    assert_eq!(t, "empty.txt: utf-8, no BOM, lf line endings, no odd characters\n");
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn directory_and_missing_path_are_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for format in ["text", "json"] {
        let out = common::run_in(dir.path(), &["inspect", "sub", "--format", format]);
        common::assert_code(&out, 2);
        assert!(out.stdout.is_empty());
        assert_eq!(
            common::stderr(&out),
            "lrw: sub: is a directory, expected a license text file\n"
        );
        let out = common::run_in(dir.path(), &["inspect", "missing.txt", "--format", format]);
        common::assert_code(&out, 2);
        assert!(out.stdout.is_empty());
        assert_eq!(common::stderr(&out), "lrw: missing.txt: no such file\n");
    }
}

#[test]
fn forty_megabyte_file_is_refused_naming_file_and_limit() {
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(dir.path().join("big.txt")).unwrap();
    f.set_len(40 * 1024 * 1024).unwrap();
    drop(f);
    let out = common::run_in(dir.path(), &["inspect", "big.txt"]);
    common::assert_code(&out, 2);
    assert!(out.stdout.is_empty());
    assert_eq!(
        common::stderr(&out),
        "lrw: big.txt: file is 41943040 bytes (40 MiB), over the limit of 16777216 bytes \
         (16 MiB) for a license text\n"
    );
}

#[test]
fn random_binary_bytes_match_the_library_and_stay_safe() {
    let mut rng = fastrand::Rng::with_seed(0x1a2b_3c4d);
    let bytes: Vec<u8> = (0..8192).map(|_| rng.u8(..)).collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("noise.bin"), &bytes).unwrap();
    let text = common::run_in(dir.path(), &["inspect", "noise.bin", "--max", "0"]);
    let json =
        common::run_in(dir.path(), &["inspect", "noise.bin", "--max", "0", "--format", "json"]);
    common::assert_code(&text, 1);
    common::assert_code(&json, 1);

    // The binary reports exactly what the library finds.
    let lib = lrw::text::Text::from_bytes("noise.bin", &bytes);
    let want: Vec<(u64, u64, String, String)> = lrw::text::inspect(&lib)
        .iter()
        .map(|f| (f.line as u64, f.column as u64, f.code_point(), f.kind.as_str().to_string()))
        .collect();
    assert!(want.len() > 100, "random bytes hold many controls: {}", want.len());
    let v: Value = serde_json::from_str(&common::stdout(&json)).unwrap();
    assert_eq!(v["encoding"], lib.encoding.as_str());
    assert_eq!(json_findings(&v), want);
    assert_eq!(text_findings(&common::stdout(&text)), want);
    let contexts: Vec<_> =
        v["findings"].as_array().unwrap().iter().map(|f| f["context"].clone()).collect();
    let lib_contexts: Vec<_> =
        lrw::text::inspect(&lib).into_iter().map(|f| Value::from(f.context)).collect();
    assert_eq!(contexts, lib_contexts);
    assert_eq!(v["findings_total"], want.len());

    // By default the first 1000 are listed and the rest counted.
    assert!(want.len() > 1000, "enough findings to cap: {}", want.len());
    let (text, json) = inspect_both(dir.path(), "noise.bin");
    common::assert_code(&text, 1);
    common::assert_code(&json, 1);
    let v: Value = serde_json::from_str(&common::stdout(&json)).unwrap();
    assert_eq!(json_findings(&v), want[..1000]);
    assert_eq!(v["findings_total"], want.len());
    let shown = common::stdout(&text);
    assert_eq!(text_findings(&shown), want[..1000]);
    assert!(shown.contains(&format!("{} findings", want.len())), "{shown}");
    let more = format!("  ... and {} more (--max 0 lists them all)\n", want.len() - 1000);
    assert!(shown.ends_with(&more), "{shown}");
}

#[test]
fn json_escapes_bidi_characters_in_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{202E}txt.md";
    std::fs::write(dir.path().join(name), "plain text\n").unwrap();
    let (text, json) = inspect_both(dir.path(), name);
    common::assert_code(&json, 0);
    let raw = common::stdout(&json);
    assert!(raw.contains("\"path\": \"evil\\u202etxt.md\""), "{raw}");
    let v: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(v["path"], name);
    assert_eq!(
        common::stdout(&text),
        "evil\u{27e8}U+202E\u{27e9}txt.md: utf-8, no BOM, lf line endings, no odd characters\n"
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let out = common::run(&["inspect", "--help"]);
    common::assert_code(&out, 0);
    let help = common::stdout(&out);
    assert!(help.contains("0 when nothing odd was found, 1 when something was, 2 when"), "{help}");
    let short = common::stdout(&common::run(&["inspect", "-h"]));
    assert!(
        short.contains("0 when nothing odd was found, 1 when something was, 2 when"),
        "{short}"
    );
}

#[test]
fn real_license_texts_raise_no_false_alarms() {
    let Some(dir) = common::corpus() else { return };
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "MANIFEST.tsv") || !path.is_file() {
            continue;
        }
        let text = lrw::text::load(&path.display().to_string()).unwrap();
        for f in lrw::text::inspect(&text) {
            // Real licenses hold an odd space or variation selector now and then, but no
            // controls, bidi, mixed scripts, look-alike words or decoding trouble.
            assert!(
                matches!(f.kind.as_str(), "space" | "invisible" | "hyphen"),
                "{}: {f:?}",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked > 10, "only {checked} corpus texts");
    // One known odd character: an EM SPACE in a ModelGo draft.
    let file = common::corpus_file("MG0-2.0-draft-2024-11.txt").unwrap();
    let out = common::run(&["inspect", &file, "--format", "json"]);
    common::assert_code(&out, 1);
    let v: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let found: Vec<_> = json_findings(&v).into_iter().map(|f| (f.2, f.3)).collect();
    assert_eq!(found, vec![("U+2003".to_string(), "space".to_string())]);
}

//! The front door through the real binary: `--version`, `completions`, `man`, and the
//! examples in every command's help (which must run as printed).

mod common;

use lrw::cli::frontdoor;

#[test]
fn version_names_the_package_version_and_the_commit_it_was_built_from() {
    let out = common::run(&["--version"]);
    common::assert_code(&out, 0);
    let line = common::stdout(&out);
    let version = concat!("lrw ", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(version), "{line}");
    let rest = line.trim_end()[version.len()..].to_string();
    // From a git checkout of this crate, as here, the commit; from a tarball, nothing more.
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(head) => assert_eq!(rest, format!(" (git {head})"), "{line}"),
        None => assert_eq!(rest, "", "{line}"),
    }
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = common::run(&["completions", shell]);
        common::assert_code(&out, 0);
        let script = common::stdout(&out);
        assert!(script.contains("lrw"), "{shell}: {script}");
        // Subcommands and their options are in it.
        assert!(script.contains("similar") && script.contains("osi-only"), "{shell}");
    }
    let out = common::run(&["completions", "tcsh"]);
    common::assert_code(&out, 2);
}

#[test]
fn man_prints_the_page_of_lrw_or_of_one_command() {
    let out = common::run(&["man"]);
    common::assert_code(&out, 0);
    let page = common::stdout(&out);
    assert!(page.contains(".TH lrw 1"), "{page}");
    assert!(page.contains("similar"), "the commands are listed: {page}");
    let out = common::run(&["man", "diff"]);
    common::assert_code(&out, 0);
    let page = common::stdout(&out);
    assert!(page.contains(".TH lrw-diff 1"), "{page}");
    assert!(page.contains("Examples:") && page.contains("\\-\\-normalize"), "{page}");
    let out = common::run(&["man", "nosuch"]);
    common::assert_code(&out, 2);
    assert!(common::stderr(&out).contains("nosuch"), "{}", common::stderr(&out));
}

#[test]
fn man_out_dir_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let out = common::run(&["man", "--out-dir", &pages.display().to_string()]);
    common::assert_code(&out, 0);
    assert!(pages.join("lrw.1").is_file());
    for sub in frontdoor::command().get_subcommands() {
        let page = pages.join(format!("lrw-{}.1", sub.get_name()));
        assert!(page.is_file(), "{} missing", page.display());
    }
}

/// The example lines of `name`'s help, as `lrw NAME -h` prints them.
fn examples(name: &str) -> Vec<String> {
    let out = common::run(&[name, "-h"]);
    common::assert_code(&out, 0);
    let help = common::stdout(&out);
    let at = help.find("Examples:\n").unwrap_or_else(|| panic!("{name}: no examples\n{help}"));
    help[at..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  lrw "))
        .map(|l| l.trim().into())
        .collect()
}

#[test]
fn every_command_shows_examples_in_short_and_long_help() {
    for sub in frontdoor::command().get_subcommands() {
        let name = sub.get_name();
        assert!(!examples(name).is_empty(), "{name}");
        let long = common::stdout(&common::run(&[name, "--help"]));
        assert!(long.contains("Examples:\n  lrw "), "{name} --help:\n{long}");
    }
}

#[test]
fn the_examples_on_the_bundled_texts_run_as_printed() {
    // In a copy of the example (the paths are the repository's), every example that reads
    // only the bundled files and needs no terminal is run; 1 (differences or findings) is a
    // result, 2 would be a usage error or an unreadable path.
    let dir = tempfile::tempdir().unwrap();
    common::copy_example(dir.path());
    let mut ran = 0;
    for sub in frontdoor::command().get_subcommands() {
        for line in examples(sub.get_name()) {
            let runnable = !["open", "completions", "man", "merge"].contains(&sub.get_name())
                && !line.contains(['|', '>', '\'', '('])
                && !line.contains("LICENSE");
            if !runnable {
                continue;
            }
            let args: Vec<&str> = line.split_whitespace().skip(1).collect();
            let out = common::run_in(dir.path(), &args);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "`{line}` exited {:?}\n{}",
                out.status.code(),
                common::stderr(&out)
            );
            ran += 1;
        }
    }
    assert!(ran >= 10, "only {ran} examples ran");
}

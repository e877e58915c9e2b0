//! The README and the docs tell the truth about the program they ship with.
//!
//! - The README's five-minute walkthrough works: its commands (taken from README.md itself)
//!   run on a scratch copy of the example made the way it says, with the built `lrw`; the
//!   workbench part (`:2.2b`, `a`, a comment, `Ctrl+S`, `q`) runs in tmux when tmux is there;
//!   and the clone's own example is left as shipped.
//! - Every `$` example of docs/commands.md runs, in order, in such a scratch copy, and prints
//!   the lines the page shows.
//! - Every review in docs/format.md parses, and the README's thread snippet is valid.
//! - The README's screenshot is the current capture (`docs/screenshots/workbench.txt`), and the
//!   minimum Rust version it states is `Cargo.toml`'s.
//! - Every relative link in README.md and docs/*.md leads to a file of the repository (and to
//!   a heading, when it names one), and no doc names a path outside the repository.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// README.md and every docs/*.md, as (path relative to the repository, text).
fn docs() -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    names.sort();
    names.insert(0, "README.md".to_string());
    names.into_iter().map(|n| (n.clone(), read(&n))).collect()
}

/// The section of a Markdown text under the heading `heading` (up to the next heading of the
/// same or a higher level).
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("no {heading:?}"));
    let level = heading.split(' ').next().unwrap();
    let body = &text[start + heading.len() + 2..];
    let end = body
        .match_indices("\n#")
        .find(|(i, _)| {
            let line = body[i + 1..].lines().next().unwrap_or("");
            let hashes = line.split(' ').next().unwrap_or("");
            hashes.chars().all(|c| c == '#') && hashes.len() <= level.len()
        })
        .map_or(body.len(), |(i, _)| i);
    &body[..end]
}

/// The fenced code blocks of `text` whose info string is `lang`, in order.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start().starts_with("```") => {
                let info = line.trim_start().trim_start_matches('`').trim();
                current = Some(String::new());
                if info != lang {
                    // Not wanted: skip to its end, marked by a sentinel.
                    current.as_mut().unwrap().push('\u{0}');
                }
            }
            None => {}
            Some(b) if line.trim_start().starts_with("```") => {
                if !b.starts_with('\u{0}') {
                    out.push(std::mem::take(b));
                }
                current = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
        }
    }
    out
}

/// Shell commands of a code block: lines joined where they end in `\`, blank lines and
/// `#` comments left out.
fn commands(block: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in block.lines() {
        let line = line.trim_end();
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        let cmd = std::mem::take(&mut pending);
        let cmd = cmd.trim();
        if !cmd.is_empty() && !cmd.starts_with('#') {
            out.push(cmd.to_string());
        }
    }
    out
}

/// The directory of the built binary, first on PATH: so that `lrw` in a doc's command is the
/// binary under test.
fn path_with_lrw() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_lrw")).parent().unwrap().to_path_buf();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).unwrap().to_string_lossy().into_owned()
}

/// Run `cmd` with `sh -c` in `dir`, as a reader would type it (the built `lrw` first on PATH).
fn shell(dir: &Path, cmd: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .env("PATH", path_with_lrw())
        .env("LRW_AUTHOR", "newcomer")
        .env_remove("LRW_CRITERIA_DIR")
        .env_remove("NO_COLOR")
        .output()
        .expect("sh runs")
}

fn shown(out: &Output) -> String {
    format!(
        "exit status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The bytes of every file under `dir`, by path: to tell that the clone's example was left
/// alone.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The walkthrough's commands, with its scratch folder (the `mkdir -p` line's) moved into
/// `scratch`.
struct Walkthrough {
    commands: Vec<String>,
    scratch: String,
}

fn walkthrough() -> Walkthrough {
    let readme = read("README.md");
    let part = section(&readme, "## Five minutes with the example");
    let commands: Vec<String> = blocks(part, "sh").iter().flat_map(|b| commands(b)).collect();
    let scratch = commands
        .iter()
        .find_map(|c| c.strip_prefix("mkdir -p "))
        .expect("the walkthrough makes a scratch folder with mkdir -p")
        .trim()
        .to_string();
    Walkthrough { commands, scratch }
}

#[cfg(unix)]
#[test]
fn the_readme_walkthrough_runs_on_a_scratch_copy_of_the_example() {
    let w = walkthrough();
    let start = |prefix: &str| w.commands.iter().any(|c| c.starts_with(prefix));
    for step in [
        "mkdir -p ",
        "cp -r reviews texts ",
        "cd ",
        "lrw open ",
        "lrw thread add ",
        "lrw check ",
        "lrw export ",
    ] {
        assert!(start(step), "the walkthrough has no `{step}...`: {:#?}", w.commands);
    }
    let before = snapshot(&root().join("reviews"));
    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path().join("lrw-try");
    let scratch_s = scratch.display().to_string();
    let mut cwd = root().to_path_buf();
    let mut ran = Vec::new();
    for c in &w.commands {
        let c = c.replace(&w.scratch, &scratch_s);
        if let Some(dir) = c.strip_prefix("cd ") {
            cwd = cwd.join(dir.trim());
            continue;
        }
        if c.starts_with("lrw open") || c == "lrw" {
            continue; // the workbench: see the tmux test below
        }
        let out = shell(&cwd, &c);
        assert!(
            out.status.success(),
            "README walkthrough: `{c}` failed in {}\n{}",
            cwd.display(),
            shown(&out)
        );
        ran.push((c, out));
    }
    assert_eq!(cwd, scratch, "the walkthrough works in its scratch folder");
    let review =
        std::fs::read_to_string(scratch.join("reviews/example-model-license.toml")).unwrap();
    let out_of = |prefix: &str| {
        let (_, out) = ran.iter().find(|(c, _)| c.starts_with(prefix)).unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // The thread added is in the file, in the export, and `check` is content with it.
    let id = out_of("lrw thread add ").trim().to_string();
    assert!(id.starts_with("t-") && review.contains(&format!("id = \"{id}\"")), "{id}\n{review}");
    assert!(out_of("lrw check ").contains("ok: no problems"));
    assert!(out_of("lrw export ").contains(&format!("({id})")), "the export shows {id}");
    let body = w
        .commands
        .iter()
        .find(|c| c.starts_with("lrw thread add "))
        .and_then(|c| c.split("--body \"").nth(1))
        .and_then(|b| b.split('"').next())
        .expect("thread add has a --body");
    assert!(review.contains(body), "the new comment is in the review file");
    // The clone's example is as shipped: `cargo run --release` still opens it unchanged.
    assert_eq!(snapshot(&root().join("reviews")), before, "the walkthrough changed reviews/");
}

/// The workbench part of the walkthrough, in a real terminal (tmux); only with the workbench
/// built in (the `tui` feature).
#[cfg(all(unix, feature = "tui"))]
mod workbench {
    use super::*;
    use std::time::{Duration, Instant};

    /// A private tmux server, killed when dropped.
    struct Tmux {
        socket: String,
    }

    impl Tmux {
        fn run(&self, args: &[&str]) -> Output {
            Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs")
        }

        fn screen(&self) -> String {
            String::from_utf8_lossy(&self.run(&["capture-pane", "-p"]).stdout).into_owned()
        }

        fn wait_for(&self, needle: &str) -> String {
            let end = Instant::now() + Duration::from_secs(30);
            loop {
                let s = self.screen();
                if s.contains(needle) {
                    return s;
                }
                assert!(Instant::now() < end, "timed out waiting for {needle:?}; screen:\n{s}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }

        fn keys(&self, keys: &[&str]) {
            let mut args = vec!["send-keys", "-t", "0"];
            args.extend_from_slice(keys);
            assert!(self.run(&args).status.success(), "send-keys {keys:?}");
        }
    }

    impl Drop for Tmux {
        fn drop(&mut self) {
            let _ = self.run(&["kill-server"]);
        }
    }

    #[test]
    fn the_readme_walkthrough_posts_a_comment_in_the_workbench() {
        let readme = read("README.md");
        let part = section(&readme, "## Five minutes with the example");
        for key in ["`:2.2b`", "`Enter`", "`a`", "`Ctrl+S`", "`q`", "posted"] {
            assert!(part.contains(key), "the walkthrough no longer says {key}; update this test");
        }
        let w = walkthrough();
        let open = w.commands.iter().find(|c| c.starts_with("lrw open ")).unwrap();
        if !common::program("tmux", &["-V"]) {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let scratch = tmp.path().join("lrw-try");
        let scratch_s = scratch.display().to_string();
        let mut cwd = root().to_path_buf();
        for c in w.commands.iter().take_while(|c| !c.starts_with("lrw open")) {
            let c = c.replace(&w.scratch, &scratch_s);
            match c.strip_prefix("cd ") {
                Some(dir) => cwd = cwd.join(dir.trim()),
                None => assert!(shell(&cwd, &c).status.success(), "{c}"),
            }
        }
        let cmd = open.replacen("lrw", env!("CARGO_BIN_EXE_lrw"), 1);
        let t = Tmux { socket: format!("lrw-readme-{}", std::process::id()) };
        let cwd_s = cwd.display().to_string();
        let started = t.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "110",
            "-y",
            "32",
            "-c",
            &cwd_s,
            "-e",
            "LRW_AUTHOR=newcomer",
            "-e",
            "TERM=xterm-256color",
            &cmd,
        ]);
        assert!(started.status.success(), "tmux: {}", String::from_utf8_lossy(&started.stderr));
        t.wait_for("Clauses");
        t.keys(&[":"]);
        t.keys(&["-l", "2.2b"]);
        t.keys(&["Enter"]);
        t.wait_for("Threads · 2.2(b)");
        t.keys(&["a"]);
        t.wait_for("Ctrl+S");
        let comment = "My first comment, from the README.";
        t.keys(&["-l", comment]);
        t.wait_for(comment);
        t.keys(&["C-s"]);
        t.wait_for("posted and saved");
        t.keys(&["q"]);
        let end = Instant::now() + Duration::from_secs(20);
        while t.run(&["has-session"]).status.success() {
            assert!(Instant::now() < end, "lrw did not quit; screen:\n{}", t.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
        let review =
            std::fs::read_to_string(scratch.join("reviews/example-model-license.toml")).unwrap();
        assert!(review.contains(comment), "the comment is saved in the scratch copy");
    }
}

/// One `$` command of a console block and the lines shown after it.
struct Example {
    command: String,
    shown: Vec<String>,
}

/// The `$` commands of a console block (with here-documents), each with the output shown.
fn examples(block: &str) -> Vec<Example> {
    let lines: Vec<&str> = block.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = lines[i].strip_prefix("$ ") else {
            i += 1;
            continue;
        };
        let mut command = first.to_string();
        i += 1;
        while command.ends_with('\\') && i < lines.len() {
            command.pop();
            command.push(' ');
            command.push_str(lines[i].trim());
            i += 1;
        }
        if let Some(at) = command.find("<<") {
            let end = command[at + 2..].trim().trim_matches('\'').trim_matches('"').to_string();
            while i < lines.len() && lines[i] != end {
                command.push('\n');
                command.push_str(lines[i]);
                i += 1;
            }
            command.push('\n');
            command.push_str(&end);
            command.push('\n');
            i += 1;
        }
        let mut shown = Vec::new();
        while i < lines.len() && !lines[i].starts_with("$ ") {
            shown.push(lines[i].trim_end().to_string());
            i += 1;
        }
        out.push(Example { command, shown });
    }
    out
}

/// Whether `line` is what `pattern` shows: the same, where `…` in the pattern stands for any
/// text (a random id, a time).
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split('…').collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let Some(mut rest) = line.strip_prefix(parts[0]) else { return false };
    let last = parts[parts.len() - 1];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(k) => rest = &rest[k + p.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(unix)]
#[test]
fn every_example_of_the_command_reference_runs_and_prints_what_it_shows() {
    let page = read("docs/commands.md");
    let readme = read("README.md");
    // Its scratch copy is made as the README's walkthrough makes it.
    let setup = commands(&blocks(&page, "sh")[0]);
    let w = walkthrough();
    assert_eq!(setup, w.commands[..3].to_vec(), "docs/commands.md sets up as the README does");
    assert!(readme.contains("docs/commands.md"));

    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path().join("lrw-try");
    let scratch_s = scratch.display().to_string();
    for c in &setup {
        let c = c.replace(&w.scratch, &scratch_s);
        if c.starts_with("cd ") {
            continue;
        }
        assert!(shell(root(), &c).status.success(), "{c}");
    }
    let mut failures = Vec::new();
    let mut count = 0;
    for block in blocks(&page, "console") {
        for ex in examples(&block) {
            count += 1;
            let out = shell(&scratch, &ex.command);
            let (stdout, stderr) =
                (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            let actual: Vec<&str> =
                stdout.lines().chain(stderr.lines()).map(str::trim_end).collect();
            let mut problems = Vec::new();
            match out.status.code() {
                None => problems.push("killed by a signal".to_string()),
                Some(0 | 1) => {}
                Some(_) if ex.shown.is_empty() => problems.push("failed, showing nothing".into()),
                Some(_) => {}
            }
            for want in ex.shown.iter().filter(|l| *l != "...") {
                if !actual.iter().any(|a| line_matches(want, a)) {
                    problems.push(format!("does not print {want:?}"));
                }
            }
            let abridged = ex.shown.iter().any(|l| l == "...");
            let lines = |v: &[&str]| v.iter().filter(|l| !l.is_empty()).count();
            let expected: Vec<&str> = ex.shown.iter().map(String::as_str).collect();
            if !abridged && !expected.is_empty() && lines(&actual) != lines(&expected) {
                problems.push(format!(
                    "prints {} lines, the page shows {}",
                    lines(&actual),
                    lines(&expected)
                ));
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "$ {}\n  {}\n{}",
                    ex.command,
                    problems.join("\n  "),
                    shown(&out)
                ));
            }
        }
    }
    assert!(count >= 20, "only {count} examples found in docs/commands.md");
    assert!(failures.is_empty(), "docs/commands.md is out of date:\n\n{}", failures.join("\n\n"));
}

#[test]
fn the_reviews_in_the_docs_are_valid() {
    let format = read("docs/format.md");
    let tomls = blocks(&format, "toml");
    let mut reviews = 0;
    for t in &tomls {
        if t.starts_with("format = \"lrw-review/1\"") {
            let review = lrw::review::parse(t, Path::new("reviews/x.toml"))
                .unwrap_or_else(|e| panic!("docs/format.md: a review that does not parse: {e}"));
            assert!(lrw::review::validate(&review).is_empty());
            reviews += 1;
        } else if t.starts_with("id = ") {
            lrw::criteria::parse(t, Path::new("house.toml")).unwrap_or_else(|e| {
                panic!("docs/format.md: a criteria set that does not parse: {e}")
            });
        }
    }
    assert!(reviews >= 1, "docs/format.md shows no whole review");
    // The README's thread, in a review of the example's versions.
    let readme = read("README.md");
    let thread = blocks(section(&readme, "## The review file"), "toml").remove(0);
    let whole = format!(
        "format = \"lrw-review/1\"\n\n[[versions]]\nid = \"website\"\npath = \"a.md\"\n\n\
         [[versions]]\nid = \"submitted\"\npath = \"b.md\"\n\n[compare]\nleft = \"website\"\n\
         right = \"submitted\"\n\n{thread}"
    );
    let review = lrw::review::parse(&whole, Path::new("reviews/x.toml")).unwrap();
    assert!(review.threads[0].anchor.is_some());
}

#[test]
fn the_readme_shows_the_current_screenshot() {
    let readme = read("README.md");
    let capture = read("docs/screenshots/workbench.txt");
    assert!(
        blocks(&readme, "").iter().any(|b| b.trim_end() == capture.trim_end()),
        "README.md's screenshot is not docs/screenshots/workbench.txt: copy the capture (made by \
         docs/screenshots/make.sh) into README.md's code block under \"What it looks like\""
    );
    assert!(readme.contains("docs/screenshots/export-html.png"));
}

#[test]
fn the_readme_states_the_minimum_rust_version_of_cargo_toml() {
    let manifest = read("Cargo.toml");
    let msrv = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("Cargo.toml has a rust-version");
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("Rust {msrv} or newer")),
        "README.md: say `Rust {msrv} or newer`"
    );
    assert!(readme.contains("cargo install --path ."));
    assert!(readme.contains("lrw --version"));
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown text's headings (outside code blocks).
fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// The targets of the Markdown links and images of a text, outside code blocks and code spans.
fn links(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Code spans are not links.
        let plain: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = plain.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            let target = after[..end].split_whitespace().next().unwrap_or("").to_string();
            out.push(target);
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_relative_link_of_the_docs_leads_to_a_file_of_the_repository() {
    let repo = root().canonicalize().unwrap();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (name, text) in docs() {
        let dir = repo.join(&name).parent().unwrap().to_path_buf();
        for target in links(&text) {
            if target.is_empty()
                || target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            let (file, anchor) = match target.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (target.as_str(), None),
            };
            let path = if file.is_empty() { repo.join(&name) } else { dir.join(file) };
            let Ok(resolved) = path.canonicalize() else {
                broken.push(format!("{name}: {target}: no such file"));
                continue;
            };
            if !resolved.starts_with(&repo) {
                broken.push(format!("{name}: {target}: outside the repository"));
                continue;
            }
            if let Some(a) = anchor
                && resolved.extension().is_some_and(|e| e == "md")
            {
                let there = std::fs::read_to_string(&resolved).unwrap();
                if !anchors(&there).iter().any(|h| h == a) {
                    broken.push(format!("{name}: {target}: no heading #{a} there"));
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} relative links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn no_doc_names_a_path_outside_the_repository() {
    for (name, text) in docs() {
        for (n, line) in text.lines().enumerate() {
            assert!(!line.contains("../shared"), "{name}:{}: names ../shared: {line}", n + 1);
        }
    }
}

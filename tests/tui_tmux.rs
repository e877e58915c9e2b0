//! End to end: the real `lrw` binary in a real terminal (tmux), driven by keys.
//!
//! Skipped with a note when tmux is missing. Each test uses its own tmux server
//! (`tmux -L <unique>`), and waits by polling the screen with a bounded timeout.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A private tmux server, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, dir: &Path, cmd: &str) -> Option<Tmux> {
        Tmux::start_sized(name, dir, cmd, (120, 40), &[])
    }

    /// A session `size` columns by rows, with `env` set for the command.
    fn start_sized(
        name: &str,
        dir: &Path,
        cmd: &str,
        size: (u16, u16),
        env: &[(&str, &str)],
    ) -> Option<Tmux> {
        if !common::program("tmux", &["-V"]) {
            return None;
        }
        let socket = format!("lrw-test-{name}-{}", std::process::id());
        let t = Tmux { socket };
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let dir = dir.display().to_string();
        let mut args = vec!["-f", "/dev/null", "new-session", "-d", "-x", &w, "-y", &h, "-c", &dir];
        // The defaults, unless `env` sets them.
        let defaults = [("LRW_AUTHOR", "tester"), ("TERM", "xterm-256color")];
        let env: Vec<String> = defaults
            .iter()
            .filter(|(k, _)| !env.iter().any(|(e, _)| e == k))
            .chain(env)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for e in &env {
            args.extend(["-e", e.as_str()]);
        }
        args.push(cmd);
        let out = t.run(&args);
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        Some(t)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "send-keys {keys:?}");
    }

    /// Type literal text (no key-name lookup).
    fn text(&self, s: &str) {
        let out = self.run(&["send-keys", "-t", "0", "-l", s]);
        assert!(out.status.success(), "send-keys -l {s:?}");
    }

    /// Wait until the screen shows `needle`; panics with the screen after `secs` seconds.
    fn wait_for(&self, needle: &str, secs: u64) -> String {
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            if Instant::now() > end {
                panic!("timed out waiting for {needle:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Wait until the program in the pane has exited (the session is gone).
    fn wait_exit(&self, secs: u64) {
        let end = Instant::now() + Duration::from_secs(secs);
        while self.run(&["has-session"]).status.success() {
            if Instant::now() > end {
                panic!("lrw did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Paste `text` as tmux pastes a buffer: line feeds sent as CR; `bracketed` wraps it in
    /// the bracketed-paste codes (the workbench asks for them).
    fn paste(&self, text: &str, bracketed: bool) {
        let out = self.run(&["set-buffer", "-b", "lrw", text]);
        assert!(out.status.success(), "set-buffer");
        let mut args = vec!["paste-buffer", "-b", "lrw", "-t", "0"];
        if bracketed {
            args.push("-p");
        }
        assert!(self.run(&args).status.success(), "paste-buffer");
    }

    /// Wait until the screen no longer shows `needle`.
    fn wait_gone(&self, needle: &str, secs: u64) -> String {
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let s = self.screen();
            if !s.contains(needle) {
                return s;
            }
            if Instant::now() > end {
                panic!("timed out waiting for {needle:?} to go; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Wait until the screen differs from `before`; returns the new screen.
    fn wait_change(&self, before: &str, secs: u64) -> String {
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let s = self.screen();
            if s != before {
                return s;
            }
            if Instant::now() > end {
                panic!("timed out waiting for the screen to change; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    fn pane_title(&self) -> String {
        let out = self.run(&["display-message", "-p", "-t", "0", "#{pane_title}"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Tmux {
    /// Jump to clause `clause` (as typed after `:`), start a thread there (the editor shows
    /// `opened`), type `text`, post it with Ctrl+S and quit.
    fn post_thread(&self, clause: &str, shown_as: &str, opened: &str, text: &str) {
        self.wait_for("Threads", 20);
        self.keys(&[":"]);
        self.text(clause);
        self.keys(&["Enter"]);
        self.wait_for(&format!("Threads \u{b7} {shown_as} "), 10);
        self.keys(&["a"]);
        self.wait_for(opened, 10);
        self.text(text);
        self.wait_for(text, 10);
        self.keys(&["C-s"]);
        self.wait_for("posted and saved", 10);
        self.keys(&["q"]);
        self.wait_exit(10);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// The draft recovery files next to `review` (`.NAME.toml.draft…`), sorted.
fn drafts(review: &Path) -> Vec<std::path::PathBuf> {
    let name = review.file_name().unwrap().to_string_lossy().into_owned();
    let prefix = format!(".{name}.draft");
    let mut out: Vec<_> = std::fs::read_dir(review.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

fn lrw_cmd(review: &Path) -> String {
    format!("{} open {}", env!("CARGO_BIN_EXE_lrw"), review.display())
}

#[test]
fn post_a_thread_and_find_it_in_the_file() {
    let (dir, review) = common::example_copy();
    let Some(t) = Tmux::start("post", dir.path(), &lrw_cmd(&review)) else { return };
    t.post_thread("2", "2", "New thread on 2", "Tmux says hello");
    let saved = std::fs::read_to_string(&review).unwrap();
    assert!(saved.contains("Tmux says hello"), "comment not in the review:\n{saved}");
    assert!(saved.contains("author = \"tester\""), "author not in the review:\n{saved}");
    assert_eq!(drafts(&review), Vec::<std::path::PathBuf>::new(), "no recovery file left");
}

/// Issue 13: a text edited in place (a new (b) inserted before the output provision, which is
/// now 2.2(c)). The real program shows the threads under 2.2(c), marked as moved, none under the
/// new 2.2(b); `A` records the new text and the file then anchors them at 2.2(c).
#[test]
fn threads_follow_their_clause_when_the_text_is_edited_in_place() {
    let (dir, review) = common::example_copy();
    let file = dir.path().join("texts/example-model-license/2.0-submitted.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "(b) if you distribute a collection of Output",
        "(b) if you offer the Model as a hosted service, you shall publish its terms; and\n\n\
         (c) if you distribute a collection of Output",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    let Some(t) = Tmux::start("in-place", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("its file changed", 20);
    t.keys(&[":"]);
    t.text("2.2(c)");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Threads · 2.2(c) · 1/2", 10);
    assert!(screen.contains("t-7f3a9c ⚑ moved (was 2.2(b) in submitted)"), "{screen}");
    t.keys(&[":"]);
    t.text("2.2(b)");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Threads · 2.2(b)", 10);
    assert!(!screen.contains("t-7f3a9c"), "nothing on the new 2.2(b):\n{screen}");
    t.keys(&["A"]);
    t.wait_for("Record the new text?", 10);
    t.keys(&["y"]);
    t.wait_for("is recorded", 10);
    t.keys(&["q"]);
    t.wait_exit(10);
    let r = lrw::review::load(&review).unwrap();
    let thread = r.threads.iter().find(|t| t.id == "t-7f3a9c").unwrap();
    let anchor = thread.anchor.as_ref().expect("anchored");
    assert_eq!((anchor.version.as_str(), anchor.clause.as_str()), ("submitted", "2.2(c)"));
}

/// A license without numbering (MIT) is read as paragraphs: `:p2` then `a` comments on `¶2`.
#[test]
fn comment_on_a_paragraph_of_mit() {
    let dir = tempfile::tempdir().unwrap();
    let new =
        common::run_in(dir.path(), &["new", "spdx:MIT", "spdx:MIT-0", "--no-open", "-o", "r.toml"]);
    common::assert_code(&new, 0);
    let review = dir.path().join("r.toml");
    let Some(t) = Tmux::start("paragraph", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("Paragraphs 4", 20);
    t.post_thread("p2", "\u{b6}2", "New thread on \u{b6}2 (mit-0)", "No notice condition here");
    let saved = std::fs::read_to_string(&review).unwrap();
    assert!(saved.contains("clause = \"\u{b6}2\""), "not anchored to the paragraph:\n{saved}");
    assert!(saved.contains("No notice condition here"), "comment not in the review:\n{saved}");
}

#[test]
fn posting_keeps_the_notes_written_in_the_review_by_hand() {
    let (dir, review) = common::example_copy();
    let canonical = std::fs::read_to_string(&review).unwrap();
    let hand = format!("# top note\n{canonical}\n# end of review\n").replacen(
        "\n[[threads]]\nid = \"t-2b81e4\"",
        "\n# about the second thread\n[[threads]]\nid = \"t-2b81e4\"",
        1,
    );
    std::fs::write(&review, &hand).unwrap();
    let Some(t) = Tmux::start("notes", dir.path(), &lrw_cmd(&review)) else { return };
    t.post_thread("2", "2", "New thread on 2", "Notes stay");
    let saved = std::fs::read_to_string(&review).unwrap();
    assert!(saved.contains("Notes stay"), "comment not in the review:\n{saved}");
    assert!(saved.starts_with("# top note\nformat = "), "{saved}");
    assert!(saved.contains("\n# about the second thread\n[[threads]]\nid = \"t-2b81e4\""));
    assert!(saved.ends_with("\n# end of review\n"), "{saved}");
    // Only the new thread was added: removing its lines gives the hand-written file back.
    let start = saved.find("\n[[threads]]\nid = ").map(|_| ()).and(saved.rfind("\n[[threads]]\n"));
    let start = start.unwrap();
    let end = saved.find("\n# end of review").unwrap();
    assert_eq!(format!("{}{}", &saved[..start], &saved[end..]), hand);
}

#[test]
fn e_writes_the_same_summary_as_lrw_export() {
    let (dir, review) = common::example_copy();
    let Some(t) = Tmux::start("export", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("Clauses", 20);
    t.keys(&["e"]);
    t.wait_for("Export a summary", 10);
    t.keys(&["j", "j", "Enter"]);
    t.wait_for("Summary written to", 20);
    t.keys(&["q"]);
    t.wait_exit(10);
    let written = dir.path().join("reviews/example-model-license-summary.txt");
    let from_tui = std::fs::read_to_string(&written).expect("the summary file exists");
    let review_arg = review.display().to_string();
    let cli = common::run_in(
        dir.path(),
        &["export", &review_arg, "--format", "txt", "--version", "submitted"],
    );
    common::assert_code(&cli, 0);
    assert_eq!(from_tui, common::stdout(&cli), "the TUI's summary differs from lrw export's");
    assert!(from_tui.contains("2.2(b)"), "{from_tui}");
}

/// `L` ranks the right-hand version against the SPDX licenses; Enter on the closest adds it
/// to the review as a version (saved at once) and shows it on the left.
#[test]
fn capital_l_opens_the_closest_spdx_license_on_the_left() {
    let (dir, review) = common::example_copy();
    let right = dir.path().join("texts/example-model-license/2.0-submitted.md");
    let text = lrw::text::load(&right.display().to_string()).unwrap();
    let opts = lrw::similarity::RankOptions { top: 1, osi_only: false };
    let best = lrw::similarity::rank(&text, &opts).remove(0).id;
    let id = format!("spdx-{best}");
    let Some(t) = Tmux::start("closest", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("Clauses", 30);
    // The ranking runs in the background: `w`, typed right after `L`, is handled while it
    // runs (the first ranking decodes the SPDX texts, which a debug build takes well over
    // the moment between two keys of one send-keys to do).
    t.keys(&["L", "w"]);
    // A debug binary on a busy machine decodes the SPDX texts slowly: wait generously.
    let screen = t.wait_for("SPDX licenses closest to submitted", 120);
    assert!(screen.contains(&format!("  {best} ")), "the best match is listed:\n{screen}");
    assert!(screen.lines().next().unwrap().ends_with("· no wrap"), "w was handled:\n{screen}");
    t.keys(&["Enter"]);
    t.wait_for(&format!("spdx:{best} added as version {id} and saved"), 120);
    // The header names both versions (the message is on the status line).
    t.keys(&["Escape"]);
    t.wait_for(&format!("· {id} ↔ submitted ·"), 30);
    t.keys(&["q"]);
    t.wait_exit(20);
    let saved = std::fs::read_to_string(&review).unwrap();
    assert!(
        saved.contains(&format!("id = \"{id}\"\npath = \"spdx:{best}\"\n")),
        "the new version is not in the review:\n{saved}"
    );
    let check = common::run_in(dir.path(), &["check", &review.display().to_string()]);
    common::assert_code(&check, 0);
}

/// With wrapping off (`w`), `>` `<`, Shift+arrows and `0` scroll both texts sideways; the
/// line numbers stay and the header tells the offset.
#[test]
fn without_wrapping_the_texts_scroll_sideways() {
    let (dir, review) = common::example_copy();
    let line5 = "Copyright 2025 Kestrel Bay Labs. Kestrel Bay Labs and this license are fictional";
    // 120 columns: 48-column text panes, 39 columns of text after border and gutter.
    let shown = |from: usize| format!("    5  {}┃", &line5[from..from + 39]);
    let Some(t) = Tmux::start("sideways", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("Clauses", 20);
    t.keys(&["w"]);
    let screen = t.wait_for(&shown(0), 10);
    assert!(screen.lines().next().unwrap().trim_end().ends_with("· no wrap"), "{screen}");
    t.keys(&[">", ">"]);
    t.wait_for("· no wrap →16\n", 10);
    let screen = t.wait_for(&shown(16), 10);
    assert_eq!(screen.matches(&shown(16)).count(), 2, "both texts, in step:\n{screen}");
    t.keys(&["S-Left"]);
    t.wait_for("· no wrap →8\n", 10);
    t.wait_for(&shown(8), 10);
    t.keys(&["S-Right", "S-Right"]);
    t.wait_for("· no wrap →24\n", 10);
    t.wait_for(&shown(24), 10);
    t.keys(&["<"]);
    t.wait_for(&shown(16), 10);
    t.keys(&["0"]);
    let screen = t.wait_for(&shown(0), 10);
    assert!(screen.lines().next().unwrap().trim_end().ends_with("· no wrap"), "{screen}");
    // Wrapping again shows whole lines; unwrapping starts at the first column.
    t.keys(&[">", "w"]);
    t.wait_for("· wrap\n", 10);
    t.keys(&["w"]);
    t.wait_for(&shown(0), 10);
    t.keys(&["q"]);
    t.wait_exit(10);
}

#[test]
fn an_osc_title_in_a_text_does_not_retitle_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "1. Grant\n\nYou may use the Work.\u{1b}]2;PWNED\u{7}\u{1b}]0;PWNED\u{7}\n\n\
                   2. Limits\n\nDo not \u{202e}lles\u{202c} it. \u{1b}[2J\u{9b}31m\n";
    std::fs::write(dir.path().join("a.txt"), "1. Grant\n\nYou may use the Work.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), hostile).unwrap();
    let review = dir.path().join("r.toml");
    std::fs::write(
        &review,
        "format = \"lrw-review/1\"\ntitle = \"hostile\"\n\n[[versions]]\nid = \"a\"\npath = \
         \"a.txt\"\n\n[[versions]]\nid = \"b\"\npath = \"b.txt\"\n\n[compare]\nleft = \"a\"\n\
         right = \"b\"\n",
    )
    .unwrap();
    // A control pane shows that this tmux does let an OSC sequence set the title, so the
    // check below can fail.
    let Some(control) = Tmux::start("osc-control", dir.path(), "sh") else { return };
    control.text("printf '\\033]2;PWNED\\007'; sleep 30");
    control.keys(&["Enter"]);
    let end = Instant::now() + Duration::from_secs(10);
    while control.pane_title() != "PWNED" && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(40));
    }
    if control.pane_title() != "PWNED" {
        eprintln!("note: this tmux ignores OSC titles; the title check proves nothing here");
    }
    let t = Tmux::start("osc", dir.path(), &lrw_cmd(&review)).unwrap();
    let before = t.pane_title();
    // (Waiting for each, as a capture can catch a frame half drawn.)
    t.wait_for("␛]2;PWNED␇", 20);
    let screen = t.wait_for("bidi or invisible", 5);
    assert!(screen.contains("␛]2;PWNED␇"), "markers shown:\n{screen}");
    t.keys(&["j", "j", "j"]);
    t.wait_for("Clauses", 5);
    assert_eq!(t.pane_title(), before);
    assert_ne!(t.pane_title(), "PWNED");
    t.keys(&["q"]);
    t.wait_exit(10);
}

/// The pid of the `lrw` process whose parent is `parent` (from /proc), if any.
fn child_lrw(parent: u32) -> Option<u32> {
    for e in std::fs::read_dir("/proc").ok()? {
        let name = e.ok()?.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
        let Some((head, rest)) = stat.rsplit_once(')') else { continue };
        let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok());
        if head.ends_with("(lrw") && ppid == Some(parent) {
            return Some(pid);
        }
    }
    None
}

/// True while `pid` is a live process (not gone, not a zombie waiting to be reaped).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
        }
        Err(_) => false,
    }
}

/// The terminal goes away and no signal tells lrw: a shell that ignores SIGHUP is the session
/// leader, so only it would get one. lrw must notice the hang-up itself, exit, and keep what
/// was being typed in the recovery file.
#[test]
fn a_vanished_terminal_ends_the_workbench_and_keeps_the_draft() {
    if !Path::new("/proc/self/stat").exists() {
        eprintln!("note: no /proc here; skipping the hang-up test");
        return;
    }
    let (dir, review) = common::example_copy();
    let cmd = format!("sh -c 'trap \"\" HUP; {}; sleep 30'", lrw_cmd(&review));
    let Some(t) = Tmux::start("hangup", dir.path(), &cmd) else { return };
    t.wait_for("Clauses", 20);
    t.keys(&["a"]);
    t.wait_for("New thread on", 10);
    t.text("half a thought");
    t.wait_for("half a thought", 10);
    let out = t.run(&["display-message", "-p", "-t", "0", "#{pane_pid}"]);
    let shell: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("pane pid");
    let pid = child_lrw(shell).expect("lrw runs under the pane's shell");
    t.run(&["kill-server"]);
    let end = Instant::now() + Duration::from_secs(10);
    while alive(pid) {
        if Instant::now() > end {
            // Do not leave it spinning after the test.
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("lrw (pid {pid}) still runs 10 s after its terminal went away");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let kept = drafts(&review);
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept = std::fs::read_to_string(&kept[0]).expect("the draft was kept");
    assert!(kept.contains("half a thought"), "{kept}");
}

/// A script usable as `$EDITOR`: it appends `line` to the file it is given.
#[cfg(unix)]
#[allow(dead_code)]
fn editor_script(dir: &Path, line: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("editor.sh");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' '{line}' >> \"$1\"\n")).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script.display().to_string()
}

/// Writing in a real terminal: a paste without bracketed-paste codes (its line breaks come
/// as CR keys) keeps its lines; `E` edits your own comment (shown as edited) and `D`
/// deletes it, with a question first.
#[test]
fn a_raw_paste_keeps_its_lines_and_own_comments_are_edited_and_deleted() {
    let (dir, review) = common::example_copy();
    let Some(t) = Tmux::start_sized("writing", dir.path(), &lrw_cmd(&review), (80, 24), &[]) else {
        return;
    };
    t.wait_for("Clauses", 20);
    t.keys(&[":"]);
    t.text("2.3");
    t.keys(&["Enter"]);
    t.wait_for("Threads · 2.3", 10);
    t.keys(&["r"]);
    t.wait_for("Reply to", 10);
    t.paste("> first line\n> second line\n> third line", false);
    t.wait_for("> third line", 10);
    t.keys(&["C-s"]);
    t.wait_for("posted and saved", 10);
    let r = lrw::review::load(&review).unwrap();
    let mine = |r: &lrw::review::Review| {
        r.threads.iter().flat_map(|t| &t.comments).find(|c| c.author == "tester").cloned()
    };
    let c = mine(&r).expect("the reply");
    assert_eq!(c.body, "> first line\n> second line\n> third line");
    // E: the editor holds the comment; the new text replaces it.
    t.keys(&["Tab", "G", "E"]);
    t.wait_for("Your comment in", 10);
    t.text(" Amended.");
    t.keys(&["C-s"]);
    t.wait_for("edited and saved", 10);
    t.wait_for("· edited ", 10);
    let c = mine(&lrw::review::load(&review).unwrap()).unwrap();
    assert_eq!(c.body, "> first line\n> second line\n> third line Amended.");
    assert!(c.edited_at.is_some());
    // D asks, then deletes.
    t.keys(&["D"]);
    t.wait_for("Delete comment?", 10);
    t.keys(&["y"]);
    t.wait_for("deleted and saved", 10);
    assert!(mine(&lrw::review::load(&review).unwrap()).is_none());
    t.keys(&["q"]);
    t.wait_exit(10);
}

/// Versions from the workbench: the banner of a file changed in place and `A` to record its
/// text; `S` to add a version from a file, with an id, a label and a date; `i` folds case.
#[test]
fn versions_are_managed_and_case_folded_from_the_workbench() {
    let (dir, review) = common::example_copy();
    let texts = dir.path().join("texts/example-model-license");
    std::fs::copy(texts.join("2.1-submitted.md"), texts.join("2.2-draft.md")).unwrap();
    let submitted = texts.join("2.0-submitted.md");
    let text = std::fs::read_to_string(&submitted).unwrap();
    std::fs::write(&submitted, text.replace("Kestrel Bay Labs", "Kestrel Bay Laboratories"))
        .unwrap();
    let Some(t) = Tmux::start("versions", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("(A records the new text)", 20);
    t.keys(&["A"]);
    t.wait_for("Record the new text?", 10);
    t.keys(&["y"]);
    t.wait_for("is recorded", 10);
    let r = lrw::review::load(&review).unwrap();
    let now = lrw::text::load(&submitted.display().to_string()).unwrap();
    assert_eq!(r.version("submitted").unwrap().sha256.as_deref(), Some(now.sha256.as_str()));
    t.keys(&["S"]);
    t.wait_for("Versions · h on the left", 10);
    t.keys(&["a"]);
    t.wait_for("Text of the new version", 10);
    t.text("texts/example-model-license/2.2-draft.md");
    t.keys(&["Enter"]);
    t.wait_for("Its id: 2.2-draft", 10);
    t.keys(&["Enter"]);
    t.wait_for("Its label", 10);
    t.text("Draft of June");
    t.keys(&["Enter"]);
    t.wait_for("Its date", 10);
    t.text("2025-06-02");
    t.keys(&["Enter"]);
    t.wait_for("added as version 2.2-draft and saved", 10);
    t.wait_for("Draft of June", 10);
    // (Esc and a key in one write read as Alt+key: one at a time.)
    t.keys(&["Escape"]);
    t.wait_gone("Versions · h on the left", 10);
    t.keys(&["i"]);
    t.wait_for("· normalised, any case ·", 10);
    // s: the selection stays on its clause: the website's 2.2(b) is the revision's 2.4(b).
    t.keys(&[":"]);
    t.text("2.2(b)");
    t.keys(&["Enter"]);
    t.wait_for("Threads · 2.2(b)", 10);
    t.keys(&["s"]);
    t.wait_for("Compare · Enter chooses", 10);
    t.keys(&["j", "Enter"]);
    t.wait_for("website ↔ revised", 10);
    t.wait_for("Threads · 2.4(b)", 10);
    t.keys(&["q"]);
    t.wait_exit(10);
    let r = lrw::review::load(&review).unwrap();
    let v = r.version("2.2-draft").expect("the new version");
    assert_eq!(v.path, "../texts/example-model-license/2.2-draft.md");
    assert_eq!(
        (v.label.as_deref(), v.date.as_deref()),
        (Some("Draft of June"), Some("2025-06-02"))
    );
    let check = common::run_in(dir.path(), &["check", &review.display().to_string()]);
    common::assert_code(&check, 0);
}

/// The walkthrough of issue 14, in one real terminal of 80x24: open a review, read a
/// 30-line reply to its end, paste a three-line quote, answer it in `$EDITOR`, set the
/// verdict to conflict with one letter, open the threads list, filter the open conflicts,
/// go to one, resolve it, and see who resolved it in `lrw export`.
#[cfg(unix)]
#[test]
fn walkthrough_a_review_session_at_80x24() {
    use lrw::review::{Change, Session};
    let (dir, review) = common::example_copy();
    // A 30-line reply from reviewer-c on thread t-2b81e4 (a question on 2.2(b)).
    let body: String = (1..=30).map(|i| format!("Line {i} of the reply.\n")).collect();
    let mut s = Session::open(&review, vec![]).unwrap();
    let reply = Change::Reply { thread: "t-2b81e4".into(), body, message_id: None };
    s.apply(reply, "reviewer-c").unwrap();
    drop(s);
    let answer = "The notice binds only the first publisher.";
    let editor = editor_script(dir.path(), answer);
    let env = [("EDITOR", editor.as_str()), ("VISUAL", "")];
    let Some(t) = Tmux::start_sized("walkthrough", dir.path(), &lrw_cmd(&review), (80, 24), &env)
    else {
        return;
    };
    t.wait_for("Clauses", 20);

    // Read the reply to its end: to its thread, then a page at a time.
    t.keys(&[":"]);
    t.text("2.2(b)");
    t.keys(&["Enter"]);
    t.wait_for("Threads · 2.2(b)", 10);
    t.keys(&["Tab"]);
    t.wait_for("j/k read", 10);
    t.keys(&["]"]);
    let mut screen = t.wait_for("Thread 4/7: t-2b81e4", 10);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..30 {
        for l in screen.lines() {
            if let Some(n) = l.split("Line ").nth(1).and_then(|r| r.split(' ').next()) {
                seen.insert(n.parse::<usize>().unwrap());
            }
        }
        let border = screen.lines().rev().find(|l| l.contains('–')).unwrap_or("");
        if seen.contains(&30)
            && common::position(border).is_some_and(|(_, last, total)| last == total)
        {
            break;
        }
        t.keys(&["Space"]);
        screen = t.wait_change(&screen, 10);
    }
    assert_eq!(seen, (1..=30).collect(), "every line of the reply was on screen:\n{screen}");

    // Reply: paste a three-line quote (tmux sends its line breaks as CR), then answer it in
    // $EDITOR (a script that adds a line), and post.
    t.keys(&["r"]);
    t.wait_for("Reply to t-2b81e4", 10);
    t.paste("> How could anyone comply\n> with this a few\n> generations later?", true);
    t.wait_for("> generations later?", 10);
    // A blank line after the quote, as in a mail; the answer is written in $EDITOR.
    t.keys(&["Enter"]);
    t.keys(&["C-e"]);
    t.wait_for(answer, 20);
    t.wait_for("back from $EDITOR", 10);
    t.keys(&["C-s"]);
    t.wait_for("reply to t-2b81e4 posted and saved", 10);
    let r = lrw::review::load(&review).unwrap();
    let posted = r.thread("t-2b81e4").unwrap().comments.last().unwrap().clone();
    assert_eq!(posted.author, "tester");
    assert_eq!(
        posted.body,
        format!("> How could anyone comply\n> with this a few\n> generations later?\n\n{answer}")
    );

    // Verdict conflict with one letter.
    t.keys(&["v"]);
    t.wait_for("c conforms", 10);
    t.keys(&["f"]);
    t.wait_for("t-2b81e4: verdict conflict, saved", 10);

    // The threads list, filtered to the open conflicts; go to this thread.
    t.keys(&["T"]);
    t.wait_for("Threads of the review · 7 of 7", 10);
    t.keys(&["f"]);
    t.wait_for("Filter the threads", 10);
    t.keys(&["Right", "Down", "f"]);
    t.wait_for("‹ conflict ›", 10);
    t.keys(&["Enter"]);
    let list = t.wait_for("filter: open, conflict", 10);
    assert!(list.contains("Threads of the review · 2 of 7"), "{list}");
    t.keys(&["j", "Enter"]);
    t.wait_for("Thread 4/7: t-2b81e4 on 2.2(b)", 10);

    // Resolve it.
    t.keys(&["x"]);
    t.wait_for("t-2b81e4 resolved and saved", 10);
    // Its end shows who resolved it, and when.
    t.keys(&["G"]);
    t.wait_for("· tester set status open → resolved", 10);
    t.keys(&["q"]);
    t.wait_exit(10);

    // Who resolved it, in the export.
    let out =
        common::run_in(dir.path(), &["export", &review.display().to_string(), "--format", "txt"]);
    common::assert_code(&out, 0);
    let txt = common::stdout(&out);
    assert!(txt.contains("tester set status open -> resolved"), "{txt}");
    assert!(txt.contains("tester set verdict question -> conflict"), "{txt}");
    assert!(txt.contains(answer), "{txt}");
}

/// `M`: the clause-by-criterion matrix in a real terminal; `Enter` goes to the clause.
#[test]
fn m_shows_the_matrix_and_enter_goes_to_the_clause() {
    let (dir, review) = common::example_copy();
    let Some(t) = Tmux::start("matrix", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("Clauses", 20);
    t.keys(&["M"]);
    let screen = t.wait_for("7 threads · 5 open · 2 resolved", 10);
    assert!(screen.contains("2.2(b)") && screen.contains("conflict"), "{screen}");
    t.keys(&["j", "j", "Enter"]);
    t.wait_for("Clause 2.2(b)", 10);
    t.wait_for("Threads · 2.2(b)", 10);
    t.keys(&["q"]);
    t.wait_exit(10);
}

/// Issue 17: `t` on the line that defines "Output" shows its definition; between
/// "submitted" and "revised", `Y` lists the terms and the changed one shows both wordings.
#[test]
fn t_shows_a_definition_and_y_the_glossary() {
    let (dir, review) = common::example_copy();
    let Some(t) = Tmux::start("terms", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("Clauses", 20);
    t.keys(&[":"]);
    t.text("1.4");
    t.keys(&["Enter"]);
    t.wait_for("Clause 1.4", 10);
    t.keys(&["t"]);
    let screen = t.wait_for("Output · unchanged", 10);
    assert!(screen.contains("website and submitted · 1.4"), "{screen}");
    assert!(screen.contains("\"Output\" means any text"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_gone("Output · unchanged", 10);
    // Compare submitted with revised (the fourth pair).
    t.keys(&["s", "j", "j", "j", "Enter"]);
    t.wait_for("submitted ↔ revised", 20);
    t.keys(&["Y"]);
    t.wait_for("Terms every term", 10);
    t.keys(&["/"]);
    t.text("deriv");
    t.keys(&["Enter", "Enter"]);
    let screen = t.wait_for("Derivative Model · changed", 10);
    assert!(screen.contains("submitted · 1.3") && screen.contains("revised · 1.4"), "{screen}");
    assert!(screen.contains("from scratch on Output"), "{screen}");
    // Esc: back to the list (filtered), then the filter cleared, then closed.
    t.keys(&["Escape"]);
    t.wait_for("/deriv ", 10);
    t.keys(&["Escape"]);
    t.wait_for("/ filter", 10);
    t.keys(&["Escape"]);
    t.wait_gone("Terms every term", 10);
    t.keys(&["q"]);
    t.wait_exit(10);
}

/// Wait until `ready` holds; panics saying `what` after `secs` seconds.
fn wait_until(secs: u64, what: &str, mut ready: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while !ready() {
        if Instant::now() > end {
            panic!("timed out waiting until {what}");
        }
        std::thread::sleep(Duration::from_millis(40));
    }
}

/// The recovery files next to `review` whose text holds `needle`.
fn drafts_holding(review: &Path, needle: &str) -> Vec<std::path::PathBuf> {
    drafts(review)
        .into_iter()
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(needle)))
        .collect()
}

/// Item 2 of issue 18: symbolic links committed under the names of draft recovery files
/// (the older single-file names, and this session's own name, made for its pid before lrw
/// starts) never make lrw write their targets; the links are not read as drafts either.
#[cfg(unix)]
#[test]
fn a_committed_symlink_at_a_draft_name_is_never_written_through() {
    let (dir, review) = common::example_copy();
    let victims: Vec<_> = (1..=4).map(|i| dir.path().join(format!("victim-{i}"))).collect();
    for v in &victims {
        std::fs::write(v, "precious\n").unwrap();
    }
    let name = ".example-model-license.toml.draft";
    let host = lrw::tui::recovery::host();
    // `exec` keeps the shell's pid: lrw's own recovery file name is known in advance.
    let cmd = format!(
        "sh -c 'cd reviews && ln -s {v1} {name} && ln -s {v2} {name}.tmp && \
         ln -s {v3} {name}.{host}.$$ && ln -s {v4} {name}.{host}.$$.tmp && cd .. && exec {lrw}'",
        v1 = victims[0].display(),
        v2 = victims[1].display(),
        v3 = victims[2].display(),
        v4 = victims[3].display(),
        lrw = lrw_cmd(&review),
    );
    let Some(t) = Tmux::start("symlink", dir.path(), &cmd) else { return };
    t.wait_for("Clauses", 20);
    t.keys(&["a"]);
    t.wait_for("New thread on", 10);
    t.text("typed over a trap");
    t.wait_for("typed over a trap", 10);
    // The draft is written within a second or so of typing.
    wait_until(10, "the draft is written", || {
        !drafts_holding(&review, "typed over a trap").is_empty()
    });
    t.keys(&["Escape"]);
    t.wait_for("Discard?", 10);
    t.keys(&["k"]);
    t.wait_for("Draft kept, unsent", 10);
    t.keys(&["q"]);
    t.wait_for("Quit?", 10);
    t.keys(&["y"]);
    t.wait_exit(10);
    for v in &victims {
        assert_eq!(
            std::fs::read_to_string(v).unwrap(),
            "precious\n",
            "{} written through",
            v.display()
        );
    }
    let kept = drafts_holding(&review, "typed over a trap");
    assert_eq!(kept.len(), 1, "{:?}", drafts(&review));
    let meta = std::fs::symlink_metadata(&kept[0]).unwrap();
    assert!(meta.file_type().is_file(), "the link under its name was replaced by the draft");
}

/// Item 6 of issue 18: two sessions on one review keep a recovery file each; one's typing
/// and posting never touch the other's draft; the draft of a session that ended is offered
/// on the next start with its author and time.
#[test]
fn two_sessions_keep_their_own_drafts() {
    let (dir, review) = common::example_copy();
    let ana = [("LRW_AUTHOR", "ana")];
    let Some(a) = Tmux::start_sized("draft-a", dir.path(), &lrw_cmd(&review), (120, 40), &ana)
    else {
        return;
    };
    let b = Tmux::start("draft-b", dir.path(), &lrw_cmd(&review)).unwrap();
    for (t, text) in [(&a, "alpha draft of ana"), (&b, "beta draft of tester")] {
        t.wait_for("Clauses", 20);
        t.keys(&["a"]);
        t.wait_for("New thread on", 10);
        t.text(text);
        t.wait_for(text, 10);
        wait_until(10, "the draft is written", || !drafts_holding(&review, text).is_empty());
    }
    assert_eq!(drafts(&review).len(), 2, "one recovery file per session");
    b.keys(&["C-s"]);
    b.wait_for("posted and saved", 10);
    wait_until(10, "b's draft is removed", || drafts_holding(&review, "beta draft").is_empty());
    assert_eq!(drafts_holding(&review, "alpha draft of ana").len(), 1, "a's draft is untouched");
    b.keys(&["q"]);
    b.wait_exit(10);
    // A ends with its draft kept; a third session is offered it.
    a.keys(&["C-c"]);
    a.wait_for("Quit?", 10);
    a.keys(&["y"]);
    a.wait_exit(10);
    let c = Tmux::start("draft-c", dir.path(), &lrw_cmd(&review)).unwrap();
    let screen = c.wait_for("Recovered draft", 20);
    assert!(screen.contains("ana, written 20"), "its author and time:\n{screen}");
    c.keys(&["y"]);
    c.wait_for("alpha draft of ana", 10);
    c.keys(&["C-s"]);
    c.wait_for("posted and saved", 10);
    c.keys(&["q"]);
    c.wait_exit(10);
    let saved = std::fs::read_to_string(&review).unwrap();
    assert!(saved.contains("alpha draft of ana") && saved.contains("beta draft of tester"));
    assert_eq!(drafts(&review), Vec::<std::path::PathBuf>::new(), "every draft posted and gone");
}

/// Items 4 and 8 of issue 18: a read-only review file is said to be read-only; a comment
/// that cannot be saved is kept as a draft, quitting keeps it, and the next start offers it.
#[test]
fn a_read_only_review_keeps_the_text_as_a_draft() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, review) = common::example_copy();
    let before = std::fs::read_to_string(&review).unwrap();
    std::fs::set_permissions(&review, std::fs::Permissions::from_mode(0o444)).unwrap();
    let Some(t) = Tmux::start("readonly-file", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("the review file is read-only", 20);
    t.keys(&[":"]);
    t.text("2");
    t.keys(&["Enter"]);
    t.wait_for("Threads · 2 ", 10);
    t.keys(&["a"]);
    t.wait_for("New thread on", 10);
    t.text("Not lost on a read-only file");
    t.wait_for("Not lost on a read-only file", 10);
    t.keys(&["C-s"]);
    t.wait_for("kept as an unsent draft", 10);
    // Item 12: the whole reason, on the status line and in the message log.
    t.wait_for("chmod u+w)", 10);
    t.keys(&["m"]);
    let log = t.wait_for("Messages ·", 10);
    assert!(log.contains("chmod u+w)"), "{log}");
    t.keys(&["Escape"]);
    t.wait_gone("Messages ·", 10);
    t.keys(&["q"]);
    let screen = t.wait_for("Quit?", 10);
    assert!(screen.contains("It is kept in"), "the dialog says where:\n{screen}");
    t.keys(&["y"]);
    t.wait_exit(10);
    assert_eq!(std::fs::read_to_string(&review).unwrap(), before, "the file is untouched");
    assert_eq!(drafts_holding(&review, "Not lost on a read-only file").len(), 1);
    let again = Tmux::start("readonly-again", dir.path(), &lrw_cmd(&review)).unwrap();
    again.wait_for("Recovered draft", 20);
    again.keys(&["y"]);
    again.wait_for("Not lost on a read-only file", 10);
}

/// Whether this process runs as root (who can mount, and whom permissions do not stop).
fn root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A mount made by a test, undone when dropped.
struct Mount(std::path::PathBuf);

impl Mount {
    /// Run `mount ARGS`; `None` (with a note saying why the test is skipped) if it fails.
    fn new(args: &[&str], at: &Path) -> Option<Mount> {
        let out = Command::new("mount").args(args).arg(at).output();
        match out {
            Ok(o) if o.status.success() => Some(Mount(at.to_path_buf())),
            Ok(o) => {
                eprintln!(
                    "note: mount {args:?} failed ({}); skipping",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("note: no mount command ({e}); skipping");
                None
            }
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Items 4 and 15 of issue 18: the review's folder cannot take anything (read-only: a
/// read-only bind mount as root, permissions otherwise). The draft goes to the state folder,
/// the dialogs say so, and the next start offers it.
#[cfg(unix)]
#[test]
fn a_read_only_folder_keeps_the_draft_in_the_state_folder() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, review) = common::example_copy();
    let folder = review.parent().unwrap().to_path_buf();
    /// Makes the folder writable again, so the temporary folder can be removed.
    struct Writable(std::path::PathBuf);
    impl Drop for Writable {
        fn drop(&mut self) {
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
    let _writable = Writable(folder.clone());
    let _mount = if root() {
        let Some(m) = Mount::new(&["--bind", &folder.display().to_string()], &folder) else {
            return;
        };
        // (Made read-only in place: the guard above undoes it all.)
        let ro = Command::new("mount").args(["-o", "remount,bind,ro"]).arg(&folder).status();
        if !ro.is_ok_and(|s| s.success()) {
            eprintln!("note: a read-only bind mount failed; skipping");
            return;
        }
        Some(m)
    } else {
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
        None
    };
    if std::fs::write(folder.join("probe"), "x").is_ok() {
        eprintln!("note: the folder could not be made read-only; skipping");
        return;
    }
    let state = dir.path().join("state");
    let env = [("XDG_STATE_HOME", state.to_str().unwrap())];
    let Some(t) = Tmux::start_sized("readonly-dir", dir.path(), &lrw_cmd(&review), (120, 40), &env)
    else {
        return;
    };
    t.wait_for("Clauses", 20);
    t.keys(&["a"]);
    t.wait_for("New thread on", 10);
    t.text("Kept elsewhere");
    t.wait_for("Kept elsewhere", 10);
    let screen = t.wait_for("Draft kept in", 10);
    assert!(screen.contains("/state/lrw/drafts/"), "{screen}");
    t.keys(&["C-s"]);
    t.wait_for("kept as an unsent draft", 10);
    t.keys(&["q"]);
    let screen = t.wait_for("Quit?", 10);
    assert!(screen.contains("lrw/drafts"), "the dialog says where:\n{screen}");
    t.keys(&["y"]);
    t.wait_exit(10);
    let kept: Vec<_> = std::fs::read_dir(state.join("lrw/drafts")).unwrap().flatten().collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(std::fs::read_to_string(kept[0].path()).unwrap().contains("Kept elsewhere"));
    let names: Vec<_> =
        std::fs::read_dir(&folder).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(names.iter().all(|n| !n.to_string_lossy().starts_with('.')), "{names:?}");
    let again = Tmux::start_sized("readonly-dir-2", dir.path(), &lrw_cmd(&review), (120, 40), &env)
        .unwrap();
    again.wait_for("Recovered draft", 20);
    again.keys(&["y"]);
    again.wait_for("Kept elsewhere", 10);
}

/// Items 4 and 15 of issue 18, on a full disk (a small tmpfs, filled; needs root): nothing
/// can be written anywhere, the quit dialog says so, the text is printed on the terminal as
/// lrw ends, and no empty temporary file is left behind.
#[cfg(unix)]
#[test]
fn on_a_full_disk_the_draft_is_printed_and_nothing_is_left_behind() {
    if !root() {
        eprintln!("note: mounting a tmpfs needs root; skipping the full-disk test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let Some(_mount) = Mount::new(&["-t", "tmpfs", "-o", "size=2m", "tmpfs"], &disk) else {
        return;
    };
    let review = common::copy_example(&disk);
    // Fill what is left.
    let fill = std::fs::File::create(disk.join("fill")).unwrap();
    let mut fill = std::io::BufWriter::new(fill);
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut fill, &block).is_ok() {}
    drop(fill);
    assert!(std::fs::write(disk.join("probe"), "x").is_err(), "the disk is full");
    let _ = std::fs::remove_file(disk.join("probe"));
    let state = disk.join("state");
    let cmd = format!("sh -c '{}; echo lrw ended; sleep 30'", lrw_cmd(&review));
    let env = [("XDG_STATE_HOME", state.to_str().unwrap())];
    let Some(t) = Tmux::start_sized("full-disk", dir.path(), &cmd, (120, 40), &env) else { return };
    t.wait_for("Clauses", 20);
    t.keys(&["a"]);
    t.wait_for("New thread on", 10);
    t.text("Printed when all else fails");
    t.wait_for("Printed when all else fails", 10);
    t.wait_for("could not be written to disk", 10);
    t.keys(&["C-s"]);
    t.wait_for("kept as an unsent draft", 10);
    t.keys(&["q"]);
    let screen = t.wait_for("Quit?", 10);
    assert!(screen.contains("could not be written to disk:"), "{screen}");
    assert!(screen.contains("y quit · n stay"), "{screen}");
    t.keys(&["y"]);
    let screen = t.wait_for("lrw ended", 10);
    assert!(screen.contains("could not be written to disk"), "{screen}");
    assert!(screen.contains("Printed when all else fails"), "{screen}");
    let names: Vec<String> = std::fs::read_dir(review.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["example-model-license.toml"], "nothing left behind");
}

/// Item 7 of issue 18: `Ctrl+Z` in the editor suspends to the shell (the terminal as the
/// shell wants it), `fg` comes back to the same screen in raw mode: typing and `Enter` go on
/// in the comment, and it posts whole. A SIGTSTP from outside does the same.
#[cfg(unix)]
#[test]
fn ctrl_z_suspends_and_fg_comes_back_to_the_comment() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("note: no bash for job control; skipping the suspend test");
        return;
    }
    let (dir, review) = common::example_copy();
    let shell = "bash --norc --noprofile -i";
    let Some(t) = Tmux::start_sized("suspend", dir.path(), shell, (120, 40), &[]) else { return };
    // bash's own prompt without a startup file: `bash-5.2$ ` (or `#`).
    t.wait_for("bash", 10);
    t.text(&format!("PS1='shell$ '; {}", lrw_cmd(&review)));
    t.keys(&["Enter"]);
    t.wait_for("Clauses", 20);
    t.keys(&[":"]);
    t.text("2");
    t.keys(&["Enter"]);
    t.wait_for("Threads · 2 ", 10);
    t.keys(&["a"]);
    t.wait_for("New thread on 2", 10);
    t.text("before the stop");
    t.wait_for("before the stop", 10);
    t.keys(&["C-z"]);
    let screen = t.wait_for("Stopped", 10);
    assert!(!screen.contains("Clauses"), "the shell's screen is back:\n{screen}");
    t.text("fg");
    t.keys(&["Enter"]);
    t.wait_for("before the stop", 10);
    t.wait_for("Clauses", 10);
    t.text(" and after");
    t.keys(&["Enter"]);
    t.text("a second line");
    t.wait_for("a second line", 10);
    let screen = t.wait_for("before the stop and after", 10);
    assert!(screen.contains("New thread on 2"), "still in the editor:\n{screen}");
    t.keys(&["C-s"]);
    t.wait_for("posted and saved", 10);
    // SIGTSTP from outside.
    let out = t.run(&["display-message", "-p", "-t", "0", "#{pane_pid}"]);
    let shell_pid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("pane pid");
    let pid = child_lrw(shell_pid).expect("lrw runs under the shell");
    let kill = Command::new("kill").args(["-TSTP", &pid.to_string()]).status().unwrap();
    assert!(kill.success());
    t.wait_for("Stopped", 10);
    t.text("fg");
    t.keys(&["Enter"]);
    t.wait_for("Clauses", 10);
    t.keys(&["q"]);
    t.wait_for("shell$", 10);
    let r = lrw::review::load(&review).unwrap();
    let body = r.threads.iter().flat_map(|t| &t.comments).find(|c| c.author == "tester");
    assert_eq!(body.unwrap().body, "before the stop and after\na second line");
}

/// Item 13 of issue 18: ended by SIGTERM, SIGHUP or SIGINT, the workbench restores the
/// terminal, keeps what was typed, and its exit status is 128 + the signal, as shells expect.
#[cfg(unix)]
#[test]
fn a_signal_ends_the_workbench_with_128_plus_the_signal() {
    for (name, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        let (dir, review) = common::example_copy();
        let cmd = format!("sh -c '{}; echo \"status=$?\"; sleep 30'", lrw_cmd(&review));
        let Some(t) = Tmux::start(&format!("signal-{name}"), dir.path(), &cmd) else { return };
        t.wait_for("Clauses", 20);
        t.keys(&["a"]);
        t.wait_for("New thread on", 10);
        t.text(&format!("typed before SIG{name}"));
        t.wait_for(&format!("typed before SIG{name}"), 10);
        let out = t.run(&["display-message", "-p", "-t", "0", "#{pane_pid}"]);
        let shell: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("pane pid");
        let pid = child_lrw(shell).expect("lrw runs under the shell");
        let kill = Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status();
        assert!(kill.unwrap().success());
        let screen = t.wait_for("status=", 10);
        assert!(screen.contains(&format!("status={}", 128 + number)), "SIG{name}:\n{screen}");
        assert!(!screen.contains("Clauses"), "the terminal is restored:\n{screen}");
        let kept = drafts_holding(&review, &format!("typed before SIG{name}"));
        assert_eq!(kept.len(), 1, "SIG{name}: the draft is kept");
    }
}

/// The SGR colour parameters (30–37, 38, 40–47, 48, 90–97, 100–107) in `captured`, a pane
/// captured with its escape sequences.
fn colour_codes(captured: &str) -> Vec<String> {
    let mut out = Vec::new();
    for seq in captured.split("\u{1b}[").skip(1) {
        let Some(end) = seq.find(|c: char| !(c.is_ascii_digit() || c == ';')) else { continue };
        if !seq[end..].starts_with('m') {
            continue;
        }
        for p in seq[..end].split(';') {
            if matches!(p.parse::<u32>(), Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)) {
                out.push(seq[..end].to_string());
            }
        }
    }
    out
}

/// Item 13 of issue 18: `TERM=dumb` gets no colour (what colour set apart is reversed); a
/// locale without UTF-8 (`LANG=C`, `LC_ALL=POSIX`) gets ASCII only, markers and borders too.
#[test]
fn a_dumb_terminal_gets_no_colour_and_a_c_locale_ascii() {
    let (dir, review) = common::example_copy();
    let capture = |t: &Tmux| {
        String::from_utf8_lossy(&t.run(&["capture-pane", "-p", "-e"]).stdout).into_owned()
    };
    // The control: colours are there to be seen.
    let Some(t) = Tmux::start("colour", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("Clauses", 20);
    assert!(!colour_codes(&capture(&t)).is_empty(), "the check sees colours");
    drop(t);
    // tmux sets TERM in its panes whatever `-e` says: the command sets it itself.
    let dumb = format!("env TERM=dumb {}", lrw_cmd(&review));
    let t = Tmux::start_sized("dumb", dir.path(), &dumb, (120, 40), &[]).unwrap();
    t.wait_for("Clauses", 20);
    t.keys(&["n"]);
    let screen = t.wait_for("Clauses", 10);
    let codes = colour_codes(&capture(&t));
    assert!(codes.is_empty(), "colour codes {codes:?} with TERM=dumb:\n{screen}");
    assert!(capture(&t).contains("\u{1b}[7m"), "the header and highlights are reversed");
    t.keys(&["q"]);
    t.wait_exit(10);
    for (k, v) in [("LANG", "C"), ("LC_ALL", "POSIX")] {
        let env = [(k, v), ("LC_CTYPE", "")];
        let name = format!("ascii-{k}");
        let t = Tmux::start_sized(&name, dir.path(), &lrw_cmd(&review), (120, 40), &env).unwrap();
        t.wait_for("Clauses", 20);
        t.keys(&[":"]);
        t.text("2.2(b)");
        t.keys(&["Enter"]);
        let screen = t.wait_for("Threads . 2.2(b)", 10);
        let wide: String = screen.chars().filter(|c| !c.is_ascii()).collect();
        assert!(wide.is_empty(), "{k}={v}: {wide:?} on screen:\n{screen}");
        assert!(screen.contains("+ Clauses 26 -"), "{screen}");
        assert!(
            screen.contains(" . website <-> submitted . ")
                || screen.contains("website = submitted"),
            "{screen}"
        );
        t.keys(&["q"]);
        t.wait_exit(10);
    }
}

/// Issue 16 item 6: `:import FILE` (a path from the folder lrw was started in) shows the
/// report; Esc closes it; the comments are in the review file.
#[test]
fn colon_import_reads_mail_and_saves_the_comments() {
    let (dir, review) = common::example_copy();
    let mail = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail/workbench.mbox");
    std::fs::create_dir_all(dir.path().join("mail")).unwrap();
    std::fs::copy(&mail, dir.path().join("mail/list.mbox")).unwrap();
    let Some(t) = Tmux::start("import", dir.path(), &lrw_cmd(&review)) else { return };
    t.wait_for("Threads", 20);
    t.keys(&[":"]);
    t.text("import mail/list.mbox");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Mail imported", 20);
    assert!(screen.contains("2 messages read against version submitted"), "{screen}");
    assert!(screen.contains(" on 2.3"), "{screen}");
    assert!(screen.contains("about the review as a whole"), "{screen}");
    assert!(screen.contains("2 comments added and saved"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_gone("Mail imported", 10);
    let r = lrw::review::load(&review).unwrap();
    let authors: Vec<(&str, Option<&str>)> = r
        .threads
        .iter()
        .flat_map(|th| {
            let clause = th.anchor.as_ref().map(|a| a.clause.as_str());
            th.comments
                .iter()
                .filter(|c| c.message_id.is_some())
                .map(move |c| (c.author.as_str(), clause))
        })
        .collect();
    assert_eq!(authors, [("Carol Nguyen", Some("2.3")), ("Frank Osei", None)]);
    t.keys(&["q"]);
    t.wait_exit(10);
}

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
        if !common::program("tmux", &["-V"]) {
            return None;
        }
        let socket = format!("lrw-test-{name}-{}", std::process::id());
        let t = Tmux { socket };
        let out = t.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            &dir.display().to_string(),
            "-e",
            "LRW_AUTHOR=tester",
            "-e",
            "TERM=xterm-256color",
            cmd,
        ]);
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
    assert!(!dir.path().join("reviews/.example-model-license.toml.draft").exists());
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
    assert!(screen.lines().next().unwrap().contains("· no wrap "), "w was handled:\n{screen}");
    t.keys(&["Enter"]);
    t.wait_for(&format!("spdx:{best} added as version {id} and saved"), 120);
    // Esc clears the message, so the header has room to name both versions.
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
    let draft = dir.path().join("reviews/.example-model-license.toml.draft");
    let kept = std::fs::read_to_string(&draft).expect("the draft was kept");
    assert!(kept.contains("half a thought"), "{kept}");
}

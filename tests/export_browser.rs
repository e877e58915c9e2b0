//! The HTML export in a real browser: `lrw export --format html` of the example review, opened
//! in headless Chromium (Debian's `chromium` package; `LRW_CHROMIUM` names another binary),
//! renders without a console message, a script error, a blocked or failed load, and shows its
//! tables and threads: every matrix cell and every comment of the JSON export is on the page,
//! laid out, styled and not covered, and the page fits a desktop and a phone screen.
//!
//! The browser is driven with the DevTools protocol over `--remote-debugging-pipe` (JSON
//! messages ended by NUL on file descriptors 3 and 4), which reports what the console and the
//! network log would show. Skipped, and reported at the end of the run, when chromium does not
//! run here (`LRW_REQUIRE_PROGRAMS=1`, as in CI, fails instead).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long one protocol step (start, a command, a page load) may take.
const STEP: Duration = Duration::from_secs(60);

/// The browser binary: `LRW_CHROMIUM`, else Debian's `chromium`.
fn chromium() -> String {
    std::env::var("LRW_CHROMIUM").ok().filter(|s| !s.is_empty()).unwrap_or("chromium".into())
}

/// A headless Chromium with its own profile, one page attached; killed when dropped.
struct Browser {
    child: Child,
    commands: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Every event the page sent, in order.
    events: Vec<Value>,
    log: std::path::PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Start Chromium, or `None` (recorded as a skip) when it does not run here.
    fn start() -> Option<Browser> {
        let program = chromium();
        if !common::program(&program, &["--version"]) {
            return None;
        }
        let profile = tempfile::tempdir().unwrap();
        let log = profile.path().join("chromium.log");
        // The pipe is fds 3 (commands in) and 4 (replies out); sh puts this process's pipes
        // there, and chromium's own stdout and stderr into the log.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>&2")
            .arg(&program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("sh starts chromium");
        let commands = child.stdin.take().unwrap();
        let replies = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut replies = BufReader::new(replies);
            let mut buf = Vec::new();
            while replies.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                if buf.last() == Some(&0) {
                    buf.pop();
                }
                let msg: Value = serde_json::from_slice(&buf).expect("chromium sends JSON");
                if tx.send(msg).is_err() {
                    return;
                }
                buf.clear();
            }
        });
        let mut b = Browser {
            child,
            commands,
            messages,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
            log,
            _profile: profile,
        };
        let target = b.browser_call("Target.createTarget", json!({"url": "about:blank"}));
        let target = target["targetId"].as_str().expect("a target id").to_string();
        let attached =
            b.browser_call("Target.attachToTarget", json!({"targetId": target, "flatten": true}));
        b.session = attached["sessionId"].as_str().expect("a session id").to_string();
        for domain in ["Runtime", "Log", "Network", "Page"] {
            b.call(&format!("{domain}.enable"), json!({}));
        }
        Some(b)
    }

    /// What chromium wrote to stderr, for failure messages.
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The next message, or a panic with chromium's log once `deadline` is past.
    fn next(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                panic!("chromium: no {waiting_for} within {STEP:?}; its log:\n{}", self.log())
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!(
                    "chromium closed the pipe waiting for {waiting_for}; its log:\n{}",
                    self.log()
                )
            }
        }
    }

    fn send(&mut self, method: &str, params: Value, session: Option<String>) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.commands.write_all(&bytes).and_then(|()| self.commands.flush()).expect("send");
        let deadline = Instant::now() + STEP;
        loop {
            let m = self.next(deadline, &format!("reply to {method}"));
            if m["id"] == json!(id) {
                if let Some(e) = m.get("error") {
                    panic!("chromium: {method} failed: {e}");
                }
                return m["result"].clone();
            }
            if m.get("method").is_some() {
                self.events.push(m);
            }
        }
    }

    /// A command to the browser itself.
    fn browser_call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, None)
    }

    /// A command to the page.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.send(method, params, Some(s))
    }

    /// Wait for the page's event `method` (one already received counts).
    fn wait_event(&mut self, method: &str) {
        let deadline = Instant::now() + STEP;
        let mut seen = self.events.iter().any(|e| e["method"] == method);
        while !seen {
            let m = self.next(deadline, method);
            seen = m["method"] == method;
            if m.get("method").is_some() {
                self.events.push(m);
            }
        }
    }

    /// Show `file` at a `width` x `height` screen (`mobile`: as a phone, honouring the
    /// viewport meta tag), after its load event.
    fn open(&mut self, file: &Path, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        let url = format!("file://{}", file.display());
        let nav = self.call("Page.navigate", json!({"url": url}));
        assert!(nav.get("errorText").is_none(), "navigating to {url}: {nav}");
        self.wait_event("Page.loadEventFired");
    }

    /// The value of a JavaScript expression in the page (which runs no scripts of its own).
    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("evaluating in the page: {e}");
        }
        r["result"]["value"].clone()
    }

    /// The URL of the request `id`, as the page's events told.
    fn request_url(&self, id: &str) -> String {
        let sent = self
            .events
            .iter()
            .find(|e| e["method"] == "Network.requestWillBeSent" && e["params"]["requestId"] == id);
        sent.map_or_else(|| format!("request {id}"), |e| e["params"]["request"]["url"].to_string())
    }

    /// What the page reported: console messages, uncaught exceptions, failed loads, and log
    /// entries (blocked loads, security and deprecation notes) of level warning or error.
    fn problems(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| {
                let p = &e["params"];
                match e["method"].as_str()? {
                    "Runtime.consoleAPICalled" => {
                        Some(format!("console.{}: {}", p["type"], p["args"]))
                    }
                    "Runtime.exceptionThrown" => {
                        Some(format!("exception: {}", p["exceptionDetails"]))
                    }
                    "Network.loadingFailed" => {
                        let url = self.request_url(p["requestId"].as_str()?);
                        Some(format!(
                            "failed load: {url}: {} {}",
                            p["errorText"], p["blockedReason"]
                        ))
                    }
                    "Log.entryAdded"
                        if matches!(p["entry"]["level"].as_str(), Some("warning" | "error")) =>
                    {
                        let en = &p["entry"];
                        Some(format!(
                            "{} {}: {} ({})",
                            en["source"], en["level"], en["text"], en["url"]
                        ))
                    }
                    _ => None,
                }
            })
            .collect()
    }
}

impl Drop for Browser {
    /// Close the browser (it ends its own helper processes), killing it if it does not end
    /// within a few seconds.
    fn drop(&mut self) {
        self.next_id += 1;
        let close = format!("{{\"id\":{},\"method\":\"Browser.close\"}}\0", self.next_id);
        let _ = self.commands.write_all(close.as_bytes()).and_then(|()| self.commands.flush());
        let end = Instant::now() + Duration::from_secs(10);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Checks run in the page; returns what the test compares with the JSON export.
const INSPECT: &str = r#"(() => {
  const shown = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility === 'visible' && s.display !== 'none'
      && parseFloat(s.opacity) > 0;
  };
  // On top at its centre once scrolled there: not covered by anything else.
  const onTop = el => {
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (el === hit || el.contains(hit));
  };
  // Text that does not fit its box (clipped or spilling out).
  const cut = el => el.scrollWidth > el.clientWidth + 1;
  const problems = [];
  const check = (el, what) => {
    if (!shown(el)) problems.push(what + ' is not shown');
    else if (!onTop(el)) problems.push(what + ' is covered');
  };
  const matrix = document.querySelector('table.matrix');
  const rows = matrix ? [...matrix.rows].slice(1).map(tr => {
    const cells = [...tr.cells];
    cells.forEach((c, i) => {
      check(c, 'matrix cell ' + tr.cells[0].innerText + '/' + i);
      if (c.innerText && cut(c)) problems.push('matrix cell ' + c.innerText + ' is cut');
    });
    return cells.map(c => c.innerText.trim());
  }) : null;
  if (matrix) check(matrix, 'the matrix');
  const colour = sel => {
    const el = document.querySelector(sel);
    return el ? getComputedStyle(el).backgroundColor : null;
  };
  const threads = [...document.querySelectorAll('article.thread')].map((t, i) => {
    check(t, 'thread ' + (i + 1));
    const bodies = [...t.querySelectorAll('.comment .body')];
    bodies.forEach((b, j) => check(b, 'comment ' + (j + 1) + ' of thread ' + (i + 1)));
    return {
      heading: t.querySelector('h3').innerText,
      comments: bodies.map(b => b.innerText),
    };
  });
  window.scrollTo(0, 0);
  return {
    title: document.title,
    rows,
    threads,
    conflict: colour('table.matrix td.v-conflict'),
    plain: colour('table.matrix td.v:empty'),
    pageWidth: document.documentElement.scrollWidth,
    screenWidth: window.innerWidth,
    problems,
  };
})()"#;

#[test]
fn the_html_export_renders_in_chromium() {
    let (dir, review) = common::example_copy();
    let review_arg = review.display().to_string();
    let out = common::run_in(dir.path(), &["export", &review_arg, "--format", "html"]);
    common::assert_code(&out, 0);
    let page = dir.path().join("review.html");
    std::fs::write(&page, &out.stdout).unwrap();
    let out = common::run_in(dir.path(), &["export", &review_arg, "--format", "json"]);
    common::assert_code(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();

    let Some(mut b) = Browser::start() else { return };
    for (width, height, mobile) in [(1280, 900, false), (390, 844, true)] {
        b.open(&page, width, height, mobile);
        let seen = b.eval(INSPECT);
        let at = format!("at {width}x{height}");
        assert_eq!(seen["title"], report["title"], "{at}");
        assert_eq!(seen["problems"], json!([]), "{at}: {seen}");
        assert_eq!(b.problems(), Vec::<String>::new(), "{at}: the page reported problems");

        // The matrix: a row per clause, as in the JSON export, every cell shown.
        let matrix = report["matrix"].as_array().unwrap();
        let rows = seen["rows"].as_array().unwrap_or_else(|| panic!("{at}: no matrix: {seen}"));
        assert!(!matrix.is_empty());
        assert_eq!(rows.len(), matrix.len(), "{at}: {seen}");
        for (row, want) in rows.iter().zip(matrix) {
            let mut cells = vec![want["clause"].clone()];
            cells.extend(want["cells"].as_array().unwrap().iter().map(|c| match c {
                Value::Null => json!(""),
                v => v.clone(),
            }));
            cells.extend([
                want["worst"].clone(),
                json!(want["open"].to_string()),
                json!(want["resolved"].to_string()),
            ]);
            assert_eq!(row, &json!(cells), "{at}: a matrix row");
        }
        // Its style applies: a conflict cell is coloured, an empty one is not.
        assert_eq!(seen["conflict"], "rgb(246, 198, 198)", "{at}: {seen}");
        assert_eq!(seen["plain"], "rgba(0, 0, 0, 0)", "{at}: {seen}");

        // Every thread and every comment, in order, with its text.
        let threads = report["threads"].as_array().unwrap();
        let shown = seen["threads"].as_array().unwrap();
        assert_eq!(shown.len(), threads.len(), "{at}: {seen}");
        for (s, t) in shown.iter().zip(threads) {
            let heading = s["heading"].as_str().unwrap();
            assert!(heading.contains(t["id"].as_str().unwrap()), "{at}: {heading}");
            let bodies: Vec<&str> = t["comments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["body"].as_str().unwrap())
                .collect();
            let seen_bodies: Vec<&str> =
                s["comments"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            let bodies: Vec<&str> = bodies.iter().map(|b| b.trim_end()).collect();
            assert_eq!(seen_bodies, bodies, "{at}: the comments of {heading}");
        }

        // Nothing wider than the screen: no sideways scrolling of the whole page. (A phone
        // would zoom out to show a page wider than its screen, and so widen the window.)
        assert_eq!(seen["screenWidth"], width, "{at}: the page was zoomed out");
        assert!(
            seen["pageWidth"].as_u64() <= Some(u64::from(width)),
            "{at}: the page is {} px wide",
            seen["pageWidth"]
        );
    }
}

/// The checks above can fail: a page with a script error, a console message, a load blocked by
/// its content security policy and a missing stylesheet is reported with all four.
#[test]
fn a_broken_page_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" \
         content=\"img-src 'none'\"><title>broken</title></head><body>\
         <script>console.log('hello'); no_such_function();</script>\
         <img src=\"blocked.png\"><link rel=\"stylesheet\" href=\"missing.css\"></body></html>",
    )
    .unwrap();
    let Some(mut b) = Browser::start() else { return };
    b.open(&page, 800, 600, false);
    let problems = b.problems().join("\n");
    for needle in ["console.\"log\"", "no_such_function", "Content Security Policy", "missing.css"]
    {
        assert!(problems.contains(needle), "{needle:?} not reported in:\n{problems}");
    }
}

/// The checks of the page can fail: the export with its comments hidden and a sheet laid over
/// everything is reported as such.
#[test]
fn hidden_and_covered_content_is_reported() {
    let (dir, review) = common::example_copy();
    let review_arg = review.display().to_string();
    let out = common::run_in(dir.path(), &["export", &review_arg, "--format", "html"]);
    common::assert_code(&out, 0);
    let html = common::stdout(&out).replacen(
        "</body>",
        "<style>.comment .body { display: none }</style>\
         <div style=\"position: fixed; inset: 0; background: white\"></div></body>",
        1,
    );
    let page = dir.path().join("review.html");
    std::fs::write(&page, html).unwrap();
    let Some(mut b) = Browser::start() else { return };
    b.open(&page, 1280, 900, false);
    let seen = b.eval(INSPECT);
    let problems = seen["problems"].to_string();
    for needle in
        ["comment 1 of thread 1 is not shown", "the matrix is covered", "thread 1 is covered"]
    {
        assert!(problems.contains(needle), "{needle:?} not reported in:\n{problems}");
    }
}

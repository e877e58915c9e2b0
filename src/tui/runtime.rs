//! The one place that touches the terminal: set it up, loop over events, perform effects,
//! and restore it on every way out (normal quit, error, panic, SIGTERM, SIGHUP, SIGINT).

use std::collections::VecDeque;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;

use super::action::{Action, Effect, ReviewChange};
use super::app::App;
use super::doc::{CriterionView, Document, LicenseMatch, MatrixView, ThreadView};
use super::keymap::map_event;
use super::recovery;
use crate::review::CompareOptions;

/// What the runtime needs from the review behind the workbench; the core implements it.
pub trait Workspace {
    /// The document comparing versions `left` and `right` with `options`, its selection on
    /// the clause `follow` names (see [`Effect::Compare`]).
    fn document(
        &mut self,
        left: &str,
        right: &str,
        options: CompareOptions,
        follow: &[(String, String)],
    ) -> Result<Document, String>;
    /// Start applying a change as `author`: it is made on a copy of the review and checked
    /// now (a refusal comes back at once); the save is the returned job, which owns all it
    /// needs and runs off the UI thread, its result [`Action::SaveDone`]. One at a time.
    fn begin_save(&mut self, change: &ReviewChange, author: &str) -> Result<Job, String>;
    /// Take in the save the last job made: a message for the user and the threads as they
    /// now are (with anchors resolved for `left`/`right`), or why it failed (the file is as
    /// it was).
    fn finish_save(&mut self, left: &str, right: &str)
    -> Result<(String, Vec<ThreadView>), String>;
    /// The criteria the picker offers.
    fn criteria(&self) -> Vec<CriterionView>;
    /// The review's file: its drafts are kept next to it (see [`super::recovery`]).
    fn review_path(&self) -> PathBuf;
    /// Write a summary of the review in `format`, anchors shown against `version`; returns
    /// where it was written.
    fn export(&mut self, format: &str, version: &str) -> Result<PathBuf, String>;
    /// The ranking of the `top` SPDX licenses closest to the text of `version`, best first,
    /// each with the review's version that already holds it (path `spdx:ID`), if any.
    /// Prepared here (the text is loaded, errors are told at once) and run by the runtime on
    /// a background thread, since the first ranking decodes the SPDX texts.
    fn closest_licenses(&mut self, version: &str, top: usize) -> Result<RankJob, String>;
    /// The clause-by-criterion matrix with the threads placed on `version`: the same data
    /// as the exports.
    fn matrix(&mut self, version: &str) -> Result<MatrixView, String>;
    /// The report of the mail import the last [`Workspace::finish_save`] took in, once.
    fn import_report(&mut self) -> Option<crate::review::import::ImportReport> {
        None
    }
}

/// A ranking ready to run off the UI thread: it owns all it needs.
pub type RankJob = Box<dyn FnOnce() -> Vec<LicenseMatch> + Send + 'static>;

/// Slow work run off the UI thread, so the workbench keeps drawing and taking keys: it owns
/// all it needs, and its result comes back as an action for `update`.
pub type Job = Box<dyn FnOnce() -> Action + Send + 'static>;

/// Name of the threads that run [`Job`]s.
const BACKGROUND: &str = "lrw-background";

/// Jobs running in the background, and the channel their results come back on. The event
/// loop takes the results as they arrive ([`Background::arrived`]); nothing waits for a job
/// on the way out: a result that comes after the workbench has quit is dropped with the
/// channel, and the process ends without waiting for the thread.
pub struct Background {
    tx: Sender<Action>,
    rx: Receiver<Action>,
    running: usize,
}

impl Default for Background {
    fn default() -> Background {
        let (tx, rx) = channel();
        Background { tx, rx, running: 0 }
    }
}

impl Background {
    pub fn new() -> Background {
        Background::default()
    }

    /// Run `job` on a thread of its own. Should it fail (panic, or no thread to run on),
    /// `failed` makes the action that comes back instead, from what went wrong; the UI thread
    /// goes on.
    pub fn spawn<F>(&mut self, job: Job, failed: F)
    where
        F: FnOnce(String) -> Action + Clone + Send + 'static,
    {
        let tx = self.tx.clone();
        let if_it_panics = failed.clone();
        let run = move || {
            let action = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
                .unwrap_or_else(|panic| {
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "internal error".to_string());
                    if_it_panics(message)
                });
            // The receiver is gone when the workbench has quit: nobody to tell.
            let _ = tx.send(action);
        };
        if let Err(e) = std::thread::Builder::new().name(BACKGROUND.into()).spawn(run) {
            let _ = self.tx.send(failed(format!("no thread to work in: {e}")));
        }
        self.running += 1;
    }

    /// How many results are still to come.
    pub fn running(&self) -> usize {
        self.running
    }

    /// The results that have arrived, without waiting.
    pub fn arrived(&mut self) -> Vec<Action> {
        let out: Vec<Action> = self.rx.try_iter().collect();
        self.running -= out.len();
        out
    }

    /// Wait for the next result; `None` when no job is running.
    pub fn wait(&mut self) -> Option<Action> {
        if self.running == 0 {
            return None;
        }
        let a = self.rx.recv().ok()?;
        self.running -= 1;
        Some(a)
    }
}

/// How often the draft recovery file is refreshed while typing, at most.
const TICK: Duration = Duration::from_millis(800);

/// Perform `effects` and the effects of their results, until none is left, waiting for the
/// ones that run in the background: everything is done on return (for tests and scripts;
/// the event loop uses [`perform_with`]). Returns true when the workbench should quit.
pub fn perform(app: &mut App, ws: &mut dyn Workspace, effects: Vec<Effect>) -> bool {
    let mut bg = Background::new();
    let mut quit = perform_with(app, ws, &mut bg, effects);
    while let Some(result) = bg.wait() {
        let effects = app.update(result);
        quit |= perform_with(app, ws, &mut bg, effects);
    }
    quit
}

/// Perform `effects` and the effects of their results, until none is left, except slow ones
/// (ranking), which are started in `bg`: their results arrive later. Returns true when the
/// workbench should quit. Another program (`$EDITOR`) runs without a terminal to hand over.
pub fn perform_with(
    app: &mut App,
    ws: &mut dyn Workspace,
    bg: &mut Background,
    effects: Vec<Effect>,
) -> bool {
    perform_in(app, ws, bg, &mut NoTerminal, effects)
}

/// Who owns the terminal the workbench draws on, so it can be lent to another program.
pub trait Host {
    /// Give the terminal back to the shell and stop the process (`Ctrl+Z`, SIGTSTP); once
    /// continued (`fg`), take the terminal again and draw anew.
    fn suspend(&mut self) -> Result<(), String> {
        Ok(())
    }
    /// Run `program` with the terminal handed over: the workbench's screen put away, the
    /// terminal as the program expects it, and everything restored after.
    fn lend_terminal(
        &mut self,
        program: &mut dyn FnMut() -> Result<String, String>,
    ) -> Result<String, String>;
}

/// No terminal (tests, scripts): the program just runs.
pub struct NoTerminal;

impl Host for NoTerminal {
    fn lend_terminal(
        &mut self,
        program: &mut dyn FnMut() -> Result<String, String>,
    ) -> Result<String, String> {
        program()
    }
}

/// The workbench's own terminal.
struct Tty<'a>(&'a mut ratatui::DefaultTerminal);

impl Tty<'_> {
    /// Take the terminal (back): raw mode, the workbench's own screen, mouse and bracketed
    /// paste; whatever another program left on the screen is drawn over in full.
    fn take_back(&mut self) -> Result<(), String> {
        use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
        let back = enable_raw_mode().and_then(|()| {
            execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste)
        });
        let _ = self.0.clear();
        back.map_err(|e| format!("the terminal could not be taken back: {e}"))
    }
}

impl Host for Tty<'_> {
    fn lend_terminal(
        &mut self,
        program: &mut dyn FnMut() -> Result<String, String>,
    ) -> Result<String, String> {
        restore();
        let result = program();
        self.take_back().and(result)
    }

    fn suspend(&mut self) -> Result<(), String> {
        restore();
        let _ = io::stdout().flush();
        // Stopped here until the shell continues it (`fg`, SIGCONT).
        #[cfg(unix)]
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
        self.take_back()
    }
}

/// Edit `body` in the user's editor: `$VISUAL`, else `$EDITOR`, else `vi`, run by the shell
/// (so `EDITOR="code --wait"` works) on a temporary file only the user can read; returns
/// the file's text afterwards (without the line break editors add at the end). The file is
/// removed in any case.
pub fn edit_externally(body: &str) -> Result<String, String> {
    let set = |name| std::env::var(name).ok().filter(|v: &String| !v.trim().is_empty());
    let editor = set("VISUAL").or_else(|| set("EDITOR")).unwrap_or_else(|| "vi".to_string());
    edit_with(&editor, body)
}

/// [`edit_externally`] with the editor command `editor`.
pub fn edit_with(editor: &str, body: &str) -> Result<String, String> {
    let path = temp_comment_file(body)?;
    let status = if cfg!(unix) {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("lrw")
            .arg(&path)
            .status()
    } else {
        std::process::Command::new(editor).arg(&path).status()
    };
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    let status = status.map_err(|e| format!("{editor} could not be started: {e}"))?;
    if !status.success() {
        return Err(format!("{editor} ended with {status}"));
    }
    let text = text.map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}

/// A new file `lrw-comment-….md` in the temporary folder holding `body`, readable by its
/// owner only.
fn temp_comment_file(body: &str) -> Result<PathBuf, String> {
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let dir = std::env::temp_dir();
    for _ in 0..16 {
        let name = format!("lrw-comment-{}-{:08x}.md", std::process::id(), fastrand::u32(..));
        let path = dir.join(name);
        match open.open(&path) {
            Ok(mut f) => {
                f.write_all(body.as_bytes())
                    .and_then(|()| f.write_all(b"\n"))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("{}: {e}", dir.display())),
        }
    }
    Err(format!("{}: no free name for a temporary file", dir.display()))
}

/// [`perform_with`], lending the terminal of `host` to other programs.
pub fn perform_in(
    app: &mut App,
    ws: &mut dyn Workspace,
    bg: &mut Background,
    host: &mut dyn Host,
    effects: Vec<Effect>,
) -> bool {
    let mut queue: VecDeque<Effect> = effects.into();
    let mut quit = false;
    while let Some(effect) = queue.pop_front() {
        let result = match effect {
            Effect::Quit => {
                quit = true;
                continue;
            }
            Effect::WriteDraft(d) => {
                Action::DraftWritten(recovery::keep(&ws.review_path(), d.as_ref(), &app.author))
            }
            Effect::DiscardRecovered(path) => match recovery::discard(&path) {
                Ok(()) => continue,
                Err(e) => Action::Problem(format!("Could not remove a recovery file: {e}")),
            },
            Effect::Apply(change) => match ws.begin_save(&change, &app.author) {
                Ok(job) => {
                    bg.spawn(job, |e| Action::Failed { message: format!("not saved: {e}") });
                    continue;
                }
                Err(message) => Action::Failed { message },
            },
            Effect::FinishSave => {
                let (l, r) = (app.doc.left_version.clone(), app.doc.right_version.clone());
                match ws.finish_save(&l, &r) {
                    Ok((message, threads)) => match ws.import_report() {
                        // The threads first, so the report opens over the new ones.
                        Some(report) => {
                            queue.extend(app.update(Action::Saved { message, threads }));
                            Action::Imported(Box::new(report))
                        }
                        None => Action::Saved { message, threads },
                    },
                    Err(message) => Action::Failed { message },
                }
            }
            Effect::Compare { left, right, normalized, ignore_case, follow } => {
                let options = CompareOptions { normalize: normalized, ignore_case };
                match ws.document(&left, &right, options, &follow) {
                    Ok(doc) => Action::Compared(Box::new(doc)),
                    Err(message) => Action::Problem(message),
                }
            }
            Effect::Export { format, version } => match ws.export(&format, &version) {
                Ok(path) => {
                    Action::Exported { message: format!("Summary written to {}", path.display()) }
                }
                Err(message) => Action::Problem(format!("Export failed: {message}")),
            },
            Effect::Matrix { version } => Action::MatrixReady(Box::new(ws.matrix(&version))),
            Effect::Suspend => match host.suspend() {
                Ok(()) => continue,
                Err(e) => Action::Problem(e),
            },
            Effect::EditExternally { body } => {
                Action::ExternallyEdited(host.lend_terminal(&mut || edit_externally(&body)))
            }
            Effect::Rank { version, top } => match ws.closest_licenses(&version, top) {
                Ok(rank) => {
                    let v = version.clone();
                    bg.spawn(Box::new(move || Action::Ranked { version, matches: rank() }), |e| {
                        Action::RankFailed { version: v, message: format!("Ranking failed: {e}") }
                    });
                    continue;
                }
                Err(e) => Action::RankFailed { version, message: format!("Ranking failed: {e}") },
            },
        };
        queue.extend(app.update(result));
    }
    quit
}

/// Run the workbench until the user quits or a signal asks it to stop.
pub fn run(ws: &mut dyn Workspace, doc: Document, author: String) -> io::Result<()> {
    let review = ws.review_path();
    // Drafts left by sessions that ended (a crash, a signal, a quit with a draft), offered
    // back; another session's, running now, are left alone.
    let (found, notes) = recovery::find(&review);
    let mut app = App::new(doc, ws.criteria(), None);
    app.author = author;
    app.looks = super::render::Looks::from_env(|k| std::env::var(k).ok());
    app.offer(found);
    for n in notes {
        app.update(Action::Problem(n));
    }

    let signals = Signals::register()?;

    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    if let Err(e) = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste) {
        restore();
        return Err(e);
    }
    let result = event_loop(&mut terminal, &mut app, ws, &signals);
    restore();
    let signal = signals.stop.load(Ordering::Relaxed);
    if signal != 0 || result.is_err() {
        // Not a quit the user asked for (a signal, a hang-up, a terminal error): keep
        // whatever was being typed; the next start offers it back.
        if let Some(d) = app.unsent() {
            let kept = recovery::keep(&review, Some(&d), &app.author);
            app.update(Action::DraftWritten(kept));
        }
    }
    print_if_unkept(&app);
    if signal != 0 {
        // Ended by a signal, as shells expect: status 128 + the signal (and a shell running
        // lrw in a loop sees the SIGINT).
        end_by(signal);
    }
    result
}

/// End the process by `signal`, its default action restored; the status is 128 + `signal`
/// should that not end it.
fn end_by(signal: usize) -> ! {
    let _ = io::stdout().flush();
    let _ = io::stderr().flush();
    #[cfg(unix)]
    let _ = signal_hook::low_level::emulate_default_handler(signal as i32);
    std::process::exit(128 + signal as i32)
}

/// Nothing typed is lost: a draft that could not be written to disk anywhere is printed on
/// standard error once the terminal is restored (made safe for it), to copy.
fn print_if_unkept(app: &App) {
    let (Some(Err(why)), Some(d)) = (&app.kept, app.unsent()) else { return };
    let mut out = format!(
        "lrw: your unsent draft ({}) could not be written to disk ({}). Here it is, to copy:\n",
        crate::text::sanitize_line(&d.describe()),
        crate::text::sanitize_line(why)
    );
    out.push_str("----- 8< -----\n");
    for line in d.body.split('\n') {
        out.push_str(&crate::text::sanitize_line(line));
        out.push('\n');
    }
    out.push_str("----- 8< -----\n");
    let _ = io::stderr().write_all(out.as_bytes());
}

/// The signals the event loop answers, each set by its handler and read by the loop.
struct Signals {
    /// SIGTERM, SIGHUP or SIGINT (or a terminal gone, as SIGHUP): stop, keeping what is
    /// typed; the signal's number (0: none).
    stop: Arc<AtomicUsize>,
    /// SIGTSTP from outside (`kill -TSTP`): suspend as `Ctrl+Z` does.
    suspend: Arc<AtomicBool>,
    /// SIGCONT: continued after a stop, by whoever stopped it: take the terminal again.
    resumed: Arc<AtomicBool>,
}

impl Signals {
    fn register() -> io::Result<Signals> {
        use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};
        let s = Signals { stop: Arc::default(), suspend: Arc::default(), resumed: Arc::default() };
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            signal_hook::flag::register_usize(sig, Arc::clone(&s.stop), sig as usize)?;
        }
        signal_hook::flag::register(SIGTSTP, Arc::clone(&s.suspend))?;
        signal_hook::flag::register(SIGCONT, Arc::clone(&s.resumed))?;
        Ok(s)
    }
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    ws: &mut dyn Workspace,
    signals: &Signals,
) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Action::Resize { width: size.width, height: size.height });
    let mut last_tick = Instant::now();
    let mut bg = Background::new();
    loop {
        terminal.draw(|f| f.render_widget(&*app, f.area()))?;
        if app.doc.provisional {
            // The first frame is on screen: now align the clauses properly.
            let (left, right) = (app.doc.left_version.clone(), app.doc.right_version.clone());
            app.doc.provisional = false;
            let compare = app.compare(left, right);
            perform_with(app, ws, &mut bg, vec![compare]);
            continue;
        }
        if signals.stop.load(Ordering::Relaxed) != 0 {
            return Ok(());
        }
        if terminal_hung_up() {
            // Nobody is left to see the screen or type: stop as a SIGHUP would.
            signals.stop.store(signal_hook::consts::SIGHUP as usize, Ordering::Relaxed);
            return Ok(());
        }
        let mut effects = Vec::new();
        if signals.suspend.swap(false, Ordering::Relaxed) {
            effects.extend(app.update(Action::Suspend));
        } else if signals.resumed.swap(false, Ordering::Relaxed) {
            // Stopped by someone else (SIGSTOP) and continued: the shell may have changed
            // the terminal meanwhile.
            if let Err(e) = Tty(terminal).take_back() {
                effects.extend(app.update(Action::Problem(e)));
            }
        }
        // While a job runs, look for its result often; crossterm's wait cannot be woken.
        let wait = if bg.running() > 0 { 25 } else { 250 };
        match event::poll(Duration::from_millis(wait))
            .and_then(|ready| if ready { event::read().map(Some) } else { Ok(None) })
        {
            Ok(Some(ev)) => {
                if let Some(action) = map_event(&app.mode(), &ev) {
                    effects.extend(app.update(action));
                }
            }
            Ok(None) => {}
            // A signal interrupted the wait: the loop checks the stop flag next.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        for result in bg.arrived() {
            effects.extend(app.update(result));
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            effects.extend(app.update(Action::Tick));
        }
        if perform_in(app, ws, &mut bg, &mut Tty(terminal), effects) {
            return Ok(());
        }
    }
}

/// True when the terminal on standard input has hung up (its window or tmux server is gone).
///
/// A hang-up does not always come with a SIGHUP (a shell between lrw and the terminal may be
/// the session leader), and ratatui writes nothing for an unchanged frame. crossterm's
/// `use-dev-tty` event source usually ends with a read error then (the tmux test covers
/// that); this catches a terminal that reports the hang-up without one.
#[cfg(unix)]
fn terminal_hung_up() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::empty())];
    let now = Timespec { tv_sec: 0, tv_nsec: 0 };
    match poll(&mut fds, Some(&now)) {
        Ok(_) => fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
        Err(_) => false,
    }
}

#[cfg(not(unix))]
fn terminal_hung_up() -> bool {
    false
}

/// Leave the terminal as it was: mouse capture and bracketed paste off, raw mode off, main
/// screen back. Safe to call more than once, and quiet when the terminal is already gone
/// (printing that error could itself fail).
pub fn restore() {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    let _ = ratatui::try_restore();
}

/// Restore the terminal before the panic message is printed (ratatui's own hook does not
/// know about mouse capture).
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some(BACKGROUND) {
            // A background job: the workbench goes on, and the panic's message comes back
            // as the job's result (see `Background::spawn`). Printing it would scribble
            // over the screen.
            return;
        }
        restore();
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `$EDITOR` round trip: a script as the editor gets the text in a private temporary
    /// file, changes it, and the text comes back; the file is gone after. A failing editor
    /// changes nothing.
    #[cfg(unix)]
    #[test]
    fn the_users_editor_gets_the_text_and_gives_it_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let seen = dir.path().join("seen");
        let script = dir.path().join("ed.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nstat -c %a \"$1\" > '{0}'\ncat \"$1\" >> '{0}'\necho \"$1\" >> '{0}'\n\
                 printf 'Agreed.\\n' >> \"$1\"\n",
                seen.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let back = edit_with(&script.display().to_string(), "> quoted\nmy line").unwrap();
        assert_eq!(back, "> quoted\nmy line\nAgreed.");
        let seen = std::fs::read_to_string(&seen).unwrap();
        let mut lines = seen.lines();
        assert_eq!(lines.next(), Some("600"), "only its owner reads the file");
        assert_eq!((lines.next(), lines.next()), (Some("> quoted"), Some("my line")));
        let file = lines.next().unwrap();
        assert!(file.contains("lrw-comment-") && file.ends_with(".md"), "{file}");
        assert!(!std::path::Path::new(file).exists(), "the temporary file is removed");
        let err = edit_with("false", "text").unwrap_err();
        assert!(err.contains("false ended with"), "{err}");
        let err = edit_with("/nonexistent/editor", "text").unwrap_err();
        assert!(err.contains("/nonexistent/editor ended with"), "{err}");
    }

    struct Fake {
        dir: tempfile::TempDir,
        applied: Vec<(ReviewChange, String)>,
        fail: bool,
        /// The next ranking waits for a message on this before it starts, and says it is done
        /// on the second.
        gate: Option<(Receiver<()>, Sender<()>)>,
        /// The next ranking panics.
        panic: bool,
    }

    fn fake() -> Fake {
        Fake {
            dir: tempfile::tempdir().unwrap(),
            applied: vec![],
            fail: false,
            gate: None,
            panic: false,
        }
    }

    impl Workspace for Fake {
        fn document(
            &mut self,
            l: &str,
            r: &str,
            o: CompareOptions,
            _: &[(String, String)],
        ) -> Result<Document, String> {
            let mut doc = crate::tui::app::tests::sample();
            (doc.left_version, doc.right_version) = (l.into(), r.into());
            (doc.normalized, doc.ignore_case) = (o.normalize, o.ignore_case);
            Ok(doc)
        }
        fn begin_save(&mut self, change: &ReviewChange, author: &str) -> Result<Job, String> {
            if self.fail {
                return Err("review.toml: read-only".into());
            }
            self.applied.push((change.clone(), author.into()));
            Ok(Box::new(|| Action::SaveDone))
        }
        fn finish_save(&mut self, _: &str, _: &str) -> Result<(String, Vec<ThreadView>), String> {
            Ok(("Saved".into(), vec![]))
        }
        fn criteria(&self) -> Vec<CriterionView> {
            vec![]
        }
        fn review_path(&self) -> PathBuf {
            self.dir.path().join("r.toml")
        }
        fn export(&mut self, format: &str, version: &str) -> Result<PathBuf, String> {
            if self.fail {
                return Err("read-only".into());
            }
            Ok(self.dir.path().join(format!("r-{version}-summary.{format}")))
        }
        fn matrix(&mut self, version: &str) -> Result<MatrixView, String> {
            Ok(MatrixView { version: version.into(), ..MatrixView::default() })
        }
        fn closest_licenses(&mut self, version: &str, top: usize) -> Result<RankJob, String> {
            if self.fail {
                return Err(format!("version {version}: cannot read"));
            }
            let m = |id: &str, score, version: Option<&str>| LicenseMatch {
                id: id.into(),
                name: format!("{id} License"),
                score,
                osi: true,
                version: version.map(str::to_string),
            };
            let all = vec![m("MIT", 0.9, None), m("ISC", 0.8, Some("third")), m("X", 0.1, None)];
            let (gate, panic) = (self.gate.take(), std::mem::take(&mut self.panic));
            Ok(Box::new(move || {
                if let Some((start, _)) = &gate {
                    start.recv().unwrap();
                }
                assert!(!panic, "the ranking broke");
                if let Some((_, done)) = &gate {
                    done.send(()).unwrap();
                }
                all.into_iter().take(top).collect()
            }))
        }
    }

    #[test]
    fn effects_reach_the_workspace_and_results_come_back() {
        use crate::tui::testing::type_keys;
        let mut ws = fake();
        let mut app = App::new(crate::tui::app::tests::sample(), vec![], None);
        app.author = "ana".into();
        let fx = type_keys(&mut app, ":2<ret>ahello");
        assert!(!perform(&mut app, &mut ws, fx));
        let fx = app.update(Action::Tick);
        perform(&mut app, &mut ws, fx);
        let draft = recovery::own_path(&ws.review_path());
        assert!(draft.exists(), "draft kept while typing");
        assert!(matches!(&app.kept, Some(Ok(recovery::Kept::Here(p))) if *p == draft));
        let fx = type_keys(&mut app, "<C-s>");
        perform(&mut app, &mut ws, fx);
        assert_eq!(ws.applied.len(), 1);
        assert_eq!(ws.applied[0].1, "ana");
        assert!(!draft.exists(), "draft removed once saved");
        assert_eq!(app.message, Some(("Saved".into(), false)));
        assert_eq!(app.kept, None);

        ws.fail = true;
        let fx = type_keys(&mut app, "aagain<C-s>");
        perform(&mut app, &mut ws, fx);
        assert!(app.message.as_ref().unwrap().1);
        let (found, _) = recovery::find(&ws.review_path());
        assert_eq!(found.iter().map(|f| f.draft.body.as_str()).collect::<Vec<_>>(), ["again"]);

        let fx = type_keys(&mut app, "=");
        perform(&mut app, &mut ws, fx);
        assert!(!app.doc.normalized);
        // A refinement of the same comparison keeps the reader's place.
        type_keys(&mut app, "G");
        let (top, cursor) = (app.texts.top, app.texts.cursor);
        let fx = vec![app.compare("left".into(), "right".into())];
        perform(&mut app, &mut ws, fx);
        assert_eq!((app.texts.top, app.texts.cursor), (top, cursor));
        assert_eq!(app.clause, 2);
        let fx = type_keys(&mut app, "dyq");
        assert!(perform(&mut app, &mut ws, fx));
    }

    #[test]
    fn closest_licenses_are_ranked_added_and_compared_through_the_workspace() {
        use crate::tui::app::Mode;
        use crate::tui::testing::type_keys;
        let mut ws = fake();
        let mut app = App::new(crate::tui::app::tests::sample(), vec![], None);
        let fx = type_keys(&mut app, "L");
        perform(&mut app, &mut ws, fx);
        assert_eq!(app.mode(), Mode::Picker);
        assert_eq!(app.closest.as_ref().unwrap().matches.len(), 3);
        let fx = type_keys(&mut app, "<ret>");
        perform(&mut app, &mut ws, fx);
        let add = ReviewChange::AddVersion { id: "spdx-MIT".into(), path: "spdx:MIT".into() };
        assert_eq!(ws.applied.iter().map(|a| &a.0).collect::<Vec<_>>(), vec![&add]);
        assert_eq!(
            (app.doc.left_version.as_str(), app.doc.right_version.as_str()),
            ("spdx-MIT", "right")
        );
        assert_eq!(app.message, Some(("Saved".into(), false)));

        ws.fail = true;
        let fx = type_keys(&mut app, "L");
        perform(&mut app, &mut ws, fx);
        assert_eq!(app.mode(), Mode::Normal);
        assert_eq!(app.message, Some(("Ranking failed: version right: cannot read".into(), true)));
        assert_eq!(app.ranking, None);
    }

    /// A ranking started with `L` the event loop's way, held until `start` is sent; `finished`
    /// hears when it has run.
    fn gated_ranking() -> (Fake, App, Background, Sender<()>, Receiver<()>) {
        let mut ws = fake();
        let (start, gate) = channel();
        let (done, finished) = channel();
        ws.gate = Some((gate, done));
        let mut app = App::new(crate::tui::app::tests::sample(), vec![], None);
        let mut bg = Background::new();
        let fx = crate::tui::testing::type_keys(&mut app, "L");
        assert!(!perform_with(&mut app, &mut ws, &mut bg, fx), "returns at once");
        (ws, app, bg, start, finished)
    }

    /// The event loop's way: `perform_with` starts the ranking and returns; keys go on
    /// being handled; the result arrives later through `Background`.
    #[test]
    fn ranking_runs_in_the_background_while_keys_are_handled() {
        use crate::tui::app::Mode;
        use crate::tui::testing::type_keys;
        let (mut ws, mut app, mut bg, start, finished) = gated_ranking();
        assert_eq!((bg.running(), app.ranking.as_deref()), (1, Some("right")));
        // The ranking has not even started: keys work meanwhile.
        let fx = type_keys(&mut app, "jjw");
        assert!(!perform_with(&mut app, &mut ws, &mut bg, fx));
        assert_eq!((app.texts.cursor, app.texts.wrap, app.mode()), (2, false, Mode::Normal));
        assert!(bg.arrived().is_empty());
        start.send(()).unwrap();
        finished.recv().unwrap();
        let result = bg.wait().expect("the ranking's result");
        assert!(
            matches!(&result, Action::Ranked { version, matches } if version == "right" && matches.len() == 3)
        );
        let fx = app.update(result);
        assert!(!perform_with(&mut app, &mut ws, &mut bg, fx));
        assert_eq!((app.mode(), bg.running()), (Mode::Picker, 0));
        assert_eq!(app.texts.cursor, 2, "the reader's place is kept");
    }

    #[test]
    fn a_ranking_that_panics_comes_back_as_a_failure() {
        use crate::tui::app::Mode;
        use crate::tui::testing::type_keys;
        let mut ws = fake();
        ws.panic = true;
        let mut app = App::new(crate::tui::app::tests::sample(), vec![], None);
        let fx = type_keys(&mut app, "L");
        perform(&mut app, &mut ws, fx);
        assert_eq!(app.mode(), Mode::Normal);
        assert_eq!(app.ranking, None);
        let (message, failed) = app.message.clone().unwrap();
        assert!(failed && message.starts_with("Ranking failed: the ranking broke"), "{message}");
    }

    /// Quitting while a ranking runs: the loop ends at once; the ranking finishes on its own
    /// and its result goes nowhere.
    #[test]
    fn quitting_does_not_wait_for_a_ranking() {
        use crate::tui::testing::type_keys;
        let (mut ws, mut app, mut bg, start, finished) = gated_ranking();
        let fx = type_keys(&mut app, "q");
        assert!(perform_with(&mut app, &mut ws, &mut bg, fx), "quits with the ranking running");
        drop(bg);
        start.send(()).unwrap();
        finished.recv().expect("the ranking ran to its end, and its result went nowhere");
    }
}

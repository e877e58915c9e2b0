//! Workbench timings: time to first frame (build the document, then draw) and time per frame
//! while scrolling, on the bundled example review and on a generated 1 MB pair, drawn at
//! 200x60 into ratatui's `TestBackend`. Run with `cargo bench --bench tui`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use lrw::text::Text;
use lrw::text::clauses::ClauseTree;
use lrw::tui::action::Action;
use lrw::tui::app::{App, PaneId};
use lrw::tui::build::{build_document, quick_document};
use lrw::tui::runtime::Workspace;
use lrw::tui::workspace::ReviewWorkspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const W: u16 = 200;
const H: u16 = 60;
const FRAMES: u32 = 300;

fn draw(term: &mut Terminal<TestBackend>, app: &App) {
    term.draw(|f| f.render_widget(app, f.area())).expect("draw");
}

/// Scroll down one line per frame (wrapping round at the end), and time each frame.
fn per_frame(term: &mut Terminal<TestBackend>, app: &mut App) -> Duration {
    app.focus = PaneId::Texts;
    let start = Instant::now();
    for _ in 0..FRAMES {
        if app.texts.cursor + 1 >= app.doc.rows.len() {
            app.update(Action::Top);
        }
        app.update(Action::Down);
        draw(term, app);
    }
    start.elapsed() / FRAMES
}

/// A license-like text of about `bytes` bytes: numbered clauses with lettered sub-clauses.
fn big_text(bytes: usize, variant: bool) -> String {
    let words = [
        "Licensor",
        "grants",
        "You",
        "a",
        "worldwide",
        "royalty-free",
        "non-exclusive",
        "license",
        "to",
        "use",
        "reproduce",
        "modify",
        "and",
        "distribute",
        "the",
        "Work",
        "subject",
        "terms",
    ];
    let mut out = String::with_capacity(bytes + 1024);
    let mut n = 0usize;
    while out.len() < bytes {
        n += 1;
        out.push_str(&format!("{n}. Section {n}\n\n"));
        for (k, letter) in ["a", "b", "c"].iter().enumerate() {
            out.push_str(&format!("({letter}) "));
            for i in 0..60 {
                let w = words[(n * 7 + k * 3 + i) % words.len()];
                // The right version changes a word every few clauses.
                if variant && n.is_multiple_of(5) && k == 1 && i == 17 {
                    out.push_str("sublicense ");
                } else {
                    out.push_str(w);
                    out.push(' ');
                }
                if i % 12 == 11 {
                    out.push('\n');
                }
            }
            out.push_str("\n\n");
        }
    }
    out
}

fn report(name: &str, first: Duration, frame: Duration) {
    println!(
        "{name:<28} first frame {:>7.1} ms   per frame {:>5.2} ms",
        first.as_secs_f64() * 1e3,
        frame.as_secs_f64() * 1e3
    );
}

fn main() {
    let review = Path::new(env!("CARGO_MANIFEST_DIR")).join("reviews/example-model-license.toml");
    let start = Instant::now();
    let mut ws = ReviewWorkspace::open(&review).expect("the bundled review opens");
    let doc = ws.initial_document().expect("the bundled review compares");
    let mut app = App::new(doc, ws.criteria(), None);
    app.update(Action::Resize { width: W, height: H });
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("test terminal");
    draw(&mut term, &app);
    let first = start.elapsed();
    let frame = per_frame(&mut term, &mut app);
    report("bundled example review", first, frame);

    let left = Text::from_string("left", &big_text(1 << 20, false));
    let right = Text::from_string("right", &big_text(1 << 20, true));
    // Where the first frame's time goes.
    let t = Instant::now();
    let lt0 = ClauseTree::parse(&left.content);
    let rt0 = ClauseTree::parse(&right.content);
    let parse = t.elapsed();
    let t = Instant::now();
    let opts = lrw::diff::DiffOptions { normalize: true, ..Default::default() };
    black_box(lrw::diff::side_by_side(&left.content, &right.content, &opts));
    let sbs = t.elapsed();
    let t = Instant::now();
    black_box(lrw::diff::align(&left, &lt0, &right, &rt0));
    let align = t.elapsed();
    println!(
        "  (1 MB pair: clause trees {:.1} ms, side-by-side diff {:.1} ms, clause alignment {:.1} ms)",
        parse.as_secs_f64() * 1e3,
        sbs.as_secs_f64() * 1e3,
        align.as_secs_f64() * 1e3
    );
    // What the workbench does for large texts: a quick document (clauses paired by id)
    // for the first frame, then the fully aligned one.
    let start = Instant::now();
    let lt = ClauseTree::parse(&left.content);
    let rt = ClauseTree::parse(&right.content);
    let doc = quick_document(&left, &lt, &right, &rt, true);
    let mut app = App::new(doc, vec![], None);
    app.update(Action::Resize { width: W, height: H });
    draw(&mut term, &app);
    let first = start.elapsed();
    let frame = per_frame(&mut term, &mut app);
    report(&format!("1 MB pair ({} rows)", app.doc.rows.len()), first, frame);
    let start = Instant::now();
    let (ll, rl) = (lrw::diff::Lines::new(&left.content), lrw::diff::Lines::new(&right.content));
    let opts = lrw::diff::DiffOptions { normalize: true, ..Default::default() };
    let (ls, rs) = (lrw::diff::spans(&lt), lrw::diff::spans(&rt));
    let cmp = lrw::diff::compare_spans(&ll, &ls, &rl, &rs, &opts, true);
    let full = build_document(&cmp, &left, &lt, &right, &rt, true);
    app.update(Action::Compared(Box::new(full)));
    draw(&mut term, &app);
    let refined = start.elapsed();
    let frame = per_frame(&mut term, &mut app);
    println!(
        "{:<28} ready after {:>7.1} ms   per frame {:>5.2} ms",
        "  then full alignment",
        refined.as_secs_f64() * 1e3,
        frame.as_secs_f64() * 1e3
    );
    // Jumping to the end costs no more than a step.
    let start = Instant::now();
    app.update(Action::Bottom);
    draw(&mut term, &app);
    println!(
        "{:<28} {:>19.2} ms",
        "  G (to the end), one frame",
        start.elapsed().as_secs_f64() * 1e3
    );
    black_box(app);
}

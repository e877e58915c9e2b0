//! Workbench timings: time to first frame (build the document, then draw) and time per frame
//! while scrolling, on a generated 1 MB pair, drawn at
//! 200x60 into ratatui's `TestBackend`. Run with `cargo bench --bench tui`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use lrw::text::Text;
use lrw::text::clauses::ClauseTree;
use lrw::tui::action::Action;
use lrw::tui::app::{App, Pane};
use lrw::tui::build::build_document;
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
    app.focus = Pane::Texts;
    let start = Instant::now();
    for _ in 0..FRAMES {
        if app.cursor + 1 >= app.doc.rows.len() {
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
        "{name:<28} first frame {:>8.1} ms   per frame {:>6.2} ms",
        first.as_secs_f64() * 1e3,
        frame.as_secs_f64() * 1e3
    );
}

fn main() {
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("test terminal");
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
    let start = Instant::now();
    let lt = ClauseTree::parse(&left.content);
    let rt = ClauseTree::parse(&right.content);
    let t = Instant::now();
    let doc = build_document(&left, &lt, &right, &rt, true);
    let built = t.elapsed();
    let t = Instant::now();
    let mut app = App::new(doc, vec![], None);
    println!(
        "  build_document {:.1} ms, App::new {:.1} ms",
        built.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );
    app.update(Action::Resize { width: W, height: H });
    draw(&mut term, &app);
    let first = start.elapsed();
    let frame = per_frame(&mut term, &mut app);
    report(&format!("1 MB pair ({} rows)", app.doc.rows.len()), first, frame);
    // Jumping to the end must cost no more than a step.
    let start = Instant::now();
    app.update(Action::Bottom);
    draw(&mut term, &app);
    report("1 MB pair, G (to the end)", Duration::ZERO, start.elapsed());
    black_box(app);
}

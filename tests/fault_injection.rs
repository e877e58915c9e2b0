//! Nothing is lost, under faults: writers killed with SIGKILL at random moments while they
//! post, a second writer posting at the same time, and git-style merges of a branch's copy,
//! round after round for a bounded time. Every post that said it was saved is in the file
//! exactly once at the end, and the file always reads as a review (never half of one).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REVIEW: &str = "reviews/example-model-license.toml";
/// How long the loop runs (CI included): enough for dozens of rounds on a slow machine.
const BUDGET: Duration = Duration::from_secs(8);

fn reply(dir: &Path, thread: &str, body: &str) -> Command {
    let mut c = common::lrw();
    c.current_dir(dir)
        .args(["thread", "reply", REVIEW, thread, "--body", body])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

#[test]
fn killed_and_concurrent_writers_and_merges_lose_nothing() {
    let (dir, review) = common::example_copy();
    let d = dir.path();
    let threads: Vec<String> =
        lrw::review::load(&review).unwrap().threads.iter().map(|t| t.id.clone()).collect();
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut confirmed: Vec<String> = Vec::new();
    let (mut rounds, mut kills, mut merges) = (0, 0, 0);
    let start = Instant::now();
    while start.elapsed() < BUDGET {
        rounds += 1;
        let t = &threads[rng.usize(..threads.len())];
        // Writer A is killed after a random moment; writer B runs to its end meanwhile.
        let a_body = format!("round {rounds}: A");
        let b_body = format!("round {rounds}: B");
        let mut a = reply(d, t, &a_body).spawn().unwrap();
        let b = reply(d, &threads[rng.usize(..threads.len())], &b_body).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.u64(0..150)));
        let killed = a.try_wait().unwrap().is_none();
        if killed {
            let _ = a.kill();
            kills += 1;
        }
        let a_status = a.wait().unwrap();
        if !killed && a_status.success() {
            confirmed.push(a_body);
        }
        let b_out = b.wait_with_output().unwrap();
        assert!(
            b_out.status.success(),
            "writer B failed: {}",
            String::from_utf8_lossy(&b_out.stderr)
        );
        confirmed.push(b_body);
        // The file reads as a review after every round.
        let text = std::fs::read_to_string(&review).unwrap();
        lrw::review::parse(&text, &review).unwrap_or_else(|e| panic!("round {rounds}: {e}"));
        // Now and then, a branch's copy gets a comment and is merged back as git would.
        if rounds % 5 == 0 {
            let base = d.join("base.toml");
            let theirs = d.join("theirs.toml");
            std::fs::copy(&review, &base).unwrap();
            let mut r = lrw::review::parse(&text, &theirs).unwrap();
            let body = format!("round {rounds}: merged from a branch");
            let mut c = lrw::review::Comment::now("branch", &body);
            c.at = "2025-06-01T00:00:00Z".into();
            r.threads[0].comments.push(c);
            std::fs::write(&theirs, lrw::review::to_toml(&r)).unwrap();
            // Meanwhile ours gets a post too (B above, or this one).
            let ours_body = format!("round {rounds}: ours before the merge");
            let out = reply(d, &threads[0], &ours_body).output().unwrap();
            assert!(out.status.success());
            confirmed.push(ours_body);
            let out = common::run_in(d, &["merge", "base.toml", REVIEW, "theirs.toml"]);
            common::assert_code(&out, 0);
            confirmed.push(body);
            merges += 1;
        }
    }
    let r = lrw::review::load(&review).unwrap();
    let bodies: Vec<&str> =
        r.threads.iter().flat_map(|t| t.comments.iter().map(|c| c.body.as_str())).collect();
    for b in &confirmed {
        assert_eq!(bodies.iter().filter(|x| **x == b.as_str()).count(), 1, "{b:?} lost or doubled");
    }
    assert!(lrw::review::validate(&r).is_empty());
    eprintln!(
        "note: {rounds} rounds, {kills} writers killed mid-post, {merges} merges, {} posts \
         confirmed and all kept",
        confirmed.len()
    );
    assert!(rounds >= 10, "only {rounds} rounds ran in {BUDGET:?}");
}

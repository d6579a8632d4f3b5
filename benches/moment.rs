//! The time machine: how long one moment of a 100,000-record session takes to
//! show — fold from the nearest checkpoint, log markers, and one full 160×50
//! frame — at 300 moments spread over the session. Prints p50 and max (the
//! aim: under 50 ms each). Run: `cargo bench --bench moment`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/app.rs"]
mod bench_app;

use std::path::Path;
use std::time::Instant;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use warroom::domain::record::Record;
use warroom::ui::replay::Replay;

#[path = "support/mix.rs"]
mod mix;

const EVENTS: u64 = 100_000;
const MOMENTS: usize = 300;

fn runbook_text() -> String {
    let mut s = String::from(
        "[runbook]\nid = \"bench\"\ntitle = \"Moment benchmark\"\n\n[[phase]]\nid = \"deploy\"\ntitle = \"Deploy\"\n\n",
    );
    for i in 0..12 {
        s += &format!("[[step]]\nid = \"item-{i}\"\nphase = \"deploy\"\ntitle = \"Step {i}\"\nrun = \"true\"\n\n");
    }
    for i in 0..8 {
        s += &format!("[[probe]]\nid = \"item-{i}\"\nurl = \"http://127.0.0.1:9/{i}\"\nevery = \"10s\"\n\n");
    }
    s += "[[log]]\nid = \"app\"\npath = \"/tmp/warroom-bench.log\"\n\n";
    for i in 0..14 {
        let sev = ["critical", "high", "medium"][i % 3];
        s += &format!("[[criterion]]\nid = \"item-{i}\"\ntitle = \"Criterion {i}\"\nseverity = \"{sev}\"\non_fail = \"rollback\"\n\n");
    }
    s += "[escalation]\nstart = \"on_incident\"\n";
    for l in 0..3 {
        s += &format!("[[escalation.level]]\nname = \"item-{l}\"\nwho = \"Level {l}\"\nrespond_within = \"30m\"\n");
    }
    s
}

fn main() {
    let records: Vec<Record> = mix::records(EVENTS).collect();
    let start = records[0].ts - chrono::Duration::milliseconds(250);
    let loaded = warroom::domain::loader::load_bytes(Path::new("bench.toml"), runbook_text().as_bytes())
        .unwrap_or_else(|d| panic!("bench runbook: {d:?}"));
    let app = bench_app::app(loaded.runbook, "t0", start);
    let t = Instant::now();
    let mut replay = Replay::new(&app, records, Some(0), true);
    eprintln!("time machine opened on {EVENTS} records (checkpoints built) in {:?}", t.elapsed());
    let mut term = Terminal::new(TestBackend::new(160, 50)).unwrap();
    let mut times = Vec::with_capacity(MOMENTS);
    let mut x: u64 = 12345;
    for _ in 0..MOMENTS {
        // A small LCG: moments all over the session, the same every run.
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let pos = (x >> 33) as usize % (EVENTS as usize + 1);
        let t = Instant::now();
        replay.pos = pos;
        replay.show();
        term.draw(|f| replay.app.draw(f)).unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    let p50 = times[times.len() / 2];
    let max = times[times.len() - 1];
    println!(
        "moment of a {EVENTS}-record journal, fold + frame, {MOMENTS} moments: p50 {p50:?}, max {max:?} (aim < 50 ms)"
    );
}

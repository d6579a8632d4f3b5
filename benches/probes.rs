//! Scheduling lateness of the probe scheduler: 200 probes every 5 s against a
//! local HTTP server (190 answering at once, 5 slow, 5 hanging until their
//! timeout), for `WARROOM_BENCH_SECS` seconds (default 30).
//!
//! For each probe its schedule is phase + k·5 s, the phase being the earliest
//! (start_k − k·5 s) observed; the lateness of attempt k is its start time
//! minus that ideal. Reported: attempts,
//! lateness p50/p95/p99/max, and missing attempts (skipped ticks). A hanging
//! probe must not make any other probe late.
//!
//! The loop that receives the results stands in for the console's: every
//! result goes into a real `App` (history, sparkline, p50/p95), and a frame is
//! due every 50 ms (the console's cap), drawn whole at 160×50 into ratatui's
//! `TestBackend` on the same two-thread runtime as the probes. Reported: how
//! late each frame started against its due time (aim: never over 50 ms) and how
//! long drawing took.
//!
//! Run: `cargo bench --bench probes` (release) or `cargo bench --bench probes --profile dev`.

// The allocator the binary uses (see src/main.rs), so the figures are the console's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/sources/server.rs"]
mod server;

#[path = "support/app.rs"]
mod bench_app;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use warroom::domain::loader::load_bytes;
use warroom::sources::probes::{start, ProbeEnv};
use warroom::sources::SourceEvent;

const PROBES: usize = 200;
const EVERY_S: i64 = 5;

fn runbook_text(srv: &server::TestServer) -> String {
    let mut t = String::from("[runbook]\nid = \"bench\"\ntitle = \"bench\"\n\n");
    for i in 0..PROBES {
        let (path, timeout) = match i % 40 {
            0 => ("/hang", "3s"),
            1 => ("/slow", "3s"),
            _ => ("/ok", "2s"),
        };
        t.push_str(&format!(
            "[[probe]]\nid = \"p{i:03}\"\nurl = \"{}\"\nevery = \"{EVERY_S}s\"\ntimeout = \"{timeout}\"\nconditions = [\"[STATUS] == 200\"]\n\n",
            srv.url(path)
        ));
    }
    t
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let secs: u64 = std::env::var("WARROOM_BENCH_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async move {
        let srv = server::start().await;
        let text = runbook_text(&srv);
        let rb = load_bytes(std::path::Path::new("bench.toml"), text.as_bytes()).unwrap().runbook;
        let (tx, mut rx) = warroom::sources::event_channel();
        let began = Utc::now();
        let handle = start(&rb.probes, Arc::new(ProbeEnv::for_runbook(&rb)), tx);
        let mut app = bench_app::app(rb.clone(), "monitor", Utc::now());
        let mut term = Terminal::new(TestBackend::new(160, 50)).unwrap();
        let mut frames = tokio::time::interval(Duration::from_millis(50));
        frames.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let (mut frame_late, mut frame_draw) = (Vec::new(), Vec::new());
        let mut starts: BTreeMap<String, Vec<DateTime<Utc>>> = BTreeMap::new();
        let mut latency_ok = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            tokio::select! {
                ev = rx.recv() => {
                    if let Some(SourceEvent::Probe(r)) = ev {
                        if r.success { latency_ok.push(r.latency.as_secs_f64() * 1000.0); }
                        starts.entry(r.probe.clone()).or_default().push(r.at);
                        app.on_source(SourceEvent::Probe(r));
                    }
                }
                due = frames.tick() => {
                    frame_late.push(due.elapsed().as_secs_f64() * 1000.0);
                    let t = std::time::Instant::now();
                    app.model.now = Utc::now();
                    term.draw(|f| app.draw(f)).unwrap();
                    frame_draw.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                _ = tokio::time::sleep_until(deadline) => break,
            }
        }
        drop(handle);
        let mut late = Vec::new();
        let mut missing = 0i64;
        let mut first_spread = Vec::new();
        for v in starts.values_mut() {
            v.sort();
            let t0 = v[0];
            first_spread.push((t0 - began).num_microseconds().unwrap_or(0) as f64 / 1000.0);
            // The probe's schedule phase: the earliest (at_k - k·every) seen; the first attempt
            // itself may be late (all probes start at once), which would hide later lateness.
            let every = |k: usize| chrono::Duration::seconds(EVERY_S * k as i64);
            let phase = v.iter().enumerate().map(|(k, at)| *at - every(k)).min().unwrap();
            for (k, at) in v.iter().enumerate() {
                late.push((*at - (phase + every(k))).num_microseconds().unwrap_or(0) as f64 / 1000.0);
            }
            // Attempts that should have started inside the run but did not.
            let expected = ((began + chrono::Duration::seconds(secs as i64)) - t0).num_milliseconds() / (EVERY_S * 1000) + 1;
            missing += (expected - v.len() as i64).max(0);
        }
        late.sort_by(|a, b| a.partial_cmp(b).unwrap());
        frame_late.sort_by(|a, b| a.partial_cmp(b).unwrap());
        frame_draw.sort_by(|a, b| a.partial_cmp(b).unwrap());
        latency_ok.sort_by(|a, b| a.partial_cmp(b).unwrap());
        first_spread.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("probe scheduler: {PROBES} probes every {EVERY_S}s for {secs}s (190 fast, 5 slow 300ms, 5 hanging to a 3s timeout)");
        println!("  probes heard from: {}  attempts: {}  missing attempts: {missing}", starts.len(), late.len());
        println!(
            "  tick lateness ms: p50 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2}",
            pct(&late, 50.0), pct(&late, 95.0), pct(&late, 99.0), late.last().copied().unwrap_or(f64::NAN)
        );
        println!(
            "  UI frames (every 50 ms, 160x50, same runtime): {}  start lateness ms: p50 {:.2}  p99 {:.2}  max {:.2}  over 50 ms: {}",
            frame_late.len(),
            pct(&frame_late, 50.0),
            pct(&frame_late, 99.0),
            frame_late.last().copied().unwrap_or(f64::NAN),
            frame_late.iter().filter(|l| **l > 50.0).count()
        );
        println!(
            "  frame draw ms: p50 {:.2}  p99 {:.2}  max {:.2}",
            pct(&frame_draw, 50.0),
            pct(&frame_draw, 99.0),
            frame_draw.last().copied().unwrap_or(f64::NAN)
        );
        println!("  first attempt after start ms: max {:.2}", first_spread.last().copied().unwrap_or(f64::NAN));
        println!(
            "  successful attempt latency ms: p50 {:.2}  p95 {:.2}  max {:.2}",
            pct(&latency_ok, 50.0), pct(&latency_ok, 95.0), latency_ok.last().copied().unwrap_or(f64::NAN)
        );
    });
}

//! The journal on PostgreSQL against the file journal, on a throwaway local
//! cluster started with `fsync` on (as a real server runs):
//!
//! 1. append latency, p50/p99, one writer, PostgreSQL vs file;
//! 2. time from an append in one process to the record read in another
//!    (woken by NOTIFY, or by the file watcher), p50/p95;
//! 3. 4 writer processes × 250 marks at once → the chain verified intact.
//!
//! `cargo bench --bench pg_journal` (or `scripts/pg_journal_bench.sh`). Not a
//! test: it prints figures, it asserts only that the chain is intact.

#[path = "../tests/support/pg.rs"]
mod pg;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use warroom::domain::event::{EventKind, MarkSource, Verdict};
use warroom::sources::journal::Journal;

const APPENDS: usize = 500;
const ARRIVALS: usize = 200;
const WRITERS: usize = 4;
const MARKS: usize = 250;

fn main() {
    // Child roles: this same binary, re-run with a role in the environment.
    match std::env::var("WR_BENCH_ROLE").as_deref() {
        Ok("sender") => return sender(),
        Ok("marker") => return marker(),
        _ => {}
    }
    let cluster = pg::Cluster::start_durable().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: set before any thread of ours reads the environment.
    unsafe { std::env::set_var("WARROOM_DATA_DIR", dir.path().join("data")) };

    println!("journal benchmark (PostgreSQL {} on 127.0.0.1, fsync on)", server_version(&cluster));
    let file = dir.path().join("latency.jsonl");
    let (p50, p99) = append_latency(&file);
    println!("append latency, file journal:       p50 {p50:>9.3?}  p99 {p99:>9.3?}  ({APPENDS} appends)");
    let url = cluster.url("bench-latency");
    let (p50, p99) = append_latency(Path::new(&url));
    println!("append latency, PostgreSQL journal: p50 {p50:>9.3?}  p99 {p99:>9.3?}  ({APPENDS} appends)");

    let file = dir.path().join("arrival.jsonl");
    let (p50, p95) = arrival(&file);
    println!(
        "append → read in another process, file (watcher):  p50 {p50:>9.3?}  p95 {p95:>9.3?}  ({ARRIVALS} records)"
    );
    let url = cluster.url("bench-arrival");
    let (p50, p95) = arrival(Path::new(&url));
    println!(
        "append → read in another process, PostgreSQL (NOTIFY): p50 {p50:>9.3?}  p95 {p95:>9.3?}  ({ARRIVALS} records)"
    );

    let url = cluster.url("bench-writers");
    let start = Instant::now();
    let children: Vec<_> = (0..WRITERS)
        .map(|w| {
            Command::new(std::env::current_exe().unwrap())
                .env("WR_BENCH_ROLE", "marker")
                .env("WR_BENCH_JOURNAL", &url)
                .env("WR_BENCH_WRITER", w.to_string())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a writer failed");
    }
    let took = start.elapsed();
    let check = warroom::sources::journal::postgres::verify_session(&url).unwrap();
    assert!(check.verified.bad.is_none(), "chain broken: {:?}", check.verified.bad);
    assert_eq!(check.verified.records as usize, WRITERS * MARKS);
    println!(
        "{WRITERS} writer processes × {MARKS} marks: chain intact, {} records, in {took:.2?} ({:.0} appends/s)",
        check.verified.records,
        check.verified.records as f64 / took.as_secs_f64()
    );
    cluster.shutdown();
}

fn server_version(c: &pg::Cluster) -> String {
    c.psql("SHOW server_version")
}

fn note(text: String) -> EventKind {
    EventKind::NoteAdded { text }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn append_latency(journal: &Path) -> (Duration, Duration) {
    let mut j = Journal::open(journal).unwrap().journal;
    let mut took: Vec<Duration> = (0..APPENDS)
        .map(|i| {
            let t = Instant::now();
            j.append("bench", chrono::Utc::now(), &note(format!("append {i}"))).unwrap();
            t.elapsed()
        })
        .collect();
    took.sort();
    (percentile(&took, 0.5), percentile(&took, 0.99))
}

fn now_ns() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos()
}

/// A second process appends notes carrying their send time; this one is
/// woken the way a console is (`Journal::watch`), polls, and measures.
fn arrival(journal: &Path) -> (Duration, Duration) {
    let mut j = Journal::open(journal).unwrap().journal;
    let (tx, mut rx) = warroom::sources::event_channel();
    let _watch = j.watch(tx);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env("WR_BENCH_ROLE", "sender")
        .env("WR_BENCH_JOURNAL", journal)
        .spawn()
        .unwrap();
    let mut took = Vec::new();
    while took.len() < ARRIVALS {
        if rx.blocking_recv().is_none() {
            break;
        }
        for r in j.poll().unwrap() {
            let arrived = now_ns();
            if let Some(sent) = r.data["text"].as_str().and_then(|t| t.strip_prefix("sent ")) {
                let sent: u128 = sent.parse().unwrap();
                took.push(Duration::from_nanos((arrived - sent) as u64));
            }
        }
    }
    let _ = child.wait();
    took.sort();
    (percentile(&took, 0.5), percentile(&took, 0.95))
}

fn bench_journal() -> PathBuf {
    PathBuf::from(std::env::var_os("WR_BENCH_JOURNAL").expect("WR_BENCH_JOURNAL"))
}

fn sender() {
    let mut j = Journal::open(&bench_journal()).unwrap().journal;
    for _ in 0..ARRIVALS {
        // Spaced out, as people's acts are: each arrival is measured on its own.
        std::thread::sleep(Duration::from_millis(20));
        j.append("sender", chrono::Utc::now(), &note(format!("sent {}", now_ns()))).unwrap();
    }
}

fn marker() {
    let w = std::env::var("WR_BENCH_WRITER").unwrap_or_default();
    let mut j = Journal::open(&bench_journal()).unwrap().journal;
    for i in 0..MARKS {
        let ev = EventKind::CriterionMarked {
            criterion: format!("c{}", i % 7),
            verdict: if i % 2 == 0 { Verdict::Pass } else { Verdict::Fail },
            note: Some(format!("writer {w}")),
            source: MarkSource::Manual,
            cause: None,
        };
        j.append(&format!("writer{w}"), chrono::Utc::now(), &ev).unwrap();
    }
}

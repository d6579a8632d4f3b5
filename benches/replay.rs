//! Replay: how long a console takes to come back after a restart on a long
//! session — open a 100,000-record journal (read, parse, check every hash and
//! link) and fold it into the session state. Target: under 300 ms.
//!
//! Run: `cargo bench --bench replay`.

use std::io::{BufWriter, Write};

// The allocator the binary uses (see src/main.rs), so the figure is the console's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion};
use warroom::domain::state::SessionState;
use warroom::sources::journal::Journal;

#[path = "support/mix.rs"]
mod mix;

const EVENTS: u64 = 100_000;

fn build_journal(path: &std::path::Path) {
    let mut w = BufWriter::new(std::fs::File::create(path).unwrap());
    for r in mix::records(EVENTS) {
        writeln!(w, "{}", r.to_line()).unwrap();
    }
    w.flush().unwrap();
}

fn replay(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    build_journal(&path);
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!("journal: {EVENTS} records, {:.1} MB", size as f64 / 1e6);

    // CPU time of single runs, which a loaded machine (shared cores) does not inflate the way wall time is.
    for i in 1..=3 {
        let (cpu0, wall0) = (process_cpu(), std::time::Instant::now());
        let opened = Journal::open(&path).unwrap();
        let state = SessionState::from_records(&opened.records);
        let (cpu, wall) = (process_cpu() - cpu0, wall0.elapsed());
        assert_eq!(state.last_seq, EVENTS);
        eprintln!("open+fold run {i}: {:.0} ms CPU, {:.0} ms wall", cpu.as_secs_f64() * 1e3, wall.as_secs_f64() * 1e3);
    }

    let mut g = c.benchmark_group("replay");
    g.sample_size(10);
    // What the engineer waits for is open + fold; freeing the previous
    // iteration's records is not part of it (a console keeps them), hence
    // `iter_with_large_drop`.
    g.bench_function("open+fold 100k", |b| {
        b.iter_with_large_drop(|| {
            let opened = Journal::open(&path).unwrap();
            assert_eq!(opened.records.len() as u64, EVENTS);
            let state = SessionState::from_records(&opened.records);
            assert_eq!(state.last_seq, EVENTS);
            (opened, state)
        })
    });
    g.bench_function("open only 100k", |b| b.iter_with_large_drop(|| Journal::open(&path).unwrap()));
    g.finish();
}

/// CPU time used by this process so far (all threads: the reader parses on every core).
fn process_cpu() -> std::time::Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write into.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

criterion_group!(benches, replay);
criterion_main!(benches);

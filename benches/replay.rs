//! Replay: how long a console takes to come back after a restart on a long
//! session — open a 100,000-record journal (read, parse, check every hash and
//! link) and fold it into the session state. Target: under 300 ms.
//!
//! Run: `cargo bench --bench replay`.

use std::io::{BufWriter, Write};

// The allocator the binary uses (see src/main.rs), so the figure is the console's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use warroom::domain::event::{EventKind, MarkSource, ProbeHealth, RunOutcome, Verdict};
use warroom::domain::record::{Record, GENESIS};
use warroom::domain::state::SessionState;
use warroom::sources::journal::Journal;

const EVENTS: u64 = 100_000;

/// A mix like a long incident: probe flaps, verdicts (manual and auto), step
/// runs, notes, escalations, approvals.
fn event(i: u64) -> EventKind {
    let id = |n: u64| format!("item-{}", i % n);
    match i % 10 {
        0 | 1 => EventKind::ProbeChanged {
            probe: id(8),
            health: if i % 4 < 2 { ProbeHealth::Down } else { ProbeHealth::Up },
            cause: Some("[STATUS] == 200 failed (503)".into()),
        },
        2..=4 => EventKind::CriterionMarked {
            criterion: id(14),
            verdict: [Verdict::Pass, Verdict::Fail, Verdict::Na, Verdict::Pending][(i % 4) as usize],
            note: i.is_multiple_of(3).then(|| "checked by hand on the admin page".into()),
            source: if i.is_multiple_of(2) { MarkSource::Auto } else { MarkSource::Manual },
            cause: None,
        },
        5 => EventKind::StepStarted {
            step: id(12),
            run: (i / 10) as u32,
            command: "./scripts/golive/01_preflight_checks.sh --env prod".into(),
            output: format!("runs/step-{}-{}.log", id(12), i / 10),
        },
        6 => EventKind::StepFinished {
            step: format!("item-{}", (i - 1) % 12),
            run: (i / 10) as u32,
            outcome: RunOutcome::Ok,
            exit_code: Some(0),
            signal: None,
            duration_ms: 12_345,
            error: None,
        },
        7 => EventKind::NoteAdded { text: format!("note {i}: DNS switched, TTL 300, waiting for propagation") },
        8 => EventKind::IncidentEscalated { level: id(3), automatic: i.is_multiple_of(2) },
        _ => EventKind::RollbackApproved { rollback: id(2) },
    }
}

fn build_journal(path: &std::path::Path) {
    let mut w = BufWriter::new(std::fs::File::create(path).unwrap());
    let start = DateTime::<Utc>::from_timestamp_millis(1_770_000_000_000).unwrap();
    let mut prev = GENESIS.to_string();
    for seq in 1..=EVENTS {
        let ts = start + chrono::Duration::milliseconds(seq as i64 * 250);
        let r = Record::new(&prev, seq, ts, ["ana@bastion", "bob@bastion"][(seq % 2) as usize], &event(seq));
        writeln!(w, "{}", r.to_line()).unwrap();
        prev = r.hash;
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

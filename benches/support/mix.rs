//! The record mix the journal benchmarks share (replay, moment): a long
//! incident's probe flaps, verdicts, runs, notes and escalations, as a
//! hash-chained session of two operators, a record every 250 ms.

use chrono::{DateTime, Utc};
use warroom::domain::event::{EventKind, MarkSource, ProbeHealth, RunOutcome, Verdict};
use warroom::domain::record::{Record, GENESIS};

/// A mix like a long incident: probe flaps, verdicts (manual and auto), step
/// runs, notes, escalations, approvals.
pub fn event(i: u64) -> EventKind {
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

/// Records 1..=`n` of the mix, chained from the genesis hash.
pub fn records(n: u64) -> impl Iterator<Item = Record> {
    let start = DateTime::<Utc>::from_timestamp_millis(1_770_000_000_000).unwrap();
    let mut prev = GENESIS.to_string();
    (1..=n).map(move |seq| {
        let ts = start + chrono::Duration::milliseconds(seq as i64 * 250);
        let r = Record::new(&prev, seq, ts, ["ana@bastion", "bob@bastion"][(seq % 2) as usize], &event(seq));
        prev = r.hash.clone();
        r
    })
}

//! The outbox: events produced by a source (a probe going DOWN, an auto
//! verdict, a trigger, an escalation, a run's end) that the journal refused to
//! take — disk full, a database down — wait here, in order, and are written
//! as soon as it accepts writes again (docs/journal.md, "Written late").
//!
//! A person's act is never queued: it is written now or refused loudly, so
//! nobody believes an act was recorded that was not. Before it is written,
//! whatever waits goes first, so the journal keeps the order things happened.
//!
//! Written against `Appender`, the journal handle's append API, not against
//! the file: any backend whose append can fail is covered the same way.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::error::JournalError;
use super::store::Journal;
use crate::domain::event::{EventKind, MarkSource};
use crate::domain::record::Record;

/// How many events may wait. Past it the newest are counted as lost (and the
/// banner says how many), so memory stays bounded during a long outage.
pub const OUTBOX_CAPACITY: usize = 10_000;

/// What the outbox needs from a journal handle.
pub trait Appender {
    /// Appends now, at `at`; returns others' new records followed by ours.
    fn append_now(&mut self, operator: &str, at: DateTime<Utc>, ev: &EventKind) -> Result<Vec<Record>, JournalError>;
    /// Appends an event that happened at `at` but is only written at
    /// `written_at`: the record keeps `at` as its time and says it was late.
    fn append_late(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        ev: &EventKind,
        written_at: DateTime<Utc>,
    ) -> Result<Vec<Record>, JournalError>;
}

impl Appender for Journal {
    fn append_now(&mut self, operator: &str, at: DateTime<Utc>, ev: &EventKind) -> Result<Vec<Record>, JournalError> {
        self.append(operator, at, ev)
    }
    fn append_late(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        ev: &EventKind,
        written_at: DateTime<Utc>,
    ) -> Result<Vec<Record>, JournalError> {
        Journal::append_late(self, operator, at, ev, written_at)
    }
}

/// Whether `ev` comes from a source rather than from a person's key press:
/// those wait in the outbox when the journal refuses them; a person's act is
/// refused instead.
pub fn produced_by_a_source(ev: &EventKind) -> bool {
    match ev {
        EventKind::ProbeChanged { .. }
        | EventKind::TriggerFired { .. }
        | EventKind::TriggerCleared { .. }
        | EventKind::StepFinished { .. }
        | EventKind::RollbackFinished { .. }
        | EventKind::MessageSent { .. }
        | EventKind::MessageFailed { .. } => true,
        EventKind::CriterionMarked { source, .. } => *source == MarkSource::Auto,
        EventKind::IncidentEscalated { automatic, .. } => *automatic,
        _ => false,
    }
}

/// One event waiting to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub operator: String,
    /// When it happened (the record's `ts` once written).
    pub at: DateTime<Utc>,
    pub event: EventKind,
}

/// What is waiting, for the banner and the recommendation's warning.
#[derive(Clone, Debug, PartialEq)]
pub struct Backlog {
    pub count: usize,
    /// When the oldest waiting event happened.
    pub since: DateTime<Utc>,
    /// Events that did not fit (`OUTBOX_CAPACITY`): never written.
    pub lost: u64,
    /// Why the journal refused, as the last attempt said.
    pub why: String,
}

/// What one call wrote (others' records read on the way included) and, if
/// the journal refused, why.
#[derive(Debug, Default)]
pub struct Sent {
    pub records: Vec<Record>,
    pub error: Option<JournalError>,
}

#[derive(Debug)]
pub struct Outbox {
    queue: VecDeque<Waiting>,
    capacity: usize,
    lost: u64,
    /// Waiting events written so far (late), over the outbox's life.
    written_late: u64,
    why: String,
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox::with_capacity(OUTBOX_CAPACITY)
    }
}

impl Outbox {
    pub fn with_capacity(capacity: usize) -> Outbox {
        Outbox { queue: VecDeque::new(), capacity: capacity.max(1), lost: 0, written_late: 0, why: String::new() }
    }

    /// Writes a source's event: now when nothing waits, else after what waits.
    /// If the journal refuses, it waits (in order) for `flush`.
    pub fn send(&mut self, j: &mut impl Appender, w: Waiting, now: DateTime<Utc>) -> Sent {
        if self.queue.is_empty() {
            match j.append_now(&w.operator, w.at, &w.event) {
                Ok(records) => return Sent { records, error: None },
                Err(e) => {
                    self.hold(w, &e);
                    return Sent { records: Vec::new(), error: Some(e) };
                }
            }
        }
        self.push(w);
        self.flush(j, now)
    }

    /// Writes what waits, oldest first, each marked as written late at `now`;
    /// stops at the first refusal (the rest keeps waiting, in order).
    pub fn flush(&mut self, j: &mut impl Appender, now: DateTime<Utc>) -> Sent {
        let mut records = Vec::new();
        while let Some(w) = self.queue.front() {
            match j.append_late(&w.operator, w.at, &w.event, now) {
                Ok(r) => {
                    records.extend(r);
                    self.queue.pop_front();
                    self.written_late += 1;
                }
                Err(e) => {
                    self.why = e.to_string();
                    return Sent { records, error: Some(e) };
                }
            }
        }
        Sent { records, error: None }
    }

    /// Keeps `w` for later after the journal refused it with `e`.
    pub fn hold(&mut self, w: Waiting, e: &JournalError) {
        self.why = e.to_string();
        self.push(w);
    }

    fn push(&mut self, w: Waiting) {
        if self.queue.len() >= self.capacity {
            self.lost += 1;
        } else {
            self.queue.push_back(w);
        }
    }

    /// How many waiting events have been written (late) so far.
    pub fn written_late(&self) -> u64 {
        self.written_late
    }

    /// Events that did not fit and were never written.
    pub fn lost(&self) -> u64 {
        self.lost
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// The waiting events, oldest first.
    pub fn waiting(&self) -> impl Iterator<Item = &Waiting> {
        self.queue.iter()
    }

    /// `None` when nothing waits and nothing was lost.
    pub fn backlog(&self) -> Option<Backlog> {
        let since = self.queue.front().map(|w| w.at)?;
        Some(Backlog { count: self.queue.len(), since, lost: self.lost, why: self.why.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::ProbeHealth;
    use crate::domain::late::written_late;
    use proptest::prelude::*;

    /// The real journal on a real file, with failures injected on demand (a
    /// full disk cannot be switched on and off per append from a unit test).
    struct Flaky {
        journal: Journal,
        failing: bool,
    }

    impl Appender for Flaky {
        fn append_now(&mut self, op: &str, at: DateTime<Utc>, ev: &EventKind) -> Result<Vec<Record>, JournalError> {
            if self.failing {
                return Err(disk_full(&self.journal));
            }
            self.journal.append_now(op, at, ev)
        }
        fn append_late(
            &mut self,
            op: &str,
            at: DateTime<Utc>,
            ev: &EventKind,
            written_at: DateTime<Utc>,
        ) -> Result<Vec<Record>, JournalError> {
            if self.failing {
                return Err(disk_full(&self.journal));
            }
            Appender::append_late(&mut self.journal, op, at, ev, written_at)
        }
    }

    fn disk_full(j: &Journal) -> JournalError {
        JournalError::io(j.path(), std::io::Error::from(std::io::ErrorKind::StorageFull))
    }

    fn probe_event(i: usize) -> EventKind {
        let health = if i.is_multiple_of(2) { ProbeHealth::Down } else { ProbeHealth::Up };
        EventKind::ProbeChanged { probe: format!("p{i}"), health, cause: Some(format!("attempt {i}")) }
    }

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_770_000_000 + secs, 0).unwrap()
    }

    /// One step of the property: the journal fails (or not) from now on, then
    /// a source produces an event, or the loop retries what waits.
    #[derive(Clone, Debug)]
    enum Step {
        Produce { failing: bool },
        Retry { failing: bool },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => any::<bool>().prop_map(|failing| Step::Produce { failing }),
            1 => any::<bool>().prop_map(|failing| Step::Retry { failing }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever the failures, the journal followed by what still waits is
        /// exactly the events produced, in order, each with the time it happened.
        #[test]
        fn journal_plus_outbox_is_every_event_in_order(steps in proptest::collection::vec(step(), 1..40)) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("journal.jsonl");
            let mut j = Flaky { journal: Journal::open(&path).unwrap().journal, failing: false };
            let mut outbox = Outbox::default();
            let mut produced = Vec::new();
            // Per produced event: written on its first attempt (so not late).
            let mut direct = Vec::new();
            for (n, s) in steps.iter().enumerate() {
                let now = t(n as i64);
                match s {
                    Step::Produce { failing } => {
                        j.failing = *failing;
                        let w = Waiting { operator: "probe".into(), at: now, event: probe_event(n) };
                        produced.push((now, probe_event(n)));
                        direct.push(outbox.is_empty() && !*failing);
                        outbox.send(&mut j, w, now);
                    }
                    Step::Retry { failing } => {
                        j.failing = *failing;
                        outbox.flush(&mut j, now);
                    }
                }
            }
            let written = Journal::open(&path).unwrap().records;
            let mut seen: Vec<(DateTime<Utc>, EventKind)> =
                written.iter().map(|r| (r.ts, r.event().expect("a known event"))).collect();
            seen.extend(outbox.waiting().map(|w| (w.at, w.event.clone())));
            prop_assert_eq!(seen, produced);
            // Marked as written late exactly when it had to wait.
            for (r, direct) in written.iter().zip(&direct) {
                prop_assert_eq!(written_late(r).is_none(), *direct, "record {}", r.seq);
            }
            prop_assert_eq!(outbox.backlog().map(|b| b.count).unwrap_or(0), outbox.len());
        }
    }

    #[test]
    fn a_full_outbox_counts_what_it_could_not_keep() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut j = Flaky { journal: Journal::open(&path).unwrap().journal, failing: true };
        let mut outbox = Outbox::with_capacity(2);
        for i in 0..5 {
            outbox.send(&mut j, Waiting { operator: "p".into(), at: t(i), event: probe_event(i as usize) }, t(i));
        }
        let b = outbox.backlog().unwrap();
        assert_eq!((b.count, b.lost, b.since), (2, 3, t(0)));
        assert!(b.why.contains("journal.jsonl"), "{}", b.why);
        j.failing = false;
        let sent = outbox.flush(&mut j, t(9));
        assert!(sent.error.is_none());
        assert_eq!(sent.records.len(), 2);
        assert!(sent.records.iter().all(|r| written_late(r) == Some("2026-02-02T02:40:09.000Z")), "{:?}", sent.records);
        assert!(outbox.backlog().is_none());
    }

    #[test]
    fn acts_of_people_are_not_queued_but_sources_are() {
        assert!(produced_by_a_source(&probe_event(0)));
        assert!(!produced_by_a_source(&EventKind::NoteAdded { text: "x".into() }));
        let mark = |source| EventKind::CriterionMarked {
            criterion: "c".into(),
            verdict: crate::domain::event::Verdict::Fail,
            note: None,
            source,
            cause: None,
        };
        assert!(produced_by_a_source(&mark(MarkSource::Auto)));
        assert!(!produced_by_a_source(&mark(MarkSource::Manual)));
    }
}

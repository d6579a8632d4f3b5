//! The time machine's index over a journal (docs/time-machine.md): any past
//! moment of a session is the fold of its first `n` records, so a moment is a
//! position `n` (0 = before the first record). Folding 100,000 records for
//! every key press would be slow, so the fold is checkpointed every
//! [`CHECKPOINT_EVERY`] records and a moment folds at most that many on top of
//! the nearest checkpoint. Pure: records in, states out; no clock.

use chrono::{DateTime, NaiveTime, Utc};

use super::record::Record;
use super::state::SessionState;

/// A checkpoint every this many records: drawing a moment folds at most this many.
pub const CHECKPOINT_EVERY: usize = 1000;

/// What a jump key looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Decision,
    Run,
    Alarm,
    Incident,
    Failure,
}

impl Mark {
    pub fn word(self) -> &'static str {
        match self {
            Mark::Decision => "decision",
            Mark::Run => "run",
            Mark::Alarm => "alarm",
            Mark::Incident => "incident",
            Mark::Failure => "failure",
        }
    }

    /// Whether `r` is such an event.
    pub fn matches(self, r: &Record) -> bool {
        let field = |k: &str| r.data.get(k).and_then(|v| v.as_str()).unwrap_or("");
        match self {
            Mark::Decision => r.kind == "decision.recorded",
            Mark::Run => r.kind == "step.started" || r.kind == "rollback.started",
            Mark::Alarm => r.kind == "trigger.fired",
            Mark::Incident => r.kind.starts_with("incident."),
            Mark::Failure => match r.kind.as_str() {
                "step.finished" | "rollback.finished" => field("outcome") != "ok",
                "probe.changed" => field("health") == "down",
                "criterion.marked" => field("verdict") == "fail",
                _ => false,
            },
        }
    }
}

pub struct Timeline {
    records: Vec<Record>,
    /// `checkpoints[i]` is the fold of the first `i * CHECKPOINT_EVERY` records.
    checkpoints: Vec<SessionState>,
}

impl Timeline {
    pub fn new(records: Vec<Record>) -> Timeline {
        let mut checkpoints = vec![SessionState::default()];
        let mut st = SessionState::default();
        for (i, r) in records.iter().enumerate() {
            st.apply(r);
            if (i + 1) % CHECKPOINT_EVERY == 0 {
                checkpoints.push(st.clone());
            }
        }
        Timeline { records, checkpoints }
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The last position (every record folded).
    pub fn end(&self) -> usize {
        self.records.len()
    }

    /// The session as it was after the first `pos` records.
    pub fn state_at(&self, pos: usize) -> SessionState {
        let pos = pos.min(self.records.len());
        let k = pos / CHECKPOINT_EVERY;
        let mut st = self.checkpoints[k].clone();
        for r in &self.records[k * CHECKPOINT_EVERY..pos] {
            st.apply(r);
        }
        st
    }

    /// The moment's clock: the time of the last record folded (the first record's for position 0).
    pub fn time_at(&self, pos: usize) -> Option<DateTime<Utc>> {
        match pos {
            0 => self.records.first().map(|r| r.ts),
            p => self.records.get(p.min(self.records.len()) - 1).map(|r| r.ts),
        }
    }

    /// The position that shows everything written up to and including `t`.
    pub fn at_time(&self, t: DateTime<Utc>) -> usize {
        self.records.partition_point(|r| r.ts <= t)
    }

    /// The position just after record `seq` (records are in seq order).
    pub fn at_seq(&self, seq: u64) -> usize {
        self.records.partition_point(|r| r.seq <= seq)
    }

    /// The nearest position after (or before) `pos` whose last record is a `mark`.
    pub fn jump(&self, pos: usize, mark: Mark, forward: bool) -> Option<usize> {
        let is = |p: usize| p >= 1 && self.records.get(p - 1).is_some_and(|r| mark.matches(r));
        if forward {
            (pos + 1..=self.records.len()).find(|p| is(*p))
        } else {
            (1..pos).rev().find(|p| is(*p))
        }
    }

    /// The nearest position after (or before) `pos` whose last record's kind,
    /// operator or data contains `needle` (case-insensitive); wraps around.
    pub fn find(&self, pos: usize, needle: &str, forward: bool) -> Option<usize> {
        let needle = needle.to_lowercase();
        let hit = |p: usize| {
            p >= 1
                && self.records.get(p - 1).is_some_and(|r| {
                    r.kind.to_lowercase().contains(&needle)
                        || r.operator.to_lowercase().contains(&needle)
                        || r.data.to_string().to_lowercase().contains(&needle)
                })
        };
        let n = self.records.len();
        let order: Vec<usize> = if forward {
            (pos + 1..=n).chain(1..=pos.min(n)).collect()
        } else {
            (1..pos).rev().chain((pos.max(1)..=n).rev()).collect()
        };
        order.into_iter().find(|p| hit(*p))
    }

    /// Reads a moment as the user typed it: a journal `seq` (`42`), a UTC time
    /// (`2026-02-12T06:14:03Z`, or `06:14` / `06:14:03` on the session's first
    /// day), or `start` / `end`.
    pub fn parse_moment(&self, text: &str) -> Result<usize, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("start") {
            return Ok(0);
        }
        if t.eq_ignore_ascii_case("end") {
            return Ok(self.end());
        }
        if let Ok(seq) = t.parse::<u64>() {
            let last = self.records.last().map_or(0, |r| r.seq);
            if seq > last {
                return Err(format!("there is no record {seq}: the journal's records go from 1 to {last}"));
            }
            return Ok(self.at_seq(seq));
        }
        if let Ok(ts) = DateTime::parse_from_rfc3339(t) {
            return Ok(self.at_time(ts.with_timezone(&Utc)));
        }
        let time = NaiveTime::parse_from_str(t, "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"));
        if let Ok(time) = time {
            let Some(first) = self.records.first() else { return Ok(0) };
            let mut at = first.ts.date_naive().and_time(time).and_utc();
            // A session that ran over midnight: a time before its start is on the next day.
            if at < first.ts - chrono::Duration::seconds(59) {
                at += chrono::Duration::days(1);
            }
            return Ok(self.at_time(at));
        }
        Err(format!(
            "\"{t}\" is not a moment: give a journal seq (42), a UTC time (06:14, 06:14:03 or \
             2026-02-12T06:14:03Z), start or end"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Decision, EventKind, Verdict};
    use crate::domain::record::GENESIS;
    use chrono::TimeZone;

    fn records(n: usize) -> Vec<Record> {
        let t0 = Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap();
        let mut prev = GENESIS.to_string();
        (0..n)
            .map(|i| {
                let ev = if i == n / 2 {
                    EventKind::DecisionRecorded {
                        decision: Decision::Go,
                        reason: "ok".into(),
                        recommendation: None,
                        overrides: vec![],
                        supersedes: None,
                    }
                } else {
                    EventKind::CriterionMarked {
                        criterion: format!("c{}", i % 7),
                        verdict: if i % 3 == 0 { Verdict::Fail } else { Verdict::Pass },
                        note: None,
                        source: Default::default(),
                        cause: None,
                    }
                };
                let r = Record::new(&prev, i as u64 + 1, t0 + chrono::Duration::seconds(i as i64), "ana", &ev);
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    #[test]
    fn a_moment_from_a_checkpoint_is_the_plain_fold() {
        let recs = records(2500);
        let tl = Timeline::new(recs.clone());
        for pos in [0, 1, 999, 1000, 1001, 2499, 2500] {
            assert_eq!(tl.state_at(pos), SessionState::from_records(&recs[..pos]), "position {pos}");
        }
    }

    #[test]
    fn moments_read_as_seq_time_or_words() {
        let tl = Timeline::new(records(100));
        assert_eq!(tl.parse_moment("10"), Ok(10));
        assert_eq!(tl.parse_moment("06:00:09"), Ok(10));
        assert_eq!(tl.parse_moment("2026-02-12T06:00:09Z"), Ok(10));
        assert_eq!(tl.parse_moment("end"), Ok(100));
        assert!(tl.parse_moment("yesterday").unwrap_err().contains("not a moment"));
        assert!(tl.parse_moment("1000").unwrap_err().contains("no record 1000"), "a seq past the end is refused");
    }

    #[test]
    fn jumps_find_the_decision_both_ways() {
        let tl = Timeline::new(records(100));
        assert_eq!(tl.jump(0, Mark::Decision, true), Some(51));
        assert_eq!(tl.jump(100, Mark::Decision, false), Some(51));
        assert_eq!(tl.jump(51, Mark::Decision, true), None);
        assert_eq!(tl.find(0, "GO", true), Some(51));
    }
}

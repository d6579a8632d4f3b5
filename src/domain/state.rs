//! The session as a fold of the journal: `SessionState::apply(record)` for each
//! record in order gives exactly what the screen shows, after a restart too.
//! Pure: no I/O, no clock (times come from the records).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::event::{Decision, EventKind, MarkSource, ProbeHealth, RunOutcome, Verdict};
use super::identity::Actor;
use super::record::Record;

mod fold;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CriterionState {
    pub verdict: Verdict,
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub source: MarkSource,
    pub cause: Option<String>,
    /// Set (and `verdict` back to Pending) when the verdict is no longer
    /// evidence: too old, or from an earlier period (`domain::expiry`).
    pub expired: Option<super::expiry::Expired>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    pub run: u32,
    pub command: String,
    /// Output file, relative to the journal's folder.
    pub output: String,
    pub started_at: DateTime<Utc>,
    pub started_by: String,
    pub finished: Option<RunEnd>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunEnd {
    pub at: DateTime<Utc>,
    pub outcome: RunOutcome,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub duration_ms: u64,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepState {
    pub runs: Vec<RunRecord>,
    /// Manual steps: ticked done.
    pub ticked: Option<(bool, String, DateTime<Utc>)>,
    /// Set when an operator let later steps go on despite this one failing.
    pub overridden: Option<(String, String, DateTime<Utc>)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepStatus {
    NotStarted,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
    /// A manual step ticked done.
    Done,
}

impl StepStatus {
    /// The step ran and did not succeed (failed, timed out or aborted).
    pub fn is_failure(self) -> bool {
        matches!(self, StepStatus::Failed | StepStatus::TimedOut | StepStatus::Aborted)
    }
}

impl StepState {
    pub fn last_run(&self) -> Option<&RunRecord> {
        self.runs.last()
    }
    pub fn status(&self) -> StepStatus {
        if let Some((done, _, _)) = &self.ticked {
            if *done {
                return StepStatus::Done;
            }
        }
        match self.runs.last() {
            None => StepStatus::NotStarted,
            Some(r) => match &r.finished {
                None => StepStatus::Running,
                Some(end) => match end.outcome {
                    RunOutcome::Ok => StepStatus::Succeeded,
                    RunOutcome::Failed | RunOutcome::Error => StepStatus::Failed,
                    RunOutcome::TimedOut => StepStatus::TimedOut,
                    // Its end is unknown: treated like an abort (on_fail applies; run it again).
                    RunOutcome::Aborted | RunOutcome::Interrupted => StepStatus::Aborted,
                },
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProbeChange {
    pub health: ProbeHealth,
    pub at: DateTime<Utc>,
    pub cause: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DecisionRecord {
    pub decision: Decision,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
    pub recommendation: Option<String>,
    /// Failing critical criteria the operator overrode to record it.
    pub overrides: Vec<String>,
    /// The other operator's decision it knowingly replaced, in words.
    pub supersedes: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stamp {
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IncidentLevelEntry {
    pub level: String,
    pub since: DateTime<Utc>,
    pub automatic: bool,
    pub acknowledged: Option<Stamp>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IncidentState {
    pub declared: Stamp,
    pub summary: Option<String>,
    /// Levels entered, in order; the last is the current one.
    pub levels: Vec<IncidentLevelEntry>,
    pub resolved: Option<Stamp>,
    /// Severity changes in order, `(severity id, when, by)`; the last is in force.
    pub severities: Vec<(String, Stamp)>,
    pub mitigated: Option<Stamp>,
    /// Templates copied while the incident was open (status updates), in order.
    pub messages: Vec<(String, Stamp)>,
}

impl IncidentState {
    pub fn current(&self) -> Option<&IncidentLevelEntry> {
        self.levels.last()
    }
    pub fn is_open(&self) -> bool {
        self.resolved.is_none()
    }
    /// The severity in force (`None` when never set).
    pub fn severity(&self) -> Option<&str> {
        self.severities.last().map(|(s, _)| s.as_str())
    }
    /// The first acknowledgement of any level: when someone answered.
    pub fn first_ack(&self) -> Option<&Stamp> {
        self.levels.iter().filter_map(|l| l.acknowledged.as_ref()).min_by_key(|s| s.at)
    }
}

/// A handover the incoming person acknowledged.
#[derive(Clone, Debug, PartialEq)]
pub struct HandoverAck {
    pub since: String,
    pub shift: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TriggerState {
    pub fired_at: DateTime<Utc>,
    pub propose: String,
    pub cause: String,
    pub cleared_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RollbackState {
    /// Distinct operators who approved since the last run ended.
    pub approvals: BTreeMap<String, DateTime<Utc>>,
    /// Every approval since the last run ended, with who made it (name, Unix
    /// user, verified signing key): what `distinct` counts.
    pub approved: Vec<Approval>,
    pub runs: Vec<RunRecord>,
}

impl RollbackState {
    pub fn running(&self) -> bool {
        self.runs.last().is_some_and(|r| r.finished.is_none())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Approval {
    /// `key` is set only when the record's signature checked out.
    pub by: Actor,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NoteEntry {
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MessageEntry {
    pub template: String,
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// How the last delivery to a channel went.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelDelivery {
    pub template: String,
    pub at: DateTime<Utc>,
    pub attempts: u32,
    /// `Ok(status)` delivered; `Err((status, error))` gave up.
    pub result: Result<u16, (Option<u16>, String)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionState {
    /// `seq` of the last record folded in (0 before any).
    pub last_seq: u64,
    pub first_at: Option<DateTime<Utc>>,
    pub last_at: Option<DateTime<Utc>>,
    /// Everyone who wrote to the session.
    pub operators: BTreeSet<String>,
    pub criteria: BTreeMap<String, CriterionState>,
    pub steps: BTreeMap<String, StepState>,
    /// Last journaled health change per probe.
    pub probes: BTreeMap<String, ProbeChange>,
    /// Every probe change, for outage reporting: (probe, change).
    pub probe_history: Vec<(String, ProbeChange)>,
    pub decision: Option<DecisionRecord>,
    /// Earlier decisions, superseded by later ones.
    pub decisions: Vec<DecisionRecord>,
    pub notes: Vec<NoteEntry>,
    pub incident: Option<IncidentState>,
    /// Past incidents (resolved, then a new one declared).
    pub past_incidents: Vec<IncidentState>,
    pub triggers: BTreeMap<String, TriggerState>,
    pub rollbacks: BTreeMap<String, RollbackState>,
    pub messages: Vec<MessageEntry>,
    pub handovers: Vec<HandoverAck>,
    /// Last delivery per channel id (`message.sent` / `message.failed`).
    pub channels: BTreeMap<String, ChannelDelivery>,
    /// T-0 set in the journal (`t0.set`), winning over the runbook's.
    pub t0: Option<DateTime<Utc>>,
    /// Records of kinds this version does not know (skipped, counted).
    pub unknown_records: u64,
    /// Records of a known kind that could not be read (skipped, shown): the
    /// first [`MALFORMED_KEPT`] of them; `malformed_count` counts them all.
    pub malformed: Vec<MalformedRecord>,
    pub malformed_count: u64,
}

/// A journal record of a known kind whose data could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct MalformedRecord {
    pub seq: u64,
    pub kind: String,
    pub why: String,
}

/// Malformed records listed one by one; beyond this only counted.
pub const MALFORMED_KEPT: usize = 100;

impl SessionState {
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a Record>) -> Self {
        let mut s = SessionState::default();
        for r in records {
            s.apply(r);
        }
        s
    }

    pub fn verdict(&self, criterion: &str) -> Verdict {
        self.criteria.get(criterion).map(|c| c.verdict).unwrap_or_default()
    }

    pub fn step_status(&self, step: &str) -> StepStatus {
        self.steps.get(step).map(|s| s.status()).unwrap_or(StepStatus::NotStarted)
    }

    /// Fold one record in. Records are trusted to be in `seq` order (the store checks).
    pub fn apply(&mut self, r: &Record) {
        self.apply_meta(r);
        let Some(ev) = r.event() else {
            match EventKind::parse_problem(&r.kind, &r.data) {
                Some(why) => {
                    self.malformed_count += 1;
                    if self.malformed.len() < MALFORMED_KEPT {
                        self.malformed.push(MalformedRecord { seq: r.seq, kind: r.kind.clone(), why });
                    }
                }
                None => self.unknown_records += 1,
            }
            return;
        };
        // Who approved, in full; a key counts only with a good signature. Built
        // only for approvals (the only place they count): replay stays cheap.
        let approver = || Actor { key: super::signature::verified_key(r), ..r.actor() };
        self.apply_event_with(&r.operator, r.ts, ev, approver);
    }

    /// The part of `apply` that is not the event: the sequence, times and
    /// who wrote. Alone for a record whose event was already applied (a
    /// console shows its own acts before the journal writer has written them).
    pub fn apply_meta(&mut self, r: &Record) {
        self.last_seq = r.seq;
        self.first_at.get_or_insert(r.ts);
        self.last_at = Some(r.ts);
        self.operators.insert(r.operator.clone());
    }

    /// Fold one typed event stamped with who (by name only) and when.
    pub fn apply_event(&mut self, by: &str, at: DateTime<Utc>, ev: EventKind) {
        self.apply_event_with(by, at, ev, || Actor::named(by))
    }

    /// Fold one typed event made by `actor` (name, Unix user, key): what a
    /// console shows of its own act before the journal writer has written it,
    /// so its own approval counts as the person it is.
    pub fn apply_event_by(&mut self, actor: &Actor, at: DateTime<Utc>, ev: EventKind) {
        self.apply_event_with(&actor.operator.clone(), at, ev, || Actor { key: None, ..actor.clone() })
    }
}

#[cfg(test)]
mod tests;

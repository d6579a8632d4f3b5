//! The report's plain lists: each one a collection of the journal or the
//! folded session, item for item, with its text made printable.

use std::collections::BTreeMap;

use super::text::{describe, printable, printable_lines};
use super::{run_report, ApprovalReport, MessageReport, NoteReport, OperatorActs, RollbackReport};
use super::{TimelineEntry, TriggerReport, Ts};
use crate::domain::event::EventKind;
use crate::domain::record::Record;
use crate::domain::runbook::Runbook;
use crate::domain::session_runbook::Outline;
use crate::domain::state::SessionState;

/// Everyone who wrote to the journal, with how many records each, by name.
pub(super) fn operators(records: &[Record]) -> Vec<OperatorActs> {
    let mut acts: BTreeMap<&str, u64> = BTreeMap::new();
    for r in records {
        *acts.entry(r.operator.as_str()).or_default() += 1;
    }
    acts.into_iter().map(|(o, n)| OperatorActs { operator: printable(o), acts: n }).collect()
}

pub(super) fn triggers(state: &SessionState) -> Vec<TriggerReport> {
    state
        .triggers
        .iter()
        .map(|(id, t)| TriggerReport {
            trigger: printable(id),
            fired_at: Ts(t.fired_at),
            propose: printable(&t.propose),
            cause: printable(&t.cause),
            cleared_at: t.cleared_at.map(Ts),
        })
        .collect()
}

/// Every approval as recorded, by the whole identity that wrote it (the fold
/// keeps only the approvals still standing).
pub(super) fn approvals(records: &[Record]) -> Vec<ApprovalReport> {
    records
        .iter()
        .filter_map(|r| match r.event() {
            Some(EventKind::RollbackApproved { rollback }) => Some(ApprovalReport {
                rollback: printable(&rollback),
                by: printable(&r.operator),
                at: Ts(r.ts),
                user: r.user.as_deref().map(printable),
                key: crate::domain::signature::verified_key(r),
            }),
            _ => None,
        })
        .collect()
}

/// The rollbacks that ran, titled from the runbook or, without it, from the
/// outline its session recorded.
pub(super) fn rollbacks(
    runbook: Option<&Runbook>,
    outline: Option<&Outline>,
    state: &SessionState,
) -> Vec<RollbackReport> {
    state
        .rollbacks
        .iter()
        .filter(|(_, rb)| !rb.runs.is_empty())
        .map(|(id, rb)| RollbackReport {
            id: printable(id),
            title: runbook
                .and_then(|b| b.rollback(id))
                .map(|r| r.title.as_str())
                .or_else(|| outline?.rollback_title(id))
                .map(printable),
            repeated: rb.runs.len() > 1,
            runs: rb.runs.iter().map(run_report).collect(),
        })
        .collect()
}

pub(super) fn messages(state: &SessionState) -> Vec<MessageReport> {
    state
        .messages
        .iter()
        .map(|m| MessageReport {
            template: printable(&m.template),
            by: printable(&m.by),
            at: Ts(m.at),
            text: printable_lines(&m.text),
        })
        .collect()
}

pub(super) fn notes(state: &SessionState) -> Vec<NoteReport> {
    state
        .notes
        .iter()
        .map(|n| NoteReport { by: printable(&n.by), at: Ts(n.at), text: printable_lines(&n.text) })
        .collect()
}

/// Every record, in the journal's order, in words.
pub(super) fn timeline(records: &[Record]) -> Vec<TimelineEntry> {
    records
        .iter()
        .map(|r| TimelineEntry {
            seq: r.seq,
            at: Ts(r.ts),
            operator: printable(&r.operator),
            kind: printable(&r.kind),
            what: what_happened(r),
        })
        .collect()
}

fn what_happened(r: &Record) -> String {
    let what = match r.event() {
        Some(ev) => describe(&ev),
        None => format!("{} (a kind this version does not know)", printable(&r.kind)),
    };
    match crate::domain::late::written_late(r) {
        // Happened at `ts`; the journal refused writes until then.
        Some(w) => format!("{what} (written late, at {}: the journal refused writes)", printable(w)),
        None => what,
    }
}

/// The records that could not be read (`#seq kind: why`), and how many more
/// there were than the fold keeps.
pub(super) fn malformed(state: &SessionState) -> Vec<String> {
    let kept = state.malformed.len() as u64;
    state
        .malformed
        .iter()
        .map(|m| format!("#{} {}: {}", m.seq, printable(&m.kind), printable(&m.why)))
        .chain((state.malformed_count > kept).then(|| format!("… and {} more", state.malformed_count - kept)))
        .collect()
}

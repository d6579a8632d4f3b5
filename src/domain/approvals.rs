//! Who may approve and fire a rollback. A rollback with `approvals = N` runs
//! only after N *distinct* operators approved it since its last run ended (the
//! fold clears approvals when a run finishes). One operator can never satisfy
//! N ≥ 2 alone: approving twice is refused, and approvals are counted by name.
//!
//! The console's rollback dialog journals the firing operator's own approval
//! as part of the typed confirmation, then asks [`may_fire`]; so with the
//! default `approvals = 1` the confirmation is the approval, and with N ≥ 2 the
//! others approve from their own console or with `warroom approve`. The firing
//! operator counts as one approval only if they approved.

use std::fmt;

use super::event::EventKind;
use super::runbook::{Rollback, Runbook};
use super::state::SessionState;

/// Why an approval or firing is refused; `Display` is the human message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `[[rollback]]` with that id; `known` lists the ones there are.
    UnknownRollback { id: String, known: Vec<String> },
    /// The console or command was started with `--read-only` (or the journal is read-only).
    ReadOnly,
    /// This operator already approved this rollback since its last run.
    AlreadyApproved { rollback: String, operator: String },
    /// A run of it is in progress.
    Running { rollback: String, run: u32, started_by: String },
    /// Not enough distinct approvals to fire yet.
    NeedsApprovals { rollback: String, have: u32, need: u32, approved_by: Vec<String> },
}

impl Refusal {
    /// Unknown ids are bad input (exit 2); every other refusal is exit 1.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Refusal::UnknownRollback { .. })
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UnknownRollback { id, known } if known.is_empty() => {
                write!(f, "unknown rollback \"{id}\": this runbook defines no [[rollback]]")
            }
            Refusal::UnknownRollback { id, known } => {
                write!(f, "unknown rollback \"{id}\": known rollbacks are {}", known.join(", "))
            }
            Refusal::ReadOnly => write!(f, "read-only session: approvals and rollbacks are not recorded"),
            Refusal::AlreadyApproved { rollback, operator } => write!(
                f,
                "{operator} already approved rollback \"{rollback}\": a different operator must give the next approval"
            ),
            Refusal::Running { rollback, run, started_by } => {
                write!(f, "rollback \"{rollback}\" is running (run {run}, started by {started_by}): wait for it to end")
            }
            Refusal::NeedsApprovals { rollback, have, need, approved_by } => {
                let by = if approved_by.is_empty() { "nobody yet".to_string() } else { approved_by.join(", ") };
                write!(
                    f,
                    "rollback \"{rollback}\" needs {need} approvals from distinct operators, has {have} ({by}): \
                     ask another operator to approve (`warroom approve` or B in their console)"
                )
            }
        }
    }
}

impl std::error::Error for Refusal {}

fn find<'a>(runbook: &'a Runbook, id: &str) -> Result<&'a Rollback, Refusal> {
    runbook.rollback(id).ok_or_else(|| Refusal::UnknownRollback {
        id: id.to_string(),
        known: runbook.rollbacks.iter().map(|r| r.id.clone()).collect(),
    })
}

fn not_running(state: &SessionState, id: &str) -> Result<(), Refusal> {
    match state.rollbacks.get(id).and_then(|rb| rb.runs.last().filter(|r| r.finished.is_none())) {
        Some(run) => {
            Err(Refusal::Running { rollback: id.to_string(), run: run.run, started_by: run.started_by.clone() })
        }
        None => Ok(()),
    }
}

/// Whether `operator` may journal `rollback.approved` for `rollback_id` now.
pub fn can_approve(
    runbook: &Runbook,
    state: &SessionState,
    rollback_id: &str,
    operator: &str,
    read_only: bool,
) -> Result<(), Refusal> {
    find(runbook, rollback_id)?;
    if read_only {
        return Err(Refusal::ReadOnly);
    }
    not_running(state, rollback_id)?;
    if state.rollbacks.get(rollback_id).is_some_and(|rb| rb.approvals.contains_key(operator)) {
        return Err(Refusal::AlreadyApproved { rollback: rollback_id.to_string(), operator: operator.to_string() });
    }
    Ok(())
}

/// The event to journal for an approval (after [`can_approve`]).
pub fn approval_event(rollback_id: &str) -> EventKind {
    EventKind::RollbackApproved { rollback: rollback_id.to_string() }
}

/// (distinct approvals since the last run, approvals required). Unknown ids give (0, 1).
pub fn approvals_needed(runbook: &Runbook, state: &SessionState, rollback_id: &str) -> (u32, u32) {
    let need = runbook.rollback(rollback_id).map(|r| r.approvals.max(1)).unwrap_or(1);
    let have = state.rollbacks.get(rollback_id).map(|rb| rb.approvals.len() as u32).unwrap_or(0);
    (have, need)
}

/// Operators who approved since the last run, in name order.
pub fn approvers(state: &SessionState, rollback_id: &str) -> Vec<String> {
    state.rollbacks.get(rollback_id).map(|rb| rb.approvals.keys().cloned().collect()).unwrap_or_default()
}

/// Whether `operator` may start the rollback now: known, writable, not running,
/// and approved by as many distinct operators as it needs. The firing operator
/// counts only if they are among the approvers.
pub fn may_fire(
    runbook: &Runbook,
    state: &SessionState,
    rollback_id: &str,
    operator: &str,
    read_only: bool,
) -> Result<(), Refusal> {
    let _ = operator; // Counted only through the approvals map (see module docs).
    find(runbook, rollback_id)?;
    if read_only {
        return Err(Refusal::ReadOnly);
    }
    not_running(state, rollback_id)?;
    let (have, need) = approvals_needed(runbook, state, rollback_id);
    if have < need {
        return Err(Refusal::NeedsApprovals {
            rollback: rollback_id.to_string(),
            have,
            need,
            approved_by: approvers(state, rollback_id),
        });
    }
    Ok(())
}

/// What `warroom approve` and the console print after an approval:
/// "approved (2/2): ready to fire from the console" or "approved (1/2): …".
pub fn approval_message(runbook: &Runbook, state: &SessionState, rollback_id: &str) -> String {
    let (have, need) = approvals_needed(runbook, state, rollback_id);
    if have >= need {
        format!("approved ({have}/{need}): ready to fire from the console")
    } else {
        let more = need - have;
        let who = if more == 1 { "operator" } else { "operators" };
        format!("approved ({have}/{need}): {more} more {who} must approve before it can be fired")
    }
}

#[cfg(test)]
mod tests;

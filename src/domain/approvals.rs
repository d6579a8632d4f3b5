//! Who may approve and fire a rollback. A rollback with `approvals = N` runs
//! only after N *distinct* people approved it since its last run ended (the
//! fold clears approvals when a run finishes). What "distinct" means is the
//! rollback's `distinct` level (see `docs/incident.md`):
//! - `operator`: N different operator names, compared as names
//!   (`identity::name_key`: case, width, invisible characters and
//!   look-alike letters do not make a new name);
//! - `user` (the default when N ≥ 2): N different Unix accounts wrote the
//!   approvals — and their names differ too;
//! - `key`: N different SSH keys signed them (a signature that does not
//!   check out counts for nothing) — and their names differ too.
//!
//! The console's rollback dialog journals the firing operator's own approval
//! as part of the typed confirmation, then asks [`may_fire`]; so with the
//! default `approvals = 1` the confirmation is the approval, and with N ≥ 2 the
//! others approve from their own login with `warroom approve` (or their own
//! console). Roles (`approve`, `fire`) restrict who may do either.

use std::fmt;

use super::event::EventKind;
use super::identity::{name_key, Actor};
use super::runbook::{Distinct, Rollback, Runbook};
use super::state::{Approval, SessionState};

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
    NeedsApprovals { rollback: String, have: u32, need: u32, approved_by: Vec<String>, distinct: Distinct },
    /// The runbook restricts the act to roles this person is not in; the text names them.
    NotInRole(String),
    /// This approval would not come from a different person at the rollback's
    /// `distinct` level; the text says who it collides with and what to do.
    NotDistinct { rollback: String, why: String },
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
            Refusal::NeedsApprovals { rollback, have, need, approved_by, distinct } => {
                let by = if approved_by.is_empty() { "nobody yet".to_string() } else { approved_by.join(", ") };
                write!(
                    f,
                    "rollback \"{rollback}\" needs {need} approvals from different {}, has {have} ({by}): \
                     ask another person to approve from their own login (`warroom approve`)",
                    distinct.noun()
                )
            }
            Refusal::NotInRole(why) => write!(f, "{why}"),
            Refusal::NotDistinct { rollback, why } => write!(f, "approval of rollback \"{rollback}\" refused: {why}"),
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

/// Whether `who` may journal `rollback.approved` for `rollback_id` now:
/// known, writable, in an `approve` role, not running, and a different
/// person from every approval so far at the rollback's `distinct` level.
pub fn can_approve(
    runbook: &Runbook,
    state: &SessionState,
    rollback_id: &str,
    who: impl Into<Actor>,
    read_only: bool,
) -> Result<(), Refusal> {
    let who = who.into();
    let rb = find(runbook, rollback_id)?;
    if read_only {
        return Err(Refusal::ReadOnly);
    }
    let act = format!("approve rollback \"{rollback_id}\"");
    runbook.access.check(&rb.approve, &who, &act).map_err(Refusal::NotInRole)?;
    not_running(state, rollback_id)?;
    let approved = approvals_of(state, rollback_id);
    if let Some(a) = approved.iter().find(|a| name_key(&a.by.operator) == name_key(&who.operator)) {
        return Err(Refusal::AlreadyApproved { rollback: rollback_id.to_string(), operator: a.by.operator.clone() });
    }
    if rb.approvals >= 2 {
        collision(rb, approved, &who)
            .map_or(Ok(()), |why| Err(Refusal::NotDistinct { rollback: rollback_id.to_string(), why }))?;
    }
    Ok(())
}

/// Why `who`'s approval cannot count as another person's at `rb.distinct`.
fn collision(rb: &Rollback, approved: &[Approval], who: &Actor) -> Option<String> {
    let how = "a second person approves from their own login with `warroom approve`";
    match rb.distinct {
        Distinct::Operator => None,
        Distinct::User => {
            let Some(user) = &who.user else {
                return Some("it counts approvals by Unix user (distinct = \"user\"), and this one names none".into());
            };
            approved.iter().find(|a| a.by.user.as_ref() == Some(user)).map(|a| {
                format!(
                    "{} already approved as Unix user {user}, and this approval is written by {user} too: \
                     it counts approvals by Unix user (distinct = \"user\"); {how}",
                    a.by.operator
                )
            })
        }
        Distinct::Key => {
            let Some(key) = &who.key else {
                return Some(
                    "it counts approvals by signing key (distinct = \"key\"), and this one is not signed: \
                     approve with --sign and your key in an SSH agent"
                        .into(),
                );
            };
            approved.iter().find(|a| a.by.key.as_ref() == Some(key)).map(|a| {
                format!(
                    "{} already approved with key {key}, the key signing this one: it counts approvals by \
                     signing key (distinct = \"key\"); {how} and their own key",
                    a.by.operator
                )
            })
        }
    }
}

fn approvals_of<'a>(state: &'a SessionState, rollback_id: &str) -> &'a [Approval] {
    state.rollbacks.get(rollback_id).map(|rb| rb.approved.as_slice()).unwrap_or(&[])
}

/// The event to journal for an approval (after [`can_approve`]).
pub fn approval_event(rollback_id: &str) -> EventKind {
    EventKind::RollbackApproved { rollback: rollback_id.to_string() }
}

/// The approvals that count, in order: each from a different name and, at
/// `user` / `key` level, a different Unix user / verified key (approvals
/// without one count for nothing there).
fn counted<'a>(rb: Option<&Rollback>, approved: &'a [Approval]) -> Vec<&'a Approval> {
    let distinct = rb.map(|r| if r.approvals >= 2 { r.distinct } else { Distinct::Operator });
    let mut out: Vec<&Approval> = Vec::new();
    for a in approved {
        if out.iter().any(|c| name_key(&c.by.operator) == name_key(&a.by.operator)) {
            continue;
        }
        let ok = match distinct.unwrap_or(Distinct::Operator) {
            Distinct::Operator => true,
            Distinct::User => a.by.user.is_some() && out.iter().all(|c| c.by.user != a.by.user),
            Distinct::Key => a.by.key.is_some() && out.iter().all(|c| c.by.key != a.by.key),
        };
        if ok {
            out.push(a);
        }
    }
    out
}

/// (distinct approvals since the last run, approvals required). Unknown ids give (0, 1).
pub fn approvals_needed(runbook: &Runbook, state: &SessionState, rollback_id: &str) -> (u32, u32) {
    let rb = runbook.rollback(rollback_id);
    let need = rb.map(|r| r.approvals.max(1)).unwrap_or(1);
    let have = counted(rb, approvals_of(state, rollback_id)).len() as u32;
    (have, need)
}

/// Operators whose approvals count, in the order they approved.
pub fn approvers(state: &SessionState, rollback_id: &str) -> Vec<String> {
    approvers_in(None, state, rollback_id)
}

/// Like [`approvers`], counting at the rollback's own `distinct` level.
pub fn approvers_in(runbook: Option<&Runbook>, state: &SessionState, rollback_id: &str) -> Vec<String> {
    let rb = runbook.and_then(|r| r.rollback(rollback_id));
    counted(rb, approvals_of(state, rollback_id)).into_iter().map(|a| a.by.operator.clone()).collect()
}

/// Whether `who` may start the rollback now: known, writable, in a `fire`
/// role, not running, and approved by as many distinct people as it needs.
/// The firing operator counts only if they are among the approvers.
pub fn may_fire(
    runbook: &Runbook,
    state: &SessionState,
    rollback_id: &str,
    who: impl Into<Actor>,
    read_only: bool,
) -> Result<(), Refusal> {
    let who = who.into();
    let rb = find(runbook, rollback_id)?;
    if read_only {
        return Err(Refusal::ReadOnly);
    }
    runbook.access.check(&rb.fire, &who, &format!("fire rollback \"{rollback_id}\"")).map_err(Refusal::NotInRole)?;
    not_running(state, rollback_id)?;
    let (have, need) = approvals_needed(runbook, state, rollback_id);
    if have < need {
        return Err(Refusal::NeedsApprovals {
            rollback: rollback_id.to_string(),
            have,
            need,
            approved_by: approvers_in(Some(runbook), state, rollback_id),
            distinct: if rb.approvals >= 2 { rb.distinct } else { Distinct::Operator },
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

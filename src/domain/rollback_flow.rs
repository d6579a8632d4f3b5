//! What Enter on a rollback leads to, and what is alarming right now (fired
//! triggers, running rollbacks). Pure: the runbook and the folded journal in,
//! a decision out; the `B` dialog (`overlay::rollback`), the banner
//! (`ui::banner`) and the `x`/Enter hooks act on it.
//!
//! A5: nothing fires on one key. Approving is always typing the id; firing is
//! the rollback's `confirm` (`type`: the id again; `yes`: a y/n naming it).
//! When this operator's typed approval completes the approvals of a
//! `confirm = "type"` rollback, that typing is also the confirmation to fire
//! (the usual `approvals = 1` case: type the id once, it runs).

use super::approvals;
use super::identity::Actor;
use super::runbook::{Confirm, Runbook};
use super::state::SessionState;

/// What the dialog asks next for the chosen rollback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Type the id to approve as this operator; `fires`: that typing also fires it.
    Approve { fires: bool },
    /// Approvals are complete: confirm (per `confirm`) to fire.
    Fire(Confirm),
    /// A run is in progress: show its output (x aborts).
    Running,
    /// Nothing this operator can do now; the message says why and what to do.
    Refused(String),
}

/// The next thing to ask `who` about rollback `id`.
pub fn next(runbook: &Runbook, state: &SessionState, id: &str, who: impl Into<Actor>, read_only: bool) -> Next {
    let operator = &who.into();
    let Some(rb) = runbook.rollback(id) else {
        return Next::Refused(format!("there is no rollback {id} in the runbook"));
    };
    if read_only {
        return Next::Refused(approvals::Refusal::ReadOnly.to_string());
    }
    if state.rollbacks.get(id).is_some_and(|r| r.running()) {
        return Next::Running;
    }
    if approvals::may_fire(runbook, state, id, operator, false).is_ok() {
        return Next::Fire(rb.confirm);
    }
    match approvals::can_approve(runbook, state, id, operator, false) {
        Ok(()) => {
            let (have, need) = approvals::approvals_needed(runbook, state, id);
            Next::Approve { fires: have + 1 >= need && rb.confirm == Confirm::Type }
        }
        Err(refusal) => match approvals::may_fire(runbook, state, id, operator, false) {
            // Already approved by this operator: say what is missing (the others' approvals).
            Err(missing @ approvals::Refusal::NeedsApprovals { .. }) => Next::Refused(format!("{refusal}; {missing}")),
            _ => Next::Refused(refusal.to_string()),
        },
    }
}

/// A fired, not yet cleared trigger: (trigger id, cause, proposed rollback).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alarm {
    pub trigger: String,
    pub title: String,
    pub cause: String,
    pub propose: String,
    pub fired_at: chrono::DateTime<chrono::Utc>,
}

impl Alarm {
    /// Tells this firing apart from a later firing of the same trigger.
    pub fn key(&self) -> String {
        format!("{}@{}", self.trigger, self.fired_at.timestamp_millis())
    }
}

/// Every fired trigger that has not cleared, oldest first.
pub fn alarms(runbook: &Runbook, state: &SessionState) -> Vec<Alarm> {
    let mut v: Vec<Alarm> = state
        .triggers
        .iter()
        .filter(|(_, t)| t.cleared_at.is_none())
        .map(|(id, t)| {
            let title = runbook.triggers.iter().find(|x| x.id == *id).map(|x| x.title.clone()).unwrap_or_default();
            Alarm {
                trigger: id.clone(),
                title,
                cause: t.cause.clone(),
                propose: t.propose.clone(),
                fired_at: t.fired_at,
            }
        })
        .collect();
    v.sort_by(|a, b| a.fired_at.cmp(&b.fired_at).then_with(|| a.trigger.cmp(&b.trigger)));
    v
}

/// The rollback an alarm proposes (the oldest alarm whose rollback exists).
pub fn proposed(runbook: &Runbook, state: &SessionState) -> Option<String> {
    alarms(runbook, state).into_iter().map(|a| a.propose).find(|p| runbook.rollback(p).is_some())
}

/// Rollbacks with a run in progress, in runbook order.
pub fn running(runbook: &Runbook, state: &SessionState) -> Vec<String> {
    runbook
        .rollbacks
        .iter()
        .filter(|r| state.rollbacks.get(&r.id).is_some_and(|s| s.running()))
        .map(|r| r.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind;
    use crate::domain::fixtures;

    fn runbook(approvals: u32, confirm: Confirm) -> Runbook {
        let mut rb = fixtures::runbook();
        let mut full = fixtures::rollback("full", approvals);
        full.confirm = confirm;
        rb.rollbacks = vec![full];
        rb
    }

    fn fold(events: &[(&str, EventKind)]) -> SessionState {
        let ev: Vec<(i64, &str, EventKind)> =
            events.iter().enumerate().map(|(i, (by, e))| (i as i64, *by, e.clone())).collect();
        fixtures::session(&ev)
    }

    fn approved(rb: &str) -> EventKind {
        EventKind::RollbackApproved { rollback: rb.into() }
    }

    #[test]
    fn one_approval_typed_once_fires() {
        let rb = runbook(1, Confirm::Type);
        assert_eq!(next(&rb, &SessionState::default(), "full", "ana", false), Next::Approve { fires: true });
        // `yes` rollbacks ask the y/n after the typed approval.
        let rb = runbook(1, Confirm::Yes);
        assert_eq!(next(&rb, &SessionState::default(), "full", "ana", false), Next::Approve { fires: false });
    }

    #[test]
    fn two_approvals_need_two_operators_then_a_confirmation() {
        let rb = runbook(2, Confirm::Type);
        assert_eq!(next(&rb, &SessionState::default(), "full", "ana", false), Next::Approve { fires: false });
        let s = fold(&[("ana", approved("full"))]);
        match next(&rb, &s, "full", "ana", false) {
            Next::Refused(m) => assert!(m.contains("ana already approved") && m.contains("has 1"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(next(&rb, &s, "full", "bob", false), Next::Approve { fires: true });
        let s = fold(&[("ana", approved("full")), ("bob", approved("full"))]);
        assert_eq!(next(&rb, &s, "full", "ana", false), Next::Fire(Confirm::Type));
        assert_eq!(next(&rb, &s, "full", "carol", false), Next::Fire(Confirm::Type));
    }

    #[test]
    fn read_only_running_and_unknown_are_refused_or_shown() {
        let rb = runbook(1, Confirm::Type);
        assert!(
            matches!(next(&rb, &SessionState::default(), "full", "ana", true), Next::Refused(m) if m.contains("read-only"))
        );
        assert!(matches!(next(&rb, &SessionState::default(), "nope", "ana", false), Next::Refused(_)));
        let s = fold(&[
            ("ana", approved("full")),
            (
                "ana",
                EventKind::RollbackStarted {
                    rollback: "full".into(),
                    run: 1,
                    command: "true".into(),
                    output: "o".into(),
                },
            ),
        ]);
        assert_eq!(next(&rb, &s, "full", "bob", false), Next::Running);
        assert_eq!(running(&rb, &s), ["full"]);
    }

    #[test]
    fn alarms_are_the_uncleared_triggers_and_propose_known_rollbacks() {
        let rb = runbook(1, Confirm::Type);
        let fired = |t: &str, p: &str| EventKind::TriggerFired {
            trigger: t.into(),
            propose: p.into(),
            cause: format!("{t} cause"),
        };
        let s = fold(&[
            ("ana", fired("b-first", "ghost")),
            ("ana", fired("a-second", "full")),
            ("ana", fired("cleared", "full")),
            ("ana", EventKind::TriggerCleared { trigger: "cleared".into() }),
        ]);
        let a: Vec<String> = alarms(&rb, &s).into_iter().map(|a| a.trigger).collect();
        assert_eq!(a, ["b-first", "a-second"]);
        assert_eq!(proposed(&rb, &s).as_deref(), Some("full"));
        assert_eq!(proposed(&rb, &SessionState::default()), None);
        // A later firing of the same trigger is a new alarm.
        let again = fold(&[
            ("ana", fired("x", "full")),
            ("ana", EventKind::TriggerCleared { trigger: "x".into() }),
            ("ana", fired("x", "full")),
        ]);
        let once = fold(&[("ana", fired("x", "full"))]);
        assert_ne!(alarms(&rb, &again)[0].key(), alarms(&rb, &once)[0].key());
    }
}

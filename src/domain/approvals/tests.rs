use proptest::prelude::*;

use super::*;
use crate::domain::event::{EventKind, RunOutcome};
use crate::domain::fixtures::{opened, runbook, session};

fn approve(rb: &str) -> EventKind {
    EventKind::RollbackApproved { rollback: rb.into() }
}
fn started(rb: &str, run: u32) -> EventKind {
    EventKind::RollbackStarted {
        rollback: rb.into(),
        run,
        command: "./rollback.sh".into(),
        output: "runs/x.log".into(),
    }
}
fn finished(rb: &str, run: u32) -> EventKind {
    EventKind::RollbackFinished {
        rollback: rb.into(),
        run,
        outcome: RunOutcome::Ok,
        exit_code: Some(0),
        signal: None,
        duration_ms: 10,
        error: None,
    }
}

#[test]
fn unknown_rollback_lists_the_known_ones() {
    let rb = runbook();
    let s = session(&[(0, "ana", opened())]);
    let err = can_approve(&rb, &s, "nope", "ana", false).unwrap_err();
    assert!(err.is_unknown());
    assert_eq!(err.to_string(), "unknown rollback \"nope\": known rollbacks are full, cache");
    assert!(may_fire(&rb, &s, "nope", "ana", false).unwrap_err().is_unknown());
}

#[test]
fn read_only_is_refused() {
    let rb = runbook();
    let s = session(&[(0, "ana", opened())]);
    assert_eq!(can_approve(&rb, &s, "full", "ana", true), Err(Refusal::ReadOnly));
    assert_eq!(may_fire(&rb, &s, "cache", "ana", true), Err(Refusal::ReadOnly));
}

#[test]
fn same_operator_twice_is_refused_a_second_is_accepted() {
    let rb = runbook();
    let s = session(&[(0, "ana", opened()), (5, "ana", approve("full"))]);
    assert_eq!(approvals_needed(&rb, &s, "full"), (1, 2));
    let err = can_approve(&rb, &s, "full", "ana", false).unwrap_err();
    assert!(matches!(err, Refusal::AlreadyApproved { .. }));
    assert!(err.to_string().contains("ana already approved"));
    assert_eq!(can_approve(&rb, &s, "full", "bob", false), Ok(()));
    assert!(approval_message(&rb, &s, "full").starts_with("approved (1/2)"));
}

#[test]
fn one_operator_never_fires_a_two_approval_rollback_alone() {
    let rb = runbook();
    // Even if ana's approval is journaled twice (two consoles racing), it counts once.
    let s = session(&[(0, "ana", opened()), (5, "ana", approve("full")), (6, "ana", approve("full"))]);
    assert_eq!(approvals_needed(&rb, &s, "full"), (1, 2));
    let err = may_fire(&rb, &s, "full", "ana", false).unwrap_err();
    assert!(matches!(err, Refusal::NeedsApprovals { have: 1, need: 2, .. }), "{err:?}");
    assert!(err.to_string().contains("needs 2 approvals"), "{err}");

    let s = session(&[(0, "ana", opened()), (5, "ana", approve("full")), (9, "bob", approve("full"))]);
    assert_eq!(may_fire(&rb, &s, "full", "ana", false), Ok(()));
    // A third person may fire once two others approved.
    assert_eq!(may_fire(&rb, &s, "full", "carol", false), Ok(()));
    assert_eq!(approval_message(&rb, &s, "full"), "approved (2/2): ready to fire from the console");
}

#[test]
fn single_approval_rollback_needs_its_one_approval() {
    let rb = runbook();
    let s = session(&[(0, "ana", opened())]);
    assert!(matches!(may_fire(&rb, &s, "cache", "ana", false), Err(Refusal::NeedsApprovals { have: 0, need: 1, .. })));
    let s = session(&[(0, "ana", opened()), (1, "ana", approve("cache"))]);
    assert_eq!(may_fire(&rb, &s, "cache", "ana", false), Ok(()));
}

#[test]
fn running_rollback_refuses_and_a_finished_run_needs_fresh_approvals() {
    let rb = runbook();
    let mut events = vec![
        (0, "ana", opened()),
        (1, "ana", approve("full")),
        (2, "bob", approve("full")),
        (3, "ana", started("full", 1)),
    ];
    let s = session(&events);
    assert!(matches!(can_approve(&rb, &s, "full", "carol", false), Err(Refusal::Running { run: 1, .. })));
    assert!(matches!(may_fire(&rb, &s, "full", "ana", false), Err(Refusal::Running { .. })));
    events.push((60, "ana", finished("full", 1)));
    let s = session(&events);
    assert_eq!(approvals_needed(&rb, &s, "full"), (0, 2));
    assert_eq!(can_approve(&rb, &s, "full", "ana", false), Ok(()));
    assert!(may_fire(&rb, &s, "full", "ana", false).is_err());
}

proptest! {
    /// Whatever a single operator journals, a rollback needing ≥ 2 approvals never becomes fireable.
    #[test]
    fn one_operator_alone_never_satisfies_two(n in 1usize..10, op in "[a-z]{1,6}") {
        let rb = runbook();
        let mut events = vec![(0, "x", opened())];
        for i in 0..n { events.push((i as i64 + 1, op.as_str(), approve("full"))); }
        let s = session(&events);
        prop_assert!(may_fire(&rb, &s, "full", &op, false).is_err());
        prop_assert_eq!(approvals_needed(&rb, &s, "full").0, 1);
    }
}

use proptest::prelude::*;

use super::*;
use crate::domain::event::{EventKind, RunOutcome};
use crate::domain::fixtures::{opened, runbook, session};
use crate::domain::identity::Actor;
use crate::domain::runbook::Distinct;

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

/// Approvals folded from records that carry a Unix user (and no key).
fn by_users(approvals: &[(&str, &str)]) -> SessionState {
    use crate::domain::fixtures::{record, t};
    let mut s = SessionState::default();
    for (i, (op, user)) in approvals.iter().enumerate() {
        let mut r = record(i as u64 + 1, t(i as i64), op, &approve("full"));
        r.user = Some(user.to_string());
        s.apply(&r);
    }
    s
}

fn distinct(level: Distinct) -> Runbook {
    let mut rb = runbook();
    rb.rollbacks[0].distinct = level;
    rb
}

fn actor(op: &str, user: &str) -> Actor {
    Actor { operator: op.into(), user: Some(user.into()), key: None }
}

#[test]
fn look_alike_names_are_one_operator() {
    let rb = distinct(Distinct::Operator);
    let s = by_users(&[("ana", "root")]);
    for same in ["Ana", "ANA", "ana@VM", "ａｎａ", "an\u{0430}"] {
        let err = can_approve(&rb, &s, "full", actor(same, "other"), false).unwrap_err();
        assert!(matches!(err, Refusal::AlreadyApproved { .. }), "{same}: {err:?}");
    }
    assert_eq!(can_approve(&rb, &s, "full", actor("bob", "root"), false), Ok(()), "names suffice at this level");
    // Journaled anyway (an older version, a forged line): still one person.
    let s = by_users(&[("ana", "root"), ("Ana", "x")]);
    assert_eq!(approvals_needed(&rb, &s, "full"), (1, 2));
}

#[test]
fn user_level_needs_two_unix_users() {
    let rb = distinct(Distinct::User);
    let s = by_users(&[("ana", "root")]);
    let err = can_approve(&rb, &s, "full", actor("bob", "root"), false).unwrap_err();
    assert!(matches!(err, Refusal::NotDistinct { .. }), "{err:?}");
    assert!(err.to_string().contains("already approved as Unix user root"), "{err}");
    assert_eq!(can_approve(&rb, &s, "full", actor("bob", "nobody"), false), Ok(()));
    // Two names from one account count once; two accounts count twice.
    assert_eq!(approvals_needed(&rb, &by_users(&[("ana", "root"), ("bob", "root")]), "full"), (1, 2));
    let s = by_users(&[("ana", "root"), ("bob", "nobody")]);
    assert_eq!(may_fire(&rb, &s, "full", actor("ana", "root"), false), Ok(()));
    // Approvals without a user (older journals) count for nothing here.
    let s = session(&[(0, "ana", approve("full")), (1, "bob", approve("full"))]);
    assert_eq!(approvals_needed(&rb, &s, "full"), (0, 2));
}

#[test]
fn key_level_needs_signed_approvals() {
    let rb = distinct(Distinct::Key);
    let s = by_users(&[("ana", "root")]);
    let err = can_approve(&rb, &s, "full", actor("bob", "nobody"), false).unwrap_err();
    assert!(err.to_string().contains("not signed"), "{err}");
    // A record claiming a key without a good signature counts for nothing.
    let mut r = crate::domain::fixtures::record(1, crate::domain::fixtures::t(0), "ana", &approve("full"));
    r.key = Some("SHA256:forged".into());
    let s = SessionState::from_records([&r]);
    assert_eq!(approvals_needed(&rb, &s, "full"), (0, 2));
}

#[test]
fn roles_restrict_approving_and_firing() {
    use crate::domain::runbook::Role;
    let mut rb = distinct(Distinct::Operator);
    rb.access.roles = vec![Role { id: "devops".into(), title: "DevOps".into(), members: vec!["bob".into()] }];
    rb.rollbacks[0].fire = vec!["devops".into()];
    let s = by_users(&[("ana", "root"), ("carol", "root")]);
    let err = may_fire(&rb, &s, "full", actor("ana", "root"), false).unwrap_err();
    assert!(err.to_string().contains("only DevOps (devops: bob) may"), "{err}");
    assert_eq!(may_fire(&rb, &s, "full", actor("Bob", "root"), false), Ok(()));
}

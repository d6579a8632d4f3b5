use super::*;
use crate::domain::duration::Dur;
use crate::domain::event::EventKind;
use crate::domain::fixtures::{empty_runbook, session, t};
use crate::domain::incident_acts::{self, Refusal};
use crate::domain::runbook::Template;
use proptest::prelude::*;

/// Seed 003's SEV1: ack within 10 min, mitigate within 60, update every 30.
fn rb() -> Runbook {
    Runbook {
        severities: vec![IncidentSeverity {
            id: "SEV1".into(),
            title: "Major".into(),
            ack_within: Dur::from_secs(600),
            mitigate_within: Dur::from_secs(3600),
            update_every: Dur::from_secs(1800),
            escalation: None,
            update_template: None,
            links: vec![],
        }],
        templates: vec![Template {
            id: "status-update".into(),
            title: "Update".into(),
            text: "x".into(),
            send_to: vec![],
            send_on: vec![],
        }],
        ..empty_runbook()
    }
}

fn declared() -> Vec<(i64, &'static str, EventKind)> {
    vec![
        (0, "ana", EventKind::IncidentDeclared { level: String::new(), summary: Some("api down".into()) }),
        (0, "ana", EventKind::IncidentSeverity { severity: "SEV1".into() }),
    ]
}

fn copied(at: i64, template: &str) -> (i64, &'static str, EventKind) {
    (at, "ana", EventKind::MessageCopied { template: template.into(), text: "…".into() })
}

fn clocks_at(events: &[(i64, &str, EventKind)], now: i64) -> SeverityClocks {
    let s = session(events);
    clocks(&rb(), s.incident.as_ref().unwrap(), t(now)).expect("clocks")
}

#[test]
fn countdowns_run_from_the_declaration() {
    let c = clocks_at(&declared(), 60);
    assert_eq!(c.ack, Deadline::Running { left: Duration::seconds(540) });
    assert_eq!(c.mitigate, Deadline::Running { left: Duration::seconds(3540) });
    assert_eq!(c.next_update().unwrap().state, Deadline::Running { left: Duration::seconds(1740) });
}

#[test]
fn a_late_ack_is_missed_by_how_much() {
    let mut ev = declared();
    ev.push((700, "bo", EventKind::IncidentAcknowledged { level: String::new() }));
    let c = clocks_at(&ev, 800);
    assert_eq!(c.ack, Deadline::Missed { at: t(700), late: Duration::seconds(100) });
    assert_eq!(describe(c.ack), "MISSED by 1m 40s");
    let unacked = clocks_at(&declared(), 660);
    assert_eq!(unacked.ack, Deadline::Overdue { by: Duration::seconds(60) });
}

#[test]
fn updates_restart_the_cadence_and_late_ones_are_misses() {
    let mut ev = declared();
    ev.push(copied(1000, "status-update")); // on time (due 1800)
    ev.push(copied(1200, "deploy-done")); // not an update
    ev.push(copied(3000, "status-update")); // due 2800: 200 s late
    let c = clocks_at(&ev, 3100);
    assert_eq!(c.updates.len(), 3);
    assert!(matches!(c.updates[0].state, Deadline::Met { .. }));
    assert_eq!(c.updates[1].state, Deadline::Missed { at: t(3000), late: Duration::seconds(200) });
    assert_eq!(c.next_update().unwrap().due, t(4800));
    assert_eq!(c.missed_updates().count(), 1);
}

#[test]
fn an_update_sent_to_a_channel_counts_and_a_failed_send_does_not() {
    let sent = |at: i64, template: &str| {
        (
            at,
            "ana",
            EventKind::MessageSent {
                template: template.into(),
                channel: "golive".into(),
                on: None,
                attempts: 1,
                status: 200,
                text: "…".into(),
            },
        )
    };
    let mut ev = declared();
    ev.push((
        900,
        "ana",
        EventKind::MessageFailed {
            template: "status-update".into(),
            channel: "golive".into(),
            on: None,
            attempts: 4,
            status: Some(500),
            error: "HTTP 500".into(),
        },
    ));
    ev.push(sent(1000, "deploy-done")); // not an update
    ev.push(sent(1500, "status-update")); // on time (due 1800)
    let c = clocks_at(&ev, 1600);
    assert_eq!(c.updates[0].posted, Some(t(1500)), "{:?}", c.updates);
    assert!(matches!(c.updates[0].state, Deadline::Met { .. }));
}

#[test]
fn resolution_stops_every_clock() {
    let mut ev = declared();
    ev.push((300, "bo", EventKind::IncidentResolved { note: None }));
    let c = clocks_at(&ev, 99_999);
    assert!(matches!(c.ack, Deadline::Met { .. }), "resolving answers the page");
    assert!(matches!(c.mitigate, Deadline::Met { .. }));
    assert!(c.updates.is_empty(), "no update was due before the resolution");
}

#[test]
fn acts_refuse_what_the_state_does_not_allow() {
    let rb = rb();
    let s = session(&[]);
    assert!(matches!(incident_acts::declare(&rb, &s, Some("SEV9"), None), Err(Refusal::BadInput(_))));
    assert!(matches!(incident_acts::acknowledge(&rb, &s, t(0)), Err(Refusal::Refused(_))));
    let evs = incident_acts::declare(&rb, &s, Some("sev1"), Some("x".into())).unwrap();
    assert_eq!(evs[1], EventKind::IncidentSeverity { severity: "SEV1".into() });
    let s = session(&declared());
    assert!(matches!(incident_acts::declare(&rb, &s, Some("SEV1"), None), Err(Refusal::Refused(_))));
    assert_eq!(incident_acts::acknowledge(&rb, &s, t(5)).unwrap().len(), 1);
    assert!(matches!(incident_acts::change_severity(&rb, &s, "SEV1"), Err(Refusal::Refused(_))));
    assert!(matches!(incident_acts::escalate(&rb, &s, t(5)), Err(Refusal::Refused(_))), "no ladder");
    assert_eq!(incident_acts::mitigated(&s, None).unwrap(), vec![EventKind::IncidentMitigated { note: None }]);
}

proptest! {
    /// Whatever the posts, every due update is either met, missed, running or
    /// overdue consistently with `now`, dues are in order, and at most one is
    /// still unposted (the last).
    #[test]
    fn schedule_is_consistent(mut posts in proptest::collection::vec(0i64..20_000, 0..12), now in 0i64..25_000) {
        posts.sort();
        let posts: Vec<_> = posts.into_iter().map(t).collect();
        let s = update_schedule(t(0), Duration::seconds(1800), &posts, None, t(now));
        prop_assert!(!s.is_empty());
        for w in s.windows(2) {
            prop_assert!(w[0].due <= w[1].due + Duration::seconds(1800));
            prop_assert!(w[0].posted.is_some());
        }
        for u in &s {
            match (u.posted, u.state) {
                (Some(p), Deadline::Met { at, .. }) => prop_assert!(p == at && p <= u.due),
                (Some(p), Deadline::Missed { at, late }) => prop_assert!(p == at && late == p - u.due),
                (None, Deadline::Running { left }) => prop_assert_eq!(left, u.due - t(now)),
                (None, Deadline::Overdue { by }) => prop_assert_eq!(by, t(now) - u.due),
                other => prop_assert!(false, "inconsistent {:?}", other),
            }
        }
    }
}

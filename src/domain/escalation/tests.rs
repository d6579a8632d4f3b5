use chrono::Duration;
use proptest::prelude::*;

use super::*;
use crate::domain::event::EventKind;
use crate::domain::fixtures::{escalation, opened, runbook, session, t};
use crate::domain::runbook::EscalationStart;

fn declared() -> EventKind {
    EventKind::IncidentDeclared { level: "L1".into(), summary: Some("site down".into()) }
}
fn escalated(level: &str, automatic: bool) -> EventKind {
    EventKind::IncidentEscalated { level: level.into(), automatic }
}
fn acked(level: &str) -> EventKind {
    EventKind::IncidentAcknowledged { level: level.into() }
}

#[test]
fn no_clock_before_an_incident_when_started_on_incident() {
    let rb = runbook();
    let s = session(&[(0, "ana", opened())]);
    assert_eq!(clock(&rb, &s, t(4000)), None);
    assert_eq!(due_escalation(&rb, &s, t(4000)), None);
    assert!(acknowledge(&rb, &s, t(10)).unwrap_err().contains("press i"));
}

#[test]
fn times_come_from_the_declaration() {
    let rb = runbook();
    let s = session(&[(0, "ana", opened()), (100, "ana", declared())]);
    let v = clock(&rb, &s, t(100 + 600)).unwrap();
    assert_eq!(v.level, "L1");
    assert_eq!(v.who, "Dev on-call");
    assert_eq!(v.started_at, t(100));
    assert_eq!(v.since_start, Duration::seconds(600));
    assert_eq!(v.in_level, Duration::seconds(600));
    assert_eq!(v.deadline, Some(t(100 + 1800)));
    assert_eq!(v.countdown, Some(Duration::seconds(1200)));
    assert_eq!(v.status, ClockStatus::Running);
    assert_eq!(v.next.as_ref().map(|n| n.name.as_str()), Some("L2"));
    assert!(v.summary().contains("20:00 left"), "{}", v.summary());
}

#[test]
fn overdue_gives_negative_countdown_and_one_automatic_escalation() {
    let rb = runbook();
    let mut events = vec![(0, "ana", opened()), (100, "ana", declared())];
    let s = session(&events);
    // Exactly at the deadline nothing is due yet; one second later it is.
    assert_eq!(due_escalation(&rb, &s, t(1900)), None);
    let v = clock(&rb, &s, t(1901)).unwrap();
    assert_eq!(v.countdown, Some(Duration::seconds(-1)));
    assert_eq!(v.status, ClockStatus::Overdue);
    assert_eq!(due_escalation(&rb, &s, t(1901)), Some(escalated("L2", true)));

    // Folded: nothing more until L2's own deadline (15 min later).
    events.push((1901, "ana", escalated("L2", true)));
    let s = session(&events);
    assert_eq!(due_escalation(&rb, &s, t(1902)), None);
    assert_eq!(due_escalation(&rb, &s, t(1901 + 900)), None);
    let v = clock(&rb, &s, t(1901 + 60)).unwrap();
    assert_eq!((v.level.as_str(), v.who.as_str()), ("L2", "Dev Lead + DevOps"));
    assert_eq!(v.countdown, Some(Duration::seconds(840)));
    assert_eq!(v.since_start, Duration::seconds(1861));
    assert_eq!(due_escalation(&rb, &s, t(1901 + 901)), Some(escalated("L3", true)));

    // At the last level an overdue clock stays overdue; nothing further to escalate to.
    events.push((2802, "bob", escalated("L3", true)));
    let s = session(&events);
    let v = clock(&rb, &s, t(2802 + 301)).unwrap();
    assert_eq!(v.status, ClockStatus::Overdue);
    assert_eq!(v.next, None);
    assert_eq!(due_escalation(&rb, &s, t(9999)), None);
    assert!(escalate_now(&rb, &s, t(9999)).unwrap_err().contains("last"));
}

#[test]
fn acknowledgement_stops_the_countdown_and_automatic_escalation() {
    let rb = runbook();
    let s = session(&[(0, "ana", opened()), (100, "ana", declared()), (400, "bob", acked("L1"))]);
    let later = clock(&rb, &s, t(99_999)).unwrap();
    assert_eq!(later.status, ClockStatus::Acknowledged);
    assert_eq!(later.countdown, Some(Duration::seconds(1500)), "frozen at the acknowledgement");
    assert_eq!(later.acknowledged.as_ref().map(|a| a.by.as_str()), Some("bob"));
    assert_eq!(due_escalation(&rb, &s, t(99_999)), None);
    assert!(acknowledge(&rb, &s, t(500)).unwrap_err().contains("already acknowledged by bob"));
    // Escalating by hand is still possible.
    assert_eq!(escalate_now(&rb, &s, t(500)).unwrap(), vec![escalated("L2", false)]);
}

#[test]
fn acknowledging_an_old_level_does_not_stop_the_new_one() {
    let rb = runbook();
    let s = session(&[
        (0, "ana", opened()),
        (100, "ana", declared()),
        (1901, "ana", escalated("L2", true)),
        (1950, "bob", acked("L1")),
    ]);
    let v = clock(&rb, &s, t(1950)).unwrap();
    assert_eq!(v.status, ClockStatus::Running);
    assert_eq!(acknowledge(&rb, &s, t(1960)).unwrap(), vec![acked("L2")]);
}

#[test]
fn resolution_stops_every_clock() {
    let rb = runbook();
    let s = session(&[
        (0, "ana", opened()),
        (100, "ana", declared()),
        (700, "ana", EventKind::IncidentResolved { note: None }),
    ]);
    let v = clock(&rb, &s, t(50_000)).unwrap();
    assert_eq!(v.status, ClockStatus::Resolved);
    assert_eq!(v.since_start, Duration::seconds(600));
    assert_eq!(v.countdown, Some(Duration::seconds(1200)));
    assert_eq!(due_escalation(&rb, &s, t(50_000)), None);
    assert!(acknowledge(&rb, &s, t(50_000)).is_err());
    // A new incident can be declared after resolution, not while one is open.
    assert!(declare(&rb, &s, None).is_ok());
    let open = session(&[(0, "ana", opened()), (100, "ana", declared())]);
    assert!(declare(&rb, &open, None).unwrap_err().contains("already open at L1"));
}

#[test]
fn on_open_runs_from_the_first_record_without_a_declaration() {
    let mut rb = runbook();
    rb.escalation = Some(escalation(EscalationStart::OnOpen));
    let mut events = vec![(0, "ana", opened())];
    let s = session(&events);
    let v = clock(&rb, &s, t(600)).unwrap();
    assert!(v.virtual_incident && v.on_open);
    assert_eq!((v.level.as_str(), v.started_at), ("L1", t(0)));
    assert_eq!(v.countdown, Some(Duration::seconds(1200)));
    assert_eq!(due_escalation(&rb, &s, t(1800)), None);

    // Overdue: first materialise the clock as an incident, then escalate.
    let first = due_escalation(&rb, &s, t(1801)).unwrap();
    assert_eq!(first, EventKind::IncidentDeclared { level: "L1".into(), summary: Some(ON_OPEN_SUMMARY.into()) });
    events.push((1801, "ana", first));
    let s = session(&events);
    let v = clock(&rb, &s, t(1801)).unwrap();
    assert!(!v.virtual_incident && v.on_open);
    assert_eq!(v.started_at, t(0), "L1 is still timed from the session's first record");
    assert_eq!(v.countdown, Some(Duration::seconds(-1)));
    assert_eq!(due_escalation(&rb, &s, t(1801)), Some(escalated("L2", true)));
    events.push((1801, "ana", escalated("L2", true)));
    let s = session(&events);
    assert_eq!(due_escalation(&rb, &s, t(1802)), None);
    assert_eq!(clock(&rb, &s, t(1802)).unwrap().level, "L2");
}

#[test]
fn on_open_acknowledge_materialises_then_acknowledges() {
    let mut rb = runbook();
    rb.escalation = Some(escalation(EscalationStart::OnOpen));
    let s = session(&[(0, "ana", opened())]);
    let evs = acknowledge(&rb, &s, t(300)).unwrap();
    assert_eq!(evs.len(), 2);
    assert!(matches!(&evs[0], EventKind::IncidentDeclared { level, .. } if level == "L1"));
    assert_eq!(evs[1], acked("L1"));
    let mut events = vec![(0, "ana", opened())];
    events.extend(evs.into_iter().map(|e| (300, "ana", e)));
    let s = session(&events);
    let v = clock(&rb, &s, t(5000)).unwrap();
    assert_eq!(v.status, ClockStatus::Acknowledged);
    assert_eq!(v.countdown, Some(Duration::seconds(1500)));

    // After resolution a newly declared incident is timed from its own declaration.
    events.push((6000, "ana", EventKind::IncidentResolved { note: None }));
    events.push((7000, "bob", declared()));
    let s = session(&events);
    let v = clock(&rb, &s, t(7060)).unwrap();
    assert_eq!(v.started_at, t(7000));
    assert!(!v.on_open);
    assert_eq!(v.countdown, Some(Duration::seconds(1740)));
}

#[test]
fn unknown_level_in_the_journal_is_shown_without_deadline() {
    let rb = runbook();
    let s = session(&[
        (0, "ana", opened()),
        (10, "ana", EventKind::IncidentDeclared { level: "SEV9".into(), summary: None }),
    ]);
    let v = clock(&rb, &s, t(20)).unwrap();
    assert_eq!(v.level, "SEV9");
    assert_eq!((v.deadline, v.countdown, v.next.clone()), (None, None, None));
    assert_eq!(due_escalation(&rb, &s, t(99_999)), None);
    assert!(v.summary().contains("no deadline"));
}

#[test]
fn no_escalation_section_means_no_clock() {
    let mut rb = runbook();
    rb.escalation = None;
    let s = session(&[(0, "ana", opened()), (100, "ana", declared())]);
    assert_eq!(clock(&rb, &s, t(200)), None);
    assert!(declare(&rb, &s, None).unwrap_err().contains("no [escalation]"));
}

proptest! {
    /// A restart re-folds the same records: the clock must give the same answer,
    /// and journaling every due escalation as it comes never double-escalates.
    #[test]
    fn restart_gives_same_clock_and_escalations_are_idempotent(
        on_open in any::<bool>(),
        declare_at in 0i64..3000,
        ack_after in proptest::option::of(0i64..4000),
        ticks in proptest::collection::vec(1i64..400, 1..40),
    ) {
        let mut rb = runbook();
        if on_open { rb.escalation = Some(escalation(EscalationStart::OnOpen)); }
        let mut events = vec![(0, "ana", opened())];
        if !on_open { events.push((declare_at, "ana", declared())); }
        let mut now = if on_open { 0 } else { declare_at };
        let mut acked_done = false;
        for step in ticks {
            now += step;
            let s = session(&events);
            if let (Some(a), false) = (ack_after, acked_done) {
                if now >= a {
                    for e in acknowledge(&rb, &s, t(now)).unwrap() { events.push((now, "bob", e)); }
                    acked_done = true;
                    continue;
                }
            }
            // Drain everything due at this instant, as the app's tick would.
            for _ in 0..5 {
                let s = session(&events);
                match due_escalation(&rb, &s, t(now)) {
                    Some(e) => events.push((now, "ana", e)),
                    None => break,
                }
            }
            let s = session(&events);
            prop_assert_eq!(due_escalation(&rb, &s, t(now)), None);
            let again = session(&events);
            prop_assert_eq!(clock(&rb, &s, t(now)), clock(&rb, &again, t(now)));
        }
        // Never escalated twice to the same level, never past the last one.
        let s = session(&events);
        if let Some(inc) = &s.incident {
            let names: Vec<&str> = inc.levels.iter().map(|l| l.level.as_str()).collect();
            let mut dedup = names.clone();
            dedup.dedup();
            prop_assert_eq!(names.len(), dedup.len());
            prop_assert!(names.len() <= 3);
        }
    }
}

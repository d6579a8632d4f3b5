//! The fold: what each event does, and the properties a restart relies on —
//! folding is deterministic, incremental folding equals folding at once, and
//! records written to journal lines and read back fold to the same state.

use proptest::prelude::*;

use super::*;
use crate::domain::event::{MarkSource, RunOutcome};
use crate::domain::fixtures::{record, session, t};
use crate::domain::record::{parse_line, Record as Rec, GENESIS};

fn mark(c: &str, v: Verdict) -> EventKind {
    EventKind::CriterionMarked { criterion: c.into(), verdict: v, note: None, source: MarkSource::Manual, cause: None }
}

fn started(step: &str, run: u32) -> EventKind {
    EventKind::StepStarted {
        step: step.into(),
        run,
        command: "./x.sh".into(),
        output: format!("runs/step-{step}-{run}.log"),
    }
}

fn finished(step: &str, run: u32, outcome: RunOutcome, code: Option<i32>) -> EventKind {
    EventKind::StepFinished {
        step: step.into(),
        run,
        outcome,
        exit_code: code,
        signal: None,
        duration_ms: 1500,
        error: None,
    }
}

#[test]
fn a_later_verdict_replaces_an_earlier_one_with_who_and_when() {
    let s = session(&[(0, "ana", mark("home", Verdict::Fail)), (60, "bob", mark("home", Verdict::Pass))]);
    let c = &s.criteria["home"];
    assert_eq!(c.verdict, Verdict::Pass);
    assert_eq!(c.by.as_deref(), Some("bob"));
    assert_eq!(c.at, Some(t(60)));
    assert_eq!(s.verdict("never-marked"), Verdict::Pending);
    assert_eq!(s.operators.iter().map(String::as_str).collect::<Vec<_>>(), ["ana", "bob"]);
    assert_eq!((s.last_seq, s.first_at, s.last_at), (2, Some(t(0)), Some(t(60))));
}

#[test]
fn step_status_follows_its_runs_and_ticks() {
    assert_eq!(session(&[]).step_status("pull"), StepStatus::NotStarted);
    let s = session(&[(0, "ana", started("pull", 1))]);
    assert_eq!(s.step_status("pull"), StepStatus::Running);
    let s = session(&[(0, "ana", started("pull", 1)), (2, "ana", finished("pull", 1, RunOutcome::Failed, Some(3)))]);
    assert_eq!(s.step_status("pull"), StepStatus::Failed);
    let end = s.steps["pull"].last_run().unwrap().finished.as_ref().unwrap();
    assert_eq!((end.exit_code, end.at, end.duration_ms), (Some(3), t(2), 1500));
    // A retry: the new run decides.
    let s = session(&[
        (0, "ana", started("pull", 1)),
        (2, "ana", finished("pull", 1, RunOutcome::Failed, Some(3))),
        (5, "bob", started("pull", 2)),
        (9, "bob", finished("pull", 2, RunOutcome::Ok, Some(0))),
    ]);
    assert_eq!(s.step_status("pull"), StepStatus::Succeeded);
    assert_eq!(s.steps["pull"].runs.len(), 2);
    for (o, want) in [
        (RunOutcome::TimedOut, StepStatus::TimedOut),
        (RunOutcome::Aborted, StepStatus::Aborted),
        (RunOutcome::Error, StepStatus::Failed),
    ] {
        let s = session(&[(0, "ana", started("x", 1)), (1, "ana", finished("x", 1, o, None))]);
        assert_eq!(s.step_status("x"), want);
    }
    // A finish for a run that never started changes nothing.
    let s = session(&[(0, "ana", started("x", 1)), (1, "ana", finished("x", 7, RunOutcome::Ok, Some(0)))]);
    assert_eq!(s.step_status("x"), StepStatus::Running);
    // Manual steps: ticked done, unticked, and a run clears the tick.
    let tick = |done| EventKind::StepTicked { step: "check".into(), done };
    assert_eq!(session(&[(0, "ana", tick(true))]).step_status("check"), StepStatus::Done);
    assert_eq!(
        session(&[(0, "ana", tick(true)), (1, "ana", tick(false))]).step_status("check"),
        StepStatus::NotStarted
    );
    assert_eq!(
        session(&[(0, "ana", tick(true)), (1, "ana", started("check", 1))]).step_status("check"),
        StepStatus::Running
    );
}

#[test]
fn probes_keep_the_last_change_and_the_history() {
    let ch = |h| EventKind::ProbeChanged { probe: "home".into(), health: h, cause: None };
    let s =
        session(&[(0, "a", ch(ProbeHealth::Down)), (30, "a", ch(ProbeHealth::Up)), (50, "a", ch(ProbeHealth::Down))]);
    assert_eq!(s.probes["home"].health, ProbeHealth::Down);
    assert_eq!(s.probes["home"].at, t(50));
    assert_eq!(s.probe_history.len(), 3);
}

#[test]
fn decisions_supersede_and_keep_the_earlier_ones() {
    let d =
        |d, r: &str| EventKind::DecisionRecorded { decision: d, reason: r.into(), recommendation: Some("GO".into()) };
    let s = session(&[(0, "ana", d(Decision::Go, "all green")), (60, "bob", d(Decision::Rollback, "payments down"))]);
    let cur = s.decision.as_ref().unwrap();
    assert_eq!((cur.decision, cur.by.as_str(), cur.at), (Decision::Rollback, "bob", t(60)));
    assert_eq!(s.decisions.len(), 1);
    assert_eq!(s.decisions[0].reason, "all green");
}

#[test]
fn incidents_escalate_acknowledge_resolve_and_start_over() {
    let s = session(&[
        (0, "ana", EventKind::IncidentDeclared { level: "L1".into(), summary: Some("500s".into()) }),
        (10, "bob", EventKind::IncidentAcknowledged { level: "L1".into() }),
        (20, "bob", EventKind::IncidentAcknowledged { level: "L1".into() }),
        (1800, "ana", EventKind::IncidentEscalated { level: "L2".into(), automatic: true }),
        // An acknowledgement for a level no longer current is ignored.
        (1801, "carl", EventKind::IncidentAcknowledged { level: "L1".into() }),
    ]);
    let inc = s.incident.as_ref().unwrap();
    assert_eq!(inc.levels.len(), 2);
    assert_eq!(inc.levels[0].acknowledged.as_ref().map(|a| (a.by.as_str(), a.at)), Some(("bob", t(10))));
    assert_eq!(inc.current().unwrap().level, "L2");
    assert!(inc.current().unwrap().automatic && inc.current().unwrap().acknowledged.is_none());
    assert!(inc.is_open());

    let s = session(&[
        (0, "ana", EventKind::IncidentDeclared { level: "L1".into(), summary: None }),
        (5, "ana", EventKind::IncidentResolved { note: None }),
        // Escalating a resolved incident does nothing.
        (6, "ana", EventKind::IncidentEscalated { level: "L2".into(), automatic: false }),
        (9, "bob", EventKind::IncidentDeclared { level: "L1".into(), summary: None }),
    ]);
    assert_eq!(s.past_incidents.len(), 1);
    assert!(!s.past_incidents[0].is_open());
    assert_eq!(s.past_incidents[0].levels.len(), 1);
    assert_eq!(s.incident.as_ref().unwrap().declared.by, "bob");
}

#[test]
fn rollback_approvals_are_distinct_and_reset_after_a_run() {
    let approve = EventKind::RollbackApproved { rollback: "full".into() };
    let s = session(&[(0, "ana", approve.clone()), (1, "ana", approve.clone()), (2, "bob", approve.clone())]);
    let rb = &s.rollbacks["full"];
    assert_eq!(rb.approvals.keys().map(String::as_str).collect::<Vec<_>>(), ["ana", "bob"]);
    assert_eq!(rb.approvals["ana"], t(0), "the first approval's time is kept");
    let start = EventKind::RollbackStarted {
        rollback: "full".into(),
        run: 1,
        command: "./rb.sh".into(),
        output: "runs/rollback-full-1.log".into(),
    };
    let end = EventKind::RollbackFinished {
        rollback: "full".into(),
        run: 1,
        outcome: RunOutcome::Ok,
        exit_code: Some(0),
        signal: None,
        duration_ms: 9000,
        error: None,
    };
    let s = session(&[(0, "ana", approve.clone()), (2, "bob", approve), (3, "bob", start.clone())]);
    assert!(s.rollbacks["full"].running());
    let s = session(&[(3, "bob", start), (12, "bob", end)]);
    assert!(!s.rollbacks["full"].running());
    assert!(s.rollbacks["full"].approvals.is_empty());
}

#[test]
fn triggers_notes_messages_and_unknown_kinds() {
    let s = session(&[
        (
            0,
            "a",
            EventKind::TriggerFired { trigger: "site-down".into(), propose: "full".into(), cause: "5m down".into() },
        ),
        (9, "a", EventKind::TriggerCleared { trigger: "site-down".into() }),
        (10, "a", EventKind::TriggerCleared { trigger: "never-fired".into() }),
        (11, "b", EventKind::NoteAdded { text: "DNS switched".into() }),
        (12, "b", EventKind::MessageCopied { template: "done".into(), text: "[GO-LIVE] done".into() }),
    ]);
    assert_eq!(s.triggers["site-down"].cleared_at, Some(t(9)));
    assert!(!s.triggers.contains_key("never-fired"));
    assert_eq!(s.notes[0].text, "DNS switched");
    assert_eq!(s.messages[0].by, "b");

    let mut future = record(1, t(0), "newer", &EventKind::NoteAdded { text: "x".into() });
    future.kind = "future.kind".into();
    let s = SessionState::from_records(&[future]);
    assert_eq!(s.unknown_records, 1);
    assert_eq!(s.last_seq, 1);
    assert!(s.operators.contains("newer"));
    assert!(s.notes.is_empty());
}

#[test]
fn a_known_kind_that_does_not_parse_is_kept_apart_not_counted_as_unknown() {
    let mut bad = record(1, t(0), "a", &EventKind::NoteAdded { text: "x".into() });
    bad.data = serde_json::json!({ "txt": "renamed field" });
    let mut future = record(2, t(1), "a", &EventKind::NoteAdded { text: "x".into() });
    future.kind = "future.kind".into();
    let s = SessionState::from_records(&[bad.clone(), future.clone()]);
    assert_eq!(s.unknown_records, 1);
    assert_eq!(s.malformed_count, 1);
    assert_eq!(s.malformed[0].seq, 1);
    assert_eq!(s.malformed[0].kind, "note.added");
    assert!(s.malformed[0].why.contains("text"), "{}", s.malformed[0].why);
    let report = crate::domain::report::build(None, &[bad, future]);
    assert_eq!(report.malformed_records.len(), 1);
    let md = crate::domain::report::markdown::render(&report);
    assert!(md.contains("Records that could not be read") && md.contains("#1 note.added"), "{md}");
}

// ---- properties -------------------------------------------------------------

fn id() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["home", "db", "pull", "L1", "L2", "full"]).prop_map(String::from)
}

fn verdict() -> impl Strategy<Value = Verdict> {
    prop::sample::select(vec![Verdict::Pass, Verdict::Fail, Verdict::Na, Verdict::Pending])
}

fn outcome() -> impl Strategy<Value = RunOutcome> {
    prop::sample::select(vec![
        RunOutcome::Ok,
        RunOutcome::Failed,
        RunOutcome::TimedOut,
        RunOutcome::Aborted,
        RunOutcome::Error,
    ])
}

/// Any event, with ids from a small set so that events meet each other.
fn event() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        (id(), verdict(), proptest::option::of(".{0,12}")).prop_map(|(c, v, note)| EventKind::CriterionMarked {
            criterion: c,
            verdict: v,
            note,
            source: MarkSource::Manual,
            cause: None
        }),
        ".{0,20}".prop_map(|text| EventKind::NoteAdded { text }),
        (id(), 1u32..4).prop_map(|(s, r)| started(&s, r)),
        (id(), 1u32..4, outcome(), proptest::option::of(-2i32..3)).prop_map(|(s, r, o, c)| finished(&s, r, o, c)),
        (id(), any::<bool>()).prop_map(|(step, done)| EventKind::StepTicked { step, done }),
        (id(), any::<bool>()).prop_map(|(probe, up)| EventKind::ProbeChanged {
            probe,
            health: if up { ProbeHealth::Up } else { ProbeHealth::Down },
            cause: None
        }),
        (prop::sample::select(vec![Decision::Go, Decision::NoGo, Decision::Rollback]), ".{0,10}")
            .prop_map(|(decision, reason)| EventKind::DecisionRecorded { decision, reason, recommendation: None }),
        id().prop_map(|level| EventKind::IncidentDeclared { level, summary: None }),
        (id(), any::<bool>()).prop_map(|(level, automatic)| EventKind::IncidentEscalated { level, automatic }),
        id().prop_map(|level| EventKind::IncidentAcknowledged { level }),
        Just(EventKind::IncidentResolved { note: None }),
        id().prop_map(|trigger| EventKind::TriggerFired { trigger, propose: "full".into(), cause: "c".into() }),
        id().prop_map(|trigger| EventKind::TriggerCleared { trigger }),
        id().prop_map(|rollback| EventKind::RollbackApproved { rollback }),
        (id(), 1u32..3).prop_map(|(rollback, run)| EventKind::RollbackStarted {
            rollback,
            run,
            command: "./rb.sh".into(),
            output: "runs/x.log".into()
        }),
        (id(), 1u32..3, outcome()).prop_map(|(rollback, run, outcome)| EventKind::RollbackFinished {
            rollback,
            run,
            outcome,
            exit_code: None,
            signal: None,
            duration_ms: 5,
            error: None
        }),
        Just(EventKind::SessionClosed {}),
    ]
}

/// A real hash-chained journal from `(operator index, seconds step, event)`.
fn chain(events: &[(usize, u16, EventKind)]) -> Vec<Rec> {
    let mut prev = GENESIS.to_string();
    let mut secs = 0i64;
    events
        .iter()
        .enumerate()
        .map(|(i, (op, step, ev))| {
            secs += *step as i64;
            let r = Rec::new(&prev, i as u64 + 1, t(secs), ["ana", "bob", "carl"][op % 3], ev);
            prev = r.hash.clone();
            r
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn folding_is_deterministic_incremental_and_survives_a_restart(
        events in proptest::collection::vec((0usize..3, 0u16..600, event()), 0..60),
        split in 0usize..61,
    ) {
        let records = chain(&events);
        let whole = SessionState::from_records(&records);
        // Deterministic: the same records give the same state.
        prop_assert_eq!(&whole, &SessionState::from_records(&records));
        // Any prefix folds, and folding on from it (as a live console does) reaches the same state.
        let split = split.min(records.len());
        let mut live = SessionState::from_records(&records[..split]);
        prop_assert_eq!(live.last_seq, split as u64);
        for r in &records[split..] {
            live.apply(r);
        }
        prop_assert_eq!(&live, &whole);
        // A restart: the records as journal lines, read back, fold to an equal state.
        let reread: Vec<Rec> = records.iter().map(|r| parse_line(&r.to_line()).unwrap()).collect();
        prop_assert_eq!(&reread, &records);
        prop_assert_eq!(&SessionState::from_records(&reread), &whole);
    }
}

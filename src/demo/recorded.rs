//! `warroom demo --replay`: a short, finished go-live with a rollback, written
//! at start into a fresh journal (always the same records, so it verifies
//! like any journal) and opened in the time machine (docs/time-machine.md).

use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::domain::event::{Decision, EventKind, MarkSource, ProbeHealth, RunOutcome, Verdict};
use crate::sources::journal::{Journal, JournalError};

fn auto(criterion: &str, verdict: Verdict, cause: &str) -> EventKind {
    EventKind::CriterionMarked {
        criterion: criterion.into(),
        verdict,
        note: None,
        source: MarkSource::Auto,
        cause: Some(cause.into()),
    }
}

fn probe(id: &str, health: ProbeHealth, cause: Option<&str>) -> EventKind {
    EventKind::ProbeChanged { probe: id.into(), health, cause: cause.map(str::to_string) }
}

fn run(step: &str, n: u32, command: &str) -> [EventKind; 2] {
    [
        EventKind::StepStarted {
            step: step.into(),
            run: n,
            command: command.into(),
            output: format!("runs/step-{step}-{n}.log"),
        },
        EventKind::StepFinished {
            step: step.into(),
            run: n,
            outcome: RunOutcome::Ok,
            exit_code: Some(0),
            signal: None,
            duration_ms: 1_200,
            error: None,
        },
    ]
}

/// (seconds after 10:30:00 UTC, operator, event), in order.
fn script() -> Vec<(i64, &'static str, EventKind)> {
    let opened = EventKind::SessionOpened {
        runbook: "demo-golive".into(),
        title: "Go-live — Alder platform (demo)".into(),
        client: Some("warroom demo --replay".into()),
        path: None,
        runbook_sha256: None,
        outline: None,
    };
    let [pre_s, pre_f] = run("preflight", 1, "./preflight.sh");
    let [bak_s, bak_f] = run("backup", 1, "./backup.sh");
    let [pull_s, pull_f] = run("pull-release", 1, "./pull.sh");
    let [act_s, act_f] = run("activate", 1, "./activate.sh");
    vec![
        (0, "ana", opened),
        (20, "ana", EventKind::StepTicked { step: "announce".into(), done: true }),
        (30, "ana", probe("homepage", ProbeHealth::Up, None)),
        (30, "ana", probe("api", ProbeHealth::Up, None)),
        (31, "ana", auto("homepage-200", Verdict::Pass, "probe homepage UP")),
        (31, "ana", auto("api-up", Verdict::Pass, "probe api UP")),
        (60, "ana", pre_s),
        (62, "ana", pre_f),
        (62, "ana", auto("preflight-clean", Verdict::Pass, "step preflight exited 0")),
        (120, "bob", bak_s),
        (122, "bob", bak_f),
        (122, "bob", auto("backup-taken", Verdict::Pass, "step backup exited 0")),
        (300, "ana", pull_s),
        (301, "ana", pull_f),
        (360, "ana", act_s),
        (361, "ana", act_f),
        (420, "ana", probe("api", ProbeHealth::Down, Some("[STATUS] == 200 failed (500)"))),
        (421, "ana", auto("api-up", Verdict::Fail, "probe api DOWN: [STATUS] == 200 failed (500)")),
        (
            450,
            "ana",
            EventKind::TriggerFired {
                trigger: "api-down".into(),
                propose: "full".into(),
                cause: "probe api DOWN for 30s".into(),
            },
        ),
        (
            480,
            "ana",
            EventKind::IncidentDeclared {
                level: "L1".into(),
                summary: Some("API answers 500 after the switch".into()),
            },
        ),
        (
            540,
            "ana",
            EventKind::DecisionRecorded {
                decision: Decision::Rollback,
                reason: "API down after the switch; no fix in sight".into(),
                recommendation: Some("ROLLBACK (1 critical failing)".into()),
                overrides: vec![],
                supersedes: None,
            },
        ),
        (560, "ana", EventKind::RollbackApproved { rollback: "full".into() }),
        (575, "bob", EventKind::RollbackApproved { rollback: "full".into() }),
        (
            580,
            "bob",
            EventKind::RollbackStarted {
                rollback: "full".into(),
                run: 1,
                command: "./rollback.sh pre-golive".into(),
                output: "runs/rollback-full-1.log".into(),
            },
        ),
        (
            640,
            "bob",
            EventKind::RollbackFinished {
                rollback: "full".into(),
                run: 1,
                outcome: RunOutcome::Ok,
                exit_code: Some(0),
                signal: None,
                duration_ms: 60_000,
                error: None,
            },
        ),
        (660, "ana", probe("api", ProbeHealth::Up, None)),
        (661, "ana", auto("api-up", Verdict::Pass, "probe api UP")),
        (662, "ana", EventKind::TriggerCleared { trigger: "api-down".into() }),
        (720, "ana", EventKind::IncidentResolved { note: Some("rolled back; the old release serves".into()) }),
        (730, "ana", EventKind::NoteAdded { text: "post-mortem Thursday 10:00".into() }),
        (740, "ana", EventKind::SessionClosed {}),
    ]
}

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 30, 0).unwrap()
}

/// Writes the recorded session to `path` (a new file).
pub fn write(path: &Path) -> Result<(), JournalError> {
    let mut j = Journal::open(path)?.journal;
    for (secs, op, ev) in script() {
        j.append(op, start() + Duration::seconds(secs), &ev)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_recorded_go_live_verifies_and_ends_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        super::write(&path).unwrap();
        let v = crate::sources::journal::verify_file(&path).unwrap();
        assert_eq!(v.records, super::script().len() as u64);
        let opened = crate::sources::journal::Journal::open_read_only(&path).unwrap();
        let st = crate::domain::state::SessionState::from_records(&opened.records);
        assert_eq!(st.decision.map(|d| d.decision), Some(crate::domain::event::Decision::Rollback));
        assert!(st.rollbacks["full"].runs[0].finished.is_some());
    }
}

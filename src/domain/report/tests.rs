//! The report from a small session: outages, runs, verdicts, decision,
//! incidents, rollbacks — and that journal text never becomes markup.

use super::*;
use crate::domain::event::{Decision, MarkSource, Verdict};
use crate::domain::fixtures::{record, t};
use crate::domain::loader::load_bytes;

const RUNBOOK: &str = r#"
[runbook]
id = "golive"
title = "Go-live"
timezone = "Europe/Madrid"

[[phase]]
id = "deploy"
title = "Deploy (T-0)"

[[step]]
id = "pull"
phase = "deploy"
title = "Pull the code"
run = "git pull"

[[step]]
id = "smoke"
phase = "deploy"
title = "Smoke tests"
run = "./smoke.sh"

[[criterion]]
id = "home"
title = "Homepage answers 200"
severity = "critical"
on_fail = "rollback"

[[criterion]]
id = "latency"
title = "Response time"
severity = "high"
on_fail = "evaluate"

[[rollback]]
id = "full"
title = "Full rollback"
run = "./rollback.sh"
approvals = 2
"#;

fn runbook() -> Runbook {
    load_bytes(std::path::Path::new("golive.toml"), RUNBOOK.as_bytes()).expect("test runbook is valid").runbook
}

fn mark(c: &str, v: Verdict, note: Option<&str>) -> EventKind {
    EventKind::CriterionMarked {
        criterion: c.into(),
        verdict: v,
        note: note.map(String::from),
        source: MarkSource::Manual,
        cause: None,
    }
}

fn probe(h: ProbeHealth) -> EventKind {
    EventKind::ProbeChanged { probe: "homepage".into(), health: h, cause: Some("503".into()) }
}

fn records() -> Vec<Record> {
    let evs: Vec<(i64, &str, EventKind)> = vec![
        (
            0,
            "ana",
            EventKind::SessionOpened {
                runbook: "golive".into(),
                title: "Go-live".into(),
                client: None,
                path: None,
                runbook_sha256: None,
                outline: None,
            },
        ),
        (
            10,
            "ana",
            EventKind::StepStarted {
                step: "pull".into(),
                run: 1,
                command: "git pull".into(),
                output: "runs/step-pull-1.log".into(),
            },
        ),
        (
            75,
            "ana",
            EventKind::StepFinished {
                step: "pull".into(),
                run: 1,
                outcome: RunOutcome::Failed,
                exit_code: Some(128),
                signal: None,
                duration_ms: 65_000,
                error: None,
            },
        ),
        (100, "bob", probe(ProbeHealth::Down)),
        (400, "bob", probe(ProbeHealth::Up)),
        (500, "bob", probe(ProbeHealth::Down)),
        (600, "ana", mark("home", Verdict::Fail, Some("**bold** [x](http://evil) <b>"))),
        (610, "ana", mark("home", Verdict::Pass, None)),
        (620, "bob", mark("latency", Verdict::Fail, None)),
        (700, "ana", EventKind::IncidentDeclared { level: "L1".into(), summary: Some("checkout 500s".into()) }),
        (760, "bob", EventKind::IncidentAcknowledged { level: "L1".into() }),
        (800, "ana", EventKind::RollbackApproved { rollback: "full".into() }),
        (805, "bob", EventKind::RollbackApproved { rollback: "full".into() }),
        (
            810,
            "ana",
            EventKind::RollbackStarted {
                rollback: "full".into(),
                run: 1,
                command: "./rollback.sh".into(),
                output: "runs/rollback-full-1.log".into(),
            },
        ),
        (
            900,
            "ana",
            EventKind::RollbackFinished {
                rollback: "full".into(),
                run: 1,
                outcome: RunOutcome::Ok,
                exit_code: Some(0),
                signal: None,
                duration_ms: 90_000,
                error: None,
            },
        ),
        (
            910,
            "ana",
            EventKind::DecisionRecorded {
                decision: Decision::Rollback,
                reason: "latency".into(),
                recommendation: Some("FIX ≤30m OR ROLLBACK".into()),
                overrides: vec![],
                supersedes: None,
            },
        ),
        (920, "carl", EventKind::NoteAdded { text: "pwn\u{1b}]0;title\u{7} | cell".into() }),
    ];
    let mut rs: Vec<Record> =
        evs.iter().enumerate().map(|(i, (s, op, ev))| record(i as u64 + 1, t(*s), op, ev)).collect();
    let mut future = record(rs.len() as u64 + 1, t(930), "dan", &EventKind::NoteAdded { text: "x".into() });
    future.kind = "future.thing".into();
    rs.push(future);
    rs
}

#[test]
fn summary_sections_from_the_records() {
    let rb = runbook();
    let r = build(Some(&rb), &records());
    assert_eq!(r.runbook_id.as_deref(), Some("golive"));
    assert_eq!(r.timezone.as_deref(), Some("Europe/Madrid"));
    assert_eq!(r.records, 18);
    assert_eq!(r.duration.as_deref(), Some("15m 30s"));
    assert_eq!(
        r.operators.iter().map(|o| (o.operator.as_str(), o.acts)).collect::<Vec<_>>(),
        [("ana", 10), ("bob", 6), ("carl", 1), ("dan", 1)]
    );
    assert_eq!(r.unknown_records, 1);

    // Probe outages: one closed span of 5 minutes, one still open.
    assert_eq!(r.probe_outages.len(), 2);
    assert_eq!(r.probe_outages[0].duration.as_deref(), Some("5m 00s"));
    assert!(r.probe_outages[1].up_at.is_none());

    // Steps by phase with durations and exit codes.
    let deploy = &r.phases[0];
    assert_eq!(deploy.title, "Deploy (T-0)");
    assert_eq!(
        deploy.steps.iter().map(|s| (s.id.as_str(), s.status.as_str())).collect::<Vec<_>>(),
        [("pull", "failed"), ("smoke", "not started")]
    );
    let run = &deploy.steps[0].runs[0];
    assert_eq!((run.exit_code, run.duration.as_deref(), run.by.as_str()), (Some(128), Some("1m 05s"), "ana"));
    assert_eq!(deploy.duration.as_deref(), Some("1m 05s"));

    // Checklist in severity order, with who/when and the history of a changed verdict.
    assert_eq!(
        r.checklist.iter().map(|c| (c.id.as_str(), c.verdict.as_str())).collect::<Vec<_>>(),
        [("home", "pass"), ("latency", "fail")]
    );
    assert_eq!(r.checklist[0].history.len(), 2);
    assert_eq!(r.checklist[1].by.as_deref(), Some("bob"));

    // Recommendation now, and the decision with what was recommended at the time.
    assert_eq!(r.recommendation.as_ref().unwrap().label, "FIX ≤30m OR ROLLBACK");
    let d = r.decision.as_ref().unwrap();
    assert_eq!((d.decision.as_str(), d.by.as_str()), ("ROLLBACK", "ana"));

    assert_eq!(r.incidents[0].levels[0].acknowledged_by.as_deref(), Some("bob"));
    assert_eq!(r.approvals.iter().map(|a| a.by.as_str()).collect::<Vec<_>>(), ["ana", "bob"]);
    assert_eq!(r.rollbacks[0].runs[0].outcome.as_deref(), Some("ok"));
    assert!(r.timeline[17].what.contains("does not know"));
}

#[test]
fn markdown_shows_times_in_both_zones_and_text_literally() {
    let rb = runbook();
    let md = markdown::render(&build(Some(&rb), &records()));
    assert!(md.contains("# Session report — Go-live (golive)"), "{md}");
    assert!(md.contains("2026-02-12 06:00:00 UTC (07:00:00 CET)"), "{md}");
    assert!(md.contains("✗ FAIL") && md.contains("✓ PASS"), "{md}");
    assert!(md.contains("exit code 128"), "{md}");
    assert!(md.contains("\\*\\*bold\\*\\* \\[x\\](http://evil) \\<b\\>"), "{md}");
    assert!(md.contains("\\| cell"), "{md}");
    assert!(!md.contains('\u{1b}') && !md.contains('\u{7}'), "{md:?}");
    for section in [
        "## Decision",
        "## Checklist",
        "## Phases and steps",
        "## Probe outages",
        "## Incidents",
        "## Rollbacks",
        "## Notes",
        "## Timeline",
    ] {
        assert!(md.contains(section), "{section} missing");
    }
}

#[test]
fn json_has_the_same_facts_and_journal_times() {
    let v = serde_json::to_value(build(None, &records())).unwrap();
    assert_eq!(v["runbook_id"], "golive", "found from session.opened");
    assert_eq!(v["started"], "2026-02-12T06:00:00.000Z");
    assert_eq!(v["phases"][0]["steps"][0]["runs"][0]["exit_code"], 128);
    assert_eq!(v["probe_outages"][0]["duration"], "5m 00s");
    assert!(v["recommendation"].is_null(), "no runbook, no recommendation");
    assert!(!v.to_string().contains("\\u001b"));
}

#[test]
fn an_empty_journal_gives_an_empty_report() {
    let r = build(None, &[]);
    assert_eq!(r.records, 0);
    let md = markdown::render(&r);
    assert!(md.contains("(unknown runbook)") && md.contains("No decision recorded"));
}

#[test]
fn a_record_written_late_says_so_in_the_timeline() {
    let down = EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Down, cause: None };
    let mut r = record(1, t(0), "ana", &down);
    crate::domain::late::mark_written_late(&mut r, t(90));
    let report = build(Some(&runbook()), &[r]);
    let what = &report.timeline[0].what;
    assert!(what.contains("written late, at 2026-") && what.contains("refused writes"), "{what}");
}

#[test]
fn a_command_with_backticks_cannot_close_its_code_block() {
    let block = markdown::code_block("echo ```done```\nls", "sh", "  ");
    assert_eq!(block, "  ````sh\n  echo ```done```\n  ls\n  ````\n");
    assert_eq!(markdown::code_block("plain", "text", ""), "```text\nplain\n```\n");
}

#[test]
fn without_the_runbook_the_recorded_outline_gives_titles_phases_and_order() {
    let rb = runbook();
    let mut rs = records();
    rs[0] = record(
        1,
        t(0),
        "ana",
        &EventKind::SessionOpened {
            runbook: "golive".into(),
            title: "Go-live".into(),
            client: None,
            path: None,
            runbook_sha256: Some("ab".repeat(32)),
            outline: Some(Box::new(crate::domain::session_runbook::Outline::of(&rb))),
        },
    );
    let with = build(Some(&rb), &rs);
    let without = build(None, &rs);
    let titles = |r: &Report| {
        (
            r.phases
                .iter()
                .map(|p| (p.title.clone(), p.steps.iter().map(|s| s.title.clone()).collect::<Vec<_>>()))
                .collect::<Vec<_>>(),
            r.checklist.iter().map(|c| (c.title.clone(), c.severity.clone())).collect::<Vec<_>>(),
            r.rollbacks.iter().map(|r| r.title.clone()).collect::<Vec<_>>(),
            r.timezone.clone(),
        )
    };
    assert_eq!(titles(&without), titles(&with));
    assert!(without.recommendation.is_none(), "no runbook, no recommendation");
}

/// Declared SEV0 then changed to SEV1: the report says it was declared SEV0
/// and when, by whom, it became SEV1 — not "declared (SEV1)".
#[test]
fn a_severity_change_is_told_after_the_declared_one() {
    let evs = [
        EventKind::IncidentDeclared { level: "L1".into(), summary: Some("payments".into()) },
        EventKind::IncidentSeverity { severity: "SEV0".into() },
        EventKind::IncidentSeverity { severity: "SEV1".into() },
    ];
    let who = ["ben", "ben", "cli"];
    let records: Vec<Record> =
        evs.iter().enumerate().map(|(i, ev)| record(i as u64 + 1, t(i as i64 * 60), who[i], ev)).collect();
    let r = build(None, &records);
    assert_eq!(r.incidents[0].severity.as_deref(), Some("SEV1"));
    let md = markdown::render(&r);
    assert!(md.contains("- Declared (SEV0) by ben"), "{md}");
    assert!(md.contains("  - severity SEV0 → SEV1 by cli at"), "{md}");
}

/// The handover dialog shows Markdown without its escapes: `unescape` undoes `md`.
#[test]
fn unescaped_markdown_reads_as_the_text() {
    for s in ["[STATUS] == 200: got 500", "a\\b *c* <d> |e| ~f~ &g `h` _i_", "plain", "ends with \\"] {
        assert_eq!(markdown::unescape(&markdown::md(s)), s);
    }
}

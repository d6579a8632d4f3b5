//! Plain mode through a go-live going wrong (docs/console.md, "One clock" and
//! "Plain mode"): the real binary on tests/fixtures/plain-live.toml, errors
//! written to the log it follows, an incident declared from another shell.
//! Plain mode fails the "no errors" criterion by itself, escalates when nobody
//! acknowledges, and raises the error-rate alarm — each printed as a line and
//! each journaled as the console's own automatic act.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use warroom::domain::event::{EventKind, MarkSource, Verdict};
use warroom::domain::record::{parse_line, Record};

use super::plain_clock::{append, Plain};

fn records(journal: &Path) -> Vec<Record> {
    let body = std::fs::read_to_string(journal).expect("the journal exists");
    body.lines().map(|l| parse_line(l).expect("a valid journal line")).collect()
}

/// The position in the journal of the first record `pred` accepts; `what` names it if there is none.
fn find(records: &[Record], what: &str, pred: impl Fn(&Record, EventKind) -> bool) -> usize {
    records.iter().position(|r| r.event().is_some_and(|ev| pred(r, ev))).unwrap_or_else(|| {
        let kinds: Vec<&str> = records.iter().map(|r| r.kind.as_str()).collect();
        panic!("no {what} in the journal; it holds {kinds:?}")
    })
}

#[test]
fn plain_mode_fails_the_log_criterion_escalates_and_raises_the_error_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain-live.toml");
    // The log's path is relative to the runbook's folder: this test's own.
    let runbook = dir.path().join("plain-live.toml");
    std::fs::copy(&fixture, &runbook).unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(&log, "INFO started\n").unwrap();
    let journal = dir.path().join("journal.jsonl");

    let mut p = Plain::start(&runbook, &journal, dir.path());
    p.wait_for("critical no-errors: PENDING");
    p.append_until(&log, "INFO all quiet", "marked no-errors PASS automatically");

    // Errors arrive: the criterion fails on its own.
    append(&log, "ERROR checkout: payment gateway timed out");
    p.wait_for("ana: marked no-errors FAIL automatically (log app: 1 error in 1m (max 0))");

    // The on-call declares an incident from their own shell; nobody acknowledges it.
    let declared = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("incident")
        .arg(&runbook)
        .args(["declare", "--operator", "bob", "--summary", "checkout errors", "--journal"])
        .arg(&journal)
        .env("WARROOM_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(declared.status.success(), "{}", String::from_utf8_lossy(&declared.stderr));
    p.wait_for("bob: declared an incident: checkout errors (level L1)");
    p.wait_for("ana: noted the escalation to L2 (its time was up)");
    p.wait_for("note: no acknowledgement in time: escalated to L2");

    // The trigger counts whole clock minutes: it fires once the error's minute has ended.
    p.wait_for_within(
        "ALARM error-storm: log app: errors in the last minute: 1 (rule: ≥ 1/min for 1m) — proposes rollback full",
        Duration::from_secs(150),
    );

    // What `status` says now: the incident at its new level, the alarm, the recommendation.
    p.type_line("status");
    p.wait_for("INCIDENT declared by bob at");
    let printed = p.printed();
    assert!(printed.contains(", level L2: checkout errors"), "{printed}");
    assert!(printed.contains("critical no-errors: FAIL (auto at"), "{printed}");
    assert!(printed.contains("recommendation: ROLLBACK"), "{printed}");
    p.quit();

    // The journal holds each as the plain console's automatic act, in order.
    let recs = records(&journal);
    let failed = find(&recs, "automatic FAIL of no-errors", |_, ev| {
        matches!(ev, EventKind::CriterionMarked { criterion, verdict: Verdict::Fail, source: MarkSource::Auto, .. }
            if criterion == "no-errors")
    });
    let declared = find(&recs, "incident declared by bob", |r, ev| {
        r.operator == "bob" && matches!(ev, EventKind::IncidentDeclared { level, .. } if level == "L1")
    });
    let escalated = find(&recs, "automatic escalation to L2", |r, ev| {
        r.operator == "ana" && matches!(ev, EventKind::IncidentEscalated { level, automatic: true } if level == "L2")
    });
    let fired = find(&recs, "error-storm fired", |_, ev| match ev {
        EventKind::TriggerFired { trigger, propose, .. } => trigger == "error-storm" && propose == "full",
        _ => false,
    });
    assert!(failed < declared && declared < escalated, "out of order: {failed}, {declared}, {escalated}");
    assert!(failed < fired, "the alarm before the errors: {failed}, {fired}");
    find(&recs, "session.closed", |_, ev| matches!(ev, EventKind::SessionClosed {}));
}

//! Test-only builders shared by the domain's unit tests: a small runbook and a
//! session folded from events stamped with explicit times (no clock reads).

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};

use super::duration::Dur;
use super::event::EventKind;
use super::record::Record;
use super::runbook::{
    Confirm, Criterion, CriterionOnFail, Escalation, EscalationLevel, EscalationStart, Rollback, Runbook, Severity,
    Trigger, TriggerWhen,
};
use super::state::SessionState;

/// 2026-02-12 06:00:00 UTC + `secs`.
pub fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap() + chrono::Duration::seconds(secs)
}

/// A criterion checked by hand, with nothing optional set.
pub fn criterion(id: &str, severity: Severity) -> Criterion {
    Criterion {
        id: id.into(),
        title: format!("Criterion {id}"),
        severity,
        on_fail: CriterionOnFail::Rollback,
        auto: None,
        description: None,
        valid_for: None,
        every: None,
        links: vec![],
        phase: None,
    }
}

pub fn level(name: &str, who: &str, mins: u64) -> EscalationLevel {
    EscalationLevel { name: name.into(), who: who.into(), respond_within: Dur::from_secs(mins * 60), when: None }
}

/// L1 30m, L2 15m, L3 5m (the example in docs/runbook-format.md).
pub fn escalation(start: EscalationStart) -> Escalation {
    Escalation {
        start,
        levels: vec![
            level("L1", "Dev on-call", 30),
            level("L2", "Dev Lead + DevOps", 15),
            level("L3", "Whole team", 5),
        ],
    }
}

pub fn rollback(id: &str, approvals: u32) -> Rollback {
    Rollback {
        id: id.into(),
        title: format!("Rollback {id}"),
        run: "./rollback.sh".into(),
        confirm: Confirm::Type,
        approvals,
        timeout: None,
        approve: vec![],
        fire: vec![],
        // Name-level, so tests can fold approvals by name; loaded runbooks default to `User`.
        distinct: super::runbook::Distinct::Operator,
        rehearse: None,
    }
}

pub fn trigger(id: &str, when: TriggerWhen, propose: &str) -> Trigger {
    Trigger { id: id.into(), title: format!("Trigger {id}"), when, propose: propose.into() }
}

pub fn runbook() -> Runbook {
    Runbook {
        title: "Go-live — platform".into(),
        timezone: Some(chrono_tz::Europe::Madrid),
        vars: BTreeMap::from([("commit".to_string(), "abc123".to_string())]),
        escalation: Some(escalation(EscalationStart::OnIncident)),
        rollbacks: vec![rollback("full", 2), rollback("cache", 1)],
        ..empty_runbook()
    }
}

/// A runbook `golive` with nothing in it; tests fill in what they need with
/// `Runbook { criteria, ..empty_runbook() }`.
pub fn empty_runbook() -> Runbook {
    Runbook {
        path: PathBuf::from("golive.toml"),
        dir: PathBuf::from("."),
        id: "golive".into(),
        title: "Go-live".into(),
        timezone: None,
        vars: BTreeMap::new(),
        phases: vec![],
        steps: vec![],
        probes: vec![],
        logs: vec![],
        criteria: vec![],
        escalation: None,
        rollbacks: vec![],
        triggers: vec![],
        templates: vec![],
        access: Default::default(),
        severities: vec![],
        shifts: vec![],
        channels: vec![],
        t0: None,
        session: Default::default(),
        secret_vars: Default::default(),
        redact: vec![],
    }
}

/// One journal record (hash fields are not checked by the fold).
pub fn record(seq: u64, at: DateTime<Utc>, operator: &str, ev: &EventKind) -> Record {
    let (kind, data) = ev.to_parts();
    Record {
        seq,
        ts: at,
        operator: operator.into(),
        user: None,
        key: None,
        kind,
        data,
        prev: String::new(),
        hash: String::new(),
        sig: None,
    }
}

/// Folds `(seconds after t(0), operator, event)` in order.
pub fn session(events: &[(i64, &str, EventKind)]) -> SessionState {
    let records: Vec<Record> =
        events.iter().enumerate().map(|(i, (s, op, ev))| record(i as u64 + 1, t(*s), op, ev)).collect();
    SessionState::from_records(&records)
}

pub fn opened() -> EventKind {
    EventKind::SessionOpened {
        runbook: "golive".into(),
        title: "Go-live".into(),
        client: None,
        path: None,
        runbook_sha256: None,
        outline: None,
    }
}

/// `examples/golive-platform.toml`, loaded: probes, logs, steps and triggers to name.
pub fn example_runbook() -> Runbook {
    let text = include_str!("../../examples/golive-platform.toml");
    match super::loader::load_bytes(std::path::Path::new("golive-platform.toml"), text.as_bytes()) {
        Ok(l) => l.runbook,
        Err(d) => panic!("the example runbook must load: {d:?}"),
    }
}

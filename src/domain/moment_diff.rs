//! What changed between two moments of a session (docs/time-machine.md):
//! verdicts, step and rollback runs, probe health, decisions, incidents and
//! alarms, each with who did it and when. Pure: two folded states in, lines out.

use chrono::{DateTime, Utc};

use super::event::ProbeHealth;
use super::record::Record;
use super::state::{RunRecord, SessionState, StepStatus};

/// One change, as a line a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// `verdict`, `step`, `rollback`, `probe`, `decision`, `incident`, `alarm`.
    pub what: &'static str,
    pub at: Option<DateTime<Utc>>,
    pub by: Option<String>,
    pub text: String,
}

fn hms(t: &DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

fn status_word(s: StepStatus) -> &'static str {
    match s {
        StepStatus::NotStarted => "TODO",
        StepStatus::Running => "RUNNING",
        StepStatus::Succeeded => "OK",
        StepStatus::Failed => "FAILED",
        StepStatus::TimedOut => "TIMED OUT",
        StepStatus::Aborted => "ABORTED",
        StepStatus::Done => "DONE",
    }
}

fn health_word(h: Option<ProbeHealth>) -> &'static str {
    match h {
        Some(ProbeHealth::Up) => "UP",
        Some(ProbeHealth::Down) => "DOWN",
        None => "unknown",
    }
}

fn last_run_by(runs: &[RunRecord]) -> (Option<String>, Option<DateTime<Utc>>) {
    match runs.last() {
        Some(r) => (Some(r.started_by.clone()), Some(r.finished.as_ref().map_or(r.started_at, |f| f.at))),
        None => (None, None),
    }
}

/// Every change `records` make, folded one by one from `before`, in the
/// journal's order: a probe that went DOWN and came back UP is two changes
/// (comparing only the two ends would show none), each with the value it
/// had just before.
pub fn changes_over(before: &SessionState, records: &[Record]) -> Vec<Change> {
    let mut state = before.clone();
    let mut out = Vec::new();
    for r in records {
        let previous = state.clone();
        state.apply(r);
        out.extend(changes(&previous, &state));
    }
    out
}

/// Everything that differs from `before` in `after`, in time order.
pub fn changes(before: &SessionState, after: &SessionState) -> Vec<Change> {
    const KINDS: [Kind; 7] = [verdicts, steps, rollbacks, probes, decisions, incidents, alarms];
    let mut out = Vec::new();
    for kind in KINDS {
        kind(before, after, &mut out);
    }
    // Stable: changes at the same time keep the order of KINDS.
    out.sort_by_key(|c| c.at);
    out
}

/// Adds the changes of one kind from `before` to `after`.
type Kind = fn(&SessionState, &SessionState, &mut Vec<Change>);

fn verdicts(before: &SessionState, after: &SessionState, out: &mut Vec<Change>) {
    for (id, c) in &after.criteria {
        let old = before.criteria.get(id).map(|c| c.verdict).unwrap_or_default();
        if old != c.verdict {
            let how = match &c.cause {
                Some(cause) => format!(" ({cause})"),
                None => c.note.as_ref().map(|n| format!(" (note: {n})")).unwrap_or_default(),
            };
            out.push(Change {
                what: "verdict",
                at: c.at,
                by: c.by.clone(),
                text: format!(
                    "criterion {id}: {} → {}{how}",
                    old.as_str().to_uppercase(),
                    c.verdict.as_str().to_uppercase()
                ),
            });
        }
    }
}

/// A step whose status or number of runs changed; a tick is told by whoever
/// ticked it, a run by whoever started the last one.
fn steps(before: &SessionState, after: &SessionState, out: &mut Vec<Change>) {
    for (id, s) in &after.steps {
        let old = before.steps.get(id);
        let (old_status, old_runs) = old.map_or((StepStatus::NotStarted, 0), |o| (o.status(), o.runs.len()));
        if old_status != s.status() || old_runs != s.runs.len() {
            let (by, at) = match (&s.ticked, s.runs.len() > old_runs) {
                (Some((_, by, at)), false) => (Some(by.clone()), Some(*at)),
                _ => last_run_by(&s.runs),
            };
            let runs = s.runs.len() - old_runs.min(s.runs.len());
            let runs = if runs > 0 { format!(" ({runs} run(s))") } else { String::new() };
            out.push(Change {
                what: "step",
                at,
                by,
                text: format!("step {id}: {} → {}{runs}", status_word(old_status), status_word(s.status())),
            });
        }
    }
}

/// A rollback run that started or ended.
fn rollbacks(before: &SessionState, after: &SessionState, out: &mut Vec<Change>) {
    for (id, r) in &after.rollbacks {
        let old_runs = before.rollbacks.get(id).map_or(0, |o| o.runs.len());
        let old_fin = before.rollbacks.get(id).and_then(|o| o.runs.last()).map(|r| r.finished.is_some());
        let new_fin = r.runs.last().map(|r| r.finished.is_some());
        if old_runs != r.runs.len() || old_fin != new_fin {
            let (by, at) = last_run_by(&r.runs);
            let state = match r.runs.last().and_then(|l| l.finished.as_ref()) {
                Some(f) => f.outcome.label().to_string(),
                None => "running".into(),
            };
            out.push(Change { what: "rollback", at, by, text: format!("rollback {id}: run {} {state}", r.runs.len()) });
        }
    }
}

fn probes(before: &SessionState, after: &SessionState, out: &mut Vec<Change>) {
    for (id, p) in &after.probes {
        let old = before.probes.get(id).map(|o| o.health);
        if old != Some(p.health) {
            let cause = p.cause.as_ref().map(|c| format!(" ({c})")).unwrap_or_default();
            out.push(Change {
                what: "probe",
                at: Some(p.at),
                by: None,
                text: format!("probe {id}: {} → {}{cause}", health_word(old), health_word(Some(p.health))),
            });
        }
    }
}

fn decisions(before: &SessionState, after: &SessionState, out: &mut Vec<Change>) {
    // `decisions` holds the superseded ones, `decision` the one standing: all, in order.
    let all = |s: &SessionState| s.decisions.len() + usize::from(s.decision.is_some());
    for d in after.decisions.iter().chain(after.decision.iter()).skip(all(before)) {
        out.push(Change {
            what: "decision",
            at: Some(d.at),
            by: Some(d.by.clone()),
            text: format!("decision {}: {}", d.decision.as_str(), d.reason),
        });
    }
}

/// The incident open at `after`: declared, escalated, resolved since `before`.
fn incidents(before: &SessionState, after: &SessionState, out: &mut Vec<Change>) {
    let Some(inc) = &after.incident else { return };
    let incidents = |s: &SessionState| s.past_incidents.len() + usize::from(s.incident.is_some());
    let declared = incidents(after) > incidents(before);
    if declared {
        out.push(Change {
            what: "incident",
            at: Some(inc.declared.at),
            by: Some(inc.declared.by.clone()),
            text: format!("incident declared{}", inc.summary.as_ref().map(|s| format!(": {s}")).unwrap_or_default()),
        });
    }
    // A new incident's first level comes with its declaration.
    let from = if declared { 1 } else { before.incident.as_ref().map_or(0, |i| i.levels.len()) };
    for l in inc.levels.iter().skip(from) {
        let how = if l.automatic { "automatically" } else { "by hand" };
        out.push(Change {
            what: "incident",
            at: Some(l.since),
            by: None,
            text: format!("incident escalated to {} ({how})", l.level),
        });
    }
    if let Some(r) = &inc.resolved {
        if before.incident.as_ref().and_then(|b| b.resolved.as_ref()).is_none() {
            out.push(Change {
                what: "incident",
                at: Some(r.at),
                by: Some(r.by.clone()),
                text: "incident resolved".into(),
            });
        }
    }
}

/// A rollback trigger that fired (again) or cleared.
fn alarms(before: &SessionState, after: &SessionState, out: &mut Vec<Change>) {
    for (id, t) in &after.triggers {
        let old = before.triggers.get(id);
        if old.map(|o| (o.fired_at, o.cleared_at)) != Some((t.fired_at, t.cleared_at)) {
            let (at, text) = match t.cleared_at {
                Some(c) if old.is_some_and(|o| o.fired_at == t.fired_at) => (c, format!("alarm {id} cleared")),
                _ => (t.fired_at, format!("alarm {id} fired, proposing rollback {}: {}", t.propose, t.cause)),
            };
            out.push(Change { what: "alarm", at: Some(at), by: None, text });
        }
    }
}

/// One change as a line: `06:14:03  verdict   criterion x: PASS → FAIL — by ana`.
pub fn line(c: &Change) -> String {
    let at = c.at.as_ref().map(hms).unwrap_or_else(|| "--:--:--".into());
    let by = c.by.as_ref().map(|b| format!(" — by {b}")).unwrap_or_default();
    format!("{at}  {:<9} {}{by}", c.what, c.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventKind, MarkSource, Verdict};
    use chrono::TimeZone;

    #[test]
    fn a_verdict_change_names_the_criterion_and_who() {
        let at = Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap();
        let before = SessionState::default();
        let mut after = SessionState::default();
        after.apply_event(
            "ana",
            at,
            EventKind::CriterionMarked {
                criterion: "homepage-200".into(),
                verdict: Verdict::Fail,
                note: None,
                source: MarkSource::Manual,
                cause: None,
            },
        );
        let got: Vec<String> = changes(&before, &after).iter().map(line).collect();
        assert_eq!(got, vec!["06:00:00  verdict   criterion homepage-200: PENDING → FAIL — by ana"]);
        assert!(changes(&after, &after).is_empty());
    }

    /// An outage that began and ended between the two moments is still told:
    /// DOWN then UP, each from the value just before.
    #[test]
    fn a_change_and_its_undoing_are_both_told() {
        let at = |s: i64| Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap() + chrono::Duration::seconds(s);
        let probe = |h: ProbeHealth| EventKind::ProbeChanged { probe: "api".into(), health: h, cause: None };
        let records = [
            crate::domain::fixtures::record(1, at(0), "ana", &probe(ProbeHealth::Up)),
            crate::domain::fixtures::record(2, at(10), "ana", &probe(ProbeHealth::Down)),
            crate::domain::fixtures::record(3, at(50), "ana", &probe(ProbeHealth::Up)),
        ];
        let before = SessionState::from_records(&records[..1]);
        let lines: Vec<String> = changes_over(&before, &records[1..]).iter().map(|c| c.text.clone()).collect();
        assert_eq!(lines, ["probe api: UP → DOWN", "probe api: DOWN → UP"]);
        assert!(changes(&before, &SessionState::from_records(&records)).is_empty(), "the two ends alone show nothing");
    }
}

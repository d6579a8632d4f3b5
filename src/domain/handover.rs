//! The handover (docs/incident.md): what changed in the session since a
//! time, what is still open, and who is on next — built from the journal's
//! records and the runbook, rendered as Markdown fit to paste into a chat or
//! ticket, or as JSON. Pure: the records and `now` are passed in.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::event::{EventKind, ProbeHealth, Verdict};
use super::record::Record;
use super::report::markdown::md;
use super::report::text::{describe, printable};
use super::report::Ts;
use super::runbook::{Runbook, Severity};
use super::severity;
use super::shift::{self, OnDuty};
use super::state::{SessionState, StepStatus};
use super::{countdown, expiry};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Change {
    pub at: Ts,
    pub by: String,
    pub what: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Section {
    pub title: String,
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ShiftReport {
    pub role: String,
    pub who: String,
    pub start: Ts,
    pub end: Ts,
}

impl ShiftReport {
    fn of(o: &OnDuty) -> ShiftReport {
        ShiftReport { role: printable(&o.shift.role), who: printable(&o.shift.who), start: Ts(o.start), end: Ts(o.end) }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Handover {
    pub runbook_id: String,
    pub title: String,
    pub since: Ts,
    pub until: Ts,
    #[serde(skip)]
    pub tz: Option<chrono_tz::Tz>,
    pub current_shift: Option<ShiftReport>,
    pub next_shift: Option<ShiftReport>,
    /// Only sections with something in them, in a fixed order.
    pub changed: Vec<Section>,
    /// What the incoming person inherits, one sentence each.
    pub open: Vec<String>,
}

/// Sections in the order they are written, and which events go in each.
const SECTIONS: &[&str] = &[
    "Decisions",
    "Incidents",
    "Failing criteria",
    "Expired criteria",
    "Runs",
    "Probes",
    "Alarms",
    "Messages",
    "Notes",
];
/// Where expired verdicts go (not events: they expire with time, `domain::expiry`).
const EXPIRED: usize = 3;

fn section_of(ev: &EventKind) -> Option<usize> {
    Some(match ev {
        EventKind::DecisionRecorded { .. } => 0,
        EventKind::IncidentDeclared { .. }
        | EventKind::IncidentEscalated { .. }
        | EventKind::IncidentAcknowledged { .. }
        | EventKind::IncidentResolved { .. }
        | EventKind::IncidentSeverity { .. }
        | EventKind::IncidentMitigated { .. } => 1,
        EventKind::CriterionMarked { verdict: Verdict::Fail, .. } => 2,
        EventKind::StepFinished { .. } | EventKind::RollbackStarted { .. } | EventKind::RollbackFinished { .. } => 4,
        EventKind::ProbeChanged { .. } => 5,
        EventKind::TriggerFired { .. } | EventKind::TriggerCleared { .. } => 6,
        EventKind::MessageSent { .. } | EventKind::MessageFailed { .. } => 7,
        EventKind::NoteAdded { .. } | EventKind::HandoverAcknowledged { .. } | EventKind::T0Set { .. } => 8,
        _ => return None,
    })
}

/// The default start: the current shift's start, else the session's first record.
pub fn default_since(runbook: &Runbook, records: &[Record], now: DateTime<Utc>) -> DateTime<Utc> {
    shift::current(runbook, now).map(|o| o.start).or(records.first().map(|r| r.ts)).unwrap_or(now)
}

pub fn build(runbook: &Runbook, records: &[Record], since: DateTime<Utc>, now: DateTime<Utc>) -> Handover {
    let mut state = SessionState::from_records(records);
    // Evidence that went stale is PENDING again, as the console shows it.
    let t0 = countdown::t0(runbook, &state);
    expiry::apply(&mut state, runbook, t0, now);
    let mut sections: Vec<Section> =
        SECTIONS.iter().map(|t| Section { title: t.to_string(), changes: Vec::new() }).collect();
    for r in records.iter().filter(|r| r.ts >= since) {
        let Some(ev) = r.event() else { continue };
        if let Some(i) = section_of(&ev) {
            sections[i].changes.push(Change { at: Ts(r.ts), by: printable(&r.operator), what: describe(&ev) });
        }
    }
    for (id, c) in &state.criteria {
        let Some(e) = &c.expired else { continue };
        let at = e.since(t0);
        if at >= since && at <= now {
            let what = format!("{}: {}", criterion_title(runbook, id), e.describe(runbook.timezone));
            sections[EXPIRED].changes.push(Change { at: Ts(at), by: printable(e.by.as_deref().unwrap_or("?")), what });
        }
    }
    sections[EXPIRED].changes.sort_by_key(|c| c.at.0);
    sections.retain(|s| !s.changes.is_empty());
    Handover {
        runbook_id: printable(&runbook.id),
        title: printable(&runbook.title),
        since: Ts(since),
        until: Ts(now),
        tz: runbook.timezone,
        current_shift: shift::current(runbook, now).as_ref().map(ShiftReport::of),
        next_shift: shift::next(runbook, now).as_ref().map(ShiftReport::of),
        changed: sections,
        open: open_items(runbook, &state, now),
    }
}

fn open_items(runbook: &Runbook, state: &SessionState, now: DateTime<Utc>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(inc) = state.incident.as_ref().filter(|i| i.is_open()) {
        let mut s = format!(
            "Incident open since {} (declared by {}{})",
            inc.declared.at.format("%H:%M UTC"),
            printable(&inc.declared.by),
            inc.summary.as_ref().map(|s| format!(": {}", printable(s))).unwrap_or_default()
        );
        if let Some(sev) = inc.severity() {
            s.push_str(&format!(", {}", printable(sev)));
        }
        if let Some(c) = severity::clocks(runbook, inc, now) {
            s.push_str(&format!("; ack {}, mitigation {}", severity::describe(c.ack), severity::describe(c.mitigate)));
            if let Some(u) = c.next_update() {
                s.push_str(&format!(", next update {}", severity::describe(u.state)));
            }
        }
        out.push(s);
    }
    for (id, c) in state.criteria.iter().filter(|(_, c)| c.verdict == Verdict::Fail) {
        let title = criterion_title(runbook, id);
        out.push(format!("Criterion failing: {title} (by {})", printable(c.by.as_deref().unwrap_or("?"))));
    }
    for (id, c) in &state.criteria {
        if let Some(e) = &c.expired {
            out.push(format!("Criterion expired: {} — {}", criterion_title(runbook, id), e.describe(runbook.timezone)));
        }
    }
    let pending_critical = runbook
        .criteria
        .iter()
        .filter(|c| c.severity == Severity::Critical && state.verdict(&c.id) == Verdict::Pending)
        .count();
    if pending_critical > 0 {
        out.push(format!("{pending_critical} critical criteria still pending"));
    }
    for (probe, ch) in state.probes.iter().filter(|(_, c)| c.health == ProbeHealth::Down) {
        out.push(format!("Probe {} DOWN since {}", printable(probe), ch.at.format("%H:%M UTC")));
    }
    for (id, t) in state.triggers.iter().filter(|(_, t)| t.cleared_at.is_none()) {
        out.push(format!(
            "Alarm {}: {} (proposes rollback {})",
            printable(id),
            printable(&t.cause),
            printable(&t.propose)
        ));
    }
    // A channel that fails is said, not hidden: the team may not be hearing anything.
    for (id, d) in &state.channels {
        if let Err((status, error)) = &d.result {
            let status = status.map(|s| format!(", HTTP {s}")).unwrap_or_default();
            out.push(format!(
                "Channel {} failing: message {} NOT sent {} at {} ({}{status})",
                printable(id),
                printable(&d.template),
                super::labels::attempts(d.attempts),
                d.at.format("%H:%M UTC"),
                printable(error)
            ));
        }
    }
    for (id, s) in &state.steps {
        if s.status() == StepStatus::Running {
            out.push(format!("Step {} is running", printable(id)));
        }
    }
    for (id, r) in state.rollbacks.iter().filter(|(_, r)| r.running()) {
        let _ = r;
        out.push(format!("Rollback {} is running", printable(id)));
    }
    match &state.decision {
        None => out.push("No GO / NO-GO / ROLLBACK decision recorded yet".into()),
        Some(d) => out.push(format!(
            "Decision in force: {} by {} at {}",
            d.decision.as_str(),
            printable(&d.by),
            d.at.format("%H:%M UTC")
        )),
    }
    out
}

fn criterion_title(runbook: &Runbook, id: &str) -> String {
    printable(runbook.criterion(id).map(|c| c.title.as_str()).unwrap_or(id))
}

fn when(ts: &Ts, tz: Option<chrono_tz::Tz>) -> String {
    let utc = ts.0.format("%H:%M UTC").to_string();
    match tz {
        Some(tz) => format!("{utc} ({})", ts.0.with_timezone(&tz).format("%H:%M %Z")),
        None => utc,
    }
}

fn day_when(ts: &Ts, tz: Option<chrono_tz::Tz>) -> String {
    format!("{} {}", ts.0.format("%Y-%m-%d"), when(ts, tz))
}

/// Markdown fit to paste: a heading, who is on, then each section as a list.
pub fn markdown(h: &Handover) -> String {
    let mut s = format!("# Handover — {}\n\n", md(&h.title));
    s.push_str(&format!("From {} to {}.\n\n", day_when(&h.since, h.tz), day_when(&h.until, h.tz)));
    if let Some(c) = &h.current_shift {
        s.push_str(&format!("- **On duty:** {} ({}) until {}\n", md(&c.role), md(&c.who), when(&c.end, h.tz)));
    }
    match &h.next_shift {
        Some(n) => s.push_str(&format!("- **Next:** {} ({}) from {}\n", md(&n.role), md(&n.who), when(&n.start, h.tz))),
        None => s.push_str("- **Next:** no shift follows in the runbook\n"),
    }
    s.push_str("\n## What changed\n\n");
    if h.changed.is_empty() {
        s.push_str("Nothing was recorded in this period.\n");
    }
    for sec in &h.changed {
        s.push_str(&format!("### {}\n\n", sec.title));
        for c in &sec.changes {
            s.push_str(&format!("- {} {} — {}\n", when(&c.at, h.tz), md(&c.by), md(&c.what)));
        }
        s.push('\n');
    }
    s.push_str("## Open\n\n");
    for o in &h.open {
        s.push_str(&format!("- {}\n", md(o)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Decision, MarkSource, RunOutcome};
    use crate::domain::fixtures::{opened, record, runbook, t};

    fn records(events: &[(i64, &str, EventKind)]) -> Vec<Record> {
        let mut prev = crate::domain::record::GENESIS.to_string();
        let mut out = Vec::new();
        for (i, (at, who, ev)) in events.iter().enumerate() {
            let r = record(i as u64 + 1, t(*at), who, ev);
            let r = Record::new(&prev, r.seq, r.ts, &r.operator, ev);
            prev = r.hash.clone();
            out.push(r);
        }
        out
    }

    #[test]
    fn lists_only_what_changed_since_and_what_is_open() {
        let rb = runbook();
        let recs = records(&[
            (0, "ana", opened()),
            (10, "ana", EventKind::NoteAdded { text: "before the handover".into() }),
            (
                100,
                "ana",
                EventKind::CriterionMarked {
                    criterion: "api".into(),
                    verdict: Verdict::Fail,
                    note: None,
                    source: MarkSource::Manual,
                    cause: None,
                },
            ),
            (
                110,
                "ana",
                EventKind::StepFinished {
                    step: "deploy".into(),
                    run: 1,
                    outcome: RunOutcome::Failed,
                    exit_code: Some(3),
                    signal: None,
                    duration_ms: 2000,
                    error: None,
                },
            ),
            (
                120,
                "bo",
                EventKind::DecisionRecorded {
                    decision: Decision::NoGo,
                    reason: "api *down*".into(),
                    recommendation: None,
                    overrides: vec![],
                    supersedes: None,
                },
            ),
            (130, "bo", EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Down, cause: None }),
        ]);
        let h = build(&rb, &recs, t(50), t(200));
        let titles: Vec<&str> = h.changed.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Decisions", "Failing criteria", "Runs", "Probes"]);
        let md = markdown(&h);
        assert!(!md.contains("before the handover"), "{md}");
        assert!(md.contains("NO-GO: api \\*down\\*"), "markup escaped: {md}");
        assert!(md.contains("step deploy run 1 failed, exit code 3"), "{md}");
        assert!(md.contains("Probe homepage DOWN since 06:02 UTC"), "{md}");
        assert!(md.contains("Decision in force: NO-GO by bo"), "{md}");
    }

    #[test]
    fn expired_evidence_and_a_failing_channel_are_changes_and_open() {
        let mut api = crate::domain::fixtures::criterion("api", Severity::High);
        api.valid_for = Some(crate::domain::duration::Dur::from_secs(60));
        let rb = Runbook { criteria: vec![api], ..runbook() };
        let recs = records(&[
            (0, "ana", opened()),
            (
                10,
                "ana",
                EventKind::CriterionMarked {
                    criterion: "api".into(),
                    verdict: Verdict::Pass,
                    note: None,
                    source: MarkSource::Manual,
                    cause: None,
                },
            ),
            (
                20,
                "ana",
                EventKind::MessageFailed {
                    template: "decision".into(),
                    channel: "golive".into(),
                    on: None,
                    attempts: 4,
                    status: Some(500),
                    error: "HTTP 500".into(),
                },
            ),
        ]);
        // Expired at 70 s: inside [50, 200], so it changed in this period.
        let h = build(&rb, &recs, t(50), t(200));
        let titles: Vec<&str> = h.changed.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Expired criteria"]);
        assert_eq!(h.changed[0].changes[0].at, Ts(t(70)));
        let md = markdown(&h);
        assert!(md.contains("Criterion expired: Criterion api — expired (pass, ticked "), "{md}");
        assert!(md.contains("Channel golive failing: message decision NOT sent after 4 attempts"), "{md}");
        // Before it expired, it is neither.
        let h = build(&rb, &recs, t(0), t(30));
        assert!(!markdown(&h).contains("expired"), "{}", markdown(&h));
        assert!(h.changed.iter().any(|s| s.title == "Messages"));
    }
}

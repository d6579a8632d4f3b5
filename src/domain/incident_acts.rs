//! What an incident act writes, for the console keys and headless
//! `warroom incident` alike (docs/incident.md): declare with a severity,
//! acknowledge, escalate, mark mitigated, resolve, change severity. Each
//! returns the events to journal, or why it is refused. Runbooks without
//! `[[severity]]` keep the plain escalation clock (`domain::escalation`).

use chrono::{DateTime, Utc};

use super::escalation;
use super::event::EventKind;
use super::runbook::{Escalation, EscalationStart, IncidentSeverity, Runbook};
use super::state::{IncidentState, SessionState};

/// Why an act was not done: bad input (unknown severity: exit 2) or refused
/// by the session's state (nothing open, already done: exit 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    BadInput(String),
    Refused(String),
}

impl Refusal {
    pub fn message(&self) -> &str {
        match self {
            Refusal::BadInput(m) | Refusal::Refused(m) => m,
        }
    }
}

/// The ladder the incident follows: its severity's own `escalation`, else the
/// runbook's `[escalation]`.
pub fn ladder_for(runbook: &Runbook, severity: Option<&str>) -> Option<Escalation> {
    let own = severity.and_then(|s| runbook.severity(s)).and_then(|s| s.escalation.clone());
    match own {
        Some(levels) => Some(Escalation { start: EscalationStart::OnIncident, levels }),
        None => runbook.escalation.clone(),
    }
}

/// The runbook as the escalation clock should see it for the current
/// incident: with the severity's ladder in place of `[escalation]`.
pub fn with_ladder(runbook: &Runbook, state: &SessionState) -> Option<Runbook> {
    let sev = state.incident.as_ref().and_then(|i| i.severity())?;
    let own = runbook.severity(sev)?.escalation.clone()?;
    let mut rb = runbook.clone();
    rb.escalation = Some(Escalation { start: EscalationStart::OnIncident, levels: own });
    Some(rb)
}

pub fn find_severity<'a>(runbook: &'a Runbook, id: &str) -> Result<&'a IncidentSeverity, Refusal> {
    runbook.severity(id).ok_or_else(|| {
        let known: Vec<&str> = runbook.severities.iter().map(|s| s.id.as_str()).collect();
        Refusal::BadInput(if known.is_empty() {
            format!("unknown severity \"{id}\": this runbook has no [[severity]] entries (add them, like SEV1 with ack_within, mitigate_within, update_every)")
        } else {
            format!("unknown severity \"{id}\": the runbook's severities are {}", known.join(", "))
        })
    })
}

fn open_incident(state: &SessionState) -> Result<&IncidentState, Refusal> {
    state.incident.as_ref().filter(|i| i.is_open()).ok_or_else(|| {
        Refusal::Refused("no incident declared: press i to declare one (from a script: warroom incident RUNBOOK declare --severity ID --summary TEXT)".into())
    })
}

/// Declares an incident: with a severity, it starts at the first level of the
/// severity's ladder (or the runbook's) and the severity's clocks start.
pub fn declare(
    runbook: &Runbook,
    state: &SessionState,
    severity: Option<&str>,
    summary: Option<String>,
) -> Result<Vec<EventKind>, Refusal> {
    let Some(sev) = severity else {
        // A runbook with severities wants one, as the console's `i` does: an
        // incident without one would start no ack, mitigation or update clock.
        if !runbook.severities.is_empty() {
            return Err(Refusal::BadInput(format!(
                "say how severe it is: --severity one of {}",
                runbook.severities.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
        return escalation::declare(runbook, state, summary).map(|e| vec![e]).map_err(Refusal::Refused);
    };
    let sev = find_severity(runbook, sev)?;
    if let Some(inc) = state.incident.as_ref().filter(|i| i.is_open()) {
        return Err(Refusal::Refused(format!(
            "an incident is already open (declared by {} at {}{}): change its severity, acknowledge or escalate it instead",
            inc.declared.by,
            inc.declared.at.format("%H:%M:%S UTC"),
            inc.severity().map(|s| format!(", {s}")).unwrap_or_default()
        )));
    }
    let level = ladder_for(runbook, Some(&sev.id)).and_then(|l| l.levels.first().map(|l| l.name.clone()));
    Ok(vec![
        EventKind::IncidentDeclared { level: level.unwrap_or_default(), summary },
        EventKind::IncidentSeverity { severity: sev.id.clone() },
    ])
}

/// Acknowledges: the current level's countdown stops, and so does the
/// severity's ack clock.
pub fn acknowledge(runbook: &Runbook, state: &SessionState, now: DateTime<Utc>) -> Result<Vec<EventKind>, Refusal> {
    let rb = with_ladder(runbook, state);
    let rb = rb.as_ref().unwrap_or(runbook);
    if escalation::clock(rb, state, now).is_some() {
        return escalation::acknowledge(rb, state, now).map_err(Refusal::Refused);
    }
    let inc = open_incident(state)?;
    if let Some(a) = inc.first_ack() {
        return Err(Refusal::Refused(format!(
            "the incident was already acknowledged by {} at {}",
            a.by,
            a.at.format("%H:%M:%S UTC")
        )));
    }
    let level = inc.current().map(|l| l.level.clone()).unwrap_or_default();
    Ok(vec![EventKind::IncidentAcknowledged { level }])
}

pub fn escalate(runbook: &Runbook, state: &SessionState, now: DateTime<Utc>) -> Result<Vec<EventKind>, Refusal> {
    let rb = with_ladder(runbook, state);
    let rb = rb.as_ref().unwrap_or(runbook);
    if escalation::clock(rb, state, now).is_none() {
        open_incident(state)?;
        return Err(Refusal::Refused("this incident has no escalation ladder to climb (add [escalation] levels or an escalation list to its [[severity]])".into()));
    }
    escalation::escalate_now(rb, state, now).map_err(Refusal::Refused)
}

pub fn mitigated(state: &SessionState, note: Option<String>) -> Result<Vec<EventKind>, Refusal> {
    let inc = open_incident(state)?;
    if let Some(m) = &inc.mitigated {
        return Err(Refusal::Refused(format!(
            "the incident was already marked mitigated by {} at {}",
            m.by,
            m.at.format("%H:%M:%S UTC")
        )));
    }
    Ok(vec![EventKind::IncidentMitigated { note }])
}

pub fn resolve(
    runbook: &Runbook,
    state: &SessionState,
    now: DateTime<Utc>,
    note: Option<String>,
) -> Result<Vec<EventKind>, Refusal> {
    let rb = with_ladder(runbook, state);
    let rb = rb.as_ref().unwrap_or(runbook);
    if escalation::clock(rb, state, now).is_some() {
        return escalation::resolve(rb, state, now, note).map_err(Refusal::Refused);
    }
    open_incident(state)?;
    Ok(vec![EventKind::IncidentResolved { note }])
}

pub fn change_severity(runbook: &Runbook, state: &SessionState, id: &str) -> Result<Vec<EventKind>, Refusal> {
    let sev = find_severity(runbook, id)?;
    let inc = open_incident(state)?;
    if inc.severity() == Some(sev.id.as_str()) {
        return Err(Refusal::Refused(format!("the incident is already {}", sev.id)));
    }
    Ok(vec![EventKind::IncidentSeverity { severity: sev.id.clone() }])
}

//! `SessionState::apply_event_with`: one event folded in, by the family it
//! belongs to (criteria, steps, incident, triggers, rollbacks, messages…).

use chrono::{DateTime, Utc};

use super::{
    Approval, ChannelDelivery, CriterionState, DecisionRecord, HandoverAck, IncidentLevelEntry, IncidentState,
    MessageEntry, NoteEntry, ProbeChange, RunEnd, RunRecord, SessionState, Stamp, TriggerState,
};
use crate::domain::event::EventKind;
use crate::domain::identity::Actor;

impl SessionState {
    /// Fold one typed event stamped with who and when; `approver` gives the
    /// whole identity (name, user, key) when an approval needs it.
    pub(super) fn apply_event_with(
        &mut self,
        by: &str,
        at: DateTime<Utc>,
        ev: EventKind,
        approver: impl FnOnce() -> Actor,
    ) {
        match ev {
            EventKind::SessionOpened { .. } | EventKind::SessionClosed {} | EventKind::OperatorSwitched { .. } => {}
            EventKind::CriterionMarked { criterion, verdict, note, source, cause } => {
                let by = Some(by.to_string());
                let mark = CriterionState { verdict, by, at: Some(at), note, source, cause, expired: None };
                self.criteria.insert(criterion, mark);
            }
            EventKind::NoteAdded { text } => self.notes.push(NoteEntry { text, by: by.to_string(), at }),
            ev @ (EventKind::StepStarted { .. }
            | EventKind::StepFinished { .. }
            | EventKind::StepTicked { .. }
            | EventKind::StepOverridden { .. }) => self.fold_step(by, at, ev),
            EventKind::ProbeChanged { probe, health, cause } => {
                self.probe_changed(probe, ProbeChange { health, at, cause })
            }
            EventKind::DecisionRecorded { decision, reason, recommendation, overrides, supersedes } => {
                let by = by.to_string();
                self.decide(DecisionRecord { decision, reason, by, at, recommendation, overrides, supersedes })
            }
            ev @ (EventKind::IncidentDeclared { .. }
            | EventKind::IncidentSeverity { .. }
            | EventKind::IncidentMitigated { .. }
            | EventKind::IncidentEscalated { .. }
            | EventKind::IncidentAcknowledged { .. }
            | EventKind::IncidentResolved { .. }) => self.fold_incident(Stamp { by: by.to_string(), at }, ev),
            EventKind::HandoverAcknowledged { since, shift } => {
                self.handovers.push(HandoverAck { since, shift, by: by.to_string(), at });
            }
            ev @ (EventKind::TriggerFired { .. } | EventKind::TriggerCleared { .. }) => self.fold_trigger(at, ev),
            ev @ (EventKind::RollbackApproved { .. }
            | EventKind::RollbackStarted { .. }
            | EventKind::RollbackFinished { .. }) => self.fold_rollback(by, at, ev, approver),
            ev
            @ (EventKind::MessageCopied { .. } | EventKind::MessageSent { .. } | EventKind::MessageFailed { .. }) => {
                self.fold_message(by, at, ev)
            }
            EventKind::T0Set { t0 } => self.t0 = Some(t0),
        }
    }

    /// The probe's health now, and in its history (for the outages in the report).
    fn probe_changed(&mut self, probe: String, ch: ProbeChange) {
        self.probe_history.push((probe.clone(), ch.clone()));
        self.probes.insert(probe, ch);
    }

    /// The decision standing; the one it replaces is kept, in order.
    fn decide(&mut self, d: DecisionRecord) {
        if let Some(old) = self.decision.replace(d) {
            self.decisions.push(old);
        }
    }

    /// Step runs, ticks and overrides. Only step events come here (`apply_event_with`).
    fn fold_step(&mut self, by: &str, at: DateTime<Utc>, ev: EventKind) {
        match ev {
            EventKind::StepStarted { step, run, command, output } => {
                let st = self.steps.entry(step).or_default();
                st.ticked = None;
                start_run(&mut st.runs, run, command, output, by, at);
            }
            EventKind::StepFinished { step, run, outcome, exit_code, signal, duration_ms, error } => {
                let end = RunEnd { at, outcome, exit_code, signal, duration_ms, error };
                finish_run(&mut self.steps.entry(step).or_default().runs, run, end);
            }
            EventKind::StepTicked { step, done } => {
                self.steps.entry(step).or_default().ticked = Some((done, by.to_string(), at));
            }
            EventKind::StepOverridden { step, reason } => {
                self.steps.entry(step).or_default().overridden = Some((reason, by.to_string(), at));
            }
            _ => {}
        }
    }

    /// A declaration opens a new incident (the one before is kept as past);
    /// anything else changes only the incident still open. Only incident
    /// events come here (`apply_event_with`).
    fn fold_incident(&mut self, stamp: Stamp, ev: EventKind) {
        if let EventKind::IncidentDeclared { level, summary } = ev {
            if let Some(old) = self.incident.take() {
                self.past_incidents.push(old);
            }
            let first = IncidentLevelEntry { level, since: stamp.at, automatic: false, acknowledged: None };
            self.incident = Some(IncidentState {
                declared: stamp,
                summary,
                levels: vec![first],
                resolved: None,
                severities: Vec::new(),
                mitigated: None,
                messages: Vec::new(),
            });
            return;
        }
        let Some(inc) = self.incident.as_mut().filter(|i| i.is_open()) else { return };
        match ev {
            EventKind::IncidentSeverity { severity } => inc.severities.push((severity, stamp)),
            EventKind::IncidentMitigated { .. } => {
                inc.mitigated.get_or_insert(stamp);
            }
            EventKind::IncidentEscalated { level, automatic } => {
                inc.levels.push(IncidentLevelEntry { level, since: stamp.at, automatic, acknowledged: None });
            }
            EventKind::IncidentAcknowledged { level } => {
                if let Some(cur) = inc.levels.last_mut().filter(|l| l.level == level) {
                    cur.acknowledged.get_or_insert(stamp);
                }
            }
            EventKind::IncidentResolved { .. } => inc.resolved = Some(stamp),
            _ => {}
        }
    }

    /// Only trigger events come here (`apply_event_with`).
    fn fold_trigger(&mut self, at: DateTime<Utc>, ev: EventKind) {
        match ev {
            EventKind::TriggerFired { trigger, propose, cause } => {
                self.triggers.insert(trigger, TriggerState { fired_at: at, propose, cause, cleared_at: None });
            }
            EventKind::TriggerCleared { trigger } => {
                if let Some(t) = self.triggers.get_mut(&trigger) {
                    t.cleared_at = Some(at);
                }
            }
            _ => {}
        }
    }

    /// Approvals and runs of a rollback. Only rollback events come here (`apply_event_with`).
    fn fold_rollback(&mut self, by: &str, at: DateTime<Utc>, ev: EventKind, approver: impl FnOnce() -> Actor) {
        match ev {
            EventKind::RollbackApproved { rollback } => {
                let rb = self.rollbacks.entry(rollback).or_default();
                rb.approvals.entry(by.to_string()).or_insert(at);
                rb.approved.push(Approval { by: approver(), at });
            }
            EventKind::RollbackStarted { rollback, run, command, output } => {
                start_run(&mut self.rollbacks.entry(rollback).or_default().runs, run, command, output, by, at);
            }
            EventKind::RollbackFinished { rollback, run, outcome, exit_code, signal, duration_ms, error } => {
                let rb = self.rollbacks.entry(rollback).or_default();
                finish_run(&mut rb.runs, run, RunEnd { at, outcome, exit_code, signal, duration_ms, error });
                // A new run of the same rollback needs fresh approvals.
                rb.approvals.clear();
                rb.approved.clear();
            }
            _ => {}
        }
    }

    /// Messages copied, and each channel's last delivery. Only message events
    /// come here (`apply_event_with`).
    fn fold_message(&mut self, by: &str, at: DateTime<Utc>, ev: EventKind) {
        let stamp = || Stamp { by: by.to_string(), at };
        match ev {
            EventKind::MessageCopied { template, text } => {
                self.incident_update(&template, stamp());
                self.messages.push(MessageEntry { template, text, by: by.to_string(), at })
            }
            EventKind::MessageSent { template, channel, attempts, status, .. } => {
                // An update posted to the team's channel is an update, as a copy is.
                self.incident_update(&template, stamp());
                self.channels.insert(channel, ChannelDelivery { template, at, attempts, result: Ok(status) });
            }
            EventKind::MessageFailed { template, channel, attempts, status, error, .. } => {
                self.channels.insert(channel, ChannelDelivery { template, at, attempts, result: Err((status, error)) });
            }
            _ => {}
        }
    }

    /// A message that went out counts as an update of the incident still open.
    fn incident_update(&mut self, template: &str, stamp: Stamp) {
        if let Some(inc) = self.incident.as_mut().filter(|i| i.is_open()) {
            inc.messages.push((template.to_string(), stamp));
        }
    }
}

/// Steps and rollbacks record their process runs the same way.
fn start_run(runs: &mut Vec<RunRecord>, run: u32, command: String, output: String, by: &str, at: DateTime<Utc>) {
    runs.push(RunRecord { run, command, output, started_at: at, started_by: by.to_string(), finished: None });
}

/// Ends the latest run with that number; an end without a start (a journal cut short) is ignored.
fn finish_run(runs: &mut [RunRecord], run: u32, end: RunEnd) {
    if let Some(r) = runs.iter_mut().rev().find(|r| r.run == run) {
        r.finished = Some(end);
    }
}

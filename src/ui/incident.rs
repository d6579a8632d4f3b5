//! The console side of the escalation clock and triggers: keys `i` (declare),
//! `I` (escalate now), `a` (acknowledge), and the per-tick check that journals
//! automatic escalations and trigger alarms. The rules live in
//! `domain::escalation` and `domain::trigger`; this file only turns them into
//! effects and status-line messages.

use chrono::{DateTime, Utc};

use crate::domain::escalation;
use crate::domain::event::EventKind;
use crate::domain::trigger::{self, FnSignals};

use super::app::{App, MsgKind};
use super::effect::Effect;
use super::overlay::confirm::Confirm;
use super::overlay::Overlay;
use super::text::clean;

impl App {
    fn appends(&self, events: Vec<EventKind>) -> Vec<Effect> {
        events.into_iter().map(|event| self.append(event)).collect()
    }

    /// `i`: asks first (naming the level and who it calls), then declares.
    pub fn declare_incident(&mut self) -> Vec<Effect> {
        if !self.writable() {
            return Vec::new();
        }
        match escalation::declare(&self.runbook, &self.state, None) {
            Ok(ev) => {
                let who = self
                    .runbook
                    .escalation
                    .as_ref()
                    .and_then(|e| e.levels.first())
                    .map(|l| format!("{} ({}, respond within {})", clean(&l.name), clean(&l.who), l.respond_within))
                    .unwrap_or_default();
                self.overlay = Some(Overlay::Confirm(Confirm {
                    title: "Declare an incident?".into(),
                    question: format!(
                        "Declare an incident and start the escalation clock at {who}? (y: declare · n/Esc: cancel)"
                    ),
                    on_yes: self.appends(vec![ev]),
                }));
            }
            Err(e) => self.say(clean(&e), MsgKind::Warn),
        }
        Vec::new()
    }

    /// `I`: asks first (naming the next level and who it calls), then escalates.
    pub fn escalate_incident(&mut self) -> Vec<Effect> {
        if !self.writable() {
            return Vec::new();
        }
        match escalation::escalate_now(&self.runbook, &self.state, self.now) {
            Ok(events) => {
                let next = escalation::clock(&self.runbook, &self.state, self.now)
                    .and_then(|v| v.next)
                    .map(|n| format!("{} ({})", clean(&n.name), clean(&n.who)))
                    .unwrap_or_else(|| "the next level".into());
                self.overlay = Some(Overlay::Confirm(Confirm {
                    title: "Escalate now?".into(),
                    question: format!("Escalate the incident to {next} now? (y: escalate · n/Esc: cancel)"),
                    on_yes: self.appends(events),
                }));
            }
            Err(e) => self.say(clean(&e), MsgKind::Warn),
        }
        Vec::new()
    }

    /// `a`: acknowledge the current level (its countdown stops). Not destructive: no question.
    pub fn acknowledge_incident(&mut self) -> Vec<Effect> {
        if !self.writable() {
            return Vec::new();
        }
        match escalation::acknowledge(&self.runbook, &self.state, self.now) {
            Ok(events) => {
                let level = events
                    .iter()
                    .find_map(|e| match e {
                        EventKind::IncidentAcknowledged { level } => Some(clean(level)),
                        _ => None,
                    })
                    .unwrap_or_default();
                self.say(
                    format!("{level} acknowledged by {}: countdown stopped", clean(&self.operator)),
                    MsgKind::Info,
                );
                self.appends(events)
            }
            Err(e) => {
                self.say(clean(&e), MsgKind::Warn);
                Vec::new()
            }
        }
    }

    /// `R`: asks first (naming the incident's level and age), then resolves it.
    pub fn resolve_incident(&mut self) -> Vec<Effect> {
        if !self.writable() {
            return Vec::new();
        }
        match escalation::resolve(&self.runbook, &self.state, self.now, None) {
            Ok(events) => {
                let what = match self.state.incident.as_ref().filter(|i| i.is_open()) {
                    Some(inc) => {
                        let level = inc.current().map(|l| format!(" at {}", clean(&l.level))).unwrap_or_default();
                        format!(
                            "the incident declared by {} at {}{level}",
                            clean(&inc.declared.by),
                            inc.declared.at.format("%H:%M UTC")
                        )
                    }
                    None => "the incident (the escalation clock is running)".to_string(),
                };
                self.overlay = Some(Overlay::Confirm(Confirm {
                    title: "Resolve the incident?".into(),
                    question: format!("Resolve {what}? Every escalation clock stops. (y: resolve · n/Esc: cancel)"),
                    on_yes: self.appends(events),
                }));
            }
            Err(e) => self.say(clean(&e), MsgKind::Warn),
        }
        Vec::new()
    }

    /// Every tick: the automatic escalation that is due and trigger changes, as
    /// journal appends (each is idempotent once folded). Read-only consoles only watch.
    pub fn incident_tick(&mut self) -> Vec<Effect> {
        if self.read_only.is_some() {
            return Vec::new();
        }
        let mut events = Vec::new();
        if let Some(ev) = escalation::due_escalation(&self.runbook, &self.state, self.now) {
            if let EventKind::IncidentEscalated { level, .. } = &ev {
                self.say(format!("no acknowledgement in time: escalated to {}", clean(level)), MsgKind::Error);
            }
            events.push(ev);
        }
        let state = &self.state;
        let logs = &self.live.logs;
        let signals = FnSignals {
            down_since: |probe: &str| trigger::journaled_down_since(state, probe),
            error_minutes: |log: &str, n: usize, now: DateTime<Utc>| {
                logs.get(log).map(|window| trigger::complete_minutes(window, n, now))
            },
        };
        let changes = trigger::evaluate(&self.runbook, &self.state, &signals, self.now);
        for ev in &changes {
            if let EventKind::TriggerFired { trigger, propose, cause } = ev {
                self.say(
                    format!(
                        "ALARM {}: {} — proposes rollback {} (Enter or B to review)",
                        clean(trigger),
                        clean(cause),
                        clean(propose)
                    ),
                    MsgKind::Error,
                );
            } else if let EventKind::TriggerCleared { trigger } = ev {
                // Otherwise the message line would still say "ALARM …" with nothing alarming left.
                self.say(format!("alarm {} cleared: its condition no longer holds", clean(trigger)), MsgKind::Info);
            }
        }
        events.extend(changes);
        self.appends(events)
    }
}

//! The console side of the escalation clock and triggers: keys `i` (declare),
//! `I` (escalate now), `a` (acknowledge), and the per-tick check that journals
//! automatic escalations and trigger alarms. The rules live in
//! `domain::escalation` and `domain::trigger`; this file only turns them into
//! effects and status-line messages.

use chrono::{DateTime, Utc};

use crate::domain::escalation;
use crate::domain::event::EventKind;
use crate::domain::incident_acts::{self, Refusal};
use crate::domain::severity;
use crate::domain::trigger::{self, FnSignals};

use super::app::{App, MsgKind};
use super::effect::Effect;
use super::overlay::confirm::{answers, Confirm};
use super::overlay::Overlay;
use super::text::clean;

impl App {
    fn appends(&self, events: Vec<EventKind>) -> Vec<Effect> {
        events.into_iter().map(|event| self.append(event)).collect()
    }

    /// The runbook as the escalation clock sees it now: with the open
    /// incident's severity ladder in place of `[escalation]`, if it has one.
    pub fn ladder_runbook(&self) -> std::borrow::Cow<'_, crate::domain::runbook::Runbook> {
        match incident_acts::with_ladder(&self.model.runbook, &self.model.state) {
            Some(rb) => std::borrow::Cow::Owned(rb),
            None => std::borrow::Cow::Borrowed(&self.model.runbook),
        }
    }

    /// `i`: with `[[severity]]`, asks for the severity and a summary;
    /// otherwise asks first (naming the level and who it calls), then declares.
    pub fn declare_incident(&mut self) -> Vec<Effect> {
        if !self.writable() {
            return Vec::new();
        }
        if !self.model.runbook.severities.is_empty() {
            if let Some(inc) = self.model.state.incident.as_ref().filter(|i| i.is_open()) {
                let msg = format!(
                    "an incident is already open (declared by {} at {}): a acknowledge, m mitigated, R resolve",
                    clean(&inc.declared.by),
                    inc.declared.at.format("%H:%M UTC")
                );
                self.say(msg, MsgKind::Warn);
                return Vec::new();
            }
            self.view.overlay.open(Overlay::Declare(Box::default()));
            return Vec::new();
        }
        match escalation::declare(&self.model.runbook, &self.model.state, None) {
            Ok(ev) => {
                let who = self
                    .model
                    .runbook
                    .escalation
                    .as_ref()
                    .and_then(|e| e.levels.first())
                    .map(|l| format!("{} ({}, respond within {})", clean(&l.name), clean(&l.who), l.respond_within))
                    .unwrap_or_default();
                self.view.overlay.open(Overlay::Confirm(Confirm {
                    title: "Declare an incident?".into(),
                    question: format!(
                        "Declare an incident and start the escalation clock at {who}? {}",
                        answers(&self.view.keymap, "declare", "cancel")
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
        match incident_acts::escalate(&self.model.runbook, &self.model.state, self.model.now) {
            Ok(events) => {
                let next = escalation::clock(&self.ladder_runbook(), &self.model.state, self.model.now)
                    .and_then(|v| v.next)
                    .map(|n| format!("{} ({})", clean(&n.name), clean(&n.who)))
                    .unwrap_or_else(|| "the next level".into());
                self.view.overlay.open(Overlay::Confirm(Confirm {
                    title: "Escalate now?".into(),
                    question: format!(
                        "Escalate the incident to {next} now? {}",
                        answers(&self.view.keymap, "escalate", "cancel")
                    ),
                    on_yes: self.appends(events),
                }));
            }
            Err(e) => self.say(clean(e.message()), MsgKind::Warn),
        }
        Vec::new()
    }

    /// `a`: acknowledge the current level (its countdown stops). Not destructive: no question.
    pub fn acknowledge_incident(&mut self) -> Vec<Effect> {
        if !self.writable() {
            return Vec::new();
        }
        match incident_acts::acknowledge(&self.model.runbook, &self.model.state, self.model.now) {
            Ok(events) => {
                let level = events
                    .iter()
                    .find_map(|e| match e {
                        EventKind::IncidentAcknowledged { level } => Some(clean(level)),
                        _ => None,
                    })
                    .unwrap_or_default();
                self.say(
                    format!("{level} acknowledged by {}: countdown stopped", clean(&self.model.operator)),
                    MsgKind::Info,
                );
                self.appends(events)
            }
            Err(e) => {
                self.say(clean(e.message()), MsgKind::Warn);
                Vec::new()
            }
        }
    }

    /// `s` in Escalation: choose a new severity for the open incident (the declare dialog, in change mode).
    pub fn change_severity(&mut self) {
        if !self.writable() {
            return;
        }
        let Some(inc) = self.model.state.incident.as_ref().filter(|i| i.is_open()) else {
            self.say("no incident declared: press i to declare one", MsgKind::Warn);
            return;
        };
        if self.model.runbook.severities.is_empty() {
            self.say("this runbook has no [[severity]] entries to choose from", MsgKind::Warn);
            return;
        }
        let current = inc.severity().and_then(|s| self.model.runbook.severities.iter().position(|x| x.id == s));
        let mut d = crate::ui::overlay::declare::DeclareDialog::new();
        d.change = true;
        d.choice = current;
        self.view.overlay.open(Overlay::Declare(Box::new(d)));
    }

    /// `m`: the impact is stopped; asks first, then the mitigation clock stops.
    pub fn mitigate_incident(&mut self) -> Vec<Effect> {
        if !self.writable() {
            return Vec::new();
        }
        match incident_acts::mitigated(&self.model.state, None) {
            // Asked first: `m` is also the message history's key outside this
            // pane, and a mitigation is on the incident's record for good.
            Ok(events) => {
                let mut on_yes = self.appends(events);
                on_yes.push(Effect::Say(
                    format!("incident marked mitigated by {}", clean(&self.model.operator)),
                    MsgKind::Info,
                ));
                self.view.overlay.open(Overlay::Confirm(Confirm {
                    title: "Mark the incident mitigated?".into(),
                    question: format!(
                        "The impact is stopped: mark the incident mitigated? Its mitigation clock stops. {}",
                        answers(&self.view.keymap, "mitigated", "cancel")
                    ),
                    on_yes,
                }));
                Vec::new()
            }
            Err(Refusal::Refused(m) | Refusal::BadInput(m)) => {
                self.say(clean(&m), MsgKind::Warn);
                Vec::new()
            }
        }
    }

    /// `R`: asks first (naming the incident's level and age), then resolves it.
    pub fn resolve_incident(&mut self) -> Vec<Effect> {
        if !self.writable() {
            return Vec::new();
        }
        match incident_acts::resolve(&self.model.runbook, &self.model.state, self.model.now, None) {
            Ok(events) => {
                let what = match self.model.state.incident.as_ref().filter(|i| i.is_open()) {
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
                self.view.overlay.open(Overlay::Confirm(Confirm {
                    title: "Resolve the incident?".into(),
                    question: format!(
                        "Resolve {what}? Every escalation clock stops. {}",
                        answers(&self.view.keymap, "resolve", "cancel")
                    ),
                    on_yes: self.appends(events),
                }));
            }
            Err(e) => self.say(clean(e.message()), MsgKind::Warn),
        }
        Vec::new()
    }

    /// Every tick: the automatic escalation that is due and trigger changes, as
    /// journal appends (each is idempotent once folded). Read-only consoles only
    /// watch; during a database outage they wait in the outbox.
    pub fn incident_tick(&mut self) -> Vec<Effect> {
        self.update_prompt();
        if !self.sources_may_journal() {
            return Vec::new();
        }
        let mut events = Vec::new();
        if let Some(ev) = escalation::due_escalation(&self.ladder_runbook(), &self.model.state, self.model.now) {
            if let EventKind::IncidentEscalated { level, .. } = &ev {
                self.say(format!("no acknowledgement in time: escalated to {}", clean(level)), MsgKind::Error);
            }
            events.push(ev);
        }
        let state = &self.model.state;
        let logs = &self.model.live.logs;
        let signals = FnSignals {
            down_since: |probe: &str| trigger::journaled_down_since(state, probe),
            error_minutes: |log: &str, n: usize, now: DateTime<Utc>| {
                logs.get(log).map(|window| trigger::complete_minutes(window, n, now))
            },
        };
        let changes = trigger::evaluate(&self.model.runbook, &self.model.state, &signals, self.model.now);
        for ev in &changes {
            if let EventKind::TriggerFired { trigger, propose, cause } = ev {
                self.say(
                    format!(
                        // No keys here: plain mode prints this line too, and the
                        // full-screen banner names its own keys.
                        "ALARM {}: {} — proposes rollback {}",
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

    /// When a status update falls due, say so and open the update template
    /// filled from the session (once per due time; copying it is the update).
    fn update_prompt(&mut self) {
        let Some(inc) = self.model.state.incident.as_ref().filter(|i| i.is_open()) else { return };
        let Some(c) = severity::clocks(&self.model.runbook, inc, self.model.now) else { return };
        let Some(due) = c.next_update().filter(|u| u.posted.is_none() && u.due <= self.model.now).map(|u| u.due) else {
            return;
        };
        if self.model.update_prompted == Some(due) {
            return;
        }
        self.model.prompted_update(due);
        self.say(
            format!(
                "status update due ({} updates every {}): copy the message to post it (Enter/y)",
                clean(&c.severity.id),
                c.severity.update_every
            ),
            MsgKind::Error,
        );
        self.model.ring_bell();
        let index =
            c.update_template.as_deref().and_then(|t| self.model.runbook.templates.iter().position(|x| x.id == t));
        if !self.view.overlay.is_open() {
            if let Some(selected) = index {
                self.view.overlay.open(Overlay::Templates(crate::ui::overlay::templates::TemplatesDialog { selected }));
            }
        }
    }
}

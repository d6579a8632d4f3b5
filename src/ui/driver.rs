//! The one driver every front end shares (docs/console.md, "One clock"): the
//! full-screen console, `--plain` and the tests feed it [`Input`]s — a key, a
//! tick of the clock, a source event (probe, log lines, run output, another
//! writer's journal records), a typed act — and it runs what the app makes of
//! each through the one effect interpreter, [`Session::run_effects`].
//!
//! Because the clock, the auto-verdicts, the escalation and the triggers are
//! all here, plain mode cannot drift from the screen again: a "max N errors
//! per minute" criterion fails in both, an escalation is due in both.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::event::EventKind;
use crate::sources::SourceEvent;

use super::app::MsgKind;
use super::effect::Effect;
use super::session::Session;
use super::terminal;

/// Everything that can happen to a console, whatever draws it.
#[derive(Clone, Debug)]
pub enum Input {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The terminal changed size: redraw.
    Resize,
    /// The clock moved on (once a second): clocks, auto-verdicts, escalation, triggers.
    Tick(DateTime<Utc>),
    Source(SourceEvent),
    /// An act typed in plain mode, to journal as the operator at the keyboard.
    Act(EventKind),
    /// The journal writer thread's report (full-screen console): what it wrote and read.
    Written(Box<crate::sources::journal::Written>),
}

impl Session {
    /// Feeds one input through the app and runs its effects; true when one of them asks to quit.
    pub fn feed(&mut self, input: Input) -> bool {
        if let Some(quit) = self.feed_replay(&input) {
            return quit;
        }
        let effects = self.effects_of(input);
        let quit = self.run_effects(effects);
        // Whatever the input was, the screen may now differ: the front end
        // draws at its own pace (the full-screen loop at most 20 times a second).
        self.app.changed();
        quit
    }

    /// What the app makes of one input: the effects [`Session::feed`] runs next
    /// (a test looks at them, then runs them through the same interpreter).
    pub fn effects_of(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Key(k) => self.app.on_key(k),
            Input::Mouse(m) => self.app.on_mouse(m),
            Input::Resize => Vec::new(),
            Input::Tick(now) => {
                // Source events the journal refused are retried; runs whose console is gone are ended.
                self.flush_outbox();
                self.reap_runs();
                self.app.tick(now);
                // Heartbeats are read by other processes, on the wall clock: a
                // rehearsal's faster clock (`sources::clock`) would make them stale at once.
                let wall = if crate::sources::clock::speed() > 1 { chrono::Utc::now() } else { now };
                self.presence_tick(wall);
                let mut effects = super::wiring::probes::auto_verdicts(&mut self.app.model);
                effects.extend(self.app.incident_tick());
                effects
            }
            Input::Source(ev) => self.app.on_source(ev),
            Input::Written(w) => {
                self.on_written(*w);
                // What was just journaled (a step's end, a probe change) may change auto-verdicts.
                super::wiring::probes::auto_verdicts(&mut self.app.model)
            }
            Input::Act(event) => {
                if let EventKind::OperatorSwitched { to, .. } = &event {
                    // The switch is journaled as the one handing over; later acts are the new operator's.
                    let e = self.app.append(event.clone());
                    self.app.model.switch_operator(to);
                    vec![e]
                } else {
                    vec![self.app.append(event)]
                }
            }
        }
    }

    /// The effect interpreter: runs effects in order; true when one of them asks to quit.
    pub fn run_effects(&mut self, effects: Vec<Effect>) -> bool {
        // Those that change only the app (a dialog's say, action, model or view
        // change) are the app's own step: the dialog stack applies a handler's at
        // once; any other is applied here, never dropped.
        let effects = self.app.apply(effects);
        let mut quit = false;
        let mut appended = false;
        for e in effects {
            match e {
                Effect::Append { operator, event } => {
                    self.run_append(&operator, &event);
                    appended = true;
                }
                Effect::PollJournal => {
                    self.poll();
                }
                Effect::Quit => quit = true,
                Effect::OpenHandover => self.open_handover(),
                Effect::TimeMachine => self.open_time_machine(None, false),
                Effect::WhatChanged => self.what_changed(),
                Effect::SetMouse(on) => {
                    if terminal::is_active() {
                        if let Err(err) = terminal::set_mouse(on) {
                            self.app.say(format!("mouse capture not changed: {err}"), MsgKind::Error);
                        }
                    }
                }
                Effect::Suspend => {
                    if terminal::is_active() {
                        if let Err(err) = terminal::suspend() {
                            self.app.say(format!("could not take the terminal back: {err}"), MsgKind::Error);
                        }
                        if self.app.view.mouse {
                            let _ = terminal::set_mouse(true);
                        }
                        self.app.changed();
                        self.repaint = true;
                    }
                }
                Effect::Send(deliveries) => self.send(deliveries),
                Effect::Copy(text) => match super::clipboard::copy(&text) {
                    Ok(report) => self.app.say(report.message(), MsgKind::Info),
                    Err(e) => self.app.say(e, MsgKind::Error),
                },
                other => {
                    self.run_proc_effect(&other);
                }
            }
        }
        if appended {
            // What was just journaled (a step's end, a probe change) may change auto-verdicts.
            for e in super::wiring::probes::auto_verdicts(&mut self.app.model) {
                if let Effect::Append { operator, event } = e {
                    self.run_append(&operator, &event);
                }
            }
        }
        // The act is complete: its messages are filled from all it wrote.
        self.flush_sends();
        quit
    }

    /// How an `Effect::Append` is carried out: kept to this one function.
    fn run_append(&mut self, operator: &str, event: &EventKind) {
        self.append(operator, event);
    }
}

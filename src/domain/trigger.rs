//! Automatic rollback triggers (`[[trigger]]`): evaluated continuously, they
//! raise an alarm and *propose* a rollback — they never fire one (a person does,
//! through the rollback dialog and its approvals).
//!
//! A trigger **holds** when:
//! - `when = { probe, down_for }`: the probe has been DOWN continuously for at
//!   least `down_for` (the "down since" time comes from the caller: the live
//!   probe state, or the journaled `probe.changed`, see [`journaled_down_since`]);
//! - `when = { log, errors_per_min, for }`: the error count reached
//!   `errors_per_min` in *each* of the last whole clock minutes covering `for`
//!   (`for` rounds up to whole minutes, as the log window counts per minute).
//!   So a 2-minute rule needs both of the last two complete minutes at the
//!   rate: one burst does not fire it, a freshly started tail (zero-filled
//!   history) cannot hold it yet, and it is judged on complete minutes only,
//!   never on the partial current one.
//!
//! [`evaluate`] compares what holds with the folded `trigger.fired` /
//! `trigger.cleared` state and returns only the changes, so calling it on every
//! tick journals each start and end once (and the same after a restart).

use chrono::{DateTime, Duration, Utc};

use super::duration::Dur;
use super::event::{EventKind, ProbeHealth};
use super::log_window::LogWindow;
use super::runbook::{Runbook, Trigger, TriggerWhen};
use super::state::SessionState;

/// What triggers read from the live session. The app implements it over its
/// probe states and log windows; [`FnSignals`] builds one from two closures.
pub trait TriggerSignals {
    /// Since when the probe has been DOWN without a break, or `None` while it is UP / unknown.
    fn down_since(&self, probe: &str) -> Option<DateTime<Utc>>;
    /// Errors counted in each of the last `n` complete clock minutes before `now`'s minute,
    /// oldest first (see [`complete_minutes`]); `None` when the log is not followed.
    fn error_minutes(&self, log: &str, n: usize, now: DateTime<Utc>) -> Option<Vec<u64>>;
}

/// [`TriggerSignals`] from two closures.
pub struct FnSignals<D, E>
where
    D: Fn(&str) -> Option<DateTime<Utc>>,
    E: Fn(&str, usize, DateTime<Utc>) -> Option<Vec<u64>>,
{
    pub down_since: D,
    pub error_minutes: E,
}

impl<D, E> TriggerSignals for FnSignals<D, E>
where
    D: Fn(&str) -> Option<DateTime<Utc>>,
    E: Fn(&str, usize, DateTime<Utc>) -> Option<Vec<u64>>,
{
    fn down_since(&self, probe: &str) -> Option<DateTime<Utc>> {
        (self.down_since)(probe)
    }
    fn error_minutes(&self, log: &str, n: usize, now: DateTime<Utc>) -> Option<Vec<u64>> {
        (self.error_minutes)(log, n, now)
    }
}

/// The last `n` complete minutes' error counts from a log window, oldest first
/// (what [`TriggerSignals::error_minutes`] asks for).
pub fn complete_minutes(window: &LogWindow, n: usize, now: DateTime<Utc>) -> Vec<u64> {
    let mut m: Vec<u64> = window.per_minute(n + 1, now).iter().map(|b| b.errors).collect();
    m.pop(); // the current, partial minute
    m
}

/// "Down since" from the journal alone: the time of the last `probe.changed` to DOWN.
pub fn journaled_down_since(state: &SessionState, probe: &str) -> Option<DateTime<Utc>> {
    state.probes.get(probe).filter(|c| c.health == ProbeHealth::Down).map(|c| c.at)
}

/// One trigger's reading now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub holds: bool,
    /// What was seen, in words: "probe homepage DOWN for 5m12s (rule: 5m)".
    pub cause: String,
}

/// Reads one trigger's condition as of `now`.
pub fn read(trigger: &Trigger, signals: &dyn TriggerSignals, now: DateTime<Utc>) -> Reading {
    match &trigger.when {
        TriggerWhen::ProbeDown { probe, down_for } => match signals.down_since(probe) {
            Some(since) => {
                let down = (now - since).max(Duration::zero());
                Reading {
                    holds: down >= down_for.to_chrono(),
                    cause: format!("probe {probe} DOWN for {} (rule: {down_for})", human(down)),
                }
            }
            None => Reading { holds: false, cause: format!("probe {probe} is not DOWN") },
        },
        TriggerWhen::LogErrorRate { log, errors_per_min, for_ } => {
            let n = whole_minutes(*for_);
            let counts = signals.error_minutes(log, n, now).filter(|c| c.len() == n);
            let holds = counts.as_ref().is_some_and(|c| c.iter().all(|&e| e >= *errors_per_min));
            let seen = match &counts {
                Some(c) => c.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", "),
                None => "no data".into(),
            };
            let minutes = if n == 1 { "minute".to_string() } else { format!("{n} whole minutes") };
            Reading {
                holds,
                cause: format!(
                    "log {log}: errors in the last {minutes}: {seen} (rule: ≥ {errors_per_min}/min for {for_})"
                ),
            }
        }
    }
}

/// `for` rounded up to whole minutes, at least one.
fn whole_minutes(for_: Dur) -> usize {
    (for_.as_millis().div_ceil(60_000)).max(1) as usize
}

fn human(d: Duration) -> String {
    let ms = d.num_milliseconds().max(0) as u64;
    Dur::from_millis(ms / 1000 * 1000).to_string()
}

/// The trigger events to journal now: `trigger.fired` for each trigger that
/// started to hold, `trigger.cleared` for each that stopped. Never anything else.
pub fn evaluate(
    runbook: &Runbook,
    state: &SessionState,
    signals: &dyn TriggerSignals,
    now: DateTime<Utc>,
) -> Vec<EventKind> {
    let mut out = Vec::new();
    for trigger in &runbook.triggers {
        let reading = read(trigger, signals, now);
        let active = state.triggers.get(&trigger.id).is_some_and(|t| t.cleared_at.is_none());
        if reading.holds && !active {
            out.push(EventKind::TriggerFired {
                trigger: trigger.id.clone(),
                propose: trigger.propose.clone(),
                cause: reading.cause,
            });
        } else if !reading.holds && active {
            out.push(EventKind::TriggerCleared { trigger: trigger.id.clone() });
        }
    }
    out
}

/// Triggers currently firing (fired and not cleared), for the alarm banner: (trigger, propose, cause, since).
pub fn active(state: &SessionState) -> Vec<(String, String, String, DateTime<Utc>)> {
    let mut v: Vec<_> = state
        .triggers
        .iter()
        .filter(|(_, t)| t.cleared_at.is_none())
        .map(|(id, t)| (id.clone(), t.propose.clone(), t.cause.clone(), t.fired_at))
        .collect();
    v.sort_by_key(|x| x.3);
    v
}

#[cfg(test)]
mod tests;

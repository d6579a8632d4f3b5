//! Automatic rollback triggers (`[[trigger]]`): evaluated continuously, they
//! raise an alarm and *propose* a rollback — they never fire one (a person does,
//! through the rollback dialog and its approvals).
//!
//! A trigger **holds** when:
//! - `when = { probe, down_for }`: the probe has been DOWN continuously for at
//!   least `down_for` (the "down since" time comes from the caller: the live
//!   probe state, or the journaled `probe.changed`, see [`journaled_down_since`]);
//! - `when = { log, errors_per_min, for }`: the error rate stayed at or above
//!   `errors_per_min` over the whole of `for`, checked per one-minute slice
//!   ending now (a 2-minute rule needs both of the last two minutes at the
//!   rate, so one burst does not fire it, and a freshly started tail with no
//!   history cannot hold it yet). A `for` that is not a whole number of minutes
//!   is cut into equal slices of at least a minute, each needing its share.
//!
//! [`evaluate`] compares what holds with the folded `trigger.fired` /
//! `trigger.cleared` state and returns only the changes, so calling it on every
//! tick journals each start and end once (and the same after a restart).

use chrono::{DateTime, Duration, Utc};

use super::event::{EventKind, ProbeHealth};
use super::runbook::{Runbook, Trigger, TriggerWhen};
use super::state::SessionState;

/// What triggers read from the live session. The app implements it over its
/// probe states and log windows; [`FnSignals`] builds one from two closures.
pub trait TriggerSignals {
    /// Since when the probe has been DOWN without a break, or `None` while it is UP / unknown.
    fn down_since(&self, probe: &str) -> Option<DateTime<Utc>>;
    /// Errors counted in the log during `(now - window, now]`; `None` when the log has no data.
    fn errors_in(&self, log: &str, window: Duration, now: DateTime<Utc>) -> Option<u64>;
}

/// [`TriggerSignals`] from two closures.
pub struct FnSignals<D, E>
where
    D: Fn(&str) -> Option<DateTime<Utc>>,
    E: Fn(&str, Duration, DateTime<Utc>) -> Option<u64>,
{
    pub down_since: D,
    pub errors_in: E,
}

impl<D, E> TriggerSignals for FnSignals<D, E>
where
    D: Fn(&str) -> Option<DateTime<Utc>>,
    E: Fn(&str, Duration, DateTime<Utc>) -> Option<u64>,
{
    fn down_since(&self, probe: &str) -> Option<DateTime<Utc>> {
        (self.down_since)(probe)
    }
    fn errors_in(&self, log: &str, window: Duration, now: DateTime<Utc>) -> Option<u64> {
        (self.errors_in)(log, window, now)
    }
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
            let slices = slices(for_.to_chrono());
            let mut counts = Vec::with_capacity(slices.len());
            let mut holds = true;
            for (k, (len, need)) in slices.iter().enumerate() {
                let end = now - *len * k as i32;
                let got = signals.errors_in(log, *len, end);
                counts.push(got.map(|g| g.to_string()).unwrap_or_else(|| "no data".into()));
                if got.is_none_or(|g| (g as f64) < *need * *errors_per_min as f64) {
                    holds = false;
                }
            }
            counts.reverse();
            Reading {
                holds,
                cause: format!(
                    "log {log}: errors per {} slice over the last {for_}: {} (rule: ≥ {errors_per_min}/min for {for_})",
                    human(slices[0].0),
                    counts.join(", ")
                ),
            }
        }
    }
}

/// Equal slices covering `for_`, each at least a minute long (one slice if `for_` is shorter),
/// with the fraction of a minute's rate each must reach.
fn slices(for_: Duration) -> Vec<(Duration, f64)> {
    let minute = Duration::minutes(1);
    let n = (for_.num_milliseconds() / minute.num_milliseconds()).max(1);
    let len = Duration::milliseconds((for_.num_milliseconds() / n).max(1));
    let share = len.num_milliseconds() as f64 / minute.num_milliseconds() as f64;
    (0..n).map(|_| (len, share)).collect()
}

fn human(d: Duration) -> String {
    let ms = d.num_milliseconds().max(0) as u64;
    super::duration::Dur::from_millis(ms / 1000 * 1000).to_string()
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

//! The escalation clock: which level is on the hook, since when, and how long
//! until the next level must be called — computed only from the runbook's
//! `[escalation]` and the journal's timestamps, so a restart (quit, crash,
//! `kill -9`) shows exactly the same clock.
//!
//! Rules:
//! - **start = "on_incident"** (default): nothing runs until `incident.declared`;
//!   the declared level starts then.
//! - **start = "on_open"**: the session itself is the incident. The clock runs at
//!   the first level from the first journal record's time with no
//!   `incident.declared` needed. Acknowledge, escalate and resolve still act on
//!   an incident in the journal (that is what the fold knows), so the first such
//!   act journals an `incident.declared` at the first level before it
//!   ("materialising" the clock; see [`acknowledge`], [`escalate_now`],
//!   [`resolve`], [`due_escalation`]). That incident's first level is still timed
//!   from the session's first record. Once it is resolved, the session's clock is
//!   over: a later `incident.declared` (key `i`) is an ordinary new incident, timed
//!   from its own declaration.
//! - **Deadline** = level start + `respond_within`; the countdown is negative when
//!   overdue. An **acknowledged** level's countdown stops at the acknowledgement
//!   (someone answered; no automatic escalation). A **resolved** incident stops
//!   every clock at the resolution.
//! - **Automatic escalation** ([`due_escalation`]): when an unacknowledged level's
//!   countdown has run out and a next level exists, the app journals
//!   `incident.escalated{automatic:true}`. The answer is a function of the folded
//!   state, so once that event is folded nothing more is due until the next
//!   level's deadline (idempotent, and the same after a restart). Two consoles
//!   racing to journal the same escalation are harmless: levels are looked up by
//!   name, so a duplicate entry only restarts the same level a moment later.

use chrono::{DateTime, Duration, Utc};

use super::event::EventKind;
use super::runbook::{Escalation, EscalationLevel, EscalationStart, Runbook};
use super::state::{IncidentState, SessionState, Stamp};

/// Summary written on the `incident.declared` that materialises an `on_open` clock.
pub const ON_OPEN_SUMMARY: &str = "escalation clock running since the session opened";

/// Where a clock's state stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockStatus {
    /// Counting down to the deadline.
    Running,
    /// Deadline passed without acknowledgement (an escalation is due, or this is the last level).
    Overdue,
    /// Someone acknowledged this level: the countdown is stopped.
    Acknowledged,
    /// The incident is resolved: every clock stopped.
    Resolved,
}

impl ClockStatus {
    pub fn label(self) -> &'static str {
        match self {
            ClockStatus::Running => "RUNNING",
            ClockStatus::Overdue => "OVERDUE",
            ClockStatus::Acknowledged => "ACKNOWLEDGED",
            ClockStatus::Resolved => "RESOLVED",
        }
    }
}

/// One level as the runbook defines it, with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelRef {
    pub index: usize,
    pub name: String,
    pub who: String,
    pub respond_within: Duration,
}

impl LevelRef {
    fn new(index: usize, l: &EscalationLevel) -> Self {
        LevelRef { index, name: l.name.clone(), who: l.who.clone(), respond_within: l.respond_within.to_chrono() }
    }
}

/// Everything the Escalation pane shows, as of `now`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClockView {
    /// The current level as the journal names it.
    pub level: String,
    /// The runbook's definition of it; `None` when the runbook no longer has a level of that name.
    pub level_def: Option<LevelRef>,
    /// Who is on the hook ("(level not in runbook)" when unknown).
    pub who: String,
    /// When the clock started: the declaration, or the session's first record for `on_open`.
    pub started_at: DateTime<Utc>,
    /// Time since `started_at` (stops at resolution).
    pub since_start: Duration,
    /// When the current level began.
    pub level_since: DateTime<Utc>,
    /// Time spent in the current level (stops at resolution).
    pub in_level: Duration,
    /// Level start + respond_within; `None` for a level the runbook does not define.
    pub deadline: Option<DateTime<Utc>>,
    /// Deadline − now; negative when overdue; frozen at acknowledgement or resolution.
    pub countdown: Option<Duration>,
    pub acknowledged: Option<Stamp>,
    pub resolved: Option<Stamp>,
    /// The level an escalation would reach.
    pub next: Option<LevelRef>,
    pub status: ClockStatus,
    /// True for an `on_open` clock (no incident declared by anyone yet, or materialised).
    pub on_open: bool,
    /// True while the `on_open` clock has no `incident.declared` in the journal yet.
    pub virtual_incident: bool,
    /// Levels passed through, in order: (name, since, automatic).
    pub history: Vec<(String, DateTime<Utc>, bool)>,
}

impl ClockView {
    /// Short text for the status line / pane title: "L2 Dev Lead + DevOps — 04:12 left".
    pub fn summary(&self) -> String {
        let when = match (self.status, self.countdown) {
            (ClockStatus::Resolved, _) => "resolved".to_string(),
            (ClockStatus::Acknowledged, _) => "acknowledged".to_string(),
            (_, Some(c)) if c < Duration::zero() => {
                format!("{} OVERDUE", super::duration::clock_format(-c))
            }
            (_, Some(c)) => format!("{} left", super::duration::clock_format(c)),
            (_, None) => "no deadline".to_string(),
        };
        format!("{} {} — {}", self.level, self.who, when)
    }
}

/// The clock as of `now`: `None` when the runbook has no `[escalation]`, or it
/// starts on incident and none is declared (the pane says "no incident").
pub fn clock(runbook: &Runbook, state: &SessionState, now: DateTime<Utc>) -> Option<ClockView> {
    let esc = runbook.escalation.as_ref().filter(|e| !e.levels.is_empty())?;
    let on_open = esc.start == EscalationStart::OnOpen;
    match &state.incident {
        Some(inc) => Some(view_of_incident(esc, state, inc, on_open && session_is_incident(state), now)),
        None if on_open => {
            let start = state.first_at?;
            Some(virtual_view(esc, start, now))
        }
        None => None,
    }
}

/// In `on_open` mode, the session's clock is the incident until one is resolved:
/// an incident declared after a resolution is a fresh one.
fn session_is_incident(state: &SessionState) -> bool {
    state.past_incidents.iter().all(|p| p.resolved.is_none())
}

fn level_index(esc: &Escalation, name: &str) -> Option<usize> {
    esc.levels.iter().position(|l| l.name == name)
}

fn virtual_view(esc: &Escalation, start: DateTime<Utc>, now: DateTime<Utc>) -> ClockView {
    let first = LevelRef::new(0, &esc.levels[0]);
    let deadline = start + first.respond_within;
    let countdown = deadline - now;
    ClockView {
        level: first.name.clone(),
        who: first.who.clone(),
        started_at: start,
        since_start: now - start,
        level_since: start,
        in_level: now - start,
        deadline: Some(deadline),
        countdown: Some(countdown),
        acknowledged: None,
        resolved: None,
        next: esc.levels.get(1).map(|l| LevelRef::new(1, l)),
        status: if countdown < Duration::zero() { ClockStatus::Overdue } else { ClockStatus::Running },
        on_open: true,
        virtual_incident: true,
        history: vec![(first.name.clone(), start, false)],
        level_def: Some(first),
    }
}

fn view_of_incident(
    esc: &Escalation,
    state: &SessionState,
    inc: &IncidentState,
    from_session_start: bool,
    now: DateTime<Utc>,
) -> ClockView {
    // Times of each level entry; for the on_open session clock, the first level
    // runs from the session's first record, not from when it was materialised.
    let first_start = match (from_session_start, state.first_at) {
        (true, Some(f)) => f.min(inc.declared.at),
        _ => inc.declared.at,
    };
    let history: Vec<(String, DateTime<Utc>, bool)> = inc
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.level.clone(), if i == 0 { first_start } else { l.since }, l.automatic))
        .collect();
    let (level, level_since, acknowledged) = match inc.current() {
        Some(cur) => {
            let since = history.last().map(|h| h.1).unwrap_or(cur.since);
            (cur.level.clone(), since, cur.acknowledged.clone())
        }
        // The fold always records the declared level; keep a sane answer if not.
        None => (esc.levels[0].name.clone(), first_start, None),
    };
    let idx = level_index(esc, &level);
    let level_def = idx.map(|i| LevelRef::new(i, &esc.levels[i]));
    let next = idx.and_then(|i| esc.levels.get(i + 1).map(|l| LevelRef::new(i + 1, l)));
    // The clock stops at resolution; the countdown also stops at acknowledgement.
    let stop = inc.resolved.as_ref().map(|r| r.at).unwrap_or(now);
    let countdown_at = match (&inc.resolved, &acknowledged) {
        (Some(r), Some(a)) => r.at.min(a.at),
        (Some(r), None) => r.at,
        (None, Some(a)) => a.at,
        (None, None) => now,
    };
    let deadline = level_def.as_ref().map(|d| level_since + d.respond_within);
    let countdown = deadline.map(|d| d - countdown_at);
    let status = if inc.resolved.is_some() {
        ClockStatus::Resolved
    } else if acknowledged.is_some() {
        ClockStatus::Acknowledged
    } else if countdown.is_some_and(|c| c < Duration::zero()) {
        ClockStatus::Overdue
    } else {
        ClockStatus::Running
    };
    ClockView {
        who: level_def.as_ref().map(|d| d.who.clone()).unwrap_or_else(|| "(level not in runbook)".into()),
        level,
        level_def,
        started_at: first_start,
        since_start: stop - first_start,
        level_since,
        in_level: stop - level_since,
        deadline,
        countdown,
        acknowledged,
        resolved: inc.resolved.clone(),
        next,
        status,
        on_open: from_session_start,
        virtual_incident: false,
        history,
    }
}

/// The event the app should journal now because a deadline ran out, if any:
/// `incident.escalated{level: next, automatic: true}` when the current level is
/// unacknowledged, overdue, unresolved and a next level exists. For an `on_open`
/// clock not yet in the journal this first returns the materialising
/// `incident.declared` (journal it and ask again: the escalation follows).
/// Call it on every tick; it returns `None` again once its answer is folded.
pub fn due_escalation(runbook: &Runbook, state: &SessionState, now: DateTime<Utc>) -> Option<EventKind> {
    let view = clock(runbook, state, now)?;
    if view.status != ClockStatus::Overdue {
        return None;
    }
    let next = view.next.as_ref()?;
    if view.virtual_incident {
        return Some(materialise(&view));
    }
    Some(EventKind::IncidentEscalated { level: next.name.clone(), automatic: true })
}

fn materialise(view: &ClockView) -> EventKind {
    EventKind::IncidentDeclared { level: view.level.clone(), summary: Some(ON_OPEN_SUMMARY.to_string()) }
}

/// Events for the `i` key: declare an incident at the first level.
/// Refused (with a message for the status line) when one is already open.
pub fn declare(runbook: &Runbook, state: &SessionState, summary: Option<String>) -> Result<EventKind, String> {
    let esc =
        runbook.escalation.as_ref().filter(|e| !e.levels.is_empty()).ok_or_else(|| {
            "this runbook has no [escalation] levels: add some to use the escalation clock".to_string()
        })?;
    if let Some(inc) = state.incident.as_ref().filter(|i| i.is_open()) {
        let cur = inc.current().map(|l| l.level.as_str()).unwrap_or("?");
        return Err(format!(
            "an incident is already open at {cur} (declared by {} at {}): escalate (I) or acknowledge (a) instead",
            inc.declared.by,
            inc.declared.at.format("%H:%M:%S UTC")
        ));
    }
    Ok(EventKind::IncidentDeclared { level: esc.levels[0].name.clone(), summary })
}

/// The open clock or a message saying why there is none to act on.
fn open_clock(runbook: &Runbook, state: &SessionState, now: DateTime<Utc>) -> Result<ClockView, String> {
    let view = clock(runbook, state, now).ok_or_else(|| {
        if runbook.escalation.as_ref().is_none_or(|e| e.levels.is_empty()) {
            "this runbook has no [escalation] levels".to_string()
        } else {
            "no incident declared: press i to declare one".to_string()
        }
    })?;
    if let Some(r) = &view.resolved {
        return Err(format!("the incident was resolved by {} at {}", r.by, r.at.format("%H:%M:%S UTC")));
    }
    Ok(view)
}

/// Events for the `a` key: acknowledge the current level (its countdown stops).
pub fn acknowledge(runbook: &Runbook, state: &SessionState, now: DateTime<Utc>) -> Result<Vec<EventKind>, String> {
    let view = open_clock(runbook, state, now)?;
    if let Some(a) = &view.acknowledged {
        return Err(format!("{} was already acknowledged by {} at {}", view.level, a.by, a.at.format("%H:%M:%S UTC")));
    }
    let mut out = Vec::new();
    if view.virtual_incident {
        out.push(materialise(&view));
    }
    out.push(EventKind::IncidentAcknowledged { level: view.level.clone() });
    Ok(out)
}

/// Events for the `I` key: escalate to the next level now, by hand.
pub fn escalate_now(runbook: &Runbook, state: &SessionState, now: DateTime<Utc>) -> Result<Vec<EventKind>, String> {
    let view = open_clock(runbook, state, now)?;
    let next = view.next.as_ref().ok_or_else(|| format!("{} is the last escalation level", view.level))?;
    let mut out = Vec::new();
    if view.virtual_incident {
        out.push(materialise(&view));
    }
    out.push(EventKind::IncidentEscalated { level: next.name.clone(), automatic: false });
    Ok(out)
}

/// Events to resolve the open incident (every clock stops).
pub fn resolve(
    runbook: &Runbook,
    state: &SessionState,
    now: DateTime<Utc>,
    note: Option<String>,
) -> Result<Vec<EventKind>, String> {
    let view = open_clock(runbook, state, now)?;
    let mut out = Vec::new();
    if view.virtual_incident {
        out.push(materialise(&view));
    }
    out.push(EventKind::IncidentResolved { note });
    Ok(out)
}

#[cfg(test)]
mod tests;

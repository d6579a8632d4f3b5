//! Severity clocks (docs/incident.md): an incident with a `[[severity]]` has
//! three deadlines, all computed from the journal's timestamps and `now`:
//!
//! - **ack**: declaration + `ack_within`; met by the first acknowledgement (a
//!   mitigation or resolution also counts: someone clearly answered).
//! - **mitigate**: declaration + `mitigate_within`; met by `incident.mitigated`
//!   or the resolution.
//! - **update**: the first status update is due at declaration + `update_every`,
//!   each later one `update_every` after the previous update. An update is the
//!   severity's update template (or any template, when the runbook has none)
//!   copied while the incident is open. An update after its due time is a miss,
//!   late by the difference. Nothing is due after the resolution.
//!
//! Targets follow the severity in force now (a change re-targets, still from
//! the declaration). Pure: time is passed in.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::runbook::{IncidentSeverity, Runbook};
use super::state::IncidentState;

/// Template id the console opens when an update is due and the severity names none.
pub const DEFAULT_UPDATE_TEMPLATE: &str = "status-update";

/// Where one deadline stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deadline {
    /// Not due yet: this long left.
    Running { left: Duration },
    /// Due and not met: this long over.
    Overdue { by: Duration },
    /// Met this long before the deadline.
    Met { at: DateTime<Utc>, margin: Duration },
    /// Met (or ended) this long after the deadline.
    Missed { at: DateTime<Utc>, late: Duration },
}

impl Deadline {
    fn of(due: DateTime<Utc>, done: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Deadline {
        match done {
            Some(at) if at <= due => Deadline::Met { at, margin: due - at },
            Some(at) => Deadline::Missed { at, late: at - due },
            None if now <= due => Deadline::Running { left: due - now },
            None => Deadline::Overdue { by: now - due },
        }
    }
    pub fn is_bad(self) -> bool {
        matches!(self, Deadline::Overdue { .. } | Deadline::Missed { .. })
    }
}

/// One status update that was due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateDue {
    pub due: DateTime<Utc>,
    /// When it was posted (`None`: not yet, or the incident ended first).
    pub posted: Option<DateTime<Utc>>,
    pub state: Deadline,
}

/// The three clocks of an incident with a severity, as of `now`.
#[derive(Clone, Debug, PartialEq)]
pub struct SeverityClocks {
    pub severity: IncidentSeverity,
    pub declared: DateTime<Utc>,
    pub ack_due: DateTime<Utc>,
    pub ack: Deadline,
    pub mitigate_due: DateTime<Utc>,
    pub mitigate: Deadline,
    /// Every update that fell due, in order; the last may still be running.
    pub updates: Vec<UpdateDue>,
    /// The template an update is written with.
    pub update_template: Option<String>,
    pub resolved: Option<DateTime<Utc>>,
}

impl SeverityClocks {
    /// The update clock now: the last entry of `updates`.
    pub fn next_update(&self) -> Option<&UpdateDue> {
        self.updates.last().filter(|u| u.posted.is_none())
    }
    /// Due updates that were late or never posted.
    pub fn missed_updates(&self) -> impl Iterator<Item = &UpdateDue> {
        self.updates.iter().filter(|u| u.state.is_bad())
    }
}

/// The template whose copies count as status updates for `sev`:
/// its `update_template`, else `status-update` when the runbook has it.
pub fn update_template(runbook: &Runbook, sev: &IncidentSeverity) -> Option<String> {
    sev.update_template.clone().or_else(|| runbook.template(DEFAULT_UPDATE_TEMPLATE).map(|t| t.id.clone()))
}

/// The clocks of `inc`, or `None` when it has no severity the runbook knows.
pub fn clocks(runbook: &Runbook, inc: &IncidentState, now: DateTime<Utc>) -> Option<SeverityClocks> {
    let sev = runbook.severity(inc.severity()?)?.clone();
    let declared = inc.declared.at;
    let resolved = inc.resolved.as_ref().map(|r| r.at);
    let mitigated = inc.mitigated.as_ref().map(|m| m.at);
    let first = |xs: &[Option<DateTime<Utc>>]| xs.iter().flatten().min().copied();
    let acked = first(&[inc.first_ack().map(|a| a.at), mitigated, resolved]);
    let ack_due = declared + sev.ack_within.to_chrono();
    let mitigate_due = declared + sev.mitigate_within.to_chrono();
    let template = update_template(runbook, &sev);
    let posts: Vec<DateTime<Utc>> = inc
        .messages
        .iter()
        .filter(|(t, _)| template.as_deref().is_none_or(|want| want == t))
        .map(|(_, s)| s.at)
        .collect();
    let updates = update_schedule(declared, sev.update_every.to_chrono(), &posts, resolved, now);
    Some(SeverityClocks {
        ack: Deadline::of(ack_due, acked, now),
        ack_due,
        mitigate: Deadline::of(mitigate_due, first(&[mitigated, resolved]), now),
        mitigate_due,
        updates,
        update_template: template,
        severity: sev,
        declared,
        resolved,
    })
}

/// The updates that fell due from `start` every `every`, given when updates
/// were posted (in order). The last entry is the one running now, unless the
/// incident was resolved before it fell due.
pub fn update_schedule(
    start: DateTime<Utc>,
    every: Duration,
    posts: &[DateTime<Utc>],
    resolved: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<UpdateDue> {
    let end = resolved.map_or(now, |r| r.min(now));
    let mut out = Vec::new();
    let mut due = start + every;
    let mut posts = posts.iter().copied().filter(|p| *p >= start && *p <= end).peekable();
    loop {
        match posts.next() {
            Some(p) => {
                out.push(UpdateDue { due, posted: Some(p), state: Deadline::of(due, Some(p), now) });
                due = p + every;
            }
            None => {
                if resolved.is_some_and(|r| r <= now) {
                    // Ended: an update still owed at the resolution is a miss.
                    if due < end {
                        out.push(UpdateDue { due, posted: None, state: Deadline::Missed { at: end, late: end - due } });
                    }
                } else {
                    out.push(UpdateDue { due, posted: None, state: Deadline::of(due, None, now) });
                }
                return out;
            }
        }
    }
}

/// Text for a deadline: "04:10 left", "OVERDUE 01:02", "met (2m early)", "MISSED by 1m 05s".
pub fn describe(d: Deadline) -> String {
    use super::duration::clock_format;
    let human = |x: Duration| super::report::text::fmt_duration_ms(x.num_milliseconds().max(0) as u64);
    match d {
        Deadline::Running { left } => format!("{} left", clock_format(left)),
        Deadline::Overdue { by } => format!("OVERDUE {}", clock_format(by)),
        Deadline::Met { margin, .. } => format!("met, {} early", human(margin)),
        Deadline::Missed { late, .. } => format!("MISSED by {}", human(late)),
    }
}

/// A deadline in the report's JSON.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DeadlineReport {
    /// `ack`, `mitigate`, `update`.
    pub clock: String,
    pub due: super::report::Ts,
    /// `met`, `missed`, `open` (not met yet, still running), `overdue` (not met, past due).
    pub outcome: String,
    /// How early (met) or late (missed, overdue), in words.
    pub by: String,
    pub at: Option<super::report::Ts>,
}

impl DeadlineReport {
    pub fn new(clock: &str, due: DateTime<Utc>, d: Deadline) -> DeadlineReport {
        let human = |x: Duration| super::report::text::fmt_duration_ms(x.num_milliseconds().max(0) as u64);
        let (outcome, by, at) = match d {
            Deadline::Running { left } => ("open", format!("{} left", human(left)), None),
            Deadline::Overdue { by } => ("overdue", format!("{} late", human(by)), None),
            Deadline::Met { at, margin } => ("met", format!("{} early", human(margin)), Some(at)),
            Deadline::Missed { at, late } => ("missed", format!("{} late", human(late)), Some(at)),
        };
        DeadlineReport {
            clock: clock.into(),
            due: super::report::Ts(due),
            outcome: outcome.into(),
            by,
            at: at.map(super::report::Ts),
        }
    }
}

/// Every deadline of the clocks, for the report: ack, mitigate, then each update.
pub fn report_rows(c: &SeverityClocks) -> Vec<DeadlineReport> {
    let mut rows =
        vec![DeadlineReport::new("ack", c.ack_due, c.ack), DeadlineReport::new("mitigate", c.mitigate_due, c.mitigate)];
    rows.extend(c.updates.iter().map(|u| {
        let mut r = DeadlineReport::new("update", u.due, u.state);
        if u.posted.is_none() && matches!(u.state, Deadline::Missed { .. }) {
            // Owed when the incident was resolved: `at` is the resolution, not a post.
            r.by = format!("never posted ({} overdue at the resolution)", r.by.trim_end_matches(" late"));
        }
        r
    }));
    rows
}

#[cfg(test)]
mod tests;

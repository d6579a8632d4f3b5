//! The escalation part of the post-mortem (issue 5): for every level an
//! incident passed through, who it called, how long they had, and whether it
//! was answered in time — from the runbook's `[escalation]` and the journal.

use chrono::Duration;
use serde::Serialize;

use super::text::{fmt_duration_ms, printable};
use super::Ts;
use crate::domain::runbook::Runbook;
use crate::domain::state::SessionState;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LevelResponse {
    /// 1-based incident number in the session.
    pub incident: usize,
    pub level: String,
    /// Who the level calls (`None` when the runbook is unknown or has no such level).
    pub who: Option<String>,
    pub respond_within: Option<String>,
    pub since: Ts,
    /// Time from the level starting to its acknowledgement.
    pub acknowledged_after: Option<String>,
    /// Acknowledged within `respond_within`; `None` when unknown or never acknowledged.
    pub on_time: Option<bool>,
    /// What ended the level: "acknowledged", "escalated after 30m", "resolved", "open at the end".
    pub outcome: String,
}

fn dur(d: Duration) -> String {
    fmt_duration_ms(d.num_milliseconds().max(0) as u64)
}

/// Every level entered by every incident of the session, in order.
pub fn incident_section(runbook: Option<&Runbook>, state: &SessionState) -> Vec<LevelResponse> {
    let mut out = Vec::new();
    for (n, inc) in state.past_incidents.iter().chain(state.incident.iter()).enumerate() {
        // The ladder this incident climbed: its severity's own, else [escalation].
        let ladder = runbook.and_then(|r| crate::domain::incident_acts::ladder_for(r, inc.severity()));
        let esc = ladder.as_ref();
        for (i, l) in inc.levels.iter().enumerate() {
            // An incident with a severity but no ladder has one unnamed level: nothing to report there.
            if l.level.is_empty() {
                continue;
            }
            let def = esc.and_then(|e| e.levels.iter().find(|d| d.name == l.level));
            let after = l.acknowledged.as_ref().map(|a| a.at - l.since);
            let outcome = match (&l.acknowledged, inc.levels.get(i + 1), &inc.resolved) {
                (Some(a), _, _) => format!("acknowledged by {}", printable(&a.by)),
                (None, Some(next), _) => format!(
                    "not acknowledged; {} to {} after {}",
                    if next.automatic { "escalated automatically" } else { "escalated by hand" },
                    printable(&next.level),
                    dur(next.since - l.since)
                ),
                (None, None, Some(r)) => format!("resolved by {} after {}", printable(&r.by), dur(r.at - l.since)),
                (None, None, None) => "not acknowledged by the end of the journal".into(),
            };
            out.push(LevelResponse {
                incident: n + 1,
                level: printable(&l.level),
                who: def.map(|d| printable(&d.who)),
                respond_within: def.map(|d| d.respond_within.to_string()),
                since: Ts(l.since),
                acknowledged_after: after.map(dur),
                on_time: match (after, def) {
                    (Some(a), Some(d)) => Some(a <= d.respond_within.to_chrono()),
                    _ => None,
                },
                outcome,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind;
    use crate::domain::fixtures::{opened, runbook, session};

    #[test]
    fn levels_with_response_times() {
        let rb = runbook();
        let s = session(&[
            (0, "ana", opened()),
            (100, "ana", EventKind::IncidentDeclared { level: "L1".into(), summary: None }),
            (1901, "warroom", EventKind::IncidentEscalated { level: "L2".into(), automatic: true }),
            (2201, "bob", EventKind::IncidentAcknowledged { level: "L2".into() }),
            (3000, "bob", EventKind::IncidentResolved { note: None }),
        ]);
        let r = incident_section(Some(&rb), &s);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].who.as_deref(), Some("Dev on-call"));
        assert_eq!(r[0].on_time, None);
        assert!(
            r[0].outcome.starts_with("not acknowledged; escalated automatically to L2 after 30m"),
            "{}",
            r[0].outcome
        );
        assert_eq!((r[1].level.as_str(), r[1].on_time), ("L2", Some(true)));
        assert_eq!(r[1].outcome, "acknowledged by bob");
        assert!(incident_section(None, &s)[1].who.is_none());
    }
}

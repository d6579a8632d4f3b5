//! "Why not GO" (docs/time-machine.md): the exact criteria that keep the
//! recommendation from GO, by the same rule as `decision::recommend` — every
//! failing critical or high criterion and every one still pending — with its
//! severity, since when it is so, who or what set it, and where its answer
//! comes from. Pure: the runbook and a folded state in.

use chrono::{DateTime, Utc};

use super::event::{MarkSource, Verdict};
use super::runbook::{Runbook, Severity};
use super::state::SessionState;

#[derive(Clone, Debug, PartialEq)]
pub struct Blocker {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub verdict: Verdict,
    /// When it got this verdict; `None`: never answered.
    pub since: Option<DateTime<Utc>>,
    pub by: Option<String>,
    /// `auto from probe:homepage (probe homepage DOWN…)`, `marked by hand`, `not answered yet (step:preflight)`.
    pub source: String,
}

/// The blockers, failing before pending, most severe first; empty when the recommendation is GO.
pub fn blockers(rb: &Runbook, st: &SessionState) -> Vec<Blocker> {
    let mut out: Vec<Blocker> = rb
        .criteria
        .iter()
        .filter(|c| c.severity != Severity::Medium)
        .filter_map(|c| {
            let verdict = st.verdict(&c.id);
            if !matches!(verdict, Verdict::Fail | Verdict::Pending) {
                return None;
            }
            let cs = st.criteria.get(&c.id);
            let binding = c.auto.as_ref().map(|a| a.label());
            let source = match (cs, &binding) {
                (Some(cs), _) if cs.at.is_some() => {
                    let how = match cs.source {
                        MarkSource::Auto => {
                            format!("auto from {}", binding.clone().unwrap_or_else(|| "its binding".into()))
                        }
                        MarkSource::Manual => "marked by hand".into(),
                        MarkSource::Override => "marked by hand over the automatic verdict".into(),
                    };
                    match (&cs.cause, &cs.note) {
                        (Some(cause), _) => format!("{how}: {cause}"),
                        (None, Some(note)) => format!("{how}: {note}"),
                        _ => how,
                    }
                }
                (_, Some(b)) => format!("not answered yet ({b})"),
                _ => "not answered yet (to be checked by hand)".into(),
            };
            Some(Blocker {
                id: c.id.clone(),
                title: c.title.clone(),
                severity: c.severity,
                verdict,
                since: cs.and_then(|c| c.at),
                by: cs.and_then(|c| c.by.clone()),
                source,
            })
        })
        .collect();
    out.sort_by_key(|b| (b.verdict != Verdict::Fail, b.severity));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::decision::{recommend, Recommendation};
    use crate::domain::event::EventKind;
    use crate::domain::fixtures::criterion;
    use chrono::TimeZone;

    #[test]
    fn blockers_are_empty_exactly_when_the_rule_says_go() {
        let rb = Runbook {
            criteria: vec![
                criterion("a", Severity::Critical),
                criterion("b", Severity::High),
                criterion("m", Severity::Medium),
            ],
            ..crate::domain::fixtures::empty_runbook()
        };
        let at = Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap();
        let mut st = SessionState::default();
        let mark = |st: &mut SessionState, c: &str, v: Verdict| {
            st.apply_event(
                "ana",
                at,
                EventKind::CriterionMarked {
                    criterion: c.into(),
                    verdict: v,
                    note: None,
                    source: MarkSource::Manual,
                    cause: None,
                },
            )
        };
        let ids = |st: &SessionState| blockers(&rb, st).into_iter().map(|b| b.id).collect::<Vec<_>>();
        assert_eq!(ids(&st), vec!["a", "b"]);
        mark(&mut st, "b", Verdict::Fail);
        assert_eq!(ids(&st), vec!["b", "a"], "failing first");
        let b = &blockers(&rb, &st)[0];
        assert_eq!((b.since, b.by.as_deref(), b.source.as_str()), (Some(at), Some("ana"), "marked by hand"));
        mark(&mut st, "a", Verdict::Pass);
        mark(&mut st, "b", Verdict::Na);
        mark(&mut st, "m", Verdict::Fail);
        assert_eq!(recommend(&rb, &st), Recommendation::Go);
        assert!(ids(&st).is_empty());
    }
}

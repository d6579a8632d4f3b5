//! The go/no-go decision rule ("The recommendation" in docs/runbook-format.md),
//! after the decision tree of the go-live runbooks warroom was made for. Pure: the runbook's criteria and the folded state in,
//! a recommendation out. The console shows it; a person records the decision.
//!
//! The tree, and how each branch maps here:
//! 1. "PREFLIGHT + VALIDATION run?" — no → "run them before deciding": while a
//!    critical or high criterion is still PENDING (steps not run yet leave
//!    their bound criteria pending) → `Pending`.
//! 2. "All CRITICAL pass?" — no → "ROLLBACK NOW": any critical FAIL →
//!    `Rollback`, checked first, so it wins even while others are pending
//!    (waiting for more answers cannot save a failed critical criterion).
//! 3. "Any HIGH fails?" — yes → "fixable in < 30 min? fix + re-validate : ROLLBACK"
//!    → `FixOrRollback` (whether it can be fixed in time is a human call).
//! 4. Otherwise → "GO-LIVE CONFIRMED" → `Go`.
//!
//! Choices the tree leaves open:
//! - N/A counts as not failing (the criterion does not apply to this window).
//! - Medium criteria never block and never change the recommendation: those runbooks
//!   say their failure means "monitor" or "fix async", i.e. go on.
//! - Criteria the runbook no longer has (a journal from an older version) are
//!   ignored; runbook criteria never marked are PENDING.
//! - A runbook with no critical or high criteria recommends GO.

use super::event::{Decision, Verdict};
use super::runbook::{Runbook, Severity};
use super::state::SessionState;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recommendation {
    /// Critical or high criteria still open: no recommendation yet.
    Pending {
        pending: Vec<String>,
    },
    Go,
    /// All critical pass, some high fail: fix within 30 minutes or roll back.
    FixOrRollback {
        failing_high: Vec<String>,
    },
    /// A critical criterion fails.
    Rollback {
        failing_critical: Vec<String>,
    },
}

impl Recommendation {
    /// Short label for the status line and the journal (`decision.recorded`'s `recommendation`).
    pub fn label(&self) -> String {
        match self {
            Recommendation::Go => "GO".into(),
            Recommendation::Rollback { failing_critical } => {
                format!("ROLLBACK ({} critical failing)", failing_critical.len())
            }
            Recommendation::FixOrRollback { .. } => "FIX ≤30m OR ROLLBACK".into(),
            Recommendation::Pending { pending } => format!("PENDING ({} open)", pending.len()),
        }
    }

    /// One sentence saying why, naming the criteria (for reports and details).
    pub fn reason(&self) -> String {
        match self {
            Recommendation::Go => "every critical and high criterion passes (or is N/A)".into(),
            Recommendation::Rollback { failing_critical } => {
                format!("critical criteria failing: {}", failing_critical.join(", "))
            }
            Recommendation::FixOrRollback { failing_high } => format!(
                "all critical criteria pass; high criteria failing: {} — fix within 30 minutes and re-validate, \
                 or roll back",
                failing_high.join(", ")
            ),
            Recommendation::Pending { pending } => {
                format!("critical or high criteria not yet answered: {}", pending.join(", "))
            }
        }
    }
}

/// Applies the rule to the runbook's criteria as they stand in `state`.
pub fn recommend(runbook: &Runbook, state: &SessionState) -> Recommendation {
    let mut failing_critical = Vec::new();
    let mut failing_high = Vec::new();
    let mut pending = Vec::new();
    for c in &runbook.criteria {
        let v = state.verdict(&c.id);
        match (c.severity, v) {
            (Severity::Medium, _) => {}
            (Severity::Critical, Verdict::Fail) => failing_critical.push(c.id.clone()),
            (Severity::High, Verdict::Fail) => failing_high.push(c.id.clone()),
            (_, Verdict::Pending) => pending.push(c.id.clone()),
            (_, Verdict::Pass | Verdict::Na) => {}
        }
    }
    if !failing_critical.is_empty() {
        Recommendation::Rollback { failing_critical }
    } else if !pending.is_empty() {
        Recommendation::Pending { pending }
    } else if !failing_high.is_empty() {
        Recommendation::FixOrRollback { failing_high }
    } else {
        Recommendation::Go
    }
}

/// Failing criteria, most severe first: (severity, id, title) — what the
/// decision dialog lists beside the recommendation.
pub fn failing(runbook: &Runbook, state: &SessionState) -> Vec<(Severity, String, String)> {
    let mut v: Vec<_> = runbook
        .criteria
        .iter()
        .filter(|c| state.verdict(&c.id) == Verdict::Fail)
        .map(|c| (c.severity, c.id.clone(), c.title.clone()))
        .collect();
    v.sort_by_key(|(s, _, _)| *s);
    v
}

/// The failing critical criteria a decision would override, by id: a GO,
/// or a NO-GO against a GO recommendation, while they fail (docs/console.md,
/// "Plain mode"); none for a ROLLBACK.
pub fn overridden(runbook: &Runbook, state: &SessionState, decision: Decision) -> Vec<String> {
    let against = match decision {
        Decision::Go => true,
        Decision::NoGo => recommend(runbook, state) == Recommendation::Go,
        Decision::Rollback => false,
    };
    if !against {
        return Vec::new();
    }
    failing(runbook, state).into_iter().filter(|(sev, _, _)| *sev == Severity::Critical).map(|(_, id, _)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventKind, MarkSource};
    use crate::domain::runbook::{Criterion, CriterionOnFail};
    use chrono::{TimeZone, Utc};

    fn runbook(criteria: &[(&str, Severity)]) -> Runbook {
        Runbook {
            criteria: criteria
                .iter()
                .map(|(id, sev)| Criterion {
                    id: id.to_string(),
                    title: id.to_string(),
                    severity: *sev,
                    on_fail: CriterionOnFail::Rollback,
                    auto: None,
                    description: None,
                    valid_for: None,
                    every: None,
                    links: vec![],
                    phase: None,
                })
                .collect(),
            ..crate::domain::fixtures::empty_runbook()
        }
    }

    fn state(marks: &[(&str, Verdict)]) -> SessionState {
        let mut s = SessionState::default();
        let at = Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap();
        for (c, v) in marks {
            s.apply_event(
                "ana",
                at,
                EventKind::CriterionMarked {
                    criterion: c.to_string(),
                    verdict: *v,
                    note: None,
                    source: MarkSource::Manual,
                    cause: None,
                },
            );
        }
        s
    }

    use Severity::{Critical as C, High as H, Medium as M};
    use Verdict::{Fail as F, Na as N, Pass as P, Pending as W};

    /// A go-live criteria matrix in miniature: two critical, two high, one medium.
    fn golive() -> Runbook {
        runbook(&[("home", C), ("db", C), ("qdrant", H), ("latency", H), ("cron", M)])
    }

    #[test]
    fn decision_tree_table() {
        let rb = golive();
        let rows: &[(&[(&str, Verdict)], Recommendation)] = &[
            // 1. Nothing answered yet: "run preflight + validation before deciding".
            (
                &[],
                Recommendation::Pending {
                    pending: vec!["home".into(), "db".into(), "qdrant".into(), "latency".into()],
                },
            ),
            // 1. Critical answered, high still open.
            (&[("home", P), ("db", P), ("qdrant", P)], Recommendation::Pending { pending: vec!["latency".into()] }),
            // 1. A critical explicitly set back to pending counts as open.
            (
                &[("home", P), ("db", W), ("qdrant", P), ("latency", P)],
                Recommendation::Pending { pending: vec!["db".into()] },
            ),
            // 2. A critical fails: ROLLBACK, even while others are pending.
            (&[("home", F)], Recommendation::Rollback { failing_critical: vec!["home".into()] }),
            (
                &[("home", F), ("db", F), ("qdrant", P), ("latency", P)],
                Recommendation::Rollback { failing_critical: vec!["home".into(), "db".into()] },
            ),
            // 2. Critical failure wins over a high failure.
            (
                &[("home", P), ("db", F), ("qdrant", F), ("latency", F)],
                Recommendation::Rollback { failing_critical: vec!["db".into()] },
            ),
            // 3. All critical pass, a high fails, nothing open: fix within 30 min or roll back.
            (
                &[("home", P), ("db", P), ("qdrant", F), ("latency", P)],
                Recommendation::FixOrRollback { failing_high: vec!["qdrant".into()] },
            ),
            // 3 vs 1: a high failing while another high is open is still pending.
            (&[("home", P), ("db", P), ("qdrant", F)], Recommendation::Pending { pending: vec!["latency".into()] }),
            // 4. GO: all critical and high pass.
            (&[("home", P), ("db", P), ("qdrant", P), ("latency", P)], Recommendation::Go),
            // N/A counts as not failing.
            (&[("home", P), ("db", N), ("qdrant", N), ("latency", P)], Recommendation::Go),
            // Medium never blocks: failing or pending, still GO.
            (&[("home", P), ("db", P), ("qdrant", P), ("latency", P), ("cron", F)], Recommendation::Go),
            // A later mark replaces an earlier one (fail, then fixed and passed).
            (&[("home", F), ("home", P), ("db", P), ("qdrant", P), ("latency", P)], Recommendation::Go),
            // Criteria unknown to the runbook are ignored.
            (&[("home", P), ("db", P), ("qdrant", P), ("latency", P), ("gone", F)], Recommendation::Go),
        ];
        for (i, (marks, want)) in rows.iter().enumerate() {
            assert_eq!(&recommend(&rb, &state(marks)), want, "row {i}: {marks:?}");
        }
    }

    #[test]
    fn no_blocking_criteria_means_go() {
        assert_eq!(recommend(&runbook(&[]), &SessionState::default()), Recommendation::Go);
        assert_eq!(recommend(&runbook(&[("cron", M)]), &SessionState::default()), Recommendation::Go);
    }

    #[test]
    fn labels() {
        assert_eq!(Recommendation::Go.label(), "GO");
        assert_eq!(
            Recommendation::Rollback { failing_critical: vec!["a".into(), "b".into()] }.label(),
            "ROLLBACK (2 critical failing)"
        );
        assert_eq!(Recommendation::FixOrRollback { failing_high: vec!["a".into()] }.label(), "FIX ≤30m OR ROLLBACK");
        let five = (0..5).map(|i| i.to_string()).collect();
        assert_eq!(Recommendation::Pending { pending: five }.label(), "PENDING (5 open)");
        assert!(Recommendation::Rollback { failing_critical: vec!["home".into()] }.reason().contains("home"));
    }
}

//! A person's PASS that the criterion's bound source now contradicts (the
//! probe is DOWN, the step failed, the log is over its bound). The verdict
//! stands — a person may know better — but the console flags it on the row
//! and in the decision dialog, so nobody decides GO on it unawares.

use super::auto_verdict::{opinion, Inputs};
use super::event::{MarkSource, Verdict};
use super::runbook::Criterion;

/// The source's cause when `c`'s PASS was given by a person and the source now says FAIL.
pub fn contradicted(c: &Criterion, inp: &Inputs<'_>) -> Option<String> {
    let st = inp.state.criteria.get(&c.id)?;
    if st.verdict != Verdict::Pass || st.source == MarkSource::Auto {
        return None;
    }
    let op = opinion(c, inp)?;
    (op.verdict == Verdict::Fail).then_some(op.cause)
}

/// Every contradicted PASS, in runbook order: (criterion, the source's cause).
pub fn all<'a>(inp: &Inputs<'a>) -> Vec<(&'a Criterion, String)> {
    inp.runbook.criteria.iter().filter_map(|c| contradicted(c, inp).map(|why| (c, why))).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::event::{EventKind, ProbeHealth};
    use crate::domain::fixtures::{criterion, empty_runbook, opened, session, t};
    use crate::domain::runbook::{AutoBinding, Runbook, Severity};

    fn rb() -> Runbook {
        let mut c = criterion("home", Severity::Critical);
        c.auto = Some(AutoBinding::Probe { probe: "homepage".into(), max_p95: None, window: None });
        Runbook { criteria: vec![c], ..empty_runbook() }
    }

    fn mark(source: MarkSource) -> EventKind {
        EventKind::CriterionMarked { criterion: "home".into(), verdict: Verdict::Pass, note: None, source, cause: None }
    }

    fn down() -> EventKind {
        EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Down, cause: Some("HTTP 503".into()) }
    }

    #[test]
    fn a_pass_by_hand_over_a_down_probe_is_flagged_with_the_cause() {
        let rb = rb();
        let state = session(&[(0, "a", opened()), (5, "a", down()), (10, "ana", mark(MarkSource::Override))]);
        let logs = |_: &str, _, _| None;
        let inp = Inputs { runbook: &rb, state: &state, probes: &BTreeMap::new(), logs: &logs, now: t(20) };
        let flagged = all(&inp);
        assert_eq!(flagged.len(), 1);
        assert!(flagged[0].1.contains("homepage") && flagged[0].1.contains("503"), "{}", flagged[0].1);
    }

    #[test]
    fn an_auto_pass_or_an_up_probe_is_not_flagged() {
        let rb = rb();
        let logs = |_: &str, _, _| None;
        let state = session(&[(0, "a", opened()), (5, "a", down()), (10, "ana", mark(MarkSource::Auto))]);
        let inp = Inputs { runbook: &rb, state: &state, probes: &BTreeMap::new(), logs: &logs, now: t(20) };
        assert!(all(&inp).is_empty());
        let up = EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Up, cause: None };
        let state = session(&[(0, "a", opened()), (5, "a", up), (10, "ana", mark(MarkSource::Override))]);
        let inp = Inputs { runbook: &rb, state: &state, probes: &BTreeMap::new(), logs: &logs, now: t(20) };
        assert!(all(&inp).is_empty());
    }
}

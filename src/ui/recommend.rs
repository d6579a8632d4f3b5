//! The recommendation shown in the status line and the decision dialog.
//! The rule is SPEC §2's decision tree; `domain::decision::recommend` takes
//! over when it lands (this is the same rule, kept here so the console is
//! usable before then).

use crate::domain::event::Verdict;
use crate::domain::runbook::{Runbook, Severity};
use crate::domain::state::SessionState;

pub fn label(rb: &Runbook, st: &SessionState) -> String {
    let failing =
        |sev: Severity| rb.criteria.iter().filter(|c| c.severity == sev).any(|c| st.verdict(&c.id) == Verdict::Fail);
    let pending = rb.criteria.iter().any(|c| st.verdict(&c.id) == Verdict::Pending);
    if failing(Severity::Critical) {
        "ROLLBACK".into()
    } else if failing(Severity::High) {
        "fix within 30 min or ROLLBACK".into()
    } else if pending {
        "none yet (criteria pending)".into()
    } else {
        "GO".into()
    }
}

/// Failing criteria, most severe first: (severity, id, title).
pub fn failing(rb: &Runbook, st: &SessionState) -> Vec<(Severity, String, String)> {
    let mut v: Vec<_> = rb
        .criteria
        .iter()
        .filter(|c| st.verdict(&c.id) == Verdict::Fail)
        .map(|c| (c.severity, c.id.clone(), c.title.clone()))
        .collect();
    v.sort_by_key(|(s, _, _)| *s);
    v
}

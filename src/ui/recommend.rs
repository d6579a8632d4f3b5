//! The recommendation as the status line and the decision dialog show it
//! (the rule is `domain::decision`), and the failing criteria listed beside it.

use crate::domain::decision;
use crate::domain::event::Verdict;
use crate::domain::runbook::{Runbook, Severity};
use crate::domain::state::SessionState;

pub fn label(rb: &Runbook, st: &SessionState) -> String {
    decision::recommend(rb, st).label()
}

/// The recommendation as the console shows it: marked NOT TRUSTWORTHY while
/// source events wait to be journaled (the rule works from what is known).
pub fn shown(app: &crate::ui::app::App) -> String {
    let label = label(&app.runbook, &app.state);
    match &app.procs.journal_backlog {
        Some(_) => format!("{label} (NOT TRUSTWORTHY: journal behind)"),
        None => label,
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

//! The recommendation as the status line and the decision dialog show it
//! (the rule, and the failing criteria beside it, are `domain::decision`).

use crate::domain::decision;

/// The recommendation as the console shows it: marked NOT TRUSTWORTHY while
/// source events wait to be journaled (the rule works from what is known).
pub fn shown(app: &crate::ui::app::App) -> String {
    let label = decision::recommend(&app.model.runbook, &app.model.state).label();
    match &app.model.procs.journal_backlog {
        Some(_) => format!("{label} (NOT TRUSTWORTHY: journal behind)"),
        None => label,
    }
}

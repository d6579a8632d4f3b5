//! The pure core: runbook model and loader, journal events and the state folded
//! from them, the decision rule, escalation clock, triggers, templates.
//! No terminal, network, clock reads or async runtime here (a test holds this line).

pub mod activity;
pub mod approvals;
pub mod auto_verdict;
pub mod canonical_line;
pub mod channel;
pub mod condition;
pub mod contradiction;
pub mod countdown;
pub mod decision;
pub mod diagnostic;
pub mod duration;
pub mod escalation;
pub mod event;
pub mod expiry;
#[cfg(test)]
pub mod fixtures;
pub mod handover;
pub mod identity;
pub mod incident_acts;
pub mod labels;
pub mod late;
pub mod loader;
pub mod log_line;
pub mod log_timeline;
pub mod log_window;
pub mod moment_diff;
pub mod presence;
pub mod probe_history;
pub mod record;
pub mod redact;
pub mod rehearsal;
pub mod rehearsal_score;
pub mod report;
pub mod roles;
pub mod rollback_flow;
pub mod runbook;
pub mod sanitize;
pub mod scenario;
pub mod session_runbook;
pub mod severity;
pub mod shift;
pub mod signature;
pub mod state;
pub mod step_gate;
pub mod template;
pub mod timeline;
pub mod trigger;
pub mod vars;
pub mod why_not_go;

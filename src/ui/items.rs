//! What each pane lists, in display order: the selectable items and the text
//! search matches against. One place so selection, search, walkthrough and
//! drawing agree.

use crate::domain::event::Verdict;
use crate::domain::runbook::{Criterion, Runbook, Step};
use crate::domain::state::{SessionState, StepStatus};

use super::panes::PaneId;

/// Steps in phase order, then file order (steps of unknown phases last).
pub fn steps(rb: &Runbook) -> Vec<&Step> {
    let mut out: Vec<&Step> = Vec::new();
    for p in &rb.phases {
        out.extend(rb.steps_of(&p.id));
    }
    out.extend(rb.steps.iter().filter(|s| rb.phase(&s.phase).is_none()));
    out
}

/// Criteria by severity (critical → high → medium), file order within.
pub fn criteria(rb: &Runbook) -> Vec<&Criterion> {
    let mut out: Vec<&Criterion> = rb.criteria.iter().collect();
    out.sort_by_key(|c| c.severity);
    out
}

pub fn count(rb: &Runbook, pane: PaneId) -> usize {
    match pane {
        PaneId::Steps => rb.steps.len(),
        PaneId::Checklist => rb.criteria.len(),
        PaneId::Probes => rb.probes.len(),
        PaneId::Logs => rb.logs.len(),
        PaneId::Escalation => rb.escalation.as_ref().map_or(0, |e| e.levels.len()),
    }
}

/// Text of each item, for `/` search.
pub fn search_texts(rb: &Runbook, pane: PaneId) -> Vec<String> {
    match pane {
        PaneId::Steps => steps(rb).iter().map(|s| format!("{} {}", s.id, s.title)).collect(),
        PaneId::Checklist => criteria(rb).iter().map(|c| format!("{} {}", c.id, c.title)).collect(),
        PaneId::Probes => rb.probes.iter().map(|p| format!("{} {}", p.id, p.title)).collect(),
        PaneId::Logs => rb.logs.iter().map(|l| format!("{} {}", l.id, l.title)).collect(),
        PaneId::Escalation => {
            rb.escalation.iter().flat_map(|e| e.levels.iter().map(|l| format!("{} {}", l.name, l.who))).collect()
        }
    }
}

/// Indices of items whose text contains `query` (case-insensitive).
pub fn matches(rb: &Runbook, pane: PaneId, query: &str) -> Vec<usize> {
    let q = query.to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    search_texts(rb, pane).iter().enumerate().filter(|(_, t)| t.to_lowercase().contains(&q)).map(|(i, _)| i).collect()
}

/// One item the walkthrough asks about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WalkItem {
    Step(String),
    Criterion(String),
}

/// Pending items for the walkthrough: steps in order that are neither done
/// nor succeeded, then criteria still pending, critical first.
pub fn pending(rb: &Runbook, st: &SessionState) -> Vec<WalkItem> {
    let mut out = Vec::new();
    for s in steps(rb) {
        if !matches!(st.step_status(&s.id), StepStatus::Succeeded | StepStatus::Done) {
            out.push(WalkItem::Step(s.id.clone()));
        }
    }
    for c in criteria(rb) {
        if st.verdict(&c.id) == Verdict::Pending {
            out.push(WalkItem::Criterion(c.id.clone()));
        }
    }
    out
}

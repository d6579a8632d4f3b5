//! The five panes and the status line, one file each. Every pane draws from
//! the runbook, the folded `SessionState` and the app's view state only.

pub mod checklist;
pub mod escalation;
pub mod logs;
pub mod probe_row;
pub mod probes;
pub mod scroll;
pub mod status;
pub mod status_team;
pub mod steps;

use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaneId {
    Steps,
    Checklist,
    Probes,
    Logs,
    Escalation,
}

impl PaneId {
    pub const ALL: &'static [PaneId] =
        &[PaneId::Steps, PaneId::Checklist, PaneId::Probes, PaneId::Logs, PaneId::Escalation];

    pub fn index(self) -> usize {
        PaneId::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
    pub fn title(self) -> &'static str {
        match self {
            PaneId::Steps => "Steps",
            PaneId::Checklist => "Checklist",
            PaneId::Probes => "Probes",
            PaneId::Logs => "Logs",
            PaneId::Escalation => "Escalation",
        }
    }
    /// Section name in keys.toml and pane name in layouts.
    pub fn key_section(self) -> &'static str {
        match self {
            PaneId::Steps => "steps",
            PaneId::Checklist => "checklist",
            PaneId::Probes => "probes",
            PaneId::Logs => "logs",
            PaneId::Escalation => "escalation",
        }
    }
    pub fn parse(name: &str) -> Option<PaneId> {
        PaneId::ALL.iter().copied().find(|p| p.key_section() == name)
    }
}

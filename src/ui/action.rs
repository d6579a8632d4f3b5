//! Everything a key can do. Keymaps (`keys.toml`) name these in kebab-case;
//! the help overlay and the command palette list them from `Action::ALL`, so
//! neither can go out of date.

use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    FocusNext,
    FocusPrev,
    FocusSteps,
    FocusChecklist,
    FocusProbes,
    FocusLogs,
    FocusEscalation,
    MoveDown,
    MoveUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Details,
    MarkPass,
    MarkFail,
    MarkNa,
    TickStep,
    RunStep,
    AbortStep,
    Decision,
    Rollback,
    DeclareIncident,
    Escalate,
    Acknowledge,
    ResolveIncident,
    Mitigated,
    ChangeSeverity,
    Who,
    Handover,
    WhyNotGo,
    TimeMachine,
    WhatChanged,
    Search,
    SearchNext,
    SearchPrev,
    Follow,
    Templates,
    NextLayout,
    NextTheme,
    Walkthrough,
    SwitchOperator,
    Help,
    Messages,
    Palette,
    Mouse,
    Suspend,
    Quit,
}

impl Action {
    /// Every action, in the order help and the palette list them.
    pub const ALL: &'static [Action] = &[
        Action::FocusNext,
        Action::FocusPrev,
        Action::FocusSteps,
        Action::FocusChecklist,
        Action::FocusProbes,
        Action::FocusLogs,
        Action::FocusEscalation,
        Action::MoveDown,
        Action::MoveUp,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::Details,
        Action::MarkPass,
        Action::MarkFail,
        Action::MarkNa,
        Action::TickStep,
        Action::RunStep,
        Action::AbortStep,
        Action::Decision,
        Action::Rollback,
        Action::DeclareIncident,
        Action::Escalate,
        Action::Acknowledge,
        Action::ResolveIncident,
        Action::Mitigated,
        Action::ChangeSeverity,
        Action::Who,
        Action::Handover,
        Action::WhyNotGo,
        Action::TimeMachine,
        Action::WhatChanged,
        Action::Search,
        Action::SearchNext,
        Action::SearchPrev,
        Action::Follow,
        Action::Templates,
        Action::NextLayout,
        Action::NextTheme,
        Action::Walkthrough,
        Action::SwitchOperator,
        Action::Help,
        Action::Messages,
        Action::Palette,
        Action::Mouse,
        Action::Suspend,
        Action::Quit,
    ];

    /// The name used in keys.toml and the palette.
    pub fn name(self) -> &'static str {
        match self {
            Action::FocusNext => "focus-next",
            Action::FocusPrev => "focus-prev",
            Action::FocusSteps => "focus-steps",
            Action::FocusChecklist => "focus-checklist",
            Action::FocusProbes => "focus-probes",
            Action::FocusLogs => "focus-logs",
            Action::FocusEscalation => "focus-escalation",
            Action::MoveDown => "move-down",
            Action::MoveUp => "move-up",
            Action::PageDown => "page-down",
            Action::PageUp => "page-up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Details => "details",
            Action::MarkPass => "mark-pass",
            Action::MarkFail => "mark-fail",
            Action::MarkNa => "mark-na",
            Action::TickStep => "tick-step",
            Action::RunStep => "run-step",
            Action::AbortStep => "abort-step",
            Action::Decision => "decision",
            Action::Rollback => "rollback",
            Action::DeclareIncident => "declare-incident",
            Action::Escalate => "escalate",
            Action::Acknowledge => "acknowledge",
            Action::ResolveIncident => "resolve-incident",
            Action::Mitigated => "mitigated",
            Action::ChangeSeverity => "change-severity",
            Action::Who => "who",
            Action::Handover => "handover",
            Action::WhyNotGo => "why-not-go",
            Action::TimeMachine => "time-machine",
            Action::WhatChanged => "what-changed",
            Action::Search => "search",
            Action::SearchNext => "search-next",
            Action::SearchPrev => "search-prev",
            Action::Follow => "follow",
            Action::Templates => "templates",
            Action::NextLayout => "next-layout",
            Action::NextTheme => "next-theme",
            Action::Walkthrough => "walkthrough",
            Action::SwitchOperator => "switch-operator",
            Action::Help => "help",
            Action::Messages => "messages",
            Action::Palette => "palette",
            Action::Mouse => "mouse",
            Action::Suspend => "suspend",
            Action::Quit => "quit",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// One line for the help overlay and the palette.
    pub fn describe(self) -> &'static str {
        match self {
            Action::FocusNext => "focus the next pane",
            Action::FocusPrev => "focus the previous pane",
            Action::FocusSteps => "focus Steps",
            Action::FocusChecklist => "focus Checklist",
            Action::FocusProbes => "focus Probes",
            Action::FocusLogs => "focus Logs",
            Action::FocusEscalation => "focus Escalation",
            Action::MoveDown => "move the selection down",
            Action::MoveUp => "move the selection up",
            Action::PageDown => "move a page down",
            Action::PageUp => "move a page up",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::Details => "details of the selected item",
            Action::MarkPass => "checklist: mark pass (again: back to pending)",
            Action::MarkFail => "checklist: mark fail",
            Action::MarkNa => "checklist: mark not applicable",
            Action::TickStep => "steps: tick a manual step done / not done",
            Action::RunStep => "steps: run the selected step",
            Action::AbortStep => "steps: abort the running step or rollback (asks first)",
            Action::Decision => "record the decision: GO / NO-GO / ROLLBACK",
            Action::Rollback => "rollback: choose, confirm, approve",
            Action::DeclareIncident => "declare an incident (starts the escalation clock)",
            Action::Escalate => "escalate the incident now",
            Action::Acknowledge => "acknowledge the current escalation level",
            Action::ResolveIncident => "resolve the incident (asks first; every clock stops)",
            Action::Mitigated => "incident mitigated: its mitigation clock stops",
            Action::ChangeSeverity => "change the open incident's severity",
            Action::Who => "who is here: every console on the session",
            Action::Handover => "handover: what changed, what is open",
            Action::WhyNotGo => "why not GO: every criterion that blocks, its severity, since when, its source",
            Action::TimeMachine => "time machine: the whole console at any past moment (Esc back to live)",
            Action::WhatChanged => "what changed in the last 10 minutes: verdicts, runs, probes, decisions, who",
            Action::Search => "search in the focused pane",
            Action::SearchNext => "next search match",
            Action::SearchPrev => "previous search match",
            Action::Follow => "logs: follow on/off",
            Action::Templates => "communication templates: preview and copy",
            Action::NextLayout => "next layout",
            Action::NextTheme => "next theme",
            Action::Walkthrough => "walkthrough: one pending item at a time",
            Action::SwitchOperator => "switch the operator at the keyboard",
            Action::Help => "this help",
            Action::Messages => "message history: every message so far, newest last",
            Action::Palette => "command palette",
            Action::Mouse => "mouse capture on/off",
            Action::Suspend => "suspend to the shell (fg to come back)",
            Action::Quit => "quit (asks first while something runs)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
            let parsed: Action = serde_json::from_value(serde_json::json!(a.name())).unwrap();
            assert_eq!(parsed, *a);
        }
        assert_eq!(Action::from_name("no-such"), None);
    }
}

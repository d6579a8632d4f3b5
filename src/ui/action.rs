//! Everything a key can do: `Action` in the panes, `DialogAction` inside a
//! dialog. Keymaps (`keys.toml`) name these in kebab-case; the help overlay
//! and the command palette list them from `ALL`, so neither can go out of date. Each action is written once, in the table
//! below: its variant, its keys.toml name and its one-line description.

/// Defines a copyable enum of named, described actions from one table:
/// `Variant "name" => "description",` per line, in listing order. It gives
/// `ALL` (that order), `name`, `from_name`, `describe` and serde's
/// `Deserialize` from the name. Pane actions ([`Action`]) and dialog actions
/// ([`DialogAction`]) are both written with it.
macro_rules! named_actions {
    ($(#[$meta:meta])* $vis:vis enum $ty:ident { $($variant:ident $name:literal => $describe:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $ty {
            $($variant,)+
        }

        impl $ty {
            /// Every one, in the order help and the palette list them.
            pub const ALL: &'static [$ty] = &[$($ty::$variant,)+];

            /// The name used in keys.toml and the palette.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }

            pub fn from_name(name: &str) -> Option<$ty> {
                $ty::ALL.iter().copied().find(|a| a.name() == name)
            }

            /// One line for the help overlay and the palette.
            pub fn describe(self) -> &'static str {
                match self {
                    $($ty::$variant => $describe,)+
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = String::deserialize(d)?;
                $ty::from_name(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown action \"{name}\"")))
            }
        }
    };
}

named_actions! {
    pub enum Action {
        FocusNext "focus-next" => "focus the next pane",
        FocusPrev "focus-prev" => "focus the previous pane",
        FocusSteps "focus-steps" => "focus Steps",
        FocusChecklist "focus-checklist" => "focus Checklist",
        FocusProbes "focus-probes" => "focus Probes",
        FocusLogs "focus-logs" => "focus Logs",
        FocusEscalation "focus-escalation" => "focus Escalation",
        MoveDown "move-down" => "move the selection down",
        MoveUp "move-up" => "move the selection up",
        PageDown "page-down" => "move a page down (Logs: newer lines)",
        PageUp "page-up" => "move a page up (Logs: older lines)",
        Top "top" => "go to the top (Logs: oldest kept line)",
        Bottom "bottom" => "go to the bottom (Logs: follow again)",
        Details "details" => "details of the selected item (a log: full-screen)",
        MarkPass "mark-pass" => "checklist: mark pass (again: back to pending)",
        MarkFail "mark-fail" => "checklist: mark fail",
        MarkNa "mark-na" => "checklist: mark not applicable",
        TickStep "tick-step" => "steps: tick a manual step done / not done",
        RunStep "run-step" => "steps: run the selected step",
        AbortStep "abort-step" => "steps: abort the running step or rollback (asks first)",
        Decision "decision" => "record the decision: GO / NO-GO / ROLLBACK",
        Rollback "rollback" => "rollback: choose, confirm, approve",
        DeclareIncident "declare-incident" => "declare an incident (starts the escalation clock)",
        Escalate "escalate" => "escalate the incident now",
        Acknowledge "acknowledge" => "acknowledge the current escalation level",
        ResolveIncident "resolve-incident" => "resolve the incident (asks first; every clock stops)",
        Mitigated "mitigated" => "incident mitigated (asks first): its mitigation clock stops",
        ChangeSeverity "change-severity" => "change the open incident's severity",
        Who "who" => "who is here: every console on the session",
        Handover "handover" => "handover: what changed, what is open",
        WhyNotGo "why-not-go" => "why not GO: every criterion that blocks, its severity, since when, its source",
        TimeMachine "time-machine" => "time machine: the whole console at any past moment (Esc back to live)",
        WhatChanged "what-changed" => "what changed in the last 10 minutes: verdicts, runs, probes, decisions, who",
        AddNote "add-note" => "add a note to the session's timeline (journaled)",
        Activity "activity" => "activity: everyone's acts and notes, newest last",
        Search "search" => "search in the focused pane (Logs: the log's lines)",
        SearchNext "search-next" => "next search match (Logs: older)",
        SearchPrev "search-prev" => "previous search match (Logs: newer)",
        Follow "follow" => "logs: follow on/off",
        Templates "templates" => "communication templates: preview, copy, send",
        NextLayout "next-layout" => "next layout",
        NextTheme "next-theme" => "next theme",
        Walkthrough "walkthrough" => "walkthrough: one pending item at a time",
        SwitchOperator "switch-operator" => "switch the operator at the keyboard",
        Help "help" => "this help",
        Messages "messages" => "message history: every message so far, newest last",
        Palette "palette" => "command palette",
        Mouse "mouse" => "mouse capture on/off",
        Suspend "suspend" => "suspend to the shell (fg to come back)",
        Quit "quit" => "quit (asks first while something runs)",
    }
}

named_actions! {
    /// What a key does inside a dialog. keys.toml binds them per dialog
    /// (`[dialog.<name>]`, `overlay::layer::Layer`); the built-in file says
    /// which dialog has which, and help (`?`) lists them from the live keymap.
    pub enum DialogAction {
        Close "close" => "close (a step inside the dialog: back; a prompt: cancel)",
        Submit "submit" => "do what the dialog is for: run, keep, record, switch, approve/fire, find",
        Yes "yes" => "answer yes",
        No "no" => "answer no",
        Down "down" => "down a line, or the next item",
        Up "up" => "up a line, or the previous item",
        PageDown "page-down" => "a page down",
        PageUp "page-up" => "a page up",
        Top "top" => "to the top",
        Bottom "bottom" => "to the end (a list that follows: the newest again)",
        Left "left" => "sideways: half a screen left",
        Right "right" => "sideways: half a screen right",
        NextChoice "next-choice" => "the next choice (GO / NO-GO / ROLLBACK, a severity)",
        PrevChoice "prev-choice" => "the previous choice",
        Find "find" => "find a text (n/N: the next/previous line with it)",
        FindNext "find-next" => "the next line with the text found",
        FindPrev "find-prev" => "the previous line with the text found",
        Copy "copy" => "copy (a template: its filled text, journaled; the handover: its Markdown)",
        Send "send" => "send the template to its send_to channels",
        Acknowledge "acknowledge" => "acknowledge the handover: I take over",
        AddNote "add-note" => "add a note to the session's timeline",
        Output "output" => "the selected rollback's last output",
        Abort "abort" => "abort the selected rollback while it runs (asks first)",
        Skip "skip" => "skip this item for now",
        Back "back" => "bring the last skipped item back",
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
        for a in DialogAction::ALL {
            assert_eq!(DialogAction::from_name(a.name()), Some(*a));
        }
    }
}

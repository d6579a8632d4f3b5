//! The dialogs' key layers: each dialog (or a step inside one, like a prompt)
//! looks its keys up in its own `[dialog.<name>]` section of keys.toml
//! (`Keymap::dialog_action`), so they can be remapped and help lists them.
//! In a layer with a text field, a key that types a character is text: such
//! a layer cannot bind one (keys.toml says so, naming file and line).

/// One table, one line per layer: variant, keys.toml name, whether it has a
/// text field, and what it is, for help.
macro_rules! layers {
    ($($variant:ident $name:literal $text:literal => $about:literal,)+) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Layer {
            $($variant,)+
        }

        impl Layer {
            /// Every layer, in the order help lists them.
            pub const ALL: &'static [Layer] = &[$(Layer::$variant,)+];

            /// The section's name after `dialog.` in keys.toml.
            pub fn name(self) -> &'static str {
                match self {
                    $(Layer::$variant => $name,)+
                }
            }

            /// Letters and other printable keys are typed text here.
            pub fn text(self) -> bool {
                match self {
                    $(Layer::$variant => $text,)+
                }
            }

            /// Which dialog it is, for help; `{action}` stands for the key
            /// that opens it, filled from the live keymap (`hint::fill`).
            pub fn about(self) -> &'static str {
                match self {
                    $(Layer::$variant => $about,)+
                }
            }

            pub fn from_name(name: &str) -> Option<Layer> {
                Layer::ALL.iter().copied().find(|l| l.name() == name)
            }
        }
    };
}

layers! {
    Help "help" false => "{help} this help",
    Messages "messages" false => "{messages} the message history",
    Activity "activity" false => "{activity} the activity feed",
    Text "text" false => "{why-not-go} why not GO, {what-changed} what changed",
    Who "who" false => "{who} who is here",
    Handover "handover" false => "{handover} the handover",
    Details "details" false => "{details} an item's details (1-9 copy its numbered links)",
    Log "log" false => "{details} on a log: the log full-screen (with the [logs] pane keys)",
    Templates "templates" false => "{templates} the message templates",
    Rollback "rollback" false => "{rollback} rollbacks: the list and a run's output",
    Walkthrough "walkthrough" false => "{walkthrough} the walkthrough (with the [checklist] mark keys)",
    Confirm "confirm" false => "a yes/no question (also in the decision and rollback dialogs)",
    Prompt "prompt" true => "a one-line prompt: find in details or a log, a rollback's id",
    Palette "palette" true => "{palette} the command palette",
    Search "search" true => "{search} search in a pane",
    Decision "decision" true => "{decision} record the decision",
    Declare "declare" true => "{declare-incident} declare an incident, {change-severity} change its severity",
    Operator "operator" true => "{switch-operator} who is at the keyboard",
    Note "note" true => "{add-note} add a note",
}

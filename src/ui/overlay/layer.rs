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

            /// Which dialog it is, for help.
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
    Help "help" false => "? this help",
    Messages "messages" false => "m the message history",
    Activity "activity" false => "A the activity feed",
    Text "text" false => "y why not GO, E what changed",
    Who "who" false => "W who is here",
    Handover "handover" false => "H the handover",
    Details "details" false => "Enter an item's details (1-9 copy its numbered links)",
    Log "log" false => "Enter on a log: the log full-screen (with the [logs] pane keys)",
    Templates "templates" false => "c the message templates",
    Rollback "rollback" false => "B rollbacks: the list and a run's output",
    Walkthrough "walkthrough" false => "w the walkthrough (with the [checklist] mark keys)",
    Confirm "confirm" false => "a yes/no question (also in the decision and rollback dialogs)",
    Prompt "prompt" true => "a one-line prompt: find in details or a log, a rollback's id",
    Palette "palette" true => ": the command palette",
    Search "search" true => "/ search in a pane",
    Decision "decision" true => "d record the decision",
    Declare "declare" true => "i declare an incident, s change its severity",
    Operator "operator" true => "o who is at the keyboard",
    Note "note" true => "C add a note",
}

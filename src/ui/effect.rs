//! What `App::update` asks the loop to do: the app never does I/O itself.

use crate::domain::event::EventKind;

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Write an event to the journal as `operator`; the records come back folded.
    Append {
        operator: String,
        event: EventKind,
    },
    /// Read new journal records (another writer appended).
    PollJournal,
    /// Copy text to the clipboard (OSC 52 / tmux).
    Copy(String),
    SetMouse(bool),
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    Suspend,
    Quit,
}

//! What `App::update` asks the loop to do: the app never does I/O itself.

use crate::domain::event::{EventKind, RunKind};

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
    /// Post filled templates to their channels in the background (`sources::channels`).
    Send(Vec<crate::sources::channels::Delivery>),
    SetMouse(bool),
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    Suspend,
    Quit,
    /// Open the time machine on this session's journal (`ui::replay`).
    TimeMachine,
    /// "What changed in the last minutes": needs the journal's records.
    WhatChanged,
    /// Start a step or rollback (journal `*.started`, spawn; see `ui::session::runs`).
    StartRun {
        kind: RunKind,
        id: String,
    },
    /// Approve rollback `id` as the operator and fire it, both or neither:
    /// refused, writing nothing, when the journal shows a run of it that the
    /// operator had not seen (`runs_seen` runs were known when they chose it).
    ApproveAndFire {
        id: String,
        runs_seen: usize,
    },
    /// Abort this console's run of a step or rollback (whole process group).
    AbortRun {
        kind: RunKind,
        id: String,
    },
    /// Read the journal and open the handover (`ui::overlay::handover`).
    OpenHandover,
    /// Read a past run's output file (relative to the journal's folder) for the details view.
    LoadOutput {
        kind: RunKind,
        id: String,
        run: u32,
        output: String,
        /// Only for a last line in a list (`B`): a file that cannot be read is not worth a message.
        quiet: bool,
    },
}

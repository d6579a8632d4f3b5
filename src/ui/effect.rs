//! What `App::update` asks the loop to do: the app never does I/O itself.
//! A dialog's key handler reads the app and answers with effects too: those
//! that change only the app (say, run an action, a model or view change) are
//! applied in one place, `App::apply`, in order, before the rest reach the
//! driver's interpreter (`Session::run_effects`).

use crate::domain::event::{EventKind, RunKind};

use super::action::Action;
use super::app::MsgKind;
use super::panes::PaneId;

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
    /// Say something to the operator (`App::say`): the message line and the history.
    Say(String, MsgKind),
    /// Run an action as its key would (`App::update`, e.g. the palette's Enter);
    /// the effects it asks for follow in place. A dialog it opens takes the
    /// place of the dialog that ran it (`overlay::stack`).
    Run(Action),
    /// A change to what the console knows that only this console's keys make.
    Model(ModelChange),
    /// A change to how the console shows things, outside the dialog's own state.
    View(ViewChange),
}

/// What a dialog changes in the model (`App::apply`, through `Model`'s methods).
#[derive(Clone, Debug, PartialEq)]
pub enum ModelChange {
    /// The message history was read (`Model::messages_read`).
    MessagesRead,
    /// Acts from here on are this operator's (`Model::switch_operator`).
    SwitchOperator(String),
    /// The operator has seen this alarm (`Model::review_alarm`).
    ReviewAlarm(String),
}

/// What a dialog changes in the view besides its own state (`App::apply`).
#[derive(Clone, Debug, PartialEq)]
pub enum ViewChange {
    /// Select item `index` of `pane` (`App::select`, clamped to the list).
    Select(PaneId, usize),
    /// Remember the search for `n` / `N`.
    LastSearch(PaneId, String),
    /// Messages said so far are dismissed: the message line shows only newer ones.
    Dismiss,
    /// A Logs pane key (paging, follow, `n`/`N`) on the selected log (`ui::logs_view::pane_key`).
    LogKey(Action),
    /// Search `query` in log `log`'s kept lines (`ui::logs_view::search_start`).
    LogSearch { log: String, query: String },
}

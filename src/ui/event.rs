//! Everything that reaches the console's loop, as one enum.

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::sources::SourceEvent;

#[derive(Clone, Debug)]
pub enum Inbound {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The terminal changed size; the next draw reads the new size (coalesced).
    Resize(u16, u16),
    /// Once a second, for the clocks.
    Tick,
    Source(SourceEvent),
    Signal(Signal),
    /// Reading the terminal failed (EOF/EIO: the SSH session dropped).
    InputClosed(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
    Hangup,
    /// SIGTSTP from outside (`kill -TSTP`): suspend like Ctrl-Z.
    Stop,
}

//! What the screen keeps in view, seen through the real binary in a real tmux
//! (the binary's private server, tests/support/tmux.rs): lists after resizes and layout
//! changes, cut-list markers, failing rows, 80×24. Every wait polls the screen
//! against a deadline; nothing sleeps a fixed time.

#[path = "screen/tmux.rs"]
mod tmux;

#[path = "screen/lists.rs"]
mod lists;

#[path = "screen/probes.rs"]
mod probes;

#[path = "screen/status.rs"]
mod status;

#[path = "screen/words.rs"]
mod words;

#[path = "screen/help.rs"]
mod help;

#[path = "screen/details.rs"]
mod details;

#[path = "screen/runs.rs"]
mod runs;

#[path = "screen/notes.rs"]
mod notes;

#[path = "screen/logs.rs"]
mod logs;

//! The console: a full-screen ratatui app driven by the keyboard.
//!
//! - `app`: the state machine (`App::update(Action) -> Vec<Effect>`), no I/O.
//! - `run`: the tokio loop that feeds it keys, ticks, source events and
//!   signals, runs its effects and redraws when something changed.
//! - `panes/`, `overlay/`: drawing; `keymap`, `theme`, `layout`: user files.
//! - `terminal`: raw mode / alternate screen, restored exactly once.

pub mod action;
pub mod activity;
pub mod ansi16;
pub mod app;
pub mod background;
pub mod banner;
pub mod chrome;
pub mod clipboard;
pub mod config_error;
pub mod contradictions;
pub mod driver;
pub mod effect;
pub mod event;
pub mod fuzzy;
pub mod hyperlink;
pub mod incident;
pub mod items;
pub mod keymap;
pub mod launch;
pub mod layout;
pub mod links;
pub mod logs_live;
pub mod logs_view;
pub mod messages;
pub mod model;
pub mod overlay;
pub mod panes;
pub mod plain;
pub mod presence;
pub mod recommend;
pub mod render;
pub mod replay;
pub mod replay_launch;
pub mod replay_session;
pub mod run;
pub mod run_line;
pub mod session;
pub mod step_keys;
pub mod symbols;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod timefmt;
pub mod view;
pub mod why_not_go;
pub mod wiring;

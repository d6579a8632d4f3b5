//! warroom: a terminal console for production go-lives, deploy windows and incidents.
//!
//! - `domain`: pure model, journal events, folded state, rules (no I/O).
//! - `sources`: processes, probes, log tails, journal store — the world, as events.
//! - `ui`: the console (ratatui), panes, dialogs, themes, layouts, keymap.
//! - `cli`: one file per command.
//! - `demo`: the built-in runbook, local platform and log generator.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod sources;
pub mod ui;

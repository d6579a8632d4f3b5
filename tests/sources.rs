//! Sources against the real world: real processes (process groups, timeouts,
//! aborts, stdin), a real HTTP server on 127.0.0.1 for probes, and the
//! sanitiser on everything they bring in.

#[path = "sources/cli_probe.rs"]
mod cli_probe;
#[path = "support/console.rs"]
mod console_support;
#[path = "sources/console_wiring.rs"]
mod console_wiring;
#[path = "sources/probes.rs"]
mod probes;
#[path = "sources/processes.rs"]
mod processes;
#[path = "sources/sanitize.rs"]
mod sanitize;
#[path = "sources/secrets.rs"]
mod secrets;
#[path = "sources/server.rs"]
mod server;
#[path = "sources/steps.rs"]
mod steps;
#[path = "sources/tmux_steps.rs"]
mod tmux_steps;

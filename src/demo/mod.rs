//! `warroom demo`'s world: the built-in runbook, a local platform to probe
//! (real HTTP on 127.0.0.1), generated log files, and the session that runs
//! them in a temp folder of their own.

pub mod control;
pub mod loggen;
pub mod platform;
pub mod recorded;
pub mod runbook;
pub mod session;

pub use session::DemoSession;

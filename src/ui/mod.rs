//! The console (being built).
pub mod clipboard;

//! The console (being built).

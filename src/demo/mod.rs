//! `warroom demo` (being built).

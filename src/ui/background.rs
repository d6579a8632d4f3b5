//! Which default theme suits the terminal: its background colour is asked for
//! (OSC 11, through the `terminal-colorsaurus` crate, which also sends a
//! device-attributes query so a terminal that never answers is known at once
//! instead of after the time-out). A light background gets the `light` theme,
//! anything else — including no answer — the `dark` one, whose text and titles
//! are the terminal's own foreground and so readable either way.

use std::io::IsTerminal;
use std::time::Duration;

use terminal_colorsaurus::{theme_mode, QueryOptions, ThemeMode};

/// Over SSH an answer takes a round trip; past this the console starts anyway.
const ANSWER_WITHIN: Duration = Duration::from_millis(300);

/// The built-in theme for the terminal's background, or `fallback` when the
/// terminal cannot be asked (not a terminal) or does not answer. Plain mode
/// (`--plain`, `TERM=dumb`: `sources::settings`) never calls this: it draws no colours.
pub fn default_theme(fallback: &'static str) -> &'static str {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return fallback;
    }
    let mut options = QueryOptions::default();
    options.timeout = ANSWER_WITHIN;
    match theme_mode(options) {
        Ok(ThemeMode::Light) => "light",
        Ok(ThemeMode::Dark) => "dark",
        Err(_) => fallback,
    }
}

//! The console the rendering benchmarks draw: built-in keys, the dark theme
//! in true colour, Unicode symbols, as operator ana@bastion.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use warroom::domain::runbook::Runbook;
use warroom::ui::app::{App, AppConfig};
use warroom::ui::keymap::Keymap;
use warroom::ui::layout::Layout;
use warroom::ui::symbols::Symbols;
use warroom::ui::theme::{ColorDepth, Theme};

/// A console on `runbook` in `layout` (a built-in one), its clock at `now`.
pub fn app(runbook: Runbook, layout: &str, now: DateTime<Utc>) -> App {
    App::new(AppConfig {
        runbook,
        operator: "ana@bastion".into(),
        read_only: None,
        keymap: Keymap::default_map(),
        theme: Theme::builtin("dark", ColorDepth::TrueColor),
        layout: Layout::builtin(layout),
        config_dir: None,
        symbols: Symbols { ascii: false },
        now,
    })
}

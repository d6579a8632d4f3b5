//! A console session for in-process tests: an `App` with the built-in keys,
//! the dark theme without colour, layout `t0`, on a journal of its own,
//! driven through the shared driver (`Session::feed`) as the real console is.

#![allow(dead_code)]

use std::path::Path;

use chrono::Utc;
use warroom::domain::runbook::Runbook;
use warroom::sources::journal::Journal;
use warroom::ui::app::{App, AppConfig};
use warroom::ui::keymap::Keymap;
use warroom::ui::layout::Layout;
use warroom::ui::session::Session;
use warroom::ui::symbols::Symbols;
use warroom::ui::theme::{ColorDepth, Theme};

/// The runbook `text`, written to `dir/rb.toml` and loaded (its folder is where steps run).
pub fn runbook(dir: &Path, text: &str) -> Runbook {
    let path = dir.join("rb.toml");
    std::fs::write(&path, text).unwrap();
    warroom::domain::loader::load_bytes(&path, text.as_bytes()).unwrap_or_else(|d| panic!("{d:?}")).runbook
}

/// A console on `rb` as `operator` (`read_only`: the reason nothing is written).
pub fn app(rb: Runbook, operator: &str, read_only: Option<&str>) -> App {
    App::new(AppConfig {
        runbook: rb,
        operator: operator.into(),
        read_only: read_only.map(String::from),
        keymap: Keymap::load(None).unwrap(),
        theme: Theme::load("dark", None, ColorDepth::None).unwrap(),
        layout: Layout::load("t0", None).unwrap(),
        config_dir: None,
        symbols: Symbols::for_term(None),
        now: Utc::now(),
    })
}

/// That console on the journal at `journal`, its records folded in.
pub fn session(rb: Runbook, journal: &Path, operator: &str, read_only: Option<&str>) -> Session {
    let opened = Journal::open(journal).unwrap();
    Session::new(app(rb, operator, read_only), opened)
}

//! Starting the console: everything that can fail on bad input (keys, theme,
//! layout, journal) is checked *before* the terminal is touched, so errors
//! print as one paragraph on a normal screen with exit 2.

use std::path::PathBuf;

use crate::cli::common::{self, EXIT_OK};
use crate::cli::Common;
use crate::domain::event::EventKind;
use crate::domain::runbook::Runbook;
use crate::domain::session_runbook::Outline;
use crate::sources::journal::Journal;

use super::app::{App, AppConfig, MsgKind};
use super::config_error::ConfigError;
use super::keymap::Keymap;
use super::layout::Layout;
use super::run::{self, Exit, Session};
use super::symbols::Symbols;
use super::theme::{self, Theme};

pub const DEFAULT_THEME: &str = "dark";
pub const DEFAULT_LAYOUT: &str = "t0";

/// Keys, theme and layout from the command line and the config dir.
pub struct Looks {
    pub keymap: Keymap,
    pub theme: Theme,
    pub layout: Layout,
}

pub fn looks(c: &Common, config_dir: Option<&std::path::Path>) -> Result<Looks, ConfigError> {
    let keymap = Keymap::load(config_dir)?;
    // No theme asked for: the one that suits the terminal's background (plain
    // mode draws no colours, so the terminal is not asked).
    let theme_name = match &c.theme {
        Some(name) => name.clone(),
        None if c.plain => DEFAULT_THEME.to_string(),
        None => super::background::default_theme(DEFAULT_THEME).to_string(),
    };
    // A `monochrome = true` theme (the built-in `mono`) drops colour itself.
    let depth = theme::color_depth(None, &theme::process_env);
    let theme = Theme::load(&theme_name, config_dir, depth)?;
    let layout = Layout::load(c.layout.as_deref().unwrap_or(DEFAULT_LAYOUT), config_dir)?;
    Ok(Looks { keymap, theme, layout })
}

/// What to open.
pub struct Launch {
    pub runbook: Runbook,
    pub journal_path: PathBuf,
    /// The runbook file, recorded in `session.opened` for `report` (none for an embedded one).
    pub runbook_path: Option<PathBuf>,
    /// Always shown first in the status line (`DEMO`).
    pub badge: Option<&'static str>,
    /// Shown in the message line at start (loader warnings, …).
    pub warnings: Vec<String>,
}

/// Opens the console and runs it to the end; the exit code for the CLI.
/// Log tails start here for every entry point (open, demo); probes and runs
/// start inside the loop (`Session::start_procs`).
pub fn launch(l: Launch, c: &Common) -> i32 {
    let config_dir = common::config_dir();
    let looks = match looks(c, config_dir.as_deref()) {
        Ok(l) => l,
        Err(e) => return common::bad_input(e),
    };
    let opened = if c.read_only { Journal::open_read_only(&l.journal_path) } else { Journal::open(&l.journal_path) };
    let mut opened = match opened {
        Ok(o) => o,
        Err(e) => return common::bad_input(e),
    };
    match common::signer(c, l.runbook.access.sign) {
        Ok(Some(signer)) => opened.journal.set_signer(signer),
        Ok(None) => {}
        Err(e) => return common::bad_input(e),
    }
    let operator = common::operator(c);
    let read_only =
        if c.read_only { Some("watching only (--read-only)".to_string()) } else { opened.read_only_reason.clone() };
    let mut app = App::new(AppConfig {
        runbook: l.runbook,
        operator: operator.clone(),
        read_only,
        keymap: looks.keymap,
        theme: looks.theme,
        layout: looks.layout,
        config_dir,
        symbols: Symbols::for_term(std::env::var("TERM").ok().as_deref()),
        now: crate::sources::clock::now(),
    });
    app.badge = l.badge;
    let opened_warnings = std::mem::take(&mut opened.warnings);
    let mut session = Session::new(app, opened);
    if session.app.read_only.is_none() {
        let ev = EventKind::SessionOpened {
            runbook: session.app.runbook.id.clone(),
            title: session.app.runbook.title.clone(),
            client: Some(format!("warroom {} console", env!("CARGO_PKG_VERSION"))),
            path: l
                .runbook_path
                .as_deref()
                .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string()),
            runbook_sha256: crate::cli::runbook_file::sha256_of(&session.app.runbook.path),
            outline: Some(Box::new(Outline::of(&session.app.runbook))),
        };
        session.append(&operator, &ev);
    }
    let notes: Vec<String> = l.warnings.into_iter().chain(opened_warnings).collect();
    // Each into the message history (m); the bar shows the last and how many are unread.
    for note in &notes {
        session.app.say(note.clone(), MsgKind::Warn);
    }
    // A7: line-by-line for screen readers, and what a dumb terminal can show.
    let plain = c.plain || std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return common::bad_input(format!("cannot start the async runtime: {e}")),
    };
    let result = rt.block_on(async move {
        let (tx, rx) = crate::sources::event_channel();
        // Held until the console ends: dropping a handle stops its tail.
        let _tails = super::logs_live::start_tails(
            &session.app.runbook,
            &session.app.runbook.dir,
            session.app.redactor.clone(),
            tx.clone(),
        );
        if plain {
            super::plain::run(session, tx, rx).await
        } else {
            run::run(session, tx, rx).await
        }
    });
    // Source tasks may be blocked on I/O: do not wait for them.
    rt.shutdown_background();
    match result {
        Ok(Exit::Quit) => EXIT_OK,
        Ok(Exit::Signal(s)) => match s {
            super::event::Signal::Interrupt => 130,
            super::event::Signal::Terminate => 143,
            super::event::Signal::Hangup | super::event::Signal::Stop => 129,
        },
        Ok(Exit::InputClosed(_)) => 129,
        Err(e) => {
            eprintln!("warroom: the terminal failed: {e}");
            1
        }
    }
}

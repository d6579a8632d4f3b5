//! Starting the console: everything that can fail on bad input (keys, theme,
//! layout, journal) is checked *before* the terminal is touched, so errors
//! come back as one paragraph for the command line (`cli::launch`) to print
//! on a normal screen with exit 2. Everything it needs from the command line
//! arrives in [`Options`]: the console never reaches up into `cli`.

use std::io;
use std::path::PathBuf;

use chrono::Utc;

use crate::domain::event::EventKind;
use crate::domain::runbook::Runbook;
use crate::domain::sanitize::clean;
use crate::domain::session_runbook::Outline;
use crate::sources::journal::{Journal, JournalError, Signer};
use crate::sources::settings::Settings;

use super::app::{App, AppConfig, MsgKind};
use super::config_error::ConfigError;
use super::keymap::Keymap;
use super::layout::Layout;
use super::run;
use super::session::{Exit, Session};
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

/// Keys from the config dir, the theme and layout asked for (else the defaults).
/// `plain`: no colours will be drawn, so the terminal is not asked for its background.
pub fn looks(
    theme_name: Option<&str>,
    layout: Option<&str>,
    plain: bool,
    config_dir: Option<&std::path::Path>,
) -> Result<Looks, ConfigError> {
    let keymap = Keymap::load(config_dir)?;
    // No theme asked for: the one that suits the terminal's background.
    let theme_name = match theme_name {
        Some(name) => name.to_string(),
        None if plain => DEFAULT_THEME.to_string(),
        None => super::background::default_theme(DEFAULT_THEME).to_string(),
    };
    // A `monochrome = true` theme (the built-in `mono`) drops colour itself.
    let depth = theme::color_depth(None, &theme::process_env);
    let theme = Theme::load(&theme_name, config_dir, depth)?;
    let layout = Layout::load(layout.unwrap_or(DEFAULT_LAYOUT), config_dir)?;
    Ok(Looks { keymap, theme, layout })
}

/// How to run the console, as the command line asked (`cli::launch` builds it).
pub struct Options {
    /// Operator, config and data dirs, `$TERM`.
    pub settings: Settings,
    pub theme: Option<String>,
    pub layout: Option<String>,
    /// `--read-only`: watch without acting.
    pub read_only: bool,
    /// `--plain`; `TERM=dumb` (in `settings`) means plain mode too.
    pub plain: bool,
    /// Sign every record with this (`--sign` or the runbook's `sign = true`).
    pub signer: Option<Signer>,
}

/// How the console ended, for the command line to turn into an exit code.
#[derive(Debug)]
pub enum Ended {
    /// It ran, and ended this way.
    Ran(Exit),
    /// Bad input found before the terminal was touched (one paragraph: exit 2).
    BadInput(String),
    /// The terminal failed under the console.
    Terminal(io::Error),
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

/// Opens the journal. A journal database that does not answer (down, not
/// started yet, the network) is waited for when someone is at the terminal:
/// without the journal there is no state to show, so the console cannot come
/// up, but an on-call engineer should not have to run `open` again and again.
/// Said once, then a line per try (back-off 0.5 s doubling to 5 s) until it
/// answers or Ctrl-C. Without a terminal (a script) it is an error at once.
/// docs/journal.md, "Live updates and outages".
fn open_journal(path: &std::path::Path, read_only: bool) -> Result<crate::sources::journal::Opened, JournalError> {
    use std::io::IsTerminal;
    use std::time::Duration;
    let wait = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut backoff = Duration::from_millis(500);
    let mut tries = 0u32;
    loop {
        let opened = if read_only { Journal::open_read_only(path) } else { Journal::open(path) };
        match opened {
            Err(JournalError::Unavailable { journal, reason, .. }) if wait => {
                tries += 1;
                if tries == 1 {
                    eprintln!(
                        "warroom: journal {} is unreachable ({}).\nwarroom: retrying until it answers; the console \
                         opens then. Ctrl-C to give up.",
                        clean(&journal),
                        clean(&reason)
                    );
                } else {
                    eprintln!(
                        "warroom: {} UTC: still unreachable (try {tries}); next try in {:.1} s",
                        Utc::now().format("%H:%M:%S"),
                        backoff.as_secs_f64()
                    );
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
            other => return other,
        }
    }
}

/// Opens the console and runs it to the end. Log tails start here for every
/// entry point (open, demo); probes and runs start inside the loop
/// (`Session::start_procs`).
pub fn console(l: Launch, o: Options) -> Ended {
    // A7: line-by-line for screen readers, and what a dumb terminal can show.
    let plain = o.plain || o.settings.dumb_terminal();
    let config_dir = o.settings.config_dir.clone();
    let looks = match looks(o.theme.as_deref(), o.layout.as_deref(), plain, config_dir.as_deref()) {
        Ok(l) => l,
        Err(e) => return Ended::BadInput(e.to_string()),
    };
    let mut opened = match open_journal(&l.journal_path, o.read_only) {
        Ok(o) => o,
        Err(e) => return Ended::BadInput(e.to_string()),
    };
    if let Some(signer) = o.signer {
        opened.journal.set_signer(signer);
    }
    let operator = o.settings.operator.clone();
    let read_only =
        if o.read_only { Some("watching only (--read-only)".to_string()) } else { opened.read_only_reason.clone() };
    let app = App::new(AppConfig {
        runbook: l.runbook,
        operator: operator.clone(),
        read_only,
        keymap: looks.keymap,
        theme: looks.theme,
        layout: looks.layout,
        config_dir,
        symbols: Symbols::for_term(o.settings.term.as_deref()),
        now: crate::sources::clock::now(),
    })
    .with_badge(l.badge);
    let opened_warnings = std::mem::take(&mut opened.warnings);
    let mut session = Session::new(app, opened);
    if session.app.model.read_only.is_none() {
        let ev = EventKind::SessionOpened {
            runbook: session.app.model.runbook.id.clone(),
            title: session.app.model.runbook.title.clone(),
            client: Some(format!("warroom {} console", env!("CARGO_PKG_VERSION"))),
            path: l
                .runbook_path
                .as_deref()
                .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string()),
            runbook_sha256: std::fs::read(&session.app.model.runbook.path)
                .ok()
                .map(|b| crate::domain::session_runbook::sha256_hex(&b)),
            outline: Some(Box::new(Outline::of(&session.app.model.runbook))),
        };
        session.append(&operator, &ev);
    }
    let notes: Vec<String> = l.warnings.into_iter().chain(opened_warnings).collect();
    // Each into the message history (m); the bar shows the last and how many are unread.
    for note in &notes {
        session.app.say(note.clone(), MsgKind::Warn);
    }
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return Ended::BadInput(format!("cannot start the async runtime: {e}")),
    };
    let result = rt.block_on(async move {
        let (tx, rx) = crate::sources::event_channel();
        // Held until the console ends: dropping a handle stops its tail.
        let _tails = super::logs_live::start_tails(
            &session.app.model.runbook,
            &session.app.model.runbook.dir,
            session.app.model.redactor.clone(),
            &session.app.model.vars,
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
        Ok(exit) => Ended::Ran(exit),
        Err(e) => Ended::Terminal(e),
    }
}

//! `warroom replay`'s console: the time machine with no live console behind it
//! (leaving it quits). Built on the same driver and loop as `open`; the
//! session underneath is read-only and starts no probes, runs or log tails.

use std::path::Path;

use crate::cli::common::{self, EXIT_OK};
use crate::cli::Common;
use crate::domain::runbook::Runbook;
use crate::sources::journal::Journal;

use super::app::{App, AppConfig};
use super::launch::looks;
use super::replay::Replay;
use super::run::{self, Exit, Session};
use super::symbols::Symbols;

/// Opens `journal` in the time machine at `at` (a position; the end when `None`).
pub fn launch_replay(
    journal: &Path,
    runbook: Runbook,
    at: Option<usize>,
    badge: Option<&'static str>,
    c: &Common,
) -> i32 {
    let config_dir = common::config_dir();
    let looks = match looks(c, config_dir.as_deref()) {
        Ok(l) => l,
        Err(e) => return common::bad_input(e),
    };
    let opened = match Journal::open_read_only(journal) {
        Ok(o) => o,
        Err(e) => return common::bad_input(e),
    };
    let records: Vec<_> = opened.records.clone();
    let mut app = App::new(AppConfig {
        runbook,
        operator: common::operator(c),
        read_only: Some("time machine".into()),
        keymap: looks.keymap,
        theme: looks.theme,
        layout: looks.layout,
        config_dir,
        symbols: Symbols::for_term(std::env::var("TERM").ok().as_deref()),
        now: chrono::Utc::now(),
    });
    app.badge = badge;
    let records: Vec<_> = records.iter().map(|r| app.redactor.record(r).unwrap_or_else(|| r.clone())).collect();
    let replay = Replay::new(&app, records, at, true);
    // The session underneath only carries the loop: it must not probe anything.
    app.runbook.probes.clear();
    let mut session = Session::new(app, opened);
    session.replay = Some(Box::new(replay));
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return common::bad_input(format!("cannot start the async runtime: {e}")),
    };
    let result = rt.block_on(async move {
        let (tx, rx) = crate::sources::event_channel();
        run::run(session, tx, rx).await
    });
    rt.shutdown_background();
    match result {
        Ok(Exit::Quit) => EXIT_OK,
        Ok(Exit::Signal(_)) | Ok(Exit::InputClosed(_)) => 129,
        Err(e) => {
            eprintln!("warroom: the terminal failed: {e}");
            1
        }
    }
}

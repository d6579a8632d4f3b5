//! `warroom replay`'s console: the time machine with no live console behind it
//! (leaving it quits). Built on the same driver and loop as `open`; the
//! session underneath is read-only and starts no probes, runs or log tails.
//! Everything it needs from the command line arrives in [`Options`]
//! (`cli::launch::launch_replay` builds them and turns [`Ended`] into an exit code).

use std::path::Path;

use crate::domain::runbook::Runbook;
use crate::sources::journal::Journal;

use super::app::{App, AppConfig};
use super::launch::{looks, Ended, Options};
use super::replay::Replay;
use super::run;
use super::session::Session;
use super::symbols::Symbols;

/// Opens `journal` (a file or a `postgres://` session) in the time machine at
/// `at` (a position; the end when `None`).
pub fn replay(journal: &Path, runbook: Runbook, at: Option<usize>, badge: Option<&'static str>, o: Options) -> Ended {
    let plain = o.plain || o.settings.dumb_terminal();
    let config_dir = o.settings.config_dir.clone();
    let looks = match looks(o.theme.as_deref(), o.layout.as_deref(), plain, config_dir.as_deref()) {
        Ok(l) => l,
        Err(e) => return Ended::BadInput(e.to_string()),
    };
    let opened = match Journal::open_read_only(journal) {
        Ok(o) => o,
        Err(e) => return Ended::BadInput(e.to_string()),
    };
    let records: Vec<_> = opened.records.clone();
    let mut app = App::new(AppConfig {
        runbook,
        operator: o.settings.operator.clone(),
        read_only: Some("time machine".into()),
        keymap: looks.keymap,
        theme: looks.theme,
        layout: looks.layout,
        config_dir,
        symbols: Symbols::for_term(o.settings.term.as_deref()),
        now: crate::sources::clock::now(),
    })
    .with_badge(badge);
    // Another runbook's file draws another runbook's panes: said at once.
    if let Some(id) = crate::domain::report::session_runbook(&records).filter(|id| *id != app.model.runbook.id) {
        app.say(
            format!(
                "this journal is a session of `{}`, not of the runbook given (`{}`): its panes may not show the session's acts",
                crate::ui::text::clean(&id),
                crate::ui::text::clean(&app.model.runbook.id)
            ),
            super::app::MsgKind::Warn,
        );
    }
    let records: Vec<_> = records.iter().map(|r| app.model.redactor.record(r).unwrap_or_else(|| r.clone())).collect();
    let replay = Replay::new(&app, records, at, true);
    // The session underneath only carries the loop: it must not probe anything.
    app.model.without_probes();
    let mut session = Session::new(app, opened);
    session.replay = Some(Box::new(replay));
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return Ended::BadInput(format!("cannot start the async runtime: {e}")),
    };
    let result = rt.block_on(async move {
        let (tx, rx) = crate::sources::event_channel();
        run::run(session, tx, rx).await
    });
    rt.shutdown_background();
    match result {
        Ok(exit) => Ended::Ran(exit),
        Err(e) => Ended::Terminal(e),
    }
}

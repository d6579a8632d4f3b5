//! `warroom demo`: the whole war room on a built-in runbook, against a local
//! platform and generated logs in a temp folder of its own, with nothing to set up.

use std::io::Read;

use clap::Args;

use super::common::{self, EXIT_BAD_INPUT, EXIT_FAIL, EXIT_OK};
use super::launch::launch;
use super::runbook_file;
use super::Common;
use crate::demo::{runbook, DemoSession};
use crate::ui::launch::Launch;

#[derive(Args, Debug, Clone, Default)]
pub struct DemoArgs {
    /// Print the demo's runbook (a starting point for your own) and exit.
    #[arg(long)]
    pub print_runbook: bool,
    /// Run the platform and log generator without the console, print where
    /// everything is, and stop on Ctrl-C or end of input (for scripts and tests).
    #[arg(long, hide = true)]
    pub serve: bool,
    /// Open a short, finished go-live (with a rollback) in the time machine instead.
    #[arg(long)]
    pub replay: bool,
}

pub fn run(args: &DemoArgs, c: &Common) -> i32 {
    if args.print_runbook {
        out!("{}", runbook::TEMPLATE);
        return EXIT_OK;
    }
    if args.replay {
        return recorded(c);
    }
    let session = match DemoSession::start() {
        Ok(s) => s,
        Err(e) => {
            errln!(
                "warroom: demo: could not start the local platform in a temp folder: {e}. \
                 Check that the temp folder ($TMPDIR or /tmp) is writable and that 127.0.0.1 is available."
            );
            return EXIT_FAIL;
        }
    };
    let code = if args.serve { serve(&session) } else { console(&session, c) };
    finish(session, code)
}

/// The console on the demo's runbook, exactly as `warroom open` would run it;
/// the journal lives in the demo's folder unless `--journal` says otherwise.
fn console(session: &DemoSession, c: &Common) -> i32 {
    let loaded = match runbook_file::load(session.runbook_path()) {
        Ok(l) => l,
        Err(diags) => {
            // The embedded runbook is tested to load; reaching this is a bug, not bad input.
            runbook_file::print_diagnostics(&diags);
            return EXIT_BAD_INPUT;
        }
    };
    let journal_path = c.journal.clone().unwrap_or_else(|| session.journal_path().to_path_buf());
    // The first line of the message bar says where the demo lives: the
    // control files there are how a newcomer changes the platform by hand.
    let mut warnings = vec![format!(
        "demo platform {} · files {} (see control/) · r runs a step · ? help",
        session.places().site,
        session.dir().display()
    )];
    warnings.extend(loaded.warnings.iter().map(|d| d.to_string()));
    // The demo's runbook lives in a folder removed on quit: nothing to record for `report`.
    launch(Launch { runbook: loaded.runbook, journal_path, runbook_path: None, badge: Some("DEMO"), warnings }, c)
}

/// `--replay`: the recorded go-live, written into a temp folder (removed on
/// quit) and opened in the time machine.
fn recorded(c: &Common) -> i32 {
    let dir = match tempfile::Builder::new().prefix("warroom-demo-replay-").tempdir() {
        Ok(d) => d,
        Err(e) => return common::bad_input(format!("demo: cannot make a temp folder: {e}; check $TMPDIR")),
    };
    let places = runbook::DemoPlaces::new("http://127.0.0.1:9", dir.path(), "127.0.0.1:9");
    let rb_path = dir.path().join("runbook.toml");
    let journal = dir.path().join("journal.jsonl");
    if let Err(e) = std::fs::write(&rb_path, runbook::render(&places)) {
        return common::bad_input(format!("demo: cannot write {}: {e}", rb_path.display()));
    }
    if let Err(e) = crate::demo::recorded::write(&journal) {
        return common::bad_input(format!("demo: cannot write the recorded journal: {e}"));
    }
    let loaded = match runbook_file::load(&rb_path) {
        Ok(l) => l,
        Err(diags) => {
            runbook_file::print_diagnostics(&diags);
            return EXIT_BAD_INPUT;
        }
    };
    super::launch::launch_replay(&journal, loaded.runbook, None, Some("DEMO"), c)
}

/// Prints where everything is and waits for Ctrl-C, SIGTERM or end of input.
fn serve(session: &DemoSession) -> i32 {
    outln!("site: {}", session.places().site);
    outln!("database: {}", session.places().database);
    outln!("folder: {}", session.dir().display());
    outln!("runbook: {}", session.runbook_path().display());
    outln!("journal: {}", session.journal_path().display());
    outln!("ready: press Ctrl-C (or Ctrl-D) to stop and remove the folder");
    let Some(handle) = session.handle() else { return EXIT_FAIL };
    let (eof_tx, eof_rx) = tokio::sync::oneshot::channel::<()>();
    // Reading stdin blocks: a plain thread, so it never holds up the runtime.
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
        let _ = eof_tx.send(());
    });
    handle.block_on(async move {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let sigterm = async {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = sigterm => {}
            _ = eof_rx => {}
        }
    });
    EXIT_OK
}

fn finish(session: DemoSession, code: i32) -> i32 {
    let dir = session.dir().to_path_buf();
    if let Err(e) = session.stop() {
        errln!("warroom: demo: could not remove the temp folder {}: {e}", common::display(&dir));
    }
    code
}

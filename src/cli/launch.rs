//! The console from the command line (`open`, `demo`): turns the global
//! options into the console's [`Options`] and its end into an exit code.
//! Bad input (keys, theme, layout, journal, signing) prints as one paragraph
//! with exit 2 before the terminal is touched.

use super::common::{self, EXIT_OK};
use super::Common;
use crate::ui::event::Signal;
use crate::ui::launch::{console, Ended, Launch, Options};
use crate::ui::session::Exit;

/// Runs the console on `l` to the end; the exit code.
pub fn launch(l: Launch, c: &Common) -> i32 {
    let signer = match common::signer(c, l.runbook.access.sign) {
        Ok(s) => s,
        Err(e) => return common::bad_input(e),
    };
    exit_code(console(l, options(c, signer)))
}

/// The time machine on `journal` at `at` (`replay`, `demo --replay`); the exit code.
pub fn launch_replay(
    journal: &std::path::Path,
    runbook: crate::domain::runbook::Runbook,
    at: Option<usize>,
    badge: Option<&'static str>,
    c: &Common,
) -> i32 {
    exit_code(crate::ui::replay_launch::replay(journal, runbook, at, badge, options(c, None)))
}

fn options(c: &Common, signer: Option<crate::sources::journal::Signer>) -> Options {
    Options {
        settings: common::settings(c),
        theme: c.theme.clone(),
        layout: c.layout.clone(),
        read_only: c.read_only,
        plain: c.plain,
        signer,
    }
}

fn exit_code(ended: Ended) -> i32 {
    match ended {
        Ended::Ran(Exit::Quit) => EXIT_OK,
        Ended::Ran(Exit::Signal(s)) => match s {
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
            Signal::Hangup | Signal::Stop => 129,
        },
        Ended::Ran(Exit::InputClosed(_)) => 129,
        Ended::BadInput(e) => common::bad_input(e),
        Ended::Terminal(e) => {
            errln!("warroom: the terminal failed: {e}");
            1
        }
    }
}

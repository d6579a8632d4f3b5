//! `warroom open RUNBOOK`: load and check the runbook (errors print and exit 2
//! before the terminal is touched), open the session's journal, run the console.

use std::path::Path;

use super::common;
use super::runbook_file;
use super::Common;
use crate::ui::launch::{launch, Launch};

pub fn run(runbook: &Path, c: &Common) -> i32 {
    let loaded = match runbook_file::load(runbook) {
        Ok(l) => l,
        Err(diags) => {
            runbook_file::print_diagnostics(&diags);
            return common::EXIT_BAD_INPUT;
        }
    };
    runbook_file::print_diagnostics(&loaded.warnings);
    let journal_path = common::journal_path(c, &loaded.runbook.id);
    let warnings = loaded.warnings.iter().map(|d| d.to_string()).collect();
    launch(
        Launch {
            runbook: loaded.runbook,
            journal_path,
            runbook_path: Some(runbook.to_path_buf()),
            badge: None,
            warnings,
        },
        c,
    )
}

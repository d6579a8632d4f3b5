//! `warroom open RUNBOOK`: load and check the runbook (errors print and exit 2
//! before the terminal is touched), open the session's journal, run the console.

use std::path::Path;

use super::common;
use super::launch::launch;
use super::runbook_file;
use super::same_runbook::{for_open, OnOther};
use super::Common;
use crate::ui::launch::Launch;

pub fn run(runbook: &Path, on_other: OnOther, c: &Common) -> i32 {
    let loaded = match runbook_file::load(runbook) {
        Ok(l) => l,
        Err(diags) => {
            runbook_file::print_diagnostics(&diags);
            return common::EXIT_BAD_INPUT;
        }
    };
    runbook_file::print_diagnostics(&loaded.warnings);
    // Another runbook file with the same id must not join its session unasked.
    let joined = match for_open(runbook, &loaded.runbook.id, on_other, c) {
        Ok(j) => j,
        Err(code) => return code,
    };
    let journal_path = joined.journal;
    let warnings = joined.notice.into_iter().chain(loaded.warnings.iter().map(|d| d.to_string())).collect();
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

//! What the headless commands that write (`mark`, `note`, and others later)
//! share: load the runbook, find its live session journal, append one act as
//! this operator, and say what happened — or why not, with the exit code.

use std::path::Path;

use chrono::Utc;

use super::common::{bad_input, journal_path, operator, EXIT_BAD_INPUT, EXIT_FAIL};
use super::runbook_file::{load, print_diagnostics, Loaded};
use super::Common;
use crate::domain::event::EventKind;
use crate::domain::record::Record;
use crate::domain::sanitize::clean;
use crate::sources::journal::{Journal, JournalError};

/// Loads the runbook, printing its diagnostics; `Err(exit code)` when it is invalid.
pub fn load_runbook(path: &Path) -> Result<Loaded, i32> {
    match load(path) {
        Ok(l) => {
            print_diagnostics(&l.warnings);
            Ok(l)
        }
        Err(diags) => {
            print_diagnostics(&diags);
            errln!(
                "warroom: {} is not a valid runbook; fix the problems above (`warroom check` lists them).",
                path.display()
            );
            Err(EXIT_BAD_INPUT)
        }
    }
}

/// Appends `ev` to the session journal of `runbook_id` as the operator of
/// `common`. Refuses under `--read-only` and on a damaged journal (exit 1);
/// an unusable journal file is exit 2. Returns the written record.
pub fn append(common: &Common, runbook_id: &str, ev: &EventKind) -> Result<Record, i32> {
    let path = journal_path(common, runbook_id);
    if common.read_only {
        errln!("warroom: not recorded: --read-only was given, so nothing is written to {}.", path.display());
        return Err(EXIT_FAIL);
    }
    append_to(&path, &operator(common), ev)
}

fn append_to(path: &Path, who: &str, ev: &EventKind) -> Result<Record, i32> {
    let opened = Journal::open(path).map_err(|e| bad_input(clean(&e.to_string())))?;
    for w in &opened.warnings {
        errln!("warroom: {}", clean(w));
    }
    let mut journal = opened.journal;
    match journal.append(who, Utc::now(), ev) {
        Ok(mut recs) => {
            for w in journal.take_warnings() {
                errln!("warroom: {}", clean(&w));
            }
            recs.pop().ok_or(EXIT_FAIL)
        }
        Err(e @ (JournalError::ReadOnly(_) | JournalError::Corrupt { .. } | JournalError::Unavailable { .. })) => {
            errln!("warroom: {e}");
            Err(EXIT_FAIL)
        }
        Err(e) => Err(bad_input(e)),
    }
}

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

/// [`load_runbook`] for a command that writes into the runbook's session:
/// also warns when the session was opened with another runbook file.
pub fn load_runbook_for_session(path: &Path, common: &Common) -> Result<Loaded, i32> {
    let loaded = load_runbook(path)?;
    super::same_runbook::warn_headless(path, &loaded.runbook.id, common);
    Ok(loaded)
}

/// Appends `ev` to the session journal of `runbook_id` as the operator of
/// `common`. Refuses under `--read-only` and on a damaged journal (exit 1);
/// an unusable journal file is exit 2. Returns the written record.
pub fn append(common: &Common, runbook_id: &str, ev: &EventKind) -> Result<Record, i32> {
    append_signing(common, runbook_id, false, ev)
}

/// Like `append`, for the runbook `rb`: signed when it says `sign = true` (or `--sign`).
pub fn append_for(common: &Common, rb: &crate::domain::runbook::Runbook, ev: &EventKind) -> Result<Record, i32> {
    append_signing(common, &rb.id, rb.access.sign, ev)
}

fn append_signing(common: &Common, runbook_id: &str, sign: bool, ev: &EventKind) -> Result<Record, i32> {
    let path = journal_path(common, runbook_id);
    if common.read_only {
        errln!("warroom: not recorded: --read-only was given, so nothing is written to {}.", path.display());
        return Err(EXIT_FAIL);
    }
    append_to(&path, &operator(common), ev, common, sign)
}

fn append_to(path: &Path, who: &str, ev: &EventKind, common: &Common, sign: bool) -> Result<Record, i32> {
    // A script or a bot that writes to a session nobody opened (a wrong data
    // dir, a wrong user) is told so: its act starts a new session, which no
    // open console is watching.
    let new_session = !crate::sources::journal::postgres::is_database_url(path) && !path.exists();
    let opened = Journal::open(path).map_err(|e| bad_input(clean(&e.to_string())))?;
    if new_session {
        errln!(
            "warroom: warning: there was no session journal at {}: this started a new session. If a console is open on this runbook, it uses another data dir or journal (WARROOM_DATA_DIR, --journal).",
            path.display()
        );
    }
    for w in &opened.warnings {
        errln!("warroom: {}", clean(w));
    }
    let mut journal = opened.journal;
    match super::common::signer(common, sign) {
        Ok(Some(s)) => journal.set_signer(s),
        Ok(None) => {}
        Err(e) => return Err(bad_input(e)),
    }
    match journal.append(who, Utc::now(), ev) {
        Ok(mut recs) => {
            for w in journal.take_warnings() {
                errln!("warroom: {}", clean(&w));
            }
            recs.pop().ok_or(EXIT_FAIL)
        }
        Err(
            e @ (JournalError::ReadOnly(_)
            | JournalError::Corrupt { .. }
            | JournalError::Unavailable { .. }
            | JournalError::Sign(_)),
        ) => {
            errln!("warroom: {e}");
            Err(EXIT_FAIL)
        }
        Err(e) => Err(bad_input(e)),
    }
}

//! `warroom note RUNBOOK TEXT`: adds a timeline note to the live session.
//! Exit 0 recorded, 1 refused (--read-only, damaged journal), 2 bad input.

use std::path::Path;

use super::common::{bad_input, EXIT_OK};
use super::record_act::{append, load_runbook};
use super::Common;
use crate::domain::event::EventKind;
use crate::domain::sanitize::clean;

pub fn run(runbook: &Path, text: &str, c: &Common) -> i32 {
    let loaded = match load_runbook(runbook) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let text = text.trim();
    if text.is_empty() {
        return bad_input("the note is empty; give the text to record, e.g. warroom note RUNBOOK \"DNS switched\".");
    }
    let rb = &loaded.runbook;
    match append(c, &rb.id, &EventKind::NoteAdded { text: text.to_string() }) {
        Ok(rec) => {
            outln!(
                "recorded: note by {} (seq {}) in {}",
                clean(&rec.operator),
                rec.seq,
                super::common::journal_shown(c, &rb.id)
            );
            EXIT_OK
        }
        Err(code) => code,
    }
}

//! `warroom mark RUNBOOK CRITERION pass|fail|na|pending [--note TEXT]`: records
//! a checklist verdict into the live session, as a script or CI job would.
//! Exit 0 recorded, 1 refused (--read-only, damaged journal), 2 bad input
//! (invalid runbook, unknown criterion — the known ids are listed).

use std::path::Path;

use super::common::{EXIT_BAD_INPUT, EXIT_OK};
use super::record_act::{append, load_runbook};
use super::{Common, VerdictArg};
use crate::domain::auto_verdict::person_mark;
use crate::domain::event::Verdict;
use crate::domain::sanitize::clean;

pub fn run(runbook: &Path, criterion: &str, verdict: VerdictArg, note: Option<&str>, c: &Common) -> i32 {
    let loaded = match load_runbook(runbook) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let rb = &loaded.runbook;
    let Some(crit) = rb.criterion(criterion) else {
        let known: Vec<&str> = rb.criteria.iter().map(|c| c.id.as_str()).collect();
        errln!(
            "warroom: {}: no criterion `{}` in runbook {}. Known criteria: {}.",
            runbook.display(),
            clean(criterion),
            rb.id,
            if known.is_empty() { "none (the runbook has no [[criterion]])".to_string() } else { known.join(", ") }
        );
        return EXIT_BAD_INPUT;
    };
    let verdict = match verdict {
        VerdictArg::Pass => Verdict::Pass,
        VerdictArg::Fail => Verdict::Fail,
        VerdictArg::Na => Verdict::Na,
        VerdictArg::Pending => Verdict::Pending,
    };
    let note = note.map(str::trim).filter(|n| !n.is_empty()).map(String::from);
    let ev = person_mark(crit, verdict, note);
    match append(c, &rb.id, &ev) {
        Ok(rec) => {
            outln!(
                "recorded: {} {} by {} (seq {}) in {}",
                crit.id,
                verdict.as_str().to_uppercase(),
                clean(&rec.operator),
                rec.seq,
                super::common::journal_shown(c, &rb.id)
            );
            EXIT_OK
        }
        Err(code) => code,
    }
}

//! `warroom approve RUNBOOK ROLLBACK`: a second person, in their own SSH
//! session (their own Unix account, their own SSH agent with `--sign`),
//! approves a rollback that needs several people. Exit 0 approved, 1 refused
//! (the same person twice at the rollback's `distinct` level, not in an
//! `approve` role, read-only, running), 2 bad input (unknown rollback — the
//! known ones are listed — bad runbook, unreadable journal, no agent).

use std::path::Path;

use chrono::Utc;

use super::common::{self, EXIT_BAD_INPUT, EXIT_FAIL, EXIT_OK};
use super::record_act::load_runbook_for_session;
use crate::domain::approvals::{self, Refusal};
use crate::domain::identity::Actor;
use crate::domain::record::Record;
use crate::domain::sanitize::clean;
use crate::domain::state::SessionState;
use crate::sources::journal::{Journal, JournalError};

pub fn run(runbook_path: &Path, rollback: &str, c: &super::Common) -> i32 {
    // Its warnings too (a world-writable runbook), as every command that loads one.
    let loaded = match load_runbook_for_session(runbook_path, c) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let runbook = loaded.runbook;
    let operator = common::operator(c);
    let path = common::journal_path(c, &runbook.id);

    // Unknown ids are bad input whatever the session holds: answer before touching the journal.
    if let Err(r @ Refusal::UnknownRollback { .. }) =
        approvals::can_approve(&runbook, &SessionState::default(), rollback, &operator, false)
    {
        errln!("warroom: {}: {}", common::display(runbook_path), clean(&r.to_string()));
        return EXIT_BAD_INPUT;
    }
    if c.read_only {
        errln!("warroom: approval refused: {}", Refusal::ReadOnly);
        return EXIT_FAIL;
    }

    let opened = match Journal::open(&path) {
        Ok(o) => o,
        Err(e) => return common::bad_input(clean(&e.to_string())),
    };
    for w in &opened.warnings {
        errln!("warroom: warning: {}", clean(w));
    }
    let mut state = SessionState::from_records(&opened.records);
    if let Some(reason) = &opened.read_only_reason {
        errln!(
            "warroom: approval refused: the journal can only be read: {}. To approve as your own Unix user, \
             the session's folder and journal must be writable by your group (`warroom doctor {}` shows them; \
             docs/incident.md, \"A second engineer\").",
            clean(reason),
            common::display(runbook_path)
        );
        return EXIT_FAIL;
    }
    let mut journal = opened.journal;
    match common::signer(c, runbook.access.sign) {
        Ok(Some(s)) => journal.set_signer(s),
        Ok(None) => {}
        Err(e) => return common::bad_input(e),
    }
    // A rollback left "running" by a console that is gone is ended first, so it can be approved again.
    match crate::sources::orphans::reap(&mut journal, &state, &operator, Utc::now(), |_, _| false) {
        Ok(reaped) => {
            reaped.records.iter().for_each(|r| state.apply(r));
            reaped.said.iter().for_each(|s| errln!("warroom: {}", clean(s)));
        }
        Err(e) => errln!("warroom: warning: {}", clean(&e.to_string())),
    }
    let (user, key) = journal.writer();
    let who = Actor { operator: operator.clone(), user: Some(user), key };
    if let Err(refusal) = approvals::can_approve(&runbook, &state, rollback, &who, false) {
        errln!("warroom: approval refused: {}", clean(&refusal.to_string()));
        return if refusal.is_unknown() { EXIT_BAD_INPUT } else { EXIT_FAIL };
    }
    // Checked again under the journal's lock on what others wrote since we
    // read it: the same operator approving from two shells at once counts once.
    let recheck = |others: &[Record]| {
        let mut now = state.clone();
        others.iter().for_each(|r| now.apply(r));
        approvals::can_approve(&runbook, &now, rollback, &who, false).err().map(|r| r.to_string())
    };
    match journal.append_unless(&operator, Utc::now(), &approvals::approval_event(rollback), recheck) {
        Ok((_, Some(why))) => {
            errln!("warroom: approval refused: {}", clean(&why));
            return EXIT_FAIL;
        }
        Ok((records, None)) => records.iter().for_each(|r| state.apply(r)),
        Err(
            e @ (JournalError::ReadOnly(_)
            | JournalError::Corrupt { .. }
            | JournalError::Unavailable { .. }
            | JournalError::Sign(_)),
        ) => {
            errln!("warroom: approval refused: {}", clean(&e.to_string()));
            return EXIT_FAIL;
        }
        Err(e) => return common::bad_input(clean(&e.to_string())),
    }
    for w in journal.take_warnings() {
        errln!("warroom: warning: {}", clean(&w));
    }
    outln!("{}", approvals::approval_message(&runbook, &state, rollback));
    let by = approvals::approvers_in(Some(&runbook), &state, rollback);
    outln!("rollback {rollback}: approved by {}", clean(&by.join(", ")));
    EXIT_OK
}

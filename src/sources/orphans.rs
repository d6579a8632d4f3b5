//! Runs whose console is gone (killed, crashed, its terminal lost before it
//! could journal the end): the first console or command that notices stops
//! what is left of the run's process group and journals the run's end as
//! `interrupted` — who noticed (the record's operator), when (its time) and
//! why (its `error`) — so the step or rollback can be run, aborted, approved
//! and fired again (docs/journal.md, "Runs and their owner").

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::journal::{Journal, JournalError};
use super::process::owner::{hostname, ownership, Ownership};
use super::steps::{finished_event, output_path};
use super::RunExit;
use crate::domain::event::{EventKind, RunKind, RunOutcome};
use crate::domain::record::Record;
use crate::domain::state::{RunRecord, SessionState};

/// TERM to KILL for what is left of an orphaned run: nobody is waiting for
/// its output any more.
const LEFTOVER_GRACE: Duration = Duration::from_millis(500);

/// A run journaled as started and not finished.
pub struct Unfinished<'a> {
    pub kind: RunKind,
    pub id: &'a str,
    pub run: &'a RunRecord,
}

/// Every run the state shows as running.
pub fn unfinished(state: &SessionState) -> Vec<Unfinished<'_>> {
    fn last_open(runs: &[RunRecord]) -> Option<&RunRecord> {
        runs.last().filter(|r| r.finished.is_none())
    }
    let mut out = Vec::new();
    for (id, st) in &state.steps {
        if let Some(run) = last_open(&st.runs) {
            out.push(Unfinished { kind: RunKind::Step, id, run });
        }
    }
    for (id, st) in &state.rollbacks {
        if let Some(run) = last_open(&st.runs) {
            out.push(Unfinished { kind: RunKind::Rollback, id, run });
        }
    }
    out
}

/// What one reaping did: the records written (and others' read on the way)
/// to fold, and a sentence per run for the user.
#[derive(Default)]
pub struct Reaped {
    pub records: Vec<Record>,
    pub said: Vec<String>,
}

/// Journals every unfinished run whose owner is gone as interrupted, after
/// stopping its leftovers. `ours` says which runs this process runs itself
/// (never judged). `operator` is who noticed.
pub fn reap(
    journal: &mut Journal,
    state: &SessionState,
    operator: &str,
    now: DateTime<Utc>,
    ours: impl Fn(RunKind, &str) -> bool,
) -> Result<Reaped, JournalError> {
    let mut out = Reaped::default();
    if journal.is_read_only() {
        return Ok(out);
    }
    for u in unfinished(state) {
        if ours(u.kind, u.id) {
            continue;
        }
        let Ownership::Gone(orphan) = ownership(&output_path(journal.path(), &u.run.output)) else { continue };
        let stopped = orphan.stop_leftovers(LEFTOVER_GRACE);
        let owner = orphan.owner.as_ref().map(|o| o.describe()).unwrap_or_else(|| "the console that ran it".into());
        let why = format!(
            "interrupted: {owner} went away before the run's end was journaled; noticed by {operator} (pid {} on \
             {}){}",
            std::process::id(),
            hostname(),
            if stopped { "; processes left in its group were stopped (TERM, then KILL)" } else { "" }
        );
        let end = RunExit {
            outcome: RunOutcome::Interrupted,
            exit_code: None,
            signal: None,
            duration: (now - u.run.started_at).to_std().unwrap_or_default(),
            error: Some(why),
        };
        let ev = finished_event(u.kind, u.id, u.run.run, &end);
        let (kind, id, run) = (u.kind, u.id.to_string(), u.run.run);
        let (records, refused) =
            journal.append_unless(operator, now, &ev, |others| ended_elsewhere(others, kind, &id, run))?;
        out.records.extend(records);
        if refused.is_none() {
            out.said.push(format!(
                "{} {id} run {run} was left running by {owner}, which is gone: journaled as interrupted{}",
                kind.noun(),
                if stopped { "; its leftover processes were stopped" } else { "" }
            ));
        }
        orphan.finish();
    }
    Ok(out)
}

/// Whether another writer journaled this run's end since we last read.
fn ended_elsewhere(others: &[Record], kind: RunKind, id: &str, run: u32) -> Option<String> {
    others
        .iter()
        .any(|r| match r.event() {
            Some(EventKind::StepFinished { step, run: n, .. }) => kind == RunKind::Step && step == id && n == run,
            Some(EventKind::RollbackFinished { rollback, run: n, .. }) => {
                kind == RunKind::Rollback && rollback == id && n == run
            }
            _ => false,
        })
        .then(|| "its end was journaled by another console meanwhile".to_string())
}

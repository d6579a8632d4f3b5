//! A run in one line, as Steps and the rollback dialog (`B`) show it: who
//! fired it and when, how it ended (outcome and exit), how long it took and
//! its last output line — a run is state on screen, not a message that
//! scrolled away (docs/console.md, "Runs").

use crate::domain::activity::outcome_words;
use crate::domain::event::{RunKind, RunOutcome};
use crate::domain::state::{RunRecord, StepStatus};

use super::app::App;
use super::text::clean;
use super::timefmt;
use super::wiring::run_key;

/// How a run stands, in the steps' words (RUNNING, OK, FAILED …).
pub fn status(run: &RunRecord) -> StepStatus {
    match &run.finished {
        None => StepStatus::Running,
        Some(end) => match end.outcome {
            RunOutcome::Ok => StepStatus::Succeeded,
            RunOutcome::Failed | RunOutcome::Error => StepStatus::Failed,
            RunOutcome::TimedOut => StepStatus::TimedOut,
            RunOutcome::Aborted | RunOutcome::Interrupted => StepStatus::Aborted,
        },
    }
}

/// "ok exit 0", "failed exit 127", "running".
pub fn outcome(run: &RunRecord) -> String {
    match &run.finished {
        None => "running".to_string(),
        Some(end) => outcome_words(end.outcome, end.exit_code),
    }
}

/// How long it took (or has been running).
pub fn duration(app: &App, run: &RunRecord) -> String {
    match &run.finished {
        Some(end) => timefmt::ms(end.duration_ms),
        None => timefmt::ms((app.model.now - run.started_at).num_milliseconds().max(0) as u64),
    }
}

/// The run's last output line, when this console has its output (its own
/// runs, or a file loaded for the details or the dialog).
pub fn last_line(app: &App, kind: RunKind, id: &str, run: &RunRecord) -> Option<String> {
    let out = app.model.procs.outputs.get(&run_key(kind, id)).filter(|o| o.run == run.run)?;
    if let Some(said) = &out.last_said {
        return Some(said.clone());
    }
    out.lines.iter().rev().map(|l| l.trim()).find(|l| !l.is_empty()).map(clean)
}

/// "run 1 by ana at 10:56:56: ok exit 0 · 12ms — release 4.1 is back".
pub fn describe(app: &App, kind: RunKind, id: &str, run: &RunRecord) -> String {
    let last = last_line(app, kind, id, run).map(|l| format!(" — {l}")).unwrap_or_default();
    format!(
        "run {} by {} at {}: {} · {}{last}",
        run.run,
        clean(&run.started_by),
        timefmt::hms(run.started_at),
        outcome(run),
        duration(app, run)
    )
}

/// The question before firing a rollback again: "already ran at 10:56 by
/// ana (ok) — run again?"; `None` when it never ran or runs now.
pub fn again_question(run: &RunRecord) -> Option<String> {
    let end = run.finished.as_ref()?;
    Some(format!(
        "already ran at {} by {} ({}) — run again?",
        timefmt::hm(run.started_at),
        clean(&run.started_by),
        end.outcome.label()
    ))
}

//! The glue between a step (or rollback) in the runbook and the process
//! runner: fill in the command (vars shell-quoted, S5), pick the run number
//! from the session, name the output file beside the journal, and build the
//! journal events for the start and the end. The app journals `started`
//! *before* spawning `spec`, and journals `finished_event` on `RunExited`.
//!
//! Whether a step may run now (`on_fail` of earlier steps) is
//! `domain::step_gate`; `prepare_step` refuses anything but `Ready`, so a
//! confirmation (`Ask`) must be journaled as `step.overridden` first.

use std::collections::BTreeMap;
use std::path::Path;

use super::journal::Journal;
use super::process::RunSpec;
use super::RunExit;
use crate::domain::duration::Dur;
use crate::domain::event::{EventKind, RunKind};
use crate::domain::redact::Redactor;
use crate::domain::runbook::Runbook;
use crate::domain::state::{RunRecord, SessionState};
use crate::domain::step_gate::{gate, StepGate};
use crate::domain::vars;

/// What to journal, then what to spawn.
#[derive(Clone, Debug)]
pub struct Launch {
    /// `step.started` / `rollback.started`, to journal before spawning.
    pub started: EventKind,
    pub spec: RunSpec,
}

/// The next run number: one more than the highest recorded (runs start at 1).
pub fn next_run(runs: &[RunRecord]) -> u32 {
    runs.iter().map(|r| r.run).max().unwrap_or(0) + 1
}

/// Why a step cannot start now, in words; `None` when it is ready.
pub fn refusal(runbook: &Runbook, state: &SessionState, step: &str) -> Option<String> {
    match gate(runbook, state, step) {
        StepGate::Ready { .. } => None,
        StepGate::Running => Some(format!("step {step} is already running")),
        StepGate::Manual => Some(format!("step {step} is a manual step: tick it instead of running it")),
        StepGate::Unknown => Some(format!("there is no step {step} in the runbook")),
        StepGate::Blocked { by, status } => Some(format!(
            "step {step} is blocked: {by} {} and has on_fail = \"stop\"; re-run {by} or override it first",
            status.words()
        )),
        StepGate::Ask { after, status } => {
            Some(format!("step {after} {} (on_fail = \"ask\"): confirm going on before running {step}", status.words()))
        }
    }
}

/// Everything to start `step` now: its `step.started` event and the run spec.
/// `vars` are the effective vars (`vars::effective_vars`); `operator` is passed to
/// the command as `WARROOM_OPERATOR`, with `WARROOM_STEP` and `WARROOM_RUN`.
pub fn prepare_step(
    runbook: &Runbook,
    state: &SessionState,
    step: &str,
    vars: &BTreeMap<String, String>,
    journal: &Journal,
    operator: &str,
) -> Result<Launch, String> {
    if let Some(why) = refusal(runbook, state, step) {
        return Err(why);
    }
    let s = runbook.step(step).ok_or_else(|| format!("there is no step {step} in the runbook"))?;
    let template = s.run.as_deref().ok_or_else(|| format!("step {step} has nothing to run"))?;
    let past = state.steps.get(step).map(|st| st.runs.as_slice()).unwrap_or(&[]);
    let ctx = RunContext { runbook, vars, journal, operator };
    let (started, spec) = ctx.prepare(RunKind::Step, step, template, s.timeout, past)?;
    let StartedRun { run, command, output } = started;
    Ok(Launch { started: EventKind::StepStarted { step: step.to_string(), run, command, output }, spec })
}

/// The same for a rollback (approvals and confirmation are checked by the caller).
pub fn prepare_rollback(
    runbook: &Runbook,
    state: &SessionState,
    rollback: &str,
    vars: &BTreeMap<String, String>,
    journal: &Journal,
    operator: &str,
) -> Result<Launch, String> {
    let r = runbook.rollback(rollback).ok_or_else(|| format!("there is no rollback {rollback} in the runbook"))?;
    let rs = state.rollbacks.get(rollback);
    if rs.is_some_and(|s| s.running()) {
        return Err(format!("rollback {rollback} is already running"));
    }
    let past = rs.map(|s| s.runs.as_slice()).unwrap_or(&[]);
    let ctx = RunContext { runbook, vars, journal, operator };
    let (started, spec) = ctx.prepare(RunKind::Rollback, rollback, &r.run, r.timeout, past)?;
    let StartedRun { run, command, output } = started;
    Ok(Launch { started: EventKind::RollbackStarted { rollback: rollback.to_string(), run, command, output }, spec })
}

/// What a step and a rollback start from alike.
struct RunContext<'a> {
    runbook: &'a Runbook,
    vars: &'a BTreeMap<String, String>,
    journal: &'a Journal,
    operator: &'a str,
}

/// The fields of a `*.started` event.
struct StartedRun {
    run: u32,
    command: String,
    output: String,
}

impl RunContext<'_> {
    /// The command filled in from the vars, the run after `past`, its output
    /// file beside the journal, and the spec: in the runbook's folder, with
    /// `WARROOM_STEP`/`WARROOM_ROLLBACK`, `WARROOM_RUN`, `WARROOM_OPERATOR` and
    /// `WARROOM_RUNBOOK` set.
    fn prepare(
        &self,
        kind: RunKind,
        id: &str,
        template: &str,
        timeout: Option<Dur>,
        past: &[RunRecord],
    ) -> Result<(StartedRun, RunSpec), String> {
        let noun = kind.noun();
        // `{vars}` filled in, each value shell-quoted (S5).
        let command = vars::render_command(template, self.vars).map_err(|e| format!("{noun} {id}: {e}"))?;
        let run = next_run(past);
        let output = self.journal.next_output_name(noun, id, run);
        let spec = RunSpec {
            kind,
            id: id.to_string(),
            run,
            command: command.clone(),
            cwd: runbook_dir(self.runbook),
            env: vec![
                (format!("WARROOM_{}", noun.to_uppercase()), id.to_string()),
                ("WARROOM_RUN".to_string(), run.to_string()),
                ("WARROOM_OPERATOR".to_string(), self.operator.to_string()),
                ("WARROOM_RUNBOOK".to_string(), self.runbook.id.clone()),
            ],
            timeout: timeout.map(|t| t.as_duration()),
            output_file: output_path(self.journal.path(), &output),
            // The secrets of this runbook as resolved now (env: headers and vars, secret_vars, redact).
            redactor: std::sync::Arc::new(Redactor::for_runbook(self.runbook, self.vars, |k| std::env::var(k).ok())),
        };
        Ok((StartedRun { run, command, output }, spec))
    }
}

/// The runbook's folder ("." for a bare file name).
fn runbook_dir(runbook: &Runbook) -> std::path::PathBuf {
    if runbook.dir.as_os_str().is_empty() {
        ".".into()
    } else {
        runbook.dir.clone()
    }
}

/// An output name (relative to the journal's folder) as a path.
pub fn output_path(journal: &Path, output: &str) -> std::path::PathBuf {
    journal.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join(output)
}

/// The event to journal when a run ends: `step.finished` or `rollback.finished`.
pub fn finished_event(kind: RunKind, id: &str, run: u32, end: &RunExit) -> EventKind {
    let duration_ms = end.duration.as_millis() as u64;
    match kind {
        RunKind::Step => EventKind::StepFinished {
            step: id.to_string(),
            run,
            outcome: end.outcome,
            exit_code: end.exit_code,
            signal: end.signal,
            duration_ms,
            error: end.error.clone(),
        },
        RunKind::Rollback => EventKind::RollbackFinished {
            rollback: id.to_string(),
            run,
            outcome: end.outcome,
            exit_code: end.exit_code,
            signal: end.signal,
            duration_ms,
            error: end.error.clone(),
        },
    }
}

//! May a step run now? The `on_fail` rule of earlier steps in its phase:
//! - `stop`: a failed earlier step blocks the later steps of its phase until an
//!   operator overrides it (`step.overridden`, given after that failure);
//! - `ask`: a failed earlier step makes the console ask before running a later one
//!   (a "yes" is journaled as `step.overridden` with the reason typed);
//! - `continue`: a failure does not hold anything up.
//!
//! "Failed" is any ended run that did not exit 0: failed, timed out, aborted, not started.
//! Earlier steps not yet run do not block (operators may have reasons), but are listed
//! so the console can say so in its confirmation.

use super::runbook::{Runbook, StepOnFail};
use super::state::{SessionState, StepStatus};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepGate {
    /// Nothing holds it up. `earlier_not_done`: earlier steps of the phase that have not succeeded (yet).
    Ready { earlier_not_done: Vec<String> },
    /// A run of this step is going on already.
    Running,
    /// A manual step: ticked, not run.
    Manual,
    /// No such step.
    Unknown,
    /// An earlier step with `on_fail = "stop"` failed and was not overridden.
    Blocked { by: String, status: StepStatus },
    /// An earlier step with `on_fail = "ask"` failed: confirm (and journal the override) first.
    Ask { after: String, status: StepStatus },
}

/// True when the step's last failure was overridden afterwards.
fn overridden(state: &SessionState, step: &str) -> bool {
    let Some(st) = state.steps.get(step) else { return false };
    let Some((_, _, at)) = &st.overridden else { return false };
    match st.last_run().and_then(|r| r.finished.as_ref()) {
        Some(end) => *at >= end.at,
        None => true,
    }
}

/// The gate for running `step` now.
pub fn gate(runbook: &Runbook, state: &SessionState, step: &str) -> StepGate {
    let Some(s) = runbook.step(step) else { return StepGate::Unknown };
    if s.manual || s.run.is_none() {
        return StepGate::Manual;
    }
    if state.step_status(step) == StepStatus::Running {
        return StepGate::Running;
    }
    let mut earlier_not_done = Vec::new();
    let mut ask = None;
    for e in runbook.steps_of(&s.phase).take_while(|e| e.id != s.id) {
        let status = state.step_status(&e.id);
        if status.is_failure() && !overridden(state, &e.id) {
            match e.on_fail {
                StepOnFail::Stop => return StepGate::Blocked { by: e.id.clone(), status },
                StepOnFail::Ask => {
                    ask.get_or_insert(StepGate::Ask { after: e.id.clone(), status });
                }
                StepOnFail::Continue => {}
            }
        }
        if !matches!(status, StepStatus::Succeeded | StepStatus::Done) {
            earlier_not_done.push(e.id.clone());
        }
    }
    ask.unwrap_or(StepGate::Ready { earlier_not_done })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventKind as E, RunOutcome};
    use crate::domain::runbook::{Phase, Step};
    use chrono::{DateTime, Utc};

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    fn step(id: &str, phase: &str, on_fail: StepOnFail) -> Step {
        Step {
            id: id.into(),
            phase: phase.into(),
            title: id.into(),
            run: Some("true".into()),
            timeout: None,
            on_fail,
            manual: false,
            by: vec![],
            rehearse: None,
            takes: None,
            links: vec![],
        }
    }

    fn rb() -> Runbook {
        let mut m = step("manual", "deploy", StepOnFail::Stop);
        m.manual = true;
        m.run = None;
        Runbook {
            phases: vec![
                Phase { id: "deploy".into(), title: "Deploy".into(), at: None, valid_for: None, every: None },
                Phase { id: "verify".into(), title: "Verify".into(), at: None, valid_for: None, every: None },
            ],
            steps: vec![
                step("a", "deploy", StepOnFail::Stop),
                step("b", "deploy", StepOnFail::Ask),
                step("c", "deploy", StepOnFail::Continue),
                step("d", "deploy", StepOnFail::Stop),
                m,
                step("v", "verify", StepOnFail::Stop),
            ],
            ..crate::domain::fixtures::empty_runbook()
        }
    }

    fn run(state: &mut SessionState, step: &str, n: u32, outcome: RunOutcome, at: i64) {
        state.apply_event(
            "ana",
            t(at),
            E::StepStarted { step: step.into(), run: n, command: "x".into(), output: "o".into() },
        );
        state.apply_event(
            "ana",
            t(at),
            E::StepFinished {
                step: step.into(),
                run: n,
                outcome,
                exit_code: None,
                signal: None,
                duration_ms: 1,
                error: None,
            },
        );
    }

    #[test]
    fn stop_blocks_later_steps_of_the_phase_until_overridden() {
        let rb = rb();
        let mut s = SessionState::default();
        assert_eq!(gate(&rb, &s, "b"), StepGate::Ready { earlier_not_done: vec!["a".into()] });
        run(&mut s, "a", 1, RunOutcome::Failed, 1);
        assert_eq!(gate(&rb, &s, "b"), StepGate::Blocked { by: "a".into(), status: StepStatus::Failed });
        assert_eq!(gate(&rb, &s, "d"), StepGate::Blocked { by: "a".into(), status: StepStatus::Failed });
        assert_eq!(
            gate(&rb, &s, "a"),
            StepGate::Ready { earlier_not_done: vec![] },
            "the failed step itself may re-run"
        );
        assert_eq!(gate(&rb, &s, "v"), StepGate::Ready { earlier_not_done: vec![] }, "other phases are not held");
        s.apply_event("ana", t(2), E::StepOverridden { step: "a".into(), reason: "known flaky".into() });
        assert!(matches!(gate(&rb, &s, "b"), StepGate::Ready { .. }));
        // A later failure of the same step needs a new override.
        run(&mut s, "a", 2, RunOutcome::TimedOut, 3);
        assert_eq!(gate(&rb, &s, "b"), StepGate::Blocked { by: "a".into(), status: StepStatus::TimedOut });
    }

    #[test]
    fn ask_and_continue() {
        let rb = rb();
        let mut s = SessionState::default();
        run(&mut s, "a", 1, RunOutcome::Ok, 0);
        run(&mut s, "b", 1, RunOutcome::Aborted, 1);
        assert_eq!(gate(&rb, &s, "c"), StepGate::Ask { after: "b".into(), status: StepStatus::Aborted });
        s.apply_event("ana", t(2), E::StepOverridden { step: "b".into(), reason: "go on".into() });
        assert_eq!(gate(&rb, &s, "c"), StepGate::Ready { earlier_not_done: vec!["b".into()] });
        run(&mut s, "c", 1, RunOutcome::Failed, 3);
        assert_eq!(gate(&rb, &s, "d"), StepGate::Ready { earlier_not_done: vec!["b".into(), "c".into()] });
    }

    #[test]
    fn running_manual_unknown() {
        let rb = rb();
        let mut s = SessionState::default();
        s.apply_event(
            "ana",
            t(0),
            E::StepStarted { step: "a".into(), run: 1, command: "x".into(), output: "o".into() },
        );
        assert_eq!(gate(&rb, &s, "a"), StepGate::Running);
        assert_eq!(gate(&rb, &s, "manual"), StepGate::Manual);
        assert_eq!(gate(&rb, &s, "nope"), StepGate::Unknown);
    }
}

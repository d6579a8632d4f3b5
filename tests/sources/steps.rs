//! Steps end to end below the UI: runbook → prepare (vars shell-quoted) →
//! journal `step.started` → real process → journal `step.finished` → fold,
//! gate and auto-verdict.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use warroom::domain::auto_verdict::{AutoVerdicts, Inputs};
use warroom::domain::duration::Dur;
use warroom::domain::event::{EventKind, RunOutcome, Verdict};
use warroom::domain::loader::load_bytes;
use warroom::domain::state::{SessionState, StepStatus};
use warroom::domain::vars::effective_vars;
use warroom::sources::journal::Journal;
use warroom::sources::process::spawn_run;
use warroom::sources::steps::{finished_event, prepare_step};
use warroom::sources::SourceEvent;

const HANG: Duration = Duration::from_secs(60);

fn record(j: &mut Journal, state: &mut SessionState, ev: &EventKind) {
    for r in j.append("ana@test", Utc::now(), ev).unwrap() {
        state.apply(&r);
    }
}

/// Runs one step through the whole path and returns its output lines.
async fn run_step(
    rb: &warroom::domain::runbook::Runbook,
    j: &mut Journal,
    state: &mut SessionState,
    step: &str,
) -> Vec<String> {
    let vars = effective_vars(&rb.vars, |_| None);
    let launch = prepare_step(rb, state, step, &vars, j, "ana@test").unwrap();
    record(j, state, &launch.started);
    assert_eq!(state.step_status(step), StepStatus::Running);
    let (tx, mut rx) = warroom::sources::event_channel();
    let _h = spawn_run(launch.spec, tx);
    let mut lines = Vec::new();
    loop {
        match tokio::time::timeout(HANG, rx.recv()).await.unwrap().unwrap() {
            SourceEvent::RunOutput { line, .. } => lines.push(line),
            SourceEvent::RunExited { kind, id, run, end } => {
                record(j, state, &finished_event(kind, &id, run, &end));
                return lines;
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn var_values_are_shell_quoted_and_steps_flow_through_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let pwn = dir.path().join("pwn");
    let evil = format!("$(touch {});'\"`touch {}`", pwn.display(), pwn.display());
    let text = format!(
        r#"[runbook]
id = "s5"
title = "S5"

[vars]
evil = {evil:?}

[[phase]]
id = "deploy"
title = "Deploy"

[[step]]
id = "echo"
phase = "deploy"
title = "Echo a hostile var"
run = "printf '%s\n' {{evil}}; echo $WARROOM_STEP run $WARROOM_RUN"

[[step]]
id = "fail"
phase = "deploy"
title = "Fails"
run = "exit 7"
on_fail = "stop"

[[step]]
id = "after"
phase = "deploy"
title = "Blocked by fail"
run = "true"

[[criterion]]
id = "echo-ok"
title = "Echo ran"
severity = "high"
on_fail = "evaluate"
auto = {{ step = "fail" }}
"#
    );
    let path = dir.path().join("rb.toml");
    std::fs::write(&path, &text).unwrap();
    let rb = load_bytes(&path, text.as_bytes()).unwrap_or_else(|d| panic!("{d:?}")).runbook;
    let mut j = Journal::open(&dir.path().join("session/journal.jsonl")).unwrap().journal;
    let mut state = SessionState::default();

    let lines = run_step(&rb, &mut j, &mut state, "echo").await;
    assert_eq!(lines, vec![evil.clone(), "echo run 1".to_string()]);
    assert!(!pwn.exists(), "a var value ran as a command (S5)");
    assert_eq!(state.step_status("echo"), StepStatus::Succeeded);
    let run = state.steps["echo"].last_run().unwrap();
    assert_eq!(run.output, "runs/step-echo-1.log");
    let saved = std::fs::read_to_string(dir.path().join("session").join(&run.output)).unwrap();
    assert!(saved.contains(&evil), "{saved}");

    // Second run gets number 2.
    run_step(&rb, &mut j, &mut state, "echo").await;
    assert_eq!(state.steps["echo"].last_run().unwrap().run, 2);

    run_step(&rb, &mut j, &mut state, "fail").await;
    assert_eq!(state.step_status("fail"), StepStatus::Failed);
    let end = state.steps["fail"].last_run().unwrap().finished.clone().unwrap();
    assert_eq!((end.outcome, end.exit_code), (RunOutcome::Failed, Some(7)));
    let vars: BTreeMap<String, String> = effective_vars(&rb.vars, |_| None);
    let refused = prepare_step(&rb, &state, "after", &vars, &j, "ana@test").unwrap_err();
    assert!(refused.contains("blocked") && refused.contains("fail"), "{refused}");

    // The step-bound criterion follows the failed run.
    let probes = BTreeMap::new();
    let logs = |_: &str, _: Dur, _: chrono::DateTime<Utc>| None;
    let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: Utc::now() };
    let evs = AutoVerdicts::new().evaluate(&inp);
    assert!(
        matches!(&evs[..], [EventKind::CriterionMarked { verdict: Verdict::Fail, cause: Some(c), .. }] if c == "step fail run 1 exited 7"),
        "{evs:?}"
    );
}

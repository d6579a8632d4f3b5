//! The keys on a step: `r` runs the selected step (always asks first, naming it;
//! a step held up by an earlier failure asks to override it), `x` aborts it,
//! Enter loads its last run's output for the details. Pure (no I/O):
//! everything that touches the world is an `Effect` the driver runs
//! (`ui::session::runs`). Run output and ends arrive in `ui::wiring::run_ends`.

use crate::domain::event::{EventKind, RunKind};
use crate::domain::state::StepStatus;
use crate::domain::step_gate::{gate, StepGate};
use crate::domain::vars;
use crate::ui::app::{App, MsgKind};
use crate::ui::effect::Effect;
use crate::ui::items;
use crate::ui::overlay::confirm::Confirm;
use crate::ui::overlay::Overlay;
use crate::ui::panes::PaneId;
use crate::ui::text::clean;

use crate::ui::wiring::run_key;

fn selected_step(app: &mut App) -> Option<String> {
    if app.view.focus != PaneId::Steps {
        app.say("focus the Steps pane (1) first", MsgKind::Info);
        return None;
    }
    let id = items::steps(&app.model.runbook).get(app.selected(PaneId::Steps)).map(|s| s.id.clone());
    if id.is_none() {
        app.say("no steps in this runbook", MsgKind::Info);
    }
    id
}

/// `r`: asks to run the selected step (A5: a deploy step is never run on one unconfirmed key).
pub fn run_selected(app: &mut App) -> Vec<Effect> {
    let Some(id) = selected_step(app) else { return Vec::new() };
    if !app.writable() {
        return Vec::new();
    }
    let Some(step) = app.model.runbook.step(&id).cloned() else { return Vec::new() };
    if let Err(why) = app.model.runbook.access.check(&step.by, &app.actor(), &format!("run step {id}")) {
        app.say(clean(&why), MsgKind::Warn);
        return Vec::new();
    }
    let command = match step.run.as_deref().map(|t| vars::render_command(t, &app.model.vars)) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            app.say(format!("step {id} cannot run: {e}"), MsgKind::Error);
            return Vec::new();
        }
        None => String::new(),
    };
    let start = Effect::StartRun { kind: RunKind::Step, id: id.clone() };
    let what = format!("{} — {}", clean(&id), clean(&step.title));
    let (title, question, mut on_yes) = match gate(&app.model.runbook, &app.model.state, &id) {
        StepGate::Running => {
            app.say(format!("step {id} is already running (x aborts it)"), MsgKind::Info);
            return Vec::new();
        }
        StepGate::Manual => {
            app.say(format!("step {id} is manual: space ticks it done"), MsgKind::Info);
            return Vec::new();
        }
        StepGate::Unknown => return Vec::new(),
        StepGate::Ready { earlier_not_done } => {
            let note = if earlier_not_done.is_empty() {
                String::new()
            } else {
                format!(" Earlier steps not done yet: {}.", clean(&earlier_not_done.join(", ")))
            };
            ("Run step?".to_string(), format!("Run step {what}?{note}"), Vec::new())
        }
        StepGate::Blocked { by, status } => (
            "Override a failed step?".to_string(),
            format!(
                "Step {} {} and has on_fail = stop, so {} is blocked. Override {} and run {what}?",
                clean(&by),
                status.words(),
                clean(&id),
                clean(&by)
            ),
            vec![override_event(app, &by, &id)],
        ),
        StepGate::Ask { after, status } => (
            "Go on after a failure?".to_string(),
            format!("Step {} {} (on_fail = ask). Go on and run {what}?", clean(&after), status.words()),
            vec![override_event(app, &after, &id)],
        ),
    };
    on_yes.push(start);
    // Who may run it, when the runbook restricts it.
    let question = if step.by.is_empty() {
        question
    } else {
        format!("{question}\nWho may run it: {}.", clean(&app.model.runbook.access.describe(&step.by)))
    };
    // The question, then the exact command, line by line (each line sanitised),
    // secret vars shown as their placeholder.
    let command = app.model.redactor.redact(&command);
    let question = format!("{question}\nCommand:\n{}", crate::domain::sanitize::clean_multiline(&command));
    app.view.overlay.open(Overlay::Confirm(Confirm { title, question, on_yes }));
    app.view.dirty = true;
    Vec::new()
}

fn override_event(app: &App, failed: &str, to_run: &str) -> Effect {
    app.append(EventKind::StepOverridden {
        step: failed.to_string(),
        reason: format!("confirmed going on to run {to_run}"),
    })
}

/// `x` in Steps: asks to abort the selected step's run, naming it.
pub fn abort_selected(app: &mut App) -> Vec<Effect> {
    // A running rollback comes first unless the selected step itself is running.
    let step_running = app.view.focus == PaneId::Steps
        && items::steps(&app.model.runbook)
            .get(app.selected(PaneId::Steps))
            .is_some_and(|s| app.model.state.step_status(&s.id) == StepStatus::Running);
    if !step_running && crate::ui::banner::abort_running(app) {
        return Vec::new();
    }
    let Some(id) = selected_step(app) else { return Vec::new() };
    if app.model.state.step_status(&id) != StepStatus::Running {
        app.say(format!("step {id} is not running"), MsgKind::Info);
        return Vec::new();
    }
    let title = app.model.runbook.step(&id).map(|s| clean(&s.title)).unwrap_or_default();
    app.view.overlay.open(Overlay::Confirm(Confirm {
        title: "Abort step?".into(),
        question: format!(
            "Abort step {} — {title}? Its whole process group gets TERM, then KILL after 3 s.",
            clean(&id)
        ),
        on_yes: vec![Effect::AbortRun { kind: RunKind::Step, id }],
    }));
    app.view.dirty = true;
    Vec::new()
}

/// Enter on a step: the output of its last run, loaded from its file when not in memory.
pub fn on_details(app: &App, index: usize) -> Vec<Effect> {
    let Some(step) = items::steps(&app.model.runbook).get(index).map(|s| s.id.clone()) else { return Vec::new() };
    let Some(last) = app.model.state.steps.get(&step).and_then(|s| s.last_run()) else { return Vec::new() };
    let have = app.model.procs.outputs.get(&run_key(RunKind::Step, &step)).is_some_and(|o| o.run == last.run);
    if have {
        return Vec::new();
    }
    vec![Effect::LoadOutput { kind: RunKind::Step, id: step, run: last.run, output: last.output.clone(), quiet: false }]
}

/// Lines for the step details view: the last run's output, newest last.
pub fn output_lines(app: &App, step: &str) -> Vec<String> {
    let Some(o) = app.model.procs.outputs.get(&run_key(RunKind::Step, step)) else { return Vec::new() };
    let mut out = vec![format!("── output of run {} ──", o.run)];
    if o.dropped > 0 {
        out.push(format!("… {} earlier lines are in the output file", o.dropped));
    }
    out.extend(o.lines.iter().cloned());
    out
}

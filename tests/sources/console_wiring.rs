//! The console's wiring of steps and probes, driven like a user (keys into the
//! `App`, effects run by the `Session` against a real journal, real processes
//! and a real local HTTP server) — below the terminal, above the sources.

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use warroom::domain::event::{EventKind, MarkSource, ProbeHealth, RunOutcome, Verdict};
use warroom::domain::state::StepStatus;
use warroom::sources::journal::Journal;
use warroom::sources::EventReceiver;
use warroom::ui::action::Action;
use warroom::ui::app::App;
use warroom::ui::driver::Input;
use warroom::ui::overlay::Overlay;
use warroom::ui::panes::PaneId;
use warroom::ui::session::Session;

use super::server;

const HANG: Duration = Duration::from_secs(60);

fn session(dir: &Path, runbook: &str) -> Session {
    let rb = crate::console_support::runbook(dir, runbook);
    crate::console_support::session(rb, &dir.join("session/journal.jsonl"), "ana@test", None)
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// Feeds source events through the driver until `done` holds.
async fn pump(s: &mut Session, rx: &mut EventReceiver, done: impl Fn(&Session) -> bool) {
    tokio::time::timeout(HANG, async {
        while !done(s) {
            let ev = rx.recv().await.unwrap();
            s.feed(Input::Source(ev));
        }
    })
    .await
    .expect("condition never reached");
}

fn confirm_text(app: &App) -> String {
    match app.view.overlay.top() {
        Some(Overlay::Confirm(c)) => format!("{}: {}", c.title, c.question),
        _ => panic!("expected a confirmation"),
    }
}

const STEPS: &str = r#"[runbook]
id = "wiring"
title = "Wiring"

[[phase]]
id = "deploy"
title = "Deploy"

[[step]]
id = "hello"
phase = "deploy"
title = "Say hello"
run = "echo hello from $WARROOM_STEP; echo oops >&2; exit 3"
on_fail = "stop"

[[step]]
id = "wait"
phase = "deploy"
title = "Wait forever"
run = "trap '' TERM; sleep 999 & sleep 999"

[[criterion]]
id = "hello-ok"
title = "hello exited 0"
severity = "critical"
on_fail = "rollback"
auto = { step = "hello" }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r_asks_runs_journals_and_x_aborts() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), STEPS);
    let (tx, mut rx) = warroom::sources::event_channel();
    s.start_procs(tx);
    s.app.view.focus = PaneId::Steps;

    // r asks first, naming the step and showing the command.
    assert!(s.app.update(Action::RunStep).is_empty());
    let q = confirm_text(&s.app);
    assert!(q.contains("Run step hello — Say hello?") && q.contains("Command:\necho hello from"), "{q}");
    s.feed(Input::Key(key('y')));
    assert_eq!(s.app.model.state.step_status("hello"), StepStatus::Running);
    pump(&mut s, &mut rx, |s| s.app.model.state.step_status("hello") != StepStatus::Running).await;
    let st = &s.app.model.state.steps["hello"];
    let end = st.last_run().unwrap().finished.clone().unwrap();
    assert_eq!((end.outcome, end.exit_code), (RunOutcome::Failed, Some(3)));
    // The step-bound criterion was marked by the auto-verdict, with its cause.
    let c = &s.app.model.state.criteria["hello-ok"];
    assert_eq!((c.verdict, c.source), (Verdict::Fail, MarkSource::Auto));
    assert_eq!(c.cause.as_deref(), Some("step hello run 1 exited 3"));
    // Enter shows the output.
    // (stdout and stderr are two pipes: their relative order is by arrival, not fixed.)
    let mut lines = warroom::ui::step_keys::output_lines(&s.app, "hello");
    assert_eq!(lines.remove(0), "── output of run 1 ──");
    lines.sort();
    assert_eq!(lines, vec!["hello from hello", "oops"]);

    // The next step is blocked by on_fail = stop: r asks to override.
    s.app.update(Action::MoveDown);
    s.app.update(Action::RunStep);
    let q = confirm_text(&s.app);
    assert!(q.contains("Step hello failed and has on_fail = stop, so wait is blocked"), "{q}");
    s.feed(Input::Key(key('y')));
    assert!(s.app.model.state.steps["hello"].overridden.is_some());
    assert_eq!(s.app.model.state.step_status("wait"), StepStatus::Running);
    assert_eq!(s.runs.running_here(), 1);

    // x asks, naming the step, then aborts the whole group.
    s.app.update(Action::AbortStep);
    assert!(confirm_text(&s.app).contains("Abort step wait — Wait forever?"));
    s.feed(Input::Key(key('y')));
    pump(&mut s, &mut rx, |s| s.app.model.state.step_status("wait") != StepStatus::Running).await;
    assert_eq!(s.app.model.state.step_status("wait"), StepStatus::Aborted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_aborts_runs_and_journals_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), STEPS);
    let (tx, mut rx) = warroom::sources::event_channel();
    s.start_procs(tx);
    s.run_effects(vec![warroom::ui::effect::Effect::StartRun {
        kind: warroom::domain::event::RunKind::Step,
        id: "hello".into(),
    }]);
    pump(&mut s, &mut rx, |s| s.app.model.state.step_status("hello") != StepStatus::Running).await;
    s.app.model.state.apply_event(
        "ana@test",
        Utc::now(),
        EventKind::StepOverridden { step: "hello".into(), reason: "test".into() },
    );
    s.run_effects(vec![warroom::ui::effect::Effect::StartRun {
        kind: warroom::domain::event::RunKind::Step,
        id: "wait".into(),
    }]);
    assert_eq!(s.runs.running_here(), 1);
    s.stop_runs(&mut rx).await;
    assert_eq!(s.app.model.state.step_status("wait"), StepStatus::Aborted);
    // A fresh console on the same journal sees the same.
    let again = Journal::open(&dir.path().join("session/journal.jsonl")).unwrap();
    let st = warroom::domain::state::SessionState::from_records(&again.records);
    assert_eq!(st.step_status("wait"), StepStatus::Aborted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_start_at_open_journal_changes_and_drive_verdicts() {
    let srv = server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let rb = format!(
        r#"[runbook]
id = "probes"
title = "Probes"

[[probe]]
id = "home"
url = "{}"
every = "100ms"
timeout = "2s"
conditions = ["[STATUS] == 200"]
failure_threshold = 2

[[probe]]
id = "broken"
url = "{}"
every = "100ms"
timeout = "2s"
conditions = ["[STATUS] == 200"]
failure_threshold = 2

[[criterion]]
id = "home-up"
title = "Home answers"
severity = "critical"
on_fail = "rollback"
auto = {{ probe = "home" }}

[[criterion]]
id = "broken-up"
title = "Broken answers"
severity = "high"
on_fail = "evaluate"
auto = {{ probe = "broken" }}
"#,
        srv.url("/ok"),
        srv.url("/500")
    );
    let mut s = session(dir.path(), &rb);
    let (tx, mut rx) = warroom::sources::event_channel();
    s.start_procs(tx);
    pump(&mut s, &mut rx, |s| s.app.model.state.probes.len() == 2 && s.app.model.state.criteria.len() == 2).await;
    assert_eq!(s.app.model.state.probes["home"].health, ProbeHealth::Up);
    let down = &s.app.model.state.probes["broken"];
    assert_eq!(down.health, ProbeHealth::Down);
    assert_eq!(down.cause.as_deref(), Some("2 consecutive failures: [STATUS] == 200: got 500"));
    assert_eq!(s.app.model.state.verdict("home-up"), Verdict::Pass);
    assert_eq!(s.app.model.state.verdict("broken-up"), Verdict::Fail);
    // More attempts journal nothing new (only changes are written).
    let seq = s.app.model.state.last_seq;
    let target = s.app.model.live.probes.get("home").map_or(0, |v| v.len()) + 5;
    pump(&mut s, &mut rx, |s| s.app.model.live.probes.get("home").map_or(0, |v| v.len()) >= target).await;
    assert_eq!(s.app.model.state.last_seq, seq);
}

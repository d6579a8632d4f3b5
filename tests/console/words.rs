//! Outcome and state words on screen and in plain mode come from the one
//! vocabulary (`domain::labels`), never from `Debug`: a timed-out run reads
//! "timed out" (not "TimedOut" or "timedout"), a probe is "DOWN" (not "Down").

use ratatui::crossterm::event::KeyCode;
use warroom::domain::event::{EventKind, ProbeHealth, RunOutcome};
use warroom::domain::record::Record;

use super::{ch, console, draw, key, press, t, text};

fn finished(outcome: RunOutcome) -> EventKind {
    EventKind::StepFinished {
        step: "backup".into(),
        run: 1,
        outcome,
        exit_code: None,
        signal: Some(9),
        duration_ms: 30_000,
        error: None,
    }
}

#[test]
fn plain_mode_says_outcomes_and_health_in_words() {
    let r = Record::new("", 1, t(10), "ana@bastion", &finished(RunOutcome::TimedOut));
    let line = warroom::ui::plain::describe(&r);
    assert!(line.contains("ended step backup run 1: timed out after 30s"), "{line}");
    let probe = EventKind::ProbeChanged { probe: "db".into(), health: ProbeHealth::Down, cause: None };
    let line = warroom::ui::plain::describe(&Record::new("", 2, t(11), "probe", &probe));
    assert!(line.contains("probe db is DOWN"), "{line}");
}

#[test]
fn details_say_a_timed_out_run_in_words() {
    let mut a = console();
    let started = EventKind::StepStarted {
        step: "backup".into(),
        run: 1,
        command: "true".into(),
        output: "runs/backup-1.log".into(),
    };
    a.model.state.apply_event("ana@bastion", t(10), started);
    a.model.state.apply_event("ana@bastion", t(40), finished(RunOutcome::TimedOut));
    press(&mut a, &[ch('1'), ch('g'), ch('j'), key(KeyCode::Enter)]);
    let s = text(&draw(&mut a, 100, 30));
    assert!(s.contains("Step backup"), "{s}");
    assert!(s.contains("timed out after"), "{s}");
    assert!(!s.to_lowercase().contains("timedout"), "{s}");
}

/// Plain mode: an automatic verdict is the source's, not the person whose console
/// recorded it; a command missing its argument says what to write.
#[test]
fn plain_mode_credits_auto_verdicts_to_the_source_and_asks_for_missing_words() {
    let mut a = console();
    let c = a.model.runbook.criteria[0].clone();
    let auto = EventKind::CriterionMarked {
        criterion: c.id.clone(),
        verdict: warroom::domain::event::Verdict::Fail,
        note: None,
        source: warroom::domain::event::MarkSource::Auto,
        cause: Some("probe DOWN".into()),
    };
    a.session.feed(warroom::ui::driver::Input::Act(auto));
    let summary = warroom::ui::plain::summary(&a.session).join("\n");
    let line = summary.lines().find(|l| l.contains(&format!(" {}: FAIL", c.id))).unwrap_or_default().to_string();
    assert!(line.contains("(auto at "), "{summary}");
    for (typed, says) in [("note", "note TEXT"), ("pass", "pass CRITERION"), ("operator", "operator NAME")] {
        let err = warroom::ui::plain::command(&a.session, typed).expect_err(typed);
        assert!(err.contains(says) && !err.contains("unknown command"), "{typed}: {err}");
    }
}

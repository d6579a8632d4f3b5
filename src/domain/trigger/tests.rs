use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use super::*;
use crate::domain::duration::Dur;
use crate::domain::event::{EventKind, ProbeHealth};
use crate::domain::fixtures::{opened, runbook, session, t, trigger};
use crate::domain::runbook::{Runbook, TriggerWhen};
use crate::domain::state::SessionState;

fn probe_rule() -> Runbook {
    let mut rb = runbook();
    rb.triggers = vec![trigger(
        "site-down",
        TriggerWhen::ProbeDown { probe: "homepage".into(), down_for: Dur::from_secs(300) },
        "full",
    )];
    rb
}

fn log_rule(per_min: u64, for_secs: u64) -> Runbook {
    let mut rb = runbook();
    rb.triggers = vec![trigger(
        "errors",
        TriggerWhen::LogErrorRate { log: "php".into(), errors_per_min: per_min, for_: Dur::from_secs(for_secs) },
        "full",
    )];
    rb
}

/// Errors at given seconds after t(0), counted per clock minute like the log window.
struct Errors(BTreeMap<i64, u64>);
impl Errors {
    fn steady(from: i64, to: i64, per_min: u64) -> Self {
        // One error every 60/per_min seconds (per_min ≤ 60 here), or several per second.
        let mut m = BTreeMap::new();
        for s in from..to {
            let n = per_min / 60 + u64::from((s * per_min as i64) % 60 < per_min as i64 % 60);
            if n > 0 {
                m.insert(s, n);
            }
        }
        Errors(m)
    }
    /// The last `n` complete minutes before `now`'s minute (minute 0 = t(0)..t(59)), oldest first.
    fn minutes(&self, n: usize, now: DateTime<Utc>) -> Vec<u64> {
        let cur = (now - t(0)).num_seconds().div_euclid(60);
        (1..=n as i64).rev().map(|k| self.0.range((cur - k) * 60..(cur - k + 1) * 60).map(|(_, c)| c).sum()).collect()
    }
}

#[allow(clippy::type_complexity)]
fn signals<'a>(
    down: Option<DateTime<Utc>>,
    errors: &'a Errors,
) -> FnSignals<impl Fn(&str) -> Option<DateTime<Utc>> + 'a, impl Fn(&str, usize, DateTime<Utc>) -> Option<Vec<u64>> + 'a>
{
    FnSignals {
        down_since: move |p: &str| if p == "homepage" { down } else { None },
        error_minutes: move |l: &str, n, now| if l == "php" { Some(errors.minutes(n, now)) } else { None },
    }
}

fn fold(
    mut events: Vec<(i64, &'static str, EventKind)>,
    at: i64,
    new: Vec<EventKind>,
) -> Vec<(i64, &'static str, EventKind)> {
    events.extend(new.into_iter().map(|e| (at, "warroom", e)));
    events
}

#[test]
fn probe_trigger_holds_only_after_down_for_fires_once_and_clears() {
    let rb = probe_rule();
    let none = Errors(BTreeMap::new());
    let mut events = vec![(0, "ana", opened())];
    let s = session(&events);
    // Down since t(100): at 4m59s nothing, at 5m it fires.
    assert!(evaluate(&rb, &s, &signals(Some(t(100)), &none), t(399)).is_empty());
    let fired = evaluate(&rb, &s, &signals(Some(t(100)), &none), t(400));
    assert_eq!(fired.len(), 1);
    match &fired[0] {
        EventKind::TriggerFired { trigger, propose, cause } => {
            assert_eq!((trigger.as_str(), propose.as_str()), ("site-down", "full"));
            assert_eq!(cause, "probe homepage DOWN for 5m (rule: 5m)");
        }
        other => panic!("expected trigger.fired, got {other:?}"),
    }
    events = fold(events, 400, fired);
    let s = session(&events);
    // Still down: nothing more (once). Never a rollback.
    assert!(evaluate(&rb, &s, &signals(Some(t(100)), &none), t(900)).is_empty());
    assert!(s.rollbacks.is_empty());
    assert_eq!(active(&s).len(), 1);
    // Up again: cleared once.
    let cleared = evaluate(&rb, &s, &signals(None, &none), t(950));
    assert_eq!(cleared, vec![EventKind::TriggerCleared { trigger: "site-down".into() }]);
    events = fold(events, 950, cleared);
    let s = session(&events);
    assert!(evaluate(&rb, &s, &signals(None, &none), t(960)).is_empty());
    assert!(active(&s).is_empty());
    // Down again later: a fresh outage must last down_for again before it fires.
    assert!(evaluate(&rb, &s, &signals(Some(t(1000)), &none), t(1200)).is_empty());
    assert_eq!(evaluate(&rb, &s, &signals(Some(t(1000)), &none), t(1300)).len(), 1);
}

#[test]
fn journaled_probe_state_gives_down_since() {
    let s = session(&[
        (0, "ana", opened()),
        (50, "warroom", EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Down, cause: None }),
    ]);
    assert_eq!(journaled_down_since(&s, "homepage"), Some(t(50)));
    assert_eq!(journaled_down_since(&s, "api"), None);
    let up = session(&[
        (0, "ana", opened()),
        (50, "warroom", EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Down, cause: None }),
        (70, "warroom", EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Up, cause: None }),
    ]);
    assert_eq!(journaled_down_since(&up, "homepage"), None);
}

#[test]
fn log_rate_must_hold_over_the_whole_window() {
    let rb = log_rule(60, 120);
    let s = session(&[(0, "ana", opened())]);
    // 60 errors/min from t(0): after one whole minute not yet; after two it holds.
    let errs = Errors::steady(0, 10_000, 60);
    assert!(evaluate(&rb, &s, &signals(None, &errs), t(60)).is_empty());
    assert!(evaluate(&rb, &s, &signals(None, &errs), t(119)).is_empty());
    let fired = evaluate(&rb, &s, &signals(None, &errs), t(120));
    assert_eq!(fired.len(), 1);
    if let EventKind::TriggerFired { cause, .. } = &fired[0] {
        assert_eq!(cause, "log php: errors in the last 2 whole minutes: 60, 60 (rule: ≥ 60/min for 2m)");
    }
    // Below the rate (40/min < 60/min) it does not hold.
    let low = Errors::steady(0, 10_000, 40);
    assert!(evaluate(&rb, &s, &signals(None, &low), t(600)).is_empty());
}

#[test]
fn a_single_burst_does_not_fire_a_sustained_rule() {
    let rb = log_rule(50, 120);
    let s = session(&[(0, "ana", opened())]);
    let burst = Errors(BTreeMap::from([(100, 500)]));
    for now in [100, 130, 160, 219] {
        assert!(evaluate(&rb, &s, &signals(None, &burst), t(now)).is_empty(), "at {now}");
    }
}

#[test]
fn log_rule_clears_when_the_rate_drops_and_needs_data() {
    let rb = log_rule(50, 120);
    let errs = Errors::steady(0, 180, 60);
    let events = fold(
        vec![(0, "ana", opened())],
        120,
        evaluate(&rb, &session(&[(0, "ana", opened())]), &signals(None, &errs), t(120)),
    );
    let s = session(&events);
    assert_eq!(active(&s).len(), 1);
    assert!(evaluate(&rb, &s, &signals(None, &errs), t(200)).is_empty(), "minutes 1 and 2 still at 60");
    assert_eq!(
        evaluate(&rb, &s, &signals(None, &errs), t(240)),
        vec![EventKind::TriggerCleared { trigger: "errors".into() }]
    );
    // A log with no data never holds.
    let mut other = rb.clone();
    other.triggers[0].when =
        TriggerWhen::LogErrorRate { log: "missing".into(), errors_per_min: 0, for_: Dur::from_secs(60) };
    let fresh = session(&[(0, "ana", opened())]);
    assert!(evaluate(&other, &fresh, &signals(None, &errs), t(120)).is_empty());
}

#[test]
fn windows_round_up_to_whole_minutes() {
    let s = session(&[(0, "ana", opened())]);
    let errs = Errors::steady(0, 1000, 60);
    // 30s → the last whole minute.
    let rb = log_rule(60, 30);
    assert!(evaluate(&rb, &s, &signals(None, &errs), t(59)).is_empty());
    assert_eq!(evaluate(&rb, &s, &signals(None, &errs), t(60)).len(), 1);
    // 90s → the last two whole minutes.
    let rb = log_rule(60, 90);
    assert!(evaluate(&rb, &s, &signals(None, &errs), t(119)).is_empty());
    assert_eq!(evaluate(&rb, &s, &signals(None, &errs), t(120)).len(), 1);
}

#[test]
fn complete_minutes_from_a_log_window_skip_the_current_minute() {
    use crate::domain::log_line::{LineLevel, LogLine};
    use crate::domain::log_window::LogWindow;
    let mut w = LogWindow::new(100, Duration::minutes(60));
    let line = |s: i64| LogLine { at: t(s), level: LineLevel::Error, text: "ERROR x".into(), marker: false };
    w.push([line(5), line(10), line(70), line(130), line(131), line(132)]);
    assert_eq!(complete_minutes(&w, 2, t(150)), vec![2, 1]);
    assert_eq!(complete_minutes(&w, 3, t(185)), vec![2, 1, 3]);
}

proptest! {
    /// Evaluating on every tick and folding the answer journals alternating fired/cleared,
    /// never two in a row of the same kind, and never anything but trigger events.
    #[test]
    fn fired_and_cleared_alternate(outages in proptest::collection::vec((0i64..2000, 1i64..900), 0..6), step in 5i64..120) {
        let rb = probe_rule();
        let none = Errors(BTreeMap::new());
        let down_at = |now: i64| outages.iter().filter(|(s, len)| *s <= now && now < s + len).map(|(s, _)| *s).min();
        let mut events = vec![(0, "ana", opened())];
        let mut kinds = Vec::new();
        let mut now = 0;
        while now < 3000 {
            let s: SessionState = session(&events);
            let new = evaluate(&rb, &s, &signals(down_at(now).map(t), &none), t(now));
            prop_assert!(new.len() <= 1);
            for e in &new {
                let is_trigger_event = matches!(e, EventKind::TriggerFired { .. } | EventKind::TriggerCleared { .. });
                prop_assert!(is_trigger_event, "unexpected event {:?}", e);
                kinds.push(e.name());
            }
            events = fold(events, now, new);
            let s = session(&events);
            prop_assert!(evaluate(&rb, &s, &signals(down_at(now).map(t), &none), t(now)).is_empty());
            now += step;
        }
        for w in kinds.windows(2) { prop_assert_ne!(w[0], w[1]); }
        if let Some(first) = kinds.first() { prop_assert_eq!(*first, "trigger.fired"); }
    }
}

//! Days-long go-lives: the countdown to T-0 and the phase by time
//! (docs/runbook-format.md, "Days-long phases"). Pure: `now` is passed in.

use chrono::{DateTime, Utc};

use super::runbook::{Phase, Runbook};
use super::state::SessionState;

/// T-0 in force: the journal's `t0.set` wins over the runbook's `t0`.
pub fn t0(rb: &Runbook, state: &SessionState) -> Option<DateTime<Utc>> {
    state.t0.or(rb.t0)
}

/// `T-2d 04h`, `T-03h 12m`, `T-04m 05s`, `T-0`, `T+1d 02h`: the time from T-0, coarser the farther.
pub fn label(t0: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let diff = now - t0;
    let sign = if diff < chrono::Duration::zero() { '-' } else { '+' };
    let s = diff.num_seconds().abs();
    if s == 0 {
        return "T-0".into();
    }
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 {
        format!("T{sign}{d}d {h:02}h")
    } else if h > 0 {
        format!("T{sign}{h:02}h {m:02}m")
    } else {
        format!("T{sign}{m:02}m {sec:02}s")
    }
}

/// The phase whose `at` has passed most recently; `None` before the first
/// (or when no phase has `at`).
pub fn current_phase(rb: &Runbook, t0: DateTime<Utc>, now: DateTime<Utc>) -> Option<&Phase> {
    rb.phases
        .iter()
        .filter_map(|p| p.at.map(|at| (t0 + at, p)))
        .filter(|(start, _)| *start <= now)
        .max_by_key(|(start, _)| *start)
        .map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{empty_runbook, t};

    #[test]
    fn labels_count_down_then_up() {
        let t0 = t(0);
        let d = |s: i64| t0 + chrono::Duration::seconds(s);
        assert_eq!(label(t0, d(-(2 * 86_400 + 4 * 3600 + 59))), "T-2d 04h");
        assert_eq!(label(t0, d(-(3 * 3600 + 12 * 60))), "T-03h 12m");
        assert_eq!(label(t0, d(-245)), "T-04m 05s");
        assert_eq!(label(t0, t0), "T-0");
        assert_eq!(label(t0, d(86_400 + 2 * 3600)), "T+1d 02h");
    }

    #[test]
    fn the_phase_by_time_and_the_journal_t0_wins() {
        let ph = |id: &str, at: Option<i64>| Phase {
            id: id.into(),
            title: id.into(),
            at: at.map(chrono::Duration::days),
            valid_for: None,
            every: None,
        };
        let mut rb = empty_runbook();
        rb.phases = vec![ph("prep", Some(-7)), ph("launch", Some(0)), ph("notes", None), ph("soft", Some(1))];
        rb.t0 = Some(t(0));
        let mut state = SessionState::default();
        assert_eq!(t0(&rb, &state), Some(t(0)));
        let day = 86_400;
        assert_eq!(current_phase(&rb, t(0), t(-8 * day)).map(|p| p.id.as_str()), None);
        assert_eq!(current_phase(&rb, t(0), t(-3 * day)).map(|p| p.id.as_str()), Some("prep"));
        assert_eq!(current_phase(&rb, t(0), t(3600)).map(|p| p.id.as_str()), Some("launch"));
        assert_eq!(current_phase(&rb, t(0), t(2 * day)).map(|p| p.id.as_str()), Some("soft"));
        state.t0 = Some(t(day));
        assert_eq!(t0(&rb, &state), Some(t(day)));
    }
}

//! What one probe row says, decided in one place so the state word and the
//! detail never contradict each other (docs/console.md, "Probes"):
//! PENDING n/threshold until the thresholds decide; UP or DOWN after; the
//! last result always; the reason whenever the last attempt failed or the
//! probe is DOWN.

use crate::domain::event::ProbeHealth;
use crate::domain::probe_history::{ProbeHistory, ProbeSample};
use crate::domain::state::ProbeChange;
use crate::ui::timefmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    NotStarted,
    /// Attempts failed, fewer than the failure threshold: nothing decided yet.
    Pending {
        failed: u32,
        of: u32,
    },
    Up,
    Down,
}

impl RowState {
    pub fn health(self) -> Option<ProbeHealth> {
        match self {
            RowState::Up => Some(ProbeHealth::Up),
            RowState::Down => Some(ProbeHealth::Down),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeRow {
    pub state: RowState,
    pub detail: String,
}

/// One attempt in words: "200 12ms" when it answered well; when it failed,
/// what came back (if anything did) then why it counts as failed:
/// "500 12ms · [STATUS] == 200: got 500".
pub fn result(s: &ProbeSample) -> String {
    let lat = timefmt::ms(s.latency.as_millis() as u64);
    match (&s.failure, s.status) {
        (None, Some(code)) if s.success => format!("{code} {lat}"),
        (None, None) if s.success => format!("ok {lat}"),
        (Some(why), Some(code)) => format!("{code} {lat} · {why}"),
        (Some(why), None) => why.clone(),
        (None, Some(code)) => format!("failed: {code}"),
        (None, None) => "failed".to_string(),
    }
}

/// The row from this console's live history, else from the journal's last
/// change; `idle` ("http every 10s") when nothing is known at all.
pub fn describe(hist: Option<&ProbeHistory>, journal: Option<&ProbeChange>, idle: &str) -> ProbeRow {
    let Some(last) = hist.and_then(|h| h.last()) else {
        return match journal {
            Some(ch) => ProbeRow {
                state: if ch.health == ProbeHealth::Up { RowState::Up } else { RowState::Down },
                detail: ch.cause.clone().unwrap_or_else(|| idle.to_string()),
            },
            None => ProbeRow { state: RowState::NotStarted, detail: idle.to_string() },
        };
    };
    let h = hist.expect("a last sample comes from a history");
    let (fails, oks) = h.streak();
    let (fail_at, ok_at) = h.thresholds();
    let now = result(last);
    match h.health() {
        None => ProbeRow { state: RowState::Pending { failed: fails, of: fail_at }, detail: now },
        Some(ProbeHealth::Up) if !last.success => {
            ProbeRow { state: RowState::Up, detail: format!("failing {fails}/{fail_at}: {now}") }
        }
        Some(ProbeHealth::Up) => ProbeRow { state: RowState::Up, detail: now },
        Some(ProbeHealth::Down) if last.success => {
            let was = h.last_failure().map(result).or_else(|| journal.and_then(|j| j.cause.clone()));
            let was = was.map(|w| format!(" · down: {w}")).unwrap_or_default();
            ProbeRow { state: RowState::Down, detail: format!("recovering {oks}/{ok_at}: {now}{was}") }
        }
        Some(ProbeHealth::Down) => ProbeRow { state: RowState::Down, detail: now },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use std::time::Duration;

    fn sample(ok: bool, status: Option<u16>, failure: Option<&str>) -> ProbeSample {
        ProbeSample {
            at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            success: ok,
            latency: Duration::from_millis(5),
            status,
            failure: failure.map(str::to_string),
        }
    }

    fn hist(samples: &[ProbeSample]) -> ProbeHistory {
        let mut h = ProbeHistory::new(3, 2, 10);
        for s in samples {
            h.record(s.clone());
        }
        h
    }

    #[test]
    fn nothing_known_is_not_started() {
        assert_eq!(describe(None, None, "http every 10s").state, RowState::NotStarted);
    }

    #[test]
    fn first_failures_are_pending_with_their_reason() {
        let h = hist(&[sample(false, Some(500), Some("[STATUS] == 200: got 500"))]);
        let row = describe(Some(&h), None, "");
        assert_eq!(row.state, RowState::Pending { failed: 1, of: 3 });
        assert_eq!(row.detail, "500 5ms · [STATUS] == 200: got 500");
    }

    #[test]
    fn up_with_a_failed_attempt_says_it_is_failing_and_why() {
        let h = hist(&[sample(true, Some(200), None), sample(false, Some(500), Some("[STATUS] == 200: got 500"))]);
        let row = describe(Some(&h), None, "");
        assert_eq!(row.state, RowState::Up);
        assert_eq!(row.detail, "failing 1/3: 500 5ms · [STATUS] == 200: got 500");
    }

    #[test]
    fn down_while_answering_again_says_recovering_and_why_it_was_down() {
        let bad = sample(false, None, Some("connection refused"));
        let h = hist(&[bad.clone(), bad.clone(), bad, sample(true, Some(200), None)]);
        let row = describe(Some(&h), None, "");
        assert_eq!(row.state, RowState::Down);
        assert_eq!(row.detail, "recovering 1/2: 200 5ms · down: connection refused");
    }

    #[test]
    fn down_shows_the_reason() {
        let bad = sample(false, None, Some("connection refused"));
        let h = hist(&[bad.clone(), bad.clone(), bad]);
        assert_eq!(describe(Some(&h), None, "").detail, "connection refused");
    }
}

//! What the console knows about one probe: the last N attempts, its health
//! (UP/DOWN with failure/success thresholds so one blip does not flap it),
//! latency percentiles over a window, sparkline values, and the last failure.
//! Pure: attempts come in with their times; nothing here reads a clock.
//!
//! Health rule: a probe starts *unknown*. The first success makes it UP (a real
//! answer is evidence enough); it goes DOWN after `failure_threshold`
//! consecutive failures, and back UP after `success_threshold` consecutive
//! successes. Resuming a session starts from the journal's last health, so a
//! restart does not journal a change that did not happen.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::event::ProbeHealth;
use super::runbook::Probe;

/// Attempts kept per probe (enough for a 5-minute p95 at a 1 s interval).
pub const DEFAULT_CAPACITY: usize = 300;

/// One probe attempt, as the history keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbeSample {
    pub at: DateTime<Utc>,
    pub success: bool,
    pub latency: Duration,
    pub status: Option<u16>,
    /// Why it failed, in words: the failed condition with what was seen, or the transport error.
    pub failure: Option<String>,
}

/// A change of health, to be journaled as `probe.changed`.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthChange {
    pub health: ProbeHealth,
    pub at: DateTime<Utc>,
    pub cause: String,
}

#[derive(Clone, Debug)]
pub struct ProbeHistory {
    capacity: usize,
    samples: VecDeque<ProbeSample>,
    failure_threshold: u32,
    success_threshold: u32,
    health: Option<ProbeHealth>,
    since: Option<DateTime<Utc>>,
    fails_in_row: u32,
    oks_in_row: u32,
    last_failure: Option<ProbeSample>,
}

impl ProbeHistory {
    /// Thresholds below 1 are taken as 1.
    pub fn new(failure_threshold: u32, success_threshold: u32, capacity: usize) -> Self {
        ProbeHistory {
            capacity: capacity.max(1),
            samples: VecDeque::new(),
            failure_threshold: failure_threshold.max(1),
            success_threshold: success_threshold.max(1),
            health: None,
            since: None,
            fails_in_row: 0,
            oks_in_row: 0,
            last_failure: None,
        }
    }

    pub fn for_probe(probe: &Probe) -> Self {
        Self::new(probe.failure_threshold, probe.success_threshold, DEFAULT_CAPACITY)
    }

    /// Starts from a known health (the journal's last `probe.changed`) instead of unknown.
    pub fn resume(mut self, health: ProbeHealth, since: DateTime<Utc>) -> Self {
        self.health = Some(health);
        self.since = Some(since);
        self
    }

    /// Adds one attempt; returns the health change it causes, if any.
    pub fn record(&mut self, sample: ProbeSample) -> Option<HealthChange> {
        if sample.success {
            self.oks_in_row += 1;
            self.fails_in_row = 0;
        } else {
            self.fails_in_row += 1;
            self.oks_in_row = 0;
            self.last_failure = Some(sample.clone());
        }
        let at = sample.at;
        let change = match (self.health, sample.success) {
            (None, true) => Some((ProbeHealth::Up, "answered".to_string())),
            (Some(ProbeHealth::Down), true) if self.oks_in_row >= self.success_threshold => {
                Some((ProbeHealth::Up, format!("{} consecutive successes", self.oks_in_row)))
            }
            (None | Some(ProbeHealth::Up), false) if self.fails_in_row >= self.failure_threshold => {
                let why = sample.failure.clone().unwrap_or_else(|| "failed".into());
                let n = self.fails_in_row;
                Some((ProbeHealth::Down, if n == 1 { why } else { format!("{n} consecutive failures: {why}") }))
            }
            _ => None,
        };
        self.samples.push_back(sample);
        while self.samples.len() > self.capacity {
            self.samples.pop_front();
        }
        change.map(|(health, cause)| {
            self.health = Some(health);
            self.since = Some(at);
            HealthChange { health, at, cause }
        })
    }

    /// `None` until the first success or `failure_threshold` failures.
    pub fn health(&self) -> Option<ProbeHealth> {
        self.health
    }

    /// When the current health began.
    pub fn since(&self) -> Option<DateTime<Utc>> {
        self.since
    }

    /// Consecutive failures / successes ending at the last attempt.
    pub fn streak(&self) -> (u32, u32) {
        (self.fails_in_row, self.oks_in_row)
    }

    pub fn thresholds(&self) -> (u32, u32) {
        (self.failure_threshold, self.success_threshold)
    }

    pub fn last(&self) -> Option<&ProbeSample> {
        self.samples.back()
    }

    /// The most recent failed attempt, even if later ones succeeded.
    pub fn last_failure(&self) -> Option<&ProbeSample> {
        self.last_failure.as_ref()
    }

    /// Attempts kept, oldest first.
    pub fn samples(&self) -> impl DoubleEndedIterator<Item = &ProbeSample> + ExactSizeIterator {
        self.samples.iter()
    }

    /// Latency percentile (0–100, nearest rank) of successful attempts within `window` before `now`.
    /// `None` when there is none.
    pub fn percentile(&self, pct: f64, window: Duration, now: DateTime<Utc>) -> Option<Duration> {
        let from = now - chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
        let mut lat: Vec<Duration> =
            self.samples.iter().filter(|s| s.success && s.at >= from && s.at <= now).map(|s| s.latency).collect();
        if lat.is_empty() {
            return None;
        }
        lat.sort();
        let rank = ((pct.clamp(0.0, 100.0) / 100.0) * lat.len() as f64).ceil() as usize;
        Some(lat[rank.clamp(1, lat.len()) - 1])
    }

    pub fn p50(&self, window: Duration, now: DateTime<Utc>) -> Option<Duration> {
        self.percentile(50.0, window, now)
    }

    pub fn p95(&self, window: Duration, now: DateTime<Utc>) -> Option<Duration> {
        self.percentile(95.0, window, now)
    }

    /// The last `n` attempts' latencies in ms, oldest first; `None` for a failed attempt
    /// (so the sparkline can show a gap or a mark rather than a misleading bar).
    pub fn sparkline(&self, n: usize) -> Vec<Option<u64>> {
        let skip = self.samples.len().saturating_sub(n);
        self.samples.iter().skip(skip).map(|s| s.success.then_some(s.latency.as_millis() as u64)).collect()
    }

    /// Share of successful attempts within `window` before `now`, 0.0–1.0; `None` with no attempts.
    pub fn availability(&self, window: Duration, now: DateTime<Utc>) -> Option<f64> {
        let from = now - chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
        let (ok, all) = self
            .samples
            .iter()
            .filter(|s| s.at >= from && s.at <= now)
            .fold((0usize, 0usize), |(ok, all), s| (ok + s.success as usize, all + 1));
        (all > 0).then(|| ok as f64 / all as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    fn ok(s: i64, ms: u64) -> ProbeSample {
        ProbeSample { at: t(s), success: true, latency: Duration::from_millis(ms), status: Some(200), failure: None }
    }

    fn bad(s: i64) -> ProbeSample {
        ProbeSample {
            at: t(s),
            success: false,
            latency: Duration::from_millis(5),
            status: Some(503),
            failure: Some("[STATUS] == 200 failed: got 503".into()),
        }
    }

    #[test]
    fn thresholds_damp_flapping() {
        let mut h = ProbeHistory::new(3, 2, 10);
        assert_eq!(h.health(), None);
        assert_eq!(h.record(ok(0, 10)).map(|c| c.health), Some(ProbeHealth::Up));
        assert_eq!(h.record(bad(1)), None);
        assert_eq!(h.record(bad(2)), None);
        assert_eq!(h.record(ok(3, 10)), None, "a success resets the failure count");
        assert_eq!(h.record(bad(4)), None);
        assert_eq!(h.record(bad(5)), None);
        let down = h.record(bad(6)).unwrap();
        assert_eq!(down.health, ProbeHealth::Down);
        assert_eq!(down.at, t(6));
        assert_eq!(down.cause, "3 consecutive failures: [STATUS] == 200 failed: got 503");
        assert_eq!(h.since(), Some(t(6)));
        assert_eq!(h.record(bad(7)), None, "already down: no repeat");
        assert_eq!(h.record(ok(8, 10)), None);
        let up = h.record(ok(9, 10)).unwrap();
        assert_eq!(up.health, ProbeHealth::Up);
        assert_eq!(up.cause, "2 consecutive successes");
        assert_eq!(h.last_failure().unwrap().at, t(7));
    }

    #[test]
    fn unknown_goes_down_only_at_threshold_and_resume_keeps_state() {
        let mut h = ProbeHistory::new(2, 1, 10);
        assert_eq!(h.record(bad(0)), None);
        assert_eq!(h.health(), None);
        assert_eq!(h.record(bad(1)).unwrap().health, ProbeHealth::Down);

        let mut r = ProbeHistory::new(2, 2, 10).resume(ProbeHealth::Down, t(0));
        assert_eq!(r.record(ok(1, 5)), None, "resumed DOWN needs the success threshold");
        assert_eq!(r.record(ok(2, 5)).unwrap().health, ProbeHealth::Up);
        let mut u = ProbeHistory::new(1, 1, 10).resume(ProbeHealth::Up, t(0));
        assert_eq!(u.record(ok(1, 5)), None, "resumed UP: a success changes nothing");
        assert_eq!(u.record(bad(2)).unwrap().cause, "[STATUS] == 200 failed: got 503");
    }

    #[test]
    fn percentiles_window_and_sparkline() {
        let mut h = ProbeHistory::new(3, 2, 100);
        for i in 1..=20 {
            h.record(ok(i, i as u64 * 10));
        }
        h.record(bad(21));
        let now = t(21);
        assert_eq!(h.p50(Duration::from_secs(3600), now), Some(Duration::from_millis(100)));
        assert_eq!(h.p95(Duration::from_secs(3600), now), Some(Duration::from_millis(190)));
        // Window of the last 5 s: attempts at 16..=21, successes 16..=20.
        assert_eq!(h.p50(Duration::from_secs(5), now), Some(Duration::from_millis(180)));
        assert_eq!(h.p95(Duration::from_secs(0), t(100)), None);
        assert_eq!(h.sparkline(3), vec![Some(190), Some(200), None]);
        assert_eq!(h.availability(Duration::from_secs(3600), now), Some(20.0 / 21.0));
    }

    #[test]
    fn ring_is_bounded() {
        let mut h = ProbeHistory::new(1, 1, 5);
        for i in 0..50 {
            h.record(ok(i, 1));
        }
        assert_eq!(h.samples().len(), 5);
        assert_eq!(h.samples().next().unwrap().at, t(45));
    }

    proptest! {
        /// Whatever the sequence, health changes only at the thresholds and never repeats itself.
        #[test]
        fn prop_transitions_respect_thresholds(seq in proptest::collection::vec(any::<bool>(), 0..200), ft in 1u32..5, st in 1u32..5) {
            let mut h = ProbeHistory::new(ft, st, 50);
            let mut last: Option<ProbeHealth> = None;
            let (mut fails, mut oks) = (0u32, 0u32);
            for (i, success) in seq.into_iter().enumerate() {
                if success { oks += 1; fails = 0 } else { fails += 1; oks = 0 }
                let s = if success { ok(i as i64, 1) } else { bad(i as i64) };
                if let Some(c) = h.record(s) {
                    prop_assert_ne!(Some(c.health), last);
                    match c.health {
                        ProbeHealth::Down => prop_assert!(fails >= ft),
                        ProbeHealth::Up => prop_assert!(last.is_none() || oks >= st),
                    }
                    last = Some(c.health);
                }
                prop_assert_eq!(h.health(), last);
            }
        }
    }
}

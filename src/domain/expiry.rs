//! Evidence that expires (docs/runbook-format.md, "Evidence that expires").
//!
//! A verdict is evidence about the system *when it was given*. With
//! `valid_for`, a verdict older than that is no longer evidence; with
//! `every`, a verdict from an earlier period (periods counted from T-0, or
//! from the Unix epoch in UTC without one) is not evidence for this one. Either
//! way the criterion shows PENDING again, with what it was and who gave it.
//!
//! The fold (`SessionState`) keeps verdicts as journaled; [`apply`] is run on
//! it with the current time before showing or reporting it. It is idempotent
//! and only ever turns verdicts into PENDING, so running it on every tick is
//! safe. Automatic verdicts that expire are re-taken from their source by the
//! auto-verdict pass (`domain::auto_verdict`), which sees PENDING and journals
//! the source's current opinion. "Not applicable" never expires: it is not a
//! claim about the system's state.

use chrono::{DateTime, Utc};

use super::duration::Dur;
use super::event::Verdict;
use super::runbook::Runbook;
use super::state::SessionState;

/// Why a verdict no longer counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiredWhy {
    /// Older than `valid_for`.
    Aged(Dur),
    /// Given in an earlier period of `every`.
    NewPeriod(Dur),
}

/// The verdict that expired, kept for the flag "expired (ticked Mon 09:12 by ana)".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expired {
    pub verdict: Verdict,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    pub why: ExpiredWhy,
}

impl Expired {
    /// `expired (pass, ticked Mon 09:12 by ana; valid for 24h)`, times in `tz`.
    pub fn describe(&self, tz: Option<chrono_tz::Tz>) -> String {
        let when = match tz {
            Some(tz) => self.at.with_timezone(&tz).format("%a %H:%M").to_string(),
            None => self.at.format("%a %H:%M UTC").to_string(),
        };
        let by = self.by.as_deref().map(|b| format!(" by {b}")).unwrap_or_default();
        let rule = match self.why {
            ExpiredWhy::Aged(d) => format!("valid for {d}"),
            ExpiredWhy::NewPeriod(d) => format!("due again every {d}"),
        };
        format!("expired ({}, ticked {when}{by}; {rule})", self.verdict.as_str())
    }
}

impl Expired {
    /// When the verdict stopped counting: `valid_for` after it was given, or
    /// the start of the next `every` period (`t0` anchors periods, as in [`apply`]).
    pub fn since(&self, t0: Option<DateTime<Utc>>) -> DateTime<Utc> {
        match self.why {
            ExpiredWhy::Aged(d) => self.at + d.to_chrono(),
            ExpiredWhy::NewPeriod(e) => {
                let base = t0.map(|a| a.timestamp_millis()).unwrap_or(0);
                let len = e.as_millis().max(1) as i64;
                let next = base + (period(self.at, e, t0) + 1) * len;
                DateTime::from_timestamp_millis(next).unwrap_or(self.at)
            }
        }
    }
}

/// Turns verdicts that are no longer evidence at `now` into PENDING.
/// `t0` anchors `every` periods (the session's T-0, if any).
pub fn apply(state: &mut SessionState, rb: &Runbook, t0: Option<DateTime<Utc>>, now: DateTime<Utc>) {
    for c in &rb.criteria {
        // A criterion's own setting, else its phase's.
        let phase = c.phase.as_deref().and_then(|p| rb.phase(p));
        let valid_for = c.valid_for.or(phase.and_then(|p| p.valid_for));
        let every = c.every.or(phase.and_then(|p| p.every));
        if valid_for.is_none() && every.is_none() {
            continue;
        }
        let Some(st) = state.criteria.get_mut(&c.id) else { continue };
        if matches!(st.verdict, Verdict::Pending | Verdict::Na) || st.expired.is_some() {
            continue;
        }
        let Some(at) = st.at else { continue };
        let why = match (valid_for, every) {
            (Some(v), _) if now - at >= v.to_chrono() => Some(ExpiredWhy::Aged(v)),
            (_, Some(e)) if period(at, e, t0) < period(now, e, t0) => Some(ExpiredWhy::NewPeriod(e)),
            _ => None,
        };
        if let Some(why) = why {
            st.expired = Some(Expired { verdict: st.verdict, by: st.by.clone(), at, why });
            st.verdict = Verdict::Pending;
        }
    }
}

/// Which period of length `every` `at` falls in, counted from `anchor` (or the epoch).
fn period(at: DateTime<Utc>, every: Dur, anchor: Option<DateTime<Utc>>) -> i64 {
    let base = anchor.map(|a| a.timestamp_millis()).unwrap_or(0);
    let len = every.as_millis().max(1) as i64;
    (at.timestamp_millis() - base).div_euclid(len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventKind, MarkSource};
    use crate::domain::fixtures::{criterion, empty_runbook, opened, session, t};
    use crate::domain::runbook::{Runbook, Severity};

    fn rb(valid_for: Option<u64>, every: Option<u64>) -> Runbook {
        let mut c = criterion("home", Severity::Critical);
        c.valid_for = valid_for.map(Dur::from_secs);
        c.every = every.map(Dur::from_secs);
        Runbook { criteria: vec![c], ..empty_runbook() }
    }

    fn marked(v: Verdict) -> EventKind {
        EventKind::CriterionMarked {
            criterion: "home".into(),
            verdict: v,
            note: None,
            source: MarkSource::Manual,
            cause: None,
        }
    }

    #[test]
    fn a_verdict_older_than_valid_for_is_pending_with_what_it_was() {
        let mut s = session(&[(0, "a", opened()), (10, "ana", marked(Verdict::Pass))]);
        let rb = rb(Some(2), None);
        apply(&mut s, &rb, None, t(11));
        assert_eq!(s.verdict("home"), Verdict::Pass, "still fresh after 1 s");
        apply(&mut s, &rb, None, t(12));
        assert_eq!(s.verdict("home"), Verdict::Pending, "2 s old: expired");
        let e = s.criteria["home"].expired.clone().unwrap();
        assert_eq!((e.verdict, e.by.as_deref(), e.at), (Verdict::Pass, Some("ana"), t(10)));
        assert_eq!(e.describe(None), "expired (pass, ticked Thu 06:00 UTC by ana; valid for 2s)");
        // Idempotent: a second pass keeps the first expiry.
        apply(&mut s, &rb, None, t(100));
        assert_eq!(s.criteria["home"].expired, Some(e));
    }

    #[test]
    fn a_new_verdict_clears_the_expiry_and_na_never_expires() {
        let rb = rb(Some(2), None);
        let mut s = session(&[(0, "a", opened()), (10, "ana", marked(Verdict::Fail))]);
        apply(&mut s, &rb, None, t(20));
        assert!(s.criteria["home"].expired.is_some());
        let mut s =
            session(&[(0, "a", opened()), (10, "ana", marked(Verdict::Fail)), (21, "bo", marked(Verdict::Pass))]);
        apply(&mut s, &rb, None, t(22));
        assert_eq!((s.verdict("home"), s.criteria["home"].expired.is_none()), (Verdict::Pass, true));
        let mut s = session(&[(0, "a", opened()), (10, "ana", marked(Verdict::Na))]);
        apply(&mut s, &rb, None, t(10_000));
        assert_eq!(s.verdict("home"), Verdict::Na);
    }

    #[test]
    fn every_period_starts_pending_counted_from_t0() {
        // Periods of 60 s from T-0 = t(30): [30, 90), [90, 150) …
        let rb = rb(None, Some(60));
        let mut s = session(&[(0, "a", opened()), (80, "ana", marked(Verdict::Pass))]);
        apply(&mut s, &rb, Some(t(30)), t(89));
        assert_eq!(s.verdict("home"), Verdict::Pass, "same period");
        apply(&mut s, &rb, Some(t(30)), t(90));
        assert_eq!(s.verdict("home"), Verdict::Pending, "next period");
        assert_eq!(s.criteria["home"].expired.as_ref().unwrap().why, ExpiredWhy::NewPeriod(Dur::from_secs(60)));
    }

    #[test]
    fn an_expired_auto_verdict_is_retaken_from_its_source_and_a_manual_one_waits_for_a_person() {
        use crate::domain::auto_verdict::{AutoVerdicts, Inputs};
        use crate::domain::event::ProbeHealth;
        use crate::domain::runbook::AutoBinding;
        use std::collections::BTreeMap;
        let mut rb = rb(Some(2), None);
        rb.criteria[0].auto = Some(AutoBinding::Probe { probe: "homepage".into(), max_p95: None, window: None });
        let up = EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Up, cause: None };
        let auto = EventKind::CriterionMarked {
            criterion: "home".into(),
            verdict: Verdict::Pass,
            note: None,
            source: MarkSource::Auto,
            cause: Some("probe homepage UP".into()),
        };
        let logs = |_: &str, _, _| None;
        let probes = BTreeMap::new();
        let mut av = AutoVerdicts::new();
        // The source's opinion is seen once (PASS, as journaled): nothing to do.
        let mut s = session(&[(0, "a", opened()), (1, "a", up.clone()), (2, "probe", auto)]);
        let inp = Inputs { runbook: &rb, state: &s, probes: &probes, logs: &logs, now: t(3) };
        assert!(av.evaluate(&inp).is_empty());
        // Expired: PENDING, and the auto pass takes it again from the probe.
        apply(&mut s, &rb, None, t(4));
        assert_eq!(s.verdict("home"), Verdict::Pending);
        let inp = Inputs { runbook: &rb, state: &s, probes: &probes, logs: &logs, now: t(4) };
        let again = av.evaluate(&inp);
        assert!(
            matches!(&again[..], [EventKind::CriterionMarked { verdict: Verdict::Pass, source: MarkSource::Auto, .. }]),
            "{again:?}"
        );
        // A person's pass that expires stays PENDING: only a person can renew it.
        let mut av = AutoVerdicts::new();
        let by_hand = EventKind::CriterionMarked {
            criterion: "home".into(),
            verdict: Verdict::Pass,
            note: None,
            source: MarkSource::Override,
            cause: None,
        };
        let mut s = session(&[(0, "a", opened()), (1, "a", up), (2, "ana", by_hand)]);
        let inp = Inputs { runbook: &rb, state: &s, probes: &probes, logs: &logs, now: t(3) };
        assert!(av.evaluate(&inp).is_empty());
        apply(&mut s, &rb, None, t(4));
        let inp = Inputs { runbook: &rb, state: &s, probes: &probes, logs: &logs, now: t(4) };
        assert!(av.evaluate(&inp).is_empty());
        assert_eq!(s.verdict("home"), Verdict::Pending);
    }

    #[test]
    fn a_phase_valid_for_applies_to_its_criteria_unless_they_set_their_own() {
        use crate::domain::runbook::Phase;
        let mut rb = rb(None, None);
        rb.phases = vec![Phase {
            id: "soft".into(),
            title: "Soft".into(),
            at: None,
            valid_for: Some(Dur::from_secs(2)),
            every: None,
        }];
        rb.criteria[0].phase = Some("soft".into());
        let mut s = session(&[(0, "a", opened()), (10, "ana", marked(Verdict::Pass))]);
        apply(&mut s, &rb, None, t(12));
        assert_eq!(s.verdict("home"), Verdict::Pending, "the phase's 2s");
        rb.criteria[0].valid_for = Some(Dur::from_secs(60));
        let mut s = session(&[(0, "a", opened()), (10, "ana", marked(Verdict::Pass))]);
        apply(&mut s, &rb, None, t(12));
        assert_eq!(s.verdict("home"), Verdict::Pass, "its own 60s wins");
    }

    #[test]
    fn criteria_without_valid_for_or_every_never_expire() {
        let mut s = session(&[(0, "a", opened()), (10, "ana", marked(Verdict::Pass))]);
        apply(&mut s, &rb(None, None), None, t(1_000_000));
        assert_eq!(s.verdict("home"), Verdict::Pass);
    }
}

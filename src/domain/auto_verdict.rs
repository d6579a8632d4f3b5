//! Automatic checklist verdicts from probes, steps and logs (`auto = {...}` on a criterion).
//!
//! Each bound source has an *opinion* (pass or fail, with a cause in words) or none yet:
//! - `probe`: pass while the probe is UP (and, with `max_p95`, while its p95 latency over
//!   `window` — default 5 minutes — is within the bound); fail while DOWN or over the bound.
//!   No opinion while its health is still unknown.
//! - `step`: pass when its last run exited 0 (or a manual step is ticked done); fail when
//!   the last run failed, timed out, was aborted or could not start. No opinion before the
//!   first run ends, and while a new run is going the previous verdict stands.
//! - `log`: pass while errors counted in `window` are at most `max_errors`, fail above.
//!
//! The rule for people's verdicts: an auto verdict is journaled only when it changes
//! what the checklist shows. A verdict set by a person (`manual` or `override`) is
//! respected **until the bound source changes its opinion**: then the new opinion is
//! journaled over it. [`AutoVerdicts`] remembers the last opinion seen per criterion to
//! tell the two apart; on a fresh start the first opinion seen is the baseline, so a
//! person's verdict from before a restart is not overwritten by an unchanged source.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::duration::Dur;
use super::event::{EventKind, MarkSource, ProbeHealth, RunOutcome, Verdict};
use super::log_window::LogWindow;
use super::probe_history::ProbeHistory;
use super::runbook::{AutoBinding, Criterion, Runbook};
use super::state::SessionState;

/// p95 window when a criterion gives `max_p95` without `window`.
pub const DEFAULT_P95_WINDOW: Duration = Duration::from_secs(300);

/// Error counts of followed logs. Implemented for closures and for the console's `LogWindow`s.
pub trait LogErrors {
    /// Errors of log `log` in the `window` before `now`; `None` when the log is not followed (yet).
    fn errors_in(&self, log: &str, window: Dur, now: DateTime<Utc>) -> Option<u64>;
}

impl<F: Fn(&str, Dur, DateTime<Utc>) -> Option<u64>> LogErrors for F {
    fn errors_in(&self, log: &str, window: Dur, now: DateTime<Utc>) -> Option<u64> {
        self(log, window, now)
    }
}

/// The console's followed logs, by log id.
impl LogErrors for BTreeMap<String, LogWindow> {
    fn errors_in(&self, log: &str, window: Dur, now: DateTime<Utc>) -> Option<u64> {
        self.get(log).map(|w| w.errors_in(window.to_chrono(), now))
    }
}

/// What a bound source says about a criterion now.
#[derive(Clone, Debug, PartialEq)]
pub struct Opinion {
    pub verdict: Verdict,
    pub cause: String,
}

/// Everything an evaluation looks at.
pub struct Inputs<'a> {
    pub runbook: &'a Runbook,
    pub state: &'a SessionState,
    pub probes: &'a BTreeMap<String, ProbeHistory>,
    pub logs: &'a dyn LogErrors,
    pub now: DateTime<Utc>,
}

/// The opinion of a criterion's bound source, if it has one.
/// A person's verdict on `c`: an override when the criterion is auto-bound
/// (it stands until the source changes its mind), a plain manual mark otherwise.
/// The console, plain mode and `warroom mark` all record marks through this.
pub fn person_mark(c: &Criterion, verdict: Verdict, note: Option<String>) -> EventKind {
    let source = if c.auto.is_some() { MarkSource::Override } else { MarkSource::Manual };
    EventKind::CriterionMarked { criterion: c.id.clone(), verdict, note, source, cause: None }
}

pub fn opinion(c: &Criterion, inp: &Inputs<'_>) -> Option<Opinion> {
    match c.auto.as_ref()? {
        AutoBinding::Probe { probe, max_p95, window } => probe_opinion(probe, *max_p95, *window, inp),
        AutoBinding::Step { step } => step_opinion(step, inp.state),
        AutoBinding::Log { log, max_errors, window } => {
            let n = inp.logs.errors_in(log, *window, inp.now)?;
            let verdict = if n <= *max_errors { Verdict::Pass } else { Verdict::Fail };
            let noun = if n == 1 { "error" } else { "errors" };
            Some(Opinion { verdict, cause: format!("log {log}: {n} {noun} in {window} (max {max_errors})") })
        }
    }
}

fn probe_opinion(probe: &str, max_p95: Option<Dur>, window: Option<Dur>, inp: &Inputs<'_>) -> Option<Opinion> {
    let hist = inp.probes.get(probe);
    // Live health first; else what the journal says (e.g. another console runs the probes).
    let health = hist.and_then(|h| h.health()).or_else(|| inp.state.probes.get(probe).map(|c| c.health))?;
    if health == ProbeHealth::Down {
        let why = hist
            .and_then(|h| h.last_failure())
            .and_then(|s| s.failure.clone())
            .or_else(|| inp.state.probes.get(probe).and_then(|c| c.cause.clone()));
        let cause = match why {
            Some(w) => format!("probe {probe} DOWN: {w}"),
            None => format!("probe {probe} DOWN"),
        };
        return Some(Opinion { verdict: Verdict::Fail, cause });
    }
    if let (Some(bound), Some(h)) = (max_p95, hist) {
        let win = window.map(|w| w.as_duration()).unwrap_or(DEFAULT_P95_WINDOW);
        if let Some(p95) = h.p95(win, inp.now) {
            let shown = Dur::from_millis(p95.as_millis() as u64);
            let over = p95 > bound.as_duration();
            let cause =
                format!("probe {probe} UP, p95 {shown} {} {bound} over {}", if over { ">" } else { "≤" }, Dur(win));
            return Some(Opinion { verdict: if over { Verdict::Fail } else { Verdict::Pass }, cause });
        }
    }
    Some(Opinion { verdict: Verdict::Pass, cause: format!("probe {probe} UP") })
}

fn step_opinion(step: &str, state: &SessionState) -> Option<Opinion> {
    let st = state.steps.get(step)?;
    if let Some((true, by, _)) = &st.ticked {
        return Some(Opinion { verdict: Verdict::Pass, cause: format!("step {step} done (ticked by {by})") });
    }
    // The last run that ended; a run in progress keeps the previous verdict.
    let (run, end) = st.runs.iter().rev().find_map(|r| r.finished.as_ref().map(|e| (r.run, e)))?;
    let what = match (end.outcome, end.exit_code, end.signal) {
        (RunOutcome::Ok, _, _) => {
            return Some(Opinion { verdict: Verdict::Pass, cause: format!("step {step} run {run} exited 0") })
        }
        (RunOutcome::TimedOut, _, _) => "timed out".to_string(),
        (RunOutcome::Aborted, _, _) => "was aborted".to_string(),
        (RunOutcome::Interrupted, _, _) => "was interrupted (its console went away)".to_string(),
        (RunOutcome::Error, _, _) => format!("could not start: {}", end.error.as_deref().unwrap_or("error")),
        (RunOutcome::Failed, Some(c), _) => format!("exited {c}"),
        (RunOutcome::Failed, None, Some(s)) => format!("was killed by signal {s}"),
        (RunOutcome::Failed, None, None) => "failed".to_string(),
    };
    Some(Opinion { verdict: Verdict::Fail, cause: format!("step {step} run {run} {what}") })
}

/// Remembers the last opinion per criterion, so people's verdicts are respected
/// until the source changes (see the module notes). Keep one per console.
///
/// "No opinion yet" (a probe still undecided, a step not run) is remembered
/// too: a verdict given then gives way to the source's first opinion, while a
/// console that has just started (nothing remembered) leaves people's
/// verdicts from before it alone.
#[derive(Clone, Debug, Default)]
pub struct AutoVerdicts {
    seen: BTreeMap<String, Option<Verdict>>,
}

impl AutoVerdicts {
    pub fn new() -> Self {
        Self::default()
    }

    /// The `criterion.marked` events (source `auto`) needed now; empty when nothing changes.
    pub fn evaluate(&mut self, inp: &Inputs<'_>) -> Vec<EventKind> {
        let mut out = Vec::new();
        for c in &inp.runbook.criteria {
            if c.auto.is_none() {
                continue;
            }
            let Some(op) = opinion(c, inp) else {
                self.seen.insert(c.id.clone(), None);
                continue;
            };
            let previous = self.seen.insert(c.id.clone(), Some(op.verdict));
            let current = inp.state.criteria.get(&c.id);
            let shown = current.map(|s| s.verdict).unwrap_or_default();
            if shown == op.verdict {
                continue;
            }
            let by_person = current.is_some_and(|s| matches!(s.source, MarkSource::Manual | MarkSource::Override));
            // A person's verdict stands until the source's opinion changes.
            if by_person && previous.is_none_or(|p| p == Some(op.verdict)) {
                continue;
            }
            out.push(EventKind::CriterionMarked {
                criterion: c.id.clone(),
                verdict: op.verdict,
                note: None,
                source: MarkSource::Auto,
                cause: Some(op.cause),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind as E;
    use crate::domain::probe_history::ProbeSample;
    use crate::domain::runbook::{Criterion, CriterionOnFail, Severity};

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    fn criterion(id: &str, auto: AutoBinding) -> Criterion {
        Criterion {
            id: id.into(),
            title: id.into(),
            severity: Severity::Critical,
            on_fail: CriterionOnFail::Rollback,
            auto: Some(auto),
            description: None,
            valid_for: None,
            every: None,
            links: vec![],
            phase: None,
        }
    }

    fn runbook(criteria: Vec<Criterion>) -> Runbook {
        Runbook { criteria, ..crate::domain::fixtures::empty_runbook() }
    }

    fn sample(s: i64, success: bool, ms: u64) -> ProbeSample {
        ProbeSample {
            at: t(s),
            success,
            latency: Duration::from_millis(ms),
            status: Some(if success { 200 } else { 503 }),
            failure: (!success).then(|| "[STATUS] == 200 failed: got 503".to_string()),
        }
    }

    fn no_logs(_: &str, _: Dur, _: DateTime<Utc>) -> Option<u64> {
        None
    }

    fn marked(v: &[EventKind]) -> Vec<(String, Verdict, String)> {
        v.iter()
            .map(|e| match e {
                E::CriterionMarked { criterion, verdict, source, cause, .. } => {
                    assert_eq!(*source, MarkSource::Auto);
                    (criterion.clone(), *verdict, cause.clone().unwrap())
                }
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn apply(state: &mut SessionState, by: &str, evs: Vec<EventKind>) {
        for e in evs {
            state.apply_event(by, t(0), e);
        }
    }

    #[test]
    fn probe_binding_follows_health_and_respects_people() {
        let rb = runbook(vec![criterion(
            "home",
            AutoBinding::Probe { probe: "homepage".into(), max_p95: None, window: None },
        )]);
        let mut state = SessionState::default();
        let mut probes = BTreeMap::new();
        let mut hist = ProbeHistory::new(2, 1, 50);
        let mut av = AutoVerdicts::new();
        let logs = no_logs;
        // Unknown health: no opinion, nothing marked.
        probes.insert("homepage".to_string(), hist.clone());
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(0) };
        assert!(av.evaluate(&inp).is_empty());

        hist.record(sample(1, true, 20));
        probes.insert("homepage".to_string(), hist.clone());
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(1) };
        let evs = av.evaluate(&inp);
        assert_eq!(marked(&evs), vec![("home".into(), Verdict::Pass, "probe homepage UP".into())]);
        apply(&mut state, "warroom", evs);
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(1) };
        assert!(av.evaluate(&inp).is_empty(), "only changes are journaled");

        // A person marks it failed by hand: respected while the probe stays UP.
        apply(&mut state, "ana", vec![person_mark(&rb.criteria[0], Verdict::Fail, Some("content wrong".into()))]);
        hist.record(sample(2, true, 20));
        probes.insert("homepage".to_string(), hist.clone());
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(2) };
        assert!(av.evaluate(&inp).is_empty());

        // The probe goes DOWN: the source changed, its fail is journaled... but it equals the
        // person's fail, so nothing is written. Then UP again: the source changed, pass wins.
        hist.record(sample(3, false, 5));
        hist.record(sample(4, false, 5));
        probes.insert("homepage".to_string(), hist.clone());
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(4) };
        assert!(av.evaluate(&inp).is_empty());
        hist.record(sample(5, true, 5));
        probes.insert("homepage".to_string(), hist.clone());
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(5) };
        assert_eq!(marked(&av.evaluate(&inp))[0].1, Verdict::Pass);
    }

    #[test]
    fn probe_down_cause_and_p95_bound() {
        let rb = runbook(vec![
            criterion("home", AutoBinding::Probe { probe: "p".into(), max_p95: None, window: None }),
            criterion(
                "fast",
                AutoBinding::Probe {
                    probe: "p".into(),
                    max_p95: Some(Dur::from_millis(100)),
                    window: Some(Dur::from_secs(60)),
                },
            ),
        ]);
        let state = SessionState::default();
        let mut hist = ProbeHistory::new(1, 1, 50);
        for i in 0..10 {
            hist.record(sample(i, true, 300));
        }
        let probes = BTreeMap::from([("p".to_string(), hist.clone())]);
        let logs = no_logs;
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(10) };
        let got = marked(&AutoVerdicts::new().evaluate(&inp));
        assert_eq!(got[0], ("home".into(), Verdict::Pass, "probe p UP".into()));
        assert_eq!(got[1], ("fast".into(), Verdict::Fail, "probe p UP, p95 300ms > 100ms over 1m".into()));

        hist.record(sample(11, false, 5));
        let probes = BTreeMap::from([("p".to_string(), hist)]);
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(11) };
        let got = marked(&AutoVerdicts::new().evaluate(&inp));
        assert_eq!(got[0].2, "probe p DOWN: [STATUS] == 200 failed: got 503");
    }

    #[test]
    fn probe_health_from_the_journal_when_not_probed_here() {
        let rb =
            runbook(vec![criterion("home", AutoBinding::Probe { probe: "p".into(), max_p95: None, window: None })]);
        let mut state = SessionState::default();
        state.apply_event(
            "other",
            t(0),
            E::ProbeChanged { probe: "p".into(), health: ProbeHealth::Down, cause: Some("timeout after 3s".into()) },
        );
        let probes = BTreeMap::new();
        let logs = no_logs;
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(1) };
        assert_eq!(marked(&AutoVerdicts::new().evaluate(&inp))[0].2, "probe p DOWN: timeout after 3s");
    }

    #[test]
    fn step_binding() {
        let rb = runbook(vec![criterion("pre", AutoBinding::Step { step: "preflight".into() })]);
        let mut state = SessionState::default();
        let probes = BTreeMap::new();
        let logs = no_logs;
        let mut av = AutoVerdicts::new();
        let started = |run| E::StepStarted { step: "preflight".into(), run, command: "x".into(), output: "o".into() };
        let finished = |run, outcome, code| E::StepFinished {
            step: "preflight".into(),
            run,
            outcome,
            exit_code: code,
            signal: None,
            duration_ms: 10,
            error: None,
        };
        state.apply_event("ana", t(0), started(1));
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(0) };
        assert!(av.evaluate(&inp).is_empty(), "running, never ended: no opinion");
        state.apply_event("ana", t(1), finished(1, RunOutcome::Failed, Some(2)));
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(1) };
        let evs = av.evaluate(&inp);
        assert_eq!(marked(&evs), vec![("pre".into(), Verdict::Fail, "step preflight run 1 exited 2".into())]);
        apply(&mut state, "ana", evs);
        state.apply_event("ana", t(2), started(2));
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(2) };
        assert!(av.evaluate(&inp).is_empty(), "a new run keeps the last verdict");
        state.apply_event("ana", t(3), finished(2, RunOutcome::Ok, Some(0)));
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(3) };
        assert_eq!(marked(&av.evaluate(&inp))[0].2, "step preflight run 2 exited 0");
    }

    #[test]
    fn log_binding() {
        let rb = runbook(vec![criterion(
            "quiet",
            AutoBinding::Log { log: "php".into(), max_errors: 0, window: Dur::from_secs(600) },
        )]);
        let state = SessionState::default();
        let probes = BTreeMap::new();
        let errors = |log: &str, w: Dur, _now: DateTime<Utc>| {
            assert_eq!(w, Dur::from_secs(600));
            (log == "php").then_some(3)
        };
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &errors, now: t(0) };
        assert_eq!(
            marked(&AutoVerdicts::new().evaluate(&inp)),
            vec![("quiet".into(), Verdict::Fail, "log php: 3 errors in 10m (max 0)".into())]
        );
        let none = |_: &str, _: Dur, _: DateTime<Utc>| Some(0);
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &none, now: t(0) };
        assert_eq!(marked(&AutoVerdicts::new().evaluate(&inp))[0].1, Verdict::Pass);
    }

    #[test]
    fn log_windows_feed_the_log_binding() {
        use crate::domain::log_line::{LineLevel, LogLine};
        let rb = runbook(vec![criterion(
            "quiet",
            AutoBinding::Log { log: "php".into(), max_errors: 1, window: Dur::from_secs(600) },
        )]);
        let mut w = LogWindow::new(100, chrono::Duration::minutes(15));
        let line = |s: i64, level| LogLine { at: t(s), level, text: "x".into(), marker: false };
        w.push([line(0, LineLevel::Error), line(1, LineLevel::Info), line(2, LineLevel::Error)]);
        let logs = BTreeMap::from([("php".to_string(), w)]);
        let (state, probes) = (SessionState::default(), BTreeMap::new());
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(3) };
        assert_eq!(marked(&AutoVerdicts::new().evaluate(&inp))[0].2, "log php: 2 errors in 10m (max 1)");
        // An hour later the errors are out of the window.
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(3600) };
        assert_eq!(marked(&AutoVerdicts::new().evaluate(&inp))[0].1, Verdict::Pass);
    }

    #[test]
    fn person_verdict_from_before_a_restart_stands() {
        let rb = runbook(vec![criterion(
            "quiet",
            AutoBinding::Log { log: "l".into(), max_errors: 0, window: Dur::from_secs(60) },
        )]);
        let mut state = SessionState::default();
        state.apply_event(
            "ana",
            t(0),
            E::CriterionMarked {
                criterion: "quiet".into(),
                verdict: Verdict::Na,
                note: None,
                source: MarkSource::Manual,
                cause: None,
            },
        );
        let probes = BTreeMap::new();
        let errs = |_: &str, _: Dur, _: DateTime<Utc>| Some(5);
        let mut av = AutoVerdicts::new();
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &errs, now: t(1) };
        assert!(av.evaluate(&inp).is_empty());
        let ok = |_: &str, _: Dur, _: DateTime<Utc>| Some(0);
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &ok, now: t(2) };
        assert_eq!(marked(&av.evaluate(&inp))[0].1, Verdict::Pass, "the source changed: auto wins again");
    }

    /// A person ticks PASS while the probe has not decided yet (PENDING); when
    /// it then goes DOWN, that is the source changing its mind: FAIL wins.
    #[test]
    fn a_verdict_given_while_the_source_was_undecided_gives_way_to_its_first_opinion() {
        let rb = runbook(vec![criterion(
            "home",
            AutoBinding::Probe { probe: "homepage".into(), max_p95: None, window: None },
        )]);
        let mut state = SessionState::default();
        let mut probes = BTreeMap::new();
        let mut hist = ProbeHistory::new(2, 1, 50);
        let mut av = AutoVerdicts::new();
        let logs = no_logs;
        hist.record(sample(1, false, 5));
        probes.insert("homepage".to_string(), hist.clone());
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(1) };
        assert!(av.evaluate(&inp).is_empty(), "one failure of two: undecided");
        apply(&mut state, "ana", vec![person_mark(&rb.criteria[0], Verdict::Pass, None)]);
        hist.record(sample(2, false, 5));
        probes.insert("homepage".to_string(), hist.clone());
        let inp = Inputs { runbook: &rb, state: &state, probes: &probes, logs: &logs, now: t(2) };
        assert_eq!(
            marked(&av.evaluate(&inp)),
            vec![("home".into(), Verdict::Fail, "probe homepage DOWN: [STATUS] == 200 failed: got 503".into())]
        );
    }
}

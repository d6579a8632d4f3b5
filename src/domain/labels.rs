//! The words the screen, plain mode, reports and templates use for outcome
//! and state enums, written once here: user text is never built from `Debug`
//! (which gave "timedout" and "Up"). Each state has a short word for columns
//! and status lines (`label`) and, where a sentence needs one, its words in a
//! sentence (`words`: "step backup timed out").

use super::event::{MarkSource, ProbeHealth, RunOutcome, Verdict};
use super::runbook::StepOnFail;
use super::state::StepStatus;

impl RunOutcome {
    /// In a sentence ("run 2 timed out"); templates shout it (`TIMED OUT`).
    pub fn label(self) -> &'static str {
        match self {
            RunOutcome::Ok => "ok",
            RunOutcome::Failed => "failed",
            RunOutcome::TimedOut => "timed out",
            RunOutcome::Aborted => "aborted",
            RunOutcome::Error => "could not start",
            RunOutcome::Interrupted => "interrupted",
        }
    }
}

impl Verdict {
    /// The checklist's word, also plain mode's and the reports'.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::Na => "N/A",
            Verdict::Pending => "PENDING",
        }
    }
}

impl StepStatus {
    /// The Steps pane's word: short, so it fits the state column.
    pub fn label(self) -> &'static str {
        match self {
            StepStatus::NotStarted => "TODO",
            StepStatus::Running => "RUNNING",
            StepStatus::Succeeded => "OK",
            StepStatus::Failed => "FAILED",
            StepStatus::TimedOut => "TIMEOUT",
            StepStatus::Aborted => "ABORTED",
            StepStatus::Done => "DONE",
        }
    }

    /// In a sentence: "step backup timed out", "step announce not started".
    pub fn words(self) -> &'static str {
        match self {
            StepStatus::NotStarted => "not started",
            StepStatus::Running => "running",
            StepStatus::Succeeded => "succeeded",
            StepStatus::Failed => "failed",
            StepStatus::TimedOut => "timed out",
            StepStatus::Aborted => "aborted",
            StepStatus::Done => "done",
        }
    }
}

impl MarkSource {
    /// Who set a verdict, as the details view and reports say it (as the journal spells it).
    pub fn label(self) -> &'static str {
        match self {
            MarkSource::Manual => "manual",
            MarkSource::Auto => "auto",
            MarkSource::Override => "override",
        }
    }
}

impl StepOnFail {
    /// As the runbook spells it (`on_fail = "stop"`).
    pub fn label(self) -> &'static str {
        match self {
            StepOnFail::Stop => "stop",
            StepOnFail::Continue => "continue",
            StepOnFail::Ask => "ask",
        }
    }
}

impl ProbeHealth {
    pub fn label(self) -> &'static str {
        match self {
            ProbeHealth::Up => "UP",
            ProbeHealth::Down => "DOWN",
        }
    }
}

/// A duration as every screen, line and report says it: `850ms`, `12s`,
/// `3m05s`, `1h02m`.
pub fn duration(ms: u64) -> String {
    let s = ms / 1000;
    if ms < 1000 {
        format!("{ms}ms")
    } else if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    }
}

/// How many tries a delivery had, after "NOT sent": "before any attempt"
/// (refused before it went out: a missing address), "after 1 attempt",
/// "after 4 attempts".
pub fn attempts(n: u32) -> String {
    match n {
        0 => "before any attempt".to_string(),
        1 => "after 1 attempt".to_string(),
        n => format!("after {n} attempts"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_words() {
        assert_eq!(RunOutcome::TimedOut.label(), "timed out");
        assert_eq!(ProbeHealth::Down.label(), "DOWN");
        assert_eq!(StepStatus::TimedOut.words(), "timed out");
        assert_eq!(Verdict::Na.label(), "N/A");
    }

    /// The Steps pane's state column holds a symbol and the word in 11 cells.
    #[test]
    fn step_labels_fit_the_state_column() {
        use StepStatus::*;
        for s in [NotStarted, Running, Succeeded, Failed, TimedOut, Aborted, Done] {
            assert!(s.label().len() <= 8, "{} is too long for the Steps pane", s.label());
        }
    }
}

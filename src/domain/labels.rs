//! The words the screen, plain mode and reports use for outcome and state
//! enums, written once here: user text is never built from `Debug` (which
//! gave "timedout").

use super::event::{ProbeHealth, RunOutcome};

impl RunOutcome {
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

impl ProbeHealth {
    pub fn label(self) -> &'static str {
        match self {
            ProbeHealth::Up => "UP",
            ProbeHealth::Down => "DOWN",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_words() {
        assert_eq!(RunOutcome::TimedOut.label(), "timed out");
        assert_eq!(ProbeHealth::Down.label(), "DOWN");
    }
}

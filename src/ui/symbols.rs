//! State as symbol *and* word (A6), with an ASCII set for consoles without the
//! glyphs (TERM=linux).

use crate::domain::event::{ProbeHealth, Verdict};
use crate::domain::state::StepStatus;

use super::theme::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbols {
    pub ascii: bool,
}

impl Symbols {
    /// ASCII on the Linux virtual console, whose font lacks ✓ ✗.
    pub fn for_term(term: Option<&str>) -> Symbols {
        Symbols { ascii: matches!(term, Some("linux") | Some("dumb") | Some("vt100") | Some("vt220")) }
    }

    fn pick(&self, uni: &'static str, ascii: &'static str) -> &'static str {
        if self.ascii {
            ascii
        } else {
            uni
        }
    }

    pub fn verdict(&self, v: Verdict) -> (&'static str, &'static str, Role) {
        match v {
            Verdict::Pass => (self.pick("✓", "+"), "PASS", Role::Ok),
            Verdict::Fail => (self.pick("✗", "x"), "FAIL", Role::Fail),
            Verdict::Na => (self.pick("–", "-"), "N/A", Role::Na),
            Verdict::Pending => (self.pick("·", "."), "PENDING", Role::Pending),
        }
    }

    pub fn step(&self, s: StepStatus) -> (&'static str, &'static str, Role) {
        match s {
            StepStatus::NotStarted => (self.pick("·", "."), "TODO", Role::Pending),
            StepStatus::Running => (self.pick("▶", ">"), "RUNNING", Role::Running),
            StepStatus::Succeeded => (self.pick("✓", "+"), "OK", Role::Ok),
            StepStatus::Failed => (self.pick("✗", "x"), "FAILED", Role::Fail),
            StepStatus::TimedOut => (self.pick("✗", "x"), "TIMEOUT", Role::Fail),
            StepStatus::Aborted => (self.pick("■", "#"), "ABORTED", Role::Warn),
            StepStatus::Done => (self.pick("✓", "+"), "DONE", Role::Ok),
        }
    }

    pub fn probe(&self, h: Option<ProbeHealth>) -> (&'static str, &'static str, Role) {
        match h {
            Some(ProbeHealth::Up) => (self.pick("▲", "^"), "UP", Role::Ok),
            Some(ProbeHealth::Down) => (self.pick("▼", "v"), "DOWN", Role::Fail),
            None => (self.pick("·", "."), "NOT STARTED", Role::Muted),
        }
    }

    /// Marks the focused pane's title (focus never by colour alone).
    pub fn focus_marker(&self) -> &'static str {
        self.pick("▶", ">")
    }

    pub fn selection_marker(&self) -> &'static str {
        self.pick("›", ">")
    }
}

//! State as symbol *and* word (A6), with an ASCII set for consoles without the
//! glyphs (TERM=linux). The words are `domain::labels`'.

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
            Verdict::Pass => (self.pick("✓", "+"), v.label(), Role::Ok),
            Verdict::Fail => (self.pick("✗", "x"), v.label(), Role::Fail),
            Verdict::Na => (self.pick("–", "-"), v.label(), Role::Na),
            Verdict::Pending => (self.pick("·", "."), v.label(), Role::Pending),
        }
    }

    pub fn step(&self, s: StepStatus) -> (&'static str, &'static str, Role) {
        match s {
            StepStatus::NotStarted => (self.pick("·", "."), s.label(), Role::Pending),
            StepStatus::Running => (self.pick("▶", ">"), s.label(), Role::Running),
            StepStatus::Succeeded => (self.pick("✓", "+"), s.label(), Role::Ok),
            StepStatus::Failed => (self.pick("✗", "x"), s.label(), Role::Fail),
            StepStatus::TimedOut => (self.pick("✗", "x"), s.label(), Role::Fail),
            StepStatus::Aborted => (self.pick("■", "#"), s.label(), Role::Warn),
            StepStatus::Done => (self.pick("✓", "+"), s.label(), Role::Ok),
        }
    }

    pub fn probe(&self, h: Option<ProbeHealth>) -> (&'static str, &'static str, Role) {
        match h {
            Some(h @ ProbeHealth::Up) => (self.pick("▲", "^"), h.label(), Role::Ok),
            Some(h @ ProbeHealth::Down) => (self.pick("▼", "v"), h.label(), Role::Fail),
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

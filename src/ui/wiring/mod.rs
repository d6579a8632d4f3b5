//! Source events into the console's model: each handler takes `&mut Model`
//! (never the view) and may return effects (journal appends).
//!
//! - `run_ends`: a run's output is kept for the details view, its end journaled.
//! - `probes`: each attempt goes into the probe's history; health changes are
//!   journaled as `probe.changed`; auto-verdicts are evaluated on every source
//!   event and every tick.
//!
//! - `channels`: a delivery's retries and outcome, journaled.
//!
//! Spawning runs and the journal outbox are the session's (`ui::session`);
//! the keys on a step are the view's (`ui::step_keys`).

pub mod channels;
pub mod probes;
pub mod run_ends;

use std::collections::{BTreeMap, VecDeque};

use crate::domain::auto_verdict::AutoVerdicts;
use crate::domain::event::RunKind;
use crate::domain::probe_history::ProbeHistory;

/// Output lines kept in memory per step/rollback (the file has them all).
pub const OUTPUT_LINES: usize = 5_000;

/// The last lines of one run, for the details view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOutput {
    pub run: u32,
    pub lines: VecDeque<String>,
    /// Lines before `lines` that are not kept in memory.
    pub dropped: u64,
    /// The command's own last line, when read back from its output file:
    /// the runner's notes there ("exited with exit code 0 after 1.016s")
    /// are not what the command said.
    pub last_said: Option<String>,
}

impl RunOutput {
    pub fn push(&mut self, line: String) {
        self.lines.push_back(line);
        while self.lines.len() > OUTPUT_LINES {
            self.lines.pop_front();
            self.dropped += 1;
        }
    }
}

/// What the console keeps about processes and probes beyond the journal.
#[derive(Clone, Debug, Default)]
pub struct ProcsView {
    pub histories: BTreeMap<String, ProbeHistory>,
    pub auto: AutoVerdicts,
    /// By `run_key`.
    pub outputs: BTreeMap<String, RunOutput>,
    /// Alarms (`rollback_flow::Alarm::key`) whose rollback dialog was opened
    /// here: after that, Enter is the details key again (B still opens it).
    pub alarms_reviewed: std::collections::BTreeSet<String>,
    /// Source events the journal refused, waiting to be written (`outbox`):
    /// the banner says so and the recommendation is not to be trusted.
    pub journal_backlog: Option<crate::sources::journal::Backlog>,
}

/// `step:preflight`, `rollback:full`.
pub fn run_key(kind: RunKind, id: &str) -> String {
    format!("{}:{id}", kind.noun())
}

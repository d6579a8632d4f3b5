//! The activity feed (`A`): every person's act and note in the session,
//! oldest first, and the notice in the message line when someone else —
//! another console, a `warroom mark` / `note` / `approve` from a shell —
//! acts ("ben marked db-backup PASS"), so the screen never just changes
//! under the operator's eyes (docs/console.md, "Notes and others' acts").

use std::collections::VecDeque;

use crate::domain::activity::{self, Act};
use crate::domain::record::Record;
use crate::ui::model::Model;

use super::app::{App, MsgKind};
use super::text::clean;

/// Acts kept for the feed; older ones are counted, not kept.
pub const KEPT: usize = 2_000;

/// At start, only this many of the journal's last records are read for the
/// feed: replaying a long journal stays as fast as the fold alone.
pub const REPLAYED: usize = 10_000;

#[derive(Clone, Debug, Default)]
pub struct Feed {
    acts: VecDeque<Act>,
    dropped: usize,
}

/// The journal's records at start, into the feed (nobody is told again);
/// beyond the last [`REPLAYED`] they are counted as not kept.
pub fn replay(m: &mut Model, records: &[Record]) {
    let from = records.len().saturating_sub(REPLAYED);
    m.activity.dropped += from;
    for r in &records[from..] {
        on_record(m, r, false);
    }
}

impl Feed {
    pub fn push(&mut self, act: Act) {
        self.acts.push_back(act);
        while self.acts.len() > KEPT {
            self.acts.pop_front();
            self.dropped += 1;
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = &Act> {
        self.acts.iter()
    }
    pub fn len(&self) -> usize {
        self.acts.len()
    }
    pub fn is_empty(&self) -> bool {
        self.acts.is_empty()
    }
    /// Acts (or, at start, records) older than the feed keeps.
    pub fn dropped(&self) -> usize {
        self.dropped
    }
}

/// A record folded in: into the feed; `notify` (someone else's act, read
/// live rather than replayed at start) also says it in the message line.
pub fn on_record(m: &mut Model, r: &Record, notify: bool) {
    // The runbook's secrets are hidden here as everywhere text enters.
    let hidden = m.redactor.record(r);
    let Some(act) = activity::describe(hidden.as_ref().unwrap_or(r)) else { return };
    if notify {
        m.say(format!("{} {}", clean(&act.by), clean(&act.text)), MsgKind::Info);
    }
    m.activity.push(act);
}

/// The notes that name item `id`, oldest first: "HH:MM:SS ben: text".
pub fn notes_about(app: &App, id: &str) -> Vec<String> {
    app.model
        .state
        .notes
        .iter()
        .filter(|n| activity::names(&n.text, id))
        .map(|n| format!("{} {}: {}", super::timefmt::hms(n.at), clean(&n.by), clean(&n.text)))
        .collect()
}

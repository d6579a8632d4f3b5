//! The time machine on the one driver: while it is open, keys, the mouse and
//! resizes go to it; ticks and source events still go to the live console
//! underneath, so probes, auto-verdicts, escalation and triggers never stop
//! while someone looks at the past (docs/time-machine.md).

use crate::domain::record::Record;

use super::app::{App, MsgKind};
use super::driver::Input;
use super::overlay::text::TextView;
use super::overlay::Overlay;
use super::replay::{changed_lines, KeyOutcome, Replay, CHANGED_WINDOW_MIN};
use super::session::Session;

impl Session {
    /// What is on screen: the time machine's app when it is open, else the live one.
    pub fn screen(&mut self) -> &mut App {
        match self.replay.as_mut() {
            Some(r) => &mut r.app,
            None => &mut self.app,
        }
    }

    /// Every record of this session's journal, as written (read afresh: the
    /// live app keeps only the fold), with the runbook's secrets hidden.
    fn journal_records(&mut self) -> Option<Vec<Record>> {
        match crate::sources::journal::Journal::open_read_only(self.journal.origin()) {
            Ok(o) => {
                Some(o.records.iter().map(|r| self.app.model.redactor.record(r).unwrap_or_else(|| r.clone())).collect())
            }
            Err(e) => {
                self.app.say(format!("time machine: cannot read the journal: {e}"), MsgKind::Error);
                None
            }
        }
    }

    /// Opens the time machine at `pos` (the end when `None`).
    pub fn open_time_machine(&mut self, pos: Option<usize>, standalone: bool) {
        if let Some(records) = self.journal_records() {
            let mut r = Replay::new(&self.app, records, pos, standalone);
            r.app.view.focus = self.app.view.focus;
            r.app.say("time machine: ←/→ events, [ ] minutes, g/G start/end; nothing here is written", MsgKind::Info);
            self.replay = Some(Box::new(r));
        }
    }

    /// The live console's "what changed in the last N minutes".
    pub fn what_changed(&mut self) {
        let Some(records) = self.journal_records() else { return };
        let now = self.app.model.now;
        let from = now - chrono::Duration::minutes(CHANGED_WINDOW_MIN);
        let cut = records.partition_point(|r| r.ts <= from);
        let before = crate::domain::state::SessionState::from_records(&records[..cut]);
        let lines = changed_lines(&before, &records[cut..]);
        self.app.view.overlay.open(Overlay::Text(TextView::new(
            format!("What changed in the last {CHANGED_WINDOW_MIN} minutes"),
            lines,
        )));
        self.app.view.dirty = true;
    }

    /// The time machine's share of an input: `Some(quit)` when it took it,
    /// `None` when the live console should have it (ticks, sources, acts).
    pub(super) fn feed_replay(&mut self, input: &Input) -> Option<bool> {
        let r = self.replay.as_mut()?;
        match input {
            Input::Key(k) => {
                if let KeyOutcome::Leave = r.on_key(*k) {
                    let standalone = r.standalone;
                    self.replay = None;
                    if standalone {
                        return Some(true);
                    }
                    self.app.say("back to live", MsgKind::Info);
                }
                Some(false)
            }
            Input::Mouse(m) => {
                let _ = r.app.on_mouse(*m);
                Some(false)
            }
            Input::Resize => {
                r.app.view.dirty = true;
                Some(false)
            }
            _ => None,
        }
    }
}

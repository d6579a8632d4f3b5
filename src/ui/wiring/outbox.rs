//! How the console writes to the journal when the journal may refuse
//! (disk full, a database down): an event a source produced waits in the
//! session's outbox and is written late, in order, once writes work again;
//! a person's act is written now — after whatever waits — or refused loudly.
//! While anything waits, `ProcsView::journal_backlog` says so, for the banner
//! and the recommendation's warning.
//!
//! Small functions the effect interpreters call: `append_event` for any
//! `Effect::Append`, `flush_outbox` on every tick.

use chrono::Utc;

use crate::domain::event::EventKind;
use crate::domain::record::Record;
use crate::sources::journal::{produced_by_a_source, Sent, Waiting};
use crate::ui::app::MsgKind;
use crate::ui::run::Session;

impl Session {
    /// Journals `event` as `operator`: a source's event through the outbox,
    /// a person's act now or refused. Returns the new records, folded in.
    pub fn append_event(&mut self, operator: &str, event: &EventKind) -> Vec<Record> {
        if self.app.read_only.is_some() {
            return Vec::new();
        }
        let now = Utc::now();
        if produced_by_a_source(event) {
            let was_empty = self.outbox.is_empty();
            let w = Waiting { operator: operator.to_string(), at: now, event: event.clone() };
            let sent = self.outbox.send(&mut self.journal, w, now);
            if was_empty && sent.error.is_some() {
                self.app.say(
                    format!(
                        "journal refused a write; {} waits and is written as soon as the journal takes writes again",
                        event.name()
                    ),
                    MsgKind::Error,
                );
            }
            return self.fold_sent(sent);
        }
        if let Some(why) = self.outbox_blocks_acts(now) {
            self.app.say(format!("NOT RECORDED ({}): {why}", event.name()), MsgKind::Error);
            return Vec::new();
        }
        let got = self.journal.append(operator, now, event);
        self.fold_result(got)
    }

    /// Before a person's act: writes what waits first (the journal keeps the
    /// order things happened). `Some(why)` when it still waits: the act must
    /// be refused, it could not be written either.
    pub fn outbox_blocks_acts(&mut self, now: chrono::DateTime<Utc>) -> Option<String> {
        if self.outbox.is_empty() {
            return None;
        }
        let sent = self.outbox.flush(&mut self.journal, now);
        self.fold_sent(sent);
        let b = self.outbox.backlog()?;
        Some(format!(
            "the journal refuses writes ({} source events waiting since {}): {}",
            b.count,
            crate::ui::timefmt::hms(b.since),
            b.why
        ))
    }

    /// Retries what waits (every tick); folds what got written.
    pub fn flush_outbox(&mut self) {
        if self.outbox.is_empty() {
            return;
        }
        let sent = self.outbox.flush(&mut self.journal, Utc::now());
        let wrote = sent.error.is_none();
        self.fold_sent(sent);
        if wrote {
            let lost = self.outbox.lost();
            let tail = if lost > 0 {
                format!("; {lost} events did not fit in the outbox and are lost")
            } else {
                String::new()
            };
            self.app
                .say(format!("journal takes writes again: waiting events written (marked late){tail}"), MsgKind::Warn);
        }
    }

    fn fold_sent(&mut self, sent: Sent) -> Vec<Record> {
        let new = self.fold_result(Ok(sent.records));
        let backlog = self.outbox.backlog();
        if backlog != self.app.procs.journal_backlog {
            self.app.procs.journal_backlog = backlog;
            self.app.dirty = true;
        }
        new
    }
}

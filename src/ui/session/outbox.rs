//! How the console writes to the journal when the journal may refuse
//! (disk full, a database down): an event a source produced waits in the
//! session's outbox and is written late, in order, once writes work again;
//! a person's act is written now — after whatever waits — or refused loudly.
//! While anything waits, `ProcsView::journal_backlog` says so, for the banner
//! and the recommendation's warning, and the waiting events are shown (and
//! acted on) ahead of the journal, so the screen tells the truth meanwhile.
//!
//! Small functions the effect interpreters call: `append_event` for any
//! `Effect::Append`, `flush_outbox` on every tick.

use chrono::{DateTime, Utc};

use super::Session;
use crate::domain::event::EventKind;
use crate::domain::record::Record;
use crate::domain::state::SessionState;
use crate::sources::journal::{produced_by_a_source, Journal, Sent, Waiting, Written};
use crate::ui::app::MsgKind;

impl Session {
    /// The outbox is empty again: said once, with what did not fit in it.
    fn say_drained(&mut self, lost: u64) {
        let tail =
            if lost > 0 { format!("; {lost} events did not fit in the outbox and are lost") } else { String::new() };
        self.app.say(format!("journal takes writes again: waiting events written (marked late){tail}"), MsgKind::Warn);
    }

    /// Journals `event` as `operator`: a source's event through the outbox,
    /// a person's act now or refused. Returns the new records, folded in.
    pub fn append_event(&mut self, operator: &str, event: &EventKind) -> Vec<Record> {
        if !self.may_journal(event) {
            return Vec::new();
        }
        self.own_act = Some((operator.to_string(), event.clone()));
        let got = self.append_event_now(operator, event);
        self.own_act = None;
        got
    }

    fn append_event_now(&mut self, operator: &str, event: &EventKind) -> Vec<Record> {
        // The journal keeps milliseconds: what is shown ahead is what will be read back.
        let now = crate::domain::record::truncate_to_millis(crate::sources::clock::now());
        if let Some(w) = &self.writer {
            if w.append(operator, now, event) {
                // Shown at once; when its record comes back it only moves the sequence on.
                let (user, _) = self.journal.writer();
                let me = crate::domain::identity::Actor { operator: operator.to_string(), user: Some(user), key: None };
                self.app.model.state.apply_event_by(&me, now, event.clone());
                self.ahead.push_back((operator.to_string(), event.clone()));
            } else {
                self.app
                    .say(format!("NOT RECORDED ({}): the journal writer has stopped", event.name()), MsgKind::Error);
            }
            return Vec::new();
        }
        if produced_by_a_source(event) {
            let (waited, late_before) = (self.outbox.len(), self.outbox.written_late());
            let w = Waiting { operator: operator.to_string(), at: now, event: event.clone() };
            let sent = self.outbox.send(&mut self.journal, w, now);
            if sent.error.is_some() {
                if waited == 0 {
                    self.app.say(
                        format!(
                            "journal refused a write; {} waits and is written as soon as the journal takes writes \
                             again",
                            event.name()
                        ),
                        MsgKind::Error,
                    );
                }
                // Shown (and acted on: auto verdicts, triggers) as if written, so it
                // is neither hidden nor produced again on every tick while it waits.
                self.app.model.state.apply_event(operator, now, event.clone());
            }
            let new = self.fold_sent(sent, late_before);
            // Shown now, written now or late: its message goes out now.
            self.send_on(event);
            return new;
        }
        if let Some(why) = self.outbox_blocks_acts(now) {
            self.app.say(format!("NOT RECORDED ({}): {why}", event.name()), MsgKind::Error);
            return Vec::new();
        }
        let got = self.journal.append(operator, now, event);
        let written = got.is_ok();
        let new = self.fold_result(got);
        if written {
            self.send_on(event);
        }
        new
    }

    /// Whether `event` may go to the journal from here: not when the console
    /// is read-only, except a source's event while the journal's database is
    /// only unreachable (it waits in the outbox for the database to return).
    pub(crate) fn may_journal(&self, event: &EventKind) -> bool {
        self.app.model.read_only.is_none() || (self.app.model.journal_down && produced_by_a_source(event))
    }

    /// Before a person's act: writes what waits first (the journal keeps the
    /// order things happened). `Some(why)` when it still waits: the act must
    /// be refused, it could not be written either.
    pub fn outbox_blocks_acts(&mut self, now: DateTime<Utc>) -> Option<String> {
        if self.outbox.is_empty() {
            return None;
        }
        let late_before = self.outbox.written_late();
        let sent = self.outbox.flush(&mut self.journal, now);
        // What waited was this console's own: written late, not someone else's act.
        self.quiet = true;
        self.fold_sent(sent, late_before);
        self.quiet = false;
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
        if let Some(w) = &self.writer {
            if self.app.model.procs.journal_backlog.is_some() {
                w.flush();
            }
            return;
        }
        if self.outbox.is_empty() {
            return;
        }
        let late_before = self.outbox.written_late();
        let sent = self.outbox.flush(&mut self.journal, crate::sources::clock::now());
        let drained = sent.error.is_none();
        // What waited was this console's own: written late, not someone else's act.
        self.quiet = true;
        self.fold_sent(sent, late_before);
        self.quiet = false;
        if drained {
            let lost = self.outbox.lost();
            self.say_drained(lost);
        }
    }

    /// Folds what a send or flush wrote (`late_before`: the outbox's
    /// `written_late` before it) and updates what the banner shows.
    fn fold_sent(&mut self, sent: Sent, late_before: u64) -> Vec<Record> {
        let new = self.fold_result(Ok(sent.records));
        if self.outbox.written_late() > late_before {
            self.rebuild_state();
        }
        let backlog = self.outbox.backlog();
        self.app.model.set_backlog(backlog);
        new
    }

    /// Waiting events were shown ahead of the journal (`append_event`); once
    /// some are written, the state is folded again from the journal with what
    /// still waits on top, so nothing counts twice (an outage, an escalation).
    /// Rare (only after the journal refused writes), so a full read is fine.
    fn rebuild_state(&mut self) {
        match Journal::open_read_only(self.journal.origin()) {
            Ok(opened) => {
                let mut state = SessionState::from_records(&opened.records);
                for w in self.outbox.waiting() {
                    state.apply_event(&w.operator, w.at, w.event.clone());
                }
                let now = self.app.model.now;
                let (user, _) = self.journal.writer();
                for (op, ev) in &self.ahead {
                    let me =
                        crate::domain::identity::Actor { operator: op.clone(), user: Some(user.clone()), key: None };
                    state.apply_event_by(&me, now, ev.clone());
                }
                self.app.model.replace_state(state);
            }
            Err(e) => self.app.say(format!("journal: {e}"), MsgKind::Error),
        }
    }

    /// Folds records (from the journal writer, a poll, a start): a record of
    /// an event this console showed ahead (`append_event`) only moves the
    /// sequence on; any other is folded in. Another writer's record of the
    /// same kind landing before ours means the screen showed the two in
    /// another order than the journal has them (who marked last): the state
    /// is folded again from the journal (rare: two acts within milliseconds).
    pub(crate) fn fold_records(&mut self, records: &[Record]) {
        let mut reorder = false;
        for r in records {
            if r.seq <= self.app.model.state.last_seq {
                continue;
            }
            let ours = self.ahead.front().is_some_and(|(op, ev)| *op == r.operator && r.event().as_ref() == Some(ev));
            // Acts of others are announced; what this console itself wrote is not.
            let own = ours
                || self.quiet
                || self.own_act.as_ref().is_some_and(|(op, ev)| *op == r.operator && r.event().as_ref() == Some(ev));
            if ours {
                if let Some((_, ev)) = self.ahead.pop_front() {
                    // Written by this console's writer thread: its automatic messages go out.
                    self.send_on(&ev);
                }
                self.app.model.state.apply_meta(r);
                // Its marker in the log timeline carries the journal's own time.
                crate::ui::logs_live::on_record(&mut self.app.model, r);
            } else {
                reorder |= self.ahead.iter().any(|(_, ev)| ev.name() == r.kind);
                self.app.fold(std::slice::from_ref(r));
            }
            // Plain mode prints every record already (`echo`): no second line for it.
            crate::ui::activity::on_record(&mut self.app.model, r, !own && self.echo.is_none());
        }
        if reorder {
            self.rebuild_state();
        }
    }

    /// A report from the journal writer: fold what it wrote and read, show
    /// what waits, and say loudly what was not recorded.
    pub fn on_written(&mut self, w: Written) {
        if w.reloaded {
            self.app.say("journal was replaced or shrank: reloaded from the start", MsgKind::Warn);
            self.rebuild_state();
        }
        self.fold_records(&w.records);
        if let Some(held) = &w.held {
            self.app.say(
                format!(
                    "journal refused a write; {} waits and is written as soon as the journal takes writes again",
                    held.event.name()
                ),
                MsgKind::Error,
            );
        }
        if let Some((kind, why)) = &w.refused {
            // Shown ahead but never written: take it back.
            if let Some(i) = self.ahead.iter().position(|(_, ev)| ev.name() == kind && !produced_by_a_source(ev)) {
                self.ahead.remove(i);
            }
            self.rebuild_state();
            self.app.say(format!("NOT RECORDED ({kind}): {why}"), MsgKind::Error);
        }
        if let Some(lost) = w.drained {
            if lost > 0 {
                // Lost events never come back: stop waiting for them.
                self.ahead.clear();
                self.rebuild_state();
            }
            self.say_drained(lost);
        }
        for warning in w.warnings {
            self.app.say(warning, MsgKind::Warn);
        }
        // A database outage the writer saw is not taken from here: the console's own
        // connection says when it starts and ends (`fold_result`); taken here it would
        // make the console read-only for good, with nothing to say it is over.
        if let (Some(r), None, false) = (w.read_only, &self.app.model.read_only, w.outage) {
            self.app.model.refuse_acts(r);
        }
        self.app.model.set_backlog(w.backlog);
        self.flush_sends();
    }
}

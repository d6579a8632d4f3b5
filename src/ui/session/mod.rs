//! A console session: the app, the journal it reads and writes, and the
//! runs, outbox and writer behind its effects. The full-screen loop
//! (`ui::run`), plain mode (`ui::plain`) and the tests all drive one of these
//! through `ui::driver`.
//!
//! - `runs`: spawning, aborting, stopping on quit, loading a past run's output.
//! - `outbox`: appends that may be refused — source events wait and are
//!   written late, a person's act is refused loudly.

pub mod outbox;
pub mod runs;

use tokio::sync::mpsc;

use crate::domain::event::EventKind;
use crate::domain::record::Record;
use crate::domain::state::SessionState;
use crate::sources::journal::{Journal, JournalError};
use crate::sources::EventSender;

use super::app::{App, MsgKind};
use super::event::Signal;

/// Why the loop ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Signal(Signal),
    /// The terminal went away (EOF/EIO on input).
    InputClosed(String),
}

/// The journal and the app, and running the app's effects against the journal.
pub struct Session {
    pub app: App,
    pub journal: Journal,
    /// The screen's content is unknown (after Ctrl-Z): repaint it whole.
    pub repaint: bool,
    /// For effects that start source tasks (a step run, a rollback): they
    /// `tokio::spawn` with a clone of this, and their events come back through
    /// `App::on_source`. Set by `run` before the first event.
    pub sources: Option<EventSender>,
    /// Processes and probes of this console (`ui::session::runs`).
    pub runs: runs::Runs,
    /// This console's presence file and lock (`ui::presence`); dropped on exit.
    pub announcer: Option<crate::sources::presence::Announcer>,
    /// When set (plain mode), every record folded in is also kept here, to be printed.
    pub echo: Option<Vec<Record>>,
    /// Source events the journal refused, waiting to be written (`ui::session::outbox`),
    /// when appends are made here rather than by `writer`.
    pub outbox: crate::sources::journal::Outbox,
    /// The journal writer thread (the full-screen console): appends go there,
    /// off this loop. `None`: appends are made here, synchronously.
    pub writer: Option<crate::sources::journal::WriterHandle>,
    /// Events sent to `writer` and already shown, oldest first, until their
    /// records come back (`ui::session::outbox`).
    pub ahead: std::collections::VecDeque<(String, EventKind)>,
    /// The time machine, when open: drawn instead of the live app, which keeps running.
    pub replay: Option<Box<super::replay::Replay>>,
    /// The act this console is appending right now, where the record comes
    /// back through a fold (not through `ahead`): its record is ours, not
    /// someone else's act to announce (`ui::activity`).
    pub(crate) own_act: Option<(String, EventKind)>,
    /// Everything folded while set is this console's own doing (its reaper
    /// ending others' abandoned runs says so itself).
    pub(crate) quiet: bool,
    /// Events this console wrote whose automatic messages (`send_on`) go out
    /// once the act that wrote them is complete (`flush_sends`): declaring an
    /// incident writes `incident.declared` then `incident.severity`, and the
    /// message names the severity.
    pub pending_sends: Vec<EventKind>,
}

impl Session {
    /// The console's app on an opened journal, its records folded in; no
    /// sources or runs yet (`run` starts them).
    pub fn new(mut app: App, opened: crate::sources::journal::Opened) -> Session {
        app.fold(&opened.records);
        // Replayed at start: in the feed, but nobody is told again.
        super::activity::replay(&mut app.model, &opened.records);
        let (user, key) = opened.journal.writer();
        app.model.set_writer(user, key);
        Session {
            app,
            journal: opened.journal,
            repaint: false,
            sources: None,
            runs: Default::default(),
            echo: None,
            outbox: Default::default(),
            writer: None,
            ahead: Default::default(),
            announcer: None,
            replay: None,
            own_act: None,
            quiet: false,
            pending_sends: Vec::new(),
        }
    }

    /// Folds what the journal returned; gives back the records that were new.
    pub(crate) fn fold_result(&mut self, got: Result<Vec<Record>, JournalError>) -> Vec<Record> {
        let mut new = Vec::new();
        match got {
            Ok(records) => {
                if self.journal.take_reloaded() {
                    self.app.model.replace_state(SessionState::default());
                    self.app.say("journal was replaced or shrank: reloaded from the start", MsgKind::Warn);
                }
                let last = self.app.model.state.last_seq;
                self.fold_records(&records);
                new = records.into_iter().filter(|r| r.seq > last).collect();
                if let Some(echo) = &mut self.echo {
                    echo.extend(new.iter().cloned());
                }
            }
            Err(e) => self.app.say(format!("journal: {e}"), MsgKind::Error),
        }
        let unreachable = self.journal.unavailable_since().is_some();
        self.app.model.journal_status(self.journal.read_only_reason(), unreachable);
        for w in self.journal.take_warnings() {
            self.app.say(w, MsgKind::Warn);
        }
        new
    }

    /// Appends as `operator` (nothing when read-only); returns the new records
    /// folded in (none yet when the writer thread makes the append). A source's
    /// event the journal refuses waits in the outbox (`ui::session::outbox`).
    pub fn append(&mut self, operator: &str, event: &EventKind) -> Vec<Record> {
        if !self.may_journal(event) {
            return Vec::new();
        }
        // The last guard before the shared, append-only journal: no secret in any field.
        let event = self.app.model.redactor.event(event.clone());
        self.append_event(operator, &event)
    }

    /// Automatic sends (`send_on`) for an event this console wrote: the
    /// writer sends, so the message goes out once however many consoles
    /// watch (`ui::wiring::channels`). Called once the event is written (or,
    /// for a source's event the journal refused, once it is shown while it
    /// waits in the outbox); sent by `flush_sends` when the act is complete.
    pub(crate) fn send_on(&mut self, event: &EventKind) {
        let kind = event.name();
        if self.app.model.runbook.templates.iter().any(|t| t.send_on.iter().any(|k| k == kind)) {
            self.pending_sends.push(event.clone());
        }
    }

    /// Fills and starts the automatic sends of what was written (after each
    /// batch of effects, and each report of the journal writer).
    pub fn flush_sends(&mut self) {
        // A message is filled at the clock's present, not the last tick's: a
        // tick-old "now" is up to a second old, and minutes old on a
        // rehearsal's faster clock, so the time (and time left) it says
        // would already be past.
        if !self.pending_sends.is_empty() {
            self.app.model.advance_now(crate::sources::clock::now());
        }
        for event in std::mem::take(&mut self.pending_sends) {
            let deliveries = super::wiring::channels::on_own_event(&self.app, &event);
            if !deliveries.is_empty() {
                self.send(deliveries);
            }
        }
    }

    /// Starts deliveries in the background; their outcome comes back as source events.
    pub(crate) fn send(&mut self, deliveries: Vec<crate::sources::channels::Delivery>) {
        use crate::sources::channels;
        let Some(tx) = self.sources.clone() else { return };
        for d in deliveries {
            channels::spawn(channels::shared_client(), d, channels::RetryPolicy::default(), tx.clone());
        }
    }

    /// Appends unless `refuse`, shown others' records not yet folded here
    /// (read under the journal's lock), gives a reason; that reason is returned.
    /// Either way what was read is folded in. A journal error also comes back
    /// as the reason (the act was not recorded).
    pub fn append_unless(
        &mut self,
        operator: &str,
        event: &EventKind,
        refuse: impl FnOnce(&[Record]) -> Option<String> + Send + 'static,
    ) -> Option<String> {
        if let Some(why) = self.app.model.read_only.clone() {
            return Some(why);
        }
        let event = self.app.model.redactor.event(event.clone());
        self.own_act = Some((operator.to_string(), event.clone()));
        let refused = self.append_unless_now(operator, &event, refuse);
        self.own_act = None;
        refused
    }

    fn append_unless_now(
        &mut self,
        operator: &str,
        event: &EventKind,
        refuse: impl FnOnce(&[Record]) -> Option<String> + Send + 'static,
    ) -> Option<String> {
        let event = event.clone();
        if let Some(w) = &self.writer {
            return match w.start(operator, crate::sources::clock::now(), &event, Box::new(refuse)) {
                Ok((records, refused)) => {
                    self.fold_result(Ok(records));
                    if refused.is_none() {
                        self.send_on(&event);
                    }
                    refused
                }
                Err(why) => Some(why),
            };
        }
        if let Some(why) = self.outbox_blocks_acts(crate::sources::clock::now()) {
            return Some(why);
        }
        let got = self.journal.append_unless(operator, crate::sources::clock::now(), &event, refuse);
        let (got, refused) = match got {
            Ok((records, refused)) => (Ok(records), refused),
            Err(e) => {
                let why = e.to_string();
                self.fold_result(Err(e));
                return Some(why);
            }
        };
        self.fold_result(got);
        if refused.is_none() {
            self.send_on(&event);
        }
        refused
    }

    /// Moves appends to a journal writer thread with its own handle on the
    /// journal; its reports come on `reports` (`on_written`). Without it
    /// (tests, plain mode) appends are made here.
    pub fn start_writer(&mut self, reports: mpsc::UnboundedSender<crate::sources::journal::Written>) {
        if self.app.model.read_only.is_some() {
            return;
        }
        let journal = match self.journal.reopen() {
            Ok(mut j) => {
                // The writer's own handle signs as this console does.
                if let Some(s) = self.journal.signer() {
                    j.set_signer(s.clone());
                }
                j
            }
            Err(e) => {
                self.app.say(format!("journal writer not started, writing from the console: {e}"), MsgKind::Warn);
                return;
            }
        };
        match crate::sources::journal::WriterHandle::spawn(journal, reports) {
            Ok(w) => self.writer = Some(w),
            Err(e) => self.app.say(format!("journal writer not started, writing from the console: {e}"), MsgKind::Warn),
        }
    }

    /// Reads others' new records; returns them, folded in.
    pub fn poll(&mut self) -> Vec<Record> {
        let got = self.journal.poll();
        self.fold_result(got)
    }
}

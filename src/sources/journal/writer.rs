//! The journal writer: a thread of its own that does the console's appends
//! (lock, read what others wrote, one write, fdatasync), so a slow disk, a
//! full disk or a database that does not answer never freezes the screen or
//! the keys. It owns its own `Journal` handle on the session (to the file it
//! is one more writer, like another console) and the `Outbox`: a source's
//! event the journal refuses waits there and is written late, in order; a
//! person's act is written after what waits, or refused.
//!
//! Requests are handled one at a time, in the order they were sent, so the
//! journal keeps the order of the console's acts. Each append's result comes
//! back as a `Written` report on the channel given to `spawn`; a run's start
//! (which must be atomic with the check that nobody else started it) and the
//! goodbye at exit wait for their answer.

use std::sync::mpsc;
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};

use super::outbox::{produced_by_a_source, Backlog, Outbox, Waiting};
use super::store::Journal;
use crate::domain::event::EventKind;
use crate::domain::record::Record;

/// A check run under the journal's lock on others' new records (`Journal::append_unless`).
pub type Refuse = Box<dyn FnOnce(&[Record]) -> Option<String> + Send>;

/// What a start's caller gets back: others' records and ours, and a refusal if any.
pub type StartResult = Result<(Vec<Record>, Option<String>), String>;

enum Request {
    Append { operator: String, at: DateTime<Utc>, event: EventKind },
    Start { operator: String, at: DateTime<Utc>, event: EventKind, refuse: Refuse, reply: mpsc::Sender<StartResult> },
    Flush,
    Close { operator: String, reply: mpsc::Sender<bool> },
}

/// One request's outcome, for the console to fold and show.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// Records read or written (others' included), in journal order.
    pub records: Vec<Record>,
    /// Some of the waiting events were written (late) by this request.
    pub wrote_late: bool,
    /// What still waits, if anything.
    pub backlog: Option<Backlog>,
    /// A person's act not recorded: (event kind, why).
    pub refused: Option<(String, String)>,
    /// A source's event the journal refused, now waiting (said once per outage).
    pub held: Option<Waiting>,
    /// The outbox emptied: events that did not fit and are lost, if any.
    pub drained: Option<u64>,
    /// The journal reloaded from the start (file replaced): fold these records afresh.
    pub reloaded: bool,
    pub warnings: Vec<String>,
    pub read_only: Option<String>,
    /// `read_only` only says the journal's database cannot be reached (for now).
    pub outage: bool,
    pub error: Option<String>,
}

/// The console's side: send appends, ask for a start, close.
pub struct WriterHandle {
    tx: mpsc::Sender<Request>,
    thread: Option<JoinHandle<()>>,
}

impl WriterHandle {
    /// Starts the writer thread on its own handle of the journal at `journal`'s
    /// path; reports come on `reports`.
    pub fn spawn(
        journal: Journal,
        reports: tokio::sync::mpsc::UnboundedSender<Written>,
    ) -> std::io::Result<WriterHandle> {
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("journal-writer".into())
            .spawn(move || serve(journal, Outbox::default(), rx, reports))?;
        Ok(WriterHandle { tx, thread: Some(thread) })
    }

    /// Queues an append; its outcome comes back as a report.
    pub fn append(&self, operator: &str, at: DateTime<Utc>, event: &EventKind) -> bool {
        self.tx.send(Request::Append { operator: operator.to_string(), at, event: event.clone() }).is_ok()
    }

    /// Retries what waits (every tick).
    pub fn flush(&self) {
        let _ = self.tx.send(Request::Flush);
    }

    /// Appends a run's start unless `refuse` objects, after everything sent
    /// before it; waits for the answer (a person's act, atomic with its check).
    pub fn start(&self, operator: &str, at: DateTime<Utc>, event: &EventKind, refuse: Refuse) -> StartResult {
        let (reply, answer) = mpsc::channel();
        let req = Request::Start { operator: operator.to_string(), at, event: event.clone(), refuse, reply };
        self.tx.send(req).map_err(|_| "the journal writer has stopped".to_string())?;
        answer.recv().map_err(|_| "the journal writer has stopped".to_string())?
    }

    /// Writes what waits and `session.closed`, then stops the thread. True
    /// when everything was written.
    pub fn close(mut self, operator: &str) -> bool {
        let (reply, answer) = mpsc::channel();
        let ok = self.tx.send(Request::Close { operator: operator.to_string(), reply }).is_ok()
            && answer.recv().unwrap_or(false);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        ok
    }
}

fn serve(
    mut journal: Journal,
    mut outbox: Outbox,
    rx: mpsc::Receiver<Request>,
    reports: tokio::sync::mpsc::UnboundedSender<Written>,
) {
    while let Ok(req) = rx.recv() {
        let now = crate::sources::clock::now();
        let late_before = outbox.written_late();
        let mut w = Written::default();
        match req {
            Request::Append { operator, at, event } => {
                if produced_by_a_source(&event) {
                    let waited = outbox.len();
                    let waiting = Waiting { operator, at, event };
                    let sent = outbox.send(&mut journal, waiting.clone(), now);
                    w.records = sent.records;
                    if let Some(e) = sent.error {
                        w.error = Some(e.to_string());
                        if waited == 0 {
                            w.held = Some(waiting);
                        }
                    }
                } else {
                    let sent = outbox.flush(&mut journal, now);
                    w.records = sent.records;
                    match sent.error {
                        Some(e) => w.refused = Some((event.name().to_string(), e.to_string())),
                        None => match journal.append(&operator, at, &event) {
                            Ok(r) => w.records.extend(r),
                            Err(e) => w.refused = Some((event.name().to_string(), e.to_string())),
                        },
                    }
                }
            }
            Request::Start { operator, at, event, refuse, reply } => {
                let sent = outbox.flush(&mut journal, now);
                w.records = sent.records;
                let answer = match sent.error {
                    Some(e) => Err(format!("the journal refuses writes (source events are waiting): {e}")),
                    None => journal.append_unless(&operator, at, &event, refuse).map_err(|e| e.to_string()),
                };
                let _ = reply.send(answer);
            }
            Request::Flush => {
                if outbox.is_empty() {
                    continue;
                }
                let sent = outbox.flush(&mut journal, now);
                w.records = sent.records;
                if sent.error.is_none() {
                    w.drained = Some(outbox.lost());
                }
            }
            Request::Close { operator, reply } => {
                let sent = outbox.flush(&mut journal, now);
                let ok = sent.error.is_none()
                    && journal.append(&operator, now, &EventKind::SessionClosed {}).is_ok()
                    && outbox.lost() == 0;
                let _ = reply.send(ok);
                return;
            }
        }
        w.wrote_late = outbox.written_late() > late_before;
        w.backlog = outbox.backlog();
        w.reloaded = journal.take_reloaded();
        w.warnings = journal.take_warnings();
        w.read_only = journal.read_only_reason();
        w.outage = journal.unavailable_since().is_some();
        if reports.send(w).is_err() {
            return;
        }
    }
}

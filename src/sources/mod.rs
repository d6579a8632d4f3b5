//! Sources turn the world into events: step and rollback processes, probes,
//! log tails, and the journal watcher. Each runs as a tokio task or thread
//! holding only an `EventSender`; none blocks the UI or another source.
//!
//! The channel to the console is **bounded** ([`EVENT_QUEUE`] events): a source
//! that produces faster than the console reads either waits (probes, run
//! output, the journal watcher: little and precious) or, for log lines, drops
//! them and says how many (`logtail::batch`). Memory never grows with a flood.

pub mod channels;
pub mod clock;
pub mod journal;
pub mod logtail;
pub mod orphans;
pub mod presence;
pub mod probes;
pub mod process;
pub mod scenario_player;
pub mod settings;
pub mod steps;
pub mod tls;

use chrono::{DateTime, Utc};
use std::time::Duration;

use crate::domain::event::RunKind;
// The log's value types live in the domain, which counts them; sources produce them.
pub use crate::domain::log_line::{DroppedCounts, LineLevel, LogLine};

/// The sending half every source holds.
pub type EventSender = tokio::sync::mpsc::Sender<SourceEvent>;
pub type EventReceiver = tokio::sync::mpsc::Receiver<SourceEvent>;

/// Events waiting for the console at most. A log batch holds at most
/// `logtail::batch::BATCH_BYTES`, so what waits stays within a few tens of MiB.
pub const EVENT_QUEUE: usize = 64;

/// The bounded channel from the sources to the console.
pub fn event_channel() -> (EventSender, EventReceiver) {
    tokio::sync::mpsc::channel(EVENT_QUEUE)
}

#[derive(Clone, Debug, PartialEq)]
pub enum SourceEvent {
    /// A step or rollback process wrote a line (already sanitised).
    RunOutput { kind: RunKind, id: String, run: u32, line: String },
    /// A step or rollback process ended (the app journals `*.finished`).
    RunExited { kind: RunKind, id: String, run: u32, end: RunExit },
    /// One probe attempt.
    Probe(ProbeResult),
    /// New lines from a followed log (already sanitised), in order.
    LogLines { log: String, lines: Vec<LogLine> },
    /// Lines a log tail dropped because the console's queue was full: not
    /// shown, but still counted per minute (a "max errors" criterion and an
    /// error-rate trigger must see a flood of errors, not miss it).
    LogDropped { log: String, at: DateTime<Utc>, counts: DroppedCounts },
    /// A log source changed condition (waiting for file, rotated, truncated, restarting…).
    LogStatus { log: String, status: LogStatus },
    /// The journal file changed on disk (another writer): read new records.
    JournalChanged,
    /// A message delivery to a channel retried, went through or gave up.
    Delivery(Box<channels::DeliveryUpdate>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunExit {
    pub outcome: crate::domain::event::RunOutcome,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub duration: Duration,
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProbeResult {
    pub probe: String,
    pub at: DateTime<Utc>,
    pub success: bool,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    pub latency: Duration,
    /// The first condition that failed, as written, with what was seen.
    pub failed_condition: Option<String>,
    /// Transport error in words: DNS, connection refused, TLS, timeout, reset.
    pub error: Option<String>,
    /// A one-line detail to show: last output line of a command probe, body excerpt (sanitised).
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LogStatus {
    Following,
    /// The file does not exist (yet); still trying.
    Waiting,
    Rotated,
    Truncated,
    /// Command source ended; restarting after the back-off.
    Restarting {
        after: Duration,
        reason: String,
    },
    /// Using the polling fallback (watcher unavailable or network filesystem).
    Polling,
    Error(String),
}

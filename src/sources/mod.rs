//! Sources turn the world into events: step and rollback processes, probes,
//! log tails, and the journal watcher. Each runs as a tokio task holding only
//! an `EventSender`; none blocks the UI or another source.

pub mod channels;
pub mod journal;
pub mod logtail;
pub mod probes;
pub mod process;
pub mod steps;

use chrono::{DateTime, Utc};
use std::time::Duration;

use crate::domain::event::RunKind;

/// The sending half every source holds.
pub type EventSender = tokio::sync::mpsc::UnboundedSender<SourceEvent>;
pub type EventReceiver = tokio::sync::mpsc::UnboundedReceiver<SourceEvent>;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineLevel {
    Info,
    Warn,
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    pub at: DateTime<Utc>,
    pub level: LineLevel,
    pub text: String,
    /// Marker lines the tailer adds ("— file truncated —", "— rotated —", "[line cut at 64 KiB]").
    pub marker: bool,
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

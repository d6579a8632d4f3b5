//! Turns raw lines into sanitised, redacted, classified `LogLine`s and sends
//! them as `SourceEvent::LogLines` in batches: at most every [`BATCH_EVERY`], or
//! sooner when [`BATCH_LINES`] lines or [`BATCH_BYTES`] of text are waiting — so
//! a log at a million lines a second costs the UI a few events a second, and a
//! batch never holds more than a quarter of a megabyte.
//!
//! When the console's queue is full (a log flooding faster than it can be
//! shown), a batch is **dropped and counted**, never kept: the next batch that
//! gets through starts with a marker line saying how many lines were lost, and
//! the per-minute counts go on from the lines that arrive.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use tokio::sync::mpsc::error::TrySendError;

use crate::domain::log_window::classify;
use crate::domain::redact::Redactor;
use crate::domain::runbook::LogSource;
use crate::sources::{DroppedCounts, EventSender, LineLevel, LogLine, LogStatus, SourceEvent};

pub const BATCH_EVERY: Duration = Duration::from_millis(50);
pub const BATCH_LINES: usize = 1000;
pub const BATCH_BYTES: usize = 256 << 10;

/// Marker text for a line cut at 64 KiB.
pub const CUT_MARKER: &str = "[line cut at 64 KiB]";

pub struct Batcher {
    source: LogSource,
    redactor: Arc<Redactor>,
    tx: EventSender,
    lines: Vec<LogLine>,
    bytes: usize,
    since: Option<Instant>,
    now: DateTime<Utc>,
    status: Option<LogStatus>,
    closed: bool,
    /// Lines dropped since the last batch that got through (the queue was full).
    dropped: DroppedCounts,
}

impl Batcher {
    pub fn new(source: LogSource, tx: EventSender, redactor: Arc<Redactor>) -> Self {
        Batcher {
            source,
            redactor,
            tx,
            lines: Vec::new(),
            bytes: 0,
            since: None,
            now: crate::sources::clock::now(),
            status: None,
            closed: false,
            dropped: DroppedCounts::default(),
        }
    }

    /// Timestamp for the lines pushed next (one clock read per chunk read, not per line).
    pub fn stamp(&mut self) {
        self.now = crate::sources::clock::now();
    }

    /// A line as read; `prefix` marks its stream (e.g. stderr).
    pub fn push_raw(&mut self, raw: &[u8], prefix: &str) {
        let mut text = self.redactor.redact_owned(crate::domain::sanitize::clean_bytes(raw));
        // Classified on the line itself, so a prefix never matches an `error` regex.
        let level = classify(&self.source, &text);
        if !prefix.is_empty() {
            text.insert_str(0, prefix);
        }
        self.push(LogLine { at: self.now, level, text, marker: false });
    }

    /// A line the tailer adds ("— truncated —", "[line cut at 64 KiB]").
    pub fn push_marker(&mut self, text: &str) {
        self.push(LogLine { at: self.now, level: LineLevel::Info, text: text.to_string(), marker: true });
    }

    fn push(&mut self, line: LogLine) {
        self.bytes += line.text.len();
        self.lines.push(line);
        self.since.get_or_insert_with(Instant::now);
        if self.lines.len() >= BATCH_LINES || self.bytes >= BATCH_BYTES {
            self.flush();
        }
    }

    /// When the waiting lines must be sent, if any wait.
    pub fn deadline(&self) -> Option<Instant> {
        self.since.map(|t| t + BATCH_EVERY)
    }

    /// Sends the waiting lines if their time has come.
    pub fn flush_if_due(&mut self) {
        if self.deadline().is_some_and(|d| Instant::now() >= d) {
            self.flush();
        }
    }

    pub fn flush(&mut self) {
        self.since = None;
        self.bytes = 0;
        if self.lines.is_empty() {
            return;
        }
        let mut lines = std::mem::take(&mut self.lines);
        let dropped = self.dropped;
        if dropped.lines > 0 {
            let text = format!("[{} lines dropped: the log came faster than the console could show it]", dropped.lines);
            lines.insert(0, LogLine { at: self.now, level: LineLevel::Warn, text, marker: true });
        }
        match self.tx.try_send(SourceEvent::LogLines { log: self.source.id.clone(), lines }) {
            Ok(()) if dropped.lines > 0 => {
                self.dropped = DroppedCounts::default();
                // Once per flood, and on the tail's own thread: worth waiting for room,
                // so error counts (criteria, triggers) include what was not shown.
                let counted = SourceEvent::LogDropped { log: self.source.id.clone(), at: self.now, counts: dropped };
                if self.tx.blocking_send(counted).is_err() {
                    self.closed = true;
                }
            }
            Ok(()) => {}
            Err(TrySendError::Full(SourceEvent::LogLines { lines, .. })) => {
                for l in lines.iter().filter(|l| !l.marker) {
                    self.dropped.lines += 1;
                    match l.level {
                        LineLevel::Error => self.dropped.errors += 1,
                        LineLevel::Warn => self.dropped.warns += 1,
                        LineLevel::Info => {}
                    }
                }
            }
            Err(TrySendError::Full(_)) => {}
            Err(TrySendError::Closed(_)) => self.closed = true,
        }
    }

    /// Sends a status when it differs from the last one sent (lines before it go first).
    pub fn status(&mut self, mut status: LogStatus) {
        // A status can name the file followed, whose path may hold a var's
        // secret value (an `env:NAME` var): hidden like the lines.
        if let LogStatus::Error(text) | LogStatus::Restarting { reason: text, .. } = &mut status {
            self.redactor.redact_in_place(text);
        }
        if self.status.as_ref() == Some(&status) {
            return;
        }
        self.flush();
        self.status = Some(status.clone());
        // Rare and small: worth waiting for room (this runs on the tail's own thread).
        if self.tx.blocking_send(SourceEvent::LogStatus { log: self.source.id.clone(), status }).is_err() {
            self.closed = true;
        }
    }

    /// The receiver is gone (the console closed): stop reading.
    pub fn is_closed(&self) -> bool {
        self.closed || self.tx.is_closed()
    }
}

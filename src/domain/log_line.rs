//! One line of a followed log as the console keeps it, and what a tail had to
//! drop: plain values the log window (`domain::log_window`) counts and the
//! tails (`sources::logtail`) produce, so they live below both.

use chrono::{DateTime, Utc};

/// How many lines were dropped, by level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DroppedCounts {
    pub lines: u64,
    pub errors: u64,
    pub warns: u64,
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

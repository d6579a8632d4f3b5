//! What the console keeps of one followed log: the last N lines, and at most
//! B bytes of them (a ring buffer bounded both ways, so memory stays flat
//! however fast the log grows and however long its lines are) and per-minute
//! error/warn/line counts long enough for the longest window a runbook asks
//! about (auto-verdict `window`, trigger `for`, the pane's rate per minute).
//!
//! Pure: lines arrive with their timestamps and `now` is passed in.
//!
//! Counting is at minute granularity: `errors_in(10m, now)` counts every minute
//! bucket that overlaps the last 10 minutes, so it may include errors up to one
//! minute older than the window — the safe side for a "max errors" verdict.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

use crate::domain::log_line::{DroppedCounts, LineLevel, LogLine};
use crate::domain::runbook::{AutoBinding, LogSource, Runbook, TriggerWhen};

/// Ring buffer size when a `[[log]]` does not say.
pub const DEFAULT_CAPACITY: usize = 10_000;
/// Minute counts kept when the runbook asks for nothing longer.
pub const DEFAULT_HISTORY_MINUTES: i64 = 60;

/// Error / warn / info by the source's `error` and `warn` regexes; error wins when both match.
pub fn classify(source: &LogSource, text: &str) -> LineLevel {
    if source.error.as_ref().is_some_and(|re| re.is_match(text)) {
        LineLevel::Error
    } else if source.warn.as_ref().is_some_and(|re| re.is_match(text)) {
        LineLevel::Warn
    } else {
        LineLevel::Info
    }
}

/// The longest time window the runbook asks about for this log (criteria `window`,
/// triggers `for` plus the minute they are measured over), at least the default hour.
pub fn history_needed(runbook: &Runbook, log: &str) -> Duration {
    let mut longest = Duration::minutes(DEFAULT_HISTORY_MINUTES);
    let mut consider = |d: std::time::Duration| {
        let d = Duration::from_std(d).unwrap_or(Duration::MAX) + Duration::minutes(1);
        longest = longest.max(d);
    };
    for c in &runbook.criteria {
        if let Some(AutoBinding::Log { log: l, window, .. }) = &c.auto {
            if l == log {
                consider(window.0);
            }
        }
    }
    for t in &runbook.triggers {
        if let TriggerWhen::LogErrorRate { log: l, for_, .. } = &t.when {
            if l == log {
                consider(for_.0);
            }
        }
    }
    // A day of minute buckets is ~35 KiB: cap so a typo like "9999h" cannot grow memory.
    longest.min(Duration::hours(24))
}

/// Counts for one wall-clock minute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MinuteCounts {
    /// Minutes since the Unix epoch.
    pub minute: i64,
    pub lines: u64,
    pub errors: u64,
    pub warns: u64,
}

/// Lines, errors and warnings per minute over the last 60 seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rate {
    pub lines: f64,
    pub errors: f64,
    pub warns: f64,
}

/// What one kept line costs besides its text (the `LogLine` itself, the ring's slot).
const LINE_OVERHEAD: usize = std::mem::size_of::<LogLine>();

#[derive(Clone, Debug)]
pub struct LogWindow {
    lines: VecDeque<LogLine>,
    capacity: usize,
    /// Bytes the kept lines may take (text + [`LINE_OVERHEAD`] each).
    byte_capacity: usize,
    bytes: usize,
    total_seen: u64,
    /// Lines ever kept, markers included: the index the next line gets, so a
    /// view can hold its place by index while the ring moves on.
    pushed: u64,
    minutes: VecDeque<MinuteCounts>,
    history_minutes: i64,
}

fn minute_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(60)
}

impl LogWindow {
    /// `capacity` lines (0 is taken as 1) and minute counts for `history`.
    pub fn new(capacity: usize, history: Duration) -> Self {
        let capacity = capacity.max(1);
        LogWindow {
            lines: VecDeque::with_capacity(capacity.min(4096)),
            capacity,
            byte_capacity: usize::MAX,
            bytes: 0,
            total_seen: 0,
            pushed: 0,
            minutes: VecDeque::new(),
            history_minutes: history.num_minutes().max(1) + 1,
        }
    }

    /// Also bounded by `bytes` of kept text (the first line is always kept, however long).
    pub fn with_byte_capacity(mut self, bytes: usize) -> Self {
        self.byte_capacity = bytes;
        self
    }

    /// Sized from the `[[log]]` (its `buffer` lines and `buffer_bytes`) and the runbook's longest window on it.
    pub fn for_source(runbook: &Runbook, source: &LogSource) -> Self {
        let capacity = if source.buffer == 0 { DEFAULT_CAPACITY } else { source.buffer };
        let bytes =
            if source.buffer_bytes == 0 { crate::domain::runbook::LOG_BUFFER_BYTES } else { source.buffer_bytes };
        LogWindow::new(capacity, history_needed(runbook, &source.id)).with_byte_capacity(bytes)
    }

    /// Bytes the kept lines take, as counted against the byte bound.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Adds lines in arrival order. Marker lines ("— truncated —") are kept for
    /// display but not counted as log lines.
    pub fn push(&mut self, lines: impl IntoIterator<Item = LogLine>) {
        for line in lines {
            if !line.marker {
                self.count(&line);
            }
            let cost = line.text.len() + LINE_OVERHEAD;
            while !self.lines.is_empty()
                && (self.lines.len() >= self.capacity || self.bytes + cost > self.byte_capacity)
            {
                if let Some(old) = self.lines.pop_front() {
                    self.bytes -= old.text.len() + LINE_OVERHEAD;
                }
            }
            self.bytes += cost;
            self.pushed += 1;
            self.lines.push_back(line);
        }
    }

    fn count(&mut self, line: &LogLine) {
        let (errors, warns) = match line.level {
            LineLevel::Error => (1, 0),
            LineLevel::Warn => (0, 1),
            LineLevel::Info => (0, 0),
        };
        self.add(line.at, DroppedCounts { lines: 1, errors, warns });
    }

    /// Lines the tail dropped (the console fell behind): counted at `at`, not kept.
    pub fn count_dropped(&mut self, at: DateTime<Utc>, counts: DroppedCounts) {
        self.add(at, counts);
    }

    fn add(&mut self, at: DateTime<Utc>, counts: DroppedCounts) {
        self.total_seen += counts.lines;
        let minute = minute_of(at);
        let bucket = match self.minutes.back() {
            Some(last) if last.minute < minute => None,
            Some(last) if last.minute == minute => self.minutes.back_mut(),
            // A line older than the newest bucket (clock step, late batch): its own
            // minute if still kept, else the oldest we have.
            Some(last) => {
                let oldest_kept = last.minute - self.history_minutes + 1;
                let minute = minute.max(oldest_kept);
                let i = match self.minutes.binary_search_by_key(&minute, |b| b.minute) {
                    Ok(i) => i,
                    Err(i) => {
                        self.minutes.insert(i, MinuteCounts { minute, ..Default::default() });
                        i
                    }
                };
                self.minutes.get_mut(i)
            }
            None => None,
        };
        let bucket = match bucket {
            Some(b) => b,
            None => {
                self.minutes.push_back(MinuteCounts { minute, ..Default::default() });
                while self.minutes.front().is_some_and(|b| b.minute <= minute - self.history_minutes) {
                    self.minutes.pop_front();
                }
                self.minutes.back_mut().expect("just pushed")
            }
        };
        bucket.lines += counts.lines;
        bucket.errors += counts.errors;
        bucket.warns += counts.warns;
    }

    fn buckets_in(&self, window: Duration, now: DateTime<Utc>) -> impl Iterator<Item = &MinuteCounts> {
        let last = minute_of(now);
        // Buckets whose minute overlaps (now - window, now].
        let first = minute_of(now - window.max(Duration::zero()));
        self.minutes.iter().filter(move |b| b.minute >= first && b.minute <= last)
    }

    /// Error lines in the minutes overlapping the last `window` before `now`.
    pub fn errors_in(&self, window: Duration, now: DateTime<Utc>) -> u64 {
        self.buckets_in(window, now).map(|b| b.errors).sum()
    }

    /// Warning lines in the minutes overlapping the last `window` before `now`.
    pub fn warns_in(&self, window: Duration, now: DateTime<Utc>) -> u64 {
        self.buckets_in(window, now).map(|b| b.warns).sum()
    }

    /// Counts of the last `n` whole-or-current minutes, oldest first, zero-filled
    /// (for `errors_per_min = 50, for = "2m"` triggers and sparklines).
    pub fn per_minute(&self, n: usize, now: DateTime<Utc>) -> Vec<MinuteCounts> {
        let last = minute_of(now);
        (0..n as i64)
            .rev()
            .map(|back| {
                let minute = last - back;
                self.minutes
                    .iter()
                    .find(|b| b.minute == minute)
                    .copied()
                    .unwrap_or(MinuteCounts { minute, ..Default::default() })
            })
            .collect()
    }

    /// Per-minute rates over the 60 s ending at `now`: the current minute plus the
    /// part of the previous minute still inside the 60 s (sliding-window estimate).
    pub fn rate_per_min(&self, now: DateTime<Utc>) -> Rate {
        let minute = minute_of(now);
        let into = (now.timestamp().rem_euclid(60) as f64 + now.timestamp_subsec_millis() as f64 / 1000.0) / 60.0;
        let get = |m: i64| self.minutes.iter().find(|b| b.minute == m).copied().unwrap_or_default();
        let (cur, prev) = (get(minute), get(minute - 1));
        let w = 1.0 - into;
        Rate {
            lines: cur.lines as f64 + prev.lines as f64 * w,
            errors: cur.errors as f64 + prev.errors as f64 * w,
            warns: cur.warns as f64 + prev.warns as f64 * w,
        }
    }

    /// The kept lines, oldest first.
    pub fn lines(&self) -> &VecDeque<LogLine> {
        &self.lines
    }

    /// The kept lines, oldest first (as `lines().iter()`).
    pub fn iter(&self) -> std::collections::vec_deque::Iter<'_, LogLine> {
        self.lines.iter()
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The index of the oldest kept line (indices count every line ever kept, markers included).
    pub fn first_index(&self) -> u64 {
        self.pushed - self.lines.len() as u64
    }

    /// One past the index of the newest line: where following is.
    pub fn end_index(&self) -> u64 {
        self.pushed
    }

    /// The kept line with this index, if the ring still has it.
    pub fn at_index(&self, i: u64) -> Option<&LogLine> {
        self.lines.get(usize::try_from(i.checked_sub(self.first_index())?).ok()?)
    }

    /// Log lines ever pushed (markers not counted), including those the ring dropped.
    pub fn total_seen(&self) -> u64 {
        self.total_seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 / 60 * 60 + secs, 0).single().expect("valid time")
    }

    fn line(secs: i64, level: LineLevel) -> LogLine {
        LogLine { at: at(secs), level, text: format!("line at {secs}"), marker: false }
    }

    #[test]
    fn long_lines_are_bounded_by_bytes_not_only_by_count() {
        let mut w = LogWindow::new(10_000, Duration::minutes(60)).with_byte_capacity(1 << 20);
        let long = |i: i64| LogLine { at: at(i), level: LineLevel::Error, text: "x".repeat(70_000), marker: false };
        w.push((0..100).map(long));
        assert!(w.bytes() <= 1 << 20, "{}", w.bytes());
        assert_eq!(w.len(), (1 << 20) / (70_000 + LINE_OVERHEAD));
        // Every line was still counted, kept or not.
        assert_eq!(w.total_seen(), 100);
        assert_eq!(w.errors_in(Duration::minutes(60), at(100)), 100);
        // A single line longer than the bound is kept alone.
        let mut tiny = LogWindow::new(10, Duration::minutes(60)).with_byte_capacity(10);
        tiny.push([long(1), long(2)]);
        assert_eq!(tiny.len(), 1);
    }

    fn source(error: Option<&str>, warn: Option<&str>) -> LogSource {
        LogSource {
            id: "app".into(),
            title: "app".into(),
            target: crate::domain::runbook::LogTarget::File { path: "/dev/null".into() },
            error: error.map(|r| regex::Regex::new(r).expect("test regex")),
            warn: warn.map(|r| regex::Regex::new(r).expect("test regex")),
            buffer: 10_000,
            buffer_bytes: crate::domain::runbook::LOG_BUFFER_BYTES,
        }
    }

    #[test]
    fn classifies_by_regexes_error_first() {
        let s = source(Some(r"(?i)\b(error|fatal)\b"), Some(r"(?i)\bwarn(ing)?\b"));
        assert_eq!(classify(&s, "PHP Fatal error: boom"), LineLevel::Error);
        assert_eq!(classify(&s, "Warning: and an error"), LineLevel::Error);
        assert_eq!(classify(&s, "Warning: deprecated"), LineLevel::Warn);
        assert_eq!(classify(&s, "GET / 200"), LineLevel::Info);
        assert_eq!(classify(&source(None, None), "error"), LineLevel::Info);
    }

    #[test]
    fn ring_keeps_last_capacity_lines_and_counts_all() {
        let mut w = LogWindow::new(3, Duration::minutes(60));
        w.push((0..10).map(|i| line(i, LineLevel::Info)));
        let texts: Vec<_> = w.lines().iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["line at 7", "line at 8", "line at 9"]);
        assert_eq!(w.total_seen(), 10);
        // Indices keep counting while the ring moves on.
        assert_eq!((w.first_index(), w.end_index()), (7, 10));
        assert_eq!(w.at_index(8).map(|l| l.text.as_str()), Some("line at 8"));
        assert!(w.at_index(6).is_none() && w.at_index(10).is_none());
    }

    #[test]
    fn markers_are_shown_not_counted() {
        let mut w = LogWindow::new(10, Duration::minutes(60));
        let mut m = line(0, LineLevel::Info);
        m.marker = true;
        w.push([m, line(1, LineLevel::Error)]);
        assert_eq!(w.lines().len(), 2);
        assert_eq!(w.total_seen(), 1);
        assert_eq!(w.errors_in(Duration::minutes(1), at(1)), 1);
    }

    #[test]
    fn errors_in_window_by_minute() {
        let mut w = LogWindow::new(100, Duration::minutes(60));
        // errors at minute 0, 5 and 9 (two), a warn at minute 9
        w.push([
            line(10, LineLevel::Error),
            line(5 * 60 + 1, LineLevel::Error),
            line(9 * 60 + 2, LineLevel::Error),
            line(9 * 60 + 3, LineLevel::Error),
            line(9 * 60 + 4, LineLevel::Warn),
        ]);
        let now = at(9 * 60 + 30);
        assert_eq!(w.errors_in(Duration::minutes(1), now), 2);
        assert_eq!(w.errors_in(Duration::minutes(5), now), 3);
        assert_eq!(w.errors_in(Duration::minutes(10), now), 4);
        assert_eq!(w.warns_in(Duration::minutes(10), now), 1);
        // Much later, all have left the window.
        assert_eq!(w.errors_in(Duration::minutes(10), at(30 * 60)), 0);
    }

    #[test]
    fn history_is_pruned_but_covers_the_longest_window() {
        let mut w = LogWindow::new(10, Duration::minutes(60));
        w.push([line(0, LineLevel::Error)]);
        w.push([line(59 * 60, LineLevel::Info)]);
        assert_eq!(w.errors_in(Duration::minutes(60), at(59 * 60)), 1);
        w.push([line(200 * 60, LineLevel::Info)]);
        assert!(w.minutes.len() <= 2, "old minutes pruned: {:?}", w.minutes);
        assert_eq!(w.errors_in(Duration::hours(24), at(200 * 60)), 0);
    }

    #[test]
    fn late_line_goes_to_its_minute() {
        let mut w = LogWindow::new(10, Duration::minutes(60));
        w.push([line(120, LineLevel::Info), line(5, LineLevel::Error)]);
        let per = w.per_minute(3, at(130));
        assert_eq!(per.iter().map(|m| m.errors).collect::<Vec<_>>(), [1, 0, 0]);
        assert_eq!(per.iter().map(|m| m.lines).collect::<Vec<_>>(), [1, 0, 1]);
    }

    #[test]
    fn rate_per_min_slides_over_the_previous_minute() {
        let mut w = LogWindow::new(10, Duration::minutes(60));
        w.push((0..60).map(|i| line(i, LineLevel::Error)));
        // 30 s into the next minute: half of the previous minute still counts.
        let r = w.rate_per_min(at(90));
        assert!((r.errors - 30.0).abs() < 1e-9, "{r:?}");
        assert!((r.lines - 30.0).abs() < 1e-9);
        assert_eq!(w.rate_per_min(at(600)), Rate::default());
    }

    proptest! {
        #[test]
        fn memory_bounded_and_counts_match(
            cap in 1usize..50,
            events in proptest::collection::vec((0i64..7200, 0u8..3), 0..400),
        ) {
            let mut w = LogWindow::new(cap, Duration::minutes(60));
            let mut sorted = events.clone();
            sorted.sort();
            let lines: Vec<_> = sorted.iter().map(|&(s, l)| {
                line(s, [LineLevel::Info, LineLevel::Warn, LineLevel::Error][l as usize])
            }).collect();
            for chunk in lines.chunks(7) {
                w.push(chunk.to_vec());
            }
            prop_assert!(w.lines().len() <= cap);
            prop_assert_eq!(w.total_seen(), lines.len() as u64);
            prop_assert!(w.minutes.len() as i64 <= w.history_minutes);
            // Whatever is inside the kept history is counted exactly.
            let now = at(7200);
            let window = Duration::minutes(30);
            let first = minute_of(now - window);
            let expected = lines.iter()
                .filter(|l| l.level == LineLevel::Error && minute_of(l.at) >= first)
                .count() as u64;
            prop_assert_eq!(w.errors_in(window, now), expected);
        }
    }
}

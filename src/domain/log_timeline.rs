//! A log's timeline: its kept lines with the journal's acts between them at
//! the moment they happened ("▶ step deploy started by ana"), so cause and
//! effect sit side by side (docs/console.md, "Logs"). Pure: the rows to show
//! are cut from a `LogWindow` by line index, and search finds lines by index.

use chrono::{DateTime, Utc};

use super::event::{EventKind, ProbeHealth, RunOutcome};
use super::log_line::LogLine;
use super::log_window::LogWindow;
use super::record::Record;

/// What kind of act a marker stands for (the screen picks its symbol).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Started,
    Finished { ok: bool },
    Up,
    Down,
    Decision,
    Alarm,
    Incident,
}

/// One journal act in the log timeline. `text` is outside text: the screen cleans it.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub at: DateTime<Utc>,
    pub kind: MarkerKind,
    pub text: String,
}

fn seconds(ms: u64) -> String {
    if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else {
        format!("{}m{:02}s", ms / 60_000, (ms / 1000) % 60)
    }
}

fn finished(what: &str, id: &str, outcome: RunOutcome, exit: Option<i32>, ms: u64) -> (MarkerKind, String) {
    let exit = exit.map(|c| format!(", exit {c}")).unwrap_or_default();
    (
        MarkerKind::Finished { ok: outcome == RunOutcome::Ok },
        format!("{what} {id} finished: {}{exit} after {}", outcome.label(), seconds(ms)),
    )
}

/// The marker for a journal record, for the acts that explain what a log
/// shows: runs started and finished, probe changes, decisions, alarms, incidents.
pub fn marker(r: &Record) -> Option<Marker> {
    let by = &r.operator;
    let (kind, text) = match r.event()? {
        EventKind::StepStarted { step, run, .. } => {
            (MarkerKind::Started, format!("step {step} started by {by}{}", again(run)))
        }
        EventKind::StepFinished { step, outcome, exit_code, duration_ms, .. } => {
            finished("step", &step, outcome, exit_code, duration_ms)
        }
        EventKind::RollbackStarted { rollback, run, .. } => {
            (MarkerKind::Started, format!("rollback {rollback} started by {by}{}", again(run)))
        }
        EventKind::RollbackFinished { rollback, outcome, exit_code, duration_ms, .. } => {
            finished("rollback", &rollback, outcome, exit_code, duration_ms)
        }
        EventKind::ProbeChanged { probe, health, cause } => (
            if health == ProbeHealth::Up { MarkerKind::Up } else { MarkerKind::Down },
            format!("probe {probe} {}{}", health.label(), cause.map(|c| format!(": {c}")).unwrap_or_default()),
        ),
        EventKind::DecisionRecorded { decision, reason, .. } => {
            (MarkerKind::Decision, format!("decision {} by {by}: {reason}", decision.as_str()))
        }
        EventKind::TriggerFired { trigger, propose, cause } => {
            (MarkerKind::Alarm, format!("alarm {trigger}: {cause} (proposes {propose})"))
        }
        EventKind::TriggerCleared { trigger } => (MarkerKind::Alarm, format!("alarm {trigger} cleared")),
        EventKind::IncidentDeclared { level, .. } => {
            (MarkerKind::Incident, format!("incident declared at {level} by {by}"))
        }
        EventKind::IncidentResolved { .. } => (MarkerKind::Incident, format!("incident resolved by {by}")),
        _ => return None,
    };
    Some(Marker { at: r.ts, kind, text })
}

fn again(run: u32) -> String {
    if run > 1 {
        format!(" (run {run})")
    } else {
        String::new()
    }
}

/// Adds a marker where its time puts it (journal records come nearly in time order).
pub fn insert(markers: &mut Vec<Marker>, m: Marker, keep: usize) {
    let i = markers.partition_point(|x| x.at <= m.at);
    markers.insert(i, m);
    let excess = markers.len().saturating_sub(keep);
    markers.drain(..excess);
}

/// One row of a log's timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Row<'a> {
    /// A log line and its index in the window.
    Line(u64, &'a LogLine),
    Marker(&'a Marker),
}

/// At most `room` rows, oldest first, ending just before line index `end`
/// (`None`: at the newest line, with the acts after it); markers take at most
/// half of them while lines are left to show. A marker sits after
/// the lines of its moment and before the first later line; markers older
/// than the oldest kept line are left out once the ring has dropped lines.
pub fn rows<'a>(w: &'a LogWindow, markers: &'a [Marker], end: Option<u64>, room: usize) -> Vec<Row<'a>> {
    let first = w.first_index();
    let end = end.unwrap_or(u64::MAX).clamp(first, w.end_index());
    let upper = match w.at_index(end) {
        Some(next) => markers.partition_point(|m| m.at < next.at),
        None => markers.len(),
    };
    let lower = match w.at_index(first) {
        Some(oldest) if first > 0 => markers.partition_point(|m| m.at < oldest.at),
        _ => 0,
    };
    let (mut i, mut j) = (end, upper.max(lower));
    let mut out = Vec::with_capacity(room.min(4096));
    // Markers explain lines; they never crowd them out: at most half the rows
    // while there are lines to show (none in a log squeezed to two rows).
    let most_markers = if room <= 2 { 0 } else { room / 2 };
    let mut marked = 0;
    while out.len() < room {
        let line = if i > first { w.at_index(i - 1) } else { None };
        let mark = if j > lower { markers.get(j - 1) } else { None };
        match (line, mark) {
            (Some(l), Some(m)) if m.at >= l.at && marked >= most_markers => {
                j -= 1;
            }
            (Some(l), Some(m)) if m.at >= l.at => {
                out.push(Row::Marker(m));
                marked += 1;
                j -= 1;
            }
            (Some(l), _) => {
                out.push(Row::Line(i - 1, l));
                i -= 1;
            }
            (None, Some(m)) => {
                out.push(Row::Marker(m));
                j -= 1;
            }
            (None, None) => break,
        }
    }
    out.reverse();
    out
}

/// Indices of the kept lines holding `query_lower` (already lower-cased), oldest first.
pub fn hits(w: &LogWindow, query_lower: &str) -> Vec<u64> {
    if query_lower.is_empty() {
        return Vec::new();
    }
    let first = w.first_index();
    // As the screen's highlighting matches (`ui::text::contains_ci`), so counts and highlights agree.
    let holds = |hay: &str| {
        if query_lower.is_ascii() {
            let n = query_lower.as_bytes();
            hay.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
        } else {
            hay.to_lowercase().contains(query_lower)
        }
    };
    w.iter().enumerate().filter(|(_, l)| holds(&l.text)).map(|(k, _)| first + k as u64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::log_line::LineLevel;
    use chrono::{Duration, TimeZone};

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap() + Duration::seconds(secs)
    }

    fn window(secs: &[i64], cap: usize) -> LogWindow {
        let mut w = LogWindow::new(cap, Duration::minutes(60));
        w.push(secs.iter().map(|&s| LogLine {
            at: at(s),
            level: LineLevel::Info,
            text: format!("line {s}"),
            marker: false,
        }));
        w
    }

    fn mark(secs: i64, text: &str) -> Marker {
        Marker { at: at(secs), kind: MarkerKind::Started, text: text.into() }
    }

    fn texts(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| match r {
                Row::Line(_, l) => l.text.clone(),
                Row::Marker(m) => m.text.clone(),
            })
            .collect()
    }

    #[test]
    fn markers_sit_between_lines_by_time() {
        let w = window(&[1, 2, 5, 9], 100);
        let m = vec![mark(2, "at 2"), mark(7, "at 7"), mark(12, "at 12")];
        let all = rows(&w, &m, None, 100);
        assert_eq!(texts(&all), ["line 1", "line 2", "at 2", "line 5", "at 7", "line 9", "at 12"]);
        // Following: the newest rows, the act after the last line included.
        assert_eq!(texts(&rows(&w, &m, None, 3)), ["line 5", "line 9", "at 12"]);
        // Held before line 9 (index 3): nothing after line 5 and its act.
        assert_eq!(texts(&rows(&w, &m, Some(3), 3)), ["line 2", "line 5", "at 7"]);
        // Held at the end shows the acts after the newest line too.
        assert_eq!(texts(&rows(&w, &m, Some(4), 6)), ["line 2", "at 2", "line 5", "at 7", "line 9", "at 12"]);
    }

    /// A log squeezed to a few rows shows its newest lines, not a run of acts.
    #[test]
    fn markers_never_crowd_out_the_lines() {
        let w = window(&[1, 2], 100);
        let m: Vec<Marker> = (3..20).map(|s| mark(s, "act")).collect();
        assert_eq!(texts(&rows(&w, &m, None, 2)), ["line 1", "line 2"]);
        let six = texts(&rows(&w, &m, None, 6));
        assert_eq!(six.iter().filter(|t| t.starts_with("line")).count(), 2, "{six:?}");
        assert_eq!(six.len(), 5, "two lines and half of six rows of acts: {six:?}");
    }

    #[test]
    fn markers_older_than_the_kept_lines_go_once_lines_were_dropped() {
        let w = window(&[1, 2, 3, 4], 2);
        let m = vec![mark(1, "old"), mark(3, "kept")];
        assert_eq!(texts(&rows(&w, &m, None, 10)), ["line 3", "kept", "line 4"]);
        let whole = window(&[3, 4], 10);
        assert_eq!(texts(&rows(&whole, &m, None, 10)), ["old", "line 3", "kept", "line 4"]);
    }

    #[test]
    fn hits_are_indices_that_survive_the_ring() {
        let w = window(&[1, 2, 3, 11, 12], 3);
        assert_eq!(hits(&w, "line 1"), [3, 4]);
        assert_eq!(w.at_index(3).map(|l| l.text.as_str()), Some("line 11"));
        assert!(hits(&w, "").is_empty());
    }

    #[test]
    fn insert_keeps_time_order_and_a_bound() {
        let mut m = Vec::new();
        insert(&mut m, mark(5, "b"), 3);
        insert(&mut m, mark(1, "a"), 3);
        insert(&mut m, mark(9, "c"), 3);
        insert(&mut m, mark(7, "d"), 3);
        assert_eq!(m.iter().map(|x| x.text.as_str()).collect::<Vec<_>>(), ["b", "d", "c"]);
    }

    #[test]
    fn a_step_start_names_who() {
        let ev = EventKind::StepStarted { step: "deploy".into(), run: 1, command: "true".into(), output: "o".into() };
        let r = Record::new(crate::domain::record::GENESIS, 1, at(0), "ana", &ev);
        let m = marker(&r).expect("a marker");
        assert_eq!((m.kind, m.text.as_str()), (MarkerKind::Started, "step deploy started by ana"));
        let note =
            Record::new(crate::domain::record::GENESIS, 2, at(0), "ana", &EventKind::NoteAdded { text: "x".into() });
        assert!(marker(&note).is_none());
    }
}

//! Log tails wired into the console: a tail per `[[log]]` started at open, their
//! lines folded into one `LogWindow` per log (ring buffer + per-minute counts),
//! their condition (following, waiting, restarting…) kept for the Logs pane, and
//! `F` follow on/off: when off, the pane stays on the lines it showed while new
//! ones keep being counted underneath.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::domain::log_window::LogWindow;
use crate::domain::redact::Redactor;
use crate::domain::runbook::Runbook;
use crate::sources::logtail::{spawn_log_with, LogHandle, TailOptions};
use crate::sources::{DroppedCounts, EventSender, LogLine, LogStatus};
use crate::ui::app::{App, MsgKind};
use crate::ui::overlay::Overlay;
use crate::ui::panes::PaneId;
use crate::ui::text::contains_ci;

/// Starts a tail for every `[[log]]`; relative paths are taken from `dir` (the
/// runbook's folder). Keep the handles for as long as the console runs: dropping
/// them stops the tails and kills command logs' process groups.
/// Every line is redacted with `redactor` (the console's, built from the runbook's secrets).
pub fn start_tails(runbook: &Runbook, dir: &Path, redactor: Arc<Redactor>, tx: EventSender) -> Vec<LogHandle> {
    let opts = TailOptions { redactor, ..TailOptions::default() };
    runbook.logs.iter().map(|l| spawn_log_with(l, dir, tx.clone(), opts.clone())).collect()
}

/// Per-log state beyond the lines themselves.
#[derive(Clone, Debug, Default)]
pub struct LogsView {
    pub status: BTreeMap<String, LogStatus>,
    /// Follow off: the number of lines seen when it was turned off.
    pub paused_at: Option<BTreeMap<String, u64>>,
    /// The last search count: (log, query, lines seen then, matches). Counting
    /// runs over the whole ring buffer, so it is redone only when a line
    /// arrives or the query changes, not on every frame.
    pub counted: Option<(String, String, u64, usize)>,
}

fn window(app: &mut App, log: String) -> Option<&mut LogWindow> {
    if !app.live.logs.contains_key(&log) {
        let source = app.runbook.log(&log)?;
        let w = LogWindow::for_source(&app.runbook, source);
        app.live.logs.insert(log.clone(), w);
    }
    app.live.logs.get_mut(&log)
}

pub fn on_lines(app: &mut App, log: String, lines: Vec<LogLine>) {
    if let Some(w) = window(app, log) {
        w.push(lines);
    }
}

/// Lines the tail had to drop: counted, not kept.
pub fn on_dropped(app: &mut App, log: String, at: chrono::DateTime<chrono::Utc>, counts: DroppedCounts) {
    if let Some(w) = window(app, log) {
        w.count_dropped(at, counts);
    }
}

pub fn on_status(app: &mut App, log: String, status: LogStatus) {
    app.live.log_view.status.insert(log, status);
}

/// `F`: follow on/off for the Logs pane.
pub fn toggle_follow(app: &mut App) {
    let view = &mut app.live.log_view;
    if view.paused_at.take().is_some() {
        app.say("logs: following (newest lines shown)", MsgKind::Info);
    } else {
        view.paused_at = Some(app.live.logs.iter().map(|(id, w)| (id.clone(), w.total_seen())).collect());
        app.say("logs: follow off — view held, lines still counted (F to follow)", MsgKind::Info);
    }
}

/// The lines to draw for one log, oldest first, at most `room`: the newest, or
/// when follow is off those up to where it was turned off (while still kept).
pub fn visible<'a>(app: &'a App, log: &str, room: usize) -> Vec<&'a LogLine> {
    let Some(w) = app.live.logs.get(log) else { return Vec::new() };
    let skip_newest = match app.live.log_view.paused_at.as_ref().and_then(|p| p.get(log)) {
        // Lines counted since the pause (markers are not counted: close enough).
        Some(&at) => (w.total_seen().saturating_sub(at) as usize).min(w.len()),
        None => 0,
    };
    let end = w.len() - skip_newest;
    let start = end.saturating_sub(room);
    w.lines().range(start..end).collect()
}

/// Short words for a log's condition.
pub fn status_word(status: Option<&LogStatus>) -> String {
    match status {
        None => "not started".into(),
        Some(LogStatus::Following) => "following".into(),
        Some(LogStatus::Polling) => "following (polling)".into(),
        Some(LogStatus::Waiting) => "waiting for file".into(),
        Some(LogStatus::Rotated) => "rotated".into(),
        Some(LogStatus::Truncated) => "truncated".into(),
        Some(LogStatus::Restarting { after, reason }) => {
            format!("restarting in {}s: {reason}", after.as_secs_f64().ceil() as u64)
        }
        Some(LogStatus::Error(e)) => format!("error: {e}"),
    }
}

/// The text searched for in the Logs pane (while typing after `/`, then the last
/// search), lower-cased; lines containing it are highlighted.
pub fn search_query(app: &App) -> Option<String> {
    let q = match &app.overlay {
        Some(Overlay::Search(s)) if s.pane == PaneId::Logs => Some(s.query.as_str()),
        _ => app.last_search.as_ref().filter(|(p, _)| *p == PaneId::Logs).map(|(_, q)| q.as_str()),
    };
    q.filter(|q| !q.is_empty()).map(str::to_lowercase)
}

/// Kept lines of `log` containing `query` (lower-cased).
pub fn count_matches(app: &mut App, log: &str, query: &str) -> usize {
    let seen = app.live.logs.get(log).map_or(0, |w| w.total_seen());
    if let Some((l, q, s, n)) = &app.live.log_view.counted {
        if l == log && q == query && *s == seen {
            return *n;
        }
    }
    let n = app.live.logs.get(log).map_or(0, |w| w.iter().filter(|l| contains_ci(&l.text, query)).count());
    app.live.log_view.counted = Some((log.to_string(), query.to_string(), seen, n));
    n
}

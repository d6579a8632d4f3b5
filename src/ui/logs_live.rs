//! Log tails wired into the console's model: a tail per `[[log]]` started at
//! open, their lines folded into one `LogWindow` per log (ring buffer +
//! per-minute counts), their condition (following, waiting, restarting…), and
//! the journal's acts as markers in the timeline. Where each log is read
//! (following or held, searching) is the view's: `ui::logs_view`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::domain::log_timeline;
use crate::domain::log_window::LogWindow;
use crate::domain::record::Record;
use crate::domain::redact::Redactor;
use crate::domain::runbook::Runbook;
use crate::sources::logtail::{spawn_log_with, LogHandle, TailOptions};
use crate::sources::{DroppedCounts, EventSender, LogLine, LogStatus};
use crate::ui::model::Model;

/// Starts a tail for every `[[log]]`; relative paths are taken from `dir` (the
/// runbook's folder). Keep the handles for as long as the console runs: dropping
/// them stops the tails and kills command logs' process groups.
/// Every line is redacted with `redactor` (the console's, built from the runbook's secrets);
/// command logs' `{name}` are filled from `vars` (the model's, with `WARROOM_VAR_*` overrides).
pub fn start_tails(
    runbook: &Runbook,
    dir: &Path,
    redactor: Arc<Redactor>,
    vars: &BTreeMap<String, String>,
    tx: EventSender,
) -> Vec<LogHandle> {
    let opts = TailOptions { redactor, vars: Arc::new(vars.clone()), ..TailOptions::default() };
    runbook.logs.iter().map(|l| spawn_log_with(l, dir, tx.clone(), opts.clone())).collect()
}

/// Markers kept for the timeline (a long session's acts; each is a short line).
const MARKERS_KEPT: usize = 5_000;

fn window(m: &mut Model, log: String) -> Option<&mut LogWindow> {
    if !m.live.logs.contains_key(&log) {
        let source = m.runbook.log(&log)?;
        let w = LogWindow::for_source(&m.runbook, source);
        m.live.logs.insert(log.clone(), w);
    }
    m.live.logs.get_mut(&log)
}

pub fn on_lines(m: &mut Model, log: String, lines: Vec<LogLine>) {
    if let Some(w) = window(m, log) {
        w.push(lines);
    }
}

/// Lines the tail had to drop: counted, not kept.
pub fn on_dropped(m: &mut Model, log: String, at: chrono::DateTime<chrono::Utc>, counts: DroppedCounts) {
    if let Some(w) = window(m, log) {
        w.count_dropped(at, counts);
    }
}

pub fn on_status(m: &mut Model, log: String, status: LogStatus) {
    m.live.log_status.insert(log, status);
}

/// A journal record, as a marker in the log timeline when it is an act that explains a log.
/// Secrets are hidden as everywhere else (the console's redactor).
pub fn on_record(m: &mut Model, r: &Record) {
    let hidden = m.redactor.record(r);
    on_shown_record(m, hidden.as_ref().unwrap_or(r));
}

/// As [`on_record`], for a record already redacted (`App::fold` has done it).
pub fn on_shown_record(m: &mut Model, shown: &Record) {
    if let Some(marker) = log_timeline::marker(shown) {
        log_timeline::insert(&mut m.live.markers, marker, MARKERS_KEPT);
    }
}

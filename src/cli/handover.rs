//! `warroom handover RUNBOOK [--since TIME] [--format md|json]`: what changed
//! in the session since TIME (default: the start of the current shift), what
//! is open, who is next (docs/incident.md). Reads the journal; writes nothing.
//! Exit 0, 2 bad input.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use super::common::{bad_input, journal_path, EXIT_OK};
use super::record_act::load_runbook;
use super::{Common, ReportFormat};
use crate::domain::handover;
use crate::domain::runbook::Runbook;
use crate::domain::sanitize::clean;
use crate::sources::journal::Journal;

/// `2026-02-12T06:00:00Z` (any RFC 3339), `2026-02-12 07:00` or `07:00`
/// (local to the runbook's time zone; a bare time is today's, or yesterday's
/// when that is still to come).
pub fn parse_since(text: &str, rb: &Runbook, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.with_timezone(&Utc));
    }
    let tz = rb.timezone.unwrap_or(chrono_tz::UTC);
    let local = |n: NaiveDateTime| tz.from_local_datetime(&n).earliest().map(|d| d.with_timezone(&Utc));
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Some(d) = NaiveDateTime::parse_from_str(t, fmt).ok().and_then(local) {
            return Ok(d);
        }
    }
    for fmt in ["%H:%M", "%H:%M:%S"] {
        if let Ok(time) = chrono::NaiveTime::parse_from_str(t, fmt) {
            let today = now.with_timezone(&tz).date_naive();
            if let Some(d) = local(today.and_time(time)) {
                return Ok(if d > now { d - chrono::Duration::days(1) } else { d });
            }
        }
    }
    Err(format!(
        "--since \"{t}\" is not a time: write 07:00 (today, in the runbook's time zone), 2026-02-12 07:00, or 2026-02-12T06:00:00Z"
    ))
}

pub fn run(runbook: &Path, since: Option<&str>, format: ReportFormat, c: &Common) -> i32 {
    let loaded = match load_runbook(runbook) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let rb = &loaded.runbook;
    let now = Utc::now();
    let path = journal_path(c, &rb.id);
    if !path.is_file() {
        return bad_input(format!(
            "no session journal at {}: open the console on {} first, or give --journal FILE",
            path.display(),
            runbook.display()
        ));
    }
    let opened = match Journal::open_read_only(&path) {
        Ok(o) => o,
        Err(e) => return bad_input(e),
    };
    for w in &opened.warnings {
        errln!("warroom: {}", clean(w));
    }
    let since = match since.map(|s| parse_since(s, rb, now)).transpose() {
        Ok(s) => s.unwrap_or_else(|| handover::default_since(rb, &opened.records, now)),
        Err(e) => return bad_input(e),
    };
    if since > now {
        return bad_input(format!(
            "--since {} is in the future (now is {}): nothing can have changed since then",
            since.format("%Y-%m-%d %H:%M UTC"),
            now.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    let h = handover::build(rb, &opened.records, since, now);
    let text = match format {
        ReportFormat::Md => handover::markdown(&h),
        ReportFormat::Json => serde_json::to_string_pretty(&h).unwrap_or_default() + "\n",
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => bad_input(format!("could not write the handover: {e}")),
        _ => EXIT_OK,
    }
}

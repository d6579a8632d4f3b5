//! `warroom replay JOURNAL [--runbook FILE] [--at TIME|SEQ] [--diff T1 T2]`:
//! the time machine (docs/time-machine.md). Reads the journal, never writes it.
//! `--diff` prints what changed between two moments (exit 0; 2 bad input).

use std::path::Path;

use super::common::{bad_input, EXIT_OK};
use super::record_act::load_runbook;
use super::Common;
use crate::domain::moment_diff;
use crate::domain::timeline::Timeline;
use crate::sources::journal::Journal;

pub struct ReplayArgs<'a> {
    pub journal: &'a Path,
    pub runbook: Option<&'a Path>,
    pub at: Option<&'a str>,
    pub diff: Option<&'a [String]>,
}

pub fn run(a: ReplayArgs, c: &Common) -> i32 {
    let journal = a.journal;
    // A `postgres://` session is read as it is (`Journal::open_read_only`); a file must be one.
    if !crate::sources::journal::postgres::is_database_url(journal) && !journal.is_file() {
        let why = if journal.is_dir() { "is a folder, not a journal file" } else { "does not exist" };
        return bad_input(format!("journal {} {why}; give the session's journal.jsonl.", journal.display()));
    }
    let opened = match Journal::open_read_only(journal) {
        Ok(o) => o,
        Err(e) => return bad_input(e),
    };
    for w in &opened.warnings {
        errln!("warroom: {}", crate::domain::sanitize::clean(w));
    }
    let timeline = Timeline::new(opened.records.clone());
    // The file, or the database URL without its password.
    let shown = opened.journal.location();
    if let Some(d) = a.diff {
        return diff(&shown, &timeline, d);
    }
    let at = match a.at.map(|t| timeline.parse_moment(t)).transpose() {
        Ok(at) => at,
        Err(e) => return bad_input(format!("--at: {e}")),
    };
    let loaded = match a.runbook.map(load_runbook).transpose() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let Some(loaded) = loaded.or_else(|| super::report::recorded_runbook(&opened.records)) else {
        return bad_input(format!(
            "the time machine draws the console, which needs the session's runbook: pass --runbook FILE \
             (or `warroom replay {shown} --diff T1 T2`, which does not)"
        ));
    };
    super::launch::launch_replay(journal, loaded.runbook, at, None, c)
}

fn diff(shown: &str, tl: &Timeline, d: &[String]) -> i32 {
    let (from, to) = match (tl.parse_moment(&d[0]), tl.parse_moment(&d[1])) {
        (Ok(a), Ok(b)) if a > b => {
            return bad_input(format!(
                "--diff {} {}: the first moment is after the second; give them in time order",
                d[0], d[1]
            ))
        }
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return bad_input(format!("--diff: {e}")),
    };
    let when = |p: usize| {
        tl.time_at(p).map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_else(|| "start".into())
    };
    let changes = moment_diff::changes_over(&tl.state_at(from), &tl.records()[from..to]);
    outln!(
        "What changed in {} from {} (record {from}) to {} (record {to}): {} change(s)",
        shown,
        when(from),
        when(to),
        changes.len()
    );
    for ch in &changes {
        outln!("{}", moment_diff::line(ch));
    }
    EXIT_OK
}

//! `warroom who RUNBOOK [--json]`: the consoles present on the session now
//! (docs/console.md, presence). Reads the presence folder beside the journal,
//! or the session's presence table when the journal is a PostgreSQL URL;
//! writes nothing to the journal. Exit 0 (2 for an invalid runbook or an
//! unreachable database).

use std::path::Path;

use chrono::Utc;
use serde::Serialize;

use super::common::{journal_path, EXIT_OK};
use super::record_act::load_runbook;
use super::Common;
use crate::domain::presence::Presence;
use crate::domain::record::format_ts;
use crate::domain::sanitize::clean;
use crate::sources::journal::postgres::{is_database_url, present, redact};
use crate::sources::presence::roster;

#[derive(Serialize)]
struct Row {
    operator: String,
    user: String,
    host: String,
    pid: u32,
    read_only: bool,
    since: String,
    idle_seconds: i64,
    doing: String,
}

fn row(p: &Presence, now: chrono::DateTime<Utc>) -> Row {
    Row {
        operator: clean(&p.operator),
        user: clean(&p.user),
        host: clean(&p.host),
        pid: p.pid,
        read_only: p.read_only,
        since: format_ts(&p.since),
        idle_seconds: p.idle(now).num_seconds(),
        doing: clean(&p.doing),
    }
}

pub fn run(runbook: &Path, json: bool, c: &Common) -> i32 {
    let loaded = match load_runbook(runbook) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let journal = journal_path(c, &loaded.runbook.id);
    let now = Utc::now();
    let present = if is_database_url(&journal) {
        match present(&journal.to_string_lossy()) {
            Ok(p) => p,
            Err(e) => return super::common::bad_input(clean(&e.to_string())),
        }
    } else {
        roster(&journal, &super::common::hostname(), now)
    };
    let rows: Vec<Row> = present.iter().map(|p| row(p, now)).collect();
    if json {
        outln!("{}", serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into()));
        return EXIT_OK;
    }
    if rows.is_empty() {
        let shown = clean(&redact(&journal.to_string_lossy()));
        outln!("nobody has a console open on {} (session {shown})", clean(&loaded.runbook.title));
        return EXIT_OK;
    }
    let header = ["OPERATOR", "USER", "HOST", "MODE", "SINCE", "IDLE", "DOING"];
    let lines: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.operator.clone(),
                r.user.clone(),
                r.host.clone(),
                if r.read_only { "read-only".into() } else { "acting".into() },
                r.since.get(11..19).unwrap_or(&r.since).to_string() + " UTC",
                crate::domain::duration::clock_format(chrono::Duration::seconds(r.idle_seconds)),
                r.doing.clone(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..7)
        .map(|i| {
            lines
                .iter()
                .map(|l| unicode_width::UnicodeWidthStr::width(l[i].as_str()))
                .max()
                .unwrap_or(0)
                .max(header[i].len())
        })
        .collect();
    let fmt = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| if i + 1 == cells.len() { c.clone() } else { crate::ui::text::pad(c, widths[i]) })
            .collect::<Vec<_>>()
            .join("  ")
    };
    outln!("{}", fmt(&header.map(String::from)));
    for l in &lines {
        outln!("{}", fmt(l));
    }
    EXIT_OK
}

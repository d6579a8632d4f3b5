//! `warroom t0 RUNBOOK set TIME`: sets T-0 of a days-long go-live in the live
//! session (journaled as `t0.set`; it wins over the runbook's `t0`).
//! TIME is local to the runbook's timezone (`2026-02-12T06:00`) or RFC 3339.
//! `warroom t0 RUNBOOK show` prints the T-0 in force. Exit 0, 1 refused, 2 bad input.

use std::path::Path;

use chrono::Utc;
use clap::Subcommand;

use super::common::{bad_input, EXIT_OK};
use super::record_act::{append, load_runbook};
use super::Common;
use crate::domain::event::EventKind;
use crate::domain::loader::t0::parse_local_time;
use crate::domain::sanitize::clean;

#[derive(Subcommand, Debug, Clone)]
pub enum T0Act {
    /// Set T-0: a time in the runbook's timezone, like 2026-02-12T06:00.
    Set { time: String },
    /// Print the T-0 in force and the countdown.
    Show,
}

pub fn run(runbook: &Path, act: &T0Act, c: &Common) -> i32 {
    let loaded = match load_runbook(runbook) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let rb = &loaded.runbook;
    match act {
        T0Act::Set { time } => {
            let t0 = match parse_local_time(time.trim(), rb.timezone) {
                Ok(t) => t,
                Err(e) => return bad_input(format!("warroom t0 {} set: {e}", runbook.display())),
            };
            match append(c, &rb.id, &EventKind::T0Set { t0 }) {
                Ok(rec) => {
                    outln!(
                        "recorded: T-0 = {} by {} (seq {}); now {}",
                        show(t0, rb.timezone),
                        clean(&rec.operator),
                        rec.seq,
                        crate::domain::countdown::label(t0, Utc::now())
                    );
                    EXIT_OK
                }
                Err(code) => code,
            }
        }
        T0Act::Show => {
            let journal = super::common::journal_path(c, &rb.id);
            let state = match crate::sources::journal::Journal::open_read_only(&journal) {
                Ok(o) => crate::domain::state::SessionState::from_records(&o.records),
                Err(_) => Default::default(),
            };
            match crate::domain::countdown::t0(rb, &state) {
                Some(t0) => {
                    outln!("T-0 = {}; now {}", show(t0, rb.timezone), crate::domain::countdown::label(t0, Utc::now()));
                    EXIT_OK
                }
                None => {
                    outln!("no T-0 set: add t0 = \"2026-02-12T06:00\" to [runbook] or run warroom t0 RUNBOOK set TIME");
                    EXIT_OK
                }
            }
        }
    }
}

fn show(t0: chrono::DateTime<Utc>, tz: Option<chrono_tz::Tz>) -> String {
    let utc = t0.format("%Y-%m-%d %H:%M UTC").to_string();
    match tz {
        Some(tz) => format!("{} ({utc})", t0.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z")),
        None => utc,
    }
}

//! `warroom incident RUNBOOK declare --severity ID --summary TEXT` (and `ack`,
//! `escalate`, `mitigated`, `resolve`, `severity ID`): incident acts from a
//! script, a pager or a chat bot, written into the live session as this
//! operator (docs/incident.md). The rules are `domain::incident_acts`, the
//! same the console keys use. Exit 0 recorded, 1 refused, 2 bad input.

use std::path::Path;

use chrono::Utc;
use clap::Subcommand;

use super::common::{bad_input, journal_path, operator, EXIT_FAIL, EXIT_OK};
use super::record_act::load_runbook;
use super::Common;
use crate::domain::event::EventKind;
use crate::domain::incident_acts::{self as acts, Refusal};
use crate::domain::report::text::describe;
use crate::domain::runbook::Runbook;
use crate::domain::sanitize::clean;
use crate::domain::severity;
use crate::domain::state::SessionState;
use crate::sources::journal::{Journal, JournalError};

#[derive(Subcommand, Debug, Clone)]
pub enum IncidentAct {
    /// Declare an incident: its severity's clocks (ack, mitigate, updates) start now.
    Declare {
        /// A [[severity]] id of the runbook (SEV0, SEV1, …).
        #[arg(long)]
        severity: Option<String>,
        /// One line: what is happening.
        #[arg(long)]
        summary: Option<String>,
    },
    /// Acknowledge: someone is on it (stops the ack clock and the level's countdown).
    Ack,
    /// Escalate to the next level of the ladder now.
    Escalate,
    /// The impact is stopped (stops the mitigation clock); the incident stays open.
    Mitigated {
        #[arg(long)]
        note: Option<String>,
    },
    /// Resolve the incident: every clock stops.
    Resolve {
        #[arg(long)]
        note: Option<String>,
    },
    /// Change the open incident's severity.
    Severity { id: String },
}

fn events_for(rb: &Runbook, state: &SessionState, act: &IncidentAct) -> Result<Vec<EventKind>, Refusal> {
    let now = Utc::now();
    let text = |s: &Option<String>| s.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match act {
        IncidentAct::Declare { severity, summary } => acts::declare(rb, state, severity.as_deref(), text(summary)),
        IncidentAct::Ack => acts::acknowledge(rb, state, now),
        IncidentAct::Escalate => acts::escalate(rb, state, now),
        IncidentAct::Mitigated { note } => acts::mitigated(state, text(note)),
        IncidentAct::Resolve { note } => acts::resolve(rb, state, now, text(note)),
        IncidentAct::Severity { id } => acts::change_severity(rb, state, id),
    }
}

pub fn run(runbook: &Path, act: &IncidentAct, c: &Common) -> i32 {
    let loaded = match load_runbook(runbook) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let rb = &loaded.runbook;
    let path = journal_path(c, &rb.id);
    if c.read_only {
        errln!("warroom: not recorded: --read-only was given, so nothing is written to {}.", path.display());
        return EXIT_FAIL;
    }
    let opened = match Journal::open(&path) {
        Ok(o) => o,
        Err(e) => return bad_input(e),
    };
    for w in &opened.warnings {
        errln!("warroom: {}", clean(w));
    }
    let mut journal = opened.journal;
    let mut state = SessionState::from_records(&opened.records);
    let events = match events_for(rb, &state, act) {
        Ok(e) => e,
        Err(Refusal::BadInput(m)) => return bad_input(clean(&m)),
        Err(Refusal::Refused(m)) => {
            errln!("warroom: refused: {}", clean(&m));
            return EXIT_FAIL;
        }
    };
    let who = operator(c);
    for (i, ev) in events.iter().enumerate() {
        // The first act is checked again under the journal's lock against what
        // others wrote meanwhile (two pagers declaring at once declare once).
        let got = journal.append_unless(&who, Utc::now(), ev, |new| {
            if i > 0 {
                return None;
            }
            let mut now_state = state.clone();
            new.iter().for_each(|r| now_state.apply(r));
            match events_for(rb, &now_state, act) {
                Ok(again) if again.first() == Some(ev) => None,
                Ok(_) => Some("another console acted on the incident meanwhile; look again and retry".into()),
                Err(e) => Some(e.message().to_string()),
            }
        });
        match got {
            Ok((recs, None)) => recs.iter().for_each(|r| state.apply(r)),
            Ok((_, Some(why))) => {
                errln!("warroom: refused: {}", clean(&why));
                return EXIT_FAIL;
            }
            Err(e @ (JournalError::ReadOnly(_) | JournalError::Corrupt { .. })) => {
                errln!("warroom: {e}");
                return EXIT_FAIL;
            }
            Err(e) => return bad_input(e),
        }
        outln!("recorded: {} ({})", describe(ev), clean(&who));
    }
    super::send_on::send(&mut journal, rb, &mut state, &who, &events);
    if let Some(clocks) = state.incident.as_ref().and_then(|i| severity::clocks(rb, i, Utc::now())) {
        outln!(
            "{}: ack {} · mitigate {} · next update {}",
            clean(&clocks.severity.id),
            severity::describe(clocks.ack),
            severity::describe(clocks.mitigate),
            clocks.next_update().map(|u| severity::describe(u.state)).unwrap_or_else(|| "none due".into())
        );
    }
    EXIT_OK
}

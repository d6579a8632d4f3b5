//! What the console knows: the runbook, the folded session, live source data,
//! who is at the keyboard, the clock, and what it has said. Journal records,
//! source events and ticks change it (`App::fold`, `App::on_source`,
//! `App::tick`); keys never do directly — an act becomes a journal record
//! first. Panes and dialogs draw from `&Model`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::domain::redact::Redactor;
use crate::domain::runbook::Runbook;
use crate::domain::state::SessionState;
use crate::sources::{LogStatus, ProbeResult};

use super::app::MsgKind;

/// Live data from sources, kept for drawing (not journaled).
#[derive(Clone, Debug, Default)]
pub struct Live {
    pub probes: BTreeMap<String, Vec<ProbeResult>>,
    /// Per log: ring buffer + per-minute counts (`ui::logs_live`).
    pub logs: BTreeMap<String, crate::domain::log_window::LogWindow>,
    /// Per log: what its tail last said (following, waiting, restarting…).
    pub log_status: BTreeMap<String, LogStatus>,
    /// The journal's acts, oldest first, shown between the lines of every log.
    pub markers: Vec<crate::domain::log_timeline::Marker>,
    /// Channels with a delivery between retries: what the last attempt said.
    pub channels: BTreeMap<String, String>,
}

pub struct Model {
    pub runbook: Runbook,
    /// The runbook's vars with `WARROOM_VAR_*` overrides from the environment,
    /// read once at start (the environment does not change while we run).
    pub vars: BTreeMap<String, String>,
    pub state: SessionState,
    pub operator: String,
    /// The Unix account and signing key (fingerprint) this console's records
    /// carry; set from the journal once it is open.
    pub user: Option<String>,
    pub signing_key: Option<String>,
    /// `Some(reason)`: nothing is written (`--read-only`, or a damaged journal).
    pub read_only: Option<String>,
    /// `read_only` is set only because the journal's database cannot be
    /// reached: people's acts are refused, but what sources produce (probe
    /// changes, auto verdicts, triggers, escalations) still goes to the
    /// journal writer's outbox, to be written once the database is back
    /// (docs/journal.md, "Written late").
    pub journal_down: bool,
    pub now: DateTime<Utc>,
    pub live: Live,
    /// Probe histories, auto-verdict memory, run output (`ui::wiring`).
    pub procs: super::wiring::ProcsView,
    /// Consoles on the session now, and this console's own presence (`ui::presence`).
    pub team: super::presence::Team,
    /// Every message said, for the history (`m`); the status line shows the newest.
    pub messages: super::messages::MessageLog,
    /// Every person's act and note, for the activity feed (`A`, `ui::activity`).
    pub activity: super::activity::Feed,
    /// The status-update due time the console last opened the template for.
    pub update_prompted: Option<DateTime<Utc>>,
    /// Hides the runbook's secrets in outside text (built once, at start).
    pub redactor: Arc<Redactor>,
    /// Ring the terminal bell once at the next draw (an automatic escalation just happened).
    pub bell: bool,
}

impl Model {
    pub fn new(runbook: Runbook, operator: String, read_only: Option<String>, now: DateTime<Utc>) -> Model {
        let vars = crate::domain::vars::effective_vars(&runbook.vars, |k| std::env::var(k).ok());
        let redactor = Arc::new(Redactor::for_runbook(&runbook, &vars, |k| std::env::var(k).ok()));
        Model {
            redactor,
            vars,
            runbook,
            state: SessionState::default(),
            operator,
            user: None,
            signing_key: None,
            read_only,
            journal_down: false,
            now,
            live: Live::default(),
            procs: Default::default(),
            team: super::presence::Team::new(now),
            messages: Default::default(),
            activity: Default::default(),
            update_prompted: None,
            bell: false,
        }
    }

    /// Says something to the operator: kept in the history, shown on the
    /// message line until the next key.
    pub fn say(&mut self, text: impl Into<String>, kind: MsgKind) {
        self.messages.push(self.now, kind, text.into());
    }

    /// Who is acting from this console: the operator at the keyboard, the
    /// Unix account and key the console writes with.
    pub fn actor(&self) -> crate::domain::identity::Actor {
        crate::domain::identity::Actor {
            operator: self.operator.clone(),
            user: self.user.clone(),
            key: self.signing_key.clone(),
        }
    }
}

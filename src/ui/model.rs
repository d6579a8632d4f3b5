//! What the console knows: the runbook, the folded session, live source data,
//! who is at the keyboard, the clock, and what it has said. Journal records,
//! source events and ticks change it (`App::fold`, `App::on_source`,
//! `App::tick`); keys never do directly — an act becomes a journal record
//! first. Panes and dialogs draw from `&Model`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::domain::record::Record;
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

    /// Folds journal records in (ours and others'), hiding the runbook's
    /// secrets first; true when any was new.
    pub fn fold(&mut self, records: &[Record]) -> bool {
        let mut changed = false;
        for r in records {
            if r.seq > self.state.last_seq {
                let malformed = self.state.malformed_count;
                let hidden = self.redactor.record(r);
                let shown = hidden.as_ref().unwrap_or(r);
                self.state.apply(shown);
                super::logs_live::on_shown_record(self, shown);
                if self.state.malformed_count > malformed {
                    let why = self.state.malformed.last().filter(|m| m.seq == r.seq).map(|m| m.why.clone());
                    self.say(
                        format!(
                            "journal record #{} ({}) could not be read and was left out: {}",
                            r.seq,
                            super::text::clean(&r.kind),
                            super::text::clean(why.as_deref().unwrap_or("too many to list"))
                        ),
                        MsgKind::Warn,
                    );
                }
                changed = true;
                self.bell |= rings_bell(r, self.now);
            }
        }
        self.expire_evidence() || changed
    }

    /// Verdicts that are no longer evidence show PENDING (`domain::expiry`); true when any changed.
    fn expire_evidence(&mut self) -> bool {
        let t0 = crate::domain::countdown::t0(&self.runbook, &self.state);
        let before = self.state.criteria.values().filter(|c| c.expired.is_some()).count();
        crate::domain::expiry::apply(&mut self.state, &self.runbook, t0, self.now);
        self.state.criteria.values().filter(|c| c.expired.is_some()).count() != before
    }

    /// The clock moves on to `now`; true when the screen shows something
    /// new (the status line shows seconds; evidence may have expired).
    pub fn tick(&mut self, now: DateTime<Utc>) -> bool {
        let new_second = now.timestamp() != self.now.timestamp();
        self.now = now;
        self.expire_evidence() || new_second
    }

    /// A key or a typed command: the operator is at the keyboard (presence shows it).
    pub fn touched(&mut self) {
        self.team.last_input = self.now;
    }

    /// Runbook text the loader filled with vars (a log's path, a link's URL),
    /// as the screen and the clipboard may carry it: a var's secret value
    /// hidden (`‹NAME›`, docs/runbook-format.md, "Secrets"), then cleaned of
    /// control characters. The runbook keeps the real text: tails follow it.
    pub fn shown(&self, text: &str) -> String {
        super::text::clean(&self.redactor.redact(text))
    }

    /// Says something to the operator: kept in the history, shown on the
    /// message line until the next key.
    pub fn say(&mut self, text: impl Into<String>, kind: MsgKind) {
        self.messages.push(self.now, kind, text.into());
    }

    /// Whether events a source produces are journaled from here: in a console
    /// that may write, and during a database outage (they wait in the outbox).
    /// With several consoles open, only the session's recorder writes them
    /// (`Team::records_sources`), so each change is journaled once.
    pub fn sources_may_journal(&self) -> bool {
        (self.read_only.is_none() || self.journal_down) && self.team.records_sources()
    }

    /// The effect that journals `event` as the operator at the keyboard.
    pub fn append(&self, event: crate::domain::event::EventKind) -> super::effect::Effect {
        super::effect::Effect::Append { operator: self.operator.clone(), event }
    }

    /// Acts from here on are `to`'s (the switch itself was journaled as the one handing over).
    pub fn switch_operator(&mut self, to: &str) {
        self.operator = to.to_string();
    }

    /// The Unix account and signing key this console's records carry, once the journal is open.
    pub fn set_writer(&mut self, user: String, key: Option<String>) {
        self.user = Some(user);
        self.signing_key = key;
    }

    /// The session folded afresh (the journal was replaced, or records written
    /// late were folded again with what still waits on top).
    pub fn replace_state(&mut self, state: SessionState) {
        self.state = state;
    }

    /// What the journal says of writing: `read_only_reason` when it refuses
    /// (`unreachable`: only because its database cannot be reached, which
    /// refuses people's acts only while it lasts).
    pub fn journal_status(&mut self, read_only_reason: Option<String>, unreachable: bool) {
        if let Some(r) = read_only_reason {
            if self.read_only.is_none() || self.journal_down {
                self.read_only = Some(r);
                self.journal_down = unreachable;
            }
        } else if std::mem::take(&mut self.journal_down) {
            self.read_only = None;
            self.say("journal database reachable again: acts are recorded", MsgKind::Info);
        }
    }

    /// The journal writer refused for good (a damaged journal, a full disk): nothing more is written.
    pub fn refuse_acts(&mut self, reason: String) {
        self.read_only = Some(reason);
    }

    /// Source events waiting in the outbox, for the banner and the recommendation.
    pub fn set_backlog(&mut self, backlog: Option<crate::sources::journal::Backlog>) {
        if backlog != self.procs.journal_backlog {
            self.procs.journal_backlog = backlog;
        }
    }

    /// The clock moves on to `now` (never back).
    pub fn advance_now(&mut self, now: DateTime<Utc>) {
        self.now = now.max(self.now);
    }

    /// A past moment (the time machine): its state and clock; no live data.
    pub fn show_moment(&mut self, state: SessionState, now: DateTime<Utc>) {
        self.state = state;
        self.now = now;
        self.live = Live::default();
        self.procs = Default::default();
    }

    /// The time machine opened on its own probes nothing.
    pub fn without_probes(&mut self) {
        self.runbook.probes.clear();
    }

    /// This console's presence and the roster of the session.
    pub fn team_mut(&mut self) -> &mut super::presence::Team {
        &mut self.team
    }

    /// The operator has seen alarm `key` (`B` opened on it).
    pub fn review_alarm(&mut self, key: String) {
        self.procs.alarms_reviewed.insert(key);
    }

    /// The status-update template was opened for the update due at `due`.
    pub fn prompted_update(&mut self, due: DateTime<Utc>) {
        self.update_prompted = Some(due);
    }

    /// An automatic escalation: ring the terminal bell at the next draw.
    pub fn ring_bell(&mut self) {
        self.bell = true;
    }

    /// Whether to ring the bell now (once per escalation).
    pub fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell)
    }

    /// The message history was read (opened, or closed after reading as messages arrived).
    pub fn messages_read(&mut self) {
        self.messages.mark_read();
    }

    /// A run's output as far as it is known (a start: empty; a past run: read back from its file).
    pub fn keep_output(&mut self, key: String, output: super::wiring::RunOutput) {
        self.procs.outputs.insert(key, output);
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

/// An automatic escalation written in the last few seconds (by this console or
/// another on the same session) rings the bell; one replayed at start-up does not.
fn rings_bell(r: &Record, now: DateTime<Utc>) -> bool {
    r.kind == "incident.escalated"
        && r.data.get("automatic").and_then(|a| a.as_bool()) == Some(true)
        && (now - r.ts) < chrono::Duration::seconds(10)
}

#[cfg(test)]
mod bell_tests {
    use super::*;
    use crate::domain::event::EventKind;

    fn escalated(automatic: bool, ts: DateTime<Utc>) -> Record {
        let ev = EventKind::IncidentEscalated { level: "L2".into(), automatic };
        Record::new(crate::domain::record::GENESIS, 1, ts, "ana", &ev)
    }

    #[test]
    fn only_a_fresh_automatic_escalation_rings() {
        let now = Utc::now();
        assert!(rings_bell(&escalated(true, now - chrono::Duration::seconds(2)), now));
        assert!(!rings_bell(&escalated(false, now), now), "escalating by hand rings nothing");
        assert!(!rings_bell(&escalated(true, now - chrono::Duration::minutes(5)), now), "replayed at start-up");
    }
}

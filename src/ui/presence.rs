//! Presence in the console (docs/console.md): this console announces itself
//! once a second (`sources::presence`; on a PostgreSQL session also in the
//! database, so consoles on other hosts see it), reads who else is on the session, and
//! says when someone joins or leaves. The roster is drawn by the status line
//! and the `W` overlay.

use chrono::{DateTime, Utc};

use crate::domain::presence::{self, Presence};
use crate::sources::presence::{roster, Announcer};

use super::app::{App, MsgKind};
use super::overlay::rollback::Stage;
use super::overlay::Overlay;
use super::session::Session;
use super::text::clean;

/// What the app knows about the team (no I/O: the session fills it in).
#[derive(Clone, Debug)]
pub struct Team {
    /// Consoles on the session, this one included, oldest first.
    pub roster: Vec<Presence>,
    /// This console's id in the roster (`host-pid`), once announced.
    pub me: Option<String>,
    /// Last key or mouse input here.
    pub last_input: DateTime<Utc>,
    /// The roster has been read once (no join notices for those already there).
    pub seen: bool,
}

impl Team {
    pub fn new(now: DateTime<Utc>) -> Team {
        Team { roster: Vec::new(), me: None, last_input: now, seen: false }
    }

    /// Whether this console journals what the sources see (probe changes,
    /// automatic verdicts, alarms, automatic escalation): only the console
    /// present longest among those that may write. Every console watches and
    /// judges; one writes, so three open consoles do not journal each change
    /// three times. When it goes away, the next in the roster takes over
    /// within seconds. Until this console knows the roster (or without one),
    /// it writes. docs/console.md, "Presence".
    pub fn records_sources(&self) -> bool {
        let Some(me) = &self.me else { return true };
        match self.roster.iter().find(|p| !p.read_only) {
            Some(first) => first.console_id() == *me,
            None => true,
        }
    }
}

/// What this console is doing, in words, for the others' roster.
pub fn doing(app: &App) -> String {
    match app.view.overlay.top() {
        Some(Overlay::Rollback(d)) => {
            let id = app.model.runbook.rollbacks.get(d.selected).map(|r| clean(&r.id)).unwrap_or_default();
            match &d.stage {
                Stage::Typing { fire: true, .. } | Stage::YesNo => format!("confirming ROLLBACK {id}"),
                Stage::Typing { fire: false, .. } => format!("approving rollback {id}"),
                Stage::Output { .. } => format!("reading rollback {id} output"),
                Stage::Again => format!("deciding whether to run rollback {id} again"),
                Stage::List => "choosing a rollback".into(),
            }
        }
        Some(Overlay::Decision(_)) => "recording a decision".into(),
        Some(Overlay::Templates(_)) => "writing a team message".into(),
        Some(Overlay::Walkthrough(_)) => "walking through the checklist".into(),
        Some(Overlay::Confirm(c)) => format!("answering: {}", clean(&c.title)),
        Some(Overlay::Declare(_)) => "declaring an incident".into(),
        Some(Overlay::Handover(_)) => "reading the handover".into(),
        Some(Overlay::Note(_)) => "writing a note".into(),
        Some(Overlay::Activity { .. }) => "reading the activity feed".into(),
        _ => format!("watching {}", app.view.focus.title()),
    }
}

impl Session {
    /// Starts announcing this console; a failure is a message, never fatal
    /// (the console works without presence).
    pub fn start_presence(&mut self) {
        let now = Utc::now();
        let me = Presence {
            operator: self.app.model.operator.clone(),
            user: crate::sources::presence::unix_user(),
            host: crate::sources::presence::hostname(),
            pid: std::process::id(),
            read_only: self.app.model.read_only.is_some(),
            since: now,
            heartbeat: now,
            last_input: now,
            doing: doing(&self.app),
        };
        self.app.model.team_mut().me = Some(me.console_id());
        match Announcer::start(self.journal.path(), me) {
            Ok(a) => self.announcer = Some(a),
            Err(e) => self.app.say(format!("presence: others will not see this console ({e})"), MsgKind::Warn),
        }
        self.presence_tick(now);
    }

    /// Once a second: our heartbeat out, the roster in, join/leave notices.
    pub fn presence_tick(&mut self, now: DateTime<Utc>) {
        if let Some(a) = self.announcer.as_mut() {
            a.me.operator = self.app.model.operator.clone();
            a.me.read_only = self.app.model.read_only.is_some();
            a.me.last_input = self.app.model.team.last_input;
            a.me.doing = doing(&self.app);
            let _ = a.beat(now);
        }
        let host =
            self.announcer.as_ref().map(|a| a.me.host.clone()).unwrap_or_else(crate::sources::presence::hostname);
        // A database session's consoles may be on other hosts: the roster is kept there.
        let mine = self.announcer.as_ref().map(|a| a.me.clone());
        let fresh = match self.journal.database_presence(mine.as_ref(), now) {
            Some(r) => r,
            None => roster(self.journal.path(), &host, now),
        };
        let me = self.app.model.team.me.clone();
        let (joined, left) = presence::changes(&self.app.model.team.roster, &fresh);
        let others = |v: Vec<&Presence>| -> Vec<String> {
            v.into_iter()
                .filter(|p| Some(p.console_id()) != me)
                .map(|p| format!("{}{}", clean(&p.operator), if p.read_only { " (read-only)" } else { "" }))
                .collect()
        };
        let (joined, left) = (others(joined), others(left));
        if self.app.model.team.seen && (!joined.is_empty() || !left.is_empty()) {
            let mut parts = Vec::new();
            if !joined.is_empty() {
                parts.push(format!("{} joined", joined.join(", ")));
            }
            if !left.is_empty() {
                parts.push(format!("{} left", left.join(", ")));
            }
            self.app.say(format!("{} (W: who is here)", parts.join(" · ")), MsgKind::Info);
        }
        // Seen once this console is in it: the database's roster comes a beat later, and
        // those already there when it first arrives have not just joined.
        let seen = self.announcer.is_none() || fresh.iter().any(|p| Some(p.console_id()) == me);
        let team = self.app.model.team_mut();
        team.roster = fresh;
        team.seen |= seen;
    }
}

impl Session {
    /// `H`: reads the whole journal (the app keeps only the folded state) and
    /// opens the handover since the start of the current shift.
    pub fn open_handover(&mut self) {
        use crate::domain::{handover, shift};
        let now = crate::sources::clock::now();
        let records = match crate::sources::journal::Journal::open_read_only(self.journal.path()) {
            Ok(o) => o.records,
            Err(e) => {
                self.app.say(format!("handover: could not read the journal: {e}"), MsgKind::Error);
                return;
            }
        };
        let rb = &self.app.model.runbook;
        let since = handover::default_since(rb, &records, now);
        let h = handover::build(rb, &records, since, now);
        let view = super::overlay::handover::HandoverView {
            since,
            shift: shift::current(rb, now).map(|o| o.label()),
            markdown: handover::markdown(&h),
            scroll: 0,
        };
        self.app.open(Overlay::Handover(view));
    }
}

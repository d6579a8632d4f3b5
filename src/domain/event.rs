//! What the journal records (docs/journal.md). A record's `kind` + `data` deserialize
//! into `EventKind`; unknown kinds (from a newer warroom) are kept as raw
//! records and skipped by the fold, never fatal.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Na,
    #[default]
    Pending,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Na => "na",
            Verdict::Pending => "pending",
        }
    }
    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "pass" => Some(Verdict::Pass),
            "fail" => Some(Verdict::Fail),
            "na" => Some(Verdict::Na),
            "pending" => Some(Verdict::Pending),
            _ => None,
        }
    }
}

/// Who set a verdict: a person, the auto-binding, or a person overriding the auto-binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MarkSource {
    #[default]
    Manual,
    Auto,
    Override,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    #[serde(rename = "GO")]
    Go,
    #[serde(rename = "NO-GO")]
    NoGo,
    #[serde(rename = "ROLLBACK")]
    Rollback,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Go => "GO",
            Decision::NoGo => "NO-GO",
            Decision::Rollback => "ROLLBACK",
        }
    }
}

/// How a process run (step or rollback) ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunOutcome {
    /// Exit code 0.
    Ok,
    /// Non-zero exit code or killed by a signal it was not sent by us.
    Failed,
    TimedOut,
    /// Stopped by an operator (abort key or quit).
    Aborted,
    /// Could not be started at all (e.g. /bin/sh missing); `error` says why.
    Error,
    /// The console that ran it went away (killed, crashed, its machine
    /// lost) before the run's end was journaled; another console or command
    /// noticed, stopped what was left of it and journaled this (`error` says
    /// whose run it was and why it is taken as over).
    Interrupted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeHealth {
    Up,
    Down,
}

/// What a process was started for; steps and rollbacks share the runner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunKind {
    Step,
    Rollback,
}

impl RunKind {
    /// `step` or `rollback`, as messages, output file names and event kinds say it.
    pub fn noun(self) -> &'static str {
        match self {
            RunKind::Step => "step",
            RunKind::Rollback => "rollback",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data")]
pub enum EventKind {
    /// A console or CLI attached to the session. `runbook` is the runbook id.
    #[serde(rename = "session.opened")]
    SessionOpened {
        runbook: String,
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<String>,
        /// The runbook file the console opened (absolute), so `report` can
        /// find it later without `--runbook`. Absent in older journals.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        /// SHA-256 of the runbook file's bytes: a console opened with another
        /// file of the same id is told before it joins (`session_runbook`).
        /// Absent in older journals.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runbook_sha256: Option<String>,
        /// The titles a report needs when the runbook file is gone. Absent in
        /// older journals. Boxed: every event moves through the app, most without it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outline: Option<Box<super::session_runbook::Outline>>,
    },
    #[serde(rename = "session.closed")]
    SessionClosed {},
    /// The person at the keyboard changed (pairing in one tmux session).
    #[serde(rename = "operator.switched")]
    OperatorSwitched { from: String, to: String },

    #[serde(rename = "criterion.marked")]
    CriterionMarked {
        criterion: String,
        verdict: Verdict,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        #[serde(default)]
        source: MarkSource,
        /// For auto verdicts: what caused it ("probe homepage DOWN: [STATUS] == 200 failed (503)").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<String>,
    },
    #[serde(rename = "note.added")]
    NoteAdded { text: String },

    #[serde(rename = "step.started")]
    StepStarted {
        step: String,
        run: u32,
        /// The command line as run (vars substituted; never holds env: secrets).
        command: String,
        /// Output file name, relative to the journal's folder.
        output: String,
    },
    #[serde(rename = "step.finished")]
    StepFinished {
        step: String,
        run: u32,
        outcome: RunOutcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signal: Option<i32>,
        duration_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    /// A manual step ticked (done = true) or unticked.
    #[serde(rename = "step.ticked")]
    StepTicked { step: String, done: bool },
    /// An operator lets later steps run although this one failed with on_fail = stop.
    #[serde(rename = "step.overridden")]
    StepOverridden { step: String, reason: String },

    #[serde(rename = "probe.changed")]
    ProbeChanged {
        probe: String,
        health: ProbeHealth,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<String>,
    },

    #[serde(rename = "decision.recorded")]
    DecisionRecorded {
        decision: Decision,
        reason: String,
        /// The recommendation on screen when it was taken, for the post-mortem.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recommendation: Option<String>,
        /// Critical criteria failing when it was recorded, which the operator
        /// explicitly overrode (GO, or NO-GO against a GO recommendation).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        overrides: Vec<String>,
        /// The decision recorded by someone else while this one was being
        /// taken, which the operator was shown and chose to replace
        /// ("GO by ana at 10:01:02Z").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        supersedes: Option<String>,
    },

    #[serde(rename = "incident.declared")]
    IncidentDeclared {
        /// Escalation level name it starts at (e.g. "L1").
        level: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
    },
    #[serde(rename = "incident.escalated")]
    IncidentEscalated {
        level: String,
        /// true when the clock ran out, false when escalated by hand.
        #[serde(default)]
        automatic: bool,
    },
    #[serde(rename = "incident.acknowledged")]
    IncidentAcknowledged { level: String },
    #[serde(rename = "incident.resolved")]
    IncidentResolved {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },

    /// The open incident's severity set or changed (`[[severity]]` id): its
    /// clocks follow the new severity's targets (`domain::severity`).
    #[serde(rename = "incident.severity")]
    IncidentSeverity { severity: String },
    /// The impact is stopped (the service works again), though the incident is
    /// not closed yet: stops the mitigation clock.
    #[serde(rename = "incident.mitigated")]
    IncidentMitigated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The incoming person read the handover (`domain::handover`) and took over.
    #[serde(rename = "handover.acknowledged")]
    HandoverAcknowledged {
        /// Start of the period the handover covered (journal time form).
        since: String,
        /// The shift taken over, as "role (who)", when the runbook has shifts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shift: Option<String>,
    },

    #[serde(rename = "trigger.fired")]
    TriggerFired { trigger: String, propose: String, cause: String },
    #[serde(rename = "trigger.cleared")]
    TriggerCleared { trigger: String },

    #[serde(rename = "rollback.approved")]
    RollbackApproved { rollback: String },
    #[serde(rename = "rollback.started")]
    RollbackStarted { rollback: String, run: u32, command: String, output: String },
    #[serde(rename = "rollback.finished")]
    RollbackFinished {
        rollback: String,
        run: u32,
        outcome: RunOutcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signal: Option<i32>,
        duration_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },

    /// A communication template copied to the clipboard.
    #[serde(rename = "message.copied")]
    MessageCopied { template: String, text: String },
    /// A template delivered to a channel (HTTP 2xx). `on` is the event kind
    /// that sent it automatically (`send_on`), absent when sent by hand.
    /// Never holds the channel's URL or headers.
    #[serde(rename = "message.sent")]
    MessageSent {
        template: String,
        channel: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on: Option<String>,
        attempts: u32,
        status: u16,
        text: String,
    },
    /// A delivery that gave up after its last attempt: the last HTTP status
    /// (when there was a response) and the error in words.
    #[serde(rename = "message.failed")]
    MessageFailed {
        template: String,
        channel: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on: Option<String>,
        attempts: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        error: String,
    },
    /// T-0 of a days-long go-live set from the console or `warroom t0`
    /// (RFC 3339, UTC); wins over the runbook's `t0`.
    #[serde(rename = "t0.set")]
    T0Set { t0: chrono::DateTime<chrono::Utc> },
}

impl EventKind {
    /// The `kind` string as written in the journal.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::SessionOpened { .. } => "session.opened",
            EventKind::SessionClosed {} => "session.closed",
            EventKind::OperatorSwitched { .. } => "operator.switched",
            EventKind::CriterionMarked { .. } => "criterion.marked",
            EventKind::NoteAdded { .. } => "note.added",
            EventKind::StepStarted { .. } => "step.started",
            EventKind::StepFinished { .. } => "step.finished",
            EventKind::StepTicked { .. } => "step.ticked",
            EventKind::StepOverridden { .. } => "step.overridden",
            EventKind::ProbeChanged { .. } => "probe.changed",
            EventKind::DecisionRecorded { .. } => "decision.recorded",
            EventKind::IncidentDeclared { .. } => "incident.declared",
            EventKind::IncidentEscalated { .. } => "incident.escalated",
            EventKind::IncidentAcknowledged { .. } => "incident.acknowledged",
            EventKind::IncidentResolved { .. } => "incident.resolved",
            EventKind::IncidentSeverity { .. } => "incident.severity",
            EventKind::IncidentMitigated { .. } => "incident.mitigated",
            EventKind::HandoverAcknowledged { .. } => "handover.acknowledged",
            EventKind::TriggerFired { .. } => "trigger.fired",
            EventKind::TriggerCleared { .. } => "trigger.cleared",
            EventKind::RollbackApproved { .. } => "rollback.approved",
            EventKind::RollbackStarted { .. } => "rollback.started",
            EventKind::RollbackFinished { .. } => "rollback.finished",
            EventKind::MessageCopied { .. } => "message.copied",
            EventKind::MessageSent { .. } => "message.sent",
            EventKind::MessageFailed { .. } => "message.failed",
            EventKind::T0Set { .. } => "t0.set",
        }
    }

    /// Every `kind` this version writes, for checking `send_on` lists.
    pub const KINDS: &'static [&'static str] = &[
        "session.opened",
        "session.closed",
        "operator.switched",
        "criterion.marked",
        "note.added",
        "step.started",
        "step.finished",
        "step.ticked",
        "step.overridden",
        "probe.changed",
        "decision.recorded",
        "incident.declared",
        "incident.escalated",
        "incident.acknowledged",
        "incident.resolved",
        "trigger.fired",
        "trigger.cleared",
        "rollback.approved",
        "rollback.started",
        "rollback.finished",
        "message.copied",
        "message.sent",
        "message.failed",
        "t0.set",
        "incident.severity",
        "incident.mitigated",
        "handover.acknowledged",
    ];

    /// Splits into the journal's `kind` and `data` fields.
    pub fn to_parts(&self) -> (String, serde_json::Value) {
        let v = serde_json::to_value(self).expect("event kinds always serialize");
        let data = v.get("data").cloned().unwrap_or_else(|| serde_json::json!({}));
        (self.name().to_string(), data)
    }

    /// Rebuilds from `kind` + `data`; `None` for kinds this version does not know.
    pub fn from_parts(kind: &str, data: &serde_json::Value) -> Option<EventKind> {
        use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};
        use serde::de::IntoDeserializer;
        use serde::Deserialize;
        // Deserialize from `{kind, data}` without copying `data` into a new JSON
        // object: replaying a long journal folds every record through here.
        let kind_de: serde_json::Value = serde_json::Value::String(kind.to_string());
        let entries = [("kind", &kind_de), ("data", data)]
            .into_iter()
            .map(|(k, v)| (BorrowedStrDeserializer::<serde_json::Error>::new(k), v.into_deserializer()));
        EventKind::deserialize(MapDeserializer::new(entries)).ok()
    }

    /// Why a record of a kind this version knows could not be read (a field
    /// missing or of the wrong type); `None` when it reads, or when the kind is
    /// unknown (a newer version's record: skipped and counted, not an error).
    pub fn parse_problem(kind: &str, data: &serde_json::Value) -> Option<String> {
        let whole = serde_json::json!({ "kind": kind, "data": data });
        match serde_json::from_value::<EventKind>(whole) {
            Ok(_) => None,
            // serde's own wording for an enum tag it does not know.
            Err(e) if e.to_string().starts_with("unknown variant") => None,
            Err(e) => Some(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_parts() {
        let e = EventKind::CriterionMarked {
            criterion: "homepage-200".into(),
            verdict: Verdict::Pass,
            note: Some("checked by hand".into()),
            source: MarkSource::Manual,
            cause: None,
        };
        let (k, d) = e.to_parts();
        assert_eq!(k, "criterion.marked");
        assert_eq!(d["verdict"], "pass");
        assert_eq!(EventKind::from_parts(&k, &d), Some(e));
        let closed = EventKind::SessionClosed {};
        let (k, d) = closed.to_parts();
        assert_eq!(EventKind::from_parts(&k, &d), Some(closed));
        assert_eq!(EventKind::from_parts("future.kind", &serde_json::json!({})), None);
    }
}

#[cfg(test)]
mod kinds_tests {
    use super::*;

    #[test]
    fn kinds_lists_every_name() {
        let samples = [
            EventKind::MessageSent {
                template: "t".into(),
                channel: "c".into(),
                on: None,
                attempts: 1,
                status: 200,
                text: "x".into(),
            },
            EventKind::T0Set { t0: chrono::DateTime::from_timestamp(0, 0).unwrap() },
            EventKind::DecisionRecorded {
                decision: Decision::Go,
                reason: "r".into(),
                recommendation: None,
                overrides: vec![],
                supersedes: None,
            },
        ];
        for e in samples {
            assert!(EventKind::KINDS.contains(&e.name()), "{} missing from KINDS", e.name());
        }
        // Every name `name()` can return (read from this file at compile time),
        // so a kind added later cannot be forgotten in `send_on` checks.
        let src = include_str!("event.rs");
        let named: Vec<&str> =
            src.lines().filter(|l| l.trim_start().starts_with("EventKind::") && l.contains("} => \"")).collect();
        assert!(named.len() >= 20, "read {} names from event.rs", named.len());
        for line in named {
            let name = line.split("=> \"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default();
            assert!(EventKind::KINDS.contains(&name), "{name} missing from EventKind::KINDS");
        }
    }
}

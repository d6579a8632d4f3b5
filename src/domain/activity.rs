//! Who did what, in a few words: the lines of the activity feed and the
//! notices a console raises when another console or command acts
//! (docs/console.md, "Notes and others' acts"). Pure: a journal record in, a
//! line out; what sources produce by themselves (probe changes, automatic
//! verdicts, alarms) is not an act and gives nothing.

use chrono::{DateTime, Utc};

use super::event::{EventKind, MarkSource, RunOutcome};
use super::record::Record;

/// One act, as the feed lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    pub at: DateTime<Utc>,
    pub by: String,
    /// What they did, after their name: "marked db-backup PASS".
    pub text: String,
    /// A note (`note.added`): the feed shows notes apart.
    pub note: bool,
}

/// "ok exit 0", "failed exit 127", "aborted".
pub fn outcome_words(outcome: RunOutcome, exit_code: Option<i32>) -> String {
    match exit_code {
        Some(c) => format!("{} exit {c}", outcome.label()),
        None => outcome.label().to_string(),
    }
}

/// The act a record is, or `None` for what is not a person's act.
pub fn describe(r: &Record) -> Option<Act> {
    // The kinds sources write most (every probe change, every automatic
    // verdict) are told apart without reading the event: a long journal is
    // replayed through here at start.
    let by_source = matches!(
        r.kind.as_str(),
        "probe.changed" | "trigger.fired" | "trigger.cleared" | "session.opened" | "session.closed"
    ) || (r.kind == "criterion.marked"
        && r.data.get("source").and_then(|s| s.as_str()) == Some("auto"));
    if by_source {
        return None;
    }
    let ev = r.event()?;
    if !is_an_act(&ev) {
        return None;
    }
    let note = matches!(ev, EventKind::NoteAdded { .. });
    Some(Act { at: r.ts, by: r.operator.clone(), text: sentence(&ev), note })
}

/// Whether a person did this (the feed and the notices list only those):
/// not what sources write by themselves, nor a console's automatic send.
fn is_an_act(ev: &EventKind) -> bool {
    !matches!(
        ev,
        EventKind::CriterionMarked { source: MarkSource::Auto, .. }
            | EventKind::SessionOpened { .. }
            | EventKind::SessionClosed {}
            | EventKind::ProbeChanged { .. }
            | EventKind::TriggerFired { .. }
            | EventKind::TriggerCleared { .. }
            | EventKind::MessageSent { on: Some(_), .. }
    )
}

/// Any event as what its author did, after their name ("marked db-backup
/// PASS", "probe api is DOWN (…)"): the activity feed, the notices and plain
/// mode's lines say the same words. Outside text is left as written; whoever
/// prints it cleans it.
pub fn sentence(ev: &EventKind) -> String {
    match ev {
        EventKind::NoteAdded { text } => format!("noted: {text}"),
        EventKind::CriterionMarked { criterion, verdict, source: MarkSource::Auto, note, cause } => {
            let why = cause.as_ref().or(note.as_ref()).map(|n| format!(" ({n})")).unwrap_or_default();
            format!("marked {criterion} {} automatically{why}", verdict.label())
        }
        EventKind::CriterionMarked { criterion, verdict, note: why, .. } => {
            let why = why.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
            format!("marked {criterion} {}{why}", verdict.label())
        }
        EventKind::StepStarted { step, run, .. } => format!("started step {step} (run {run})"),
        EventKind::StepFinished { step, run, outcome, exit_code, duration_ms, .. } => format!(
            "ended step {step} run {run}: {} after {}",
            outcome_words(*outcome, *exit_code),
            super::labels::duration(*duration_ms)
        ),
        EventKind::StepTicked { step, done: true } => format!("ticked step {step} done"),
        EventKind::StepTicked { step, done: false } => format!("unticked step {step}"),
        EventKind::StepOverridden { step, reason } => format!("let later steps run past {step}: {reason}"),
        EventKind::DecisionRecorded { decision, reason, overrides, .. } => {
            // Overriding failing critical criteria is said with the decision, never left to the record.
            let over = match overrides.len() {
                0 => String::new(),
                n => format!(" (overriding {n} failing critical: {})", overrides.join(", ")),
            };
            format!("recorded the decision {}: {reason}{over}", decision.as_str())
        }
        EventKind::IncidentDeclared { level, summary } => match summary {
            Some(summary) => format!("declared an incident: {summary} (level {level})"),
            None => format!("declared an incident (level {level})"),
        },
        EventKind::IncidentEscalated { level, automatic: false } => format!("escalated the incident to {level}"),
        EventKind::IncidentEscalated { level, automatic: true } => {
            format!("noted the escalation to {level} (its time was up)")
        }
        EventKind::IncidentAcknowledged { level } => format!("acknowledged {level}"),
        EventKind::IncidentResolved { .. } => "resolved the incident".to_string(),
        EventKind::IncidentSeverity { severity } => format!("set the incident's severity to {severity}"),
        EventKind::IncidentMitigated { .. } => "marked the incident mitigated".to_string(),
        EventKind::HandoverAcknowledged { .. } => "took over (handover acknowledged)".to_string(),
        EventKind::RollbackApproved { rollback } => format!("approved rollback {rollback}"),
        EventKind::RollbackStarted { rollback, run, .. } => format!("fired rollback {rollback} (run {run})"),
        EventKind::RollbackFinished { rollback, run, outcome, exit_code, .. } => {
            format!("ended rollback {rollback} run {run}: {}", outcome_words(*outcome, *exit_code))
        }
        EventKind::MessageCopied { template, .. } => format!("copied the {template} message"),
        EventKind::OperatorSwitched { to, .. } => format!("handed the keyboard to {to}"),
        EventKind::MessageSent { template, channel, on: None, .. } => {
            format!("sent the {template} message to {channel}")
        }
        EventKind::MessageSent { template, channel, on: Some(on), .. } => {
            format!("sent the {template} message to {channel} (automatic, on {on})")
        }
        // A delivery that failed is told whoever triggered it: the channel needs a look.
        EventKind::MessageFailed { template, channel, error, .. } => {
            format!("could not send the {template} message to {channel}: {error}")
        }
        EventKind::T0Set { t0 } => format!("set T-0 to {}", t0.format("%Y-%m-%d %H:%M UTC")),
        EventKind::SessionOpened { .. } => "joined the session".to_string(),
        EventKind::SessionClosed {} => "left the session".to_string(),
        EventKind::ProbeChanged { probe, health, cause } => {
            let why = cause.as_ref().map(|c| format!(" ({c})")).unwrap_or_default();
            format!("probe {probe} is {}{why}", health.label())
        }
        EventKind::TriggerFired { trigger, propose, cause } => {
            format!("ALARM {trigger}: {cause} — proposes rollback {propose}")
        }
        EventKind::TriggerCleared { trigger } => format!("alarm {trigger} cleared"),
    }
}

/// Whether a note names the item `id` as a word of its own ("db-backup
/// checked" names `db-backup`, not `db`): the note then shows in the item's
/// details. Ids are letters, digits, `-`, `_` and `.`.
pub fn names(text: &str, id: &str) -> bool {
    if id.is_empty() {
        return false;
    }
    let is_id = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let mut from = 0;
    while let Some(i) = text[from..].find(id) {
        let start = from + i;
        let end = start + id.len();
        let before = text[..start].chars().next_back();
        // A sentence's full stop after the id still ends it.
        let rest = &text[end..];
        let after_ok = match rest.chars().next() {
            None => true,
            Some('.') => rest[1..].chars().next().is_none_or(|c| !is_id(c)),
            Some(c) => !is_id(c),
        };
        if before.is_none_or(|c| !is_id(c)) && after_ok {
            return true;
        }
        from = start + id.chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::Verdict;
    use crate::domain::record::GENESIS;

    fn rec(by: &str, ev: EventKind) -> Record {
        Record::new(GENESIS, 1, Utc::now(), by, &ev)
    }

    #[test]
    fn a_persons_mark_is_an_act_an_automatic_one_is_not() {
        let mark = |source| EventKind::CriterionMarked {
            criterion: "db-backup".into(),
            verdict: Verdict::Pass,
            note: None,
            source,
            cause: None,
        };
        let act = describe(&rec("ben", mark(MarkSource::Manual))).unwrap();
        assert_eq!(format!("{} {}", act.by, act.text), "ben marked db-backup PASS");
        assert_eq!(describe(&rec("ben", mark(MarkSource::Auto))), None);
        let probe = EventKind::ProbeChanged {
            probe: "api".into(),
            health: crate::domain::event::ProbeHealth::Down,
            cause: None,
        };
        assert_eq!(describe(&rec("ben", probe)), None);
    }

    #[test]
    fn runs_say_their_outcome_and_exit() {
        let ev = EventKind::RollbackFinished {
            rollback: "undo".into(),
            run: 1,
            outcome: RunOutcome::Failed,
            exit_code: Some(127),
            signal: None,
            duration_ms: 4,
            error: None,
        };
        assert_eq!(describe(&rec("ana", ev)).unwrap().text, "ended rollback undo run 1: failed exit 127");
        let note = describe(&rec("ben", EventKind::NoteAdded { text: "DNS switched".into() })).unwrap();
        assert!(note.note);
        assert_eq!(note.text, "noted: DNS switched");
    }

    #[test]
    fn a_note_names_an_item_as_a_whole_word() {
        assert!(names("db-backup checked by hand", "db-backup"));
        assert!(names("checked db-backup.", "db-backup"));
        assert!(names("(api) is back", "api"));
        assert!(!names("db-backup checked", "db"));
        assert!(!names("the api-gateway is slow", "api"));
        assert!(!names("rapid recovery", "api"));
        assert!(names("rapid recovery of api", "api"), "a later whole-word mention counts");
    }

    #[test]
    fn a_decision_overriding_failing_criteria_says_so() {
        let ev = EventKind::DecisionRecorded {
            decision: crate::domain::event::Decision::Go,
            reason: "all good".into(),
            recommendation: None,
            overrides: vec!["api-health".into(), "no-errors".into()],
            supersedes: None,
        };
        assert_eq!(
            describe(&rec("ana", ev)).unwrap().text,
            "recorded the decision GO: all good (overriding 2 failing critical: api-health, no-errors)"
        );
    }

    #[test]
    fn attempts_are_counted_in_words() {
        use crate::domain::labels::attempts;
        assert_eq!(attempts(0), "before any attempt");
        assert_eq!(attempts(1), "after 1 attempt");
        assert_eq!(attempts(4), "after 4 attempts");
    }
}

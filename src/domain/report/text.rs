//! Words for the report: printable text, events in a sentence, durations, times.

use chrono::{DateTime, Utc};

use crate::domain::event::{EventKind, MarkSource, RunOutcome};

use super::outcome_word;

/// Journal text made safe to print, through the one sanitiser (S1, S3):
/// escape sequences removed whole, other controls shown in caret or `<U+…>`
/// form, bidi controls made visible. Nothing is interpreted (S4).
pub fn printable(s: &str) -> String {
    crate::domain::sanitize::clean(s)
}

/// Multi-line journal text (commands, messages, notes) made safe to print
/// with its line breaks kept: each line cleaned as [`printable`].
pub fn printable_lines(s: &str) -> String {
    crate::domain::sanitize::clean_multiline(s.trim_end_matches(['\n', '\r']))
}

/// Multi-line text on one line (a table cell): the lines joined with ` ⏎ `.
pub fn one_line(s: &str) -> String {
    crate::domain::sanitize::clean_lines(s.trim_end_matches(['\n', '\r'])).join(" ⏎ ")
}

/// `850ms`, `12s`, `3m 04s`, `1h 02m 03s`.
pub fn fmt_duration_ms(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}h {m:02}m {s:02}s")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

/// `2026-02-12 06:14:03 UTC`, plus ` (07:14:03 CET)` when a zone is given.
pub fn fmt_when(ts: &DateTime<Utc>, tz: Option<chrono_tz::Tz>) -> String {
    let utc = ts.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    match tz {
        Some(tz) => format!("{utc} ({})", ts.with_timezone(&tz).format("%H:%M:%S %Z")),
        None => utc,
    }
}

/// One event in a sentence, all outside text printable.
pub fn describe(ev: &EventKind) -> String {
    match ev {
        EventKind::SessionOpened { .. }
        | EventKind::SessionClosed {}
        | EventKind::OperatorSwitched { .. }
        | EventKind::HandoverAcknowledged { .. }
        | EventKind::NoteAdded { .. }
        | EventKind::T0Set { .. } => session_words(ev),
        EventKind::CriterionMarked { .. } | EventKind::ProbeChanged { .. } | EventKind::DecisionRecorded { .. } => {
            evidence_words(ev)
        }
        EventKind::StepStarted { .. }
        | EventKind::StepFinished { .. }
        | EventKind::StepTicked { .. }
        | EventKind::StepOverridden { .. } => step_words(ev),
        EventKind::IncidentDeclared { .. }
        | EventKind::IncidentEscalated { .. }
        | EventKind::IncidentAcknowledged { .. }
        | EventKind::IncidentResolved { .. }
        | EventKind::IncidentSeverity { .. }
        | EventKind::IncidentMitigated { .. } => incident_words(ev),
        EventKind::TriggerFired { .. }
        | EventKind::TriggerCleared { .. }
        | EventKind::RollbackApproved { .. }
        | EventKind::RollbackStarted { .. }
        | EventKind::RollbackFinished { .. } => rollback_words(ev),
        EventKind::MessageCopied { .. } | EventKind::MessageSent { .. } | EventKind::MessageFailed { .. } => {
            message_words(ev)
        }
    }
}

// Each family below is given only its own events (`describe`); the empty
// fallback arm is never taken.

/// Who joined, left or took over, notes and T-0.
fn session_words(ev: &EventKind) -> String {
    let p = |s: &str| printable(s);
    match ev {
        EventKind::SessionOpened { runbook, client, .. } => match client {
            Some(c) => format!("opened the session on runbook {} ({})", p(runbook), p(c)),
            None => format!("opened the session on runbook {}", p(runbook)),
        },
        EventKind::SessionClosed {} => "left the session".into(),
        EventKind::OperatorSwitched { from, to } => format!("operator switched from {} to {}", p(from), p(to)),
        EventKind::HandoverAcknowledged { since, shift } => match shift {
            Some(sh) => format!("acknowledged the handover since {} and took over {}", p(since), p(sh)),
            None => format!("acknowledged the handover since {}", p(since)),
        },
        EventKind::NoteAdded { text } => format!("note: {}", one_line(text)),
        EventKind::T0Set { t0 } => format!("set T-0 to {}", t0.format("%Y-%m-%d %H:%M UTC")),
        _ => String::new(),
    }
}

/// Verdicts, probe health and the decision.
fn evidence_words(ev: &EventKind) -> String {
    let p = |s: &str| printable(s);
    match ev {
        EventKind::CriterionMarked { criterion, verdict, note, source, cause } => {
            let mut s = format!("marked {} {}", p(criterion), verdict.as_str().to_uppercase());
            match source {
                MarkSource::Auto => s.push_str(" (automatic)"),
                MarkSource::Override => s.push_str(" (overriding the automatic verdict)"),
                MarkSource::Manual => {}
            }
            if let Some(c) = cause {
                s.push_str(&format!(": {}", p(c)));
            }
            if let Some(n) = note {
                s.push_str(&format!(" — note: {}", p(n)));
            }
            s
        }
        EventKind::ProbeChanged { probe, health, cause } => {
            let h = health.label();
            match cause {
                Some(c) => format!("probe {} {h}: {}", p(probe), p(c)),
                None => format!("probe {} {h}", p(probe)),
            }
        }
        EventKind::DecisionRecorded { decision, reason, recommendation, overrides, supersedes } => {
            let mut s = format!("recorded the decision {}: {}", decision.as_str(), p(reason));
            if let Some(r) = recommendation {
                s.push_str(&format!(" (recommendation shown: {})", p(r)));
            }
            if !overrides.is_empty() {
                s.push_str(&format!(" — OVERRIDING failing critical criteria: {}", p(&overrides.join(", "))));
            }
            if let Some(old) = supersedes {
                s.push_str(&format!(" — knowingly replacing {}", p(old)));
            }
            s
        }
        _ => String::new(),
    }
}

fn step_words(ev: &EventKind) -> String {
    let p = |s: &str| printable(s);
    match ev {
        EventKind::StepStarted { step, run, command, .. } => {
            format!("started step {} (run {run}): {}", p(step), one_line(command))
        }
        EventKind::StepFinished { step, run, outcome, exit_code, signal, duration_ms, error } => {
            let ended =
                RunEnded { outcome: *outcome, exit_code: *exit_code, signal: *signal, duration_ms: *duration_ms };
            ended.words(format!("step {} run {run}", p(step)), error)
        }
        EventKind::StepTicked { step, done } => {
            format!("{} manual step {}", if *done { "ticked" } else { "unticked" }, p(step))
        }
        EventKind::StepOverridden { step, reason } => {
            format!("let later steps run despite step {} failing: {}", p(step), p(reason))
        }
        _ => String::new(),
    }
}

fn incident_words(ev: &EventKind) -> String {
    let p = |s: &str| printable(s);
    match ev {
        EventKind::IncidentDeclared { level, summary } => {
            // An incident with a severity but no escalation ladder starts at no named level.
            let at = if level.is_empty() { String::new() } else { format!(" at {}", p(level)) };
            match summary {
                Some(sm) => format!("declared an incident{at}: {}", p(sm)),
                None => format!("declared an incident{at}"),
            }
        }
        EventKind::IncidentEscalated { level, automatic } => {
            format!("escalated to {}{}", p(level), if *automatic { " (clock ran out)" } else { "" })
        }
        EventKind::IncidentAcknowledged { level } if level.is_empty() => "acknowledged the incident".into(),
        EventKind::IncidentAcknowledged { level } => format!("acknowledged {}", p(level)),
        EventKind::IncidentResolved { note } => match note {
            Some(n) => format!("resolved the incident: {}", p(n)),
            None => "resolved the incident".into(),
        },
        EventKind::IncidentSeverity { severity } => format!("set the incident's severity to {}", p(severity)),
        EventKind::IncidentMitigated { note } => match note {
            Some(n) => format!("marked the incident mitigated: {}", p(n)),
            None => "marked the incident mitigated".into(),
        },
        _ => String::new(),
    }
}

/// Triggers that propose a rollback, and the rollback's approvals and runs.
fn rollback_words(ev: &EventKind) -> String {
    let p = |s: &str| printable(s);
    match ev {
        EventKind::TriggerFired { trigger, propose, cause } => {
            format!("trigger {} fired ({}), proposing rollback {}", p(trigger), p(cause), p(propose))
        }
        EventKind::TriggerCleared { trigger } => format!("trigger {} cleared", p(trigger)),
        EventKind::RollbackApproved { rollback } => format!("approved rollback {}", p(rollback)),
        EventKind::RollbackStarted { rollback, run, command, .. } => {
            format!("started rollback {} (run {run}): {}", p(rollback), one_line(command))
        }
        EventKind::RollbackFinished { rollback, run, outcome, exit_code, duration_ms, error, .. } => {
            // The signal is left out of a rollback's line, as it always was.
            let ended = RunEnded { outcome: *outcome, exit_code: *exit_code, signal: None, duration_ms: *duration_ms };
            ended.words(format!("rollback {} run {run}", p(rollback)), error)
        }
        _ => String::new(),
    }
}

fn message_words(ev: &EventKind) -> String {
    let p = |s: &str| printable(s);
    match ev {
        EventKind::MessageCopied { template, .. } => format!("copied message {}", p(template)),
        EventKind::MessageSent { template, channel, attempts, status, .. } => {
            format!("sent message {} to {} (HTTP {status}, attempt {attempts})", p(template), p(channel))
        }
        EventKind::MessageFailed { template, channel, attempts, error, .. } => {
            format!("could not send message {} to {} after {attempts} attempts: {}", p(template), p(channel), p(error))
        }
        _ => String::new(),
    }
}

/// How a step's or a rollback's run ended, worded the same for both.
struct RunEnded {
    outcome: RunOutcome,
    exit_code: Option<i32>,
    signal: Option<i32>,
    duration_ms: u64,
}

impl RunEnded {
    /// `<run> failed, exit code 1, after 3s: why`.
    fn words(&self, run: String, error: &Option<String>) -> String {
        let mut s = format!("{run} {}", outcome_word(self.outcome));
        if let Some(c) = self.exit_code {
            s.push_str(&format!(", exit code {c}"));
        }
        if let Some(sig) = self.signal {
            s.push_str(&format!(", signal {sig}"));
        }
        s.push_str(&format!(", after {}", fmt_duration_ms(self.duration_ms)));
        if let Some(e) = error {
            s.push_str(&format!(": {}", printable(e)));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_neutralises_controls_and_bidi() {
        let evil = "ok\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\r\nnext\u{202e}\u{9b}31m\u{7f}";
        let out = printable(evil);
        assert!(out.chars().all(|c| !c.is_control() && !crate::domain::sanitize::is_bidi(c)), "{out:?}");
        assert!(!out.contains("]52;") && out.starts_with("ok") && out.contains("next"), "{out:?}");
        assert_eq!(printable("café 日本 [red] {var} %s"), "café 日本 [red] {var} %s");
    }

    #[test]
    fn durations() {
        assert_eq!(fmt_duration_ms(850), "850ms");
        assert_eq!(fmt_duration_ms(12_000), "12s");
        assert_eq!(fmt_duration_ms(184_000), "3m 04s");
        assert_eq!(fmt_duration_ms(3_723_000), "1h 02m 03s");
    }

    #[test]
    fn local_time_beside_utc() {
        let t = DateTime::parse_from_rfc3339("2026-02-12T06:14:03.512Z").unwrap().with_timezone(&Utc);
        assert_eq!(fmt_when(&t, None), "2026-02-12 06:14:03 UTC");
        assert_eq!(fmt_when(&t, Some(chrono_tz::Europe::Madrid)), "2026-02-12 06:14:03 UTC (07:14:03 CET)");
    }
}

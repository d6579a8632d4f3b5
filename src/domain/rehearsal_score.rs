//! The score of a dress rehearsal (docs/time-machine.md), added to
//! `warroom report` when the journal is a rehearsal's (its `session.opened`
//! title starts with REHEARSAL): how long each phase took, the decisions and
//! when, and the deadlines met or missed — an escalation level not
//! acknowledged before its clock ran out, an alarm never answered by a
//! decision. Pure: records in, Markdown out.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::event::EventKind;
use super::record::Record;
use super::rehearsal::WORD;
use super::runbook::Runbook;

fn hms(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

fn took(a: DateTime<Utc>, b: DateTime<Utc>) -> String {
    let s = (b - a).num_seconds().max(0);
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// An escalation level entered: (level, since, acknowledged at, next level entered automatically at).
type LevelRun = (String, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Whether these records are a rehearsal's.
pub fn is_rehearsal(records: &[Record]) -> bool {
    records.iter().any(|r| {
        r.kind == "session.opened" && r.data.get("title").and_then(|t| t.as_str()).is_some_and(|t| t.starts_with(WORD))
    })
}

/// The score as a Markdown section; `None` when the journal is not a rehearsal's.
pub fn render(rb: Option<&Runbook>, records: &[Record]) -> Option<String> {
    if !is_rehearsal(records) {
        return None;
    }
    let start = records.first()?.ts;
    let mut o = String::from("\n## Rehearsal score\n\n");
    // Time per phase: first run started to last run ended, in the phase.
    let mut phases: BTreeMap<usize, (String, DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
    let mut decisions = Vec::new();
    let mut alarms: Vec<(String, DateTime<Utc>)> = Vec::new();
    let mut levels: Vec<LevelRun> = Vec::new();
    for r in records {
        let Some(ev) = r.event() else { continue };
        let step_phase = |step: &str| -> Option<(usize, String)> {
            let rb = rb?;
            let s = rb.step(step)?;
            let i = rb.phases.iter().position(|p| p.id == s.phase)?;
            Some((i, rb.phases[i].title.clone()))
        };
        match ev {
            EventKind::StepStarted { step, .. } | EventKind::StepFinished { step, .. } => {
                let (i, title) = step_phase(&step).unwrap_or((usize::MAX, "(steps of no known phase)".into()));
                let e = phases.entry(i).or_insert((title, r.ts, r.ts));
                e.1 = e.1.min(r.ts);
                e.2 = e.2.max(r.ts);
            }
            EventKind::DecisionRecorded { decision, .. } => decisions.push((decision, r.operator.clone(), r.ts)),
            EventKind::TriggerFired { trigger, .. } => alarms.push((trigger, r.ts)),
            EventKind::IncidentDeclared { level, .. } => levels.push((level, r.ts, None, None)),
            EventKind::IncidentAcknowledged { .. } => {
                if let Some(l) = levels.last_mut() {
                    l.2.get_or_insert(r.ts);
                }
            }
            EventKind::IncidentEscalated { level, automatic } => {
                if let Some(l) = levels.last_mut() {
                    if automatic && l.2.is_none() {
                        l.3 = Some(r.ts);
                    }
                }
                levels.push((level, r.ts, None, None));
            }
            _ => {}
        }
    }
    // The plan of a phase: the sum of its steps' typical times (`takes`).
    let planned = |i: usize| -> Option<chrono::Duration> {
        let rb = rb?;
        let phase = rb.phases.get(i)?;
        let times: Vec<_> = rb.steps.iter().filter(|s| s.phase == phase.id).filter_map(|s| s.takes).collect();
        (!times.is_empty()).then(|| times.iter().map(|t| t.to_chrono()).fold(chrono::Duration::zero(), |a, b| a + b))
    };
    let _ = writeln!(o, "Phases (first run started → last run ended; planned: the sum of its steps' `takes`):\n");
    if phases.is_empty() {
        let _ = writeln!(o, "- no step was run");
    }
    for (i, (title, a, b)) in &phases {
        let plan = match planned(*i) {
            Some(p) => {
                let actual = *b - *a;
                let verdict = if actual <= p { "within plan" } else { "OVER plan" };
                format!("; planned {} — {verdict}", took(start, start + p))
            }
            None => "; no planned time (no `takes` on its steps)".to_string(),
        };
        let _ = writeln!(o, "- {title}: {} → {} ({}{plan})", hms(*a), hms(*b), took(*a, *b));
    }
    let _ = writeln!(o, "\nDecisions:\n");
    if decisions.is_empty() {
        let _ = writeln!(o, "- none taken");
    }
    for (d, by, at) in &decisions {
        let _ = writeln!(o, "- {} by {by} at {} ({} after the start)", d.as_str(), hms(*at), took(start, *at));
    }
    let mut met = 0;
    let mut missed = 0;
    let mut lines = Vec::new();
    for (level, since, ack, ran_out) in &levels {
        match (ack, ran_out) {
            (Some(a), _) => {
                met += 1;
                lines.push(format!(
                    "- met: escalation level {level} acknowledged {} after it started",
                    took(*since, *a)
                ));
            }
            (None, Some(t)) => {
                missed += 1;
                lines.push(format!(
                    "- MISSED: escalation level {level} not acknowledged before its clock ran out (escalated automatically at {})",
                    hms(*t)
                ));
            }
            (None, None) => {}
        }
    }
    for (trigger, at) in &alarms {
        match decisions.iter().find(|(_, _, d)| d >= at) {
            Some((d, _, when)) => {
                met += 1;
                lines.push(format!(
                    "- met: alarm {trigger} ({}) answered by {} {} later",
                    hms(*at),
                    d.as_str(),
                    took(*at, *when)
                ));
            }
            None => {
                missed += 1;
                lines.push(format!("- MISSED: alarm {trigger} ({}) never answered by a decision", hms(*at)));
            }
        }
    }
    let _ = writeln!(o, "\nDeadlines: {met} met, {missed} missed\n");
    for l in lines {
        let _ = writeln!(o, "{l}");
    }
    Some(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::GENESIS;
    use chrono::TimeZone;

    #[test]
    fn a_level_left_to_run_out_is_a_missed_deadline() {
        let t0 = Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap();
        let evs = [
            EventKind::SessionOpened {
                runbook: "r".into(),
                title: "REHEARSAL — r".into(),
                client: None,
                path: None,
                runbook_sha256: None,
                outline: None,
            },
            EventKind::IncidentDeclared { level: "L1".into(), summary: None },
            EventKind::IncidentEscalated { level: "L2".into(), automatic: true },
            EventKind::IncidentAcknowledged { level: "L2".into() },
        ];
        let mut prev = GENESIS.to_string();
        let records: Vec<Record> = evs
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let r = Record::new(&prev, i as u64 + 1, t0 + chrono::Duration::seconds(30 * i as i64), "ana", e);
                prev = r.hash.clone();
                r
            })
            .collect();
        let text = render(None, &records).unwrap();
        assert!(text.contains("MISSED: escalation level L1"), "{text}");
        assert!(text.contains("met: escalation level L2 acknowledged 30s after it started"), "{text}");
        assert!(text.contains("Deadlines: 1 met, 1 missed"), "{text}");
        assert!(render(None, &records[1..]).is_none(), "not a rehearsal");
    }

    /// With `takes` on a phase's steps, the score compares the phase's time with that plan.
    #[test]
    fn a_phase_longer_than_its_steps_takes_is_over_plan() {
        let rb = crate::domain::loader::load_bytes(
            std::path::Path::new("r.toml"),
            b"[runbook]\nid = \"r\"\ntitle = \"R\"\n[[phase]]\nid = \"deploy\"\ntitle = \"Deploy\"\n[[step]]\nid = \"pull\"\nphase = \"deploy\"\ntitle = \"Pull\"\nrun = \"true\"\ntakes = \"1m\"\n",
        )
        .expect("loads")
        .runbook;
        let t0 = Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap();
        let evs = [
            (
                0,
                EventKind::SessionOpened {
                    runbook: "r".into(),
                    title: "REHEARSAL — R".into(),
                    client: None,
                    path: None,
                    runbook_sha256: None,
                    outline: None,
                },
            ),
            (0, EventKind::StepStarted { step: "pull".into(), run: 1, command: "true".into(), output: "o".into() }),
            (
                90,
                EventKind::StepFinished {
                    step: "pull".into(),
                    run: 1,
                    outcome: crate::domain::event::RunOutcome::Ok,
                    exit_code: Some(0),
                    signal: None,
                    duration_ms: 90_000,
                    error: None,
                },
            ),
        ];
        let mut prev = GENESIS.to_string();
        let records: Vec<Record> = evs
            .iter()
            .enumerate()
            .map(|(i, (s, e))| {
                let r = Record::new(&prev, i as u64 + 1, t0 + chrono::Duration::seconds(*s), "ana", e);
                prev = r.hash.clone();
                r
            })
            .collect();
        let text = render(Some(&rb), &records).unwrap();
        assert!(text.contains("- Deploy: 06:00:00 → 06:01:30 (1m30s; planned 1m00s — OVER plan)"), "{text}");
    }
}

//! The session report (post-mortem): records (+ the runbook, when known) in, a
//! `Report` out, rendered as Markdown (`report::markdown`) or JSON (serde).
//! Pure: `cli/report.rs` reads the files.
//!
//! Every piece of text that came from the journal is made printable
//! (`text::printable`) when the report is built, so neither output can carry
//! control or escape sequences; the Markdown renderer also escapes markup, so
//! a note like `**[click](x)**` shows literally (S3, S4 in docs/requirements.md).

pub mod incident;
mod lists;
pub mod markdown;
pub mod text;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use super::decision::recommend;
use super::event::{EventKind, ProbeHealth, RunOutcome};
use super::record::{format_ts, Record};
use super::runbook::{Runbook, Severity};
use super::session_runbook::Outline;
use super::state::{RunRecord, SessionState, StepStatus};
use text::{fmt_duration_ms, printable, printable_lines};

/// A time in the journal's form (`2026-02-12T06:14:03.512Z`) in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ts(pub DateTime<Utc>);

impl Serialize for Ts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_ts(&self.0))
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub runbook_id: Option<String>,
    pub title: Option<String>,
    /// IANA name of the runbook's time zone, shown beside UTC.
    pub timezone: Option<String>,
    #[serde(skip)]
    pub tz: Option<chrono_tz::Tz>,
    pub records: u64,
    /// Set when the journal is damaged: what and where. The report then
    /// covers only the records before the damage (and `report` exits 1).
    pub damage: Option<String>,
    /// What the journal reader noticed on the way (a torn last line set aside, …).
    pub notices: Vec<String>,
    pub started: Option<Ts>,
    pub ended: Option<Ts>,
    pub duration: Option<String>,
    pub operators: Vec<OperatorActs>,
    pub recommendation: Option<RecommendationReport>,
    pub decision: Option<DecisionReport>,
    pub earlier_decisions: Vec<DecisionReport>,
    pub checklist: Vec<CriterionReport>,
    pub phases: Vec<PhaseReport>,
    pub probe_outages: Vec<Outage>,
    pub incidents: Vec<IncidentReport>,
    /// Per escalation level: who was called, and whether they answered in time (`report::incident`).
    pub escalation: Vec<incident::LevelResponse>,
    pub triggers: Vec<TriggerReport>,
    pub approvals: Vec<ApprovalReport>,
    pub rollbacks: Vec<RollbackReport>,
    pub messages: Vec<MessageReport>,
    pub notes: Vec<NoteReport>,
    pub timeline: Vec<TimelineEntry>,
    /// Records of kinds this version does not know (listed in the timeline).
    pub unknown_records: u64,
    /// Records of known kinds that could not be read: `#seq kind: why`.
    pub malformed_records: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OperatorActs {
    pub operator: String,
    pub acts: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecommendationReport {
    pub label: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DecisionReport {
    pub decision: String,
    pub reason: String,
    pub by: String,
    pub at: Ts,
    /// What the console recommended when it was taken.
    pub recommendation: Option<String>,
    /// Failing critical criteria the operator explicitly overrode.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// Another person's decision it knowingly replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CriterionReport {
    pub id: String,
    pub title: Option<String>,
    pub severity: Option<String>,
    pub verdict: String,
    pub by: Option<String>,
    pub at: Option<Ts>,
    pub note: Option<String>,
    /// manual, auto or override.
    pub source: Option<String>,
    pub cause: Option<String>,
    /// Set when the verdict given is no longer evidence at the report's time
    /// (`valid_for`, `every`): `verdict` is then "pending", and this says
    /// what it was: "expired (pass, ticked Thu 06:00 UTC by ana; valid for 2s)".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired: Option<String>,
    /// Every mark, oldest first (a verdict may change during a window).
    pub history: Vec<MarkReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MarkReport {
    pub verdict: String,
    pub by: String,
    pub at: Ts,
    pub source: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PhaseReport {
    pub id: Option<String>,
    pub title: String,
    pub started: Option<Ts>,
    pub ended: Option<Ts>,
    pub duration: Option<String>,
    pub steps: Vec<StepReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepReport {
    pub id: String,
    pub title: Option<String>,
    pub status: String,
    pub runs: Vec<RunReport>,
    /// Manual steps: (done, by, at).
    pub ticked: Option<(bool, String, Ts)>,
    /// (reason, by, at) when an operator let later steps go on despite a failure.
    pub overridden: Option<(String, String, Ts)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    pub run: u32,
    pub command: String,
    pub output: String,
    pub started: Ts,
    pub by: String,
    pub ended: Option<Ts>,
    pub outcome: Option<String>,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub duration_ms: Option<u64>,
    pub duration: Option<String>,
    pub error: Option<String>,
    /// The end of the run's output file (rollbacks), read by the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_excerpt: Option<OutputExcerpt>,
}

/// The last lines of a run's output, cleaned like everything else here.
#[derive(Clone, Debug, Default, Serialize)]
pub struct OutputExcerpt {
    pub lines: Vec<String>,
    /// Lines before these that are not shown (at least this many, for a very large file).
    pub earlier_lines: u64,
    /// Why there is no output to show (file missing, unreadable, outside the session folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Outage {
    pub probe: String,
    pub down_at: Ts,
    /// `None`: still down at the end of the journal.
    pub up_at: Option<Ts>,
    pub duration: Option<String>,
    pub cause: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IncidentReport {
    pub declared_at: Ts,
    pub declared_by: String,
    pub summary: Option<String>,
    pub levels: Vec<LevelReport>,
    pub resolved_at: Option<Ts>,
    pub resolved_by: Option<String>,
    /// The `[[severity]]` in force at the end (`None` without one).
    pub severity: Option<String>,
    /// Every severity set, in order (the first is the declared one; the
    /// deadlines follow the last, counted from the declaration).
    pub severity_changes: Vec<SeverityChange>,
    pub mitigated_at: Option<Ts>,
    /// Each severity deadline (ack, mitigate, every update): met or missed, and by how much.
    pub clocks: Vec<super::severity::DeadlineReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SeverityChange {
    pub severity: String,
    pub at: Ts,
    pub by: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct LevelReport {
    pub level: String,
    pub since: Ts,
    pub automatic: bool,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<Ts>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TriggerReport {
    pub trigger: String,
    pub fired_at: Ts,
    pub propose: String,
    pub cause: String,
    pub cleared_at: Option<Ts>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ApprovalReport {
    pub rollback: String,
    pub by: String,
    pub at: Ts,
    /// The Unix account that wrote it (absent in older journals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The key that signed it, only when the signature checks out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RollbackReport {
    pub id: String,
    pub title: Option<String>,
    /// Run more than once: worth a line in the ticket (was the second run meant?).
    pub repeated: bool,
    pub runs: Vec<RunReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MessageReport {
    pub template: String,
    pub by: String,
    pub at: Ts,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoteReport {
    pub by: String,
    pub at: Ts,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct TimelineEntry {
    pub seq: u64,
    pub at: Ts,
    pub operator: String,
    pub kind: String,
    /// What happened, in words.
    pub what: String,
}

/// Builds the report from the journal's records (already checked), with the
/// runbook for titles, severities, phases, the recommendation and the time zone.
pub fn build(runbook: Option<&Runbook>, records: &[Record]) -> Report {
    build_at(runbook, records, None)
}

/// `build`, with verdicts that are no longer evidence at `now` shown as
/// pending with the reason (`domain::expiry`; needs the runbook).
pub fn build_at(runbook: Option<&Runbook>, records: &[Record], now: Option<DateTime<Utc>>) -> Report {
    let state = folded(runbook, records, now);
    // Without the runbook file, the titles its session recorded (`session.opened`).
    let outline = if runbook.is_none() { super::session_runbook::outline(records) } else { None };
    let outline = outline.as_ref();
    let tz = runbook.and_then(|rb| rb.timezone).or_else(|| outline?.timezone.as_deref()?.parse().ok());
    Report {
        runbook_id: runbook.map(|rb| rb.id.clone()).or_else(|| session_runbook(records)).map(|s| printable(&s)),
        title: runbook.map(|rb| rb.title.clone()).or_else(|| session_title(records)).map(|s| printable(&s)),
        timezone: tz.map(|tz| tz.name().to_string()),
        tz,
        records: records.len() as u64,
        damage: None,
        notices: Vec::new(),
        started: state.first_at.map(Ts),
        ended: state.last_at.map(Ts),
        duration: match (state.first_at, state.last_at) {
            (Some(a), Some(b)) => Some(fmt_duration_ms((b - a).num_milliseconds().max(0) as u64)),
            _ => None,
        },
        operators: lists::operators(records),
        recommendation: runbook.map(|rb| {
            let r = recommend(rb, &state);
            RecommendationReport { label: r.label(), reason: printable(&r.reason()) }
        }),
        decision: state.decision.as_ref().map(decision_report),
        earlier_decisions: state.decisions.iter().map(decision_report).collect(),
        checklist: checklist(runbook, outline, &state, records),
        phases: phases(runbook, outline, &state),
        probe_outages: outages(&state),
        incidents: incidents(runbook, &state),
        escalation: incident::incident_section(runbook, &state),
        triggers: lists::triggers(&state),
        approvals: lists::approvals(records),
        rollbacks: lists::rollbacks(runbook, outline, &state),
        messages: lists::messages(&state),
        notes: lists::notes(&state),
        timeline: lists::timeline(records),
        unknown_records: state.unknown_records,
        malformed_records: lists::malformed(&state),
    }
}

/// The session as the records leave it; with the runbook and a `now`, the
/// verdicts that are no longer evidence are set back to pending.
fn folded(runbook: Option<&Runbook>, records: &[Record], now: Option<DateTime<Utc>>) -> SessionState {
    let mut state = SessionState::from_records(records);
    if let (Some(rb), Some(now)) = (runbook, now) {
        let t0 = super::countdown::t0(rb, &state);
        super::expiry::apply(&mut state, rb, t0, now);
    }
    state
}

fn decision_report(d: &super::state::DecisionRecord) -> DecisionReport {
    DecisionReport {
        decision: d.decision.as_str().to_string(),
        reason: printable(&d.reason),
        by: printable(&d.by),
        at: Ts(d.at),
        recommendation: d.recommendation.as_deref().map(printable),
        overrides: d.overrides.iter().map(|o| printable(o)).collect(),
        supersedes: d.supersedes.as_deref().map(printable),
    }
}

/// The runbook id recorded when the session was first opened.
pub fn session_runbook(records: &[Record]) -> Option<String> {
    records.iter().find_map(|r| match r.event() {
        Some(EventKind::SessionOpened { runbook, .. }) => Some(runbook),
        _ => None,
    })
}

/// The runbook file recorded when the session was first opened, if any.
pub fn session_runbook_path(records: &[Record]) -> Option<String> {
    records.iter().find_map(|r| match r.event() {
        Some(EventKind::SessionOpened { path, .. }) => path,
        _ => None,
    })
}

fn session_title(records: &[Record]) -> Option<String> {
    records.iter().find_map(|r| match r.event() {
        Some(EventKind::SessionOpened { title, .. }) => Some(title),
        _ => None,
    })
}

fn checklist(
    runbook: Option<&Runbook>,
    outline: Option<&Outline>,
    state: &SessionState,
    records: &[Record],
) -> Vec<CriterionReport> {
    let mut history: BTreeMap<String, Vec<MarkReport>> = BTreeMap::new();
    for r in records {
        if let Some(EventKind::CriterionMarked { criterion, verdict, source, .. }) = r.event() {
            history.entry(criterion).or_default().push(MarkReport {
                verdict: verdict.as_str().to_string(),
                by: printable(&r.operator),
                at: Ts(r.ts),
                source: source.label().to_string(),
            });
        }
    }
    let one = |id: &str, title: Option<String>, severity: Option<String>| {
        let c = state.criteria.get(id);
        CriterionReport {
            id: printable(id),
            title: title.map(|t| printable(&t)),
            severity,
            verdict: state.verdict(id).as_str().to_string(),
            by: c.and_then(|c| c.by.as_deref()).map(printable),
            at: c.and_then(|c| c.at).map(Ts),
            note: c.and_then(|c| c.note.as_deref()).map(printable),
            source: c.filter(|c| c.by.is_some()).map(|c| c.source.label().to_string()),
            cause: c.and_then(|c| c.cause.as_deref()).map(printable),
            expired: c
                .and_then(|c| c.expired.as_ref())
                .map(|e| printable(&e.describe(runbook.and_then(|r| r.timezone)))),
            history: history.get(id).cloned().unwrap_or_default(),
        }
    };
    match runbook {
        Some(rb) => {
            let mut criteria: Vec<_> = rb.criteria.iter().collect();
            criteria.sort_by_key(|c| c.severity);
            let mut out: Vec<_> = criteria
                .into_iter()
                .map(|c| one(&c.id, Some(c.title.clone()), Some(c.severity.as_str().to_string())))
                .collect();
            out.extend(state.criteria.keys().filter(|id| rb.criterion(id).is_none()).map(|id| one(id, None, None)));
            out
        }
        None => match outline {
            Some(o) => {
                let mut criteria: Vec<_> = o.criteria.iter().collect();
                criteria.sort_by_key(|c| severity_rank(&c.2));
                let mut out: Vec<_> =
                    criteria.into_iter().map(|c| one(&c.0, Some(c.1.clone()), Some(printable(&c.2)))).collect();
                out.extend(state.criteria.keys().filter(|id| o.criterion(id).is_none()).map(|id| one(id, None, None)));
                out
            }
            None => state.criteria.keys().map(|id| one(id, None, None)).collect(),
        },
    }
}

/// Critical first, as the checklist shows them; unknown words last.
fn severity_rank(s: &str) -> usize {
    [Severity::Critical, Severity::High, Severity::Medium].iter().position(|v| v.as_str() == s).unwrap_or(usize::MAX)
}

fn run_report(r: &RunRecord) -> RunReport {
    let end = r.finished.as_ref();
    RunReport {
        run: r.run,
        command: printable_lines(&r.command),
        output: printable(&r.output),
        started: Ts(r.started_at),
        by: printable(&r.started_by),
        ended: end.map(|e| Ts(e.at)),
        outcome: end.map(|e| outcome_word(e.outcome).to_string()),
        exit_code: end.and_then(|e| e.exit_code),
        signal: end.and_then(|e| e.signal),
        duration_ms: end.map(|e| e.duration_ms),
        duration: end.map(|e| fmt_duration_ms(e.duration_ms)),
        error: end.and_then(|e| e.error.as_deref()).map(printable),
        output_excerpt: None,
    }
}

/// The outcome's word (`domain::labels`).
pub fn outcome_word(o: RunOutcome) -> &'static str {
    o.label()
}

/// The status's words (`domain::labels`), with what a report reader needs to know beside them.
fn status_word(s: StepStatus) -> String {
    match s {
        StepStatus::Running => format!("{} (no end recorded)", s.words()),
        StepStatus::Done => format!("{} (manual)", s.words()),
        s => s.words().to_string(),
    }
}

fn step_report(id: &str, title: Option<&str>, state: &SessionState) -> StepReport {
    let st = state.steps.get(id);
    StepReport {
        id: printable(id),
        title: title.map(printable),
        status: status_word(state.step_status(id)),
        runs: st.map(|s| s.runs.iter().map(run_report).collect()).unwrap_or_default(),
        ticked: st.and_then(|s| s.ticked.as_ref()).map(|(d, by, at)| (*d, printable(by), Ts(*at))),
        overridden: st
            .and_then(|s| s.overridden.as_ref())
            .map(|(why, by, at)| (printable(why), printable(by), Ts(*at))),
    }
}

fn phase_report(id: Option<String>, title: String, steps: Vec<StepReport>) -> PhaseReport {
    let started = steps.iter().flat_map(|s| s.runs.iter().map(|r| r.started)).min();
    let ended = steps.iter().flat_map(|s| s.runs.iter().filter_map(|r| r.ended)).max();
    let duration = match (started, ended) {
        (Some(a), Some(b)) if b.0 >= a.0 => Some(fmt_duration_ms((b.0 - a.0).num_milliseconds() as u64)),
        _ => None,
    };
    PhaseReport { id, title, started, ended, duration, steps }
}

/// (phase id, phase title, its steps as (id, title)).
type ListedPhase = (String, String, Vec<(String, String)>);

fn phases(runbook: Option<&Runbook>, outline: Option<&Outline>, state: &SessionState) -> Vec<PhaseReport> {
    let mut out = Vec::new();
    // (phase id, phase title, its steps as (id, title)) in runbook order, from
    // the runbook or, without it, from the outline its session recorded.
    let listed: Vec<ListedPhase> = match (runbook, outline) {
        (Some(rb), _) => rb
            .phases
            .iter()
            .map(|ph| {
                let steps = rb.steps_of(&ph.id).map(|s| (s.id.clone(), s.title.clone())).collect();
                (ph.id.clone(), ph.title.clone(), steps)
            })
            .collect(),
        (None, Some(o)) => o
            .phases
            .iter()
            .map(|ph| {
                let steps = o.steps.iter().filter(|s| s.2 == ph.0).map(|s| (s.0.clone(), s.1.clone())).collect();
                (ph.0.clone(), ph.1.clone(), steps)
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    let mut known: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (id, title, steps) in listed {
        known.extend(steps.iter().map(|(s, _)| s.clone()));
        // A phase without steps would be an empty heading in the report.
        if steps.is_empty() {
            continue;
        }
        let steps = steps.iter().map(|(sid, t)| step_report(sid, Some(t), state)).collect();
        out.push(phase_report(Some(printable(&id)), printable(&title), steps));
    }
    // Steps the runbook does not place in one of its phases, or no longer has.
    let mut orphans: Vec<StepReport> = Vec::new();
    match (runbook, outline) {
        (Some(rb), _) => orphans.extend(
            rb.steps.iter().filter(|s| rb.phase(&s.phase).is_none()).map(|s| step_report(&s.id, Some(&s.title), state)),
        ),
        (None, Some(o)) => orphans.extend(
            o.steps
                .iter()
                .filter(|s| !known.contains(&s.0) && state.steps.contains_key(&s.0))
                .map(|s| step_report(&s.0, Some(&s.1), state)),
        ),
        (None, None) => {}
    }
    let listed_anywhere = |id: &str| match (runbook, outline) {
        (Some(rb), _) => rb.step(id).is_some(),
        (None, Some(o)) => o.step_title(id).is_some(),
        (None, None) => false,
    };
    orphans.extend(state.steps.keys().filter(|id| !listed_anywhere(id)).map(|id| step_report(id, None, state)));
    if !orphans.is_empty() {
        let title =
            if runbook.is_some() || outline.is_some() { "Steps not in a phase of the runbook" } else { "Steps" };
        out.push(phase_report(None, title.into(), orphans));
    }
    out
}

/// DOWN→UP spans per probe, in the order they began.
fn outages(state: &SessionState) -> Vec<Outage> {
    let mut open: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out: Vec<Outage> = Vec::new();
    for (probe, ch) in &state.probe_history {
        match ch.health {
            ProbeHealth::Down => {
                if !open.contains_key(probe.as_str()) {
                    open.insert(probe, out.len());
                    out.push(Outage {
                        probe: printable(probe),
                        down_at: Ts(ch.at),
                        up_at: None,
                        duration: None,
                        cause: ch.cause.as_deref().map(printable),
                    });
                }
            }
            ProbeHealth::Up => {
                if let Some(i) = open.remove(probe.as_str()) {
                    let o = &mut out[i];
                    o.up_at = Some(Ts(ch.at));
                    o.duration = Some(fmt_duration_ms((ch.at - o.down_at.0).num_milliseconds().max(0) as u64));
                }
            }
        }
    }
    out
}

fn incidents(runbook: Option<&Runbook>, state: &SessionState) -> Vec<IncidentReport> {
    // Open clocks are judged as of the journal's last record.
    let end = state.last_at.unwrap_or_default();
    state
        .past_incidents
        .iter()
        .chain(state.incident.iter())
        .map(|i| IncidentReport {
            declared_at: Ts(i.declared.at),
            declared_by: printable(&i.declared.by),
            summary: i.summary.as_deref().map(printable),
            levels: i
                .levels
                .iter()
                .map(|l| LevelReport {
                    level: printable(&l.level),
                    since: Ts(l.since),
                    automatic: l.automatic,
                    acknowledged_by: l.acknowledged.as_ref().map(|a| printable(&a.by)),
                    acknowledged_at: l.acknowledged.as_ref().map(|a| Ts(a.at)),
                })
                .collect(),
            resolved_at: i.resolved.as_ref().map(|r| Ts(r.at)),
            resolved_by: i.resolved.as_ref().map(|r| printable(&r.by)),
            severity: i.severity().map(printable),
            severity_changes: i
                .severities
                .iter()
                .map(|(sev, st)| SeverityChange { severity: printable(sev), at: Ts(st.at), by: printable(&st.by) })
                .collect(),
            mitigated_at: i.mitigated.as_ref().map(|m| Ts(m.at)),
            clocks: runbook
                .and_then(|rb| super::severity::clocks(rb, i, end))
                .map(|c| super::severity::report_rows(&c))
                .unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests;

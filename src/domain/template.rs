//! Communication templates (`[[template]]`): the message text filled from the
//! live session — time, operator, vars, checklist, decision, incident, probes,
//! steps, rollback. Every field is documented in `docs/templates.md`; [`FIELDS`]
//! lists them for the console's preview help.
//!
//! Placeholders are found by `domain::vars::placeholders` (the same scanner the
//! loader validates with): `{name}`, `{root.field}`, `{field:FORMAT}`; `{{` is a
//! literal `{`. The template is scanned once and each value substituted as is:
//! a value holding `{x}` or `[red]` is never read again (S4). A field this
//! version does not know is left visible as `{name?}` so the operator sees it
//! in the preview instead of sending a silently wrong message.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::format::StrftimeItems;
use chrono::{DateTime, TimeZone, Utc};

use super::duration::{clock_format, Dur};
use super::escalation;
use super::event::{ProbeHealth, Verdict};
use super::runbook::{Runbook, Severity};
use super::state::{RunRecord, SessionState, StepStatus};
use super::vars;

/// What a template is filled from.
pub struct Context<'a> {
    pub runbook: &'a Runbook,
    pub state: &'a SessionState,
    pub now: DateTime<Utc>,
    /// Who is at the keyboard.
    pub operator: &'a str,
    /// Effective vars (the runbook's `[vars]` with `WARROOM_VAR_*` overrides; see `vars::effective_vars`).
    pub vars: &'a BTreeMap<String, String>,
}

/// Every session field a template may use, with what it gives (also in docs/templates.md).
pub const FIELDS: &[(&str, &str)] = &[
    ("now", "current time in the runbook's time zone: 2026-02-12 07:14 CET"),
    ("now:FORMAT", "current time, chrono strftime in the runbook's time zone (%Z = zone abbreviation)"),
    ("now.utc", "current time in UTC: 2026-02-12 06:14 UTC (also now.utc:FORMAT)"),
    ("operator", "the operator at the keyboard"),
    ("operator.all", "everyone who acted in the session, comma-separated"),
    ("runbook / runbook.title", "the runbook's title"),
    ("runbook.id", "the runbook's id"),
    ("runbook.timezone", "the runbook's time zone name (UTC when none)"),
    ("vars.X / X", "the value of var X"),
    ("checklist / checklist.summary", "11/14 PASS, 1 FAIL (critical: homepage-200), 2 PENDING"),
    ("checklist.failing", "failing criteria with severity: homepage-200 (critical), or none"),
    ("checklist.pending", "criteria not yet decided, or none"),
    ("checklist.pass / .fail / .na / .total", "counts"),
    ("decision", "the recorded decision: GO, NO-GO, ROLLBACK, or none yet"),
    ("decision.reason / .by", "its written reason, who recorded it"),
    ("decision.at", "when it was recorded (also decision.at:FORMAT)"),
    ("recommendation", "the decision rule's recommendation: GO, ROLLBACK (1 critical failing), …"),
    ("incident", "L2 (Dev Lead + DevOps), 12:04 since declared — or none"),
    ("incident.level / .who", "current escalation level and who it calls"),
    ("incident.since", "when the incident (clock) started (also incident.since:FORMAT)"),
    ("incident.elapsed", "time since it started: 12:04"),
    ("incident.countdown", "time left at this level (negative when overdue)"),
    ("incident.status / .summary", "RUNNING, OVERDUE, ACKNOWLEDGED, RESOLVED; the declared summary"),
    ("incident.severity / .severity.title", "the open incident's [[severity]] id (SEV1) and title, or none"),
    ("incident.ack / .mitigate / .next_update", "the severity clocks: 04:10 left, OVERDUE 01:02, met, 2m early"),
    ("probes / probes.summary", "5 UP, 1 DOWN (homepage), 1 not checked"),
    ("probes.down", "probes DOWN, or none"),
    ("steps / steps.summary", "8/10 done, 1 failed (db-updates), 1 not started"),
    ("steps.failed / .running", "failed or running steps, or none"),
    ("steps.last", "the last step that finished: smoke-test OK in 12s"),
    ("rollback / rollback.last", "the last rollback run: full OK (exit 0) at 06:40 CET in 3m12s — or none"),
    ("rollback.approvals", "approvals collected per rollback: full 1/2"),
];

/// Fills `text` from the session. Never fails: unknown fields show as `{name?}`.
pub fn render(text: &str, ctx: &Context) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for (range, inner) in vars::placeholders(text) {
        // Between placeholders only `{{` means something (a literal brace).
        out.push_str(&text[last..range.start].replace("{{", "{"));
        match field(&inner, ctx) {
            Some(v) => out.push_str(&v),
            None => {
                out.push('{');
                out.push_str(&inner);
                out.push_str("?}");
            }
        }
        last = range.end;
    }
    out.push_str(&text[last..].replace("{{", "{"));
    out
}

/// The value of one placeholder (`inner` is the text between the braces), or
/// `None` when this version does not know it.
pub fn field(inner: &str, ctx: &Context) -> Option<String> {
    let (name, format) = match inner.split_once(':') {
        Some((n, f)) => (n, Some(f)),
        None => (inner, None),
    };
    let rb = ctx.runbook;
    let st = ctx.state;
    let time = |at: DateTime<Utc>| fmt_time(at, rb, format);
    // Only time fields take a :FORMAT.
    let plain = |v: String| if format.is_some() { None } else { Some(v) };
    match name {
        "now" => time(ctx.now),
        "now.utc" => fmt_time_in(ctx.now, &Utc, format.unwrap_or("%Y-%m-%d %H:%M %Z")),
        "operator" => plain(ctx.operator.to_string()),
        "operator.all" => plain(st.operators.iter().cloned().collect::<Vec<_>>().join(", ")),
        "runbook" | "runbook.title" => plain(rb.title.clone()),
        "runbook.id" => plain(rb.id.clone()),
        "runbook.timezone" => plain(rb.timezone.map(|z| z.name().to_string()).unwrap_or_else(|| "UTC".into())),
        "checklist" | "checklist.summary" => plain(checklist_summary(rb, st)),
        "checklist.failing" => plain(or_none(failing(rb, st))),
        "checklist.pending" => plain(or_none(with_verdict(rb, st, Verdict::Pending))),
        "checklist.pass" => plain(with_verdict(rb, st, Verdict::Pass).len().to_string()),
        "checklist.fail" => plain(with_verdict(rb, st, Verdict::Fail).len().to_string()),
        "checklist.na" => plain(with_verdict(rb, st, Verdict::Na).len().to_string()),
        "checklist.total" => plain(rb.criteria.len().to_string()),
        "decision" => plain(st.decision.as_ref().map(|d| d.decision.as_str().to_string()).unwrap_or("none yet".into())),
        "decision.reason" => plain(st.decision.as_ref().map(|d| d.reason.clone()).unwrap_or_default()),
        "decision.by" => plain(st.decision.as_ref().map(|d| d.by.clone()).unwrap_or_default()),
        "decision.at" => match &st.decision {
            Some(d) => time(d.at),
            None => plain(String::new()),
        },
        "recommendation" => recommendation_label(rb, st).and_then(plain),
        "probes" | "probes.summary" => plain(probes_summary(rb, st)),
        "probes.down" => plain(or_none(probes_down(rb, st))),
        "steps" | "steps.summary" => plain(steps_summary(rb, st)),
        "steps.failed" => plain(or_none(steps_where(rb, st, StepStatus::is_failure))),
        "steps.running" => plain(or_none(steps_where(rb, st, |s| s == StepStatus::Running))),
        "steps.last" => plain(last_step(rb, st)),
        "rollback" | "rollback.last" => plain(last_rollback(rb, st)),
        "rollback.approvals" => plain(rollback_approvals(rb, st)),
        _ if name == "incident" || name.starts_with("incident.") => incident_field(name, format, ctx),
        _ => {
            let key = name.strip_prefix("vars.").unwrap_or(name);
            if format.is_some() {
                return None;
            }
            ctx.vars.get(key).cloned()
        }
    }
}

/// The decision rule's label (`domain::decision`).
fn recommendation_label(rb: &Runbook, st: &SessionState) -> Option<String> {
    Some(super::decision::recommend(rb, st).label())
}

/// `incident.severity`, `.severity.title`, `.ack`, `.mitigate`, `.next_update`.
fn severity_field(name: &str, ctx: &Context) -> Option<String> {
    use super::severity;
    if !matches!(
        name,
        "incident.severity" | "incident.severity.title" | "incident.ack" | "incident.mitigate" | "incident.next_update"
    ) {
        return None;
    }
    let inc = ctx.state.incident.as_ref().filter(|i| i.is_open());
    let Some(c) = inc.and_then(|i| severity::clocks(ctx.runbook, i, ctx.now)) else { return Some("none".into()) };
    Some(match name {
        "incident.severity" => c.severity.id.clone(),
        "incident.severity.title" => c.severity.title.clone(),
        "incident.ack" => severity::describe(c.ack),
        "incident.mitigate" => severity::describe(c.mitigate),
        _ => c.next_update().map(|u| severity::describe(u.state)).unwrap_or_else(|| "none due".into()),
    })
}

fn incident_field(name: &str, format: Option<&str>, ctx: &Context) -> Option<String> {
    let plain = |v: String| if format.is_some() { None } else { Some(v) };
    if let Some(v) = severity_field(name, ctx) {
        return plain(v);
    }
    // The summary does not depend on an escalation ladder (an incident with only a severity has none).
    if name == "incident.summary" {
        if let Some(s) = ctx.state.incident.as_ref().filter(|i| i.is_open()).and_then(|i| i.summary.clone()) {
            return plain(s);
        }
    }
    let laddered = super::incident_acts::with_ladder(ctx.runbook, ctx.state);
    let view = escalation::clock(laddered.as_ref().unwrap_or(ctx.runbook), ctx.state, ctx.now);
    let Some(v) = view else {
        return match name {
            "incident" | "incident.level" | "incident.who" | "incident.since" | "incident.elapsed"
            | "incident.countdown" | "incident.summary" | "incident.status" => plain("none".into()),
            _ => None,
        };
    };
    match name {
        "incident" => plain(format!("{} ({}), {} since declared", v.level, v.who, clock_format(v.since_start))),
        "incident.level" => plain(v.level),
        "incident.who" => plain(v.who),
        "incident.since" => fmt_time(v.started_at, ctx.runbook, format),
        "incident.elapsed" => plain(clock_format(v.since_start)),
        "incident.countdown" => plain(v.countdown.map(clock_format).unwrap_or_else(|| "no deadline".into())),
        "incident.status" => plain(v.status.label().to_string()),
        "incident.summary" => plain(ctx.state.incident.as_ref().and_then(|i| i.summary.clone()).unwrap_or_default()),
        _ => None,
    }
}

fn fmt_time(at: DateTime<Utc>, rb: &Runbook, format: Option<&str>) -> Option<String> {
    let f = format.unwrap_or("%Y-%m-%d %H:%M %Z");
    match rb.timezone {
        Some(tz) => fmt_time_in(at, &tz, f),
        None => fmt_time_in(at, &Utc, f),
    }
}

/// strftime that never panics: a bad format gives `None` (shown as `{…?}`).
fn fmt_time_in<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz, format: &str) -> Option<String>
where
    Tz::Offset: std::fmt::Display,
{
    let items = StrftimeItems::new(format).parse().ok()?;
    let mut s = String::new();
    write!(s, "{}", at.with_timezone(tz).format_with_items(items.iter())).ok()?;
    Some(s)
}

fn or_none(items: Vec<String>) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn with_verdict(rb: &Runbook, st: &SessionState, v: Verdict) -> Vec<String> {
    rb.criteria.iter().filter(|c| st.verdict(&c.id) == v).map(|c| c.id.clone()).collect()
}

fn failing(rb: &Runbook, st: &SessionState) -> Vec<String> {
    let mut f: Vec<_> = rb.criteria.iter().filter(|c| st.verdict(&c.id) == Verdict::Fail).collect();
    f.sort_by_key(|c| c.severity);
    f.iter().map(|c| format!("{} ({})", c.id, c.severity.as_str())).collect()
}

/// "11/14 PASS, 1 FAIL (critical: homepage-200), 1 N/A, 2 PENDING".
pub fn checklist_summary(rb: &Runbook, st: &SessionState) -> String {
    let total = rb.criteria.len();
    let pass = with_verdict(rb, st, Verdict::Pass).len();
    let mut out = format!("{pass}/{total} PASS");
    let fails: Vec<_> = rb.criteria.iter().filter(|c| st.verdict(&c.id) == Verdict::Fail).collect();
    if !fails.is_empty() {
        let mut groups = Vec::new();
        for sev in [Severity::Critical, Severity::High, Severity::Medium] {
            let ids: Vec<&str> = fails.iter().filter(|c| c.severity == sev).map(|c| c.id.as_str()).collect();
            if !ids.is_empty() {
                groups.push(format!("{}: {}", sev.as_str(), ids.join(", ")));
            }
        }
        let _ = write!(out, ", {} FAIL ({})", fails.len(), groups.join("; "));
    }
    let na = with_verdict(rb, st, Verdict::Na).len();
    if na > 0 {
        let _ = write!(out, ", {na} N/A");
    }
    let pending = with_verdict(rb, st, Verdict::Pending).len();
    if pending > 0 {
        let _ = write!(out, ", {pending} PENDING");
    }
    out
}

fn probes_down(rb: &Runbook, st: &SessionState) -> Vec<String> {
    rb.probes
        .iter()
        .filter(|p| st.probes.get(&p.id).is_some_and(|c| c.health == ProbeHealth::Down))
        .map(|p| p.id.clone())
        .collect()
}

/// "5 UP, 1 DOWN (homepage), 1 not checked" from the journaled probe changes.
pub fn probes_summary(rb: &Runbook, st: &SessionState) -> String {
    if rb.probes.is_empty() {
        return "no probes".into();
    }
    let up = rb.probes.iter().filter(|p| st.probes.get(&p.id).is_some_and(|c| c.health == ProbeHealth::Up)).count();
    let down = probes_down(rb, st);
    let unknown = rb.probes.len() - up - down.len();
    let mut parts = vec![format!("{up} UP")];
    if !down.is_empty() {
        parts.push(format!("{} DOWN ({})", down.len(), down.join(", ")));
    }
    if unknown > 0 {
        parts.push(format!("{unknown} not checked"));
    }
    parts.join(", ")
}

fn steps_where(rb: &Runbook, st: &SessionState, pred: impl Fn(StepStatus) -> bool) -> Vec<String> {
    rb.steps.iter().filter(|s| pred(st.step_status(&s.id))).map(|s| s.id.clone()).collect()
}

/// "8/10 done, 1 failed (db-updates), 1 running (cache), 1 not started".
pub fn steps_summary(rb: &Runbook, st: &SessionState) -> String {
    if rb.steps.is_empty() {
        return "no steps".into();
    }
    let done = steps_where(rb, st, |s| matches!(s, StepStatus::Succeeded | StepStatus::Done)).len();
    let mut out = format!("{done}/{} done", rb.steps.len());
    let failed = steps_where(rb, st, StepStatus::is_failure);
    if !failed.is_empty() {
        let _ = write!(out, ", {} failed ({})", failed.len(), failed.join(", "));
    }
    let running = steps_where(rb, st, |s| s == StepStatus::Running);
    if !running.is_empty() {
        let _ = write!(out, ", {} running ({})", running.len(), running.join(", "));
    }
    let not_started = steps_where(rb, st, |s| s == StepStatus::NotStarted).len();
    if not_started > 0 {
        let _ = write!(out, ", {not_started} not started");
    }
    out
}

fn describe_run(id: &str, r: &RunRecord, rb: &Runbook) -> String {
    match &r.finished {
        None => format!("{id} running since {}", fmt_time(r.started_at, rb, Some("%H:%M %Z")).unwrap_or_default()),
        Some(end) => {
            let code = end.exit_code.map(|c| format!(" (exit {c})")).unwrap_or_default();
            format!(
                "{id} {}{code} at {} in {}",
                end.outcome.label().to_uppercase(),
                fmt_time(end.at, rb, Some("%H:%M %Z")).unwrap_or_default(),
                Dur::from_millis(end.duration_ms / 1000 * 1000)
            )
        }
    }
}

fn last_step(rb: &Runbook, st: &SessionState) -> String {
    st.steps
        .iter()
        .filter_map(|(id, s)| s.runs.iter().rfind(|r| r.finished.is_some()).map(|r| (id, r)))
        .max_by_key(|(_, r)| r.finished.as_ref().map(|e| e.at))
        .map(|(id, r)| describe_run(id, r, rb))
        .unwrap_or_else(|| "none".into())
}

fn last_rollback(rb: &Runbook, st: &SessionState) -> String {
    st.rollbacks
        .iter()
        .filter_map(|(id, s)| s.runs.last().map(|r| (id, r)))
        .max_by_key(|(_, r)| r.started_at)
        .map(|(id, r)| describe_run(id, r, rb))
        .unwrap_or_else(|| "none".into())
}

fn rollback_approvals(rb: &Runbook, st: &SessionState) -> String {
    let parts: Vec<String> = rb
        .rollbacks
        .iter()
        .map(|r| {
            let (have, need) = super::approvals::approvals_needed(rb, st, &r.id);
            format!("{} {have}/{need}", r.id)
        })
        .collect();
    or_none(parts)
}

#[cfg(test)]
mod tests;

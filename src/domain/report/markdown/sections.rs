//! The report's Markdown, one function per section. A section with nothing
//! to tell writes nothing (no empty headings); the heading, the summary,
//! Decision and Timeline always show.

use std::fmt::Write;

use super::{code_block, md, Clock};
use crate::domain::event::Verdict;
use crate::domain::report::{
    CriterionReport, DecisionReport, IncidentReport, LevelReport, OutputExcerpt, Report, RunReport, StepReport,
};
use crate::domain::severity::DeadlineReport;

/// Writes one section of the report.
pub(super) type Section = fn(&mut String, &Report, &Clock);

/// The title, then whatever makes the record incomplete.
pub(super) fn heading(o: &mut String, r: &Report, _: &Clock) {
    let heading = match (&r.title, &r.runbook_id) {
        (Some(t), Some(id)) => format!("{} ({})", md(t), md(id)),
        (None, Some(id)) => md(id),
        (Some(t), None) => md(t),
        (None, None) => "(unknown runbook)".into(),
    };
    let _ = writeln!(o, "# Session report — {heading}\n");
    // Damage first: whoever reads the ticket must know the record is incomplete.
    if let Some(damage) = &r.damage {
        let _ = writeln!(
            o,
            "> **⚠ The journal is damaged** — {}. This report covers only the {} records before the damage; \
             `warroom verify` names the line.\n",
            md(damage),
            r.records
        );
    }
    for n in &r.notices {
        let _ = writeln!(o, "> Note: {}\n", md(n));
    }
}

/// What the journal holds: how much, when, who, and what could not be read.
pub(super) fn summary(o: &mut String, r: &Report, clock: &Clock) {
    let _ = writeln!(o, "- Journal: {} records", r.records);
    if let (Some(a), Some(b)) = (&r.started, &r.ended) {
        let _ = writeln!(o, "- From {} to {} ({})", clock.when(a), clock.when(b), r.duration.as_deref().unwrap_or("—"));
    }
    if let Some(tz) = &r.timezone {
        let _ = writeln!(o, "- Time zone: UTC and {}", md(tz));
    }
    let ops: Vec<String> = r
        .operators
        .iter()
        .map(|op| format!("{} ({} act{})", md(&op.operator), op.acts, if op.acts == 1 { "" } else { "s" }))
        .collect();
    let _ = writeln!(o, "- Operators: {}", if ops.is_empty() { "—".into() } else { ops.join(", ") });
    if r.unknown_records > 0 {
        let _ = writeln!(o, "- Records of kinds this version does not know: {}", r.unknown_records);
    }
    if !r.malformed_records.is_empty() {
        let _ = writeln!(o, "- Records that could not be read (left out of this report):");
        for m in &r.malformed_records {
            let _ = writeln!(o, "  - {}", md(m));
        }
    }
}

/// The decision standing, the ones it replaced, and what the checklist recommended.
pub(super) fn decision(o: &mut String, r: &Report, clock: &Clock) {
    let _ = writeln!(o, "\n## Decision\n");
    match &r.decision {
        Some(d) => {
            let _ = writeln!(o, "- **Recorded: {}** by {} at {}", d.decision, md(&d.by), clock.when(&d.at));
            let _ = writeln!(o, "- Reason: {}", md(&d.reason));
            if let Some(rec) = &d.recommendation {
                let _ = writeln!(o, "- Recommendation on screen when decided: {}", md(rec));
            }
            overrule_lines(o, d);
        }
        None => {
            let _ = writeln!(o, "- No decision recorded.");
        }
    }
    for d in &r.earlier_decisions {
        let _ = writeln!(
            o,
            "- Earlier (superseded): {} by {} at {}: {}",
            d.decision,
            md(&d.by),
            clock.when(&d.at),
            md(&d.reason)
        );
        overrule_lines(o, d);
    }
    if let Some(rec) = &r.recommendation {
        let _ = writeln!(o, "- Recommendation from the final checklist: **{}** — {}", md(&rec.label), md(&rec.reason));
    }
}

/// What a decision overrode or replaced, said plainly.
fn overrule_lines(o: &mut String, d: &DecisionReport) {
    if !d.overrides.is_empty() {
        let _ =
            writeln!(o, "  - **OVERRIDE**: recorded while critical criteria failed: {}", md(&d.overrides.join(", ")));
    }
    if let Some(old) = &d.supersedes {
        let _ = writeln!(o, "  - Knowingly replaced {}", md(old));
    }
}

/// The criteria as a table, one row each.
pub(super) fn checklist(o: &mut String, r: &Report, clock: &Clock) {
    if r.checklist.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Checklist\n");
    let _ = writeln!(o, "| Severity | Criterion | Verdict | By | When | Note |");
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    for c in &r.checklist {
        criterion_row(o, c, clock);
    }
}

fn criterion_row(o: &mut String, c: &CriterionReport, clock: &Clock) {
    let source = match c.source.as_deref() {
        Some("auto") => " (auto)",
        Some("override") => " (override)",
        _ => "",
    };
    let note = criterion_note(c, clock);
    let _ = writeln!(
        o,
        "| {} | {} | {}{source} | {} | {} | {} |",
        c.severity.as_deref().unwrap_or("—"),
        titled(&c.title, &c.id),
        verdict_word(&c.verdict),
        c.by.as_deref().map(md).unwrap_or_else(|| "—".into()),
        c.at.as_ref().map(|t| clock.short(t)).unwrap_or_else(|| "—".into()),
        if note.trim().is_empty() { "—".to_string() } else { note.trim().to_string() }
    );
}

/// The Note cell: why it expired first (it explains the pending verdict),
/// then the operator's note and the automatic check's cause, then the history.
fn criterion_note(c: &CriterionReport, clock: &Clock) -> String {
    let mut note = c.note.as_deref().map(md).unwrap_or_default();
    if let Some(cause) = &c.cause {
        note = if note.is_empty() { md(cause) } else { format!("{note}; {}", md(cause)) };
    }
    if let Some(e) = &c.expired {
        note = if note.is_empty() { md(e) } else { format!("{}; {note}", md(e)) };
    }
    if c.history.len() > 1 {
        let h: Vec<String> =
            c.history.iter().map(|m| format!("{} {}", m.verdict.to_uppercase(), clock.short(&m.at))).collect();
        note = format!("{note} (history: {})", h.join(" → "));
    }
    note
}

fn verdict_word(v: &str) -> String {
    // Symbol and word, never colour alone (A6); the word is `domain::labels`'.
    let v = Verdict::parse(v).unwrap_or_default();
    let sym = match v {
        Verdict::Pass => "✓",
        Verdict::Fail => "✗",
        Verdict::Na => "–",
        Verdict::Pending => "·",
    };
    format!("{sym} {}", v.label())
}

/// `Title (id)`, or the id alone when no title is known (criteria, steps, rollbacks).
fn titled(title: &Option<String>, id: &str) -> String {
    match title {
        Some(t) => format!("{} ({})", md(t), md(id)),
        None => md(id),
    }
}

/// Each phase that has steps, with its span, and its steps under it.
pub(super) fn phases(o: &mut String, r: &Report, clock: &Clock) {
    if r.phases.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Phases and steps");
    for ph in &r.phases {
        let span = match (&ph.started, &ph.ended, &ph.duration) {
            (Some(a), Some(b), Some(d)) => format!(" — {} to {} ({d})", clock.short(a), clock.short(b)),
            _ => String::new(),
        };
        let _ = writeln!(o, "\n### {}{span}\n", md(&ph.title));
        for s in &ph.steps {
            step(o, s, clock);
        }
    }
}

/// A step's status, then who ticked it, each run, and who let later steps go on.
fn step(o: &mut String, s: &StepReport, clock: &Clock) {
    let _ = writeln!(o, "- **{}**: {}", titled(&s.title, &s.id), s.status);
    if let Some((done, by, at)) = &s.ticked {
        let _ = writeln!(o, "  - {} by {} at {}", if *done { "ticked" } else { "unticked" }, md(by), clock.short(at));
    }
    let mut last_command: Option<&str> = None;
    for run in &s.runs {
        let _ = writeln!(o, "  - {}", run_line(run, clock));
        // The command once, and again only when a later run ran another one.
        if last_command != Some(run.command.as_str()) {
            o.push_str(&code_block(&run.command, "sh", "    "));
            last_command = Some(&run.command);
        }
    }
    if let Some((why, by, at)) = &s.overridden {
        let _ = writeln!(o, "  - overridden by {} at {}: {}", md(by), clock.short(at), md(why));
    }
}

/// A process run in one line: who started it, how it ended, where its output is.
fn run_line(run: &RunReport, clock: &Clock) -> String {
    let mut s = format!("run {} started {} by {}", run.run, clock.short(&run.started), md(&run.by));
    match (&run.outcome, &run.duration) {
        (Some(outcome), Some(d)) => {
            s.push_str(&format!(": {outcome}"));
            if let Some(c) = run.exit_code {
                s.push_str(&format!(", exit code {c}"));
            }
            if let Some(sig) = run.signal {
                s.push_str(&format!(", signal {sig}"));
            }
            s.push_str(&format!(", {d}"));
            if let Some(e) = &run.error {
                s.push_str(&format!(" — {}", md(e)));
            }
        }
        _ => s.push_str(": no end recorded"),
    }
    s.push_str(&format!(" — output {}", md(&run.output)));
    s
}

/// Each time a probe went DOWN, and when (if) it came back.
pub(super) fn probe_outages(o: &mut String, r: &Report, clock: &Clock) {
    if r.probe_outages.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Probe outages\n");
    for p in &r.probe_outages {
        let until = match (&p.up_at, &p.duration) {
            (Some(u), Some(d)) => format!("UP again {} (down {d})", clock.short(u)),
            _ => "still DOWN at the end of the journal".into(),
        };
        let cause = p.cause.as_deref().map(|c| format!(" — {}", md(c))).unwrap_or_default();
        let _ = writeln!(o, "- {}: DOWN {}, {until}{cause}", md(&p.probe), clock.short(&p.down_at));
    }
}

/// Every incident of the session.
pub(super) fn incidents(o: &mut String, r: &Report, clock: &Clock) {
    if r.incidents.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Incidents and escalations\n");
    for i in &r.incidents {
        incident(o, i, clock);
    }
}

/// One incident from declaration to resolution: severity changes, mitigation,
/// its deadlines, the escalation levels reached.
fn incident(o: &mut String, i: &IncidentReport, clock: &Clock) {
    let summary = i.summary.as_deref().map(|s| format!(": {}", md(s))).unwrap_or_default();
    // Declared with the first severity set; later changes follow it.
    let first = i.severity_changes.first().map(|c| c.severity.as_str()).or(i.severity.as_deref());
    let sev = first.map(|s| format!(" ({})", md(s))).unwrap_or_default();
    let _ = writeln!(o, "- Declared{sev} by {} at {}{summary}", md(&i.declared_by), clock.when(&i.declared_at));
    for pair in i.severity_changes.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        let _ = writeln!(
            o,
            "  - severity {} → {} by {} at {} (its deadlines count from the declaration)",
            md(&from.severity),
            md(&to.severity),
            md(&to.by),
            clock.short(&to.at)
        );
    }
    if let Some(m) = &i.mitigated_at {
        let _ = writeln!(o, "  - mitigated at {}", clock.short(m));
    }
    for c in &i.clocks {
        deadline_line(o, c, clock);
    }
    for l in i.levels.iter().filter(|l| !l.level.is_empty()) {
        level_line(o, l, clock);
    }
    match (&i.resolved_by, &i.resolved_at) {
        (Some(by), Some(at)) => {
            let _ = writeln!(o, "  - resolved by {} at {}", md(by), clock.short(at));
        }
        _ => {
            let _ = writeln!(o, "  - still open at the end of the journal");
        }
    }
}

/// A severity deadline and whether it was met.
fn deadline_line(o: &mut String, c: &DeadlineReport, clock: &Clock) {
    let at = c.at.as_ref().map(|a| format!(", at {}", clock.short(a))).unwrap_or_default();
    let word = match c.outcome.as_str() {
        "met" => "met".to_string(),
        "missed" => "MISSED".to_string(),
        "overdue" => "OVERDUE (never met)".to_string(),
        other => other.to_string(),
    };
    let _ = writeln!(o, "  - {} due {}: {word}, {}{at}", md(&c.clock), clock.short(&c.due), md(&c.by));
}

/// An escalation level reached, how, and whether it was acknowledged.
fn level_line(o: &mut String, l: &LevelReport, clock: &Clock) {
    let ack = match (&l.acknowledged_by, &l.acknowledged_at) {
        (Some(by), Some(at)) => format!(", acknowledged by {} at {}", md(by), clock.short(at)),
        _ => ", not acknowledged".into(),
    };
    let how = if l.automatic { " (clock ran out)" } else { "" };
    let _ = writeln!(o, "  - {} from {}{how}{ack}", md(&l.level), clock.short(&l.since));
}

/// Who each escalation level called, and whether they answered in time.
pub(super) fn escalation(o: &mut String, r: &Report, clock: &Clock) {
    if r.escalation.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Escalation response\n");
    for l in &r.escalation {
        let who = l.who.as_deref().map(|w| format!(" ({})", md(w))).unwrap_or_default();
        let within = l.respond_within.as_deref().map(|w| format!(", had {w}")).unwrap_or_default();
        let timing = match (&l.acknowledged_after, l.on_time) {
            (Some(a), Some(true)) => format!(", answered after {a} (in time)"),
            (Some(a), Some(false)) => format!(", answered after {a} (LATE)"),
            (Some(a), None) => format!(", answered after {a}"),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "- incident {}: {}{who} from {}{within}{timing} — {}",
            l.incident,
            md(&l.level),
            clock.short(&l.since),
            md(&l.outcome)
        );
    }
}

/// Each rollback trigger that fired, and whether it cleared.
pub(super) fn triggers(o: &mut String, r: &Report, clock: &Clock) {
    if r.triggers.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Rollback triggers\n");
    for t in &r.triggers {
        let cleared = t.cleared_at.as_ref().map(|c| format!(", cleared {}", clock.short(c))).unwrap_or_default();
        let _ = writeln!(
            o,
            "- {} fired {} ({}), proposing {}{cleared}",
            md(&t.trigger),
            clock.short(&t.fired_at),
            md(&t.cause),
            md(&t.propose)
        );
    }
}

/// Who approved which rollback, then each rollback that ran, with every run's
/// command and the end of its output (a rollback run twice is flagged).
pub(super) fn rollbacks(o: &mut String, r: &Report, clock: &Clock) {
    if r.approvals.is_empty() && r.rollbacks.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Rollbacks\n");
    for a in &r.approvals {
        let mut who = md(&a.by);
        if let Some(u) = &a.user {
            who.push_str(&format!(" (Unix user {}", md(u)));
            who.push_str(&a.key.as_ref().map(|k| format!(", key {}", md(k))).unwrap_or_default());
            who.push(')');
        }
        let _ = writeln!(o, "- {} approved by {who} at {}", md(&a.rollback), clock.short(&a.at));
    }
    for rb in &r.rollbacks {
        let name = titled(&rb.title, &rb.id);
        if rb.repeated {
            let _ = writeln!(o, "- **{name}** — **⚠ ran {} times**: check that each run was meant", rb.runs.len());
        } else {
            let _ = writeln!(o, "- **{name}**");
        }
        for run in &rb.runs {
            let _ = writeln!(o, "  - {}", run_line(run, clock));
            o.push_str(&code_block(&run.command, "sh", "    "));
            if let Some(x) = &run.output_excerpt {
                o.push_str(&excerpt(x));
            }
        }
    }
}

/// The end of a run's output, under its run line.
fn excerpt(x: &OutputExcerpt) -> String {
    if let Some(why) = &x.unavailable {
        return format!("    output: {}\n", md(why));
    }
    if x.lines.is_empty() {
        return "    output: (none)\n".into();
    }
    let head = if x.earlier_lines > 0 {
        format!("    output, last {} lines ({} earlier not shown):\n", x.lines.len(), x.earlier_lines)
    } else {
        "    output:\n".to_string()
    };
    head + &code_block(&x.lines.join("\n"), "text", "    ")
}

/// Each message copied, with its text as it was sent.
pub(super) fn messages(o: &mut String, r: &Report, clock: &Clock) {
    if r.messages.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Messages sent\n");
    for m in &r.messages {
        let _ = writeln!(o, "- {} copied by {} at {}:", md(&m.template), md(&m.by), clock.short(&m.at));
        o.push_str(&code_block(&m.text, "text", "  "));
    }
}

/// Notes in order; one of several lines keeps its line breaks in a block.
pub(super) fn notes(o: &mut String, r: &Report, clock: &Clock) {
    if r.notes.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Notes\n");
    for n in &r.notes {
        if n.text.contains('\n') {
            let _ = writeln!(o, "- {} {}:", clock.short(&n.at), md(&n.by));
            o.push_str(&code_block(&n.text, "text", "  "));
        } else {
            let _ = writeln!(o, "- {} {}: {}", clock.short(&n.at), md(&n.by), md(&n.text));
        }
    }
}

/// Every record as a table row, with milliseconds (the journal's precision)
/// and a local-time column when the runbook names a zone.
pub(super) fn timeline(o: &mut String, r: &Report, clock: &Clock) {
    let _ = writeln!(o, "\n## Timeline\n");
    if r.timezone.is_some() {
        let _ = writeln!(
            o,
            "| # | UTC | {} | Who | What |\n|---|---|---|---|---|",
            md(r.timezone.as_deref().unwrap_or(""))
        );
    } else {
        let _ = writeln!(o, "| # | UTC | Who | What |\n|---|---|---|---|");
    }
    for e in &r.timeline {
        let utc = e.at.0.format("%Y-%m-%d %H:%M:%S%.3f").to_string();
        match clock.0 {
            Some(tz) => {
                let local = e.at.0.with_timezone(&tz).format("%H:%M:%S %Z");
                let _ = writeln!(o, "| {} | {utc} | {local} | {} | {} |", e.seq, md(&e.operator), md(&e.what));
            }
            None => {
                let _ = writeln!(o, "| {} | {utc} | {} | {} |", e.seq, md(&e.operator), md(&e.what));
            }
        }
    }
}

//! The report as Markdown. Text from the journal is already printable; here
//! it is also escaped (`md`), so a note like `**[click](http://x)**`, `<img>`
//! or `| a | b |` shows literally instead of being read as markup (S4).

use std::fmt::Write;

use super::text::fmt_when;
use super::{OutputExcerpt, Report, RunReport, Ts};

/// Backslash-escapes the characters Markdown (CommonMark, GFM tables and
/// inline HTML) could read as markup inside a line: emphasis, code, links and
/// images (`[`, so `](` and `![` are inert too), HTML tags and entities, table
/// cells, strikethrough. Line-start markup (`#`, `-`, `>`, `1.`) cannot occur:
/// journal text never starts a line here.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text `md` escaped, as a person reads it on screen (the escapes only
/// matter to a Markdown renderer): `\[STATUS\]` shows as `[STATUS]`.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let escaped =
            chars.peek().is_some_and(|n| matches!(n, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'));
        if c == '\\' && escaped {
            out.push(chars.next().unwrap_or('\\'));
        } else {
            out.push(c);
        }
    }
    out
}

fn mdo(s: &Option<String>) -> String {
    s.as_deref().map(md).unwrap_or_else(|| "—".into())
}

/// Renders the whole report.
pub fn render(r: &Report) -> String {
    let tz = r.tz;
    let when = |t: &Ts| fmt_when(&t.0, tz);
    let short = |t: &Ts| match tz {
        Some(tz) => format!("{} ({})", t.0.format("%H:%M:%S"), t.0.with_timezone(&tz).format("%H:%M:%S %Z")),
        None => t.0.format("%H:%M:%S").to_string(),
    };
    let mut o = String::new();
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
    let _ = writeln!(o, "- Journal: {} records", r.records);
    if let (Some(a), Some(b)) = (&r.started, &r.ended) {
        let _ = writeln!(o, "- From {} to {} ({})", when(a), when(b), r.duration.as_deref().unwrap_or("—"));
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

    let _ = writeln!(o, "\n## Decision\n");
    match &r.decision {
        Some(d) => {
            let _ = writeln!(o, "- **Recorded: {}** by {} at {}", d.decision, md(&d.by), when(&d.at));
            let _ = writeln!(o, "- Reason: {}", md(&d.reason));
            if let Some(rec) = &d.recommendation {
                let _ = writeln!(o, "- Recommendation on screen when decided: {}", md(rec));
            }
            overrule_lines(&mut o, d);
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
            when(&d.at),
            md(&d.reason)
        );
        overrule_lines(&mut o, d);
    }
    if let Some(rec) = &r.recommendation {
        let _ = writeln!(o, "- Recommendation from the final checklist: **{}** — {}", md(&rec.label), md(&rec.reason));
    }

    if !r.checklist.is_empty() {
        let _ = writeln!(o, "\n## Checklist\n");
        let _ = writeln!(o, "| Severity | Criterion | Verdict | By | When | Note |");
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for c in &r.checklist {
            let name = match &c.title {
                Some(t) => format!("{} ({})", md(t), md(&c.id)),
                None => md(&c.id),
            };
            let mut note = c.note.as_deref().map(md).unwrap_or_default();
            if let Some(cause) = &c.cause {
                note = if note.is_empty() { md(cause) } else { format!("{note}; {}", md(cause)) };
            }
            if let Some(e) = &c.expired {
                note = if note.is_empty() { md(e) } else { format!("{}; {note}", md(e)) };
            }
            if c.history.len() > 1 {
                let h: Vec<String> =
                    c.history.iter().map(|m| format!("{} {}", m.verdict.to_uppercase(), short(&m.at))).collect();
                note = format!("{note} (history: {})", h.join(" → "));
            }
            let source = match c.source.as_deref() {
                Some("auto") => " (auto)",
                Some("override") => " (override)",
                _ => "",
            };
            let _ = writeln!(
                o,
                "| {} | {name} | {}{source} | {} | {} | {} |",
                c.severity.as_deref().unwrap_or("—"),
                verdict_word(&c.verdict),
                mdo(&c.by),
                c.at.as_ref().map(short).unwrap_or_else(|| "—".into()),
                if note.trim().is_empty() { "—".to_string() } else { note.trim().to_string() }
            );
        }
    }

    if !r.phases.is_empty() {
        let _ = writeln!(o, "\n## Phases and steps");
        for ph in &r.phases {
            let span = match (&ph.started, &ph.ended, &ph.duration) {
                (Some(a), Some(b), Some(d)) => format!(" — {} to {} ({d})", short(a), short(b)),
                _ => String::new(),
            };
            let _ = writeln!(o, "\n### {}{span}\n", md(&ph.title));
            for s in &ph.steps {
                let name = match &s.title {
                    Some(t) => format!("{} ({})", md(t), md(&s.id)),
                    None => md(&s.id),
                };
                let _ = writeln!(o, "- **{name}**: {}", s.status);
                if let Some((done, by, at)) = &s.ticked {
                    let _ =
                        writeln!(o, "  - {} by {} at {}", if *done { "ticked" } else { "unticked" }, md(by), short(at));
                }
                let mut last_command: Option<&str> = None;
                for run in &s.runs {
                    let _ = writeln!(o, "  - {}", run_line(run, &short));
                    // The command once, and again only when a later run ran another one.
                    if last_command != Some(run.command.as_str()) {
                        o.push_str(&code_block(&run.command, "sh", "    "));
                        last_command = Some(&run.command);
                    }
                }
                if let Some((why, by, at)) = &s.overridden {
                    let _ = writeln!(o, "  - overridden by {} at {}: {}", md(by), short(at), md(why));
                }
            }
        }
    }

    if !r.probe_outages.is_empty() {
        let _ = writeln!(o, "\n## Probe outages\n");
        for p in &r.probe_outages {
            let until = match (&p.up_at, &p.duration) {
                (Some(u), Some(d)) => format!("UP again {} (down {d})", short(u)),
                _ => "still DOWN at the end of the journal".into(),
            };
            let cause = p.cause.as_deref().map(|c| format!(" — {}", md(c))).unwrap_or_default();
            let _ = writeln!(o, "- {}: DOWN {}, {until}{cause}", md(&p.probe), short(&p.down_at));
        }
    }

    if !r.incidents.is_empty() {
        let _ = writeln!(o, "\n## Incidents and escalations\n");
        for i in &r.incidents {
            let summary = i.summary.as_deref().map(|s| format!(": {}", md(s))).unwrap_or_default();
            // Declared with the first severity set; later changes follow it.
            let first = i.severity_changes.first().map(|c| c.severity.as_str()).or(i.severity.as_deref());
            let sev = first.map(|s| format!(" ({})", md(s))).unwrap_or_default();
            let _ = writeln!(o, "- Declared{sev} by {} at {}{summary}", md(&i.declared_by), when(&i.declared_at));
            for pair in i.severity_changes.windows(2) {
                let (from, to) = (&pair[0], &pair[1]);
                let _ = writeln!(
                    o,
                    "  - severity {} → {} by {} at {} (its deadlines count from the declaration)",
                    md(&from.severity),
                    md(&to.severity),
                    md(&to.by),
                    short(&to.at)
                );
            }
            if let Some(m) = &i.mitigated_at {
                let _ = writeln!(o, "  - mitigated at {}", short(m));
            }
            for c in &i.clocks {
                let at = c.at.as_ref().map(|a| format!(", at {}", short(a))).unwrap_or_default();
                let word = match c.outcome.as_str() {
                    "met" => "met".to_string(),
                    "missed" => "MISSED".to_string(),
                    "overdue" => "OVERDUE (never met)".to_string(),
                    other => other.to_string(),
                };
                let _ = writeln!(o, "  - {} due {}: {word}, {}{at}", md(&c.clock), short(&c.due), md(&c.by));
            }
            for l in i.levels.iter().filter(|l| !l.level.is_empty()) {
                let ack = match (&l.acknowledged_by, &l.acknowledged_at) {
                    (Some(by), Some(at)) => format!(", acknowledged by {} at {}", md(by), short(at)),
                    _ => ", not acknowledged".into(),
                };
                let how = if l.automatic { " (clock ran out)" } else { "" };
                let _ = writeln!(o, "  - {} from {}{how}{ack}", md(&l.level), short(&l.since));
            }
            match (&i.resolved_by, &i.resolved_at) {
                (Some(by), Some(at)) => {
                    let _ = writeln!(o, "  - resolved by {} at {}", md(by), short(at));
                }
                _ => {
                    let _ = writeln!(o, "  - still open at the end of the journal");
                }
            }
        }
    }

    if !r.escalation.is_empty() {
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
                short(&l.since),
                md(&l.outcome)
            );
        }
    }

    if !r.triggers.is_empty() {
        let _ = writeln!(o, "\n## Rollback triggers\n");
        for t in &r.triggers {
            let cleared = t.cleared_at.as_ref().map(|c| format!(", cleared {}", short(c))).unwrap_or_default();
            let _ = writeln!(
                o,
                "- {} fired {} ({}), proposing {}{cleared}",
                md(&t.trigger),
                short(&t.fired_at),
                md(&t.cause),
                md(&t.propose)
            );
        }
    }

    if !r.approvals.is_empty() || !r.rollbacks.is_empty() {
        let _ = writeln!(o, "\n## Rollbacks\n");
        for a in &r.approvals {
            let mut who = md(&a.by);
            if let Some(u) = &a.user {
                who.push_str(&format!(" (Unix user {}", md(u)));
                who.push_str(&a.key.as_ref().map(|k| format!(", key {}", md(k))).unwrap_or_default());
                who.push(')');
            }
            let _ = writeln!(o, "- {} approved by {who} at {}", md(&a.rollback), short(&a.at));
        }
        for rb in &r.rollbacks {
            let name = match &rb.title {
                Some(t) => format!("{} ({})", md(t), md(&rb.id)),
                None => md(&rb.id),
            };
            if rb.repeated {
                let _ = writeln!(o, "- **{name}** — **⚠ ran {} times**: check that each run was meant", rb.runs.len());
            } else {
                let _ = writeln!(o, "- **{name}**");
            }
            for run in &rb.runs {
                let _ = writeln!(o, "  - {}", run_line(run, &short));
                o.push_str(&code_block(&run.command, "sh", "    "));
                if let Some(x) = &run.output_excerpt {
                    o.push_str(&excerpt(x));
                }
            }
        }
    }

    if !r.messages.is_empty() {
        let _ = writeln!(o, "\n## Messages sent\n");
        for m in &r.messages {
            let _ = writeln!(o, "- {} copied by {} at {}:", md(&m.template), md(&m.by), short(&m.at));
            o.push_str(&code_block(&m.text, "text", "  "));
        }
    }

    if !r.notes.is_empty() {
        let _ = writeln!(o, "\n## Notes\n");
        for n in &r.notes {
            if n.text.contains('\n') {
                let _ = writeln!(o, "- {} {}:", short(&n.at), md(&n.by));
                o.push_str(&code_block(&n.text, "text", "  "));
            } else {
                let _ = writeln!(o, "- {} {}: {}", short(&n.at), md(&n.by), md(&n.text));
            }
        }
    }

    let _ = writeln!(o, "\n## Timeline\n");
    let local_col = r.timezone.is_some();
    if local_col {
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
        match tz {
            Some(tz) => {
                let local = e.at.0.with_timezone(&tz).format("%H:%M:%S %Z");
                let _ = writeln!(o, "| {} | {utc} | {local} | {} | {} |", e.seq, md(&e.operator), md(&e.what));
            }
            None => {
                let _ = writeln!(o, "| {} | {utc} | {} | {} |", e.seq, md(&e.operator), md(&e.what));
            }
        }
    }
    o
}

fn verdict_word(v: &str) -> String {
    // Symbol and word, never colour alone (A6); the word is `domain::labels`'.
    let v = crate::domain::event::Verdict::parse(v).unwrap_or_default();
    let sym = match v {
        crate::domain::event::Verdict::Pass => "✓",
        crate::domain::event::Verdict::Fail => "✗",
        crate::domain::event::Verdict::Na => "–",
        crate::domain::event::Verdict::Pending => "·",
    };
    format!("{sym} {}", v.label())
}

fn run_line(run: &RunReport, short: &dyn Fn(&Ts) -> String) -> String {
    let mut s = format!("run {} started {} by {}", run.run, short(&run.started), md(&run.by));
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

/// What a decision overrode or replaced, said plainly.
fn overrule_lines(o: &mut String, d: &super::DecisionReport) {
    if !d.overrides.is_empty() {
        let _ =
            writeln!(o, "  - **OVERRIDE**: recorded while critical criteria failed: {}", md(&d.overrides.join(", ")));
    }
    if let Some(old) = &d.supersedes {
        let _ = writeln!(o, "  - Knowingly replaced {}", md(old));
    }
}

/// Text shown as it is, line breaks and all, in a fenced code block indented
/// by `indent` (to sit inside a list item). The fence is longer than any run
/// of backticks in the text, so nothing in it can close the block early.
pub fn code_block(text: &str, info: &str, indent: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{indent}{fence}{info}\n");
    for line in text.lines() {
        out.push_str(indent);
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("{indent}{fence}\n"));
    out
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

//! `--plain` (A7; automatic with `TERM=dumb`): no alternate screen, no box
//! drawing, no symbols — a summary, then one line per journal event as it
//! happens, and typed commands on standard input. Screen readers follow it
//! line by line; it is also what a dumb terminal can show.

use std::io::{self, Write};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::signal::unix::{signal, SignalKind};

use crate::domain::decision;
use crate::domain::event::{Decision, EventKind, MarkSource, Verdict};
use crate::domain::record::Record;
use crate::domain::state::StepStatus;
use crate::sources::{EventReceiver, EventSender};

use super::driver::Input;
use super::event::Signal;
use super::items;
use super::session::{Exit, Session};
use super::text::clean;
use super::timefmt;

pub const HELP: &str = "commands: pass|fail|na|pending CRITERION [note], tick STEP, note TEXT, \
decide go|no-go|rollback [--override] REASON, operator NAME, status, help, quit";

fn out(line: &str) {
    let mut o = io::stdout().lock();
    let _ = writeln!(o, "{line}");
    let _ = o.flush();
}

/// The session as plain lines.
pub fn summary(s: &Session) -> Vec<String> {
    let app = &s.app;
    let rb = &app.model.runbook;
    let mut v = vec![format!("warroom: {} (runbook {})", clean(&rb.title), clean(&rb.id))];
    v.push(format!("operator: {}; journal: {}", clean(&app.model.operator), clean(&s.journal.location())));
    if let Some(r) = &app.model.read_only {
        v.push(format!("READ-ONLY: {}", clean(r)));
    }
    v.push("steps:".into());
    for st in items::steps(rb) {
        let status = app.model.state.step_status(&st.id).words();
        v.push(format!("  step {}: {status}. {}", clean(&st.id), clean(&st.title)));
    }
    v.push("checklist:".into());
    for c in items::criteria(rb) {
        let st = app.model.state.criteria.get(&c.id);
        let verdict = st.map(|s| s.verdict).unwrap_or_default();
        // An automatic verdict is the source's, not the person whose console recorded it.
        let who = match st.and_then(|s| s.by.as_ref().zip(s.at).map(|(by, at)| (by, at, s.source))) {
            Some((_, at, MarkSource::Auto)) if verdict != Verdict::Pending => format!(" (auto at {})", timefmt::hm(at)),
            Some((by, at, _)) if verdict != Verdict::Pending => format!(" (by {} at {})", clean(by), timefmt::hm(at)),
            _ => String::new(),
        };
        v.push(format!("  {} {}: {}{who}. {}", c.severity.as_str(), clean(&c.id), verdict.label(), clean(&c.title)));
    }
    for p in &rb.probes {
        let h = app.model.state.probes.get(&p.id).map_or("not started".to_string(), |c| c.health.label().to_string());
        v.push(format!("  probe {}: {h}", clean(&p.id)));
    }
    // What is on fire first in the full-screen console (banner, Escalation)
    // is said here too: the open incident with its clocks, and every alarm.
    if let Some(inc) = app.model.state.incident.as_ref().filter(|i| i.is_open()) {
        let sev = inc.severity().map(|s| format!(" {}", clean(s))).unwrap_or_default();
        let level = inc.current().map(|l| format!(", level {}", clean(&l.level))).unwrap_or_default();
        let summary = inc.summary.as_deref().map(|t| format!(": {}", clean(t))).unwrap_or_default();
        v.push(format!(
            "INCIDENT{sev} declared by {} at {}{level}{summary}",
            clean(&inc.declared.by),
            timefmt::hm(inc.declared.at)
        ));
        if let Some(clocks) = crate::domain::severity::clocks(rb, inc, app.model.now) {
            v.push(format!(
                "  clocks: ack {} · mitigate {}",
                crate::domain::severity::describe(clocks.ack),
                crate::domain::severity::describe(clocks.mitigate)
            ));
        }
    }
    for a in crate::domain::rollback_flow::alarms(rb, &app.model.state) {
        v.push(format!("ALARM {}: {} — proposes rollback {}", clean(&a.trigger), clean(&a.cause), clean(&a.propose)));
    }
    v.push(format!("recommendation: {}", decision::recommend(rb, &app.model.state).label()));
    match &app.model.state.decision {
        Some(d) => v.push(format!("decision: {} by {}: {}", d.decision.as_str(), clean(&d.by), clean(&d.reason))),
        None => v.push("decision: none yet".into()),
    }
    v.push(HELP.into());
    v
}

/// One journal record as a line: its time, who, and what they did in the
/// words the activity feed uses (`domain::activity::sentence`).
pub fn describe(r: &Record) -> String {
    let what = match r.event() {
        Some(ev) => crate::domain::activity::sentence(&ev),
        None => format!("recorded {}", r.kind),
    };
    format!("{} {}: {}", timefmt::hms(r.ts), clean(&r.operator), clean(&what))
}

/// What a typed line asks for: an event to append, or words to print.
pub fn command(s: &Session, line: &str) -> Result<Option<EventKind>, String> {
    let line = line.trim();
    let (cmd, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    let rb = &s.app.model.runbook;
    match cmd {
        "pass" | "fail" | "na" | "pending" if rest.is_empty() => {
            let ids: Vec<&str> = rb.criteria.iter().map(|c| c.id.as_str()).collect();
            Err(format!("{cmd} which criterion? {cmd} CRITERION [note], one of {}", ids.join(", ")))
        }
        "pass" | "fail" | "na" | "pending" => {
            let (id, note) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let c = rb.criterion(id).ok_or_else(|| {
                let ids: Vec<&str> = rb.criteria.iter().map(|c| c.id.as_str()).collect();
                format!("no criterion \"{}\": use one of {}", clean(id), ids.join(", "))
            })?;
            let verdict = Verdict::parse(cmd).unwrap_or_default();
            let note = (!note.trim().is_empty()).then(|| note.trim().to_string());
            Ok(Some(crate::domain::auto_verdict::person_mark(c, verdict, note)))
        }
        "tick" => {
            let st = rb.step(rest).filter(|s| s.manual).ok_or_else(|| {
                let ids: Vec<&str> = rb.steps.iter().filter(|s| s.manual).map(|s| s.id.as_str()).collect();
                if ids.is_empty() {
                    "this runbook has no manual steps to tick (steps that run a command run from the console)"
                        .to_string()
                } else {
                    format!("no manual step \"{}\": use one of {}", clean(rest), ids.join(", "))
                }
            })?;
            let done = s.app.model.state.step_status(&st.id) != StepStatus::Done;
            Ok(Some(EventKind::StepTicked { step: st.id.clone(), done }))
        }
        "note" if !rest.is_empty() => Ok(Some(EventKind::NoteAdded { text: rest.to_string() })),
        "note" => Err("note what? note TEXT (it goes in the journal)".into()),
        "decide" => {
            let (d, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let decision = match d.to_ascii_lowercase().as_str() {
                "go" => Decision::Go,
                "no-go" | "nogo" => Decision::NoGo,
                "rollback" => Decision::Rollback,
                _ => return Err("decide go|no-go|rollback [--override] REASON".into()),
            };
            let (forced, reason) = match reason.trim().strip_prefix("--override") {
                Some(r) => (true, r.trim()),
                None => (false, reason.trim()),
            };
            if reason.is_empty() {
                return Err("write the reason after the decision: it goes in the journal".into());
            }
            rb.access.check(&rb.access.decision_by, &s.app.actor(), "record the decision").map_err(|e| clean(&e))?;
            // As the dialog does: overriding failing critical criteria must be said, and is journaled.
            let overrides = decision::overridden(rb, &s.app.model.state, decision);
            if !overrides.is_empty() && !forced {
                return Err(format!(
                    "{} while {} critical criteria fail ({}): to record it overriding them, \
                     decide {d} --override REASON",
                    decision.as_str(),
                    overrides.len(),
                    clean(&overrides.join(", "))
                ));
            }
            Ok(Some(EventKind::DecisionRecorded {
                decision,
                reason: reason.to_string(),
                recommendation: Some(decision::recommend(rb, &s.app.model.state).label()),
                overrides,
                supersedes: None,
            }))
        }
        "operator" if rest.is_empty() => Err("operator who? operator NAME".into()),
        "operator" => {
            let to = crate::domain::identity::check_name(rest).map_err(|e| e.to_string())?;
            // The same name as someone already in the session is that person, spelled as before.
            let known = s.app.model.state.operators.iter().find(|o| crate::domain::identity::same_name(o, &to));
            let to = known.cloned().unwrap_or(to);
            Ok(Some(EventKind::OperatorSwitched { from: s.app.model.operator.clone(), to }))
        }
        "" => Ok(None),
        _ => Err(format!("unknown command \"{}\"; {HELP}", clean(cmd))),
    }
}

pub async fn run(mut session: Session, sources: EventSender, mut source_rx: EventReceiver) -> io::Result<Exit> {
    for l in summary(&session) {
        out(&l);
    }
    // Every record folded in from here on is printed, whoever wrote it.
    session.echo = Some(Vec::new());
    let mut said = 0;
    print_news(&mut session, &mut said);
    let _watch = session.journal.watch(sources.clone());
    session.sources = Some(sources.clone());
    // Probes and runs as in the full-screen console: the same driver, the same clock.
    session.start_procs(sources.clone());
    // Present like any console (docs/console.md): others see a plain-mode reader in their roster.
    session.start_presence();
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let exit = loop {
        let input = tokio::select! {
            line = lines.next_line() => {
                let Ok(Some(line)) = line else { break Exit::Quit };
                session.app.model.team_mut().last_input = crate::sources::clock::now();
                match typed(&session, &line) {
                    Typed::Quit => break Exit::Quit,
                    Typed::Said => continue,
                    Typed::Act(ev) => Input::Act(ev),
                }
            }
            Some(ev) = source_rx.recv() => Input::Source(ev),
            _ = tick.tick() => Input::Tick(crate::sources::clock::now()),
            _ = sigint.recv() => break Exit::Signal(Signal::Interrupt),
            _ = sigterm.recv() => break Exit::Signal(Signal::Terminate),
            _ = sighup.recv() => break Exit::Signal(Signal::Hangup),
        };
        let quit = session.feed(input);
        print_news(&mut session, &mut said);
        if quit {
            break Exit::Quit;
        }
    };
    session.stop_runs(&mut source_rx).await;
    let op = session.app.model.operator.clone();
    session.append(&op, &EventKind::SessionClosed {});
    print_news(&mut session, &mut said);
    session.announcer = None;
    Ok(exit)
}

/// What a typed line comes to.
enum Typed {
    Quit,
    /// Answered here (help, status, an error); nothing to journal.
    Said,
    Act(EventKind),
}

fn typed(session: &Session, line: &str) -> Typed {
    match line.trim() {
        "quit" | "q" | "exit" => Typed::Quit,
        "help" | "?" => {
            out(HELP);
            Typed::Said
        }
        "status" => {
            summary(session).iter().for_each(|l| out(l));
            Typed::Said
        }
        _ => match command(session, line) {
            Err(e) => {
                out(&format!("error: {e}"));
                Typed::Said
            }
            Ok(None) => Typed::Said,
            Ok(Some(_)) if session.app.model.read_only.is_some() => {
                out(&format!("error: read-only: {}", clean(session.app.model.read_only.as_deref().unwrap_or(""))));
                Typed::Said
            }
            Ok(Some(ev)) => Typed::Act(ev),
        },
    }
}

/// Prints the records journaled and the messages said since the last call, in that order.
fn print_news(session: &mut Session, said: &mut u64) {
    if let Some(echo) = &mut session.echo {
        for r in echo.drain(..) {
            out(&describe(&r));
        }
    }
    for m in session.app.model.messages.since(*said) {
        out(&format!("note: {}", clean(&m.text)));
    }
    *said = session.app.model.messages.total();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::GENESIS;

    fn said(ev: EventKind) -> String {
        describe(&Record::new(GENESIS, 1, chrono::Utc::now(), "ana", &ev))
    }

    /// Others' acts read as sentences that say which and what, never as a
    /// raw record kind ("ana: incident.mitigated").
    #[test]
    fn others_acts_are_sentences() {
        let rb = said(EventKind::RollbackStarted {
            rollback: "revert".into(),
            run: 1,
            command: "x".into(),
            output: "o".into(),
        });
        assert!(rb.ends_with("ana: fired rollback revert (run 1)"), "{rb}");
        let sev = said(EventKind::IncidentSeverity { severity: "SEV1".into() });
        assert!(sev.ends_with("set the incident's severity to SEV1"), "{sev}");
        let mit = said(EventKind::IncidentMitigated { note: None });
        assert!(mit.ends_with("marked the incident mitigated"), "{mit}");
        assert!(!said(EventKind::RollbackApproved { rollback: "full".into() }).contains("rollback.approved"));
    }
}

//! The loop's side of processes and probes: spawning and aborting runs,
//! starting the probes, loading a past run's output, and stopping every run
//! (journaled as aborted) when the console quits.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;
use std::time::Duration;

use super::Session;
use crate::domain::event::{EventKind, RunKind};
use crate::domain::record::Record;
use crate::sources::probes::{self, ProbeEnv, ProbesHandle};
use crate::sources::process::output_file::parse_line;
use crate::sources::process::owner::RunLock;
use crate::sources::process::{spawn_run, RunHandle};
use crate::sources::steps::{finished_event, output_path, prepare_rollback, prepare_step};
use crate::sources::{EventReceiver, EventSender, SourceEvent};
use crate::ui::app::MsgKind;
use crate::ui::effect::Effect;

use crate::ui::wiring::{run_key, RunOutput, OUTPUT_LINES};

/// A past run's output is read from at most this many bytes at the end of its file.
const LOAD_TAIL: u64 = 1024 * 1024;

/// Running processes and probes of this console.
#[derive(Default)]
pub struct Runs {
    tx: Option<EventSender>,
    handles: BTreeMap<String, RunHandle>,
    /// The owner lock of each run of ours (`process::owner`), held until its end is journaled.
    locks: BTreeMap<String, RunLock>,
    probes: Option<ProbesHandle>,
}

impl Runs {
    pub fn running_here(&self) -> usize {
        self.handles.values().filter(|h| !h.is_finished()).count()
    }
}

impl Session {
    /// At the loop's start: keep the sender for runs and start every probe.
    pub fn start_procs(&mut self, tx: EventSender) {
        if !self.app.model.runbook.probes.is_empty() {
            let app = &self.app;
            let env = Arc::new(ProbeEnv::with_redactor(
                &app.model.runbook,
                app.model.vars.clone(),
                app.model.redactor.clone(),
            ));
            self.runs.probes = Some(probes::start(&self.app.model.runbook.probes, env, tx.clone()));
        }
        self.runs.tx = Some(tx);
    }

    /// Runs one of the process effects; false when `e` is not one.
    pub fn run_proc_effect(&mut self, e: &Effect) -> bool {
        match e {
            Effect::StartRun { kind, id } => {
                self.start_run(*kind, id);
            }
            Effect::ApproveAndFire { id, runs_seen } => self.approve_and_fire(id, *runs_seen),
            Effect::AbortRun { kind, id } => match self.runs.handles.get(&run_key(*kind, id)) {
                Some(h) if !h.is_finished() => {
                    h.abort();
                    self.app.say(format!("aborting {id}: TERM sent to its process group"), MsgKind::Warn);
                }
                _ => self
                    .app
                    .say(format!("{id} is not running in this console (started by another one?)"), MsgKind::Warn),
            },
            Effect::LoadOutput { kind, id, run, output, quiet } => {
                let path = output_path(self.journal.path(), output);
                match read_tail(&path) {
                    Ok(out) => {
                        let mut buf = RunOutput { run: *run, ..Default::default() };
                        for l in out.lines() {
                            let parsed = parse_line(l);
                            let t = parsed.at.map(|a| a.format("%H:%M:%S ").to_string()).unwrap_or_default();
                            // A file written before a secret was declared is hidden as it is read back.
                            let line = crate::domain::sanitize::clean(&format!("{t}{}", parsed.text));
                            let said = parsed.tag != crate::sources::process::output_file::NOTE_TAG;
                            if said && !parsed.text.trim().is_empty() {
                                let text = crate::domain::sanitize::clean(parsed.text.trim());
                                buf.last_said = Some(self.app.model.redactor.redact_owned(text));
                            }
                            buf.push(self.app.model.redactor.redact_owned(line));
                        }
                        self.app.model.keep_output(run_key(*kind, id), buf);
                    }
                    Err(_) if *quiet => {}
                    Err(err) => self.app.say(format!("output {}: {err}", path.display()), MsgKind::Warn),
                }
            }
            _ => return false,
        }
        true
    }

    /// Starts a run; false (and the message says why) when it did not start.
    fn start_run(&mut self, kind: RunKind, id: &str) -> bool {
        let Some(tx) = self.runs.tx.clone() else {
            self.app.say("cannot run commands in this console", MsgKind::Error);
            return false;
        };
        if self.app.model.read_only.is_some() {
            self.app.say("read-only: nothing runs from this console", MsgKind::Warn);
            return false;
        }
        self.runs.handles.retain(|_, h| !h.is_finished());
        if kind == RunKind::Rollback && !self.may_fire_now(id) {
            return false;
        }
        let vars = &self.app.model.vars;
        let op = self.app.model.operator.clone();
        let launch = match kind {
            RunKind::Step => prepare_step(&self.app.model.runbook, &self.app.model.state, id, vars, &self.journal, &op),
            RunKind::Rollback => {
                prepare_rollback(&self.app.model.runbook, &self.app.model.state, id, vars, &self.journal, &op)
            }
        };
        let launch = match launch {
            Ok(l) => l,
            Err(why) => {
                self.app.say(why, MsgKind::Error);
                return false;
            }
        };
        // Owned before it is journaled: from then on every console can tell whether we are still here.
        let mut lock = match RunLock::acquire(&launch.spec.output_file, &op) {
            Ok(l) => l,
            Err(why) => {
                self.app.say(crate::ui::text::clean(&format!("{id} not started: {why}")), MsgKind::Warn);
                return false;
            }
        };
        let started = launch.started.clone();
        if let Some(why) = self.append_unless(&op, &launch.started, move |others| started_elsewhere(others, &started)) {
            self.app.say(crate::ui::text::clean(&format!("{id} not started: {why}")), MsgKind::Warn);
            return false;
        }
        let run = launch.spec.run;
        self.app.model.keep_output(run_key(kind, id), RunOutput { run, ..Default::default() });
        let handle = spawn_run(launch.spec, tx);
        lock.set_group(handle.pgid());
        self.runs.handles.insert(run_key(kind, id), handle);
        self.runs.locks.insert(run_key(kind, id), lock);
        self.app.say(format!("{id} run {run} started"), MsgKind::Info);
        true
    }

    /// The typed id that completes a rollback's approvals also fires it: the
    /// approval is written only when the start can follow. Another console
    /// may have fired it since this one last read the journal; then nothing
    /// is written (an approval left behind would count toward a run nobody
    /// asked for) and the message says who fired it.
    fn approve_and_fire(&mut self, id: &str, runs_seen: usize) {
        self.poll();
        if let Some(why) = ran_meanwhile(&self.app.model.state, id, runs_seen) {
            let msg = format!("rollback {id} not approved, not fired: {why}; nothing recorded (B shows the run)");
            self.app.say(crate::ui::text::clean(&msg), MsgKind::Warn);
            return;
        }
        let op = self.app.model.operator.clone();
        let probe = EventKind::RollbackStarted {
            rollback: id.to_string(),
            run: 0,
            command: String::new(),
            output: String::new(),
        };
        let approval = crate::domain::approvals::approval_event(id);
        if let Some(why) = self.append_unless(&op, &approval, move |others| started_elsewhere(others, &probe)) {
            let msg = format!("rollback {id} not approved, not fired: {why}; nothing recorded");
            self.app.say(crate::ui::text::clean(&msg), MsgKind::Warn);
            return;
        }
        if !self.start_run(RunKind::Rollback, id) {
            // Another console's start landed between our two writes (a window
            // of milliseconds): say what the journal now holds, exactly.
            let why = self.app.model.messages.newest().map(|m| m.text.clone()).unwrap_or_default();
            let msg = if ran_meanwhile(&self.app.model.state, id, runs_seen).is_some() {
                format!(
                    "{why} — your approval of {id} was written just before; it is in the journal but fires \
                     nothing (approvals reset when that run ends)"
                )
            } else {
                format!("{why} — your approval of {id} is recorded; it was not fired")
            };
            self.app.say(crate::ui::text::clean(&msg), MsgKind::Warn);
        }
    }

    /// A rollback fires only with its approvals complete, checked against the
    /// journal as it is now (another console may have fired it meanwhile).
    fn may_fire_now(&mut self, id: &str) -> bool {
        self.poll();
        let app = &self.app;
        match crate::domain::approvals::may_fire(
            &app.model.runbook,
            &app.model.state,
            id,
            app.actor(),
            app.model.read_only.is_some(),
        ) {
            Ok(()) => true,
            Err(refusal) => {
                let msg = format!("rollback {id} not fired: {refusal}");
                self.app.say(crate::ui::text::clean(&msg), MsgKind::Warn);
                false
            }
        }
    }

    /// Every tick: runs of other consoles that are gone are journaled as
    /// interrupted (`sources::orphans`), and our own finished runs give up
    /// their owner lock once their end is journaled.
    pub fn reap_runs(&mut self) {
        let (handles, state) = (&self.runs.handles, &self.app.model.state);
        let journaled_end = |key: &String| {
            let (kind, id) = key.split_once(':').unwrap_or_default();
            let runs = match kind {
                "step" => state.steps.get(id).map(|s| &s.runs),
                _ => state.rollbacks.get(id).map(|s| &s.runs),
            };
            runs.and_then(|r| r.last()).is_none_or(|r| r.finished.is_some())
        };
        // Only once nothing waits to be written: then "journaled" means in the journal.
        let settled = self.outbox.is_empty() && self.ahead.is_empty() && self.app.model.procs.journal_backlog.is_none();
        if settled {
            self.runs.locks.retain(|k, _| handles.get(k).is_some_and(|h| !h.is_finished()) || !journaled_end(k));
        }
        if self.app.model.read_only.is_some() || !settled {
            return;
        }
        let ours = |kind: RunKind, id: &str| self.runs.locks.contains_key(&run_key(kind, id));
        let op = self.app.model.operator.clone();
        match crate::sources::orphans::reap(
            &mut self.journal,
            &self.app.model.state,
            &op,
            crate::sources::clock::now(),
            ours,
        ) {
            Ok(reaped) => {
                self.quiet = true;
                self.fold_result(Ok(reaped.records));
                self.quiet = false;
                for s in reaped.said {
                    self.app.say(crate::ui::text::clean(&s), MsgKind::Warn);
                }
            }
            Err(e) => {
                self.fold_result(Err(e));
            }
        }
    }

    /// On quit: abort every run of this console and journal how each ended
    /// (waits for them, at most a few seconds beyond the kill grace period).
    pub async fn stop_runs(&mut self, rx: &mut EventReceiver) {
        self.stop_runs_within(rx, None).await
    }

    /// `stop_runs`; with `Some(grace)` (the terminal hung up) every run gets
    /// only that long between TERM and KILL and the wait ends soon after, so
    /// the console is gone within about two seconds.
    pub async fn stop_runs_within(&mut self, rx: &mut EventReceiver, grace: Option<Duration>) {
        self.runs.probes = None;
        let mut pending: Vec<String> =
            self.runs.handles.iter().filter(|(_, h)| !h.is_finished()).map(|(k, _)| k.clone()).collect();
        for k in &pending {
            if let Some(h) = self.runs.handles.get(k) {
                match grace {
                    Some(g) => h.abort_within(g),
                    None => h.abort(),
                }
            }
        }
        let wait = grace.map(|g| g + Duration::from_millis(900)).unwrap_or(Duration::from_secs(6));
        let deadline = tokio::time::Instant::now() + wait;
        while !pending.is_empty() {
            let ev = match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(ev)) => ev,
                _ => break,
            };
            if let SourceEvent::RunExited { kind, id, run, end } = ev {
                pending.retain(|k| *k != run_key(kind, &id));
                let op = self.app.model.operator.clone();
                self.append(&op, &finished_event(kind, &id, run, &end));
            }
        }
        // Still there after the wait (a loaded machine, a run that ignores
        // TERM): killed now, and its end journaled here, so no run is left
        // RUNNING in the journal by a console that is leaving.
        for key in std::mem::take(&mut pending) {
            let Some(h) = self.runs.handles.remove(&key) else { continue };
            if h.is_finished() {
                pending.push(key);
                continue;
            }
            h.kill_now();
            let (kind, id) = key.split_once(':').unwrap_or_default();
            let kind = if kind == "step" { RunKind::Step } else { RunKind::Rollback };
            let runs = match kind {
                RunKind::Step => self.app.model.state.steps.get(id).map(|s| &s.runs),
                RunKind::Rollback => self.app.model.state.rollbacks.get(id).map(|s| &s.runs),
            };
            let Some(last) = runs.and_then(|r| r.last()).filter(|r| r.finished.is_none()) else { continue };
            let end = crate::sources::RunExit {
                outcome: crate::domain::event::RunOutcome::Aborted,
                exit_code: None,
                signal: Some(libc::SIGKILL),
                duration: (crate::sources::clock::now() - last.started_at).to_std().unwrap_or_default(),
                error: Some("the console exited before the run ended; its process group was killed".into()),
            };
            let (id, run) = (id.to_string(), last.run);
            let op = self.app.model.operator.clone();
            if self.append(&op, &finished_event(kind, &id, run, &end)).is_empty() && self.writer.is_none() {
                pending.push(key);
            }
        }
        // Anything still there is stopped by dropping its handle (TERM, grace, KILL).
        self.runs.handles.clear();
        if self.writer.is_none() {
            self.release_locks(pending.is_empty() && self.outbox.is_empty());
        }
    }

    /// At exit, once the runs' ends were journaled (`all_journaled`) or not.
    pub fn release_locks(&mut self, all_journaled: bool) {
        if all_journaled {
            self.runs.locks.clear();
        } else {
            // An end not journaled: the owner files stay, unlocked once we are
            // gone, so the next console journals those runs as interrupted.
            for (_, lock) in std::mem::take(&mut self.runs.locks) {
                std::mem::forget(lock);
            }
        }
    }
}

/// Whether another console journaled a start of the same step or rollback
/// after our last read (seen under the journal lock, so the check and our own
/// start are one atomic step across consoles).
fn started_elsewhere(others: &[Record], ours: &EventKind) -> Option<String> {
    let same = |r: &Record| match (r.event(), ours) {
        (Some(EventKind::StepStarted { step, .. }), EventKind::StepStarted { step: mine, .. }) => step == *mine,
        (Some(EventKind::RollbackStarted { rollback, .. }), EventKind::RollbackStarted { rollback: mine, .. }) => {
            rollback == *mine
        }
        _ => false,
    };
    others.iter().find(|r| same(r)).map(|r| format!("{} started it a moment ago (journal #{})", r.operator, r.seq))
}

/// A run of rollback `id` that the operator had not seen when they chose to
/// fire it (`runs_seen` runs were known then), in words: who, when, how it is.
fn ran_meanwhile(state: &crate::domain::state::SessionState, id: &str, runs_seen: usize) -> Option<String> {
    let runs = &state.rollbacks.get(id)?.runs;
    if runs.len() <= runs_seen {
        return None;
    }
    let last = runs.last()?;
    let how = match &last.finished {
        None => "running".to_string(),
        Some(end) => crate::domain::activity::outcome_words(end.outcome, end.exit_code),
    };
    Some(format!(
        "{} fired it meanwhile at {} (run {}, {how})",
        last.started_by,
        crate::ui::timefmt::hms(last.started_at),
        last.run
    ))
}

fn read_tail(path: &std::path::Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let start = len.saturating_sub(LOAD_TAIL);
    f.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    f.take(LOAD_TAIL).read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    // Starting mid-file: drop the partial first line.
    let text = if start > 0 { text.split_once('\n').map(|(_, r)| r.to_string()).unwrap_or_default() } else { text };
    let keep: Vec<&str> = text.lines().collect();
    let from = keep.len().saturating_sub(OUTPUT_LINES);
    Ok(keep[from..].join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::journal::Journal;
    use chrono::Utc;

    fn started(rollback: &str) -> EventKind {
        EventKind::RollbackStarted {
            rollback: rollback.into(),
            run: 1,
            command: "./revert.sh".into(),
            output: format!("runs/rollback-{rollback}-1.log"),
        }
    }

    /// Two consoles on one journal, both past their own (stale) check: only
    /// the first start is written; the second is refused, naming who fired.
    #[test]
    fn a_second_console_firing_the_same_rollback_at_once_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut ana = Journal::open(&path).unwrap().journal;
        let mut bob = Journal::open(&path).unwrap().journal;

        let (_, refused) =
            ana.append_unless("ana", Utc::now(), &started("db"), |o| started_elsewhere(o, &started("db"))).unwrap();
        assert_eq!(refused, None);
        let (seen, refused) =
            bob.append_unless("bob", Utc::now(), &started("db"), |o| started_elsewhere(o, &started("db"))).unwrap();
        let why = refused.expect("bob's start must be refused");
        assert!(why.contains("ana started it"), "{why}");
        assert_eq!(seen.len(), 1, "bob is handed ana's record to fold");
        assert_eq!(bob.last_seq(), 1, "nothing written for bob");

        // Another rollback is not held up by it.
        let (_, refused) =
            bob.append_unless("bob", Utc::now(), &started("dns"), |o| started_elsewhere(o, &started("dns"))).unwrap();
        assert_eq!(refused, None);
        assert_eq!(bob.last_seq(), 2);
    }
}

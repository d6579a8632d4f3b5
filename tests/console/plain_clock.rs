//! `--plain` runs the same clock as the full-screen console (docs/console.md,
//! "One clock"): the real binary, its standard input kept open like a person
//! at a screen reader, its lines read as they come. Errors arriving in a
//! followed log turn a "no errors" criterion from PASS to FAIL, the escalation
//! moves on by itself when nobody acknowledges, and a trigger on a probe that
//! stays DOWN raises its alarm — none of which happened in plain mode before.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RUNBOOK: &str = r#"[runbook]
id = "plainclock"
title = "Plain clock"

[[log]]
id = "app"
path = "app.log"
error = "ERROR"

[[probe]]
id = "gone"
tcp = "127.0.0.1:1"
every = "200ms"
timeout = "150ms"
failure_threshold = 1

[[criterion]]
id = "no-errors"
title = "No application errors"
severity = "high"
on_fail = "evaluate"
auto = { log = "app", max_errors = 0, window = "1m" }

[escalation]
start = "on_open"

[[escalation.level]]
name = "L1"
who = "on call"
respond_within = "2s"

[[escalation.level]]
name = "L2"
who = "lead"
respond_within = "1h"

[[rollback]]
id = "full"
title = "Full rollback"
run = "true"

[[trigger]]
id = "gone-down"
when = { probe = "gone", down_for = "1s" }
propose = "full"
"#;

/// `warroom open --plain` as a person at a screen reader runs it: standard
/// input kept open for typed commands, every line it prints kept as it comes.
/// Shared with `plain_live.rs`.
pub(crate) struct Plain {
    child: Child,
    out: Arc<Mutex<String>>,
}

impl Plain {
    /// Starts plain mode on `runbook`, writing `journal`, as operator ana, with `data` as its data dir.
    pub(crate) fn start(runbook: &Path, journal: &Path, data: &Path) -> Plain {
        Plain::start_with(runbook, journal, data, &[])
    }

    /// As [`Plain::start`], with these variables in its environment (`WARROOM_VAR_…` overrides).
    pub(crate) fn start_with(runbook: &Path, journal: &Path, data: &Path, env: &[(&str, &Path)]) -> Plain {
        let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(["open", "--plain", "--journal"])
            .arg(journal)
            .arg(runbook)
            .env("WARROOM_DATA_DIR", data)
            .env("WARROOM_OPERATOR", "ana")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let out = Arc::new(Mutex::new(String::new()));
        let sink = out.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        Plain { child, out }
    }

    /// Everything printed so far.
    pub(crate) fn printed(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    #[track_caller]
    pub(crate) fn wait_for(&self, what: &str) {
        self.wait_for_within(what, Duration::from_secs(60));
    }

    #[track_caller]
    pub(crate) fn wait_for_within(&self, what: &str, limit: Duration) {
        let start = Instant::now();
        while !self.out.lock().unwrap().contains(what) {
            assert!(start.elapsed() < limit, "plain mode never printed {what:?}; it printed:\n{}", self.printed());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The tail starts at the end of the file, like `tail -F`: appends `line`
    /// to `log` until plain mode prints `what`, so the test knows the tail
    /// follows before it writes what matters.
    #[track_caller]
    pub(crate) fn append_until(&self, log: &Path, line: &str, what: &str) {
        let start = Instant::now();
        while !self.out.lock().unwrap().contains(what) {
            assert!(start.elapsed() < Duration::from_secs(60), "never printed {what:?}:\n{}", self.printed());
            append(log, line);
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Types one line on plain mode's standard input.
    pub(crate) fn type_line(&mut self, line: &str) {
        writeln!(self.child.stdin.as_mut().unwrap(), "{line}").unwrap();
    }

    /// Types `quit` and waits for the process to end.
    #[track_caller]
    pub(crate) fn quit(&mut self) {
        self.type_line("quit");
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(start.elapsed() < Duration::from_secs(30), "plain mode did not quit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Appends one line to a log file (made if missing), as the application would.
pub(crate) fn append(log: &Path, line: &str) {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    writeln!(f, "{line}").unwrap();
}

impl Drop for Plain {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn plain_mode_fails_a_log_criterion_escalates_and_fires_a_trigger() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.toml"), RUNBOOK).unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(&log, "INFO started\n").unwrap();
    let journal = dir.path().join("journal.jsonl");
    let mut p = Plain::start(&dir.path().join("rb.toml"), &journal, dir.path());

    p.append_until(&log, "INFO all quiet", "marked no-errors PASS automatically");
    append(&log, "ERROR the database went away");
    p.wait_for("marked no-errors FAIL automatically");
    p.wait_for("noted the escalation to L2 (its time was up)");
    p.wait_for("ALARM gone-down");

    p.quit();
    let text = std::fs::read_to_string(&journal).unwrap();
    for kind in ["\"incident.escalated\"", "\"trigger.fired\"", "\"session.closed\""] {
        assert!(text.contains(kind), "{kind} not journaled:\n{text}");
    }
    assert!(text.contains("\"verdict\":\"fail\""), "{text}");
}

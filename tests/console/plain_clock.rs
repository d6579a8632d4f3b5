//! `--plain` runs the same clock as the full-screen console (docs/console.md,
//! "One clock"): the real binary, its standard input kept open like a person
//! at a screen reader, its lines read as they come. Errors arriving in a
//! followed log turn a "no errors" criterion from PASS to FAIL, the escalation
//! moves on by itself when nobody acknowledges, and a trigger on a probe that
//! stays DOWN raises its alarm — none of which happened in plain mode before.

use std::io::{BufRead, BufReader, Write};
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

struct Plain {
    child: Child,
    out: Arc<Mutex<String>>,
}

impl Plain {
    fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while !self.out.lock().unwrap().contains(what) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "plain mode never printed {what:?}; it printed:\n{}",
                self.out.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["open", "--plain", "--journal"])
        .arg(&journal)
        .arg(dir.path().join("rb.toml"))
        .env("WARROOM_DATA_DIR", dir.path())
        .env("WARROOM_OPERATOR", "ana")
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
    let p = Plain { child, out };

    // The tail starts at the end of the file, like `tail -F`: keep adding quiet
    // lines until one has been seen and the criterion passes on it.
    let append = |line: &str| {
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        writeln!(f, "{line}").unwrap();
    };
    let start = Instant::now();
    while !p.out.lock().unwrap().contains("marked no-errors PASS automatically") {
        assert!(start.elapsed() < Duration::from_secs(60), "never passed:\n{}", p.out.lock().unwrap());
        append("INFO all quiet");
        std::thread::sleep(Duration::from_millis(300));
    }
    append("ERROR the database went away");
    p.wait_for("marked no-errors FAIL automatically");
    p.wait_for("escalated to level L2");
    p.wait_for("ALARM gone-down");

    let mut p = p;
    writeln!(p.child.stdin.as_mut().unwrap(), "quit").unwrap();
    let start = Instant::now();
    while p.child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(30), "plain mode did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&journal).unwrap();
    for kind in ["\"incident.escalated\"", "\"trigger.fired\"", "\"session.closed\""] {
        assert!(text.contains(kind), "{kind} not journaled:\n{text}");
    }
    assert!(text.contains("\"verdict\":\"fail\""), "{text}");
}

//! What the journal and the screen say stays true after the things that go
//! wrong in real life, tried on the real binary in real tmux (a session per
//! test on the binary's private server, tests/support/tmux.rs): the journal's disk filling up, the console killed with
//! `kill -9` in the middle of a step or a rollback, the terminal vanishing.
//! Every wait is on a condition with a generous deadline, never a fixed sleep.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tmux::Pane;

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// One console in a tmux session of its own.
struct Tmux {
    pane: Pane,
}

impl Tmux {
    /// `warroom open RUNBOOK --journal JOURNAL` in a new pane (`prefix` goes
    /// before the command, e.g. `setsid -w`); when it exits the pane says so.
    fn start(name: &str, data: &Path, runbook: &Path, journal: &Path, prefix: &str) -> Tmux {
        let cmd = console_cmd(data, runbook, journal, prefix);
        Tmux { pane: Pane::start(&format!("crash-{name}"), 160, 45, &cmd) }
    }

    /// Starts the console again in the same pane (after it was killed).
    fn restart(&self, data: &Path, runbook: &Path, journal: &Path) {
        self.pane.respawn(&console_cmd(data, runbook, journal, ""));
    }

    fn screen(&self) -> String {
        self.pane.screen()
    }

    fn keys(&self, keys: &[&str]) {
        self.pane.keys(keys);
    }

    fn text(&self, text: &str) {
        self.pane.literal(text);
    }

    fn wait_screen(&self, text: &str, journal: &Path) -> String {
        wait(&format!("{text:?} on screen"), journal, self, || self.screen().contains(text).then(|| self.screen()))
    }

    /// The terminal vanishes: the session is killed, its pty closed (what
    /// killing the whole tmux server does to it, without touching other tests).
    fn close_terminal(&self) {
        let out = tmux::tmux(&["kill-session", "-t", &self.pane.target()]);
        assert!(out.status.success(), "tmux kill-session: {}", String::from_utf8_lossy(&out.stderr));
    }
}

fn console_cmd(data: &Path, runbook: &Path, journal: &Path, prefix: &str) -> String {
    format!(
        "cd {dir} && export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR=ana \
         TERM=xterm-256color && {prefix} {BIN} open {rb} --journal {j}; echo warroom exited $?; sleep 600",
        dir = runbook.parent().unwrap().display(),
        data = data.display(),
        rb = runbook.display(),
        j = journal.display()
    )
}

/// Polls `cond` until it gives a value (a guard against hangs, not a timing assertion).
fn wait<T>(what: &str, journal: &Path, t: &Tmux, mut cond: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = cond() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}\n--- screen ---\n{}\n--- journal ---\n{}",
            t.screen(),
            std::fs::read_to_string(journal).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn records(journal: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(journal).unwrap_or_default().lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// `warroom note` by another operator, as a second writer; false when refused.
fn note(journal: &Path, runbook: &Path, text: &str) -> bool {
    let out = Command::new(BIN)
        .arg("--journal")
        .arg(journal)
        .args(["--operator", "bob", "note"])
        .arg(runbook)
        .arg(text)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    out.status.success()
}

fn verify_ok(journal: &Path) {
    let out = Command::new(BIN).arg("verify").arg(journal).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A small tmpfs (we are root in the test machine), unmounted on drop.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: PathBuf, size: &str) -> Tmpfs {
        std::fs::create_dir_all(&dir).unwrap();
        let out =
            Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(&dir).output();
        let out = out.expect("mount runs");
        assert!(
            out.status.success(),
            "mounting a tmpfs needs root (CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs { dir }
    }

    /// Writes a filler file until the filesystem says it is full.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.dir.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = [b'x'; 1024];
        while f.write_all(&block).and_then(|_| f.sync_all()).is_ok() {}
        // Bytes a partial write left may still fit: fill those too.
        while f.write_all(b"x").is_ok() {}
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

const PROBE_RUNBOOK: &str = r#"[runbook]
id = "disk-full"
title = "Disk full drill"

[[phase]]
id = "deploy"
title = "Deploy"

[[step]]
id = "noop"
phase = "deploy"
title = "Nothing"
run = "true"

[[probe]]
id = "api"
title = "API"
command = "test ! -e down.flag"
every = "1s"
timeout = "1s"
failure_threshold = 1
success_threshold = 1

[[criterion]]
id = "api-up"
title = "API answers"
severity = "critical"
on_fail = "rollback"
auto = { probe = "api" }
"#;

/// The journal's disk fills up, then the API goes DOWN: the console shows it
/// at once with a banner saying the journal is behind; once space is back the
/// DOWN is journaled, at the time it happened, marked as written late.
#[test]
fn a_probe_going_down_on_a_full_disk_is_journaled_once_space_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("rb.toml");
    std::fs::write(&rb, PROBE_RUNBOOK).unwrap();
    let fs = Tmpfs::mount(dir.path().join("small"), "300k");
    let journal = fs.dir.join("journal.jsonl");
    let t = Tmux::start("full", &dir.path().join("data"), &rb, &journal, "");
    let down =
        |j: &Path| records(j).into_iter().find(|r| r["kind"] == "probe.changed" && r["data"]["health"] == "down");
    wait("the probe UP journaled", &journal, &t, || {
        records(&journal).iter().any(|r| r["kind"] == "probe.changed" && r["data"]["health"] == "up").then_some(())
    });

    let filler = fs.fill();
    // tmpfs hands out whole pages: the journal's last page may still take a
    // few records. Another writer's notes use that up, until one is refused.
    let mut notes = 0;
    while note(&journal, &rb, &format!("filling up {notes}")) {
        notes += 1;
        assert!(notes < 100, "the journal never filled up");
    }
    let went_down = chrono::Utc::now();
    std::fs::write(dir.path().join("down.flag"), "").unwrap();
    t.wait_screen("JOURNAL NOT WRITING", &journal);
    let screen = t.wait_screen("rec: ROLLBACK", &journal);
    assert!(screen.contains("waiting since"), "{screen}");
    assert!(screen.contains("NOT TRUSTWORTHY"), "{screen}");
    // The Checklist shows the failure it caused, though it is not journaled yet.
    assert!(screen.contains("FAIL"), "{screen}");
    assert!(down(&journal).is_none(), "journaled on a full disk?");
    // A person's act meanwhile is refused, loudly, not queued.
    t.keys(&["2"]);
    t.keys(&["n"]);
    t.wait_screen("NOT RECORDED", &journal);

    std::fs::remove_file(filler).unwrap();
    let rec = wait("the DOWN journaled once space is back", &journal, &t, || down(&journal));
    assert!(rec["data"]["written_at"].is_string(), "not marked as written late: {rec}");
    let ts = chrono::DateTime::parse_from_rfc3339(rec["ts"].as_str().unwrap()).unwrap();
    let written = chrono::DateTime::parse_from_rfc3339(rec["data"]["written_at"].as_str().unwrap()).unwrap();
    assert!(ts < written, "keeps the time it happened ({ts}), before it was written ({written})");
    assert!(ts >= went_down - chrono::Duration::seconds(1), "{ts} is before the probe went down ({went_down})");
    // The automatic verdict it caused is journaled after it.
    let verdict = "fail";
    wait("the criterion marked by the auto verdict", &journal, &t, || {
        let rs = records(&journal);
        let last_mark = rs.iter().rev().find(|r| r["kind"] == "criterion.marked")?;
        (last_mark["data"]["verdict"] == verdict && last_mark["seq"].as_u64() > rec["seq"].as_u64()).then_some(())
    });
    wait("the banner gone", &journal, &t, || (!t.screen().contains("JOURNAL NOT WRITING")).then_some(()));
    assert!(
        !records(&journal).iter().any(|r| r["kind"] == "criterion.marked" && r["data"]["verdict"] == "na"),
        "the refused act was written after all"
    );
    verify_ok(&journal);
    // The outage is in the report, at the time it happened, said to be written late.
    let out = Command::new(BIN).arg("report").arg(&journal).arg("--runbook").arg(&rb).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("written late"), "{report}");
}

const RUNS_RUNBOOK: &str = r#"[runbook]
id = "crash-drill"
title = "Crash drill"

[[phase]]
id = "deploy"
title = "Deploy"

[[step]]
id = "long"
phase = "deploy"
title = "A long step that ignores TERM"
run = "trap '' TERM; sleep STEP_SECS & sleep STEP_SECS"

[[rollback]]
id = "undo"
title = "A long rollback that ignores TERM"
run = "trap '' TERM; sleep ROLLBACK_SECS & sleep ROLLBACK_SECS"
confirm = "type"
approvals = 1
"#;

/// The runbook with sleeps no other test run uses (leftovers of an earlier
/// failed run must not count), and the step's and the rollback's markers.
fn runs_runbook() -> (String, String, String) {
    let n = 100_000 + std::process::id() % 100_000;
    let (step, rollback) = ((2 * n).to_string(), (2 * n + 1).to_string());
    (RUNS_RUNBOOK.replace("STEP_SECS", &step).replace("ROLLBACK_SECS", &rollback), step, rollback)
}

/// Live processes whose command line is `sleep SECS` (the runs' marker).
fn sleepers(secs: &str) -> Vec<i32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else { continue };
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let zombie = stat.rsplit(')').next().is_some_and(|r| r.trim_start().starts_with('Z'));
        if cmd == format!("sleep\0{secs}\0").as_bytes() && !zombie {
            out.push(pid);
        }
    }
    out
}

/// The console's pid: a `warroom` whose environment holds this test's data dir.
fn console_pid(data: &Path) -> Option<i32> {
    let needle = format!("WARROOM_DATA_DIR={}", data.display());
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else { continue };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() != "warroom" {
            continue;
        }
        let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        if env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()) {
            return Some(pid);
        }
    }
    None
}

fn kinds(journal: &Path, kind: &str) -> Vec<serde_json::Value> {
    records(journal).into_iter().filter(|r| r["kind"] == kind).collect()
}

/// How a run is started from the keyboard, and what marks its processes.
#[derive(Clone, Copy)]
enum What {
    Step,
    Rollback,
}

impl What {
    fn start(self, t: &Tmux, journal: &Path) {
        match self {
            What::Step => {
                t.keys(&["1"]);
                t.keys(&["r"]);
                t.wait_screen("Run step long", journal);
                t.keys(&["y"]);
            }
            What::Rollback => {
                t.keys(&["B"]);
                t.wait_screen("undo", journal);
                t.keys(&["Enter"]);
                t.text("undo");
                t.keys(&["Enter"]);
            }
        }
    }
    /// Starts it once more: a rollback that already ran asks first
    /// ("already ran at … — run again?", docs/incident.md).
    fn start_again(self, t: &Tmux, journal: &Path) {
        match self {
            What::Step => self.start(t, journal),
            What::Rollback => {
                t.keys(&["B"]);
                t.wait_screen("undo", journal);
                t.keys(&["Enter"]);
                t.wait_screen("run again?", journal);
                t.keys(&["y"]);
                t.wait_screen("Type undo", journal);
                t.text("undo");
                t.keys(&["Enter"]);
            }
        }
    }
    fn marker(self) -> String {
        let (_, step, rollback) = runs_runbook();
        match self {
            What::Step => step,
            What::Rollback => rollback,
        }
    }
    fn kind(self) -> &'static str {
        match self {
            What::Step => "step",
            What::Rollback => "rollback",
        }
    }
}

fn kill_9_then_reopen(what: What) {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("rb.toml");
    std::fs::write(&rb, runs_runbook().0).unwrap();
    let data = dir.path().join("data");
    let journal = dir.path().join("session/journal.jsonl");
    let t = Tmux::start(&format!("k9{}", what.kind()), &data, &rb, &journal, "");
    t.wait_screen("Crash drill", &journal);
    what.start(&t, &journal);
    let started = format!("{}.started", what.kind());
    let finished = format!("{}.finished", what.kind());
    wait("the run started", &journal, &t, || (!kinds(&journal, &started).is_empty()).then_some(()));
    wait("its processes", &journal, &t, || (sleepers(&what.marker()).len() >= 2).then_some(()));

    let pid = console_pid(&data).expect("the console runs");
    unsafe { libc::kill(pid, libc::SIGKILL) };
    wait("the console gone", &journal, &t, || t.screen().contains("warroom exited").then_some(()));
    assert!(!sleepers(&what.marker()).is_empty(), "the run's processes outlive a kill -9 of their console");
    assert!(kinds(&journal, &finished).is_empty());

    t.restart(&data, &rb, &journal);
    t.wait_screen("Crash drill", &journal);
    // The console on screen: from here the run must be ended within 10 s.
    let start = Instant::now();
    let end = loop {
        if let Some(r) = kinds(&journal, &finished).into_iter().next() {
            break r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the run was not ended as interrupted within 10 s\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(end["data"]["outcome"], "interrupted", "{end}");
    let why = end["data"]["error"].as_str().unwrap_or_default();
    assert!(why.contains("went away") && why.contains("noticed by ana"), "{why}");
    wait("its process group gone", &journal, &t, || sleepers(&what.marker()).is_empty().then_some(()));
    // The report says so.
    let out = Command::new(BIN).arg("report").arg(&journal).arg("--runbook").arg(&rb).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && report.contains("interrupted"), "{report}{}", String::from_utf8_lossy(&out.stderr));

    // And it can be started again.
    what.start_again(&t, &journal);
    wait("a second run", &journal, &t, || (kinds(&journal, &started).len() == 2).then_some(()));
    assert_eq!(kinds(&journal, &started)[1]["data"]["run"], 2);
    t.close_terminal();
    wait("the second run stopped with its terminal", &journal, &t, || {
        sleepers(&what.marker()).is_empty().then_some(())
    });
    verify_ok(&journal);
}

#[test]
fn kill_9_mid_step_then_reopen_ends_the_run_as_interrupted_and_it_runs_again() {
    kill_9_then_reopen(What::Step);
}

#[test]
fn kill_9_mid_rollback_then_reopen_ends_it_as_interrupted_and_it_fires_again() {
    kill_9_then_reopen(What::Rollback);
}

/// The terminal vanishes without a SIGHUP reaching the console (it is not the
/// terminal's session leader, so closing the pty only shows as EIO): the run
/// is stopped and journaled with the signal that really ended it, and
/// `session.closed` is written before the console exits.
#[test]
fn pty_closed_without_a_hangup_journals_the_runs_end_and_session_closed() {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("rb.toml");
    std::fs::write(&rb, runs_runbook().0).unwrap();
    let data = dir.path().join("data");
    let journal = dir.path().join("session/journal.jsonl");
    let t = Tmux::start("eio", &data, &rb, &journal, "setsid -w");
    t.wait_screen("Crash drill", &journal);
    What::Step.start(&t, &journal);
    wait("its processes", &journal, &t, || (sleepers(&What::Step.marker()).len() >= 2).then_some(()));
    let pid = console_pid(&data).expect("the console runs");

    t.close_terminal();
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(start.elapsed() < Duration::from_secs(30), "the console never exited after its pty closed");
        std::thread::sleep(Duration::from_millis(50));
    }
    let end = kinds(&journal, "step.finished").into_iter().next().expect("the step's end journaled");
    assert_eq!(end["data"]["outcome"], "aborted", "{end}");
    assert_eq!(end["data"]["signal"], 9, "TERM is ignored: KILL ended it: {end}");
    assert!(!kinds(&journal, "session.closed").is_empty(), "session.closed written");
    wait("the run's processes gone", &journal, &t, || sleepers(&What::Step.marker()).is_empty().then_some(()));
    verify_ok(&journal);
}

/// Appends are made by a writer of their own, off the render/input loop: with
/// the journal locked by another writer (a stuck `flock`, a slow disk), a
/// probe going DOWN still shows at once and keys are still answered; the
/// change is journaled once the lock is released.
#[test]
fn a_locked_journal_does_not_freeze_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("rb.toml");
    std::fs::write(&rb, PROBE_RUNBOOK).unwrap();
    let journal = dir.path().join("session/journal.jsonl");
    let t = Tmux::start("locked", &dir.path().join("data"), &rb, &journal, "");
    wait("the probe UP journaled", &journal, &t, || {
        records(&journal).iter().any(|r| r["kind"] == "probe.changed" && r["data"]["health"] == "up").then_some(())
    });
    t.wait_screen("UP", &journal);

    let held = std::fs::OpenOptions::new().read(true).append(true).open(&journal).unwrap();
    fs4::fs_std::FileExt::lock_exclusive(&held).unwrap();
    std::fs::write(dir.path().join("down.flag"), "").unwrap();
    t.wait_screen("DOWN", &journal);
    t.keys(&["?"]);
    t.wait_screen("Keys", &journal);
    assert!(
        !records(&journal).iter().any(|r| r["data"]["health"] == "down"),
        "written while another writer held the lock?"
    );

    fs4::fs_std::FileExt::unlock(&held).unwrap();
    wait("the DOWN journaled once the lock is released", &journal, &t, || {
        records(&journal).iter().any(|r| r["kind"] == "probe.changed" && r["data"]["health"] == "down").then_some(())
    });
    t.keys(&["Escape"]);
    verify_ok(&journal);
}

/// A headless command notices too: after `kill -9` of the console mid-rollback,
/// `warroom approve` journals the rollback as interrupted (stopping what is
/// left of it) and then approves it again, instead of "rollback is running".
#[test]
fn approve_after_kill_9_mid_rollback_ends_it_as_interrupted_then_approves() {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("rb.toml");
    // distinct = "operator": every approver here is the same Unix user, and this test is
    // about ending an orphaned rollback, not about the two-person rule.
    std::fs::write(&rb, runs_runbook().0.replace("approvals = 1", "approvals = 2\ndistinct = \"operator\"")).unwrap();
    let data = dir.path().join("data");
    let journal = dir.path().join("session/journal.jsonl");
    // Two approvals: bob from a shell, then ana in the console, which fires it.
    let approve = |who: &str| {
        Command::new(BIN)
            .arg("--journal")
            .arg(&journal)
            .args(["--operator", who, "approve"])
            .arg(&rb)
            .arg("undo")
            .env("WARROOM_DATA_DIR", &data)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let t = Tmux::start("approve", &data, &rb, &journal, "");
    t.wait_screen("Crash drill", &journal);
    let first = approve("bob");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    What::Rollback.start(&t, &journal);
    wait("the rollback started", &journal, &t, || (!kinds(&journal, "rollback.started").is_empty()).then_some(()));
    let marker = What::Rollback.marker();
    wait("its processes", &journal, &t, || (sleepers(&marker).len() >= 2).then_some(()));
    let pid = console_pid(&data).expect("the console runs");
    unsafe { libc::kill(pid, libc::SIGKILL) };
    wait("the console gone", &journal, &t, || t.screen().contains("warroom exited").then_some(()));

    let out = approve("carol");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "approve refused: {stderr}");
    assert!(stderr.contains("interrupted"), "says what it found: {stderr}");
    let end = kinds(&journal, "rollback.finished").into_iter().next().expect("the rollback's end journaled");
    assert_eq!(end["data"]["outcome"], "interrupted", "{end}");
    wait("the rollback's processes gone", &journal, &t, || sleepers(&marker).is_empty().then_some(()));
    let approved = kinds(&journal, "rollback.approved");
    assert_eq!(approved.last().unwrap()["operator"], "carol");
    verify_ok(&journal);
}

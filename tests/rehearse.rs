//! `warroom rehearse` on the real binary in a real tmux (the binary's private
//! server, tests/support/tmux.rs): on `examples/golive-platform.toml` with a scenario
//! that breaks the homepage or floods a log, and the faster clock of
//! `--speed`. Every wait is on a condition, never a fixed sleep.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;

use tmux::{Pane, PATIENCE};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// A rehearsal in a fresh tmux session: `warroom rehearse ARGS` run from `examples/`.
fn rehearse(data: &Path, work: &Path, args: &str) -> Pane {
    let cmd = format!(
        "cd {ex} && export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR=ana WARROOM_VAR_workdir={work} TERM=xterm-256color && {bin} rehearse {args}; echo EXIT=$?; sleep 600",
        ex = examples().display(),
        data = data.display(),
        work = work.display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
    );
    Pane::start("rehearse", 160, 50, &cmd)
}

/// The records of the one rehearsal under `data` for runbook `id` (none yet: empty).
fn rehearsal_records(data: &Path, id: &str) -> Vec<serde_json::Value> {
    let Some(session) = std::fs::read_dir(data.join("rehearsals").join(id)).ok().and_then(|mut d| d.next()) else {
        return Vec::new();
    };
    let text = session.ok().and_then(|e| std::fs::read_to_string(e.path().join("journal.jsonl")).ok());
    text.unwrap_or_default().lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// Waits (up to a minute) for a record of the rehearsal that `pick` accepts.
fn wait_record(
    p: &Pane,
    data: &Path,
    id: &str,
    what: &str,
    pick: impl Fn(&serde_json::Value) -> bool,
) -> Vec<serde_json::Value> {
    p.wait_for(
        &format!("{what} in the journal"),
        PATIENCE,
        || rehearsal_records(data, id).iter().any(&pick),
        String::new,
    );
    rehearsal_records(data, id)
}

fn ts(r: &serde_json::Value) -> chrono::DateTime<chrono::Utc> {
    r["ts"].as_str().and_then(|t| t.parse().ok()).unwrap_or_else(|| panic!("record without a time: {r}"))
}

#[test]
fn a_rehearsal_with_a_broken_probe_alarms_runs_nothing_real_and_leaves_the_real_journal_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let work = dir.path().join("work");
    let runbook = examples().join("golive-platform.toml");
    // The real session exists and has a record of its own.
    let note = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["note", runbook.to_str().unwrap(), "the real session"])
        .env("WARROOM_DATA_DIR", &data)
        .output()
        .unwrap();
    assert_eq!(note.status.code(), Some(0), "{}", String::from_utf8_lossy(&note.stderr));
    let real = data.join("sessions/golive-platform/journal.jsonl");
    let real_before = std::fs::read(&real).unwrap();

    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, "[[at]]\ntime = \"+1m\"\nprobe = \"homepage\"\nstatus = 500\nfor = \"30m\"\n").unwrap();
    let cmd = format!(
        "cd {ex} && export WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR=ana WARROOM_VAR_workdir={work} TERM=xterm-256color && {bin} rehearse {rb} --speed 60 --scenario {sc}; echo EXIT=$?; sleep 600",
        ex = examples().display(),
        data = data.display(),
        work = work.display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display(),
        sc = scenario.display(),
    );
    let p = Pane::start("rehearse", 160, 50, &cmd);
    p.wait_screen("REHEARSAL");
    // The homepage breaks at +1m (1 s at ×60); site-down's 5 minutes pass in 5 s.
    let s = p.wait_screen("ALARM site-down");
    assert!(s.contains("proposes rollback full"), "{s}");
    // The proposed rollback (Enter on the alarm) shows the stand-in, not the real command's effect.
    p.keys(&["Enter"]);
    let s = p.wait_screen("nothing runs");
    assert!(s.contains("rollback.sh 'pre-golive' --force"), "the exact command it would run:\n{s}");
    p.keys(&["Escape"]);
    // Run the backup step (it would write under workdir): nothing is written.
    p.keys(&["1", "j", "j", "r"]);
    p.wait_screen("nothing runs");
    p.keys(&["y"]);
    let backup_finished = || {
        std::fs::read_dir(data.join("rehearsals/golive-platform"))
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| std::fs::read_to_string(e.ok()?.path().join("journal.jsonl")).ok())
            .is_some_and(|j| j.contains("\"step.finished\"") && j.contains("\"backup\""))
    };
    p.wait_for("the backup to finish", PATIENCE, backup_finished, String::new);
    assert!(!work.exists(), "the rehearsal wrote under workdir: {:?}", std::fs::read_dir(&work).map(|d| d.count()));
    assert_eq!(std::fs::read(&real).unwrap(), real_before, "the real session's journal changed");
    p.keys(&["q"]);
    p.wait_screen("EXIT=0");
    // The rehearsal's report scores it: the alarm was never answered by a decision.
    let session = std::fs::read_dir(data.join("rehearsals/golive-platform")).unwrap().next().unwrap().unwrap().path();
    let report = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["report", session.join("journal.jsonl").to_str().unwrap()])
        .env("WARROOM_DATA_DIR", &data)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&report.stdout);
    assert_eq!(report.status.code(), Some(0), "{text}");
    assert!(text.contains("## Rehearsal score"), "{text}");
    assert!(text.contains("MISSED: alarm site-down"), "{text}");
    assert!(text.contains("Deadlines: 0 met, 1 missed"), "{text}");
    // The real session's report has no score.
    let real_report =
        Command::new(env!("CARGO_BIN_EXE_warroom")).args(["report", real.to_str().unwrap()]).output().unwrap();
    assert!(!String::from_utf8_lossy(&real_report.stdout).contains("Rehearsal score"));
}

#[test]
fn at_speed_600_an_escalation_level_ten_minutes_away_comes_due_in_rehearsal_time() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let runbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rehearse-clock.toml");
    let p = rehearse(&data, dir.path(), &format!("{} --speed 600", runbook.display()));
    p.wait_screen("REHEARSAL");
    // L1 has ten minutes: at ×600 the clock gets there in about a wall second.
    let records = wait_record(&p, &data, "rehearse-clock", "the automatic escalation to L2", |r| {
        r["kind"] == "incident.escalated" && r["data"]["automatic"] == true
    });
    // The runbook's ten minutes were not shortened: the clock ran faster, so the
    // journal says the level came due ten minutes (of rehearsal time) after the start.
    let opened = records.iter().find(|r| r["kind"] == "session.opened").expect("session.opened");
    let escalated = records.iter().find(|r| r["kind"] == "incident.escalated").unwrap();
    let after = ts(escalated) - ts(opened);
    assert!(after >= chrono::Duration::minutes(10), "escalated {after} after the start: {escalated}");
    p.wait_screen("L2");
    p.keys(&["q"]);
    p.wait_screen("EXIT=0");
}

#[test]
fn a_scenario_floods_a_log_and_its_criterion_fails() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let work = dir.path().join("work");
    let runbook = examples().join("golive-platform.toml");
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, "[[at]]\ntime = \"+1m\"\nlog = \"watchdog\"\nerrors_per_min = 200\nfor = \"30m\"\n")
        .unwrap();
    let p = rehearse(&data, &work, &format!("{} --speed 60 --scenario {}", runbook.display(), scenario.display()));
    p.wait_screen("REHEARSAL");
    // "No critical errors in the watchdog" (max 0 errors in 10m) reacts to the scenario's lines.
    wait_record(&p, &data, "golive-platform", "watchdog-clean FAIL", |r| {
        r["kind"] == "criterion.marked" && r["data"]["criterion"] == "watchdog-clean" && r["data"]["verdict"] == "fail"
    });
    // On screen too, while the errors go on (30 minutes: half a minute at ×60).
    p.wait_screen("FAIL    No critical errors in the watchdog");
    assert!(!work.exists(), "the rehearsal wrote under workdir");
    p.keys(&["q"]);
    p.wait_screen("EXIT=0");
}

#[test]
fn firing_a_rollback_in_a_rehearsal_runs_nothing_real() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let runbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rehearse-fire.toml");
    let p = rehearse(&data, &work, &runbook.display().to_string());
    p.wait_screen("REHEARSAL");
    p.keys(&["B"]);
    p.wait_screen("nothing runs");
    p.keys(&["Enter"]);
    p.wait_screen("Type undo");
    p.keys(&["-l", "undo"]);
    p.keys(&["Enter"]);
    let records = wait_record(&p, &data, "rehearse-fire", "the rollback's end", |r| r["kind"] == "rollback.finished");
    let finished = records.iter().find(|r| r["kind"] == "rollback.finished").unwrap();
    assert_eq!(finished["data"]["outcome"], "ok", "{finished}");
    assert!(!work.join("rolled-back").exists(), "the rehearsal ran the real rollback");
    assert_eq!(std::fs::read_dir(&work).unwrap().count(), 0, "the rehearsal wrote into workdir");
    p.keys(&["q"]);
    p.wait_screen("EXIT=0");
}

#[test]
fn at_speed_600_evidence_valid_for_ten_minutes_expires_in_rehearsal_time() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let runbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rehearse-clock.toml");
    let p = rehearse(&data, dir.path(), &format!("{} --speed 600", runbook.display()));
    p.wait_screen("REHEARSAL");
    p.keys(&["2", "Space"]);
    wait_record(&p, &data, "rehearse-clock", "the pass", |r| {
        r["kind"] == "criterion.marked" && r["data"]["criterion"] == "smoke" && r["data"]["verdict"] == "pass"
    });
    // valid_for = "10m": about a wall second at ×600, the pass is no longer evidence.
    p.wait_screen("expired ");
    assert!(p.screen().contains("PENDING Smoke test passed"), "{}", p.screen());
    p.keys(&["q"]);
    p.wait_screen("EXIT=0");
}

/// A step with `takes = "10m"` runs nothing real in a rehearsal but takes its
/// ten minutes on the rehearsal's clock (a wall second at ×600).
#[test]
fn a_rehearsed_step_takes_its_typical_time_on_the_rehearsal_clock() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let runbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rehearse-fire.toml");
    let p = rehearse(&data, &work, &format!("{} --speed 600", runbook.display()));
    p.wait_screen("REHEARSAL");
    p.keys(&["1", "r"]);
    p.wait_screen("Run step");
    p.keys(&["y"]);
    let records = wait_record(&p, &data, "rehearse-fire", "the step's end", |r| r["kind"] == "step.finished");
    let started = records.iter().find(|r| r["kind"] == "step.started").expect("step.started");
    let finished = records.iter().find(|r| r["kind"] == "step.finished").unwrap();
    assert_eq!(finished["data"]["outcome"], "ok", "{finished}");
    let took = ts(finished) - ts(started);
    assert!(took >= chrono::Duration::minutes(10), "the step took {took} of rehearsal time: {finished}");
    assert_eq!(std::fs::read_dir(&work).unwrap().count(), 0, "the rehearsal wrote into workdir");
    p.keys(&["q"]);
    p.wait_screen("EXIT=0");
}

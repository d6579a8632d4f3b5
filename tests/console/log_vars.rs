//! `WARROOM_VAR_<name>` overrides a declared var wherever a `{name}` is filled
//! (docs/runbook-format.md, "`[vars]` and `{placeholders}`"), log sources
//! included: a `[[log]] path` and a `[[log]] command` follow what the override
//! names, not the value written in `[vars]`. The real binary in plain mode,
//! its lines read as they come; errors written where the override points turn
//! "no errors" criteria to FAIL.

use std::time::{Duration, Instant};

use super::plain_clock::{append, Plain};

// Each test module of this binary includes the harness itself, so that
// its port stays in its own file; the copies share one tmux server.
#[allow(clippy::duplicate_mod)]
#[path = "../support/tmux.rs"]
mod tmux;

use tmux::{Pane, PATIENCE};

/// `workdir` names a folder that does not exist: only the override makes the logs readable.
const RUNBOOK: &str = r#"[runbook]
id = "logvars"
title = "Log vars"

[vars]
workdir = "/nonexistent/warroom-logvars"

[[log]]
id = "file"
path = "{workdir}/app.log"
error = "ERROR"

[[log]]
id = "cmd"
command = "tail -n +1 -F {workdir}/cmd.log"
error = "ERROR"

[[criterion]]
id = "file-quiet"
title = "No errors in the file log"
severity = "high"
on_fail = "evaluate"
auto = { log = "file", max_errors = 0, window = "1m" }

[[criterion]]
id = "cmd-quiet"
title = "No errors in the command log"
severity = "high"
on_fail = "evaluate"
auto = { log = "cmd", max_errors = 0, window = "1m" }
"#;

#[test]
fn an_overridden_var_moves_file_and_command_logs() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let runbook = data.path().join("rb.toml");
    std::fs::write(&runbook, RUNBOOK).unwrap();
    let journal = data.path().join("journal.jsonl");
    let p = Plain::start_with(&runbook, &journal, data.path(), &[("WARROOM_VAR_workdir", work.path())]);

    // A file tail starts at the end of the file, like `tail -F`: keep writing
    // errors where the override points until both criteria have seen one.
    let want = ["marked file-quiet FAIL automatically", "marked cmd-quiet FAIL automatically"];
    let start = Instant::now();
    while !want.iter().all(|w| p.printed().contains(w)) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the logs under WARROOM_VAR_workdir were never followed; plain mode printed:\n{}",
            p.printed()
        );
        append(&work.path().join("app.log"), "ERROR the database went away");
        append(&work.path().join("cmd.log"), "ERROR the queue is stuck");
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// The full-screen console in a real tmux (tests/support/tmux.rs): the Logs pane
/// names the file the override points to and shows what is written there.
#[test]
fn the_logs_pane_follows_the_overridden_path() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir_in("/tmp").unwrap();
    let runbook = data.path().join("rb.toml");
    std::fs::write(&runbook, RUNBOOK).unwrap();
    let log = work.path().join("app.log");
    let cmd = format!(
        "WARROOM_DATA_DIR={data} WARROOM_CONFIG_DIR={data}/config WARROOM_OPERATOR=ana TERM=xterm-256color \
         WARROOM_VAR_workdir={work} {bin} open {rb} --journal {data}/journal.jsonl",
        data = data.path().display(),
        work = work.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display(),
    );
    let tmux = Pane::start("logs", 200, 50, &cmd);
    tmux.wait("the console", |s| s.contains("Logs"), PATIENCE);
    tmux.keys(&["4"]);
    let shown = log.display().to_string();
    tmux.wait("the overridden path", |s| s.contains(&shown), PATIENCE);
    // The tail starts at the end of the file: write until a line shows.
    let start = Instant::now();
    while !tmux.screen().contains("ERROR written under the override") {
        assert!(start.elapsed() < Duration::from_secs(60), "no line from {shown} on screen:\n{}", tmux.screen());
        append(&log, "ERROR written under the override");
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(!tmux.screen().contains("/nonexistent"), "the declared path is not shown:\n{}", tmux.screen());
    tmux.keys(&["q"]);
}

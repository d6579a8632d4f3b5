//! The database going away under a running console, or not there when it
//! starts. Each test stops and restarts a server no other test uses (the
//! binary's own cluster, or one the test starts for itself). Real tmux on a
//! private server (tests/support/tmux.rs), waits on conditions only.

#[path = "support/pg.rs"]
mod pg;
#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tmux::{Pane, PATIENCE};

/// Polls `value` until `cond` holds on it (a screen, a query's answer).
fn wait(what: &str, value: &dyn Fn() -> String, cond: &dyn Fn(&str) -> bool) {
    assert!(tmux::poll(PATIENCE, || cond(&value())), "timed out waiting for {what}\n--- last seen ---\n{}", value());
}

#[test]
fn a_database_outage_shows_a_banner_refuses_acts_and_resumes_without_duplicates() {
    let Some(pg) = pg::cluster() else { return };
    let session = format!("outage-{}", std::process::id());
    let url = pg.url(&session);
    let dir = tempfile::tempdir().unwrap();
    let runbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg-drill.toml");
    let cmd = format!(
        "cd {dir} && export WARROOM_DATA_DIR={dir}/data WARROOM_CONFIG_DIR={dir}/config WARROOM_OPERATOR=ana \
         TERM=xterm-256color && {bin} open {rb} --journal '{url}'; echo EXIT=$?; sleep 600",
        dir = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display(),
    );
    let pane = Pane::start("outage", 140, 40, &cmd);
    let screen = || pane.screen();
    let count = |kind: &str| {
        pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{session}' AND kind = '{kind}'"))
    };
    wait("the console", &screen, &|s| s.contains("Shared drill"));
    wait("session.opened in the database", &|| count("session.opened"), &|n| n == "1");

    pg.stop();
    wait("the banner", &screen, &|s| s.contains("READ-ONLY: journal DB down since"));
    // An act while it is down is refused, saying why; nothing is written anywhere.
    pane.keys(&["2", "Space"]);
    wait("the refusal", &screen, &|s| s.contains("read-only: journal DB down since"));
    assert!(!screen().contains("✓ PASS"), "{}", screen());
    // A script's act is refused too (exit 2: the journal cannot be opened).
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["mark", runbook.to_str().unwrap(), "search", "fail", "--journal", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));

    // Down for 10 s, as in a real outage: the banner stays, the console keeps running (its clock ticks on).
    let down = Instant::now();
    let first = screen();
    while down.elapsed() < Duration::from_secs(10) {
        assert!(screen().contains("READ-ONLY: journal DB down since"), "{}", screen());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_ne!(first, screen(), "the screen did not change in 10 s: the console hangs");

    pg.restart();
    wait("the banner gone", &screen, &|s| !s.contains("READ-ONLY"));
    wait("the message", &screen, &|s| s.contains("journal database reachable again"));
    pane.keys(&["Space"]);
    wait("the mark", &screen, &|s| s.contains("✓ PASS    Smoke test passes"));
    wait("the mark in the database", &|| count("criterion.marked"), &|n| n == "1");
    pane.keys(&["q"]);
    wait("the console to end", &screen, &|s| s.contains("EXIT=0"));
    assert_eq!(count("session.opened"), "1");
    assert_eq!(count("session.closed"), "1");
    let total: u64 =
        pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{session}'")).parse().unwrap();
    let seqs: u64 =
        pg.psql(&format!("SELECT max(seq) FROM warroom_records WHERE session = '{session}'")).parse().unwrap();
    assert_eq!(total, seqs, "no gaps, no duplicates");
    let out = Command::new(env!("CARGO_BIN_EXE_warroom")).args(["verify", &url]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

/// A runbook whose probe is UP while `flag` exists, checked every second and
/// turned by a single attempt, with a criterion judged by it automatically.
fn probe_runbook(dir: &Path, flag: &Path) -> std::path::PathBuf {
    let rb = dir.join("probe-drill.toml");
    std::fs::write(
        &rb,
        format!(
            r#"[runbook]
id = "pg-probe-drill"
title = "Probe drill"

[[probe]]
id = "flag"
title = "The flag file"
command = "test -e {flag}"
every = "1s"
timeout = "1s"
failure_threshold = 1
success_threshold = 1

[[criterion]]
id = "flag-up"
title = "The flag is up"
severity = "critical"
auto = {{ probe = "flag" }}
"#,
            flag = flag.display()
        ),
    )
    .unwrap();
    rb
}

#[test]
fn probe_changes_and_auto_verdicts_during_an_outage_are_written_after_it_once_each() {
    if pg::skipped() {
        return;
    }
    // Its own server: this test stops it, and other tests must not notice.
    let pg = pg::Cluster::start_own("probes");
    let session = format!("probes-{}", std::process::id());
    let url = pg.url(&session);
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("up");
    std::fs::write(&flag, "").unwrap();
    let runbook = probe_runbook(dir.path(), &flag);
    // The tables first, so the queries below can be asked before the console has created them.
    let init = Command::new(env!("CARGO_BIN_EXE_warroom")).args(["db", "init", &url]).output().unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let cmd = format!(
        "cd {dir} && export WARROOM_DATA_DIR={dir}/data WARROOM_CONFIG_DIR={dir}/config WARROOM_OPERATOR=ana \
         TERM=xterm-256color && {bin} open {rb} --journal '{url}'; echo EXIT=$?; sleep 600",
        dir = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display(),
    );
    let pane = Pane::start("probes", 140, 40, &cmd);
    let screen = || pane.screen();
    let rows = |kind: &str, late: bool| {
        pg.psql(&format!(
            "SELECT coalesce(string_agg(data, ' | ' ORDER BY seq), '') FROM warroom_records \
             WHERE session = '{session}' AND kind = '{kind}' AND (data LIKE '%\"written_at\"%') = {late}"
        ))
    };
    wait("the probe UP in the database", &|| rows("probe.changed", false), &|r| r.contains("\"health\":\"up\""));
    wait("the auto verdict in the database", &|| rows("criterion.marked", false), &|r| r.contains("\"pass\""));

    pg.stop();
    wait("the banner", &screen, &|s| s.contains("READ-ONLY: journal DB down since"));
    // The probe goes DOWN and comes back while nothing can be written: both changes, and the
    // verdicts they make, wait in the outbox (the screen says how many).
    std::fs::remove_file(&flag).unwrap();
    wait("the waiting DOWN", &screen, &|s| s.contains("JOURNAL NOT WRITING: 2 events waiting"));
    std::fs::write(&flag, "").unwrap();
    wait("the waiting UP", &screen, &|s| s.contains("JOURNAL NOT WRITING: 4 events waiting"));
    // Down for 10 s in all, as in the issue's drill.
    let down = Instant::now();
    while down.elapsed() < Duration::from_secs(10) {
        // (The status line is narrower with the banner's warning on it: "since" may be cut.)
        assert!(screen().contains("READ-ONLY: journal DB down"), "{}", screen());
        std::thread::sleep(Duration::from_millis(200));
    }

    pg.restart();
    wait("the banner gone", &screen, &|s| !s.contains("READ-ONLY"));
    wait("the late probe changes", &|| rows("probe.changed", true), &|r| r.matches("\"probe\":\"flag\"").count() == 2);
    wait("the late verdicts", &|| rows("criterion.marked", true), &|r| r.matches("\"source\":\"auto\"").count() == 2);
    let late = rows("probe.changed", true);
    let down_at = late.find("\"health\":\"down\"").expect("DOWN written late");
    let up_at = late.find("\"health\":\"up\"").expect("UP written late");
    assert!(down_at < up_at, "in the order they happened: {late}");
    let verdicts = rows("criterion.marked", true);
    assert!(verdicts.find("\"fail\"").unwrap() < verdicts.find("\"pass\"").unwrap(), "{verdicts}");
    pane.keys(&["q"]);
    wait("the console to end", &screen, &|s| s.contains("EXIT=0"));
    // Each exactly once: nothing more than the one UP before, the two during, no gap in seq.
    let count = |kind: &str| {
        pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{session}' AND kind = '{kind}'"))
    };
    assert_eq!(count("probe.changed"), "3", "{}", rows("probe.changed", true));
    assert_eq!(count("criterion.marked"), "3");
    let (total, max): (String, String) = (
        pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{session}'")),
        pg.psql(&format!("SELECT max(seq) FROM warroom_records WHERE session = '{session}'")),
    );
    assert_eq!(total, max, "no gaps, no duplicates");
    let out = Command::new(env!("CARGO_BIN_EXE_warroom")).args(["verify", &url]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_console_started_while_the_database_is_down_says_so_retries_and_opens_once_it_answers() {
    if pg::skipped() {
        return;
    }
    let pg = pg::Cluster::start_own("late");
    pg.stop();
    let session = format!("late-{}", std::process::id());
    let url = pg.url(&session);
    let dir = tempfile::tempdir().unwrap();
    let runbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg-drill.toml");
    let cmd = format!(
        "cd {dir} && export WARROOM_DATA_DIR={dir}/data WARROOM_CONFIG_DIR={dir}/config WARROOM_OPERATOR=ana \
         TERM=xterm-256color && {bin} open {rb} --journal '{url}'; echo EXIT=$?; sleep 600",
        dir = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display(),
    );
    let pane = Pane::start("late", 140, 40, &cmd);
    let screen = || pane.screen();
    wait("the message", &screen, &|s| s.contains("is unreachable") && s.contains("Ctrl-C to give up"));
    // It keeps trying (and says so) rather than exit.
    wait("a retry", &screen, &|s| s.contains("still unreachable (try 3)"));
    assert!(!screen().contains("EXIT="), "{}", screen());

    pg.restart();
    wait("the console", &screen, &|s| s.contains("Shared drill"));
    let opened = pg
        .psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{session}' AND kind = 'session.opened'"));
    assert_eq!(opened, "1");
    pane.keys(&["q"]);
    wait("the console to end", &screen, &|s| s.contains("EXIT=0"));
}

//! Two consoles standing in for two hosts (each its own data dir and folder)
//! on one PostgreSQL session, in real tmux (tests/support/tmux.rs):
//! each sees the other's acts, and a rollback fired from both at once starts
//! once. Waits are on conditions with generous deadlines; how long the other
//! console took is printed (the figure itself belongs to the benchmark,
//! `scripts/pg_journal_bench.sh`).

#[path = "support/pg.rs"]
mod pg;
#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tmux::{Pane, PATIENCE};

/// One console as `operator` in a folder of its own; killed on drop.
struct Console {
    pane: Pane,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for Console {
    type Target = Pane;
    fn deref(&self) -> &Pane {
        &self.pane
    }
}

impl Console {
    fn open(tag: &str, operator: &str, url: &str) -> Console {
        let dir = tempfile::tempdir().unwrap();
        let runbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg-drill.toml");
        std::fs::copy(&runbook, dir.path().join("runbook.toml")).unwrap();
        // The URL through WARROOM_JOURNAL, as a team's shell profile would set it.
        let cmd = format!(
            "cd {dir} && export WARROOM_DATA_DIR={dir}/data WARROOM_CONFIG_DIR={dir}/config \
             WARROOM_OPERATOR={operator} TERM=xterm-256color WARROOM_JOURNAL='{url}' && {bin} open runbook.toml; \
             echo EXIT=$?; sleep 600",
            dir = dir.path().display(),
            bin = env!("CARGO_BIN_EXE_warroom"),
        );
        Console { pane: Pane::start(&format!("pg-{tag}"), 120, 40, &cmd), _dir: dir }
    }

    /// Waits for `needle` on screen; returns how long it took.
    fn wait_screen(&self, needle: &str) -> Duration {
        let start = Instant::now();
        self.pane.wait_screen(needle);
        start.elapsed()
    }
}

fn count(pg: &pg::Cluster, session: &str, kind: &str) -> String {
    pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{session}' AND kind = '{kind}'"))
}

fn wait_for(what: &str, cond: impl Fn() -> bool) {
    assert!(tmux::poll(PATIENCE, cond), "timed out waiting for {what}");
}

#[test]
fn two_consoles_on_one_database_see_each_others_acts() {
    let Some(pg) = pg::cluster() else { return };
    let session = format!("acts-{}", std::process::id());
    let url = pg.url(&session);
    let ana = Console::open("ana", "ana", &url);
    ana.wait_screen("Shared drill");
    let bob = Console::open("bob", "bob", &url);
    bob.wait_screen("Shared drill");
    // Each console is in the other's roster (the database's presence table): both names in both status lines.
    ana.wait_screen("ana ▶ · bob ▶");
    bob.wait_screen("ana ▶ · bob ▶");

    // Ana passes the critical criterion (first in the checklist); Bob's console shows it.
    ana.keys(&["2", "Space"]);
    ana.wait_screen("✓ PASS    Smoke test passes");
    let took = bob.wait_screen("✓ PASS    Smoke test passes");
    eprintln!("ana's mark on bob's screen after {took:?} (from ana's screen)");

    // Bob fails the other one; Ana's console shows it.
    bob.keys(&["2", "j", "x"]);
    bob.wait_screen("✗ FAIL    Search returns results");
    let took = ana.wait_screen("✗ FAIL    Search returns results");
    eprintln!("bob's mark on ana's screen after {took:?} (from bob's screen)");

    let out = Command::new(env!("CARGO_BIN_EXE_warroom")).args(["verify", &url]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    ana.keys(&["q"]);
    ana.wait_screen("EXIT=0");
}

#[test]
fn the_same_rollback_fired_from_both_consoles_starts_once() {
    let Some(pg) = pg::cluster() else { return };
    let session = format!("race-{}", std::process::id());
    let url = pg.url(&session);
    let ana = Console::open("race-ana", "ana", &url);
    let bob = Console::open("race-bob", "bob", &url);
    for c in [&ana, &bob] {
        c.wait_screen("Shared drill");
        c.keys(&["B"]);
        c.wait_screen("Back to the previous release");
        c.keys(&["Enter"]);
        c.wait_screen("Type full to approve AND FIRE");
        c.literal("full");
    }
    // Both confirm at once: one starts it; the other's start is refused under the session's lock.
    ana.keys(&["Enter"]);
    bob.keys(&["Enter"]);
    wait_for("a rollback.started in the database", || count(pg, &session, "rollback.started") != "0");
    ana.wait_screen("ROLLBACK RUNNING full");
    bob.wait_screen("ROLLBACK RUNNING full");
    assert_eq!(count(pg, &session, "rollback.started"), "1", "ana:\n{}\nbob:\n{}", ana.screen(), bob.screen());
}

#[test]
fn the_demo_runs_on_a_database_session() {
    let Some(pg) = pg::cluster() else { return };
    let session = format!("demo-{}", std::process::id());
    let url = pg.url(&session);
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "cd {dir} && export WARROOM_DATA_DIR={dir}/data WARROOM_CONFIG_DIR={dir}/config WARROOM_OPERATOR=ana \
         TERM=xterm-256color && {bin} demo --journal '{url}'; echo EXIT=$?; sleep 600",
        dir = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
    );
    let demo = Console { pane: Pane::start("pg-demo", 160, 50, &cmd), _dir: dir };
    demo.wait_screen("DEMO");
    wait_for("session.opened in the database", || count(pg, &session, "session.opened") == "1");
    demo.keys(&["q"]);
    demo.wait_screen("EXIT=0");
    assert_eq!(count(pg, &session, "session.closed"), "1");
}

#[test]
fn a_console_whose_role_may_only_read_says_read_only_and_refuses_acts() {
    let Some(pg) = pg::cluster() else { return };
    let session = format!("watcher-{}", std::process::id());
    let url = pg.url(&session);
    let writer = Console::open("writer", "ana", &url);
    writer.wait_screen("Shared drill");
    pg.psql(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'watcher') THEN \
         CREATE ROLE watcher LOGIN; END IF; END $$; \
         GRANT CONNECT ON DATABASE warroom TO watcher; GRANT USAGE ON SCHEMA public TO watcher; \
         GRANT SELECT ON warroom_schema, warroom_records TO watcher;",
    );
    let ro = Console::open("watcher", "eve", &url.replace("postgres://postgres@", "postgres://watcher@"));
    ro.wait_screen("READ-ONLY: this role may only");
    ro.keys(&["2", "Space"]);
    ro.wait_screen("read-only: this role may only read");
    // It still watches: the writer's act shows up.
    writer.keys(&["2", "Space"]);
    ro.wait_screen("✓ PASS    Smoke test passes");
    assert_eq!(count(pg, &session, "criterion.marked"), "1");
}

/// `warroom who --json` on the session: the operators present.
fn who(url: &str) -> Vec<String> {
    let rb = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg-drill.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["who", rb.to_str().unwrap(), "--json", "--journal", url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.iter().map(|r| format!("{} pid {}", r["operator"].as_str().unwrap(), r["pid"])).collect()
}

#[test]
fn consoles_with_different_data_dirs_see_each_other_in_the_roster_and_in_warroom_who() {
    let Some(pg) = pg::cluster() else { return };
    let session = format!("who-{}", std::process::id());
    let url = pg.url(&session);
    let ana = Console::open("who-ana", "ana", &url);
    ana.wait_screen("Shared drill");
    let bob = Console::open("who-bob", "bob", &url);
    // No presence file is shared (each its own data dir): the database's table says who is here.
    ana.wait_screen("ana ▶ · bob ▶");
    bob.wait_screen("ana ▶ · bob ▶");
    ana.wait_screen("bob joined (W: who is here)");
    ana.keys(&["W"]);
    ana.wait_screen("Who is here (2)");
    ana.wait_screen("ana (you)");
    ana.keys(&["Escape"]);
    let present = who(&url);
    assert_eq!(present.len(), 2, "{present:?}");
    assert!(present[0].starts_with("ana pid") && present[1].starts_with("bob pid"), "{present:?}");

    // Bob quits: his row goes at once, and Ana is told.
    bob.keys(&["q"]);
    bob.wait_screen("EXIT=0");
    ana.wait_screen("bob left");
    wait_for("bob gone from who", || who(&url).len() == 1);

    // Ana's console killed outright (no goodbye): her row goes stale and drops out within seconds.
    let pid: i32 = who(&url)[0].rsplit(' ').next().unwrap().parse().unwrap();
    // SAFETY: a plain kill(2) of the console process this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    wait_for("ana's stale row out of who", || who(&url).is_empty());
    let rows = pg.psql(&format!("SELECT count(*) FROM warroom_presence WHERE session = '{session}'"));
    assert_eq!(rows, "1", "a killed console's row stays (stale) until pruned");
}

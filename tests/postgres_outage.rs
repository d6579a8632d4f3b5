//! The database going away under a running console (its own cluster: this
//! binary stops and restarts it). Real tmux on a private server
//! (`-L wr-pg-outage`), waits on conditions only.

#[path = "support/pg.rs"]
mod pg;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SOCKET: &str = "wr-pg-outage";

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(["-L", SOCKET]).args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).to_string()
}

struct Killed(String);
impl Drop for Killed {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

fn wait(what: &str, screen: &dyn Fn() -> String, cond: &dyn Fn(&str) -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(40) {
        if cond(&screen()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}\n--- screen ---\n{}", screen());
}

#[test]
fn a_database_outage_shows_a_banner_refuses_acts_and_resumes_without_duplicates() {
    let Some(pg) = pg::cluster() else { return };
    let session = format!("outage-{}", std::process::id());
    let url = pg.url(&session);
    let dir = tempfile::tempdir().unwrap();
    let runbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg-drill.toml");
    let name = format!("outage-{}", std::process::id());
    let cmd = format!(
        "cd {dir} && export WARROOM_DATA_DIR={dir}/data WARROOM_CONFIG_DIR={dir}/config WARROOM_OPERATOR=ana \
         TERM=xterm-256color && {bin} open {rb} --journal '{url}'; echo EXIT=$?; sleep 600",
        dir = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_warroom"),
        rb = runbook.display(),
    );
    tmux(&["new-session", "-d", "-s", &name, "-x", "140", "-y", "40", &cmd]);
    let _kill = Killed(name.clone());
    let screen = || tmux(&["capture-pane", "-p", "-t", &name]);
    let count = |kind: &str| {
        pg.psql(&format!("SELECT count(*) FROM warroom_records WHERE session = '{session}' AND kind = '{kind}'"))
    };
    wait("the console", &screen, &|s| s.contains("Shared drill"));
    wait("session.opened in the database", &|| count("session.opened"), &|n| n == "1");

    pg.stop();
    wait("the banner", &screen, &|s| s.contains("READ-ONLY: journal DB down since"));
    // An act while it is down is refused, saying why; nothing is written anywhere.
    tmux(&["send-keys", "-t", &name, "2", "Space"]);
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
    tmux(&["send-keys", "-t", &name, "Space"]);
    wait("the mark", &screen, &|s| s.contains("✓ PASS    Smoke test passes"));
    wait("the mark in the database", &|| count("criterion.marked"), &|n| n == "1");
    tmux(&["send-keys", "-t", &name, "q"]);
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

//! The message history in real tmux: two warnings at start are both kept (the
//! bar shows the newest and how many more are unread, no "(+1 more)" that
//! cannot be read), `m` lists them all, and the count clears once read.

// Each test module of this binary includes the harness itself, so that
// its port stays in its own file; the copies share one tmux server.
#[allow(clippy::duplicate_mod)]
#[path = "../support/tmux.rs"]
mod tmux;

use tmux::{Pane, PATIENCE};

/// A console on a runbook whose two probes each warn at start, at `w`×`h`.
fn start(w: u16, h: u16) -> (tempfile::TempDir, Pane) {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("rb.toml");
    // Two probes whose timeout is longer than their interval: one warning each.
    std::fs::write(
        &rb,
        r#"[runbook]
id = "msgs"
title = "Messages e2e"

[[probe]]
id = "first-slow"
tcp = "127.0.0.1:1"
every = "1h"
timeout = "2h"

[[probe]]
id = "second-slow"
tcp = "127.0.0.1:1"
every = "1h"
timeout = "2h"
"#,
    )
    .unwrap();
    let cmd = format!(
        "WARROOM_DATA_DIR={} {} open {} --journal {}; sleep 600",
        dir.path().join("data").display(),
        env!("CARGO_BIN_EXE_warroom"),
        rb.display(),
        dir.path().join("j.jsonl").display()
    );
    let pane = Pane::start(&format!("msgs-{w}"), w, h, &cmd);
    (dir, pane)
}

#[test]
fn every_start_warning_is_kept_and_m_lists_them() {
    let (_dir, t) = start(160, 40);
    let s = t.wait("the newest warning with an unread count", |s| s.contains("(+1 unread: m)"), PATIENCE);
    assert!(s.contains("second-slow"), "{s}");
    t.keys(&["m"]);
    let s = t.wait("the history", |s| s.contains("Message history (2)"), PATIENCE);
    assert!(s.contains("first-slow") && s.contains("second-slow"), "{s}");
    assert!(s.contains("WARN"), "{s}");
    t.keys(&["Escape"]);
    let s = t.wait("the hint line back", |s| s.contains("? help"), PATIENCE);
    assert!(!s.contains("unread"), "read messages are still counted:\n{s}");
}

/// At 80 columns a warning is longer than the dialog: it wraps, its end in view.
#[test]
fn long_messages_wrap_in_the_history() {
    let (_dir, t) = start(80, 30);
    t.wait("a warning with an unread count", |s| s.contains("unread"), PATIENCE);
    t.keys(&["m"]);
    let s = t.wait("the history", |s| s.contains("Message history (2)"), PATIENCE);
    assert_eq!(s.matches("overlap").count(), 2, "each warning's end, wrapped:\n{s}");
}

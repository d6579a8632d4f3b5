//! Runs are state: what a rollback did stays on screen (in `B` and in
//! Steps), and firing one that already ran asks first.

use crate::tmux::{fixture, Console};

/// Fires `revert` (ok) and `undo` (not found: exit 127), then: `B` shows
/// each one's last run — outcome, exit, who, last output line — and no
/// longer "approvals 0/1"; Steps lists the rollback runs; Enter on `revert`
/// asks "already ran at HH:MM by ana (ok) — run again?" before anything.
fn a_rollback_run_is_shown_in_b_and_a_second_fire_asks_first(w: u16, h: u16) {
    let c = Console::open(&format!("runs-{w}"), &fixture("screen-runs.toml"), w, h);
    c.wait_text("Apply the migration");
    c.keys(&["B"]);
    c.wait_text("approvals 0/1");
    c.keys(&["Enter"]);
    c.wait_text("to approve AND FIRE");
    c.literal("revert");
    c.keys(&["Enter"]);
    c.wait("the dialog closed on firing", |s| !s.contains("to approve AND FIRE"));
    c.keys(&["B"]);
    // Its last output line (the command itself prints it with a %s).
    c.wait_text("release 4.1 is back");
    c.wait("revert's run in B, with its outcome", |s| s.contains("ok exit 0") && s.contains("by ana"));

    // The second rollback fails: the shell does not find its command.
    c.keys(&["j", "Enter"]);
    c.wait_text("to approve AND FIRE");
    c.literal("undo");
    c.keys(&["Enter"]);
    c.wait("the dialog closed on firing", |s| !s.contains("to approve AND FIRE"));
    c.keys(&["B"]);
    let s = c.wait("undo's failed run in B", |s| s.contains("failed exit 127"));
    assert!(!s.contains("approvals 0/1"), "a rollback that ran still reads as never approved:\n{s}");

    // Steps shows the rollbacks' runs too.
    c.keys(&["Escape"]);
    c.wait("the dialog closed", |s| !s.contains("who may:"));
    c.wait("the rollback runs in Steps", |s| {
        s.contains("Rollbacks") && s.contains("✓ OK      revert") && s.contains("✗ FAILED  undo")
    });

    // Firing revert again asks first, naming the first run; n fires nothing.
    c.keys(&["B", "Enter"]);
    c.wait("the question before a second run", |s| {
        s.contains("already ran at") && s.contains("by ana (ok)") && s.contains("run again?")
    });
    c.keys(&["n"]);
    c.wait("n answered", |s| !s.contains("run again?"));
    c.keys(&["Enter"]);
    c.wait_text("run again?");
    c.keys(&["y"]);
    c.wait_text("to approve AND FIRE");
    c.literal("revert");
    c.keys(&["Enter"]);
    c.wait("the dialog closed on firing", |s| !s.contains("to approve AND FIRE"));
    c.keys(&["B"]);
    c.wait("the second run in B", |s| s.contains("run 2") && s.contains("ok exit 0"));
}

#[test]
fn a_rollback_run_is_shown_in_b_and_a_second_fire_asks_first_80x24() {
    a_rollback_run_is_shown_in_b_and_a_second_fire_asks_first(80, 24);
}

#[test]
fn a_rollback_run_is_shown_in_b_and_a_second_fire_asks_first_200x60() {
    a_rollback_run_is_shown_in_b_and_a_second_fire_asks_first(200, 60);
}

/// Another console's `B` shows the rollback's last line as the command said
/// it, not the runner's closing note ("exited with exit code 0 after …").
#[test]
fn another_console_shows_what_the_rollback_said_last() {
    let a = Console::open("runs-said-a", &fixture("screen-runs.toml"), 120, 40);
    a.wait_text("Apply the migration");
    let b = a.join("runs-said-b", "bo", 120, 40);
    b.wait_text("Apply the migration");
    a.keys(&["B", "Enter"]);
    a.wait_text("to approve AND FIRE");
    a.literal("revert");
    a.keys(&["Enter"]);
    a.wait("the dialog closed on firing", |s| !s.contains("to approve AND FIRE"));
    b.wait("the run on bo's screen", |s| s.contains("revert"));
    b.keys(&["B"]);
    let s = b.wait("revert's run in bo's B", |s| s.contains("ok exit 0") && s.contains("by ana"));
    let s = if s.contains("release 4.1 is back") { s } else { b.wait_text("release 4.1 is back") };
    assert!(!s.contains("exited with exit code"), "the runner's note shown as the command's output:\n{s}");
}

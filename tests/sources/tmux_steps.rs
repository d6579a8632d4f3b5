//! End to end in real tmux: the built binary on a runbook, keys sent as a user
//! types them, the screen read back — running a step, reading its output,
//! aborting a stubborn one — and the journal checked.

// Each test module of this binary includes the harness itself, so that
// its port stays in its own file; the copies share one tmux server.
#[allow(clippy::duplicate_mod)]
#[path = "../support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::time::Duration;

use tmux::{Pane, PATIENCE};

fn start(dir: &Path, runbook: &Path) -> Pane {
    // On exit the pane keeps the console's last words on screen for the failure message.
    let cmd = format!(
        "WARROOM_DATA_DIR={} {} open {} --journal {}; echo warroom exited $?; sleep 600",
        dir.join("data").display(),
        env!("CARGO_BIN_EXE_warroom"),
        runbook.display(),
        dir.join("session/journal.jsonl").display()
    );
    Pane::start("procs", 120, 40, &cmd)
}

fn pane_title(pane: &Pane) -> String {
    tmux::tmux_out(&["display-message", "-p", "-t", &pane.target(), "#{pane_title}"]).trim().to_string()
}

#[test]
fn run_read_output_and_abort_in_tmux() {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("rb.toml");
    std::fs::write(
        &rb,
        r#"[runbook]
id = "e2e"
title = "E2E steps"

[[phase]]
id = "deploy"
title = "Deploy"

[[step]]
id = "greet"
phase = "deploy"
title = "Greet"
run = "printf 'hello-e2e \\033]0;pwned\\007done\\n'"

[[step]]
id = "stubborn"
phase = "deploy"
title = "Stubborn"
run = "trap '' TERM; sleep 999 & sleep 999"
"#,
    )
    .unwrap();
    let t = start(dir.path(), &rb);
    t.wait_screen("E2E steps");
    t.keys(&["r"]);
    t.wait_screen("Run step greet");
    t.keys(&["y"]);
    t.wait_screen("exit 0");
    t.keys(&["Enter"]);
    t.wait_screen("hello-e2e done");
    // The OSC 0 in the output never reached the terminal: the pane title is untouched.
    assert_ne!(pane_title(&t), "pwned");
    t.keys(&["Escape"]);
    t.wait_screen("? help");
    t.keys(&["j"]);
    std::thread::sleep(Duration::from_millis(200));
    t.keys(&["r"]);
    t.wait_screen("Run step stubborn");
    t.keys(&["y"]);
    t.wait_screen("stubborn run 1 started");
    t.keys(&["x"]);
    t.wait_screen("Abort step stubborn");
    t.keys(&["y"]);
    t.wait_screen("aborted");
    t.keys(&["q"]);
    // Quit leaves nothing running: the journal ends with the session closed.
    let journal = dir.path().join("session/journal.jsonl");
    let text = || std::fs::read_to_string(&journal).unwrap_or_default();
    t.wait_for(
        "the console to quit (session.closed in the journal)",
        PATIENCE,
        || text().contains("session.closed"),
        text,
    );
    let text = text();
    assert!(text.contains(r#""outcome":"aborted""#) && text.contains(r#""step":"stubborn""#), "{text}");
    assert!(text.contains(r#""outcome":"ok""#), "{text}");
}

//! End to end in real tmux: the built binary on a runbook, keys sent as a user
//! types them, the screen read back — running a step, reading its output,
//! aborting a stubborn one — and the journal checked.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path, runbook: &Path) -> Tmux {
        let socket = format!("wr-procs-{}", std::process::id());
        // On exit the pane keeps the console's last words on screen for the failure message.
        let cmd = format!(
            "WARROOM_DATA_DIR={} {} open {} --journal {}; echo warroom exited $?; sleep 600",
            dir.join("data").display(),
            env!("CARGO_BIN_EXE_warroom"),
            runbook.display(),
            dir.join("session/journal.jsonl").display()
        );
        let ok = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-x", "120", "-y", "40", &cmd])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux did not start");
        Tmux { socket }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn pane_title(&self) -> String {
        let out =
            Command::new("tmux").args(["-L", &self.socket, "display-message", "-p", "#{pane_title}"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn keys(&self, keys: &str) {
        Command::new("tmux").args(["-L", &self.socket, "send-keys", keys]).status().unwrap();
    }

    /// Waits until the screen shows `text` (a guard against hangs, not a timing assertion).
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "never saw {text:?}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
        // kill-server leaves the socket file behind: remove ours.
        let uid = unsafe { libc::getuid() };
        let _ = std::fs::remove_file(format!("/tmp/tmux-{uid}/{}", self.socket));
    }
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
    let t = Tmux::start(dir.path(), &rb);
    t.wait_for("E2E steps");
    t.keys("r");
    t.wait_for("Run step greet");
    t.keys("y");
    t.wait_for("exit 0");
    t.keys("Enter");
    t.wait_for("hello-e2e done");
    // The OSC 0 in the output never reached the terminal: the pane title is untouched.
    assert_ne!(t.pane_title(), "pwned");
    t.keys("Escape");
    t.wait_for("? help");
    t.keys("j");
    std::thread::sleep(Duration::from_millis(200));
    t.keys("r");
    t.wait_for("Run step stubborn");
    t.keys("y");
    t.wait_for("stubborn run 1 started");
    t.keys("x");
    t.wait_for("Abort step stubborn");
    t.keys("y");
    t.wait_for("aborted");
    t.keys("q");
    // Quit leaves nothing running: the journal ends with the session closed.
    let journal = dir.path().join("session/journal.jsonl");
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(&journal).unwrap_or_default();
        if text.contains("session.closed") {
            assert!(text.contains(r#""outcome":"aborted""#) && text.contains(r#""step":"stubborn""#), "{text}");
            assert!(text.contains(r#""outcome":"ok""#), "{text}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "console never quit:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(100));
    }
}

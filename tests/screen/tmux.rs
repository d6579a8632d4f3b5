//! One tmux session running `warroom open` on a fixture, with its own data dir.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SOCK: &str = "wr-screen-test";

/// Generous: tmux tests share a loaded 2-core machine; a deadline costs
/// nothing when the screen is quick.
const DEADLINE: Duration = Duration::from_secs(30);

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").arg("-L").arg(SOCK).args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).to_string()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub struct Console {
    name: String,
    /// The data dir (journal, presence); owned by the first console on it.
    data: PathBuf,
    _owned: Option<tempfile::TempDir>,
    runbook: PathBuf,
}

impl Console {
    pub fn open(name: &str, runbook: &Path, w: u16, h: u16) -> Console {
        let data = tempfile::tempdir().unwrap();
        let mut c = Console::start(name, runbook, w, h, data.path(), "ana");
        c._owned = Some(data);
        c
    }

    /// A second console on the same session (same data dir), as `operator`.
    pub fn join(&self, name: &str, operator: &str, w: u16, h: u16) -> Console {
        Console::start(name, &self.runbook, w, h, &self.data, operator)
    }

    fn start(name: &str, runbook: &Path, w: u16, h: u16, data: &Path, operator: &str) -> Console {
        let name = format!("{name}-{}", std::process::id());
        let cmd = format!(
            "cd {dir} && export WARROOM_DATA_DIR={d} WARROOM_CONFIG_DIR={d}/config WARROOM_OPERATOR={operator} TERM=xterm-256color && {bin} open {rb}; echo EXIT=$?; sleep 600",
            dir = env!("CARGO_MANIFEST_DIR"),
            d = data.display(),
            bin = env!("CARGO_BIN_EXE_warroom"),
            rb = runbook.display(),
        );
        tmux(&["kill-session", "-t", &name]);
        tmux(&["new-session", "-d", "-s", &name, "-x", &w.to_string(), "-y", &h.to_string(), &cmd]);
        Console { name, data: data.to_path_buf(), _owned: None, runbook: runbook.to_path_buf() }
    }

    /// `warroom ARGS… RUNBOOK-relative` from outside the console, as `operator`,
    /// on the same session: another person's command line.
    pub fn warroom(&self, operator: &str, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_warroom"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("WARROOM_DATA_DIR", &self.data)
            .env("WARROOM_CONFIG_DIR", self.data.join("config"))
            .env("WARROOM_OPERATOR", operator)
            .args(args)
            .output()
            .expect("warroom runs")
    }

    pub fn runbook(&self) -> &Path {
        &self.runbook
    }

    /// Types text as it is (no key names).
    pub fn literal(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    pub fn screen(&self) -> String {
        tmux(&["capture-pane", "-p", "-t", &self.name])
    }

    /// The screen with its SGR sequences (`capture-pane -e`), to check highlighting.
    pub fn screen_styled(&self) -> String {
        tmux(&["capture-pane", "-p", "-e", "-t", &self.name])
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.name.as_str()];
        args.extend_from_slice(keys);
        tmux(&args);
    }

    pub fn resize(&self, w: u16, h: u16) {
        tmux(&["resize-window", "-t", &self.name, "-x", &w.to_string(), "-y", &h.to_string()]);
    }

    /// Polls until `cond` holds on the screen; panics with the screen otherwise.
    pub fn wait(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if cond(&s) {
                return s;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}\n--- screen ---\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_text(&self, needle: &str) -> String {
        self.wait(&format!("{needle:?} on screen"), |s| s.contains(needle))
    }

    /// Waits for a screen of exactly `w`×`h` cells (the console has redrawn
    /// at the new size when its status line is on the last row).
    pub fn wait_size(&self, w: usize, h: usize, needle: &str) -> String {
        self.wait(&format!("{w}×{h} screen with {needle:?}"), |s| {
            let lines: Vec<&str> = s.lines().collect();
            lines.len() == h && lines.iter().any(|l| l.chars().count() == w) && s.contains(needle)
        })
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.name]);
    }
}

//! One tmux session running `warroom open` on a fixture, with its own data
//! dir, on the binary's private tmux server (tests/support/tmux.rs).

#[path = "../support/tmux.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Pane, PATIENCE};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub struct Console {
    pane: Pane,
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
        let cmd = format!(
            "cd {dir} && export WARROOM_DATA_DIR={d} WARROOM_CONFIG_DIR={d}/config WARROOM_OPERATOR={operator} TERM=xterm-256color && {bin} open {rb}; echo EXIT=$?; sleep 600",
            dir = env!("CARGO_MANIFEST_DIR"),
            d = data.display(),
            bin = env!("CARGO_BIN_EXE_warroom"),
            rb = runbook.display(),
        );
        let pane = Pane::start(name, w, h, &cmd);
        Console { pane, data: data.to_path_buf(), _owned: None, runbook: runbook.to_path_buf() }
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
        self.pane.literal(text);
    }

    pub fn screen(&self) -> String {
        self.pane.screen()
    }

    /// The screen with its SGR sequences (`capture-pane -e`), to check highlighting.
    pub fn screen_styled(&self) -> String {
        self.pane.screen_styled()
    }

    pub fn keys(&self, keys: &[&str]) {
        self.pane.keys(keys);
    }

    pub fn resize(&self, w: u16, h: u16) {
        self.pane.resize(w, h);
    }

    /// Polls until `cond` holds on the screen; panics with the screen otherwise.
    pub fn wait(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        self.pane.wait(what, cond, PATIENCE)
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

//! Real tmux for the end-to-end tests: one private server per test binary
//! (`tmux -L warroom-<binary>-<pid>`, so binaries and parallel runs never
//! share one), one session per `Pane`, killed when the `Pane` is dropped,
//! and the server killed (its socket removed) when the binary exits.
//!
//! A session is checked to exist before `Pane::start` returns: when several
//! tests start at once, the `new-session` that loses the race to start the
//! server (or that reaches a server exiting because another test killed its
//! last session) fails, and a test that did not notice waited 30 s on an
//! empty screen. Here such a start is retried, and if tmux never makes the
//! session the test fails at once with tmux's own words.
//!
//! Every wait polls a condition with a deadline and, on timeout, fails
//! showing the screen: no fixed sleeps.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long `wait_screen` waits. Generous: the tmux tests share a loaded
/// 2-core machine, and a deadline costs nothing when the screen is quick.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);

/// How many times `new-session` is tried before the test fails.
const STARTS: u32 = 5;

static SOCKET: OnceLock<String> = OnceLock::new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// This binary's tmux socket name, `warroom-<binary>-<pid>`; the first call
/// arranges for the server to be killed when the binary exits.
pub fn socket() -> &'static str {
    SOCKET.get_or_init(|| {
        // SAFETY: registering a plain extern "C" function with no arguments.
        unsafe { libc::atexit(kill_server_at_exit) };
        format!("warroom-{}-{}", binary(), std::process::id())
    })
}

/// The test binary's name without cargo's hash (`timemachine-0123abcd` → `timemachine`).
fn binary() -> String {
    let exe = std::env::current_exe().ok();
    let stem = exe.as_deref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned());
    let stem = stem.unwrap_or_else(|| "test".into());
    let name = match stem.rsplit_once('-') {
        Some((name, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => name.to_string(),
        _ => stem,
    };
    clean(&name)
}

/// A name tmux accepts as a session or socket name (no `.` or `:`).
fn clean(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
}

extern "C" fn kill_server_at_exit() {
    if let Some(sock) = SOCKET.get() {
        let _ = Command::new("tmux").args(["-L", sock, "kill-server"]).output();
        // kill-server leaves the socket file behind: remove ours.
        let _ = std::fs::remove_file(socket_path(sock));
    }
}

/// Where tmux puts a `-L` socket: `$TMUX_TMPDIR` (else /tmp), `tmux-<uid>/`.
fn socket_path(sock: &str) -> PathBuf {
    let dir = std::env::var_os("TMUX_TMPDIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp"));
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    dir.join(format!("tmux-{uid}")).join(sock)
}

/// Runs tmux on this binary's private server.
pub fn tmux(args: &[&str]) -> Output {
    Command::new("tmux").arg("-L").arg(socket()).args(args).output().expect("tmux is installed")
}

/// tmux's standard output, as text (tmux's exit status is the caller's to check).
pub fn tmux_out(args: &[&str]) -> String {
    String::from_utf8_lossy(&tmux(args).stdout).into_owned()
}

/// Polls `cond` until it holds or `timeout` passes; true if it held.
pub fn poll(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if cond() {
            return true;
        }
        if start.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(POLL);
    }
}

/// This copy of the module, as a name part: a test binary may include this
/// file in several modules, each with its own counter (`e2e`, `messages`).
fn copy() -> String {
    let path: Vec<&str> = module_path!().split("::").collect();
    clean(&path[1..path.len() - 1].join("-"))
}

/// One tmux session (one window, one pane) on this binary's server.
pub struct Pane {
    /// The session name: the test's name, this module copy, the pid and a
    /// counter. Give tmux `target()`, not the bare name.
    pub name: String,
}

impl Pane {
    /// Starts `shell_cmd` in a new `width`×`height` session named after
    /// `name`, and returns once tmux says the session exists.
    pub fn start(name: &str, width: u16, height: u16, shell_cmd: &str) -> Pane {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let copy = copy();
        let sep = if copy.is_empty() { "" } else { "-" };
        let pane = Pane { name: format!("{}-{copy}{sep}{}-{n}", clean(name), std::process::id()) };
        let (w, h) = (width.to_string(), height.to_string());
        let mut failures = Vec::new();
        for attempt in 1..=STARTS {
            let out = tmux(&["new-session", "-d", "-s", &pane.name, "-x", &w, "-y", &h, shell_cmd]);
            if pane.exists() {
                return pane;
            }
            if out.status.success() {
                // tmux made it and it is already gone: the command ended at
                // once, and running it again would hide why.
                panic!(
                    "tmux session {} ended as soon as it started: its command exited at once\n--- command ---\n{shell_cmd}",
                    pane.name
                );
            }
            failures.push(format!("attempt {attempt}: {} {}", out.status, String::from_utf8_lossy(&out.stderr).trim()));
            // A back-off between retries of the server start, not a wait on
            // what the test checks.
            std::thread::sleep(Duration::from_millis(100 * u64::from(attempt)));
        }
        panic!("tmux never started session {} on server -L {}:\n{}", pane.name, socket(), failures.join("\n"));
    }

    /// The target for `-t`: this session exactly. A bare name also matches
    /// a longer one it begins (`x-1` finds `x-12` once `x-1` is gone).
    pub fn target(&self) -> String {
        format!("={}:", self.name)
    }

    /// The target for a command on the session itself (`has-session`, `kill-session`).
    fn session(&self) -> String {
        format!("={}", self.name)
    }

    /// Whether the session still exists.
    pub fn exists(&self) -> bool {
        tmux(&["has-session", "-t", &self.session()]).status.success()
    }

    /// Runs `shell_cmd` in the pane again, killing what runs there.
    pub fn respawn(&self, shell_cmd: &str) {
        let out = tmux(&["respawn-pane", "-k", "-t", &self.target(), shell_cmd]);
        assert!(out.status.success(), "tmux respawn-pane: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// The visible screen, as text.
    pub fn screen(&self) -> String {
        tmux_out(&["capture-pane", "-p", "-t", &self.target()])
    }

    /// The screen with its SGR sequences (`capture-pane -e`), to check highlighting.
    pub fn screen_styled(&self) -> String {
        tmux_out(&["capture-pane", "-p", "-e", "-t", &self.target()])
    }

    /// Sends tmux key names (`Enter`, `C-c`, `j`…), in one `send-keys`.
    pub fn keys(&self, keys: &[&str]) {
        let target = self.target();
        let mut args = vec!["send-keys", "-t", target.as_str()];
        args.extend_from_slice(keys);
        tmux(&args);
    }

    /// Types text as it is (no key names).
    pub fn literal(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.target(), "-l", text]);
    }

    pub fn resize(&self, width: u16, height: u16) {
        tmux(&["resize-window", "-t", &self.target(), "-x", &width.to_string(), "-y", &height.to_string()]);
    }

    /// Polls until `cond` holds on the screen and returns that screen;
    /// after `timeout`, fails showing the screen.
    pub fn wait(&self, what: &str, mut cond: impl FnMut(&str) -> bool, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if cond(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for {what}\n--- screen ---\n{s}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits (up to `PATIENCE`) for `needle` on the screen; returns the screen.
    pub fn wait_screen(&self, needle: &str) -> String {
        self.wait(&format!("{needle:?} on screen"), |s| s.contains(needle), PATIENCE)
    }

    /// Polls any condition (a journal, a file); after `timeout`, fails
    /// showing the screen and `detail()`.
    pub fn wait_for(&self, what: &str, timeout: Duration, cond: impl FnMut() -> bool, detail: impl Fn() -> String) {
        if !poll(timeout, cond) {
            panic!("timed out after {timeout:?} waiting for {what}\n--- screen ---\n{}\n{}", self.screen(), detail());
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.session()]);
    }
}

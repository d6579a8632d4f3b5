//! A `[[log]]` that follows a long-running command (`kubectl logs -f …`): run by
//! `/bin/sh -c` in the runbook's folder with stdin from /dev/null, in its own
//! session (so it can never read the console's keys, S6), stdout and stderr both
//! shown (stderr lines marked), restarted with exponential back-off when it ends,
//! and its whole process group killed (TERM, then KILL) when the tail is dropped.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::batch::{Batcher, CUT_MARKER};
use super::lines::{Line, LineSplitter};
use super::TailOptions;
use crate::sources::LogStatus;

/// Shown before every stderr line.
pub const STDERR_PREFIX: &str = "[stderr] ";
/// After the shell exits, how long a background child may keep the pipes open.
const LINGER: Duration = Duration::from_secs(1);
/// Grace between TERM and KILL when the tail is dropped.
const KILL_GRACE: Duration = Duration::from_millis(1000);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

enum Msg {
    /// Lines completed by one read; `true` = cut at 64 KiB.
    Lines(Stream, Vec<(bool, Vec<u8>)>),
    Eof,
}

pub(super) struct CommandLog {
    run: String,
    cwd: PathBuf,
    opts: TailOptions,
    batch: Batcher,
    wake_rx: Receiver<()>,
    stop: Arc<AtomicBool>,
    pgid: Arc<AtomicI32>,
}

/// TERM to the whole group, KILL after a grace period if anything is left
/// (the runner's `group::terminate_group_blocking`). Blocks at most
/// [`KILL_GRACE`] (plus a moment for KILL), and only when something ignores TERM.
pub fn stop_group(pgid: &AtomicI32) {
    let pg = pgid.load(Ordering::SeqCst);
    if pg > 1 {
        crate::sources::process::group::terminate_group_blocking(pg, KILL_GRACE);
    }
}

fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(0), _) => "exited (code 0)".to_string(),
        (Some(c), _) => format!("exited with code {c}"),
        (None, Some(s)) => format!("killed by signal {s}"),
        _ => "ended".to_string(),
    }
}

fn reader(mut r: impl Read + Send + 'static, stream: Stream, tx: mpsc::SyncSender<Msg>) {
    std::thread::spawn(move || {
        let mut split = LineSplitter::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let mut lines = Vec::new();
            split.feed(&buf[..n], |l| match l {
                Line::Full(b) => lines.push((false, b.to_vec())),
                Line::Cut(b) => lines.push((true, b.to_vec())),
            });
            if !lines.is_empty() && tx.send(Msg::Lines(stream, lines)).is_err() {
                return;
            }
        }
        let mut last = Vec::new();
        split.finish(|l| {
            let (Line::Full(b) | Line::Cut(b)) = l;
            last.push((false, b.to_vec()))
        });
        if !last.is_empty() {
            let _ = tx.send(Msg::Lines(stream, last));
        }
        let _ = tx.send(Msg::Eof);
    });
}

impl CommandLog {
    pub(super) fn new(
        run: String,
        cwd: PathBuf,
        opts: TailOptions,
        batch: Batcher,
        wake_rx: Receiver<()>,
        stop: Arc<AtomicBool>,
        pgid: Arc<AtomicI32>,
    ) -> Self {
        CommandLog { run, cwd, opts, batch, wake_rx, stop, pgid }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.batch.is_closed()
    }

    pub(super) fn run(mut self) {
        let mut backoff = self.opts.backoff_start;
        while !self.stopped() {
            let started = Instant::now();
            let reason = match self.spawn() {
                Ok(child) => self.follow(child),
                Err(e) => format!("could not start /bin/sh -c in {}: {e}", self.cwd.display()),
            };
            self.batch.flush();
            if self.stopped() {
                break;
            }
            if started.elapsed() >= self.opts.healthy_after {
                backoff = self.opts.backoff_start;
            }
            self.batch.push_marker(&format!("— command {reason}; restarting in {} —", human(backoff)));
            self.batch.status(LogStatus::Restarting { after: backoff, reason });
            // Dropping the handle wakes this wait.
            let _ = self.wake_rx.recv_timeout(backoff);
            backoff = (backoff * 2).min(self.opts.backoff_max);
        }
        self.batch.flush();
    }

    fn spawn(&mut self) -> std::io::Result<Child> {
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c").arg(&self.run).current_dir(&self.cwd);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        // A new session and process group, so the command has no controlling
        // terminal and the group can be killed whole.
        // SAFETY: the hook only calls setsid(2) and signal(2), which are async-signal-safe.
        unsafe {
            cmd.pre_exec(crate::sources::process::group::new_session);
        }
        let child = cmd.spawn()?;
        self.pgid.store(child.id() as i32, Ordering::SeqCst);
        Ok(child)
    }

    /// Shows the command's output until it ends; returns how it ended.
    fn follow(&mut self, mut child: Child) -> String {
        // Bounded: the readers wait while the batcher catches up (it drops, and counts, under a flood).
        let (tx, rx) = mpsc::sync_channel(16);
        if let Some(out) = child.stdout.take() {
            reader(out, Stream::Stdout, tx.clone());
        }
        if let Some(err) = child.stderr.take() {
            reader(err, Stream::Stderr, tx.clone());
        }
        drop(tx);
        self.batch.status(LogStatus::Following);
        let mut open_streams = 2;
        let mut exited: Option<(ExitStatus, Instant)> = None;
        while open_streams > 0 {
            let wait = self.batch.deadline().map_or(Duration::from_millis(100), |d| {
                d.saturating_duration_since(Instant::now()).min(Duration::from_millis(100))
            });
            match rx.recv_timeout(wait) {
                Ok(Msg::Lines(stream, lines)) => {
                    self.batch.stamp();
                    let prefix = if stream == Stream::Stderr { STDERR_PREFIX } else { "" };
                    for (cut, line) in lines {
                        self.batch.push_raw(&line, prefix);
                        if cut {
                            self.batch.push_marker(CUT_MARKER);
                        }
                    }
                }
                Ok(Msg::Eof) => open_streams -= 1,
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.batch.flush_if_due();
            if exited.is_none() {
                if let Ok(Some(st)) = child.try_wait() {
                    exited = Some((st, Instant::now()));
                }
            }
            // The shell is gone but a background child holds the pipes: end the group.
            if let Some((_, at)) = exited {
                if at.elapsed() > LINGER {
                    stop_group(&self.pgid);
                    break;
                }
            }
        }
        let status = match exited {
            Some((st, _)) => Ok(st),
            None => child.wait(),
        };
        self.pgid.store(0, Ordering::SeqCst);
        match status {
            Ok(st) => describe(st),
            Err(e) => format!("could not be waited for: {e}"),
        }
    }
}

fn human(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

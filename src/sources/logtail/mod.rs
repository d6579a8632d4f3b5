//! Log tails (L1–L7): a `[[log]]` is either a file followed like `tail -F`
//! ([`file`]) or the output of a long-running command restarted with back-off
//! ([`command`]). Each runs on its own thread, sends sanitised, classified
//! lines in batches as `SourceEvent::LogLines` and its condition as
//! `SourceEvent::LogStatus`, and stops when its [`LogHandle`] is dropped.

pub mod batch;
pub mod command;
pub mod file;
pub mod lines;
pub mod watch;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::time::Duration;

use crate::domain::redact::Redactor;
use crate::domain::runbook::{LogSource, LogTarget};
use crate::domain::vars;
use crate::sources::{EventSender, LogStatus, SourceEvent};

use batch::Batcher;

/// How a tail looks for changes.
#[derive(Clone, Debug)]
pub struct TailOptions {
    /// Poll only, no file watcher (as on NFS). Also set by `WARROOM_LOG_POLL=1`.
    pub force_polling: bool,
    /// Re-stat this often even while the watcher is working (L4).
    pub poll_every: Duration,
    /// Re-stat this often in polling mode.
    pub fallback_poll_every: Duration,
    /// Command logs: first restart delay, doubled per quick exit up to `backoff_max`.
    pub backoff_start: Duration,
    pub backoff_max: Duration,
    /// Command logs: a run this long resets the back-off.
    pub healthy_after: Duration,
    /// Hides the runbook's secrets in every line, before anything else sees it.
    pub redactor: Arc<Redactor>,
    /// What a command log's `{name}` placeholders are filled with when it
    /// starts, shell-quoted as in steps: the effective vars (the runbook's
    /// `[vars]` with `WARROOM_VAR_*` overrides, `vars::effective_vars`).
    /// A file log's path was filled when the runbook was loaded.
    pub vars: Arc<BTreeMap<String, String>>,
}

impl Default for TailOptions {
    fn default() -> Self {
        let (poll_every, fallback_poll_every) = file::default_intervals();
        let force_polling = std::env::var("WARROOM_LOG_POLL").is_ok_and(|v| !v.is_empty() && v != "0");
        TailOptions {
            force_polling,
            poll_every,
            fallback_poll_every,
            backoff_start: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            healthy_after: Duration::from_secs(10),
            redactor: Default::default(),
            vars: Default::default(),
        }
    }
}

/// A running tail; dropping it stops the tail (and kills a command's process group).
pub struct LogHandle {
    stop: Arc<AtomicBool>,
    wake: SyncSender<()>,
    /// Process group of a command log's current run (0: none).
    pgid: Arc<AtomicI32>,
}

impl LogHandle {
    /// Process group id of the running command, for a command log.
    pub fn pgid(&self) -> Option<i32> {
        Some(self.pgid.load(Ordering::SeqCst)).filter(|&p| p > 0)
    }
}

impl Drop for LogHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.wake.try_send(());
        command::stop_group(&self.pgid);
    }
}

/// Starts following `source`; relative paths and commands' working directory are
/// taken from `dir` (the runbook's folder).
pub fn spawn_log(source: &LogSource, dir: &Path, tx: EventSender) -> LogHandle {
    spawn_log_with(source, dir, tx, TailOptions::default())
}

pub fn spawn_log_with(source: &LogSource, dir: &Path, tx: EventSender, opts: TailOptions) -> LogHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let pgid = Arc::new(AtomicI32::new(0));
    let (wake_tx, wake_rx) = sync_channel(1);
    let err_tx = tx.clone();
    let batch = Batcher::new(source.clone(), tx, opts.redactor.clone());
    let name = format!("log:{}", source.id);
    let spawned = match &source.target {
        LogTarget::File { path } => {
            let tail = file::FileTail::new(dir.join(path), opts, batch, (wake_tx.clone(), wake_rx), stop.clone());
            std::thread::Builder::new().name(name).spawn(move || tail.run())
        }
        LogTarget::Command { run } => {
            let run = match vars::render_command(run, &opts.vars) {
                Ok(run) => run,
                // The loader lets only declared vars through, so this is a
                // caller that passed no vars: say so on the log's status line.
                Err(e) => {
                    let status = LogStatus::Error(format!("command not started: {e}"));
                    let _ = err_tx.try_send(SourceEvent::LogStatus { log: source.id.clone(), status });
                    return LogHandle { stop, wake: wake_tx, pgid };
                }
            };
            let cmd =
                command::CommandLog::new(run, dir.to_path_buf(), opts, batch, wake_rx, stop.clone(), pgid.clone());
            std::thread::Builder::new().name(name).spawn(move || cmd.run())
        }
    };
    if let Err(e) = spawned {
        // Out of threads: say so on the log's status line rather than fail the console.
        let status = LogStatus::Error(format!("cannot start a thread for this log: {e}"));
        let _ = err_tx.try_send(SourceEvent::LogStatus { log: source.id.clone(), status });
    }
    LogHandle { stop, wake: wake_tx, pgid }
}

//! The process runner for steps, rollbacks and command probes (S6, S7).
//!
//! Every command runs as `/bin/sh -c CMD` with stdin from /dev/null, stdout and
//! stderr piped, in a **new session** (own process group, no controlling
//! terminal: a child that opens /dev/tty fails and one that reads stdin gets
//! EOF, so it can never steal the console's keys). Output lines are sanitised,
//! timestamped, written to the run's output file (capped) and sent as
//! `SourceEvent::RunOutput`, interleaved by arrival.
//!
//! Stopping is always of the **whole group**: timeout, `RunHandle::abort` and
//! dropping the handle (the app quitting) send TERM, wait a grace period, then
//! KILL. When the shell exits normally, anything it left running in its group
//! (`cmd &`) is stopped the same way, so no run leaves processes behind. A step
//! that must start a long-lived daemon should detach it into its own session
//! (`setsid`, a service manager), as it would under any supervisor.

pub mod group;
pub mod lines;
pub mod output_file;
pub mod owner;

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use self::lines::{read_lines, RawLine, Stream};
use self::output_file::{human_bytes, OutputFile};
use super::{EventSender, RunExit, SourceEvent};
use crate::domain::event::{RunKind, RunOutcome};
use crate::domain::redact::Redactor;
use crate::domain::sanitize::clean_bytes;

/// What to run, and where its output goes.
#[derive(Clone, Debug)]
pub struct RunSpec {
    pub kind: RunKind,
    pub id: String,
    pub run: u32,
    /// Run by `/bin/sh -c` (vars already substituted and shell-quoted).
    pub command: String,
    pub cwd: PathBuf,
    /// Added to the inherited environment.
    pub env: Vec<(String, String)>,
    pub timeout: Option<Duration>,
    pub output_file: PathBuf,
    /// Hides the runbook's secrets in every output line, on screen and in the file.
    pub redactor: Arc<Redactor>,
}

/// Bounds every run keeps to.
#[derive(Clone, Copy, Debug)]
pub struct RunLimits {
    /// Output file size cap; past it lines are neither saved nor sent.
    pub max_output_bytes: u64,
    /// Longer lines are cut here with a marker.
    pub max_line_bytes: usize,
    /// Between TERM and KILL.
    pub kill_grace: Duration,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits { max_output_bytes: 50 * 1024 * 1024, max_line_bytes: 64 * 1024, kill_grace: Duration::from_secs(3) }
    }
}

struct Shared {
    pgid: Option<i32>,
    finished: AtomicBool,
    cancel: CancellationToken,
    /// Between TERM and KILL, in milliseconds; shortened by `abort_within`.
    grace_ms: AtomicU64,
}

impl Shared {
    fn grace(&self) -> Duration {
        Duration::from_millis(self.grace_ms.load(Ordering::SeqCst))
    }
}

/// Control over one running command. Dropping it stops the run (the whole
/// process group: TERM, grace, KILL — blocking up to the grace period), so keep
/// it for as long as the run should live.
#[must_use = "dropping the handle stops the run"]
pub struct RunHandle {
    shared: Arc<Shared>,
}

impl RunHandle {
    /// Stops the run: TERM to the whole group, KILL after the grace period.
    /// It ends with outcome `Aborted`. No effect once it has finished.
    pub fn abort(&self) {
        self.shared.cancel.cancel();
    }

    /// `abort` with a shorter grace between TERM and KILL (the terminal hung
    /// up: the console must be gone within a couple of seconds).
    pub fn abort_within(&self, grace: Duration) {
        let ms = grace.as_millis().min(u64::MAX as u128) as u64;
        self.shared.grace_ms.fetch_min(ms, Ordering::SeqCst);
        self.shared.cancel.cancel();
    }

    /// Stops the run at once: KILL to the whole group, waiting (briefly) until
    /// it is gone. For a console that is leaving and cannot wait any longer.
    pub fn kill_now(&self) {
        self.shared.grace_ms.store(0, Ordering::SeqCst);
        self.shared.cancel.cancel();
        if let Some(pgid) = self.shared.pgid {
            group::terminate_group_blocking(pgid, Duration::ZERO);
        }
    }

    /// True once `RunExited` has been sent.
    pub fn is_finished(&self) -> bool {
        self.shared.finished.load(Ordering::SeqCst)
    }

    /// The run's process group id (= the shell's pid); `None` if it never started.
    pub fn pgid(&self) -> Option<i32> {
        self.shared.pgid
    }
}

impl Drop for RunHandle {
    fn drop(&mut self) {
        if self.is_finished() {
            return;
        }
        self.shared.cancel.cancel();
        // The runtime may be shutting down with the app; do not rely on the
        // supervising task to get to KILL.
        if let Some(pgid) = self.shared.pgid {
            group::terminate_group_blocking(pgid, self.shared.grace());
        }
    }
}

/// Starts `spec` with the default limits. Must be called inside a tokio runtime.
pub fn spawn_run(spec: RunSpec, tx: EventSender) -> RunHandle {
    spawn_run_with(spec, RunLimits::default(), tx)
}

/// Starts `spec` with the given limits. Must be called inside a tokio runtime.
/// Always ends with exactly one `SourceEvent::RunExited` (outcome `Error` when
/// it could not start, with the reason in words).
pub fn spawn_run_with(spec: RunSpec, limits: RunLimits, tx: EventSender) -> RunHandle {
    let started = tokio::time::Instant::now();
    let cancel = CancellationToken::new();
    let fail = |error: String| {
        // Sent from a task: this function is not async, and the end must not be lost to a full queue.
        let (tx, ev) = (
            tx.clone(),
            SourceEvent::RunExited {
                kind: spec.kind,
                id: spec.id.clone(),
                run: spec.run,
                end: RunExit {
                    outcome: RunOutcome::Error,
                    exit_code: None,
                    signal: None,
                    duration: started.elapsed(),
                    error: Some(error),
                },
            },
        );
        tokio::spawn(async move {
            let _ = tx.send(ev).await;
        });
        RunHandle {
            shared: Arc::new(Shared {
                pgid: None,
                finished: AtomicBool::new(true),
                cancel: cancel.clone(),
                grace_ms: AtomicU64::new(limits.kill_grace.as_millis() as u64),
            }),
        }
    };

    let mut file = match OutputFile::create(&spec.output_file, limits.max_output_bytes) {
        Ok(f) => f,
        Err(e) => {
            return fail(format!(
                "cannot write the output file {}: {e}; check that the journal's folder is writable",
                spec.output_file.display()
            ))
        }
    };
    file.note(
        crate::sources::clock::now(),
        &spec.redactor.redact_owned(format!(
            "started: /bin/sh -c {} (in {})",
            clean_bytes(spec.command.as_bytes()),
            spec.cwd.display()
        )),
    );

    let mut cmd = tokio::process::Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(&spec.command)
        .current_dir(&spec.cwd)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: the hook only calls setsid(2), which is async-signal-safe.
    unsafe {
        cmd.pre_exec(group::new_session);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let why = if !spec.cwd.is_dir() {
                format!("cannot start the command: its folder {} does not exist ({e})", spec.cwd.display())
            } else {
                format!("cannot start /bin/sh -c in {}: {e}", spec.cwd.display())
            };
            file.note(crate::sources::clock::now(), &why);
            file.flush();
            return fail(why);
        }
    };
    let pgid = child.id().map(|p| p as i32);
    let shared = Arc::new(Shared {
        pgid,
        finished: AtomicBool::new(false),
        cancel,
        grace_ms: AtomicU64::new(limits.kill_grace.as_millis() as u64),
    });

    // Bounded: a step that floods its output waits for the file and the console.
    let (ltx, lrx) = mpsc::channel(1024);
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        readers.push(tokio::spawn(read_lines(out, Stream::Out, limits.max_line_bytes, ltx.clone())));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(tokio::spawn(read_lines(err, Stream::Err, limits.max_line_bytes, ltx.clone())));
    }
    drop(ltx);
    let writer = tokio::spawn(write_lines(lrx, file, tx.clone(), spec.clone(), limits.max_line_bytes));

    let sup = Supervisor { spec, tx, shared: shared.clone(), started };
    tokio::spawn(sup.run(child, pgid.unwrap_or(0), readers, writer));
    RunHandle { shared }
}

enum Ending {
    Exited(std::io::Result<std::process::ExitStatus>),
    TimedOut,
    Aborted,
}

struct Supervisor {
    spec: RunSpec,
    tx: EventSender,
    shared: Arc<Shared>,
    started: tokio::time::Instant,
}

impl Supervisor {
    async fn run(
        self,
        mut child: tokio::process::Child,
        pgid: i32,
        readers: Vec<tokio::task::JoinHandle<()>>,
        mut writer: tokio::task::JoinHandle<OutputFile>,
    ) {
        let timeout = async {
            match self.spec.timeout {
                Some(t) => tokio::time::sleep(t).await,
                None => std::future::pending().await,
            }
        };
        let ending = tokio::select! {
            st = child.wait() => Ending::Exited(st),
            _ = timeout => Ending::TimedOut,
            _ = self.shared.cancel.cancelled() => Ending::Aborted,
        };
        // Read now: `abort_within` may have shortened it.
        let grace = self.shared.grace();
        let (outcome, status, killed) = match ending {
            Ending::Exited(st) => (None, st, false),
            stop => {
                let (st, killed) = tokio::join!(child.wait(), group::terminate_group(pgid, grace));
                let outcome = if matches!(stop, Ending::TimedOut) { RunOutcome::TimedOut } else { RunOutcome::Aborted };
                (Some(outcome), st, killed)
            }
        };
        // Whatever the shell left running in its group goes too (S7).
        let leftovers = group::group_alive(pgid);
        if leftovers {
            group::terminate_group(pgid, grace).await;
        }
        // Output ends when every holder of the pipes is gone; a process that escaped
        // the group (its own setsid) may hold them forever, so the drain is bounded.
        let mut file = match tokio::time::timeout(Duration::from_secs(2), &mut writer).await {
            Ok(Ok(f)) => Some(f),
            Ok(Err(_)) => None,
            Err(_) => {
                for r in &readers {
                    r.abort();
                }
                writer.await.ok()
            }
        };
        let duration = self.started.elapsed();
        let mut end = exit_of(outcome, status, duration);
        if killed && end.signal.is_some() {
            // TERM was not enough: KILL is what ended it, whatever the shell's status says.
            end.signal = Some(libc::SIGKILL);
        }
        if let Some(f) = file.as_mut() {
            if leftovers {
                f.note(crate::sources::clock::now(), "processes left running in the run's group were stopped");
            }
            f.note(crate::sources::clock::now(), &describe(&end, self.spec.timeout));
            f.flush();
        }
        self.shared.finished.store(true, Ordering::SeqCst);
        let _ = self
            .tx
            .send(SourceEvent::RunExited { kind: self.spec.kind, id: self.spec.id, run: self.spec.run, end })
            .await;
    }
}

fn exit_of(
    stopped: Option<RunOutcome>,
    status: std::io::Result<std::process::ExitStatus>,
    duration: Duration,
) -> RunExit {
    use std::os::unix::process::ExitStatusExt;
    match status {
        Ok(st) => {
            let outcome = stopped.unwrap_or(if st.success() { RunOutcome::Ok } else { RunOutcome::Failed });
            RunExit { outcome, exit_code: st.code(), signal: st.signal(), duration, error: None }
        }
        Err(e) => RunExit {
            outcome: stopped.unwrap_or(RunOutcome::Error),
            exit_code: None,
            signal: None,
            duration,
            error: Some(format!("could not wait for the command: {e}")),
        },
    }
}

/// The footer line of the output file, in words.
fn describe(end: &RunExit, timeout: Option<Duration>) -> String {
    let took = format!("{:.3}s", end.duration.as_secs_f64());
    let how = match (end.exit_code, end.signal) {
        (Some(c), _) => format!("exit code {c}"),
        (None, Some(s)) => format!("signal {s}"),
        _ => "no exit status".to_string(),
    };
    match end.outcome {
        RunOutcome::Ok | RunOutcome::Failed => format!("exited with {how} after {took}"),
        RunOutcome::TimedOut => format!(
            "timed out after {} ({how}); process group stopped (TERM, then KILL)",
            timeout.map(|t| format!("{:.3}s", t.as_secs_f64())).unwrap_or(took)
        ),
        RunOutcome::Aborted => format!("aborted after {took} ({how}); process group stopped (TERM, then KILL)"),
        RunOutcome::Error => format!("error: {}", end.error.as_deref().unwrap_or("unknown")),
        RunOutcome::Interrupted => format!("interrupted after {took}: {}", end.error.as_deref().unwrap_or("")),
    }
}

/// Sanitises lines in arrival order, saves them and sends them on. Returns the file at the end.
async fn write_lines(
    mut lrx: mpsc::Receiver<RawLine>,
    mut file: OutputFile,
    tx: EventSender,
    spec: RunSpec,
    max_line: usize,
) -> OutputFile {
    let event = |line: String| SourceEvent::RunOutput { kind: spec.kind, id: spec.id.clone(), run: spec.run, line };
    while let Some(raw) = lrx.recv().await {
        // Redacted before anything else sees it: the screen and the file get the same line.
        let mut text = spec.redactor.redact_owned(clean_bytes(&raw.bytes));
        if raw.cut {
            text.push_str(&format!(" … [line cut at {}]", human_bytes(max_line as u64)));
        }
        let was_capped = file.capped();
        if file.line(raw.at, raw.stream.tag(), &text) {
            let _ = tx.send(event(text)).await;
        } else if !was_capped {
            let _ = tx.send(event("[output cap reached: further output is not saved or shown]".to_string())).await;
        }
        if lrx.is_empty() {
            file.flush();
        }
    }
    file.flush();
    file
}

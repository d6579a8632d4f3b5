//! Command probes: `/bin/sh -c CMD` under the process runner's rules (own
//! session and group, stdin from /dev/null, timeout, whole group stopped);
//! exit 0 is UP and the last output line is the detail shown.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::domain::duration::Dur;
use crate::domain::sanitize::clean_bytes;
use crate::sources::process::group;
use crate::sources::process::lines::{read_lines, Stream};

/// Between TERM and KILL for a probe command that overran.
const GRACE: Duration = Duration::from_secs(1);
/// The same when the attempt itself is cancelled.
const DROP_GRACE: Duration = Duration::from_millis(200);
const MAX_LINE: usize = 4096;

pub struct CommandOutcome {
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    /// Last non-empty output line (stdout or stderr), sanitised.
    pub last_line: Option<String>,
}

/// Stops the group if the probe is dropped mid-run (probes stopped, app quitting).
struct GroupGuard(Option<i32>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        // Dropped mid-attempt: the task was cancelled (probes stopped, the app quitting), so
        // no later code of ours may run. Stop the group now, with a short grace: a probe
        // command only reads, and nothing must be left behind (S7).
        if let Some(pgid) = self.0.take() {
            group::terminate_group_blocking(pgid, DROP_GRACE);
        }
    }
}

/// Runs the command once; `Err` when it could not run or overran its timeout.
pub async fn run(command: &str, cwd: &Path, timeout: Duration) -> Result<CommandOutcome, String> {
    use std::os::unix::process::ExitStatusExt;
    let mut cmd = tokio::process::Command::new("/bin/sh");
    cmd.arg("-c").arg(command).current_dir(cwd).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: the hook only calls setsid(2), which is async-signal-safe.
    unsafe {
        cmd.pre_exec(group::new_session);
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot start /bin/sh -c in {}: {e}", cwd.display()))?;
    let pgid = child.id().map(|p| p as i32).unwrap_or(0);
    let mut guard = GroupGuard(Some(pgid));
    // Bounded, and read while the command runs (only its last line is kept),
    // so a chatty command neither fills memory nor blocks on a full pipe.
    let (tx, mut rx) = mpsc::channel(256);
    if let Some(o) = child.stdout.take() {
        tokio::spawn(read_lines(o, Stream::Out, MAX_LINE, tx.clone()));
    }
    if let Some(e) = child.stderr.take() {
        tokio::spawn(read_lines(e, Stream::Err, MAX_LINE, tx.clone()));
    }
    drop(tx);
    let mut last_line = None;
    let work = async {
        let keep_last = |last_line: &mut Option<String>, bytes: &[u8]| {
            let t = clean_bytes(bytes);
            if !t.trim().is_empty() {
                *last_line = Some(t.trim().to_string());
            }
        };
        let wait = child.wait();
        tokio::pin!(wait);
        let status = loop {
            tokio::select! {
                st = &mut wait => break st,
                Some(l) = rx.recv() => keep_last(&mut last_line, &l.bytes),
            }
        };
        // Lines that arrived before the exit (and a short drain of what follows).
        let drain = async {
            while let Some(l) = rx.recv().await {
                keep_last(&mut last_line, &l.bytes);
            }
        };
        let _ = tokio::time::timeout(Duration::from_millis(200), drain).await;
        status
    };
    let status = match tokio::time::timeout(timeout, work).await {
        Ok(s) => s.map_err(|e| format!("could not wait for the command: {e}"))?,
        Err(_) => {
            // Stopped here, not in a background task, so that it happens even when the
            // caller ends right after (the one-shot `warroom probe`, a runtime shutting down).
            group::terminate_group(pgid, GRACE).await;
            guard.0 = None;
            return Err(format!("timeout: the command ran longer than {}", Dur(timeout)));
        }
    };
    // Anything it left running in its group goes too.
    group::terminate_group(pgid, GRACE).await;
    guard.0 = None;
    Ok(CommandOutcome { exit_code: status.code(), signal: status.signal(), last_line })
}

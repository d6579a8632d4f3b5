//! One run of the demo: a unique temp folder, the local platform and the log
//! generator running on their own tokio runtime (independent of whatever the
//! console does), and the runbook written there with the real places filled
//! in. Everything is removed when the session stops or is dropped.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::TempDir;

use super::control::Control;
use super::loggen::{self, LogGen, LogPaths};
use super::platform::Platform;
use super::runbook::{self, DemoPlaces};

const PREFIX: &str = "warroom-demo-";
/// Names the process that owns a demo folder, so a later demo can remove
/// folders left behind by one that was killed (`kill -9` skips all cleanup).
const PID_FILE: &str = "warroom-demo.pid";

pub struct DemoSession {
    places: DemoPlaces,
    runbook_path: PathBuf,
    journal_path: PathBuf,
    // Order matters for Drop: sources first, then the runtime, then the folder.
    loggen: Option<LogGen>,
    platform: Option<Platform>,
    runtime: Option<tokio::runtime::Runtime>,
    dir: Option<TempDir>,
}

impl DemoSession {
    /// Starts everything. Must be called outside any tokio runtime (it owns one).
    pub fn start() -> io::Result<DemoSession> {
        Self::start_with(loggen::Options::default())
    }

    pub fn start_with(log_options: loggen::Options) -> io::Result<DemoSession> {
        sweep_abandoned(&std::env::temp_dir());
        let dir = tempfile::Builder::new().prefix(PREFIX).tempdir()?;
        std::fs::write(dir.path().join(PID_FILE), format!("{}\n", std::process::id()))?;
        for sub in ["control", "logs", "state", "backups", "session"] {
            std::fs::create_dir_all(dir.path().join(sub))?;
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("warroom-demo")
            .enable_all()
            .build()?;
        let control = Control::new(dir.path().join("control"));
        let (platform, loggen) = runtime.block_on(async {
            let platform = Platform::start(control.clone()).await?;
            let loggen = LogGen::start(LogPaths::under(dir.path()), control, log_options)?;
            Ok::<_, io::Error>((platform, loggen))
        })?;
        let places = DemoPlaces::new(platform.site(), dir.path(), platform.database());
        let runbook_path = dir.path().join("runbook.toml");
        std::fs::write(&runbook_path, runbook::render(&places))?;
        let journal_path = dir.path().join("session").join("journal.jsonl");
        Ok(DemoSession {
            places,
            runbook_path,
            journal_path,
            loggen: Some(loggen),
            platform: Some(platform),
            runtime: Some(runtime),
            dir: Some(dir),
        })
    }

    /// The demo's temp folder.
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().map(|d| d.path()).unwrap_or_else(|| Path::new(""))
    }

    /// The runbook written for this run (real URL, folder and port in `[vars]`).
    pub fn runbook_path(&self) -> &Path {
        &self.runbook_path
    }

    /// The session journal, inside the temp folder (never the current directory).
    pub fn journal_path(&self) -> &Path {
        &self.journal_path
    }

    pub fn places(&self) -> &DemoPlaces {
        &self.places
    }

    /// A handle to the demo's runtime, for callers that want to run async work beside it.
    pub fn handle(&self) -> Option<tokio::runtime::Handle> {
        self.runtime.as_ref().map(|r| r.handle().clone())
    }

    /// Stops the platform and the log generator and removes the temp folder.
    pub fn stop(mut self) -> io::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> io::Result<()> {
        drop(self.loggen.take());
        drop(self.platform.take());
        if let Some(rt) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                // Blocking on shutdown inside another runtime would panic.
                rt.shutdown_background();
            } else {
                rt.shutdown_timeout(Duration::from_secs(1));
            }
        }
        match self.dir.take() {
            Some(d) => d.close(),
            None => Ok(()),
        }
    }
}

/// Removes demo folders whose owning process is gone. Folders without a
/// readable pid file, or whose process still runs, are left alone.
pub fn sweep_abandoned(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let dir = entry.path();
        let Some(pid) = std::fs::read_to_string(dir.join(PID_FILE)).ok().and_then(|t| t.trim().parse::<i32>().ok())
        else {
            continue;
        };
        if pid > 0 && !process_alive(pid) {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

fn process_alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks whether the process exists; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    // EPERM: it exists but belongs to someone else.
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

impl Drop for DemoSession {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_removes_only_folders_of_dead_owners() {
        let temp = tempfile::tempdir().unwrap();
        let make = |name: &str, pid: Option<String>| {
            let d = temp.path().join(name);
            std::fs::create_dir(&d).unwrap();
            if let Some(p) = pid {
                std::fs::write(d.join(PID_FILE), p).unwrap();
            }
            d
        };
        // A pid that cannot be running: beyond the kernel's pid_max.
        let dead = make("warroom-demo-dead", Some("2147483646\n".into()));
        let alive = make("warroom-demo-alive", Some(format!("{}\n", std::process::id())));
        let unknown = make("warroom-demo-nopid", None);
        let other = make("something-else", Some("2147483646\n".into()));
        sweep_abandoned(temp.path());
        assert!(!dead.exists());
        assert!(alive.exists());
        assert!(unknown.exists());
        assert!(other.exists());
    }
}

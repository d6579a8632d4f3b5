//! Who owns a run, visible to every console and to a restart: a lock file
//! beside the run's output (`runs/step-deploy-3.owner`), held with `flock` by
//! the console that started the run for as long as it lives, and holding
//! that console's pid, its start time, the host, and the run's process group
//! (docs/journal.md, "Runs and their owner").
//!
//! The kernel drops the lock when the owner dies, `kill -9` included: a
//! console that can take the lock knows the owner is gone, and then stops
//! what is left of the run's process group and journals the run as
//! interrupted. The start times guard against pid reuse: a pid that now
//! belongs to another process is never taken for the owner, and a process
//! group is only signalled while its leader is the one recorded (or gone).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What the lock file says about the owner and the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnerInfo {
    pub pid: u32,
    /// The owner's start time (`/proc/PID/stat` field 22, clock ticks since boot).
    pub start: Option<u64>,
    pub host: String,
    pub operator: String,
    /// The run's process group (= its shell's pid) once spawned.
    #[serde(default)]
    pub pgid: Option<i32>,
    /// The group leader's start time, to tell it from a later process with the same pid.
    #[serde(default)]
    pub pgid_start: Option<u64>,
}

impl OwnerInfo {
    /// This process, as the owner of a run started by `operator`.
    pub fn this_process(operator: &str) -> OwnerInfo {
        let pid = std::process::id();
        OwnerInfo {
            pid,
            start: process_start(pid as i32),
            host: hostname(),
            operator: operator.to_string(),
            pgid: None,
            pgid_start: None,
        }
    }

    /// "ana's console (pid 4242 on bastion)".
    pub fn describe(&self) -> String {
        format!("{}'s console (pid {} on {})", self.operator, self.pid, self.host)
    }
}

/// The owner file of a run, from its output file (`runs/step-x-3.log` → `runs/step-x-3.owner`).
pub fn owner_path(output_file: &Path) -> PathBuf {
    output_file.with_extension("owner")
}

/// The lock a console holds while its run lives. Dropping it releases the
/// lock and removes the file (the run's end is journaled by then).
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
    info: OwnerInfo,
}

impl RunLock {
    /// Takes the run's lock for this process before the run is journaled as
    /// started. Fails when another console holds it (it is starting the same run).
    pub fn acquire(output_file: &Path, operator: &str) -> Result<RunLock, String> {
        let path = owner_path(output_file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| format!("cannot create the run's owner file {}: {e}", path.display()))?;
        match fs4::fs_std::FileExt::try_lock_exclusive(&file) {
            Ok(true) => {}
            Ok(false) => return Err(format!("another console is starting it ({} is locked)", path.display())),
            Err(e) => return Err(format!("cannot lock {}: {e}", path.display())),
        }
        let mut lock = RunLock { file, path, info: OwnerInfo::this_process(operator) };
        lock.write()?;
        Ok(lock)
    }

    /// Records the run's process group once it is spawned.
    pub fn set_group(&mut self, pgid: Option<i32>) {
        self.info.pgid = pgid;
        self.info.pgid_start = pgid.and_then(process_start);
        let _ = self.write();
    }

    fn write(&mut self) -> Result<(), String> {
        let text = serde_json::to_string(&self.info).unwrap_or_default();
        (&self.file)
            .seek(SeekFrom::Start(0))
            .and_then(|_| self.file.set_len(0))
            .and_then(|_| (&self.file).write_all(text.as_bytes()))
            .and_then(|_| self.file.sync_data())
            .map_err(|e| format!("cannot write the run's owner file {}: {e}", self.path.display()))
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Removed while still locked, so nobody takes the owner of a finished run for gone.
        let _ = std::fs::remove_file(&self.path);
        let _ = fs4::fs_std::FileExt::unlock(&self.file);
    }
}

/// What the owner file of a running run says now.
#[derive(Debug)]
pub enum Ownership {
    /// Its owner holds the lock.
    Alive,
    /// No owner file: started on another host, by an older warroom, or the
    /// run already ended. Nothing can be concluded.
    Unknown,
    /// The owner is gone. The lock is now held by the caller (so a second
    /// console does not clean up the same run) until this is dropped.
    Gone(Orphan),
}

/// A run whose owner is gone, locked by the console that noticed.
#[derive(Debug)]
pub struct Orphan {
    pub owner: Option<OwnerInfo>,
    lock: File,
    path: PathBuf,
}

impl Orphan {
    /// Stops whatever is left of the run's process group (TERM, `grace`,
    /// KILL); true when something was still running. Never signals a group
    /// whose recorded leader pid now belongs to another process.
    pub fn stop_leftovers(&self, grace: std::time::Duration) -> bool {
        let Some(info) = &self.owner else { return false };
        let Some(pgid) = info.pgid else { return false };
        if let (Some(now), Some(then)) = (process_start(pgid), info.pgid_start) {
            if now != then {
                // The pid is another process now; the old group ended (the
                // kernel does not reuse a pid while its group has members).
                return false;
            }
        }
        if !super::group::group_alive(pgid) {
            return false;
        }
        super::group::terminate_group_blocking(pgid, grace);
        true
    }

    /// Done: the run's end is journaled; the owner file goes.
    pub fn finish(self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = fs4::fs_std::FileExt::unlock(&self.lock);
    }
}

/// Whether the owner of the run writing `output_file` is still there.
pub fn ownership(output_file: &Path) -> Ownership {
    let path = owner_path(output_file);
    let Ok(file) = OpenOptions::new().read(true).write(true).open(&path) else { return Ownership::Unknown };
    match fs4::fs_std::FileExt::try_lock_exclusive(&file) {
        Ok(true) => {}
        _ => return Ownership::Alive,
    }
    // Removed by its owner between our open and our lock: the run ended normally.
    if !path.exists() {
        return Ownership::Unknown;
    }
    let mut text = String::new();
    let owner = (&file).read_to_string(&mut text).ok().and_then(|_| serde_json::from_str::<OwnerInfo>(&text).ok());
    // The lock says gone; a live process with the recorded pid and start time
    // says otherwise (a lock lost some other way): trust the process.
    if let Some(o) = &owner {
        if o.host == hostname() && o.start.is_some() && process_start(o.pid as i32) == o.start {
            let _ = fs4::fs_std::FileExt::unlock(&file);
            return Ownership::Alive;
        }
    }
    Ownership::Gone(Orphan { owner, lock: file, path })
}

/// A process's start time (clock ticks since boot) from `/proc/PID/stat`, or
/// `None` when it does not exist (or /proc is unreadable).
pub fn process_start(pid: i32) -> Option<u64> {
    if pid <= 0 {
        return None;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the last ')' start at field 3 (state); starttime is field 22.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// This machine's name.
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: buf is valid for 256 bytes; gethostname NUL-terminates on success.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) };
    if rc == 0 {
        let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        let h = String::from_utf8_lossy(&buf[..end]).to_string();
        if !h.is_empty() {
            return h;
        }
    }
    "localhost".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_alive_a_dropped_one_is_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("runs/step-x-1.log");
        let lock = RunLock::acquire(&out, "ana").unwrap();
        assert!(matches!(ownership(&out), Ownership::Alive));
        assert!(RunLock::acquire(&out, "bob").is_err(), "a second owner for the same run");
        drop(lock);
        assert!(matches!(ownership(&out), Ownership::Unknown));
    }

    #[test]
    fn an_owner_that_left_its_file_behind_is_gone_unless_its_process_lives() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("runs/step-x-1.log");
        // What a console killed with -9 leaves: the file, no lock; pid 1's
        // start time does not match, so it is not taken for the owner.
        let info = OwnerInfo { pid: 1, start: Some(u64::MAX), ..OwnerInfo::this_process("ana") };
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(owner_path(&out), serde_json::to_string(&info).unwrap()).unwrap();
        match ownership(&out) {
            Ownership::Gone(o) => {
                assert_eq!(o.owner.as_ref().map(|o| o.pid), Some(1));
                assert!(!o.stop_leftovers(std::time::Duration::from_millis(10)));
                o.finish();
            }
            other => panic!("{other:?}"),
        }
        assert!(!owner_path(&out).exists());
        // Our own live process with its true start time is alive, lock or not.
        let me = OwnerInfo::this_process("ana");
        std::fs::write(owner_path(&out), serde_json::to_string(&me).unwrap()).unwrap();
        assert!(matches!(ownership(&out), Ownership::Alive));
    }
}

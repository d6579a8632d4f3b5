//! Tells the app when the journal changed on disk, so it can `poll` (D6: within
//! a second). Two signals feed one thread: notify events on the journal's
//! folder (instant on local disks; watching the folder, not the file, survives
//! the file being replaced) and a stat of the file about once a second
//! regardless (network filesystems, inotify limits, missed events). The thread
//! sends `SourceEvent::JournalChanged` only when the file's identity, size or
//! mtime actually changed, so bursts are coalesced into one.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::sources::{EventSender, SourceEvent};

/// How often the file is stat'ed even without a notify event.
pub const POLL_EVERY: Duration = Duration::from_millis(1000);

/// Keeps the watcher running; dropping it stops the thread.
pub struct WatchHandle {
    stop: Arc<AtomicBool>,
    wake: mpsc::Sender<()>,
    thread: Option<JoinHandle<()>>,
    // Dropped with the handle, which ends the notify backend's own thread.
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.wake.send(());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl WatchHandle {
    /// A handle that watches nothing (a database journal is woken by its own connection).
    pub fn inert() -> WatchHandle {
        let (wake, _) = mpsc::channel();
        WatchHandle { stop: Arc::new(AtomicBool::new(true)), wake, thread: None, _watcher: None }
    }
}

/// Starts watching `path`. Sends one `JournalChanged` right away, so nothing
/// written between the caller's `open` and this call is missed.
pub fn spawn_watcher(path: PathBuf, tx: EventSender) -> WatchHandle {
    let (wake_tx, wake_rx) = mpsc::channel::<()>();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = start_notify(&path, wake_tx.clone());
    let thread_stop = stop.clone();
    let thread = std::thread::Builder::new()
        .name("journal-watch".into())
        .spawn(move || watch_loop(&path, &tx, &wake_rx, &thread_stop))
        .ok();
    WatchHandle { stop, wake: wake_tx, thread, _watcher: watcher }
}

fn start_notify(path: &Path, wake: mpsc::Sender<()>) -> Option<notify::RecommendedWatcher> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_os_string());
    let mut w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let relevant = match &res {
            // Our file, or a rescan/overflow (which may hide ours): re-stat.
            Ok(ev) => {
                ev.need_rescan() || ev.paths.is_empty() || ev.paths.iter().any(|p| p.file_name() == name.as_deref())
            }
            Err(_) => true,
        };
        if relevant {
            let _ = wake.send(());
        }
    })
    .ok()?;
    w.watch(&dir, RecursiveMode::NonRecursive).ok()?;
    Some(w)
}

/// (device, inode, size, mtime in ns) or `None` while the file does not exist.
type Stamp = Option<(u64, u64, u64, i128)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino(), m.len(), m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128))
}

fn watch_loop(path: &Path, tx: &EventSender, wake: &mpsc::Receiver<()>, stop: &AtomicBool) {
    let mut last = stamp(path);
    if tx.blocking_send(SourceEvent::JournalChanged).is_err() {
        return;
    }
    loop {
        match wake.recv_timeout(POLL_EVERY) {
            Ok(()) => while wake.try_recv().is_ok() {},
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
        if stop.load(Ordering::SeqCst) || tx.is_closed() {
            return;
        }
        let now = stamp(path);
        if now != last {
            last = now;
            if tx.blocking_send(SourceEvent::JournalChanged).is_err() {
                return;
            }
        }
    }
}

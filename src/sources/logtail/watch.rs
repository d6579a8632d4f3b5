//! Wake-ups for a file tail: a notify watcher on the file's *parent directory*
//! (so rename, delete and create of the file itself are seen, L4), falling back
//! to plain polling when the watcher cannot start (inotify limits) or the file
//! lives on a network or FUSE filesystem where inotify sees nothing (L5).
//!
//! The watcher only says "look again"; the tailer re-stats on every wake-up and
//! on a timer regardless, so a lost event, a rescan or an overflow costs at most
//! one poll interval.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// The folder whose entries tell us about `path`.
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Why the directory must be polled rather than watched, if it must: it is
/// on a network or FUSE filesystem, where inotify sees nothing (the same
/// table the journal's D5 warning uses).
pub fn network_filesystem(dir: &Path) -> Option<&'static str> {
    crate::sources::journal::network_fs_name(dir)
}

/// Starts watching `dir`; every event about `file_name` (or a rescan, an
/// overflow, a watcher error) sends a coalesced wake-up.
pub fn watch_dir(dir: &Path, file_name: Option<OsString>, wake: SyncSender<()>) -> Result<RecommendedWatcher, String> {
    let handler = move |res: notify::Result<notify::Event>| {
        let relevant = match &res {
            Ok(ev) => {
                ev.need_rescan()
                    || ev.paths.is_empty()
                    || file_name.as_ref().is_none_or(|n| ev.paths.iter().any(|p| p.file_name() == Some(n.as_os_str())))
            }
            Err(_) => true,
        };
        if relevant {
            // Full channel = a wake-up is already pending; that is enough.
            let _ = wake.try_send(());
        }
    };
    let mut watcher = notify::recommended_watcher(handler).map_err(|e| format!("cannot start file watcher: {e}"))?;
    watcher.watch(dir, RecursiveMode::NonRecursive).map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    Ok(watcher)
}

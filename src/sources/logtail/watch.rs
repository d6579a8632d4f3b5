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

/// Why the directory must be polled rather than watched, if it must.
pub fn network_filesystem(dir: &Path) -> Option<&'static str> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: `c` is a valid NUL-terminated path and `st` a properly sized out-parameter.
        if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
            return None;
        }
        // Magic numbers from linux/magic.h and statfs(2).
        match st.f_type as u64 {
            0x6969 => Some("NFS"),
            0x517B => Some("SMB"),
            0xFF53_4D42 => Some("CIFS"),
            0xFE53_4D42 => Some("SMB2"),
            0x6573_5546 => Some("FUSE"),
            0x0102_1997 => Some("9P"),
            0x5346_414F => Some("AFS"),
            0x7375_7245 => Some("Coda"),
            0x564C => Some("NCP"),
            0x00C3_6400 => Some("Ceph"),
            _ => None,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
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

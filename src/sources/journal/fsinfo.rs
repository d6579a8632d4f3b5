//! D5: advisory locks (flock) do not reliably exclude writers on other hosts
//! over network filesystems, so the user is told when the journal lives on one.

use std::path::Path;

/// A warning when `path` (or its folder, if the file does not exist yet) is on
/// NFS, CIFS/SMB or FUSE; `None` on local filesystems or when it cannot tell.
pub fn nfs_warning(path: &Path) -> Option<String> {
    let probe = if path.exists() { path.to_path_buf() } else { path.parent()?.to_path_buf() };
    let name = network_fs_name(&probe)?;
    Some(format!(
        "journal {} is on {name}: file locks may not keep consoles on other hosts from writing at the same \
         time. Run every console of this session on one host, or use --journal FILE on a local disk.",
        path.display()
    ))
}

/// The network or FUSE filesystem `path` is on, by name (`None` when local or
/// unknown). Shared with the log tail, which polls on these (L5).
#[cfg(target_os = "linux")]
pub(crate) fn network_fs_name(path: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is NUL-terminated and `st` is a valid, writable statfs.
    if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    fs_name(st.f_type as u64)
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn network_fs_name(_path: &Path) -> Option<&'static str> {
    None
}

/// Names the network filesystems by their statfs magic (linux/magic.h).
pub(crate) fn fs_name(magic: u64) -> Option<&'static str> {
    match magic & 0xffff_ffff {
        0x6969 => Some("NFS"),
        0xff53_4d42 => Some("CIFS"),
        0xfe53_4d42 => Some("SMB2"),
        0x517b => Some("SMB"),
        0x6573_5546 => Some("a FUSE filesystem"),
        0x0bd0_0bd0 => Some("Lustre"),
        0x0102_1997 => Some("9P"),
        0x00c3_6400 => Some("CephFS"),
        0x5346_414f => Some("AFS"),
        0x7375_7245 => Some("Coda"),
        0x564c => Some("NCP"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_network_filesystems_are_named() {
        assert_eq!(fs_name(0x6969), Some("NFS"));
        assert_eq!(fs_name(0xff53_4d42), Some("CIFS"));
        assert_eq!(fs_name(0x6573_5546), Some("a FUSE filesystem"));
        assert_eq!(fs_name(0xef53), None); // ext4
        assert_eq!(fs_name(0x0102_1994), None); // tmpfs
    }

    #[test]
    fn local_temp_dir_gives_no_warning() {
        let d = tempfile::tempdir().unwrap();
        // The test temp dir is local on CI and dev machines (tmpfs or ext4/xfs/btrfs/overlay).
        assert_eq!(nfs_warning(&d.path().join("journal.jsonl")), None);
    }
}

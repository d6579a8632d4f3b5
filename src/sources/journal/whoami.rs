//! The Unix account this process runs as (its real uid, resolved to a name),
//! which every record carries as `user`. The real uid, not `$USER`: the
//! environment is whatever the caller says, the uid is what the kernel says.

use nix::unistd::{getuid, User};

/// The account's name, or its number when it has no name (a container
/// without that passwd entry).
pub fn unix_user() -> String {
    let uid = getuid();
    match User::from_uid(uid) {
        Ok(Some(u)) => u.name,
        _ => format!("uid:{}", uid.as_raw()),
    }
}

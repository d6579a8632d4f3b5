//! `warroom doctor RUNBOOK`: what a second engineer needs to know before
//! approving from their own login — where the session's journal is, who owns
//! it and whether another Unix account can append to it, which Unix user and
//! signing key this login would write as, and what each rollback's
//! `distinct` level asks for. Read-only; exit 0 (2 for a bad runbook).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use nix::unistd::{Gid, Group, Uid, User};

use super::common::{self, EXIT_OK};
use super::record_act::load_runbook;
use crate::domain::runbook::Distinct;
use crate::domain::sanitize::clean;
use crate::sources::journal::{unix_user, Signer};

pub fn run(runbook_path: &Path, c: &super::Common) -> i32 {
    let runbook = match load_runbook(runbook_path) {
        Ok(l) => l.runbook,
        Err(code) => return code,
    };
    let journal = common::journal_path(c, &runbook.id);
    let dir = journal.parent().map(Path::to_path_buf).unwrap_or_else(|| ".".into());
    outln!("warroom doctor — {} ({})", clean(&runbook.title), runbook_path.display());
    outln!("journal: {}", journal.display());
    outln!("  folder: {}", describe(&dir));
    match std::fs::metadata(&journal) {
        Ok(_) => outln!("  file:   {}", describe(&journal)),
        Err(_) => {
            outln!("  file:   not created yet (the first console or command creates it with the folder's bits)")
        }
    }
    outln!("  {}", shared_verdict(&dir, &journal));
    outln!("this login: Unix user {}, operator \"{}\"", unix_user(), clean(&common::operator(c)));
    let signing = if c.sign || runbook.access.sign {
        match Signer::from_env() {
            Ok(s) => format!("on: records are signed with {} from the SSH agent", s.fingerprint()),
            Err(e) => format!("asked for, but not possible: {}", clean(&e)),
        }
    } else {
        "off (--sign or [runbook] sign = true turns it on)".to_string()
    };
    outln!("signing: {signing}");
    for rb in runbook.rollbacks.iter().filter(|r| r.approvals >= 2) {
        let how = match rb.distinct {
            Distinct::Operator => "different operator names (one login may give them all)",
            Distinct::User => "different Unix users: each approver runs `warroom approve` from their own login",
            Distinct::Key => "different SSH keys: each approver runs `warroom approve --sign` with their own agent",
        };
        outln!("rollback {}: {} approvals from {how}", clean(&rb.id), rb.approvals);
    }
    EXIT_OK
}

/// "owner root:ops, mode 2770".
fn describe(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) => format!(
            "owner {}:{}, mode {:04o}",
            User::from_uid(Uid::from_raw(m.uid()))
                .ok()
                .flatten()
                .map(|u| u.name)
                .unwrap_or_else(|| m.uid().to_string()),
            Group::from_gid(Gid::from_raw(m.gid()))
                .ok()
                .flatten()
                .map(|g| g.name)
                .unwrap_or_else(|| m.gid().to_string()),
            m.permissions().mode() & 0o7777
        ),
        Err(e) => format!("cannot be read ({e})"),
    }
}

/// Whether an account other than the owner can append to the journal.
fn shared_verdict(dir: &Path, journal: &Path) -> String {
    let mode = |p: &Path| std::fs::metadata(p).map(|m| m.permissions().mode()).unwrap_or(0);
    let (d, f) = (mode(dir), if journal.exists() { mode(journal) } else { mode(dir) });
    if d & 0o002 != 0 && f & 0o002 != 0 {
        "another Unix account can append: yes (the folder and journal are world-writable; a shared group is safer)"
            .into()
    } else if d & 0o020 != 0 && f & 0o020 != 0 {
        "another Unix account can append: yes, if it is in the folder's group".into()
    } else {
        "another Unix account can append: NO — only the owner can write here, so a second engineer cannot approve \
         as themselves: make the folder group-writable (install -d -m 2770 -g GROUP DIR) and the journal g+w \
         (docs/incident.md, \"A second engineer\")"
            .into()
    }
}

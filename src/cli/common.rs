//! Helpers every command shares: who the operator is, where the session's
//! journal lives, and how bad input is reported (exit 2, one paragraph).

use std::path::{Path, PathBuf};

use super::Common;

/// Exit codes of SPEC §1.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAIL: i32 = 1;
pub const EXIT_BAD_INPUT: i32 = 2;

/// `--operator`, else `$WARROOM_OPERATOR`, else `$USER@host`.
pub fn operator(common: &Common) -> String {
    if let Some(o) = common.operator.as_ref().filter(|o| !o.trim().is_empty()) {
        return o.trim().to_string();
    }
    if let Ok(o) = std::env::var("WARROOM_OPERATOR") {
        if !o.trim().is_empty() {
            return o.trim().to_string();
        }
    }
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "operator".into());
    format!("{user}@{}", hostname())
}

fn hostname() -> String {
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

/// The session journal for a runbook id: `--journal` (or `$WARROOM_JOURNAL`),
/// else the runbook's `[session] journal`, else
/// `<data dir>/sessions/<runbook id>/journal.jsonl`, so two consoles opened on
/// the same runbook share one session. `WARROOM_DATA_DIR` overrides the data dir
/// (tests, containers).
pub fn journal_path(common: &Common, runbook_id: &str) -> PathBuf {
    if let Some(j) = &common.journal {
        return j.clone();
    }
    if let Some(j) = super::session_journal::configured(runbook_id) {
        return j;
    }
    data_dir().join("sessions").join(runbook_id).join("journal.jsonl")
}

/// The session journal as messages show it: a file's path, or a database
/// URL without its password.
pub fn journal_shown(common: &Common, runbook_id: &str) -> String {
    let p = journal_path(common, runbook_id);
    if crate::sources::journal::postgres::is_database_url(&p) {
        crate::sources::journal::postgres::redact(&p.to_string_lossy())
    } else {
        p.display().to_string()
    }
}

pub fn data_dir() -> PathBuf {
    crate::sources::journal::data_dir()
}

/// User config dir (themes/, layouts/, keys.toml). `WARROOM_CONFIG_DIR` overrides.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("WARROOM_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "warroom").map(|p| p.config_dir().to_path_buf())
}

/// Prints a bad-input error the way every command does, and returns exit 2.
pub fn bad_input(msg: impl std::fmt::Display) -> i32 {
    errln!("warroom: {msg}");
    EXIT_BAD_INPUT
}

pub fn display(p: &Path) -> String {
    p.display().to_string()
}

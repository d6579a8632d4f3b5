//! Helpers every command shares: who the operator is, where the session's
//! journal lives, and how bad input is reported (exit 2, one paragraph).

use std::path::{Path, PathBuf};

use super::Common;

/// Exit codes every command keeps (README, "Headless commands").
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAIL: i32 = 1;
pub const EXIT_BAD_INPUT: i32 = 2;

/// `--operator`, else `$WARROOM_OPERATOR`, else `$USER@host` (`sources::settings`).
pub fn operator(common: &Common) -> String {
    crate::sources::settings::operator(common.operator.as_deref())
}

/// Refuses a `--operator` or `$WARROOM_OPERATOR` holding control or invisible
/// characters (see `domain::identity`), naming where it came from.
pub fn check_operator_input(common: &Common) -> Result<(), String> {
    use crate::domain::identity::{check_name, NameError};
    let given = common.operator.as_ref().filter(|o| !o.trim().is_empty()).map(|o| ("--operator", o.clone()));
    let env = std::env::var("WARROOM_OPERATOR").ok().filter(|o| !o.trim().is_empty()).map(|o| ("WARROOM_OPERATOR", o));
    match given.or(env) {
        Some((from, name)) => match check_name(&name) {
            Ok(_) | Err(NameError::Empty) => Ok(()),
            Err(e) => Err(format!("{from} {}: {e}", crate::domain::sanitize::clean(&format!("{name:?}")))),
        },
        None => Ok(()),
    }
}

/// The SSH-agent signer when signing is asked for (`--sign`, or the
/// runbook's `sign = true`); `Err` says why it cannot sign.
pub fn signer(common: &Common, runbook_sign: bool) -> Result<Option<crate::sources::journal::Signer>, String> {
    if !(common.sign || runbook_sign) || common.read_only {
        return Ok(None);
    }
    crate::sources::journal::Signer::from_env().map(Some)
}

pub fn hostname() -> String {
    crate::sources::presence::hostname()
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
    crate::sources::settings::data_dir()
}

/// User config dir (themes/, layouts/, keys.toml). `WARROOM_CONFIG_DIR` overrides (`sources::settings`).
pub fn config_dir() -> Option<PathBuf> {
    crate::sources::settings::config_dir()
}

/// What the environment says, with this command line's `--operator`.
pub fn settings(common: &Common) -> crate::sources::settings::Settings {
    crate::sources::settings::Settings::from_env(common.operator.as_deref())
}

/// Prints a bad-input error the way every command does, and returns exit 2.
pub fn bad_input(msg: impl std::fmt::Display) -> i32 {
    errln!("warroom: {msg}");
    EXIT_BAD_INPUT
}

pub fn display(p: &Path) -> String {
    p.display().to_string()
}

/// `Some(message)` when `path` is plainly not a journal but a runbook (a
/// TOML file: its first line is a `[table]`, a `# comment` or a `key =`):
/// every journal line is a JSON object. Said as what it is, not as a
/// journal tampered with at line 1.
pub fn looks_like_a_runbook(path: &std::path::Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).ok()?;
    let text = String::from_utf8_lossy(&head[..n]);
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let toml_key = first.split_once('=').is_some_and(|(k, _)| {
        !k.trim().is_empty() && k.trim().chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"'))
    });
    (first.starts_with('[') || first.starts_with('#') || toml_key).then(|| {
        format!(
            "{} is not a journal: it looks like a runbook (TOML). Give the session's journal.jsonl (`warroom open` names it; sessions/<runbook id>/journal.jsonl in the data dir).",
            path.display()
        )
    })
}

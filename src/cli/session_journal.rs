//! The runbook's `[session] journal` (a file, a `postgres://` URL, or
//! `env:NAME`), for `common::journal_path`.
//!
//! Every command loads its runbook through `runbook_file::load`, which
//! remembers the setting here by runbook id; `journal_path(common, id)` then
//! finds it without each command (present and future) having to pass the
//! runbook along. `--journal` and `$WARROOM_JOURNAL` still come first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::domain::runbook::{JournalSetting, Runbook};
use crate::domain::sanitize::clean;
use crate::sources::journal::postgres::is_database_url;

/// Runbook id → (runbook file, its folder, setting).
type Remembered = (PathBuf, PathBuf, JournalSetting);
static SETTINGS: Mutex<BTreeMap<String, Remembered>> = Mutex::new(BTreeMap::new());

pub fn remember(runbook: &Runbook) {
    if let (Some(j), Ok(mut m)) = (&runbook.session.journal, SETTINGS.lock()) {
        m.insert(runbook.id.clone(), (runbook.path.clone(), runbook.dir.clone(), j.clone()));
    }
}

/// The journal the runbook names, if it names one. `env:NAME` with `$NAME`
/// unset cannot fall back to a local file (the team would split into two
/// sessions without noticing), so it ends the command with exit 2, saying
/// what to do; every command asks before touching the terminal.
pub fn configured(runbook_id: &str) -> Option<PathBuf> {
    let (file, dir, setting) = SETTINGS.lock().ok()?.get(runbook_id).cloned()?;
    match setting {
        // A relative file is beside the runbook, wherever the command runs from.
        JournalSetting::Location(l) if !is_database_url(Path::new(&l)) && Path::new(&l).is_relative() => {
            Some(dir.join(l))
        }
        JournalSetting::Location(l) => Some(PathBuf::from(l)),
        JournalSetting::Env(var) => match std::env::var_os(&var).filter(|v| !v.is_empty()) {
            Some(v) => Some(PathBuf::from(v)),
            None => {
                errln!(
                    "warroom: {}: [session] journal = \"env:{}\" but ${} is not set: export it (the session's \
                     file or postgres:// URL), or pass --journal.",
                    file.display(),
                    clean(&var),
                    clean(&var)
                );
                std::process::exit(super::common::EXIT_BAD_INPUT);
            }
        },
    }
}

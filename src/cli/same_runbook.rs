//! Before joining a session: is it the same runbook file? Sessions are found
//! by runbook id, so another file with the same id (an older copy, a colleague's
//! edit, another team's runbook) would otherwise join silently and show
//! verdicts and a decision taken against other criteria (docs/journal.md,
//! "session.opened").
//!
//! - `open`: asks on the terminal before the console starts — a new session
//!   (`<id>-2`, …) or join anyway; without a terminal it refuses (exit 2) and
//!   names `--new-session` and `--join-anyway`.
//! - headless writers (`mark`, `note`, `approve`): a warning on stderr, then
//!   they record as asked (a script has no one to ask).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::common::{bad_input, data_dir, journal_path, EXIT_BAD_INPUT};
use super::runbook_file::sha256_of;
use super::Common;
use crate::domain::sanitize::clean;
use crate::domain::session_runbook::{other_runbook, recorded, short_hash, Recorded};
use crate::sources::journal::Journal;

/// What `open` does when the session was opened with another file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnOther {
    /// Ask on the terminal; refuse without one.
    #[default]
    Ask,
    Join,
    NewSession,
}

/// Where `open` goes: the journal and what to tell the operator in the console.
pub struct Joined {
    pub journal: PathBuf,
    pub notice: Option<String>,
}

/// The session's runbook as recorded, when it differs from the file at `runbook`.
fn other_in(journal: &Path, runbook: &Path) -> Option<(Recorded, String)> {
    let sha = sha256_of(runbook)?;
    if !journal.is_file() {
        return None;
    }
    let opened = Journal::open_read_only(journal).ok()?;
    other_runbook(&opened.records, &sha).map(|r| (r, sha))
}

fn explain(id: &str, journal: &Path, runbook: &Path, other: &Recorded, sha: &str) -> String {
    format!(
        "this runbook's session was opened with another runbook file.\n  \
         runbook id:  {}\n  \
         session:     {}\n  \
         opened with: {}\n  \
         this file:   {} (sha256 {}…)\n\
         Its verdicts, runs and decision were taken against that runbook.",
        clean(id),
        journal.display(),
        clean(&other.describe()),
        runbook.display(),
        short_hash(sha)
    )
}

/// The journal `open` should use, after asking if need be; `Err(exit code)` to stop.
pub fn for_open(runbook: &Path, id: &str, on_other: OnOther, c: &Common) -> Result<Joined, i32> {
    let journal = journal_path(c, id);
    let Some((other, sha)) = other_in(&journal, runbook) else {
        return Ok(Joined { journal, notice: None });
    };
    let why = explain(id, &journal, runbook, &other, &sha);
    let choice = match on_other {
        OnOther::Join => OnOther::Join,
        OnOther::NewSession => OnOther::NewSession,
        OnOther::Ask if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => ask(&why, id, &sha, c)?,
        OnOther::Ask => {
            errln!(
                "warroom: {why}\nwarroom: not opened. Pass --new-session for a session of its own (`{}`), \
                 or --join-anyway to join this one.",
                new_session_id(id, &sha).0
            );
            return Err(EXIT_BAD_INPUT);
        }
    };
    match choice {
        OnOther::Join => {
            let notice = format!(
                "joined anyway: this session was opened with another runbook file ({}, sha256 {}…)",
                clean(other.path.as_deref().unwrap_or("path not recorded")),
                short_hash(&other.sha256)
            );
            errln!("warroom: {notice}");
            Ok(Joined { journal, notice: Some(notice) })
        }
        _ => {
            if c.journal.is_some() {
                return Err(bad_input(
                    "--new-session picks a session folder in the data directory; with --journal, give another journal file instead.",
                ));
            }
            let (new_id, journal) = new_session_id(id, &sha);
            let notice =
                format!("a session of its own: `{new_id}` ({}), not shared with `{}`", journal.display(), clean(id));
            errln!("warroom: {notice}");
            Ok(Joined { journal, notice: Some(notice) })
        }
    }
}

/// Asks on the terminal (cooked mode: the console has not started yet).
fn ask(why: &str, id: &str, sha: &str, c: &Common) -> Result<OnOther, i32> {
    let new_id = new_session_id(id, sha).0;
    let mut err = std::io::stderr();
    let _ = writeln!(err, "warroom: {why}");
    let stdin = std::io::stdin();
    loop {
        // One choice a line: readable at 80 columns.
        let _ = write!(
            err,
            "  n  open a new session `{new_id}` (nothing shared)\n  o  open anyway (join this session)\n  q  quit\n  n/o/q? "
        );
        let _ = err.flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => return Err(EXIT_BAD_INPUT),
            Ok(_) => {}
        }
        match line.trim().to_lowercase().as_str() {
            "n" | "new" if c.journal.is_some() => {
                let _ = writeln!(err, "  with --journal, give another journal file instead: o or q");
            }
            "n" | "new" => return Ok(OnOther::NewSession),
            "o" | "open" => return Ok(OnOther::Join),
            "q" | "quit" => return Err(EXIT_BAD_INPUT),
            _ => {}
        }
    }
}

/// `<id>-2`, `<id>-3`, …: the first that is unused or was opened with this
/// very file, so opening the same file with `--new-session` again finds its session.
fn new_session_id(id: &str, sha: &str) -> (String, PathBuf) {
    let sessions = data_dir().join("sessions");
    let fits = |journal: &Path| {
        !journal.is_file()
            || Journal::open_read_only(journal).is_ok_and(|o| match recorded(&o.records) {
                Some(r) => r.sha256 == sha,
                None => o.records.is_empty(),
            })
    };
    (2..u32::MAX)
        .map(|n| {
            let new_id = format!("{id}-{n}");
            let journal = sessions.join(&new_id).join("journal.jsonl");
            (new_id, journal)
        })
        .find(|(_, journal)| fits(journal))
        .unwrap_or_else(|| {
            (format!("{id}-{}", short_hash(sha)), sessions.join(format!("{id}-{sha}")).join("journal.jsonl"))
        })
}

/// For headless writers: a warning on stderr when the session was opened
/// with another runbook file; they go on (a script has no one to ask).
pub fn warn_headless(runbook: &Path, id: &str, c: &Common) {
    let journal = journal_path(c, id);
    if let Some((other, sha)) = other_in(&journal, runbook) {
        errln!(
            "warroom: warning: {}\nRecording anyway: check that this is the runbook you meant.",
            explain(id, &journal, runbook, &other, &sha)
        );
    }
}

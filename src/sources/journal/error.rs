//! What can go wrong with a journal, each said as one actionable paragraph
//! that names the file.

use std::fmt;
use std::io;
use std::path::PathBuf;

#[derive(Debug)]
pub enum JournalError {
    /// The file could not be created, read, locked, written or synced.
    Io { path: PathBuf, source: io::Error },
    /// A complete line that is not a valid, correctly chained record.
    Corrupt { path: PathBuf, line: usize, reason: String },
    /// Writing was refused: the journal is open read-only; the text says why.
    ReadOnly(String),
    /// A journal database answered with an error, or its URL is wrong; the
    /// text says what to do. `journal` is the URL without its password.
    Database { journal: String, reason: String },
    /// A journal database cannot be reached (down, network): nothing was
    /// written, or — for a connection lost during a commit — the same act
    /// tried again is kept once.
    Unavailable { journal: String, since: chrono::DateTime<chrono::Utc>, reason: String },
}

impl JournalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        JournalError::Io { path: path.into(), source }
    }
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JournalError::Io { path, source } => {
                let p = path.display();
                let hint = match source.kind() {
                    io::ErrorKind::NotFound => {
                        "It does not exist (or was deleted or moved while open); check the path, or reopen the session"
                    }
                    io::ErrorKind::PermissionDenied => {
                        "Permission denied; check the file's and its folder's owner and mode, or pass --journal FILE \
                         to use another file, or --read-only to watch without writing"
                    }
                    io::ErrorKind::StorageFull => "The disk is full; free space and try again",
                    io::ErrorKind::ReadOnlyFilesystem => {
                        "The filesystem is read-only; use --journal FILE on a writable disk, or --read-only"
                    }
                    _ => "Check that the disk and the path are usable, then try again",
                };
                write!(f, "journal {p}: {source}. {hint}.")
            }
            JournalError::Corrupt { path, line, reason } => write!(
                f,
                "journal {}:{line}: {reason}. The journal was changed or damaged at this line; the session can \
                 only be watched read-only up to the line before it. Run `warroom verify {}` for details, and \
                 keep the file as evidence.",
                path.display(),
                path.display()
            ),
            JournalError::ReadOnly(why) => write!(f, "not recorded: the journal is read-only ({why})."),
            JournalError::Database { journal, reason } => write!(f, "journal {journal}: {reason}."),
            JournalError::Unavailable { journal, since, reason } => write!(
                f,
                "not recorded: journal {journal} cannot be reached since {} UTC ({reason}). Nothing was lost; \
                 try again once the database is back.",
                since.format("%H:%M:%S")
            ),
        }
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JournalError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

//! `Journal`: one session's append-only, hash-chained file.
//!
//! How it stays whole with several writers and crashes (D1–D6 in docs/requirements.md):
//! - Every append holds an exclusive `flock` (fs4) for its whole read-check-
//!   write-fsync, so writers never interleave; the kernel drops the lock when a
//!   holder dies, even by `kill -9` (D4).
//! - Under the lock the writer first reads what others appended since its
//!   offset, so the new record chains after theirs; bytes after the last `\n`
//!   (a write torn by power loss) are appended to `<journal>.torn` and cut off
//!   before writing (D1).
//! - A record is one `write` of one `\n`-terminated line, then `fdatasync`,
//!   and only then acknowledged (D3).
//! - Readers only ever take complete lines, so they never see half a record;
//!   they resume from their byte offset, and reload from the start when the
//!   file shrank or was replaced (a different inode) (D6).
//! - A complete line that does not parse or chain makes the session read-only
//!   on the records before it (D2).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::error::JournalError;
use super::fsinfo::nfs_warning;
use super::postgres::{is_database_url, PgJournal};
use super::reader::{read_chunk, Chunk};
use super::seal::{guard_then_seal, Act};
use super::signer::Signer;
use crate::domain::event::EventKind;
use crate::domain::identity::Actor;
use crate::domain::record::{Record, GENESIS};

/// What `Journal::open` found.
pub struct Opened {
    pub journal: Journal,
    /// Every good record, in order: fold these to get the session's state.
    pub records: Vec<Record>,
    /// Things the user should see (torn tail set aside, network filesystem…).
    pub warnings: Vec<String>,
    /// Set when the journal refuses writes, saying why (e.g. the damaged line, D2).
    pub read_only_reason: Option<String>,
}

pub struct Journal {
    path: PathBuf,
    /// `None` only for a read-only journal whose file does not exist yet.
    file: Option<File>,
    /// Why writes are refused regardless of content (--read-only, no permission).
    base_read_only: Option<String>,
    /// The damaged line that stopped reading, as a read-only reason (D2).
    corrupt_reason: Option<String>,
    /// Bytes of complete, checked lines read so far.
    offset: u64,
    /// Lines read so far (line numbers for messages).
    lines: usize,
    /// (seq, hash) of the last record read or written.
    last: Option<(u64, String)>,
    /// (device, inode) of the open file, to notice a replaced file.
    identity: Option<(u64, u64)>,
    /// Records read during a failed append, handed out by the next `poll`.
    backlog: Vec<Record>,
    /// An error found by `poll` after it had records to return; reported next time.
    pending_error: Option<JournalError>,
    reloaded: bool,
    warnings: Vec<String>,
    /// The Unix account every record written here carries.
    user: String,
    /// Signs every record written here, when signing is on.
    signer: Option<Signer>,
    /// Set when the journal is a PostgreSQL session (`--journal postgres://…`):
    /// then every call goes there, and `path` is only the local folder for
    /// step output (`<data dir>/sessions/pg-<session>/`).
    pg: Option<Box<PgJournal>>,
    /// What was opened when it is not `path` (the database URL, as given).
    origin: Option<PathBuf>,
}

/// Where torn tails are set aside: `<journal>.torn` beside the journal.
pub fn torn_path(journal: &Path) -> PathBuf {
    let mut name = journal.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".torn");
    journal.with_file_name(name)
}

impl Journal {
    fn blank(path: &Path, file: Option<File>, base_read_only: Option<String>) -> Journal {
        Journal {
            path: path.to_path_buf(),
            file,
            base_read_only,
            corrupt_reason: None,
            offset: 0,
            lines: 0,
            last: None,
            identity: None,
            backlog: Vec::new(),
            pending_error: None,
            reloaded: false,
            warnings: Vec::new(),
            user: super::whoami::unix_user(),
            signer: None,
            pg: None,
            origin: None,
        }
    }

    /// Opens (creating the file and its folders if missing) for reading and
    /// appending, reads and checks every record, sets a torn last line aside
    /// (D1), and opens read-only on the records before a damaged line (D2).
    /// Without permission to write, opens read-only and says so.
    pub fn open(path: &Path) -> Result<Opened, JournalError> {
        if is_database_url(path) {
            return Self::open_database(path, false);
        }
        let dir = parent_dir(path);
        std::fs::create_dir_all(&dir).map_err(|e| JournalError::io(&dir, e))?;
        let existed = path.exists();
        let file = match OpenOptions::new().read(true).append(true).create(true).open(path) {
            Ok(f) => f,
            Err(e) if matches!(e.kind(), io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem) => {
                return Self::open_read_only_because(path, format!("no permission to write {}", path.display()));
            }
            Err(e) => return Err(JournalError::io(path, e)),
        };
        if !existed {
            share_like_dir(&file, &dir);
            // The new file's name must survive a crash too (D3).
            sync_dir(&dir);
        }
        let mut j = Journal::blank(path, Some(file), None);
        let mut warnings = Vec::new();
        let records = {
            let lock = Lock::exclusive(j.file()?, path)?;
            j.identity = Some(identity(&lock.file.metadata().map_err(|e| JournalError::io(path, e))?));
            let buf = read_from(&lock.file, 0).map_err(|e| JournalError::io(path, e))?;
            let chunk = read_chunk(&buf, 1, None);
            j.take_chunk(&chunk);
            if let Some((line, why)) = &chunk.bad {
                j.mark_corrupt(*line, why);
            } else if let Some(tail) = &chunk.tail {
                warnings.push(j.set_aside_tail(&lock.file, tail)?);
            }
            chunk.records
        };
        warnings.extend(nfs_warning(path));
        Ok(Opened { read_only_reason: j.read_only_reason(), journal: j, records, warnings })
    }

    /// Opens for watching only: nothing is ever written, a torn tail is
    /// reported but left in place, and a journal that does not exist yet is
    /// waited for (`poll` picks it up once it appears).
    pub fn open_read_only(path: &Path) -> Result<Opened, JournalError> {
        if is_database_url(path) {
            return Self::open_database(path, true);
        }
        Self::open_read_only_because(path, "opened read-only".to_string())
    }

    fn open_read_only_because(path: &Path, why: String) -> Result<Opened, JournalError> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let j = Journal::blank(path, None, Some(why));
                let warnings =
                    vec![format!("journal {} does not exist yet; waiting for the first record.", path.display())];
                return Ok(Opened {
                    read_only_reason: j.read_only_reason(),
                    journal: j,
                    records: Vec::new(),
                    warnings,
                });
            }
            Err(e) => return Err(JournalError::io(path, e)),
        };
        let mut j = Journal::blank(path, Some(file), Some(why));
        let mut warnings = Vec::new();
        let records = {
            // A shared lock only so that an unterminated last line is surely torn, not being written.
            let lock = Lock::shared(j.file()?, path).ok();
            let f = j.file()?;
            let id = identity(&f.metadata().map_err(|e| JournalError::io(path, e))?);
            let buf = read_from(f, 0).map_err(|e| JournalError::io(path, e))?;
            drop(lock);
            j.identity = Some(id);
            let chunk = read_chunk(&buf, 1, None);
            j.take_chunk(&chunk);
            if let Some((line, why)) = &chunk.bad {
                j.mark_corrupt(*line, why);
            } else if let Some(tail) = &chunk.tail {
                warnings.push(format!(
                    "journal {}: line {} is incomplete ({} bytes, no line end), probably cut short by a crash; \
                     it is not shown, and the next console that writes will set it aside.",
                    path.display(),
                    j.lines + 1,
                    tail.len()
                ));
            }
            chunk.records
        };
        warnings.extend(nfs_warning(path));
        Ok(Opened { read_only_reason: j.read_only_reason(), journal: j, records, warnings })
    }

    /// Appends one event as `operator` at `ts`, under the exclusive lock (D1,
    /// D3, D4). Returns the records others appended since we last read,
    /// followed by ours — fold them all, in order. If the file was replaced
    /// or shrank meanwhile, the returned records are the whole journal and
    /// `take_reloaded` says so.
    pub fn append(&mut self, operator: &str, ts: DateTime<Utc>, ev: &EventKind) -> Result<Vec<Record>, JournalError> {
        self.append_unless(operator, ts, ev, |_| None).map(|(records, _)| records)
    }

    /// Like `append`, but first shows `refuse` the records others appended
    /// since we last read, while holding the lock: if it gives a reason, nothing
    /// is written and the reason comes back with those records. This is how a
    /// start is made atomic across consoles: two consoles firing the same
    /// rollback at the same instant both pass their own check, but only the
    /// first to take the lock writes `rollback.started`; the second sees it here.
    pub fn append_unless(
        &mut self,
        operator: &str,
        ts: DateTime<Utc>,
        ev: &EventKind,
        refuse: impl FnOnce(&[Record]) -> Option<String>,
    ) -> Result<(Vec<Record>, Option<String>), JournalError> {
        self.append_record(operator, ts, ev, None, refuse)
    }

    /// Appends an event that happened at `happened` but could only be written
    /// now (`written_at`), after the journal refused writes for a while (the
    /// outbox): the record keeps `happened` as its `ts`, and its data carries
    /// `written_at` (docs/journal.md, "Written late").
    pub fn append_late(
        &mut self,
        operator: &str,
        happened: DateTime<Utc>,
        ev: &EventKind,
        written_at: DateTime<Utc>,
    ) -> Result<Vec<Record>, JournalError> {
        self.append_record(operator, happened, ev, Some(written_at), |_| None).map(|(records, _)| records)
    }

    fn append_record(
        &mut self,
        operator: &str,
        ts: DateTime<Utc>,
        ev: &EventKind,
        written_late: Option<DateTime<Utc>>,
        refuse: impl FnOnce(&[Record]) -> Option<String>,
    ) -> Result<(Vec<Record>, Option<String>), JournalError> {
        let actor = Actor { operator: operator.to_string(), user: Some(self.user.clone()), key: None };
        // A clone (a socket path and a public key), so the journal stays free to re-read itself below.
        let signer = self.signer.clone();
        let act = Act { actor: &actor, ts, event: ev, written_late, signer: signer.as_ref() };
        if let Some(pg) = self.pg.as_mut() {
            return pg.append_record(&act, refuse);
        }
        if let Some(why) = self.read_only_reason() {
            return Err(JournalError::ReadOnly(why));
        }
        let mut out = std::mem::take(&mut self.backlog);
        let mut attempts = 0;
        let lock = loop {
            if self.replaced()? {
                out = self.reload()?;
            }
            let lock = Lock::exclusive(self.file()?, &self.path)?;
            // Replaced while we waited for the lock? Then lock the new file instead.
            attempts += 1;
            if attempts >= 3 || !self.replaced()? {
                break lock;
            }
        };
        let len = lock.file.metadata().map_err(|e| JournalError::io(&self.path, e))?.len();
        if len < self.offset {
            out = self.reload()?;
        }
        let buf = read_from(&lock.file, self.offset).map_err(|e| JournalError::io(&self.path, e))?;
        let chunk = read_chunk(&buf, self.lines + 1, self.last_ref());
        self.take_chunk(&chunk);
        out.extend(chunk.records);
        if let Some((line, why)) = &chunk.bad {
            let err = self.mark_corrupt(*line, why);
            self.backlog = out;
            return Err(err);
        }
        if let Some(tail) = &chunk.tail {
            let w = self.set_aside_tail(&lock.file, tail)?;
            self.warnings.push(w);
        }

        let rec = match guard_then_seal(&act, &out, self.last.as_ref(), refuse) {
            Ok(Ok(rec)) => rec,
            Ok(Err(why)) => {
                drop(lock);
                return Ok((out, Some(why)));
            }
            Err(e) => {
                drop(lock);
                self.backlog = out;
                return Err(e);
            }
        };
        let mut line = rec.to_line().into_bytes();
        line.push(b'\n');
        // One write of the whole line; O_APPEND puts it at the end. Only a synced record is acknowledged.
        if let Err(e) = (&lock.file).write_all(&line).and_then(|_| lock.file.sync_data()) {
            // Leave no partial line behind for the next writer to set aside.
            let _ = lock.file.set_len(self.offset);
            self.backlog = out;
            return Err(JournalError::io(&self.path, e));
        }
        drop(lock);
        self.offset += line.len() as u64;
        self.lines += 1;
        self.last = Some((rec.seq, rec.hash.clone()));
        out.push(rec);
        Ok((out, None))
    }

    /// A second handle on the same journal, positioned where this one is
    /// (nothing is read again): for the journal writer thread. To the file it
    /// is one more writer. A file replaced meanwhile is opened afresh.
    pub fn reopen(&self) -> Result<Journal, JournalError> {
        if self.pg.is_some() {
            // Another connection to the session's database.
            return Journal::open(self.origin()).map(|o| o.journal);
        }
        if self.is_read_only() {
            return Err(JournalError::ReadOnly(self.read_only_reason().unwrap_or_default()));
        }
        let file =
            OpenOptions::new().read(true).append(true).open(&self.path).map_err(|e| JournalError::io(&self.path, e))?;
        let id = identity(&file.metadata().map_err(|e| JournalError::io(&self.path, e))?);
        if Some(id) != self.identity {
            return Journal::open(&self.path).map(|o| o.journal);
        }
        let mut j = Journal::blank(&self.path, Some(file), None);
        j.identity = Some(id);
        j.offset = self.offset;
        j.lines = self.lines;
        j.last = self.last.clone();
        Ok(j)
    }

    /// What was opened: the file, or the database URL as given (to open it again).
    pub fn origin(&self) -> &Path {
        self.origin.as_deref().unwrap_or(&self.path)
    }

    /// New complete records others appended since our offset (D6). A shrunk
    /// or replaced file is reloaded from the start: then the records are the
    /// whole journal and `take_reloaded` returns true. A damaged line stops
    /// reading there and makes the journal read-only (reported once as an
    /// error, after any good records before it have been returned).
    pub fn poll(&mut self) -> Result<Vec<Record>, JournalError> {
        if let Some(pg) = self.pg.as_mut() {
            return pg.poll();
        }
        if let Some(e) = self.pending_error.take() {
            return Err(e);
        }
        let mut out = std::mem::take(&mut self.backlog);
        if self.replaced()? {
            return self.reload();
        }
        let Some(file) = self.file.as_ref() else { return Ok(out) };
        if self.corrupt_reason.is_some() {
            let shrunk = file.metadata().map(|m| m.len() < self.offset).unwrap_or(false);
            return if shrunk { self.reload() } else { Ok(out) };
        }
        let len = file.metadata().map_err(|e| JournalError::io(&self.path, e))?.len();
        if len < self.offset {
            return self.reload();
        }
        if len == self.offset {
            return Ok(out);
        }
        let buf = read_from(file, self.offset).map_err(|e| JournalError::io(&self.path, e))?;
        // The tail after the last `\n` is a write in progress (or torn); it is read once complete.
        let chunk = read_chunk(&buf, self.lines + 1, self.last_ref());
        self.take_chunk(&chunk);
        let had_records = !out.is_empty() || !chunk.records.is_empty();
        out.extend(chunk.records);
        if let Some((line, why)) = &chunk.bad {
            let err = self.mark_corrupt(*line, why);
            if !had_records {
                return Err(err);
            }
            self.pending_error = Some(err);
        }
        Ok(out)
    }

    /// True once after `poll` or `append` reloaded the journal from the start
    /// (file replaced or shrunk): the caller must rebuild its state from the
    /// records that call returned instead of folding them on.
    pub fn take_reloaded(&mut self) -> bool {
        std::mem::take(&mut self.reloaded)
    }

    /// Warnings that arose after `open` (a torn tail set aside, a reload).
    pub fn take_warnings(&mut self) -> Vec<String> {
        let mut w = std::mem::take(&mut self.warnings);
        if let Some(pg) = self.pg.as_mut() {
            w.extend(pg.take_warnings());
        }
        w
    }

    /// From now on every record written here is signed by `signer`.
    pub fn set_signer(&mut self, signer: Signer) {
        self.signer = Some(signer);
    }

    /// The signer records written here are signed with, if any.
    pub fn signer(&self) -> Option<&Signer> {
        self.signer.as_ref()
    }

    /// The Unix account and signing key (fingerprint) records written here carry.
    pub fn writer(&self) -> (String, Option<String>) {
        (self.user.clone(), self.signer.as_ref().map(|s| s.fingerprint().to_string()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Folder beside the journal for step and rollback output files.
    pub fn runs_dir(&self) -> PathBuf {
        parent_dir(&self.path).join("runs")
    }

    /// Output file name for one run, relative to the journal's folder, e.g.
    /// `runs/step-preflight-3.log`. Characters other than `[A-Za-z0-9_-]` are
    /// replaced so the name can never leave `runs/`.
    pub fn next_output_name(&self, kind: &str, id: &str, run: u32) -> String {
        format!("runs/{}-{}-{run}.log", file_safe(kind), file_safe(id))
    }

    /// Why writes are refused, if they are.
    pub fn read_only_reason(&self) -> Option<String> {
        if let Some(pg) = &self.pg {
            return pg.read_only_reason();
        }
        self.base_read_only.clone().or_else(|| self.corrupt_reason.clone())
    }

    /// The damaged line that stopped reading (D2), if any, as a sentence.
    pub fn damaged(&self) -> Option<&str> {
        if let Some(pg) = &self.pg {
            return pg.damaged();
        }
        self.corrupt_reason.as_deref()
    }

    pub fn is_read_only(&self) -> bool {
        if let Some(pg) = &self.pg {
            return pg.read_only_reason().is_some();
        }
        self.base_read_only.is_some() || self.corrupt_reason.is_some()
    }

    /// `seq` of the last record read or written (0 for an empty journal).
    pub fn last_seq(&self) -> u64 {
        if let Some(pg) = &self.pg {
            return pg.last_seq();
        }
        self.last.as_ref().map(|(s, _)| *s).unwrap_or(0)
    }

    /// Hash of the last record (GENESIS for an empty journal).
    pub fn last_hash(&self) -> &str {
        if let Some(pg) = &self.pg {
            return pg.last_hash();
        }
        self.last.as_ref().map(|(_, h)| h.as_str()).unwrap_or(GENESIS)
    }

    /// What to call this journal in messages: the file, or the database URL without its password.
    pub fn location(&self) -> String {
        match &self.pg {
            Some(pg) => pg.shown().to_string(),
            None => self.path.display().to_string(),
        }
    }

    /// Since when the journal cannot be written because its database cannot
    /// be reached; `None` while it can (and always for a file).
    pub fn unavailable_since(&self) -> Option<DateTime<Utc>> {
        self.pg.as_ref().and_then(|pg| pg.unavailable_since())
    }

    /// On a database session: announces `me` there (in the background) and
    /// returns the consoles present as last read, from every host. `None` for
    /// a file journal, whose consoles find each other through presence files
    /// beside it (`sources::presence`).
    pub fn database_presence(
        &mut self,
        me: Option<&crate::domain::presence::Presence>,
        now: DateTime<Utc>,
    ) -> Option<Vec<crate::domain::presence::Presence>> {
        self.pg.as_mut().map(|pg| pg.presence(me, now))
    }

    /// Tells `tx` (`JournalChanged`) whenever others may have written: the
    /// file watcher, or the database's LISTEN/NOTIFY (which also wakes on a
    /// lost or regained connection). Keep the handle for as long as needed.
    pub fn watch(&self, tx: crate::sources::EventSender) -> super::WatchHandle {
        match &self.pg {
            Some(pg) => {
                pg.watch(tx);
                super::WatchHandle::inert()
            }
            None => super::spawn_watcher(self.path.clone(), tx),
        }
    }

    /// A PostgreSQL session: connect, read, and keep step output under the data dir.
    fn open_database(url: &Path, read_only: bool) -> Result<Opened, JournalError> {
        let opened = PgJournal::open(&url.to_string_lossy(), read_only)?;
        let local = super::data_dir().join("sessions").join(format!("pg-{}", file_safe(opened.journal.session())));
        let mut j = Journal::blank(&local.join("journal.jsonl"), None, None);
        let read_only_reason = opened.journal.read_only_reason();
        j.pg = Some(Box::new(opened.journal));
        j.origin = Some(url.to_path_buf());
        Ok(Opened { journal: j, records: opened.records, warnings: opened.warnings, read_only_reason })
    }

    fn file(&self) -> Result<&File, JournalError> {
        self.file.as_ref().ok_or_else(|| {
            JournalError::io(&self.path, io::Error::new(io::ErrorKind::NotFound, "the journal file does not exist"))
        })
    }

    fn last_ref(&self) -> Option<(u64, &str)> {
        self.last.as_ref().map(|(s, h)| (*s, h.as_str()))
    }

    fn take_chunk(&mut self, chunk: &Chunk) {
        self.offset += chunk.consumed as u64;
        self.lines += chunk.lines;
        if let Some(r) = chunk.records.last() {
            self.last = Some((r.seq, r.hash.clone()));
        }
    }

    fn mark_corrupt(&mut self, line: usize, why: &str) -> JournalError {
        let err = JournalError::Corrupt { path: self.path.clone(), line, reason: why.to_string() };
        self.corrupt_reason = Some(format!(
            "{}:{line}: {why}; showing the {} records before it, read-only — run `warroom verify {}`",
            self.path.display(),
            self.last_seq(),
            self.path.display()
        ));
        err
    }

    /// Has the file at our path been replaced (another inode), or appeared
    /// (read-only journal opened before it existed)? A deleted file is an
    /// error for writers (recording into an unlinked file would lose it) and
    /// "no change" for readers.
    fn replaced(&self) -> Result<bool, JournalError> {
        match std::fs::metadata(&self.path) {
            Ok(m) => Ok(self.identity != Some(identity(&m))),
            Err(e) if e.kind() == io::ErrorKind::NotFound && self.base_read_only.is_some() => Ok(false),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(JournalError::io(
                &self.path,
                io::Error::new(io::ErrorKind::NotFound, "the journal was deleted or moved while open"),
            )),
            Err(e) => Err(JournalError::io(&self.path, e)),
        }
    }

    /// Reopens the path and reads every record from the start.
    fn reload(&mut self) -> Result<Vec<Record>, JournalError> {
        let file = if self.base_read_only.is_some() {
            File::open(&self.path)
        } else {
            OpenOptions::new().read(true).append(true).open(&self.path)
        }
        .map_err(|e| JournalError::io(&self.path, e))?;
        self.identity = Some(identity(&file.metadata().map_err(|e| JournalError::io(&self.path, e))?));
        let buf = read_from(&file, 0).map_err(|e| JournalError::io(&self.path, e))?;
        self.file = Some(file);
        self.offset = 0;
        self.lines = 0;
        self.last = None;
        self.corrupt_reason = None;
        self.backlog.clear();
        self.pending_error = None;
        let chunk = read_chunk(&buf, 1, None);
        self.take_chunk(&chunk);
        if let Some((line, why)) = &chunk.bad {
            self.mark_corrupt(*line, why);
        }
        self.reloaded = true;
        self.warnings.push(format!(
            "journal {} was replaced or shrank on disk; reloaded from the start ({} records).",
            self.path.display(),
            chunk.records.len()
        ));
        Ok(chunk.records)
    }

    /// D1: moves the bytes after the last `\n` to `<journal>.torn` (appended,
    /// synced) and cuts them off the journal. Called with the exclusive lock held.
    fn set_aside_tail(&mut self, file: &File, tail: &[u8]) -> Result<String, JournalError> {
        let torn = torn_path(&self.path);
        let mut bytes = tail.to_vec();
        bytes.push(b'\n');
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&torn)
            .and_then(|mut t| t.write_all(&bytes).and_then(|_| t.sync_all()))
            .map_err(|e| JournalError::io(&torn, e))?;
        sync_dir(&parent_dir(&self.path));
        file.set_len(self.offset).and_then(|_| file.sync_all()).map_err(|e| JournalError::io(&self.path, e))?;
        Ok(format!(
            "journal {}: line {} was incomplete ({} bytes, no line end) — a write cut short by a crash or power \
             loss, never acknowledged. It was moved to {} and the session goes on after seq {}.",
            self.path.display(),
            self.lines + 1,
            tail.len(),
            torn.display(),
            self.last_seq()
        ))
    }
}

/// An advisory lock held on a duplicate of the journal's descriptor (same
/// open file description, so same lock); released on drop, and by the kernel
/// if the process dies.
struct Lock {
    file: File,
}

impl Lock {
    fn exclusive(file: &File, path: &Path) -> Result<Lock, JournalError> {
        Self::take(file, path, true)
    }
    fn shared(file: &File, path: &Path) -> Result<Lock, JournalError> {
        Self::take(file, path, false)
    }
    fn take(file: &File, path: &Path, exclusive: bool) -> Result<Lock, JournalError> {
        let file = file.try_clone().map_err(|e| JournalError::io(path, e))?;
        loop {
            let r = if exclusive {
                fs4::fs_std::FileExt::lock_exclusive(&file)
            } else {
                fs4::fs_std::FileExt::lock_shared(&file)
            };
            match r {
                Ok(()) => return Ok(Lock { file }),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(JournalError::io(path, e)),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs4::fs_std::FileExt::unlock(&self.file);
    }
}

fn read_from(file: &File, offset: u64) -> io::Result<Vec<u8>> {
    let mut f = file;
    f.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(buf)
}

fn identity(m: &std::fs::Metadata) -> (u64, u64) {
    (m.dev(), m.ino())
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A session folder that others may write to (group- or world-writable, so
/// that a second engineer can approve as their own Unix user) gets a journal
/// they may append to as well: the new file takes the folder's read/write
/// bits, whatever the umask. See `docs/incident.md`, "A second engineer".
fn share_like_dir(file: &File, dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(dir_mode) = std::fs::metadata(dir).map(|m| m.permissions().mode()) else { return };
    if dir_mode & 0o022 != 0 {
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600 | (dir_mode & 0o066)));
    }
}

/// Best effort: makes a new directory entry durable.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn file_safe(s: &str) -> String {
    let t: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if t.is_empty() {
        "_".into()
    } else {
        t
    }
}

//! Follows one file like `tail -F` (L1–L7), on its own thread so reading never
//! touches the UI task.
//!
//! On every wake-up (a watcher event about the file, or the poll timer) the
//! path is re-stat'ed and compared with the open file:
//! - another inode at the path (rename+create rotation, delete→recreate,
//!   temp-file+rename): the old file is read to its end first, then the new one
//!   from its start. After a rename the new file is only taken once it has data
//!   (or the old one is gone), so a writer that still appends to the renamed
//!   file until it reopens loses nothing;
//! - the path is missing: the open file is drained, status `Waiting`, keep trying;
//! - size below our offset, or the first bytes (up to 4 KiB) changed, or the
//!   same size with new content near our offset: truncated or rewritten —
//!   restart at 0 behind a "— truncated —" marker.

use std::fs::{self, File, Metadata};
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use notify::RecommendedWatcher;

use super::batch::{Batcher, CUT_MARKER};
use super::lines::{Line, LineSplitter, MAX_LINE};
use super::watch::{network_filesystem, parent_dir, watch_dir};
use super::TailOptions;
use crate::sources::LogStatus;

/// Bytes hashed at the start of the file and before our offset to notice rewrites.
const PRINT: u64 = 4096;
const READ_CHUNK: usize = 256 * 1024;

pub const TRUNCATED_MARKER: &str = "— truncated: reading from the start —";
pub const ROTATED_MARKER: &str = "— file replaced (rotated): following the new file —";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    hash: u64,
}

fn fingerprint(file: &File, start: u64, len: u64) -> Option<Fingerprint> {
    let mut buf = vec![0u8; len as usize];
    file.read_exact_at(&mut buf, start).ok()?;
    let mut h = DefaultHasher::new();
    h.write(&buf);
    Some(Fingerprint { len, hash: h.finish() })
}

struct Open {
    file: File,
    dev: u64,
    ino: u64,
    offset: u64,
    splitter: LineSplitter,
    /// The first bytes of the file (appends never change them).
    head: Fingerprint,
    /// The bytes just before `offset`.
    tail: Fingerprint,
    mtime: Option<SystemTime>,
}

impl Open {
    fn still_linked(&self) -> bool {
        self.file.metadata().map(|m| m.nlink() > 0).unwrap_or(false)
    }
}

pub(super) struct FileTail {
    path: PathBuf,
    opts: TailOptions,
    batch: Batcher,
    cur: Option<Open>,
    /// Set once the first look is done: files that appear later are read from their start.
    looked: bool,
    polling: bool,
    watcher: Option<RecommendedWatcher>,
    wake_tx: SyncSender<()>,
    wake_rx: Receiver<()>,
    stop: Arc<AtomicBool>,
    buf: Vec<u8>,
}

impl FileTail {
    pub(super) fn new(
        path: PathBuf,
        opts: TailOptions,
        batch: Batcher,
        wake: (SyncSender<()>, Receiver<()>),
        stop: Arc<AtomicBool>,
    ) -> Self {
        FileTail {
            path,
            opts,
            batch,
            cur: None,
            looked: false,
            polling: false,
            watcher: None,
            wake_tx: wake.0,
            wake_rx: wake.1,
            stop,
            buf: vec![0; READ_CHUNK],
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || self.batch.is_closed()
    }

    pub(super) fn run(mut self) {
        self.start_watching();
        while !self.stopped() {
            self.check();
            if !self.polling && self.watcher.is_none() {
                self.start_watching();
            }
            let mut wait = if self.polling { self.opts.fallback_poll_every } else { self.opts.poll_every };
            if let Some(d) = self.batch.deadline() {
                wait = wait.min(d.saturating_duration_since(Instant::now()));
            }
            let _ = self.wake_rx.recv_timeout(wait);
            self.batch.flush_if_due();
        }
        self.batch.flush();
    }

    fn start_watching(&mut self) {
        if self.opts.force_polling {
            return self.fall_back_to_polling("polling mode requested");
        }
        let dir = parent_dir(&self.path);
        if let Some(fs) = network_filesystem(&dir) {
            return self
                .fall_back_to_polling(&format!("{} is on {fs}, where file events are not delivered", dir.display()));
        }
        if !dir.is_dir() {
            return; // Not there yet: waiting; tried again after the next poll.
        }
        let name = self.path.file_name().map(|n| n.to_os_string());
        match watch_dir(&dir, name, self.wake_tx.clone()) {
            Ok(w) => self.watcher = Some(w),
            Err(e) => self.fall_back_to_polling(&e),
        }
    }

    fn fall_back_to_polling(&mut self, why: &str) {
        self.polling = true;
        let every = self.opts.fallback_poll_every;
        self.batch.push_marker(&format!("— polling every {} ms ({why}) —", every.as_millis()));
        self.batch.status(LogStatus::Polling);
    }

    fn following(&self) -> LogStatus {
        if self.polling {
            LogStatus::Polling
        } else {
            LogStatus::Following
        }
    }

    /// Re-stat the path and act on what changed; then read what is new.
    fn check(&mut self) {
        let meta = fs::metadata(&self.path);
        let first_look = !self.looked;
        self.looked = true;
        match meta {
            Err(e) => {
                if let Some(mut cur) = self.cur.take() {
                    self.drain(&mut cur);
                    // A renamed file may still get its writer's last lines: keep it until
                    // the new one appears. A deleted one is finished.
                    if cur.still_linked() {
                        self.cur = Some(cur);
                    } else {
                        self.finish(cur);
                    }
                }
                if e.kind() == io::ErrorKind::NotFound || e.raw_os_error() == Some(libc::ENOTDIR) {
                    self.batch.status(LogStatus::Waiting);
                } else {
                    self.batch.status(LogStatus::Error(format!("{}: {e}", self.path.display())));
                }
            }
            Ok(m) if m.is_dir() => {
                let msg = format!("{} is a directory; point the [[log]] path at a file", self.path.display());
                self.batch.status(LogStatus::Error(msg));
            }
            Ok(m) => match self.cur.take() {
                None => self.open(first_look),
                Some(mut cur) if (m.dev(), m.ino()) != (cur.dev, cur.ino) => {
                    // Everything the writer put in the old file happened before the new
                    // one got data, i.e. before the stat above: one drain now gets it all.
                    self.drain(&mut cur);
                    if m.len() == 0 && cur.still_linked() {
                        self.cur = Some(cur);
                        return;
                    }
                    self.finish(cur);
                    self.batch.push_marker(ROTATED_MARKER);
                    self.batch.status(LogStatus::Rotated);
                    self.open(false);
                }
                Some(cur) => self.same_file(cur, &m),
            },
        }
    }

    fn open(&mut self, at_end: bool) {
        let file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return self.batch.status(LogStatus::Waiting),
            Err(e) => {
                let msg = format!("cannot open {}: {e}", self.path.display());
                return self.batch.status(LogStatus::Error(msg));
            }
        };
        let m = match file.metadata() {
            Ok(m) => m,
            Err(e) => return self.batch.status(LogStatus::Error(format!("{}: {e}", self.path.display()))),
        };
        let offset = if at_end { start_offset(&file, m.len()) } else { 0 };
        let mut cur = Open {
            head: fingerprint(&file, 0, m.len().min(PRINT)).unwrap_or_default(),
            tail: Fingerprint::default(),
            dev: m.dev(),
            ino: m.ino(),
            offset,
            splitter: LineSplitter::new(),
            mtime: m.modified().ok(),
            file,
        };
        if let Err(e) = cur.file.seek(SeekFrom::Start(offset)) {
            return self.batch.status(LogStatus::Error(format!("{}: {e}", self.path.display())));
        }
        self.batch.status(self.following());
        self.read_new(&mut cur);
        self.cur = Some(cur);
    }

    fn same_file(&mut self, mut cur: Open, m: &Metadata) {
        let size = m.len();
        let mtime = m.modified().ok();
        let head_changed = cur.head.len > 0
            && size >= cur.head.len
            && fingerprint(&cur.file, 0, cur.head.len).is_none_or(|f| f != cur.head);
        // Same size, maybe new content: polling trusts content, not mtime (L5).
        let tail_changed = size == cur.offset
            && cur.tail.len > 0
            && (self.polling || mtime != cur.mtime)
            && fingerprint(&cur.file, cur.offset - cur.tail.len, cur.tail.len).is_none_or(|f| f != cur.tail);
        if size < cur.offset || head_changed || tail_changed {
            self.finish_lines(&mut cur);
            self.batch.push_marker(TRUNCATED_MARKER);
            self.batch.status(LogStatus::Truncated);
            cur.offset = 0;
            cur.head = fingerprint(&cur.file, 0, size.min(PRINT)).unwrap_or_default();
            cur.tail = Fingerprint::default();
            if let Err(e) = cur.file.seek(SeekFrom::Start(0)) {
                self.batch.status(LogStatus::Error(format!("{}: {e}", self.path.display())));
                return;
            }
        }
        cur.mtime = mtime;
        self.batch.status(self.following());
        self.read_new(&mut cur);
        if cur.head.len < PRINT && cur.offset > cur.head.len {
            // Widen the head print now that there is more file (checked unchanged above).
            cur.head = fingerprint(&cur.file, 0, cur.offset.min(PRINT)).unwrap_or(cur.head);
        }
        self.cur = Some(cur);
    }

    /// Reads to the end of the old file (it is being left).
    fn drain(&mut self, cur: &mut Open) {
        self.read_new(cur);
    }

    fn finish(&mut self, mut cur: Open) {
        self.finish_lines(&mut cur);
    }

    fn finish_lines(&mut self, cur: &mut Open) {
        let batch = &mut self.batch;
        cur.splitter.finish(|line| push_line(batch, line));
    }

    /// Reads from the offset to the current end of the file, line by line.
    fn read_new(&mut self, cur: &mut Open) {
        let mut read_any = false;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            let n = match cur.file.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let msg = format!("reading {}: {e}", self.path.display());
                    self.batch.status(LogStatus::Error(msg));
                    break;
                }
            };
            read_any = true;
            cur.offset += n as u64;
            let batch = &mut self.batch;
            batch.stamp();
            cur.splitter.feed(&self.buf[..n], |line| push_line(batch, line));
            batch.flush_if_due();
        }
        if read_any {
            let len = cur.offset.min(PRINT);
            cur.tail = fingerprint(&cur.file, cur.offset - len, len).unwrap_or_default();
        }
    }
}

fn push_line(batch: &mut Batcher, line: Line<'_>) {
    match line {
        Line::Full(b) => batch.push_raw(b, ""),
        Line::Cut(b) => {
            batch.push_raw(b, "");
            batch.push_marker(CUT_MARKER);
        }
    }
}

/// Where following starts in a file that is already there: its end, or just
/// after its last complete line so a half-written line is shown whole.
fn start_offset(file: &File, len: u64) -> u64 {
    let look = len.min(MAX_LINE as u64);
    let mut buf = vec![0u8; look as usize];
    if file.read_exact_at(&mut buf, len - look).is_err() {
        return len;
    }
    match memchr::memrchr(b'\n', &buf) {
        Some(i) => len - look + i as u64 + 1,
        None if len == look => 0,
        None => len,
    }
}

/// How long to wait between looks at a file when nothing wakes us.
pub(super) fn default_intervals() -> (Duration, Duration) {
    (Duration::from_secs(1), Duration::from_millis(250))
}

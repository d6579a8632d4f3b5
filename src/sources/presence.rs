//! Presence files (docs/console.md): each console keeps
//! `<journal's folder>/presence/<host>-<pid>.json` up to date (rewritten every
//! second through a temporary file and a rename, so a reader never sees half
//! a file) and holds an exclusive `flock` on `<host>-<pid>.lock` for its life.
//! The kernel drops that lock the moment the process dies, even by `kill -9`,
//! so a reader that can take the lock knows the console is gone and removes
//! its files. A heartbeat older than 5 s also counts as gone (locks are not
//! reliable on network filesystems). None of this touches the journal: being
//! present is not an act.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use fs4::fs_std::FileExt;

use crate::domain::presence::{self, Presence};

/// The presence folder of the session whose journal is `journal`.
pub fn dir_of(journal: &Path) -> PathBuf {
    journal.parent().unwrap_or(Path::new(".")).join("presence")
}

/// This console's entry: its lock is held until it is dropped.
pub struct Announcer {
    dir: PathBuf,
    stem: String,
    /// Held for the console's life; closing it (or dying) releases the lock.
    _lock: File,
    pub me: Presence,
}

impl Announcer {
    /// Takes the lock and writes the first heartbeat. The lock file is locked
    /// under a temporary name and then renamed into place, so no reader ever
    /// sees it unlocked.
    pub fn start(journal: &Path, me: Presence) -> std::io::Result<Announcer> {
        let dir = dir_of(journal);
        fs::create_dir_all(&dir)?;
        let stem = sanitize_stem(&me.console_id());
        let tmp = dir.join(format!(".{stem}.lock.tmp"));
        let lock = OpenOptions::new().create(true).truncate(true).write(true).open(&tmp)?;
        FileExt::lock_exclusive(&lock)?;
        fs::rename(&tmp, dir.join(format!("{stem}.lock")))?;
        let a = Announcer { dir, stem, _lock: lock, me };
        a.write()?;
        Ok(a)
    }

    /// Rewrites the entry (call once a second, and when what it does changes).
    pub fn beat(&mut self, now: DateTime<Utc>) -> std::io::Result<()> {
        self.me.heartbeat = now;
        self.write()
    }

    fn write(&self) -> std::io::Result<()> {
        let tmp = self.dir.join(format!(".{}.json.tmp", self.stem));
        let mut f = File::create(&tmp)?;
        f.write_all(serde_json::to_string(&self.me).unwrap_or_default().as_bytes())?;
        fs::rename(&tmp, self.dir.join(format!("{}.json", self.stem)))
    }
}

impl Drop for Announcer {
    /// A clean exit removes the entry at once (a crash leaves it to readers).
    fn drop(&mut self) {
        let _ = fs::remove_file(self.dir.join(format!("{}.json", self.stem)));
        let _ = fs::remove_file(self.dir.join(format!("{}.lock", self.stem)));
    }
}

fn sanitize_stem(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' }).collect()
}

/// Whether the owner of `lock` is gone: we could take its lock.
fn owner_gone(lock: &Path) -> bool {
    let Ok(f) = OpenOptions::new().read(true).write(true).open(lock) else { return false };
    match FileExt::try_lock_exclusive(&f) {
        Ok(true) => {
            let _ = FileExt::unlock(&f);
            true
        }
        _ => false,
    }
}

/// The consoles present on the session now (`presence::live` order). Entries
/// of dead consoles on this host (`local_host`) are removed on the way; for
/// consoles on other hosts sharing the folder only the heartbeat counts (a
/// lock taken here may not be seen there). Unreadable files are skipped.
pub fn roster(journal: &Path, local_host: &str, now: DateTime<Utc>) -> Vec<Presence> {
    let dir = dir_of(journal);
    let Ok(entries) = fs::read_dir(&dir) else { return Vec::new() };
    let mut all = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || !name.ends_with(".json") {
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else { continue };
        let Ok(p) = serde_json::from_str::<Presence>(&text) else { continue };
        let lock = path.with_extension("lock");
        if p.host == local_host && lock.exists() && owner_gone(&lock) {
            let _ = fs::remove_file(&path);
            let _ = fs::remove_file(&lock);
            continue;
        }
        all.push(p);
    }
    presence::live(all, now)
}

/// This machine's name, as run ownership records it.
pub use crate::sources::process::owner::hostname;

/// The Unix user running us: the real uid's name, as every journal record
/// carries it (never `$USER`, which anyone can set).
pub fn unix_user() -> String {
    crate::sources::journal::unix_user()
}

//! The journal store (docs/journal.md; D1–D6 in docs/requirements.md): an append-only file of
//! hash-chained JSON lines shared by every console and CLI command on a
//! session. All plain, synchronous std I/O: appends are a lock, a read of what
//! others wrote, one write and an fsync — fast enough to call from the UI task
//! directly or through `spawn_blocking`.
//!
//! - `store`: `Journal` — open (with torn-tail recovery), append, poll.
//! - `reader`: splitting bytes into checked records.
//! - `watcher`: tells the app when the file changed (notify + a 1 s stat poll).
//! - `verify`: checking a whole file for `warroom verify`.
//! - `writer`: the thread that does a console's appends, off the UI loop.
//! - `seal`: the guard and the new record, the step both backends take under their lock.
//! - `outbox`: source events the journal refused, waiting in order to be written late.
//! - `fsinfo`: the network-filesystem warning (D5).
//! - `whoami`, `signer`: who writes (Unix user) and the ssh-agent that signs.
//! - `postgres`: the same journal in a PostgreSQL database, for consoles on several hosts.

mod error;
mod fsinfo;
mod outbox;
pub mod postgres;
mod reader;
mod seal;
mod signatures;
mod signer;
mod store;
mod verify;
mod watcher;
mod whoami;
mod writer;

pub use super::settings::data_dir;
pub use error::JournalError;
pub(crate) use fsinfo::network_fs_name;
pub use fsinfo::nfs_warning;
pub use outbox::{produced_by_a_source, Appender, Backlog, Outbox, Sent, Waiting, OUTBOX_CAPACITY};
pub use signatures::{first_bad_signature, first_bad_signature_in};
pub use signer::Signer;
pub use store::{torn_path, Journal, Opened};
pub use verify::{verify_file, Verified};
pub use watcher::{spawn_watcher, WatchHandle};
pub use whoami::unix_user;
pub use writer::{Refuse, StartResult, WriterHandle, Written};

#[cfg(test)]
mod tests;

//! The journal store (SPEC §3, REQUIREMENTS D1–D6): an append-only file of
//! hash-chained JSON lines shared by every console and CLI command on a
//! session. All plain, synchronous std I/O: appends are a lock, a read of what
//! others wrote, one write and an fsync — fast enough to call from the UI task
//! directly or through `spawn_blocking`.
//!
//! - `store`: `Journal` — open (with torn-tail recovery), append, poll.
//! - `reader`: splitting bytes into checked records.
//! - `watcher`: tells the app when the file changed (notify + a 1 s stat poll).
//! - `verify`: checking a whole file for `warroom verify`.
//! - `fsinfo`: the network-filesystem warning (D5).
//! - `postgres`: the same journal in a PostgreSQL database, for consoles on several hosts.

mod data_dir;
mod error;
mod fsinfo;
pub mod postgres;
mod reader;
mod store;
mod verify;
mod watcher;

pub use data_dir::data_dir;
pub use error::JournalError;
pub(crate) use fsinfo::network_fs_name;
pub use fsinfo::nfs_warning;
pub use store::{torn_path, Journal, Opened};
pub use verify::{verify_file, Verified};
pub use watcher::{spawn_watcher, WatchHandle};

#[cfg(test)]
mod tests;

//! Checking a whole journal file without opening it for writing (`warroom
//! verify`): every complete line parses, chains and hashes; an unterminated
//! last line is reported apart, since it is a torn write, not tampering.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::error::JournalError;
use super::reader::read_chunk;

#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    /// Good records before the first bad line (all of them when intact).
    pub records: u64,
    /// The first bad complete line (1-based) and why.
    pub bad: Option<(usize, String)>,
    /// Bytes after the last `\n`, when the last line is unterminated (a torn write).
    pub torn_tail_bytes: Option<usize>,
    pub first_ts: Option<DateTime<Utc>>,
    pub last_ts: Option<DateTime<Utc>>,
    /// Hash of the last good record.
    pub last_hash: Option<String>,
}

/// Reads and checks `path`. `Err` only when the file cannot be read.
pub fn verify_file(path: &Path) -> Result<Verified, JournalError> {
    let buf = std::fs::read(path).map_err(|e| JournalError::io(path, e))?;
    let chunk = read_chunk(&buf, 1, None);
    Ok(Verified {
        records: chunk.records.len() as u64,
        torn_tail_bytes: if chunk.bad.is_none() { chunk.tail.as_ref().map(|t| t.len()) } else { None },
        bad: chunk.bad,
        first_ts: chunk.records.first().map(|r| r.ts),
        last_ts: chunk.records.last().map(|r| r.ts),
        last_hash: chunk.records.last().map(|r| r.hash.clone()),
    })
}

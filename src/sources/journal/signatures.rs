//! `warroom verify --allowed-signers`: reading the records back to check
//! each one's SSH signature (the chain itself is checked by `verify`).

use std::path::Path;

use super::error::JournalError;
use super::reader::read_chunk;
use crate::domain::record::Record;
use crate::domain::signature::{check_allowed, AllowedSigners};

/// The first record (1-based line, reason) whose signature is missing, bad,
/// or from a key the file does not allow for its operator; `None` when all
/// are good. Only the complete, well-chained lines are looked at.
pub fn first_bad_signature(path: &Path, signers: &AllowedSigners) -> Result<Option<(usize, String)>, JournalError> {
    let buf = std::fs::read(path).map_err(|e| JournalError::io(path, e))?;
    let chunk = read_chunk(&buf, 1, None);
    Ok(first_bad_signature_in(&chunk.records, signers))
}

/// The same over records already read and checked (a database session's):
/// (seq, reason) of the first record whose signature does not check out.
pub fn first_bad_signature_in(records: &[Record], signers: &AllowedSigners) -> Option<(usize, String)> {
    records.iter().find_map(|r| check_allowed(r, signers).err().map(|why| (r.seq as usize, why)))
}

//! One journal line (SPEC §3) and its hash chain.
//!
//! The hash is SHA-256 over `prev` and the other fields in a fixed canonical
//! order; see `canonical_bytes`. Owned by the journal work (issue "Core").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::event::EventKind;

/// `prev` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    pub ts: DateTime<Utc>,
    pub operator: String,
    pub kind: String,
    pub data: serde_json::Value,
    pub prev: String,
    pub hash: String,
}

impl Record {
    /// The typed event, or `None` for a kind this version does not know.
    pub fn event(&self) -> Option<EventKind> {
        EventKind::from_parts(&self.kind, &self.data)
    }
}

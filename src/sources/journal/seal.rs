//! The step every append takes once it holds the journal's lock (the file's
//! `flock`, or the database session's advisory lock) and has read what others
//! wrote: run the caller's guard on those records, then make the new record —
//! chained after the last one, stamped with who wrote it, marked as written
//! late when it comes from the outbox, signed when signing is on
//! (docs/journal.md, "Writers, crashes and readers" and "Signed records").
//!
//! Both backends call this, so a record is made the same way wherever it is
//! stored and an export from PostgreSQL is byte for byte a file journal.

use chrono::{DateTime, Utc};

use super::error::JournalError;
use super::signer::Signer;
use crate::domain::event::EventKind;
use crate::domain::identity::Actor;
use crate::domain::record::{Record, GENESIS};

/// What an append writes, apart from where.
pub struct Act<'a> {
    pub actor: &'a Actor,
    pub ts: DateTime<Utc>,
    pub event: &'a EventKind,
    /// Set for an event from the outbox: when it is really written.
    pub written_late: Option<DateTime<Utc>>,
    pub signer: Option<&'a Signer>,
}

/// Under the lock, after reading `others` (what others appended since this
/// handle last read; `last` is then the journal's last record): the guard's
/// refusal (`Ok(Err(why))`), or the record to write (`Ok(Ok(record))`).
/// `Err` only when signing was asked for and the agent could not sign.
pub fn guard_then_seal(
    act: &Act<'_>,
    others: &[Record],
    last: Option<&(u64, String)>,
    refuse: impl FnOnce(&[Record]) -> Option<String>,
) -> Result<Result<Record, String>, JournalError> {
    if let Some(why) = refuse(others) {
        return Ok(Err(why));
    }
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h.as_str()),
        None => (1, GENESIS),
    };
    let actor = Actor {
        operator: act.actor.operator.clone(),
        user: act.actor.user.clone(),
        key: act.signer.map(|s| s.fingerprint().to_string()).or_else(|| act.actor.key.clone()),
    };
    let mut rec = Record::new_by(prev, seq, act.ts, &actor, act.event);
    if let Some(w) = act.written_late {
        // Before signing: the signature covers the hash, which this changes.
        crate::domain::late::mark_written_late(&mut rec, w);
    }
    if let Some(signer) = act.signer {
        rec.sig = Some(signer.sign(rec.hash.as_bytes()).map_err(JournalError::Sign)?);
    }
    Ok(Ok(rec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_refusal_writes_nothing_and_a_pass_chains_after_the_last_record_with_its_writer() {
        let ts = Utc.timestamp_millis_opt(1_770_000_000_000).unwrap();
        let actor = Actor { operator: "ana".into(), user: Some("root".into()), key: None };
        let ev = EventKind::NoteAdded { text: "x".into() };
        let act = Act { actor: &actor, ts, event: &ev, written_late: None, signer: None };
        let refused = guard_then_seal(&act, &[], None, |_| Some("started already".into())).unwrap();
        assert_eq!(refused.unwrap_err(), "started already");

        let last = (4, "ab".repeat(32));
        let rec = guard_then_seal(&act, &[], Some(&last), |_| None).unwrap().unwrap();
        assert_eq!((rec.seq, rec.prev.as_str(), rec.user.as_deref()), (5, last.1.as_str(), Some("root")));
        assert!(crate::domain::record::hash_matches(&rec));

        let late = Act { written_late: Some(ts + chrono::Duration::seconds(9)), ..act };
        let rec = guard_then_seal(&late, &[], None, |_| None).unwrap().unwrap();
        assert!(crate::domain::late::written_late(&rec).is_some());
        assert!(crate::domain::record::hash_matches(&rec));
    }
}

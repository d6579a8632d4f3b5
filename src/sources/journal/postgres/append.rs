//! One record, one transaction (docs/journal.md, "On PostgreSQL"):
//!
//! 1. `BEGIN`; `pg_advisory_xact_lock` on the session, so appends to one
//!    session run one at a time across every host;
//! 2. if this act's record id is already there (a retry after a connection
//!    lost during commit), stop: it was written;
//! 3. read the rows after the last one this journal has seen; the caller's
//!    guard looks at them (the "start only if nobody started it" rule) and
//!    may refuse, which rolls back; the record is made (and signed) as the
//!    file journal makes it (`seal`);
//! 4. insert the record chained after the last row, `NOTIFY`, `COMMIT`.
//!
//! Acknowledged only after `COMMIT` returns. The primary key `(session, seq)`
//! is a second line of defence should the lock ever be bypassed.
//!
//! Steps 1–3 and 4 are two calls on the connection thread because the guard
//! is the caller's (not `Send`) and runs here, between them; the transaction
//! stays open on the connection meanwhile.

use tokio_postgres::Client;

use super::rows::{self, RawRow};
use super::schema::CHANNEL;
use super::PgJournal;
use crate::domain::record::Record;
use crate::sources::journal::seal::{guard_then_seal, Act};
use crate::sources::journal::JournalError;

const LOCK: &str = "SELECT pg_advisory_xact_lock(hashtextextended('warroom:' || $1, 0))";

impl PgJournal {
    /// Appends `act` unless the guard `refuse`, shown what others wrote under
    /// the session's lock, gives a reason. Returns others' new records
    /// followed by ours (and the refusal, if any), like the file journal.
    pub fn append_record(
        &mut self,
        act: &Act<'_>,
        refuse: impl FnOnce(&[Record]) -> Option<String>,
    ) -> Result<(Vec<Record>, Option<String>), JournalError> {
        if let Some(why) = self.base_read_only.clone().or_else(|| self.corrupt_reason.clone()) {
            return Err(JournalError::ReadOnly(why));
        }
        // Down: a plain failure a caller can retry later (the same act keeps its record id).
        if let Some((since, reason)) = self.link.down() {
            return Err(JournalError::Unavailable { journal: self.url.shown.clone(), since, reason });
        }
        let mut out = std::mem::take(&mut self.backlog);
        let (kind, data) = act.event.to_parts();
        let what = format!("{}\n{kind}\n{data}", act.actor.operator);
        let record_id = match &self.uncertain {
            Some((w, id)) if *w == what => id.clone(),
            _ => new_record_id(),
        };

        let (session, after, id) = (self.session.clone(), self.last_seq(), record_id.clone());
        let begun = self.link.call(move |c| async move { begin(&c, &session, &id, after).await });
        let (already, new_rows) = match begun {
            Ok(r) => r,
            Err(e) => {
                self.backlog = out;
                return Err(self.failed(e));
            }
        };
        let taken = self.take_rows(&new_rows);
        match taken {
            Ok(recs) => out.extend(recs),
            Err(e) => {
                self.finish(false);
                self.backlog = out;
                return Err(e);
            }
        }
        if self.corrupt_reason.is_some() {
            self.finish(false);
            self.backlog = out;
            return Err(JournalError::ReadOnly(self.read_only_reason().unwrap_or_default()));
        }
        if already {
            // Written by an earlier try whose answer was lost; it is among the rows just read.
            self.finish(false);
            self.uncertain = None;
            return Ok((out, None));
        }
        let rec = match guard_then_seal(act, &out, self.last.as_ref(), refuse) {
            Ok(Ok(rec)) => rec,
            Ok(Err(why)) => {
                self.finish(false);
                return Ok((out, Some(why)));
            }
            Err(e) => {
                self.finish(false);
                self.backlog = out;
                return Err(e);
            }
        };
        let (row, session) = (RawRow::of(&rec), self.session.clone());
        let id = record_id.clone();
        let written = self.link.call(move |c| async move { insert_and_commit(&c, &session, &row, &id).await });
        match written {
            Ok(()) => {
                self.uncertain = None;
                self.last = Some((rec.seq, rec.hash.clone()));
                out.push(rec);
                Ok((out, None))
            }
            Err(e) => {
                if matches!(e, super::link::CallError::Unavailable(_)) {
                    // The commit may have happened: the same act tried again must reuse this id.
                    self.uncertain = Some((what, record_id));
                } else {
                    self.finish(false);
                }
                self.backlog = out;
                Err(self.failed(e))
            }
        }
    }

    /// Ends the open transaction (best effort: a lost connection ends it anyway).
    fn finish(&self, commit: bool) {
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        let _ = self.link.call(move |c| async move { c.batch_execute(sql).await });
    }
}

/// Steps 1–3: begin, lock, look for the record id, read what is new.
/// Rolls back itself on any error, so the connection never stays inside a
/// failed transaction.
async fn begin(c: &Client, session: &str, id: &str, after: u64) -> Result<(bool, Vec<RawRow>), tokio_postgres::Error> {
    c.batch_execute("BEGIN").await?;
    let r = async {
        c.execute(LOCK, &[&session]).await?;
        let already = c
            .query_opt("SELECT 1 FROM warroom_records WHERE session = $1 AND record_id = $2", &[&session, &id])
            .await?
            .is_some();
        let new_rows = rows::fetch_after(c, session, after).await?;
        Ok((already, new_rows))
    }
    .await;
    if r.is_err() {
        let _ = c.batch_execute("ROLLBACK").await;
    }
    r
}

/// Step 4: insert, notify, commit (rolls back on an error the server sent).
async fn insert_and_commit(c: &Client, session: &str, row: &RawRow, id: &str) -> Result<(), tokio_postgres::Error> {
    let r = async {
        row.insert(c, session, id).await?;
        let payload = serde_json::json!({ "session": session, "seq": row.seq }).to_string();
        c.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload]).await?;
        c.batch_execute("COMMIT").await
    }
    .await;
    if r.is_err() {
        let _ = c.batch_execute("ROLLBACK").await;
    }
    r
}

/// 128 random bits in hex: unique enough to tell two acts apart forever.
pub(super) fn new_record_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

//! Rows to journal lines and back. A row holds a record's fields as written
//! in the file journal; turned back into a line it is checked exactly like a
//! line of a file (the same `read_chunk`), so a row edited with `psql` fails
//! the same checks an edited line would, and "line N" is "seq N".
//!
//! The record's optional `user` is the column `unix_user` (`user` is a
//! reserved word in SQL); `key` and `sig` keep their names. NULL stands for
//! a field the record does not have.

use tokio_postgres::{Client, Row};

use crate::domain::record::Record;
use crate::sources::journal::reader::{read_chunk, Chunk};

pub const SELECT_AFTER: &str = "SELECT seq, ts, operator, unix_user, key, kind, data, prev, hash, sig \
                                FROM warroom_records WHERE session = $1 AND seq > $2 ORDER BY seq";

pub const INSERT: &str = "INSERT INTO warroom_records \
                          (session, seq, ts, operator, unix_user, key, kind, data, prev, hash, sig, record_id) \
                          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// A row's fields, as stored (no checks yet).
#[derive(Clone, Debug, PartialEq)]
pub struct RawRow {
    pub seq: i64,
    pub ts: String,
    pub operator: String,
    pub user: Option<String>,
    pub key: Option<String>,
    pub kind: String,
    pub data: String,
    pub prev: String,
    pub hash: String,
    pub sig: Option<String>,
}

impl RawRow {
    pub fn from_row(r: &Row) -> RawRow {
        RawRow {
            seq: r.get(0),
            ts: r.get(1),
            operator: r.get(2),
            user: r.get(3),
            key: r.get(4),
            kind: r.get(5),
            data: r.get(6),
            prev: r.get(7),
            hash: r.get(8),
            sig: r.get(9),
        }
    }

    /// The row to insert for `rec` (the record's fields in their written form).
    pub fn of(rec: &Record) -> RawRow {
        let mut data = Vec::new();
        crate::domain::record::write_canonical_json(&rec.data, &mut data);
        RawRow {
            seq: rec.seq as i64,
            ts: crate::domain::record::format_ts(&rec.ts),
            operator: rec.operator.clone(),
            user: rec.user.clone(),
            key: rec.key.clone(),
            kind: rec.kind.clone(),
            data: String::from_utf8_lossy(&data).into_owned(),
            prev: rec.prev.clone(),
            hash: rec.hash.clone(),
            sig: rec.sig.clone(),
        }
    }

    /// The journal line this row stands for, fields in the writer's order.
    /// Fields are JSON-quoted; `data` goes in as stored, so data that is not
    /// a JSON object makes the line fail to parse, naming the record.
    pub fn line(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let opt =
            |name: &str, v: &Option<String>| v.as_deref().map(|v| format!(",\"{name}\":{}", q(v))).unwrap_or_default();
        format!(
            "{{\"seq\":{},\"ts\":{},\"operator\":{}{}{},\"kind\":{},\"data\":{},\"prev\":{},\"hash\":{}{}}}",
            self.seq,
            q(&self.ts),
            q(&self.operator),
            opt("user", &self.user),
            opt("key", &self.key),
            q(&self.kind),
            self.data,
            q(&self.prev),
            q(&self.hash),
            opt("sig", &self.sig)
        )
    }

    /// Inserts this row into `session` with `record_id` (in whatever transaction the client is in).
    pub async fn insert(&self, c: &Client, session: &str, record_id: &str) -> Result<u64, tokio_postgres::Error> {
        c.execute(
            INSERT,
            &[
                &session,
                &self.seq,
                &self.ts,
                &self.operator,
                &self.user,
                &self.key,
                &self.kind,
                &self.data,
                &self.prev,
                &self.hash,
                &self.sig,
                &record_id,
            ],
        )
        .await
    }
}

/// Rows of `session` after `after`, in order (in whatever transaction the client is in).
pub async fn fetch_after(client: &Client, session: &str, after: u64) -> Result<Vec<RawRow>, tokio_postgres::Error> {
    let after = after as i64;
    Ok(client.query(SELECT_AFTER, &[&session, &after]).await?.iter().map(RawRow::from_row).collect())
}

/// Checks rows as the file journal checks lines: seq runs on from `last`,
/// each links to the one before, each hash matches.
pub fn check(rows: &[RawRow], last: Option<(u64, &str)>) -> Chunk {
    let mut buf = Vec::new();
    for r in rows {
        let line = r.line();
        // A newline inside `data` would split the line; such data is tampered anyway.
        buf.extend_from_slice(line.replace('\n', "\\n").as_bytes());
        buf.push(b'\n');
    }
    let first = last.map(|(s, _)| s as usize + 1).unwrap_or(1);
    read_chunk(&buf, first, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind;
    use crate::domain::identity::Actor;
    use crate::domain::record::GENESIS;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_row_becomes_exactly_the_file_line() {
        let ts = Utc.timestamp_millis_opt(1_770_000_000_123).unwrap();
        let ev = EventKind::NoteAdded { text: "ünïcode \"quoted\"\nand a line\u{1b}[31m".into() };
        let r = Record::new(GENESIS, 1, ts, "ana@bastion", &ev);
        assert_eq!(RawRow::of(&r).line(), r.to_line());
        let c = check(&[RawRow::of(&r)], None);
        assert_eq!(c.records, vec![r]);
    }

    #[test]
    fn a_row_with_user_key_and_signature_becomes_exactly_the_file_line() {
        let ts = Utc.timestamp_millis_opt(1_770_000_000_123).unwrap();
        let actor = Actor { operator: "ana".into(), user: Some("root".into()), key: Some("SHA256:abc".into()) };
        let mut r = Record::new_by(GENESIS, 1, ts, &actor, &EventKind::NoteAdded { text: "n".into() });
        r.sig = Some("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----".into());
        assert_eq!(RawRow::of(&r).line(), r.to_line());
        assert_eq!(check(&[RawRow::of(&r)], None).records, vec![r.clone()]);
        // Only a user (every line this version writes unsigned).
        r.key = None;
        r.sig = None;
        r.hash = r.expected_hash();
        assert_eq!(RawRow::of(&r).line(), r.to_line());
    }

    #[test]
    fn an_edited_row_is_named_by_its_seq() {
        let ts = Utc.timestamp_millis_opt(1_770_000_000_000).unwrap();
        let a = Record::new(GENESIS, 1, ts, "ana", &EventKind::NoteAdded { text: "a".into() });
        let b = Record::new(&a.hash, 2, ts, "ana", &EventKind::NoteAdded { text: "b".into() });
        let mut rb = RawRow::of(&b);
        rb.data = rb.data.replace("\"b\"", "\"B\"");
        let c = check(&[RawRow::of(&a), rb], None);
        let (line, why) = c.bad.unwrap();
        assert_eq!(line, 2);
        assert!(why.contains("seq 2"), "{why}");
        // Read on from seq 1: the bad row is still called 2.
        let mut rb = RawRow::of(&b);
        rb.data = "not json".into();
        let c = check(&[rb], Some((1, &a.hash)));
        assert_eq!(c.bad.unwrap().0, 2);
    }
}

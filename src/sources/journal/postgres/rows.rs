//! Rows to journal lines and back. A row holds a record's fields as written
//! in the file journal; turned back into a line it is checked exactly like a
//! line of a file (the same `read_chunk`), so a row edited with `psql` fails
//! the same checks an edited line would, and "line N" is "seq N".

use tokio_postgres::{Client, Row};

use crate::domain::record::Record;
use crate::sources::journal::reader::{read_chunk, Chunk};

pub const SELECT_AFTER: &str = "SELECT seq, ts, operator, kind, data, prev, hash FROM warroom_records \
                                WHERE session = $1 AND seq > $2 ORDER BY seq";

pub const INSERT: &str = "INSERT INTO warroom_records (session, seq, ts, operator, kind, data, prev, hash, record_id) \
                          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// A row's fields, as stored (no checks yet).
#[derive(Clone, Debug)]
pub struct RawRow {
    pub seq: i64,
    pub ts: String,
    pub operator: String,
    pub kind: String,
    pub data: String,
    pub prev: String,
    pub hash: String,
}

impl RawRow {
    pub fn from_row(r: &Row) -> RawRow {
        RawRow {
            seq: r.get(0),
            ts: r.get(1),
            operator: r.get(2),
            kind: r.get(3),
            data: r.get(4),
            prev: r.get(5),
            hash: r.get(6),
        }
    }

    /// The journal line this row stands for. Fields are JSON-quoted; `data`
    /// goes in as stored, so data that is not a JSON object makes the line
    /// fail to parse, naming the record.
    pub fn line(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        format!(
            "{{\"seq\":{},\"ts\":{},\"operator\":{},\"kind\":{},\"data\":{},\"prev\":{},\"hash\":{}}}",
            self.seq,
            q(&self.ts),
            q(&self.operator),
            q(&self.kind),
            self.data,
            q(&self.prev),
            q(&self.hash)
        )
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

/// The row to insert for `rec`.
pub fn insert_params(rec: &Record) -> (i64, String, String) {
    let ts = crate::domain::record::format_ts(&rec.ts);
    let mut data = Vec::new();
    crate::domain::record::write_canonical_json(&rec.data, &mut data);
    (rec.seq as i64, ts, String::from_utf8_lossy(&data).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind;
    use crate::domain::record::GENESIS;
    use chrono::{TimeZone, Utc};

    fn row_of(r: &Record) -> RawRow {
        let (seq, ts, data) = insert_params(r);
        RawRow {
            seq,
            ts,
            operator: r.operator.clone(),
            kind: r.kind.clone(),
            data,
            prev: r.prev.clone(),
            hash: r.hash.clone(),
        }
    }

    #[test]
    fn a_row_becomes_exactly_the_file_line() {
        let ts = Utc.timestamp_millis_opt(1_770_000_000_123).unwrap();
        let ev = EventKind::NoteAdded { text: "ünïcode \"quoted\"\nand a line\u{1b}[31m".into() };
        let r = Record::new(GENESIS, 1, ts, "ana@bastion", &ev);
        assert_eq!(row_of(&r).line(), r.to_line());
        let c = check(&[row_of(&r)], None);
        assert_eq!(c.records, vec![r]);
    }

    #[test]
    fn an_edited_row_is_named_by_its_seq() {
        let ts = Utc.timestamp_millis_opt(1_770_000_000_000).unwrap();
        let a = Record::new(GENESIS, 1, ts, "ana", &EventKind::NoteAdded { text: "a".into() });
        let b = Record::new(&a.hash, 2, ts, "ana", &EventKind::NoteAdded { text: "b".into() });
        let mut rb = row_of(&b);
        rb.data = rb.data.replace("\"b\"", "\"B\"");
        let c = check(&[row_of(&a), rb], None);
        let (line, why) = c.bad.unwrap();
        assert_eq!(line, 2);
        assert!(why.contains("seq 2"), "{why}");
        // Read on from seq 1: the bad row is still called 2.
        let mut rb = row_of(&b);
        rb.data = "not json".into();
        let c = check(&[rb], Some((1, &a.hash)));
        assert_eq!(c.bad.unwrap().0, 2);
    }
}
